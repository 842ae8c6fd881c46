"""The first generation chunk sets genre and tone; the docs advise 6-7 styles or more
(music-v2.md, `positive_styles`)."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic, warning
from ..ir import GenerateChunk, ResolvedPlan
from ._util import attach

ADVISED = 6


def check(plan: ResolvedPlan) -> Iterator[Diagnostic]:
    for chunk in plan.chunks:
        if isinstance(chunk, GenerateChunk):
            count = len(chunk.positive_styles or ())
            if 0 < count < ADVISED:
                yield attach(warning("W0101", f"the first generation chunk has {count} style"
                                     f"{'s' if count != 1 else ''}; it sets the whole song's tone",
                                     chunk.fields.get("positive_styles", chunk.span),
                                     hint="the API docs advise 6-7 styles or more here"), chunk)
            return
