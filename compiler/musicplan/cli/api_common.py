"""What `render`, `upload` and `draft` share: connection options, the progress display and
the way a failed request is reported (located diagnostics, then those with no place)."""

from __future__ import annotations

import contextlib
import json
import math
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from ..api.errors import ServerReport, report_for
from ..api.session import BASE_URL_VARIABLE, ApiError, NoKey, OutputExists, OutputUnwritable
from ..diagnostics import Diagnostic, error, render, to_json
from ..syntax.records import replace
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
    from ..api.session import base_url_problem

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


class Terminated(BaseException):
    """SIGTERM or SIGHUP arrived. Raised like Ctrl-C's KeyboardInterrupt (and not caught by
    `except Exception`), so unwinding removes a partial output, as after Ctrl-C."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def terminate_handler(signum: int, _frame: object) -> None:
    """The handler of SIGTERM and SIGHUP while a request runs: raise `Terminated`."""
    raise Terminated(signum)


def raise_on_termination() -> dict[int, Any]:
    """Make SIGTERM and SIGHUP raise `Terminated` (in the main thread), unless the caller set
    them to be ignored; the handlers replaced, to put back with `signal.signal`."""
    if threading.current_thread() is not threading.main_thread():
        return {}
    caught = (signal.SIGTERM, *((signal.SIGHUP,) if hasattr(signal, "SIGHUP") else ()))
    return {signum: signal.signal(signum, terminate_handler) for signum in caught
            if signal.getsignal(signum) == signal.SIG_DFL}


@contextlib.contextmanager
def stoppable(outcome: str) -> Iterator[None]:
    """Run a request so that Ctrl-C, SIGTERM and SIGHUP stop it cleanly: the partial output
    is removed as the stack unwinds, then one line (`mpl: stopped by SIGTERM; <outcome>`) and
    exit 128 + the signal's number. A signal the caller set to be ignored stays ignored."""
    previous = raise_on_termination()
    try:
        yield
    except (KeyboardInterrupt, Terminated) as exc:
        signum = exc.signum if isinstance(exc, Terminated) else signal.SIGINT
        click.echo(f"mpl: stopped by {signal.Signals(signum).name}; {outcome}", err=True)
        sys.exit(128 + signum)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


class Reporter:
    """Where a command's diagnostics go, as `--format` says: printed as they come (text), or
    gathered, with the problems that have no place in a source, into the one JSON array
    `finish` writes to stderr (json). Remarks for people (`note`) are left out of JSON."""

    def __init__(self, output_format: str = "text") -> None:
        self.output_format = output_format
        self.items: list[dict[str, Any]] = []

    @property
    def json(self) -> bool:
        return self.output_format == "json"

    def diagnostics(self, diagnostics: list[Diagnostic], sources: dict[str, str]) -> None:
        if self.json:
            self.items += [to_json(d) for d in diagnostics]
        elif diagnostics:
            print_diagnostics(diagnostics, sources, self.output_format)

    def problem(self, problem: Diagnostic) -> None:
        """One diagnostic with no place in a source (rendered as every diagnostic is)."""
        if self.json:
            self.items.append(to_json(problem))
        else:
            click.echo(render(problem, {}), err=True)

    def note(self, text: str) -> None:
        if not self.json:
            click.echo(text, err=True)

    def finish(self) -> None:
        """Write the JSON array (`[]` when all went well); the command calls it once, as its
        context closes, which happens also when it ends by `sys.exit`."""
        if self.json:
            click.echo(json.dumps(self.items, indent=2, ensure_ascii=False), err=True)


TEXT = Reporter()


def fail(exc: ApiError, sources: dict[str, str] | None = None,
         out: Reporter = TEXT) -> NoReturn:
    """Report a failed request and exit: 2 for misuse (no key, OUT exists), else 1."""
    report: ServerReport = exc.report if isinstance(exc.report, ServerReport) else report_for(exc)
    out.diagnostics(report.diagnostics, sources or {})
    for problem in report.problems:
        out.problem(problem)
    if report.suggestion:
        out.note("the server suggests (MPL you can paste):" if report.suggests == "plan"
                 else f"the server suggests this {report.suggests}:")
        click.echo(report.suggestion.rstrip("\n"))
    sys.exit(EXIT_USAGE if isinstance(exc, MISUSE) else EXIT_ERRORS)


def problem_exit(code: str, message: str, hint: str | None, exit_code: int,
                 out: Reporter = TEXT) -> NoReturn:
    """Report error `code` (with no place in a source) and exit with `exit_code`."""
    out.problem(error(code, message, hint=hint))
    sys.exit(exit_code)


def output_file(raw: str, out: Reporter = TEXT, source: str | None = None) -> Path:
    """`-o OUT` for a file about to be written: E0713 (exit 2) if it cannot be one, or is
    the `source` being read (`outputs.output_problem`)."""
    from .outputs import output_problem

    problem = output_problem(raw, source, nothing="nothing was sent")
    if problem is not None:
        out.problem(problem)
        sys.exit(EXIT_USAGE)
    return Path(raw)


def default_registry(source: Path | None, registry: str | None) -> Path:
    """--registry, else songs.mpl beside the source, else ./songs.mpl."""
    if registry:
        return Path(registry)
    return (source.parent if source is not None else Path.cwd()) / "songs.mpl"


def check_name(name: str) -> str:
    """`--as NAME` must be a plain MPL name that is not a keyword."""
    from ..api.registry import KEYWORDS

    if not name.isidentifier() or not name.isascii() or name in KEYWORDS:
        raise click.BadParameter(f"`{name}` is not a name MPL can declare (letters, digits, _, "
                                 "not a keyword)", param_hint="--as")
    return name


def registry_problem(path: Path, name: str, out: Reporter = TEXT) -> Diagnostic | None:
    """Why `name` cannot be recorded in the registry at `path` (its errors are reported)."""
    from ..api.registry import RegistryError, RegistryRefuses, RegistryUnusable, check

    try:
        check(path, name)
    except RegistryRefuses as exc:
        return error("E0711", str(exc), hint="use --as NAME, or another --registry")
    except RegistryUnusable as exc:
        return error("E0711", str(exc), hint="use --registry PATH")
    except RegistryError as exc:
        out.diagnostics(exc.diagnostics, {str(path): exc.text})
        if any(d.code == "E0711" for d in exc.diagnostics):
            return error("E0711", f"a song called `{name}` cannot be recorded in {path}",
                         hint="use --as NAME, or another --registry")
        return error("E0711", f"{path} has errors; fix it before storing a song in it",
                     hint="or use another --registry")
    return None


def check_registry(path: Path, name: str, out: Reporter = TEXT) -> None:
    """Before spending credits: recording `name` in the registry must work, else exit 1."""
    problem = registry_problem(path, name, out)
    if problem is not None:
        out.problem(replace(problem, hint=f"{problem.hint}; nothing was sent"))
        sys.exit(EXIT_ERRORS)


def record(path: Path, entry: Any, comment: str, out: Reporter = TEXT) -> bool:
    """Write `entry` into the registry and say so; False (after reporting) if it failed."""
    from ..api.registry import RegistryError, RegistryUnusable, read_text, update

    try:
        old_text = read_text(path)
        notes = update(path, entry, comment)
    except RegistryError as exc:
        out.diagnostics(exc.diagnostics, {str(path): exc.text})
        return False
    except RegistryUnusable as exc:
        out.problem(error("E0711", str(exc)))
        return False
    except OSError as exc:
        out.problem(error("E0711", f"cannot write {path}: {exc.strerror}"))
        return False
    out.diagnostics(notes, {str(path): old_text})
    click.echo(f"recorded `{entry.name}` in {path}")
    return True
