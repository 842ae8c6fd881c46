"""The Python API: compile MPL to the plan model, and a client that renders, uploads and drafts.

    from musicplan.api.client import Client, compile_file
    plan = compile_file("trailer.mpl")              # models.CompositionPlan
    result = Client().render("trailer.mpl", out=Path("trailer.mp3"))
    print(result.song_id, result.length_ms)

A `str` is a path everywhere here (`compile_file`, `render`); source text goes to
`compile_string` or `render(text=...)`. httpx and pydantic are imported when a request is made
or a model is built, not on import. Failures raise `MPLCompileError` (the source has errors)
or a `client.ApiError` subclass whose `.report` locates a server error in the source where it
can (see errors.py).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

from .. import lower
from ..diagnostics import Diagnostic, not_utf8, render_all
from ..files import source_text
from ..pipeline import Compilation, compile_text
from ..resolve.header import MODELS
from .audio import Progress, Received, audio_sink, check_outputs, detailed_sink, json_path
from .session import (
    BASE_URL_VARIABLE,
    DEFAULT_BASE_URL,
    KEY_VARIABLE,
    ApiError,
    BadResponse,
    ConnectFailed,
    InvalidPlan,
    Log,
    NoKey,
    Reply,
    Request,
    Session,
    Settings,
    Sink,
    base_url_problem,
    key_problem,
)
from .songdata import SongData, from_answer

if TYPE_CHECKING:
    import httpx

    from ..models import CompositionPlan

ENDPOINTS = {"music": "/v1/music", "stream": "/v1/music/stream", "detailed": "/v1/music/detailed"}
# what the detailed endpoint and the upload are asked for, unless left out (music-v2.md,
# "Newer facts"): the sung words' times and a low-resolution waveform
SONG_DATA = {"with_timestamps": True, "with_waveform_visual": True}
UPLOAD_MODELS = ("music_v2", "music_v2_5")
# what MPL accepts as a song id from the server: it is printed and written into songs.mpl
SONG_ID = re.compile(r"[A-Za-z0-9_.-]{1,128}")


class MPLCompileError(Exception):
    """The source has errors; `diagnostics` hold them and `str()` renders them.
    `compilation` is None when the file could not be compiled at all (not UTF-8: E0106)."""

    def __init__(self, compilation: Compilation | None, *,
                 diagnostics: list[Diagnostic] | None = None,
                 sources: dict[str, str] | None = None) -> None:
        found = compilation.diagnostics if compilation is not None else diagnostics or []
        sources = compilation.sources if compilation is not None else sources or {}
        self.diagnostics = [d for d in found if d.is_error]
        self.compilation = compilation
        super().__init__("\n".join(render_all(self.diagnostics, sources)))


def _checked(compilation: Compilation) -> Compilation:
    if not compilation.ok:
        raise MPLCompileError(compilation)
    return compilation


def _model(compilation: Compilation) -> CompositionPlan:
    from ..models import CompositionPlan

    return CompositionPlan.model_validate(_checked(compilation).plan_json())


def compile_file(path: str | os.PathLike[str]) -> CompositionPlan:
    """Compile an .mpl file to the plan model; raises MPLCompileError on errors (E0106 for a
    file that is not UTF-8) and OSError for a file that cannot be read."""
    return _model(_compile_source(Path(path)))


def _compile_source(path: Path) -> Compilation:
    """Compile the file at `path` as `mpl compile` reads it: UTF-8 (E0106 at the first byte
    that is not), any newline convention, a byte order mark allowed. A `str` given for a path
    is always a path (in `compile_file` and `Client.render` alike)."""
    display = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        if "\n" in display:  # source text where a path belongs: say what takes text
            exc.add_note("a str names an .mpl file; give MPL source text to "
                         "compile_string(text) or Client.render(text=...)")
        raise
    try:
        text = source_text(data)
    except UnicodeDecodeError as exc:
        problem, shown = not_utf8(display, data, exc)
        raise MPLCompileError(None, diagnostics=[problem], sources={display: shown}) from None
    return compile_text(text, display, base_dir=path.parent)


def compile_string(text: str, file: str = "<string>") -> CompositionPlan:
    """Compile MPL source text to the plan model; raises MPLCompileError on errors."""
    return _model(compile_text(text, file))


@dataclass(frozen=True)
class RenderResult:
    """A finished render: `path` when written to a file, else `audio` bytes."""

    path: Path | None
    audio: bytes | None
    song_id: str | None
    length_ms: int
    metadata: dict[str, Any] | None = None  # the detailed endpoint's JSON part (snake_case)
    json_path: Path | None = None
    content_type: str = ""

    @property
    def song_data(self) -> SongData:
        """The word timestamps and waveform of a detailed answer, and the audio file."""
        return replace(from_answer(self.metadata), audio_path=self.path)


@dataclass(frozen=True)
class UploadResult:
    """An uploaded song; `length_ms` and `sections` are None and () when the server gave no
    plan, or one whose ranges MPL cannot use."""

    song_id: str
    plan: dict[str, Any] | None
    length_ms: int | None
    sections: tuple[tuple[str, int, int], ...] = ()
    data: SongData = field(default_factory=SongData)  # word timestamps, waveform, the file


@dataclass(frozen=True)
class DraftResult:
    """A drafted plan and its MPL text (None, with diagnostics, if it cannot be decompiled)."""

    plan: dict[str, Any]
    mpl_text: str | None
    diagnostics: list[Diagnostic] = field(default_factory=list)


@dataclass(frozen=True)
class PreparedRender:
    """A render request built from a source, before anything is sent (`--dry-run` shows it)."""

    request: Request
    compilation: Compilation | None
    length_ms: int
    stores: bool


# what `render` takes: a str or PathLike is the path of an .mpl file, as for `compile_file`
Source: TypeAlias = "Compilation | str | os.PathLike[str] | dict[str, Any] | CompositionPlan"


def _mpl(source: Source | None, text: str | None) -> Compilation | None:
    """The compiled MPL to render: `text` is source text, a `str` or path names an .mpl file
    (as for `compile_file`); None for a plan given as data."""
    if (source is None) == (text is None):
        raise TypeError("give a source (a path, a Compilation or a plan) or text=..., "
                        "not both")
    if text is not None:
        return compile_text(text, "<string>")
    if isinstance(source, (str, os.PathLike)):
        return _compile_source(Path(source))
    return source if isinstance(source, Compilation) else None


def prepare_render(source: Source | None = None, *, text: str | None = None,
                   endpoint: str = "music", overrides: dict[str, Any] | None = None,
                   song_data: bool = True) -> PreparedRender:
    """Build the request: from MPL (a path to a file — `str` or `Path` —, a Compilation, or
    source `text=`) the body is exactly `Compilation.request_json(overrides)`; a plan dict or
    model is sent as given. The detailed endpoint also asks for SONG_DATA unless `song_data`
    is False."""
    overrides = {k: v for k, v in (overrides or {}).items() if v is not None}
    compilation = _mpl(source, text)
    if compilation is not None:
        _checked(compilation)
        body, params = compilation.request_json(overrides), compilation.query_params(overrides)
        assert compilation.plan is not None
        length = lower.total_ms(compilation.plan)
    else:
        plan = source if isinstance(source, dict) else source.model_dump(  # type: ignore[union-attr]
            mode="json", exclude_unset=True)
        body, params = lower.body(plan, overrides), lower.query(overrides)
        length = _plan_length(plan)
    if endpoint == "detailed" and song_data:
        body = {**body, **SONG_DATA}
    request = Request(path=ENDPOINTS[endpoint], params=params, json_body=body)
    return PreparedRender(request, compilation, length, bool(body.get("store_for_inpainting")))


def _plan_length(plan: Any) -> int:
    """The length of a plan given as data, after checking it is one (InvalidPlan if not)."""
    from pydantic import ValidationError

    from ..models import CompositionPlan

    try:
        model = CompositionPlan.model_validate(plan)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "the plan"
        raise InvalidPlan(f"not a music_v2 plan: {where}: {first['msg']}",
                          hint="nothing was sent; check the plan against `mpl schema`") from None
    return model.total_ms


def _api_key(api_key: str | None) -> str:
    """The key from the argument or ELEVENLABS_API_KEY: NoKey (E0704) if there is none or it
    cannot be a key. The message never shows the key."""
    key = api_key or os.environ.get(KEY_VARIABLE, "").strip()
    if not key:
        raise NoKey(f"no API key: set {KEY_VARIABLE}",
                    hint=f"export {KEY_VARIABLE}=… (the key is read from the environment only)")
    problem = key_problem(key)
    if problem is not None:
        where = "the api_key argument" if api_key else f"the key in {KEY_VARIABLE}"
        raise NoKey(f"{where} {problem}, so it cannot be an API key; nothing was sent",
                    hint="copy the key again from your ElevenLabs account settings")
    return key


def _base_url(base_url: str | None) -> str:
    """The host from the argument, ELEVENLABS_BASE_URL or the default; an http(s) URL."""
    url = base_url or os.environ.get(BASE_URL_VARIABLE) or DEFAULT_BASE_URL
    problem = base_url_problem(url)
    if problem is not None:
        raise ConnectFailed(f"cannot use the base URL: {problem}",
                            hint=f"check --base-url / {BASE_URL_VARIABLE}; nothing was sent")
    return url


def upload_request(path: Path, form: dict[str, str]) -> Request:
    """POST /v1/music/upload with `file` and the form fields."""
    return Request(path="/v1/music/upload", form=form, file=path)


def settings_from(api_key: str | None, base_url: str | None, attempts: int,
                  timeout: tuple[float, float]) -> Settings:
    """Settings with the key from the argument or ELEVENLABS_API_KEY (NoKey if neither, or if
    it cannot be a key) and an http(s) host (ConnectFailed if not)."""
    return Settings(api_key=_api_key(api_key), base_url=_base_url(base_url), attempts=attempts,
                    connect_timeout=timeout[0], read_timeout=timeout[1])


class Client:
    """A synchronous client: `render`, `upload`, `draft`. No request is made on creation."""

    def __init__(self, api_key: str | None = None, *, base_url: str | None = None,
                 retries: int = 3, timeout: tuple[float, float] = (10.0, 300.0),
                 log: Log | None = None, transport: httpx.BaseTransport | None = None) -> None:
        self.session = Session(settings_from(api_key, base_url, retries, timeout), log=log,
                               transport=transport)

    def render(self, source: Source | None = None, out: str | os.PathLike[str] | None = None, *,
               text: str | None = None, detailed: bool = False, stream: bool = False,
               seed: int | None = None, output_format: str | None = None,
               store: bool | None = None, force: bool = False,
               progress: Progress | None = None, song_data: bool = True,
               model: str | None = None) -> RenderResult:
        """Render a plan — the .mpl file at `source` (a `str` is a path, as for
        `compile_file`), a Compilation, a plan dict or model, or MPL source `text=` —; audio
        to `out` (via a temporary file) or into `.audio`. `detailed` also asks for word
        timestamps and the waveform unless `song_data` is False. `model` (music_v2 or
        music_v2_5) overrides the plan header's `model=`, or music_v2 for a plan given as
        data."""
        if model is not None and model not in MODELS:
            raise InvalidPlan(f"model {model!r} does not take composition plans",
                              hint=f"use one of: {', '.join(MODELS)}; nothing was sent")
        endpoint = "detailed" if detailed else "stream" if stream else "music"
        prepared = prepare_render(source, text=text, endpoint=endpoint, overrides={
            "seed": seed, "output_format": output_format, "store_for_inpainting": store,
            "model_id": model}, song_data=song_data)
        return self.send_render(prepared, None if out is None else Path(out), force=force,
                                progress=progress)

    def send_render(self, prepared: PreparedRender, out: Path | None, *, force: bool = False,
                    progress: Progress | None = None) -> RenderResult:
        """Send a prepared render (the CLI prepares first, for --dry-run)."""
        detailed = prepared.request.path == ENDPOINTS["detailed"]
        if out is not None:
            check_outputs(out, detailed, force)
        received = Received()
        sink = (detailed_sink(out, received, progress, self.session.redact_data) if detailed
                else audio_sink(out, received, progress))
        headers: dict[str, str] = {}
        try:
            reply = self.session.send(prepared.request, _remembering(headers, sink))
        except ApiError as exc:
            from .errors import report_for

            _mention_song_id(exc, headers, self.session.redact)
            self.session.redact_error(exc)
            exc.report = report_for(exc, prepared.compilation)
            raise
        song_id = self._song_id(reply, received.metadata or {}, out)
        return RenderResult(path=out, audio=received.audio, song_id=song_id,
                            length_ms=prepared.length_ms, metadata=received.metadata,
                            json_path=json_path(out) if detailed and out else None,
                            content_type=received.audio_type)

    def _song_id(self, reply: Reply, metadata: dict[str, Any], out: Path | None) -> str | None:
        """The stored song's id (header, else the detailed JSON), None if none was sent;
        BadResponse if it is not one MPL can print and record (the audio is kept)."""
        found = reply.headers.get("song-id", metadata.get("song_id"))
        if found is not None and valid_song_id(found) and self.session.redact(found) != found:
            kept = f"the audio was written to {out}" if out is not None else "the audio arrived"
            raise BadResponse("the server's song id contains the API key, so MPL neither "
                              "prints nor records it", hint=f"{kept}; nothing was recorded")
        if found is None or valid_song_id(found):
            return found
        kept = f"the audio was written to {out}" if out is not None else "the audio arrived"
        raise BadResponse(self.session.redact(f"the server's song id {str(found)[:60]!r} is "
                                              "not one MPL can use"),
                          hint=f"{kept}; nothing was recorded")

    def upload(self, path: str | os.PathLike[str], *, extract_plan: bool = True,
               model: str = lower.MODEL_ID, song_data: bool = True) -> UploadResult:
        """Store an audio file for inpainting; the server may extract its plan (as a `model`
        plan: music_v2 or music_v2_5) and, unless `song_data` is False, give its word
        timestamps and waveform."""
        if model not in UPLOAD_MODELS:
            raise ValueError(f"model must be one of {', '.join(UPLOAD_MODELS)}, not {model!r}")
        path = Path(path)  # a `str` is a path everywhere in the API
        form = {"extract_composition_plan": model} if extract_plan else {}
        if song_data:
            form.update({key: "true" for key in SONG_DATA})
        data = self._json(upload_request(path, form))
        from .multipart import snake_keys

        data = snake_keys(data)
        song_id = data.get("song_id")
        if not valid_song_id(song_id):
            raise BadResponse("the upload answer has no song_id MPL can use"
                              if song_id else "the upload answer has no song_id")
        plan = data.get("composition_plan")
        plan = plan if isinstance(plan, dict) and plan.get("chunks") else None
        from .registry import sections_from_json

        sections = sections_from_json(plan) if plan is not None else None
        return UploadResult(song_id=song_id, plan=plan,
                            length_ms=sections[-1][2] if sections else None,
                            sections=sections or (),
                            data=replace(from_answer(data), audio_path=path))

    def draft(self, prompt: str, length_ms: int | None = None, *,
              source: Compilation | str | os.PathLike[str] | None = None) -> DraftResult:
        """Ask the server to draft a plan from a prompt (free, rate-limited), as MPL; with
        `source` (a compiled file, or the path of one), to revise its plan, keeping its song
        names."""
        if source is not None and not isinstance(source, Compilation):
            source = _compile_source(Path(source))
        body: dict[str, Any] = {"prompt": prompt}
        if length_ms is not None:
            body["music_length_ms"] = length_ms
        body["model_id"] = lower.MODEL_ID
        if source is not None:
            body["model_id"] = _checked(source).request_json().get("model_id", lower.MODEL_ID)
            body["source_composition_plan"] = source.plan_json()
        plan = self._json(Request(path="/v1/music/plan", json_body=body, billed=False))
        if isinstance(plan, dict) and isinstance(plan.get("composition_plan"), dict):
            plan = plan["composition_plan"]
        if not isinstance(plan, dict):
            raise BadResponse("the drafted plan is not a JSON object")
        from ..decompile.lift import decompile_data

        text, diagnostics = decompile_data(plan, "<draft>")
        if text is not None and source is not None:
            from .revise import revised_text

            text = revised_text(plan, source, text)
        return DraftResult(plan=plan, mpl_text=text, diagnostics=diagnostics)

    def _json(self, request: Request) -> Any:
        try:
            reply = self.session.send(request)
        except ApiError as exc:
            from .errors import report_for

            exc.report = report_for(exc)
            raise
        data = self.session.redact_data(reply.json())
        if not isinstance(data, dict):
            raise BadResponse("the server's answer is not a JSON object")
        return data


def valid_song_id(value: Any) -> bool:
    """A song id MPL prints and writes into songs.mpl: letters, digits, `_`, `.`, `-`."""
    return isinstance(value, str) and SONG_ID.fullmatch(value) is not None


def _remembering(headers: dict[str, str], sink: Sink) -> Sink:
    """`sink`, keeping the answer's headers (for a song id when the body then fails)."""

    def remember(chunks: Any, reply: Reply) -> None:
        headers.update(reply.headers)
        sink(chunks, reply)

    return remember


def _mention_song_id(exc: ApiError, headers: dict[str, str],
                     redact: Callable[[str], str]) -> None:
    """A render that failed after the server said it stored the song: the id goes into the
    hint, so the paid song can still be used (unless it holds the key: never shown)."""
    song_id = headers.get("song-id")
    if isinstance(song_id, str) and valid_song_id(song_id) and redact(song_id) == song_id:
        stored = (f"the server stored the song as \"{song_id}\": declare it by hand "
                  f"(song NAME = \"{song_id}\") to keep it")
        exc.hint = f"{exc.hint}; {stored}" if exc.hint else stored
