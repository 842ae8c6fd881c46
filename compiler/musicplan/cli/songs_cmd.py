"""`mpl songs`: list the registry (name, id, length, waveform, first sung line, sections)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..units import clock
from .api_common import problem_exit
from .common import EXIT_ERRORS, EXIT_OK, complete_file, print_diagnostics


@click.command("songs")
@click.option("--registry", metavar="PATH", shell_complete=complete_file,
              help="Registry file (default: ./songs.mpl).")
def songs_command(registry: str | None) -> None:
    """List the songs recorded in songs.mpl: name, id, length, a one-line waveform, the
    first sung line and the sections."""
    from ..api.registry import RegistryUnusable, entries, songs
    from ..api.songdata import first_line, sparkline

    path = Path(registry) if registry else Path.cwd() / "songs.mpl"
    if not path.exists():
        click.echo(f"{path}: no registry yet (mpl render --store or mpl upload creates it)",
                   err=True)
        sys.exit(EXIT_OK)
    try:
        found, diagnostics, text = songs(path)
        recorded, notes, _ = entries(path) if not diagnostics else ([], [], text)
    except RegistryUnusable as exc:
        problem_exit("E0711", str(exc), "give --registry the path of a songs.mpl",
                     EXIT_ERRORS)
    if diagnostics:
        print_diagnostics(diagnostics, {str(path): text}, "text")
        sys.exit(EXIT_ERRORS)
    print_diagnostics(notes, {str(path): text}, "text")
    data = {entry.name: entry.data for entry in recorded}
    for song in found:
        length = clock(song.length_ms) if song.length_ms is not None else "?"
        click.echo(f"{song.name}  {song.song_id}  {length}")
        its = data.get(song.name)
        if its is not None and its.waveform:
            click.echo(f"  {sparkline(its.waveform)}")
        if its is not None and its.words:
            click.echo(f"  sings: \"{first_line(its.words)}\"")
        width = max((len(name) for name in song.sections), default=0)
        for name, (start, end) in song.sections.items():
            click.echo(f"  {name:<{width}}  {clock(start)}-{clock(end)}")
    sys.exit(EXIT_OK)
