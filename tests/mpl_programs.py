"""A hypothesis strategy for MPL source text in every syntactic form, written untidily:
odd spacing, `;` groups, lists over several lines, blank lines, and comments everywhere a
comment may go (own-line, end-of-line, inside lists and blocks, between lyric lines, at the
end of the file). Used by the formatter's property tests.

A custom generator rather than `hypothesis.extra.lark.from_lark`: the grammar's LYRIC
terminal spans lines and the post-lexer drops newlines inside brackets, which from_lark
cannot know, so most of its draws would not be what the parser accepts.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import strategies as st

NAMES = st.sampled_from(["s", "t", "intro", "outro", "x", "lbl", "dur", "tpl", "ns.styles"])
SONG_NAMES = st.sampled_from(["s", "t"])
WORD = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=12)
COMMENT_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")),
                       max_size=15).map(lambda s: "#" + s.rstrip())
LYRIC = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), max_size=20)


def gap(draw: Any) -> str:
    """Whitespace between two tokens."""
    return str(draw(st.sampled_from([" ", " ", " ", "  ", "\t", "   "])))


def string(draw: Any) -> str:
    return json.dumps(draw(WORD), ensure_ascii=draw(st.booleans()))


def style(draw: Any) -> str:
    """A quoted style: never empty (E0213)."""
    return json.dumps(draw(WORD.filter(bool)), ensure_ascii=draw(st.booleans()))


def time(draw: Any) -> str:
    return str(draw(st.sampled_from(
        ["30s", "3s", "1.5s", "250ms", "1:30", "0:05.5", "030s", "1.50s", "01:30", "2 bars",
         "1 bar", "4 beats", "120000ms", "0", "10s", "1:00:00"])))


def range_(draw: Any) -> str:
    return str(draw(st.sampled_from(
        ["0-30s", "10s-50s", "0-1:30", "1:00-1:30.250", "0-250ms", "3s-8s", "1.1-9.1",
         "bar 1-bar 9", "0-8 bars"])))


@st.composite
def items_list(draw: Any, owner_comments: list[str]) -> str:
    """`[...]`, maybe across lines with comments after commas, maybe a trailing comma."""
    items = [style(draw) if draw(st.integers(0, 3)) else "x"
             for _ in range(draw(st.integers(0, 5)))]
    if not items:
        return "[" + draw(st.sampled_from(["", " "])) + "]"
    out = "["
    for index, item in enumerate(items):
        out += item
        if index < len(items) - 1:
            out += ","
            if draw(st.integers(0, 3)) == 0:
                if draw(st.booleans()):
                    comment = draw(COMMENT_TEXT)
                    owner_comments.append(comment)
                    out += " " + comment
                out += "\n" + " " * draw(st.integers(0, 8))
            else:
                out += gap(draw)
    if draw(st.integers(0, 4)) == 0:
        out += ","
    return out + "]"


@st.composite
def statement(draw: Any, comments: list[str], depth: int = 0) -> tuple[str, bool]:
    """(text, whether `;` or a comment may follow on its last line: not after lyrics)."""
    g = lambda: gap(draw)  # noqa: E731
    kinds = ["keep", "gen", "gen", "song", "let", "plan", "tempo", "import", "call"]
    if depth == 0:
        kinds += ["template", "replace"]
    kind = draw(st.sampled_from(kinds))
    if kind == "keep":
        which = draw(st.one_of(st.just(""), SONG_NAMES.map(lambda s: s + " ")))
        return f"keep{g()}{which}{range_(draw) if draw(st.integers(0, 3)) else draw(NAMES)}", True
    if kind == "gen":
        return draw(generate(comments, depth))
    if kind == "song":
        return draw(song(comments))
    if kind == "let":
        value = draw(st.sampled_from(["time", "range", "list", "str", "name"]))
        text = {"time": time(draw), "range": range_(draw), "str": string(draw),
                "name": draw(NAMES), "list": "[]"}[value]
        if value == "list":
            text = draw(items_list(comments))
        return f"let{g()}{draw(NAMES)}{g()}={g()}{text}", True
    if kind == "plan":
        options = draw(st.lists(st.sampled_from(
            ["seed=7", "store", "c2pa=false", "format=mp3_44100_128", 'finetune="ft"',
             "finetune_strength=0.5", "seed = 9"]), max_size=4))
        return "plan" + "".join(g() + o for o in options), True
    if kind == "tempo":
        return f"tempo{g()}{draw(st.sampled_from(['120', '90.5']))}" + \
            draw(st.sampled_from(["", " 4/4", " 7/8"])), True
    if kind == "import":
        alias = draw(st.sampled_from(["", " as ns"]))
        return f"import{g()}{string(draw)}{alias}", True
    if kind == "call":
        args = draw(st.lists(st.sampled_from(["30s", '"a"', "x=1:30", "y=[\"a\"]", "0-10s"]),
                             max_size=3))
        return f"{draw(NAMES)}({', '.join(args)})", True
    if kind == "template":
        params = draw(st.lists(st.sampled_from(["a", "b=30s", 'c="x"', "d=[]"]), max_size=3))
        return f"template{g()}tpl({', '.join(params)}){g()}" + draw(block(comments, depth)), True
    windows = draw(st.lists(st.sampled_from(["0-10s", "20s-30s stretch", "intro"]),
                            min_size=1, max_size=2))
    return "replace" + draw(st.sampled_from(["", " s"])) + "".join(
        f" {w} " + draw(block(comments, depth)) for w in windows), True


@st.composite
def generate(draw: Any, comments: list[str], depth: int) -> tuple[str, bool]:
    g = lambda: gap(draw)  # noqa: E731
    keyword = draw(st.sampled_from(["gen", "gen", "regen"]))
    label = string(draw) if draw(st.integers(0, 3)) else draw(NAMES)
    text = f"{keyword}{g()}{label}"
    if draw(st.integers(0, 4)):
        text += g() + (time(draw) if draw(st.integers(0, 3)) else draw(NAMES))
    attrs = draw(st.lists(st.sampled_from(["styles", "avoid", "adherence", "strength", "like",
                                           "text"]), max_size=4))
    for attr in attrs:
        if attr in ("styles", "avoid"):
            text += g() + attr + draw(st.sampled_from(["", " "])) + draw(items_list(comments))
        elif attr in ("adherence", "strength"):
            value = draw(st.sampled_from(["low", "medium", "high", "xhigh", "wild"]))
            text += f"{g()}{attr}{draw(st.sampled_from(['=', ' = ']))}{value}"
        elif attr == "like":
            text += f"{g()}like {draw(st.sampled_from(['', 't ']))}{range_(draw)}"
        else:
            text += f"{g()}text {string(draw)}"
    lyrics = draw(st.lists(LYRIC, max_size=3))
    indent = " " * (2 * depth)
    for lyric in lyrics:
        if draw(st.integers(0, 4)) == 0:
            comment = draw(COMMENT_TEXT)
            comments.append(comment)
            text += f"\n{indent}  {comment}"
        if draw(st.integers(0, 5)) == 0:
            text += "\n"
        text += f"\n{indent}{' ' * draw(st.integers(0, 4))}|{draw(st.sampled_from(['', ' ']))}"
        text += lyric
    return text, not lyrics


@st.composite
def song(draw: Any, comments: list[str]) -> tuple[str, bool]:
    g = lambda: gap(draw)  # noqa: E731
    text = f"song{g()}{draw(SONG_NAMES)}{g()}={g()}{string(draw)}"
    if draw(st.booleans()):
        text += f"{g()}length={time(draw)}"
    if draw(st.booleans()):
        items = draw(st.lists(st.sampled_from(["intro 0-15s", "outro   30s-50s",
                                               "tempo 120 4/4", "build 15s-35s"]),
                              max_size=3, unique=True))  # one tempo a song (E0212)
        if draw(st.booleans()):
            text += " { " + "; ".join(items) + " }"
        else:
            body = ""
            for item in items:
                if draw(st.integers(0, 3)) == 0:
                    comment = draw(COMMENT_TEXT)
                    comments.append(comment)
                    body += f"\n   {comment}"
                body += "\n" + " " * draw(st.integers(0, 6)) + item
                if draw(st.integers(0, 3)) == 0:
                    comment = draw(COMMENT_TEXT)
                    comments.append(comment)
                    body += f" {comment}"
            text += " {" + body + "\n}"
    return text, True


@st.composite
def block(draw: Any, comments: list[str], depth: int) -> str:
    body = draw(statements(comments, depth + 1, max_size=3))
    if not body.strip():
        return "{" + draw(st.sampled_from(["", " ", "\n"])) + "}"
    return "{\n" + body + "\n" + "  " * depth + "}"


@st.composite
def statements(draw: Any, comments: list[str], depth: int = 0, max_size: int = 8) -> str:
    """Statements separated by newlines, blank lines or `;`, with comments around them."""
    indent = "  " * depth
    out = ""
    count = draw(st.integers(0, max_size))
    for index in range(count):
        text, joinable = draw(statement(comments, depth))
        if draw(st.integers(0, 3)) == 0:
            comment = draw(COMMENT_TEXT)
            comments.append(comment)
            out += f"{indent}{' ' * draw(st.integers(0, 3))}{comment}\n"
        out += indent + text
        if index < count - 1 and joinable and draw(st.integers(0, 4)) == 0:
            out += draw(st.sampled_from(["; ", ";", " ; "]))
            continue
        if joinable and draw(st.integers(0, 3)) == 0:  # not after a lyric line: it is text
            comment = draw(COMMENT_TEXT)
            comments.append(comment)
            out += f"{gap(draw)}{comment}"
        out += "\n" * draw(st.sampled_from([1, 1, 1, 2, 3]))
    return out.rstrip("\n")


@st.composite
def programs(draw: Any) -> tuple[str, list[str]]:
    """(source, the comments written into it)."""
    comments: list[str] = []
    body = draw(statements(comments))
    if draw(st.booleans()):
        comment = draw(COMMENT_TEXT)
        comments.append(comment)
        body += f"\n\n{comment}"
    return body + draw(st.sampled_from(["\n", "", "\n\n"])), comments


# ---- programs that compile: the meaning law needs plans to compare -----------------------

VALID_TIMES = st.sampled_from(["30s", "3s", "3.50s", "030s", "4.50s", "0:05.5", "1:00", "4 bars",
                               "60000ms", "dur"])
VALID_RANGES = st.sampled_from(["0-30s", "10s-50s", "0-1:00", "1:00-1:30.250", "3s-8s",
                                "0-250ms", "1.1-3.1", "bar 1-bar 3", "intro", "outro", "r"])


@st.composite
def valid_chunk(draw: Any, comments: list[str]) -> tuple[str, bool]:
    g = lambda: gap(draw)  # noqa: E731
    if draw(st.booleans()):
        which = draw(st.sampled_from(["", "s ", "t "]))
        return f"keep{g()}{which}{draw(VALID_RANGES)}", True
    # a label is never empty (E0216); `style` draws a non-empty quoted string
    label = draw(st.sampled_from(["lbl", "x"])) if draw(st.integers(0, 4)) == 0 else style(draw)
    text = f"gen{g()}{label}{g()}{draw(VALID_TIMES)}{g()}styles{draw(items_list(comments))}"
    if draw(st.booleans()):
        text += f"{g()}avoid{draw(items_list(comments))}"
    if draw(st.booleans()):
        text += f"{g()}adherence{draw(st.sampled_from(['=', ' = ']))}" + \
            draw(st.sampled_from(["low", "medium", "high"]))
    if draw(st.booleans()):
        text += f"{g()}like{g()}{draw(st.sampled_from(['', 't ']))}0-10s"
        if draw(st.booleans()):
            text += f"{g()}strength=" + draw(st.sampled_from(["low", "medium", "high", "xhigh"]))
    if draw(st.integers(0, 3)) == 0:
        return text + f"{g()}text {string(draw)}", True
    for _ in range(draw(st.integers(0, 3))):
        if draw(st.integers(0, 3)) == 0:
            comment = draw(COMMENT_TEXT)
            comments.append(comment)
            text += f"\n    {comment}"
        text += "\n" * draw(st.sampled_from([1, 1, 2])) + "  |" + draw(LYRIC)
    return text, "|" not in text.rsplit("\n", 1)[-1]


@st.composite
def valid_programs(draw: Any) -> tuple[str, list[str]]:
    """(source that compiles, its comments): songs, bindings, a tempo, then 1-8 chunks."""
    comments: list[str] = []
    head = [draw(st.sampled_from(["", "plan seed=7 store", "plan  format=pcm_48000 c2pa=false"])),
            "tempo 120 4/4",
            'song s = "vVtPM1Sas70E2LIhQFch" length=3:00 {\n  intro 0-15s\n  # sections\n'
            "  outro   30s-50s\n}",
            'song t = "Qw8bZ2nR4tLm6pKx1sVy" { intro 0-10s; outro 1:00-1:20 }',
            'let lbl = "Bridge"; let dur = 20s', 'let r = 5s-20s  # a range', 'let x = "Verse"',
            'let st = ["pop", "dance"]']
    out = "\n".join(line for line in head if line) + "\n"
    chunks = [draw(valid_chunk(comments)) for _ in range(draw(st.integers(1, 8)))]
    for index, (text, open_end) in enumerate(chunks):
        if draw(st.integers(0, 3)) == 0:
            comment = draw(COMMENT_TEXT)
            comments.append(comment)
            out += comment + "\n"
        out += text
        if open_end and index < len(chunks) - 1 and draw(st.integers(0, 4)) == 0:
            out += "; "
            continue
        if open_end and draw(st.integers(0, 3)) == 0:
            comment = draw(COMMENT_TEXT)
            comments.append(comment)
            out += " " + comment
        out += "\n" * draw(st.sampled_from([1, 1, 2, 3]))
    out += "gen \"End\" 3s styles[st]\n"
    return out, [*comments, "# sections", "# a range"]
