"""The finished song is 3 s to 10 min long (music-v2.md, "Whole-plan rules"). Lengths are
printed as clock times (`10:10; the API allows at most 10:00`): one unit per message."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic
from ..limits import MAX_TOTAL_MS, MIN_TOTAL_MS
from ..resolve.ir import ResolvedPlan
from ..units import clock
from ._util import Code, attach, chunk_at

E0202 = Code(code="E0202", severity="error", title="total length outside 3 s - 10 min",
             doc="The finished song is shorter than 3 s or longer than 10 min. Points at the "
                 "chunk where 10:00 falls. The length and the limit are printed in one unit, "
                 "as clock times (`the song is 10:10 long; the API allows at most 10:00`); "
                 "lengths beside limits in seconds (`E0203`, `E0205`, `W0103`) are all in "
                 "seconds (`0.5 s`, never `500 ms` beside `3 s`).",
             fix="Shorten or drop chunks.")
CODES = (E0202,)
LOCAL = False
LINT = False


def check(plan: ResolvedPlan) -> Iterator[Diagnostic]:
    if not plan.chunks or any(chunk.duration_ms < 0 for chunk in plan.chunks):
        return  # a reversed range is reported on its own (E0207)
    total = sum(chunk.duration_ms for chunk in plan.chunks)
    if total < MIN_TOTAL_MS:
        first = plan.chunks[0]
        yield attach(E0202(f"the song is {clock(total)} long; the API needs "
                           f"{clock(MIN_TOTAL_MS)} to {clock(MAX_TOTAL_MS)}", first.span,
                           hint=f"add material: the whole plan must last {clock(MIN_TOTAL_MS)} "
                           "or more"), first)
    elif total > MAX_TOTAL_MS:
        chunk = chunk_at(plan.chunks, MAX_TOTAL_MS)
        yield attach(E0202(f"the song is {clock(total)} long; the API allows at most "
                           f"{clock(MAX_TOTAL_MS)}", chunk.span,
                           hint=f"the {clock(MAX_TOTAL_MS)} mark falls in this chunk; shorten "
                           "or drop chunks"), chunk)
