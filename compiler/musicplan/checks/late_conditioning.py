"""To condition a whole song, condition its first chunk (music-v2.md, `conditioning_ref`)."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic, warning
from ..resolve.ir import GenerateChunk, ResolvedPlan
from ._util import attach


def check(plan: ResolvedPlan) -> Iterator[Diagnostic]:
    generated = [chunk for chunk in plan.chunks if isinstance(chunk, GenerateChunk)]
    conditioned = [chunk for chunk in generated if chunk.conditioning is not None]
    if not conditioned or conditioned[0] is generated[0]:
        return
    first = conditioned[0]
    yield attach(warning("W0102", "only a later chunk is conditioned; the first chunk shapes "
                         "every chunk after it", first.fields.get("conditioning_ref", first.span),
                         hint="to make the song like the reference, put `like` on the first "
                         "generation chunk"), first)
