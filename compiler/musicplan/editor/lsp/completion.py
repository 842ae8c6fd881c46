"""Completion by the words before the cursor: statement keywords at a line start, songs after
`keep`/`like`/`replace`, a song's sections after its name, enum values after `adherence=`,
`strength=` and `format=`, bindings and standard-library presets inside `styles[`/`avoid[`,
template names, attribute words after a chunk, and import paths.

The text is read only to tell which of these the cursor is at (what is being typed is
usually not valid MPL yet); what to offer comes from the compilation's symbol table and
`vocabulary`.
"""

from __future__ import annotations

import re

from lsprotocol import types

from ... import pipeline
from ...resolve.imports import std_modules
from ...resolve.symbols import Symbol
from ...resolve.values import ADHERENCE, STRENGTH
from ...syntax import nodes as n
from .. import vocabulary as vocab
from .document import Analysis

K = types.CompletionItemKind
_IDENT = r"[A-Za-z_][\w.]*"
_SLICE_SONG = re.compile(rf"\b(?:keep|like|replace)\s+(?:({_IDENT})\s+)?({_IDENT})?$")
_ENUM = re.compile(r"\b(adherence|strength|format|model)\s*=\s*(\w*)$")
_IMPORT = re.compile(r'^\s*import\s+"([^"]*)$')
_LINE_START = re.compile(r"^\s*(\w*)$")
_CHUNK_LINE = re.compile(r"^\s*(?:gen|regen)\b.*\s(\w*)$")
_PLAN_LINE = re.compile(r"^\s*plan\b.*\s(\w*)$")
_LIST = re.compile(r"\b(styles|avoid)\s*\[[^\]]*$")
ATTRIBUTES = ("styles[", "avoid[", "adherence=", "strength=", "like ", "text ")
_KIND = {"song": K.Module, "section": K.Field, "binding": K.Variable, "template": K.Function,
         "param": K.Variable, "module": K.File}


def _item(label: str, kind: types.CompletionItemKind, detail: str | None = None,
          **extra: object) -> types.CompletionItem:
    return types.CompletionItem(label=label, kind=kind, detail=detail, **extra)  # type: ignore[arg-type]


def _symbols(names: dict[str, Symbol], *kinds: str) -> list[types.CompletionItem]:
    return [_item(name, _KIND[symbol.kind], symbol.kind) for name, symbol in names.items()
            if symbol.kind in kinds]


def _sections(song: Symbol | None) -> list[types.CompletionItem]:
    if song is None:
        return []
    return [_item(name, K.Field, f"section of {song.name}") for name in song.members]


def _import_edit(analysis: Analysis) -> types.TextEdit:
    """`import "std/styles"` after the document's last import, else before its first line."""
    statements = analysis.compilation.program.statements
    imports = [s for s in statements if isinstance(s, n.Import)]
    if imports:
        line = analysis.index.position(imports[-1].span.end).line + 1
    else:
        line = analysis.index.position(statements[0].span.start).line if statements else 0
    at = types.Position(line=line, character=0)
    return types.TextEdit(range=types.Range(start=at, end=at), new_text='import "std/styles"\n')


def _presets(analysis: Analysis, names: dict[str, Symbol]) -> list[types.CompletionItem]:
    """The styles presets: as written when imported, else with an edit that imports them
    (what `import "std/styles"` brings in, as the compiler reads it)."""
    importer = "<presets>"
    presets = pipeline.compile_text('import "std/styles"\n', importer, checks=False,
                                    parses=analysis.parses).symbol_table()
    shown = {symbol.span for symbol in names.values() if symbol.kind == "binding"}
    return [_item(name, K.Constant, "std/styles preset (imports it)",
                  additional_text_edits=[_import_edit(analysis)])
            for name, symbol in presets.visible(importer).items()
            if symbol.kind == "binding" and symbol.span not in shown]


def _import_paths(analysis: Analysis, typed: str, position: types.Position
                  ) -> list[types.CompletionItem]:
    start = types.Position(line=position.line, character=position.character - len(typed))
    replace = types.Range(start=start, end=position)
    paths = [f"std/{name}" for name in std_modules()]
    if analysis.path is not None:
        folder = analysis.path.parent
        for found in sorted(folder.glob("**/*.mpl"))[:200]:
            if found != analysis.path and ".git" not in found.parts:
                paths.append("./" + found.relative_to(folder).as_posix())
    return [_item(path, K.File, text_edit=types.TextEdit(range=replace, new_text=path))
            for path in paths]


def completion(analysis: Analysis, position: types.Position) -> list[types.CompletionItem]:
    """What may be written at the cursor."""
    offset = analysis.offset(position)
    position = analysis.index.position(offset)  # within the text, even if asked past its end
    line = analysis.index.line_text(position.line)
    before = line[:offset - analysis.index.starts[position.line]]
    names = analysis.visible_names()
    if (match := _IMPORT.search(before)) is not None:
        return _import_paths(analysis, match.group(1), position)
    if (match := _ENUM.search(before)) is not None:
        values = {"adherence": ADHERENCE, "strength": STRENGTH, "format": vocab.FORMATS,
                  "model": vocab.MODELS}
        return [_item(value, K.EnumMember, match.group(1))
                for value in values[match.group(1)]]
    text_before = analysis.text[:offset]
    if _LIST.search(text_before) is not None:
        return _symbols(names, "binding") + _presets(analysis, names)
    if (match := _SLICE_SONG.search(before)) is not None:
        song = names.get(match.group(1) or "")
        if song is not None and song.kind == "song":
            return _sections(song)
        return _symbols(names, "song", "binding") + _sections(analysis.default_song())
    if _LINE_START.search(before) is not None:
        keywords = [_item(word, K.Keyword) for word in vocab.STATEMENT_KEYWORDS]
        return keywords + _symbols(names, "template")
    if _PLAN_LINE.search(before) is not None:
        return [_item(word + ("" if word == "store" else "="), K.Property, "plan option")
                for word in vocab.OPTION_WORDS]
    if _CHUNK_LINE.search(before) is not None:
        attributes = [_item(word, K.Property, "chunk attribute") for word in ATTRIBUTES]
        return attributes + _symbols(names, "binding")
    return _symbols(names, "song", "binding", "template")

