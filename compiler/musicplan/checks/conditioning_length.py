"""A conditioning slice is at most 30 000 ms (music-v2.md, `conditioning_ref`)."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic
from ..limits import MAX_CONDITIONING_MS
from ..resolve.ir import GenerateChunk, ResolvedPlan
from ..units import seconds
from ._util import Code, attach

E0205 = Code(code="E0205", severity="error", title="conditioning slice over 30 s",
             doc="A conditioning slice (`like …`) longer than 30 s.",
             fix="Condition on 30 s or less.")
CODES = (E0205,)
LOCAL = True
LINT = False

def check(plan: ResolvedPlan) -> Iterator[Diagnostic]:
    for chunk in plan.chunks:
        if isinstance(chunk, GenerateChunk) and chunk.conditioning is not None:
            length = chunk.conditioning.length_ms
            if length > MAX_CONDITIONING_MS:
                limit = seconds(MAX_CONDITIONING_MS)
                yield attach(E0205(f"conditioning slice is {seconds(length)} long; the API "
                                   f"takes at most {limit}", chunk.conditioning.span,
                                   hint=f"condition on the most typical {limit} or less"), chunk)
