"""The finished song is 3 s to 10 min long (music-v2.md, "Whole-plan rules"). Lengths are
printed as clock times (`10:10; the API allows at most 10:00`): one unit per message."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic, error
from ..resolve.ir import ResolvedPlan
from ..timeline import format_clock

MIN_TOTAL_MS = 3_000
MAX_TOTAL_MS = 600_000


def check(plan: ResolvedPlan) -> Iterator[Diagnostic]:
    if not plan.chunks or any(chunk.duration_ms < 0 for chunk in plan.chunks):
        return  # a reversed range is reported on its own (E0207)
    total = sum(chunk.duration_ms for chunk in plan.chunks)
    if total < MIN_TOTAL_MS:
        yield error("E0202", f"the song is {format_clock(total)} long; the API needs "
                    f"{format_clock(MIN_TOTAL_MS)} to {format_clock(MAX_TOTAL_MS)}",
                    plan.chunks[0].span, hint="add material: the whole plan must last 0:03 or more")
    elif total > MAX_TOTAL_MS:
        running = 0
        for chunk in plan.chunks:
            running += chunk.duration_ms
            if running > MAX_TOTAL_MS:
                yield error("E0202", f"the song is {format_clock(total)} long; the API allows "
                            f"at most {format_clock(MAX_TOTAL_MS)}", chunk.span,
                            hint="the 10:00 mark falls in this chunk; shorten or drop chunks")
                return
