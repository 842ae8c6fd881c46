"""`mpl render`, `upload`, `draft` and `songs` against a loopback server: request bytes,
song ids, the registry, every fault of docs/api.md, and the key never shown."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from apiserver import Answer, Drop, LoopbackServer, Slow, Stall, Truncate, mixed
from cli_runs import KEY, run
from click.testing import CliRunner
from conftest import EXAMPLES
from musicplan.cli import main
from musicplan.pipeline import compile_text

# bytes that look like multipart syntax (but not the boundary itself, which MIME forbids)
AUDIO = b"ID3\x04fake mp3 \r\n--mpl-test-bound\r\n--\r\n\x00\xff" * 50






pytestmark = pytest.mark.usefixtures("api_env")




def source(tmp_path: Path, name: str = "trailer", text: str | None = None) -> Path:
    path = tmp_path / f"{name}.mpl"
    path.write_text(text if text is not None else (EXAMPLES / f"{name}.mpl").read_text())
    return path


def request_output(path: Path) -> str:
    code, out, _ = run("compile", "--request", str(path))
    assert code == 0
    return out


def test_render_sends_the_compiled_request_and_records_the_song(
        tmp_path: Path, server: LoopbackServer) -> None:
    path = source(tmp_path)
    server.script(Answer(200, AUDIO, {"song-id": "Qw8bZ2nR4tLm6pKx1sVy"}))
    code, out, err = run("render", str(path))
    assert code == 0, err
    sent = server.requests[0]
    assert sent.path == "/v1/music" and sent.query == {"output_format": ["mp3_48000_192"]}
    assert sent.headers["xi-api-key"] == KEY
    assert sent.headers["content-type"] == "application/json"
    expected = json.loads(request_output(path))
    assert sent.json() == expected
    assert sent.body == json.dumps(expected, separators=(",", ":"), ensure_ascii=False).encode()
    assert (tmp_path / "trailer.mp3").read_bytes() == AUDIO
    assert "1:00" in out and "song id Qw8bZ2nR4tLm6pKx1sVy" in out
    registry = (tmp_path / "songs.mpl").read_text()
    assert re.match(r"# rendered from trailer\.mpl on \d{4}-\d\d-\d\d\n", registry)
    assert 'song trailer = "Qw8bZ2nR4tLm6pKx1sVy" length=1:00 {' in registry
    assert "  intro  0-15s\n  build  15s-35s\n  bridge 35s-50s\n  outro  50s-1:00\n}" in registry
    # the audio file's path is recorded in the data file the registry names
    assert sorted(p.name for p in tmp_path.iterdir()) == ["songs.data", "songs.mpl",
                                                          "trailer.mp3", "trailer.mpl"]
    [data] = (tmp_path / "songs.data").iterdir()
    assert f"# data: songs.data/{data.name}\n" in registry
    assert json.loads(data.read_text())["audio_path"] == "trailer.mp3"


def test_overrides_and_the_format_extension(tmp_path: Path, server: LoopbackServer) -> None:
    path = source(tmp_path, "loop")
    server.script(Answer(200, AUDIO))
    code, _, err = run("render", str(path), "--seed", "9", "--audio-format", "pcm_44100")
    assert code == 0, err
    sent = server.requests[0]
    assert sent.query == {"output_format": ["pcm_44100"]} and sent.json()["seed"] == 9
    assert (tmp_path / "loop.pcm").read_bytes() == AUDIO
    assert not (tmp_path / "songs.mpl").exists()


def test_stream_endpoint(tmp_path: Path, server: LoopbackServer) -> None:
    server.script(Answer(200, AUDIO))
    code, _, _ = run("render", str(source(tmp_path, "loop")), "--stream", "-o",
                     str(tmp_path / "x.mp3"))
    assert code == 0 and server.requests[0].path == "/v1/music/stream"


def test_detailed_multipart_with_camel_case_keys(tmp_path: Path, server: LoopbackServer) -> None:
    path = source(tmp_path, "loop")
    plan = json.loads((EXAMPLES / "loop.json").read_text())
    meta = {"compositionPlan": plan, "songMetadata": {"title": "Loop", "isExplicit": False},
            "wordsTimestamps": [{"word": "la", "startMs": 0, "endMs": 200}]}
    content_type, body = mixed(("application/json", json.dumps(meta).encode()),
                               ("audio/mpeg", AUDIO))
    server.script(Answer(200, body, {"content-type": content_type}))
    out = tmp_path / "out.mp3"
    code, stdout, err = run("render", str(path), "--detailed", "-o", str(out))
    assert code == 0, err
    assert server.requests[0].path == "/v1/music/detailed"
    assert out.read_bytes() == AUDIO
    written = json.loads((tmp_path / "out.json").read_text())
    assert written["composition_plan"] == plan
    assert written["song_metadata"] == {"title": "Loop", "is_explicit": False}
    assert written["words_timestamps"] == [{"word": "la", "start_ms": 0, "end_ms": 200}]
    assert "out.json" in stdout


def test_dry_run_sends_nothing_and_hides_the_key(tmp_path: Path,
                                                 server: LoopbackServer) -> None:
    path = source(tmp_path)
    code, out, _ = run("render", str(path), "--dry-run")
    assert code == 0 and server.requests == []
    assert out.startswith(f"POST {server.url}/v1/music?output_format=mp3_48000_192\n")
    assert "xi-api-key: ***" in out
    body_line = out.split("\n\n")[1].split("\n")[0]
    assert json.loads(body_line) == json.loads(request_output(path))
    assert not (tmp_path / "trailer.mp3").exists()


def test_no_key_names_the_variable(tmp_path: Path, server: LoopbackServer,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ELEVENLABS_API_KEY")
    code, _, err = run("render", str(source(tmp_path)))
    assert code == 2 and "ELEVENLABS_API_KEY" in err and "E0704" in err
    assert server.requests == []


def test_existing_output_needs_force(tmp_path: Path, server: LoopbackServer) -> None:
    path = source(tmp_path, "loop")
    (tmp_path / "loop.mp3").write_bytes(b"last render")
    code, _, err = run("render", str(path))
    assert code == 2 and "E0709" in err and "--force" in err
    assert server.requests == [] and (tmp_path / "loop.mp3").read_bytes() == b"last render"
    server.script(Answer(200, AUDIO))
    code, _, _ = run("render", str(path), "--force")
    assert code == 0 and (tmp_path / "loop.mp3").read_bytes() == AUDIO


def test_source_errors_send_nothing(tmp_path: Path, server: LoopbackServer) -> None:
    path = source(tmp_path, "bad", 'gen "Intro" 2s styles["a"]\n')
    code, _, err = run("render", str(path))
    assert code == 1 and "E0203" in err and server.requests == []


def test_422_is_reported_at_the_field_that_wrote_it(tmp_path: Path,
                                                    server: LoopbackServer) -> None:
    path = source(tmp_path)
    detail = [{"loc": ["body", "composition_plan", "chunks", 2, "positive_styles"],
               "msg": "style not allowed", "type": "value_error"}]
    server.script(Answer(422, {"detail": detail}))
    code, _, err = run("render", str(path))
    assert code == 1
    line = path.read_text().split("\n").index(
        'gen "Bridge" 15s styles["choir", "sustained strings"]') + 1
    assert f"{path}:{line}:18: error[E0701]: the server rejected `positive_styles` of chunk 3" \
        in err
    assert "^^^^" in err and "of chunk 3 (chunks[2] in the JSON): style not allowed" in err
    assert err.count("chunks[2]") == 1 and "chunk 2" not in err
    assert not (tmp_path / "trailer.mp3").exists()
    code, out, _ = run("explain", str(path))  # the same numbering as the error
    assert code == 0 and [line.split()[0] for line in out.splitlines()
                          if "Bridge" in line] == ["3"]


def test_an_unlocated_422_names_the_chunk_as_mpl_numbers_it(tmp_path: Path,
                                                            server: LoopbackServer) -> None:
    detail = [{"loc": ["body", "composition_plan", "chunks", 7, "text"], "msg": "too long"}]
    server.script(Answer(422, {"detail": detail}))
    code, _, err = run("render", str(source(tmp_path)))
    assert code == 1 and "error[E0705]: the server rejected the request at " \
        "composition_plan.chunks[7].text, chunk 8 (chunks[7] in the JSON): too long" in err


def test_422_into_a_kept_chunk_range(tmp_path: Path, server: LoopbackServer) -> None:
    path = source(tmp_path, "extend")
    detail = [{"loc": ["body", "composition_plan", "chunks", 1, "range", "end_ms"],
               "msg": "past the song's end", "type": "value_error"}]
    server.script(Answer(422, {"detail": detail}))
    code, _, err = run("render", str(path))
    assert code == 1 and f"{path}:6:6: error[E0701]" in err


def test_copyright_refusal_prints_the_suggestion_as_mpl(tmp_path: Path,
                                                        server: LoopbackServer) -> None:
    suggestion = json.loads((EXAMPLES / "trailer.json").read_text())
    server.script(Answer(400, {"detail": {
        "status": "bad_composition_plan", "message": "styles name a protected artist",
        "data": {"composition_plan_suggestion": suggestion}}}))
    code, out, err = run("render", str(source(tmp_path)))
    assert code == 1 and "E0702" in err and "styles name a protected artist" in err
    assert compile_text(out, "suggested.mpl").plan_json() == suggestion


def test_bad_prompt_refusal_in_draft(server: LoopbackServer) -> None:
    server.script(Answer(422, {"detail": {"status": "bad_prompt", "message": "protected name",
                                          "data": {"prompt_suggestion": "an upbeat pop song"}}}))
    code, out, err = run("draft", "a song like a famous band")
    assert code == 1 and "E0702" in err and out.strip() == "an upbeat pop song"


def test_401_names_the_variable_and_not_the_key(tmp_path: Path,
                                                server: LoopbackServer) -> None:
    server.script(Answer(401, {"detail": {"status": "invalid_api_key",
                                          "message": f"Invalid key {KEY}"}}))
    code, _, err = run("render", str(source(tmp_path, "loop")), "-v")
    assert code == 1 and "E0703" in err
    assert "the key in ELEVENLABS_API_KEY was refused" in err
    assert len(server.requests) == 1


def test_429_honours_retry_after(tmp_path: Path, server: LoopbackServer,
                                 sleeps: list[float]) -> None:
    server.script(Answer(429, {"detail": "slow down"}, {"retry-after": "7"}), Answer(200, AUDIO))
    code, _, err = run("render", str(source(tmp_path, "loop")), "-v")
    assert code == 0, err
    assert sleeps == [7.0] and len(server.requests) == 2
    assert "429" in err and "retrying in 7.0 s" in err


def test_503_then_success_backs_off(tmp_path: Path, server: LoopbackServer,
                                    sleeps: list[float]) -> None:
    server.script(Answer(503, b"busy"), Answer(429, b"slow down"), Answer(200, AUDIO))
    code, _, _ = run("render", str(source(tmp_path, "loop")))
    assert code == 0 and sleeps == [1.0, 2.0]
    assert server.requests[0].body == server.requests[2].body


def test_retries_are_bounded(tmp_path: Path, server: LoopbackServer, sleeps: list[float]) -> None:
    server.script(*[Answer(503, b"busy")] * 5)
    code, _, err = run("render", str(source(tmp_path, "loop")), "--retries", "2")
    assert code == 1 and "E0706" in err and len(server.requests) == 2 and sleeps == [1.0]
    assert not (tmp_path / "loop.mp3").exists()


@pytest.mark.parametrize("status", [502, 504])
def test_a_gateway_error_is_not_retried_for_a_billed_request(
        tmp_path: Path, server: LoopbackServer, sleeps: list[float], status: int) -> None:
    # the gateway gave up waiting; the server behind it may have rendered (and billed)
    server.script(Answer(status, b"gateway"), Answer(200, AUDIO))
    code, _, err = run("render", str(source(tmp_path, "loop")))
    assert code == 1 and "E0708" in err and "billed" in err
    assert len(server.requests) == 1 and sleeps == []
    assert not (tmp_path / "loop.mp3").exists()


def test_a_gateway_error_is_retried_for_a_free_draft(server: LoopbackServer,
                                                     sleeps: list[float]) -> None:
    plan = json.loads((EXAMPLES / "similar.json").read_text())
    server.script(Answer(502, b"bad gateway"), Answer(504, b"timeout"), Answer(200, plan))
    code, _, err = run("draft", "indie pop")
    assert code == 0, err
    assert len(server.requests) == 3 and sleeps == [1.0, 2.0]


def test_dropped_connection_is_not_retried(tmp_path: Path, server: LoopbackServer) -> None:
    server.script(Drop(), Answer(200, AUDIO))
    code, _, err = run("render", str(source(tmp_path, "loop")))
    assert code == 1 and "E0708" in err and "billed" in err
    assert len(server.requests) == 1 and not (tmp_path / "loop.mp3").exists()


def test_read_timeout_is_not_retried(tmp_path: Path, server: LoopbackServer) -> None:
    server.script(Stall(2.0), Answer(200, AUDIO))
    code, _, err = run("render", str(source(tmp_path, "loop")), "--timeout", "5,0.3")
    assert code == 1 and "E0708" in err and "may have billed it" in err
    assert len(server.requests) == 1 and not (tmp_path / "loop.mp3").exists()


def test_interrupted_download_leaves_no_file(tmp_path: Path, server: LoopbackServer) -> None:
    server.script(Truncate())
    code, _, err = run("render", str(source(tmp_path, "loop")))
    assert code == 1 and "E0708" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["loop.mpl"]


def test_connection_refused_is_retried(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                       sleeps: list[float]) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("ELEVENLABS_BASE_URL", f"http://127.0.0.1:{port}")
    code, _, err = run("render", str(source(tmp_path, "loop")))
    assert code == 1 and "E0707" in err and sleeps == [1.0, 2.0]


def test_upload_records_the_extracted_plan(tmp_path: Path, server: LoopbackServer,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    audio = tmp_path / "My Song.mp3"
    audio.write_bytes(AUDIO)
    plan = json.loads((EXAMPLES / "trailer.json").read_text())
    server.script(Answer(200, {"song_id": "Up1", "composition_plan": plan}))
    code, out, err = run("upload", str(audio))
    assert code == 0, err
    sent = server.requests[0]
    assert sent.path == "/v1/music/upload"
    form = sent.form()
    assert form["file"] == ("My Song.mp3", AUDIO)
    assert form["extract_composition_plan"] == (None, b"music_v2")
    registry = (tmp_path / "songs.mpl").read_text()
    assert registry.startswith("# uploaded from My Song.mp3 on ")
    assert 'song my_song = "Up1" length=1:00 {\n  intro  0-15s' in registry
    assert "song id Up1" in out


def test_upload_without_a_plan_warns(tmp_path: Path, server: LoopbackServer) -> None:
    audio = tmp_path / "a.mp3"
    audio.write_bytes(AUDIO)
    registry = tmp_path / "reg.mpl"
    server.script(Answer(200, {"songId": "Up2"}))
    code, _, err = run("upload", str(audio), "--as", "take", "--registry", str(registry))
    assert code == 0 and "W0208" in err
    assert registry.read_text().endswith('song take = "Up2"\n')


def test_draft_prints_mpl_that_compiles_back(tmp_path: Path, server: LoopbackServer) -> None:
    plan = json.loads((EXAMPLES / "similar.json").read_text())
    server.script(Answer(200, plan), Answer(200, plan))
    code, out, _ = run("draft", "indie pop about the sea", "--length", "1:10")
    assert code == 0
    assert server.requests[0].json() == {"prompt": "indie pop about the sea",
                                         "music_length_ms": 70000, "model_id": "music_v2"}
    assert compile_text(out, "draft.mpl").plan_json() == plan
    target = tmp_path / "d.mpl"
    code, _, _ = run("draft", "x", "-o", str(target))
    assert code == 0 and target.read_text() == out
    assert "music_length_ms" not in server.requests[1].json()


def test_songs_lists_the_registry(tmp_path: Path) -> None:
    registry = tmp_path / "songs.mpl"
    registry.write_text('song a = "A1" length=1:00 {\n  intro 0-15s\n  end 15s-59.5s\n}\n'
                        'song b = "B2"\n')
    code, out, _ = run("songs", "--registry", str(registry))
    assert code == 0
    assert out == ("a  A1  1:00\n  intro  0:00-0:15\n  end    0:15-0:59.500\n"
                   "b  B2  ?\n")


def test_a_broken_registry_stops_the_render_before_sending(
        tmp_path: Path, server: LoopbackServer) -> None:
    (tmp_path / "songs.mpl").write_text("song = oops\n")
    code, _, err = run("render", str(source(tmp_path)))
    assert code == 1 and "E0711" in err and server.requests == []


def test_reusing_a_name_replaces_only_that_song(tmp_path: Path, server: LoopbackServer) -> None:
    path = source(tmp_path)
    registry = tmp_path / "songs.mpl"
    registry.write_text('# mine\nsong keepme = "K"\n\n# rendered from trailer.mpl on 2020-01-01\n'
                        'song trailer = "OLD" length=10s\n# tail\n')
    server.script(Answer(200, AUDIO, {"song-id": "NEW"}))
    code, _, err = run("render", str(path), "-o", str(tmp_path / "t.mp3"))
    assert code == 0 and "W0207" in err and '"OLD"' in err
    text = registry.read_text()
    assert text.startswith('# mine\nsong keepme = "K"\n\n# rendered from trailer.mpl on ')
    assert "OLD" not in text and 'song trailer = "NEW"' in text and text.endswith("}\n# tail\n")


def test_unreadable_detailed_answer(tmp_path: Path, server: LoopbackServer) -> None:
    server.script(Answer(200, b"not multipart", {"content-type": "audio/mpeg"}))
    code, _, err = run("render", str(source(tmp_path, "loop")), "--detailed")
    assert code == 1 and "E0710" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["loop.mpl"]


def test_stored_song_without_an_id_is_not_recorded(tmp_path: Path,
                                                   server: LoopbackServer) -> None:
    server.script(Answer(200, AUDIO))
    code, _, err = run("render", str(source(tmp_path)))
    assert code == 0 and "W0701" in err and not (tmp_path / "songs.mpl").exists()


TEMPLATED = '''\
template verse(name, len=10s) {
  gen name len styles["pop", "bright", "piano", "drums", "bass", "warm"]
}
verse("Verse 1")
verse("Verse 2")
'''


def test_422_into_a_template_expanded_chunk(tmp_path: Path, server: LoopbackServer) -> None:
    path = source(tmp_path, "song", TEMPLATED)
    detail = [{"loc": ["body", "composition_plan", "chunks", 1, "duration_ms"],
               "msg": "too short", "type": "value_error"}]
    server.script(Answer(422, {"detail": detail}))
    code, _, err = run("render", str(path))
    assert code == 1
    assert f"{path}:2:12: error[E0701]: the server rejected `duration_ms` of chunk 2" in err
    assert f"--> {path}:5:1: expanded from `verse(…)` here" in err
    assert "  5 | verse(\"Verse 2\")" in err


def test_render_store_import_keep(tmp_path: Path, server: LoopbackServer) -> None:
    """The loop the registry closes: render and store, then a second file imports the
    registry, keeps a recorded section, and has its ranges checked against the length."""
    server.script(Answer(200, AUDIO, {"song-id": "Stored1"}))
    code, _, err = run("render", str(source(tmp_path)), "--as", "first_cut")
    assert code == 0, err
    edit = source(tmp_path, "edit", 'import "./songs.mpl"\nkeep first_cut build\n'
                  'regen "Outro" 10s styles["epic", "choir", "strings", "brass", "drums", "big"]\n')
    code, out, err = run("compile", str(edit))
    assert code == 0, err
    assert json.loads(out)["chunks"][0] == {"song_id": "Stored1",
                                            "range": {"start_ms": 15_000, "end_ms": 35_000}}
    too_far = source(tmp_path, "far", 'import "./songs.mpl"\nkeep first_cut 50s-70s\n')
    code, _, err = run("check", str(too_far))
    assert code == 1 and "E0208" in err


# -- checked before anything is sent ------------------------------------------------------

@pytest.mark.parametrize(("out", "extra"), [
    ("", ()), ("folder", ()), ("a_file/x.mp3", ()), ("take.json", ("--detailed",))])
def test_an_output_that_cannot_be_written_stops_before_sending(
        tmp_path: Path, server: LoopbackServer, monkeypatch: pytest.MonkeyPatch,
        out: str, extra: tuple[str, ...]) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "folder").mkdir()
    (tmp_path / "a_file").write_text("not a folder")
    code, _, err = run("render", str(source(tmp_path, "loop")), "-o", out, *extra)
    assert code == 2 and "error[E0713]" in err and "hint:" in err
    assert server.requests == []


def test_draft_checks_its_output_before_sending(tmp_path: Path, server: LoopbackServer) -> None:
    for out in ("", str(tmp_path)):
        code, _, err = run("draft", "a waltz", "-o", out)
        assert code == 2 and "error[E0713]" in err
    assert server.requests == []


def _registries(tmp_path: Path) -> dict[str, Path]:
    (tmp_path / "a_folder").mkdir()
    (tmp_path / "latin1.mpl").write_bytes(b'# caf\xe9\nsong x = "1"\n')
    (tmp_path / "a_file").write_text("not a folder")
    (tmp_path / "clash.mpl").write_text("let loop = 3s\n")
    return {"folder": tmp_path / "a_folder", "not UTF-8": tmp_path / "latin1.mpl",
            "folder not writable": tmp_path / "a_file" / "songs.mpl",
            "name taken by a let": tmp_path / "clash.mpl"}


@pytest.mark.parametrize("case", ["folder", "not UTF-8", "folder not writable",
                                  "name taken by a let"])
def test_a_registry_that_cannot_take_the_song_stops_before_sending(
        tmp_path: Path, server: LoopbackServer, case: str) -> None:
    registry = _registries(tmp_path)[case]
    code, _, err = run("render", str(source(tmp_path, "loop")), "--store", "--registry",
                       str(registry))
    assert code == 1 and "error[E0711]" in err and "nothing was sent" in err
    assert "internal error" not in err and server.requests == []
    code, _, err = run("upload", str(source(tmp_path, "loop")), "--registry", str(registry))
    assert code == 1 and "error[E0711]" in err and server.requests == []


@pytest.mark.parametrize("case", ["folder", "not UTF-8"])
def test_songs_reports_an_unreadable_registry(tmp_path: Path, case: str) -> None:
    code, _, err = run("songs", "--registry", str(_registries(tmp_path)[case]))
    assert code == 1 and "error[E0711]" in err and "internal error" not in err


@pytest.mark.parametrize("key", ["sk-0123456789\nSECRET", "sk-0123 456789", "sk-0123456789\tX",
                                 "sk-tést-0123456789", "sk-\x07-0123456789", "sk-1"])
def test_a_malformed_key_is_refused_unseen(tmp_path: Path, server: LoopbackServer,
                                           monkeypatch: pytest.MonkeyPatch, key: str) -> None:
    monkeypatch.setenv("ELEVENLABS_API_KEY", f" {key}\n")
    result = CliRunner().invoke(main, ["render", str(source(tmp_path, "loop"))])
    assert result.exit_code == 2 and "error[E0704]" in result.stderr
    assert "ELEVENLABS_API_KEY" in result.stderr and key not in result.output
    assert server.requests == []


@pytest.mark.parametrize("options", [
    ("--base-url", "ftp://example.com"), ("--base-url", "api.elevenlabs.io"),
    ("--base-url", "http://[::1"), ("--base-url", "http://host:99999"),
    ("--base-url", "http://exa mple.com"),
    ("--timeout", "nan"), ("--timeout", "inf"), ("--timeout", "0"), ("--timeout", "10,-1")])
def test_bad_connection_options_are_usage_errors(tmp_path: Path, server: LoopbackServer,
                                                 options: tuple[str, str]) -> None:
    code, _, err = run("render", str(source(tmp_path, "loop")), *options)
    assert code == 2 and f"Invalid value for '{options[0]}'" in err
    assert server.requests == []


def test_a_bad_base_url_from_the_environment(tmp_path: Path, server: LoopbackServer,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ELEVENLABS_BASE_URL", "localhost:8080")
    code, _, err = run("draft", "a waltz")
    assert code == 2 and "ELEVENLABS_BASE_URL" in err and server.requests == []


# -- what comes back -----------------------------------------------------------------------

def test_server_text_never_shows_the_key(tmp_path: Path, server: LoopbackServer) -> None:
    """`run` fails if the key appears anywhere in the output."""
    detail = [{"loc": ["body", "composition_plan", "chunks", 0, "text"], "msg": f"bad {KEY}"},
              {"loc": ["body", "nowhere"], "msg": f"also {KEY}"}]
    server.script(Answer(422, {"detail": detail}),
                  Answer(400, {"detail": {"status": "bad_prompt", "message": f"no {KEY}",
                                          "data": {"prompt_suggestion": f"try {KEY}"}}}),
                  Answer(500, f"<html>{KEY}</html>".encode(), {"content-type": "text/html"}),
                  Answer(200, f"key {KEY}".encode(), {"content-type": "text/plain"}))
    code, _, err = run("render", str(source(tmp_path, "loop")))
    assert code == 1 and err.count("***") == 2
    code, out, err = run("draft", "x")
    assert code == 1 and out == "try ***\n" and "no ***" in err
    code, _, err = run("draft", "x")
    assert code == 1 and "<html>***</html>" in err
    code, _, err = run("render", str(source(tmp_path, "loop")), "-o", str(tmp_path / "x.mp3"))
    assert code == 1 and "E0710" in err and "key ***" in err


def test_detailed_metadata_is_written_without_the_key(tmp_path: Path,
                                                     server: LoopbackServer) -> None:
    content_type, body = mixed(("application/json", json.dumps({"note": KEY}).encode()),
                               ("audio/mpeg", AUDIO))
    server.script(Answer(200, body, {"content-type": content_type}))
    code, _, _ = run("render", str(source(tmp_path, "loop")), "--detailed")
    assert code == 0
    assert json.loads((tmp_path / "loop.json").read_text()) == {"note": "***"}


def test_bad_prompt_suggestion_is_not_called_mpl(server: LoopbackServer) -> None:
    server.script(Answer(400, {"detail": {"status": "bad_prompt", "message": "protected",
                                          "data": {"prompt_suggestion": "an upbeat song"}}}))
    code, _, err = run("draft", "a song like a famous band")
    assert code == 1 and "MPL" not in err and "suggests this prompt" in err


@pytest.mark.parametrize("status", [301, 302, 307])
def test_a_redirect_is_an_error_not_followed(tmp_path: Path, server: LoopbackServer,
                                             status: int) -> None:
    server.script(Answer(status, b"", {"location": "http://elsewhere.test/"}))
    code, _, err = run("render", str(source(tmp_path, "loop")))
    assert code == 1 and f"error[E0705]: the server answered {status}" in err
    assert len(server.requests) == 1 and sorted(p.name for p in tmp_path.iterdir()) == [
        "loop.mpl"]


@pytest.mark.parametrize("answer", [
    Answer(200, b""), Answer(204, b""), Answer(200, {"detail": "queued"}),
    Answer(200, b"server says hi", {"content-type": "text/plain; charset=utf-8"}),
    Answer(200, b"not gzip at all", {"content-encoding": "gzip"})])
def test_an_answer_that_is_not_audio_leaves_no_file(tmp_path: Path, server: LoopbackServer,
                                                    answer: Answer) -> None:
    server.script(answer)
    code, _, err = run("render", str(source(tmp_path, "loop")), "--stream")
    assert code == 1 and "error[E0710]" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["loop.mpl"]


@pytest.mark.parametrize("detail", [[], None, {}, [None], [{"loc": 5, "msg": "bad"}], ""])
def test_odd_422_details_still_say_something(tmp_path: Path, server: LoopbackServer,
                                             detail: object) -> None:
    server.script(Answer(422, {"detail": detail}))
    code, _, err = run("render", str(source(tmp_path, "loop")))
    assert code == 1 and "error[E0705]: the server rejected the request" in err
    assert "None" not in err and "{}" not in err and "internal error" not in err


def test_songs_into_a_closed_pipe_is_quiet(tmp_path: Path) -> None:
    registry = tmp_path / "songs.mpl"
    registry.write_text("".join(f'song s{i} = "ID{i}" length=60s\n' for i in range(6000)))
    process = subprocess.Popen([sys.executable, "-m", "musicplan.cli", "songs", "--registry",
                                str(registry)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.readline() == b"s0  ID0  1:00\n"
    process.stdout.close()  # like `| head -1`
    err = process.stderr.read().decode()
    assert process.wait() == 1 and err == ""


def test_a_registry_imports_beside_itself_and_lists_each_song_once(
        tmp_path: Path, server: LoopbackServer, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "shared"
    folder.mkdir()
    (folder / "more.mpl").write_text('song b = "B1" length=20s\n')
    registry = folder / "songs.mpl"
    registry.write_text('import "./more.mpl"\nsong a = "A1" length=10s\n')
    monkeypatch.chdir(tmp_path)
    code, out, err = run("songs", "--registry", str(registry))
    assert code == 0, err
    assert out == "b  B1  0:20\na  A1  0:10\n"
    server.script(Answer(200, AUDIO, {"song-id": "C1"}))
    code, _, err = run("render", str(source(tmp_path)), "--registry", str(registry))
    assert code == 0, err
    assert registry.read_text().endswith('song trailer = "C1" length=1:00 {\n'
                                         '  intro  0-15s\n  build  15s-35s\n'
                                         '  bridge 35s-50s\n  outro  50s-1:00\n}\n')


# -- song ids ----------------------------------------------------------------------------------

@pytest.mark.parametrize("song_id", ['a b"c', "x\\y", "é1", "a" * 200])
def test_a_song_id_mpl_cannot_use_is_not_recorded(tmp_path: Path, server: LoopbackServer,
                                                  song_id: str) -> None:
    server.script(Answer(200, AUDIO, {"song-id": song_id}))
    code, _, err = run("render", str(source(tmp_path)))
    assert code == 1 and "error[E0710]" in err and "written to" in err
    assert not (tmp_path / "songs.mpl").exists()
    assert (tmp_path / "trailer.mp3").read_bytes() == AUDIO  # paid for: kept


def test_a_song_id_mpl_cannot_use_in_the_detailed_json(tmp_path: Path,
                                                      server: LoopbackServer) -> None:
    content_type, body = mixed(("application/json", b'{"song_id": 42}'), ("audio/mpeg", AUDIO))
    server.script(Answer(200, body, {"content-type": content_type}))
    code, _, err = run("render", str(source(tmp_path)), "--detailed")
    assert code == 1 and "error[E0710]" in err and not (tmp_path / "songs.mpl").exists()


def test_a_failed_stored_render_still_gives_its_song_id(tmp_path: Path,
                                                       server: LoopbackServer) -> None:
    server.script(Truncate(headers={"song-id": "Paid123"}),
                  Answer(200, b"not multipart", {"song-id": "Paid456"}))
    code, _, err = run("render", str(source(tmp_path)))
    assert code == 1 and "E0708" in err and '"Paid123"' in err
    code, _, err = run("render", str(source(tmp_path)), "--detailed")
    assert code == 1 and "E0710" in err and '"Paid456"' in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["trailer.mpl"]


def test_upload_with_a_nonsense_plan_records_the_id_alone(tmp_path: Path,
                                                          server: LoopbackServer) -> None:
    audio = tmp_path / "take.mp3"
    audio.write_bytes(AUDIO)
    registry = tmp_path / "songs.mpl"
    plan = {"chunks": [{"text": "[A]", "duration_ms": -5000, "positive_styles": []}]}
    server.script(Answer(200, {"song_id": "U3", "composition_plan": plan}))
    code, _, err = run("upload", str(audio), "--registry", str(registry))
    assert code == 0 and "W0208" in err and "ranges MPL cannot use" in err
    assert registry.read_text().endswith('song take = "U3"\n')


def test_upload_without_asking_for_a_plan_does_not_warn(tmp_path: Path,
                                                        server: LoopbackServer) -> None:
    audio = tmp_path / "take.mp3"
    audio.write_bytes(AUDIO)
    server.script(Answer(200, {"song_id": "U4"}))
    code, _, err = run("upload", str(audio), "--no-plan", "--registry",
                       str(tmp_path / "songs.mpl"))
    assert code == 0 and "W0208" not in err and "warning" not in err
    assert "extract_composition_plan" not in server.requests[0].form()


def test_dry_run_says_what_would_stop_a_real_run(tmp_path: Path, server: LoopbackServer,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    path = source(tmp_path, "loop")
    (tmp_path / "loop.mp3").write_bytes(b"last render")
    monkeypatch.delenv("ELEVENLABS_API_KEY")
    code, out, err = run("render", str(path), "--dry-run", "--detailed")
    assert code == 2 and server.requests == []
    assert f"would write {tmp_path / 'loop.mp3'} and {tmp_path / 'loop.json'}" in out
    assert "error[E0709]" in err and "--force" in err
    assert "error[E0704]" in err and "ELEVENLABS_API_KEY" in err
    code, out, err = run("render", str(path), "--dry-run", "--force")
    assert code == 2 and "E0709" not in err and "E0704" in err


@pytest.mark.parametrize("case", ["exists", "unwritable", "registry", "no key", "none"])
def test_dry_run_exits_as_the_real_run_would(tmp_path: Path, server: LoopbackServer,
                                             monkeypatch: pytest.MonkeyPatch,
                                             case: str) -> None:
    """Same exit code and same first error, with and without --dry-run."""
    path = source(tmp_path, "loop")
    args = ["render", str(path), "--timeout", "5,0.3"]
    if case == "exists":
        (tmp_path / "loop.mp3").write_bytes(b"last render")
    elif case == "unwritable":
        (tmp_path / "loop.mp3").mkdir()  # the default OUT is a folder
    elif case == "registry":
        (tmp_path / "songs.mpl").write_text("song = oops\n")
        args.append("--store")
    elif case == "no key":
        monkeypatch.delenv("ELEVENLABS_API_KEY")
    code, out, err = run(*args, "--dry-run")
    assert server.requests == [] and out.startswith("POST ")
    server.script(Stall(2.0))  # a real run that gets as far as sending stops here (E0708)
    real_code, _, real_err = run(*args)
    if case == "none":
        assert code == 0 and err == "" and len(server.requests) == 1 and real_code == 1
        return
    assert server.requests == []
    first_error = re.compile(r"error\[(E\d{4})\]")
    assert code == real_code == (1 if case == "registry" else 2)
    assert first_error.findall(err)[0] == first_error.findall(real_err)[0]


def test_a_song_id_that_is_the_key_is_never_shown_or_recorded(
        tmp_path: Path, server: LoopbackServer) -> None:
    """`run` fails if the key appears anywhere in the output."""
    server.script(Answer(200, AUDIO, {"song-id": KEY}), Truncate(headers={"song-id": KEY}))
    code, _, err = run("render", str(source(tmp_path)))
    assert code == 1 and "error[E0710]" in err and "contains the API key" in err
    assert not (tmp_path / "songs.mpl").exists()
    assert (tmp_path / "trailer.mp3").read_bytes() == AUDIO  # paid for: kept
    code, _, err = run("render", str(source(tmp_path)), "-o", str(tmp_path / "again.mp3"))
    assert code == 1 and "E0708" in err and "stored the song as" not in err
    audio = tmp_path / "take.mp3"
    audio.write_bytes(AUDIO)
    server.script(Answer(200, {"song_id": KEY}))
    code, _, err = run("upload", str(audio), "--registry", str(tmp_path / "songs.mpl"))
    assert code == 1 and "error[E0710]" in err and not (tmp_path / "songs.mpl").exists()


# -- -o never writes over a file without --force -------------------------------------------

def test_every_o_option_refuses_an_existing_file_without_force(
        tmp_path: Path, server: LoopbackServer) -> None:
    plan = json.loads((EXAMPLES / "loop.json").read_text())
    commands = {
        "compile": ["compile", str(EXAMPLES / "loop.mpl")],
        "decompile": ["decompile", str(EXAMPLES / "loop.json")],
        "draft": ["draft", "a loop"],
        "render": ["render", str(source(tmp_path, "loop"))],
    }
    for name, args in commands.items():
        out = tmp_path / f"{name}.out"
        out.write_text("earlier work\n")
        code, _, err = run(*args, "-o", str(out))
        assert (code, out.read_text()) == (2, "earlier work\n"), name
        assert "error[E0709]" in err and "--force" in err, name
    assert server.requests == []
    server.script(Answer(200, plan), Answer(200, AUDIO))
    for name, args in commands.items():
        out = tmp_path / f"{name}.out"
        code, _, err = run(*args, "-o", str(out), "--force")
        assert code == 0 and out.read_text(errors="replace") != "earlier work\n", (name, err)


def test_several_compile_outputs_are_checked_before_any_is_written(tmp_path: Path) -> None:
    out = tmp_path / "plans"
    out.mkdir()
    (out / "edit.json").write_text("{}\n")
    code, _, err = run("compile", str(EXAMPLES / "loop.mpl"), str(EXAMPLES / "edit.mpl"),
                       "-o", str(out))
    assert code == 2 and "error[E0709]" in err and "edit.json exists" in err
    assert sorted(p.name for p in out.iterdir()) == ["edit.json"]
    code, _, err = run("compile", str(EXAMPLES / "edit.mpl"), "-o", str(out / "edit.json"),
                       "--format", "json")
    assert code == 2 and [item["code"] for item in json.loads(err)] == ["E0709"]


@pytest.mark.parametrize("out", ["", "folder", "same"])
def test_decompile_checks_its_output(tmp_path: Path, out: str) -> None:
    (tmp_path / "folder").mkdir()
    given = tmp_path / "plan.json"
    given.write_text((EXAMPLES / "loop.json").read_text())
    target = {"": "", "folder": str(tmp_path / "folder"), "same": str(given)}[out]
    code, _, err = run("decompile", str(given), "-o", target, "--force")
    assert code == 2 and "error[E0713]" in err
    assert given.read_text() == (EXAMPLES / "loop.json").read_text()


# -- --format is for diagnostics, as everywhere; --audio-format for the audio ---------------

def test_render_format_json_reports_like_the_other_commands(
        tmp_path: Path, server: LoopbackServer) -> None:
    code, _, err = run("render", str(source(tmp_path, "loop")), "--format", "pcm_44100")
    assert code == 2 and "'--format'" in err and server.requests == []
    bad = source(tmp_path, "bad", 'gen "Intro" 2s styles["a"]\n')
    code, _, err = run("render", str(bad), "--format", "json")
    assert code == 1 and server.requests == []
    assert ("E0203", 1) in [(found["code"], found["line"]) for found in json.loads(err)]
    detail = [{"loc": ["body", "composition_plan", "chunks", 1, "text"], "msg": "too long"},
              {"loc": ["body", "nowhere"], "msg": "odd"}]
    server.script(Answer(422, {"detail": detail}))
    code, out, err = run("render", str(source(tmp_path)), "--format", "json")
    assert code == 1 and out == ""
    assert [(item["code"], "line" in item) for item in json.loads(err)
            if item["severity"] == "error"] == [("E0701", True), ("E0705", False)]
    (tmp_path / "loop.mp3").write_bytes(b"last render")
    code, out, err = run("render", str(source(tmp_path, "loop")), "--format", "json",
                         "--dry-run")
    assert code == 2 and out.startswith("POST ") and json.loads(err)[0]["code"] == "E0709"
    server.script(Answer(200, AUDIO))
    code, out, err = run("render", str(source(tmp_path, "loop")), "--format", "json",
                         "--force", "--audio-format", "pcm_44100")
    assert code == 0 and (tmp_path / "loop.pcm").read_bytes() == AUDIO
    assert [item for item in json.loads(err) if item["severity"] == "error"] == []
    assert server.requests[-1].query == {"output_format": ["pcm_44100"]}


# -- stopped by a signal -----------------------------------------------------------------------

def _default_sigint() -> None:
    """In the child: SIGINT as a terminal gives it (a background job inherits it ignored)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_during_render_leaves_no_partial_file(tmp_path: Path, server: LoopbackServer,
                                                       signum: int) -> None:
    path = source(tmp_path, "loop")
    server.script(Slow())
    env = {**os.environ, "ELEVENLABS_API_KEY": KEY, "ELEVENLABS_BASE_URL": server.url}
    process = subprocess.Popen([sys.executable, "-m", "musicplan.cli", "render", str(path)],
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               preexec_fn=_default_sigint)
    try:
        deadline = time.monotonic() + 20  # a bound on waiting, not a measurement
        while not any(p.name.endswith(".part") for p in tmp_path.iterdir()):
            assert process.poll() is None and time.monotonic() < deadline
            time.sleep(0.02)
        process.send_signal(signum)
        out, err = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    name = signal.Signals(signum).name
    assert process.returncode == 128 + signum
    assert err.decode().splitlines() == [
        f"mpl: stopped by {name}; nothing was written to {tmp_path / 'loop.mp3'}; "
        "the server may still bill the render"]
    assert out == b"" and sorted(p.name for p in tmp_path.iterdir()) == ["loop.mpl"]


def test_e0711_shows_the_registry_line_that_takes_the_name(tmp_path: Path,
                                                          server: LoopbackServer) -> None:
    registry = tmp_path / "songs.mpl"
    registry.write_text("# one\n# two\nlet loop = 3s\n")
    code, _, err = run("render", str(source(tmp_path, "loop")), "--store")
    assert code == 1 and server.requests == []
    assert f"{registry}:3:5: error[E0711]: recording `loop` would break songs.mpl: " in err
    assert "  3 | let loop = 3s\n    |     ^^^^" in err


def test_as_without_storing_is_a_warning(tmp_path: Path, server: LoopbackServer) -> None:
    """`--as NAME` names the song to record; a plan that stores nothing records nothing."""
    plain = tmp_path / "plain.mpl"
    plain.write_text('gen "Intro" 10s styles["a", "b", "c", "d", "e", "f"]\n', encoding="utf-8")
    server.script(Answer(200, AUDIO))
    code, _, err = run("render", str(plain), "--as", "take")
    assert code == 0, err
    assert "warning[W0703]: --as has no effect: the song is not stored" in err
    assert not (tmp_path / "songs.mpl").exists()


def test_render_never_writes_its_audio_over_its_source(tmp_path: Path,
                                                       server: LoopbackServer) -> None:
    """Not even with --force: -o naming the .mpl being rendered is E0713, and nothing is sent."""
    path = source(tmp_path, "loop")
    before = path.read_text()
    code, _, err = run("render", str(path), "-o", str(path), "--force")
    assert code == 2 and "error[E0713]" in err and "it is the source" in err
    assert path.read_text() == before and not server.requests


def test_a_signal_stops_a_batch_as_ctrl_c_does(tmp_path: Path, server: LoopbackServer) -> None:
    """SIGTERM during a batch: the render in flight (already billed) finishes and is
    written; no more are sent; the summary says so; exit 128 + 15."""
    first, second = source(tmp_path, "loop", None), tmp_path / "other.mpl"
    second.write_text(first.read_text())
    server.script(Slow(pieces=40), Answer(200, AUDIO))
    env = {**os.environ, "ELEVENLABS_API_KEY": KEY, "ELEVENLABS_BASE_URL": server.url}
    process = subprocess.Popen([sys.executable, "-m", "musicplan.cli", "render", str(first),
                                str(second), "--jobs", "1"], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, preexec_fn=_default_sigint)
    try:
        deadline = time.monotonic() + 20  # a bound on waiting, not a measurement
        while not any(p.name.endswith(".part") for p in tmp_path.iterdir()):
            assert process.poll() is None and time.monotonic() < deadline
            time.sleep(0.02)
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 128 + signal.SIGTERM, err
    assert "mpl: interrupted (SIGTERM); finishing the renders in flight" in err.decode()
    assert "1 done, 0 skipped, 0 failed, 1 stopped" in out.decode()
    assert (tmp_path / "loop.mp3").exists() and not (tmp_path / "other.mp3").exists()
    assert len(server.requests) == 1
