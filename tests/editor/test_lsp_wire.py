"""`mpl lsp` over real stdio against what editors and broken clients send: the exit status,
malformed framing, requests with bad params, and a compiler that fails. Every case has a
timeout: the server must answer or end, never hang."""

from __future__ import annotations

import io
import json
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO, cast

import pytest
from lsp_client import LspClient, LspError
from musicplan.editor.lsp.stdio import FramedInput, Output

ROOT = Path(__file__).resolve().parents[2]
TEXT = 'song s = "Qw8bZ2nR4tLm6pKx1sVy" length=60s {\n  outro 50s-60s\n}\nkeep s outro\n'


def body(message: dict[str, Any]) -> bytes:
    return json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")


def started() -> LspClient:
    client = LspClient()
    client.initialize()
    return client


@pytest.fixture
def fresh() -> Iterator[LspClient]:
    """A server of the test's own, killed if the test left it running."""
    client = started()
    yield client
    if client.process.poll() is None:
        client.process.kill()
        client.process.wait()


def read_all(data: bytes) -> tuple[list[Any], list[str], list[bytes]]:
    """What FramedInput hands pygls for `data`, its log lines, and what it answered."""
    answered: list[bytes] = []

    class Sink:
        def write(self, chunk: bytes) -> None:
            answered.append(chunk)

        def flush(self) -> None:
            pass

    logged: list[str] = []
    framed = FramedInput(cast(BinaryIO, io.BytesIO(data)), Output(cast(BinaryIO, Sink())),
                         logged.append)
    messages = []
    while header := framed.readline():
        length = int(header.split(b":")[1])
        assert framed.readline() == b"\r\n"
        messages.append(json.loads(framed.read(length)))
    return messages, logged, answered


def frame(message: dict[str, Any], delta: int = 0) -> bytes:
    data = body(message)
    return b"Content-Length: %d\r\n\r\n%s" % (len(data) + delta, data)


def test_resync_passes_over_headers_written_inside_a_document() -> None:
    """A document's text may say `Content-Length: 5`; after a framing error the reader
    must not take it for a header, nor lose the next real message."""
    open_ = {"method": "textDocument/didOpen", "params": {"textDocument": {
        "uri": "file:///a.mpl", "languageId": "mpl", "version": 1,
        "text": "# Content-Length: 5\n# content-length:7\r\n"}}}
    after = {"id": 3, "method": "textDocument/documentSymbol",
             "params": {"textDocument": {"uri": "file:///a.mpl"}}}
    messages, logged, _ = read_all(frame(open_, -30) + frame(after) + frame(after, +7))
    assert messages == [{"jsonrpc": "2.0", **after}] * 2
    assert len(logged) >= 2 and all("framing error" in line for line in logged)


def test_the_reader_answers_bad_requests_itself() -> None:
    bad = {"id": 4, "method": "textDocument/hover", "params": {
        "textDocument": {"uri": "file:///a.mpl"}, "position": {"line": -1, "character": 0}}}
    messages, _, answered = read_all(frame(bad) + frame({"id": 5, "method": "shutdown"}))
    assert messages == [{"jsonrpc": "2.0", "id": 5, "method": "shutdown"}]
    [answer] = [json.loads(chunk.split(b"\r\n\r\n", 1)[1]) for chunk in answered]
    assert answer["id"] == 4 and answer["error"]["code"] == -32602
    assert "position" in answer["error"]["message"]


def test_shutdown_then_exit_ends_with_status_0(fresh: LspClient) -> None:
    client = fresh
    assert client.finish() == 0
    assert "internal error" not in client.server_log()


def test_exit_without_shutdown_ends_with_status_1(fresh: LspClient) -> None:
    client = fresh
    client.notify("exit", None)
    assert client.process.wait(timeout=10) == 1


def test_closed_stdin_ends_the_server(fresh: LspClient) -> None:
    client = fresh
    assert client.process.stdin is not None
    client.process.stdin.close()
    assert client.process.wait(timeout=10) == 1
    assert "without `shutdown`" in client.server_log()


SYMBOLS = body({"id": 50, "method": "textDocument/documentSymbol",
                "params": {"textDocument": {"uri": "file:///nowhere/never-opened.mpl"}}})


@pytest.mark.parametrize(("name", "data"), [
    ("too short", b"Content-Length: %d\r\n\r\n%s" % (len(SYMBOLS) - 9, SYMBOLS)),
    ("too long", b"Content-Length: %d\r\n\r\n%s" % (len(SYMBOLS) + 9, SYMBOLS)),
    ("much too long", b"Content-Length: %d\r\n\r\n%s" % (len(SYMBOLS) + 5000, SYMBOLS)),
    ("not a number", b"Content-Length: abc\r\n\r\n%s" % SYMBOLS),
    ("negative", b"Content-Length: -%d\r\n\r\n%s" % (len(SYMBOLS), SYMBOLS)),
    ("zero", b"Content-Length: 0\r\n\r\n%s" % SYMBOLS),
    ("missing", b"Content-Type: application/vscode-jsonrpc\r\n\r\n%s" % SYMBOLS),
    ("no headers", SYMBOLS),
    ("over any limit", b"Content-Length: 99999999999999999999\r\n\r\n%s" % SYMBOLS),
    ("not a header", b"Hello there\r\n\r\n%s" % SYMBOLS),
    ("not JSON", b"Content-Length: 9\r\n\r\n{nothing}"),
])
def test_a_framing_error_is_skipped_and_the_next_message_answered(name: str,
                                                                  data: bytes) -> None:
    client = started()
    try:
        client.send_raw(data)
        assert client.request("shutdown", None, timeout=10) is None, name
        client.notify("exit", None)
        assert client.process.wait(timeout=10) == 0
        assert "framing error" in client.server_log()
        assert "Traceback" not in client.server_log()
    finally:
        if client.process.poll() is None:
            client.process.kill()


def test_lf_only_headers_are_read(fresh: LspClient) -> None:
    client = fresh
    client.send_raw(b"Content-Length: %d\n\n%s" % (len(SYMBOLS), SYMBOLS))
    client.send_raw(b"Content-Length: %d\n\n%s" % (len(body({"id": 51, "method": "shutdown"})),
                                                  body({"id": 51, "method": "shutdown"})))
    assert client.response(50, timeout=10)["result"] == []
    assert client.response(51, timeout=10)["result"] is None
    client.notify("exit", None)
    assert client.process.wait(timeout=10) == 0


def test_a_request_sent_too_long_is_answered_while_the_client_waits() -> None:
    """Content-Length larger than the message, and nothing after it: the request is read
    as the object it holds once the bytes stop coming."""
    client = started()
    try:
        hover = body({"id": 77, "method": "shutdown"})
        client.send_raw(b"Content-Length: %d\r\n\r\n%s" % (len(hover) + 40, hover))
        box = client.response(77, timeout=10)
        assert box == {"jsonrpc": "2.0", "id": 77, "result": None}
        client.notify("exit", None)
        assert client.process.wait(timeout=10) == 0
    finally:
        if client.process.poll() is None:
            client.process.kill()


POSITIONED = ["textDocument/hover", "textDocument/completion", "textDocument/definition",
              "textDocument/references"]


@pytest.fixture(scope="module")
def lsp() -> Any:
    client = LspClient()
    client.initialize()
    yield client
    client.close()


@pytest.mark.parametrize("method", POSITIONED)
@pytest.mark.parametrize("position", [{"line": -1, "character": 0},
                                      {"line": 0, "character": -5}])
def test_negative_positions_get_invalid_params(lsp: LspClient, tmp_path: Path, method: str,
                                               position: dict[str, int]) -> None:
    uri = (tmp_path / "neg.mpl").as_uri()
    lsp.open(uri, TEXT)
    extra = {"context": {"includeDeclaration": True}} if method.endswith("references") else {}
    with pytest.raises(LspError) as raised:
        lsp.request(method, {"textDocument": {"uri": uri}, "position": position, **extra},
                    timeout=10)
    error = raised.value.args[0]
    assert error["code"] == -32602 and "data" not in error


def test_inlay_hints_with_a_negative_range_get_invalid_params(lsp: LspClient,
                                                              tmp_path: Path) -> None:
    uri = (tmp_path / "neg.mpl").as_uri()
    lsp.open(uri, TEXT)
    with pytest.raises(LspError) as raised:
        lsp.request("textDocument/inlayHint", {"textDocument": {"uri": uri}, "range": {
            "start": {"line": -3, "character": 0}, "end": {"line": 2, "character": 0}}},
            timeout=10)
    assert raised.value.args[0]["code"] == -32602


@pytest.mark.parametrize("params", [None, 5, [], {"textDocument": 3}, {"position": {}}])
@pytest.mark.parametrize("method", [*POSITIONED, "textDocument/inlayHint",
                                    "textDocument/documentSymbol"])
def test_missing_or_wrong_params_get_invalid_params(lsp: LspClient, method: str,
                                                    params: Any) -> None:
    with pytest.raises(LspError) as raised:
        lsp.request(method, params, timeout=10)
    assert raised.value.args[0]["code"] == -32602


def test_completion_past_the_end_and_hover_on_a_closed_document(lsp: LspClient,
                                                                 tmp_path: Path) -> None:
    uri = (tmp_path / "end.mpl").as_uri()
    lsp.open(uri, TEXT)
    result = lsp.at("textDocument/completion", uri, 99, 3)
    assert "keep" in {item["label"] for item in result["items"]}  # a line start
    assert lsp.at("textDocument/completion", uri, 0, 999)["items"] is not None
    never = (tmp_path / "never-opened.mpl").as_uri()
    assert lsp.at("textDocument/hover", never, 0, 0) is None
    assert lsp.at("textDocument/definition", never, 0, 0) == []
    existing = (ROOT / "examples" / "edit.mpl").as_uri()  # on disk, but not open
    assert lsp.at("textDocument/hover", existing, 8, 2) is None
    assert "Traceback" not in lsp.server_log()


FAILING = textwrap.dedent("""
    from musicplan import pipeline
    real = pipeline.compile_text
    def compile_text(text, *args, **kwargs):
        if "BOOM" in text:
            raise KeyError("boom")
        return real(text, *args, **kwargs)
    pipeline.compile_text = compile_text
    from musicplan.cli import main
    main(["lsp"], prog_name="mpl")
""")


def test_a_compiler_failure_is_a_diagnostic_and_requests_still_answer(tmp_path: Path) -> None:
    client = LspClient(command=[sys.executable, "-c", FAILING])
    client.initialize()
    try:
        uri = (tmp_path / "boom.mpl").as_uri()
        [diagnostic] = client.open(uri, TEXT + "# BOOM\n")["diagnostics"]
        assert diagnostic["severity"] == 1
        assert diagnostic["range"]["start"] == {"line": 0, "character": 0}
        assert "compiler failed" in diagnostic["message"] and "KeyError" in diagnostic["message"]
        assert client.at("textDocument/hover", uri, 3, 2) is None
        assert client.at("textDocument/completion", uri, 3, 0)["items"]
        assert client.request("textDocument/documentSymbol",
                              {"textDocument": {"uri": uri}}) == []
        assert client.request("textDocument/semanticTokens/full",
                              {"textDocument": {"uri": uri}})["data"] is not None
        fixed = client.change(uri, TEXT, version=2)
        assert fixed["diagnostics"] == []
        assert client.finish() == 0
    finally:
        if client.process.poll() is None:
            client.process.kill()


def test_a_request_after_shutdown_gets_invalid_request() -> None:
    client = started()
    try:
        assert client.request("shutdown", None, timeout=10) is None
        with pytest.raises(LspError) as raised:
            client.request("textDocument/documentSymbol",
                           {"textDocument": {"uri": "file:///x.mpl"}}, timeout=10)
        assert raised.value.args[0]["code"] == -32600
        client.notify("exit", None)
        assert client.process.wait(timeout=10) == 0
    finally:
        if client.process.poll() is None:
            client.process.kill()
