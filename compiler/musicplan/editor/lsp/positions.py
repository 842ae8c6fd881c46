"""Compiler spans (1-based, code-point columns) ↔ LSP positions (0-based, in the code units
the client and server agreed on: UTF-16 unless the client offers UTF-8 or UTF-32)."""

from __future__ import annotations

import bisect

from lsprotocol import types

from ...syntax.spans import Span, line_starts


def _units(char: str, encoding: str) -> int:
    if encoding == types.PositionEncodingKind.Utf8:
        return len(char.encode("utf-8"))
    if encoding == types.PositionEncodingKind.Utf32:
        return 1
    return 2 if ord(char) > 0xFFFF else 1


class LineIndex:
    """Offsets and LSP positions of one text."""

    def __init__(self, text: str, encoding: str = types.PositionEncodingKind.Utf16) -> None:
        self.text = text
        self.encoding = encoding
        self.starts = line_starts(text)
        self.ascii = text.isascii()  # then every encoding counts one unit per character

    def line_text(self, line: int) -> str:
        """Line `line` (0-based) without its line break."""
        if not 0 <= line < len(self.starts):
            return ""
        end = self.starts[line + 1] - 1 if line + 1 < len(self.starts) else len(self.text)
        return self.text[self.starts[line]:end].rstrip("\r")

    def position(self, offset: int) -> types.Position:
        """The LSP position of a character offset."""
        offset = max(0, min(offset, len(self.text)))
        line = bisect.bisect_right(self.starts, offset) - 1
        start = self.starts[line]
        if self.ascii:
            return types.Position(line=line, character=offset - start)
        units = sum(_units(char, self.encoding) for char in self.text[start:offset])
        return types.Position(line=line, character=units)

    def offset(self, position: types.Position) -> int:
        """The character offset of an LSP position (clamped to its line)."""
        if position.line >= len(self.starts):
            return len(self.text)
        start = self.starts[position.line]
        line = self.line_text(position.line)
        if self.ascii:
            return start + min(position.character, len(line))
        units = 0
        for index, char in enumerate(line):
            if units >= position.character:
                return start + index
            units += _units(char, self.encoding)
        return start + len(line)

    def range(self, span: Span) -> types.Range:
        """The LSP range of a span of this text."""
        return types.Range(start=self.position(span.start), end=self.position(span.end))

    def range_of(self, start: int, end: int) -> types.Range:
        return types.Range(start=self.position(start), end=self.position(end))
