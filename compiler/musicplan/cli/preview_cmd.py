"""`mpl preview FILE`: an audio sketch of the finished song, free and offline."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..pipeline import compile_text
from .common import EXIT_ERRORS, EXIT_OK, complete_file, print_diagnostics, read_source
from .outputs import force_option, pcm_rate_option, refuse_existing, writable_output


@click.command("preview")
@click.argument("file", metavar="FILE", shell_complete=complete_file)
@click.option("-o", "--output", "output", metavar="OUT.wav", default=None,
              help="Where the WAV goes (default: FILE with .preview.wav).")
@force_option
@click.option("--audio", "audio", metavar="NAME=PATH", multiple=True,
              help="The local audio of song NAME (mp3, flac, ogg, wav, or the API's raw "
              "pcm_* answer as .pcm). Repeatable.")
@pcm_rate_option
@click.option("--registry", metavar="PATH", default=None,
              help="The registry whose recorded audio files to use for songs --audio does "
              "not name (default: songs.mpl beside FILE).")
def preview_command(file: str, output: str | None, force: bool, audio: tuple[str, ...],
                    pcm_rate: int, registry: str | None) -> None:
    """Write an audio sketch of FILE's finished song, to hear where the cuts fall.

    Each kept slice is cut, sample for sample, from the local audio of its song: the file
    given with --audio NAME=PATH, else the one `mpl render`/`mpl upload` recorded in the
    registry. Each generation chunk is a placeholder of its exact length: a click
    on every beat (accented on each bar) when the plan has a tempo, quiet noise otherwise.
    A kept slice whose song has no local audio is a gated low tone (warning W0801). The
    WAV is at the first kept song's sample rate (48 kHz when none), and its length is the
    plan's total. Nothing is sent to the API.
    """
    from ..preview import sketch
    from ..preview.stored import stored

    if output is None and file == "-":
        raise click.UsageError("reading stdin, give -o OUT.wav")
    target = writable_output(output or str(Path(file).with_suffix(".preview.wav")), file)
    refuse_existing([target], force)
    display, text = read_source(file)
    base = Path(file).parent if file != "-" else Path.cwd()
    result = compile_text(text, display, base_dir=base)
    if result.diagnostics:
        print_diagnostics(result.diagnostics, result.sources, "text")
    if not result.ok or result.plan is None:
        sys.exit(EXIT_ERRORS)
    known = stored(result.plan, Path(registry) if registry else base / "songs.mpl")
    try:
        made = sketch.build(result, sketch.parse_audio_options(audio), stored=known.audio,
                            pcm_rate=pcm_rate)
    except sketch.PreviewProblem as exc:
        print_diagnostics([exc.problem], result.sources, "text")
        sys.exit(exc.exit_code)
    if made.diagnostics or made.problems:
        print_diagnostics([*made.diagnostics, *made.problems], result.sources, "text")
    sketch.write_wav(target, made.audio)
    seconds = len(made.audio.samples) / made.audio.channels / made.audio.rate
    click.echo(f"wrote {target} ({seconds:.3f} s, {made.audio.rate} Hz, "
               f"{made.audio.channels} channel{'s' if made.audio.channels > 1 else ''})",
               err=True)
    sys.exit(EXIT_OK)
