"""Songs that know themselves: upload and `render --detailed` ask for word timestamps and the
waveform; the registry stays MPL and names a sidecar holding them, the audio path and the
seed; `mpl songs` shows the first sung line and a one-line waveform."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from apiserver import Answer, LoopbackServer, mixed
from cli_runs import run
from conftest import EXAMPLES
from musicplan.api import registry as reg
from musicplan.api import songdata
from musicplan.api.songdata import SongData, Word

AUDIO = b"ID3\x04 fake audio" * 40
WORDS = [{"word": "Stand", "start_ms": 1000, "end_ms": 1400},
         {"word": "where", "start_ms": 1450, "end_ms": 1700},
         {"word": "the", "start_ms": 1700, "end_ms": 1800},
         {"word": "fire", "start_ms": 1800, "end_ms": 2200},
         {"word": "was", "start_ms": 2200, "end_ms": 2600},
         {"word": "again", "start_ms": 5000, "end_ms": 5600}]
WAVEFORM = [0, 100, -400, 900, -1000, 250, 30, 0]




pytestmark = pytest.mark.usefixtures("api_env")




def detailed_answer(plan: dict[str, object], song_id: str = "Det1") -> Answer:
    meta = {"compositionPlan": plan, "wordsTimestamps": WORDS, "waveformVisual": WAVEFORM}
    content_type, body = mixed(("application/json", json.dumps(meta).encode()),
                               ("audio/mpeg", AUDIO))
    return Answer(200, body, {"content-type": content_type, "song-id": song_id})


def test_upload_asks_for_timestamps_waveform_and_the_model(
        tmp_path: Path, server: LoopbackServer) -> None:
    audio = tmp_path / "take.mp3"
    audio.write_bytes(AUDIO)
    plan = json.loads((EXAMPLES / "trailer.json").read_text())
    server.script(Answer(200, {"song_id": "Up1", "composition_plan": plan,
                               "words_timestamps": WORDS, "waveform_visual": WAVEFORM}))
    registry = tmp_path / "songs.mpl"
    code, _, err = run("upload", str(audio), "--model", "music_v2_5", "--registry",
                       str(registry))
    assert code == 0, err
    form = server.requests[0].form()
    assert form["extract_composition_plan"] == (None, b"music_v2_5")
    assert form["with_timestamps"] == (None, b"true")
    assert form["with_waveform_visual"] == (None, b"true")
    [entry], notes, _ = reg.entries(registry)
    assert notes == []
    assert entry.song_id == "Up1" and entry.length_ms == 60_000
    assert entry.audio_path is not None and entry.audio_path.resolve() == audio.resolve()
    assert entry.waveform == tuple(WAVEFORM)
    assert [w.word for w in entry.words][:2] == ["Stand", "where"]


def test_upload_can_leave_the_song_data_out(tmp_path: Path, server: LoopbackServer) -> None:
    audio = tmp_path / "take.mp3"
    audio.write_bytes(AUDIO)
    server.script(Answer(200, {"song_id": "Up1"}))
    code, _, _ = run("upload", str(audio), "--no-song-data", "--no-plan", "--registry",
                     str(tmp_path / "songs.mpl"))
    assert code == 0
    assert set(server.requests[0].form()) == {"file"}


def test_an_unknown_upload_model_is_a_usage_error(tmp_path: Path) -> None:
    audio = tmp_path / "take.mp3"
    audio.write_bytes(AUDIO)
    code, _, err = run("upload", str(audio), "--model", "music_v1")
    assert code == 2 and "music_v2_5" in err


def test_detailed_render_records_words_waveform_audio_and_seed(
        tmp_path: Path, server: LoopbackServer) -> None:
    path = tmp_path / "loop.mpl"
    path.write_text((EXAMPLES / "loop.mpl").read_text())
    plan = json.loads((EXAMPLES / "loop.json").read_text())
    server.script(detailed_answer(plan))
    code, _, err = run("render", str(path), "--detailed", "--store", "--seed", "7")
    assert code == 0, err
    body = server.requests[0].json()
    assert body["with_timestamps"] is True and body["with_waveform_visual"] is True
    registry = tmp_path / "songs.mpl"
    text = registry.read_text()
    # readable MPL: the bulky data is named, not inlined
    assert "# data: songs.data/loop-" in text and "Stand" not in text
    [entry], _, _ = reg.entries(registry)
    assert entry.audio_path == tmp_path / "loop.mp3"
    assert entry.waveform == tuple(WAVEFORM) and entry.data.seed == 7
    sidecar = json.loads(next((tmp_path / "songs.data").iterdir()).read_text())
    assert sidecar["song_id"] == "Det1" and sidecar["audio_path"] == "loop.mp3"
    assert sidecar["words_timestamps"][0] == WORDS[0]


def test_detailed_render_can_leave_the_song_data_out(tmp_path: Path,
                                                     server: LoopbackServer) -> None:
    path = tmp_path / "loop.mpl"
    path.write_text((EXAMPLES / "loop.mpl").read_text())
    server.script(detailed_answer(json.loads((EXAMPLES / "loop.json").read_text())))
    code, _, err = run("render", str(path), "--detailed", "--no-song-data")
    assert code == 0, err
    body = server.requests[0].json()
    assert "with_timestamps" not in body and "with_waveform_visual" not in body


def test_a_new_recording_replaces_the_sidecar_and_removes_the_old(tmp_path: Path) -> None:
    registry = tmp_path / "songs.mpl"
    registry.write_text("# my songs\n")
    first = reg.SongEntry(name="a", song_id="A1", length_ms=10_000,
                          data=SongData(waveform=(1, 2, 3)))
    reg.update(registry, first, "# uploaded from a.mp3 on 2026-11-30")
    [old] = list((tmp_path / "songs.data").iterdir())
    second = reg.SongEntry(name="a", song_id="A2", length_ms=10_000,
                           data=SongData(waveform=(4, 5)))
    reg.update(registry, second, "# uploaded from a.mp3 on 2026-11-30")
    [new] = list((tmp_path / "songs.data").iterdir())
    assert new != old and not old.exists()
    text = registry.read_text()
    assert text.count("# data:") == 1 and text.count("# uploaded from") == 1
    assert text.startswith("# my songs\n")
    [entry], _, _ = reg.entries(registry)
    assert entry.song_id == "A2" and entry.waveform == (4, 5)


def test_a_failed_registry_write_leaves_no_new_sidecar(tmp_path: Path) -> None:
    registry = tmp_path / "songs.mpl"
    registry.write_text("let a = 30s\n")  # the name is taken: recording `a` must fail
    entry = reg.SongEntry(name="a", song_id="A1", data=SongData(waveform=(1,)))
    with pytest.raises((reg.RegistryError, reg.RegistryUnusable)):
        reg.update(registry, entry, "# uploaded from a.mp3 on 2026-11-30")
    assert not list((tmp_path / "songs.data").glob("*.json"))
    assert registry.read_text() == "let a = 30s\n"


def test_an_unreadable_sidecar_is_a_warning_not_a_failure(tmp_path: Path) -> None:
    registry = tmp_path / "songs.mpl"
    registry.write_text('# data: songs.data/a-000000000000.json\nsong a = "A1"\n')
    [entry], notes, _ = reg.entries(registry)
    assert entry.song_id == "A1" and entry.waveform == ()
    assert [d.code for d in notes] == ["W0702"]
    code, out, err = run("songs", "--registry", str(registry))
    assert code == 0 and "W0702" in err and out.startswith("a  A1  ?")


def test_songs_shows_the_first_sung_line_and_a_waveform(tmp_path: Path) -> None:
    registry = tmp_path / "songs.mpl"
    registry.write_text("")
    reg.update(registry, reg.SongEntry(
        name="fire", song_id="F1", length_ms=2_000, sections=(("verse", 0, 2_000),),
        data=SongData(words=songdata.words_from(WORDS), waveform=tuple(WAVEFORM))),
        "# uploaded from fire.mp3 on 2026-11-30")
    code, out, _ = run("songs", "--registry", str(registry))
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "fire  F1  0:02"
    assert lines[1] == "  " + songdata.sparkline(WAVEFORM)
    assert lines[2] == '  sings: "Stand where the fire was"'
    assert lines[3] == "  verse  0:00-0:02"


def test_sparkline_and_first_line() -> None:
    assert songdata.sparkline([]) == ""
    line = songdata.sparkline([0, 1000, -1000, 500] * 100, width=40)
    assert len(line) == 40 and set(line) <= set(songdata.BARS)
    assert songdata.sparkline([0, 0, 1000]) == "▁▁█"
    words = [Word(word="a", start_ms=0, end_ms=100), Word(word="b", start_ms=100, end_ms=200),
             Word(word="c", start_ms=5000, end_ms=5100)]
    assert songdata.first_line(words) == "a b"
    assert songdata.first_line(()) == ""


def test_song_data_from_the_server_is_checked() -> None:
    assert songdata.words_from([{"word": "ok", "start_ms": 0, "end_ms": 5},
                                {"word": "back", "start_ms": 9, "end_ms": 2},
                                {"word": 3, "start_ms": 0, "end_ms": 1}, "junk"]) == (
        Word(word="ok", start_ms=0, end_ms=5),)
    assert songdata.waveform_from([5000, -5000, 1.6]) == (1000, -1000, 2)
    assert songdata.waveform_from(["x"]) == ()
