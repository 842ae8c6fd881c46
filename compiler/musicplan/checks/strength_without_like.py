"""`condition_strength` is meaningless without `conditioning_ref` (music-v2.md)."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic
from ..resolve.ir import GenerateChunk, ResolvedPlan
from ._util import Code, attach

E0209 = Code(code="E0209", severity="error", title="strength without like",
             doc="`strength=` on a chunk without `like`.",
             fix="Add `like SONG RANGE` or drop `strength=`.")
CODES = (E0209,)
LOCAL = True
LINT = False


def check(plan: ResolvedPlan) -> Iterator[Diagnostic]:
    for chunk in plan.chunks:
        if isinstance(chunk, GenerateChunk) and chunk.condition_strength is not None \
                and "conditioning_ref" not in chunk.fields:
            yield attach(E0209("`strength=` without `like`: there is nothing to follow",
                               chunk.fields["condition_strength"],
                               hint="add like SONG RANGE, or drop strength="), chunk)
