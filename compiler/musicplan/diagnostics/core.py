"""Diagnostics are data: a code, a severity, a message and the spans involved.

Rendering is separate: `render_short` (one machine-parsable line), `render` (the line, the
source with a caret, notes and a hint; `render_all` for many, indexing each file's lines
once) and `to_json` (for tools). The language server maps the same objects to LSP
diagnostics.

A diagnostic may have no place in any source (a refused key, a dropped connection, a file
that cannot be written): made without a span, its span is `NO_SPAN` and `located` is False.
The same renderers print it, only without the place: `error[E0703]: …`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Literal

from ..syntax.records import field, record, replace
from ..syntax.spans import NO_SPAN, Span, span_at
from .codes import CODES

Severity = Literal["error", "warning"]


@record
class Label:
    """A span with a short message saying what it has to do with the diagnostic."""

    span: Span
    message: str = ""


@record
class Fix:
    """A replacement that resolves the diagnostic (offered as a code action)."""

    title: str
    span: Span
    text: str


@record
class Diagnostic:
    """One problem in the user's source, or in the run (then it has no place: `located`)."""

    code: str
    message: str
    primary: Label
    severity: Severity = "error"
    secondary: tuple[Label, ...] = ()
    hint: str | None = None
    fix: Fix | None = None
    notes: tuple[str, ...] = field(default=())

    @property
    def span(self) -> Span:
        return self.primary.span

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    @property
    def located(self) -> bool:
        """Whether the diagnostic points at a place in a source."""
        return self.primary.span != NO_SPAN


def error(code: str, message: str, span: Span | None = None, *, hint: str | None = None,
          secondary: Iterable[Label] = (), fix: Fix | None = None) -> Diagnostic:
    """An error diagnostic with `code` (registered in `codes.CODES`); without `span`, one
    with no place."""
    assert code in CODES, code
    return Diagnostic(code=code, message=message, primary=Label(span=span or NO_SPAN),
                      hint=hint, secondary=tuple(secondary), fix=fix)


def warning(code: str, message: str, span: Span | None = None, *, hint: str | None = None,
            secondary: Iterable[Label] = (), fix: Fix | None = None) -> Diagnostic:
    """A warning diagnostic with `code`; without `span`, one with no place."""
    assert code in CODES, code
    return Diagnostic(code=code, message=message, primary=Label(span=span or NO_SPAN),
                      severity="warning", hint=hint, secondary=tuple(secondary), fix=fix)


def with_context(diagnostic: Diagnostic, labels: Iterable[Label]) -> Diagnostic:
    """The diagnostic with extra secondary labels (template call sites, import sites)."""
    return replace(diagnostic, secondary=diagnostic.secondary + tuple(labels))


def promote_warnings(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """`--strict`: every warning becomes an error."""
    return [replace(d, severity="error") for d in diagnostics]


def sort_key(diagnostic: Diagnostic) -> tuple[bool, str, int, int, str]:
    """By place (file, line, column), then code; those with no place last."""
    span = diagnostic.span
    return (not diagnostic.located, span.file, span.line, span.col, diagnostic.code)


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.is_error for d in diagnostics)


# ---- rendering ----------------------------------------------------------------------


def render_short(diagnostic: Diagnostic) -> str:
    """`file:line:col: severity[CODE]: message` (without the place when it has none)."""
    where = f"{diagnostic.span}: " if diagnostic.located else ""
    return f"{where}{diagnostic.severity}[{diagnostic.code}]: {_shown_text(diagnostic.message)}"


def _shown_text(text: str) -> str:
    """A message as the terminal shows it: names and phrases copied from the source keep no
    control character or line separator that could colour or break the output (escaped as
    `\x1b`, `\u2028`); line breaks the message itself makes stay."""
    if text.isprintable():
        return text
    from .terminal_text import escaped  # only for the rare message that needs it

    return "\n".join(escaped(line) for line in text.split("\n"))


MAX_FRAME = 100


def _shown(char: str) -> tuple[str, int]:
    """How a source character is printed in a frame, and how many terminal cells it takes:
    a control character as its Control Pictures sign, a wide (East Asian) one as two cells,
    a combining mark as none."""
    from .terminal_text import char_cells  # only when a diagnostic is printed

    if char == "\t":
        return " ", 1
    if char < " " or char == "\x7f":
        return chr(0x2400 + ord(char)) if char < " " else "\u2421", 1
    return char, char_cells(char)


class SourceLines:
    """The lines of each source, split once, when a frame first needs them: rendering many
    diagnostics of one file stays linear in its size."""

    def __init__(self, sources: Mapping[str, str]) -> None:
        self.sources = sources
        self._lines: dict[str, list[str]] = {}

    def line(self, file: str, number: int) -> str | None:
        """Line `number` (1-based) of `file`, without its line ending; None if there is none."""
        lines = self._lines.get(file)
        if lines is None:
            text = self.sources.get(file)
            if text is None:
                return None
            lines = self._lines[file] = text.split("\n")
        return lines[number - 1].rstrip("\r") if 1 <= number <= len(lines) else None


def _frame(span: Span, sources: SourceLines, marker: str = "^") -> list[str]:
    source_line = sources.line(span.file, span.line)
    if source_line is None:
        return []
    col = span.col
    width = (span.end_col - span.col) if span.end_line == span.line else len(source_line) - col + 1
    width = max(1, width)
    left_mark = right_mark = ""
    if len(source_line) > MAX_FRAME:  # show a window around the span of a very long line
        left = max(0, col - 1 - 20)
        right = min(len(source_line), left + MAX_FRAME)
        width = min(width, right - (col - 1))
        left_mark, right_mark = ("…" if left else ""), ("…" if right < len(source_line) else "")
        source_line = source_line[left:right]
        col = col - left
    if source_line.isascii() and source_line.isprintable():  # one cell a character
        before = len(left_mark) + len(source_line[:col - 1])
        under = max(1, len(source_line[col - 1:col - 1 + width]))
        printed = left_mark + source_line + right_mark
    else:
        shown = [_shown(char) for char in source_line]
        before = len(left_mark) + sum(cells for _, cells in shown[:col - 1])
        under = max(1, sum(cells for _, cells in shown[col - 1:col - 1 + width]))
        printed = left_mark + "".join(text for text, _ in shown) + right_mark
    gutter = str(span.line)
    pad = " " * len(gutter)
    return [f"  {gutter} | {printed}", f"  {pad} | {' ' * before}{marker * under}"]


def render(diagnostic: Diagnostic, sources: Mapping[str, str] | SourceLines) -> str:
    """The full form: short line, code frame with carets, related places, notes, hint.
    For many diagnostics, use `render_all` (or pass one `SourceLines`)."""
    if not isinstance(sources, SourceLines):
        sources = SourceLines(sources)
    out = [render_short(diagnostic)]
    if diagnostic.located:
        out += _frame(diagnostic.span, sources)
    for label in diagnostic.secondary:
        out.append(f"  --> {label.span}: {_shown_text(label.message)}".rstrip(": "))
        out.extend(_frame(label.span, sources, "-"))
    out.extend(f"  = note: {_shown_text(note)}" for note in diagnostic.notes)
    if diagnostic.hint:
        out.append(f"  = hint: {_shown_text(diagnostic.hint)}")
    return "\n".join(out)


def render_all(diagnostics: Iterable[Diagnostic], sources: Mapping[str, str]) -> Iterator[str]:
    """`render` for each diagnostic, splitting each source into lines once."""
    lines = SourceLines(sources)
    return (render(diagnostic, lines) for diagnostic in diagnostics)


def _span_json(span: Span) -> dict[str, object]:
    return {"file": span.file, "line": span.line, "col": span.col,
            "end_line": span.end_line, "end_col": span.end_col}


def to_json(diagnostic: Diagnostic) -> dict[str, object]:
    """A JSON-ready dict for `--format json` (`file`, `line`, … only when it has a place)."""
    data: dict[str, object] = {"code": diagnostic.code, "severity": diagnostic.severity,
                               "message": diagnostic.message}
    if diagnostic.located:
        data.update(_span_json(diagnostic.span))
    if diagnostic.hint:
        data["hint"] = diagnostic.hint
    if diagnostic.notes:
        data["notes"] = list(diagnostic.notes)
    if diagnostic.secondary:
        data["related"] = [{**_span_json(label.span), "message": label.message}
                           for label in diagnostic.secondary]
    if diagnostic.fix:
        data["fix"] = {"title": diagnostic.fix.title, "text": diagnostic.fix.text,
                       **_span_json(diagnostic.fix.span)}
    return data


def not_utf8(display: str, data: bytes, exc: UnicodeDecodeError) -> tuple[Diagnostic, str]:
    """E0106 at the first byte of `data` that is not UTF-8, and the text to show it in."""
    bom = 3 if data.startswith(b"\xef\xbb\xbf") else 0  # utf-8-sig counts after the mark
    body = data[bom:]
    shown = body.decode("utf-8", errors="replace")
    at = len(body[:exc.start].decode("utf-8", errors="replace"))
    return error("E0106", f"not UTF-8 text: {exc.reason} (byte {bom + exc.start})",
                 span_at(display, shown, at, at + 1), hint="save the file as UTF-8"), shown
