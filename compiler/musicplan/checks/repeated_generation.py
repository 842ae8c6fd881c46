"""Identical generation chunks written out more than once: a template (or a `let` for the
styles) says it once, and a change then happens in one place."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic, Label, warning
from ..lower import lower_chunk
from ..resolve.ir import GenerateChunk, ResolvedPlan
from ._util import attach


def check(plan: ResolvedPlan) -> Iterator[Diagnostic]:
    seen: dict[str, GenerateChunk] = {}
    for chunk in plan.chunks:
        if not isinstance(chunk, GenerateChunk):
            continue
        key = repr(lower_chunk(chunk))
        first = seen.get(key)
        if first is None:
            seen[key] = chunk
            continue
        if first.span == chunk.span:
            continue  # one statement expanded twice (a template): already written once
        yield attach(warning(
            "W0205", f'this "{chunk.label}" chunk repeats an earlier one exactly', chunk.span,
            secondary=[Label(span=first.span, message="the same chunk first here")],
            hint="write it once in a template and call the template where it repeats"), chunk)
