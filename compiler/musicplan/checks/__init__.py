"""The checks: one module per rule, run in the order of `RULES`.

Each rule is a function `ResolvedPlan → Iterable[Diagnostic]` whose docstring cites the
music_v2 fact it enforces (docs/diagnostics.md lists them all). Rules never raise for user
errors and report every span involved.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ..diagnostics import Diagnostic
from ..resolve.ir import ResolvedPlan
from . import (
    chunk_count,
    conditioning_length,
    conditioning_overlap,
    contiguous_keeps,
    empty_styles,
    english_styles,
    finetune_id,
    generation_duration,
    late_conditioning,
    low_adherence_seam,
    near_length_cap,
    opening_styles,
    range_bounds,
    repeated_generation,
    short_keep,
    strength_without_like,
    style_count,
    text_limits,
    total_length,
)

Rule = Callable[[ResolvedPlan], Iterable[Diagnostic]]

RULES: tuple[Rule, ...] = (
    chunk_count.check,
    total_length.check,
    generation_duration.check,
    style_count.check,
    conditioning_length.check,
    range_bounds.check,
    strength_without_like.check,
    text_limits.check,
    finetune_id.check,
    opening_styles.check,
    late_conditioning.check,
    short_keep.check,
    english_styles.check,
    empty_styles.check,
    contiguous_keeps.check,
    low_adherence_seam.check,
    conditioning_overlap.check,
    repeated_generation.check,
    near_length_cap.check,
)


# The rules that judge one chunk or one slice at a time. They stay sound when resolution
# failed elsewhere (a chunk left out, a field dropped), so they run then too and one run
# reports every error; the rules about the whole plan wait until it resolves cleanly.
LOCAL_RULES: tuple[Rule, ...] = (
    generation_duration.check,
    style_count.check,
    conditioning_length.check,
    range_bounds.check,
    strength_without_like.check,
    text_limits.check,
    finetune_id.check,
)

# Lints (W02xx) give style advice about a plan that is otherwise sound; they stay quiet
# while the API's own rules report errors, so the errors are not buried.
LINTS: frozenset[Rule] = frozenset({
    contiguous_keeps.check, low_adherence_seam.check, conditioning_overlap.check,
    repeated_generation.check, near_length_cap.check})


def run_checks(plan: ResolvedPlan, rules: Iterable[Rule] = RULES) -> list[Diagnostic]:
    """Every diagnostic of every rule, in rule order (lints only when nothing is an error)."""
    found = [(rule in LINTS, d) for rule in rules for d in rule(plan)]
    quiet = any(d.is_error for lint, d in found if not lint)
    return [d for lint, d in found if not (lint and quiet)]
