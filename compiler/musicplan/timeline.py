"""The finished song's timeline: where each chunk lands, what it is and where it came from.

`mpl explain` prints it; the language server uses it for hovers and inlay hints.
"""

from __future__ import annotations

from typing import Literal

from .diagnostics import Label
from .resolve import ir
from .syntax.records import record
from .syntax.spans import Span

Kind = Literal["kept", "new", "conditioned"]


@record
class TimelineEntry:
    """One chunk in the finished song. `song`/`source_*` name the kept slice, or the
    conditioning slice of a conditioned chunk; both are None for plain new material."""

    index: int  # the chunk's index in the plan (0-based, as the API's error paths count)
    start_ms: int
    end_ms: int
    kind: Kind
    chunk: ir.Chunk
    label: str
    song: str | None = None
    source_start_ms: int | None = None
    source_end_ms: int | None = None
    span: Span
    context: tuple[Label, ...] = ()  # template call sites, innermost first

    @property
    def duration_ms(self) -> int:
        return self.end_ms - self.start_ms


def _section_label(slice_: ir.Slice) -> str:
    """The section the user named for a kept slice; else the song's section the slice is
    exactly, or the run of sections it is exactly (`intro–build`); otherwise nothing. Of
    sections sharing a range, the one declared first is shown."""
    if slice_.section is not None:
        return slice_.section
    order = {name: index for index, name in enumerate(slice_.song.sections)}
    inside = sorted((start, end, order[name], name)
                    for name, (start, end) in slice_.song.sections.items()
                    if start >= slice_.start_ms and end <= slice_.end_ms)
    if not inside or inside[0][0] != slice_.start_ms or \
            max(end for _, end, _, _ in inside) != slice_.end_ms:
        return ""
    first = inside[0][3]
    last = max(inside, key=lambda item: (item[1], -item[2]))[3]
    return first if first == last else f"{first}–{last}"


def timeline(plan: ir.ResolvedPlan) -> list[TimelineEntry]:
    """Every chunk of `plan` placed in the finished song."""
    out: list[TimelineEntry] = []
    at = 0
    for index, chunk in enumerate(plan.chunks):
        kind: Kind = "new"
        source: ir.Slice | None = None
        if isinstance(chunk, ir.KeepChunk):
            kind, source, label = "kept", chunk.slice, _section_label(chunk.slice)
        else:
            label = chunk.label
            if chunk.conditioning is not None:
                kind, source = "conditioned", chunk.conditioning
        end = at + chunk.duration_ms
        out.append(TimelineEntry(
            index=index, start_ms=at, end_ms=end, kind=kind, chunk=chunk, label=label,
            song=source.song.name if source else None,
            source_start_ms=source.start_ms if source else None,
            source_end_ms=source.end_ms if source else None,
            span=chunk.span, context=chunk.context))
        at = end
    return out


def total_ms(entries: list[TimelineEntry]) -> int:
    """The finished song's length."""
    return entries[-1].end_ms if entries else 0


def entry_at(entries: list[TimelineEntry], ms: int) -> TimelineEntry | None:
    """The chunk playing at `ms` in the finished song."""
    for entry in entries:
        if entry.start_ms <= ms < entry.end_ms:
            return entry
    return None
