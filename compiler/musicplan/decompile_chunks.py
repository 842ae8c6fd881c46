"""The decompiler's checks of one chunk's keys and types (see decompile_input.py)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from .diagnostics import error

if TYPE_CHECKING:
    from .decompile_input import Intake
    from .json_locate import JsonPath, Locator

GENERATION_KEYS = ("text", "duration_ms", "positive_styles", "negative_styles",
                   "context_adherence", "conditioning_ref", "condition_strength")
GENERATION_REQUIRED = ("text", "duration_ms", "positive_styles")
OPTIONAL = ("negative_styles", "context_adherence", "conditioning_ref", "condition_strength")
REFERENCE_KEYS = ("song_id", "range")
RANGE_KEYS = ("start_ms", "end_ms")
ENUMS = {"context_adherence": ("low", "medium", "high"),
         "condition_strength": ("low", "medium", "high", "xhigh")}


def snake(key: str) -> str:
    """`durationMs` → `duration_ms`."""
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", key).lower()


def check_chunk(intake: Intake, where: Locator, index: int, chunk: Any) -> dict[str, Any] | None:
    """The chunk with null optional keys dropped, or None (and diagnostics) if it is wrong."""
    path: JsonPath = ("chunks", index)
    if not isinstance(chunk, dict):
        intake.wrong_type(where, path, "an object: a generation chunk or an audio reference")
        return None
    keys = {snake(key) for key in chunk}
    if keys & set(REFERENCE_KEYS) and not keys & set(GENERATION_KEYS):
        return _reference(intake, where, path, chunk, f"audio-reference chunk {index}")
    out: dict[str, Any] = {}
    for key, value in chunk.items():
        if key not in GENERATION_KEYS:
            intake.unknown(where, path, key, GENERATION_KEYS, f"generation chunk {index}")
        elif value is None and key in OPTIONAL:
            intake.null(where, (*path, key))
        elif _value(intake, where, (*path, key), key, value):
            out[key] = value
    _required(intake, where, path, chunk, GENERATION_REQUIRED)
    return out


def _required(intake: Intake, where: Locator, path: JsonPath, data: dict[str, Any],
              required: tuple[str, ...]) -> None:
    spelled = {snake(key) for key in data}
    for key in required:
        if key not in spelled:
            intake.diagnostics.append(error(
                "E0605", f"{where.describe(*path)} has no `{key}`", where.span(*path),
                hint=f"every {'generation chunk' if key in GENERATION_KEYS else 'audio reference'}"
                f" needs {', '.join(required)}"))


def _reference(intake: Intake, where: Locator, path: JsonPath, data: dict[str, Any],
               what: str) -> dict[str, Any] | None:
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key not in REFERENCE_KEYS:
            intake.unknown(where, path, key, REFERENCE_KEYS, what)
        elif key == "song_id":
            if intake.typed(where, (*path, key), value, (str,)) and \
                    _filled(intake, where, (*path, key), value, "a song id"):
                out[key] = value
        elif isinstance(value, dict):
            bounds = {}
            for name, ms in value.items():
                if name not in RANGE_KEYS:
                    intake.unknown(where, (*path, key), name, RANGE_KEYS, "the range")
                elif _milliseconds(intake, where, (*path, key, name), ms):
                    bounds[name] = ms
            _required(intake, where, (*path, key), value, RANGE_KEYS)
            out[key] = bounds
        else:
            intake.wrong_type(where, (*path, key), 'an object {"start_ms": …, "end_ms": …}')
    _required(intake, where, path, data, REFERENCE_KEYS)
    return out


def _milliseconds(intake: Intake, where: Locator, path: JsonPath, value: Any) -> bool:
    if not intake.typed(where, path, value, (int,)):
        return False
    if value < 0:
        intake.diagnostics.append(error("E0606", f"{where.describe(*path)} is negative",
                                        where.span(*path), hint="times are 0 ms or more"))
        return False
    return True


def _filled(intake: Intake, where: Locator, path: JsonPath, value: str, needs: str) -> bool:
    """An empty song id or style is E0213, as in MPL source: the API takes neither."""
    if value:
        return True
    intake.diagnostics.append(error("E0213", f"{where.describe(*path)} is empty; the API "
                                    f"takes {needs}", where.span(*path)))
    return False


def _value(intake: Intake, where: Locator, path: JsonPath, key: str, value: Any) -> bool:
    """Whether `value` has the right type (and, for enums, a known value) for `key`."""
    if key == "text":
        return intake.typed(where, path, value, (str,))
    if key == "duration_ms":
        return _milliseconds(intake, where, path, value)
    if key in ("positive_styles", "negative_styles"):
        if not isinstance(value, list):
            intake.wrong_type(where, path, "a list of strings")
            return False
        return all([intake.typed(where, (*path, i), item, (str,))
                    and _filled(intake, where, (*path, i), item, "no empty styles")
                    for i, item in enumerate(value)])
    if key == "conditioning_ref":
        if not isinstance(value, dict):
            intake.wrong_type(where, path, 'an object {"song_id": …, "range": …}')
            return False
        count = len(intake.diagnostics)
        _reference(intake, where, path, value, "conditioning_ref")
        return len(intake.diagnostics) == count
    allowed = ENUMS[key]
    if not intake.typed(where, path, value, (str,)):
        return False
    if value not in allowed:
        from .suggest import did_you_mean

        intake.diagnostics.append(error(
            "E0210", f"{where.describe(*path)} is `{value}`; use " + " | ".join(allowed),
            where.span(*path), hint=did_you_mean(value, allowed)))
        return False
    return True
