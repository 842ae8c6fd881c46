"""At most 50 positive and 50 negative styles (music-v2.md, generation chunk table)."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic, error
from ..resolve.ir import GenerateChunk, ResolvedPlan
from ._util import attach

MAX_STYLES = 50


def check(plan: ResolvedPlan) -> Iterator[Diagnostic]:
    for chunk in plan.chunks:
        if not isinstance(chunk, GenerateChunk):
            continue
        for key in ("positive_styles", "negative_styles"):
            styles = getattr(chunk, key) or ()
            if len(styles) > MAX_STYLES:
                yield attach(error("E0204", f"{len(styles)} styles in one list; the API takes at "
                                   f"most {MAX_STYLES}", chunk.fields.get(key, chunk.span),
                                   hint="keep the styles that matter most"), chunk)
