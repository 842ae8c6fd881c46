"""Every declared name of a compilation and every place a name is written, for go to
definition, find references, hovers, completion and semantic tokens.

It reads the compiler's trees (the document's and each imported file's) and looks names up
the way `scope.Scope` does: a template's parameters and `let`s first, then the file's own
declarations, then what its imports bring in (`alias.name` for `import … as alias`). A name
in a range's place that is bound to nothing is a section of the song (the default one when
no song is written).
"""

from __future__ import annotations

import bisect
import posixpath
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from ...syntax import nodes as n
from ...syntax.parse import parse
from ...syntax.spans import Span

if TYPE_CHECKING:
    from .document import Analysis

SymbolKind = Literal["song", "section", "binding", "template", "param", "module"]
# What an unresolved name is by its place: an enum value, a plan option, or a plain name.
Place = Literal["name", "enum", "option"]


@dataclass(eq=False)
class Symbol:
    """A declaration: its kind, name, the name's span and the declaring node."""

    kind: SymbolKind
    name: str
    span: Span
    node: n.Node
    container: str | None = None  # the song of a section, the template of a parameter
    members: dict[str, Symbol] = field(default_factory=dict)  # sections or parameters


@dataclass(eq=False)
class Occurrence:
    """A name (or import path) as written, and what it means (None when unknown)."""

    span: Span
    symbol: Symbol | None
    declaration: bool = False
    place: Place = "name"


_PARSED: dict[tuple[str, str], n.Program] = {}  # imported files, by (name, text)


def parsed_program(file: str, text: str) -> n.Program:
    """An imported file's tree, parsed once per text."""
    key = (file, text)
    found = _PARSED.get(key)
    if found is None:
        if len(_PARSED) > 64:
            _PARSED.clear()
        found = _PARSED[key] = parse(text, file).program
    return found


def import_target(importer: str, raw: str) -> str:
    """The compiler's name for the file `import "raw"` in `importer` reads (as imports.Loader
    names it)."""
    if raw.startswith("std/"):
        stem = raw[4:].removesuffix(".mpl")
        return f"std/{stem}.mpl"
    display = posixpath.normpath(posixpath.join(posixpath.dirname(importer), raw))
    return display if display.endswith(".mpl") else display + ".mpl"


class SymbolIndex:
    """Declarations and occurrences across the files of one compilation."""

    def __init__(self, root: str) -> None:
        self.root = root
        self.programs: dict[str, n.Program] = {}
        self.own: dict[str, dict[str, Symbol]] = {}  # file → its own declarations
        self.modules: dict[str, Symbol] = {}  # file → a symbol standing for the file
        self.imports: dict[str, list[tuple[n.Import, str]]] = {}  # file → (import, target)
        self.occurrences: dict[str, list[Occurrence]] = {}
        self._starts: dict[str, list[int]] = {}
        self.default_song: Symbol | None = None

    # -- building --------------------------------------------------------------------
    @classmethod
    def build(cls, analysis: Analysis) -> SymbolIndex:
        index = cls(analysis.file)
        index.programs[analysis.file] = analysis.compilation.program
        for file, text in analysis.compilation.sources.items():
            if file != analysis.file:
                index.programs[file] = parsed_program(file, text)
        waiting = list(index.programs)
        while waiting:  # files the compiler did not get to (it stops at syntax errors)
            file = waiting.pop()
            index._declare(file, index.programs[file])
            for _, target in index.imports[file]:
                if target not in index.programs and analysis.read_extra(target):
                    index.programs[target] = parsed_program(target, analysis.sources[target])
                    waiting.append(target)
        index._pick_default_song()
        for file, program in index.programs.items():
            index._walk(file, program.statements, {})
        for file, found in index.occurrences.items():
            found.sort(key=lambda occurrence: occurrence.span.start)
            index._starts[file] = [occurrence.span.start for occurrence in found]
        return index

    def _declare(self, file: str, program: n.Program) -> None:
        own: dict[str, Symbol] = {}
        imports: list[tuple[n.Import, str]] = []
        for statement in program.statements:
            if isinstance(statement, n.SongDecl):
                song = Symbol("song", statement.name.ident, statement.name.span, statement)
                for section in statement.sections:
                    song.members.setdefault(section.name.ident, Symbol(
                        "section", section.name.ident, section.name.span, section,
                        container=song.name))
                own.setdefault(song.name, song)
            elif isinstance(statement, n.Let):
                own.setdefault(statement.name.ident, Symbol(
                    "binding", statement.name.ident, statement.name.span, statement))
            elif isinstance(statement, n.TemplateDef):
                template = Symbol("template", statement.name.ident, statement.name.span,
                                  statement)
                for param in statement.params:
                    template.members.setdefault(param.name.ident, Symbol(
                        "param", param.name.ident, param.name.span, param,
                        container=template.name))
                own.setdefault(template.name, template)
            elif isinstance(statement, n.Import):
                imports.append((statement, import_target(file, statement.path.value)))
        self.own[file] = own
        self.imports[file] = imports
        start = Span(file, 1, 1, 1, 1, 0, 0)
        self.modules[file] = Symbol("module", file, start, program)

    def _pick_default_song(self) -> None:
        """The root file's first song, else the first song it imports (as resolve does)."""
        songs = [s for s in self.own.get(self.root, {}).values() if s.kind == "song"]
        for _, target in self.imports.get(self.root, []):
            songs += [s for s in self.own.get(target, {}).values() if s.kind == "song"]
        self.default_song = songs[0] if songs else None

    # -- lookup ------------------------------------------------------------------------
    def visible(self, file: str) -> dict[str, Symbol]:
        """Every name a file's top level can use, as it is written there."""
        names: dict[str, Symbol] = {}
        for statement, target in self.imports.get(file, []):
            prefix = f"{statement.alias.ident}." if statement.alias is not None else ""
            for ident, symbol in self.own.get(target, {}).items():
                names.setdefault(prefix + ident, symbol)
        names.update(self.own.get(file, {}))
        return names

    def lookup(self, file: str, ident: str, local: dict[str, Symbol] | None = None
               ) -> Symbol | None:
        if local and ident in local:
            return local[ident]
        own = self.own.get(file, {})
        if ident in own:
            return own[ident]
        return self.visible(file).get(ident)

    # -- walking -----------------------------------------------------------------------
    def _add(self, span: Span, symbol: Symbol | None, *, declaration: bool = False,
             place: Place = "name") -> None:
        self.occurrences.setdefault(span.file, []).append(
            Occurrence(span, symbol, declaration, place))

    def _ref(self, name: n.Name, file: str, local: dict[str, Symbol]) -> Symbol | None:
        symbol = self.lookup(file, name.ident, local)
        self._add(name.span, symbol)
        return symbol

    def _value(self, value: n.Node | None, file: str, local: dict[str, Symbol]) -> None:
        if isinstance(value, n.Name):
            self._ref(value, file, local)
        elif isinstance(value, n.ListExpr):
            for item in value.items:
                self._value(item, file, local)

    def _song(self, name: n.Name | None, file: str, local: dict[str, Symbol]) -> Symbol | None:
        if name is None:
            return self.default_song if file == self.root else None
        return self._ref(name, file, local)

    def _slice(self, song: Symbol | None, written: n.Slice, file: str,
               local: dict[str, Symbol]) -> None:
        if not isinstance(written, n.Name):
            return
        symbol = self.lookup(file, written.ident, local)
        if symbol is None and song is not None and song.kind == "song":
            symbol = song.members.get(written.ident)
        self._add(written.span, symbol)

    def _walk(self, file: str, statements: tuple[n.Statement, ...],
              local: dict[str, Symbol]) -> None:
        for statement in statements:
            self._statement(file, statement, local)

    def _statement(self, file: str, s: n.Statement, local: dict[str, Symbol]) -> None:
        if isinstance(s, n.SongDecl):
            song = self.lookup(file, s.name.ident)
            mine = song if song is not None and song.node is s else None
            self._add(s.name.span, mine, declaration=True)
            for section in s.sections:
                found = mine.members.get(section.name.ident) if mine else None
                self._add(section.name.span, found, declaration=True)
            if isinstance(s.length, n.Name):
                self._ref(s.length, file, local)
        elif isinstance(s, n.Let):
            symbol = self.own[file].get(s.name.ident)
            if symbol is None or symbol.node is not s:  # a `let` inside a block
                symbol = local[s.name.ident] = Symbol("binding", s.name.ident, s.name.span, s)
            self._add(s.name.span, symbol, declaration=True)
            self._value(s.value, file, local)
        elif isinstance(s, n.Import):
            target = import_target(file, s.path.value)
            module = self.modules.get(target)
            self._add(s.path.span, module)
            if s.alias is not None:
                self._add(s.alias.span, module, declaration=True)
        elif isinstance(s, n.TemplateDef):
            self._template(file, s, local)
        elif isinstance(s, n.Keep):
            self._slice(self._song(s.song, file, local), s.slice, file, local)
        elif isinstance(s, n.Generate):
            self._generate(file, s, local)
        elif isinstance(s, n.Call):
            self._call(file, s, local)
        elif isinstance(s, n.Replace):
            song = self._song(s.song, file, local)
            for window in s.windows:
                self._slice(song, window.slice, file, local)
                self._walk(file, window.body.statements, dict(local))
        elif isinstance(s, n.PlanHeader):
            for option in s.options:
                self._add(option.name.span, None, place="option")
                if isinstance(option.value, n.Name):
                    self._add(option.value.span, None, place="enum")

    def _template(self, file: str, s: n.TemplateDef, local: dict[str, Symbol]) -> None:
        template = self.own[file].get(s.name.ident)
        mine = template if template is not None and template.node is s else None
        self._add(s.name.span, mine, declaration=True)
        inner = dict(local)
        for param in s.params:
            symbol = mine.members.get(param.name.ident) if mine else None
            self._add(param.name.span, symbol, declaration=True)
            self._value(param.default, file, local)
            if symbol is not None:
                inner[param.name.ident] = symbol
        self._walk(file, s.body.statements, inner)

    def _generate(self, file: str, s: n.Generate, local: dict[str, Symbol]) -> None:
        self._value(s.label, file, local)
        self._value(s.duration, file, local)
        for attr in s.attrs:
            if isinstance(attr, (n.Styles, n.Avoid)):
                self._value(attr.items, file, local)
            elif isinstance(attr, (n.Adherence, n.Strength)):
                symbol = self.lookup(file, attr.value.ident, local)
                self._add(attr.value.span, symbol, place="name" if symbol else "enum")
            elif isinstance(attr, n.Like):
                self._slice(self._song(attr.song, file, local), attr.slice, file, local)
            elif isinstance(attr, n.TextAttr):
                self._value(attr.value, file, local)

    def _call(self, file: str, s: n.Call, local: dict[str, Symbol]) -> None:
        template = self._ref(s.name, file, local)
        params = template.members if template is not None and template.kind == "template" \
            else {}
        for arg in s.args:
            if arg.name is not None:
                self._add(arg.name.span, params.get(arg.name.ident))
            self._value(arg.value, file, local)

    # -- queries -----------------------------------------------------------------------
    def at(self, file: str, offset: int) -> Occurrence | None:
        """The occurrence under a cursor (its end counts, so `song|` finds `song`)."""
        found = self.occurrences.get(file, [])
        position = bisect.bisect_right(self._starts.get(file, []), offset) - 1
        for candidate in found[max(0, position - 1):position + 1][::-1]:
            if candidate.span.start <= offset <= candidate.span.end:
                return candidate
        return None

    def references(self, symbol: Symbol) -> list[Occurrence]:
        """Every occurrence of `symbol`, its declaration included, in every file."""
        return [occurrence for found in self.occurrences.values() for occurrence in found
                if occurrence.symbol is symbol]

    def declarations(self, file: str) -> list[Occurrence]:
        return [o for o in self.occurrences.get(file, []) if o.declaration]
