"""Takes and batches: `render FILE --takes N`, `render A.mpl B.mpl … --jobs N` against the
loopback server: seeds recorded, at most N in flight, the concurrency 429 lowers N, outputs
that exist are skipped, a failing file fails alone, `--dry-run` counts the billed seconds."""

from __future__ import annotations

from pathlib import Path

import pytest
from apiserver import Answer, LoopbackServer, Received
from cli_runs import run
from conftest import EXAMPLES
from musicplan.api import registry as reg
from musicplan.api.batch import MAX_BUSY_ROUNDS, Limiter, send_limited
from musicplan.api.session import TooManyConcurrent

AUDIO = b"ID3\x04 fake audio" * 40




pytestmark = pytest.mark.usefixtures("api_env")




def copy(tmp_path: Path, example: str, name: str | None = None) -> Path:
    path = tmp_path / f"{name or example}.mpl"
    path.write_text((EXAMPLES / f"{example}.mpl").read_text())
    return path


def audio(delay: float = 0.0) -> Answer:
    return Answer(200, AUDIO, delay=delay)


def test_takes_use_different_recorded_seeds(tmp_path: Path, server: LoopbackServer) -> None:
    path = copy(tmp_path, "trailer")  # `plan seed=7 … store`
    server.responder = lambda r: Answer(200, AUDIO, {"song-id": f"T{r.json()['seed']}"})
    code, out, err = run("render", str(path), "--takes", "3")
    assert code == 0, err
    seeds = sorted(r.json()["seed"] for r in server.requests)
    assert seeds == [7, 8, 9]  # the plan's seed, then the next ones
    for take in (1, 2, 3):
        assert (tmp_path / f"trailer.take-{take}.mp3").read_bytes() == AUDIO
    entries = {e.name: e for e in reg.entries(tmp_path / "songs.mpl")[0]}
    assert sorted(entries) == ["trailer_take_1", "trailer_take_2", "trailer_take_3"]
    for take, seed in ((1, 7), (2, 8), (3, 9)):
        entry = entries[f"trailer_take_{take}"]
        assert entry.song_id == f"T{seed}" and entry.data.seed == seed
        assert entry.audio_path == tmp_path / f"trailer.take-{take}.mp3"
    assert "3 done, 0 skipped, 0 failed" in out


def test_takes_without_a_seed_draw_distinct_ones(tmp_path: Path,
                                                 server: LoopbackServer) -> None:
    path = copy(tmp_path, "loop")
    server.responder = lambda r: audio()
    code, out, err = run("render", str(path), "--takes", "4", "-o", str(tmp_path / "x.mp3"))
    assert code == 0, err
    seeds = [r.json()["seed"] for r in server.requests]
    assert len(set(seeds)) == 4 and all(0 <= s < 2**32 for s in seeds)
    for seed in seeds:  # every seed is shown, so a take can be rendered again
        assert str(seed) in out
    assert sorted(p.name for p in tmp_path.glob("x.take-*.mp3")) == [
        f"x.take-{k}.mp3" for k in (1, 2, 3, 4)]


def test_at_most_jobs_requests_are_in_flight(tmp_path: Path, server: LoopbackServer) -> None:
    files = [str(copy(tmp_path, "loop", f"song{k}")) for k in range(5)]
    server.responder = lambda r: audio(delay=0.15)
    code, out, err = run("render", *files, "--jobs", "2")
    assert code == 0, err
    assert len(server.requests) == 5 and server.most_in_flight == 2
    for k in range(5):
        assert (tmp_path / f"song{k}.mp3").read_bytes() == AUDIO
    assert "5 done, 0 skipped, 0 failed" in out


def test_the_concurrency_429_lowers_the_limit_and_bills_nothing_twice(
        tmp_path: Path, server: LoopbackServer) -> None:
    files = [str(copy(tmp_path, "loop", f"song{k}")) for k in range(4)]
    server.concurrency_limit = 1
    server.responder = lambda r: audio(delay=0.1)
    code, out, err = run("render", *files, "--jobs", "3")
    assert code == 0, err
    assert server.turned_away >= 1
    # each file was taken (answered 200) exactly once
    assert len(server.requests) - server.turned_away == 4
    assert "4 done" in out


def test_existing_outputs_are_skipped_unless_forced(tmp_path: Path,
                                                    server: LoopbackServer) -> None:
    first, second = copy(tmp_path, "loop", "a"), copy(tmp_path, "loop", "b")
    (tmp_path / "a.mp3").write_bytes(b"earlier render")
    server.responder = lambda r: audio()
    code, out, err = run("render", str(first), str(second))
    assert code == 0, err
    assert len(server.requests) == 1 and (tmp_path / "a.mp3").read_bytes() == b"earlier render"
    assert "1 done, 1 skipped, 0 failed" in out
    code, out, _ = run("render", str(first), str(second), "--force")
    assert code == 0 and len(server.requests) == 3
    assert (tmp_path / "a.mp3").read_bytes() == AUDIO


def test_a_failing_file_fails_alone(tmp_path: Path, server: LoopbackServer) -> None:
    good = copy(tmp_path, "loop", "good")
    broken = tmp_path / "broken.mpl"
    broken.write_text('gen "Intro" 1s styles["a"]\n')
    refused = copy(tmp_path, "loop", "refused")

    def answer(received: Received) -> Answer:
        if received.json()["composition_plan"]["chunks"][0]["range"]["start_ms"] == 3000 \
                and len(server.requests) == 1:
            return Answer(422, {"detail": [{"loc": ["body", "composition_plan", "chunks", 1,
                                                    "duration_ms"], "msg": "too short"}]})
        return audio()

    server.responder = answer
    code, out, err = run("render", str(broken), str(refused), str(good), "--jobs", "1")
    assert code == 1
    assert "broken.mpl:1:13: error[E0203]" in err  # reported with its file, sent nothing
    assert "refused.mpl:5:12: error[E0701]" in err
    assert len(server.requests) == 2
    assert (tmp_path / "good.mp3").read_bytes() == AUDIO
    assert not (tmp_path / "refused.mp3").exists()
    assert "1 done, 0 skipped, 2 failed" in out


def test_dry_run_counts_generated_and_kept_seconds(tmp_path: Path, server: LoopbackServer,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    copy(tmp_path, "loop"), copy(tmp_path, "trailer")
    loop, trailer = "loop.mpl", "trailer.mpl"
    code, out, err = run("render", loop, trailer, "--dry-run")
    assert code == 0, err
    assert server.requests == []
    rows = {line.split("│")[1].strip(): [cell.strip() for cell in line.split("│")[2:5]]
            for line in out.splitlines() if line.startswith("│")}
    assert rows[loop] == ["1", "3", "10"]  # 3 s generated, 2 × 5 s kept
    assert rows[trailer] == ["1", "60", "0"]
    assert rows["total"] == ["2", "63", "10"]
    code, out, _ = run("render", loop, "--takes", "3", "--dry-run")
    rows = {line.split("│")[1].strip(): [cell.strip() for cell in line.split("│")[2:5]]
            for line in out.splitlines() if line.startswith("│")}
    assert code == 0 and rows["total"] == ["3", "9", "30"] and server.requests == []


def test_several_files_refuse_one_output_name(tmp_path: Path) -> None:
    a, b = copy(tmp_path, "loop", "a"), copy(tmp_path, "loop", "b")
    code, _, err = run("render", str(a), str(b), "-o", str(tmp_path / "x.mp3"))
    assert code == 2 and "-o" in err


def test_the_limiter_lowers_and_gives_up_at_one() -> None:
    limiter = Limiter(3)
    calls: list[int] = []

    def busy() -> None:
        calls.append(limiter.active)
        raise TooManyConcurrent("429", status=429)

    lowered: list[int] = []
    with pytest.raises(TooManyConcurrent):
        send_limited(limiter, busy, lowered.append)
    assert limiter.limit == 1 and limiter.active == 0
    assert lowered == [1]  # one request in flight was too many: one at a time from now on
    assert calls == [1] * (1 + MAX_BUSY_ROUNDS)  # then a few pauses at 1, then the error



def test_ctrl_c_sends_no_more_and_exits_130(tmp_path: Path, server: LoopbackServer,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from musicplan.cli import render_batch

    files = [str(copy(tmp_path, "loop", f"song{k}")) for k in range(3)]
    server.responder = lambda r: audio(delay=0.2)  # the next job is still in flight
    real = render_batch._run_one

    def interrupted(job: render_batch.Job, *args: object) -> None:
        if job.file.endswith("song0.mpl"):
            raise KeyboardInterrupt  # as Ctrl-C arrives while the first job runs
        real(job, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(render_batch, "_run_one", interrupted)
    code, out, err = run("render", *files, "--jobs", "1")
    assert code == 130 and "interrupted" in err
    assert "stopped" in out and "not sent (interrupted)" in out
    assert len(server.requests) <= 1  # at most the one already in flight


def test_a_batch_without_a_key_is_e0704_before_anything_is_sent(
        tmp_path: Path, server: LoopbackServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ELEVENLABS_API_KEY")
    a, b = copy(tmp_path, "loop", "a"), copy(tmp_path, "loop", "b")
    code, _, err = run("render", str(a), str(b))
    assert code == 2 and "error[E0704]" in err and "internal error" not in err
    assert not server.requests


def test_two_jobs_never_share_an_output_or_a_registry_name(tmp_path: Path,
                                                           server: LoopbackServer) -> None:
    """Both would be billed and one result lost: the second job fails before it is sent."""
    loop = copy(tmp_path, "loop")
    server.responder = lambda r: audio()
    code, out, err = run("render", str(loop), str(loop))
    assert code == 1, err
    assert len(server.requests) == 1
    assert "1 done, 0 skipped, 1 failed" in out and "not sent" in out
    (tmp_path / "sub").mkdir()
    first, second = copy(tmp_path, "trailer", "t"), tmp_path / "sub" / "t.mpl"
    second.write_text(first.read_text())
    server.responder = lambda r: Answer(200, AUDIO, {"song-id": f"S{len(server.requests)}"})
    code, out, err = run("render", str(first), str(second), "--registry",
                         str(tmp_path / "songs.mpl"))
    assert code == 1, err
    assert len(server.requests) == 2  # the first pair's one, and `t` once
    assert [e.name for e in reg.entries(tmp_path / "songs.mpl")[0]] == ["t"]


def test_a_stored_take_without_a_song_id_is_w0701(tmp_path: Path,
                                                  server: LoopbackServer) -> None:
    path = copy(tmp_path, "trailer")  # `store` in its header
    server.responder = lambda r: audio()  # no song-id header
    code, _, err = run("render", str(path), "--takes", "2")
    assert code == 0, err
    assert err.count("warning[W0701]") == 2
    assert not (tmp_path / "songs.mpl").exists()
