"""`mpl upload AUDIO --as NAME`: store an audio file for inpainting and record it."""

from __future__ import annotations

import datetime
import sys
from pathlib import Path

import click

from ..api.client import UPLOAD_MODELS, Client, UploadResult
from ..api.session import ApiError
from ..diagnostics import warning
from ..units import clock
from .api_common import (
    TEXT,
    check_name,
    check_registry,
    connection_options,
    fail,
    logger,
    record,
    stoppable,
)
from .common import EXIT_ERRORS, EXIT_OK, complete_file, regular_file


def _unknown_length(audio: Path, result: UploadResult) -> None:
    """W0208: the song is recorded without a length, so ranges into it go unchecked."""
    why = ("the server returned no plan" if result.plan is None
           else "the plan the server returned has ranges MPL cannot use")
    TEXT.problem(warning("W0208", f"{why} for {audio.name}: its length and sections are "
                         "unknown, so ranges into it cannot be checked",
                         hint="add length=… to its declaration by hand"))


@click.command("upload")
@click.argument("audio", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                callback=regular_file)
@click.option("--as", "as_name", metavar="NAME", help="Registry name (default: AUDIO's stem).")
@click.option("--registry", metavar="PATH", shell_complete=complete_file,
              help="Registry file (default: ./songs.mpl).")
@click.option("--no-plan", is_flag=True, help="Do not ask the server to extract the plan.")
@click.option("--model", type=click.Choice(UPLOAD_MODELS), default=UPLOAD_MODELS[0],
              show_default=True, help="The model of the extracted plan.")
@click.option("--no-song-data", "no_song_data", is_flag=True,
              help="Do not ask for word timestamps and the waveform.")
@connection_options
def upload_command(audio: Path, as_name: str | None, registry: str | None, no_plan: bool,
                   model: str, no_song_data: bool, base_url: str | None, retries: int,
                   timeout: tuple[float, float], verbose: bool, quiet: bool) -> None:
    """Upload AUDIO (POST /v1/music/upload) so plans can keep and regenerate parts of it.

    The server's song id, and the length and sections of the plan it extracts, are recorded
    in songs.mpl; its word timestamps and waveform in the data file songs.mpl names.
    Billed like a generation; enterprise accounts only. Needs ELEVENLABS_API_KEY.
    """
    from ..api.registry import SongEntry, identifier

    name = check_name(as_name) if as_name else identifier(audio.stem)
    path = Path(registry) if registry else Path.cwd() / "songs.mpl"
    try:
        check_registry(path, name)
        client = Client(base_url=base_url, retries=retries, timeout=timeout,
                        log=logger(verbose))
        with stoppable(f"nothing was recorded in {path}; the server may still store and bill "
                       "the upload"):
            result = client.upload(audio, extract_plan=not no_plan, model=model,
                                   song_data=not no_song_data)
    except ApiError as exc:
        fail(exc)
    click.echo(f"song id {result.song_id}")
    if result.length_ms is not None:
        click.echo(f"length {clock(result.length_ms)}, {len(result.sections)} sections")
    elif not no_plan:
        _unknown_length(audio, result)
    entry = SongEntry(name=name, song_id=result.song_id, length_ms=result.length_ms,
                      sections=result.sections, data=result.data)
    comment = f"# uploaded from {audio.name} on {datetime.date.today().isoformat()}"
    sys.exit(EXIT_OK if record(path, entry, comment) else EXIT_ERRORS)
