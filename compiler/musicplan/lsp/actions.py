"""Formatting (the printer `mpl fmt` uses) and quick fixes for diagnostics.

A diagnostic that carries a `fix` becomes a code action as it stands. One whose hint reads
"did you mean `x`?" becomes one too: the misspelled name (or the last part of an import
path) is replaced by `x`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from lsprotocol import types

from ..diagnostics import Diagnostic
from ..printer import format_source
from .document import Analysis

_DID_YOU_MEAN = re.compile(r"did you mean `([^`]+)`\?")


def formatting(analysis: Analysis) -> list[types.TextEdit] | None:
    """One edit replacing the whole document with its canonical form (None on syntax errors,
    so the editor keeps the text as it is)."""
    formatted, _ = format_source(analysis.text, analysis.file)
    if formatted is None or formatted == analysis.text:
        return None if formatted is None else []
    lines = analysis.index
    return [types.TextEdit(range=lines.range_of(0, len(analysis.text)), new_text=formatted)]


def _replacement(written: str, suggestion: str) -> str:
    """What to write instead of `written`: the suggestion, kept inside quotes and paths."""
    if written.startswith('"'):
        inner = written.strip('"')
        head, _, tail = inner.rpartition("/")
        extension = ".mpl" if tail.endswith(".mpl") else ""
        return f'"{head + "/" if head else ""}{suggestion}{extension}"'
    return suggestion


def quick_fix(analysis: Analysis, diagnostic: Diagnostic) -> types.CodeAction | None:
    """The code action that fixes `diagnostic` in this document, if there is one."""
    if diagnostic.fix is not None:
        title, span, text = diagnostic.fix.title, diagnostic.fix.span, diagnostic.fix.text
    else:
        match = _DID_YOU_MEAN.search(diagnostic.hint or "")
        if match is None:
            return None
        span = diagnostic.span
        text = _replacement(analysis.source(span), match.group(1))
        title = f"Change to {text}"
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
