"""Positions on a stored song's sung words: `keep trailer "Stand where"-"fire was"`.

A range's end written as a string is a sung phrase of the song the range belongs to: at the
start it is where the phrase's first word starts, at the end where its last word ends;
`"PHRASE"[N]` picks the Nth time it is sung. Words are matched ignoring case and punctuation.
The words come from the song's word timestamps (music-v2.md, "Newer facts": `words_timestamps`,
[{word, start_ms, end_ms}]), which `mpl render --detailed` and `mpl upload` record in a JSON
sidecar that the registry names on a `# data: PATH` line above the song.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any

from .. import units
from ..diagnostics import Sink, error
from ..files import read_regular
from ..syntax import nodes as n
from . import ir
from .ir import TempoInfo, Word
from .musical_time import TimeError, exact_ms

DATA_PREFIX = "# data: "
_NOT_WORD = re.compile(r"[^\w']+")


def words_from(raw: Any) -> tuple[Word, ...]:
    """The server's `words_timestamps` (a list of {word, start_ms, end_ms}), keeping only
    well-formed entries, in time order."""
    if not isinstance(raw, list):
        return ()
    words = []
    for item in raw:
        if not isinstance(item, Mapping):
            continue
        word, start, end = item.get("word"), item.get("start_ms"), item.get("end_ms")
        if isinstance(word, str) and word.strip() and _ms(start) and _ms(end) \
                and isinstance(start, int) and isinstance(end, int) and end >= start:
            words.append(Word(word=word.strip(), start_ms=start, end_ms=end))
    return tuple(sorted(words, key=lambda w: (w.start_ms, w.end_ms)))


def _ms(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def data_lines(program: n.Program) -> dict[int, str]:
    """Line of a song declaration → the sidecar path its `# data:` line names (the comment
    lines just above a declaration, at the start of their lines)."""
    by_line = {c.span.line: c.text for c in program.comments if c.span.col == 1}
    found: dict[int, str] = {}
    for statement in program.statements:
        if not isinstance(statement, n.SongDecl):
            continue
        line = statement.span.line - 1
        while line in by_line:
            if by_line[line].startswith(DATA_PREFIX):
                found[statement.span.line] = by_line[line][len(DATA_PREFIX):].strip()
                break
            line -= 1
    return found


def load_words(path: Path | None) -> tuple[Word, ...]:
    """The words in the sidecar at `path`; () if there is none or it cannot be read (`mpl
    songs` says so: W0702)."""
    if path is None:
        return ()
    try:
        loaded = json.loads(read_regular(path))
    except (OSError, ValueError):
        return ()
    return words_from(loaded.get("words_timestamps")) if isinstance(loaded, dict) else ()


def has_sung(written: n.Range) -> bool:
    return written.start.unit == "sung" or written.end.unit == "sung"


def _phrase(time: n.Time) -> tuple[str, int | None]:
    """(the phrase, N of `[N]` or None) of a sung position as written."""
    text = time.amount
    nth = None
    match = re.fullmatch(r'(".*")\[(\d+)\]', text, re.S)
    if match:
        text, nth = match.group(1), int(match.group(2))
    try:
        phrase = json.loads(text, strict=False)
    except ValueError:
        phrase = text[1:-1]
    return str(phrase), nth


def _normal(text: str) -> list[str]:
    return [w for w in _NOT_WORD.split(text.lower()) if w.strip("'")]


def occurrences(words: Sequence[Word], phrase: str) -> list[tuple[int, int]]:
    """(start_ms, end_ms) of each time `phrase` is sung, in order."""
    wanted = _normal(phrase)
    said = [" ".join(_normal(w.word)) for w in words]
    size = len(wanted)
    if not size:
        return []
    return [(words[i].start_ms, words[i + size - 1].end_ms)
            for i in range(len(words) - size + 1) if said[i:i + size] == wanted]


def nearest(words: Sequence[Word], phrase: str, most: int = 3) -> list[str]:
    """The sung phrases of as many words as `phrase` closest to it, each with its time."""
    size = max(1, len(_normal(phrase)))
    grams: dict[str, int] = {}
    for i in range(len(words) - size + 1):
        grams.setdefault(" ".join(w.word for w in words[i:i + size]), words[i].start_ms)
    import difflib  # only when a name is misspelt: kept off the start-up path

    close = difflib.get_close_matches(phrase, list(grams), n=most, cutoff=0.4)
    return [f'"{gram}" at {units.clock(grams[gram])}' for gram in close]


def _at(sink: Sink, time: n.Time, song: ir.SongInfo, start: bool) -> Fraction | None:
    phrase, nth = _phrase(time)
    words = load_words(song.words_file)  # read only now that a phrase needs it
    if not words:
        sink.report(error("E0719", f"song `{song.name}` has no recorded word timestamps, so "
                          f"{time.amount} cannot be found", time.span,
                          hint="render it with `mpl render --detailed --store` or "
                          "`mpl upload` to record its words, or use a time"))
        return None
    found = occurrences(words, phrase)
    if not found:
        close = nearest(words, phrase)
        sink.report(error("E0717", f'"{phrase}" is not sung in song `{song.name}`',
                          time.span, hint=("sung phrases nearest to it: " + ", ".join(close))
                          if close else "check the lyrics; `mpl songs` shows the first "
                          "sung line"))
        return None
    if nth is None and len(found) > 1:
        times = ", ".join(f"{units.clock(begin)} ({k})" for k, (begin, _) in
                          enumerate(found, 1))
        sink.report(error("E0718", f'"{phrase}" is sung {len(found)} times in song '
                          f"`{song.name}`: at {times}", time.span,
                          hint=f'pick one: "{phrase}"[1] … "{phrase}"[{len(found)}]'))
        return None
    if nth is not None and not 1 <= nth <= len(found):
        sink.report(error("E0720", f'"{phrase}"[{nth}]: song `{song.name}` sings it '
                          f"{len(found)} time{'s' if len(found) > 1 else ''}", time.span,
                          hint=f"count from 1 to {len(found)}"))
        return None
    begin, end = found[(nth or 1) - 1]
    return Fraction(begin if start else end)


def sung_range(sink: Sink, written: n.Range, song: ir.SongInfo,
               tempo: TempoInfo | None) -> tuple[Fraction, Fraction] | None:
    """A range with at least one sung end, in exact ms; a bare number on the other end is
    seconds (`0-"fire was"`)."""
    ends: list[Fraction | None] = []
    for time, start in ((written.start, True), (written.end, False)):
        if time.unit == "sung":
            ends.append(_at(sink, time, song, start))
            continue
        try:
            ends.append(exact_ms(time, tempo, unit="s" if time.unit == "bare" else None))
        except TimeError as exc:
            sink.report(exc.diagnostic)
            ends.append(None)
    begin, finish = ends
    if begin is None or finish is None:
        return None
    return begin, finish
