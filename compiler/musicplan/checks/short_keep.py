"""Chunks are advised to last 3 s or more; nothing documents this for kept slices, so a
short one is a warning (music-v2.md, audio-reference chunk)."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic
from ..limits import ADVISED_CHUNK_MS, MIN_RANGE_MS
from ..resolve.ir import KeepChunk, ResolvedPlan
from ..units import seconds
from ._util import Code, attach

W0103 = Code(code="W0103", severity="warning", title="kept slice under 3 s",
             doc="A kept slice under 3 s (chunks are advised to be 3 s or more; not "
                 "documented as a hard limit for kept slices).",
             fix="Keep more.")
CODES = (W0103,)
LOCAL = False
LINT = False


def check(plan: ResolvedPlan) -> Iterator[Diagnostic]:
    for chunk in plan.chunks:
        if isinstance(chunk, KeepChunk) and MIN_RANGE_MS <= chunk.duration_ms < ADVISED_CHUNK_MS:
            yield attach(W0103(f"kept slice is {seconds(chunk.duration_ms)} long; "
                               f"chunks under {seconds(ADVISED_CHUNK_MS)} may not join cleanly",
                               chunk.slice.span), chunk)
