"""The one printer: syntax tree → canonical MPL text (`fmt = print ∘ parse`,
`decompile = print ∘ lift`; nothing else writes MPL).

One `print_<node>` method per node class, found by name. Inline nodes print to a `Doc`
(text pieces plus soft-break marks inside brackets); statements print to lines. Comments are
woven back in by position (see `comments.py`): an own-line comment stays above the next
statement, an end-of-line comment on its line, trailing ones at the end of their block or
file. Layout rules are documented in docs/roundtrip.md.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import Any

from ..diagnostics import Diagnostic, has_errors
from ..syntax import nodes as n
from ..syntax.spans import Span
from .comments import CommentWeaver, has_span
from .layout import CLOSE, OPEN, SOFT, Doc, Line, render_lines

_ESCAPE_TOO = {"\u2028", "\u2029", "\x85", "\x7f"}


def quote(value: str) -> str:
    """A string literal for `value`: JSON escapes, plus escapes for characters an editor
    or a file read might take for a line break or drop (line separators, lone surrogates)."""
    text = json.dumps(value, ensure_ascii=False)
    if not any(ch in _ESCAPE_TOO or "\ud800" <= ch <= "\udfff" for ch in text):
        return text
    return "".join(f"\\u{ord(ch):04x}" if ch in _ESCAPE_TOO or "\ud800" <= ch <= "\udfff"
                   else ch for ch in text)


def _decimal(text: str) -> str:
    """`030.50` → `30.5`: the same number, canonically spelled."""
    whole, _, frac = text.partition(".")
    whole = whole.lstrip("0") or "0"
    frac = frac.rstrip("0")
    return f"{whole}.{frac}" if frac else whole


def _clock(text: str) -> str:
    """`01:30.500` → `1:30.5`; the later fields keep their two digits."""
    head, *rest = text.split(":")
    last = rest[-1]
    whole, _, frac = last.partition(".")
    frac = frac.rstrip("0")
    rest[-1] = f"{whole}.{frac}" if frac else whole
    return ":".join([head.lstrip("0") or "0", *rest])


class Printer(CommentWeaver):
    """Prints nodes; holds the comments still to be placed (consumed as they are printed)."""

    def __init__(self, comments: Sequence[n.Comment] = ()) -> None:
        super().__init__(comments)
        self._section_width = 0

    # ---- dispatch --------------------------------------------------------------------
    def doc(self, node: n.Node) -> Doc:
        """An inline node as a Doc."""
        result: Doc = self._handler(node)(node)
        return result

    def lines(self, node: n.Node, indent: int) -> list[Line]:
        """A statement (or lyric, section) as lines at `indent`."""
        result: list[Line] = self._handler(node)(node, indent)
        return result

    def _handler(self, node: n.Node) -> Callable[..., Any]:
        name = "".join(f"_{c.lower()}" if c.isupper() else c for c in type(node).__name__)
        return getattr(self, f"print{name}")  # type: ignore[no-any-return]

    # ---- leaves ------------------------------------------------------------------------
    def print_name(self, node: n.Name) -> Doc:
        return [node.ident]

    def print_str(self, node: n.Str) -> Doc:
        return [node.raw or quote(node.value)]

    def print_number(self, node: n.Number) -> Doc:
        return [node.text]

    def print_time(self, node: n.Time) -> Doc:
        amount = node.amount
        if node.unit in ("ms", "s"):
            return [f"{_decimal(amount)}{node.unit}"]
        if node.unit == "clock":
            return [_clock(amount)]
        if node.unit == "bar":
            return [f"bar {_decimal(amount)}"]
        if node.unit in ("bars", "beats"):
            unit = node.unit[:-1] if Fraction(amount) == 1 else node.unit  # `1 bar`, `2 bars`
            return [f"{_decimal(amount)} {unit}"]
        return [amount]  # bare: `1.10` is bar 1 beat 10, so never respelled; sung: as written

    def print_range(self, node: n.Range) -> Doc:
        return [*self.doc(node.start), "-", *self.doc(node.end)]

    def print_list_expr(self, node: n.ListExpr) -> Doc:
        out: Doc = ["[", OPEN]
        for index, item in enumerate(node.items):
            if index:
                out += [",", SOFT]
            out += self.doc(item)
        return [*out, CLOSE, "]"]

    def print_comment(self, node: n.Comment, indent: int = 0) -> list[Line]:
        return [(indent, [node.text])]

    def print_lyric(self, node: n.Lyric, indent: int = 0) -> list[Line]:
        return [(indent, [f"| {node.text}" if node.text else "|"])]

    # ---- plan header, songs ------------------------------------------------------------
    def print_plan_option(self, node: n.PlanOption) -> Doc:
        if node.value is None:
            return self.doc(node.name)
        return [*self.doc(node.name), "=", *self.doc(node.value)]

    def print_plan_header(self, node: n.PlanHeader, indent: int = 0) -> list[Line]:
        return [(indent, _spaced(["plan"], *(self.doc(o) for o in node.options)))]

    def print_tempo(self, node: n.Tempo, indent: int = 0) -> list[Line]:
        doc: Doc = ["tempo ", node.bpm.text, *([" ", node.signature] if node.signature else [])]
        return [(indent, doc)]

    def print_section(self, node: n.Section, indent: int = 0) -> list[Line]:
        name = node.name.ident.ljust(self._section_width)
        return [(indent, [name, " ", *self.doc(node.range)])]

    def print_song_decl(self, node: n.SongDecl, indent: int = 0) -> list[Line]:
        header: Doc = ["song ", *self.doc(node.name), " = ", *self.doc(node.song_id)]
        header_end = node.song_id.span
        if node.length is not None:
            header += [" length=", *self.doc(node.length)]
            header_end = node.length.span
        if not node.block:
            return [(indent, header)]
        items: list[n.Node] = [*([node.tempo] if node.tempo else []), *node.sections]
        items.sort(key=lambda item: item.span.start)
        lines: list[Line] = [(indent, [*header, " {"])]
        if has_span(node):
            self._eol(lines, self.take_eol(header_end.end_line, header_end.end, node.span.end))
        saved, self._section_width = self._section_width, max(
            (len(s.name.ident) for s in node.sections), default=0)
        body = self.sequence(items, indent + 2, node.span.end if has_span(node) else None,
                             groups=False)
        self._section_width = saved
        if not body and len(lines[0][1]) == len(header) + 1:
            return [(indent, [*header, " {}"])]
        return [*lines, *body, (indent, ["}"])]

    # ---- chunks ------------------------------------------------------------------------
    def print_keep(self, node: n.Keep, indent: int = 0) -> list[Line]:
        song = [*self.doc(node.song), " "] if node.song else []
        return [(indent, ["keep ", *song, *self.doc(node.slice)])]

    def print_styles(self, node: n.Styles) -> Doc:
        return ["styles", *self.doc(node.items)]

    def print_avoid(self, node: n.Avoid) -> Doc:
        return ["avoid", *self.doc(node.items)]

    def print_adherence(self, node: n.Adherence) -> Doc:
        return ["adherence=", *self.doc(node.value)]

    def print_strength(self, node: n.Strength) -> Doc:
        return ["strength=", *self.doc(node.value)]

    def print_like(self, node: n.Like) -> Doc:
        song = [*self.doc(node.song), " "] if node.song else []
        return ["like ", *song, *self.doc(node.slice)]

    def print_text_attr(self, node: n.TextAttr) -> Doc:
        return ["text ", *self.doc(node.value)]

    def print_sung(self, node: n.Sung) -> Doc:
        return ["lyrics"]

    def print_generate(self, node: n.Generate, indent: int = 0) -> list[Line]:
        head = [node.label, *([node.duration] if node.duration else []), *node.attrs]
        doc = _spaced(["regen" if node.regen else "gen"], *(self.doc(part) for part in head))
        last = max(head, key=lambda part: part.span.end).span
        return self._with_lyrics(node, [(indent, doc)], last, node.lyrics, indent)

    def _with_lyrics(self, node: n.Node, lines: list[Line], last: Span,
                     lyrics: tuple[n.Lyric, ...], indent: int) -> list[Line]:
        """A statement's lines followed by its lyric lines, comments kept between them;
        `last` is the span of the statement's last part before its lyrics."""
        if not lyrics:
            return lines
        if not has_span(node):
            return lines + self.sequence(lyrics, indent + 2, None)
        self.hoist(node.span.start, last.end)
        self._eol(lines, self.take_eol(last.end_line, last.end, lyrics[0].span.start))
        return lines + self.sequence(lyrics, indent + 2, node.span.end)

    # ---- reuse -------------------------------------------------------------------------
    def print_let(self, node: n.Let, indent: int = 0) -> list[Line]:
        return [(indent, ["let ", *self.doc(node.name), " = ", *self.doc(node.value)])]

    def print_import(self, node: n.Import, indent: int = 0) -> list[Line]:
        alias = [" as ", *self.doc(node.alias)] if node.alias else []
        return [(indent, ["import ", *self.doc(node.path), *alias])]

    def print_param(self, node: n.Param) -> Doc:
        default = ["=", *self.doc(node.default)] if node.default is not None else []
        return [*self.doc(node.name), *default]

    def print_arg(self, node: n.Arg) -> Doc:
        name = [*self.doc(node.name), "="] if node.name else []
        return [*name, *self.doc(node.value)]

    def _parenthesised(self, items: Sequence[n.Node]) -> Doc:
        out: Doc = ["(", OPEN]
        for index, item in enumerate(items):
            out += [",", SOFT] if index else []
            out += self.doc(item)
        return [*out, CLOSE, ")"]

    def print_block(self, node: n.Block, indent: int = 0) -> list[Line]:
        """`{` (to go on its owner's line), the statements indented, `}`."""
        first: list[Line] = [(indent, ["{"])]
        sourced = has_span(node)
        if sourced:
            self._eol(first, self.take_eol(node.span.line, node.span.start + 1, node.span.end))
        body = self.sequence(node.statements, indent + 2, node.span.end - 1 if sourced else None)
        if not body and first[0][1] == ["{"]:
            return [(indent, ["{}"])]
        return [*first, *body, (indent, ["}"])]

    def _with_block(self, head: Doc, block: n.Block, indent: int) -> list[Line]:
        """`head {` … `}`."""
        block_lines = self.print_block(block, indent)
        return [(indent, [*head, " ", *block_lines[0][1]]), *block_lines[1:]]

    def print_template_def(self, node: n.TemplateDef, indent: int = 0) -> list[Line]:
        head: Doc = ["template ", *self.doc(node.name), *self._parenthesised(node.params)]
        if has_span(node):
            self.hoist(node.span.start, node.body.span.start)
        return self._with_block(head, node.body, indent)

    def print_call(self, node: n.Call, indent: int = 0) -> list[Line]:
        doc: Doc = [*self.doc(node.name), *self._parenthesised(node.args),
                    *([" lyrics"] if node.passes_lyrics else [])]
        # comments after the last argument, up to the first lyric line, go with the head
        head = node.args[-1].span if node.args else node.name.span
        return self._with_lyrics(node, [(indent, doc)], head, node.lyrics, indent)

    def print_window(self, node: n.Window, indent: int = 0) -> list[Line]:
        head: Doc = [*self.doc(node.slice), *([" stretch"] if node.stretch else [])]
        return self._with_block(head, node.body, indent)

    def print_replace(self, node: n.Replace, indent: int = 0) -> list[Line]:
        lines: list[Line] = [(indent, ["replace", *([" ", *self.doc(node.song)] if node.song
                                                     else [])])]
        for window in node.windows:
            window_lines = self.print_window(window, indent)
            last_indent, last_doc = lines.pop()
            lines.append((last_indent, [*last_doc, " ", *window_lines[0][1]]))
            lines.extend(window_lines[1:])
        return lines

    def print_program(self, node: n.Program, indent: int = 0) -> list[Line]:
        return self.sequence(node.statements, indent, None)


def _spaced(first: Doc, *docs: Doc) -> Doc:
    out = list(first)
    for doc in docs:
        out += [" ", *doc]
    return out


def format_program(program: n.Program) -> str:
    """Canonical MPL text for a whole program, comments kept; empty for an empty program."""
    printer = Printer(program.comments)
    return render_lines(printer.print_program(program))


def print_statement(statement: n.Statement) -> str:
    """One statement as canonical text (no comments), without a trailing newline."""
    return render_lines(Printer().lines(statement, 0)).rstrip("\n")


def format_source(text: str, file: str) -> tuple[str | None, list[Diagnostic]]:
    """`mpl fmt` on text: the canonical text, or None and the syntax diagnostics."""
    from ..syntax.parse import parse

    result = parse(text, file)  # a byte order mark is dropped, so the output has none
    diagnostics = list(result.diagnostics)
    if has_errors(diagnostics):
        return None, diagnostics
    return format_program(result.program), diagnostics
