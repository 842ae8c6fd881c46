"""Semantic tokens (full document), so editors without the TextMate grammar (Neovim, Helix,
Emacs) get MPL coloured by the server alone.

Literals (strings, times, numbers, comments, lyric lines) and the places of enum values and
plan options come from the syntax tree, names from the compilation's symbol table (a song, a
section, a binding, a template, a parameter), and the words
in between — keywords, field words, enum values — are classed by `vocabulary`, the same lists
the TextMate grammar and the Pygments lexer follow.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lsprotocol import types

from ...resolve.symbols import Occurrence
from ...syntax import nodes as n
from ...syntax.records import fields, is_record
from .. import vocabulary as vocab
from .document import Analysis

TOKEN_TYPES = ("keyword", "property", "enumMember", "number", "string", "comment", "function",
               "variable", "namespace", "parameter", "type", "operator")
TOKEN_MODIFIERS = ("declaration", "defaultLibrary")
LEGEND = types.SemanticTokensLegend(token_types=list(TOKEN_TYPES),
                                    token_modifiers=list(TOKEN_MODIFIERS))

_KIND_TYPE = {"song": "namespace", "section": "type", "binding": "variable",
              "template": "function", "param": "parameter", "module": "namespace"}
_WORD = re.compile(r"(?<![\w.])[A-Za-z_][A-Za-z0-9_]*")
_TIMESIG = re.compile(r"\d+/\d+")

Token = tuple[int, int, str, int]  # start offset, end offset, type, modifier bits


def word_type(word: str) -> str | None:
    """The token type of a word of the language, by its class in `vocabulary`."""
    if word in vocab.STATEMENT_KEYWORDS:
        return "keyword"
    if word in vocab.FIELD_WORDS or word in vocab.OPTION_WORDS:
        return "property"
    if word in vocab.TIME_WORDS:
        return "number"
    if word in vocab.ENUM_VALUES or word in vocab.FORMATS:
        return "enumMember"
    return None


def _literals(node: object) -> Iterator[Token]:
    """Strings, numbers, times and lyric lines anywhere under `node`."""
    if isinstance(node, n.Str):
        yield node.span.start, node.span.end, "string", 0
    elif isinstance(node, (n.Number, n.Time)):
        yield node.span.start, node.span.end, "number", 0
    elif isinstance(node, n.Lyric):
        yield node.span.start, node.span.start + 1, "operator", 0
        yield node.span.start + 1, node.span.end, "string", 0
    elif is_record(node):
        for item in fields(node):
            if item.name == "span":
                continue
            value = getattr(node, item.name)
            for child in value if isinstance(value, tuple) else (value,):
                yield from _literals(child)


def _name(occurrence: Occurrence) -> Token:
    span, symbol = occurrence.span, occurrence.symbol
    bits = 1 if occurrence.declaration else 0
    if symbol is None:
        return span.start, span.end, "variable", bits
    if symbol.span.file.startswith("std/"):
        bits |= 2
    return span.start, span.end, _KIND_TYPE[symbol.kind], bits


def collect(analysis: Analysis) -> list[Token]:
    """Every token of the document, in order, without overlaps."""
    program = analysis.compilation.program
    tokens: list[Token] = [(c.span.start, c.span.end, "comment", 0) for c in program.comments]
    tokens += _literals(program)
    names = analysis.symbols.occurrences(analysis.file)
    tokens += [_name(o) for o in names
               if analysis.text[o.span.start:o.span.start + 1] != '"']  # not import paths
    tokens += _places(program, {o.span for o in names})
    for statement in program.statements:
        if isinstance(statement, n.Tempo):
            text = analysis.source(statement.span)
            for match in _TIMESIG.finditer(text):
                tokens.append((statement.span.start + match.start(),
                               statement.span.start + match.end(), "number", 0))
    tokens.sort()
    covered = _coverage(tokens)
    for match in _WORD.finditer(analysis.text):
        kind = word_type(match.group())
        if kind is not None and not _inside(covered, match.start()):
            tokens.append((match.start(), match.end(), kind, 0))
    tokens.sort()
    out: list[Token] = []
    for token in tokens:  # the first token to claim a character keeps it
        if not out or token[0] >= out[-1][1]:
            out.append(token)
    return out


def _places(program: n.Program, named: set[object]) -> Iterator[Token]:
    """Plan options and the enum values of `plan`, `adherence=` and `strength=` (unless the
    value is a name bound to something: a template's parameter)."""
    for node in _every_statement(program.statements):
        if isinstance(node, n.PlanHeader):
            for option in node.options:
                yield option.name.span.start, option.name.span.end, "property", 0
                if isinstance(option.value, n.Name):
                    yield option.value.span.start, option.value.span.end, "enumMember", 0
        elif isinstance(node, n.Generate):
            for attr in node.attrs:
                if isinstance(attr, (n.Adherence, n.Strength)) and attr.value.span not in named:
                    yield attr.value.span.start, attr.value.span.end, "enumMember", 0


def _every_statement(statements: tuple[n.Statement, ...]) -> Iterator[n.Statement]:
    """Every statement, those in template and window bodies too."""
    waiting = list(statements)
    while waiting:
        statement = waiting.pop()
        yield statement
        if isinstance(statement, n.TemplateDef):
            waiting += statement.body.statements
        elif isinstance(statement, n.Replace):
            for window in statement.windows:
                waiting += window.body.statements


def _coverage(tokens: list[Token]) -> list[tuple[int, int]]:
    return [(start, end) for start, end, _, _ in tokens]


def _inside(covered: list[tuple[int, int]], offset: int) -> bool:
    import bisect

    position = bisect.bisect_right(covered, (offset, 1 << 62)) - 1
    return position >= 0 and covered[position][0] <= offset < covered[position][1]


def semantic_tokens(analysis: Analysis) -> types.SemanticTokens:
    """The document's tokens, delta-encoded as LSP wants them."""
    lines = analysis.index
    data: list[int] = []
    previous_line = previous_char = 0
    for start, end, kind, bits in collect(analysis):
        first = lines.position(start)
        line_end = lines.starts[first.line] + len(lines.line_text(first.line))
        last = lines.position(min(end, line_end))
        length = last.character - first.character
        if length <= 0:
            continue
        delta_line = first.line - previous_line
        delta_char = first.character - previous_char if delta_line == 0 else first.character
        data += [delta_line, delta_char, length, TOKEN_TYPES.index(kind), bits]
        previous_line, previous_char = first.line, first.character
    return types.SemanticTokens(data=data)
