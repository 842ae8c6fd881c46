"""Where the grammar and the standard library live, installed or in a checkout."""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_CHECKOUT = _PACKAGE.parent.parent  # compiler/musicplan -> repository root


def _find(name: str) -> Path:
    for candidate in (_PACKAGE / name, _CHECKOUT / name):
        if candidate.exists():
            return candidate
    raise FileNotFoundError(f"musicplan resource {name!r} is missing from this installation")


@cache
def grammar_path() -> Path:
    """The `.lark` grammar (in the wheel: musicplan/grammar/mpl.lark)."""
    return _find("grammar") / "mpl.lark"


@cache
def stdlib_dir() -> Path:
    """The standard library folder (in the wheel: musicplan/stdlib)."""
    return _find("stdlib")
