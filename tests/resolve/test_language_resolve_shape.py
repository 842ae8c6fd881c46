"""The resolve stage's shape: reports flow down into a `diagnostics.Sink`, and the helper
modules import only downward — never the resolver, never each other in a circle."""

from __future__ import annotations

from graphlib import CycleError, TopologicalSorter

from language_helpers import source
from musicplan.diagnostics import Label, Sink, error
from musicplan.syntax.spans import Span
from test_layers import PACKAGE, imports, module_name

RESOLVE = PACKAGE / "resolve"


def _graph() -> dict[str, set[str]]:
    """Each module of resolve/ → the modules of resolve/ it imports (TYPE_CHECKING too)."""
    graph: dict[str, set[str]] = {}
    for path in sorted(RESOLVE.glob("*.py")):
        name = module_name(path)
        if name == "musicplan.resolve":
            continue
        graph[name] = {imported for _, imported in imports(path)
                       if imported.startswith("musicplan.resolve.")}
    return graph


def test_no_helper_imports_the_resolver() -> None:
    importers = sorted(name for name, found in _graph().items()
                       if "musicplan.resolve.resolver" in found)
    assert importers == []


def test_the_resolve_modules_import_in_one_direction() -> None:
    try:
        order = list(TopologicalSorter(_graph()).static_order())
    except CycleError as cycle:
        raise AssertionError(f"resolve/ imports in a circle: {cycle.args[1]}") from None
    assert order[-1] == "musicplan.resolve.resolver"  # it alone sits on top


def test_ir_is_plain_data() -> None:
    """The resolved plan imports nothing of the resolve stage."""
    assert _graph()["musicplan.resolve.ir"] == set()


def test_a_sink_counts_errors_and_adds_the_call_sites_it_is_inside() -> None:
    at = Span("t.mpl", 1, 1, 1, 2, 0, 1)
    outer, inner = Label(span=at, message="outer call"), Label(span=at, message="inner call")
    sink = Sink(hint_budget=100)
    with sink.inside(outer), sink.inside(inner):
        sink.report(error("E0306", "unknown name `x`", at))
    sink.report(error("E0306", "unknown name `y`", at))
    first, second = sink.diagnostics
    assert [label.message for label in first.secondary] == ["inner call", "outer call"]
    assert second.secondary == () and sink.context == ()
    assert sink.errors == 2


def test_a_sink_rations_hint_names() -> None:
    sink = Sink(hint_budget=3)
    assert sink.hint_names(lambda: ["a", "b"]) == ["a", "b"]
    assert sink.hint_names(lambda: ["c", "d"]) == ["c", "d"]  # the budget ran out here
    assert sink.hint_names(lambda: ["e"]) == []


def test_a_problem_inside_a_window_inside_a_template_names_the_call() -> None:
    """The sink's call-site context reaches the helpers two levels down (windows, values)."""
    compiled = source("""
        song s = "vVtPM1Sas70E2LIhQFch" length=60s
        template t() {
          replace 10s-20s { keep nowhere }
        }
        t()
    """)
    problem = next(d for d in compiled.diagnostics if d.code == "E0302")
    assert [label.message for label in problem.secondary] == ["expanded from `t(…)` here"]
    assert problem.secondary[0].span.line == 5
