"""The compiler's stages, wired together: parse → resolve → check → lower.

The CLI, the language server and the Python API are front ends over these functions;
none of them holds compiler logic.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from . import lower
from .checks import LOCAL_RULES, RULES, quiet_lints, run_checks
from .diagnostics import Diagnostic, error, has_errors, promote_warnings, sort_key
from .files import read_regular, source_text
from .resolve import ir
from .resolve.imports import Loader, ParseCache
from .resolve.resolver import resolve_program
from .resolve.symbols import SymbolTable
from .syntax import nodes as n
from .syntax.parse import no_cycle_collection, parse, without_bom
from .syntax.spans import span_at

P = ParamSpec("P")
R = TypeVar("R")


def _collector_paused(function: Callable[P, R]) -> Callable[P, R]:
    """`function` with Python's cycle collector paused while it runs: a compilation builds
    many small objects that live until it ends, and the collector's passes over them cost
    more than the compilation on a large file (bench/scaling.py); a cycle it drops is
    collected once the collector resumes."""
    @functools.wraps(function)
    def paused(*args: P.args, **kwargs: P.kwargs) -> R:
        with no_cycle_collection():
            return function(*args, **kwargs)
    return paused


class Compilation:
    """The outcome of compiling one root file. (A plain class, filled in stage by stage: a
    dataclass's generated methods would cost start-up time on every `mpl compile`.)"""

    __slots__ = ("base_dir", "diagnostics", "file", "notes", "parses", "paths", "plan",
                 "program", "sources", "symbols")

    def __init__(self, *, file: str, sources: dict[str, str], program: n.Program,
                 plan: ir.ResolvedPlan | None, diagnostics: list[Diagnostic] | None = None,
                 paths: dict[str, Path] | None = None, notes: list[str] | None = None,
                 symbols: SymbolTable | None = None, base_dir: Path | None = None,
                 parses: ParseCache | None = None) -> None:
        self.file = file
        self.sources = sources  # every file read (imports too): name → text
        self.program = program
        self.plan = plan
        self.diagnostics: list[Diagnostic] = diagnostics if diagnostics is not None else []
        self.paths: dict[str, Path] = paths if paths is not None else {}  # name → path
        self.notes: list[str] = notes if notes is not None else []  # what `stretch` did, …
        # Every declaration and use of a name (None until resolved: see `symbol_table`).
        self.symbols = symbols
        self.base_dir = base_dir  # where imports are read from (None: the current folder)
        self.parses = parses  # imported files' parses, kept by a caller that compiles often

    def __repr__(self) -> str:
        return (f"Compilation(file={self.file!r}, ok={self.ok}, "
                f"diagnostics={[d.code for d in self.diagnostics]})")

    @property
    def ok(self) -> bool:
        return self.plan is not None and not has_errors(self.diagnostics)

    def symbol_table(self) -> SymbolTable:
        """Every declaration and every use of a name, as resolution found them. A source
        with syntax errors is not resolved when compiled; here the part of it that parsed is
        (its imports read, their texts and paths added to `sources` and `paths`, the
        diagnostics dropped): what an editor offers while a line is half typed."""
        if self.symbols is None:
            try:
                found = resolve_program(self.program, Loader(self.file, self.base_dir, self.parses))
            except RecursionError:  # as in compile_text: a backstop
                self.symbols = SymbolTable.empty(self.program)
            else:
                self.symbols = found.symbols
                for file, text in found.sources.items():
                    self.sources.setdefault(file, text)
                for file, path in found.paths.items():
                    self.paths.setdefault(file, path)
        return self.symbols

    def _plan(self) -> ir.ResolvedPlan:
        if self.plan is None or not self.ok:
            raise ValueError("the source has errors; see .diagnostics")
        return self.plan

    def plan_json(self) -> dict[str, Any]:
        """`{"chunks": [...]}`, exactly as the API takes it."""
        return lower.lower(self._plan())

    def request_json(self, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
        """The POST /v1/music body: model_id, composition_plan and the header's options."""
        return lower.request_body(self._plan(), overrides)

    def query_params(self, overrides: dict[str, Any] | None = None) -> dict[str, str]:
        return lower.query_params(self._plan(), overrides)

    def source_map(self) -> list[lower.ChunkSource]:
        return lower.source_map(self._plan())


@_collector_paused
def compile_text(text: str, file: str = "<input>", *, strict: bool = False,
                 base_dir: Path | None = None, checks: bool = True,
                 parses: ParseCache | None = None) -> Compilation:
    """Compile MPL source held in memory. Never raises for bad input. Imports are read
    relative to `base_dir` (default: the current folder); `parses` keeps their parses for a
    caller that compiles again and again. `checks=False` resolves without running the
    checks: for a file of declarations only, such as the song registry."""
    text = without_bom(text)
    parsed = parse(text, file)
    compilation = Compilation(file=file, sources={file: text}, program=parsed.program,
                              plan=None, diagnostics=list(parsed.diagnostics), base_dir=base_dir,
                              parses=parses)
    if not has_errors(compilation.diagnostics):
        try:
            _resolve_and_check(compilation, Loader(file, base_dir, parses), checks)
        except RecursionError:  # every known deep construct has its own limit; a backstop
            compilation.plan = None
            compilation.diagnostics.append(error(
                "E0510", "the plan nests too deeply to compile",
                span_at(file, text, 0, min(1, len(text))),
                hint="flatten nested templates, windows or bindings"))
    return _settled(compilation, strict)


@_collector_paused
def compile_program(program: n.Program, *, base_dir: Path | None = None,
                    checks: bool = True) -> Compilation:
    """Resolve and check a syntax tree built elsewhere — a plan lifted from JSON, whose spans
    point into the JSON — as `compile_text` does once it has parsed (no `sources`: the text
    the spans point into is the caller's)."""
    file = program.span.file
    compilation = Compilation(file=file, sources={}, program=program, plan=None,
                              base_dir=base_dir)
    _resolve_and_check(compilation, Loader(file, base_dir), checks)
    return _settled(compilation, strict=False)


def _settled(compilation: Compilation, strict: bool) -> Compilation:
    """The diagnostics as reported: under the lint policy (`checks.quiet_lints`), made
    errors by `--strict`, in source order."""
    diagnostics = quiet_lints(compilation.diagnostics)
    if strict:
        diagnostics = promote_warnings(diagnostics)
    compilation.diagnostics = sorted(diagnostics, key=sort_key)
    return compilation


def _resolve_and_check(compilation: Compilation, loader: Loader, checks: bool = True) -> None:
    """Resolve the parsed program and run the checks (unless not `checks`), filling in
    `compilation`. Only the local checks run while resolution has errors (the plan may lack
    chunks)."""
    result = resolve_program(compilation.program, loader)
    compilation.plan = result.plan
    compilation.sources.update(result.sources)
    compilation.paths, compilation.notes = result.paths, result.notes
    compilation.symbols = result.symbols
    found = result.diagnostics
    compilation.diagnostics.extend(found)
    seen = {(d.code, d.span) for d in found}
    rules = () if not checks else LOCAL_RULES if has_errors(found) else RULES
    compilation.diagnostics.extend(d for d in run_checks(result.plan, rules)
                                   if (d.code, d.span) not in seen)


def compile_path(path: Path, *, strict: bool = False) -> Compilation:
    """Compile a file on disk (the caller reports unreadable files: `files.read_regular`
    refuses a FIFO, a device or a file over `files.MAX_SOURCE_BYTES` with an OSError)."""
    text = source_text(read_regular(path))
    return compile_text(text, str(path), strict=strict, base_dir=path.parent)
