"""Time ranges run forwards, last at least 50 ms and stay inside a song of known length
(music-v2.md, audio-reference chunk). Applies to kept slices, conditioning slices and
declared sections."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic, Label
from ..limits import MIN_RANGE_MS
from ..resolve.ir import GenerateChunk, KeepChunk, ResolvedPlan, Slice, SongInfo
from ..syntax.spans import Span
from ..units import seconds
from ._util import Code, attach

E0206 = Code(code="E0206", severity="error", title="range under 50 ms",
             doc="A range shorter than 50 ms.",
             fix="Ranges last at least 50 ms.")
E0207 = Code(code="E0207", severity="error", title="reversed range",
             doc="A range that runs backwards (`30s-10s`).",
             fix="Earlier time first.")
E0208 = Code(code="E0208", severity="error", title="range past the song's length",
             doc="A range (kept slice, conditioning slice or section) past a song's declared "
                 "`length=`. Points at the range and at the length.",
             fix="Check the song's length.")
CODES = (E0206, E0207, E0208)
LOCAL = True
LINT = False


def _check_range(start: int, end: int, span: Span, song: SongInfo) -> Iterator[Diagnostic]:
    if end < start:
        yield E0207(f"range runs backwards: {seconds(start)} to {seconds(end)}", span,
                    hint="write the earlier time first")
    elif end - start < MIN_RANGE_MS:
        yield E0206(f"range is {end - start} ms long; the API needs at least {MIN_RANGE_MS} ms",
                    span)
    if song.length_ms is not None and max(start, end) > song.length_ms:
        secondary = [Label(span=song.length_span or song.span,
                           message=f"`{song.name}` is {seconds(song.length_ms)} long")]
        yield E0208(f"range ends at {seconds(max(start, end))}, past the end of "
                    f"`{song.name}` ({seconds(song.length_ms)})", span, secondary=secondary)


def _slices(plan: ResolvedPlan) -> Iterator[tuple[Slice, object]]:
    for chunk in plan.chunks:
        if isinstance(chunk, KeepChunk):
            yield chunk.slice, chunk
        elif isinstance(chunk, GenerateChunk) and chunk.conditioning is not None:
            yield chunk.conditioning, chunk


def check(plan: ResolvedPlan) -> Iterator[Diagnostic]:
    for song in plan.songs.values():
        for name, (start, end) in song.sections.items():
            yield from _check_range(start, end, song.section_spans[name], song)
    for slice_, chunk in _slices(plan):
        for diagnostic in _check_range(slice_.start_ms, slice_.end_ms, slice_.span, slice_.song):
            yield attach(diagnostic, chunk)
