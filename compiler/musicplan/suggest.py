"""Did-you-mean hints and fixes for misspelled names and values."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable

from .diagnostics import Diagnostic, Fix, Label, error
from .spans import Span


def closest(word: str, candidates: Iterable[str]) -> str | None:
    """The candidate nearest to `word`, if any is close enough."""
    candidates = list(candidates)
    matches = difflib.get_close_matches(word, candidates, n=1, cutoff=0.6)
    if matches:
        return matches[0]
    lowered = {candidate.lower(): candidate for candidate in candidates}
    return lowered.get(word.lower())


def did_you_mean(word: str, candidates: Iterable[str]) -> str | None:
    """`"did you mean `x`?"` or None."""
    match = closest(word, candidates)
    return f"did you mean `{match}`?" if match else None


def misspelt(code: str, message: str, span: Span, word: str, candidates: Iterable[str], *,
             otherwise: str | None = None, secondary: Iterable[Label] = (),
             spelling: Callable[[str], str] = str) -> Diagnostic:
    """An error about an unknown `word` written at `span`. When a candidate is near, the
    hint names it and the fix writes it there (as `spelling` spells it, e.g. quoted);
    otherwise the hint is `otherwise`."""
    match = closest(word, candidates)
    if match is None:
        return error(code, message, span, hint=otherwise, secondary=secondary)
    text = spelling(match)
    return error(code, message, span, hint=f"did you mean `{match}`?", secondary=secondary,
                 fix=Fix(title=f"Change to {text}", span=span, text=text))
