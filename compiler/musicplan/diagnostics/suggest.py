"""Did-you-mean hints and fixes for misspelled names and values."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import cache

from ..syntax.spans import Span
from . import Diagnostic, Fix, Label, error


def closest(word: str, candidates: Iterable[str]) -> str | None:
    """The candidate nearest to `word`, if any is close enough."""
    candidates = list(candidates)
    import difflib  # only when a name is misspelt: kept off the start-up path

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
    from_stdlib = stdlib_import(word) if code == "E0306" else None
    match = None if from_stdlib else closest(word, candidates)
    if match is None:
        return error(code, message, span, hint=from_stdlib or otherwise, secondary=secondary)
    text = spelling(match)
    return error(code, message, span, hint=f"did you mean `{match}`?", secondary=secondary,
                 fix=Fix(title=f"Change to {text}", span=span, text=text))


_DECLARATION = re.compile(r"^(?:let|template)\s+([A-Za-z_]\w*)", re.MULTILINE)


@cache
def stdlib_exports() -> dict[str, str]:
    """Each name the standard library declares → its module (`pop` → `styles`)."""
    from ..resources import stdlib_dir

    exports: dict[str, str] = {}
    for path in sorted(stdlib_dir().glob("*.mpl")):
        for name in _DECLARATION.findall(path.read_text(encoding="utf-8")):
            exports.setdefault(name, path.stem)
    return exports


@cache
def _keywords() -> frozenset[str]:
    """The grammar's keywords: its quoted words (read from the grammar, as parse imports
    this module)."""
    from ..resources import grammar_path

    return frozenset(re.findall(r'"([a-z_]+)"', grammar_path().read_text(encoding="utf-8")))


def stdlib_import(word: str) -> str | None:
    """A hint naming the import that declares `word` (`pop`, `loop`, or `styles.pop`), when
    the standard library has it."""
    prefix, _, name = word.rpartition(".")
    module = stdlib_exports().get(name)
    if module is None:
        return None
    if prefix and prefix in _keywords():  # `styles.pop`: `styles` cannot name an import
        return f'`{name}` is in the standard library: add import "std/{module}" and write ' \
            f"`{name}`"
    if prefix:
        return f'`{name}` is in the standard library: add import "std/{module}" as {prefix}'
    return f'`{name}` is in the standard library: add import "std/{module}"'
