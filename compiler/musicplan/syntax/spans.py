"""Source positions: every AST node, resolved chunk and diagnostic carries a `Span`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Span:
    """A region of one source file; lines and columns are 1-based, `end_col` is exclusive."""

    file: str
    line: int
    col: int
    end_line: int
    end_col: int
    start: int  # character offset of the first character
    end: int  # character offset one past the last character

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"

    def cover(self, other: Span) -> Span:
        """The smallest span holding both (same file)."""
        first, last = (self, other) if self.start <= other.start else (other, self)
        end = last if last.end >= first.end else first
        return Span(self.file, first.line, first.col, end.end_line, end.end_col,
                    first.start, end.end)

    def contains(self, line: int, col: int) -> bool:
        """Whether the 1-based position lies inside this span (end inclusive, for cursors)."""
        if (line, col) < (self.line, self.col):
            return False
        return (line, col) <= (self.end_line, self.end_col)


NO_SPAN = Span("<none>", 1, 1, 1, 1, 0, 0)


def line_starts(text: str) -> list[int]:
    """Offsets at which each line of `text` starts."""
    starts = [0]
    find = text.find  # scans in C: a character-by-character loop took seconds on 16 MB
    at = find("\n")
    while at >= 0:
        starts.append(at + 1)
        at = find("\n", at + 1)
    return starts


def span_at(file: str, text: str, start: int, end: int, starts: list[int] | None = None) -> Span:
    """The span of `text[start:end]`, computing line and column from offsets."""
    import bisect

    starts = starts if starts is not None else line_starts(text)
    line = bisect.bisect_right(starts, start)
    end_line = bisect.bisect_right(starts, max(start, end))
    return Span(file, line, start - starts[line - 1] + 1, end_line,
                end - starts[end_line - 1] + 1, start, end)
