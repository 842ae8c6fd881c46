"""A plan has 1 to 30 chunks (music-v2.md, "The plan")."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic, error
from ..resolve.ir import ResolvedPlan
from ._util import attach

MAX_CHUNKS = 30


def check(plan: ResolvedPlan) -> Iterator[Diagnostic]:
    if not plan.chunks:
        yield error("E0201", "the plan has no chunks; the API needs 1 to 30", plan.span,
                    hint='add one, e.g. keep 0-30s or gen "Intro" 30s styles[...]')
    elif len(plan.chunks) > MAX_CHUNKS:
        extra = plan.chunks[MAX_CHUNKS]
        yield attach(error("E0201", f"the plan has {len(plan.chunks)} chunks; the API takes at "
                           f"most {MAX_CHUNKS}", extra.span,
                           hint="merge neighbouring chunks or split the song into two renders"),
                     extra)
