"""What a name or a value means where it is used: songs, slices, durations, styles, labels.

A name is looked up from the scope it is written in; a binding whose value is itself a name
is followed in the binding's own home scope, so `let hook = outro` and template arguments
keep the meaning they had where they were written. A name that is bound to nothing, where a
range goes, is a section of the song.

Every function here is handed what it reads through (`Reading`): the diagnostics sink, the
scope the value is written in, the memo of alias chains and the default song.
"""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction
from typing import Any, Literal

from ..diagnostics import Diagnostic, Label, Sink, error
from ..diagnostics.suggest import misspelt
from ..limits import MAX_STYLES
from ..syntax import nodes as n
from ..syntax.records import record, replace
from . import ir, sung
from .ir import TempoInfo
from .musical_time import TimeError, exact_length, range_exact, round_ms
from .scope import Entry, Scope

ADHERENCE = ("low", "medium", "high")
STRENGTH = ("low", "medium", "high", "xhigh")
MAX_SPLICE_DEPTH = 32  # lists spliced inside lists; deeper would exhaust Python's stack
MAX_SPLICED = 1000  # names and styles read for one list (E0514); lists can fan out


class Aliases:
    """The compilation's memo of alias chains (`let b = a`): each alias once walked → the last
    alias of its chain, so many uses of one long chain cost its length once; and the aliases
    that lead into a circle (reported where they were followed)."""

    __slots__ = ("circular", "ends")

    def __init__(self) -> None:
        self.ends: dict[Entry, Entry] = {}
        self.circular: set[Entry] = set()


class Reading:
    """What reading a name or a value needs, handed down (and not changed): where problems
    are reported, the scope the text is written in, the alias memo, and the song `keep`
    takes from when it names none (`default_entry` when that song is imported, to mark the
    import used). A plain slotted class: one is made for every block read."""

    __slots__ = ("aliases", "default", "default_entry", "scope", "sink")

    def __init__(self, *, sink: Sink, scope: Scope, aliases: Aliases | None = None,
                 default: ir.SongInfo | None = None, default_entry: Entry | None = None) -> None:
        self.sink = sink
        self.scope = scope
        self.aliases = aliases if aliases is not None else Aliases()
        self.default = default
        self.default_entry = default_entry

    def at(self, scope: Scope) -> Reading:
        """The same reading, of text written in `scope`."""
        return Reading(sink=self.sink, scope=scope, aliases=self.aliases, default=self.default,
                       default_entry=self.default_entry)


@record
class Meaning:
    """A name followed to the end: a value, a song, a template, nothing (`unbound`), or a
    circle of bindings (`circular`, already reported)."""

    kind: Literal["value", "song", "template", "unbound", "circular"]
    value: Any  # n.Value | ir.SongInfo | n.TemplateDef | the last n.Name (unbound, circular)
    home: Scope
    entry: Entry | None = None


def meaning(rd: Reading, name: n.Name, scope: Scope | None = None) -> Meaning:
    """What `name` means in `scope` (default: the reading's scope); marks entries used.

    Aliases (`let b = a`) are followed to any depth, in a loop, through the memo of chains
    (`Aliases`); a circle of aliases is E0307 at the use."""
    home = scope or rd.scope
    written = name
    entry = home.find(name.ident)
    walked: list[Entry] = []
    on_walk: set[int] = set()
    while entry is not None:
        entry.used = True
        if entry.kind != "binding" or not isinstance(entry.value, n.Name):
            for alias in walked:
                rd.aliases.ends[alias] = entry
            kind: Literal["value", "song", "template"] = \
                "value" if entry.kind == "binding" else entry.kind
            return Meaning(kind=kind, value=entry.value, home=entry.home, entry=entry)
        if id(entry) in on_walk or entry in rd.aliases.circular:
            return _circular(rd, written, home, walked, entry)
        on_walk.add(id(entry))
        walked.append(entry)
        shortcut = rd.aliases.ends.get(entry)
        if shortcut is not None and shortcut is not entry:
            entry = shortcut
            continue
        name, home = entry.value, entry.home
        entry = home.find(name.ident)
    for alias in walked[:-1]:
        rd.aliases.ends[alias] = walked[-1]
    return Meaning(kind="unbound", value=name, home=home)


def _circular(rd: Reading, written: n.Name, home: Scope, walked: list[Entry],
              again: Entry) -> Meaning:
    """E0307 for a use of bindings that lead back to themselves (`let a = b`, `let b = a`)."""
    rd.aliases.circular.update(walked)
    loop: list[Entry] = []
    entry: Entry | None = again
    while entry is not None and entry not in loop:  # the circle itself, link by link
        loop.append(entry)
        entry = entry.home.find(entry.value.ident)
    if entry is not None:
        loop = loop[loop.index(entry):]
    names = [alias.name.ident for alias in loop]
    circle = " → ".join([*names, names[0]])
    if names == [written.ident]:
        message = f"`{written.ident}` is bound to itself"
    elif written.ident in names:
        message = f"`{written.ident}` is bound to itself: {circle}"
    else:
        message = f"`{written.ident}` leads into a circle of bindings: {circle}"
    rd.sink.report(error("E0307", message, written.span,
                         secondary=[Label(span=alias.name.span, message="bound here")
                                    for alias in loop[:3] if alias.name.span != written.span],
                         hint="bind one of them to a value"))
    return Meaning(kind="circular", value=written, home=home)


def listed(names: Iterable[str], most: int = 10) -> str:
    """`a, b, c`, cut after `most` names (a song may have thousands of sections)."""
    names = list(names)
    more = f", … ({len(names) - most} more)" if len(names) > most else ""
    return ", ".join(names[:most]) + more


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


def tempo_for(song: ir.SongInfo | None, home: Scope) -> TempoInfo | None:
    """A song's own tempo, else the tempo of the file the range is written in."""
    if song is not None and song.tempo is not None:
        return song.tempo
    return module_tempo(home)


def song(rd: Reading, name: n.Name | None, at: n.Node) -> ir.SongInfo | None:
    """The song `name` means, or the default song when no name is written."""
    if name is None:
        if rd.default is None:
            rd.sink.report(error("E0304", "no song is declared to take audio from", at.span,
                                 hint='declare one first: song s = "SONG_ID"'))
        elif rd.default_entry is not None:
            rd.default_entry.used = True
        return rd.default
    found = meaning(rd, name)
    if found.kind == "song":
        return found.value  # type: ignore[no-any-return]
    if found.kind == "circular":
        return None
    if found.kind == "unbound":
        last: n.Name = found.value
        rd.sink.report(misspelt("E0301", f"unknown song `{last.ident}`", last.span, last.ident,
                                rd.sink.hint_names(lambda: rd.scope.visible("song"))))
    else:
        rd.sink.report(error("E0307", f"`{name.ident}` is {describe(found.value)}, not a song",
                             name.span))
    return None


def time_range(sink: Sink, value: n.Range,
               tempo: TempoInfo | None) -> tuple[Fraction, Fraction] | None:
    """A range's exact ends (musical ones may fall between milliseconds)."""
    try:
        return range_exact(value, tempo)
    except TimeError as exc:
        sink.report(exc.diagnostic)
        return None


def slice_of(rd: Reading, song_name: n.Name | None, written: n.Slice,
             at: n.Node) -> ir.Slice | None:
    """`[SONG] RANGE|NAME`: a name is a binding if one is in scope, else a section."""
    found = meaning(rd, written) if isinstance(written, n.Name) else None
    if found is not None and found.kind == "circular":
        return None
    if found is not None and found.kind == "song" and song_name is None:
        rd.sink.report(error("E0307", f"`{written.ident}` is a song; say which part of it",  # type: ignore[union-attr]
                             written.span, hint=f"write keep {written.ident} 0-30s"))  # type: ignore[union-attr]
        return None
    target = song(rd, song_name, at)
    if target is None:
        return None
    if isinstance(written, n.Range) and sung.has_sung(written):  # "Stand where"-"fire was"
        bounds = sung.sung_range(rd.sink, written, target, tempo_for(target, rd.scope))
    elif isinstance(written, n.Range):
        bounds = time_range(rd.sink, written, tempo_for(target, rd.scope))
    else:
        assert found is not None
        bounds = named_slice(rd, target, written, found)
    if bounds is None:
        return None
    section = found.value.ident if found is not None and found.kind == "unbound" else None
    return ir.Slice(song=target, start_ms=round_ms(bounds[0]), end_ms=round_ms(bounds[1]),
                    span=written.span, section=section, exact_start=bounds[0])


def named_slice(rd: Reading, target: ir.SongInfo, name: n.Name,
                found: Meaning) -> tuple[Fraction, Fraction] | None:
    if found.kind == "value":
        if isinstance(found.value, n.Range) and sung.has_sung(found.value):
            return sung.sung_range(rd.sink, found.value, target, tempo_for(target, found.home))
        if isinstance(found.value, n.Range):
            return time_range(rd.sink, found.value, tempo_for(target, found.home))
        rd.sink.report(error("E0307", f"expected a range, got {describe(found.value)}", name.span,
                             hint=f"`{name.ident}` is bound to {describe(found.value)}"))
        return None
    if found.kind != "unbound":
        rd.sink.report(error("E0307", f"expected a range, got {describe(found.value)}", name.span))
        return None
    last: n.Name = found.value
    if last.ident in target.section_exact:
        return target.section_exact[last.ident]
    rd.sink.report(misspelt("E0302", f"song `{target.name}` has no section `{last.ident}`",
                            last.span, last.ident, rd.sink.hint_names(lambda: target.sections),
                            otherwise=f"its sections: {listed(target.sections)}" if target.sections
                            else f"declare sections in a block: song {target.name} = … {{ … }}"))
    return None


def duration(rd: Reading, value: n.Time | n.Name, scope: Scope | None = None) -> int | None:
    """A length in whole ms (its exact value rounded); a name must be bound to a duration."""
    exact = exact_duration(rd, value, scope)
    return None if exact is None else round_ms(exact)


def exact_duration(rd: Reading, value: n.Time | n.Name,
                   scope: Scope | None = None) -> Fraction | None:
    """A length in exact ms (whole unless musical); a name must be bound to a duration."""
    home = scope or rd.scope
    if isinstance(value, n.Name):
        found = meaning(rd, value, home)
        if found.kind == "circular":
            return None
        if found.kind == "unbound":
            names = rd.sink.hint_names(lambda: home.visible("binding"))
            rd.sink.report(misspelt("E0306", f"unknown name `{found.value.ident}`",
                                    found.value.span, found.value.ident, names))
            return None
        if not isinstance(found.value, n.Time):
            rd.sink.report(error("E0307", f"expected a duration, got {describe(found.value)}",
                                 value.span))
            return None
        value, home = found.value, found.home
    try:
        return exact_length(value, module_tempo(home))
    except TimeError as exc:
        rd.sink.report(_song_tempo_hint(rd, exc.diagnostic))
        return None


def _song_tempo_hint(rd: Reading, problem: Diagnostic) -> Diagnostic:
    """E0403 on a chunk's length while the default song has a tempo of its own: say that a
    song's tempo times its own positions, and which file tempo would time the chunks."""
    song = rd.default
    own = song.tempo if song is not None else None
    if problem.code != "E0403" or song is None or own is None:
        return problem
    bpm = f"{float(own.bpm):g}"
    return replace(problem, hint=f"song `{song.name}` has its own tempo ({bpm} bpm), which "
                   "times its sections and ranges; chunk lengths follow the file's tempo: "
                   f"write `tempo {bpm}` at the top of the file")


def strings(rd: Reading, items: n.ListExpr, scope: Scope | None = None) -> tuple[str, ...]:
    """A style list with bound names spliced in (names are read where the list is written).
    Lists that splice one list several times multiply: reading more than `MAX_SPLICED`
    names and styles for one list is E0514, and its first `MAX_STYLES` styles are kept."""
    budget = [MAX_SPLICED]
    out = _splice(rd, items, scope or rd.scope, (), budget)
    if budget[0] < 0:
        rd.sink.report(error("E0514", "the lists spliced into this one hold more than "
                             f"{MAX_SPLICED} names and styles", items.span,
                             hint=f"the API takes at most {MAX_STYLES} styles; splice fewer lists, "
                             "or each of them once"))
        return out[:MAX_STYLES]
    return out


def _splice(rd: Reading, items: n.ListExpr, home: Scope, active: tuple[int, ...],
            budget: list[int]) -> tuple[str, ...]:
    """`strings` for one list; `active` holds the lists being spliced, so a list that
    contains itself is an error, and `budget` the names and styles still to be read."""
    out: list[str] = []
    active = (*active, id(items))
    for item in items.items:
        budget[0] -= 1
        if budget[0] < 0:
            break
        if isinstance(item, n.Str):
            out.append(_style(rd, item, item))
            continue
        found = meaning(rd, item, home)
        if found.kind == "value" and isinstance(found.value, n.ListExpr):
            if id(found.value) in active:
                rd.sink.report(error("E0307", f"`{item.ident}` contains itself", item.span))
                continue
            if len(active) >= MAX_SPLICE_DEPTH:
                rd.sink.report(error("E0510", f"splicing `{item.ident}` nests lists more than "
                                     f"{MAX_SPLICE_DEPTH} deep", item.span,
                                     hint="splice the inner lists into fewer bindings"))
                continue
            out.extend(_splice(rd, found.value, found.home, active, budget))
        elif found.kind == "value" and isinstance(found.value, n.Str):
            out.append(_style(rd, found.value, item))
        elif found.kind == "unbound":
            last: n.Name = found.value
            rd.sink.report(misspelt("E0306", f"unknown name `{last.ident}`", last.span, last.ident,
                                    rd.sink.hint_names(lambda: home.visible("binding"))))
        elif found.kind != "circular":
            rd.sink.report(error("E0307", f"expected a list of styles, got {describe(found.value)}",
                                 item.span))
    return tuple(out)


def _style(rd: Reading, style: n.Str, at: n.Node) -> str:
    """One style's text; an empty style is E0213 at `at` (the string, or the name bound to
    it), since the API takes non-empty styles only."""
    if not style.value:
        rd.sink.report(error("E0213", "a style cannot be empty", at.span,
                             hint="write the style, or leave it out"))
    return style.value


def text(rd: Reading, label: n.Str | n.Name) -> str | None:
    """A label or `text` value: a string, or a name bound to one."""
    if isinstance(label, n.Str):
        return label.value
    found = meaning(rd, label)
    if found.kind == "value" and isinstance(found.value, n.Str):
        return found.value.value
    if found.kind == "circular":
        return None
    if found.kind == "unbound":
        names = rd.sink.hint_names(lambda: rd.scope.visible("binding"))
        rd.sink.report(misspelt("E0306", f"unknown name `{found.value.ident}`", found.value.span,
                                found.value.ident, names))
    else:
        rd.sink.report(error("E0307", f"expected a string, got {describe(found.value)}",
                             label.span))
    return None


def enum(rd: Reading, value: n.Name, allowed: tuple[str, ...], what: str) -> str | None:
    """`low`/`high`/…, written out or passed in a template argument (a name or a string)."""
    if value.ident in allowed:
        return value.ident
    found = meaning(rd, value) if rd.scope.find(value.ident) else None
    if found is not None:
        if found.kind == "value" and isinstance(found.value, n.Str) and \
                found.value.value in allowed:
            return found.value.value
        if found.kind == "unbound" and found.value.ident in allowed:
            return found.value.ident  # type: ignore[no-any-return]
        if found.kind == "circular":
            return None
    rd.sink.report(misspelt("E0210", f"`{value.ident}` is not a valid {what}; use "
                            + " | ".join(allowed), value.span, value.ident, allowed))
    return None
