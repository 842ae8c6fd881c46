"""The server's stdin and stdout: JSON-RPC messages framed by `Content-Length` headers, read
so that no malformed input can wedge the server.

pygls reads stdin trusting every header: after one wrong Content-Length it waits forever.
`FramedInput` stands between the client and pygls. It finds each message itself and hands
pygls only whole messages whose body is one JSON object, framed again. What it cannot read
is skipped with one line on stderr, and reading resumes at the next `Content-Length` header:

- headers end at an empty line; a line may end in CRLF or (leniently) in LF alone;
- Content-Length must be there, decimal, and 1 … `MAX_MESSAGE` bytes;
- a body that is not JSON but starts with a whole JSON object (Content-Length too long) is
  that object, and reading goes on right after it. When a body's bytes stop coming for a
  moment (`QUIET_SECONDS`), the same test runs on what has come, and a next header found
  inside the body ends it: a client that waits for an answer is not kept waiting;
- a request whose params do not fit its method (a negative position, params missing or of
  the wrong type) is answered here with InvalidParams, and one after `shutdown` with
  InvalidRequest: pygls would drop both unanswered.
"""

from __future__ import annotations

import functools
import json
import os
import re
import sys
import threading
from collections.abc import Callable
from typing import Any, BinaryIO

import cattrs
from lsprotocol import types
from lsprotocol.converters import get_converter

MAX_MESSAGE = 64 * 1024 * 1024  # bytes; the compiler refuses far smaller sources anyway
MAX_HEADER_LINE = 8192
QUIET_SECONDS = 0.25
INVALID_PARAMS = -32602
INVALID_REQUEST = -32600

_HEADER = re.compile(rb"[ \t]*([!#$%&'*+.^_`|~0-9A-Za-z-]+)[ \t]*:[ \t]*(.*?)[ \t]*")
_HEADER_START = re.compile(rb"content-length[ \t]*:", re.IGNORECASE)
# A whole header inside a body proves the body wrong: JSON has no raw line break in a string.
_WHOLE_HEADER = re.compile(rb"content-length[ \t]*:[ \t]*\d+[ \t]*\r?\n", re.IGNORECASE)
_DECODER = json.JSONDecoder()


class _Skip(Exception):
    """A framing error: why, and where to look for the next header."""

    def __init__(self, reason: str, resume_at: int) -> None:
        super().__init__(reason)
        self.reason = reason
        self.resume_at = resume_at


class _Ended(Exception):
    """The input ended (or the server closed it)."""


def leading_object(data: bytes) -> int | None:
    """The length in bytes of the JSON object `data` starts with, if it starts with a whole one."""
    text = data.decode("utf-8", "surrogateescape")
    start = len(text) - len(text.lstrip())
    if not text.startswith("{", start):
        return None
    try:
        _, end = _DECODER.raw_decode(text, start)
    except ValueError:
        return None
    return len(text[:end].encode("utf-8", "surrogateescape"))


def log_line(text: str) -> None:
    """One line on stderr, where editors keep a server's log."""
    sys.stderr.write(f"mpl lsp: {text}\n")
    sys.stderr.flush()


class Output:
    """stdout for pygls: one message per write, under a lock (the reader answers invalid
    requests from its own thread), and `close` leaves stdout open for the exit."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self._lock = threading.Lock()
        self._closed = False

    def write(self, data: bytes) -> None:
        with self._lock:
            if not self._closed:
                self._stream.write(data)
                self._stream.flush()

    def flush(self) -> None:
        with self._lock:
            if not self._closed:
                self._stream.flush()

    def close(self) -> None:
        self.flush()
        self._closed = True

    def send(self, message: dict[str, Any]) -> None:
        """Write one JSON-RPC message with its header."""
        body = json.dumps(message).encode("utf-8")
        self.write(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))


class FramedInput:
    """stdin as pygls reads it (`readline`, `read`): only well-formed messages."""

    def __init__(self, raw: BinaryIO, output: Output,
                 log: Callable[[str], None] = log_line) -> None:
        self._raw = raw
        self._output = output
        self._log = log
        self._incoming = bytearray()  # bytes from the client not yet taken apart
        self._framed = bytearray()  # well-formed messages waiting for pygls
        self._ended = False
        self._closed = False
        self._arrived = threading.Condition()
        self._converter = get_converter()  # pygls structures messages with it too
        self._message: Any = None  # the last body read, parsed
        self._shutting_down = False  # `shutdown` was passed on: no request may follow
        threading.Thread(target=self._pump, name="mpl-lsp-stdin", daemon=True).start()

    # -- the client's side: a thread that only reads -----------------------------------
    def _reader(self) -> Callable[[int], bytes]:
        """Read the file descriptor itself where there is one: a thread blocked inside the
        buffered stdin would hold its lock, and the interpreter could not end."""
        try:
            fd = self._raw.fileno()
        except (AttributeError, OSError, ValueError):
            return getattr(self._raw, "read1", self._raw.read)
        return functools.partial(os.read, fd)

    def _pump(self) -> None:
        read = self._reader()
        while True:
            try:
                chunk = read(65536)
            except (OSError, ValueError):
                chunk = b""
            with self._arrived:
                if chunk:
                    self._incoming += chunk
                else:
                    self._ended = True
                self._arrived.notify_all()
            if not chunk:
                return

    def close(self) -> None:
        """Stop reading: pygls sees the end of input (after `exit`)."""
        with self._arrived:
            self._closed = True
            self._arrived.notify_all()

    # -- pygls's side ----------------------------------------------------------------------
    def readline(self) -> bytes:
        if not self._framed and not self._fill():
            return b""
        end = self._framed.find(b"\n")
        end = len(self._framed) if end < 0 else end + 1
        line = bytes(self._framed[:end])
        del self._framed[:end]
        return line

    def read(self, size: int = -1) -> bytes:
        while (size < 0 or len(self._framed) < size) and self._fill():
            pass
        size = len(self._framed) if size < 0 else min(size, len(self._framed))
        data = bytes(self._framed[:size])
        del self._framed[:size]
        return data

    def _fill(self) -> bool:
        """Frame the next good message for pygls; False at the end of input."""
        body = self._next_message()
        if body is None:
            return False
        self._framed += b"Content-Length: %d\r\n\r\n%s" % (len(body), body)
        return True

    # -- taking the client's bytes apart ---------------------------------------------------
    def _next_message(self) -> bytes | None:
        with self._arrived:
            while True:
                try:
                    body = self._frame()
                except _Skip as skip:
                    self._log(f"framing error: {skip.reason}; skipped to the next message")
                    try:
                        self._resync(skip.resume_at)
                    except _Ended:
                        return None
                    continue
                except _Ended:
                    return None
                if self._acceptable(body):
                    return body

    def _wait(self, timeout: float | None = None) -> bool:
        """Wait for more bytes: False if none came within `timeout`; _Ended at the end."""
        if self._closed or (self._ended and timeout is None):
            raise _Ended
        if self._ended:
            return False
        size = len(self._incoming)
        self._arrived.wait(timeout)
        if self._closed:
            raise _Ended
        return len(self._incoming) > size

    def _resync(self, start: int) -> None:
        """Drop bytes up to the next `Content-Length:` at or after `start`."""
        while True:
            found = _HEADER_START.search(self._incoming, max(0, start))
            if found is not None:
                del self._incoming[:found.start()]
                return
            keep = len("content-length  :")  # a header may be cut where the bytes end
            del self._incoming[:max(0, len(self._incoming) - keep)]
            start = 0
            self._wait()

    def _headers(self) -> tuple[int, int]:
        """(where the body starts, Content-Length) of the message at the buffer's start."""
        position, length, seen = 0, None, False
        while True:
            newline = self._incoming.find(b"\n", position)
            while newline < 0:
                if len(self._incoming) - position > MAX_HEADER_LINE:
                    raise _Skip(f"a header line longer than {MAX_HEADER_LINE} bytes", 1)
                self._wait()
                newline = self._incoming.find(b"\n", position)
            line = bytes(self._incoming[position:newline]).rstrip(b"\r")
            position = newline + 1
            if line.strip():
                header = _HEADER.fullmatch(line)
                if header is None:
                    raise _Skip(f"not a header line: {line[:60]!r}", 1)
                if header.group(1).lower() == b"content-length":
                    length = _content_length(header.group(2))
                seen = True
            elif not seen:  # blank lines between messages
                del self._incoming[:position]
                position = 0
            elif length is None:
                raise _Skip("a message without a Content-Length header", 1)
            else:
                return position, length

    def _frame(self) -> bytes:
        """The body of the next message (a JSON object), taken off the buffer."""
        start, length = self._headers()
        end = start + length
        while len(self._incoming) < end:
            if self._wait(QUIET_SECONDS):
                continue
            # Nothing more for a moment: Content-Length may be more than the client sent.
            found = self._cut_short(start, length, len(self._incoming))
            if found is not None:
                return found
            if self._ended:
                raise _Skip(f"the input ended {end - len(self._incoming)} bytes short of "
                            f"Content-Length {length}", start)
        body = bytes(self._incoming[start:end])
        try:
            self._message = json.loads(body)
        except ValueError:
            found = self._cut_short(start, length, end)
            if found is not None:
                return found
            raise _Skip(f"Content-Length {length}, but those bytes are not JSON (too few?)",
                        start) from None
        del self._incoming[:end]
        return body

    def _cut_short(self, start: int, length: int, end: int) -> bytes | None:
        """When the bytes so far start with a whole JSON object, the message is that
        object (taken off the buffer); when they hold a next header, skip to it."""
        found = leading_object(bytes(self._incoming[start:end]))
        if found is not None:
            self._log(f"framing error: Content-Length {length}, but the message ends after "
                      f"{found} bytes; read as such")
            body = bytes(self._incoming[start:start + found])
            del self._incoming[:start + found]
            self._message = json.loads(body.decode("utf-8", "surrogateescape"))
            return body
        header = _WHOLE_HEADER.search(self._incoming, start, end)
        if header is not None:
            raise _Skip(f"Content-Length {length} runs into the next message", header.start())
        return None

    def _acceptable(self, body: bytes) -> bool:
        """Whether pygls can take this message; a request it cannot is answered here."""
        message = self._message
        if not isinstance(message, dict) or (not body.isascii() and not _utf8(body)):
            self._log("a message that is not a JSON object in UTF-8; skipped")
            return False
        method = message.get("method")
        entry = types.METHOD_TO_TYPES.get(method) if isinstance(method, str) else None
        if "id" in message and isinstance(method, str) and self._shutting_down:
            # pygls drops requests after `shutdown` unanswered; LSP wants an error.
            self._refuse(message, INVALID_REQUEST, f"{method} after shutdown")
            return False
        if entry is None or "id" not in message or entry[1] is None:  # not a known request
            return True
        try:
            self._converter.structure(message, entry[0])
        except Exception as exc:  # cattrs raises several kinds
            reason = "; ".join(cattrs.transform_error(exc)) \
                if isinstance(exc, cattrs.ClassValidationError) else str(exc)
            self._refuse(message, INVALID_PARAMS, f"invalid params for {method}: {reason}")
            return False
        self._shutting_down = method == types.SHUTDOWN
        return True

    def _refuse(self, request: dict[str, Any], code: int, message: str) -> None:
        number = request.get("id")
        self._output.send({"jsonrpc": "2.0",
                           "id": number if isinstance(number, (int, str)) else None,
                           "error": {"code": code, "message": message}})


def _utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _content_length(value: bytes) -> int:
    text = value.decode("latin-1")
    if not (text.isascii() and text.isdigit()):
        raise _Skip(f"Content-Length {text[:40]!r} is not a number of bytes", 1)
    if len(text) > 12 or int(text) > MAX_MESSAGE:
        raise _Skip(f"Content-Length {text[:40]} is over the limit of {MAX_MESSAGE} bytes", 1)
    if int(text) == 0:
        raise _Skip("Content-Length 0: a message is never empty", 1)
    return int(text)
