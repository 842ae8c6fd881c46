"""`mpl fmt`: in place, --check, --diff, stdin, and files with syntax errors left alone."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from musicplan.cli import main

UNTIDY = 'keep   0-30s\ngen "A"  3s styles[ "x" ]\n'
TIDY = 'keep 0-30s\ngen "A" 3s styles["x"]\n'


def _run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["fmt", *args], input=stdin)
    return result.exit_code, result.stdout, result.stderr


def test_rewrites_files_in_place(tmp_path: Path) -> None:
    untidy, tidy = tmp_path / "a.mpl", tmp_path / "b.mpl"
    untidy.write_text(UNTIDY, encoding="utf-8")
    tidy.write_text(TIDY, encoding="utf-8")
    before = tidy.stat().st_mtime_ns
    code, _, err = _run(str(untidy), str(tidy))
    assert code == 0
    assert untidy.read_text(encoding="utf-8") == TIDY
    assert tidy.stat().st_mtime_ns == before  # an unchanged file is not rewritten
    assert f"reformatted {untidy}" in err and str(tidy) not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.mpl", "b.mpl"]  # no temp files


def test_check_lists_files_that_would_change(tmp_path: Path) -> None:
    untidy, tidy = tmp_path / "a.mpl", tmp_path / "b.mpl"
    untidy.write_text(UNTIDY, encoding="utf-8")
    tidy.write_text(TIDY, encoding="utf-8")
    code, out, _ = _run("--check", str(untidy), str(tidy))
    assert (code, out) == (1, f"{untidy}\n")
    assert untidy.read_text(encoding="utf-8") == UNTIDY
    assert _run("--check", str(tidy))[0] == 0


def test_crlf_files_count_as_changed(tmp_path: Path) -> None:
    path = tmp_path / "w.mpl"
    path.write_bytes(TIDY.replace("\n", "\r\n").encode())
    assert _run("--check", str(path))[0] == 1
    assert _run(str(path))[0] == 0
    assert path.read_bytes() == TIDY.encode()


def test_diff_prints_a_unified_diff_and_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "a.mpl"
    path.write_text(UNTIDY, encoding="utf-8")
    code, out, _ = _run("--diff", str(path))
    assert code == 0
    assert "-keep   0-30s\n" in out and "+keep 0-30s\n" in out and out.startswith("--- ")
    assert path.read_text(encoding="utf-8") == UNTIDY


def test_stdin_to_stdout() -> None:
    assert _run("-", stdin=UNTIDY)[:2] == (0, TIDY)
    assert _run("-", stdin=TIDY)[:2] == (0, TIDY)
    assert _run("--check", "-", stdin=UNTIDY)[:2] == (1, "<stdin>\n")


def test_syntax_errors_are_reported_and_the_file_left_alone(tmp_path: Path) -> None:
    bad, good = tmp_path / "bad.mpl", tmp_path / "good.mpl"
    bad.write_text("keep   0-\n", encoding="utf-8")
    good.write_text(UNTIDY, encoding="utf-8")
    code, _, err = _run(str(bad), str(good))
    assert code == 1
    assert "bad.mpl:1:10: error[E0101]" in err
    assert bad.read_text(encoding="utf-8") == "keep   0-\n"
    assert good.read_text(encoding="utf-8") == TIDY


def test_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    assert _run(str(tmp_path / "nope.mpl"))[0] == 2


def test_diff_marks_a_last_line_without_newline_so_patch_applies_it(tmp_path: Path) -> None:
    source = tmp_path / "n.mpl"
    source.write_text(TIDY.rstrip("\n"), encoding="utf-8")
    code, out, _ = _run("--diff", str(source))
    assert code == 0
    assert out.endswith('-gen "A" 3s styles["x"]\n\\ No newline at end of file\n'
                        '+gen "A" 3s styles["x"]\n')


def test_an_unreadable_file_does_not_stop_the_others(tmp_path: Path) -> None:
    untidy = tmp_path / "a.mpl"
    untidy.write_text(UNTIDY, encoding="utf-8")
    code, _, err = _run(str(tmp_path / "missing.mpl"), str(untidy))
    assert code == 2 and "missing.mpl: no such file" in err
    assert untidy.read_text(encoding="utf-8") == TIDY


def test_formatting_in_place_keeps_the_mode_and_writes_through_a_link(tmp_path: Path) -> None:
    real = tmp_path / "real.mpl"
    real.write_text(UNTIDY, encoding="utf-8")
    real.chmod(0o755)
    link = tmp_path / "link.mpl"
    link.symlink_to(real)
    assert _run(str(link))[0] == 0
    assert link.is_symlink() and real.read_text(encoding="utf-8") == TIDY
    assert real.stat().st_mode & 0o777 == 0o755
