"""At most 50 positive and 50 negative styles (music-v2.md, generation chunk table)."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic
from ..limits import MAX_STYLES
from ..resolve.ir import GenerateChunk, ResolvedPlan
from ._util import Code, attach

E0204 = Code(code="E0204", severity="error", title="more than 50 styles",
             doc="More than 50 styles in `styles[…]` or `avoid[…]` (after splicing bindings).",
             fix="Keep the styles that matter.")
CODES = (E0204,)
LOCAL = True
LINT = False


def check(plan: ResolvedPlan) -> Iterator[Diagnostic]:
    for chunk in plan.chunks:
        if not isinstance(chunk, GenerateChunk):
            continue
        for key in ("positive_styles", "negative_styles"):
            styles = getattr(chunk, key) or ()
            if len(styles) > MAX_STYLES:
                yield attach(E0204(f"{len(styles)} styles in one list; the API takes at "
                                   f"most {MAX_STYLES}", chunk.fields.get(key, chunk.span),
                                   hint="keep the styles that matter most"), chunk)
