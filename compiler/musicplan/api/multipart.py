"""The detailed endpoint's `multipart/mixed` answer, read with the standard library's MIME
parser (`email`), never by splitting strings: boundaries, part headers and transfer
encodings are the parser's business, and audio bytes that happen to contain `--` or CRLF
survive untouched.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesFeedParser
from typing import Any


class MultipartError(ValueError):
    """The body is not the multipart answer it should be."""


@dataclass(frozen=True)
class Part:
    content_type: str
    payload: bytes


@dataclass(frozen=True)
class Detailed:
    """The JSON part (keys made snake_case) and the audio part of a detailed answer."""

    metadata: dict[str, Any]
    audio: bytes
    audio_type: str


class MixedReader:
    """Feed the body as it arrives; `parts()` once it is complete."""

    def __init__(self, content_type: str) -> None:
        if not content_type.lower().startswith("multipart/"):
            raise MultipartError(f"expected a multipart answer, got `{content_type or 'none'}`")
        self._parser = BytesFeedParser(policy=policy.HTTP)
        # the part headers live in the body; the outer header comes from the HTTP answer
        self._parser.feed(f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode())

    def feed(self, data: bytes) -> None:
        self._parser.feed(data)

    def parts(self) -> list[Part]:
        message = self._parser.close()
        if not isinstance(message, EmailMessage) or not message.is_multipart():
            raise MultipartError("the multipart answer has no parts")
        if message.defects:
            raise MultipartError(f"malformed multipart answer: {message.defects[0].__doc__}")
        out = []
        for part in message.iter_parts():
            payload = part.get_payload(decode=True)
            out.append(Part(part.get_content_type(),
                            payload if isinstance(payload, bytes) else b""))
        return out


def parse_mixed(content_type: str, body: bytes) -> list[Part]:
    """All parts of a multipart body, in order."""
    reader = MixedReader(content_type)
    reader.feed(body)
    return reader.parts()


def _snake(key: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", key).lower()


def snake_keys(data: Any) -> Any:
    """Every object key in snake_case (`compositionPlan` → `composition_plan`); values kept."""
    if isinstance(data, dict):
        return {_snake(str(key)): snake_keys(value) for key, value in data.items()}
    if isinstance(data, list):
        return [snake_keys(item) for item in data]
    return data


def detailed(parts: list[Part]) -> Detailed:
    """The JSON part and the audio part, whichever order they come in."""
    json_parts = [p for p in parts if p.content_type == "application/json"]
    audio_parts = [p for p in parts if p.content_type != "application/json"]
    if not json_parts or not audio_parts:
        raise MultipartError("the detailed answer needs a JSON part and an audio part; got "
                             + (", ".join(p.content_type for p in parts) or "no parts"))
    try:
        metadata = json.loads(json_parts[0].payload)
    except ValueError:
        raise MultipartError("the JSON part of the detailed answer is not JSON") from None
    if not isinstance(metadata, dict):
        raise MultipartError("the JSON part of the detailed answer is not an object")
    return Detailed(snake_keys(metadata), audio_parts[0].payload, audio_parts[0].content_type)
