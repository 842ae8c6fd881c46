"""What the commands share: reading inputs, printing diagnostics, writing outputs atomically."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import click

from ..diagnostics import Diagnostic, error, render, to_json
from ..spans import span_at

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2

format_option = click.option(
    "--format", "output_format", type=click.Choice(["text", "json"]), default="text",
    show_default=True, help="How to print diagnostics: for people, or JSON for tools.")
strict_option = click.option("--strict", is_flag=True, help="Treat warnings as errors.")


class NotText(click.ClickException):
    """An input that is not UTF-8: diagnostic E0106 at its first bad byte, exit 1."""

    exit_code = EXIT_ERRORS

    def __init__(self, display: str, data: bytes, exc: UnicodeDecodeError) -> None:
        text = data.decode("utf-8", errors="replace")
        at = len(data[:exc.start].decode("utf-8", errors="replace"))
        self.diagnostic = error("E0106", f"not UTF-8 text: {exc.reason} (byte {exc.start})",
                                span_at(display, text, at, at + 1),
                                hint="save the file as UTF-8")
        self.sources = {display: text}
        super().__init__(self.diagnostic.message)

    def show(self, file: Any = None) -> None:
        click.echo(render(self.diagnostic, self.sources), err=True)


def read_source(name: str) -> tuple[str, str]:
    """(display name, text) of FILE or `-` (stdin), newlines made `\n` as Python's text
    files do; a usage error if unreadable, E0106 if not UTF-8."""
    display = "<stdin>" if name == "-" else name
    try:
        data = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
    except FileNotFoundError:
        raise click.UsageError(f"{name}: no such file") from None
    except IsADirectoryError:
        raise click.UsageError(f"{name}: is a directory") from None
    except OSError as exc:
        raise click.UsageError(f"{name}: {exc.strerror}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise NotText(display, data, exc) from None
    return display, text.replace("\r\n", "\n").replace("\r", "\n")


def print_diagnostics(diagnostics: Iterable[Diagnostic], sources: dict[str, str],
                      output_format: str, *, json_to_stderr: bool = False) -> None:
    """Diagnostics to stderr (text) or as one JSON array (stdout unless `json_to_stderr`)."""
    diagnostics = list(diagnostics)
    if output_format == "json":
        click.echo(json.dumps([to_json(d) for d in diagnostics], indent=2, ensure_ascii=False),
                   err=json_to_stderr)
        return
    for diagnostic in diagnostics:
        click.echo(render(diagnostic, sources), err=True)
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
