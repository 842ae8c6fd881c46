"""The compiler's diagnostics as LSP diagnostics: code, exact range, severity, and the
secondary labels (first declarations, template call sites, imports) as related places.

A diagnostic whose own place is in another file (inside an imported file, or a template's
body in the standard library) is shown at the first related place in this document — the
call or the import that led there — and its own place becomes related information.
"""

from __future__ import annotations

from lsprotocol import types

from ...diagnostics import Diagnostic, Label
from ...syntax import nodes as n
from .document import Analysis

SOURCE = "mpl"
_SEVERITY = {"error": types.DiagnosticSeverity.Error,
             "warning": types.DiagnosticSeverity.Warning}


def _related(analysis: Analysis, label: Label,
             fallback: str) -> types.DiagnosticRelatedInformation | None:
    location = analysis.location(label.span)
    if location is None:
        return None
    return types.DiagnosticRelatedInformation(location=location,
                                              message=label.message or fallback)


def _import_of(analysis: Analysis, file: str) -> n.Import | None:
    """The document's import that reads `file` (else its first import: the chain starts there)."""
    imports = [s for s in analysis.compilation.program.statements if isinstance(s, n.Import)]
    for statement in imports:
        if analysis.symbols.imported_file(statement) == file:
            return statement
    return imports[0] if imports else None


def _message(diagnostic: Diagnostic) -> str:
    parts = [diagnostic.message, *(f"note: {note}" for note in diagnostic.notes)]
    if diagnostic.hint:
        parts.append(f"hint: {diagnostic.hint}")
    return "\n".join(parts)


def to_lsp(analysis: Analysis, diagnostic: Diagnostic) -> types.Diagnostic | None:
    """One compiler diagnostic as this document shows it (None if it has no place here)."""
    labels = [diagnostic.primary, *diagnostic.secondary]
    here = next((label for label in labels if label.span.file == analysis.file), None)
    if here is None:  # e.g. a syntax error inside an imported file: show it at the import
        at = _import_of(analysis, diagnostic.span.file)
        if at is None:
            return None
        here = Label(span=at.span)
        labels.insert(1, here)
    related = [_related(analysis, label, "related")
               for label in labels if label is not here]
    if here is not diagnostic.primary:  # the problem itself is elsewhere: say where first
        own = _related(analysis, diagnostic.primary, diagnostic.message)
        related = [own, *related[1:]] if related else [own]
    data = None
    if diagnostic.fix is not None:
        data = {"title": diagnostic.fix.title, "text": diagnostic.fix.text}
    return types.Diagnostic(
        range=analysis.index.range(here.span),
        message=_message(diagnostic),
        severity=_SEVERITY[diagnostic.severity],
        code=diagnostic.code,
        source=SOURCE,
        related_information=[item for item in related if item is not None] or None,
        data=data,
    )


def failure_diagnostic(failure: str) -> types.Diagnostic:
    """The one diagnostic of a document the compiler failed on (a bug in MPL), at 1:1."""
    start = types.Position(line=0, character=0)
    return types.Diagnostic(
        range=types.Range(start=start, end=start), severity=types.DiagnosticSeverity.Error,
        source=SOURCE, message=f"internal error: the compiler failed on this document "
        f"({failure}). This is a bug in MPL; please report it.")


def lsp_diagnostics(analysis: Analysis) -> list[types.Diagnostic]:
    """Every diagnostic of the document's compilation that can be shown in it."""
    if analysis.failure is not None:
        return [failure_diagnostic(analysis.failure)]
    out: list[types.Diagnostic] = []
    for diagnostic in analysis.compilation.diagnostics:
        converted = to_lsp(analysis, diagnostic)
        if converted is not None:
            out.append(converted)
    return out
