"""`mpl render A.mpl B.mpl … [--jobs N]` and `mpl render FILE --takes N`: many renders, one
job per file and take, at most N requests in flight (`api.batch`). A file with errors, an
output that exists (skipped, so an interrupted batch resumes) or a failed request stops its
own job only; a progress display (rich) shows each job and a summary table ends the run.
"""

from __future__ import annotations

import datetime
import secrets
import signal
import sys
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

from ..api.audio import extension
from ..api.client import Client, PreparedRender, prepare_render
from ..api.errors import as_diagnostic
from ..api.session import ApiError, OutputExists
from ..diagnostics import Diagnostic, error, render_short, warning
from ..pipeline import Compilation, compile_text
from ..resolve import ir
from ..units import clock
from .api_common import Terminated, raise_on_termination
from .common import EXIT_ERRORS, EXIT_OK, read_source

SEED_RANGE = 2**32


@dataclass
class Options:
    """What `mpl render` was asked, for every job alike."""

    endpoint: str
    overrides: dict[str, Any]
    song_data: bool
    takes: int
    jobs: int
    force: bool
    as_name: str | None
    registry: str | None
    out: str | None


@dataclass
class Job:
    """One request: a file, and which take of it (None when only one is made)."""

    file: str
    take: int | None
    out: Path
    prepared: PreparedRender | None
    compilation: Compilation | None
    store_at: tuple[Path, str] | None = None
    status: str = "waiting"
    note: str = ""
    problems: list[Diagnostic] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.file + (f" take {self.take}" if self.take is not None else "")

    @property
    def seed(self) -> Any:
        return self.prepared.request.json_body.get("seed") if self.prepared else None


def seconds(compilation: Compilation) -> tuple[float, float]:
    """(generated, kept) seconds of a plan: what a render of it is billed on."""
    assert compilation.plan is not None
    generated = sum(c.duration_ms for c in compilation.plan.chunks
                    if isinstance(c, ir.GenerateChunk))
    kept = sum(c.duration_ms for c in compilation.plan.chunks if isinstance(c, ir.KeepChunk))
    return generated / 1000, kept / 1000


def take_seeds(base: Any, takes: int) -> list[int]:
    """Seeds for `takes` takes: base, base+1, … when the plan or --seed gives one, else
    random; each is recorded with its take so it can be rendered again exactly."""
    if isinstance(base, int):
        return [(base + k) % SEED_RANGE for k in range(takes)]
    return [secrets.randbelow(SEED_RANGE) for _ in range(takes)]


def _compile(file: str, report: Any) -> Compilation | None:
    """The file compiled, its diagnostics reported; None if it cannot be read."""
    try:
        display, text = read_source(file)
    except click.ClickException as exc:
        report.note(f"mpl: {exc.format_message()}")
        return None
    compilation = compile_text(text, display, base_dir=Path(file).parent)
    report.diagnostics(compilation.diagnostics, compilation.sources)
    return compilation


def plan_jobs(files: tuple[str, ...], options: Options,
              report: Any) -> tuple[list[Job], bool]:
    """Compile every file and make its jobs; (jobs, whether any file had errors). A file
    with errors is reported and gets one failed job."""
    from ..api.registry import identifier

    jobs: list[Job] = []
    failed = False
    for file in files:
        compilation = _compile(file, report)
        if compilation is None or not compilation.ok:
            failed = True
            jobs.append(Job(file, None, Path(file), None, compilation, status="failed",
                            note="has errors; nothing was sent"))
            continue
        first = prepare_render(compilation, endpoint=options.endpoint,
                               overrides=options.overrides, song_data=options.song_data)
        fmt = first.request.params.get("output_format")
        out = Path(options.out) if options.out else Path(file).with_suffix(extension(fmt))
        name = options.as_name or identifier(Path(file).stem)
        takes: list[int | None] = (list(range(1, options.takes + 1)) if options.takes > 1
                                   else [None])
        seeds = take_seeds(first.request.json_body.get("seed"), options.takes)
        for take, seed in zip(takes, seeds, strict=True):
            prepared = first if take is None else prepare_render(
                compilation, endpoint=options.endpoint, song_data=options.song_data,
                overrides={**options.overrides, "seed": seed})
            target = out if take is None else out.with_name(f"{out.stem}.take-{take}{out.suffix}")
            job = Job(file, take, target, prepared, compilation)
            if prepared.stores:
                from .api_common import default_registry

                registry = default_registry(Path(file), options.registry)
                job.store_at = (registry, name if take is None else f"{name}_take_{take}")
            _refuse_twice(job, jobs)
            jobs.append(job)
    return jobs, failed


def _refuse_twice(job: Job, earlier: list[Job]) -> None:
    """A job whose output file or registry name an earlier job of the batch already takes
    fails before anything is sent: both would be billed, and one result lost."""
    out = job.out.resolve()
    for other in earlier:
        if other.prepared is None:
            continue
        if other.out.resolve() == out:
            job.status, job.note = "failed", f"{job.out} is also {other.label}'s output; " \
                "not sent"
            return
        if job.store_at is not None and other.store_at is not None and \
                job.store_at[1] == other.store_at[1] and \
                job.store_at[0].resolve() == other.store_at[0].resolve():
            job.status, job.note = "failed", f"`{job.store_at[1]}` is also {other.label}'s " \
                f"name in {job.store_at[0]}; not sent (give --as NAME per file)"
            return


def dry_run_table(jobs: list[Job]) -> int:
    """Per file and in total: generated and kept seconds, times the takes; nothing sent."""
    rows = []
    total_generated = total_kept = 0.0
    by_file: dict[str, list[Job]] = {}
    for job in jobs:
        by_file.setdefault(job.file, []).append(job)
    failed = False
    for file, its_jobs in by_file.items():
        compilation = its_jobs[0].compilation
        if its_jobs[0].prepared is None or compilation is None:
            rows.append((file, "-", "-", "-", "has errors"))
            failed = True
            continue
        generated, kept = seconds(compilation)
        count = len(its_jobs)
        total_generated += generated * count
        total_kept += kept * count
        rows.append((file, str(count), f"{generated * count:g}", f"{kept * count:g}",
                     ", ".join(str(job.out) for job in its_jobs)))
    rows.append(("total", str(sum(1 for j in jobs if j.prepared)), f"{total_generated:g}",
                 f"{total_kept:g}", ""))
    _table("dry run: nothing sent", ("file", "renders", "generated s", "kept s", "would write"),
           rows)
    return EXIT_ERRORS if failed else EXIT_OK


def _table(title: str, columns: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, title_justify="left")
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*row)
    Console(file=sys.stdout, width=None if sys.stdout.isatty() else 160,
            highlight=False).print(table)


def _skip_or_check(job: Job, force: bool, report: Any) -> None:
    """Before sending: an output that exists skips the job (unless --force); one that cannot
    be written, or a registry that cannot take the song, fails it."""
    from ..api.audio import check_outputs
    from .api_common import registry_problem

    detailed = job.prepared is not None and job.prepared.request.path.endswith("detailed")
    try:
        check_outputs(job.out, detailed, force)
    except OutputExists:
        job.status, job.note = "skipped", f"{job.out} exists (--force renders it again)"
        return
    except ApiError as exc:
        job.status, job.note = "failed", render_short(as_diagnostic(exc))
        return
    if job.store_at is not None:
        problem = registry_problem(*job.store_at, report)
        if problem is not None:
            job.status, job.note = "failed", render_short(problem)


def _run_one(job: Job, client: Client, limiter: Any, force: bool, lock: threading.Lock,
             report: Any, update: Any) -> None:
    from ..api.batch import send_limited

    assert job.prepared is not None and job.compilation is not None
    prepared = job.prepared

    def send() -> Any:
        job.status = "sending"
        update(job)
        return client.send_render(prepared, job.out, force=force)

    def lowered(limit: int) -> None:
        with lock:
            job.note = f"the server is busy: at most {limit} at once from now on"
        update(job)

    try:
        result = send_limited(limiter, send, lowered)
    except ApiError as exc:
        job.status, job.note = "failed", render_short(as_diagnostic(exc))
        with lock:
            first = _report_failure(job, exc, report)
        if first is not None:
            job.note = render_short(first)
        update(job)
        return
    job.status, job.note = "done", f"{clock(result.length_ms)}" + (
        f", song id {result.song_id}" if result.song_id else "")
    if job.store_at is not None and result.song_id:
        _record(job, result, lock, report)
    elif job.store_at is not None:
        with lock:
            report.problem(warning("W0701", f"{job.label}: the song was stored but the server "
                                   "sent no song-id; nothing was recorded"))
        job.note += "; stored, but no song id came back (W0701)"
    update(job)


def _report_failure(job: Job, exc: ApiError, report: Any) -> Diagnostic | None:
    """Report a failed job's error where the source says (or with its file); its first
    diagnostic, for the summary."""
    from ..api.errors import report_for

    server = exc.report if exc.report is not None else report_for(exc)
    sources = job.compilation.sources if job.compilation is not None else {}
    report.note(f"{job.label}:")
    report.diagnostics(server.diagnostics, sources)
    unlocated = [d if isinstance(d, Diagnostic) else error(d.code, d.message, hint=d.hint)
                 for d in server.problems]
    report.diagnostics(unlocated, {})
    return next(iter([*server.diagnostics, *unlocated]), None)


def _record(job: Job, result: Any, lock: threading.Lock, report: Any) -> None:
    from dataclasses import replace

    from ..api.registry import SongEntry, sections_from_plan
    from .api_common import record

    assert job.store_at is not None and job.compilation is not None
    assert job.compilation.plan is not None
    seed = job.seed if isinstance(job.seed, int) else None
    entry = SongEntry(name=job.store_at[1], song_id=result.song_id,
                      length_ms=result.length_ms,
                      sections=sections_from_plan(job.compilation.plan),
                      data=replace(result.song_data, seed=seed))
    take = f" (take {job.take}, seed {seed})" if job.take is not None else ""
    comment = (f"# rendered from {Path(job.file).name}{take} on "
               f"{datetime.date.today().isoformat()}")
    with lock:
        if not record(job.store_at[0], entry, comment, report):
            job.status, job.note = "failed", f"rendered; not recorded in {job.store_at[0]}"


def run(jobs: list[Job], options: Options, client_args: dict[str, Any], quiet: bool,
        report: Any) -> int:
    """Send every job that is ready, at most `options.jobs` at once; a summary table; 1 if
    any job failed."""
    from rich.progress import Progress, SpinnerColumn, TextColumn

    from ..api.batch import Limiter

    for job in jobs:
        if job.status == "waiting":
            _skip_or_check(job, options.force, report)
    ready = [job for job in jobs if job.status == "waiting"]
    lock = threading.Lock()
    interrupted = 0  # the signal that stopped the batch, if one did
    if ready:
        try:  # no key, or a bad base URL: reported as for one render, before anything is sent
            client = Client(**client_args)
        except ApiError as exc:
            from .api_common import fail

            fail(exc, out=report)
        client.session.concurrency_aware = True
        limiter = Limiter(options.jobs)
        with Progress(SpinnerColumn(), TextColumn("{task.description}"),
                      disable=quiet or not sys.stderr.isatty(), transient=True) as progress:
            tasks = {id(job): progress.add_task(job.label) for job in ready}

            def update(job: Job) -> None:
                progress.update(tasks[id(job)], description=f"{job.label}: {job.status}"
                                + (f" ({job.note})" if job.note else ""))

            pool = ThreadPoolExecutor(max_workers=options.jobs)
            previous = raise_on_termination()  # SIGTERM/SIGHUP stop a batch as Ctrl-C does
            try:
                for future in [pool.submit(_run_one, job, client, limiter, options.force,
                                           lock, report, update) for job in ready]:
                    future.result()
            except (KeyboardInterrupt, Terminated) as exc:
                # requests in flight are billed already: let them finish and be written
                interrupted = exc.signum if isinstance(exc, Terminated) else signal.SIGINT
                report.note(f"mpl: interrupted ({signal.Signals(interrupted).name}); "
                            "finishing the renders in flight, sending no more")
                pool.shutdown(wait=True, cancel_futures=True)
                for job in ready:
                    if job.status == "waiting":
                        job.status, job.note = "stopped", "not sent (interrupted)"
            finally:
                for signum, handler in previous.items():
                    signal.signal(signum, handler)
                pool.shutdown(wait=True)
    rows = [(job.file, str(job.take or ""), str(job.seed if job.seed is not None else ""),
             job.status, str(job.out) if job.status == "done" else job.note) for job in jobs]
    _table("renders", ("file", "take", "seed", "status", "output or reason"), rows)
    failed = [job for job in jobs if job.status == "failed"]
    counts = {status: sum(job.status == status for job in jobs)
              for status in ("done", "skipped", "failed", "stopped")}
    if not counts["stopped"]:
        del counts["stopped"]
    click.echo(", ".join(f"{count} {status}" for status, count in counts.items()))
    for job in failed:
        report.note(f"mpl: {job.label} failed: {job.note}")
    if interrupted:
        return 128 + interrupted
    return EXIT_ERRORS if failed else EXIT_OK


