"""`mpl compile` and `mpl check`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..files import write_atomically
from ..pipeline import Compilation, compile_text
from .common import (
    EXIT_ERRORS,
    EXIT_OK,
    complete_file,
    dump_json,
    format_option,
    output_paths,
    print_diagnostics,
    read_source,
    strict_option,
)
from .outputs import force_option, refuse_existing

files_argument = click.argument("files", nargs=-1, required=True, metavar="FILE...",
                                shell_complete=complete_file)


def _compile_all(files: tuple[str, ...], strict: bool) -> list[Compilation]:
    results = []
    for name in files:
        display, text = read_source(name)
        base = Path(name).parent if name != "-" else Path.cwd()
        results.append(compile_text(text, display, strict=strict, base_dir=base))
    return results


def _report(results: list[Compilation], output_format: str, *, json_to_stderr: bool) -> bool:
    sources: dict[str, str] = {}
    for result in results:
        sources.update(result.sources)
    diagnostics = [d for r in results for d in r.diagnostics]
    if diagnostics or (output_format == "json" and not json_to_stderr):
        print_diagnostics(diagnostics, sources, output_format, json_to_stderr=json_to_stderr)
    return all(result.ok for result in results)


@click.command("compile")
@files_argument
@click.option("-o", "--output", metavar="OUT", shell_complete=complete_file,
              help="Write here (a folder for several FILEs).")
@click.option("--request", is_flag=True,
              help="Emit the whole request body (model_id, composition_plan, plan options).")
@force_option
@format_option
@strict_option
def compile_command(files: tuple[str, ...], output: str | None, request: bool, force: bool,
                    output_format: str, strict: bool) -> None:
    """Compile FILE... (or - for stdin) to music_v2 composition plans.

    Prints the plan as indented JSON, or writes it to OUT. Nothing is written when any
    file has errors. An existing OUT is replaced only with --force. With --format json,
    diagnostics go to stderr as a JSON array.
    """
    targets = output_paths(files, output, ".json")
    refuse_existing(targets, force, output_format)
    results = _compile_all(files, strict)
    ok = _report(results, output_format, json_to_stderr=True)
    if not ok:
        sys.exit(EXIT_ERRORS)
    for result, target in zip(results, targets, strict=True):
        data = result.request_json() if request else result.plan_json()
        text = dump_json(data)
        if target is None:
            click.echo(text, nl=False)
        else:
            write_atomically(target, text)
    sys.exit(EXIT_OK)


@click.command("check")
@files_argument
@format_option
@strict_option
def check_command(files: tuple[str, ...], output_format: str, strict: bool) -> None:
    """Check FILE... and report every problem; writes nothing."""
    results = _compile_all(files, strict)
    ok = _report(results, output_format, json_to_stderr=False)
    sys.exit(EXIT_OK if ok else EXIT_ERRORS)
