"""Drafts that revise (`mpl draft PROMPT --from FILE.mpl [--diff]`), `--length` checked
before sending, and the zero-retention header option, against the loopback server."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from apiserver import Answer, LoopbackServer
from cli_runs import run
from conftest import EXAMPLES
from musicplan.pipeline import compile_text

TRAILER = "Qw8bZ2nR4tLm6pKx1sVy"




pytestmark = pytest.mark.usefixtures("api_env")




def revised() -> dict[str, object]:
    """The server's revision of examples/edit.mpl: less of the trailer, a longer outro."""
    return {"chunks": [
        {"song_id": TRAILER, "range": {"start_ms": 0, "end_ms": 35000}},
        {"text": "[Outro]\nStand where the fire was", "duration_ms": 20000,
         "positive_styles": ["epic", "full orchestra", "choir", "triumphant", "brass",
                             "timpani"]}]}


def test_draft_from_sends_the_plan_and_keeps_the_song_names(tmp_path: Path,
                                                              server: LoopbackServer) -> None:
    source = tmp_path / "edit.mpl"
    shutil.copy(EXAMPLES / "edit.mpl", source)
    server.script(Answer(200, revised()))
    code, out, err = run("draft", "a longer outro", "--from", str(source), "--length", "55s")
    assert code == 0, err
    sent = server.requests[0].json()
    assert sent["source_composition_plan"] == json.loads((EXAMPLES / "edit.json").read_text())
    assert sent["music_length_ms"] == 55000 and sent["model_id"] == "music_v2"
    # FILE's name and what FILE knows of the song (length, sections), not `s1`
    assert 'song trailer = "Qw8bZ2nR4tLm6pKx1sVy" length=1:00 {' in out
    assert "  build  15s-35s" in out and "s1" not in out
    assert compile_text(out, "draft.mpl").plan_json() == revised()


def test_draft_from_maps_ids_through_the_registry(tmp_path: Path,
                                                  server: LoopbackServer) -> None:
    shutil.copytree(EXAMPLES / "shared", tmp_path / "shared")
    source = tmp_path / "registry_edit.mpl"
    shutil.copy(EXAMPLES / "registry_edit.mpl", source)
    server.script(Answer(200, revised()))
    code, out, err = run("draft", "shorter", "--from", str(source))
    assert code == 0, err
    # the song comes through FILE's own import of the registry, by its name there
    assert out.startswith('import "./shared/songs.mpl"\n')
    assert "keep trailer 0-35s\n" in out and "song " not in out
    assert compile_text(out, "draft.mpl", base_dir=tmp_path).plan_json() == revised()


def test_draft_diff_against_the_file(tmp_path: Path, server: LoopbackServer) -> None:
    source = tmp_path / "edit.mpl"
    shutil.copy(EXAMPLES / "edit.mpl", source)
    target = tmp_path / "edit2.mpl"
    server.script(Answer(200, revised()))
    code, out, err = run("draft", "longer outro", "--from", str(source), "--diff", "-o",
                         str(target))
    assert code == 0, err
    assert out.startswith(f"--- {source}\n+++ {target}\n@@")
    assert "-keep 0-50s\n" in out and "+keep 0-35s\n" in out
    assert compile_text(target.read_text(), "t.mpl").plan_json() == revised()


def test_draft_from_a_file_with_errors_sends_nothing(tmp_path: Path,
                                                     server: LoopbackServer) -> None:
    source = tmp_path / "bad.mpl"
    source.write_text('gen "Intro" 1s styles["a"]\n')
    code, _, err = run("draft", "x", "--from", str(source))
    assert code == 1 and "E0203" in err and "nothing was sent" in err
    assert server.requests == []


@pytest.mark.parametrize("length", ["2s", "10:00.001", "11:00"])
def test_draft_length_is_checked_before_sending(server: LoopbackServer, length: str) -> None:
    code, _, err = run("draft", "x", "--length", length)
    assert code == 2 and "0:03 to 10:00" in err and server.requests == []


def test_diff_needs_from(server: LoopbackServer) -> None:
    code, _, err = run("draft", "x", "--diff")
    assert code == 2 and "--from" in err and server.requests == []


def test_zero_retention_sends_enable_logging_false(tmp_path: Path,
                                                   server: LoopbackServer) -> None:
    path = tmp_path / "zr.mpl"
    path.write_text("plan zero_retention\n" + (EXAMPLES / "loop.mpl").read_text())
    server.script(Answer(200, b"ID3 audio"))
    code, _, err = run("render", str(path))
    assert code == 0, err
    assert server.requests[0].query["enable_logging"] == ["false"]
    assert "enable_logging" not in server.requests[0].json()
    assert compile_text("plan zero_retention=false\n" + (EXAMPLES / "loop.mpl").read_text(),
                        "x.mpl").query_params()["enable_logging"] == "true"
