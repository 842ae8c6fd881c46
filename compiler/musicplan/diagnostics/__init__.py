"""Diagnostics: the `Diagnostic` record with its labels and fixes, the codes, the renderers
(short text, rich frames, JSON) and did-you-mean suggestions. Every stage reports through
these; the names below are the package's face."""

from .core import (
    MAX_FRAME,
    Diagnostic,
    Fix,
    Label,
    Severity,
    SourceLines,
    error,
    has_errors,
    not_utf8,
    promote_warnings,
    render,
    render_all,
    render_short,
    sort_key,
    to_json,
    warning,
    with_context,
)
from .sink import Sink

__all__ = [
    "MAX_FRAME",
    "Diagnostic",
    "Fix",
    "Label",
    "Severity",
    "Sink",
    "SourceLines",
    "error",
    "has_errors",
    "not_utf8",
    "promote_warnings",
    "render",
    "render_all",
    "render_short",
    "sort_key",
    "to_json",
    "warning",
    "with_context",
]
