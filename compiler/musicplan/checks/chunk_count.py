"""A plan has 1 to 30 chunks (music-v2.md, "The plan")."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic
from ..limits import MAX_CHUNKS, MIN_CHUNKS
from ..resolve.ir import ResolvedPlan
from ._util import Code, attach

E0201 = Code(code="E0201", severity="error", title="chunk count outside 1-30",
             doc="The plan has no chunks, or more than 30.",
             fix="Merge chunks, or split into two renders.")
CODES = (E0201,)
LOCAL = False
LINT = False

def check(plan: ResolvedPlan) -> Iterator[Diagnostic]:
    if not plan.chunks:
        yield E0201(f"the plan has no chunks; the API needs {MIN_CHUNKS} to {MAX_CHUNKS}",
                    plan.span, hint='add one, e.g. keep 0-30s or gen "Intro" 30s styles[...]')
    elif len(plan.chunks) > MAX_CHUNKS:
        extra = plan.chunks[MAX_CHUNKS]
        yield attach(E0201(f"the plan has {len(plan.chunks)} chunks; the API takes at "
                           f"most {MAX_CHUNKS}", extra.span,
                           hint="merge neighbouring chunks or split the song into two renders"),
                     extra)
