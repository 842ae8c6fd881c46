"""`positive_styles` is required (music-v2.md); an empty or missing list leaves the chunk
with no direction. MPL emits `[]` when the source gives none, and warns."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic
from ..resolve.ir import GenerateChunk, ResolvedPlan
from ._util import Code, attach

W0105 = Code(code="W0105", severity="warning", title="empty positive styles",
             doc='A generation chunk with no positive styles (MPL emits `"positive_styles": '
                 "[]`, which the API requires).",
             fix="Add `styles[…]`.")
CODES = (W0105,)
LOCAL = False
LINT = False


def check(plan: ResolvedPlan) -> Iterator[Diagnostic]:
    for chunk in plan.chunks:
        if isinstance(chunk, GenerateChunk) and not chunk.positive_styles:
            yield attach(W0105(f'chunk "{chunk.label}" has no positive styles',
                               chunk.fields.get("positive_styles", chunk.span),
                               hint='say what it should sound like: styles["…", "…"]'), chunk)
