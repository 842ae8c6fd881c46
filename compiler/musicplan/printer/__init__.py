"""The one printer: the syntax tree to canonical MPL text (`mpl fmt`, `mpl decompile`, the
registry), with comment placement (`comments`) and line layout (`layout`)."""

from .core import (
    Printer,
    format_program,
    format_source,
    print_statement,
    quote,
)

__all__ = [
    "Printer",
    "format_program",
    "format_source",
    "print_statement",
    "quote",
]
