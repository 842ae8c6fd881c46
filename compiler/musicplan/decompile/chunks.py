"""The decompiler's checks of one chunk's keys and types (see intake.py)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ..diagnostics import error

if TYPE_CHECKING:
    from .intake import Intake
    from .positions import JsonPath, Locator

GENERATION_KEYS = ("text", "duration_ms", "positive_styles", "negative_styles",
                   "context_adherence", "conditioning_ref", "condition_strength")
GENERATION_REQUIRED = ("text", "duration_ms", "positive_styles")
REFERENCE_KEYS = ("song_id", "range")
RANGE_KEYS = ("start_ms", "end_ms")
ENUMS = {"context_adherence": ("low", "medium", "high"),
         "condition_strength": ("low", "medium", "high", "xhigh")}


def snake(key: str) -> str:
    """`durationMs` → `duration_ms`."""
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", key).lower()


def integral(value: Any) -> Any:
    """`20000.0` → `20000`: a number with an integral value is that integer wherever one is
    expected (JSON has one number type; `model_dump()` and JavaScript may write either)."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def present(data: dict[str, Any]) -> dict[str, Any]:
    """The members of `data` that are not null: a null field is an absent one, as to the API
    (the Python SDK's `model_dump()` writes every unset optional field as null)."""
    return {key: value for key, value in data.items() if value is not None}


def check_chunk(intake: Intake, where: Locator, index: int, chunk: Any) -> dict[str, Any] | None:
    """The chunk with null keys dropped, or None (and diagnostics) if it is wrong."""
    path: JsonPath = ("chunks", index)
    if not isinstance(chunk, dict):
        intake.wrong_type(where, path, "an object: a generation chunk or an audio reference")
        return None
    keys = {snake(key) for key in present(chunk)}
    named = f"chunk {index + 1} (chunks[{index}])"  # numbered from 1, as `mpl explain` does
    if keys & set(REFERENCE_KEYS) and not keys & set(GENERATION_KEYS):
        return _reference(intake, where, path, chunk, f"audio-reference {named}")
    out: dict[str, Any] = {}
    for key, value in present(chunk).items():
        if key not in GENERATION_KEYS:
            intake.unknown(where, path, key, GENERATION_KEYS, f"generation {named}")
            continue
        clean = _value(intake, where, (*path, key), key, value)
        if clean is not _BAD:
            out[key] = clean
    _required(intake, where, path, chunk, GENERATION_REQUIRED)
    return out


_BAD = object()  # a value that was reported and is left out


def _required(intake: Intake, where: Locator, path: JsonPath, data: dict[str, Any],
              required: tuple[str, ...]) -> None:
    spelled = {snake(key) for key in present(data)}
    for key in required:
        if key in spelled:
            continue
        needs = f"every {'generation chunk' if key in GENERATION_KEYS else 'audio reference'}" \
            f" needs {', '.join(required)}"
        if key in data:  # there, but null
            intake.diagnostics.append(error(
                "E0605", f"{where.describe(*path, key)} is null, and {needs}",
                where.span(*path, key), hint="null means absent; give it a value"))
        else:
            intake.diagnostics.append(error(
                "E0605", f"{where.describe(*path)} has no `{key}`", where.span(*path),
                hint=needs))


def _reference(intake: Intake, where: Locator, path: JsonPath, data: dict[str, Any],
               what: str) -> dict[str, Any] | None:
    out: dict[str, Any] = {}
    for key, value in present(data).items():
        if key not in REFERENCE_KEYS:
            intake.unknown(where, path, key, REFERENCE_KEYS, what)
        elif key == "song_id":
            if intake.typed(where, (*path, key), value, (str,)) and \
                    _filled(intake, where, (*path, key), value, "a song id"):
                out[key] = value
        elif isinstance(value, dict):
            bounds = {}
            for name, ms in present(value).items():
                if name not in RANGE_KEYS:
                    intake.unknown(where, (*path, key), name, RANGE_KEYS, "the range")
                elif (whole := _milliseconds(intake, where, (*path, key, name), ms)) is not None:
                    bounds[name] = whole
            _required(intake, where, (*path, key), value, RANGE_KEYS)
            out[key] = bounds
        else:
            intake.wrong_type(where, (*path, key), 'an object {"start_ms": …, "end_ms": …}')
    _required(intake, where, path, data, REFERENCE_KEYS)
    return out


def _milliseconds(intake: Intake, where: Locator, path: JsonPath, value: Any) -> int | None:
    """A time in ms: a whole number (`20000.0` is 20000), 0 or more; None when reported."""
    value = integral(value)
    if not intake.typed(where, path, value, (int,)) or not intake.short(where, path, value):
        return None
    if value < 0:
        intake.diagnostics.append(error("E0606", f"{where.describe(*path)} is negative",
                                        where.span(*path), hint="times are 0 ms or more"))
        return None
    return int(value)


def _filled(intake: Intake, where: Locator, path: JsonPath, value: str, needs: str) -> bool:
    """An empty song id or style is E0213, as in MPL source: the API takes neither."""
    if value:
        return True
    intake.diagnostics.append(error("E0213", f"{where.describe(*path)} is empty; the API "
                                    f"takes {needs}", where.span(*path)))
    return False


def _value(intake: Intake, where: Locator, path: JsonPath, key: str, value: Any) -> Any:
    """`value` as the plan takes it for `key` (right type, known enum value), or _BAD."""
    if key == "text":
        return value if intake.typed(where, path, value, (str,)) else _BAD
    if key == "duration_ms":
        whole = _milliseconds(intake, where, path, value)
        return _BAD if whole is None else whole
    if key in ("positive_styles", "negative_styles"):
        if not isinstance(value, list):
            intake.wrong_type(where, path, "a list of strings")
            return _BAD
        good = all([intake.typed(where, (*path, i), item, (str,))
                    and _filled(intake, where, (*path, i), item, "no empty styles")
                    for i, item in enumerate(value)])
        return value if good else _BAD
    if key == "conditioning_ref":
        if not isinstance(value, dict):
            intake.wrong_type(where, path, 'an object {"song_id": …, "range": …}')
            return _BAD
        count = len(intake.diagnostics)
        reference = _reference(intake, where, path, value, "conditioning_ref")
        return reference if len(intake.diagnostics) == count else _BAD
    allowed = ENUMS[key]
    if not intake.typed(where, path, value, (str,)):
        return _BAD
    if value not in allowed:
        from ..diagnostics.suggest import did_you_mean

        intake.diagnostics.append(error(
            "E0210", f"{where.describe(*path)} is `{value}`; use " + " | ".join(allowed),
            where.span(*path), hint=did_you_mean(value, allowed)))
        return _BAD
    return value
