"""Declarations of a file, and what its imports bring into scope.

A file's declarations are read before its chunks, in three passes (tempo and `plan`, then
imports, then bindings, templates and songs), so the order they are written in does not
matter. An imported file is declared once per compilation and shared by every importer; it
may hold declarations only. `import "x"` brings in x's own declarations unqualified,
`import "x" as ns` as `ns.NAME`; what x itself imports is not passed on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..diagnostics import Diagnostic, Label, error, warning
from ..syntax import nodes as n
from . import ir
from . import values as v
from .header import plan_header
from .musical_time import TempoInfo, TimeError, duration_ms, round_ms, tempo_info
from .scope import Entry, ImportRecord, Scope

if TYPE_CHECKING:
    from .resolver import Resolver

MAX_IMPORT_DEPTH = 64  # files importing files; each level is a few Python stack frames

_WORDS = {n.PlanHeader: "a `plan` header", n.SongDecl: "a `song` declaration",
          n.Keep: "`keep`", n.Generate: "a `gen` chunk", n.Let: "`let`",
          n.Import: "`import`", n.TemplateDef: "a `template` definition",
          n.Call: "a template call", n.Replace: "`replace`", n.Tempo: "`tempo`"}


def describe(statement: n.Statement) -> str:
    """How messages name a kind of statement."""
    return _WORDS.get(type(statement), "this statement")


def declare_module(r: Resolver, program: n.Program, scope: Scope) -> None:
    """Declare every name of a file into `scope`."""
    outer, r.scope = r.scope, scope
    try:
        for statement in program.statements:
            if isinstance(statement, n.Tempo):
                set_file_tempo(r, statement, scope)
            elif isinstance(statement, n.PlanHeader) and not scope.library:
                plan_header(r, statement)
        for statement in program.statements:
            if isinstance(statement, n.Import):
                import_statement(r, statement, scope)
        for statement in program.statements:
            if isinstance(statement, n.Let):
                declare_binding(r, statement, scope)
            elif isinstance(statement, n.TemplateDef):
                add(r, scope, statement.name.ident,
                    Entry("template", statement.name, scope, statement))
                misplaced(r, [statement.body])
            elif isinstance(statement, n.Replace) and not scope.library:
                misplaced(r, [window.body for window in statement.windows])
        for statement in program.statements:
            if isinstance(statement, n.SongDecl):
                declare_song(r, statement, scope)
            elif scope.library and isinstance(statement, (n.Keep, n.Generate, n.Call,
                                                          n.Replace, n.PlanHeader)):
                r.report(error("E0509", f"{describe(statement)} cannot go in an imported file",
                               statement.span,
                               hint="an imported file holds declarations only (song, let, "
                               "template, tempo, import); write chunks in the file you compile"))
    finally:
        r.scope = outer


BLOCK_STATEMENTS = (n.Keep, n.Generate, n.Call, n.Replace, n.Let)


def misplaced(r: Resolver, blocks: list[n.Block]) -> None:
    """E0509 for declarations inside template and window bodies (nested ones too), found
    where they are written, so a template never called is checked as well."""
    while blocks:
        for statement in blocks.pop().statements:
            if isinstance(statement, n.Replace):
                blocks.extend(window.body for window in statement.windows)
            elif not isinstance(statement, BLOCK_STATEMENTS):
                r.report(error("E0509", f"{describe(statement)} cannot go inside a block",
                               statement.span,
                               hint="a block holds keep, gen, regen, template calls, replace "
                               "and let; declare the rest at the top of a file"))


def set_file_tempo(r: Resolver, statement: n.Tempo, scope: Scope) -> None:
    if scope.tempo_statement is not None:
        r.report(error("E0212", "the file's tempo is given twice", statement.span,
                       secondary=[Label(span=scope.tempo_statement.span, message="first here")],
                       hint="a file has one tempo; a song can have its own inside its block"))
        return
    info = tempo_info(statement)
    if isinstance(info, Diagnostic):
        r.report(info)
        return
    scope.tempo, scope.tempo_statement = info, statement


def add(r: Resolver, scope: Scope, ident: str, entry: Entry) -> bool:
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
    r.report(error("E0303", f"`{ident}` is already declared{where}", here, secondary=[there],
                   hint=hint))
    return False


def declare_binding(r: Resolver, statement: n.Let, scope: Scope) -> None:
    add(r, scope, statement.name.ident, Entry("binding", statement.name, scope, statement.value))


def declare_song(r: Resolver, decl: n.SongDecl, scope: Scope) -> None:
    """A song: its tempo, length and sections in ms."""
    if decl.name.ident in scope.entries:  # a duplicate: report it and read no further
        add(r, scope, decl.name.ident, Entry("song", decl.name, scope, None))
        return
    if not decl.song_id.value:
        r.report(error("E0213", f"song `{decl.name.ident}` has an empty id", decl.song_id.span,
                       hint="write the stored song's id: the song_id the API returned"))
    tempo = scope.tempo
    own = None
    if decl.tempo is not None:
        info = tempo_info(decl.tempo)
        if isinstance(info, Diagnostic):
            r.report(info)
        else:
            tempo = own = info
    length = None
    if decl.length is not None:
        length = _length(r, decl.length, tempo, scope)
    sections: dict[str, tuple[int, int]] = {}
    section_exact = {}
    section_spans = {}
    seen: dict[str, n.Name] = {}
    for section in decl.sections:
        key = section.name.ident
        if key in seen:
            r.report(error("E0303", f"song `{decl.name.ident}` already has a section `{key}`",
                           section.name.span,
                           secondary=[Label(span=seen[key].span, message="first here")]))
            continue
        seen[key] = section.name
        bounds = v.time_range(r, section.range, tempo)
        if bounds is not None:
            sections[key] = (round_ms(bounds[0]), round_ms(bounds[1]))
            section_exact[key] = bounds
            section_spans[key] = section.span
    info_ = ir.SongInfo(name=decl.name.ident, song_id=decl.song_id.value, span=decl.span,
                        length_ms=length, length_span=decl.length.span if decl.length else None,
                        sections=sections, section_spans=section_spans,
                        section_exact=section_exact)
    if not add(r, scope, decl.name.ident, Entry("song", decl.name, scope, info_)):
        return
    if own is not None:
        r.song_tempos[id(info_)] = own
    key = decl.name.ident if scope is r.root else f"{scope.file}:{decl.name.ident}"
    r.songs[key] = info_
    if scope.first_song is None:
        scope.first_song = info_


def _length(r: Resolver, written: n.Time | n.Name, tempo: TempoInfo | None,
            scope: Scope) -> int | None:
    """`length=`: a literal reads the song's own tempo, else the file's; a name its binding."""
    if isinstance(written, n.Name):
        return v.duration(r, written, scope)
    try:
        return duration_ms(written, tempo)
    except TimeError as exc:
        r.report(exc.diagnostic)
        return None


def import_statement(r: Resolver, statement: n.Import, scope: Scope) -> None:
    """Load the imported file (once) and bring its own declarations into `scope`."""
    assert r.loader is not None
    found = r.loader.locate(statement, scope.file)
    if isinstance(found, Diagnostic):
        r.report(found)
        return
    alias = statement.alias.ident if statement.alias is not None else None
    again = next((record for record in scope.imports if record.key == found.key and
                  (record.statement.alias and record.statement.alias.ident) == alias), None)
    if again is not None:  # once, not once per name it would bring in again
        r.report(error("E0303", f"{statement.path.raw or statement.path.value} is already "
                       "imported" + (f" as {alias}" if alias else ""), statement.span,
                       secondary=[Label(span=again.statement.span, message="imported here")],
                       hint="remove this import"))
        return
    chain = [key for key, _ in r.loading]
    if found.key in chain:
        r.report(_cycle(r, statement, chain.index(found.key), found.display))
        return
    module = r.modules.get(found.key)
    if module is None and len(r.loading) > MAX_IMPORT_DEPTH:
        r.report(_too_deep(r, statement))
        return
    if module is None:
        loaded = r.loader.load(found, statement)
        if isinstance(loaded, Diagnostic):
            r.report(loaded)
            return
        assert loaded.program is not None
        for diagnostic in r.loader.parse_diagnostics:
            r.report(diagnostic)
        r.loader.parse_diagnostics.clear()
        module = Scope(file=loaded.display, library=True)
        r.loading.append((found.key, statement))
        try:
            declare_module(r, loaded.program, module)
        finally:
            r.loading.pop()
        r.modules[found.key] = module
    prefix = f"{statement.alias.ident}." if statement.alias is not None else ""
    record = ImportRecord(statement=statement, key=found.key)
    scope.imports.append(record)
    for ident, entry in module.entries.items():
        if entry.via is not None:
            continue  # only a file's own declarations are exported
        copy = Entry(entry.kind, entry.name, entry.home, entry.value, via=statement)
        if add(r, scope, prefix + ident, copy):
            record.entries.append(copy)
            if entry.kind == "song" and scope is r.root:
                r.songs.setdefault(prefix + ident, entry.value)


def _too_deep(r: Resolver, statement: n.Import) -> Diagnostic:
    """E0511: each imported file is declared inside its importer's declaration, so a chain
    of imports is bounded like any other nesting."""
    first = next((at for _, at in r.loading if at is not None), None)
    labels = [Label(span=first.span, message="the chain starts here")] if first else []
    return error("E0511", f"imports chain more than {MAX_IMPORT_DEPTH} files deep "
                 "(a file importing a file importing a file …)", statement.path.span,
                 secondary=labels, hint="import the files you need directly from the file you "
                 "compile")


def _cycle(r: Resolver, statement: n.Import, start: int, display: str) -> Diagnostic:
    assert r.loader is not None
    steps = r.loading[start:]
    names = [r.loader.root.display if at is None else at.path.value for _, at in steps]
    chain = " → ".join([*names, statement.path.value])
    labels = [Label(span=at.span, message=f"imports {at.path.value}")
              for _, at in steps if at is not None]
    return error("E0503", f"import cycle: {chain}", statement.path.span, secondary=labels,
                 hint=f"{display} is already being imported; move what both files need into "
                 "a third file")


def first_imported_song(scope: Scope) -> Entry | None:
    """The default song when the root file declares none: the first one it imports."""
    for record in scope.imports:
        for entry in record.entries:
            if entry.kind == "song":
                return entry
    return None


def report_unused(r: Resolver, scope: Scope) -> None:
    """W0201 for the root file's bindings, templates and imports that are never used."""
    for ident, entry in scope.entries.items():
        if entry.via is None and entry.kind != "song" and not entry.used:
            what = "template" if entry.kind == "template" else "binding"
            r.report(warning("W0201", f"{what} `{ident}` is never used", entry.name.span,
                             hint=f"use it or remove the {what}"))
    for record in scope.imports:
        if not any(entry.used for entry in record.entries):
            r.report(warning("W0201", f"nothing from {record.statement.path.raw} is used",
                             record.statement.span, hint="use it or remove the import"))
