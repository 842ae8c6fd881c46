"""Where each statement of the document lands in the finished song, from the compiler's
timeline: the statement a chunk came from is its outermost template call site, else the
chunk's own statement (a `replace` window's kept parts stand at the window's range)."""

from __future__ import annotations

from collections.abc import Iterator

from ...syntax import nodes as n
from ...syntax.spans import Span
from ...timeline import TimelineEntry
from ...units import clock, seconds
from .document import Analysis


def anchor(entry: TimelineEntry) -> Span:
    """The span in the root file that stands for this chunk."""
    return entry.context[-1].span if entry.context else entry.span


def by_statement(analysis: Analysis) -> dict[Span, list[TimelineEntry]]:
    """Timeline entries grouped by the document statement (or range) they came from."""
    groups: dict[Span, list[TimelineEntry]] = {}
    for entry in analysis.timeline:
        span = anchor(entry)
        if span.file == analysis.file:
            groups.setdefault(span, []).append(entry)
    return groups


def clock_range(entries: list[TimelineEntry]) -> str:
    """`0:30 – 1:00`; pieces that do not follow each other are listed apart."""
    pieces: list[list[int]] = []
    for entry in entries:
        if pieces and pieces[-1][1] == entry.start_ms:
            pieces[-1][1] = entry.end_ms
        else:
            pieces.append([entry.start_ms, entry.end_ms])
    return ", ".join(f"{clock(a)} – {clock(b)}" for a, b in pieces)


def describe(entry: TimelineEntry) -> str:
    """One line about a chunk: place, kind, duration, label and source slice."""
    line = f"{clock(entry.start_ms)} – {clock(entry.end_ms)} · {entry.kind} · " \
        f"{seconds(entry.duration_ms)}"
    if entry.label:
        line += f" · “{entry.label}”"
    if entry.song is not None and entry.source_start_ms is not None \
            and entry.source_end_ms is not None:
        verb = "from" if entry.kind == "kept" else "like"
        line += f" · {verb} `{entry.song}` {clock(entry.source_start_ms)} – " \
            f"{clock(entry.source_end_ms)}"
    return line


def statements(program: n.Program) -> Iterator[n.Node]:
    """The document's chunk statements and `replace` window ranges, outermost first."""
    for statement in program.statements:
        yield statement
        if isinstance(statement, n.Replace):
            for window in statement.windows:
                yield window.slice
                yield from window.body.statements


def header_end(node: n.Node) -> int:
    """Where a statement ends before its lyric lines (the offset of its last header char)."""
    if isinstance(node, n.Generate):
        parts: list[n.Node] = [node.label, *node.attrs]
        if node.duration is not None:
            parts.append(node.duration)
        return max(part.span.end for part in parts)
    if isinstance(node, n.Replace):
        return node.windows[0].span.start if node.windows else node.span.end
    return node.span.end
