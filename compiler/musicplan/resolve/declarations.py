"""Declarations of a file, and what its imports bring into scope.

A file's declarations are read before its chunks, in three passes (tempo and `plan`, then
imports, then bindings, templates and songs), so the order they are written in does not
matter. An imported file is declared once per compilation and shared by every importer; it
may hold declarations only. `import "x"` brings in x's own declarations unqualified,
`import "x" as ns` as `ns.NAME`; what x itself imports is not passed on.

`Declarations` holds what declaring needs across files (the loader, the import chain, the
files declared so far) and collects the compilation's songs and plan options; the rest are
functions of a sink and a scope.
"""

from __future__ import annotations

from pathlib import Path

from ..diagnostics import Diagnostic, Label, Sink, error, warning
from ..syntax import nodes as n
from . import ir, sung
from . import values as v
from .header import plan_header
from .imports import Loader
from .ir import TempoInfo
from .musical_time import TimeError, duration_ms, round_ms, tempo_info
from .scope import Entry, ImportRecord, Scope

MAX_IMPORT_DEPTH = 64  # files importing files; each level is a few Python stack frames

_WORDS = {n.PlanHeader: "a `plan` header", n.SongDecl: "a `song` declaration",
          n.Keep: "`keep`", n.Generate: "a `gen` chunk", n.Let: "`let`",
          n.Import: "`import`", n.TemplateDef: "a `template` definition",
          n.Call: "a template call", n.Replace: "`replace`", n.Tempo: "`tempo`"}


def describe(statement: n.Statement) -> str:
    """How messages name a kind of statement."""
    return _WORDS.get(type(statement), "this statement")


BLOCK_STATEMENTS = (n.Keep, n.Generate, n.Call, n.Replace, n.Let)


def misplaced(sink: Sink, blocks: list[n.Block]) -> None:
    """E0509 for declarations inside template and window bodies (nested ones too), found
    where they are written, so a template never called is checked as well."""
    while blocks:
        for statement in blocks.pop().statements:
            if isinstance(statement, n.Replace):
                blocks.extend(window.body for window in statement.windows)
            elif not isinstance(statement, BLOCK_STATEMENTS):
                sink.report(error("E0509", f"{describe(statement)} cannot go inside a block",
                                  statement.span,
                                  hint="a block holds keep, gen, regen, template calls, replace "
                                  "and let; declare the rest at the top of a file"))


def set_file_tempo(sink: Sink, statement: n.Tempo, scope: Scope) -> None:
    if scope.tempo_statement is not None:
        sink.report(error("E0212", "the file's tempo is given twice", statement.span,
                          secondary=[Label(span=scope.tempo_statement.span, message="first here")],
                          hint="a file has one tempo; a song can have its own inside its block"))
        return
    info = tempo_info(statement)
    if isinstance(info, Diagnostic):
        sink.report(info)
        return
    scope.tempo, scope.tempo_statement = info, statement


def add(sink: Sink, scope: Scope, ident: str, entry: Entry) -> bool:
    """Put `entry` in `scope` as `ident`; a clash is E0303 pointing at both places."""
    previous = scope.entries.get(ident)
    if previous is None:
        scope.entries[ident] = entry
        return True
    here = entry.via.span if entry.via is not None else entry.name.span
    if previous.via is not None:
        there = Label(span=previous.via.span, message=f"`{ident}` also comes from this import")
    else:
        there = Label(span=previous.name.span, message="first declared here")
    where = f" (from {entry.via.path.raw or entry.via.path.value})" if entry.via else ""
    hint = "give each song, section, binding and template its own name"
    if entry.via is not None or previous.via is not None:
        hint = "rename one, or import with `as NAME` to qualify the imported names"
    sink.report(error("E0303", f"`{ident}` is already declared{where}", here, secondary=[there],
                      hint=hint))
    return False


def declare_binding(sink: Sink, statement: n.Let, scope: Scope) -> None:
    add(sink, scope, statement.name.ident, Entry("binding", statement.name, scope, statement.value))


def first_imported_song(scope: Scope) -> Entry | None:
    """The default song when the root file declares none: the first one it imports."""
    for record in scope.imports:
        for entry in record.entries:
            if entry.kind == "song":
                return entry
    return None


def report_unused(sink: Sink, scope: Scope) -> None:
    """W0201 for the root file's bindings, templates and imports that are never used."""
    for ident, entry in scope.entries.items():
        if entry.via is None and entry.kind != "song" and not entry.used:
            what = "template" if entry.kind == "template" else "binding"
            sink.report(warning("W0201", f"{what} `{ident}` is never used", entry.name.span,
                                hint=f"use it or remove the {what}"))
    for record in scope.imports:
        if not any(entry.used for entry in record.entries):
            sink.report(warning("W0201", f"nothing from {record.statement.path.raw} is used",
                                record.statement.span, hint="use it or remove the import"))


class Declarations:
    """Declares a root file's names and, once each per compilation, the files it imports."""

    def __init__(self, sink: Sink, loader: Loader, root: Scope, aliases: v.Aliases) -> None:
        self.sink = sink
        self.loader = loader
        self.root = root
        self.aliases = aliases
        self.songs: dict[str, ir.SongInfo] = {}  # every song of the compilation
        self.options = ir.RequestOptions()  # the root file's `plan` header
        self.modules: dict[str, Scope] = {}  # resolved path → the file's scope
        self.loading: list[tuple[str, n.Import | None]] = [(loader.root.key, None)]  # chain
        self.sung_data: dict[int, str] = {}  # the file being declared: line → data sidecar

    def declare_module(self, program: n.Program, scope: Scope) -> None:
        """Declare every name of a file into `scope`."""
        sink = self.sink
        for statement in program.statements:
            if isinstance(statement, n.Tempo):
                set_file_tempo(sink, statement, scope)
            elif isinstance(statement, n.PlanHeader) and not scope.library:
                plan_header(sink, statement, self.options)
        for statement in program.statements:
            if isinstance(statement, n.Import):
                self.import_statement(statement, scope)
        for statement in program.statements:
            if isinstance(statement, n.Let):
                declare_binding(sink, statement, scope)
            elif isinstance(statement, n.TemplateDef):
                add(sink, scope, statement.name.ident,
                    Entry("template", statement.name, scope, statement))
                misplaced(sink, [statement.body])
            elif isinstance(statement, n.Replace) and not scope.library:
                misplaced(sink, [window.body for window in statement.windows])
        self.sung_data = sung.data_lines(program)  # each song's `# data:` sidecar
        for statement in program.statements:
            if isinstance(statement, n.SongDecl):
                self.declare_song(statement, scope)
            elif scope.library and isinstance(statement, (n.Keep, n.Generate, n.Call,
                                                          n.Replace, n.PlanHeader)):
                sink.report(error("E0509", f"{describe(statement)} cannot go in an imported "
                                  "file", statement.span,
                                  hint="an imported file holds declarations only (song, let, "
                                  "template, tempo, import); write chunks in the file you "
                                  "compile"))

    def declare_song(self, decl: n.SongDecl, scope: Scope) -> None:
        """A song: its tempo, length and sections in ms."""
        if decl.name.ident in scope.entries:  # a duplicate: report it and read no further
            add(self.sink, scope, decl.name.ident, Entry("song", decl.name, scope, None))
            return
        if not decl.song_id.value:
            self.sink.report(error("E0213", f"song `{decl.name.ident}` has an empty id",
                                   decl.song_id.span, hint="write the stored song's id: the "
                                   "song_id the API returned"))
        tempo = scope.tempo
        own = None
        if decl.tempo is not None:
            info = tempo_info(decl.tempo)
            if isinstance(info, Diagnostic):
                self.sink.report(info)
            else:
                tempo = own = info
        length = None
        if decl.length is not None:
            length = self._length(decl.length, tempo, scope)
        sections: dict[str, tuple[int, int]] = {}
        section_exact = {}
        section_spans = {}
        seen: dict[str, n.Name] = {}
        for section in decl.sections:
            key = section.name.ident
            if key in seen:
                self.sink.report(error("E0303", f"song `{decl.name.ident}` already has a "
                                       f"section `{key}`", section.name.span,
                                       secondary=[Label(span=seen[key].span,
                                                        message="first here")]))
                continue
            seen[key] = section.name
            bounds = v.time_range(self.sink, section.range, tempo)
            if bounds is not None:
                sections[key] = (round_ms(bounds[0]), round_ms(bounds[1]))
                section_exact[key] = bounds
                section_spans[key] = section.span
        info_ = ir.SongInfo(name=decl.name.ident, song_id=decl.song_id.value, span=decl.span,
                            length_ms=length, length_span=decl.length.span if decl.length else None,
                            sections=sections, section_spans=section_spans,
                            section_exact=section_exact, tempo=own,
                            words_file=self._words_file(decl, scope))
        if not add(self.sink, scope, decl.name.ident, Entry("song", decl.name, scope, info_)):
            return
        key = decl.name.ident if scope is self.root else f"{scope.file}:{decl.name.ident}"
        self.songs[key] = info_
        if scope.first_song is None:
            scope.first_song = info_

    def _words_file(self, decl: n.SongDecl, scope: Scope) -> Path | None:
        """The sidecar the song's `# data:` line names (beside the file that declares it),
        which holds its sung words."""
        source = self.loader.by_display.get(scope.file)
        name = self.sung_data.get(decl.span.line)
        return source.path.parent / name if source is not None and name else None

    def _length(self, written: n.Time | n.Name, tempo: TempoInfo | None,
                scope: Scope) -> int | None:
        """`length=`: a literal reads the song's own tempo, else the file's; a name its binding."""
        if isinstance(written, n.Name):
            return v.duration(v.Reading(sink=self.sink, scope=scope, aliases=self.aliases),
                              written)
        try:
            return duration_ms(written, tempo)
        except TimeError as exc:
            self.sink.report(exc.diagnostic)
            return None

    def import_statement(self, statement: n.Import, scope: Scope) -> None:
        """Load the imported file (once) and bring its own declarations into `scope`."""
        found = self.loader.locate(statement, scope.file)
        if isinstance(found, Diagnostic):
            self.sink.report(found)
            return
        alias = statement.alias.ident if statement.alias is not None else None
        again = next((record for record in scope.imports if record.key == found.key and
                      (record.statement.alias and record.statement.alias.ident) == alias), None)
        if again is not None:  # once, not once per name it would bring in again
            written = statement.path.raw or statement.path.value
            self.sink.report(error("E0303", f"{written} is already imported"
                                   + (f" as {alias}" if alias else ""), statement.span,
                                   secondary=[Label(span=again.statement.span,
                                                    message="imported here")],
                                   hint="remove this import"))
            return
        chain = [key for key, _ in self.loading]
        if found.key in chain:
            self.sink.report(self._cycle(statement, chain.index(found.key), found.display))
            return
        module = self.modules.get(found.key)
        if module is None and len(self.loading) > MAX_IMPORT_DEPTH:
            self.sink.report(self._too_deep(statement))
            return
        if module is None:
            loaded = self.loader.load(found, statement)
            if isinstance(loaded, Diagnostic):
                self.sink.report(loaded)
                return
            assert loaded.program is not None
            for diagnostic in self.loader.parse_diagnostics:
                self.sink.report(diagnostic)
            self.loader.parse_diagnostics.clear()
            module = Scope(file=loaded.display, library=True)
            self.loading.append((found.key, statement))
            try:
                self.declare_module(loaded.program, module)
            finally:
                self.loading.pop()
            self.modules[found.key] = module
        prefix = f"{statement.alias.ident}." if statement.alias is not None else ""
        record = ImportRecord(statement=statement, key=found.key)
        scope.imports.append(record)
        for ident, entry in module.entries.items():
            if entry.via is not None:
                continue  # only a file's own declarations are exported
            copy = Entry(entry.kind, entry.name, entry.home, entry.value, via=statement)
            if add(self.sink, scope, prefix + ident, copy):
                record.entries.append(copy)
                if entry.kind == "song" and scope is self.root:
                    self.songs.setdefault(prefix + ident, entry.value)

    def _too_deep(self, statement: n.Import) -> Diagnostic:
        """E0511: each imported file is declared inside its importer's declaration, so a chain
        of imports is bounded like any other nesting."""
        first = next((at for _, at in self.loading if at is not None), None)
        labels = [Label(span=first.span, message="the chain starts here")] if first else []
        return error("E0511", f"imports chain more than {MAX_IMPORT_DEPTH} files deep "
                     "(a file importing a file importing a file …)", statement.path.span,
                     secondary=labels, hint="import the files you need directly from the file you "
                     "compile")

    def _cycle(self, statement: n.Import, start: int, display: str) -> Diagnostic:
        steps = self.loading[start:]
        names = [self.loader.root.display if at is None else at.path.value for _, at in steps]
        chain = " → ".join([*names, statement.path.value])
        labels = [Label(span=at.span, message=f"imports {at.path.value}")
                  for _, at in steps if at is not None]
        return error("E0503", f"import cycle: {chain}", statement.path.span, secondary=labels,
                     hint=f"{display} is already being imported; move what both files need into "
                     "a third file")
