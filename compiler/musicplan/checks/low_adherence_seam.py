"""`adherence=low` lets a generation chunk follow its neighbours loosely; next to kept audio
the join may be audible (music-v2.md, generation chunk: `context_adherence`, default `high`
for smooth joins with kept audio)."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic, Label
from ..resolve.ir import GenerateChunk, KeepChunk, ResolvedPlan
from ._util import Code, attach

W0203 = Code(code="W0203", severity="warning", title="low adherence next to kept audio",
             doc="`adherence=low` right next to a kept slice: the join may be audible.",
             fix="Use `medium`/`high`, or accept the seam.")
CODES = (W0203,)
LOCAL = False
LINT = True


def check(plan: ResolvedPlan) -> Iterator[Diagnostic]:
    chunks = plan.chunks
    for index, chunk in enumerate(chunks):
        if not isinstance(chunk, GenerateChunk) or chunk.context_adherence != "low":
            continue
        neighbours = [chunks[i] for i in (index - 1, index + 1) if 0 <= i < len(chunks)]
        kept = [other for other in neighbours if isinstance(other, KeepChunk)]
        if not kept:
            continue
        at = chunk.fields.get("context_adherence", chunk.span)
        yield attach(W0203(
            "`adherence=low` next to kept audio: the join may be audible", at,
            secondary=[Label(span=other.span, message="kept audio here") for other in kept],
            hint="use adherence=medium or high for a smooth seam, or keep low if you want "
            "the contrast"), chunk)
