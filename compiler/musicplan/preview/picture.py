"""The timeline as a picture: the finished song as one lane of chunk boxes, a lane per
source song under it at the same scale, connectors from each kept or conditioning range to
the chunk that uses it, a bar grid when a tempo is known, seams and warnings.

Geometry is computed here (one scale: x = LEFT + ms × px_per_ms); the jinja2 templates in
`templates/` only write it out. Every element tools read carries the data attributes of the
contract in docs/preview.md (`class="chunk"`, `data-start-ms`, …).
"""

from __future__ import annotations

import base64
import itertools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from ..diagnostics import Diagnostic
from ..pipeline import Compilation
from ..resolve import ir
from ..resolve.ir import TempoInfo
from ..syntax.spans import Span
from ..timeline import TimelineEntry, timeline, total_ms
from ..units import clock

WIDTH = 1240  # readable at 1280 px with the page's margins
LEFT = 150  # lane names sit left of this
RIGHT = 30
PLOT = WIDTH - LEFT - RIGHT
TOP = 56  # bar numbers above the finished lane
LANE = 56  # a lane's height
GAP = 84  # between lanes: the connectors run here
KIND_NAMES = {"kept": "kept", "new": "new", "conditioned": "new, conditioned"}


@dataclass
class ChunkBox:
    index: int
    kind: str
    start_ms: int
    end_ms: int
    label: str
    shown: str  # the label cut to fit the box
    x: float
    width: float
    title: str
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (code, message)


@dataclass
class SourceRange:
    song: str
    role: str  # keep | condition
    start_ms: int
    end_ms: int
    x: float
    width: float
    chunks: list[int] = field(default_factory=list)  # the chunks (0-based) using it


@dataclass
class Connector:
    chunk: int
    song: str
    role: str
    path: str


@dataclass
class Section:
    name: str
    start_ms: int
    end_ms: int
    x: float
    width: float


@dataclass
class SongLane:
    name: str
    song_id: str
    y: float
    length_ms: int | None
    extent_ms: int  # the declared length, else the furthest range used
    width: float
    sections: list[Section]
    ranges: list[SourceRange]
    waveform: str | None = None  # an SVG path, when an envelope is known


@dataclass
class BarLine:
    bar: int
    ms: int
    x: float
    labelled: bool


@dataclass
class Seam:
    ms: int
    x: float
    audio: bool  # kept audio on at least one side: where a cut is heard


@dataclass
class Picture:
    """Everything the templates draw."""

    file: str
    total_ms: int
    total: str
    px_per_ms: float
    width: int
    height: float
    chunks: list[ChunkBox]
    lanes: list[SongLane]
    connectors: list[Connector]
    bars: list[BarLine]
    ticks: list[tuple[str, int, float]]  # (clock, ms, x) when there is no tempo
    seams: list[Seam]
    tempo: str | None
    notes: list[str]
    left: int = LEFT
    top: int = TOP
    lane: int = LANE


def _fit(text: str, width: float) -> str:
    """`text` cut with an ellipsis to about what fits in `width` px at 12 px type."""
    room = int((width - 8) / 7)
    if room <= 0:
        return ""
    return text if len(text) <= room else (text[:room - 1] + "…" if room > 1 else "…")


def _where(span: Span) -> str:
    return f"{span.file}:{span.line}"


def _title(entry: TimelineEntry) -> str:
    """The tooltip: what the chunk is, its styles, the text's first line, its source."""
    lines = [f"chunk {entry.index + 1} · {KIND_NAMES[entry.kind]} · "
             f"{clock(entry.start_ms)}–{clock(entry.end_ms)}"]
    if entry.label:
        lines.append(f"label: {entry.label}")
    chunk = entry.chunk
    if isinstance(chunk, ir.GenerateChunk):
        if chunk.positive_styles:
            lines.append("styles: " + ", ".join(chunk.positive_styles))
        if chunk.negative_styles:
            lines.append("not: " + ", ".join(chunk.negative_styles))
        # the first sung line: the API's text opens with a `[Label]` tag line
        lines_sung = [line for line in chunk.text.split("\n")
                      if line.strip() and not re.fullmatch(r"\s*\[[^\]]*\]\s*", line)]
        first = lines_sung[0] if lines_sung else ""
        if first:
            lines.append(f"text: {first}")
    if entry.song is not None and entry.source_start_ms is not None \
            and entry.source_end_ms is not None:
        role = "keeps" if entry.kind == "kept" else "like"
        lines.append(f"{role}: {entry.song} {clock(entry.source_start_ms)}–"
                     f"{clock(entry.source_end_ms)}")
    where = _where(entry.span)
    if entry.context:
        where = f"{_where(entry.context[-1].span)} → {where}"
    lines.append(f"line: {where}")
    return "\n".join(lines)


def _inside(span: Span, outer: Span) -> bool:
    return span.file == outer.file and outer.start <= span.start <= outer.end


def warnings_by_chunk(entries: Sequence[TimelineEntry],
                      diagnostics: Sequence[Diagnostic]) -> dict[int, list[tuple[str, str]]]:
    """Each warning at the chunk whose statement (or template call site) holds it."""
    out: dict[int, list[tuple[str, str]]] = {}
    for diagnostic in diagnostics:
        if diagnostic.is_error:
            continue
        for entry in entries:
            spans = [entry.span, *(label.span for label in entry.context)]
            if any(_inside(diagnostic.span, span) for span in spans):
                out.setdefault(entry.index, []).append((diagnostic.code, diagnostic.message))
                break
    return out


def _envelope_path(values: Sequence[float], x0: float, px_per_ms: float, middle: float,
                   half: float) -> str:
    """A closed outline of 4-values-a-second magnitudes (0…1000), mirrored about `middle`."""
    if not values:
        return ""
    points = [(x0 + (index * 250 + 125) * px_per_ms, min(abs(v), 1000) / 1000 * half)
              for index, v in enumerate(values)]
    upper = " ".join(f"L{x:.2f},{middle - h:.2f}" for x, h in points)
    lower = " ".join(f"L{x:.2f},{middle + h:.2f}" for x, h in reversed(points))
    return f"M{points[0][0]:.2f},{middle:.2f} {upper} {lower} Z"


def _bars(tempo: TempoInfo, end_ms: int, scale: float) -> list[BarLine]:
    bar_ms = tempo.bar_ms
    count = int(end_ms / bar_ms) + 1
    every = 1
    while every * float(bar_ms) * scale < 28:  # labels at least 28 px apart
        every *= 2
    out = []
    for number in range(1, count + 1):
        ms = round((number - 1) * bar_ms)
        if ms > end_ms:
            break
        out.append(BarLine(number, ms, LEFT + ms * scale, (number - 1) % every == 0))
    return out


def _ticks(end_ms: int, scale: float) -> list[tuple[str, int, float]]:
    step = 1000
    for candidate in (1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000):
        step = candidate
        if candidate * scale >= 60:
            break
    return [(clock(ms), ms, LEFT + ms * scale) for ms in range(0, end_ms + 1, step)]


def _song_lanes(entries: Sequence[TimelineEntry], plan: ir.ResolvedPlan, scale: float,
                first_y: float, envelopes: Mapping[str, Sequence[float]]) -> list[SongLane]:
    """A lane per song a chunk uses, in order of first use; one highlighted range per
    distinct (role, range), listing every chunk that takes it."""
    lanes: dict[str, SongLane] = {}
    for entry in entries:
        if entry.song is None or entry.source_start_ms is None or entry.source_end_ms is None:
            continue
        song = plan.songs[entry.song]
        lane = lanes.get(song.name)
        if lane is None:
            y = first_y + len(lanes) * (LANE + GAP)
            sections = [Section(name, start, end, LEFT + start * scale, (end - start) * scale)
                        for name, (start, end) in song.sections.items()]
            lane = lanes[song.name] = SongLane(song.name, song.song_id, y, song.length_ms,
                                               song.length_ms or 0, 0.0, sections, [])
        role = "keep" if entry.kind == "kept" else "condition"
        start, end = entry.source_start_ms, entry.source_end_ms
        found = next((r for r in lane.ranges
                      if (r.role, r.start_ms, r.end_ms) == (role, start, end)), None)
        if found is None:
            found = SourceRange(song.name, role, start, end, LEFT + start * scale,
                                (end - start) * scale)
            lane.ranges.append(found)
        found.chunks.append(entry.index)
        if song.length_ms is None:
            lane.extent_ms = max(lane.extent_ms, end)
    for lane in lanes.values():
        lane.width = lane.extent_ms * scale
        values = list(envelopes.get(lane.name) or ())
        if lane.length_ms is not None:  # a file longer than the declared song: drawn to its end
            values = values[:-(-lane.length_ms // 250)]
        if values:
            lane.waveform = _envelope_path(values, LEFT, scale, lane.y + LANE / 2, LANE / 2 - 4)
    return list(lanes.values())


def _connector(box: ChunkBox, source: SourceRange, lane: SongLane) -> Connector:
    """A curve from the bottom of the chunk's box to the top of the range it plays."""
    x1, y1 = box.x + box.width / 2, TOP + LANE
    x2, y2 = source.x + source.width / 2, lane.y
    middle = (y1 + y2) / 2
    path = f"M{x1:.2f},{y1:.2f} C{x1:.2f},{middle:.2f} {x2:.2f},{middle:.2f} {x2:.2f},{y2:.2f}"
    return Connector(box.index, source.song, source.role, path)


def build(compilation: Compilation,
          envelopes: Mapping[str, Sequence[float]] | None = None) -> Picture:
    """The picture of a compilation without errors. `envelopes`: song name → 4 magnitudes a
    second (0…1000), the API's `waveform_visual` or one measured from local audio."""
    plan = compilation.plan
    if plan is None or not compilation.ok:
        raise ValueError("the source has errors; see .diagnostics")
    entries = timeline(plan)
    total = total_ms(entries)
    used = {entry.song for entry in entries if entry.song is not None}
    longest = max([total, *(plan.songs[name].length_ms or 0 for name in used),
                   *(entry.source_end_ms or 0 for entry in entries)])
    scale = PLOT / max(longest, 1)
    warnings = warnings_by_chunk(entries, compilation.diagnostics)
    boxes = [ChunkBox(entry.index, entry.kind, entry.start_ms, entry.end_ms, entry.label,
                      _fit(entry.label or KIND_NAMES[entry.kind], entry.duration_ms * scale),
                      LEFT + entry.start_ms * scale, entry.duration_ms * scale, _title(entry),
                      warnings.get(entry.index, []))
             for entry in entries]
    lanes = _song_lanes(entries, plan, scale, TOP + LANE + GAP, envelopes or {})
    connectors: list[Connector] = []
    for lane in lanes:
        for source in lane.ranges:
            connectors.extend(_connector(boxes[index], source, lane) for index in source.chunks)
    connectors.sort(key=lambda c: c.chunk)
    seams = []
    for before, after in itertools.pairwise(entries):
        seams.append(Seam(after.start_ms, LEFT + after.start_ms * scale,
                          "kept" in (before.kind, after.kind)))
    tempo = plan.tempo
    bars = _bars(tempo, total, scale) if tempo is not None else []
    tempo_text = None if tempo is None else \
        f"{float(tempo.bpm):g} bpm, {tempo.beats_per_bar} beats a bar"
    height = TOP + LANE + len(lanes) * (GAP + LANE) + 40
    return Picture(compilation.file, total, clock(total), scale, WIDTH, height, boxes,
                   lanes, connectors, bars, [] if bars else _ticks(total, scale), seams,
                   tempo_text, list(compilation.notes))


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.PackageLoader("musicplan.preview"),
                              autoescape=True, trim_blocks=True, lstrip_blocks=True,
                              undefined=jinja2.StrictUndefined)


def _context(picture: Picture) -> dict[str, Any]:
    return {"p": picture, "kind_names": KIND_NAMES}


def svg(picture: Picture) -> str:
    """The picture as a standalone SVG document (light and dark by the viewer's theme)."""
    return _environment().get_template("timeline.svg.j2").render(_context(picture))


def html(picture: Picture, audio_wav: bytes | None = None) -> str:
    """One self-contained page: the SVG inline, a legend, the chunk list, and the audio
    sketch as a data: URL when given. A content security policy keeps every request in."""
    audio = None if audio_wav is None else \
        "data:audio/wav;base64," + base64.b64encode(audio_wav).decode("ascii")
    return _environment().get_template("timeline.html.j2").render(
        _context(picture), svg=svg(picture), audio=audio)


def live_svg(compilation: Compilation, registry: Path | None) -> str | None:
    """The SVG for an editor's live view: None while the source has errors (the editor keeps
    its last good picture); the registry's recorded waveforms drawn, no audio decoded."""
    if compilation.plan is None or not compilation.ok:
        return None
    from .stored import stored

    envelopes = stored(compilation.plan, registry).waveforms if registry is not None else {}
    return svg(build(compilation, envelopes))
