"""What `render`, `upload` and `draft` share: connection options, the progress display and
the way a failed request is reported (located diagnostics, then plain problems)."""

from __future__ import annotations

import math
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from ..client import BASE_URL_VARIABLE, ApiError, NoKey, OutputExists, OutputUnwritable
from ..errors_map import Problem, ServerReport, report_for
from .common import EXIT_ERRORS, EXIT_USAGE, print_diagnostics

F = TypeVar("F", bound=Callable[..., Any])
TIMEOUTS = "give READ or CONNECT,READ in seconds (e.g. 300 or 10,300)"
# failures that are the command's misuse (exit 2) rather than an error (exit 1)
MISUSE = (NoKey, OutputExists, OutputUnwritable)


def _timeouts(_ctx: click.Context, _param: click.Parameter, value: str) -> tuple[float, float]:
    try:
        parts = [float(part) for part in value.split(",")]
    except ValueError:
        raise click.BadParameter(TIMEOUTS) from None
    if len(parts) not in (1, 2) or not all(math.isfinite(p) and p > 0 for p in parts):
        raise click.BadParameter(TIMEOUTS)
    return (10.0, parts[0]) if len(parts) == 1 else (parts[0], parts[1])


def _base_url(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    """--base-url, else ELEVENLABS_BASE_URL: an http(s) URL, checked before anything is sent."""
    from ..client import base_url_problem

    url = value if value is not None else os.environ.get(BASE_URL_VARIABLE)
    problem = base_url_problem(url) if url is not None else None
    if problem is not None:
        raise click.BadParameter(problem if value is not None
                                 else f"{problem}, from {BASE_URL_VARIABLE}")
    return url


def connection_options(command: F) -> F:
    """--base-url, --retries, --timeout, -v, -q."""
    options = [
        click.option("--base-url", metavar="URL", callback=_base_url,
                     help="API host (default: ELEVENLABS_BASE_URL or "
                     "https://api.elevenlabs.io). The key comes from ELEVENLABS_API_KEY."),
        click.option("--retries", type=click.IntRange(1, 10), default=3, show_default=True,
                     help="Attempts in all for 429/502/503/504 and failures to connect."),
        click.option("--timeout", default="10,300", show_default=True, callback=_timeouts,
                     metavar="[CONNECT,]READ", help="Timeouts in seconds."),
        click.option("-v", "--verbose", is_flag=True, help="Log each request and retry."),
        click.option("-q", "--quiet", is_flag=True, help="No progress display."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def logger(verbose: bool) -> Callable[[str], None] | None:
    return (lambda line: click.echo(f"mpl: {line}", err=True)) if verbose else None


class ProgressDisplay:
    """Bytes received and time elapsed, on a terminal only, at most ten times a second."""

    def __init__(self, quiet: bool) -> None:
        self.enabled = not quiet and sys.stderr.isatty()
        self.start = time.monotonic()
        self.shown = 0.0
        self.total = 0

    def __call__(self, received: int) -> None:
        self.total = received
        now = time.monotonic()
        if self.enabled and now - self.shown >= 0.1:
            self.shown = now
            sys.stderr.write(f"\r  {received / 1024:,.0f} KiB  {now - self.start:.1f} s ")
            sys.stderr.flush()

    def done(self) -> None:
        if self.enabled and self.total:
            sys.stderr.write("\n")


def fail(exc: ApiError, sources: dict[str, str] | None = None) -> NoReturn:
    """Report a failed request and exit: 2 for misuse (no key, OUT exists), else 1."""
    report: ServerReport = exc.report if isinstance(exc.report, ServerReport) else report_for(exc)
    if report.diagnostics:
        print_diagnostics(report.diagnostics, sources or {}, "text")
    for problem in report.problems:
        click.echo(problem.render(), err=True)
    if report.suggestion:
        click.echo("the server suggests (MPL you can paste):" if report.suggests == "plan"
                   else f"the server suggests this {report.suggests}:", err=True)
        click.echo(report.suggestion.rstrip("\n"))
    sys.exit(EXIT_USAGE if isinstance(exc, MISUSE) else EXIT_ERRORS)


def problem_exit(code: str, message: str, hint: str | None, exit_code: int) -> NoReturn:
    click.echo(Problem(code, message, hint).render(), err=True)
    sys.exit(exit_code)


def output_file(raw: str) -> Path:
    """`-o OUT` for a file about to be written: E0713 (exit 2) if it cannot be one."""
    from ..writable import file_problem

    problem = file_problem(Path(raw)) if raw else "the file name is empty"
    if problem is not None:
        problem_exit("E0713", f"cannot write -o {raw!r}: {problem}",
                     "choose another -o; nothing was sent", EXIT_USAGE)
    return Path(raw)


def default_registry(source: Path | None, registry: str | None) -> Path:
    """--registry, else songs.mpl beside the source, else ./songs.mpl."""
    if registry:
        return Path(registry)
    return (source.parent if source is not None else Path.cwd()) / "songs.mpl"


def check_name(name: str) -> str:
    """`--as NAME` must be a plain MPL name that is not a keyword."""
    from ..registry import KEYWORDS

    if not name.isidentifier() or not name.isascii() or name in KEYWORDS:
        raise click.BadParameter(f"`{name}` is not a name MPL can declare (letters, digits, _, "
                                 "not a keyword)", param_hint="--as")
    return name


def registry_problem(path: Path, name: str) -> Problem | None:
    """Why `name` cannot be recorded in the registry at `path` (its errors are printed)."""
    from ..registry import RegistryError, RegistryUnusable, check

    try:
        check(path, name)
    except RegistryUnusable as exc:
        return Problem("E0711", str(exc), "use --registry PATH")
    except RegistryError as exc:
        print_diagnostics(exc.diagnostics, {str(path): exc.text}, "text")
        if any(d.code == "E0711" for d in exc.diagnostics):
            return Problem("E0711", f"a song called `{name}` cannot be recorded in {path}",
                           "use --as NAME, or another --registry")
        return Problem("E0711", f"{path} has errors; fix it before storing a song in it",
                       "or use another --registry")
    return None


def check_registry(path: Path, name: str) -> None:
    """Before spending credits: recording `name` in the registry must work, else exit 1."""
    problem = registry_problem(path, name)
    if problem is not None:
        problem_exit(problem.code, problem.message, f"{problem.hint}; nothing was sent",
                     EXIT_ERRORS)


def record(path: Path, entry: Any, comment: str) -> bool:
    """Write `entry` into the registry and say so; False (after reporting) if it failed."""
    from ..registry import RegistryError, RegistryUnusable, read_text, update

    try:
        old_text = read_text(path)
        notes = update(path, entry, comment)
    except RegistryError as exc:
        print_diagnostics(exc.diagnostics, {str(path): exc.text}, "text")
        return False
    except RegistryUnusable as exc:
        click.echo(Problem("E0711", str(exc)).render(), err=True)
        return False
    except OSError as exc:
        click.echo(Problem("E0711", f"cannot write {path}: {exc.strerror}").render(), err=True)
        return False
    if notes:
        print_diagnostics(notes, {str(path): old_text}, "text")
    click.echo(f"recorded `{entry.name}` in {path}")
    return True
