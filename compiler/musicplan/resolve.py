"""Syntax tree → resolved plan: names, songs, sections, bindings and times.

Never raises for user errors: every problem becomes a diagnostic and resolution goes on
with what it can, so one run reports everything. Language-level features (imports,
templates, windows) hook in through `Resolver.statement`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from . import ir
from . import nodes as n
from .diagnostics import Diagnostic, Label, error
from .suggest import did_you_mean
from .timing import TempoInfo, TimeError, duration_ms, range_ms, tempo_info

OPTION_KEYS = {
    "seed": "seed",
    "format": "output_format",
    "store": "store_for_inpainting",
    "c2pa": "sign_with_c2pa",
    "finetune": "finetune_id",
    "finetune_strength": "finetune_strength",
}
OUTPUT_FORMATS = (
    "auto", "mp3_22050_32", "mp3_24000_48", "mp3_44100_32", "mp3_44100_64", "mp3_44100_96",
    "mp3_44100_128", "mp3_44100_192", "mp3_48000_128", "mp3_48000_192", "mp3_48000_240",
    "mp3_48000_320", "pcm_8000", "pcm_16000", "pcm_22050", "pcm_24000", "pcm_32000",
    "pcm_44100", "pcm_48000", "ulaw_8000", "alaw_8000", "opus_48000_32", "opus_48000_64",
    "opus_48000_96", "opus_48000_128", "opus_48000_192",
)
ADHERENCE = ("low", "medium", "high")
STRENGTH = ("low", "medium", "high", "xhigh")


@dataclass
class Binding:
    """A `let` value, already checked for form; `used` feeds the unused-name lint."""

    name: n.Name
    value: n.Value
    used: bool = False


@dataclass
class Scope:
    songs: dict[str, ir.SongInfo] = field(default_factory=dict)
    bindings: dict[str, Binding] = field(default_factory=dict)
    declared: dict[str, n.Name] = field(default_factory=dict)  # every name → its declaration
    default_song: str | None = None
    tempo: TempoInfo | None = None
    song_tempos: dict[str, TempoInfo] = field(default_factory=dict)


class Resolver:
    """Walks one program, collecting chunks and diagnostics."""

    def __init__(self) -> None:
        self.diagnostics: list[Diagnostic] = []
        self.scope = Scope()
        self.options = ir.RequestOptions()
        self.chunks: list[ir.Chunk] = []
        self.context: tuple[Label, ...] = ()

    # -- entry -------------------------------------------------------------------
    def program(self, program: n.Program) -> ir.ResolvedPlan:
        for statement in program.statements:
            self.declare(statement)
        for statement in program.statements:
            self.chunks.extend(self.statement(statement))
        self.report_unused()
        return ir.ResolvedPlan(chunks=tuple(self.chunks), songs=dict(self.scope.songs),
                               options=self.options, span=program.span,
                               default_song=self.scope.default_song)

    def report(self, diagnostic: Diagnostic) -> None:
        if self.context:
            from .diagnostics import with_context
            diagnostic = with_context(diagnostic, self.context)
        self.diagnostics.append(diagnostic)

    # -- declarations (first pass, so order of declaration does not matter) -------
    def declare(self, statement: n.Statement) -> None:
        if isinstance(statement, n.SongDecl):
            self.declare_song(statement)
        elif isinstance(statement, n.Let):
            if self.claim(statement.name):
                self.scope.bindings[statement.name.ident] = Binding(statement.name, statement.value)
        elif isinstance(statement, n.Tempo):
            self.set_file_tempo(statement)
        elif isinstance(statement, n.PlanHeader):
            self.plan_header(statement)

    def claim(self, name: n.Name) -> bool:
        """Record a declaration; a duplicate is reported at both sites."""
        previous = self.scope.declared.get(name.ident)
        if previous is not None:
            self.report(error("E0303", f"`{name.ident}` is already declared", name.span,
                              secondary=[Label(span=previous.span, message="first declared here")],
                              hint="give each song, section, binding and template its own name"))
            return False
        self.scope.declared[name.ident] = name
        return True

    def set_file_tempo(self, statement: n.Tempo) -> None:
        info = tempo_info(statement)
        if isinstance(info, Diagnostic):
            self.report(info)
        else:
            self.scope.tempo = info

    def declare_song(self, decl: n.SongDecl) -> None:
        if not self.claim(decl.name):
            return
        tempo = self.scope.tempo
        if decl.tempo is not None:
            info = tempo_info(decl.tempo)
            if isinstance(info, Diagnostic):
                self.report(info)
            else:
                tempo = info
                self.scope.song_tempos[decl.name.ident] = info
        length = None
        if decl.length is not None:
            length = self.duration(decl.length, tempo)
        sections: dict[str, tuple[int, int]] = {}
        section_spans = {}
        seen: dict[str, n.Name] = {}
        for section in decl.sections:
            key = section.name.ident
            if key in seen:
                self.report(error("E0303", f"song `{decl.name.ident}` already has a section "
                                  f"`{key}`", section.name.span,
                                  secondary=[Label(span=seen[key].span, message="first here")]))
                continue
            seen[key] = section.name
            bounds = self.range(section.range, tempo)
            if bounds is not None:
                sections[key] = bounds
                section_spans[key] = section.span
        self.scope.songs[decl.name.ident] = ir.SongInfo(
            name=decl.name.ident, song_id=decl.song_id.value, span=decl.span,
            length_ms=length, length_span=decl.length.span if decl.length else None,
            sections=sections, section_spans=section_spans)
        if self.scope.default_song is None:
            self.scope.default_song = decl.name.ident

    def plan_header(self, header: n.PlanHeader) -> None:
        values = self.options.values
        for option in header.options:
            key = option.name.ident
            api_key = OPTION_KEYS.get(key)
            if api_key is None:
                self.report(error("E0211", f"unknown plan option `{key}`", option.name.span,
                                  hint=did_you_mean(key, OPTION_KEYS) or
                                  "options are: " + ", ".join(OPTION_KEYS)))
                continue
            if api_key in values:
                self.report(error("E0212", f"plan option `{key}` given twice", option.span,
                                  secondary=[Label(span=self.options.spans[api_key],
                                                   message="first here")]))
                continue
            value = self.option_value(key, option)
            if value is not None:
                values[api_key] = value
                self.options.spans[api_key] = option.span

    def option_value(self, key: str, option: n.PlanOption) -> object | None:
        value = option.value
        if key in ("store", "c2pa"):
            if value is None:
                return True
            if isinstance(value, n.Name) and value.ident in ("true", "false"):
                return value.ident == "true"
            self.report(error("E0211", f"`{key}` takes no value, or true/false", option.span))
            return None
        if value is None:
            self.report(error("E0211", f"plan option `{key}` needs a value", option.span,
                              hint=f"write {key}=…"))
            return None
        if key == "seed":
            if isinstance(value, n.Number) and value.text.isdigit() and int(value.text) < 2**32:
                return int(value.text)
            self.report(error("E0211", "seed must be a whole number from 0 to 4294967295",
                              value.span))
            return None
        if key == "format":
            text = value.ident if isinstance(value, n.Name) else getattr(value, "value", "")
            if text in OUTPUT_FORMATS:
                return text
            self.report(error("E0210", f"`{text}` is not an output format", value.span,
                              hint=did_you_mean(str(text), OUTPUT_FORMATS) or
                              "see docs/language.md for the formats"))
            return None
        if key == "finetune":
            if isinstance(value, n.Str):
                return value.value
            self.report(error("E0211", 'finetune takes a quoted id: finetune="…"', value.span))
            return None
        if isinstance(value, n.Number):
            return float(value.text)
        self.report(error("E0211", "finetune_strength takes a number", value.span))
        return None

    # -- chunks -------------------------------------------------------------------
    def statement(self, statement: n.Statement) -> Iterator[ir.Chunk]:
        if isinstance(statement, n.Keep):
            chunk = self.keep(statement)
            if chunk is not None:
                yield chunk
        elif isinstance(statement, n.Generate):
            gen = self.generate(statement)
            if gen is not None:
                yield gen
        elif isinstance(statement, (n.Import, n.TemplateDef, n.Call, n.Replace)):
            self.report(error("E0509", "this statement is not supported here", statement.span))

    def song(self, name: n.Name | None, at: n.Node) -> ir.SongInfo | None:
        if name is None:
            if self.scope.default_song is None:
                self.report(error("E0304", "no song is declared to take audio from", at.span,
                                  hint='declare one first: song s = "SONG_ID"'))
                return None
            return self.scope.songs[self.scope.default_song]
        song = self.scope.songs.get(name.ident)
        if song is None:
            self.report(error("E0301", f"unknown song `{name.ident}`", name.span,
                              hint=did_you_mean(name.ident, self.scope.songs)))
        return song

    def tempo_for(self, song: ir.SongInfo | None) -> TempoInfo | None:
        if song is not None and song.name in self.scope.song_tempos:
            return self.scope.song_tempos[song.name]
        return self.scope.tempo

    def slice(self, song_name: n.Name | None, slice_: n.Slice, at: n.Node) -> ir.Slice | None:
        """`[SONG] RANGE|NAME`: a name is a binding if one is in scope, else a section."""
        if isinstance(slice_, n.Name) and song_name is None and slice_.ident in self.scope.songs \
                and slice_.ident not in self.scope.bindings:
            self.report(error("E0307", f"`{slice_.ident}` is a song; say which part of it",
                              slice_.span, hint=f"write keep {slice_.ident} 0-30s"))
            return None
        song = self.song(song_name, at)
        if song is None:
            return None
        tempo = self.tempo_for(song)
        if isinstance(slice_, n.Range):
            bounds = self.range(slice_, tempo)
        else:
            bounds = self.named_slice(song, slice_, tempo)
        if bounds is None:
            return None
        return ir.Slice(song=song, start_ms=bounds[0], end_ms=bounds[1], span=slice_.span)

    def named_slice(self, song: ir.SongInfo, name: n.Name,
                    tempo: TempoInfo | None) -> tuple[int, int] | None:
        binding = self.lookup(name)
        if binding is not None:
            if isinstance(binding, n.Range):
                return self.range(binding, tempo, at=name)
            self.report(error("E0307", f"`{name.ident}` is not a range", name.span))
            return None
        if name.ident in song.sections:
            return song.sections[name.ident]
        self.report(error("E0302", f"song `{song.name}` has no section `{name.ident}`", name.span,
                          hint=did_you_mean(name.ident, song.sections) or
                          (f"its sections: {', '.join(song.sections)}" if song.sections
                           else f"declare sections in a block: song {song.name} = … {{ … }}")))
        return None

    def lookup(self, name: n.Name) -> Any:
        binding = self.scope.bindings.get(name.ident)
        if binding is None:
            return None
        binding.used = True
        return binding.value

    def range(self, value: n.Range, tempo: TempoInfo | None,
              at: n.Node | None = None) -> tuple[int, int] | None:
        try:
            return range_ms(value, tempo)
        except TimeError as exc:
            self.report(exc.diagnostic)
            return None

    def duration(self, value: n.Time | n.Name, tempo: TempoInfo | None) -> int | None:
        if isinstance(value, n.Name):
            bound = self.lookup(value)
            if bound is None:
                self.report(error("E0306", f"unknown name `{value.ident}`", value.span,
                                  hint=did_you_mean(value.ident, self.scope.bindings)))
                return None
            if not isinstance(bound, n.Time):
                self.report(error("E0307", f"`{value.ident}` is not a duration", value.span))
                return None
            value = bound
        try:
            return duration_ms(value, tempo)
        except TimeError as exc:
            self.report(exc.diagnostic)
            return None

    def keep(self, statement: n.Keep) -> ir.KeepChunk | None:
        found = self.slice(statement.song, statement.slice, statement)
        if found is None:
            return None
        return ir.KeepChunk(slice=found, span=statement.span, context=self.context)

    def strings(self, items: n.ListExpr) -> tuple[str, ...]:
        out: list[str] = []
        for item in items.items:
            if isinstance(item, n.Str):
                out.append(item.value)
                continue
            bound = self.lookup(item)
            if isinstance(bound, n.ListExpr):
                out.extend(self.strings(bound))
            elif isinstance(bound, n.Str):
                out.append(bound.value)
            elif bound is None:
                self.report(error("E0306", f"unknown name `{item.ident}`", item.span,
                                  hint=did_you_mean(item.ident, self.scope.bindings)))
            else:
                self.report(error("E0307", f"`{item.ident}` is not a list of styles", item.span))
        return tuple(out)

    def label(self, label: n.Str | n.Name) -> str | None:
        if isinstance(label, n.Str):
            return label.value
        bound = self.lookup(label)
        if isinstance(bound, n.Str):
            return bound.value
        self.report(error("E0306" if bound is None else "E0307",
                          f"`{label.ident}` is not a label string", label.span))
        return None

    def regen_duration(self, statement: n.Generate, label: str) -> int | None:
        song = self.scope.songs.get(self.scope.default_song or "")
        if song is not None:
            for name, (start, end) in song.sections.items():
                if name.lower() == label.lower():
                    return end - start
        where = f"song `{song.name}`" if song else "no song is declared, so"
        self.report(error("E0305", f'regen "{label}" has no duration and {where} has no section '
                          f"`{label.lower()}`", statement.label.span,
                          hint="give a duration (regen \"…\" 30s) or declare the section"))
        return None

    def generate(self, statement: n.Generate) -> ir.GenerateChunk | None:
        label = self.label(statement.label)
        if label is None:
            return None
        tempo = self.scope.tempo
        fields = {"text": statement.label.span}
        if statement.duration is not None:
            duration = self.duration(statement.duration, tempo)
            fields["duration_ms"] = statement.duration.span
        elif statement.regen:
            duration = self.regen_duration(statement, label)
            fields["duration_ms"] = statement.label.span
        else:
            self.report(error("E0305", "a gen chunk needs a duration", statement.label.span,
                              hint=f'write gen "{label}" 30s …'))
            duration = None
        values: dict[str, Any] = {}
        seen: dict[type, n.Node] = {}
        for attr in statement.attrs:
            if type(attr) in seen:
                self.report(error("E0212", "attribute given twice", attr.span,
                                  secondary=[Label(span=seen[type(attr)].span,
                                                   message="first here")]))
                continue
            seen[type(attr)] = attr
            self.attribute(attr, values, fields)
        text = values.pop("text", None)
        if text is None:
            text = "\n".join([f"[{label}]", *(lyric.text for lyric in statement.lyrics)])
        elif statement.lyrics:
            self.report(error("E0212", "a chunk with `text` cannot also have lyric lines",
                              statement.lyrics[0].span, secondary=[
                                  Label(span=fields["text"], message="text given here")],
                              hint="put the lyrics inside the text, or drop `text`"))
        if duration is None:
            return None
        return ir.GenerateChunk(label=label, text=text, duration_ms=duration,
                                span=statement.span, fields=fields, context=self.context,
                                **values)

    def attribute(self, attr: n.Attr, values: dict[str, Any], fields: dict[str, Any]) -> None:
        if isinstance(attr, n.Styles):
            values["positive_styles"] = self.strings(attr.items)
            fields["positive_styles"] = attr.span
        elif isinstance(attr, n.Avoid):
            values["negative_styles"] = self.strings(attr.items)
            fields["negative_styles"] = attr.span
        elif isinstance(attr, n.Adherence):
            values["context_adherence"] = self.enum(attr.value, ADHERENCE, "adherence")
            fields["context_adherence"] = attr.span
        elif isinstance(attr, n.Strength):
            values["condition_strength"] = self.enum(attr.value, STRENGTH, "strength")
            fields["condition_strength"] = attr.span
        elif isinstance(attr, n.Like):
            values["conditioning"] = self.slice(attr.song, attr.slice, attr)
            fields["conditioning_ref"] = attr.span
        elif isinstance(attr, n.TextAttr):
            if isinstance(attr.value, n.Str):
                values["text"] = attr.value.value
            else:
                values["text"] = self.label(attr.value)
            fields["text"] = attr.span

    def enum(self, value: n.Name, allowed: tuple[str, ...], what: str) -> str | None:
        if value.ident in allowed:
            return value.ident
        self.report(error("E0210", f"`{value.ident}` is not a valid {what}; use "
                          + " | ".join(allowed), value.span,
                          hint=did_you_mean(value.ident, allowed)))
        return None

    def report_unused(self) -> None:
        from .diagnostics import warning

        for binding in self.scope.bindings.values():
            if not binding.used:
                self.report(warning("W0201", f"`{binding.name.ident}` is never used",
                                    binding.name.span, hint="use it or remove the binding"))


def resolve(program: n.Program) -> tuple[ir.ResolvedPlan, list[Diagnostic]]:
    """Resolve one program; returns the plan (possibly partial) and diagnostics."""
    resolver = Resolver()
    plan = resolver.program(program)
    return plan, resolver.diagnostics
