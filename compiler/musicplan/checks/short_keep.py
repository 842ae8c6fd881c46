"""Chunks are advised to last 3 s or more; nothing documents this for kept slices, so a
short one is a warning (music-v2.md, audio-reference chunk)."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic, warning
from ..resolve.ir import KeepChunk, ResolvedPlan
from ._util import attach, seconds

ADVISED_MS = 3_000


def check(plan: ResolvedPlan) -> Iterator[Diagnostic]:
    for chunk in plan.chunks:
        if isinstance(chunk, KeepChunk) and 50 <= chunk.duration_ms < ADVISED_MS:
            yield attach(warning("W0103", f"kept slice is {seconds(chunk.duration_ms)} long; "
                                 "chunks under 3 s may not join cleanly", chunk.slice.span), chunk)
