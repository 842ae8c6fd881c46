"""`mpl decompile`: a JSON plan, request body or detailed response → readable MPL."""

from __future__ import annotations

import sys

import click

from ..decompile.lift import decompile_text
from ..files import write_atomically
from .common import (
    EXIT_ERRORS,
    EXIT_OK,
    complete_file,
    format_option,
    print_diagnostics,
    read_source,
)
from .outputs import force_option, refuse_existing, writable_output


@click.command("decompile")
@click.argument("file", metavar="FILE.json", shell_complete=complete_file)
@click.option("-o", "--output", metavar="OUT.mpl", shell_complete=complete_file,
              help="Write the MPL here instead of stdout.")
@force_option
@format_option
def decompile_command(file: str, output: str | None, force: bool, output_format: str) -> None:
    """Turn FILE.json (or - for stdin) into MPL source.

    FILE.json may hold a music_v2 plan {"chunks": [...]}, a whole request body (its options
    become a `plan` header) or a detailed response (its composition_plan). Anything else is
    reported with the line:col of the offending key. `mpl compile` of the result gives back
    the same JSON. An existing OUT.mpl is replaced only with --force.
    """
    target = writable_output(output, file) if output is not None else None
    refuse_existing([target], force, output_format)
    display, text = read_source(file)
    mpl, diagnostics = decompile_text(text, display)
    if diagnostics:
        print_diagnostics(diagnostics, {display: text}, output_format, json_to_stderr=True)
    if mpl is None:
        sys.exit(EXIT_ERRORS)
    if output is None:
        click.echo(mpl, nl=False)
    else:
        assert target is not None
        write_atomically(target, mpl)
    sys.exit(EXIT_OK)
