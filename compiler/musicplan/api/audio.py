"""Where a render's answer goes: streamed into a temporary file beside OUT and renamed at the
end, so OUT holds a whole song or nothing (a failure, a dropped connection or Ctrl-C leaves no
file behind; the CLI turns SIGTERM and SIGHUP into the same unwinding, `api_common.stoppable`).
The detailed endpoint's multipart answer is read with `multipart.MixedReader`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..files import AtomicFile
from .multipart import MixedReader, MultipartError, detailed
from .session import BadResponse, OutputExists, OutputUnwritable, Reply
from .writable import file_problem

Progress = Callable[[int], None]
Redact = Callable[[Any], Any]
# answers that are text about the audio, not the audio (an error wearing a 200)
NOT_AUDIO = ("application/json", "text/")

EXTENSIONS = {"mp3": ".mp3", "pcm": ".pcm", "ulaw": ".ulaw", "alaw": ".alaw", "opus": ".opus"}


def extension(output_format: str | None) -> str:
    """`mp3_48000_192` → `.mp3`; `auto` (music_v2 → mp3) and no format → `.mp3`."""
    family = (output_format or "auto").split("_")[0]
    return EXTENSIONS.get(family, ".mp3")


def json_path(out: Path) -> Path:
    """Where `--detailed` writes the JSON part: OUT with its suffix replaced by `.json`."""
    return out.with_suffix(".json")


def output_paths(out: Path, detailed: bool) -> list[Path]:
    """The files a render writes: OUT, and OUT.json for --detailed (which must differ)."""
    if not detailed:
        return [out]
    if out.suffix.lower() == ".json":
        raise OutputUnwritable(f"--detailed writes its JSON part to {json_path(out)}, which "
                               "is OUT itself", hint="use -o NAME.mp3 (or another audio "
                               "extension); nothing was sent")
    return [out, json_path(out)]


def check_outputs(out: Path, detailed: bool, force: bool) -> list[Path]:
    """Before sending: every file the render writes can be written, and none is an earlier
    render (unless `force`). Returns those files."""
    paths = output_paths(out, detailed)
    for path in paths:
        problem = file_problem(path)
        if problem is not None:
            raise OutputUnwritable(f"cannot write {path}: {problem}",
                                   hint="choose another -o; nothing was sent")
    refuse_overwrite(paths, force)
    return paths


def refuse_overwrite(paths: list[Path], force: bool) -> None:
    """A render costs credits: never overwrite an earlier one without --force."""
    if force:
        return
    for path in paths:
        if path.exists():
            raise OutputExists(f"{path} exists; a render is never written over an earlier one",
                               hint="pass --force to replace it, or -o another file")


@dataclass
class Received:
    """What a sink kept: audio in memory (no OUT) or the paths written, and the JSON part."""

    audio: bytes | None = None
    metadata: dict[str, Any] | None = None
    audio_type: str = ""
    written: list[Path] = field(default_factory=list)


def _counted(chunks: Iterator[bytes], progress: Progress | None) -> Iterator[bytes]:
    total = 0
    for chunk in chunks:
        total += len(chunk)
        if progress is not None:
            progress(total)
        yield chunk


def _audio(chunks: Iterator[bytes], reply: Reply) -> Iterator[bytes]:
    """The body of an answer that must be audio: not JSON or text, and not empty."""
    content_type = reply.content_type.lower()
    if content_type.startswith(NOT_AUDIO):
        text = b"".join(chunks)[:300].decode("utf-8", "replace").strip()
        raise BadResponse(f"the server answered {reply.status} with {content_type} instead of "
                          f"audio: {text or '(empty)'}", hint="nothing was written")
    empty = True
    for chunk in chunks:
        empty = empty and not chunk
        yield chunk
    if empty:
        raise BadResponse(f"the server answered {reply.status} with no audio (an empty body)",
                          hint="nothing was written")


def audio_sink(out: Path | None, received: Received, progress: Progress | None = None,
               ) -> Callable[[Iterator[bytes], Reply], None]:
    """A sink for a plain audio answer (POST /v1/music and /stream)."""

    def sink(chunks: Iterator[bytes], reply: Reply) -> None:
        received.audio_type = reply.content_type
        chunks = _audio(chunks, reply)
        if out is None:
            received.audio = b"".join(_counted(chunks, progress))
            return
        temp = AtomicFile(out, suffix=".part")
        try:
            for chunk in _counted(chunks, progress):
                temp.file.write(chunk)
            temp.commit()
        except BaseException:
            temp.discard()
            raise
        received.written.append(out)

    return sink


def detailed_sink(out: Path | None, received: Received, progress: Progress | None = None,
                  redact: Redact = lambda data: data,
                  ) -> Callable[[Iterator[bytes], Reply], None]:
    """A sink for the detailed endpoint: audio to OUT, the JSON part (through `redact`, so
    the key never reaches a file) to OUT.json."""

    def sink(chunks: Iterator[bytes], reply: Reply) -> None:
        try:
            reader = MixedReader(reply.content_type)
            for chunk in _counted(chunks, progress):
                reader.feed(chunk)
            answer = detailed(reader.parts())
        except MultipartError as exc:
            raise BadResponse(f"the detailed answer could not be read: {exc}") from None
        received.metadata, received.audio_type = redact(answer.metadata), answer.audio_type
        if out is None:
            received.audio = answer.audio
            return
        targets = [(out, answer.audio),
                   (json_path(out), (json.dumps(received.metadata, indent=2, ensure_ascii=False)
                                     + "\n").encode())]
        temps = []
        try:
            for target, data in targets:
                temp = AtomicFile(target, suffix=".part")
                temps.append(temp)
                temp.file.write(data)
            for temp in temps:
                temp.commit()
        except BaseException:
            for temp in temps:
                temp.discard()
            raise
        received.written += [target for target, _ in targets]

    return sink
