"""Two kept slices in a row that continue each other in one song could be one chunk: the
plan is shorter and the join is the song's own (music-v2.md, audio-reference chunk)."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic, Label, warning
from ..resolve.ir import KeepChunk, ResolvedPlan
from ..timeline import format_clock
from ._util import attach


def check(plan: ResolvedPlan) -> Iterator[Diagnostic]:
    for before, after in zip(plan.chunks, plan.chunks[1:], strict=False):
        if not (isinstance(before, KeepChunk) and isinstance(after, KeepChunk)):
            continue
        first, second = before.slice, after.slice
        if first.song.song_id != second.song.song_id or first.end_ms != second.start_ms:
            continue
        whole = f"{format_clock(first.start_ms)}-{format_clock(second.end_ms)}"
        yield attach(warning(
            "W0202", f"this kept slice continues the one before it in `{second.song.name}`; "
            "the two could be one chunk", after.span,
            secondary=[Label(span=before.span, message=f"ends at {format_clock(first.end_ms)}")],
            hint=f"keep {second.song.name} {whole} says the same in one chunk"), after)
