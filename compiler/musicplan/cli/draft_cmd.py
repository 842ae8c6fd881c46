"""`mpl draft "PROMPT" [--length 2:00] [--from FILE.mpl [--diff]] [-o OUT.mpl]`: a plan
drafted by the server (or FILE's plan revised by it), as MPL."""

from __future__ import annotations

import difflib
import json
import sys
from pathlib import Path

import click

from ..api.client import Client
from ..api.session import ApiError
from ..files import write_atomically
from ..limits import (  # music_length_ms (music-v2.md, plan drafting)
    MAX_PROMPT_LENGTH_MS as MAX_LENGTH_MS,
)
from ..limits import (
    MIN_PROMPT_LENGTH_MS as MIN_LENGTH_MS,
)
from ..pipeline import Compilation, compile_text
from ..units import clock
from .api_common import connection_options, fail, logger, output_file, stoppable
from .common import EXIT_ERRORS, EXIT_OK, complete_file, print_diagnostics, read_source
from .outputs import force_option, refuse_existing


def _length(_ctx: click.Context, _param: click.Parameter, value: str | None) -> int | None:
    """A length as MPL writes it (2:00, 90s, 1:30.5), read by MPL's own parser."""
    if value is None:
        return None
    from ..resolve.musical_time import TimeError, duration_ms
    from ..syntax.nodes import SongDecl
    from ..syntax.parse import parse

    parsed = parse(f'song _ = "" length={value}', "--length")
    decl = parsed.program.statements[0] if parsed.program.statements else None
    if parsed.diagnostics or not isinstance(decl, SongDecl) or decl.length is None:
        raise click.BadParameter(f"`{value}` is not a length (write 2:00, 90s or 1:30.5)")
    try:
        length = duration_ms(decl.length, None)
    except TimeError as exc:
        raise click.BadParameter(str(exc)) from None
    if not MIN_LENGTH_MS <= length <= MAX_LENGTH_MS:
        raise click.BadParameter(f"`{value}` is {clock(length)}; a drafted song is 0:03 to "
                                 "10:00 long (music_length_ms 3000–600000); nothing was sent")
    return length


def _source(file: str) -> Compilation:
    """FILE compiled; its errors printed and exit 1 (nothing sent) if it has any."""
    display, text = read_source(file)
    compilation = compile_text(text, display, base_dir=Path(file).parent)
    print_diagnostics(compilation.diagnostics, compilation.sources, "text")
    if not compilation.ok:
        click.echo("nothing was sent", err=True)
        sys.exit(EXIT_ERRORS)
    return compilation


def _diff(before: str, after: str, file: str, target: str) -> str:
    return "".join(difflib.unified_diff(before.splitlines(keepends=True),
                                        after.splitlines(keepends=True), file, target))


@click.command("draft")
@click.argument("prompt")
@click.option("--length", callback=_length, metavar="TIME",
              help="Song length, 0:03 to 10:00 (2:00, 90s).")
@click.option("--from", "from_file", metavar="FILE.mpl", shell_complete=complete_file,
              help="Revise FILE's plan (sent as source_composition_plan), keeping its names.")
@click.option("--diff", "show_diff", is_flag=True,
              help="With --from: print a unified diff against FILE instead of the text.")
@click.option("-o", "--output", metavar="FILE.mpl", shell_complete=complete_file,
              help="Write the MPL here, not to stdout.")
@force_option
@connection_options
def draft_command(prompt: str, length: int | None, from_file: str | None, show_diff: bool,
                  output: str | None, force: bool, base_url: str | None, retries: int,
                  timeout: tuple[float, float], verbose: bool, quiet: bool) -> None:
    """Draft a plan from PROMPT (POST /v1/music/plan; free, rate-limited) and print it as MPL.

    The MPL compiles back to exactly the plan the server returned. With --from FILE.mpl
    the server revises FILE's plan, and the MPL keeps FILE's song names. Needs
    ELEVENLABS_API_KEY.
    """
    if show_diff and from_file is None:
        raise click.UsageError("--diff compares with the file given by --from")
    target = output_file(output) if output is not None else None
    refuse_existing([target], force)
    source = _source(from_file) if from_file is not None else None
    try:
        client = Client(base_url=base_url, retries=retries, timeout=timeout,
                        log=logger(verbose))
        with stoppable("nothing was written"):
            result = client.draft(prompt, length, source=source)
    except ApiError as exc:
        fail(exc)
    if result.mpl_text is None:
        print_diagnostics(result.diagnostics, {"<draft>": json.dumps(result.plan, indent=2)},
                          "text")
        click.echo("the drafted plan could not be decompiled; its JSON follows", err=True)
        click.echo(json.dumps(result.plan, indent=2, ensure_ascii=False))
        sys.exit(EXIT_ERRORS)
    if target is not None:
        write_atomically(target, result.mpl_text)
        click.echo(f"wrote {target}", err=True)
    if show_diff and source is not None and from_file is not None:
        click.echo(_diff(source.sources[source.file], result.mpl_text, from_file,
                         str(target or "draft")), nl=False)
    elif target is None:
        click.echo(result.mpl_text, nl=False)
    sys.exit(EXIT_OK)
