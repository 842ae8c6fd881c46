"""Hostile input, through the CLI: every case ends in exit 1 with its diagnostic code (or a
plan, for constructs that are fine however deep), never an internal error (exit 3).

Each case is built in a temporary project (a `.git` folder marks it): huge numbers, paths the
system cannot look up, and nesting of every kind far past its limit. The inputs are small
enough to run in well under a second each; their sizes mirror issue 17's reports.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from musicplan import pipeline
from musicplan.cli import main
from musicplan.resolve import resolver

HEAD = 'song s = "abc" length=60s\n'
BIG = "9" * 5000  # past Python's own limit on reading digits (4300)


@dataclass
class Case:
    files: dict[str, str]
    code: str | None  # the diagnostic expected; None: the program compiles (exit 0)
    message: str = ""  # a fragment of that diagnostic's message


def _chain(count: int) -> dict[str, str]:
    """root.mpl imports f1.mpl, which imports f2.mpl, … down to f<count>.mpl."""
    files = {"root.mpl": HEAD + 'import "./f1.mpl"\nkeep 0s-10s\n'}
    for index in range(1, count):
        files[f"f{index}.mpl"] = f'import "./f{index + 1}.mpl"\n'
    files[f"f{count}.mpl"] = "let x = 1s\n"
    return files


def _nest(opening: str, inner: str, depth: int) -> str:
    return opening * depth + inner + "\n" + "}\n" * depth


def _windows_in_templates(depth: int, templates: int) -> str:
    """Templates each calling the one before from inside `depth` nested windows."""
    window = "replace s 0s-10s {\n"
    text = HEAD + "template t0() {\n" + _nest(window, 'gen "x" 10s', depth) + "}\n"
    for index in range(1, templates):
        text += f"template t{index}() {{\n" + _nest(window, f"t{index - 1}()", depth) + "}\n"
    return text + f"t{templates - 1}()\n"


def _fan_out(levels: int, width: int) -> str:
    """Templates each calling the one before `width` times: width**levels expansions."""
    text = HEAD + 'template t0() { keep 0s-10s }\n'
    for index in range(1, levels + 1):
        calls = "\n".join(f"  t{index - 1}()" for _ in range(width))
        text += f"template t{index}() {{\n{calls}\n}}\n"
    return text + f"t{levels}()\n"


def _aliases(depth: int) -> str:
    lets = "".join(f"let a{index} = a{index - 1}\n" for index in range(1, depth + 1))
    return HEAD + "let a0 = 2s-7s\n" + lets + f"keep a{depth}\n"


def _number(line: str, tempo: bool = False) -> Case:
    return Case({"root.mpl": ("tempo 120\n" if tempo else "") + HEAD + line + "\n"}, "E0214",
                "characters long; MPL reads numbers of at most 100")


CASES: dict[str, Case] = {
    # paths the system cannot look up
    "nul escape in import": Case({"root.mpl": HEAD + 'import "a\\u0000"\nkeep 0s-10s\n'},
                                 "E0501", "NUL"),
    "raw nul in import": Case({"root.mpl": HEAD + 'import "a\0"\nkeep 0s-10s\n'}, "E0501", "NUL"),
    "import name too long": Case({"root.mpl": HEAD + f'import "./{"a" * 300}.mpl"\n'}, "E0501",
                                 "too long"),
    "import path too long": Case({"root.mpl": HEAD + 'import "./' + "/".join(["a" * 200] * 30)
                                  + '.mpl"\n'}, "E0501", "too long"),
    # numbers past Python's limit on reading digits, everywhere a number goes
    "seed": _number(f"plan seed={BIG}"),
    "finetune_strength": _number(f'plan finetune="x" finetune_strength={BIG}'),
    "milliseconds": _number(f"keep 0s-{BIG}ms"),
    "seconds": _number(f'gen "x" {BIG}s'),
    "fraction of seconds": _number(f'gen "x" 1.{BIG}s'),
    "clock": _number(f'gen "x" {BIG}:00'),
    "bare range end": _number(f"keep 0-{BIG}"),
    "tempo": _number(f"tempo {BIG}"),
    "time signature": _number(f"tempo 120 4/{BIG}"),
    "bars": _number(f'gen "x" {BIG} bars', tempo=True),
    "beats": _number(f'gen "x" {BIG} beats', tempo=True),
    "bar position": _number(f"keep bar 1-bar {BIG}", tempo=True),
    "song length": _number(f"song t = \"x\" length={BIG}s"),
    "binding": _number(f'let d = {BIG}ms\ngen "x" d'),
    # nesting, far past every limit
    "list bindings 1000 deep": Case({"root.mpl": HEAD + 'let l0 = ["a"]\n' + "".join(
        f"let l{i} = [l{i - 1}]\n" for i in range(1, 1000)) + 'gen "x" 10s styles[l999]\n'},
        "E0510", "nests lists more than 32 deep"),
    "200 nested replace blocks": Case({"root.mpl": HEAD + _nest("replace s 0s-10s {\n",
                                                                'gen "x" 10s', 200)},
                                      "E0510", "blocks nest more than 32 deep"),
    "300 nested template definitions": Case({"root.mpl": HEAD + _nest(
        "template t() {\n", "keep 0s-10s", 300) + "t()\n"}, "E0510", "more than 32 deep"),
    "templates calling templates 300 deep": Case({"root.mpl": HEAD + "template t0() { keep "
                                                  "0s-10s }\n" + "".join(
        f"template t{i}() {{ t{i - 1}() }}\n" for i in range(1, 300)) + "t299()\n"},
        "E0504", "deeper than 16"),
    "import chain 500 deep": Case(_chain(500), "E0511", "more than 64 files deep"),
    "calls inside nested windows": Case({"root.mpl": _windows_in_templates(31, 16)}, "E0512",
                                        "more than 64 deep"),
    "templates multiplying": Case({"root.mpl": _fan_out(12, 10)}, "E0513",
                                  "into more than 5000 statements"),
    "big template bodies multiplying": Case({"root.mpl": _fan_out(2, 10).replace(
        "{ keep 0s-10s }", "{\n" + "  keep 0s-10s\n" * 500 + "}")}, "E0513",
        "into more than 5000 statements"),
    "lists multiplying": Case({"root.mpl": 'let l0 = ["a", "b"]\n' + "".join(
        f"let l{i} = [{', '.join([f'l{i - 1}'] * 8)}]\n" for i in range(1, 30))
        + 'gen "x" 10s styles[l29]\n'}, "E0514", "more than 1000 names and styles"),
    # wrong answers that were: deep aliases are followed, circles named as circles
    "aliases 33 deep": Case({"root.mpl": _aliases(33)}, None),
    "aliases 3000 deep": Case({"root.mpl": _aliases(3000)}, None),
    "aliases in a circle": Case({"root.mpl": HEAD + "let a = b\nlet b = c\nlet c = a\nkeep a\n"},
                                "E0307", "`a` is bound to itself: a → b → c → a"),
    "declarations in a template never called": Case(
        {"root.mpl": HEAD + 'template t() {\n  song q = "x"\n  import "std/styles"\n'
         "  plan seed=1\n  keep 0s-10s\n}\nkeep 0s-10s\n"}, "E0509", "cannot go inside a block"),
}


def _project(tmp_path: Path, files: dict[str, str]) -> Path:
    (tmp_path / ".git").mkdir()
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path / "root.mpl"


def _mpl(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    assert "internal error" not in result.stderr, result.stderr
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("name", CASES)
def test_hostile_input_is_a_diagnostic(tmp_path: Path, name: str) -> None:
    case = CASES[name]
    root = _project(tmp_path, case.files)
    code, out, err = _mpl("compile", str(root))
    if case.code is None:
        assert code == 0, err
        assert json.loads(out)["chunks"][0]["range"] == {"start_ms": 2000, "end_ms": 7000}
        assert "error" not in err
        return
    assert code == 1, err
    found = re.findall(rf"error\[{case.code}\]: (.*)", err)
    assert found, err
    assert any(case.message in message for message in found), found
    assert "unknown name" not in err  # a deep or circular alias is never "unknown"
    fmt_code, _, _ = _mpl("fmt", "--check", str(root))  # fmt reads only the syntax
    assert fmt_code in (0, 1)


def test_the_recursion_backstop_is_a_diagnostic(monkeypatch: pytest.MonkeyPatch) -> None:
    """For nesting no known limit covers: E0510 and no plan, never an exception."""
    def too_deep(*_: object) -> None:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(pipeline, "resolve_program", too_deep)
    result = pipeline.compile_text(HEAD + "keep 0s-10s\n", "deep.mpl")
    assert result.plan is None and not result.ok
    assert [(d.code, d.message) for d in result.diagnostics] == [
        ("E0510", "the plan nests too deeply to compile")]


def test_an_import_of_a_symbolic_link_loop_is_a_diagnostic(tmp_path: Path) -> None:
    root = _project(tmp_path, {"root.mpl": HEAD + 'import "./loop1.mpl"\nkeep 0s-10s\n'})
    os.symlink("loop2.mpl", tmp_path / "loop1.mpl")
    os.symlink("loop1.mpl", tmp_path / "loop2.mpl")
    code, _, err = _mpl("compile", str(root))
    assert code == 1
    assert "error[E0501]: the import path cannot name a file: it is a symbolic link that leads " \
           "back to itself" in err
    assert "cannot find" not in err


def test_uncalled_template_reports_every_misplaced_declaration(tmp_path: Path) -> None:
    """Found where written, nested windows too; and once each, not again per call."""
    text = (HEAD + "template t() {\n  replace s 0s-10s {\n    tempo 120\n    gen \"x\" 10s\n"
            "  }\n  import \"std/styles\"\n}\ntemplate u() {\n  song q = \"x\"\n  keep 0s-10s\n"
            "}\nu()\nu()\n")
    code, _, err = _mpl("compile", str(_project(tmp_path, {"root.mpl": text})))
    assert code == 1
    assert re.findall(r"error\[(E\d+)\]: (\S+ \S+)", err) == [
        ("E0509", "`tempo` cannot"), ("E0509", "`import` cannot"), ("E0509", "a `song`")]


JSON_CASES: dict[str, tuple[str, str]] = {
    "seed": (f'{{"model_id": "music_v2", "seed": {BIG}, "composition_plan": {{"chunks": '
             '[{"song_id": "a", "range": {"start_ms": 0, "end_ms": 10000}}]}}', "5000"),
    "range end": ('{"chunks": [{"song_id": "a", "range": {"start_ms": 0, "end_ms": ' + BIG
                  + "}}]}", "5000"),
    "duration": ('{"chunks": [{"text": "x", "duration_ms": ' + BIG
                 + ', "positive_styles": ["a"]}]}', "5000"),
    # a float that MPL could write only with 309 digits
    "finetune_strength": ('{"model_id": "music_v2", "finetune_id": "x", "finetune_strength": '
                          '1e308, "composition_plan": {"chunks": [{"song_id": "a", "range": '
                          '{"start_ms": 0, "end_ms": 10000}}]}}', "309"),
}


@pytest.mark.parametrize("name", JSON_CASES)
def test_hostile_json_is_a_diagnostic(tmp_path: Path, name: str) -> None:
    text, length = JSON_CASES[name]
    path = tmp_path / "plan.json"
    path.write_text(text, encoding="utf-8")
    code, out, err = _mpl("decompile", str(path))
    assert code == 1, err
    assert "characters long" in err and "MPL reads numbers of at most 100" in err
    assert f" {length} characters long" in err
    assert out == ""


def test_did_you_mean_hints_stop_when_their_budget_is_spent(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Each hint compares a word with every name in reach; thousands of unknown names among
    thousands of bindings must not take minutes, so the hints stop (the errors do not)."""
    monkeypatch.setattr(resolver, "MAX_HINT_NAMES", 5)
    lets = "".join(f'let style{i} = ["x"]\n' for i in range(3))
    uses = "".join(f'gen "x" 5s styles[styel{i}]\n' for i in range(3))
    result = pipeline.compile_text(HEAD + lets + uses, "hints.mpl")
    assert [(d.code, d.hint) for d in result.diagnostics] == [
        ("E0306", "did you mean `style0`?"), ("E0306", "did you mean `style1`?"),
        ("E0306", None)]


def test_a_song_with_many_sections_is_listed_briefly() -> None:
    sections = "".join(f"  part{i} {i}s-{i + 1}s\n" for i in range(12))
    text = f'song s = "abc" {{\n{sections}}}\nkeep zzz\n'
    (diagnostic,) = pipeline.compile_text(text, "sections.mpl").diagnostics
    assert diagnostic.code == "E0302"
    assert diagnostic.hint == "its sections: " + ", ".join(f"part{i}" for i in range(10)) \
        + ", … (2 more)"


def test_a_file_imported_many_times_is_one_error_per_extra_import(tmp_path: Path) -> None:
    """Not one per name per import: 300 imports of 300 names were 89,700 errors."""
    lib = "".join(f"let n{i} = 1s\n" for i in range(300))
    text = HEAD + 'import "./lib.mpl"\n' * 3 + 'import "./lib" as l\nimport "./lib.mpl" as l\n'
    root = _project(tmp_path, {"root.mpl": text, "lib.mpl": lib})
    code, _, err = _mpl("compile", str(root))
    assert code == 1
    assert re.findall(r"error\[(E\d+)\]: (.*)", err) == [
        ("E0303", '"./lib.mpl" is already imported'),
        ("E0303", '"./lib.mpl" is already imported'),
        ("E0303", '"./lib.mpl" is already imported as l')]
