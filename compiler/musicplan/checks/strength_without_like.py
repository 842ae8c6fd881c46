"""`condition_strength` is meaningless without `conditioning_ref` (music-v2.md)."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic, error
from ..resolve.ir import GenerateChunk, ResolvedPlan
from ._util import attach


def check(plan: ResolvedPlan) -> Iterator[Diagnostic]:
    for chunk in plan.chunks:
        if isinstance(chunk, GenerateChunk) and chunk.condition_strength is not None \
                and "conditioning_ref" not in chunk.fields:
            yield attach(error("E0209", "`strength=` without `like`: there is nothing to follow",
                               chunk.fields["condition_strength"],
                               hint="add like SONG RANGE, or drop strength="), chunk)
