"""`positive_styles` is required (music-v2.md); an empty or missing list leaves the chunk
with no direction. MPL emits `[]` when the source gives none, and warns."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic, warning
from ..resolve.ir import GenerateChunk, ResolvedPlan
from ._util import attach


def check(plan: ResolvedPlan) -> Iterator[Diagnostic]:
    for chunk in plan.chunks:
        if isinstance(chunk, GenerateChunk) and not chunk.positive_styles:
            yield attach(warning("W0105", f'chunk "{chunk.label}" has no positive styles',
                                 chunk.fields.get("positive_styles", chunk.span),
                                 hint='say what it should sound like: styles["…", "…"]'), chunk)
