"""`finetune_id` names a fine-tuned model (music-v2.md, request body); an empty id names
none, and the API refuses it."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic, error
from ..resolve.ir import ResolvedPlan


def check(plan: ResolvedPlan) -> Iterator[Diagnostic]:
    value = plan.options.values.get("finetune_id")
    if isinstance(value, str) and not value.strip():
        yield error("E0219", "the finetune id is empty", plan.options.spans["finetune_id"],
                    hint='write the fine-tune\'s id (finetune="…"), or leave the option out')
