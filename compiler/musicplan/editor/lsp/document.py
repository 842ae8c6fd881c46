"""One open document compiled once: the compilation, its timeline and its symbol table (the
resolver's: `pipeline.Compilation.symbol_table`), plus the mapping between the compiler's
file names and LSP URIs."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from lsprotocol import types
from pygls.uris import to_fs_path

from ... import pipeline
from ... import timeline as tl
from ...pipeline import Compilation
from ...resolve.imports import ParseCache
from ...resolve.symbols import Symbol, SymbolTable
from ...syntax import nodes as n
from ...syntax.spans import Span
from .positions import LineIndex


def uri_to_path(uri: str) -> Path | None:
    """The file a `file:` URI names, else None (untitled buffers)."""
    path = to_fs_path(uri) if uri.startswith("file:") else None
    return Path(path) if path else None


@dataclass(frozen=True)
class CleanNames:
    """What is kept of the last version of a document that parsed: its names and its
    default song (never that version itself, so versions do not hold on to each other)."""

    names: dict[str, Symbol]
    default_song: Symbol | None


class Analysis:
    """Everything the features need to know about one version of one document.

    A compiler failure (an exception: a bug) leaves an empty compilation and its message in
    `failure`, so the document still gets a diagnostic and every request an answer."""

    def __init__(self, uri: str, text: str, version: int | None = None,
                 encoding: str = types.PositionEncodingKind.Utf16,
                 previous: Analysis | None = None, parses: ParseCache | None = None) -> None:
        self.uri = uri
        self.parses = parses  # the server's parses of imported files, kept across edits
        self.text = text
        self.version = version
        self.encoding = encoding
        path = uri_to_path(uri)
        # The compiler names the root file by its path, so imports get absolute names too
        # and every span's file maps back to a path (compilation.paths).
        self.path = path
        self.file = str(path) if path is not None else uri
        base = path.parent if path is not None else None
        self.failure: str | None = None
        try:  # the CLI's own pipeline function, so both report the same diagnostics
            self.compilation: Compilation = pipeline.compile_text(text, self.file,
                                                                  base_dir=base, parses=parses)
        except Exception as exc:  # a compiler bug must not silence the server
            self.failure = f"{type(exc).__name__}: {exc}"
            empty = n.Program(statements=(), span=Span(self.file, 1, 1, 1, 1, 0, 0))
            self.compilation = Compilation(file=self.file, sources={self.file: text},
                                           program=empty, plan=None,
                                           symbols=SymbolTable.empty(empty))
        # Every file read (the symbol table of a version with syntax errors adds its imports).
        self.sources = self.compilation.sources
        self.paths = self.compilation.paths
        self._indexes: dict[str, LineIndex] = {}
        # The names of the last version that parsed cleanly: while a line is half typed (an
        # open `[` swallows the lines after it) completion still knows the file's names.
        self.last_clean: CleanNames | None = None
        if previous is not None and not self.parsed:
            self.last_clean = previous.clean_names()

    @property
    def parsed(self) -> bool:
        """Whether the text compiled without syntax errors."""
        return self.failure is None and not any(
            d.code.startswith("E01") and d.span.file == self.file
            for d in self.compilation.diagnostics)

    def clean_names(self) -> CleanNames | None:
        """This version's names if it parsed, else those of the last version that did."""
        if not self.parsed:
            return self.last_clean
        return CleanNames(dict(self.symbols.visible(self.file)), self.symbols.default_song)

    def visible_names(self) -> dict[str, Symbol]:
        """Names the document's top level can use (from the last clean version too)."""
        names = dict(self.last_clean.names) if self.last_clean else {}
        names.update(self.symbols.visible(self.file))
        return names

    def default_song(self) -> Symbol | None:
        """The song a range without one refers to (the last clean version's, while typing)."""
        found = self.symbols.default_song
        if found is None and self.last_clean is not None:
            return self.last_clean.default_song
        return found

    # -- files and positions --------------------------------------------------------
    def lines(self, file: str | None = None) -> LineIndex | None:
        """The line index of the document or of a file it imports."""
        file = file or self.file
        found = self._indexes.get(file)
        if found is None:
            text = self.text if file == self.file else self.sources.get(file)
            if text is None:
                return None
            found = self._indexes[file] = LineIndex(text, self.encoding)
        return found

    @property
    def index(self) -> LineIndex:
        found = self.lines(self.file)
        assert found is not None
        return found

    def uri_of(self, file: str) -> str | None:
        """The URI of a file taking part in the compilation."""
        if file == self.file:
            return self.uri
        path = self.paths.get(file)
        return path.resolve().as_uri() if path is not None else None

    def location(self, span: Span) -> types.Location | None:
        """Where a span is, in any file of the compilation."""
        uri, lines = self.uri_of(span.file), self.lines(span.file)
        if uri is None or lines is None:
            return None
        return types.Location(uri=uri, range=lines.range(span))

    def offset(self, position: types.Position) -> int:
        return self.index.offset(position)

    def source(self, span: Span) -> str:
        """The text a span covers."""
        text = self.text if span.file == self.file else self.sources.get(span.file)
        return text[span.start:span.end] if text is not None else ""

    # -- derived, computed on first use ------------------------------------------------
    @cached_property
    def timeline(self) -> list[tl.TimelineEntry]:
        plan = self.compilation.plan
        if plan is None or not self.compilation.ok:
            return []
        return tl.timeline(plan)

    @cached_property
    def symbols(self) -> SymbolTable:
        """Every declaration and use of a name in the compilation (for a version with syntax
        errors, in the part of it that parsed, its imports read too)."""
        return self.compilation.symbol_table()

