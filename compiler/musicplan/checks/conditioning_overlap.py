"""A conditioning slice that is also kept in the same plan steers a new chunk towards audio
the song already contains (music-v2.md, generation chunk: `conditioning_ref`)."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic, Label, warning
from ..resolve.ir import GenerateChunk, KeepChunk, ResolvedPlan
from ..timeline import format_clock
from ._util import attach


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
                yield attach(warning(
                    "W0204", f"the conditioning slice overlaps audio of `{like.song.name}` "
                    "kept in this plan", like.span,
                    secondary=[Label(span=other.span, message=f"keeps "
                                     f"{format_clock(piece.start_ms)}-"
                                     f"{format_clock(piece.end_ms)}")],
                    hint="condition on material the plan does not keep, or drop `like`"), chunk)
                break
