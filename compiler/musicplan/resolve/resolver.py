"""Syntax tree → resolved plan: files, names, songs, bindings, templates, windows and times.

Never raises for user errors: every problem becomes a diagnostic and resolution goes on
with what it can, so one run reports everything. The work is shared out by construct:
`modules` (declarations and imports), `values` (what a name or value means where it is
used), `chunks` (keep and gen), `templates` (calls) and `windows` (`replace`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from ..diagnostics import Diagnostic, Label, error, with_context
from ..syntax import nodes as n
from . import declarations, ir, templates, windows
from .chunks import generate, keep
from .header import OPTION_KEYS, OUTPUT_FORMATS  # noqa: F401  (re-exported for tools)
from .imports import Loader
from .musical_time import TempoInfo, place
from .scope import Entry, Scope
from .values import ADHERENCE, STRENGTH  # noqa: F401  (re-exported for tools)

MAX_OPEN_BLOCKS = 64  # each open block is a few Python stack frames
MAX_HINT_NAMES = 200_000  # names compared for did-you-mean hints, in all (about a second)

class Resolution:
    """What resolving a root file gives: the plan and everything learnt on the way."""

    def __init__(self, plan: ir.ResolvedPlan, diagnostics: list[Diagnostic],
                 sources: dict[str, str], paths: dict[str, Path], notes: list[str]) -> None:
        self.plan = plan
        self.diagnostics = diagnostics
        self.sources = sources  # imported files: name → text
        self.paths = paths  # file name → path on disk
        self.notes = notes  # e.g. what a `stretch` did to a song


class Resolver:
    """Walks a root program and the files it imports, collecting chunks and diagnostics."""

    def __init__(self, loader: Loader | None = None) -> None:
        self.loader = loader
        self.diagnostics: list[Diagnostic] = []  # append through report() only
        self.errors = 0
        self.hint_budget = MAX_HINT_NAMES  # names did-you-mean hints may still compare
        self.options = ir.RequestOptions()
        self.root = Scope(file="<input>")
        self.scope = self.root
        self.context: tuple[Label, ...] = ()  # template call sites, innermost first
        self.songs: dict[str, ir.SongInfo] = {}  # every song of the compilation
        self.song_tempos: dict[int, TempoInfo] = {}  # id(SongInfo) → the song's own tempo
        self.default_song: ir.SongInfo | None = None
        self.default_entry: Entry | None = None  # when the default song is imported
        self.modules: dict[str, Scope] = {}  # resolved path → the file's scope
        self.loading: list[tuple[str, n.Import | None]] = []  # the import chain, for cycles
        self.expanding: list[tuple[n.TemplateDef, n.Call]] = []  # the call chain
        self.notes: list[str] = []
        self.template_uses: dict[int, dict[str, list[tuple[str, n.Name]]]] = {}
        self.aliases: dict[Entry, Entry] = {}  # alias → the end of its chain (values)
        self.circular: set[Entry] = set()  # aliases that lead into a circle
        self.open_blocks = 0  # template and window bodies being read, one inside another
        self.reported_deep = False
        self.expanded_statements = 0  # statements read in blocks while expanding templates
        self.refused_expansion = False  # E0513 was reported: no call expands any more

    # -- entry -------------------------------------------------------------------
    def program(self, program: n.Program) -> ir.ResolvedPlan:
        self.root = self.scope = Scope(file=program.span.file)
        if self.loader is None:
            self.loader = Loader(program.span.file)
        self.loading.append((self.loader.root.key, None))
        declarations.declare_module(self, program, self.root)
        self.default_song = self.root.first_song
        if self.default_song is None:
            self.default_entry = declarations.first_imported_song(self.root)
            if self.default_entry is not None:
                self.default_song = self.default_entry.value
        chunks = place(self.statements(program.statements))
        declarations.report_unused(self, self.root)
        default = self.default_song.name if self.default_song is not None else None
        tempo = self.root.tempo
        if tempo is None and self.default_song is not None:
            tempo = self.song_tempos.get(id(self.default_song))
        return ir.ResolvedPlan(chunks=tuple(chunks), songs=dict(self.songs),
                               options=self.options, span=program.span, default_song=default,
                               tempo=tempo)

    def report(self, diagnostic: Diagnostic) -> None:
        """Record a diagnostic, with the template call sites it was reached through."""
        if self.context:
            diagnostic = with_context(diagnostic, self.context)
        self.diagnostics.append(diagnostic)
        self.errors += diagnostic.is_error

    def hint_names(self, names: Callable[[], Iterable[str]]) -> list[str]:
        """The `names()` to look through for a did-you-mean hint, while the compilation's
        budget lasts (then none): each hint lists and compares every name in reach, so
        thousands of unknown names among thousands of bindings would take minutes."""
        if self.hint_budget <= 0:
            return []
        found = list(names())
        self.hint_budget -= len(found)
        return found

    def error_count(self) -> int:
        """Errors reported so far (kept as a count: `replace` asks once per window)."""
        return self.errors

    # -- chunks -------------------------------------------------------------------
    def statements(self, statements: tuple[n.Statement, ...]) -> list[ir.Chunk]:
        """The chunks of a run of statements (declarations were handled already)."""
        out: list[ir.Chunk] = []
        for statement in statements:
            if isinstance(statement, n.Keep):
                kept = keep(self, statement)
                if kept is not None:
                    out.append(kept)
            elif isinstance(statement, n.Generate):
                made = generate(self, statement)
                if made is not None:
                    out.append(made)
            elif isinstance(statement, n.Call):
                out.extend(templates.expand(self, statement))
            elif isinstance(statement, n.Replace):
                out.extend(windows.replace(self, statement))
        return out

    def block(self, block: n.Block, scope: Scope) -> list[ir.Chunk]:
        """A template or window body, read in `scope`: its `let`s stay inside it. A file
        nests at most 32 blocks (parse), but template calls stack the blocks of several
        bodies: more than `MAX_OPEN_BLOCKS` open at once is E0512 (reported once)."""
        if self.open_blocks >= MAX_OPEN_BLOCKS:
            if not self.reported_deep:
                self.reported_deep = True
                self.report(error("E0512", f"template calls nest blocks more than "
                                  f"{MAX_OPEN_BLOCKS} deep", block.span,
                                  hint="call templates from fewer nested `replace` windows "
                                  "and templates"))
            return []
        outer, self.scope = self.scope, scope
        self.open_blocks += 1
        if self.expanding:  # each time a template is expanded (its windows count too)
            self.expanded_statements += 1 + len(block.statements)
        try:
            for statement in block.statements:  # the rest is E0509, found where declared
                if isinstance(statement, n.Let):
                    declarations.declare_binding(self, statement, scope)
            return self.statements(block.statements)
        finally:
            self.scope = outer
            self.open_blocks -= 1


def resolve_program(program: n.Program, loader: Loader | None = None) -> Resolution:
    """Resolve a root program (and its imports); never raises for bad input."""
    resolver = Resolver(loader)
    plan = resolver.program(program)
    assert resolver.loader is not None
    return Resolution(plan=plan, diagnostics=resolver.diagnostics,
                      sources=dict(resolver.loader.sources), paths=dict(resolver.loader.paths),
                      notes=resolver.notes)


def resolve(program: n.Program, *, base_dir: Path | None = None) -> tuple[ir.ResolvedPlan,
                                                                           list[Diagnostic]]:
    """Resolve one program; returns the plan (possibly partial) and diagnostics. Imports are
    read relative to `base_dir` (default: the current folder)."""
    result = resolve_program(program, Loader(program.span.file, base_dir))
    return result.plan, result.diagnostics
