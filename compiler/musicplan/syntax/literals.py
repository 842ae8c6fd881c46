"""Number literals: how long one may be, and how a JSON number is spelt in MPL.

Shared by the parser (numbers in MPL source) and the decompiler (numbers in plan JSON), so
both refuse the same numbers (`E0214`). No time, tempo, seed or strength needs anywhere
near the limit, and it keeps every conversion far below Python's own limit on turning
digit strings into integers (4300 digits), which would otherwise raise.
"""

from __future__ import annotations

from decimal import Decimal

from ..diagnostics import Diagnostic, error
from .spans import Span

MAX_NUMBER_LENGTH = 100
SHOWN = 20  # characters of a long number that messages show


def shortened(text: str) -> str:
    """`text`, cut to its first characters when it is too long to show in a message."""
    return text if len(text) <= SHOWN else text[:SHOWN] + "…"


def too_long(text: str, span: Span, *, written: str | None = None) -> Diagnostic | None:
    """E0214 when the number literal `text` is longer than `MAX_NUMBER_LENGTH` characters;
    `written` is how the input spelt it when that differs (JSON's `1e300`)."""
    if len(text) <= MAX_NUMBER_LENGTH:
        return None
    what = (f"`{shortened(text)}` is {len(text)} characters long" if written is None else
            f"`{shortened(written)}` would be {len(text)} characters long in MPL")
    return error("E0214", f"the number {what}; "
                 f"MPL reads numbers of at most {MAX_NUMBER_LENGTH}", span,
                 hint="no time, tempo, seed or strength needs that many digits")


def plain_number(value: float | int) -> str:
    """A JSON number as an MPL number (no exponent) that reads back to the same value."""
    if isinstance(value, int):
        return str(value)
    text = format(Decimal(repr(value)), "f")
    return text[:-2] if text.endswith(".0") else text
