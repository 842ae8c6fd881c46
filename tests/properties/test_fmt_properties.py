"""The formatter's laws, proven by hypothesis on untidy programs full of comments
(tests/mpl_programs.py): formatting is idempotent, keeps the meaning and loses no comment."""

from __future__ import annotations

from collections import Counter
from typing import Any

from hypothesis import HealthCheck, given, settings
from mpl_programs import programs, valid_programs
from musicplan.pipeline import compile_text
from musicplan.printer import Printer, format_source
from musicplan.syntax import nodes as n
from musicplan.syntax.parse import parse
from musicplan.syntax.records import fields, is_record, replace

LAWS = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _formatted(source: str) -> str:
    text, diagnostics = format_source(source, "gen.mpl")
    assert text is not None, (source, [(d.code, d.message, str(d.span)) for d in diagnostics])
    return text


def _outcome(source: str) -> Any:
    result = compile_text(source, "gen.mpl")
    if result.ok:
        return result.plan_json(), result.request_json(), result.query_params()
    return sorted(d.code for d in result.diagnostics if d.is_error)


def _comments(source: str) -> Counter[str]:
    return Counter(c.text.rstrip() for c in parse(source, "gen.mpl").program.comments)


@LAWS
@given(programs())
def test_fmt_is_idempotent(case: tuple[str, list[str]]) -> None:
    once = _formatted(case[0])
    assert _formatted(once) == once


@LAWS
@given(programs())
def test_fmt_keeps_the_meaning(case: tuple[str, list[str]]) -> None:
    source = case[0]
    formatted = _formatted(source)
    assert _outcome(formatted) == _outcome(source)


@LAWS
@given(valid_programs())
def test_fmt_keeps_the_plan(case: tuple[str, list[str]]) -> None:
    """On programs that compile: the same plan, request and query, the same comments, and
    formatting twice changes nothing."""
    source, written = case
    assert compile_text(source, "gen.mpl").ok, source
    formatted = _formatted(source)
    assert _outcome(formatted) == _outcome(source)
    assert _comments(formatted) == _comments(source) == Counter(c.rstrip() for c in written)
    assert _formatted(formatted) == formatted


@LAWS
@given(programs())
def test_fmt_loses_no_comment(case: tuple[str, list[str]]) -> None:
    source, written = case
    formatted = _formatted(source)
    assert _comments(source) == Counter(c.rstrip() for c in written)
    assert _comments(formatted) == _comments(source)


def _tidy_times(value: Any) -> Any:
    """The tree with every time spelled as the printer spells it (`030s` → `30s`)."""
    if isinstance(value, tuple):
        return tuple(_tidy_times(item) for item in value)
    if isinstance(value, n.Time):
        spelled = "".join(map(str, Printer().doc(value)))
        return parse(f"let x = {spelled}").program.statements[0].value  # type: ignore[union-attr]
    if is_record(value) and not isinstance(value, type):
        return replace(value, **{f.name: _tidy_times(getattr(value, f.name))
                                 for f in fields(value) if f.name != "span"})
    return value


@LAWS
@given(programs())
def test_fmt_keeps_the_tree(case: tuple[str, list[str]]) -> None:
    """The same statements node for node, apart from time spellings the printer tidies."""
    source = case[0]
    before = _tidy_times(parse(source, "gen.mpl").program.statements)
    after = _tidy_times(parse(_formatted(source), "gen.mpl").program.statements)
    assert after == before
