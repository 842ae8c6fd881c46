"""The checks: one module per rule, found in this folder and run in the order of `RULES`.

A rule module holds `check`, a function `ResolvedPlan → Iterable[Diagnostic]` whose
docstring (or the module's) cites the music_v2 fact it enforces, and declares:
- `CODES`: the `Code`s it reports (code, severity, title, and its docs/diagnostics.md row);
- `LOCAL`: whether it judges one chunk or one slice at a time, so it stays sound when
  resolution failed elsewhere (a chunk left out, a field dropped) and runs then too, and one
  run reports every error; the rules about the whole plan wait until the plan resolves;
- `LINT`: whether it gives style advice (W02xx) that stays quiet while another rule reports an
  error, so errors are not buried.
`RULES` holds every module's `check`, ordered by its first code; `CODES` every rule's codes.
Adding a rule is adding a module (docs/diagnostics.md, "Adding a check"). Rules never raise
for user errors and report every span involved.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from importlib import import_module
from types import ModuleType

from ..diagnostics import Diagnostic, has_errors
from ..resolve.ir import ResolvedPlan
from ._util import Code

Rule = Callable[[ResolvedPlan], Iterable[Diagnostic]]


def _rule_modules() -> list[ModuleType]:
    """Every rule module of this folder (not `_util`), ordered by its first code."""
    names = sorted(entry[:-3] for entry in os.listdir(os.path.dirname(__file__))
                   if entry.endswith(".py") and not entry.startswith("_"))
    modules = [import_module(f"{__name__}.{name}") for name in names]
    for module in modules:
        for attribute in ("check", "CODES", "LOCAL", "LINT"):
            if not hasattr(module, attribute):
                raise ImportError(f"the rule module {module.__name__} does not declare "
                                  f"`{attribute}` (see musicplan.checks)")
    return sorted(modules, key=lambda module: module.CODES[0].code)


MODULES: tuple[ModuleType, ...] = tuple(_rule_modules())
RULES: tuple[Rule, ...] = tuple(module.check for module in MODULES)
LOCAL_RULES: tuple[Rule, ...] = tuple(module.check for module in MODULES if module.LOCAL)
LINTS: frozenset[Rule] = frozenset(module.check for module in MODULES if module.LINT)
CODES: dict[str, Code] = {code.code: code for module in MODULES for code in module.CODES}


# The lint policy, decided here alone: lints give style advice about a plan that is otherwise
# sound, so they stay quiet while anything (a syntax, name or rule error) is an error, and the
# errors are not buried. Lints are the codes of the LINT rules, and the resolve stage's one:
# a name declared and never used (resolve/declarations.py).
UNUSED_NAME = "W0201"
LINT_CODES: frozenset[str] = frozenset(
    {UNUSED_NAME} | {code.code for module in MODULES if module.LINT for code in module.CODES})


def quiet_lints(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """`diagnostics` under the lint policy: without the lints if any of them is an error."""
    if not has_errors(diagnostics):
        return diagnostics
    return [d for d in diagnostics if d.code not in LINT_CODES]


def run_checks(plan: ResolvedPlan, rules: Iterable[Rule] = RULES) -> list[Diagnostic]:
    """Every diagnostic of every rule, in rule order (lints only when nothing is an error)."""
    return quiet_lints([d for rule in rules for d in rule(plan)])
