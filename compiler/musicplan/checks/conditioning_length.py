"""A conditioning slice is at most 30 000 ms (music-v2.md, `conditioning_ref`)."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic, error
from ..resolve.ir import GenerateChunk, ResolvedPlan
from ._util import attach, seconds

MAX_MS = 30_000


def check(plan: ResolvedPlan) -> Iterator[Diagnostic]:
    for chunk in plan.chunks:
        if isinstance(chunk, GenerateChunk) and chunk.conditioning is not None:
            length = chunk.conditioning.length_ms
            if length > MAX_MS:
                yield attach(error("E0205", f"conditioning slice is {seconds(length)} long; "
                                   "the API takes at most 30 s", chunk.conditioning.span,
                                   hint="condition on the most typical 30 s or less"), chunk)
