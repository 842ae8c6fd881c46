"""A Pygments lexer for MPL, registered through the `pygments.lexers` entry point.

Pygments' Maple lexer also claims `*.mpl`; this lexer wins for MPL both ways Pygments picks
one: by content (`analyse_text` recognises MPL statements and never Maple's `:=`) and by
file name alone (a higher `priority`). Word lists come from `vocabulary`, like the TextMate
grammar's and the language server's.
"""

from __future__ import annotations

import re
from typing import ClassVar

from pygments.lexer import RegexLexer, bygroups, include, words
from pygments.token import (
    Comment,
    Keyword,
    Name,
    Number,
    Operator,
    Punctuation,
    String,
    Text,
    Whitespace,
)

from . import vocabulary as v

_NAME = r"[A-Za-z_][A-Za-z0-9_]*"
_MPL_LINE = re.compile(
    r'^\s*(?:song\s+\w+\s*=\s*"|keep\s+(?:\w+\s+)?(?:\d|bar\b)|(?:re)?gen\s+"|plan\s+\w+|'
    r'let\s+\w+\s*=|import\s+"|template\s+\w+\s*\(|tempo\s+\d)', re.MULTILINE)


class MPLLexer(RegexLexer):
    """MPL, the music plan language."""

    name = "MPL"
    aliases: ClassVar[list[str]] = ["mpl"]
    filenames: ClassVar[list[str]] = ["*.mpl"]
    mimetypes: ClassVar[list[str]] = ["text/x-mpl"]
    url = "https://pypi.org/project/musicplan/"
    priority = 0.5  # Maple's is 0: with no code to look at, *.mpl is MPL

    tokens: ClassVar[dict[str, list[object]]] = {  # type: ignore[misc]
        "root": [
            (r"^([ \t]*)(\|)(.*)$", bygroups(Whitespace, Punctuation, String.Other)),
            (r"\n", Whitespace),
            (r"[ \t\r\f]+", Whitespace),
            (r"#.*$", Comment.Single),
            (rf"\b(song)(\s+)({_NAME})", bygroups(Keyword, Whitespace, Name.Class)),
            (rf"\b(let)(\s+)({_NAME})", bygroups(Keyword, Whitespace, Name.Variable)),
            (rf"\b(template)(\s+)({_NAME})", bygroups(Keyword, Whitespace, Name.Function)),
            (rf"\b(as)(\s+)({_NAME})", bygroups(Keyword.Type, Whitespace, Name.Namespace)),
            (r"\{", Punctuation, "block"),
            include("values"),
        ],
        "block": [
            (rf"((?:^|(?<=[{{;]))[ \t]*)(?!tempo\b)({_NAME})(?=\s+(?:\d|bar\b))",
             bygroups(Whitespace, Name.Label)),
            (r"\}", Punctuation, "#pop"),
            (r"^([ \t]*)(\|)(.*)$", bygroups(Whitespace, Punctuation, String.Other)),
            (r"\n", Whitespace),
            (r"[ \t\r\f]+", Whitespace),
            (r"#.*$", Comment.Single),
            (r"\{", Punctuation, "#push"),
            include("values"),
        ],
        "values": [
            (r'"', String.Double, "string"),
            (r"\bbar\s+\d+\b", Number),
            (r"\b\d+(?:\.\d+)?\s+(?:bars|bar|beats|beat)\b", Number),
            (r"\b\d+(?::\d\d){1,2}(?:\.\d+)?", Number),
            (r"\b\d+(?:\.\d+)?(?:ms|s)\b", Number),
            (r"\b\d+/\d+\b", Number),
            (r"\b\d+(?:\.\d+)?\b", Number),
            (words(v.STATEMENT_KEYWORDS, suffix=r"\b"), Keyword),
            (words((*v.FIELD_WORDS, *v.OPTION_WORDS), suffix=r"\b"), Keyword.Type),
            (words((*v.ENUM_VALUES, *v.FORMATS), suffix=r"\b"), Name.Constant),
            (rf"{_NAME}(?:\.{_NAME})*(?=\s*\()", Name.Function),
            (rf"{_NAME}(?:\.{_NAME})*", Name),
            (r"[=\-/]", Operator),
            (r"[\[\](),;]", Punctuation),
            (r".", Text),
        ],
        "string": [
            (r'\\(?:["\\/bfnrt]|u[0-9A-Fa-f]{4})', String.Escape),
            (r'[^"\\\n]+', String.Double),
            (r'"', String.Double, "#pop"),
            (r"\n", Whitespace, "#pop"),
            (r"\\", String.Double),
        ],
    }

    @staticmethod
    def analyse_text(text: str) -> float:
        """Recognise MPL: statements of its own; Maple's `:=` rules it out."""
        if ":=" in text:
            return 0.0
        found = len(_MPL_LINE.findall(text))
        return min(1.0, 0.3 + 0.2 * found) if found else 0.0
