"""The mistakes people make: misspelt keywords, missing stdlib imports, single quotes, JSON
given to `mpl compile`, a byte order mark, and the Python API's errors on bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from musicplan import MPLCompileError, compile_file, compile_string
from musicplan.cli import main
from musicplan.editor.lsp.document import Analysis
from musicplan.pipeline import compile_text

STYLES = 'styles["pop", "synth", "warm", "bright", "female vocal", "upbeat"]'
SONG = 'song s = "vVtPM1Sas70E2LIhQFch" length=60s\n'
BOM = "\ufeff"


def _only(text: str) -> list[tuple[str, str | None]]:
    return [(d.code, d.hint) for d in compile_text(text, "t.mpl").diagnostics]


@pytest.mark.parametrize(("text", "word", "keyword"), [
    (f'gne "A" 10s {STYLES}\n', "gne", "gen"),
    (SONG + "keeep s 0-10s\n", "keeep", "keep"),
    ('gen "A" 10s styels["a"]\n', "styels", "styles"),
    (f'gen "A" 10s {STYLES} adherance=high\n', "adherance", "adherence"),
    ('song s = "abc" lenght=60s\nkeep s 0-10s\n', "lenght", "length"),
])
def test_a_misspelt_keyword_is_named_with_its_fix(text: str, word: str, keyword: str) -> None:
    [diagnostic] = compile_text(text, "t.mpl").diagnostics
    assert diagnostic.code == "E0101"
    assert diagnostic.message == f"unknown word `{word}`"
    assert diagnostic.hint == f"did you mean `{keyword}`?"
    assert diagnostic.fix is not None and diagnostic.fix.text == keyword
    fixed = text[:diagnostic.fix.span.start] + keyword + text[diagnostic.fix.span.end:]
    assert not [d for d in compile_text(fixed, "t.mpl").diagnostics if d.is_error]


def test_a_time_unit_slip_keeps_its_own_hint() -> None:
    [(code, hint)] = _only("keep 0-30sec\n")
    assert code == "E0101" and hint is not None and "unit" in hint


@pytest.mark.parametrize(("text", "module"), [
    ('gen "A" 10s styles[pop]\n', 'import "std/styles"'),
    (SONG + "loop(s, 0-4s)\n", 'import "std/recipes"'),
    ('gen "A" 10s styles[std.house]\n', 'import "std/styles" as std'),
])
def test_a_stdlib_name_without_its_import_names_the_import(text: str, module: str) -> None:
    [(code, hint)] = _only(text)
    assert code == "E0306" and hint is not None and hint.endswith(f"add {module}")
    fixed = module + "\n" + text
    assert not [d for d in compile_text(fixed, "t.mpl").diagnostics if d.is_error]


def test_a_stdlib_name_under_a_keyword_prefix_is_told_to_import_it_plainly() -> None:
    [(code, hint)] = _only('gen "A" 10s styles[styles.house]\n')
    assert code == "E0306"
    assert hint == '`house` is in the standard library: add import "std/styles" and write `house`'
    fixed = 'import "std/styles"\n' + 'gen "A" 10s styles[house]\n'
    assert not [d for d in compile_text(fixed, "t.mpl").diagnostics if d.is_error]


def test_single_quotes_say_to_use_double_quotes() -> None:
    text = f"gen 'Intro' 10s {STYLES}\n"
    [diagnostic] = compile_text(text, "t.mpl").diagnostics
    assert diagnostic.code == "E0104" and "double quotes" in diagnostic.message
    assert diagnostic.fix is not None and diagnostic.fix.text == '"Intro"'
    fixed = text[:diagnostic.fix.span.start] + diagnostic.fix.text + text[diagnostic.fix.span.end:]
    assert compile_text(fixed, "t.mpl").ok


def test_compile_and_check_on_json_say_to_decompile(tmp_path: Path) -> None:
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps({"chunks": [{"text": "[A]", "duration_ms": 10000,
                                            "positive_styles": ["a"]}]}), encoding="utf-8")
    for command in ("compile", "check"):
        result = CliRunner().invoke(main, [command, str(plan)])
        assert result.exit_code == 1 and result.stdout == ""
        assert "error[E0220]" in result.stderr
        assert f"mpl decompile {plan}" in result.stderr


def test_a_byte_order_mark_is_accepted_everywhere(tmp_path: Path) -> None:
    source = f'gen "Intro" 10s {STYLES}\n'
    plain, marked = tmp_path / "plain.mpl", tmp_path / "marked.mpl"
    plain.write_text(source, encoding="utf-8")
    marked.write_text(BOM + source, encoding="utf-8")
    runner = CliRunner()
    compiled = runner.invoke(main, ["compile", str(marked)])
    assert compiled.exit_code == 0
    assert compiled.stdout == runner.invoke(main, ["compile", str(plain)]).stdout
    assert runner.invoke(main, ["check", str(marked)]).exit_code == 0
    assert compile_file(marked) == compile_file(plain)
    assert Analysis(marked.as_uri(), BOM + source).compilation.diagnostics == []
    # fmt drops the mark, and only the mark (docs/language.md, lexical structure)
    assert runner.invoke(main, ["fmt", str(marked)]).exit_code == 0
    assert marked.read_bytes() == plain.read_bytes()
    plan = tmp_path / "plan.json"
    compiled_json = runner.invoke(main, ["compile", str(plain)]).stdout
    plan.write_text(BOM + compiled_json, encoding="utf-8")
    decompiled = runner.invoke(main, ["decompile", str(plan)])
    assert decompiled.exit_code == 0 and 'gen "Intro" 10s' in decompiled.stdout


LABEL_100 = "x" * 100


@pytest.mark.parametrize(("body", "code"), [
    (f'gen "{LABEL_100}" 10s {STYLES}\n', None),
    (f'gen "{LABEL_100}y" 10s {STYLES}\n', "E0215"),
    (f'gen "" 10s {STYLES}\n', "E0216"),
    (f'gen "A" 10s {STYLES}\n' + "| la\n" * 29, None),
    (f'gen "A" 10s {STYLES}\n' + "| la\n" * 30, "E0217"),
    (f'gen "A" 10s {STYLES}\n| {"a" * 200}\n', None),
    (f'gen "A" 10s {STYLES}\n| {"a" * 201}\n', "E0218"),
    (f'gen "A" 10s {STYLES} text "{"a" * 201}"\n', "E0218"),
    (f'gen "A" 10s {STYLES} text "[]"\n', "E0216"),
    (f'plan finetune=""\ngen "A" 10s {STYLES}\n', "E0219"),
    (f'plan finetune="  "\ngen "A" 10s {STYLES}\n', "E0219"),
    ('gen "A" 10s styles["a", ""]\n', "E0213"),
    ('song s = "" length=60s\nkeep s 0-10s\n', "E0213"),
])
def test_the_python_api_raises_its_own_error_at_each_limit(body: str, code: str | None) -> None:
    """Each text limit holds in the checks and the pydantic models alike: the API returns a
    model, or raises MPLCompileError naming the code — never a pydantic ValidationError."""
    if code is None:
        assert compile_string(body).chunks
        return
    with pytest.raises(MPLCompileError) as caught:
        compile_string(body)
    assert code in [d.code for d in caught.value.diagnostics]
    assert f"error[{code}]" in str(caught.value)


def test_the_python_api_on_a_file_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.mpl"
    path.write_bytes('gen "Café" 10s styles["a"]\n'.encode("latin-1"))
    with pytest.raises(MPLCompileError) as caught:
        compile_file(path)
    assert [d.code for d in caught.value.diagnostics] == ["E0106"]
    assert caught.value.compilation is None


def test_compile_file_reads_windows_newlines(tmp_path: Path) -> None:
    path = tmp_path / "crlf.mpl"
    path.write_bytes(f'gen "A" 10s {STYLES}\r\n| la\r\n'.encode())
    assert compile_file(path).chunks[0].text == "[A]\nla"  # type: ignore[union-attr]


def test_a_missing_import_suggests_the_nearest_existing_file(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("", encoding="utf-8")
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "presets.mpl").write_text('let warm = ["warm"]\n', encoding="utf-8")
    text = f'import "./shard/preset"\ngen "A" 10s styles[warm, {STYLES[7:-1]}]\n'
    found = [d for d in compile_text(text, "main.mpl", base_dir=tmp_path).diagnostics
             if d.code == "E0501"]
    assert [d.hint for d in found] == ["did you mean `./shared/presets.mpl`?"]
    fix = found[0].fix
    assert fix is not None
    fixed = text[:fix.span.start] + fix.text + text[fix.span.end:]
    assert compile_text(fixed, "main.mpl", base_dir=tmp_path).ok


@pytest.mark.parametrize(("text", "code", "message"), [
    (f'gen "A" 2:00 {STYLES}\n' * 5 + f'gen "B" 10s {STYLES}\n', "E0202",
     "the song is 10:10 long; the API allows at most 10:00"),
    (f'gen "A" 500ms {STYLES}\n', "E0203",
     "generation chunk is 0.5 s long; the API needs 3 s to 120 s"),
    (f'gen "A" 2:00.250 {STYLES}\n', "E0203",
     "generation chunk is 120.25 s long; the API needs 3 s to 120 s"),
])
def test_a_length_and_its_limit_are_printed_in_one_unit(text: str, code: str,
                                                        message: str) -> None:
    found = [d.message for d in compile_text(text, "t.mpl").diagnostics if d.code == code]
    assert found == [message]


def test_a_broken_json_file_is_still_told_to_decompile() -> None:
    [diagnostic] = compile_text('{"chunks": [}\n', "plan.json").diagnostics
    assert diagnostic.code == "E0220"
    assert diagnostic.hint == "to turn a plan's JSON into MPL, run: mpl decompile plan.json"


def test_an_empty_style_is_found_through_bindings_stdlib_splices_and_templates() -> None:
    text = ('import "std/recipes"\nimport "std/styles"\n' + SONG
            + 'let mine = [pop, ""]\nloop(s, 0-4s, feel=[""])\ngen "B" 10s styles[mine]\n')
    found = [(d.code, d.span.line, d.span.col) for d in compile_text(text, "t.mpl").diagnostics]
    assert found == [("E0213", 4, 18), ("E0213", 5, 21)]


def test_render_refuses_bad_input_with_mpl_errors_before_sending(tmp_path: Path) -> None:
    from musicplan.api.client import prepare_render
    from musicplan.api.session import InvalidPlan

    long_label = {"chunks": [{"text": f"[{'x' * 101}]", "duration_ms": 10000,
                              "positive_styles": ["a"]}]}
    with pytest.raises(InvalidPlan):
        prepare_render(long_label)
    with pytest.raises(MPLCompileError) as caught:
        prepare_render(text=f'gen "" 10s {STYLES}\n')
    assert [d.code for d in caught.value.diagnostics] == ["E0216"]
    latin1 = tmp_path / "latin1.mpl"
    latin1.write_bytes('gen "Café" 10s styles["a"]\n'.encode("latin-1"))
    with pytest.raises(MPLCompileError) as caught:
        prepare_render(latin1)
    assert [d.code for d in caught.value.diagnostics] == ["E0106"]


TEXT_LIMITS = {"E0215", "E0216", "E0217", "E0218"}


@given(label=st.integers(0, 104), lines=st.lists(st.integers(1, 204), max_size=31))
def test_the_checks_and_the_models_agree_on_the_text_limits(label: int,
                                                              lines: list[int]) -> None:
    """Around every text limit: a model when the checks pass, MPLCompileError naming exactly
    the broken limits otherwise — never a pydantic ValidationError."""
    lyrics = "".join(f"| {'a' * length}\n" for length in lines)
    text = f'gen "{"b" * label}" 10s {STYLES}\n{lyrics}'
    expected = {code for code, broken in (
        ("E0216", label == 0), ("E0215", label > 100), ("E0217", len(lines) + 1 > 30),
        ("E0218", any(length > 200 for length in lines))) if broken}
    try:
        plan = compile_string(text)
    except MPLCompileError as exc:
        assert {d.code for d in exc.diagnostics} == expected
    else:
        assert not expected and plan.chunks[0].text.count("\n") == len(lines)  # type: ignore[union-attr]


def test_decompile_holds_json_to_the_same_text_limits() -> None:
    from musicplan.decompile.lift import decompile_text

    chunks = [{"text": f"[{'x' * 101}]\nla\n{'b' * 201}", "duration_ms": 10000,
               "positive_styles": ["a"]},
              {"text": "[]", "duration_ms": 10000, "positive_styles": ["a"]},
              {"text": "[C]\n" + "la\n" * 30, "duration_ms": 10000, "positive_styles": ["a"]}]
    body = {"model_id": "music_v2", "composition_plan": {"chunks": chunks}, "finetune_id": ""}
    text, diagnostics = decompile_text(json.dumps(body), "plan.json")
    assert text is None
    assert sorted(d.code for d in diagnostics) == ["E0215", "E0216", "E0217", "E0218", "E0219"]


def test_a_byte_order_mark_takes_no_column(tmp_path: Path) -> None:
    """Positions on the first line are counted as the editor shows them, without the mark."""
    marked = tmp_path / "marked.mpl"
    marked.write_text(BOM + 'gen "Intro" 1s styles["a"]\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(marked)])
    assert result.exit_code == 1
    assert f"{marked}:1:13: error[E0203]" in result.stderr
    assert '  1 | gen "Intro" 1s styles["a"]\n    |             ^^\n' in result.stderr


def test_the_nearby_files_walk_is_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A mistyped import looks a few folders down and reads a bounded number of entries, so a
    project folder holding a huge tree (a home folder) is not walked on every keystroke."""
    from musicplan.resolve import imports

    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "near.mpl").write_text("", encoding="utf-8")
    deep = tmp_path.joinpath("a", "b", "c", "d", "e")
    deep.mkdir(parents=True)
    (deep / "far.mpl").write_text("", encoding="utf-8")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "secret.mpl").write_text("", encoding="utf-8")
    assert imports.nearby_files(tmp_path, tmp_path) == ["./a/b/near.mpl"]
    monkeypatch.setattr(imports, "MAX_LOOKED_AT", 2)  # reads `.hidden`, `a`: stops there
    assert imports.nearby_files(tmp_path, tmp_path) == []


def test_names_in_messages_cannot_colour_or_break_the_terminal(tmp_path: Path) -> None:
    """A label copied into a message keeps no escape or line separator of its own: they are
    shown escaped, and the message stays one line."""
    plan = tmp_path / "p.mpl"
    plan.write_text('song s = "vVtPM1Sas70E2LIhQFch" length=60s\n'
                    'regen "Out\\u001b[31m\\u2028ro" styles["a"]\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(plan)])
    assert result.exit_code == 1
    first = result.stderr.splitlines()[0]
    assert 'regen "Out\\x1b[31m\\u2028ro" has no duration' in first
    assert "\x1b" not in result.stderr and "\u2028" not in result.stderr
