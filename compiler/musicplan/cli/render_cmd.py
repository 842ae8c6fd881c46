"""`mpl render FILE [-o OUT]`: compile, send, stream the audio to OUT, record a stored song."""

from __future__ import annotations

import datetime
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from ..api.audio import check_outputs, extension, output_paths
from ..api.client import Client, PreparedRender, prepare_render, settings_from
from ..api.errors import as_diagnostic
from ..api.session import DEFAULT_BASE_URL, ApiError, Settings
from ..diagnostics import Diagnostic, warning
from ..pipeline import Compilation, compile_text
from ..resolve.header import OUTPUT_FORMATS
from ..units import clock
from .api_common import (
    MISUSE,
    ProgressDisplay,
    Reporter,
    check_name,
    check_registry,
    connection_options,
    default_registry,
    fail,
    logger,
    output_file,
    record,
    registry_problem,
    stoppable,
)
from .common import (
    EXIT_ERRORS,
    EXIT_OK,
    EXIT_USAGE,
    complete_file,
    format_option,
    read_source,
)


def _compile(file: str, report: Reporter) -> Compilation:
    display, text = read_source(file)
    base = Path(file).parent if file != "-" else Path.cwd()
    compilation = compile_text(text, display, base_dir=base)
    report.diagnostics(compilation.diagnostics, compilation.sources)
    if not compilation.ok:
        report.note("nothing was sent")
        sys.exit(EXIT_ERRORS)
    return compilation


def _output(file: str, out: str | None, prepared: PreparedRender, report: Reporter) -> Path:
    if out is not None:
        return output_file(out, report, source=file)
    if file == "-":
        raise click.UsageError("reading stdin needs -o OUT")
    fmt = prepared.request.params.get("output_format")
    return Path(file).with_suffix(extension(fmt))


def _dry_run(prepared: PreparedRender, out: Path, base_url: str | None,
             registry: tuple[Path, str] | None, detailed: bool, force: bool,
             report: Reporter) -> int:
    """Print the request and what a real run would write; the exit code a real run would
    stop with before sending (0 if it would send), after naming every such problem."""
    import os

    url = base_url or os.environ.get("ELEVENLABS_BASE_URL") or DEFAULT_BASE_URL
    click.echo(prepared.request.describe(Settings(api_key="", base_url=url)))
    try:
        written = " and ".join(str(path) for path in output_paths(out, detailed))
    except ApiError:
        written = str(out)
    click.echo(f"\n(dry run: nothing sent; would write {written}"
               + (f" and record `{registry[1]}` in {registry[0]}" if registry else "") + ")")
    problems = _dry_run_problems(out, base_url, registry, detailed, force, report)
    if problems:
        report.note("a real run would stop before sending:")
    for problem, _ in problems:
        report.problem(problem)
    return problems[0][1] if problems else EXIT_OK


def _dry_run_problems(out: Path, base_url: str | None, registry: tuple[Path, str] | None,
                      detailed: bool, force: bool,
                      report: Reporter) -> list[tuple[Diagnostic, int]]:
    """What would stop a real run before sending, in the order it checks (OUT, the
    registry, the key), each with the exit code it would stop with."""
    problems: list[tuple[Diagnostic, int]] = []

    def attempt(check: Callable[[], object]) -> None:
        try:
            check()
        except ApiError as exc:
            problems.append((as_diagnostic(exc),
                             EXIT_USAGE if isinstance(exc, MISUSE) else EXIT_ERRORS))

    attempt(lambda: check_outputs(out, detailed, force))
    problem = registry_problem(*registry, report) if registry is not None else None
    if problem is not None:
        problems.append((problem, EXIT_ERRORS))
    attempt(lambda: settings_from(None, base_url, 1, (1.0, 1.0)))
    return problems


def _store_target(file: str, as_name: str | None, registry: str | None,
                  prepared: PreparedRender, report: Reporter) -> tuple[Path, str] | None:
    if not prepared.stores:
        if as_name:
            report.problem(warning("W0703", "--as has no effect: the song is not stored",
                                   hint="add --store, or `store` to the plan header"))
        return None
    from ..api.registry import identifier

    source = Path(file) if file != "-" else None
    name = check_name(as_name) if as_name else identifier(source.stem if source else "song")
    return default_registry(source, registry), name


@click.command("render")
@click.argument("files", metavar="FILE...", nargs=-1, required=True,
                shell_complete=complete_file)
@click.option("-o", "--output", "out", metavar="OUT", shell_complete=complete_file,
              help="Audio file to write (default: FILE's stem + the format's extension).")
@click.option("--force", is_flag=True, help="Replace OUT if it exists.")
@click.option("--detailed", is_flag=True,
              help="Use /v1/music/detailed: also write the JSON part to OUT.json.")
@click.option("--no-song-data", "no_song_data", is_flag=True,
              help="With --detailed: do not ask for word timestamps and the waveform.")
@click.option("--stream", is_flag=True, help="Use /v1/music/stream.")
@click.option("--takes", type=click.IntRange(1, 20), default=1, metavar="N",
              help="Render N takes with different seeds (recorded) to NAME.take-K.EXT.")
@click.option("--jobs", type=click.IntRange(1, 16), default=2, show_default=True,
              metavar="N", help="Requests in flight at once when rendering several.")
@click.option("--dry-run", is_flag=True,
              help="Print the request (key as ***), send nothing, and exit with the code a "
              "real run would stop with before sending.")
@click.option("--seed", type=click.IntRange(0, 2**32 - 1), help="Override the plan's seed.")
@click.option("--audio-format", type=click.Choice(OUTPUT_FORMATS), metavar="FORMAT",
              help="Override the plan's audio format (e.g. mp3_48000_192, pcm_44100).")
@click.option("--store/--no-store", default=None, help="Store the song for inpainting.")
@click.option("--as", "as_name", metavar="NAME", help="Registry name for the stored song.")
@click.option("--registry", metavar="PATH", shell_complete=complete_file,
              help="Registry file (default: songs.mpl beside FILE).")
@format_option
@connection_options
@click.pass_context
def render_command(ctx: click.Context, files: tuple[str, ...], out: str | None, force: bool,
                   detailed: bool, no_song_data: bool, stream: bool, takes: int, jobs: int,
                   dry_run: bool, seed: int | None,
                   audio_format: str | None, store: bool | None, as_name: str | None,
                   registry: str | None, output_format: str, base_url: str | None,
                   retries: int, timeout: tuple[float, float], verbose: bool,
                   quiet: bool) -> None:
    """Render FILE through the ElevenLabs API (POST /v1/music) to an audio file; several
    FILEs (at most --jobs N at once) or --takes N make a batch with a summary table.

    Nothing is sent if FILE has errors. OUT is never overwritten without --force and is
    written whole or not at all. A stored song (--store, or `store` in the plan header) is
    recorded in songs.mpl with its sections. Needs ELEVENLABS_API_KEY. --format json
    writes every diagnostic and problem as one JSON array to stderr.
    """
    if detailed and stream:
        raise click.UsageError("--detailed and --stream are different endpoints; pick one")
    report = Reporter(output_format)
    ctx.call_on_close(report.finish)
    overrides: dict[str, Any] = {"seed": seed, "output_format": audio_format,
                                 "store_for_inpainting": store}
    endpoint = "detailed" if detailed else "stream" if stream else "music"
    if len(files) > 1 or takes > 1:
        from .render_batch import Options, dry_run_table, plan_jobs, run

        if len(files) > 1 and (out is not None or as_name is not None):
            raise click.UsageError("-o and --as name one song; with several files each "
                                   "gets FILE's stem")
        if "-" in files:
            raise click.UsageError("several renders read files, not stdin")
        options = Options(endpoint, overrides, not no_song_data, takes, jobs, force,
                          as_name and check_name(as_name), registry, out)
        planned, _ = plan_jobs(files, options, report)
        if dry_run:
            sys.exit(dry_run_table(planned))
        sys.exit(run(planned, options, {"base_url": base_url, "retries": retries,
                                        "timeout": timeout, "log": logger(verbose)},
                     quiet, report))
    file = files[0]
    compilation = _compile(file, report)
    prepared = prepare_render(compilation, overrides=overrides, endpoint=endpoint,
                              song_data=not no_song_data)
    target = _output(file, out, prepared, report)
    store_at = _store_target(file, as_name, registry, prepared, report)
    if dry_run:
        sys.exit(_dry_run(prepared, target, base_url, store_at, detailed, force, report))
    try:
        check_outputs(target, detailed, force)
        if store_at is not None:
            check_registry(*store_at, report)
        client = Client(base_url=base_url, retries=retries, timeout=timeout,
                        log=logger(verbose))
        with stoppable(f"nothing was written to {target}; the server may still bill the "
                       "render"):
            progress = ProgressDisplay(quiet)
            try:
                result = client.send_render(prepared, target, force=force, progress=progress)
            finally:
                progress.done()  # ends the progress line before any message
    except ApiError as exc:
        fail(exc, compilation.sources, report)
    wrote = f"wrote {target}" + (f" and {result.json_path}" if result.json_path else "")
    click.echo(f"{wrote}: {clock(result.length_ms)}")
    if result.song_id:
        click.echo(f"song id {result.song_id}")
    if store_at is None:
        sys.exit(EXIT_OK)
    if not result.song_id:
        report.problem(warning("W0701", "the song was stored but the server sent no song-id; "
                               "nothing was recorded"))
        sys.exit(EXIT_OK)
    from ..api.registry import SongEntry, sections_from_plan

    assert compilation.plan is not None
    sent_seed = prepared.request.json_body.get("seed")
    entry = SongEntry(name=store_at[1], song_id=result.song_id, length_ms=result.length_ms,
                      sections=sections_from_plan(compilation.plan),
                      data=replace(result.song_data,
                                   seed=sent_seed if isinstance(sent_seed, int) else None))
    comment = f"# rendered from {Path(file).name} on {datetime.date.today().isoformat()}"
    with stoppable(f"{target} was written; song id {result.song_id} was not recorded in "
                   f"{store_at[0]}"):
        recorded = record(store_at[0], entry, comment, report)
    sys.exit(EXIT_OK if recorded else EXIT_ERRORS)
