"""Line layout for the printer: a `Doc` is text pieces and marks; lines too wide for
`WIDTH` break after a comma inside brackets, continuing under the first item."""

from __future__ import annotations

from enum import Enum

WIDTH = 100


class Mark(Enum):
    """OPEN after a bracket (continuation column), SOFT a break point, CLOSE its bracket,
    END where measuring stops (an end-of-line comment never causes a break)."""

    OPEN = "open"
    SOFT = "soft"
    CLOSE = "close"
    END = "end"


OPEN, SOFT, CLOSE, END = Mark.OPEN, Mark.SOFT, Mark.CLOSE, Mark.END
Doc = list[str | Mark]
Line = tuple[int, Doc]  # indent, content
BLANK: Line = (0, [])


def _chunk(doc: Doc, start: int) -> str:
    """The text from `start` to the next break point: what must stay on one line."""
    out = []
    for piece in doc[start:]:
        if piece is CLOSE:
            continue
        if isinstance(piece, Mark):
            break
        out.append(piece)
    return "".join(out)


def wrap(indent: int, doc: Doc) -> list[str]:
    """One logical line as physical lines no wider than WIDTH where a break helps."""
    lines: list[str] = []
    current = " " * indent
    columns: list[int] = []
    for index, piece in enumerate(doc):
        if isinstance(piece, str):
            current += piece
        elif piece is OPEN:
            columns.append(len(current))
        elif piece is CLOSE:
            columns.pop()
        elif piece is SOFT:
            following = _chunk(doc, index + 1)
            if columns and len(current) + 1 + len(following) > WIDTH:
                lines.append(current)
                current = " " * columns[-1]
            else:
                current += " "
    lines.append(current)
    return lines


def render_lines(lines: list[Line]) -> str:
    """Lines to text, one newline after each; no trailing spaces."""
    out: list[str] = []
    for indent, doc in lines:
        if not doc:
            out.append("")
            continue
        out.extend(line.rstrip() for line in wrap(indent, doc))
    return "".join(line + "\n" for line in out)
