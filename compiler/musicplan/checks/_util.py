"""Small helpers the rules share."""

from __future__ import annotations

from ..diagnostics import Diagnostic, with_context


def seconds(ms: int) -> str:
    """`2 s`, `2.5 s`, `0.25 s` for messages: always seconds, so a message that sets a
    length beside a limit in seconds (`2.5 s long; the API needs 3 s to 120 s`) uses one unit."""
    whole, millis = divmod(abs(ms), 1000)
    sign = "-" if ms < 0 else ""
    return f"{sign}{whole}.{millis:03d}".rstrip("0") + " s" if millis else f"{sign}{whole} s"


def attach(diagnostic: Diagnostic, chunk: object) -> Diagnostic:
    """Add the chunk's template call sites and import sites as related places."""
    context = getattr(chunk, "context", ())
    return with_context(diagnostic, context) if context else diagnostic
