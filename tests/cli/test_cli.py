"""The `mpl compile` / `mpl check` / `mpl schema` commands: outputs, exit codes, atomic
writes, JSON diagnostics, and a compile path free of heavy imports."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import EXAMPLES
from musicplan import __version__
from musicplan.cli import main

BAD = 'gen "Intro" 2s styles["a", "b", "c", "d", "e", "f"]\n'
WARN = 'gen "Intro" 30s styles["techno"]\n'


def run(*args: str, input: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), input=input)
    return result.exit_code, result.stdout, result.stderr


def test_compile_prints_the_plan() -> None:
    code, out, _ = run("compile", str(EXAMPLES / "loop.mpl"))
    assert code == 0
    assert json.loads(out) == json.loads((EXAMPLES / "loop.json").read_text())


def test_request_body_carries_the_plan_header() -> None:
    code, out, _ = run("compile", "--request", str(EXAMPLES / "trailer.mpl"))
    body = json.loads(out)
    assert code == 0
    assert list(body) == ["model_id", "composition_plan", "seed", "store_for_inpainting"]
    assert body["model_id"] == "music_v2" and body["seed"] == 7
    assert body["composition_plan"] == json.loads((EXAMPLES / "trailer.json").read_text())


def test_stdin(tmp_path: Path) -> None:
    code, out, _ = run("compile", "-", input=(EXAMPLES / "extend.mpl").read_text())
    assert code == 0 and json.loads(out)["chunks"]


def test_errors_exit_1_and_write_nothing(tmp_path: Path) -> None:
    source = tmp_path / "bad.mpl"
    source.write_text(BAD)
    target = tmp_path / "out.json"
    code, out, err = run("compile", str(source), "-o", str(target))
    assert code == 1 and out == ""
    assert f"{source}:1:13: error[E0203]" in err
    assert "  1 | gen" in err and "^^" in err and "= hint: write 3s or more" in err
    assert not target.exists()
    assert list(tmp_path.iterdir()) == [source]


def test_one_bad_file_of_several_writes_nothing(tmp_path: Path) -> None:
    good, bad = tmp_path / "good.mpl", tmp_path / "bad.mpl"
    good.write_text(WARN)
    bad.write_text(BAD)
    out_dir = tmp_path / "out"
    code, _, _ = run("compile", str(good), str(bad), "-o", str(out_dir))
    assert code == 1 and not out_dir.exists()


def test_several_files_to_a_folder(tmp_path: Path) -> None:
    out_dir = tmp_path / "plans"
    code, _, err = run("compile", str(EXAMPLES / "loop.mpl"), str(EXAMPLES / "edit.mpl"),
                       "-o", str(out_dir))
    assert code == 0, err
    assert sorted(p.name for p in out_dir.iterdir()) == ["edit.json", "loop.json"]


def test_several_files_need_a_folder() -> None:
    code, _, err = run("compile", str(EXAMPLES / "loop.mpl"), str(EXAMPLES / "edit.mpl"))
    assert code == 2 and "-o DIR" in err


def test_warnings_pass_unless_strict(tmp_path: Path) -> None:
    source = tmp_path / "w.mpl"
    source.write_text(WARN)
    code, out, err = run("compile", str(source))
    assert code == 0 and json.loads(out) and "warning[W0101]" in err
    code, out, err = run("compile", "--strict", str(source))
    assert code == 1 and out == "" and "error[W0101]" in err


def test_check_json_format(tmp_path: Path) -> None:
    source = tmp_path / "bad.mpl"
    source.write_text(BAD)
    code, out, _ = run("check", "--format", "json", str(source))
    assert code == 1
    diagnostics = json.loads(out)
    assert [d["code"] for d in diagnostics] == ["E0202", "E0203"]  # 2 s in all, and too short
    diagnostic = diagnostics[1]
    assert diagnostic["severity"] == "error"
    assert (diagnostic["line"], diagnostic["col"], diagnostic["end_col"]) == (1, 13, 15)
    assert diagnostic["hint"] == "write 3s or more"


def test_check_json_carries_the_fix_of_a_misspelt_name(tmp_path: Path) -> None:
    source = tmp_path / "typo.mpl"
    source.write_text('song s = "vVtPM1Sas70E2LIhQFch"\nkeep s 0-10s\n'
                      'gen "X" 10s styles["a"] adherence=hgih\n')
    code, out, _ = run("check", "--format", "json", str(source))
    [diagnostic] = json.loads(out)
    assert code == 1 and diagnostic["code"] == "E0210"
    assert diagnostic["fix"] == {"title": "Change to high", "text": "high", "file": str(source),
                                 "line": 3, "col": 35, "end_line": 3, "end_col": 39}


def test_check_clean_file_json_is_empty_list() -> None:
    code, out, _ = run("check", "--format", "json", str(EXAMPLES / "similar.mpl"))
    assert code == 0 and json.loads(out) == []


@pytest.mark.parametrize("args", [["compile", "missing.mpl"], ["check", "missing.mpl"],
                                  ["compile"], ["nonsense"]])
def test_misuse_exits_2(args: list[str]) -> None:
    code, _, err = run(*args)
    assert code == 2 and "Traceback" not in err


def test_a_directory_is_misuse_and_text_that_is_not_utf8_an_error(tmp_path: Path) -> None:
    assert run("check", str(tmp_path))[0] == 2
    latin1 = tmp_path / "song.mpl"
    latin1.write_bytes(b'keep 0-30s\ngen "Caf\xe9" 5s styles["a"]\n')
    code, out, err = run("compile", str(latin1))
    assert (code, out) == (1, "")
    assert err.startswith(f"{latin1}:2:9: error[E0106]: not UTF-8 text: invalid continuation "
                          "byte (byte 19)\n")
    assert "= hint: save the file as UTF-8" in err
    result = CliRunner().invoke(main, ["check", "-"], input=latin1.read_bytes())
    assert result.exit_code == 1 and "<stdin>:2:9: error[E0106]" in result.stderr


def test_version_and_help() -> None:
    code, out, _ = run("--version")
    assert code == 0 and __version__ in out
    code, out, _ = run("--help")
    assert code == 0 and "compile" in out and "check" in out and "Exit codes" in out


def test_schema_describes_the_limits() -> None:
    code, out, _ = run("schema")
    schema = json.loads(out)
    generation = schema["$defs"]["GenerationChunk"]["properties"]
    assert code == 0
    assert generation["duration_ms"]["minimum"] == 3000
    assert generation["duration_ms"]["maximum"] == 120000
    assert schema["properties"]["chunks"]["maxItems"] == 30
    request = json.loads(run("schema", "--request")[1])
    assert request["properties"]["model_id"]["enum"] == ["music_v2", "music_v2_5"]
    assert request["properties"]["model_id"]["default"] == "music_v2"


# Modules `mpl compile` and `mpl check` must not import: the parser generator (its tables
# are generated ahead of time), the HTTP client, the models, the language server, the
# highlighter, and what only writing a file (tempfile) or nothing (logging, pickle) needs.
HEAVY = ("lark", "pydantic", "httpx", "pygls", "pygments", "tempfile", "logging", "pickle")


def test_compile_path_stays_light() -> None:
    """`mpl compile` and `mpl check`, each in a fresh interpreter, import none of HEAVY (and
    the compile really ran: its JSON is on stdout)."""
    for command in ("compile", "check"):
        code = (
            "import sys\n"
            "from musicplan.cli import main\n"
            f"sys.argv = ['mpl', {command!r}, {str(EXAMPLES / 'similar.mpl')!r}]\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "import gc\n"
            f"heavy = [m for m in {HEAVY!r} if m in sys.modules]\n"
            "print(heavy, gc.isenabled(), gc.get_freeze_count() > 1000, file=sys.stderr)\n"
        )
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                check=True)
        # none of HEAVY; the start-up's objects frozen, the collector running again
        assert result.stderr.strip().splitlines()[-1] == "[] True True", (command,
                                                                         result.stderr)
        if command == "compile":
            assert json.loads(result.stdout)["chunks"]


def test_shell_completion_script() -> None:
    program = "from musicplan.cli import main; main(prog_name='mpl')"
    result = subprocess.run([sys.executable, "-c", program],
                            env={"_MPL_COMPLETE": "bash_source", "PATH": ""},
                            capture_output=True, text=True)
    assert "complete" in result.stdout


def test_two_outputs_on_one_path_or_over_the_source_are_refused(tmp_path: Path) -> None:
    for folder in ("c1", "c2"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "x.mpl").write_text((EXAMPLES / "oneliner.mpl").read_text())
    out = tmp_path / "out"
    code, _, err = run("compile", "-o", str(out), str(tmp_path / "c1" / "x.mpl"),
                       str(tmp_path / "c2" / "x.mpl"))
    assert code == 2 and "would both be written to" in err and not out.exists()
    source = tmp_path / "c1" / "x.mpl"
    before = source.read_text()
    code, _, err = run("compile", str(source), "-o", str(source))
    assert code == 2 and "would overwrite the source" in err and source.read_text() == before


def test_a_diagnostic_with_no_place_goes_through_the_same_renderers() -> None:
    """A refused key or an unwritable OUT has no place in a source: the short, rich and JSON
    renderers print it as any diagnostic, only without file:line:col or a frame."""
    from musicplan.diagnostics import error, render, render_short, sort_key, to_json, warning
    from musicplan.syntax.spans import Span

    nowhere = error("E0703", "the key in ELEVENLABS_API_KEY was refused", hint="check it")
    assert not nowhere.located
    assert render_short(nowhere) == "error[E0703]: the key in ELEVENLABS_API_KEY was refused"
    assert render(nowhere, {}) == render_short(nowhere) + "\n  = hint: check it"
    assert to_json(nowhere) == {"code": "E0703", "severity": "error", "hint": "check it",
                                "message": "the key in ELEVENLABS_API_KEY was refused"}
    here = warning("W0201", "binding `x` is never used", Span("a.mpl", 1, 5, 1, 6, 4, 5))
    assert here.located and to_json(here)["line"] == 1
    assert render(here, {"a.mpl": "let x = 1\n"}).splitlines()[:3] == [
        "a.mpl:1:5: warning[W0201]: binding `x` is never used", "  1 | let x = 1",
        "    |     ^"]
    assert sorted([nowhere, here], key=sort_key) == [here, nowhere]


def test_an_existing_output_is_refused_as_a_diagnostic_in_json_too(tmp_path: Path) -> None:
    out = tmp_path / "loop.json"
    out.write_text("{}")
    code, _, err = run("compile", str(EXAMPLES / "loop.mpl"), "-o", str(out), "--format", "json")
    assert code == 2
    [problem] = json.loads(err)
    assert problem["code"] == "E0709" and "line" not in problem and "--force" in problem["hint"]
    code, _, err = run("compile", str(EXAMPLES / "loop.mpl"), "-o", str(out))
    assert code == 2 and err.startswith(f"error[E0709]: {out} exists")


def test_lints_stay_quiet_while_anything_is_an_error() -> None:
    """One lint policy (checks.quiet_lints) for the rules' lints and the resolve stage's
    unused name (W0201): shown on a sound plan, quiet beside any error."""
    from musicplan.checks import LINT_CODES
    from musicplan.pipeline import compile_text

    chunk = 'gen "Intro" 30s styles["a", "b", "c", "d", "e", "f"]\n'
    sound = compile_text("let spare = 10s\n" + chunk * 2, "t.mpl")
    assert {"W0201", "W0205"} <= {d.code for d in sound.diagnostics} and sound.ok
    broken = compile_text("let spare = 10s\n" + chunk * 2 + BAD, "t.mpl")
    assert {d.code for d in broken.diagnostics} == {"E0203"}
    assert {"W0201", "W0202", "W0203", "W0204", "W0205", "W0206"} <= LINT_CODES


def test_the_front_ends_run_the_stages_through_the_pipeline() -> None:
    """Decompiling, the registry, the client and the commands resolve and check through
    `pipeline` (compile_text / compile_program), never by calling the resolver or the
    checks themselves: one order of stages, one lint policy."""
    import ast

    import musicplan

    package = Path(musicplan.__file__).parent
    for folder in ("decompile", "api", "cli"):
        for path in (package / folder).glob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, ast.ImportFrom) and node.level:
                    module = node.module or ""
                    names = {alias.name for alias in node.names}
                    assert module != "resolve.resolver" and module != "checks" and not (
                        module == "resolve" and "resolver" in names), f"{path.name}: {module}"
