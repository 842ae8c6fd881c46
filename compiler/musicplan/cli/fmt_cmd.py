"""`mpl fmt`: rewrite MPL files in the canonical layout (docs/roundtrip.md)."""

from __future__ import annotations

import difflib
import sys
from pathlib import Path

import click

from ..diagnostics import Diagnostic
from ..files import write_atomically
from ..printer import format_source
from .common import (
    EXIT_ERRORS,
    EXIT_OK,
    EXIT_USAGE,
    SourceProblem,
    complete_file,
    format_option,
    print_diagnostics,
    read_source,
)


def _read(name: str) -> tuple[str, str]:
    """(display name, text) as stored (line endings, byte order mark), so a CRLF file or one
    with a mark counts as changed."""
    return read_source(name, as_stored=name != "-")


def _diff(display: str, before: str, after: str) -> str:
    """A unified diff that `patch` applies, marking a last line with no newline."""
    lines = difflib.unified_diff(before.splitlines(keepends=True),
                                 after.splitlines(keepends=True),
                                 fromfile=f"{display} (original)",
                                 tofile=f"{display} (formatted)")
    return "".join(line if line.endswith("\n") else f"{line}\n\\ No newline at end of file\n"
                   for line in lines)


@click.command("fmt")
@click.argument("files", nargs=-1, required=True, metavar="FILE...", shell_complete=complete_file)
@click.option("--check", is_flag=True,
              help="Write nothing; list the files that would change and exit 1 if any would.")
@click.option("--diff", "show_diff", is_flag=True,
              help="Write nothing; print what would change as a unified diff.")
@format_option
def fmt_command(files: tuple[str, ...], check: bool, show_diff: bool,
                output_format: str) -> None:
    """Format FILE... in place (- reads stdin and writes stdout).

    Files with syntax errors are reported and left untouched (exit 1); files that cannot be
    read are reported and the others formatted all the same (exit 2). With --check or
    --diff nothing is written; --check exits 1 when a file would change.
    """
    diagnostics: list[Diagnostic] = []
    sources: dict[str, str] = {}
    failed = changed = unreadable = False
    for name in files:
        try:
            display, text = _read(name)
        except SourceProblem as exc:  # report it, and format the other files all the same
            exc.show()
            if exc.exit_code == EXIT_USAGE:
                unreadable = True
            else:
                failed = True
            continue
        except click.UsageError as exc:
            click.echo(f"mpl fmt: {exc.message}", err=True)
            unreadable = True
            continue
        sources[display] = text
        formatted, found = format_source(text, display)
        diagnostics.extend(found)
        if formatted is None:
            failed = True
            continue
        if formatted == text:
            if name == "-" and not (check or show_diff):
                click.echo(formatted, nl=False)
            continue
        changed = True
        if show_diff:
            click.echo(_diff(display, text, formatted), nl=False)
        if check:
            click.echo(display)
        elif show_diff:
            continue
        elif name == "-":
            click.echo(formatted, nl=False)
        else:
            write_atomically(Path(name), formatted)
            click.echo(f"reformatted {display}", err=True)
    if diagnostics:
        print_diagnostics(diagnostics, sources, output_format, json_to_stderr=True)
    if unreadable:
        sys.exit(EXIT_USAGE)
    sys.exit(EXIT_ERRORS if failed or (check and changed) else EXIT_OK)
