"""What the commands share: reading inputs, printing diagnostics, writing outputs atomically."""

from __future__ import annotations

import json
import os
import stat
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import click

from ..diagnostics import Diagnostic, error, not_utf8, render, render_all, to_json
from ..files import (
    MAX_SOURCE_BYTES,
    NotRegularFile,
    SourceTooLarge,
    file_kind,
    read_limited,
    read_regular,
    source_text,
)
from ..syntax.spans import Span

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2

format_option = click.option(
    "--format", "output_format", type=click.Choice(["text", "json"]), default="text",
    show_default=True, help="How to print diagnostics: for people, or JSON for tools.")
strict_option = click.option("--strict", is_flag=True, help="Treat warnings as errors.")


def complete_file(_ctx: click.Context, _param: click.Parameter,
                  incomplete: str) -> list[click.shell_completion.CompletionItem]:
    """Shell completion for a FILE argument or option: the shell completes file names
    (`shell_complete=`, so the value itself is read and checked by the command as before)."""
    return [click.shell_completion.CompletionItem(incomplete, type="file")]


class SourceProblem(click.ClickException):
    """An input that is not read, as a diagnostic: E0106 (not UTF-8) and E0107 (too large)
    exit 1, E0108 (not a regular file) exits 2."""

    exit_code = EXIT_ERRORS

    def __init__(self, diagnostic: Diagnostic, sources: dict[str, str] | None = None) -> None:
        self.diagnostic = diagnostic
        self.sources = sources or {}
        super().__init__(diagnostic.message)

    def show(self, file: Any = None) -> None:
        click.echo(render(self.diagnostic, self.sources), err=True)


class NotText(SourceProblem):
    """An input that is not UTF-8: diagnostic E0106 at its first bad byte, exit 1."""

    def __init__(self, display: str, data: bytes, exc: UnicodeDecodeError) -> None:
        problem, shown = not_utf8(display, data, exc)
        super().__init__(problem, {display: shown})


class TooLarge(SourceProblem):
    """An input over `MAX_SOURCE_BYTES`: E0107, exit 1 (nothing past the limit is read)."""

    def __init__(self, display: str, size: int | None) -> None:
        amount = f"{size:,} bytes, more than" if size is not None else "more than"
        super().__init__(error(
            "E0107", f"{display} holds {amount} the 16 MiB ({MAX_SOURCE_BYTES:,} bytes) "
            "MPL reads", Span(display, 1, 1, 1, 1, 0, 0),
            hint="a plan's source is far smaller: check that this is the file you meant"))


class NotAFile(SourceProblem):
    """A FILE that is a folder, FIFO, device or socket: E0108, exit 2, and it is not opened
    (a FIFO would wait for a writer, a device never end)."""

    exit_code = EXIT_USAGE

    def __init__(self, display: str, kind: str, hint: str | None = None) -> None:
        if hint is None and "FIFO" in kind:
            hint = f"to read a pipe, give - and redirect it: `- < {display}`"
        elif hint is None:
            hint = "give an .mpl file (or a plan's .json), or - to read stdin"
        super().__init__(error("E0108", f"{display} is {kind}, not a file MPL reads",
                               Span(display, 1, 1, 1, 1, 0, 0), hint=hint))


def regular_file(_ctx: click.Context, _param: click.Parameter, value: Path) -> Path:
    """A click callback: the FILE must be a regular file (E0108), so it is never opened to
    wait on a FIFO or to read a device without end."""
    try:
        mode = os.stat(value).st_mode
    except OSError:
        return value  # click's own checks, or the command, report it
    if not stat.S_ISREG(mode):
        raise NotAFile(str(value), file_kind(mode), hint="give the path of a regular file")
    return value


def read_source(name: str, *, as_stored: bool = False) -> tuple[str, str]:
    """(display name, text) of FILE or `-` (stdin), newlines made `\n` as Python's text
    files do and a byte order mark dropped (both kept when `as_stored`); a usage error if
    missing or unreadable, E0108 if not a regular file, E0107 if over `MAX_SOURCE_BYTES`,
    E0106 if not UTF-8."""
    display = "<stdin>" if name == "-" else name
    try:
        data = read_limited(sys.stdin.buffer) if name == "-" else read_regular(name)
    except FileNotFoundError:
        raise click.UsageError(f"{name}: no such file") from None
    except NotRegularFile as exc:
        raise NotAFile(display, exc.kind) from None
    except SourceTooLarge as exc:
        raise TooLarge(display, exc.size) from None
    except OSError as exc:
        raise click.UsageError(f"{name}: {exc.strerror or exc}") from None
    try:
        return display, source_text(data, as_stored=as_stored)
    except UnicodeDecodeError as exc:
        raise NotText(display, data, exc) from None


def print_diagnostics(diagnostics: Iterable[Diagnostic], sources: dict[str, str],
                      output_format: str, *, json_to_stderr: bool = False) -> None:
    """Diagnostics to stderr (text) or as one JSON array (stdout unless `json_to_stderr`)."""
    diagnostics = list(diagnostics)
    if output_format == "json":
        click.echo(json.dumps([to_json(d) for d in diagnostics], indent=2, ensure_ascii=False),
                   err=json_to_stderr)
        return
    for rendered in render_all(diagnostics, sources):
        click.echo(rendered, err=True)
    errors = sum(1 for d in diagnostics if d.is_error)
    warnings = len(diagnostics) - errors
    if errors or warnings:
        parts = [f"{count} {word}{'s' if count != 1 else ''}"
                 for count, word in ((errors, "error"), (warnings, "warning")) if count]
        click.echo(" and ".join(parts) + " found", err=True)


def dump_json(data: Any) -> str:
    """The one JSON spelling MPL writes: indented, UTF-8, trailing newline."""
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def output_paths(inputs: Sequence[str], output: str | None, suffix: str) -> list[Path | None]:
    """Where each input's output goes: stdout (None), a file, or a file in a folder. Two
    outputs on one path, or an output over an input, is a usage error: nothing would be
    left of the first."""
    if output is None:
        if len(inputs) > 1:
            raise click.UsageError("several inputs need -o DIR")
        return [None]
    target = Path(output)
    if len(inputs) > 1 or target.is_dir() or output.endswith(("/", os.sep)):
        if "-" in inputs:
            raise click.UsageError("stdin (-) cannot be mixed with other inputs")
        if target.exists() and not target.is_dir():
            raise click.UsageError(f"-o {output}: several inputs need a folder, and this is "
                                   "a file")
        targets = [target / (Path(name).stem + suffix) for name in inputs]
    else:
        targets = [target]
    first: dict[Path, str] = {}
    for name, path in zip(inputs, targets, strict=True):
        key = path.resolve()
        if key in first:
            raise click.UsageError(f"{first[key]} and {name} would both be written to {path}")
        first[key] = name
        if name != "-" and Path(name).resolve() == key:
            raise click.UsageError(f"-o {output} would overwrite the source {name}")
    return list(targets)
