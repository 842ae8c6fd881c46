"""A loopback stand-in for the music API: a ThreadingHTTPServer on 127.0.0.1 (port 0) in a
thread, answering each request with the next scripted action and recording what it got.

    server.script(Answer(200, b"ID3...", {"song-id": "abc"}))
    ... run the client against server.url ...
    assert server.requests[0].json() == {...}
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email import policy
from email.parser import BytesParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Answer:
    """A complete answer; `body` may be JSON-able (sent as application/json) or bytes."""

    status: int = 200
    body: Any = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to think before answering (requests then overlap)


@dataclass
class Drop:
    """Read the request, then close the connection without answering."""


@dataclass
class Stall:
    """Read the request, then say nothing for `seconds` (the client's read timeout fires)."""

    seconds: float = 2.0


@dataclass
class Truncate:
    """Send a 200 with a Content-Length larger than the bytes sent, then close."""

    body: bytes = b"partial audio"
    declared: int = 1_000_000
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Slow:
    """A 200 audio answer sent `piece` by `piece`, `interval` seconds apart, `pieces` in all
    (a long render arriving slowly); ends quietly when the client goes away."""

    piece: bytes = b"ID3 slow audio " * 64
    pieces: int = 600
    interval: float = 0.05
    headers: dict[str, str] = field(default_factory=dict)


Action = Answer | Drop | Stall | Truncate | Slow
# answers by what was asked, for requests that arrive in no fixed order (a batch)
Responder = Callable[["Received"], Action]
TOO_MANY_CONCURRENT = Answer(429, {"detail": {"status": "too_many_concurrent_requests",
                                              "message": "Too many concurrent requests"}})


@dataclass
class Received:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    def form(self) -> dict[str, tuple[str | None, bytes]]:
        """A multipart/form-data body: field name → (file name, content)."""
        head = f"Content-Type: {self.headers['content-type']}\r\n\r\n".encode()
        message = BytesParser(policy=policy.HTTP).parsebytes(head + self.body)
        out = {}
        for part in message.iter_parts():  # type: ignore[attr-defined]
            name = part.get_param("name", header="content-disposition")
            out[str(name)] = (part.get_filename(), part.get_payload(decode=True))
        return out


class _Handler(BaseHTTPRequestHandler):
    server: LoopbackServer

    def log_message(self, *_: Any) -> None:  # keep test output clean
        pass

    def do_POST(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        body = self.rfile.read(length)
        url = urlsplit(self.path)
        received = Received(self.command, url.path, parse_qs(url.query),
                            {k.lower(): v for k, v in self.headers.items()}, body)
        self.server.requests.append(received)
        action = self.server.enter(received)
        try:
            self._answer(action)
        finally:
            self.server.leave()

    def _answer(self, action: Action) -> None:
        if isinstance(action, Drop):
            self.close_connection = True
            return
        if isinstance(action, Stall):
            time.sleep(action.seconds)
            self.close_connection = True
            return
        if isinstance(action, Slow):
            self._slow(action)
            return
        if isinstance(action, Truncate):
            self.send_response(200)
            self.send_header("content-type", "audio/mpeg")
            self.send_header("content-length", str(action.declared))
            for key, value in action.headers.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(action.body)
            self.wfile.flush()
            self.close_connection = True
            return
        time.sleep(action.delay)
        payload = action.body
        headers = dict(action.headers)
        if not isinstance(payload, bytes):
            payload = json.dumps(payload).encode()
            headers.setdefault("content-type", "application/json")
        self.send_response(action.status)
        headers.setdefault("content-type", "audio/mpeg")
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("content-length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


    def _slow(self, action: Slow) -> None:
        self.send_response(200)
        self.send_header("content-type", "audio/mpeg")
        self.send_header("content-length", str(len(action.piece) * action.pieces))
        for key, value in action.headers.items():
            self.send_header(key, value)
        self.end_headers()
        self.close_connection = True
        try:
            for _ in range(action.pieces):
                self.wfile.write(action.piece)
                self.wfile.flush()
                time.sleep(action.interval)
        except OSError:  # the client stopped reading (killed, interrupted)
            pass


class LoopbackServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.actions: list[Action] = []
        self.requests: list[Received] = []
        self.lock = threading.Lock()
        self.responder: Responder | None = None
        # a stand-in for the account's limit on requests in flight: more get the 429
        self.concurrency_limit: int | None = None
        self.in_flight = 0
        self.most_in_flight = 0
        self.turned_away = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def script(self, *actions: Action) -> None:
        self.actions.extend(actions)

    def enter(self, received: Received) -> Action:
        """Count the request in flight and pick its answer: the 429 past the concurrency
        limit, else the responder's answer, else the next scripted one."""
        with self.lock:
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
            if self.concurrency_limit is not None and self.in_flight > self.concurrency_limit:
                self.turned_away += 1
                return TOO_MANY_CONCURRENT
        return self.responder(received) if self.responder is not None else self.next_action()

    def leave(self) -> None:
        with self.lock:
            self.in_flight -= 1

    def next_action(self) -> Action:
        with self.lock:
            if not self.actions:
                return Answer(500, {"detail": "no scripted answer left"})
            return self.actions.pop(0)


def serve() -> Iterator[LoopbackServer]:
    """Run a server for one test (use as a fixture body)."""
    server = LoopbackServer()
    # A short poll interval: shutdown() waits for the loop's next poll (0.5 s by default).
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01},
                              daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def mixed(*parts: tuple[str, bytes], boundary: str = "mpl-test-boundary") -> tuple[str, bytes]:
    """(content type, body) of a multipart/mixed answer built from (type, payload) parts."""
    body = b""
    for content_type, payload in parts:
        body += (f"--{boundary}\r\nContent-Type: {content_type}\r\n\r\n".encode()
                 + payload + b"\r\n")
    body += f"--{boundary}--\r\n".encode()
    return f"multipart/mixed; boundary={boundary}", body
