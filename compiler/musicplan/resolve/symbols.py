"""The symbol table of a compilation: every declaration (songs and their sections, bindings,
templates and their parameters, imported files and their aliases) and every place a name is
written, with the declaration it means there. Go to definition, references, hovers,
completion and semantic tokens read it.

It is part of what resolution gives, read from the resolver's own scopes and the files its
loader read: a name means what `Scope.find` finds from the scope it is written in (a block's
`let`s and a template's parameters, then its file's declarations, then what the file's
imports brought in, `alias.NAME` for `import … as alias`). Where a range goes, a name bound
to nothing is a section of the song (the default song when none is written). A template's
body is read once, where it is written, whether it is called or not; bindings are not
followed (`let b = a`: `b` means the `let`), except to the song a range is taken from.

The table is built on first use, so compiling for the command line never pays for it.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from typing import TYPE_CHECKING, Literal

from ..syntax import nodes as n
from ..syntax.spans import Span
from .scope import Entry, Scope

if TYPE_CHECKING:
    from . import ir
    from .imports import Loader

SymbolKind = Literal["song", "section", "binding", "template", "param", "module"]


class Symbol:
    """A declaration: its kind, its name, the name's span and the declaring node (a file's
    `Program` for a module). Holds nothing of the compilation it was found in. Two symbols
    are the same only if they are one object (a plain class: no dataclass on the compile
    path, whose class creation costs start-up time)."""

    __slots__ = ("container", "kind", "members", "name", "node", "span")

    def __init__(self, kind: SymbolKind, name: str, span: Span, node: n.Node,
                 container: str | None = None) -> None:
        self.kind = kind
        self.name = name
        self.span = span
        self.node = node
        self.container = container  # the song of a section, the template of a parameter
        self.members: dict[str, Symbol] = {}  # sections or parameters

    def __repr__(self) -> str:
        return f"Symbol({self.kind!r}, {self.name!r}, {self.span!r})"


class Occurrence:
    """A name (or an import's path) as written, and the declaration it means (None: none)."""

    __slots__ = ("declaration", "span", "symbol")

    def __init__(self, span: Span, symbol: Symbol | None, declaration: bool = False) -> None:
        self.span = span
        self.symbol = symbol
        self.declaration = declaration

    def __repr__(self) -> str:
        return f"Occurrence({self.span!r}, {self.symbol!r}, declaration={self.declaration})"


def _start(file: str) -> Span:
    return Span(file, 1, 1, 1, 1, 0, 0)


class SymbolTable:
    """Declarations and occurrences across the files of one compilation."""

    def __init__(self, program: n.Program, root: Scope, modules: Iterable[Scope] = (),
                 loader: Loader | None = None, default_song: ir.SongInfo | None = None
                 ) -> None:
        self.root = program.span.file
        self._files: list[tuple[n.Program, Scope]] = [(program, root)]
        self._displays: dict[str, str] = {}  # an imported file's resolved path → its name
        if loader is not None:
            by_display = loader.by_display
            self._displays = {found.key: found.display for found in by_display.values()}
            for scope in modules:
                found = by_display.get(scope.file)
                if found is not None and found.program is not None:
                    self._files.append((found.program, scope))
        self._default_span = default_song.span if default_song is not None else None
        self._built = False
        self._declared: dict[Span, Symbol] = {}  # a declaration's name span → its symbol
        self._songs: dict[Span, Symbol] = {}  # a song statement's span → its symbol
        self._modules: dict[str, Symbol] = {}  # file → the symbol standing for the file
        self._scopes: dict[str, Scope] = {}  # file → its scope
        self._occurrences: dict[str, list[Occurrence]] = {}
        self._starts: dict[str, list[int]] = {}
        self._default: Symbol | None = None
        self._ends: dict[Entry, Entry | None] = {}  # a binding → the end of its chain

    @classmethod
    def empty(cls, program: n.Program) -> SymbolTable:
        """The declarations of `program` alone, every name in it unresolved (for a program
        that could not be resolved)."""
        return cls(program, Scope(file=program.span.file))

    # -- queries -------------------------------------------------------------------------
    @property
    def default_song(self) -> Symbol | None:
        """The song a range without one is taken from."""
        self._build()
        return self._default

    def occurrences(self, file: str) -> list[Occurrence]:
        """Every name written in `file`, in order."""
        self._build()
        return self._occurrences.get(file, [])

    def at(self, file: str, offset: int) -> Occurrence | None:
        """The occurrence under a cursor (its end counts, so `song|` finds `song`)."""
        found = self.occurrences(file)
        position = bisect.bisect_right(self._starts.get(file, []), offset) - 1
        for candidate in found[max(0, position - 1):position + 1][::-1]:
            if candidate.span.start <= offset <= candidate.span.end:
                return candidate
        return None

    def references(self, symbol: Symbol) -> list[Occurrence]:
        """Every occurrence of `symbol`, its declaration included, in every file."""
        self._build()
        return [occurrence for found in self._occurrences.values() for occurrence in found
                if occurrence.symbol is symbol]

    def visible(self, file: str) -> dict[str, Symbol]:
        """Every name a file's top level can use, as it is written there."""
        self._build()
        scope = self._scopes.get(file)
        if scope is None:
            return {}
        names = {ident: self._symbol(entry) for ident, entry in scope.entries.items()}
        return {ident: symbol for ident, symbol in names.items() if symbol is not None}

    def imported_file(self, statement: n.Import) -> str | None:
        """The name of the file an `import` statement read (None: it read none)."""
        for _, scope in self._files:
            for record in scope.imports:
                if record.statement is statement:
                    return self._displays.get(record.key)
        return None

    # -- building ------------------------------------------------------------------------
    def _build(self) -> None:
        if self._built:
            return
        self._built = True
        for program, scope in self._files:
            self._scopes.setdefault(scope.file, scope)
            self._modules[scope.file] = Symbol("module", scope.file, _start(scope.file),
                                               program)
            self._declare(program)
        if self._default_span is not None:
            self._default = self._songs.get(self._default_span)
        for program, scope in self._files:
            self._block(program.statements, scope, outermost=True)
        for file, found in self._occurrences.items():
            found.sort(key=lambda occurrence: occurrence.span.start)
            self._starts[file] = [occurrence.span.start for occurrence in found]

    def _new(self, kind: SymbolKind, name: n.Name, node: n.Node,
             container: str | None = None) -> Symbol:
        symbol = Symbol(kind, name.ident, name.span, node, container)
        self._declared[name.span] = symbol
        return symbol

    def _declare(self, program: n.Program) -> None:
        for statement in program.statements:
            if isinstance(statement, n.SongDecl):
                song = self._songs[statement.span] = self._new("song", statement.name, statement)
                for section in statement.sections:
                    song.members.setdefault(section.name.ident, self._new(
                        "section", section.name, section, container=song.name))
            elif isinstance(statement, n.Let):
                self._new("binding", statement.name, statement)
            elif isinstance(statement, n.TemplateDef):
                template = self._new("template", statement.name, statement)
                for param in statement.params:
                    template.members.setdefault(param.name.ident, self._new(
                        "param", param.name, param, container=template.name))

    def _symbol(self, entry: Entry | None) -> Symbol | None:
        return self._declared.get(entry.name.span) if entry is not None else None

    def _add(self, span: Span, symbol: Symbol | None, declaration: bool = False) -> None:
        self._occurrences.setdefault(span.file, []).append(
            Occurrence(span, symbol, declaration))

    def _declaration(self, kind: SymbolKind, name: n.Name, node: n.Node) -> None:
        symbol = self._declared.get(name.span)
        if symbol is None:  # a declaration inside a block (E0509, but still a name)
            symbol = self._new(kind, name, node)
        self._add(name.span, symbol, declaration=True)

    def _ref(self, name: n.Name, scope: Scope) -> Entry | None:
        entry = scope.find(name.ident)
        self._add(name.span, self._symbol(entry))
        return entry

    def _value(self, value: n.Node | None, scope: Scope) -> None:
        if isinstance(value, n.Name):
            self._ref(value, scope)
        elif isinstance(value, n.ListExpr):
            for item in value.items:
                self._value(item, scope)

    def _song(self, name: n.Name | None, scope: Scope) -> Symbol | None:
        """The song a range is taken from: `name`'s (through bindings bound to names), or the
        default song in the root file."""
        if name is None:
            return self._default if scope.file == self.root else None
        symbol = self._symbol(self._followed(self._ref(name, scope)))
        return symbol if symbol is not None and symbol.kind == "song" else None

    def _followed(self, entry: Entry | None) -> Entry | None:
        """The end of a chain of bindings bound to names (`let b = a`), each name read in
        its binding's home; each chain is walked once (`_ends`), a circle ends in None."""
        walked: list[Entry] = []
        on_walk: set[Entry] = set()
        while entry is not None and entry.kind == "binding" and isinstance(entry.value, n.Name):
            if entry in self._ends:
                entry = self._ends[entry]
                break
            if entry in on_walk:
                entry = None
                break
            walked.append(entry)
            on_walk.add(entry)
            entry = entry.home.find(entry.value.ident)
        for alias in walked:
            self._ends[alias] = entry
        return entry

    def _slice(self, song: Symbol | None, written: n.Slice, scope: Scope) -> None:
        if not isinstance(written, n.Name):
            return
        symbol = self._symbol(scope.find(written.ident))
        if symbol is None and song is not None:
            symbol = song.members.get(written.ident)
        self._add(written.span, symbol)

    def _block(self, statements: tuple[n.Statement, ...], scope: Scope,
               outermost: bool = False) -> None:
        """The statements of a file (`outermost`: its scope holds its declarations already)
        or of a block, whose `let`s are declared in its scope before it is read."""
        if not outermost:
            for statement in statements:
                if isinstance(statement, n.Let):
                    self._new("binding", statement.name, statement)
                    scope.entries.setdefault(statement.name.ident, Entry(
                        "binding", statement.name, scope, statement.value))
        for statement in statements:
            self._statement(statement, scope)

    def _statement(self, s: n.Statement, scope: Scope) -> None:
        if isinstance(s, n.SongDecl):
            self._declaration("song", s.name, s)
            for section in s.sections:
                self._declaration("section", section.name, section)
            if isinstance(s.length, n.Name):
                self._ref(s.length, scope)
        elif isinstance(s, n.Let):
            self._declaration("binding", s.name, s)
            self._value(s.value, scope)
        elif isinstance(s, n.Import):
            target = self.imported_file(s)
            module = self._modules.get(target) if target is not None else None
            self._add(s.path.span, module)
            if s.alias is not None:
                self._add(s.alias.span, module, declaration=True)
        elif isinstance(s, n.TemplateDef):
            self._template(s, scope)
        elif isinstance(s, n.Keep):
            self._slice(self._song(s.song, scope), s.slice, scope)
        elif isinstance(s, n.Generate):
            self._generate(s, scope)
        elif isinstance(s, n.Call):
            self._call(s, scope)
        elif isinstance(s, n.Replace):
            song = self._song(s.song, scope)
            for window in s.windows:
                self._slice(song, window.slice, scope)
                self._block(window.body.statements, Scope(file=scope.file, parent=scope))

    def _template(self, s: n.TemplateDef, scope: Scope) -> None:
        """A template's body, read where it is written: its parameters, then its file."""
        self._declaration("template", s.name, s)
        body = Scope(file=scope.file, parent=scope)
        for param in s.params:
            self._declaration("param", param.name, param)
            self._value(param.default, scope)
            body.entries.setdefault(param.name.ident, Entry("binding", param.name, body,
                                                            param.default))
        self._block(s.body.statements, body)

    def _generate(self, s: n.Generate, scope: Scope) -> None:
        self._value(s.label, scope)
        self._value(s.duration, scope)
        for attr in s.attrs:
            if isinstance(attr, (n.Styles, n.Avoid)):
                self._value(attr.items, scope)
            elif isinstance(attr, (n.Adherence, n.Strength)):
                if scope.find(attr.value.ident) is not None:  # else it is `low`, `high`, …
                    self._ref(attr.value, scope)
            elif isinstance(attr, n.Like):
                self._slice(self._song(attr.song, scope), attr.slice, scope)
            elif isinstance(attr, n.TextAttr):
                self._value(attr.value, scope)

    def _call(self, s: n.Call, scope: Scope) -> None:
        template = self._symbol(self._ref(s.name, scope))
        params = template.members if template is not None and template.kind == "template" \
            else {}
        for arg in s.args:
            if arg.name is not None:
                self._add(arg.name.span, params.get(arg.name.ident))
            self._value(arg.value, scope)
