"""Source positions: every AST node, resolved chunk and diagnostic carries a `Span`."""

from __future__ import annotations

from typing import Any


class Span:
    """A region of one source file; lines and columns are 1-based, `end_col` is exclusive.

    Immutable, compared and hashed by value, as a frozen slotted data class would be, but
    written out: `dataclass` generates its methods with `exec`, a millisecond of every start
    of `mpl` (and a syntax tree holds one span a node)."""

    __slots__ = ("col", "end", "end_col", "end_line", "file", "line", "start")
    __match_args__ = ("file", "line", "col", "end_line", "end_col", "start", "end")

    file: str
    line: int
    col: int
    end_line: int
    end_col: int
    start: int  # character offset of the first character
    end: int  # character offset one past the last character

    def __init__(self, file: str, line: int, col: int, end_line: int, end_col: int,
                 start: int, end: int) -> None:
        _set = object.__setattr__
        _set(self, "file", file)
        _set(self, "line", line)
        _set(self, "col", col)
        _set(self, "end_line", end_line)
        _set(self, "end_col", end_col)
        _set(self, "start", start)
        _set(self, "end", end)

    def _key(self) -> tuple[str, int, int, int, int, int, int]:
        return (self.file, self.line, self.col, self.end_line, self.end_col, self.start,
                self.end)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._key() == other._key()  # type: ignore[attr-defined, no-any-return]

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return (f"Span(file={self.file!r}, line={self.line!r}, col={self.col!r}, "
                f"end_line={self.end_line!r}, end_col={self.end_col!r}, start={self.start!r}, "
                f"end={self.end!r})")

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r}")

    def __reduce__(self) -> tuple[type[Span], tuple[str, int, int, int, int, int, int]]:
        return Span, self._key()  # copies and pickles rebuild it through __init__

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
