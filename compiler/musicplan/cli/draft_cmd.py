"""`mpl draft "PROMPT" [--length 2:00] [-o FILE.mpl]`: a plan drafted by the server, as MPL."""

from __future__ import annotations

import json
import sys

import click

from ..api.client import Client
from ..api.session import ApiError
from ..files import write_atomically
from .api_common import connection_options, fail, logger, output_file, stoppable
from .common import EXIT_ERRORS, EXIT_OK, complete_file, print_diagnostics
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
        return duration_ms(decl.length, None)
    except TimeError as exc:
        raise click.BadParameter(str(exc)) from None


@click.command("draft")
@click.argument("prompt")
@click.option("--length", callback=_length, metavar="TIME", help="Song length (2:00, 90s).")
@click.option("-o", "--output", metavar="FILE.mpl", shell_complete=complete_file,
              help="Write the MPL here, not to stdout.")
@force_option
@connection_options
def draft_command(prompt: str, length: int | None, output: str | None, force: bool,
                  base_url: str | None, retries: int, timeout: tuple[float, float],
                  verbose: bool, quiet: bool) -> None:
    """Draft a plan from PROMPT (POST /v1/music/plan; free, rate-limited) and print it as MPL.

    The MPL compiles back to exactly the plan the server returned. Needs ELEVENLABS_API_KEY.
    """
    target = output_file(output) if output is not None else None
    refuse_existing([target], force)
    try:
        client = Client(base_url=base_url, retries=retries, timeout=timeout,
                        log=logger(verbose))
        with stoppable("nothing was written"):
            result = client.draft(prompt, length)
    except ApiError as exc:
        fail(exc)
    if result.mpl_text is None:
        print_diagnostics(result.diagnostics, {"<draft>": json.dumps(result.plan, indent=2)},
                          "text")
        click.echo("the drafted plan could not be decompiled; its JSON follows", err=True)
        click.echo(json.dumps(result.plan, indent=2, ensure_ascii=False))
        sys.exit(EXIT_ERRORS)
    if target is None:
        click.echo(result.mpl_text, nl=False)
    else:
        write_atomically(target, result.mpl_text)
        click.echo(f"wrote {target}", err=True)
    sys.exit(EXIT_OK)
