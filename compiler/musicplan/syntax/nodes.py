"""The MPL syntax tree: frozen, keyword-only dataclasses holding data only.

Every node has a `span` that is left out of equality, so two trees that mean the same
compare equal wherever they were written. Children are tuples. Behaviour lives in the
stages (resolve, checks, lower, printer), never on nodes.
"""

from __future__ import annotations

from typing import Literal

from .records import field, record
from .spans import NO_SPAN, Span

_span = field(default=NO_SPAN, compare=False, repr=False)


@record
class Node:
    """Base of every node."""

    span: Span = _span


# ---- leaves ------------------------------------------------------------------------


@record
class Name(Node):
    """An identifier, possibly qualified (`styles.techno`)."""

    ident: str


@record
class Str(Node):
    """A double-quoted string; `value` is decoded, `raw` is the source text with quotes."""

    value: str
    raw: str = field(default="", compare=False)


@record
class Number(Node):
    """A plain number as written (`42`, `0.8`)."""

    text: str


TimeUnit = Literal["ms", "s", "clock", "bare", "bar", "bars", "beats", "sung"]


@record
class Time(Node):
    """A time as written. `amount` is the number part (`1:30.250` keeps its clock text).

    unit: `ms`/`s` (500ms, 1.5s), `clock` (1:30), `bare` (a unitless number: a range start
    that takes its end's unit, or bar.beat with a tempo), `bar` (`bar 9`, a position),
    `bars`/`beats` (`8 bars`, `2 beats`, lengths), `sung` (`"fire was"[2]` at a range's
    end: where those sung words start or end; `amount` is the text as written).
    """

    amount: str
    unit: TimeUnit


@record
class Range(Node):
    """`start-end`."""

    start: Time
    end: Time


@record
class ListExpr(Node):
    """`[item, ...]`: strings and names (names splice bound lists)."""

    items: tuple[Str | Name, ...]


Value = Time | Range | ListExpr | Str | Name
Slice = Range | Name


@record
class Comment(Node):
    """`# ...` to end of line; `text` includes the `#`."""

    text: str


@record
class Lyric(Node):
    """A lyric line; `text` is what follows `|`, surrounding whitespace dropped."""

    text: str


# ---- statements -------------------------------------------------------------------


@record
class PlanOption(Node):
    """`seed=42`, `format=mp3_48000_192`, `store`."""

    name: Name
    value: Name | Str | Number | None = None


@record
class PlanHeader(Node):
    """`plan OPTION...`: request options."""

    options: tuple[PlanOption, ...]


@record
class Tempo(Node):
    """`tempo 120 4/4`; `signature` defaults to 4/4 when absent."""

    bpm: Number
    signature: str | None = None


@record
class Section(Node):
    """A named section inside a song block: `outro 30s-50s`."""

    name: Name
    range: Range


@record
class SongDecl(Node):
    """`song NAME = "ID" [length=TIME] [{ sections }]`."""

    name: Name
    song_id: Str
    length: Time | None = None
    tempo: Tempo | None = None
    sections: tuple[Section, ...] = ()
    block: bool = False  # written with braces (kept for printing `{}`)


@record
class Keep(Node):
    """`keep [SONG] RANGE|NAME`: an audio-reference chunk."""

    song: Name | None
    slice: Slice


@record
class Styles(Node):
    """`styles[...]` → positive_styles."""

    items: ListExpr


@record
class Avoid(Node):
    """`avoid[...]` → negative_styles."""

    items: ListExpr


@record
class Adherence(Node):
    """`adherence=low|medium|high` → context_adherence."""

    value: Name


@record
class Strength(Node):
    """`strength=low|medium|high|xhigh` → condition_strength."""

    value: Name


@record
class Like(Node):
    """`like [SONG] RANGE|NAME` → conditioning_ref."""

    song: Name | None
    slice: Slice


@record
class TextAttr(Node):
    """`text "..."`: the chunk's whole text."""

    value: Str | Name


@record
class Sung(Node):
    """`lyrics` after a chunk's attributes in a template: it sings the lyric lines the
    template's call is given."""


Attr = Styles | Avoid | Adherence | Strength | Like | TextAttr | Sung


@record
class Generate(Node):
    """`gen|regen LABEL [DURATION] ATTR... | lyric...`: a generation chunk."""

    regen: bool
    label: Str | Name
    duration: Time | Name | None
    attrs: tuple[Attr, ...] = ()
    lyrics: tuple[Lyric, ...] = ()


@record
class Let(Node):
    """`let NAME = VALUE`."""

    name: Name
    value: Value


@record
class Import(Node):
    """`import "PATH" [as NAME]`."""

    path: Str
    alias: Name | None = None


@record
class Param(Node):
    """A template parameter with an optional default."""

    name: Name
    default: Value | None = None


@record
class Block(Node):
    """`{ statements }`."""

    statements: tuple[Statement, ...]


@record
class TemplateDef(Node):
    """`template NAME(PARAMS) { ... }`."""

    name: Name
    params: tuple[Param, ...]
    body: Block


@record
class Arg(Node):
    """A call argument, positional (`name` is None) or named."""

    name: Name | None
    value: Value


@record
class Call(Node):
    """`NAME(ARGS) [lyrics] | lyric...`: a template expansion; its lyric lines (and, with
    `lyrics`, those of the call it is written in) go to the template's `lyrics` chunks."""

    name: Name
    args: tuple[Arg, ...]
    passes_lyrics: bool = False
    lyrics: tuple[Lyric, ...] = ()


@record
class Window(Node):
    """One window of a `replace`: `RANGE [stretch] { ... }`."""

    slice: Slice
    stretch: bool
    body: Block


@record
class Replace(Node):
    """`replace [SONG] WINDOW...`: keep the song around new material in each window."""

    song: Name | None
    windows: tuple[Window, ...]


Statement = (
    PlanHeader | SongDecl | Keep | Generate | Let | Import | TemplateDef | Call | Replace | Tempo
)


@record
class Program(Node):
    """A whole file: its statements in order and every comment in it."""

    statements: tuple[Statement, ...]
    comments: tuple[Comment, ...] = ()
