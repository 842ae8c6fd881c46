"""Identical generation chunks written out more than once: a template (or a `let` for the
styles) says it once, and a change then happens in one place."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic, Label
from ..resolve.ir import GenerateChunk, ResolvedPlan, Slice
from ._util import Code, attach

W0205 = Code(code="W0205", severity="warning", title="identical generation chunks",
             doc="Identical generation chunks repeated.",
             fix="A template says it once.")
CODES = (W0205,)
LOCAL = False
LINT = True


def sent(chunk: GenerateChunk) -> tuple[object, ...]:
    """What the API receives for `chunk`, as `lower.lower_chunk` writes it: two chunks with the
    same key lower to the same JSON (tests/checks/test_rules.py holds the two in step)."""
    def where(piece: Slice | None) -> tuple[str, int, int] | None:
        return None if piece is None else (piece.song.song_id, piece.start_ms, piece.end_ms)

    return (chunk.text, chunk.duration_ms, tuple(chunk.positive_styles or ()),
            chunk.negative_styles, chunk.context_adherence, where(chunk.conditioning),
            chunk.condition_strength)


def check(plan: ResolvedPlan) -> Iterator[Diagnostic]:
    seen: dict[tuple[object, ...], GenerateChunk] = {}
    for chunk in plan.chunks:
        if not isinstance(chunk, GenerateChunk):
            continue
        key = sent(chunk)
        first = seen.get(key)
        if first is None:
            seen[key] = chunk
            continue
        if first.span == chunk.span:
            continue  # one statement expanded twice (a template): already written once
        yield attach(W0205(
            f'this "{chunk.label}" chunk repeats an earlier one exactly', chunk.span,
            secondary=[Label(span=first.span, message="the same chunk first here")],
            hint="write it once in a template and call the template where it repeats"), chunk)
