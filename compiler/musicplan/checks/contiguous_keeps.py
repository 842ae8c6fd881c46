"""Two kept slices in a row that continue each other in one song could be one chunk: the
plan is shorter and the join is the song's own (music-v2.md, audio-reference chunk)."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic, Label
from ..resolve.ir import KeepChunk, ResolvedPlan
from ..units import clock
from ._util import Code, attach

W0202 = Code(code="W0202", severity="warning", title="contiguous kept slices",
             doc="Adjacent kept slices that are contiguous in one song: they could be one "
                 "chunk.",
             fix="Merge the ranges.")
CODES = (W0202,)
LOCAL = False
LINT = True


def check(plan: ResolvedPlan) -> Iterator[Diagnostic]:
    for before, after in zip(plan.chunks, plan.chunks[1:], strict=False):
        if not (isinstance(before, KeepChunk) and isinstance(after, KeepChunk)):
            continue
        first, second = before.slice, after.slice
        if first.song.song_id != second.song.song_id or first.end_ms != second.start_ms:
            continue
        whole = f"{clock(first.start_ms)}-{clock(second.end_ms)}"
        yield attach(W0202(
            f"this kept slice continues the one before it in `{second.song.name}`; "
            "the two could be one chunk", after.span,
            secondary=[Label(span=before.span, message=f"ends at {clock(first.end_ms)}")],
            hint=f"keep {second.song.name} {whole} says the same in one chunk"), after)
