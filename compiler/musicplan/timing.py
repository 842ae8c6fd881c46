"""Times as written → exact milliseconds.

All arithmetic is exact (`Fraction`), so a musical position that falls between two
milliseconds is reported with its exact value instead of being rounded silently.
A tempo's beat is the note its BPM counts; a bar holds the signature's numerator of beats.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from . import nodes as n
from .diagnostics import Diagnostic, error
from .spans import Span


@dataclass(frozen=True)
class TempoInfo:
    bpm: Fraction
    beats_per_bar: int
    span: Span

    @property
    def beat_ms(self) -> Fraction:
        return Fraction(60000) / self.bpm

    @property
    def bar_ms(self) -> Fraction:
        return self.beat_ms * self.beats_per_bar


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
    return TempoInfo(bpm, beats, tempo.span)


def format_ms(value: Fraction) -> str:
    """An exact value for messages: `1500`, or `120000/7 (≈ 17142.857)`."""
    if value.denominator == 1:
        return str(value.numerator)
    return f"{value.numerator}/{value.denominator} (≈ {float(value):.3f})"


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
    clock = f"0:{time.amount:0>2}"
    raise TimeError(error("E0402", f"`{time.amount}` needs a unit", time.span,
                          hint=f"write {time.amount}s, {time.amount}ms or a clock time like "
                          f"{clock}"))


def whole_ms(value: Fraction, span: Span, what: str) -> int:
    """`value` as an int, or a TimeError showing the exact value."""
    if value.denominator != 1:
        raise TimeError(error("E0401", f"{what} is {format_ms(value)} ms, not a whole number of "
                              "milliseconds", span, hint="the API takes integer milliseconds"))
    return value.numerator


def duration_ms(time: n.Time, tempo: TempoInfo | None) -> int:
    """A length (`30s`, `8 bars`, `1:30`) in whole ms. Raises TimeError."""
    if time.unit == "bar":
        raise TimeError(error("E0307", "`bar N` is a position; a length is written `N bars`",
                              time.span, hint=f"write {time.amount} bars"))
    return whole_ms(exact_ms(time, tempo), time.span, f"`{_text(time)}`")


def range_ms(span_range: n.Range, tempo: TempoInfo | None) -> tuple[int, int]:
    """A range in whole ms: a bare start takes the end's unit; two bare ends are bar.beat."""
    start, end = span_range.start, span_range.end
    if start.unit == "bare" and end.unit == "bare":
        if tempo is None:
            raise TimeError(error("E0402", f"`{start.amount}-{end.amount}` needs a unit",
                                  span_range.span,
                                  hint=f"write {start.amount}-{end.amount}s, or declare a tempo "
                                  "to use bar.beat positions"))
        begin = _bar_beat(start, tempo)
        finish = _bar_beat(end, tempo)
    else:
        end_unit = end.unit if end.unit != "bare" else None
        start_unit = start.unit if start.unit != "bare" else None
        begin = exact_ms(start, tempo, unit=_position_unit(end_unit))
        finish = exact_ms(end, tempo, unit=_position_unit(start_unit))
        if end.unit == "bars" and start.unit == "bare":
            begin = Fraction(start.amount) * _need_tempo(start, tempo).bar_ms
    return (whole_ms(begin, start.span, f"`{_text(start)}`"),
            whole_ms(finish, end.span, f"`{_text(end)}`"))


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
