"""Milliseconds as text: the one place a length or a position becomes words or MPL.

Each function prints something different on purpose:
- `clock`: a position or length for people, `1:05` or `1:05.250` (timelines, clock-time
  messages such as `the song is 10:10 long; the API allows at most 10:00`);
- `seconds`: a length beside a limit in seconds, `2.5 s` (`… the API needs 3 s to 120 s`);
- `exact`: an exact, maybe fractional, number of ms, `120000/7 (≈ 17142.857)`;
- `spelling`: the most readable exact MPL time, `250ms`, `1.5s`, `1:30.5` (the decompiler).
Foundation layer: imports nothing of musicplan.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Literal

Spelling = Literal["ms", "s", "clock"]  # the units `spelling` writes (a subset of MPL's)


def _decimal(ms: int) -> str:
    """`ms` (not negative) as seconds with no trailing zeros: `2`, `2.5`, `0.25`."""
    whole, millis = divmod(ms, 1000)
    return f"{whole}.{millis:03d}".rstrip("0") if millis else str(whole)


def seconds(ms: int) -> str:
    """`2 s`, `2.5 s`, `0.25 s`, `-1 s`: always seconds, so a message that sets a length
    beside a limit in seconds uses one unit."""
    return ("-" if ms < 0 else "") + _decimal(abs(ms)) + " s"


def clock(ms: int) -> str:
    """`1:05` for whole seconds, else `1:05.250`."""
    sign = "-" if ms < 0 else ""
    minutes, rest = divmod(abs(ms), 60_000)
    whole, millis = divmod(rest, 1000)
    text = f"{sign}{minutes}:{whole:02d}"
    return f"{text}.{millis:03d}" if millis else text


def exact(value: Fraction) -> str:
    """An exact number of ms for messages: `1500`, or `120000/7 (≈ 17142.857)`."""
    if value.denominator == 1:
        return str(value.numerator)
    return f"{value.numerator}/{value.denominator} (≈ {float(value):.3f})"


def spelling(ms: int) -> tuple[str, Spelling]:
    """The most readable exact MPL spelling of `ms` (not negative) and its unit: 250ms, 30s,
    1.5s, 1:30, 1:30.5, 1:00:00."""
    if ms < 1000:
        return str(ms), "ms"
    if ms < 60_000:
        return _decimal(ms), "s"
    minutes, rest = divmod(ms, 60_000)
    text = ("0" if rest < 10_000 else "") + _decimal(rest)
    if minutes >= 60:
        return f"{minutes // 60}:{minutes % 60:02d}:{text}", "clock"
    return f"{minutes}:{text}", "clock"
