"""Go to definition, find references and the document's outline."""

from __future__ import annotations

from lsprotocol import types

from ...resolve.symbols import Symbol
from ...syntax import nodes as n
from ...syntax.spans import Span
from ...timeline import TimelineEntry
from .document import Analysis
from .places import by_statement, clock_range


def _symbol_at(analysis: Analysis, position: types.Position) -> Symbol | None:
    occurrence = analysis.symbols.at(analysis.file, analysis.offset(position))
    return occurrence.symbol if occurrence is not None else None


def definition(analysis: Analysis, position: types.Position) -> list[types.Location]:
    """Where the name (or import path) under the cursor is declared; a file for an import."""
    symbol = _symbol_at(analysis, position)
    if symbol is None:
        return []
    if symbol.kind == "module":
        uri = analysis.uri_of(symbol.span.file)
        zero = types.Range(start=types.Position(line=0, character=0),
                           end=types.Position(line=0, character=0))
        return [types.Location(uri=uri, range=zero)] if uri else []
    location = analysis.location(symbol.span)
    return [location] if location is not None else []


def references(analysis: Analysis, position: types.Position,
               include_declaration: bool = True) -> list[types.Location]:
    """Every place the name under the cursor is written, in every file of the compilation."""
    symbol = _symbol_at(analysis, position)
    if symbol is None:
        return []
    out: list[types.Location] = []
    for occurrence in analysis.symbols.references(symbol):
        if occurrence.declaration and not include_declaration:
            continue
        location = analysis.location(occurrence.span)
        if location is not None:
            out.append(location)
    return out


def _symbol(analysis: Analysis, name: str, kind: types.SymbolKind, node: n.Node,
            selection: n.Node, detail: str | None = None,
            children: list[types.DocumentSymbol] | None = None) -> types.DocumentSymbol:
    lines = analysis.index
    return types.DocumentSymbol(name=name, kind=kind, range=lines.range(node.span),
                                selection_range=lines.range(selection.span), detail=detail,
                                children=children or None)


def document_symbols(analysis: Analysis) -> list[types.DocumentSymbol]:
    """Songs with their sections, bindings, templates, imports, and chunks by label."""
    places = by_statement(analysis)
    out: list[types.DocumentSymbol] = []
    for s in analysis.compilation.program.statements:
        if isinstance(s, n.SongDecl):
            sections = [_symbol(analysis, x.name.ident, types.SymbolKind.Field, x, x.name,
                                analysis.source(x.range.span)) for x in s.sections]
            out.append(_symbol(analysis, s.name.ident, types.SymbolKind.Module, s, s.name,
                               s.song_id.value, sections))
        elif isinstance(s, n.TemplateDef):
            out.append(_symbol(analysis, s.name.ident, types.SymbolKind.Function, s, s.name))
        elif isinstance(s, n.Let):
            out.append(_symbol(analysis, s.name.ident, types.SymbolKind.Variable, s, s.name))
        elif isinstance(s, n.Import):
            out.append(_symbol(analysis, s.path.value, types.SymbolKind.Package, s, s.path,
                               f"as {s.alias.ident}" if s.alias else None))
        elif isinstance(s, (n.Keep, n.Generate, n.Call, n.Replace)):
            out.append(_chunk(analysis, s, places))
    return out


def _chunk(analysis: Analysis, s: n.Keep | n.Generate | n.Call | n.Replace,
           places: dict[Span, list[TimelineEntry]]) -> types.DocumentSymbol:
    entries = places.get(s.span)
    detail = clock_range(entries) if entries else None
    if isinstance(s, n.Generate):
        label = s.label.value if isinstance(s.label, n.Str) else s.label.ident
        name = f"{'regen' if s.regen else 'gen'} {label}"
        return _symbol(analysis, name, types.SymbolKind.Event, s, s.label, detail)
    if isinstance(s, n.Keep):
        return _symbol(analysis, analysis.source(s.span), types.SymbolKind.Event, s, s, detail)
    if isinstance(s, n.Call):
        return _symbol(analysis, f"{s.name.ident}(…)", types.SymbolKind.Event, s, s.name,
                       detail)
    head = analysis.source(s.song.span) if s.song else "song"
    selection: n.Node = s.song if s.song is not None else s
    return _symbol(analysis, f"replace {head}", types.SymbolKind.Event, s, selection, detail)
