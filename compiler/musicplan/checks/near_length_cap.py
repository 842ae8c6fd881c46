"""A finished song within 30 s of the 10-minute cap leaves no room for an edit that adds
material (music-v2.md, "Whole-plan rules": 3 s to 10 min)."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic, warning
from ..resolve.ir import ResolvedPlan
from ..timeline import format_clock
from .total_length import MAX_TOTAL_MS

MARGIN_MS = 30_000


def check(plan: ResolvedPlan) -> Iterator[Diagnostic]:
    total = sum(chunk.duration_ms for chunk in plan.chunks)
    if not MAX_TOTAL_MS - MARGIN_MS < total <= MAX_TOTAL_MS:
        return
    running = 0
    for chunk in plan.chunks:
        running += chunk.duration_ms
        if running > MAX_TOTAL_MS - MARGIN_MS:
            yield warning("W0206", f"the song is {format_clock(total)} long, within "
                          f"{format_clock(MARGIN_MS)} of the {format_clock(MAX_TOTAL_MS)} cap",
                          chunk.span,
                          hint="the 9:30 mark falls in this chunk; leave headroom for later "
                          "edits")
            return
