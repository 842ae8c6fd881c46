"""Bounded work on any input (issue 17): lexing that never scans ahead past one line,
diagnostics rendered with each file's lines indexed once, strings that cost a small multiple
of their size, and reads of regular files only, of at most 16 MiB (E0107, E0108).

Inputs stay small; the growth figures are in bench/scaling.py. Commands that could hang on a
regression run in a subprocess with a timeout, so a hang fails the test instead.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest
from musicplan.diagnostics import render, render_all, warning
from musicplan.files import MAX_SOURCE_BYTES
from musicplan.syntax import nodes as n
from musicplan.syntax.parse import parse
from musicplan.syntax.spans import span_at

GEN = 'gen "Verse" 10s styles["pop"]\n'


# ---- lyric lines after blank and comment lines ---------------------------------------


def test_a_lyric_line_after_blank_and_comment_lines_belongs_to_its_chunk() -> None:
    text = GEN + "\n  # first\n\n\t# second\n  | la la\n  | da\n"
    result = parse(text)
    assert result.diagnostics == ()
    (chunk,) = result.program.statements
    assert isinstance(chunk, n.Generate)
    assert [lyric.text for lyric in chunk.lyrics] == ["la la", "da"]
    assert [(lyric.span.line, lyric.span.col) for lyric in chunk.lyrics] == [(6, 3), (7, 3)]
    assert chunk.span.end_line == 7
    assert [(c.text, c.span.line, c.span.col, c.span.end_col) for c in result.program.comments] \
        == [("# first", 3, 3, 10), ("# second", 5, 2, 10)]


def test_a_crlf_comment_folded_into_a_lyric_line_ends_before_its_cr() -> None:
    text = GEN.replace("\n", "\r\n") + "# c\r\n  | la\r\n# after\r\n"
    comments = parse(text).program.comments
    assert [(c.text, c.span.end - c.span.start) for c in comments] == [("# c", 3), ("# after", 8)]


@pytest.mark.parametrize("between", ["\f\n", "let x = 5s\n", "keep 0-5s\n"])
def test_a_lyric_line_after_another_line_is_e0105(between: str) -> None:
    result = parse(GEN + between + "| la\n")
    assert "E0105" in [d.code for d in result.diagnostics]


def test_a_syntax_error_before_held_newlines_is_reported_before_a_bad_character() -> None:
    """Newlines held back to see whether a lyric line follows still reach the parser before
    the lexer's error at a later character."""
    diagnostics = parse("let x =\n\n\n@\n").diagnostics
    assert (diagnostics[0].code, diagnostics[0].span.line) == ("E0101", 1)


# ---- rendering -------------------------------------------------------------------------


class CountingText(str):
    """A source text that counts how often it is split into lines."""

    splits = 0

    def split(self, *args: object, **kwargs: object) -> list[str]:  # type: ignore[override]
        CountingText.splits += 1
        return super().split(*args, **kwargs)  # type: ignore[arg-type]


def test_render_all_splits_each_source_once() -> None:
    text = CountingText("".join(f"let a{i} = 5s\n" for i in range(200)))
    names = [(text.index(f"a{i} "), len(f"a{i}")) for i in range(200)]
    diagnostics = [warning("W0201", "binding is never used",
                           span_at("t.mpl", text, start, start + size))
                   for start, size in names]
    CountingText.splits = 0
    rendered = list(render_all(diagnostics, {"t.mpl": text}))
    assert CountingText.splits == 1
    assert rendered == [render(d, {"t.mpl": str(text)}) for d in diagnostics]
    assert rendered[199].splitlines()[1:] == ["  200 | let a199 = 5s", "      |     ^^^^"]


# ---- strings ---------------------------------------------------------------------------


@pytest.mark.parametrize("body", ["a" * 200_000, "\\n" * 100_000])
def test_a_long_string_costs_a_small_multiple_of_its_size(body: str) -> None:
    text = f'let s = "{body}"\n'
    parse('let s = "warm"\n')
    tracemalloc.start()
    try:
        result = parse(text)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert result.diagnostics == ()
    assert peak < 20 * len(body)  # was about 530 bytes a character


# ---- reading -----------------------------------------------------------------------------


def mpl(*args: str, stdin: object = subprocess.DEVNULL, cwd: Path | None = None
        ) -> subprocess.CompletedProcess[str]:
    """Run `mpl` in a subprocess that a hang cannot outlive."""
    return subprocess.run([sys.executable, "-m", "musicplan.cli", *args], stdin=stdin,
                          capture_output=True, text=True, timeout=60, cwd=cwd)


COMMANDS = [["compile"], ["check"], ["fmt"], ["fmt", "--check"], ["decompile"], ["explain"]]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_a_fifo_is_refused_without_waiting_for_a_writer(command: list[str],
                                                        tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.mpl"
    os.mkfifo(fifo)
    result = mpl(*command, str(fifo))
    assert result.returncode == 2
    assert result.stderr.startswith(f"{fifo}:1:1: error[E0108]: {fifo} is a FIFO (named pipe)")
    assert "give - and redirect it" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_a_device_is_refused_unread(command: list[str]) -> None:
    result = mpl(*command, "/dev/zero")
    assert result.returncode == 2
    assert "error[E0108]: /dev/zero is a character device" in result.stderr


def test_a_folder_is_e0108(tmp_path: Path) -> None:
    result = mpl("check", str(tmp_path))
    assert (result.returncode, result.stderr.splitlines()[0]) == (
        2, f"{tmp_path}:1:1: error[E0108]: {tmp_path} is a folder, not a file MPL reads")


def test_fmt_reports_a_fifo_and_formats_the_other_files(tmp_path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    os.mkfifo(tmp_path / "pipe.mpl")
    untidy = tmp_path / "a.mpl"
    untidy.write_text('gen   "A" 3s styles["x"]\n', encoding="utf-8")
    result = mpl("fmt", str(tmp_path / "pipe.mpl"), str(untidy))
    assert result.returncode == 2 and "E0108" in result.stderr
    assert untidy.read_text(encoding="utf-8") == 'gen "A" 3s styles["x"]\n'


def test_a_file_over_the_limit_is_e0107_unread(tmp_path: Path) -> None:
    big = tmp_path / "big.mpl"
    with big.open("wb") as handle:  # sparse: nothing is written, and nothing must be read
        handle.truncate(MAX_SOURCE_BYTES + 1)
    result = mpl("check", str(big))
    assert result.returncode == 1
    assert result.stderr.startswith(
        f"{big}:1:1: error[E0107]: {big} holds 16,777,217 bytes, more than the 16 MiB")


def test_a_file_at_the_limit_is_read(tmp_path: Path) -> None:
    exact = tmp_path / "exact.mpl"
    exact.write_bytes(GEN.encode() + b" " * (MAX_SOURCE_BYTES - len(GEN)))
    result = mpl("check", str(exact))
    assert result.returncode == 0, result.stderr


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
def test_endless_stdin_is_read_only_to_the_limit() -> None:
    with open("/dev/zero", "rb") as zeros:
        result = mpl("check", "-", stdin=zeros)
    assert result.returncode == 1
    assert result.stderr.startswith("<stdin>:1:1: error[E0107]: <stdin> holds more than the "
                                    "16 MiB (16,777,216 bytes) MPL reads")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_an_imported_fifo_is_e0501_and_not_called_missing(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    os.mkfifo(tmp_path / "pipe.mpl")
    (tmp_path / "main.mpl").write_text('import "./pipe.mpl"\n' + GEN, encoding="utf-8")
    result = mpl("check", "main.mpl", cwd=tmp_path)
    assert result.returncode == 1
    assert 'error[E0501]: "./pipe.mpl" is a FIFO (named pipe), not an .mpl file' \
        in result.stderr
    assert "cannot find" not in result.stderr


def test_an_imported_file_over_the_limit_is_e0107(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    with (tmp_path / "big.mpl").open("wb") as handle:
        handle.truncate(MAX_SOURCE_BYTES + 1)
    (tmp_path / "main.mpl").write_text('import "./big.mpl"\n' + GEN, encoding="utf-8")
    result = mpl("check", "main.mpl", cwd=tmp_path)
    assert result.returncode == 1
    assert 'main.mpl:1:8: error[E0107]: "./big.mpl" is larger than the 16 MiB' in result.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_upload_and_the_registry_refuse_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.mp3"
    os.mkfifo(fifo)
    upload = mpl("upload", str(fifo))
    assert upload.returncode == 2
    assert f"error[E0108]: {fifo} is a FIFO (named pipe)" in upload.stderr
    songs = mpl("songs", "--registry", str(fifo))
    assert songs.returncode == 1 and "is a FIFO (named pipe), not a registry file" in songs.stderr
