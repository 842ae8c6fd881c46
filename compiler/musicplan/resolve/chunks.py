"""`keep` and `gen`/`regen` statements → resolved chunks."""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING, Any

from ..diagnostics import Label, error
from ..syntax import nodes as n
from ..syntax.spans import Span
from . import ir, templates
from . import values as v
from .musical_time import round_ms

if TYPE_CHECKING:
    from .resolver import Resolver


def keep(r: Resolver, statement: n.Keep) -> ir.KeepChunk | None:
    """`keep [SONG] RANGE|NAME` → an audio-reference chunk."""
    found = v.slice_of(r, statement.song, statement.slice, statement)
    if found is None:
        return None
    return ir.KeepChunk(slice=found, span=statement.span, context=r.context)


def regen_duration(r: Resolver, statement: n.Generate, label: str) -> Fraction | None:
    """`regen "Outro"` with no duration lasts as long as the default song's section named
    `Outro`, else the one section named like it in another case (its exact length)."""
    song = r.default_song
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
        r.report(error("E0305", f'regen "{label}" has no duration and could mean any of the '
                       f"sections {names}", statement.label.span,
                       hint="give a duration, or write the label as the section is spelt"))
        return None
    where = f"song `{song.name}`" if song else "no song is declared, so"
    r.report(error("E0305", f'regen "{label}" has no duration and {where} has no section '
                   f"`{label.lower()}`", statement.label.span,
                   hint="give a duration (regen \"…\" 30s) or declare the section"))
    return None


def generate(r: Resolver, statement: n.Generate) -> ir.GenerateChunk | None:
    """`gen|regen LABEL [DURATION] ATTR... | lyrics` → a generation chunk."""
    label = v.text(r, statement.label)
    if label is None:
        return None
    fields = {"text": statement.label.span}
    if statement.duration is not None:
        duration = v.exact_duration(r, statement.duration)
        fields["duration_ms"] = statement.duration.span
    elif statement.regen:
        duration = regen_duration(r, statement, label)
        fields["duration_ms"] = statement.label.span
    else:
        r.report(error("E0305", "a gen chunk needs a duration", statement.label.span,
                       hint=f'write gen "{label}" 30s …'))
        duration = None
    values: dict[str, Any] = {}
    seen: dict[type, n.Node] = {}
    for attr in statement.attrs:
        if type(attr) in seen:
            r.report(error("E0212", "attribute given twice", attr.span,
                           secondary=[Label(span=seen[type(attr)].span, message="first here")]))
            continue
        seen[type(attr)] = attr
        attribute(r, attr, values, fields)
    lyrics = statement.lyrics
    sung = next((attr for attr in statement.attrs if isinstance(attr, n.Sung)), None)
    if sung is not None:  # the call's lyric lines come first, then the chunk's own
        lyrics = (*templates.call_lyrics(r, sung), *lyrics)
    text = values.pop("text", None)
    lines: tuple[Span, ...] = ()
    if text is None:
        text = "\n".join([f"[{label}]", *(lyric.text for lyric in lyrics)])
        lines = tuple(lyric.span for lyric in lyrics)
    elif statement.lyrics or sung is not None:
        r.report(error("E0212", "a chunk with `text` cannot also have lyric lines",
                       statement.lyrics[0].span if statement.lyrics or sung is None
                       else sung.span,
                       secondary=[Label(span=fields["text"], message="text given here")],
                       hint="put the lyrics inside the text, or drop `text`"))
    if duration is None:
        return None
    exact = duration if duration.denominator != 1 else None  # settled by `timing.place`
    return ir.GenerateChunk(label=label, text=text, duration_ms=round_ms(duration),
                            exact_ms=exact, span=statement.span,
                            fields=fields, context=r.context, lines=lines, **values)


def attribute(r: Resolver, attr: n.Attr, values: dict[str, Any], fields: dict[str, Any]) -> None:
    """One attribute into the chunk's values, and its span into the field map."""
    if isinstance(attr, n.Styles):
        values["positive_styles"] = v.strings(r, attr.items)
        fields["positive_styles"] = attr.span
    elif isinstance(attr, n.Avoid):
        values["negative_styles"] = v.strings(r, attr.items)
        fields["negative_styles"] = attr.span
    elif isinstance(attr, n.Adherence):
        values["context_adherence"] = v.enum(r, attr.value, v.ADHERENCE, "adherence")
        fields["context_adherence"] = attr.span
    elif isinstance(attr, n.Strength):
        values["condition_strength"] = v.enum(r, attr.value, v.STRENGTH, "strength")
        fields["condition_strength"] = attr.span
    elif isinstance(attr, n.Like):
        values["conditioning"] = v.slice_of(r, attr.song, attr.slice, attr)
        fields["conditioning_ref"] = attr.span
    elif isinstance(attr, n.TextAttr):
        values["text"] = v.text(r, attr.value)
        fields["text"] = attr.span
