"""Where things are in a JSON text: JSON path → spans of the key and of the value.

The `json` module decodes but keeps no positions, so diagnostics about a JSON input could
not point into it. This scanner walks text that `json.loads` has already accepted and
records, for every object member and array element, where its key and value lie. It
decodes nothing but keys; values still come from `json.loads`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from ..syntax.spans import Span, line_starts, span_at

JsonPath = tuple[str | int, ...]
_WHITESPACE = " \t\n\r"
_ATOM_END = ",]}" + _WHITESPACE


@dataclass(frozen=True)
class Place:
    """Offsets of a member's key (None for array elements and the root) and of its value."""

    key: tuple[int, int] | None
    value: tuple[int, int]


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.at = 0
        self.places: dict[JsonPath, Place] = {}

    def skip(self) -> None:
        while self.at < len(self.text) and self.text[self.at] in _WHITESPACE:
            self.at += 1

    def string(self) -> int:
        """Offset one past the string starting at `self.at`."""
        at = self.at + 1
        while self.text[at] != '"':
            at += 2 if self.text[at] == "\\" else 1
        return at + 1

    def value(self, path: JsonPath, key: tuple[int, int] | None) -> None:
        self.skip()
        start = self.at
        char = self.text[start]
        if char == "{":
            self.members(path)
        elif char == "[":
            self.elements(path)
        elif char == '"':
            self.at = self.string()
        else:
            while self.at < len(self.text) and self.text[self.at] not in _ATOM_END:
                self.at += 1
        self.places[path] = Place(key, (start, self.at))

    def members(self, path: JsonPath) -> None:
        self.at += 1
        self.skip()
        while self.text[self.at] != "}":
            key_start = self.at
            self.at = self.string()
            name = json.loads(self.text[key_start:self.at])
            self.skip()
            self.at += 1  # the colon
            self.value((*path, name), (key_start, self.at - 1))
            self.skip()
            if self.text[self.at] == ",":
                self.at += 1
                self.skip()
        self.at += 1

    def elements(self, path: JsonPath) -> None:
        self.at += 1
        self.skip()
        index = 0
        while self.text[self.at] != "]":
            self.value((*path, index), None)
            index += 1
            self.skip()
            if self.text[self.at] == ",":
                self.at += 1
                self.skip()
        self.at += 1


def scan(text: str) -> dict[JsonPath, Place]:
    """Every path in valid JSON `text` → its Place. (A repeated key keeps its last place,
    as `json.loads` keeps its last value.)"""
    scanner = _Scanner(text)
    scanner.value((), None)
    return scanner.places


@dataclass
class Locator:
    """Spans into one JSON text, by path; `prefix` roots paths at a nested document."""

    file: str
    text: str
    places: dict[JsonPath, Place]
    prefix: JsonPath = ()
    starts: list[int] = field(default_factory=list)

    @classmethod
    def for_text(cls, text: str, file: str) -> Locator:
        return cls(file, text, scan(text), (), line_starts(text))

    @classmethod
    def for_data(cls, data: Any, file: str) -> Locator:
        """Positions in the data as `dump_json` would print it (no source text exists)."""
        return cls.for_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", file)

    def within(self, *path: str | int) -> Locator:
        return Locator(self.file, self.text, self.places, (*self.prefix, *path), self.starts)

    def span(self, *path: str | int, key: bool = False) -> Span:
        """The value at `path` (or its key); the nearest enclosing value if it is absent."""
        full: JsonPath = (*self.prefix, *path)
        while full not in self.places and full:
            full = full[:-1]
        place = self.places.get(full)
        if place is None:
            return span_at(self.file, self.text, 0, 0, self.starts)
        start, end = place.key if key and place.key is not None else place.value
        return span_at(self.file, self.text, start, end, self.starts)

    def describe(self, *path: str | int) -> str:
        """`composition_plan.chunks[3].duration_ms` for messages."""
        out = ""
        for part in (*self.prefix, *path):
            out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
        return out or "the document"
