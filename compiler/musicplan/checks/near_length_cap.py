"""A finished song within 30 s of the 10-minute cap leaves no room for an edit that adds
material (music-v2.md, "Whole-plan rules": 3 s to 10 min)."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic
from ..limits import MAX_TOTAL_MS
from ..resolve.ir import ResolvedPlan
from ..units import clock
from ._util import Code, attach, chunk_at

W0206 = Code(code="W0206", severity="warning", title="total length near the 10-minute cap",
             doc="The total length is within 30 s of the 10-minute cap.",
             fix="Leave headroom.")
CODES = (W0206,)
LOCAL = False
LINT = True

MARGIN_MS = 30_000


def check(plan: ResolvedPlan) -> Iterator[Diagnostic]:
    total = sum(chunk.duration_ms for chunk in plan.chunks)
    if not MAX_TOTAL_MS - MARGIN_MS < total <= MAX_TOTAL_MS:
        return
    chunk = chunk_at(plan.chunks, MAX_TOTAL_MS - MARGIN_MS)
    yield attach(W0206(f"the song is {clock(total)} long, within {clock(MARGIN_MS)} of the "
                       f"{clock(MAX_TOTAL_MS)} cap", chunk.span,
                       hint=f"the {clock(MAX_TOTAL_MS - MARGIN_MS)} mark falls in this chunk; "
                       "leave headroom for later edits"), chunk)
