"""Scopes: what a name means where it is written.

A file (module) has one scope; a template expansion and a `replace` window body each get a
scope whose parent is the scope they are read in, so a `let` inside them stays there. Every
entry remembers its *home*: the scope its value is read in. A template argument's home is
the caller's scope and a default's home is the template's file, so names inside values always
mean what they meant where they were written (lexical scoping, across files too).
"""

from __future__ import annotations

from typing import Any, Literal

from ..syntax import nodes as n
from .ir import TempoInfo

EntryKind = Literal["song", "binding", "template"]


class Entry:
    """A declared name: a song (`value` is an ir.SongInfo), a binding (an n.Value) or a
    template (an n.TemplateDef). `via` is the import that brought it into this scope."""

    __slots__ = ("home", "kind", "name", "used", "value", "via")

    def __init__(self, kind: EntryKind, name: n.Name, home: Scope, value: Any,
                 via: n.Import | None = None) -> None:
        self.kind = kind
        self.name = name  # the declaration, in its own file
        self.home = home
        self.value = value
        self.via = via
        self.used = False


class ImportRecord:
    """One `import` statement of a file and the names it brought in (for the unused lint)."""

    __slots__ = ("entries", "key", "statement")

    def __init__(self, statement: n.Import, key: str = "") -> None:
        self.statement = statement
        self.key = key  # the imported file's resolved path
        self.entries: list[Entry] = []


class Scope:
    """Names visible in a file, a template body or a window body. Module scopes (no parent)
    also hold the file's tempo, its imports and its first song."""

    __slots__ = ("entries", "file", "first_song", "imports", "library", "parent", "tempo",
                 "tempo_statement")

    def __init__(self, file: str, parent: Scope | None = None, library: bool = False) -> None:
        self.file = file
        self.parent = parent
        self.library = library  # an imported file
        self.entries: dict[str, Entry] = {}
        self.tempo: TempoInfo | None = None
        self.tempo_statement: n.Tempo | None = None
        self.imports: list[ImportRecord] = []
        self.first_song: Any = None  # ir.SongInfo of the first song declared in this file
    def module(self) -> Scope:
        """The file scope this scope belongs to."""
        scope = self
        while scope.parent is not None:
            scope = scope.parent
        return scope

    def find(self, ident: str) -> Entry | None:
        """The nearest entry named `ident`, walking out to the file scope."""
        scope: Scope | None = self
        while scope is not None:
            entry = scope.entries.get(ident)
            if entry is not None:
                return entry
            scope = scope.parent
        return None

    def visible(self, kind: EntryKind | None = None) -> list[str]:
        """Every name in reach (of one kind), for did-you-mean hints."""
        names: list[str] = []
        scope: Scope | None = self
        while scope is not None:
            names.extend(key for key, entry in scope.entries.items()
                         if kind is None or entry.kind == kind)
            scope = scope.parent
        return names
