"""Small helpers the rules share."""

from __future__ import annotations

from ..diagnostics import Diagnostic, with_context


def seconds(ms: int) -> str:
    """`2 s`, `2.5 s`, `250 ms` for messages."""
    if ms % 1000 == 0:
        return f"{ms // 1000} s"
    if ms < 1000:
        return f"{ms} ms"
    return f"{ms / 1000:g} s"


def attach(diagnostic: Diagnostic, chunk: object) -> Diagnostic:
    """Add the chunk's template call sites and import sites as related places."""
    context = getattr(chunk, "context", ())
    return with_context(diagnostic, context) if context else diagnostic
