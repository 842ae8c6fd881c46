"""The first chunk's styles set genre and tone for the whole song; the docs advise 6-7
styles or more in early chunks (music-v2.md, `positive_styles`). A plan that opens with kept
audio takes its tone from that audio, so only a plan that opens with a generation chunk is
held to the advice."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic, warning
from ..ir import GenerateChunk, ResolvedPlan
from ._util import attach

ADVISED = 6


def check(plan: ResolvedPlan) -> Iterator[Diagnostic]:
    if not plan.chunks or not isinstance(plan.chunks[0], GenerateChunk):
        return
    chunk = plan.chunks[0]
    count = len(chunk.positive_styles or ())
    if 0 < count < ADVISED:
        yield attach(warning("W0101", f"the opening chunk has {count} style"
                             f"{'s' if count != 1 else ''}; it sets the whole song's tone",
                             chunk.fields.get("positive_styles", chunk.span),
                             hint="the API docs advise 6-7 styles or more in the first chunk"),
                     chunk)
