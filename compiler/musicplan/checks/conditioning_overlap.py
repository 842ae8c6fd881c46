"""A conditioning slice that is also kept in the same plan steers a new chunk towards audio
the song already contains (music-v2.md, generation chunk: `conditioning_ref`)."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic, Label
from ..resolve.ir import GenerateChunk, KeepChunk, ResolvedPlan
from ..units import clock
from ._util import Code, attach

W0204 = Code(code="W0204", severity="warning", title="conditioning slice overlaps a kept slice",
             doc="A conditioning slice that overlaps a kept slice of the same song in the "
                 "same plan.",
             fix="Condition on other material.")
CODES = (W0204,)
LOCAL = False
LINT = True


def check(plan: ResolvedPlan) -> Iterator[Diagnostic]:
    kept = [chunk for chunk in plan.chunks if isinstance(chunk, KeepChunk)]
    for chunk in plan.chunks:
        if not isinstance(chunk, GenerateChunk) or chunk.conditioning is None:
            continue
        like = chunk.conditioning
        for other in kept:
            piece = other.slice
            if piece.song.song_id != like.song.song_id:
                continue
            if like.start_ms < piece.end_ms and piece.start_ms < like.end_ms:
                yield attach(W0204(
                    f"the conditioning slice overlaps audio of `{like.song.name}` "
                    "kept in this plan", like.span,
                    secondary=[Label(span=other.span, message=f"keeps "
                                     f"{clock(piece.start_ms)}-"
                                     f"{clock(piece.end_ms)}")],
                    hint="condition on material the plan does not keep, or drop `like`"), chunk)
                break
