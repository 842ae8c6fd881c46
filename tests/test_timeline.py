"""The timeline (musicplan.timeline) and `mpl explain`."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from conftest import EXAMPLES
from language_helpers import source, write
from musicplan.cli import main
from musicplan.cli.explain_cmd import render_table
from musicplan.timeline import entry_at, timeline, total_ms
from musicplan.units import clock

PLAN = '''
song ref = "R" length=60s {
  intro 0-15s
  outro 50s-60s
}
gen "Verse" 30s styles["a", "b", "c", "d", "e", "f", "g"] like 0-10s strength=high
keep ref 0-15s
keep ref 40.5s-60s
gen "Tail" 5s styles["z"]
'''


def _entries() -> list:  # type: ignore[type-arg]
    result = source(PLAN)
    assert result.plan is not None and result.ok
    return timeline(result.plan)


def test_clock() -> None:
    assert [clock(ms) for ms in (0, 5000, 65_250, 600_000, 1)] == \
        ["0:00", "0:05", "1:05.250", "10:00", "0:00.001"]


def test_entries_place_every_chunk() -> None:
    entries = _entries()
    assert [(e.start_ms, e.end_ms, e.kind) for e in entries] == [
        (0, 30000, "conditioned"), (30000, 45000, "kept"), (45000, 64500, "kept"),
        (64500, 69500, "new")]
    assert (entries[0].song, entries[0].source_start_ms, entries[0].source_end_ms) == \
        ("ref", 0, 10000)
    assert [e.label for e in entries] == ["Verse", "intro", "", "Tail"]
    assert entries[2].span.line == 7
    assert total_ms(entries) == 69500
    assert entry_at(entries, 45000) is entries[2]


def test_table_is_aligned_and_has_the_total() -> None:
    text = render_table(_entries(), [], colour=False)
    lines = text.splitlines()
    assert lines[0].split() == ["chunk", "time", "kind", "source", "label", "line"]
    assert lines[1].split()[:6] == ["1", "0:00–0:30", "new,", "conditioned", "ref", "0:00–0:10"]
    assert lines[3].split()[:4] == ["3", "0:45–1:04.500", "kept", "ref"]
    assert lines[-1].split() == ["total", "1:09.500"]
    kinds = [line.index("kept") for line in lines if " kept " in line]
    assert len(set(kinds)) == 1  # aligned
    assert "\x1b[" not in text
    assert "\x1b[" in render_table(_entries(), [], colour=True)


def test_explain_cli_text_and_json(tmp_path: Path) -> None:
    write(tmp_path, {"main.mpl": PLAN})
    runner = CliRunner()
    out = runner.invoke(main, ["explain", str(tmp_path / "main.mpl")])
    assert out.exit_code == 0
    assert "total  1:09.500" in out.stdout and "\x1b[" not in out.stdout
    out = runner.invoke(main, ["explain", "--format", "json", str(tmp_path / "main.mpl")])
    data = json.loads(out.stdout)
    assert data["total_ms"] == 69500
    assert data["chunks"][2] == {
        "index": 2, "start_ms": 45000, "end_ms": 64500, "start": "0:45", "end": "1:04.500",
        "start_bar": None, "end_bar": None, "kind": "kept", "label": "", "song": "ref",
        "range": {"start_ms": 40500, "end_ms": 60000},
        "file": str(tmp_path / "main.mpl"), "line": 7, "call_sites": []}


def test_explain_shows_template_call_sites_and_stretch_notes(tmp_path: Path) -> None:
    write(tmp_path, {"main.mpl": 'import "std/recipes"\nsong s = "S" length=10s\n'
                     "loop(s, 3s-8s)\nreplace s 0-5s stretch {}\n"})
    out = CliRunner().invoke(main, ["explain", str(tmp_path / "main.mpl")])
    assert out.exit_code == 0
    assert "main.mpl:3 → std/recipes.mpl:" in out.stdout
    assert "stretches `s` from 0:10 to 0:05" in out.stdout


def test_explain_errors_exit_1(tmp_path: Path) -> None:
    write(tmp_path, {"bad.mpl": 'gen "A" 1s styles["a"]\n'})
    out = CliRunner().invoke(main, ["explain", str(tmp_path / "bad.mpl")])
    assert out.exit_code == 1
    assert "E0203" in out.stderr


def test_explain_every_example() -> None:
    for path in sorted(EXAMPLES.glob("*.mpl")):
        out = CliRunner().invoke(main, ["explain", str(path)])
        assert out.exit_code == 0, (path, out.stderr)
        assert any(line.startswith("total") for line in out.stdout.splitlines())


BARS = """tempo 130
song s = "S" length=32 bars { verse bar 1-bar 9; drop 9.1-17.1 }
gen "Intro" 2 bars styles["a"]
gen "Lift" 9 beats styles["b"]
gen "Hit" 5s styles["c"]
keep s drop
"""


def test_explain_shows_bars_when_a_tempo_is_known(tmp_path: Path) -> None:
    write(tmp_path, {"main.mpl": BARS})
    out = CliRunner().invoke(main, ["explain", str(tmp_path / "main.mpl")])
    assert out.exit_code == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0].split() == ["chunk", "time", "bars", "kind", "source", "label", "line"]
    # 2 bars end on 3.1; 9 beats more on 5.2; 5 s later is on no beat: the nearest, marked
    assert [line.split()[2] for line in lines[1:5]] == \
        ["1.1–3.1", "3.1–5.2", "5.2–~8.1", "~8.1–~16.1"]
    kinds = {line.index(kind) for line in lines[1:5] for kind in ("new", "kept") if kind in line}
    assert len(kinds) == 1  # the kind column stays aligned after the bars column


def test_explain_json_gives_bar_beat_for_ends_on_a_beat(tmp_path: Path) -> None:
    write(tmp_path, {"main.mpl": BARS})
    out = CliRunner().invoke(main, ["explain", "--format", "json", str(tmp_path / "main.mpl")])
    data = json.loads(out.stdout)
    assert [(c["start_bar"], c["end_bar"]) for c in data["chunks"]] == \
        [("1.1", "3.1"), ("3.1", "5.2"), ("5.2", None), (None, None)]
    assert [c["end_ms"] for c in data["chunks"]] == [3692, 7846, 12846, 27615]


def test_explain_without_a_tempo_has_no_bars(tmp_path: Path) -> None:
    write(tmp_path, {"main.mpl": PLAN})
    out = CliRunner().invoke(main, ["explain", str(tmp_path / "main.mpl")])
    assert "bars" not in out.stdout.splitlines()[0]


def test_a_song_tempo_gives_bars_when_the_file_has_none(tmp_path: Path) -> None:
    write(tmp_path, {"main.mpl": 'song s = "S" length=8 bars { tempo 120 3/4 }\n'
                     'replace s 3.1-5.1 { gen "New" 3s styles["x"] }\n'})
    out = CliRunner().invoke(main, ["explain", "--format", "json", str(tmp_path / "main.mpl")])
    data = json.loads(out.stdout)
    assert [(c["start_bar"], c["end_bar"]) for c in data["chunks"]] == \
        [("1.1", "3.1"), ("3.1", "5.1"), ("5.1", "9.1")]


def test_sections_sharing_a_range_are_named_as_written() -> None:
    result = source('song s = "S" length=60s { verse 0-10s; hook 0-10s; a 10s-20s; b 10s-20s }\n'
                    "let h = hook\ntemplate k(x) { keep s x }\n"
                    "keep s hook\nkeep s verse\nkeep s h\nk(hook)\nkeep s 0-10s\nkeep s 0-20s\n"
                    "keep s b\n")
    assert result.plan is not None and result.ok
    assert [e.label for e in timeline(result.plan)] == \
        ["hook", "verse", "hook", "hook", "verse", "verse–a", "b"]


def test_explain_escapes_control_characters(tmp_path: Path) -> None:
    write(tmp_path, {"main.mpl": 'gen "A\\u001b[31m\\u0007" 10s styles["a", "b", "c", "d", "e", '
                     '"f", "g"]\n'})
    out = CliRunner().invoke(main, ["explain", str(tmp_path / "main.mpl")])
    assert out.exit_code == 0, out.stderr
    assert "\x1b" not in out.stdout and "\x07" not in out.stdout
    assert "A\\x1b[31m\\x07" in out.stdout


def test_explain_escapes_control_characters_in_file_names_and_notes(tmp_path: Path) -> None:
    path = tmp_path / "odd\x1b[31mname.mpl"
    path.write_text('song s = "S" length=10s\nreplace s 0-5s stretch {}\n', encoding="utf-8")
    out = CliRunner().invoke(main, ["explain", str(path)])
    assert out.exit_code == 0, out.stderr
    assert "\x1b" not in out.stdout
    assert out.stdout.count("odd\\x1b[31mname.mpl") == 2  # the line column and the note
