"""Source text → `nodes.Program` plus syntax diagnostics.

The only module that touches the parser library (through the generated stand-alone module
`_mpl_parser`). A Transformer turns the parse tree into nodes at once (each top-level line's
as the line ends), so nothing downstream sees a Tree or Token. Work and memory grow in step
with the source: no token looks past its line, and no large parse tree is held. Syntax
errors are collected, the offending line blanked and the parse retried, so one run reports
several independent mistakes and still yields a tree for tools.
"""

from __future__ import annotations

import bisect
import contextlib
import gc
import json
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from ..diagnostics import Diagnostic, Fix, Label, error
from ..diagnostics.suggest import closest
from . import _mpl_parser as lark
from . import nodes as n
from .literals import too_long
from .spans import Span, line_starts, span_at

MAX_RECOVERIES = 20
MAX_NESTING = 32  # blocks inside blocks; deeper would exhaust Python's stack downstream
_LOCK = threading.Lock()


@dataclass(frozen=True)
class ParseResult:
    program: n.Program
    diagnostics: tuple[Diagnostic, ...]


# What may stand between two newlines that a lyric line folds into itself: spaces, a
# comment, and the `\r` of a CRLF the lexer ignored.
_FOLDABLE = re.compile(r"[ \t]*(?:#[^\n]*)?\r?")


class LinePostLexer:
    """Folds the blank and comment lines before a lyric line into it, drops newlines inside
    `(...)` and `[...]`, so lists and calls may span lines, and notes the first `{` nested
    deeper than `MAX_NESTING` blocks. Set `text` to the source before each parse."""

    always_accept = ("_NL",)

    def __init__(self) -> None:
        self.text = ""
        self.too_deep: Any = None  # the first `{` past MAX_NESTING, in the last parse
        self.folded: list[tuple[int, int]] = []  # the lines folded into lyric lines

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
                if blocks > MAX_NESTING and self.too_deep is None:
                    self.too_deep = token
            elif kind == "RBRACE" and blocks:
                blocks -= 1
            yield token

    def _lyrics(self, stream: Iterator[Any]) -> Iterator[Any]:
        """The tokens, with the newlines of the blank and comment lines right before a lyric
        line left out, so the lyric token follows its chunk. The grammar's LYRIC token sees
        one line only; holding newlines here, each once, keeps lexing linear."""
        held: list[Any] = []  # newlines with only foldable text between them
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
            if held:  # a lyric line: the held newlines are part of it
                self.folded.append((held[0].start_pos, token.start_pos))
                held.clear()
            yield token


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


Children = list[Any]  # a rule's children (the Transformer below has a method named `list`)
def _span(file: str, meta: Any) -> Span:
    return Span(file, meta.line, meta.column, meta.end_line, meta.end_column,
                meta.start_pos, meta.end_pos)


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
)


class _ToNodes:
    """Parse tree → nodes, bottom-up: each rule's method gets (meta, children).

    A plain dispatch table rather than Lark's Transformer: this walk is a third of a parse's
    time, and the table halves it. Collects string-escape errors instead of raising.
    """

    def __init__(self, file: str, text: str, starts: list[int]) -> None:
        self.rules: dict[str, Callable[[Any, Children], Any]] = {
            name: getattr(self, name) for name in RULES}
        self.reset(file, text, starts)

    def transform(self, tree: Any) -> Any:
        """Build the node for `tree` (a Lark Tree) from its children's nodes. Each subtree
        is replaced by its node as soon as it is built, so the parse tree of a large file is
        freed as its nodes grow instead of being held whole beside them."""
        tree_type = lark.Tree
        children = tree.children
        for index, child in enumerate(children):
            if type(child) is tree_type:
                children[index] = self.transform(child)
        return self.rules[tree.data](tree.meta, children)

    def reset(self, file: str, text: str, starts: list[int]) -> None:
        """Start a new file (the parser and its inline transformer are reused)."""
        self.file = file
        self.source = text
        self.starts = starts
        self.diagnostics: list[Diagnostic] = []

    def _offset_span(self, start: int, end: int) -> Span:
        return span_at(self.file, self.source, start, end, self.starts)

    def _stmt_span(self, meta: Any) -> Span:
        """A statement's span; a lyric token's leading newlines never start it."""
        return _span(self.file, meta)

    # -- tokens ------------------------------------------------------------------
    def _tok_span(self, token: Any) -> Span:
        return Span(self.file, token.line, token.column, token.end_line, token.end_column,
                    token.start_pos, token.end_pos)

    def _leaf(self, token: Any) -> Any:
        """Turn a Token into its node; nodes pass through."""
        if not isinstance(token, lark.Token):
            return token
        span = self._tok_span(token)
        if token.type == "NAME":
            return n.Name(ident=str(token), span=span)
        if token.type == "STRING":
            return self._string(token, span)
        if token.type == "NUMBER":  # a plan option's value (seed, finetune_strength)
            return n.Number(text=self._digits(token), span=span)
        raise AssertionError(f"unexpected token {token.type}")

    def _digits(self, token: Any) -> str:
        """A number's text (NUMBER, TIME or TIMESIG); one too long to read is E0214."""
        problem = too_long(str(token), self._tok_span(token))
        if problem is not None:
            self.diagnostics.append(problem)
        return str(token)

    def _string(self, token: Any, span: Span) -> n.Str:
        raw = str(token)
        if "\\" not in raw:
            return n.Str(value=raw[1:-1], raw=raw, span=span)
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
    def start(self, meta: Any, children: Children) -> n.Program:
        return n.Program(statements=tuple(_present(children)), span=self._meta_span(meta))

    def _meta_span(self, meta: Any) -> Span:
        if getattr(meta, "empty", True):
            return Span(self.file, 1, 1, 1, 1, 0, 0)
        return _span(self.file, meta)

    def plan(self, meta: Any, children: Children) -> n.PlanHeader:
        return n.PlanHeader(options=tuple(children), span=_span(self.file, meta))

    def option(self, meta: Any, children: Children) -> n.PlanOption:
        name, value = self._names(children)
        return n.PlanOption(name=name, value=value, span=_span(self.file, meta))

    def song(self, meta: Any, children: Children) -> n.SongDecl:
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

    def song_body(self, meta: Any, children: Children) -> Children:
        return _present(children)

    def section(self, meta: Any, children: Children) -> n.Section:
        name, range_ = self._names(children)
        return n.Section(name=name, range=range_, span=_span(self.file, meta))

    def tempo(self, meta: Any, children: Children) -> n.Tempo:
        bpm, signature = children
        return n.Tempo(bpm=n.Number(text=self._digits(bpm), span=self._tok_span(bpm)),
                       signature=None if signature is None else self._digits(signature),
                       span=_span(self.file, meta))

    def keep(self, meta: Any, children: Children) -> n.Keep:
        song, slice_ = self._names(children)
        return n.Keep(song=song, slice=slice_, span=_span(self.file, meta))

    def generate(self, meta: Any, children: Children) -> n.Generate:
        keyword, label, duration, *rest = children
        attrs = tuple(child for child in rest if not isinstance(child, lark.Token))
        lyrics = self._lyrics([tok for tok in rest if isinstance(tok, lark.Token)])
        return n.Generate(regen=keyword.type == "REGEN", label=self._leaf(label),
                          duration=self._leaf(duration) if duration is not None else None,
                          attrs=attrs, lyrics=lyrics, span=self._stmt_span(meta))

    def _lyrics(self, tokens: list[Any]) -> tuple[n.Lyric, ...]:
        lyrics = []
        for tok in tokens:
            at, lyric = _lyric_parts(tok)
            lyrics.append(n.Lyric(text=lyric, span=self._offset_span(at, tok.end_pos)))
        return tuple(lyrics)

    def sung(self, meta: Any, children: Children) -> n.Sung:
        return n.Sung(span=_span(self.file, meta))

    def styles(self, meta: Any, children: Children) -> n.Styles:
        return n.Styles(items=children[0], span=_span(self.file, meta))

    def avoid(self, meta: Any, children: Children) -> n.Avoid:
        return n.Avoid(items=children[0], span=_span(self.file, meta))

    def adherence(self, meta: Any, children: Children) -> n.Adherence:
        return n.Adherence(value=self._leaf(children[0]), span=_span(self.file, meta))

    def strength(self, meta: Any, children: Children) -> n.Strength:
        return n.Strength(value=self._leaf(children[0]), span=_span(self.file, meta))

    def like(self, meta: Any, children: Children) -> n.Like:
        song, slice_ = self._names(children)
        return n.Like(song=song, slice=slice_, span=_span(self.file, meta))

    def text(self, meta: Any, children: Children) -> n.TextAttr:
        return n.TextAttr(value=self._leaf(children[0]), span=_span(self.file, meta))

    def list(self, meta: Any, children: Children) -> n.ListExpr:
        return n.ListExpr(items=tuple(self._leaf(c) for c in _present(children)),
                          span=_span(self.file, meta))

    def let(self, meta: Any, children: Children) -> n.Let:
        name, value = self._names(children)
        return n.Let(name=name, value=value, span=_span(self.file, meta))

    def import_(self, meta: Any, children: Children) -> n.Import:
        path, alias = self._names(children)
        return n.Import(path=path, alias=alias, span=_span(self.file, meta))

    def template(self, meta: Any, children: Children) -> n.TemplateDef:
        name, *params, body = children
        return n.TemplateDef(name=self._leaf(name), params=tuple(_present(params)), body=body,
                             span=_span(self.file, meta))

    def param(self, meta: Any, children: Children) -> n.Param:
        name, default = self._names(children)
        return n.Param(name=name, default=default, span=_span(self.file, meta))

    def block(self, meta: Any, children: Children) -> n.Block:
        return n.Block(statements=tuple(_present(children)), span=_span(self.file, meta))

    def call(self, meta: Any, children: Children) -> n.Call:
        name, *rest = children
        tokens = [child for child in rest if isinstance(child, lark.Token)]
        return n.Call(name=self._leaf(name),
                      args=tuple(child for child in _present(rest)
                                 if not isinstance(child, lark.Token)),
                      passes_lyrics=any(tok.type == "LYRICS" for tok in tokens),
                      lyrics=self._lyrics([tok for tok in tokens if tok.type == "LYRIC"]),
                      span=self._stmt_span(meta))

    def arg(self, meta: Any, children: Children) -> n.Arg:
        name, value = self._names(children)
        return n.Arg(name=name, value=value, span=_span(self.file, meta))

    def replace(self, meta: Any, children: Children) -> n.Replace:
        song, *windows = children
        return n.Replace(song=self._leaf(song) if song is not None else None,
                         windows=tuple(windows), span=_span(self.file, meta))

    def window(self, meta: Any, children: Children) -> n.Window:
        slice_, stretch, body = children
        return n.Window(slice=self._leaf(slice_), stretch=stretch is not None, body=body,
                        span=_span(self.file, meta))

    def range(self, meta: Any, children: Children) -> n.Range:
        start, end = children
        return n.Range(start=start, end=end, span=_span(self.file, meta))

    def clock_or_unit(self, meta: Any, children: Children) -> n.Time:
        text = self._digits(children[0])
        span = _span(self.file, meta)
        if ":" in text:
            return n.Time(amount=text, unit="clock", span=span)
        if text.endswith("ms"):
            return n.Time(amount=text[:-2], unit="ms", span=span)
        return n.Time(amount=text[:-1], unit="s", span=span)

    def bare(self, meta: Any, children: Children) -> n.Time:
        return n.Time(amount=self._digits(children[0]), unit="bare", span=_span(self.file, meta))

    def bar_position(self, meta: Any, children: Children) -> n.Time:
        return n.Time(amount=self._digits(children[0]), unit="bar", span=_span(self.file, meta))

    def bars(self, meta: Any, children: Children) -> n.Time:
        return n.Time(amount=self._digits(children[0]), unit="bars", span=_span(self.file, meta))

    def beats(self, meta: Any, children: Children) -> n.Time:
        return n.Time(amount=self._digits(children[0]), unit="beats", span=_span(self.file, meta))


class _EachLine:
    """The parser's inline transformer: the statement of each top-level line becomes nodes
    as soon as the line ends, so a large file's parse tree (larger than its nodes) is never
    held whole. Each statement is still built bottom-up, in order."""

    def __init__(self, to_nodes: _ToNodes, lines: LinePostLexer) -> None:
        self.to_nodes = to_nodes
        self.lines = lines

    def line(self, children: Children) -> Any:
        statement = children[0] if children else None  # an empty line has none
        if statement is None or self.lines.too_deep is not None:  # E0510 builds no nodes
            return statement
        return self.to_nodes.transform(statement)


# ---- the parser and its errors --------------------------------------------------------

_PARSER: Any = None
_TERMINAL_TEXT: dict[str, str] = {}

_WORDS = {
    "NAME": "a name", "STRING": 'a string like "Intro"', "NUMBER": "a number",
    "TIME": "a time like 30s or 1:30", "TIMESIG": "a time signature like 4/4",
    "LYRIC": "a lyric line", "_NL": "end of line", "$END": "end of file",
    "GEN": "`gen`", "REGEN": "`regen`", "STRETCH": "`stretch`", "LYRICS": "`lyrics`",
}


def _parser() -> Any:
    """The parser and its transformer, built once and reused (under `_LOCK`)."""
    global _PARSER
    if _PARSER is None:
        comments: list[Any] = []
        transformer = _ToNodes("<input>", "", [0])
        lines = LinePostLexer()
        _PARSER = lark.Lark_StandAlone(postlex=lines, transformer=_EachLine(transformer, lines),
                                       lexer_callbacks={"COMMENT": comments.append})
        _PARSER.comment_sink = comments
        _PARSER.lines = lines
        _PARSER.to_nodes = transformer
        for term in _PARSER.terminals:
            pattern = term.pattern
            if type(pattern).__name__ == "PatternStr":
                _TERMINAL_TEXT[term.name] = f"`{pattern.value}`"
    return _PARSER


def describe_terminal(name: str) -> str:
    """Human words for a terminal name (`RBRACE` → "`}`")."""
    _parser()
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
    if isinstance(exc, lark.UnexpectedCharacters):
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
    _parser()
    words = (_TERMINAL_TEXT[name] for name in (_TERMINAL_TEXT if names is None else names)
             if name in _TERMINAL_TEXT)
    return sorted({word.strip("`") for word in words if word.strip("`").isidentifier()})


# the words a statement starts with: a misspelt one reads as a template call (`gne "A"`)
STATEMENT_KEYWORDS = ("plan", "song", "tempo", "keep", "gen", "regen", "let", "import",
                      "template", "replace")
_FIRST_WORD = re.compile(r"[ \t]*([A-Za-z_]\w*)\b")


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
        first = _FIRST_WORD.match(text, line_start, token.start_pos)
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


_SHORT_CLOCK = re.compile(r"(\d+(?::\d\d)*):(\d)(\.\d+)?(?![\d:])")


def _short_clock(file: str, text: str, at: int, starts: list[int]) -> Diagnostic | None:
    """E0404 for a clock time whose seconds have one digit (`1:5`), with the fix `1:05`,
    when the lexer stopped at a `:` inside it."""
    start = at
    while start > 0 and (text[start - 1].isdigit() or text[start - 1] == ":"):
        start -= 1
    match = _SHORT_CLOCK.match(text, start)
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
    """Parse MPL source; never raises for bad input. Thread-safe."""
    with _LOCK, _no_cycle_collection():
        return _parse(without_bom(text), file)


@contextlib.contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Pause Python's cycle collector: a parse makes no reference cycles (reference counting
    frees all it drops), and on a large file the collector's passes over the growing tree
    cost more than the parse and grow faster than the file (bench/scaling.py)."""
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
    return ParseResult(empty, (*diagnostics, problem))


def without_bom(text: str) -> str:
    """`text` without a leading byte order mark: editors on Windows write one, and it is no
    part of the program (files read from disk lose it as they are decoded)."""
    return text.removeprefix("\ufeff")


def _comments(tokens: list[Any], folded: list[tuple[int, int]],
              to_nodes: _ToNodes) -> tuple[n.Comment, ...]:
    """The comment tokens as nodes, in order. A comment on a line folded into a lyric line
    ends where its text ends, before a CRLF's `\\r` (as when the lyric token held it)."""
    folded_starts = [start for start, _ in folded]
    comments = []
    for token in tokens:
        text = str(token).rstrip("\r")
        span = to_nodes._tok_span(token)
        if len(text) < len(token):
            at = bisect.bisect_right(folded_starts, token.start_pos) - 1
            if at >= 0 and token.start_pos < folded[at][1]:
                span = to_nodes._offset_span(token.start_pos, token.start_pos + len(text))
        comments.append(n.Comment(text=text, span=span))
    return tuple(comments)


def _parse(text: str, file: str) -> ParseResult:
    parser = _parser()
    transformer = parser.to_nodes
    starts = line_starts(text)
    diagnostics: list[Diagnostic] = []
    current = text
    for _ in range(MAX_RECOVERIES):
        parser.comment_sink.clear()
        parser.lines.text = current
        transformer.reset(file, current, starts)
        try:
            tree = parser.parse(current)
        except lark.UnexpectedInput as exc:
            diagnostic, at = _syntax_diagnostic(exc, file, current, starts)
            if any(d.span.line == diagnostic.span.line for d in diagnostics):
                break
            diagnostics.append(diagnostic)
            blanked = _blank_line(current, min(at, len(current) - 1) if current else 0)
            if blanked == current:
                break
            current = blanked
            continue
        if parser.lines.too_deep is not None:
            return _too_deep(parser.lines.too_deep, file, text, starts, diagnostics)
        program = transformer.transform(tree)
        comments = _comments(parser.comment_sink, parser.lines.folded, transformer)
        program = n.Program(statements=program.statements, comments=comments,
                            span=span_at(file, text, 0, len(text), starts))
        return ParseResult(program, tuple(diagnostics + transformer.diagnostics))
    empty = n.Program(statements=(), span=span_at(file, text, 0, len(text), starts))
    return ParseResult(empty, tuple(diagnostics))
