"""Comments back in their places, and blank-line groups kept, as the printer lays out a
sequence of statements (a file, a block, a chunk's lyric lines).

Placement (LibCST's rule): an own-line comment stays above the next item, an end-of-line
comment on its item's line, a comment inside brackets (which has no place on a one-line
statement) moves above its statement, and comments left at the end go to the end of the
block or file. Comments are matched by position, never by equality: two comments with the
same text compare equal.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from ..syntax import nodes as n
from ..syntax.spans import NO_SPAN
from .layout import BLANK, END, Line

_DECLARATIONS = (n.PlanHeader, n.SongDecl, n.Let, n.Import, n.TemplateDef, n.Tempo)


def has_span(node: n.Node) -> bool:
    """Whether the node was parsed (built nodes, as the decompiler's, have none)."""
    return node.span != NO_SPAN


class CommentWeaver:
    """The comment bookkeeping of the printer; `lines` prints one item."""

    def __init__(self, comments: Sequence[n.Comment] = ()) -> None:
        self.comments = sorted(comments, key=lambda comment: comment.span.start)
        self.hoisted: list[n.Comment] = []  # comments a statement could not keep in place

    def lines(self, node: n.Node, indent: int) -> list[Line]:
        raise NotImplementedError

    # `comments` stays sorted by position, so each lookup below is a slice found with
    # bisect: formatting stays linear in the number of comments.
    def _index(self, offset: int) -> int:
        """The index of the first comment starting at or after `offset`."""
        return bisect.bisect_left(self.comments, offset, key=lambda c: c.span.start)

    def take_before(self, offset: int) -> list[n.Comment]:
        """Comments starting before `offset` (not yet placed)."""
        cut = self._index(offset)
        taken = self.comments[:cut]
        del self.comments[:cut]
        return taken

    def hoist(self, start: int, end: int) -> None:
        """Move the comments in [start, end) above the statement being printed."""
        # by position, never by equality: two comments with the same text compare equal
        low, high = self._index(start), self._index(end)
        self.hoisted += self.comments[low:high]
        del self.comments[low:high]

    def take_eol(self, line: int, low: int, high: int | None = None) -> n.Comment | None:
        """The comment on source `line` starting in [low, high), if any."""
        index = self._index(low)
        if index < len(self.comments):
            comment = self.comments[index]
            if comment.span.line == line and (high is None or comment.span.start < high):
                return self.comments.pop(index)
        return None

    def _eol(self, lines: list[Line], comment: n.Comment | None) -> None:
        if comment is not None:
            indent, doc = lines[-1]
            lines[-1] = (indent, [*doc, END, "  ", comment.text])

    def sequence(self, items: Sequence[n.Node], indent: int, end: int | None,
                 groups: bool = True) -> list[Line]:
        """Items one a line (`;` groups kept if `groups`), comments and single blank lines
        woven in. `end` bounds the comments that belong here (a block's `}`); None takes all."""
        out: list[Line] = []
        prev_line: int | None = None  # source line of the last thing emitted
        for index, item in enumerate(items):
            sourced = has_span(item)
            if sourced:
                for comment in self.take_before(item.span.start):
                    if prev_line is not None and comment.span.line > prev_line + 1:
                        out.append(BLANK)
                    out.append((indent, [comment.text]))
                    prev_line = comment.span.end_line
            elif index and isinstance(items[index - 1], _DECLARATIONS) \
                    and not isinstance(item, _DECLARATIONS) and not isinstance(item, n.Lyric):
                out.append(BLANK)  # a synthesised program: declarations, then chunks
            outer, self.hoisted = self.hoisted, []
            printed = self.lines(item, indent)
            # comments inside brackets have no place on the line: they go above it
            hoisted = self.hoisted + (self.take_before(item.span.end) if sourced else [])
            self.hoisted = outer
            joined = groups and sourced and not hoisted and bool(out) and index > 0 and \
                prev_line == item.span.line == items[index - 1].span.end_line
            if joined:
                last_indent, last_doc = out[-1]
                out[-1] = (last_indent, [*last_doc, "; ", *printed[0][1]])
                out.extend(printed[1:])
            else:
                if sourced and prev_line is not None and item.span.line > prev_line + 1:
                    out.append(BLANK)
                out.extend((indent, [c.text]) for c in hoisted)
                out.extend(printed)
            if sourced:
                prev_line = item.span.end_line
                following = items[index + 1] if index + 1 < len(items) else None
                if following is None or following.span.line != item.span.end_line:
                    self._eol(out, self.take_eol(item.span.end_line, item.span.end))
        for comment in self.take_before(end if end is not None else 1 << 62):
            if prev_line is not None and comment.span.line > prev_line + 1:
                out.append(BLANK)
            out.append((indent, [comment.text]))
            prev_line = comment.span.end_line
        return out
