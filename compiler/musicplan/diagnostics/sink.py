"""A sink: where a stage reports the problems it finds, so reports flow down into this
package instead of back up into whoever called the stage's helpers."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from .core import Diagnostic, Label, with_context


class Sink:
    """Collects diagnostics in the order they are reported and counts the errors.

    While a template call is expanded (`inside`), every diagnostic reported also gets the
    call sites it was reached through, innermost first ("expanded from here"). The sink also
    rations did-you-mean hints: each lists and compares every name in reach, so thousands of
    unknown names among thousands of bindings would take minutes; `hint_budget` names in all
    are compared, then hints stop."""

    __slots__ = ("context", "diagnostics", "errors", "hint_budget")

    def __init__(self, hint_budget: int) -> None:
        self.diagnostics: list[Diagnostic] = []
        self.errors = 0
        self.context: tuple[Label, ...] = ()  # call sites, innermost first
        self.hint_budget = hint_budget

    def report(self, diagnostic: Diagnostic) -> None:
        """Record a diagnostic, with the call sites it was reached through."""
        if self.context:
            diagnostic = with_context(diagnostic, self.context)
        self.diagnostics.append(diagnostic)
        self.errors += diagnostic.is_error

    def inside(self, site: Label) -> _Inside:
        """`with sink.inside(site):` reports everything in the block as reached through
        `site` too."""
        return _Inside(self, site)

    def hint_names(self, names: Callable[[], Iterable[str]]) -> list[str]:
        """The `names()` a did-you-mean hint may look through while the budget lasts (then
        none)."""
        if self.hint_budget <= 0:
            return []
        found = list(names())
        self.hint_budget -= len(found)
        return found


class _Inside:
    """The context manager of `Sink.inside` (a class: entered once per template call)."""

    __slots__ = ("outer", "sink", "site")

    def __init__(self, sink: Sink, site: Label) -> None:
        self.sink, self.site, self.outer = sink, site, sink.context

    def __enter__(self) -> None:
        self.outer = self.sink.context
        self.sink.context = (self.site, *self.outer)

    def __exit__(self, *exc: object) -> None:
        self.sink.context = self.outer
