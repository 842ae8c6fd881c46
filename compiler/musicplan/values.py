"""What a name or a value means where it is used: songs, slices, durations, styles, labels.

A name is looked up from the scope it is written in; a binding whose value is itself a name
is followed in the binding's own home scope, so `let hook = outro` and template arguments
keep the meaning they had where they were written. A name that is bound to nothing, where a
range goes, is a section of the song.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from . import ir
from . import nodes as n
from .diagnostics import error
from .records import record
from .scope import Entry, Scope
from .suggest import misspelt
from .timing import TempoInfo, TimeError, duration_ms, range_ms

if TYPE_CHECKING:
    from .resolve import Resolver

ADHERENCE = ("low", "medium", "high")
STRENGTH = ("low", "medium", "high", "xhigh")
MAX_ALIAS_DEPTH = 32
MAX_SPLICE_DEPTH = 32  # lists spliced inside lists; deeper would exhaust Python's stack


@record
class Meaning:
    """A name followed to the end: a value, a song, a template, or nothing (`unbound`)."""

    kind: Literal["value", "song", "template", "unbound"]
    value: Any  # n.Value | ir.SongInfo | n.TemplateDef | the last n.Name (unbound)
    home: Scope
    entry: Entry | None = None


def meaning(r: Resolver, name: n.Name, scope: Scope | None = None) -> Meaning:
    """What `name` means in `scope` (default: the current scope); marks entries used."""
    scope = scope or r.scope
    for _ in range(MAX_ALIAS_DEPTH):
        entry = scope.find(name.ident)
        if entry is None:
            return Meaning(kind="unbound", value=name, home=scope)
        entry.used = True
        if entry.kind == "binding" and isinstance(entry.value, n.Name):
            name, scope = entry.value, entry.home
            continue
        kind: Literal["value", "song", "template"] = \
            "value" if entry.kind == "binding" else entry.kind
        return Meaning(kind=kind, value=entry.value, home=entry.home, entry=entry)
    r.report(error("E0307", f"`{name.ident}` is bound to itself", name.span))
    return Meaning(kind="unbound", value=name, home=scope)


def describe(value: object) -> str:
    """`a range`, `a duration`, … for messages about a value of the wrong kind."""
    if isinstance(value, n.Time):
        return "a position (`bar N`)" if value.unit == "bar" else "a duration"
    if isinstance(value, n.Range):
        return "a range"
    if isinstance(value, n.ListExpr):
        return "a list of styles"
    if isinstance(value, n.Str):
        return "a string"
    if isinstance(value, ir.SongInfo):
        return "a song"
    if isinstance(value, n.TemplateDef):
        return "a template"
    return "a name"


def module_tempo(scope: Scope) -> TempoInfo | None:
    return scope.module().tempo


def tempo_for(r: Resolver, song: ir.SongInfo | None, home: Scope) -> TempoInfo | None:
    """A song's own tempo, else the tempo of the file the range is written in."""
    if song is not None and id(song) in r.song_tempos:
        return r.song_tempos[id(song)]
    return module_tempo(home)


def song(r: Resolver, name: n.Name | None, at: n.Node) -> ir.SongInfo | None:
    """The song `name` means, or the default song when no name is written."""
    if name is None:
        if r.default_song is None:
            r.report(error("E0304", "no song is declared to take audio from", at.span,
                           hint='declare one first: song s = "SONG_ID"'))
        elif r.default_entry is not None:
            r.default_entry.used = True
        return r.default_song
    found = meaning(r, name)
    if found.kind == "song":
        return found.value  # type: ignore[no-any-return]
    if found.kind == "unbound":
        last: n.Name = found.value
        r.report(misspelt("E0301", f"unknown song `{last.ident}`", last.span, last.ident,
                          r.scope.visible("song")))
    else:
        r.report(error("E0307", f"`{name.ident}` is {describe(found.value)}, not a song",
                       name.span))
    return None


def time_range(r: Resolver, value: n.Range, tempo: TempoInfo | None) -> tuple[int, int] | None:
    try:
        return range_ms(value, tempo)
    except TimeError as exc:
        r.report(exc.diagnostic)
        return None


def slice_of(r: Resolver, song_name: n.Name | None, written: n.Slice,
             at: n.Node) -> ir.Slice | None:
    """`[SONG] RANGE|NAME`: a name is a binding if one is in scope, else a section."""
    found = meaning(r, written) if isinstance(written, n.Name) else None
    if found is not None and found.kind == "song" and song_name is None:
        r.report(error("E0307", f"`{written.ident}` is a song; say which part of it",  # type: ignore[union-attr]
                       written.span, hint=f"write keep {written.ident} 0-30s"))  # type: ignore[union-attr]
        return None
    target = song(r, song_name, at)
    if target is None:
        return None
    if isinstance(written, n.Range):
        bounds = time_range(r, written, tempo_for(r, target, r.scope))
    else:
        assert found is not None
        bounds = named_slice(r, target, written, found)
    if bounds is None:
        return None
    section = found.value.ident if found is not None and found.kind == "unbound" else None
    return ir.Slice(song=target, start_ms=bounds[0], end_ms=bounds[1], span=written.span,
                    section=section)


def named_slice(r: Resolver, target: ir.SongInfo, name: n.Name,
                found: Meaning) -> tuple[int, int] | None:
    if found.kind == "value":
        if isinstance(found.value, n.Range):
            return time_range(r, found.value, tempo_for(r, target, found.home))
        r.report(error("E0307", f"expected a range, got {describe(found.value)}", name.span,
                       hint=f"`{name.ident}` is bound to {describe(found.value)}"))
        return None
    if found.kind != "unbound":
        r.report(error("E0307", f"expected a range, got {describe(found.value)}", name.span))
        return None
    last: n.Name = found.value
    if last.ident in target.sections:
        return target.sections[last.ident]
    r.report(misspelt("E0302", f"song `{target.name}` has no section `{last.ident}`", last.span,
                      last.ident, target.sections,
                      otherwise=f"its sections: {', '.join(target.sections)}" if target.sections
                      else f"declare sections in a block: song {target.name} = … {{ … }}"))
    return None


def duration(r: Resolver, value: n.Time | n.Name, scope: Scope | None = None) -> int | None:
    """A length in whole ms; a name must be bound to a duration."""
    home = scope or r.scope
    if isinstance(value, n.Name):
        found = meaning(r, value, home)
        if found.kind == "unbound":
            r.report(misspelt("E0306", f"unknown name `{found.value.ident}`", found.value.span,
                              found.value.ident, home.visible("binding")))
            return None
        if not isinstance(found.value, n.Time):
            r.report(error("E0307", f"expected a duration, got {describe(found.value)}",
                           value.span))
            return None
        value, home = found.value, found.home
    try:
        return duration_ms(value, module_tempo(home))
    except TimeError as exc:
        r.report(exc.diagnostic)
        return None


def strings(r: Resolver, items: n.ListExpr, scope: Scope | None = None,
            active: tuple[int, ...] = ()) -> tuple[str, ...]:
    """A style list with bound names spliced in (names are read where the list is written);
    `active` holds the lists being spliced, so a list that contains itself is an error."""
    home = scope or r.scope
    out: list[str] = []
    active = (*active, id(items))
    for item in items.items:
        if isinstance(item, n.Str):
            out.append(_style(r, item, item))
            continue
        found = meaning(r, item, home)
        if found.kind == "value" and isinstance(found.value, n.ListExpr):
            if id(found.value) in active:
                r.report(error("E0307", f"`{item.ident}` contains itself", item.span))
                continue
            if len(active) >= MAX_SPLICE_DEPTH:
                r.report(error("E0510", f"splicing `{item.ident}` nests lists more than "
                               f"{MAX_SPLICE_DEPTH} deep", item.span,
                               hint="splice the inner lists into fewer bindings"))
                continue
            out.extend(strings(r, found.value, found.home, active))
        elif found.kind == "value" and isinstance(found.value, n.Str):
            out.append(_style(r, found.value, item))
        elif found.kind == "unbound":
            last: n.Name = found.value
            r.report(misspelt("E0306", f"unknown name `{last.ident}`", last.span, last.ident,
                              home.visible("binding")))
        else:
            r.report(error("E0307", f"expected a list of styles, got {describe(found.value)}",
                           item.span))
    return tuple(out)


def _style(r: Resolver, style: n.Str, at: n.Node) -> str:
    """One style's text; an empty style is E0213 at `at` (the string, or the name bound to
    it), since the API takes non-empty styles only."""
    if not style.value:
        r.report(error("E0213", "a style cannot be empty", at.span,
                       hint="write the style, or leave it out"))
    return style.value


def text(r: Resolver, label: n.Str | n.Name) -> str | None:
    """A label or `text` value: a string, or a name bound to one."""
    if isinstance(label, n.Str):
        return label.value
    found = meaning(r, label)
    if found.kind == "value" and isinstance(found.value, n.Str):
        return found.value.value
    if found.kind == "unbound":
        r.report(misspelt("E0306", f"unknown name `{found.value.ident}`", found.value.span,
                          found.value.ident, r.scope.visible("binding")))
    else:
        r.report(error("E0307", f"expected a string, got {describe(found.value)}", label.span))
    return None


def enum(r: Resolver, value: n.Name, allowed: tuple[str, ...], what: str) -> str | None:
    """`low`/`high`/…, written out or passed in a template argument (a name or a string)."""
    if value.ident in allowed:
        return value.ident
    found = meaning(r, value) if r.scope.find(value.ident) else None
    if found is not None:
        if found.kind == "value" and isinstance(found.value, n.Str) and \
                found.value.value in allowed:
            return found.value.value
        if found.kind == "unbound" and found.value.ident in allowed:
            return found.value.ident  # type: ignore[no-any-return]
    r.report(misspelt("E0210", f"`{value.ident}` is not a valid {what}; use "
                      + " | ".join(allowed), value.span, value.ident, allowed))
    return None
