"""`keep` and `gen`/`regen` statements → resolved chunks.

A chunk carries the template call sites it was reached through (the sink's context); a
chunk that sings `lyrics` is handed the template calls being expanded, outermost first.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from ..diagnostics import Label, Sink, error
from ..syntax import nodes as n
from ..syntax.spans import Span
from . import ir
from . import values as v
from .musical_time import round_ms


def keep(rd: v.Reading, statement: n.Keep) -> ir.KeepChunk | None:
    """`keep [SONG] RANGE|NAME` → an audio-reference chunk."""
    found = v.slice_of(rd, statement.song, statement.slice, statement)
    if found is None:
        return None
    return ir.KeepChunk(slice=found, span=statement.span, context=rd.sink.context)


def regen_duration(rd: v.Reading, statement: n.Generate, label: str) -> Fraction | None:
    """`regen "Outro"` with no duration lasts as long as the default song's section named
    `Outro`, else the one section named like it in another case (its exact length)."""
    song = rd.default
    sections = song.section_exact if song is not None else {}
    if label in sections:
        start, end = sections[label]
        return end - start
    alike = [name for name in sections if name.lower() == label.lower()]
    if len(alike) == 1:
        start, end = sections[alike[0]]
        return end - start
    if alike:
        names = ", ".join(f"`{name}`" for name in alike)
        rd.sink.report(error("E0305", f'regen "{label}" has no duration and could mean any of the '
                             f"sections {names}", statement.label.span,
                             hint="give a duration, or write the label as the section is spelt"))
        return None
    where = f"song `{song.name}`" if song else "no song is declared, so"
    rd.sink.report(error("E0305", f'regen "{label}" has no duration and {where} has no section '
                         f"`{label.lower()}`", statement.label.span,
                         hint="give a duration (regen \"…\" 30s) or declare the section"))
    return None


def generate(rd: v.Reading, statement: n.Generate,
             calls: Sequence[n.Call] = ()) -> ir.GenerateChunk | None:
    """`gen|regen LABEL [DURATION] ATTR... | lyrics` → a generation chunk; `calls` are the
    template calls being expanded, outermost first."""
    label = v.text(rd, statement.label)
    if label is None:
        return None
    fields = {"text": statement.label.span}
    if statement.duration is not None:
        duration = v.exact_duration(rd, statement.duration)
        fields["duration_ms"] = statement.duration.span
    elif statement.regen:
        duration = regen_duration(rd, statement, label)
        fields["duration_ms"] = statement.label.span
    else:
        rd.sink.report(error("E0305", "a gen chunk needs a duration", statement.label.span,
                             hint=f'write gen "{label}" 30s …'))
        duration = None
    values: dict[str, Any] = {}
    seen: dict[type, n.Node] = {}
    for attr in statement.attrs:
        if type(attr) in seen:
            rd.sink.report(error("E0212", "attribute given twice", attr.span,
                                 secondary=[Label(span=seen[type(attr)].span,
                                                  message="first here")]))
            continue
        seen[type(attr)] = attr
        attribute(rd, attr, values, fields)
    lyrics = statement.lyrics
    sung = next((attr for attr in statement.attrs if isinstance(attr, n.Sung)), None)
    if sung is not None:  # the call's lyric lines come first, then the chunk's own
        lyrics = (*call_lyrics(rd.sink, sung, calls), *lyrics)
    text = values.pop("text", None)
    lines: tuple[Span, ...] = ()
    if text is None:
        text = "\n".join([f"[{label}]", *(lyric.text for lyric in lyrics)])
        lines = tuple(lyric.span for lyric in lyrics)
    elif statement.lyrics or sung is not None:
        rd.sink.report(error("E0212", "a chunk with `text` cannot also have lyric lines",
                             statement.lyrics[0].span if statement.lyrics or sung is None
                             else sung.span,
                             secondary=[Label(span=fields["text"], message="text given here")],
                             hint="put the lyrics inside the text, or drop `text`"))
    if duration is None:
        return None
    exact = duration if duration.denominator != 1 else None  # settled by `musical_time.place`
    return ir.GenerateChunk(label=label, text=text, duration_ms=round_ms(duration),
                            exact_ms=exact, span=statement.span,
                            fields=fields, context=rd.sink.context, lines=lines, **values)


def call_lyrics(sink: Sink, sung: n.Sung, calls: Sequence[n.Call]) -> tuple[n.Lyric, ...]:
    """The lyric lines a `lyrics` chunk sings: those of the template call being expanded,
    after those it passes on from the call it is written in (`NAME(…) lyrics`)."""
    if not calls:
        sink.report(error("E0406", "`lyrics` sings the lyric lines a template call is given; "
                          "this chunk is not in a template", sung.span,
                          hint="write the lyric lines under the chunk: | …"))
        return ()
    lines: tuple[n.Lyric, ...] = ()
    for call in reversed(calls):
        lines = (*call.lyrics, *lines)
        if not call.passes_lyrics:
            break
    return lines


def attribute(rd: v.Reading, attr: n.Attr, values: dict[str, Any], fields: dict[str, Any]) -> None:
    """One attribute into the chunk's values, and its span into the field map."""
    if isinstance(attr, n.Styles):
        values["positive_styles"] = v.strings(rd, attr.items)
        fields["positive_styles"] = attr.span
    elif isinstance(attr, n.Avoid):
        values["negative_styles"] = v.strings(rd, attr.items)
        fields["negative_styles"] = attr.span
    elif isinstance(attr, n.Adherence):
        values["context_adherence"] = v.enum(rd, attr.value, v.ADHERENCE, "adherence")
        fields["context_adherence"] = attr.span
    elif isinstance(attr, n.Strength):
        values["condition_strength"] = v.enum(rd, attr.value, v.STRENGTH, "strength")
        fields["condition_strength"] = attr.span
    elif isinstance(attr, n.Like):
        values["conditioning"] = v.slice_of(rd, attr.song, attr.slice, attr)
        fields["conditioning_ref"] = attr.span
    elif isinstance(attr, n.TextAttr):
        values["text"] = v.text(rd, attr.value)
        fields["text"] = attr.span
