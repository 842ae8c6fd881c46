"""A small LSP client for tests: starts `python -m musicplan.cli lsp` and speaks JSON-RPC
with Content-Length framing over its stdin and stdout."""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


class LspError(Exception):
    """The server answered a request with an error."""


class LspClient:
    """One server process; requests block until their response arrives."""

    def __init__(self, *args: str, env: dict[str, str] | None = None,
                 command: list[str] | None = None) -> None:
        # The server's log goes to a file: an undrained pipe would block it once full.
        self.log = tempfile.TemporaryFile()  # noqa: SIM115  (closed in close())
        self.process = subprocess.Popen(
            command or [sys.executable, "-m", "musicplan.cli", "lsp", *args],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.log, cwd=ROOT, env=env)
        self._next_id = 0
        self._responses: dict[int, queue.Queue[dict[str, Any]]] = {}
        self._lock = threading.Lock()
        self.notifications: list[dict[str, Any]] = []
        self.server_requests: list[dict[str, Any]] = []  # e.g. client/registerCapability
        self._arrived = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    # -- wire -------------------------------------------------------------------------
    def _send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        self.send_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def send_raw(self, data: bytes) -> None:
        """Bytes as they are, framed or not."""
        assert self.process.stdin is not None
        self.process.stdin.write(data)
        self.process.stdin.flush()

    def _read(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        while True:
            length = None
            while True:
                line = stream.readline()
                if not line:
                    return
                line = line.strip()
                if not line:
                    break
                name, _, value = line.decode("ascii").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            assert length is not None
            message = json.loads(stream.read(length))
            if "id" in message and "method" in message:  # a request from the server
                with self._arrived:
                    self.server_requests.append(message)
                    self._arrived.notify_all()
                self._send({"id": message["id"], "result": None})
            elif "id" in message:
                with self._lock:
                    box = self._responses.setdefault(message["id"], queue.Queue())
                box.put(message)
            else:
                with self._arrived:
                    self.notifications.append(message)
                    self._arrived.notify_all()

    # -- calls ------------------------------------------------------------------------
    def request(self, method: str, params: Any, timeout: float = 30) -> Any:
        with self._lock:
            self._next_id += 1
            number = self._next_id
            self._responses.setdefault(number, queue.Queue())
        self._send({"id": number, "method": method, "params": params})
        message = self.response(number, timeout, method)
        if "error" in message:
            raise LspError(message["error"])
        return message.get("result")

    def response(self, number: int, timeout: float = 30, what: str = "") -> dict[str, Any]:
        """The response with id `number` (to a request sent with `send_raw`, too)."""
        with self._lock:
            box = self._responses.setdefault(number, queue.Queue())
        try:
            return box.get(timeout=timeout)
        except queue.Empty:
            raise TimeoutError(f"no answer to {what or number} within {timeout} s; server "
                               "log:\n" + self.server_log()) from None

    def server_log(self) -> str:
        self.log.seek(0)
        return self.log.read().decode("utf-8", "replace")[-4000:]

    def notify(self, method: str, params: Any) -> None:
        self._send({"method": method, "params": params})

    def wait_for(self, method: str, test: Callable[[dict[str, Any]], bool] = lambda _: True,
                 timeout: float = 30) -> dict[str, Any]:
        """The first notification of `method` (from now on) whose params pass `test`."""
        deadline = time.monotonic() + timeout
        with self._arrived:
            while True:
                for index, message in enumerate(self.notifications):
                    if message["method"] == method and test(message["params"]):
                        del self.notifications[: index + 1]
                        return dict(message["params"])
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"no {method} within {timeout} s")
                self._arrived.wait(left)

    # -- LSP --------------------------------------------------------------------------
    def initialize(self, capabilities: dict[str, Any] | None = None) -> dict[str, Any]:
        result = self.request("initialize", {
            "processId": None, "rootUri": ROOT.as_uri(),
            "capabilities": capabilities or {}})
        self.notify("initialized", {})
        self.capabilities: dict[str, Any] = result["capabilities"]
        return dict(result)

    def open(self, uri: str, text: str, version: int = 1) -> dict[str, Any]:
        """Open a document and wait for its diagnostics."""
        self.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "mpl", "version": version, "text": text}})
        return self.wait_for("textDocument/publishDiagnostics", lambda p: p["uri"] == uri)

    def change(self, uri: str, text: str, version: int) -> dict[str, Any]:
        """Replace a document's text and wait for the diagnostics of that version."""
        self.notify("textDocument/didChange", {
            "textDocument": {"uri": uri, "version": version},
            "contentChanges": [{"text": text}]})
        return self.wait_for("textDocument/publishDiagnostics",
                             lambda p: p["uri"] == uri and p.get("version") == version)

    def at(self, method: str, uri: str, line: int, character: int, **extra: Any) -> Any:
        return self.request(method, {"textDocument": {"uri": uri},
                                     "position": {"line": line, "character": character},
                                     **extra})

    def finish(self, timeout: float = 10) -> int:
        """`shutdown`, then `exit`: the server's exit status."""
        self.request("shutdown", None, timeout=timeout)
        self.notify("exit", None)
        return self.process.wait(timeout=timeout)

    def close(self) -> None:
        try:
            self.request("shutdown", None, timeout=5)
            self.notify("exit", None)
            self.process.wait(timeout=5)
        except Exception:
            self.process.kill()
            self.process.wait()
        self.log.close()
