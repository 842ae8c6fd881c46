"""Source text → `nodes.Program` plus syntax diagnostics.

A small LALR(1) driver over the tables Lark builds from `grammar/mpl.lark` (written out as
Python literals in the generated `_mpl_parser`, see `grammar_build`): it lexes, parses and
builds each rule's node as the rule is reduced, so no parse tree is made and nothing
downstream sees a token. Work and memory grow in step with the source: no token looks past
its line. Syntax errors are collected, the offending line blanked and the parse retried, so
one run reports several independent mistakes and still yields a tree for tools.

The module holds no state between parses: the tables are constants, and each parse makes
its own token stream and node builder, so parses in several threads need no lock.
"""

from __future__ import annotations

import bisect
import contextlib
import gc
import json
import re
from collections.abc import Callable, Iterator
from typing import Any

from ..diagnostics import Diagnostic, Fix, Label, error
from ..diagnostics.suggest import closest
from . import _mpl_parser as tables
from . import nodes as n
from .literals import MAX_NUMBER_LENGTH, too_long
from .records import record
from .spans import Span, line_starts, span_at

MAX_RECOVERIES = 20
MAX_NESTING = 32  # blocks inside blocks; deeper would exhaust Python's stack downstream
Children = list[Any]  # a rule's children (the node builder has a method named `list`)


@record
class ParseResult:
    program: n.Program
    diagnostics: tuple[Diagnostic, ...]


# What may stand between two newlines that a lyric line folds into itself: spaces, a
# comment, and the `\r` of a CRLF the lexer ignored.
_FOLDABLE = re.compile(r"[ \t]*(?:#[^\n]*)?\r?")


class Token:
    """A token: its terminal's name, its text, and where it lies (1-based lines and columns,
    0-based offsets; `end_column` and `end_pos` exclusive)."""

    __slots__ = ("column", "end_column", "end_line", "end_pos", "line", "start_pos", "type",
                 "value")

    def __init__(self, kind: str, value: str, start_pos: int, end_pos: int, line: int,
                 column: int, end_line: int, end_column: int) -> None:
        self.type = kind
        self.value = value
        self.start_pos = start_pos
        self.end_pos = end_pos
        self.line = line
        self.column = column
        self.end_line = end_line
        self.end_column = end_column

    def __str__(self) -> str:
        return self.value

    def __repr__(self) -> str:
        return f"Token({self.type!r}, {self.value!r}, {self.start_pos})"


class UnexpectedCharacters(Exception):
    """No terminal matches the text at `pos_in_stream`."""

    def __init__(self, pos_in_stream: int) -> None:
        super().__init__(f"no token at offset {pos_in_stream}")
        self.pos_in_stream = pos_in_stream


class UnexpectedToken(Exception):
    """The grammar allows no `token` here; `expected` names the terminals it allows."""

    def __init__(self, token: Token, expected: set[str]) -> None:
        super().__init__(f"unexpected {token.type} at offset {token.start_pos}")
        self.token = token
        self.expected = expected


# The tables, read once as the module loads; nothing here changes afterwards.
_SCANNER = re.compile(tables.PATTERN)
_KEYWORDS: dict[str, str] = tables.KEYWORDS
_NEWLINE_TYPES = frozenset(tables.NEWLINE_TYPES)
_IGNORED = frozenset(tables.IGNORE)
_STATES: tuple[dict[str, int], ...] = tables.STATES
_RULES: tuple[tuple[str, int, str, str, tuple[tuple[int, bool, int], ...], int], ...] = (
    tables.RULES)
_START: int = tables.START
_END: int = tables.END


class Lines:
    """What the token stream noted about a parse: the first `{` nested deeper than
    `MAX_NESTING` blocks, and the lines folded into lyric lines (`(first newline, lyric)`)."""

    def __init__(self) -> None:
        self.too_deep: Token | None = None
        self.folded: list[tuple[int, int]] = []


def _tokens(text: str, comments: list[Token], lines: Lines) -> Iterator[Token]:
    """The tokens of `text` the parser reads.

    Lexing is Lark's basic lexer over the same tables: the first terminal of the scanner's
    alternation that matches, a NAME spelling a keyword retyped to it, the ignored terminals
    dropped (a COMMENT goes to `comments`), lines and columns counted as Lark counts them.

    Then, as the former post-lexer did: the newlines of the blank and comment lines right
    before a lyric line are left out, so the lyric token follows its chunk (the grammar's
    LYRIC token sees one line only; holding each newline once keeps lexing linear); newlines
    inside `(...)` and `[...]` are dropped, so lists and calls may span lines; and the first
    `{` nested too deeply is noted. A lexing error comes after the tokens before it."""
    match = _SCANNER.match
    foldable = _FOLDABLE.fullmatch
    keywords, newline_types, ignored = _KEYWORDS, _NEWLINE_TYPES, _IGNORED
    held: list[Token] = []  # newlines with only foldable text between them
    depth = blocks = 0
    pos, line, line_start, end = 0, 1, 0, len(text)
    while pos < end:
        found = match(text, pos)
        if found is None:
            if held and not depth:
                yield from held
            raise UnexpectedCharacters(pos)
        kind: str = found.lastgroup  # type: ignore[assignment]
        value = found.group()
        stop = found.end()
        first_line, column = line, pos - line_start + 1
        if kind in newline_types:
            count = value.count("\n")
            if count:
                line += count
                line_start = pos + value.rindex("\n") + 1
        if kind in ignored:
            if kind == "COMMENT":
                comments.append(Token(kind, value, pos, stop, first_line, column, line,
                                      stop - line_start + 1))
            pos = stop
            continue
        if kind == "NAME":
            kind = keywords.get(value, kind)
        token = Token(kind, value, pos, stop, first_line, column, line, stop - line_start + 1)
        pos = stop
        if held:
            if kind == "_NL" and foldable(text, held[-1].end_pos, token.start_pos):
                held.append(token)
                continue
            if kind == "LYRIC" and foldable(text, held[-1].end_pos, token.start_pos):
                lines.folded.append((held[0].start_pos, token.start_pos))
            elif not depth:
                yield from held
            held.clear()
        if kind == "_NL":
            held.append(token)
            continue
        if kind == "LPAR" or kind == "LSQB":
            depth += 1
        elif (kind == "RPAR" or kind == "RSQB") and depth:
            depth -= 1
        elif kind == "LBRACE":
            blocks += 1
            if blocks > MAX_NESTING and lines.too_deep is None:
                lines.too_deep = token
        elif kind == "RBRACE" and blocks:
            blocks -= 1
        yield token
    if held and not depth:
        yield from held


def _allowed(state: int) -> set[str]:
    return {name for name in _STATES[state] if name.isupper()}


Meta = tuple[Token, Token] | None  # a subtree's first and last token (None: it has none)
# the rules of one child that keep it as it is, and need no new list or position
_PASSES = tuple(size == 1 and include == ((0, False, 0),) and not after and how != "node"
                for _, size, how, _, include, after in _RULES)


def _drive(tokens: Iterator[Token], build: dict[str, Callable[[Meta, Children], Any]]) -> Any:
    """Run the LALR(1) tables over `tokens`, building each rule's node as it is reduced.

    Which children a rule's node gets, and its first and last token, follow Lark's tree
    builder (filtered anonymous tokens, `_rule`s spliced into their parent, `?rule`s with
    one child replaced by it, `None` for a missing `[optional]`, positions propagated from
    the tokens); tests/syntax/test_parser_equivalence.py holds the two to the same output."""
    states, rules, passes = _STATES, _RULES, _PASSES
    stack = [_START]
    values: list[Any] = []
    metas: list[Meta] = []
    stream = iter(tokens)
    last: Token | None = None
    ending = False
    while True:
        token = next(stream, None)
        if token is None:
            ending = True
            token = _end_token(last)
        last = token
        kind = token.type
        while True:
            action = states[stack[-1]].get(kind)
            if action is None:
                raise UnexpectedToken(token, _allowed(stack[-1]))
            if action >= 0:
                assert not ending, "the tables shift nothing at the end"
                stack.append(action)
                values.append(token)
                metas.append((token, token))
                break
            # a reduction: the rule's node (or children, or one child) and its first and
            # last token replace what it was made of
            origin, size, how, name, include, after = rules[-1 - action]
            if passes[-1 - action]:  # one child, kept as it is
                if how == "inline":
                    values[-1] = [values[-1]]
                elif how == "line":
                    metas[-1] = None
                # "single": the child and its position stand for the rule
                stack[-1] = states[stack[-2]][origin]
            else:
                if size:
                    raw = values[-size:]
                    first = final = None
                    for meta in metas[-size:]:
                        if meta is not None:
                            if first is None:
                                first = meta[0]
                            final = meta[1]
                    del values[-size:], metas[-size:], stack[-size:]
                else:
                    raw, first, final = [], None, None
                meta = None if first is None or final is None else (first, final)
                children: list[Any] = []
                for index, spliced, nones in include:
                    if nones:
                        children.extend([None] * nones)
                    if spliced:
                        if children:
                            children.extend(raw[index])
                        else:  # a left-recursive repeat grows one list (copies: quadratic)
                            children = raw[index]
                    else:
                        children.append(raw[index])
                if after:
                    children.extend([None] * after)
                if how == "node":
                    value = build[name](meta, children)
                elif how == "inline":
                    value = children
                elif how == "single":
                    value = children[0]
                    if value is None:
                        meta = None
                    elif type(value) is Token:
                        meta = (value, value)
                else:  # `line`: a top-level statement, already built; it has no position
                    value = children[0] if children else None
                    meta = None
                stack.append(states[stack[-1]][origin])
                values.append(value)
                metas.append(meta)
            if ending and stack[-1] == _END:
                return values[-1]


def _end_token(last: Token | None) -> Token:
    """The end of the input, where the last token lies (as Lark places it)."""
    if last is None:
        return Token("$END", "", 0, 0, 1, 1, 1, 1)
    return Token("$END", "", last.start_pos, last.end_pos, last.line, last.column,
                 last.end_line, last.end_column)


def is_text(value: str) -> bool:
    """Whether `value` is real Unicode text: a lone surrogate (which JSON's `\\ud800` escape
    can spell) cannot be encoded, so no API request could carry it."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _lyric_parts(token: Any) -> tuple[int, str]:
    """Offset of a lyric token's `|`, and its text."""
    raw = str(token)
    bar = raw.index("|")
    return token.start_pos + bar, raw[bar + 1:].strip()


def _span(file: str, meta: Meta) -> Span:
    first, last = meta  # type: ignore[misc]
    return Span(file, first.line, first.column, last.end_line, last.end_column,
                first.start_pos, last.end_pos)


def _present(children: Children) -> list[Any]:
    return [child for child in children if child is not None]


# The grammar's rules (and aliases) that build nodes; one method of _ToNodes each.
RULES = (
    "start",
    "plan",
    "option",
    "song",
    "song_body",
    "section",
    "tempo",
    "keep",
    "generate",
    "styles",
    "avoid",
    "adherence",
    "strength",
    "like",
    "text",
    "sung",
    "list",
    "let",
    "import_",
    "template",
    "param",
    "block",
    "call",
    "arg",
    "replace",
    "window",
    "range",
    "clock_or_unit",
    "bare",
    "bar_position",
    "bars",
    "beats",
    "sung_at",
)


class _ToNodes:
    """Each rule's node, built as the driver reduces the rule: its method gets the rule's
    first and last token (`meta`) and its kept children, already nodes. One per parse;
    collects string-escape errors instead of raising.
    """

    def __init__(self, file: str, text: str, starts: list[int]) -> None:
        self.rules: dict[str, Callable[[Meta, Children], Any]] = {
            name: getattr(self, name) for name in RULES}
        self.file = file
        self.source = text
        self.starts = starts
        self.diagnostics: list[Diagnostic] = []
        # one copy of each text that names, strings and numbers repeat (a large file says
        # "techno" on every line): the tree of a 100k-line file is tens of MB smaller
        self.texts: dict[str, str] = {}

    def share(self, text: str) -> str:
        """The one copy of `text` in this tree."""
        return self.texts.setdefault(text, text)

    def _offset_span(self, start: int, end: int) -> Span:
        return span_at(self.file, self.source, start, end, self.starts)

    def _stmt_span(self, meta: Meta) -> Span:
        """A statement's span; a lyric token's leading newlines never start it."""
        return _span(self.file, meta)

    # -- tokens ------------------------------------------------------------------
    def _tok_span(self, token: Any) -> Span:
        return Span(self.file, token.line, token.column, token.end_line, token.end_column,
                    token.start_pos, token.end_pos)

    def _leaf(self, token: Any) -> Any:
        """Turn a Token into its node; nodes pass through."""
        if type(token) is not Token:
            return token
        span = self._tok_span(token)
        if token.type == "NAME":
            return n.Name(ident=self.share(token.value), span=span)
        if token.type == "STRING":
            return self._string(token, span)
        if token.type == "NUMBER":  # a plan option's value (seed, finetune_strength)
            return n.Number(text=self._digits(token), span=span)
        raise AssertionError(f"unexpected token {token.type}")

    def _digits(self, token: Any) -> str:
        """A number's text (NUMBER, TIME or TIMESIG); one too long to read is E0214."""
        text: str = token.value
        if len(text) > MAX_NUMBER_LENGTH:
            problem = too_long(text, self._tok_span(token))
            if problem is not None:
                self.diagnostics.append(problem)
        return self.share(text)

    def _string(self, token: Any, span: Span) -> n.Str:
        raw: str = self.share(token.value)
        if "\\" not in raw:
            return n.Str(value=self.share(raw[1:-1]), raw=raw, span=span)
        try:
            value = json.loads(raw, strict=False)
        except json.JSONDecodeError as exc:
            at = span.start + exc.pos
            bad = Span(self.file, span.line, span.col + exc.pos, span.line, span.col + exc.pos + 2,
                       at, at + 2)
            self.diagnostics.append(error(
                "E0103", f"invalid escape in a string: {exc.msg.lower()}", bad,
                hint='escapes are as in JSON: \\" \\\\ \\n \\t \\uXXXX'))
            value = raw[1:-1]
        else:
            value = self._without_lone_surrogates(value, raw, span)
        return n.Str(value=value, raw=raw, span=span)

    def _without_lone_surrogates(self, value: str, raw: str, span: Span) -> str:
        """A `\\ud800`-style escape that is not half of a pair names no character: E0103."""
        if is_text(value):
            return value
        match = re.search(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}", raw)
        at = match.start() if match else 0
        bad = Span(self.file, span.line, span.col + at, span.line, span.col + at + 6,
                   span.start + at, span.start + at + 6)
        self.diagnostics.append(error(
            "E0103", "invalid escape in a string: a lone surrogate is not a character", bad,
            hint="write the character itself, or both halves of its surrogate pair"))
        return value.encode("utf-8", "replace").decode("utf-8")

    def _names(self, children: Children) -> Children:
        return [self._leaf(child) if child is not None else None for child in children]

    # -- rules -------------------------------------------------------------------
    def start(self, meta: Meta, children: Children) -> n.Program:
        return n.Program(statements=tuple(_present(children)), span=self._meta_span(meta))

    def _meta_span(self, meta: Meta) -> Span:
        if meta is None:
            return Span(self.file, 1, 1, 1, 1, 0, 0)
        return _span(self.file, meta)

    def plan(self, meta: Meta, children: Children) -> n.PlanHeader:
        return n.PlanHeader(options=tuple(children), span=_span(self.file, meta))

    def option(self, meta: Meta, children: Children) -> n.PlanOption:
        name, value = self._names(children)
        return n.PlanOption(name=name, value=value, span=_span(self.file, meta))

    def song(self, meta: Meta, children: Children) -> n.SongDecl:
        name, song_id, length, body = self._names(children)
        tempo = None
        sections: list[n.Section] = []
        for item in (body or ()):
            if isinstance(item, n.Tempo) and tempo is not None:
                self.diagnostics.append(error(
                    "E0212", "the song's tempo is given twice", item.span,
                    secondary=[Label(span=tempo.span, message="first here")],
                    hint="a song has one tempo; declare another song for another tempo"))
            elif isinstance(item, n.Tempo):
                tempo = item
            else:
                sections.append(item)
        return n.SongDecl(name=name, song_id=song_id, length=length, tempo=tempo,
                          sections=tuple(sections), block=body is not None,
                          span=_span(self.file, meta))

    def song_body(self, meta: Meta, children: Children) -> Children:
        return _present(children)

    def section(self, meta: Meta, children: Children) -> n.Section:
        name, range_ = self._names(children)
        return n.Section(name=name, range=range_, span=_span(self.file, meta))

    def tempo(self, meta: Meta, children: Children) -> n.Tempo:
        bpm, signature = children
        return n.Tempo(bpm=n.Number(text=self._digits(bpm), span=self._tok_span(bpm)),
                       signature=None if signature is None else self._digits(signature),
                       span=_span(self.file, meta))

    def keep(self, meta: Meta, children: Children) -> n.Keep:
        song, slice_ = self._names(children)
        return n.Keep(song=song, slice=slice_, span=_span(self.file, meta))

    def generate(self, meta: Meta, children: Children) -> n.Generate:
        keyword, label, duration, *rest = children
        attrs = tuple(child for child in rest if type(child) is not Token)
        lyrics = self._lyrics([tok for tok in rest if type(tok) is Token])
        return n.Generate(regen=keyword.type == "REGEN", label=self._leaf(label),
                          duration=self._leaf(duration) if duration is not None else None,
                          attrs=attrs, lyrics=lyrics, span=self._stmt_span(meta))

    def _lyrics(self, tokens: list[Any]) -> tuple[n.Lyric, ...]:
        lyrics = []
        for tok in tokens:
            at, lyric = _lyric_parts(tok)
            lyrics.append(n.Lyric(text=lyric, span=self._offset_span(at, tok.end_pos)))
        return tuple(lyrics)

    def sung(self, meta: Meta, children: Children) -> n.Sung:
        return n.Sung(span=_span(self.file, meta))

    def styles(self, meta: Meta, children: Children) -> n.Styles:
        return n.Styles(items=children[0], span=_span(self.file, meta))

    def avoid(self, meta: Meta, children: Children) -> n.Avoid:
        return n.Avoid(items=children[0], span=_span(self.file, meta))

    def adherence(self, meta: Meta, children: Children) -> n.Adherence:
        return n.Adherence(value=self._leaf(children[0]), span=_span(self.file, meta))

    def strength(self, meta: Meta, children: Children) -> n.Strength:
        return n.Strength(value=self._leaf(children[0]), span=_span(self.file, meta))

    def like(self, meta: Meta, children: Children) -> n.Like:
        song, slice_ = self._names(children)
        return n.Like(song=song, slice=slice_, span=_span(self.file, meta))

    def text(self, meta: Meta, children: Children) -> n.TextAttr:
        return n.TextAttr(value=self._leaf(children[0]), span=_span(self.file, meta))

    def list(self, meta: Meta, children: Children) -> n.ListExpr:
        return n.ListExpr(items=tuple(self._leaf(c) for c in _present(children)),
                          span=_span(self.file, meta))

    def let(self, meta: Meta, children: Children) -> n.Let:
        name, value = self._names(children)
        return n.Let(name=name, value=value, span=_span(self.file, meta))

    def import_(self, meta: Meta, children: Children) -> n.Import:
        path, alias = self._names(children)
        return n.Import(path=path, alias=alias, span=_span(self.file, meta))

    def template(self, meta: Meta, children: Children) -> n.TemplateDef:
        name, *params, body = children
        return n.TemplateDef(name=self._leaf(name), params=tuple(_present(params)), body=body,
                             span=_span(self.file, meta))

    def param(self, meta: Meta, children: Children) -> n.Param:
        name, default = self._names(children)
        return n.Param(name=name, default=default, span=_span(self.file, meta))

    def block(self, meta: Meta, children: Children) -> n.Block:
        return n.Block(statements=tuple(_present(children)), span=_span(self.file, meta))

    def call(self, meta: Meta, children: Children) -> n.Call:
        name, *rest = children
        tokens = [child for child in rest if type(child) is Token]
        return n.Call(name=self._leaf(name),
                      args=tuple(child for child in _present(rest)
                                 if type(child) is not Token),
                      passes_lyrics=any(tok.type == "LYRICS" for tok in tokens),
                      lyrics=self._lyrics([tok for tok in tokens if tok.type == "LYRIC"]),
                      span=self._stmt_span(meta))

    def arg(self, meta: Meta, children: Children) -> n.Arg:
        name, value = self._names(children)
        return n.Arg(name=name, value=value, span=_span(self.file, meta))

    def replace(self, meta: Meta, children: Children) -> n.Replace:
        song, *windows = children
        return n.Replace(song=self._leaf(song) if song is not None else None,
                         windows=tuple(windows), span=_span(self.file, meta))

    def window(self, meta: Meta, children: Children) -> n.Window:
        slice_, stretch, body = children
        return n.Window(slice=self._leaf(slice_), stretch=stretch is not None, body=body,
                        span=_span(self.file, meta))

    def range(self, meta: Meta, children: Children) -> n.Range:
        start, end = children
        return n.Range(start=start, end=end, span=_span(self.file, meta))

    def clock_or_unit(self, meta: Meta, children: Children) -> n.Time:
        text = self._digits(children[0])
        span = _span(self.file, meta)
        if ":" in text:
            return n.Time(amount=text, unit="clock", span=span)
        if text.endswith("ms"):
            return n.Time(amount=self.share(text[:-2]), unit="ms", span=span)
        return n.Time(amount=self.share(text[:-1]), unit="s", span=span)

    def bare(self, meta: Meta, children: Children) -> n.Time:
        return n.Time(amount=self._digits(children[0]), unit="bare", span=_span(self.file, meta))

    def bar_position(self, meta: Meta, children: Children) -> n.Time:
        return n.Time(amount=self._digits(children[0]), unit="bar", span=_span(self.file, meta))

    def bars(self, meta: Meta, children: Children) -> n.Time:
        return n.Time(amount=self._digits(children[0]), unit="bars", span=_span(self.file, meta))

    def beats(self, meta: Meta, children: Children) -> n.Time:
        return n.Time(amount=self._digits(children[0]), unit="beats", span=_span(self.file, meta))

    def sung_at(self, meta: Meta, children: Children) -> n.Time:
        """`"PHRASE"` or `"PHRASE"[N]` at a range's end: a position on a song's sung words,
        kept as written (`amount`) and found when the song is known (resolve.sung)."""
        phrase, nth = children
        raw = self._string(phrase, self._tok_span(phrase)).raw
        amount = raw + (f"[{self._digits(nth)}]" if nth is not None else "")
        return n.Time(amount=self.share(amount), unit="sung", span=_span(self.file, meta))


# ---- the parser and its errors --------------------------------------------------------

# the grammar's literal terminals, in backquotes: "RBRACE" → "`}`"
_TERMINAL_TEXT = {name: f"`{value}`" for name, value in tables.STRINGS.items()}

_WORDS = {
    "NAME": "a name", "STRING": 'a string like "Intro"', "NUMBER": "a number",
    "TIME": "a time like 30s or 1:30", "TIMESIG": "a time signature like 4/4",
    "LYRIC": "a lyric line", "_NL": "end of line", "$END": "end of file",
    "GEN": "`gen`", "REGEN": "`regen`", "STRETCH": "`stretch`", "LYRICS": "`lyrics`",
}


def describe_terminal(name: str) -> str:
    """Human words for a terminal name (`RBRACE` → "`}`")."""
    return _WORDS.get(name) or _TERMINAL_TEXT.get(name, name.lower())


def _expected(names: set[str]) -> str:
    words = sorted({describe_terminal(name) for name in names if not name.startswith("__")})
    if len(words) > 8:
        return ", ".join(words[:8]) + ", …"
    return ", ".join(words)


def _found(token: Any) -> str:
    if token.type == "$END":
        return "end of file"
    if token.type == "_NL":
        return "end of line"
    return f"`{token}`"


def _syntax_diagnostic(exc: Any, file: str, text: str, starts: list[int]) -> tuple[Diagnostic, int]:
    """A diagnostic for a parse failure and the offset whose line to blank for recovery."""
    if isinstance(exc, UnexpectedCharacters):
        at = exc.pos_in_stream
        char = text[at]
        span = span_at(file, text, at, at + 1, starts)
        if char == "|":
            return error("E0105", "a lyric line must follow a `gen` or `regen` chunk or a "
                         "template call", span,
                         hint="put lyric lines on the lines right under their chunk"), at
        if char == '"':
            return error("E0102", "unterminated string", span,
                         hint='close the string with `"` on the same line'), at
        if char == "'":
            return _single_quotes(file, text, at, starts), at
        short = _short_clock(file, text, at, starts)
        if short is not None:
            return short, at
        return error("E0104", f"unexpected character `{char}`", span,
                     hint="comments start with `#`; lyric lines with `|`"), at
    token = exc.token
    if token.type == "$END":
        at = len(text)
        span = span_at(file, text, max(0, at - 1), at, starts)
    else:
        at = token.start_pos
        span = span_at(file, text, token.start_pos, token.end_pos, starts)
    if token.type == "LYRIC":
        at = token.start_pos + _lyric_parts(token)[0] - token.start_pos
        span = span_at(file, text, at, token.end_pos, starts)
        return error("E0105", "a lyric line must follow a `gen` or `regen` chunk or a "
                     "template call", span, hint="put lyric lines right under their chunk"), at
    hint = None
    expected = set(getattr(exc, "expected", ()) or ())
    if token.type != "$END" and not text[:token.start_pos].strip() and \
            (_is_json(text) or (file.endswith(".json") and str(token) in "{[")):
        return error("E0220", "this is JSON, not MPL", span,
                     hint="to turn a plan's JSON into MPL, run: mpl decompile "
                     f"{'FILE' if file.startswith('<') else file}"), at
    misspelt = _misspelt_keyword(file, text, token, expected, starts)
    if misspelt is not None:
        return misspelt, at
    if token.type == "NAME" and at > 0 and text[at - 1].isdigit():
        hint = "a time's unit is `ms` or `s` (as in 500ms, 30s), or write `1:30`"
    elif token.type == "NUMBER" and "TIME" in expected:
        hint = f"give the time a unit: {token}s"
    elif "NAME" in expected and token.type != "NAME" and str(token).isidentifier():
        hint = f"`{token}` is a keyword of MPL; choose another name"
    message = f"expected {_expected(expected)}; found {_found(token)}" if expected \
        else f"unexpected {_found(token)}"
    return error("E0101", message, span, hint=hint), at


def keywords(names: set[str] | None = None) -> list[str]:
    """The grammar's keywords (of the terminals `names`, when given)."""
    words = (_TERMINAL_TEXT[name] for name in (_TERMINAL_TEXT if names is None else names)
             if name in _TERMINAL_TEXT)
    return sorted({word.strip("`") for word in words if word.strip("`").isidentifier()})


# the words a statement starts with: a misspelt one reads as a template call (`gne "A"`)
STATEMENT_KEYWORDS = ("plan", "song", "tempo", "keep", "gen", "regen", "let", "import",
                      "template", "replace")
# Patterns only a syntax error needs are compiled when one is met (`re` keeps them then).
_FIRST_WORD = r"[ \t]*([A-Za-z_]\w*)\b"


def _misspelt_keyword(file: str, text: str, token: Any, expected: set[str],
                      starts: list[int]) -> Diagnostic | None:
    """E0101 with a did-you-mean when the parse failed on a misspelt keyword: a word where a
    keyword or attribute was expected (`styels[`, `adherance=`, `lenght=`), or a line's
    first word read as a template call (`gne "A"`, `keeep s 0-10s`)."""
    candidates = []
    if token.type == "NAME" and not (token.start_pos and text[token.start_pos - 1].isdigit()):
        candidates.append((str(token), token.start_pos, keywords(expected)))
    if token.type != "$END":
        line_start = text.rfind("\n", 0, token.start_pos) + 1
        first = re.compile(_FIRST_WORD).match(text, line_start, token.start_pos)
        if first is not None and first.start(1) != token.start_pos:
            candidates.append((first.group(1), first.start(1), list(STATEMENT_KEYWORDS)))
    found = next(((word, start, match) for word, start, known in candidates
                  if word not in known and (match := _near_keyword(word, known)) is not None),
                 None)
    if found is None:
        return None
    word, start, match = found
    span = span_at(file, text, start, start + len(word), starts)
    return error("E0101", f"unknown word `{word}`", span, hint=f"did you mean `{match}`?",
                 fix=Fix(title=f"Change to {match}", span=span, text=match))


def _is_json(text: str) -> bool:
    """Whether `text` is a JSON object or array (a plan given where MPL was expected)."""
    if not text.lstrip().startswith(("{", "[")):
        return False
    try:
        json.loads(text)
    except (ValueError, RecursionError):
        return False
    return True


def _near_keyword(word: str, known: list[str]) -> str | None:
    """The keyword `word` misspells: close, and within two letters of its length (`sec` is
    not `stretch`)."""
    match = closest(word, [keyword for keyword in known if abs(len(keyword) - len(word)) <= 2])
    return match if match != word else None


def _single_quotes(file: str, text: str, at: int, starts: list[int]) -> Diagnostic:
    """E0104 at a `'`: strings take double quotes (with the fix, when it closes on its line)."""
    end = text.find("'", at + 1)
    newline = text.find("\n", at)
    closed = end > at and (newline < 0 or end < newline)
    span = span_at(file, text, at, end + 1 if closed else at + 1, starts)
    fix = None
    if closed:
        quoted = json.dumps(text[at + 1:end], ensure_ascii=False)
        fix = Fix(title=f"Change to {quoted}", span=span, text=quoted)
    return error("E0104", "strings take double quotes, not `'`", span,
                 hint=f"write {fix.text}" if fix else 'write "…"', fix=fix)


_SHORT_CLOCK = r"(\d+(?::\d\d)*):(\d)(\.\d+)?(?![\d:])"


def _short_clock(file: str, text: str, at: int, starts: list[int]) -> Diagnostic | None:
    """E0404 for a clock time whose seconds have one digit (`1:5`), with the fix `1:05`,
    when the lexer stopped at a `:` inside it."""
    start = at
    while start > 0 and (text[start - 1].isdigit() or text[start - 1] == ":"):
        start -= 1
    match = re.compile(_SHORT_CLOCK).match(text, start)
    if match is None or not start < at < match.end():
        return None
    fixed = f"{match.group(1)}:0{match.group(2)}{match.group(3) or ''}"
    return error("E0404", f"`{match.group(0)}`: a clock time's seconds take two digits",
                 span_at(file, text, start, match.end(), starts), hint=f"write {fixed}")


def _blank_line(text: str, at: int) -> str:
    start = text.rfind("\n", 0, at) + 1
    end = text.find("\n", at)
    end = len(text) if end < 0 else end
    return text[:start] + " " * (end - start) + text[end:]


def parse(text: str, file: str = "<input>") -> ParseResult:
    """Parse MPL source; never raises for bad input. Thread-safe: a parse shares nothing."""
    with no_cycle_collection():
        return _parse(without_bom(text), file)


@contextlib.contextmanager
def no_cycle_collection() -> Iterator[None]:
    """Pause Python's cycle collector (public `gc` API; nests: the outermost pause resumes
    it): a compilation makes no reference cycles worth collecting (reference counting frees
    all it drops), and on a large file the collector's passes over the growing tree cost
    more than the work and grow faster than the file (bench/scaling.py)."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def _too_deep(brace: Any, file: str, text: str, starts: list[int],
              diagnostics: list[Diagnostic]) -> ParseResult:
    """E0510 at a `{` nested too deeply; the tree is not built (it would be that deep)."""
    span = span_at(file, text, brace.start_pos, brace.end_pos, starts)
    problem = error("E0510", f"blocks nest more than {MAX_NESTING} deep here", span,
                    hint="move the inner part into a template")
    empty = n.Program(statements=(), span=span_at(file, text, 0, len(text), starts))
    return ParseResult(program=empty, diagnostics=(*diagnostics, problem))


def without_bom(text: str) -> str:
    """`text` without a leading byte order mark: editors on Windows write one, and it is no
    part of the program (files read from disk lose it as they are decoded)."""
    return text.removeprefix("\ufeff")


def _comments(tokens: list[Token], folded: list[tuple[int, int]],
              to_nodes: _ToNodes) -> tuple[n.Comment, ...]:
    """The comment tokens as nodes, in order. A comment on a line folded into a lyric line
    ends where its text ends, before a CRLF's `\\r` (as when the lyric token held it)."""
    folded_starts = [start for start, _ in folded]
    comments = []
    for token in tokens:
        text = token.value.rstrip("\r")
        span = to_nodes._tok_span(token)
        if len(text) < len(token.value):
            at = bisect.bisect_right(folded_starts, token.start_pos) - 1
            if at >= 0 and token.start_pos < folded[at][1]:
                span = to_nodes._offset_span(token.start_pos, token.start_pos + len(text))
        comments.append(n.Comment(text=text, span=span))
    return tuple(comments)


def _parse(text: str, file: str) -> ParseResult:
    starts = line_starts(text)
    diagnostics: list[Diagnostic] = []
    current = text
    for _ in range(MAX_RECOVERIES):
        comments: list[Token] = []
        lines = Lines()
        to_nodes = _ToNodes(file, current, starts)
        try:
            program = _drive(_tokens(current, comments, lines), to_nodes.rules)
        except (UnexpectedCharacters, UnexpectedToken) as exc:
            diagnostic, at = _syntax_diagnostic(exc, file, current, starts)
            if any(d.span.line == diagnostic.span.line for d in diagnostics):
                break
            diagnostics.append(diagnostic)
            blanked = _blank_line(current, min(at, len(current) - 1) if current else 0)
            if blanked == current:
                break
            current = blanked
            continue
        if lines.too_deep is not None:
            return _too_deep(lines.too_deep, file, text, starts, diagnostics)
        program = n.Program(statements=program.statements,
                            comments=_comments(comments, lines.folded, to_nodes),
                            span=span_at(file, text, 0, len(text), starts))
        return ParseResult(program=program, diagnostics=tuple(diagnostics + to_nodes.diagnostics))
    empty = n.Program(statements=(), span=span_at(file, text, 0, len(text), starts))
    return ParseResult(program=empty, diagnostics=tuple(diagnostics))
