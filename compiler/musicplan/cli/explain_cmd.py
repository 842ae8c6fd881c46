"""`mpl explain FILE`: the finished song's timeline, chunk by chunk, before paying for it."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from ..diagnostics.terminal_text import cells, escaped, pad
from ..files import write_atomically
from ..pipeline import Compilation, compile_text
from ..resolve.ir import TempoInfo
from ..resolve.musical_time import bar_beat
from ..syntax.spans import Span
from ..timeline import TimelineEntry, timeline, total_ms
from ..units import clock
from .common import (
    EXIT_ERRORS,
    EXIT_OK,
    complete_file,
    dump_json,
    print_diagnostics,
    read_source,
)
from .outputs import force_option, pcm_rate_option, refuse_existing, writable_output

HEADERS = ("chunk", "time", "kind", "source", "label", "line")
COLOURS = {"kept": "blue", "new": "green", "conditioned": "magenta"}


def _where(span: Span) -> str:
    return f"{span.file}:{span.line}"


def _line(entry: TimelineEntry) -> str:
    """The statement's line; through templates, the outermost call site first."""
    if not entry.context:
        return _where(entry.span)
    return f"{_where(entry.context[-1].span)} → {_where(entry.span)}"


def _source(entry: TimelineEntry) -> str:
    if entry.song is None or entry.source_start_ms is None or entry.source_end_ms is None:
        return ""
    return f"{entry.song} {clock(entry.source_start_ms)}–{clock(entry.source_end_ms)}"


def _kind(entry: TimelineEntry) -> str:
    return "new, conditioned" if entry.kind == "conditioned" else entry.kind


def _bar(ms: int, tempo: TempoInfo) -> str:
    """`9.3` on a beat, else the nearest beat marked `~9.3`."""
    text, on_beat = bar_beat(ms, tempo)
    return text if on_beat else f"~{text}"


def _bar_or_none(ms: int, tempo: TempoInfo | None) -> str | None:
    if tempo is None:
        return None
    text, on_beat = bar_beat(ms, tempo)
    return text if on_beat else None


def rows(entries: list[TimelineEntry],
         tempo: TempoInfo | None = None) -> list[tuple[str, ...]]:
    """The table's cells, one tuple per chunk; with a tempo, bars after the times."""
    out = []
    for entry in entries:
        row = [str(entry.index + 1), f"{clock(entry.start_ms)}–{clock(entry.end_ms)}",
               _kind(entry), escaped(_source(entry)), escaped(entry.label), escaped(_line(entry))]
        if tempo is not None:
            row.insert(2, f"{_bar(entry.start_ms, tempo)}–{_bar(entry.end_ms, tempo)}")
        out.append(tuple(row))
    return out


def render_table(entries: list[TimelineEntry], notes: list[str], *, colour: bool,
                 tempo: TempoInfo | None = None) -> str:
    """Aligned columns, the total at the bottom; colour only for the kind column. With a
    tempo, a bars column shows where each chunk starts and ends as bar.beat."""
    headers = HEADERS if tempo is None else (*HEADERS[:2], "bars", *HEADERS[2:])
    kind = headers.index("kind")
    table = [headers, *rows(entries, tempo)]
    widths = [max(cells(row[i]) for row in table) for i in range(len(headers))]
    lines = []
    for number, row in enumerate(table):
        padded = [pad(cell, widths[i], right=i == 0) for i, cell in enumerate(row)]
        if colour and number == 0:
            padded = [click.style(cell, bold=True) for cell in padded]
        elif colour:
            padded[kind] = click.style(padded[kind], fg=COLOURS[entries[number - 1].kind])
        lines.append("  ".join(padded).rstrip())
    total = "total".rjust(widths[0])
    lines.append(f"{click.style(total, bold=True) if colour else total}  "
                 f"{clock(total_ms(entries))}")
    lines.extend(f"note: {escaped(note)}" for note in notes)
    return "\n".join(lines) + "\n"


def to_json(entries: list[TimelineEntry], notes: list[str],
            tempo: TempoInfo | None = None) -> dict[str, Any]:
    """The timeline for tools; `start_bar`/`end_bar` are `bar.beat` for an end on a beat of
    `tempo`, else null."""
    out = []
    for entry in entries:
        item: dict[str, Any] = {
            "index": entry.index, "start_ms": entry.start_ms, "end_ms": entry.end_ms,
            "start": clock(entry.start_ms), "end": clock(entry.end_ms),
            "start_bar": _bar_or_none(entry.start_ms, tempo),
            "end_bar": _bar_or_none(entry.end_ms, tempo),
            "kind": entry.kind, "label": entry.label, "song": entry.song,
            "range": None if entry.source_start_ms is None else
            {"start_ms": entry.source_start_ms, "end_ms": entry.source_end_ms},
            "file": entry.span.file, "line": entry.span.line,
            "call_sites": [{"file": label.span.file, "line": label.span.line}
                           for label in entry.context]}
        out.append(item)
    total = total_ms(entries)
    return {"chunks": out, "total_ms": total, "total": clock(total), "notes": notes}


def _use_colour() -> bool:
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


@click.command("explain")
@click.argument("file", metavar="FILE", shell_complete=complete_file)
@click.option("--format", "output_format",
              type=click.Choice(["text", "json", "svg", "html"]), default="text",
              show_default=True, help="A table for people, JSON for tools, or the timeline "
              "as a picture: an SVG, or one self-contained HTML page.")
@click.option("-o", "--output", "output", metavar="OUT", default=None,
              help="Write to OUT instead of stdout (whole or not at all).")
@force_option
@click.option("--audio", "audio", metavar="NAME=PATH", multiple=True,
              help="svg/html: the local audio of song NAME, drawn as its lane's waveform; "
              "html also embeds the audio sketch (as `mpl preview`). Repeatable.")
@click.option("--registry", metavar="PATH", default=None,
              help="svg/html: the registry whose recorded audio and waveforms to use "
              "(default: songs.mpl beside FILE).")
@pcm_rate_option
def explain_command(file: str, output_format: str, output: str | None, force: bool,
                    audio: tuple[str, ...], registry: str | None, pcm_rate: int) -> None:
    """Show FILE's finished song: where each chunk lands, what it is, where it comes from.

    Columns: chunk number (from 1: chunks[0] in the JSON is chunk 1), start–end in the
    finished song, kind (kept / new / new, conditioned), the source song and range, the
    label, and the source line (through a template: the call site → the template line).
    The total length is at the bottom. With a tempo, a bars column shows each chunk's
    start and end as bar.beat.

    --format svg|html draws it: the finished song as a lane of chunk boxes, a lane per source
    song under it at the same scale with its sections and the ranges kept or conditioned on,
    connectors, the bar grid, seams and warnings (docs/preview.md).
    """
    target = None
    if output is not None:
        target = writable_output(output, file)
        refuse_existing([target], force)
    display, text = read_source(file)
    base = Path(file).parent if file != "-" else Path.cwd()
    result: Compilation = compile_text(text, display, base_dir=base)
    if result.diagnostics:
        print_diagnostics(result.diagnostics, result.sources, "text")
    if not result.ok or result.plan is None:
        sys.exit(EXIT_ERRORS)
    entries = timeline(result.plan)
    colour = output is None and _use_colour()
    if output_format == "json":
        out = dump_json(to_json(entries, result.notes, result.plan.tempo))
    elif output_format in ("svg", "html"):
        out = _picture(result, output_format, audio, _registry(file, registry), pcm_rate)
    else:
        out = render_table(entries, result.notes, colour=colour, tempo=result.plan.tempo)
    if output is None:
        click.echo(out, nl=False, color=colour)
    else:
        assert target is not None
        write_atomically(target, out)
    sys.exit(EXIT_OK)


def _registry(file: str, registry: str | None) -> Path:
    if registry:
        return Path(registry)
    return (Path(file).parent if file != "-" else Path.cwd()) / "songs.mpl"


def _picture(result: Compilation, output_format: str, audio: tuple[str, ...],
             registry: Path, pcm_rate: int) -> str:
    """The SVG or HTML page; with local audio (`--audio`, or the file the registry recorded)
    or the registry's waveform, waveforms, and in HTML the sketch. A problem with the audio
    is reported and exits before anything is written."""
    from ..preview import picture, sketch
    from ..preview.stored import stored

    assert result.plan is not None
    known = stored(result.plan, registry)
    envelopes: dict[str, list[float]] = dict(known.waveforms)
    wav: bytes | None = None
    try:
        sources = sketch.parse_audio_options(audio)
        sketch.check_names(result, sources)
        for name, path in {**known.audio, **sources}.items():
            if name in result.plan.songs and (name in sources or name not in envelopes):
                envelopes[name] = sketch.envelope(sketch.decode(path, pcm_rate=pcm_rate))
        if output_format == "html" and (sources or known.audio):
            made = sketch.build(result, sources, stored=known.audio, pcm_rate=pcm_rate)
            if made.diagnostics or made.problems:
                print_diagnostics([*made.diagnostics, *made.problems], result.sources, "text")
            wav = sketch.wav_bytes(made.audio)
    except sketch.PreviewProblem as exc:
        print_diagnostics([exc.problem], result.sources, "text")
        sys.exit(exc.exit_code)
    drawn = picture.build(result, envelopes)
    return picture.svg(drawn) if output_format == "svg" else picture.html(drawn, wav)
