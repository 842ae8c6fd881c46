"""Positions anchored on sung words: `keep trailer "Stand where"-"fire was"`, resolved from
the word timestamps a render or an upload recorded beside the registry."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from musicplan.api import registry as reg
from musicplan.api.songdata import SongData, words_from
from musicplan.cli import main
from musicplan.pipeline import Compilation, compile_text
from musicplan.printer import format_program
from musicplan.syntax.parse import parse

SUNG = [("Stand", 1000, 1400), ("where", 1450, 1700), ("the", 1700, 1800),
        ("fire", 1800, 2200), ("was,", 2200, 2600), ("la", 5000, 5200), ("la", 5300, 5500),
        ("Fire", 6000, 6300), ("was", 6300, 6800), ("la", 9000, 9400), ("la", 9500, 9800)]
STYLES = 'styles["epic", "choir", "brass", "strings", "drums", "cinematic"]'


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    words = words_from([{"word": w, "start_ms": a, "end_ms": b} for w, a, b in SUNG])
    reg.update(tmp_path / "songs.mpl", reg.SongEntry(
        name="trailer", song_id="Qw8bZ2nR4tLm6pKx1sVy", length_ms=60_000,
        sections=(("verse", 0, 30_000), ("outro", 30_000, 60_000)),
        data=SongData(words=words)), "# rendered from trailer.mpl on 2026-11-30")
    reg.update(tmp_path / "songs.mpl", reg.SongEntry(name="silent", song_id="Si1",
                                                     length_ms=20_000),
               "# uploaded from silent.mp3 on 2026-11-30")
    return tmp_path


def build(folder: Path, body: str) -> Compilation:
    return compile_text(f'import "./songs.mpl"\n{body}\n', "edit.mpl", base_dir=folder)


def codes(compilation: Compilation) -> list[str]:
    return [d.code for d in compilation.diagnostics if d.is_error]


def test_a_range_from_a_phrase_start_to_a_phrase_end(folder: Path) -> None:
    result = build(folder, 'keep trailer "Stand where"-"fire was"[1]\n'
                   f'gen "Outro" 10s {STYLES}')
    assert codes(result) == []
    assert result.plan_json()["chunks"][0]["range"] == {"start_ms": 1000, "end_ms": 2600}


def test_words_match_ignoring_case_and_punctuation_and_nth_picks(folder: Path) -> None:
    result = build(folder, 'keep trailer "STAND"-"fire WAS"[2]')
    assert codes(result) == []
    assert result.plan_json()["chunks"][0]["range"] == {"start_ms": 1000, "end_ms": 6800}


def test_a_time_on_the_other_end_and_a_bound_range(folder: Path) -> None:
    result = build(folder, 'let opening = "Stand"-10s\nkeep trailer opening\n'
                   'keep trailer 0-"la la"[2]')
    assert codes(result) == []
    ranges = [c["range"] for c in result.plan_json()["chunks"]]
    assert ranges == [{"start_ms": 1000, "end_ms": 10000}, {"start_ms": 0, "end_ms": 9800}]


def test_like_takes_a_sung_range(folder: Path) -> None:
    result = build(folder, f'gen "Intro" 10s {STYLES} like trailer "Stand"-"la la"[1]')
    assert codes(result) == []
    ref = result.plan_json()["chunks"][0]["conditioning_ref"]
    assert ref["range"] == {"start_ms": 1000, "end_ms": 5500}


def test_E0717_an_unsung_phrase_names_the_nearest_sung_ones(folder: Path) -> None:
    result = build(folder, 'keep trailer "Stand"-"fire wos"')
    [problem] = [d for d in result.diagnostics if d.is_error]
    assert problem.code == "E0717" and "not sung in song `trailer`" in problem.message
    assert problem.hint is not None and '"fire was," at 0:01.800' in problem.hint
    assert (problem.span.line, problem.span.col) == (2, 22)


def test_E0718_a_phrase_sung_several_times_lists_them(folder: Path) -> None:
    result = build(folder, 'keep trailer "la la"-50s')
    [problem] = [d for d in result.diagnostics if d.is_error]
    assert problem.code == "E0718"
    assert problem.message.endswith("sung 2 times in song `trailer`: at 0:05 (1), 0:09 (2)")
    assert problem.hint == 'pick one: "la la"[1] … "la la"[2]'


def test_E0719_a_song_without_recorded_words(folder: Path) -> None:
    result = build(folder, 'keep silent "Stand"-10s')
    assert codes(result) == ["E0719"]


def test_E0720_an_occurrence_past_the_last(folder: Path) -> None:
    result = build(folder, 'keep trailer 0-"la la"[3]')
    assert codes(result) == ["E0720"]


def test_E0721_a_sung_position_without_a_song(tmp_path: Path) -> None:
    result = compile_text('song t = "X" {\n  v "a"-"b"\n}\nkeep t 0-10s\n', "x.mpl",
                          base_dir=tmp_path)
    assert codes(result) == ["E0721"]


def test_sung_positions_print_back_as_written() -> None:
    text = 'song t = "X"\n\nkeep t "Stand \\"where\\""-"fire was"[2]\n'
    parsed = parse(text, "x.mpl")
    assert not parsed.diagnostics
    assert format_program(parsed.program) == text


def test_explain_shows_the_resolved_times(folder: Path) -> None:
    (folder / "edit.mpl").write_text('import "./songs.mpl"\n'
                                     'keep trailer "Stand where"-"fire was"[1]\n'
                                     f'gen "Outro" 10s {STYLES}\n')
    result = CliRunner().invoke(main, ["explain", str(folder / "edit.mpl")])
    assert result.exit_code == 0, result.stderr
    assert "trailer 0:01–0:02.600" in result.stdout
