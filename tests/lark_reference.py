"""Lark's own parser for MPL, the reference tests/syntax/test_parser_equivalence.py holds the
table-driven driver of `musicplan.syntax.parse` to. Test code only, never shipped.

Lark (the `lark` package, from grammar/mpl.lark at test time) lexes, parses and builds the
tree, with `propagate_positions` and `maybe_placeholders` as the tables are generated; the
post-lexer is the one the driver's token stream replaced, kept here as it was. The tree is
then turned into nodes by the same node builder the driver calls as it reduces
(`parse._ToNodes`), and a syntax error is described by the same `_syntax_diagnostic`. So
what the equivalence test compares is the driver's own work: the tokens and where they lie,
the post-lexing, the parse and the shape of each rule's children (filtered tokens, spliced
`_rules`, `?rules` with one child, `None` placeholders), each node's first and last token,
the terminals expected at an error, and the recovery from errors.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from typing import Any

import lark
from musicplan.diagnostics import Diagnostic
from musicplan.resources import grammar_path
from musicplan.syntax import nodes as n
from musicplan.syntax import parse as driver
from musicplan.syntax.grammar_build import OPTIONS
from musicplan.syntax.spans import line_starts, span_at

_FOLDABLE = re.compile(r"[ \t]*(?:#[^\n]*)?\r?")


class LinePostLexer:
    """The former post-lexer: folds the blank and comment lines before a lyric line into it,
    drops newlines inside `(...)` and `[...]`, and notes the first `{` nested deeper than
    `MAX_NESTING` blocks. Set `text` to the source before each parse."""

    always_accept = ("_NL",)

    def __init__(self) -> None:
        self.text = ""
        self.too_deep: Any = None
        self.folded: list[tuple[int, int]] = []

    def process(self, stream: Iterator[Any]) -> Iterator[Any]:
        depth = blocks = 0
        self.too_deep = None
        self.folded = []
        for token in self._lyrics(stream):
            kind = token.type
            if kind == "_NL" and depth:
                continue
            if kind in ("LPAR", "LSQB"):
                depth += 1
            elif kind in ("RPAR", "RSQB") and depth:
                depth -= 1
            elif kind == "LBRACE":
                blocks += 1
                if blocks > driver.MAX_NESTING and self.too_deep is None:
                    self.too_deep = token
            elif kind == "RBRACE" and blocks:
                blocks -= 1
            yield token

    def _lyrics(self, stream: Iterator[Any]) -> Iterator[Any]:
        held: list[Any] = []
        tokens = iter(stream)
        while True:
            try:
                token = next(tokens)
            except StopIteration:
                yield from held
                return
            except Exception:  # a lexing error comes after the tokens before it
                yield from held
                raise
            kind = token.type
            if held and not (kind in ("_NL", "LYRIC") and _FOLDABLE.fullmatch(
                    self.text, held[-1].end_pos, token.start_pos)):
                yield from held
                held.clear()
            if kind == "_NL":
                held.append(token)
                continue
            if held:
                self.folded.append((held[0].start_pos, token.start_pos))
                held.clear()
            yield token


class Reference:
    """Lark's parser with its post-lexer and comment sink (one parse at a time)."""

    def __init__(self) -> None:
        self.comments: list[Any] = []
        self.lines = LinePostLexer()
        self.parser = lark.Lark(grammar_path().read_text(encoding="utf-8"), **OPTIONS,
                                postlex=self.lines,
                                lexer_callbacks={"COMMENT": self.comments.append})


@cache
def reference() -> Reference:
    return Reference()


def token(lark_token: Any) -> driver.Token:
    """A Lark token as the driver's."""
    return driver.Token(lark_token.type, str(lark_token), lark_token.start_pos,
                        lark_token.end_pos, lark_token.line, lark_token.column,
                        lark_token.end_line, lark_token.end_column)


def meta(tree: lark.Tree) -> driver.Meta:
    """A tree's position as the driver's (first token, last token)."""
    if tree.meta.empty:
        return None
    where = tree.meta
    place = driver.Token("", "", where.start_pos, where.end_pos, where.line, where.column,
                         where.end_line, where.end_column)
    return place, place


def nodes(tree: Any, to_nodes: Any) -> Any:
    """The node of `tree`, built bottom-up by the driver's node builder."""
    if isinstance(tree, lark.Token):
        return token(tree)
    if not isinstance(tree, lark.Tree):
        return tree
    children = [nodes(child, to_nodes) for child in tree.children]
    if tree.data == "line":  # the statement of a top-level line
        return children[0] if children else None
    return to_nodes.rules[tree.data](meta(tree), children)


def error(exc: Exception) -> Exception:
    """A Lark parse error as the driver's."""
    if isinstance(exc, lark.UnexpectedCharacters):
        return driver.UnexpectedCharacters(exc.pos_in_stream)
    assert isinstance(exc, lark.UnexpectedToken)
    return driver.UnexpectedToken(token(exc.token), set(exc.expected))


def parse(text: str, file: str = "<input>") -> driver.ParseResult:
    """As `musicplan.syntax.parse.parse`, with Lark's parser (the former module's loop)."""
    text = driver.without_bom(text)
    parser = reference()
    starts = line_starts(text)
    diagnostics: list[Diagnostic] = []
    current = text
    for _ in range(driver.MAX_RECOVERIES):
        parser.comments.clear()
        parser.lines.text = current
        to_nodes = driver._ToNodes(file, current, starts)
        try:
            tree = parser.parser.parse(current)
        except lark.UnexpectedInput as exc:
            diagnostic, at = driver._syntax_diagnostic(error(exc), file, current, starts)
            if any(d.span.line == diagnostic.span.line for d in diagnostics):
                break
            diagnostics.append(diagnostic)
            blanked = driver._blank_line(current, min(at, len(current) - 1) if current else 0)
            if blanked == current:
                break
            current = blanked
            continue
        if parser.lines.too_deep is not None:
            return driver._too_deep(token(parser.lines.too_deep), file, text, starts,
                                    diagnostics)
        program = nodes(tree, to_nodes)
        comments = driver._comments([token(c) for c in parser.comments], parser.lines.folded,
                                    to_nodes)
        program = n.Program(statements=program.statements, comments=comments,
                            span=span_at(file, text, 0, len(text), starts))
        return driver.ParseResult(program=program,
                                  diagnostics=tuple(diagnostics + to_nodes.diagnostics))
    empty = n.Program(statements=(), span=span_at(file, text, 0, len(text), starts))
    return driver.ParseResult(program=empty, diagnostics=tuple(diagnostics))
