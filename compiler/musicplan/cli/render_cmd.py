"""`mpl render FILE [-o OUT]`: compile, send, stream the audio to OUT, record a stored song."""

from __future__ import annotations

import datetime
import sys
from pathlib import Path
from typing import Any

import click

from ..api import Client, PreparedRender, prepare_render, settings_from
from ..audio_out import check_outputs, extension, output_paths
from ..client import DEFAULT_BASE_URL, ApiError, Settings
from ..errors_map import Problem
from ..options import OUTPUT_FORMATS
from ..pipeline import Compilation, compile_text
from ..timeline import format_clock as clock
from .api_common import (
    ProgressDisplay,
    check_name,
    check_registry,
    connection_options,
    default_registry,
    fail,
    logger,
    output_file,
    record,
    registry_problem,
)
from .common import EXIT_ERRORS, EXIT_OK, print_diagnostics, read_source


def _compile(file: str) -> Compilation:
    display, text = read_source(file)
    base = Path(file).parent if file != "-" else Path.cwd()
    compilation = compile_text(text, display, base_dir=base)
    if compilation.diagnostics:
        print_diagnostics(compilation.diagnostics, compilation.sources, "text")
    if not compilation.ok:
        click.echo("nothing was sent", err=True)
        sys.exit(EXIT_ERRORS)
    return compilation


def _output(file: str, out: str | None, prepared: PreparedRender) -> Path:
    if out is not None:
        return output_file(out)
    if file == "-":
        raise click.UsageError("reading stdin needs -o OUT")
    fmt = prepared.request.params.get("output_format")
    return Path(file).with_suffix(extension(fmt))


def _dry_run(prepared: PreparedRender, out: Path, base_url: str | None,
             registry: tuple[Path, str] | None, detailed: bool, force: bool) -> None:
    import os

    url = base_url or os.environ.get("ELEVENLABS_BASE_URL") or DEFAULT_BASE_URL
    click.echo(prepared.request.describe(Settings(api_key="", base_url=url)))
    try:
        written = " and ".join(str(path) for path in output_paths(out, detailed))
    except ApiError:
        written = str(out)
    click.echo(f"\n(dry run: nothing sent; would write {written}"
               + (f" and record `{registry[1]}` in {registry[0]}" if registry else "") + ")")
    for problem in _dry_run_problems(out, base_url, registry, detailed, force):
        click.echo(f"a real run would stop before sending:\n{problem.render()}")


def _dry_run_problems(out: Path, base_url: str | None, registry: tuple[Path, str] | None,
                      detailed: bool, force: bool) -> list[Problem]:
    """What would stop a real run before sending: OUT, the key, the registry."""
    problems = []
    for check in (lambda: check_outputs(out, detailed, force),
                  lambda: settings_from(None, base_url, 1, (1.0, 1.0))):
        try:
            check()
        except ApiError as exc:
            problems.append(Problem(exc.code, exc.message, exc.hint))
    problem = registry_problem(*registry) if registry else None
    return problems + ([problem] if problem is not None else [])


def _store_target(file: str, as_name: str | None, registry: str | None,
                  prepared: PreparedRender) -> tuple[Path, str] | None:
    if not prepared.stores:
        if as_name:
            click.echo("mpl: warning: --as has no effect: the song is not stored "
                       "(add --store or `store` to the plan header)", err=True)
        return None
    from ..registry import identifier

    source = Path(file) if file != "-" else None
    name = check_name(as_name) if as_name else identifier(source.stem if source else "song")
    return default_registry(source, registry), name


@click.command("render")
@click.argument("file", metavar="FILE")
@click.option("-o", "--output", "out", metavar="OUT",
              help="Audio file to write (default: FILE's stem + the format's extension).")
@click.option("--force", is_flag=True, help="Replace OUT if it exists.")
@click.option("--detailed", is_flag=True,
              help="Use /v1/music/detailed: also write the JSON part to OUT.json.")
@click.option("--stream", is_flag=True, help="Use /v1/music/stream.")
@click.option("--dry-run", is_flag=True, help="Print the request (key as ***) and send nothing.")
@click.option("--seed", type=click.IntRange(0, 2**32 - 1), help="Override the plan's seed.")
@click.option("--format", "output_format", type=click.Choice(OUTPUT_FORMATS), metavar="FORMAT",
              help="Override the plan's output format (e.g. mp3_48000_192, pcm_44100).")
@click.option("--store/--no-store", default=None, help="Store the song for inpainting.")
@click.option("--as", "as_name", metavar="NAME", help="Registry name for the stored song.")
@click.option("--registry", metavar="PATH", help="Registry file (default: songs.mpl beside FILE).")
@connection_options
def render_command(file: str, out: str | None, force: bool, detailed: bool, stream: bool,
                   dry_run: bool, seed: int | None, output_format: str | None,
                   store: bool | None, as_name: str | None, registry: str | None,
                   base_url: str | None, retries: int, timeout: tuple[float, float],
                   verbose: bool, quiet: bool) -> None:
    """Render FILE through the ElevenLabs API (POST /v1/music) to an audio file.

    Nothing is sent if FILE has errors. OUT is never overwritten without --force and is
    written whole or not at all. A stored song (--store, or `store` in the plan header) is
    recorded in songs.mpl with its sections. Needs ELEVENLABS_API_KEY.
    """
    if detailed and stream:
        raise click.UsageError("--detailed and --stream are different endpoints; pick one")
    compilation = _compile(file)
    overrides: dict[str, Any] = {"seed": seed, "output_format": output_format,
                                 "store_for_inpainting": store}
    prepared = prepare_render(compilation, overrides=overrides,
                              endpoint="detailed" if detailed else "stream" if stream else "music")
    target = _output(file, out, prepared)
    store_at = _store_target(file, as_name, registry, prepared)
    if dry_run:
        _dry_run(prepared, target, base_url, store_at, detailed, force)
        sys.exit(EXIT_OK)
    try:
        check_outputs(target, detailed, force)
        if store_at is not None:
            check_registry(*store_at)
        client = Client(base_url=base_url, retries=retries, timeout=timeout,
                        log=logger(verbose))
        progress = ProgressDisplay(quiet)
        try:
            result = client.send_render(prepared, target, force=force, progress=progress)
        finally:
            progress.done()
    except ApiError as exc:
        fail(exc, compilation.sources)
    wrote = f"wrote {target}" + (f" and {result.json_path}" if result.json_path else "")
    click.echo(f"{wrote}: {clock(result.length_ms)}")
    if result.song_id:
        click.echo(f"song id {result.song_id}")
    if store_at is None:
        sys.exit(EXIT_OK)
    if not result.song_id:
        click.echo("warning[W0701]: the song was stored but the server sent no song-id; "
                   "nothing was recorded", err=True)
        sys.exit(EXIT_OK)
    from ..registry import SongEntry, sections_from_plan

    assert compilation.plan is not None
    entry = SongEntry(name=store_at[1], song_id=result.song_id, length_ms=result.length_ms,
                      sections=sections_from_plan(compilation.plan))
    comment = f"# rendered from {Path(file).name} on {datetime.date.today().isoformat()}"
    sys.exit(EXIT_OK if record(store_at[0], entry, comment) else EXIT_ERRORS)
