"""The printer: one handler per node class, canonical text left alone (identity.mpl),
untidy text tidied as the fixture pairs say, and `print_statement` for single statements."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest
from conftest import ROOT
from musicplan.printer import Printer, format_program, format_source, print_statement, quote
from musicplan.syntax import nodes as n
from musicplan.syntax.parse import parse

FIXTURES = ROOT / "tests" / "golden"
PAIRS = sorted((FIXTURES / "fmt").glob("*.in.mpl"))
NODE_CLASSES = {cls for _, cls in inspect.getmembers(n, inspect.isclass)
                if issubclass(cls, n.Node) and cls is not n.Node and cls.__module__ == n.__name__}


def _snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name).lstrip("_")


def test_every_node_class_has_a_handler() -> None:
    missing = [cls.__name__ for cls in NODE_CLASSES
               if not hasattr(Printer, f"print_{_snake(cls.__name__)}")]
    assert not missing


def test_every_handler_names_a_node_class() -> None:
    names = {_snake(cls.__name__) for cls in NODE_CLASSES}
    handlers = {name.removeprefix("print_") for name in dir(Printer) if name.startswith("print_")}
    assert handlers <= names, handlers - names


def test_identity_file_is_left_alone() -> None:
    source = (FIXTURES / "identity" / "statements.mpl").read_text(encoding="utf-8")
    formatted, diagnostics = format_source(source, "identity.mpl")
    assert not diagnostics
    assert formatted == source


def test_identity_statements_print_back_one_by_one() -> None:
    """Each one-line statement of identity.mpl is exactly what print_statement gives."""
    source = (FIXTURES / "identity" / "statements.mpl").read_text(encoding="utf-8")
    program = parse(source, "identity.mpl").program
    lines = source.split("\n")
    checked = 0
    for statement in program.statements:
        span = statement.span
        line = lines[span.line - 1]
        if span.line == span.end_line and line.find(";") < 0 and "#" not in line:
            assert print_statement(statement) == line
            checked += 1
    assert checked > 30


@pytest.mark.parametrize("path", PAIRS, ids=[p.name.removesuffix(".in.mpl") for p in PAIRS])
def test_fmt_pairs(path: Path) -> None:
    expected = Path(str(path).replace(".in.mpl", ".out.mpl")).read_text(encoding="utf-8")
    formatted, diagnostics = format_source(path.read_text(encoding="utf-8"), path.name)
    assert not diagnostics
    assert formatted == expected
    assert format_source(expected, path.name)[0] == expected


def test_print_statement_of_a_built_song() -> None:
    song = n.SongDecl(name=n.Name(ident="s1"), song_id=n.Str(value='id "1"'))
    assert print_statement(song) == 'song s1 = "id \\"1\\""'
    block = n.SongDecl(name=n.Name(ident="s"), song_id=n.Str(value="x"), block=True,
                       sections=(n.Section(name=n.Name(ident="intro"), range=n.Range(
                           start=n.Time(amount="0", unit="bare"),
                           end=n.Time(amount="15", unit="s"))),))
    assert print_statement(block) == 'song s = "x" {\n  intro 0-15s\n}'


def test_empty_program_prints_nothing() -> None:
    assert format_program(n.Program(statements=())) == ""
    assert format_source("\n\n", "e.mpl") == ("", [])


def test_syntax_errors_give_no_text() -> None:
    text, diagnostics = format_source("keep 0-\n", "bad.mpl")
    assert text is None
    assert [d.code for d in diagnostics] == ["E0101"]


@pytest.mark.parametrize("value", ['a"b', "back\\slash", "line\nbreak", "\u2028",
                                   "\x7f", "é音😀"])
def test_quote_reads_back(value: str) -> None:
    program = parse(f"let x = {quote(value)}\n", "q.mpl").program
    assert program.statements[0].value == n.Str(value=value)  # type: ignore[union-attr]
    assert "\n" not in quote(value) and "\u2028" not in quote(value)


def test_crlf_source_is_formatted_with_lf() -> None:
    text, _ = format_source('keep 0-1s # c\r\ngen "A" 3s styles[]\r\n  | la\r\n', "w.mpl")
    assert text == 'keep 0-1s  # c\ngen "A" 3s styles[]\n  | la\n'
