"""`finetune_id` names a fine-tuned model (music-v2.md, request body); an empty id names
none, and the API refuses it."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic
from ..resolve.ir import ResolvedPlan
from ._util import Code

E0219 = Code(code="E0219", severity="error", title="empty finetune id",
             doc='An empty (or blank) `finetune=""` in the `plan` header: it names no '
                 "fine-tune.",
             fix="Write the fine-tune's id, or leave the option out.")
CODES = (E0219,)
LOCAL = True
LINT = False


def check(plan: ResolvedPlan) -> Iterator[Diagnostic]:
    value = plan.options.values.get("finetune_id")
    if isinstance(value, str) and not value.strip():
        yield E0219("the finetune id is empty", plan.options.spans["finetune_id"],
                    hint='write the fine-tune\'s id (finetune="…"), or leave the option out')
