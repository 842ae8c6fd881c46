"""A generation chunk lasts 3 000 to 120 000 ms (music-v2.md, generation chunk table)."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic, error
from ..resolve.ir import GenerateChunk, ResolvedPlan
from ._util import attach, seconds

MIN_MS = 3_000
MAX_MS = 120_000


def check(plan: ResolvedPlan) -> Iterator[Diagnostic]:
    for chunk in plan.chunks:
        if not isinstance(chunk, GenerateChunk) or MIN_MS <= chunk.duration_ms <= MAX_MS:
            continue
        span = chunk.fields.get("duration_ms", chunk.span)
        hint = "write 3s or more" if chunk.duration_ms < MIN_MS else \
            "split it into chunks of at most 2:00"
        yield attach(error("E0203", f"generation chunk is {seconds(chunk.duration_ms)} long; the "
                           "API needs 3 s to 120 s", span, hint=hint), chunk)
