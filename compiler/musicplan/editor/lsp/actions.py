"""Formatting (the printer `mpl fmt` uses) and quick fixes for diagnostics: a diagnostic
that carries a `fix` (a misspelt name and the declared one nearest to it) becomes a code
action as it stands."""

from __future__ import annotations

from collections.abc import Sequence

from lsprotocol import types

from ...diagnostics import Diagnostic
from ...printer import format_source
from .document import Analysis


def formatting(analysis: Analysis) -> list[types.TextEdit] | None:
    """One edit replacing the whole document with its canonical form (None on syntax errors,
    so the editor keeps the text as it is)."""
    formatted, _ = format_source(analysis.text, analysis.file)
    if formatted is None or formatted == analysis.text:
        return None if formatted is None else []
    lines = analysis.index
    return [types.TextEdit(range=lines.range_of(0, len(analysis.text)), new_text=formatted)]


def quick_fix(analysis: Analysis, diagnostic: Diagnostic) -> types.CodeAction | None:
    """The code action that fixes `diagnostic` in this document, if there is one."""
    fix = diagnostic.fix
    if fix is None:
        return None
    title, span, text = fix.title, fix.span, fix.text
    if span.file != analysis.file:
        return None
    edit = types.TextEdit(range=analysis.index.range(span), new_text=text)
    return types.CodeAction(title=title, kind=types.CodeActionKind.QuickFix,
                            edit=types.WorkspaceEdit(changes={analysis.uri: [edit]}),
                            is_preferred=True)


def code_actions(analysis: Analysis, wanted: types.Range,
                 shown: Sequence[types.Diagnostic]) -> list[types.CodeAction]:
    """Quick fixes for the diagnostics in `wanted` (linked to the client's own objects)."""
    lines = analysis.index
    start, end = lines.offset(wanted.start), lines.offset(wanted.end)
    out: list[types.CodeAction] = []
    for diagnostic in analysis.compilation.diagnostics:
        span = diagnostic.span
        if span.file != analysis.file or span.end < start or span.start > end:
            continue
        action = quick_fix(analysis, diagnostic)
        if action is None:
            continue
        here = lines.range(span)
        action.diagnostics = [d for d in shown if d.range == here and d.code == diagnostic.code]
        out.append(action)
    return out
