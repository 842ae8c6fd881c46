"""Times as written → exact milliseconds, and musical time on the millisecond grid.

All arithmetic is exact (`Fraction`). A time written in ms or seconds must be a whole number
of milliseconds (E0401). A time written in musical time (bars, beats, `bar N`, `9.3`) is kept
exact and rounded to the nearest millisecond, halves up, only where it lands in the song, as a
DAW snaps to its grid: a position is its exact value rounded, and a generation chunk lasts
from its rounded exact start to its rounded exact end (`place`), so lengths never drift.
A tempo's beat is the note its BPM counts; a bar holds the signature's numerator of beats.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction

from .. import units
from ..diagnostics import Diagnostic, error
from ..syntax import nodes as n
from ..syntax.records import replace
from ..syntax.spans import Span
from . import ir
from .ir import TempoInfo


class TimeError(Exception):
    """Raised inside this module only; callers receive the diagnostic."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


def tempo_info(tempo: n.Tempo) -> TempoInfo | Diagnostic:
    """Validate `tempo BPM [N/D]`."""
    bpm = Fraction(tempo.bpm.text)
    if not 1 <= bpm <= 999:
        return error("E0405", f"tempo {tempo.bpm.text} bpm is outside 1-999", tempo.bpm.span)
    beats = 4
    if tempo.signature:
        top, bottom = (int(part) for part in tempo.signature.split("/"))
        if top < 1 or top > 32 or bottom not in (1, 2, 4, 8, 16, 32):
            return error("E0405", f"time signature {tempo.signature} is not valid", tempo.span,
                         hint="write a signature like 4/4, 3/4, 6/8 or 7/8")
        beats = top
    return TempoInfo(bpm=bpm, beats_per_bar=beats, span=tempo.span)


def _clock(time: n.Time) -> Fraction:
    *head, last = time.amount.split(":")
    seconds = Fraction(last)
    if seconds >= 60 or any(int(part) >= 60 for part in head[1:]):
        raise TimeError(error("E0404", f"`{time.amount}`: seconds and minutes must be under 60",
                              time.span, hint="write 1:30 rather than 0:90"))
    total = seconds
    for index, part in enumerate(reversed(head)):
        total += int(part) * 60 ** (index + 1)
    return total * 1000


def _need_tempo(time: n.Time, tempo: TempoInfo | None) -> TempoInfo:
    if tempo is None:
        raise TimeError(error("E0403", "bars and beats need a tempo", time.span,
                              hint="declare one first, e.g. `tempo 120 4/4`"))
    return tempo


def _bar_beat(time: n.Time, tempo: TempoInfo) -> Fraction:
    bar_text, _, beat_text = time.amount.partition(".")
    bar, beat = int(bar_text), int(beat_text or "1")
    if bar < 1 or not 1 <= beat <= tempo.beats_per_bar:
        raise TimeError(error("E0404", f"`{time.amount}` is not a bar.beat position in "
                              f"{tempo.beats_per_bar}-beat bars", time.span,
                              hint="bars count from 1; beats from 1 to the signature's top"))
    return (bar - 1) * tempo.bar_ms + (beat - 1) * tempo.beat_ms


def exact_ms(time: n.Time, tempo: TempoInfo | None, *, unit: n.TimeUnit | None = None) -> Fraction:
    """The exact value of `time` in ms; `unit` resolves a bare number. Raises TimeError."""
    kind = time.unit if time.unit != "bare" else unit
    if kind == "ms":
        return Fraction(time.amount)
    if kind == "s":
        return Fraction(time.amount) * 1000
    if kind == "clock":
        return _clock(time)
    if kind in ("bar", "bars", "beats") and time.unit != "bare":
        tempo = _need_tempo(time, tempo)
        amount = Fraction(time.amount)
        if kind == "bar":
            if amount.denominator != 1 or amount < 1:
                raise TimeError(error("E0404", f"`bar {time.amount}`: bars count from 1",
                                      time.span))
            return (amount - 1) * tempo.bar_ms
        return amount * (tempo.bar_ms if kind == "bars" else tempo.beat_ms)
    if kind in ("bar", "bars", "beats", "barbeat"):
        return _bar_beat(time, _need_tempo(time, tempo))
    if kind == "sung":  # found on a song's words by resolve.sung; anywhere else, no song
        raise TimeError(error("E0721", f"{time.amount} is a position on a song's sung words, "
                              "which only a kept or conditioning range of a song has",
                              time.span, hint="write it in `keep SONG …`, `like SONG …` or "
                              "`replace SONG …`, or use a time"))
    clock = f"0:{time.amount:0>2}"
    raise TimeError(error("E0402", f"`{time.amount}` needs a unit", time.span,
                          hint=f"write {time.amount}s, {time.amount}ms or a clock time like "
                          f"{clock}"))


MUSICAL = ("bar", "bars", "beats", "barbeat")


def round_ms(value: Fraction) -> int:
    """The nearest whole millisecond, halves up (so -0.5 → 0 and 0.5 → 1)."""
    return math.floor(value + Fraction(1, 2))


def whole_ms(value: Fraction, span: Span, what: str) -> int:
    """`value` as an int, or a TimeError showing the exact value."""
    if value.denominator != 1:
        raise TimeError(error("E0401", f"{what} is {units.exact(value)} ms, not a whole number of "
                              "milliseconds", span, hint="the API takes integer milliseconds"))
    return value.numerator


def _settled(value: Fraction, time: n.Time, kind: str | None) -> Fraction:
    """A musical time as it is; any other must be whole milliseconds (E0401)."""
    if kind in MUSICAL:
        return value
    return Fraction(whole_ms(value, time.span, f"`{_text(time)}`"))


def exact_length(time: n.Time, tempo: TempoInfo | None) -> Fraction:
    """A length (`30s`, `8 bars`, `1:30`) in exact ms: whole unless musical. Raises TimeError."""
    if time.unit == "bar":
        raise TimeError(error("E0307", "`bar N` is a position; a length is written `N bars`",
                              time.span, hint=f"write {time.amount} bars"))
    return _settled(exact_ms(time, tempo), time, time.unit)


def duration_ms(time: n.Time, tempo: TempoInfo | None) -> int:
    """A length in whole ms, as it lasts from a position on the millisecond grid (a song's
    `length=`, a length with nothing before it). Raises TimeError."""
    return round_ms(exact_length(time, tempo))


def range_exact(span_range: n.Range, tempo: TempoInfo | None) -> tuple[Fraction, Fraction]:
    """A range's exact ends: a bare start takes the end's unit; two bare ends are bar.beat.
    Ends in ms or seconds must be whole (E0401); musical ends are exact. Raises TimeError."""
    start, end = span_range.start, span_range.end
    if start.unit == "bare" and end.unit == "bare":
        if tempo is None:
            raise TimeError(error("E0402", f"`{start.amount}-{end.amount}` needs a unit",
                                  span_range.span,
                                  hint=f"write {start.amount}-{end.amount}s, or declare a tempo "
                                  "to use bar.beat positions"))
        return _bar_beat(start, tempo), _bar_beat(end, tempo)
    end_unit = end.unit if end.unit != "bare" else None
    start_unit = start.unit if start.unit != "bare" else None
    begin = exact_ms(start, tempo, unit=_position_unit(end_unit))
    finish = exact_ms(end, tempo, unit=_position_unit(start_unit))
    if end.unit == "bars" and start.unit == "bare":
        begin = Fraction(start.amount) * _need_tempo(start, tempo).bar_ms
    return (_settled(begin, start, start_unit or _position_unit(end_unit)),
            _settled(finish, end, end_unit or _position_unit(start_unit)))




def place(chunks: Sequence[ir.Chunk], start: Fraction = Fraction(0)) -> list[ir.Chunk]:
    """`chunks` laid end to end from the exact position `start`.

    A generation chunk with an exact length L (`exact_ms`, written in musical time) that
    starts at the exact position E lasts round(E + L) − round(E) ms, round(E) being where it
    starts on the grid; a kept slice or a chunk written in ms adds its whole length to E. So
    the chunks together last round(start + ΣL) − round(start): no drift however many there
    are. The chunks returned have whole lengths only (`exact_ms` is None)."""
    out: list[ir.Chunk] = []
    at = start
    for chunk in chunks:
        if isinstance(chunk, ir.GenerateChunk) and chunk.exact_ms is not None:
            length = chunk.exact_ms
            chunk = replace(chunk, duration_ms=round_ms(at + length) - round_ms(at),
                            exact_ms=None)
        else:
            length = Fraction(chunk.duration_ms)
        out.append(chunk)
        at += length
    return out


def bar_beat(ms: int, tempo: TempoInfo) -> tuple[str, bool]:
    """The beat nearest to `ms` as `bar.beat` (`9.3`), and whether `ms` is where that beat
    lands on the millisecond grid."""
    beat = max(0, round_ms(ms / tempo.beat_ms))
    bar, within = divmod(beat, tempo.beats_per_bar)
    return f"{bar + 1}.{within + 1}", round_ms(beat * tempo.beat_ms) == ms


def _position_unit(unit: n.TimeUnit | None) -> n.TimeUnit | None:
    return "barbeat" if unit == "bar" else unit  # type: ignore[return-value]


def _text(time: n.Time) -> str:
    if time.unit in ("ms", "s"):
        return f"{time.amount}{time.unit}"
    if time.unit == "bar":
        return f"bar {time.amount}"
    if time.unit in ("bars", "beats"):
        return f"{time.amount} {time.unit}"
    return time.amount
