"""The compiler's stages, wired together: parse → resolve → check → lower.

The CLI, the language server and the Python API are front ends over these functions;
none of them holds compiler logic.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import lower
from .checks import LOCAL_RULES, RULES, run_checks
from .diagnostics import Diagnostic, error, has_errors, promote_warnings, sort_key
from .files import read_regular, source_text
from .resolve import ir
from .resolve.imports import Loader
from .resolve.resolver import resolve_program
from .syntax import nodes as n
from .syntax.parse import parse, without_bom
from .syntax.spans import span_at


@dataclass
class Compilation:
    """The outcome of compiling one root file."""

    file: str
    sources: dict[str, str]  # every file read (imports too): name → text
    program: n.Program
    plan: ir.ResolvedPlan | None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    paths: dict[str, Path] = field(default_factory=dict)  # file name → path on disk
    notes: list[str] = field(default_factory=list)  # what `replace … stretch` did, etc.

    @property
    def ok(self) -> bool:
        return self.plan is not None and not has_errors(self.diagnostics)

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


def compile_text(text: str, file: str = "<input>", *, strict: bool = False,
                 base_dir: Path | None = None) -> Compilation:
    """Compile MPL source held in memory. Never raises for bad input. Imports are read
    relative to `base_dir` (default: the current folder)."""
    text = without_bom(text)
    parsed = parse(text, file)
    compilation = Compilation(file=file, sources={file: text}, program=parsed.program,
                              plan=None, diagnostics=list(parsed.diagnostics))
    if not has_errors(compilation.diagnostics):
        try:
            _resolve_and_check(compilation, Loader(file, base_dir))
        except RecursionError:  # every known deep construct has its own limit; a backstop
            compilation.plan = None
            compilation.diagnostics.append(error(
                "E0510", "the plan nests too deeply to compile",
                span_at(file, text, 0, min(1, len(text))),
                hint="flatten nested templates, windows or bindings"))
    diagnostics = compilation.diagnostics
    if has_errors(diagnostics):  # lints (W02xx) stay quiet until the errors are fixed
        diagnostics = [d for d in diagnostics if not d.code.startswith("W02")]
    if strict:
        diagnostics = promote_warnings(diagnostics)
    compilation.diagnostics = sorted(diagnostics, key=sort_key)
    return compilation


def _resolve_and_check(compilation: Compilation, loader: Loader) -> None:
    """Resolve the parsed program and run the checks, filling in `compilation`. Only the
    local checks run while resolution has errors (the plan may lack chunks)."""
    result = resolve_program(compilation.program, loader)
    compilation.plan = result.plan
    compilation.sources.update(result.sources)
    compilation.paths, compilation.notes = result.paths, result.notes
    found = result.diagnostics
    compilation.diagnostics.extend(found)
    seen = {(d.code, d.span) for d in found}
    rules = LOCAL_RULES if has_errors(found) else RULES
    compilation.diagnostics.extend(d for d in run_checks(result.plan, rules)
                                   if (d.code, d.span) not in seen)


def compile_path(path: Path, *, strict: bool = False) -> Compilation:
    """Compile a file on disk (the caller reports unreadable files: `files.read_regular`
    refuses a FIFO, a device or a file over `files.MAX_SOURCE_BYTES` with an OSError)."""
    text = source_text(read_regular(path))
    return compile_text(text, str(path), strict=strict, base_dir=path.parent)
