"""The parser: nodes only (no parser-library objects survive), spans, comments, lyrics,
time forms, and the generated parser kept in step with the grammar."""

from __future__ import annotations

from musicplan.syntax import grammar_build, records
from musicplan.syntax import nodes as n
from musicplan.syntax.parse import parse

SOURCE = '''# head comment
plan seed=42 format=mp3_48000_192 store   # options
song s = "vVtPM1Sas70E2LIhQFch" {
  intro 0-30s
  outro 30s-50s
}
keep 0-30s; keep s outro
gen "Verse" 30s styles["pop"] like s 0:10-0:20 strength=high
  | Salt on my skin # not a comment
  # own-line comment between lyric lines
  |   {instrumental break}   \t
'''


def _walk(value: object) -> list[object]:
    found = [value]
    if records.is_record(value) and not isinstance(value, type):
        for field in records.fields(value):
            found.extend(_walk(getattr(value, field.name)))
    elif isinstance(value, tuple):
        for item in value:
            found.extend(_walk(item))
    return found


def test_only_nodes_survive() -> None:
    program = parse(SOURCE, "t.mpl").program
    for value in _walk(program):
        module = type(value).__module__
        assert "mpl_parser" not in module and "lark" not in module, type(value)


def test_statement_spans_and_comments() -> None:
    result = parse(SOURCE, "t.mpl")
    assert not result.diagnostics
    statements = result.program.statements
    assert [type(s).__name__ for s in statements] == [
        "PlanHeader", "SongDecl", "Keep", "Keep", "Generate"]
    second_keep = statements[3]
    assert (second_keep.span.line, second_keep.span.col) == (7, 13)
    gen = statements[4]
    assert isinstance(gen, n.Generate)
    assert (gen.span.line, gen.span.end_line) == (8, 11)
    assert [lyric.text for lyric in gen.lyrics] == ["Salt on my skin # not a comment",
                                                   "{instrumental break}"]
    assert [(c.text, c.span.line) for c in result.program.comments] == [
        ("# head comment", 1), ("# options", 2), ("# own-line comment between lyric lines", 10)]


def test_time_forms() -> None:
    program = parse('keep 500ms-1.5s\nkeep 1:30-1:30.250\nkeep 0-30s\n'
                    'gen "X" 8 bars\ngen "Y" 2 beats\nkeep bar 9-bar 17\nkeep 9.3-17.1\n',
                    "t.mpl").program
    units = []
    for statement in program.statements:
        if isinstance(statement, n.Keep):
            assert isinstance(statement.slice, n.Range)
            units.append((statement.slice.start.unit, statement.slice.end.unit))
        else:
            assert isinstance(statement, n.Generate) and isinstance(statement.duration, n.Time)
            units.append((statement.duration.unit,))
    assert units == [("ms", "s"), ("clock", "clock"), ("bare", "s"), ("bars",), ("beats",),
                     ("bar", "bar"), ("bare", "bare")]


def test_equal_trees_ignore_positions() -> None:
    first = parse("song s = \"x\"\nkeep 0-30s\n", "a.mpl").program
    second = parse("\n\nsong   s = \"x\";keep 0-30s", "b.mpl").program
    assert first.statements == second.statements


def test_lists_and_calls_span_lines() -> None:
    result = parse('gen "X" 30s styles["a",\n   "b",\n   "c"]\n', "t.mpl")
    assert not result.diagnostics
    gen = result.program.statements[0]
    assert isinstance(gen, n.Generate) and isinstance(gen.attrs[0], n.Styles)
    assert len(gen.attrs[0].items.items) == 3


def test_several_syntax_errors_reported_at_once() -> None:
    result = parse('keep 0-30sec\nsong s = "x"\ngen "A" 3s styles["a" "b"]\n', "t.mpl")
    assert [(d.code, d.span.line) for d in result.diagnostics] == [("E0101", 1), ("E0101", 3)]


def test_generated_parser_is_fresh() -> None:
    assert grammar_build.is_fresh(), "run: python -m musicplan.syntax.grammar_build"


def test_generated_tables_are_what_lark_builds() -> None:
    """The tables module is exactly what Lark builds from the grammar now (generation is
    deterministic: the states are numbered in a fixed order, whatever the string hashing)."""
    assert grammar_build.GENERATED.read_text(encoding="utf-8") == grammar_build.generate()


def test_parses_in_several_threads_at_once() -> None:
    """The parser keeps no state between parses (no shared parser object, no lock): many
    threads parsing different files at once each get what a parse alone gives."""
    from concurrent.futures import ThreadPoolExecutor

    texts = [f'gen "Part {index}" {index + 3}s styles["a{index}"]\n  | line {index}\n'
             * (index + 1) + ("keep 0-" if index % 3 == 0 else "")
             for index in range(24)]
    alone = [parse(text, f"{index}.mpl") for index, text in enumerate(texts)]
    with ThreadPoolExecutor(max_workers=6) as pool:
        together = list(pool.map(parse, texts, [f"{i}.mpl" for i in range(len(texts))]))
    assert together == alone
    assert all(result.diagnostics for result in alone[::3])


def test_every_rule_of_the_tables_has_its_node_builder() -> None:
    """A rule added to the grammar needs a method of the node builder (`parse.RULES`)."""
    from musicplan.syntax import _mpl_parser as tables
    from musicplan.syntax import parse as driver

    built = {name for _, _, how, name, _, _ in tables.RULES if how == "node"}
    assert built == set(driver.RULES)
