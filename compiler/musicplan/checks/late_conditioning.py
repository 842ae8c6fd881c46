"""To condition a whole song, condition its first chunk (music-v2.md, `conditioning_ref`)."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic
from ..resolve.ir import GenerateChunk, ResolvedPlan
from ._util import Code, attach

W0102 = Code(code="W0102", severity="warning", title="conditioning only on a later chunk",
             doc="Only a later chunk is conditioned (`like`); the first chunk shapes "
                 "everything after it.",
             fix="Condition the first generation chunk.")
CODES = (W0102,)
LOCAL = False
LINT = False


def check(plan: ResolvedPlan) -> Iterator[Diagnostic]:
    generated = [chunk for chunk in plan.chunks if isinstance(chunk, GenerateChunk)]
    conditioned = [chunk for chunk in generated if chunk.conditioning is not None]
    if not conditioned or conditioned[0] is generated[0]:
        return
    first = conditioned[0]
    yield attach(W0102("only a later chunk is conditioned; the first chunk shapes "
                       "every chunk after it", first.fields.get("conditioning_ref", first.span),
                       hint="to make the song like the reference, put `like` on the first "
                       "generation chunk"), first)
