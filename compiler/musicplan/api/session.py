"""HTTP to the music API: one request, bounded retries, the answer streamed to a sink.

httpx is imported on the first request, never at import time, so `mpl compile` (which never
imports this module either) and `import musicplan.api.client` stay light. Every failure is an
`ApiError` with a stable code; the API key never appears in a message, a log line or a repr.

Retry policy (docs/api.md): 429 and 503 answers (the server says it did not take the
request) and failures to connect or to send are retried with exponential backoff (1 s, 2 s,
4 s … at most 60 s), honouring `Retry-After`, up to `attempts` tries in all. Nothing the server
may have accepted is retried for a billed request (a render, an upload): not a timeout or a
dropped connection after the request was sent, nor a 502 or 504 (a gateway that gave up
waiting, while the server behind it may have gone on). A free request (a draft) retries those
gateway answers too.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import httpx

DEFAULT_BASE_URL = "https://api.elevenlabs.io"
KEY_VARIABLE = "ELEVENLABS_API_KEY"
BASE_URL_VARIABLE = "ELEVENLABS_BASE_URL"
RETRY_STATUSES = frozenset({429, 502, 503, 504})
# a gateway's answer: the server behind it may have taken (and billed) the request
GATEWAY_STATUSES = frozenset({502, 504})
# the 429 that says too many requests are in flight for the account, not too many a minute
TOO_MANY_CONCURRENT = "too_many_concurrent_requests"
MAX_DELAY = 60.0
REDACTED = "***"
# ElevenLabs keys are far longer; a shorter one is a mistake, and replacing a few common
# characters in every message would garble it (see `key_problem`)
MIN_KEY_LENGTH = 8

# The sleep between attempts; tests replace it (`musicplan.api.session.sleep = ...`).
sleep: Callable[[float], None] = time.sleep


class ApiError(Exception):
    """A request that did not succeed; `code` is registered in codes.py."""

    code = "E0705"

    def __init__(self, message: str, *, hint: str | None = None, status: int | None = None,
                 detail: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.status = status
        self.detail = detail  # the parsed JSON `detail` of an error answer, if any
        # filled in by musicplan.api.client: the error located in the source
        # (api.errors.ServerReport)
        self.report: Any = None


class NoKey(ApiError):
    code = "E0704"


class KeyRefused(ApiError):
    code = "E0703"


class Rejected(ApiError):
    """A 4xx (or a 5xx that is not retried) with the server's message."""

    code = "E0705"


class Unavailable(ApiError):
    """Still 429/503 (or, for a free draft, 502/504) after the last attempt."""

    code = "E0706"


class TooManyConcurrent(Unavailable):
    """A 429 `too_many_concurrent_requests` when the caller lowers its concurrency itself
    (`Session(concurrency_aware=True)`, a batch): not retried here, never processed."""


class ConnectFailed(ApiError):
    code = "E0707"


class ResponseLost(ApiError):
    """Sent, then a timeout or a dropped connection: possibly billed, never retried."""

    code = "E0708"


class OutputExists(ApiError):
    code = "E0709"


class BadResponse(ApiError):
    """A success status with a body MPL cannot read."""

    code = "E0710"


class AudioUnreadable(ApiError):
    """The file to upload cannot be opened; nothing was sent."""

    code = "E0712"


class OutputUnwritable(ApiError):
    """OUT (or OUT.json) could not be written afterwards; nothing was sent."""

    code = "E0713"


class InvalidPlan(ApiError):
    """A plan given to `Client.render` as a dict is not a music_v2 plan; nothing was sent."""

    code = "E0601"


def key_problem(key: str) -> str | None:
    """Why `key` cannot be an API key (None if it can). Checked before anything is sent,
    so a pasted key with a line break in it is never put into a header."""
    if any(character.isspace() for character in key):
        return "contains a space or a line break"
    if not key.isascii():
        return "contains characters that are not ASCII"
    if not key.isprintable():
        return "contains control characters"
    if len(key) < MIN_KEY_LENGTH:
        return f"is shorter than {MIN_KEY_LENGTH} characters"
    return None


def base_url_problem(url: str) -> str | None:
    """Why `url` cannot be the API host (None if it can): an http:// or https:// URL."""
    from urllib.parse import urlsplit

    if not url.isascii() or not url.isprintable() or any(c.isspace() for c in url):
        return f"{url!r} is not a URL: it has spaces or unusual characters"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (reading it checks the port)
    except ValueError as exc:
        return f"{url!r} is not a URL ({exc})"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f"{url!r} is not an http:// or https:// URL (e.g. https://api.elevenlabs.io)"
    return None


@dataclass(frozen=True)
class Settings:
    """Where and how to send. `api_key` is left out of the repr."""

    api_key: str = field(repr=False)
    base_url: str = DEFAULT_BASE_URL
    attempts: int = 3
    connect_timeout: float = 10.0
    read_timeout: float = 300.0


@dataclass(frozen=True)
class Request:
    """One API call: a JSON body, or a form with one file (the upload)."""

    path: str
    params: dict[str, str] = field(default_factory=dict)
    json_body: Any = None
    form: dict[str, str] = field(default_factory=dict)
    file: Path | None = None
    method: str = "POST"
    billed: bool = True  # a render or an upload costs credits; a draft does not

    def content(self) -> bytes:
        """The JSON body as sent: compact and deterministic (key order as built)."""
        return json.dumps(self.json_body, separators=(",", ":"), ensure_ascii=False).encode()

    def url(self, base_url: str) -> str:
        from urllib.parse import urlencode

        query = f"?{urlencode(self.params)}" if self.params else ""
        return base_url.rstrip("/") + self.path + query

    def describe(self, settings: Settings) -> str:
        """`--dry-run`: method, URL, headers with the key as ***, and the body."""
        lines = [f"{self.method} {self.url(settings.base_url)}", f"xi-api-key: {REDACTED}"]
        if self.file is None:
            lines += ["content-type: application/json", "", self.content().decode()]
        else:
            lines += ["content-type: multipart/form-data", "",
                      *(f"{key}={value}" for key, value in self.form.items()),
                      f"file=@{self.file}"]
        return "\n".join(lines)


@dataclass
class Reply:
    """A successful answer; `body` is None when a sink consumed it."""

    status: int
    headers: dict[str, str]
    body: bytes | None = None

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")

    def json(self) -> Any:
        try:
            return json.loads(self.body or b"")
        except ValueError:
            raise BadResponse("the server's answer is not the JSON it should be") from None


Sink = Callable[[Iterator[bytes], Reply], None]
Log = Callable[[str], None]


def retry_delay(attempt: int, retry_after: str | None) -> float:
    """Seconds to wait before attempt `attempt + 1`: Retry-After when given, else 2^(n-1)."""
    if retry_after:
        text = retry_after.strip()
        try:
            return min(MAX_DELAY, max(0.0, float(text)))
        except ValueError:
            pass
        try:
            when = parsedate_to_datetime(text)
            return min(MAX_DELAY, max(0.0, when.timestamp() - time.time()))
        except (TypeError, ValueError):
            pass
    return min(MAX_DELAY, 2.0 ** (attempt - 1))


def server_message(body: bytes) -> tuple[str, Any]:
    """(readable message, parsed `detail`) from an error answer's body; the message is ""
    when the body says nothing readable (`{"detail": null}`, `[]`, `{}`)."""
    try:
        data = json.loads(body)
    except ValueError:
        return body.decode("utf-8", "replace").strip()[:300], None
    detail = data.get("detail", data) if isinstance(data, dict) else data
    return _detail_text(detail)[:300], detail


def _detail_text(detail: Any) -> str:
    """A `detail` of any shape as one line of text ("" if it holds nothing)."""
    if detail is None or detail == {} or detail == []:
        return ""
    if isinstance(detail, str):
        return detail.strip()
    if isinstance(detail, dict):
        found = detail.get("message") or detail.get("msg") or detail.get("status")
        return _detail_text(found) if found else json.dumps(detail, ensure_ascii=False)
    if isinstance(detail, list):
        return "; ".join(text for text in map(_detail_text, detail) if text)
    return str(detail)


def with_message(text: str, message: str) -> str:
    """`text: message`, or `text (no message)` when the server gave none."""
    return f"{text}: {message}" if message else f"{text} (no message)"


def _is_success(status: int) -> bool:
    return 200 <= status < 300


class Session:
    """Sends requests with the retry policy above. `transport` is for tests (MockTransport)."""

    def __init__(self, settings: Settings, *, log: Log | None = None,
                 transport: httpx.BaseTransport | None = None,
                 concurrency_aware: bool = False) -> None:
        self.settings = settings
        self.log = log or (lambda _: None)
        self.transport = transport
        self.concurrency_aware = concurrency_aware

    def _say(self, text: str) -> None:
        self.log(self.redact(text))

    def redact(self, text: str) -> str:
        """`text` with the key replaced by ***. A key shorter than MIN_KEY_LENGTH is never
        sent (`key_problem`), and replacing it would garble the text, so it is left."""
        key = self.settings.api_key
        return text.replace(key, REDACTED) if len(key) >= MIN_KEY_LENGTH else text

    def redact_data(self, data: Any) -> Any:
        """Parsed JSON from the server with the key redacted in every string."""
        if isinstance(data, str):
            return self.redact(data)
        if isinstance(data, dict):
            return {self.redact_data(k): self.redact_data(v) for k, v in data.items()}
        if isinstance(data, list):
            return [self.redact_data(item) for item in data]
        return data

    def redact_error(self, exc: ApiError) -> ApiError:
        """`exc` with the key redacted from everything that will be shown."""
        exc.message = self.redact(exc.message)
        exc.args = (exc.message,)
        exc.hint = self.redact(exc.hint) if exc.hint else exc.hint
        exc.detail = self.redact_data(exc.detail)
        return exc

    def send(self, request: Request, sink: Sink | None = None) -> Reply:
        """Send `request`; on success the body goes to `sink` (or into `Reply.body`).
        Every error raised carries no trace of the key, whatever the server sent."""
        try:
            return self._send(request, sink)
        except ApiError as exc:
            raise self.redact_error(exc) from None

    def _send(self, request: Request, sink: Sink | None) -> Reply:
        import httpx

        settings = self.settings
        timeout = httpx.Timeout(settings.read_timeout, connect=settings.connect_timeout)
        url = request.url(settings.base_url)
        attempts = max(1, settings.attempts)
        if request.file is not None:
            try:
                with request.file.open("rb"):
                    pass
            except OSError as exc:
                raise AudioUnreadable(f"cannot read {request.file}: {exc.strerror or exc}",
                                      hint="nothing was sent") from None
        with httpx.Client(timeout=timeout, transport=self.transport) as http:
            for attempt in range(1, attempts + 1):
                self._say(f"{request.method} {url} (attempt {attempt} of {attempts})")
                try:
                    return self._once(http, request, url, sink, attempt, attempts)
                except _Retry as retry:
                    self._say(f"{retry.reason}; retrying in {retry.delay:.1f} s")
                    sleep(retry.delay)
        raise AssertionError("unreachable")  # pragma: no cover

    def _once(self, http: httpx.Client, request: Request, url: str, sink: Sink | None,
              attempt: int, attempts: int) -> Reply:
        import httpx

        last = attempt >= attempts
        try:
            with self._stream(http, request, url) as response:
                reply = Reply(response.status_code, {k.lower(): v for k, v in
                                                     response.headers.items()})
                self._say(f"{response.status_code} {response.reason_phrase}")
                if not _is_success(response.status_code):
                    return self._failed(response, reply, attempt, last, request.billed)
                if sink is None:
                    reply.body = response.read()
                else:
                    sink(response.iter_bytes(), reply)
                return reply
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout,
                httpx.WriteError, httpx.WriteTimeout) as exc:
            reason = self.redact(f"could not reach {self.settings.base_url}: "
                                 f"{exc or type(exc).__name__}")
            if last:
                raise ConnectFailed(reason, hint="check the network and --base-url / "
                                    f"{BASE_URL_VARIABLE}") from None
            raise _Retry(reason, retry_delay(attempt, None)) from None
        except httpx.ReadTimeout:
            raise ResponseLost(
                f"no answer within {self.settings.read_timeout:g} s after the request was "
                "sent; it was not retried because the server may have billed it",
                hint="check your generation history before rendering again; "
                     "raise --timeout for long songs") from None
        except httpx.DecodingError as exc:
            raise BadResponse(self.redact(f"the answer could not be decoded ({exc})"),
                              hint="its content-encoding is broken; retry with -v") from None
        except (httpx.RemoteProtocolError, httpx.ReadError) as exc:
            raise ResponseLost(
                self.redact(f"the connection dropped after the request was sent ({exc}); "
                            "it was not retried because the server may have billed it"),
                hint="check your generation history before rendering again") from None

    def _stream(self, http: httpx.Client, request: Request,
                url: str) -> Any:
        headers = {"xi-api-key": self.settings.api_key, "accept": "*/*"}
        if request.file is None:
            headers["content-type"] = "application/json"
            return http.stream(request.method, url, headers=headers, content=request.content())
        handle = request.file.open("rb")
        files = {"file": (request.file.name, handle)}
        return _closing(handle, http.stream(request.method, url, headers=headers,
                                            data=request.form, files=files))

    def _failed(self, response: httpx.Response, reply: Reply, attempt: int,
                last: bool, billed: bool = True) -> Reply:
        body = response.read()
        message, detail = server_message(body)
        message = self.redact(message)
        status = response.status_code
        if status < 400:
            raise Rejected(self._not_final(response), status=status, detail=detail,
                           hint="check --base-url / " + BASE_URL_VARIABLE)
        if status == 429 and self.concurrency_aware and TOO_MANY_CONCURRENT in str(detail):
            raise TooManyConcurrent(f"the server answered 429 ({message or TOO_MANY_CONCURRENT})",
                                    status=status, detail=detail)
        if status in GATEWAY_STATUSES and billed:
            raise ResponseLost(
                f"a gateway answered {status} ({message or 'no message'}); it was not retried "
                "because the server behind it may have taken and billed the request",
                hint="check your generation history before rendering again",
                status=status, detail=detail)
        if status in RETRY_STATUSES:
            reason = f"the server answered {status} ({message or 'no message'})"
            if not last:
                raise _Retry(reason, retry_delay(attempt, response.headers.get("retry-after")))
            hint = ("rate limited: wait a minute, or lower your request rate" if status == 429
                    else "the service is unavailable; try again later")
            raise Unavailable(f"{reason}, {attempt} attempt{'s' if attempt > 1 else ''} made",
                              hint=hint + " (--retries N tries more)", status=status,
                              detail=detail)
        if status == 401:
            raise KeyRefused(f"the key in {KEY_VARIABLE} was refused ({message or status})",
                             hint="check the key in your ElevenLabs account settings",
                             status=status, detail=detail)
        raise Rejected(with_message(f"the server rejected the request ({status})", message),
                       status=status, detail=detail)

    def _not_final(self, response: httpx.Response) -> str:
        """A 1xx or 3xx answer: MPL follows no redirect (the key would go along)."""
        status = response.status_code
        text = f"the server answered {status} {response.reason_phrase}, not a success"
        location = response.headers.get("location")
        if 300 <= status < 400 and location:
            text += f" (a redirect to {location}, which MPL does not follow)"
        return self.redact(text)


class _Retry(Exception):
    def __init__(self, reason: str, delay: float) -> None:
        super().__init__(reason)
        self.reason = reason
        self.delay = delay


class _closing:
    """A stream context that also closes the uploaded file."""

    def __init__(self, handle: Any, inner: Any) -> None:
        self.handle, self.inner = handle, inner

    def __enter__(self) -> Any:
        return self.inner.__enter__()

    def __exit__(self, *exc: object) -> None:
        try:
            self.inner.__exit__(*exc)
        finally:
            self.handle.close()
