"""The checks: one module per rule, run in the order of `RULES`.

Each rule is a function `ResolvedPlan → Iterable[Diagnostic]` whose docstring cites the
music_v2 fact it enforces (docs/diagnostics.md lists them all). Rules never raise for user
errors and report every span involved.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ..diagnostics import Diagnostic
from ..ir import ResolvedPlan
from . import (
    chunk_count,
    conditioning_length,
    empty_styles,
    english_styles,
    generation_duration,
    late_conditioning,
    opening_styles,
    range_bounds,
    short_keep,
    strength_without_like,
    style_count,
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
    opening_styles.check,
    late_conditioning.check,
    short_keep.check,
    english_styles.check,
    empty_styles.check,
)


def run_checks(plan: ResolvedPlan, rules: Iterable[Rule] = RULES) -> list[Diagnostic]:
    """Every diagnostic of every rule, in rule order."""
    return [diagnostic for rule in rules for diagnostic in rule(plan)]


