"""Syntax tree → resolved plan: files, names, songs, bindings, templates, windows and times.

Never raises for user errors: every problem becomes a diagnostic and resolution goes on
with what it can, so one run reports everything. The work is shared out by construct:
`declarations` (declarations and imports), `values` (what a name or value means where it is
used), `chunks` (keep and gen), `templates` (calls) and `windows` (`replace`).

Reports flow down: the helpers are handed a `diagnostics.Sink` (which adds the template call
sites to what is reported inside a call) and a `values.Reading` (the sink, the scope, the
default song); templates and windows are handed `block` to read their bodies with. They never
import this module.
"""

from __future__ import annotations

from pathlib import Path

from ..diagnostics import Diagnostic, Sink, error
from ..syntax import nodes as n
from . import declarations, ir, templates, windows
from .chunks import generate, keep
from .header import OPTION_KEYS, OUTPUT_FORMATS  # noqa: F401  (re-exported for tools)
from .imports import Loader
from .musical_time import place
from .scope import Scope
from .symbols import SymbolTable
from .values import ADHERENCE, STRENGTH, Aliases, Reading  # noqa: F401  (re-exported)

MAX_OPEN_BLOCKS = 64  # each open block is a few Python stack frames
MAX_HINT_NAMES = 200_000  # names compared for did-you-mean hints, in all (about a second)

class Resolution:
    """What resolving a root file gives: the plan and everything learnt on the way."""

    def __init__(self, plan: ir.ResolvedPlan, diagnostics: list[Diagnostic],
                 sources: dict[str, str], paths: dict[str, Path], notes: list[str],
                 symbols: SymbolTable) -> None:
        self.plan = plan
        self.diagnostics = diagnostics
        self.sources = sources  # imported files: name → text
        self.paths = paths  # file name → path on disk
        self.notes = notes  # e.g. what a `stretch` did to a song
        self.symbols = symbols  # every declaration and every use of a name (built when read)


class Resolver:
    """Walks a root program and the files it imports, collecting chunks and diagnostics."""

    def __init__(self, loader: Loader | None = None) -> None:
        self.loader = loader
        self.sink = Sink(hint_budget=MAX_HINT_NAMES)
        self.aliases = Aliases()  # the alias chains walked, shared by every reading
        self.root = Scope(file="<input>")
        self.reading = Reading(sink=self.sink, scope=self.root, aliases=self.aliases)
        self.modules: dict[str, Scope] = {}  # resolved path → an imported file's scope
        self.default_song: ir.SongInfo | None = None
        self.expansions = templates.Expansions()
        self.notes: list[str] = []  # e.g. what a `stretch` did to a song
        self.open_blocks = 0  # template and window bodies being read, one inside another
        self.reported_deep = False

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return self.sink.diagnostics

    # -- entry -------------------------------------------------------------------
    def program(self, program: n.Program) -> ir.ResolvedPlan:
        self.root = root = Scope(file=program.span.file)
        if self.loader is None:
            self.loader = Loader(program.span.file)
        declared = declarations.Declarations(self.sink, self.loader, root, self.aliases)
        declared.declare_module(program, root)
        self.modules = declared.modules
        default, entry = root.first_song, None
        if default is None:
            entry = declarations.first_imported_song(root)
            if entry is not None:
                default = entry.value
        self.default_song = default
        self.reading = Reading(sink=self.sink, scope=root, aliases=self.aliases,
                               default=default, default_entry=entry)
        chunks = place(self.statements(program.statements))
        declarations.report_unused(self.sink, root)
        tempo = root.tempo
        if tempo is None and default is not None:
            tempo = default.tempo
        return ir.ResolvedPlan(chunks=tuple(chunks), songs=dict(declared.songs),
                               options=declared.options, span=program.span,
                               default_song=default.name if default is not None else None,
                               tempo=tempo)

    # -- chunks -------------------------------------------------------------------
    def statements(self, statements: tuple[n.Statement, ...]) -> list[ir.Chunk]:
        """The chunks of a run of statements (declarations were handled already)."""
        out: list[ir.Chunk] = []
        reading = self.reading
        for statement in statements:
            if isinstance(statement, n.Keep):
                kept = keep(reading, statement)
                if kept is not None:
                    out.append(kept)
            elif isinstance(statement, n.Generate):
                made = generate(reading, statement, self.expansions.calls)
                if made is not None:
                    out.append(made)
            elif isinstance(statement, n.Call):
                out.extend(templates.expand(reading, statement, self.expansions, self.block))
            elif isinstance(statement, n.Replace):
                out.extend(windows.replace(reading, statement, self.block, self.notes))
        return out

    def block(self, block: n.Block, scope: Scope) -> list[ir.Chunk]:
        """A template or window body, read in `scope`: its `let`s stay inside it. A file
        nests at most 32 blocks (parse), but template calls stack the blocks of several
        bodies: more than `MAX_OPEN_BLOCKS` open at once is E0512 (reported once)."""
        if self.open_blocks >= MAX_OPEN_BLOCKS:
            if not self.reported_deep:
                self.reported_deep = True
                self.sink.report(error("E0512", f"template calls nest blocks more than "
                                       f"{MAX_OPEN_BLOCKS} deep", block.span,
                                       hint="call templates from fewer nested `replace` "
                                       "windows and templates"))
            return []
        outer, self.reading = self.reading, self.reading.at(scope)
        self.open_blocks += 1
        if self.expansions.active:  # each time a template is expanded (its windows count too)
            self.expansions.statements += 1 + len(block.statements)
        try:
            for statement in block.statements:  # the rest is E0509, found where declared
                if isinstance(statement, n.Let):
                    declarations.declare_binding(self.sink, statement, scope)
            return self.statements(block.statements)
        finally:
            self.reading = outer
            self.open_blocks -= 1


def resolve_program(program: n.Program, loader: Loader | None = None) -> Resolution:
    """Resolve a root program (and its imports); never raises for bad input."""
    resolver = Resolver(loader)
    plan = resolver.program(program)
    assert resolver.loader is not None
    return Resolution(plan=plan, diagnostics=resolver.diagnostics,
                      sources=dict(resolver.loader.sources), paths=dict(resolver.loader.paths),
                      notes=resolver.notes,
                      symbols=SymbolTable(program, resolver.root, resolver.modules.values(),
                                          resolver.loader, resolver.default_song))


def resolve(program: n.Program, *, base_dir: Path | None = None) -> tuple[ir.ResolvedPlan,
                                                                           list[Diagnostic]]:
    """Resolve one program; returns the plan (possibly partial) and diagnostics. Imports are
    read relative to `base_dir` (default: the current folder)."""
    result = resolve_program(program, Loader(program.span.file, base_dir))
    return result.plan, result.diagnostics
