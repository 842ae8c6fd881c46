"""Hovers: a chunk's place in the finished song; a song's id, length and sections; a
binding's or preset's value; a template's signature and, on a call, its expansion."""

from __future__ import annotations

from lsprotocol import types

from ...resolve import ir
from ...resolve.symbols import Occurrence, Symbol
from ...syntax import nodes as n
from ...units import clock
from .document import Analysis
from .places import by_statement, describe, statements


def _song_info(analysis: Analysis, symbol: Symbol) -> ir.SongInfo | None:
    plan = analysis.compilation.plan
    if plan is None:
        return None
    return next((info for info in plan.songs.values() if info.span == symbol.node.span), None)


def _where(analysis: Analysis, symbol: Symbol) -> str:
    return "" if symbol.span.file == analysis.file else f"\n\n*from {symbol.span.file}*"


def _song(analysis: Analysis, symbol: Symbol) -> str:
    assert isinstance(symbol.node, n.SongDecl)
    info = _song_info(analysis, symbol)
    lines = [f"**song `{symbol.name}`** · id `{symbol.node.song_id.value}`"]
    if info is not None:
        if info.length_ms is not None:
            lines.append(f"length {clock(info.length_ms)}")
        for name, (start, end) in info.sections.items():
            lines.append(f"- `{name}` {clock(start)} – {clock(end)}")
    else:
        lines += [f"- `{s.name.ident}` {analysis.source(s.range.span)}"
                  for s in symbol.node.sections]
    return "\n\n".join(lines[:2]) + ("\n" + "\n".join(lines[2:]) if lines[2:] else "")


def _section(analysis: Analysis, symbol: Symbol) -> str:
    assert isinstance(symbol.node, n.Section)
    text = f"**section `{symbol.name}`** of song `{symbol.container}`"
    plan = analysis.compilation.plan
    song = next((info for info in (plan.songs.values() if plan else ())
                 if symbol.name in info.section_spans
                 and info.section_spans[symbol.name] == symbol.node.span), None)
    if song is not None:
        start, end = song.sections[symbol.name]
        return f"{text}: {clock(start)} – {clock(end)}"
    return f"{text}: {analysis.source(symbol.node.range.span)}"


def _template(analysis: Analysis, symbol: Symbol) -> str:
    assert isinstance(symbol.node, n.TemplateDef)
    params = ", ".join(analysis.source(p.span) for p in symbol.node.params)
    return f"```mpl\ntemplate {symbol.name}({params})\n```"


def describe_symbol(analysis: Analysis, symbol: Symbol) -> str:
    """Markdown about a declared name."""
    node = symbol.node
    if symbol.kind == "song":
        text = _song(analysis, symbol)
    elif symbol.kind == "section":
        text = _section(analysis, symbol)
    elif symbol.kind == "template":
        text = _template(analysis, symbol)
    elif symbol.kind == "binding" and isinstance(node, n.Let):
        preset = " (standard library preset)" if symbol.span.file.startswith("std/") else ""
        text = f"**binding `{symbol.name}`**{preset}\n```mpl\n{analysis.source(node.span)}\n```"
    elif symbol.kind == "param" and isinstance(node, n.Param):
        default = f" = {analysis.source(node.default.span)}" if node.default else ""
        text = f"**parameter `{symbol.name}{default}`** of template `{symbol.container}`"
    else:
        return f"**file** `{symbol.name}`"
    return text + _where(analysis, symbol)


def _expansion(analysis: Analysis, span: object) -> str:
    entries = by_statement(analysis).get(span)  # type: ignore[call-overload]
    if not entries:
        return ""
    return "\n\nexpands to:\n" + "\n".join(f"- {describe(entry)}" for entry in entries)


def _chunk_statement(analysis: Analysis, offset: int) -> n.Node | None:
    """The innermost chunk statement (or window range) under the cursor."""
    found = None
    for node in statements(analysis.compilation.program):
        if node.span.start <= offset <= node.span.end:
            found = node
    return found


def hover(analysis: Analysis, position: types.Position) -> types.Hover | None:
    """Markdown for whatever is under the cursor."""
    offset = analysis.offset(position)
    occurrence: Occurrence | None = analysis.symbols.at(analysis.file, offset)
    if occurrence is not None and occurrence.symbol is not None:
        symbol = occurrence.symbol
        text = describe_symbol(analysis, symbol)
        if symbol.kind == "template":
            call = _chunk_statement(analysis, offset)
            if isinstance(call, n.Call):
                text += _expansion(analysis, call.span)
        return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown,
                                                        value=text),
                           range=analysis.index.range(occurrence.span))
    node = _chunk_statement(analysis, offset)
    if node is None:
        return None
    entries = by_statement(analysis).get(node.span)
    if not entries:
        return None
    body = "\n".join(f"- {describe(entry)}" for entry in entries) if len(entries) > 1 \
        else describe(entries[0])
    title = f"**{entries[0].kind} chunk**" if len(entries) == 1 else f"**{len(entries)} chunks**"
    return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown,
                                                    value=f"{title}\n\n{body}"),
                       range=analysis.index.range(node.span))
