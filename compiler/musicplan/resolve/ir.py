"""The resolved plan: what `resolve` produces and `checks` and `lower` consume.

Names, imports, templates, bindings, windows and musical time are gone: every time is an
integer number of milliseconds and every chunk knows the spans that produced it, including
the template call sites and imports it came through (`context`).
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

from ..diagnostics import Label
from ..syntax.records import field, record
from ..syntax.spans import Span


@record
class Word:
    """A sung word of a stored song and when it is sung, in ms from the song's start."""

    word: str
    start_ms: int
    end_ms: int


@record
class TempoInfo:
    """A tempo: the beats a minute, the beats in a bar, and where it was written."""

    bpm: Fraction
    beats_per_bar: int
    span: Span

    @property
    def beat_ms(self) -> Fraction:
        return Fraction(60000) / self.bpm

    @property
    def bar_ms(self) -> Fraction:
        return self.beat_ms * self.beats_per_bar


@record
class SongInfo:
    """A declared song: its id, length when known, named sections in ms."""

    name: str
    song_id: str
    span: Span
    length_ms: int | None = None
    length_span: Span | None = None
    sections: dict[str, tuple[int, int]] = field(default_factory=dict)
    section_spans: dict[str, Span] = field(default_factory=dict)
    # the sections' exact bounds (musical ones may fall between milliseconds)
    section_exact: dict[str, tuple[Fraction, Fraction]] = field(default_factory=dict,
                                                                compare=False, repr=False)
    tempo: TempoInfo | None = field(default=None, compare=False, repr=False)  # its own, if any
    # the data file the registry names for it (its sung words: read by `resolve.sung` only
    # when a range is anchored on one, so compiling never reads it otherwise)
    words_file: Path | None = field(default=None, compare=False, repr=False)


@record
class Slice:
    """A range of a song, as `keep` and `like` use it."""

    song: SongInfo
    start_ms: int
    end_ms: int
    span: Span  # the range (or section name) as written
    section: str | None = field(default=None, compare=False)  # the section named, if one was
    exact_start: Fraction | None = field(default=None, compare=False, repr=False)  # unrounded

    @property
    def length_ms(self) -> int:
        return self.end_ms - self.start_ms


@record
class KeepChunk:
    """An audio-reference chunk."""

    slice: Slice
    span: Span  # the statement
    context: tuple[Label, ...] = ()

    @property
    def duration_ms(self) -> int:
        return self.slice.length_ms


@record
class GenerateChunk:
    """A generation chunk. `None` means the source did not say (absent from the JSON)."""

    label: str
    text: str
    duration_ms: int
    positive_styles: tuple[str, ...] | None = None
    negative_styles: tuple[str, ...] | None = None
    context_adherence: str | None = None
    conditioning: Slice | None = None
    condition_strength: str | None = None
    span: Span  # the statement
    fields: dict[str, Span] = field(default_factory=dict)  # JSON field → attribute span
    context: tuple[Label, ...] = ()
    # the exact length when written in musical time and not whole ms (`musical_time.place`)
    exact_ms: Fraction | None = field(default=None, compare=False, repr=False)
    # the lyric lines' spans, text line 2 onwards (empty when `text=` gave the whole text)
    lines: tuple[Span, ...] = field(default=(), compare=False, repr=False)


Chunk = KeepChunk | GenerateChunk


@record
class RequestOptions:
    """Options from the `plan` header, as request-body keys (plus `output_format`, a query)."""

    values: dict[str, object] = field(default_factory=dict)
    spans: dict[str, Span] = field(default_factory=dict)


@record
class ResolvedPlan:
    """Everything the checks and the lowering need."""

    chunks: tuple[Chunk, ...]
    songs: dict[str, SongInfo]
    options: RequestOptions
    span: Span  # the root file
    default_song: str | None = None
    tempo: TempoInfo | None = field(default=None, compare=False)  # the finished song's grid
