"""The Python API and the HTTP layer under it, through httpx.MockTransport: typed results,
the retry policy, Retry-After, the multipart reader, and light imports."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import httpx
import pytest
from conftest import EXAMPLES
from musicplan.api import session
from musicplan.api.client import (
    Client,
    MPLCompileError,
    RenderResult,
    compile_file,
    compile_string,
    prepare_render,
)
from musicplan.api.errors import ServerReport
from musicplan.api.multipart import MixedReader, MultipartError, detailed, parse_mixed, snake_keys
from musicplan.api.session import (
    AudioUnreadable,
    BadResponse,
    ConnectFailed,
    InvalidPlan,
    KeyRefused,
    NoKey,
    OutputExists,
    Rejected,
    Request,
    Session,
    Settings,
    Unavailable,
    retry_delay,
)
from musicplan.models import CompositionPlan
from musicplan.pipeline import compile_path

KEY = "sk-api-test-KEY-42"
Handler = Callable[[httpx.Request], httpx.Response]


@pytest.fixture(autouse=True)
def no_sleep(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    slept: list[float] = []
    monkeypatch.setattr(session, "sleep", slept.append)
    return slept


def make(handler: Handler, **kwargs: object) -> tuple[Client, list[httpx.Request]]:
    seen: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        request.read()
        seen.append(request)
        return handler(request)

    api = Client(KEY, base_url="https://api.test", transport=httpx.MockTransport(record),
                 **kwargs)  # type: ignore[arg-type]
    return api, seen


def test_compile_file_and_string_give_the_plan_model() -> None:
    plan = compile_file(EXAMPLES / "trailer.mpl")
    assert isinstance(plan, CompositionPlan)
    assert plan.model_dump(mode="json", exclude_unset=True) == json.loads(
        (EXAMPLES / "trailer.json").read_text())
    assert compile_string((EXAMPLES / "loop.mpl").read_text()).chunks[1].duration_ms == 3000  # type: ignore[union-attr]


def test_compile_errors_are_typed() -> None:
    with pytest.raises(MPLCompileError) as caught:
        compile_string('gen "Intro" 2s styles["a"]\n', "x.mpl")
    assert [d.code for d in caught.value.diagnostics] == ["E0202", "E0203"]
    assert "x.mpl:1:13: error[E0203]" in str(caught.value)


def test_render_to_bytes_with_song_id() -> None:
    api, seen = make(lambda r: httpx.Response(200, content=b"AUDIO", headers={"song-id": "S1"}))
    result = api.render(Path(EXAMPLES / "trailer.mpl"), seed=1)
    assert result == RenderResult(path=None, audio=b"AUDIO", song_id="S1", length_ms=60_000,
                                  content_type="")
    sent = seen[0]
    assert str(sent.url) == "https://api.test/v1/music?output_format=mp3_48000_192"
    assert sent.headers["xi-api-key"] == KEY
    body = compile_path(EXAMPLES / "trailer.mpl").request_json({"seed": 1})
    assert sent.content == json.dumps(body, separators=(",", ":")).encode()


def test_render_a_plan_dict_or_model(tmp_path: Path) -> None:
    api, seen = make(lambda r: httpx.Response(200, content=b"A"))
    plan = json.loads((EXAMPLES / "loop.json").read_text())
    out = tmp_path / "loop.mp3"
    result = api.render(plan, out, output_format="opus_48000_64")
    assert result.path == out and out.read_bytes() == b"A" and result.length_ms == 13_000
    assert json.loads(seen[0].content) == {"model_id": "music_v2", "composition_plan": plan}
    assert seen[0].url.params["output_format"] == "opus_48000_64"
    api.render(CompositionPlan.model_validate(plan), out, force=True)
    assert json.loads(seen[1].content)["composition_plan"] == plan
    with pytest.raises(OutputExists):
        api.render(plan, out)


def test_ctrl_c_during_a_download_leaves_no_file(tmp_path: Path) -> None:
    class Interrupted(httpx.SyncByteStream):
        def __iter__(self) -> Iterator[bytes]:
            yield b"first part"
            raise KeyboardInterrupt

    api, _ = make(lambda r: httpx.Response(200, stream=Interrupted()))
    with pytest.raises(KeyboardInterrupt):
        api.render(EXAMPLES / "loop.mpl", tmp_path / "x.mp3")
    assert list(tmp_path.iterdir()) == []


def test_detailed_answer_in_memory() -> None:
    plan = json.loads((EXAMPLES / "loop.json").read_text())
    boundary = "b0undary"
    body = (f"--{boundary}\r\nContent-Type: application/json\r\n\r\n"
            f"{json.dumps({'compositionPlan': plan, 'song_id': 'M1'})}\r\n"
            f"--{boundary}\r\nContent-Type: audio/mpeg\r\n\r\n").encode() + b"\x00\r\n\xff" + \
        f"\r\n--{boundary}--\r\n".encode()
    api, seen = make(lambda r: httpx.Response(
        200, content=body, headers={"content-type": f"multipart/mixed; boundary={boundary}"}))
    result = api.render(EXAMPLES / "loop.mpl", detailed=True)
    assert seen[0].url.path == "/v1/music/detailed"
    assert result.audio == b"\x00\r\n\xff" and result.song_id == "M1"
    assert result.metadata == {"composition_plan": plan, "song_id": "M1"}


def test_422_report_points_into_the_source() -> None:
    detail = [{"loc": ["body", "composition_plan", "chunks", 0, "duration_ms"], "msg": "bad"},
              {"loc": ["body", "seed"], "msg": "seed out of range"},
              {"loc": ["body", "something_else"], "msg": "odd"}]
    api, _ = make(lambda r: httpx.Response(422, json={"detail": detail}))
    with pytest.raises(Rejected) as caught:
        api.render(EXAMPLES / "trailer.mpl")
    report = caught.value.report
    assert isinstance(report, ServerReport)
    first, second = report.diagnostics
    assert (first.code, first.span.line, first.span.col) == ("E0701", 4, 13)
    assert (second.span.line, second.span.col) == (2, 6)  # seed=7 in the plan header
    assert [p.code for p in report.problems] == ["E0705"]
    assert "something_else" in report.problems[0].message


def test_key_refused_and_other_4xx() -> None:
    api, _ = make(lambda r: httpx.Response(401, json={"detail": {"message": "bad key"}}))
    with pytest.raises(KeyRefused, match="ELEVENLABS_API_KEY was refused"):
        api.draft("x")
    api, _ = make(lambda r: httpx.Response(404, text="not here"))
    with pytest.raises(Rejected, match=r"\(404\): not here"):
        api.draft("x")


def test_no_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ELEVENLABS_API_KEY", raising=False)
    with pytest.raises(NoKey, match="ELEVENLABS_API_KEY"):
        Client()


def test_retry_after_as_a_date_and_the_cap(no_sleep: list[float]) -> None:
    later = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    assert 25 <= retry_delay(1, later) <= 30
    assert retry_delay(1, "600") == session.MAX_DELAY
    assert [retry_delay(n, None) for n in (1, 2, 3)] == [1.0, 2.0, 4.0]
    assert retry_delay(2, "soon") == 2.0
    answers = iter([httpx.Response(429, headers={"retry-after": "3"}),
                    httpx.Response(429, headers={"retry-after": "3"}),
                    httpx.Response(429, headers={"retry-after": "3"})])
    api, seen = make(lambda r: next(answers))
    with pytest.raises(Unavailable) as caught:
        api.draft("x")
    assert len(seen) == 3 and no_sleep == [3.0, 3.0] and caught.value.status == 429


def test_connect_errors_are_retried_then_reported(no_sleep: list[float]) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    api, seen = make(refuse, retries=2)
    with pytest.raises(ConnectFailed):
        api.draft("x")
    assert len(seen) == 2 and no_sleep == [1.0]


def test_upload_and_draft_results(tmp_path: Path) -> None:
    plan = json.loads((EXAMPLES / "trailer.json").read_text())
    audio = tmp_path / "a.mp3"
    audio.write_bytes(b"xyz")
    api, seen = make(lambda r: httpx.Response(200, json={"song_id": "U", "compositionPlan": plan}))
    uploaded = api.upload(audio)
    assert (uploaded.song_id, uploaded.length_ms, uploaded.plan) == ("U", 60_000, plan)
    assert b'name="extract_composition_plan"' in seen[0].content
    api, seen = make(lambda r: httpx.Response(200, json=plan))
    drafted = api.draft("trailer", 60_000)
    assert drafted.plan == plan and drafted.mpl_text is not None
    assert compile_string(drafted.mpl_text).model_dump(mode="json", exclude_unset=True) == plan


def test_upload_of_a_file_that_cannot_be_read_sends_nothing(tmp_path: Path) -> None:
    api, seen = make(lambda r: httpx.Response(200, json={"song_id": "U"}))
    with pytest.raises(AudioUnreadable) as caught:
        api.upload(tmp_path / "gone.mp3")
    assert caught.value.code == "E0712" and "gone.mp3" in caught.value.message
    assert seen == []


def test_describe_never_shows_the_key() -> None:
    prepared = prepare_render(EXAMPLES / "loop.mpl", overrides={"seed": 3})
    text = prepared.request.describe(Settings(api_key=KEY, base_url="https://h"))
    assert KEY not in text and "xi-api-key: ***" in text and '"seed":3' in text
    assert KEY not in repr(Settings(api_key=KEY))
    upload = Request(path="/v1/music/upload", form={"extract_composition_plan": "music_v2"},
                     file=Path("a.mp3"))
    assert "file=@a.mp3" in upload.describe(Settings(api_key=KEY))


def test_multipart_reader_keeps_binary_parts() -> None:
    audio = bytes(range(256)) * 40 + b"\r\n--almost\r\n"
    content_type = "multipart/mixed; boundary=XyZ"
    body = (b"preamble\r\n--XyZ\r\nContent-Type: audio/mpeg\r\n\r\n" + audio +
            b"\r\n--XyZ\r\nContent-Type: application/json; charset=utf-8\r\n\r\n{\"a\": 1}"
            b"\r\n--XyZ--\r\n")
    reader = MixedReader(content_type)
    for start in range(0, len(body), 7):  # fed in small pieces, as a stream arrives
        reader.feed(body[start:start + 7])
    answer = detailed(reader.parts())
    assert answer.audio == audio and answer.metadata == {"a": 1}
    assert [p.content_type for p in parse_mixed(content_type, body)] == [
        "audio/mpeg", "application/json"]
    with pytest.raises(MultipartError):
        MixedReader("audio/mpeg")
    only_audio = b"--XyZ\r\nContent-Type: audio/mpeg\r\n\r\nx\r\n--XyZ--"
    with pytest.raises(MultipartError):
        detailed(parse_mixed(content_type, only_audio))


def test_snake_keys() -> None:
    assert snake_keys({"wordsTimestamps": [{"startMs": 1}], "song_id": "x"}) == {
        "words_timestamps": [{"start_ms": 1}], "song_id": "x"}


def test_import_paths_stay_light() -> None:
    code = ("import sys, musicplan.api.client, musicplan.cli.compile_cmd; "
            "assert 'httpx' not in sys.modules and 'pydantic' not in sys.modules, "
            "sorted(m for m in sys.modules if m.startswith(('httpx', 'pydantic')))")
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize("plan", [{}, {"chunks": "x"}, {"chunks": [{"text": "a"}]},
                                  {"chunks": [{"song_id": "s", "range": {"start_ms": 0}}]},
                                  {"chunks": []}])
def test_rendering_a_dict_that_is_not_a_plan_sends_nothing(plan: dict[str, object]) -> None:
    api, seen = make(lambda r: httpx.Response(200, content=b"A"))
    with pytest.raises(InvalidPlan) as caught:
        api.render(plan)
    assert caught.value.code == "E0601" and "not a music_v2 plan" in str(caught.value)
    assert seen == []


@pytest.mark.parametrize("status", [101, 199, 301, 304, 308])
def test_only_2xx_is_success(status: int) -> None:
    api, _ = make(lambda r: httpx.Response(status, headers={"location": "https://x.test/"}))
    with pytest.raises(Rejected) as caught:
        api.render(EXAMPLES / "loop.mpl")
    assert caught.value.code == "E0705" and caught.value.status == status
    assert str(status) in caught.value.message


def test_an_empty_or_text_audio_answer_is_unreadable(tmp_path: Path) -> None:
    for response in (httpx.Response(200, content=b""),
                     httpx.Response(200, json={"detail": "no"}),
                     httpx.Response(200, text="hello", headers={"content-type": "text/plain"})):
        api, _ = make(lambda r, answer=response: answer)  # type: ignore[misc]
        with pytest.raises(BadResponse):
            api.render(EXAMPLES / "loop.mpl", tmp_path / "x.mp3")
        with pytest.raises(BadResponse):
            api.render(EXAMPLES / "loop.mpl")
    assert list(tmp_path.iterdir()) == []


def test_an_undecodable_body_is_unreadable(tmp_path: Path) -> None:
    api, _ = make(lambda r: httpx.Response(200, content=b"not gzip",
                                           headers={"content-encoding": "gzip"}))
    with pytest.raises(BadResponse, match="could not be decoded"):
        api.render(EXAMPLES / "loop.mpl", tmp_path / "x.mp3")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("key", ["two words here", "line\nbreak-0123", "non-ascii-é-0123",
                                 "bell\x07-0123456", "k3y"])
def test_a_key_that_cannot_be_one_is_refused(key: str) -> None:
    with pytest.raises(NoKey) as caught:
        Client(key)
    assert caught.value.code == "E0704" and key not in str(caught.value)


def test_a_base_url_that_is_not_http_is_refused() -> None:
    for url in ("ftp://x.test", "x.test", "http://[::1"):
        with pytest.raises(ConnectFailed, match="base URL"):
            Client(KEY, base_url=url)


def test_redaction_needs_a_key_of_sensible_length() -> None:
    assert Session(Settings(api_key="ab")).redact("abc cab") == "abc cab"
    assert Session(Settings(api_key=KEY)).redact(f"x{KEY}y") == "x***y"
    assert Session(Settings(api_key=KEY)).redact_data({KEY: [KEY, 1]}) == {"***": ["***", 1]}


def test_server_text_in_errors_and_answers_is_redacted() -> None:
    api, _ = make(lambda r: httpx.Response(422, json={"detail": [{"loc": ["body", "x"],
                                                                  "msg": f"bad {KEY}"}]}))
    with pytest.raises(Rejected) as caught:
        api.draft("x")
    assert KEY not in str(caught.value) and KEY not in json.dumps(caught.value.detail)
    assert KEY not in caught.value.report.problems[0].message
    plan = json.loads((EXAMPLES / "loop.json").read_text())
    plan["chunks"][1]["positive_styles"].append(KEY)
    api, _ = make(lambda r: httpx.Response(200, json=plan))
    assert KEY not in (api.draft("x").mpl_text or "")


def test_song_ids_are_checked() -> None:
    api, _ = make(lambda r: httpx.Response(200, content=b"A", headers={"song-id": "a b"}))
    with pytest.raises(BadResponse, match="song id"):
        api.render(EXAMPLES / "loop.mpl")
    api, _ = make(lambda r: httpx.Response(200, json={"song_id": ["x"]}))
    with pytest.raises(BadResponse, match="song_id"):
        api.upload(EXAMPLES / "loop.mpl")


def test_upload_with_unusable_ranges_has_no_length(tmp_path: Path) -> None:
    plan = {"chunks": [{"song_id": "x", "range": {"start_ms": 9000, "end_ms": 1000}}]}
    api, _ = make(lambda r: httpx.Response(200, json={"song_id": "U", "composition_plan": plan}))
    uploaded = api.upload(EXAMPLES / "loop.mpl")
    assert (uploaded.song_id, uploaded.length_ms, uploaded.sections) == ("U", None, ())
    assert uploaded.plan == plan


def test_a_str_is_a_path_for_render_as_for_compile_file(monkeypatch: pytest.MonkeyPatch) -> None:
    """`Client.render(str)` and `prepare_render(str)` read the .mpl file, as `compile_file(str)`
    does; MPL source text goes in as `text=`."""
    api, seen = make(lambda r: httpx.Response(200, content=b"A"))
    monkeypatch.chdir(EXAMPLES)
    api.render("loop.mpl")
    api.render(text=(EXAMPLES / "loop.mpl").read_text())
    from_path, from_text = (json.loads(request.content) for request in seen)
    assert from_path == from_text == compile_path(EXAMPLES / "loop.mpl").request_json()
    assert from_path["composition_plan"] == compile_file("loop.mpl").model_dump(
        mode="json", exclude_unset=True)
    assert prepare_render("loop.mpl").request.json_body == from_path


def test_source_text_given_for_a_path_says_where_text_goes() -> None:
    api, seen = make(lambda r: httpx.Response(200, content=b"A"))
    text = 'gen "A" 10s styles["a", "b", "c", "d", "e", "f"]\n'
    for attempt in (lambda: api.render(text), lambda: compile_file(text)):
        with pytest.raises(OSError) as caught:
            attempt()
        assert "text=" in " ".join(getattr(caught.value, "__notes__", []))
    with pytest.raises(TypeError):
        api.render()
    with pytest.raises(TypeError):
        api.render(EXAMPLES / "loop.mpl", text=text)
    assert seen == []


def test_render_takes_a_model_for_plans_given_as_data_and_source() -> None:
    """`model=` picks music_v2_5 for a plan dict (which carries no header) and overrides a
    file's header; a model that takes no composition plan is refused before sending."""
    plan = json.loads((EXAMPLES / "loop.json").read_text())
    api, seen = make(lambda r: httpx.Response(200, content=b"A"))
    api.render(plan)
    api.render(plan, model="music_v2_5")
    api.render(EXAMPLES / "loop.mpl", model="music_v2_5")
    assert [json.loads(r.content)["model_id"] for r in seen] == \
        ["music_v2", "music_v2_5", "music_v2_5"]
    with pytest.raises(InvalidPlan, match="music_v1"):
        api.render(plan, model="music_v1")
    assert len(seen) == 3


def test_every_path_argument_takes_a_str(tmp_path: Path) -> None:
    """A `str` is a path everywhere in the Python API: render's out, upload's file, draft's
    source, as for `compile_file`."""
    api, seen = make(lambda r: httpx.Response(200, content=b"AUDIO"))
    out = tmp_path / "x.mp3"
    api.render(str(EXAMPLES / "loop.mpl"), out=str(out))
    assert out.read_bytes() == b"AUDIO"
    audio = tmp_path / "s.wav"
    audio.write_bytes(b"RIFF fake")
    api, seen = make(lambda r: httpx.Response(200, json={"song_id": "Up1oad3dSongId0001"}))
    assert api.upload(str(audio)).song_id == "Up1oad3dSongId0001"
    plan = json.loads((EXAMPLES / "loop.json").read_text())
    api, seen = make(lambda r: httpx.Response(200, json=plan))
    api.draft("warmer", source=str(EXAMPLES / "loop.mpl"))
    assert json.loads(seen[0].content)["source_composition_plan"] == plan
