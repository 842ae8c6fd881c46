"""A generation chunk lasts 3 000 to 120 000 ms (music-v2.md, generation chunk table)."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic
from ..limits import MAX_GENERATION_MS, MIN_GENERATION_MS
from ..resolve.ir import GenerateChunk, ResolvedPlan
from ..units import clock, seconds, spelling
from ._util import Code, attach

E0203 = Code(code="E0203", severity="error", title="generation duration outside 3-120 s",
             doc="A generation chunk lasts less than 3 s or more than 120 s.",
             fix="`3s` to `2:00`; split long sections.")
CODES = (E0203,)
LOCAL = True
LINT = False


def check(plan: ResolvedPlan) -> Iterator[Diagnostic]:
    for chunk in plan.chunks:
        if not isinstance(chunk, GenerateChunk) or \
                MIN_GENERATION_MS <= chunk.duration_ms <= MAX_GENERATION_MS:
            continue
        span = chunk.fields.get("duration_ms", chunk.span)
        hint = f"write {''.join(spelling(MIN_GENERATION_MS))} or more" \
            if chunk.duration_ms < MIN_GENERATION_MS else \
            f"split it into chunks of at most {clock(MAX_GENERATION_MS)}"
        yield attach(E0203(f"generation chunk is {seconds(chunk.duration_ms)} long; the API "
                           f"needs {seconds(MIN_GENERATION_MS)} to {seconds(MAX_GENERATION_MS)}",
                           span, hint=hint), chunk)
