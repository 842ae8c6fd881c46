"""The one rule for files a command writes where `-o` says: an existing file is never
replaced without `--force` (E0709, exit 2, nothing written), whether it holds a render, a
compiled plan or decompiled MPL. (`mpl fmt` rewrites the files it is given: that is its job.)
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from pathlib import Path

import click

from ..diagnostics import Diagnostic, error, render, to_json
from .common import EXIT_USAGE

force_option = click.option("--force", is_flag=True,
                            help="Replace the -o file(s) if they exist.")
pcm_rate_option = click.option(
    "--pcm-rate", type=click.IntRange(8000, 192_000), default=48_000, show_default=True,
    help="The sample rate of .pcm audio files (the API's pcm_44100 answer → 44100).")


def output_problem(raw: str, source: str | None = None,
                   nothing: str = "nothing was written") -> Diagnostic | None:
    """E0713 when `-o OUT` cannot be a file to write, or is the `source` being read (which
    even --force never replaces); None when OUT will do. The one check of every `-o`."""
    from ..api.writable import file_problem

    problem = file_problem(Path(raw)) if raw else "the file name is empty"
    if problem is None and source is not None and source != "-" and \
            Path(source).resolve() == Path(raw).resolve():
        problem = f"it is the source {source} being read"
    if problem is None:
        return None
    return error("E0713", f"cannot write -o {raw!r}: {problem}",
                 hint=f"choose another -o; {nothing}")


def writable_output(raw: str, source: str | None = None) -> Path:
    """`-o OUT` for a file about to be written; E0713 (exit 2) if it cannot be one."""
    problem = output_problem(raw, source)
    if problem is not None:
        click.echo(render(problem, {}), err=True)
        sys.exit(EXIT_USAGE)
    return Path(raw)


def refuse_existing(paths: Iterable[Path | None], force: bool,
                    output_format: str = "text") -> None:
    """Exit 2 with E0709 if a file in `paths` (None: stdout) exists and `force` is not set;
    checked before anything is written, so nothing is. With `--format json` the error is a
    one-item JSON array on stderr, as the command's diagnostics would be."""
    if force:
        return
    existing = [path for path in paths if path is not None and path.exists()]
    if not existing:
        return
    names = ", ".join(str(path) for path in existing[:3]) + (
        f" and {len(existing) - 3} more" if len(existing) > 3 else "")
    verb = "exists" if len(existing) == 1 else "exist"
    problem = error("E0709", f"{names} {verb}; MPL never writes over a file without --force",
                    hint="pass --force to replace it, or -o another file; nothing was written")
    click.echo(json.dumps([to_json(problem)], indent=2) if output_format == "json"
               else render(problem, {}), err=True)
    sys.exit(EXIT_USAGE)
