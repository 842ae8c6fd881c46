"""`songs.mpl`: the registry of stored songs, itself an MPL file of `song` declarations.

A render that stores its song (or an upload) records `song NAME = "ID" length=… { sections }`
with a `# rendered from FILE on DATE` comment above it. Sections come from the compiled plan:
each generation chunk's label becomes a section with its exact range in the finished song;
a kept chunk brings along the sections of its source song that it overlaps (clipped and
shifted), and any part of it no source section covers is named `<song>_kept`. Names are the
label lowercased (accents dropped), every run of other characters than letters and digits
made `_`, `part_` put before one that starts with a digit or is a keyword, repeats numbered
`_2`, `_3`.

Updating parses the file, finds the declaration by name through its span and splices the new
text in: every other declaration and comment stays as written, and the file keeps its line
endings (CRLF stays CRLF). The result is re-parsed and resolved before it is written
(atomically), so the registry never becomes a broken file.
"""

from __future__ import annotations

import os
import re
import stat
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..diagnostics import Diagnostic, error, has_errors, warning
from ..files import file_kind, locked, write_atomically
from ..pipeline import Compilation, compile_text
from ..printer import print_statement
from ..resolve import ir
from ..syntax import nodes as n
from ..syntax.spans import span_at
from ..timeline import timeline
from ..units import spelling
from . import songdata
from .songdata import SongData
from .writable import folder_problem

REGISTRY_NAME = "songs.mpl"
# every word the grammar spells literally (tests/api/test_registry.py keeps this in step)
KEYWORDS = frozenset({
    "plan", "song", "length", "tempo", "keep", "gen", "regen", "styles", "avoid", "adherence",
    "strength", "like", "text", "let", "import", "as", "template", "replace", "stretch", "bar",
    "bars", "beat", "beats", "lyrics"})
_HEADERS = ("# rendered from ", "# uploaded from ", songdata.DATA_PREFIX)


class RegistryUnusable(Exception):
    """The registry file cannot be read (a folder, not UTF-8, no permission), or its folder
    cannot be written; the message says which."""


class RegistryRefuses(RegistryUnusable):
    """Recording the song would break the registry at no place in the file as it is (the
    conflict lies in the declaration to be written); the message says what."""


class RegistryError(Exception):
    """The registry cannot be read or updated; `diagnostics` say where."""

    def __init__(self, diagnostics: list[Diagnostic], text: str) -> None:
        super().__init__("; ".join(d.message for d in diagnostics))
        self.diagnostics = diagnostics
        self.text = text


@dataclass(frozen=True)
class SongEntry:
    """One registry declaration: sections are (name, start_ms, end_ms) in song order; `data`
    (word timestamps, waveform, audio file, seed) lives in the sidecar the registry names."""

    name: str
    song_id: str
    length_ms: int | None = None
    sections: tuple[tuple[str, int, int], ...] = ()
    data: SongData = field(default_factory=SongData)

    @property
    def audio_path(self) -> Path | None:
        """The audio file the render or upload wrote or sent (None if not recorded)."""
        return self.data.audio_path

    @property
    def waveform(self) -> tuple[int, ...]:
        """The song's waveform: 4 values a second, each −1000…1000 (() if not recorded)."""
        return self.data.waveform

    @property
    def words(self) -> tuple[songdata.Word, ...]:
        """The sung words and their times (() if not recorded)."""
        return self.data.words


def identifier(text: str, taken: Iterable[str] = ()) -> str:
    """`Verse 1` → `verse_1`; `2nd` → `part_2nd`; a name already in `taken` gets `_2`, `_3`."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    name = re.sub(r"[^a-z0-9]+", "_", plain.lower()).strip("_") or "part"
    if name[0].isdigit() or name in KEYWORDS:
        name = f"part_{name}"
    used = set(taken)
    candidate, number = name, 1
    while candidate in used:
        number += 1
        candidate = f"{name}_{number}"
    return candidate


def _kept_sections(chunk: ir.KeepChunk, at: int) -> list[tuple[str, int, int]]:
    """The source song's sections inside the kept slice, moved to `at`; gaps named."""
    slice_ = chunk.slice
    found = []
    for name, (start, end) in slice_.song.sections.items():
        lo, hi = max(start, slice_.start_ms), min(end, slice_.end_ms)
        if hi > lo:
            found.append((name, lo - slice_.start_ms + at, hi - slice_.start_ms + at))
    found.sort(key=lambda item: item[1])
    gaps, cursor = [], at
    for _, start, end in found:
        if start > cursor:
            gaps.append((f"{slice_.song.name}_kept", cursor, start))
        cursor = max(cursor, end)
    if at + slice_.length_ms > cursor:
        gaps.append((f"{slice_.song.name}_kept", cursor, at + slice_.length_ms))
    return sorted(found + gaps, key=lambda item: item[1])


def _named(raw: Iterable[tuple[str, int, int]]) -> tuple[tuple[str, int, int], ...]:
    out: list[tuple[str, int, int]] = []
    for label, start, end in raw:
        out.append((identifier(label, (name for name, _, _ in out)), start, end))
    return tuple(out)


def sections_from_plan(plan: ir.ResolvedPlan) -> tuple[tuple[str, int, int], ...]:
    """Each chunk's sections with their exact range in the finished song."""
    raw: list[tuple[str, int, int]] = []
    for entry in timeline(plan):
        if isinstance(entry.chunk, ir.GenerateChunk):
            raw.append((entry.chunk.label, entry.start_ms, entry.end_ms))
        else:
            raw.extend(_kept_sections(entry.chunk, entry.start_ms))
    return _named(raw)


def sections_from_json(plan: Mapping[str, Any]) -> tuple[tuple[str, int, int], ...] | None:
    """Sections and their ranges from a plan the server returned (None if it is not one)."""
    chunks = plan.get("chunks")
    if not isinstance(chunks, list) or not chunks:
        return None
    raw, at = [], 0
    for chunk in chunks:
        if not isinstance(chunk, dict):
            return None
        rng = chunk.get("range")
        if isinstance(chunk.get("duration_ms"), int):
            length = chunk["duration_ms"]
            match = re.match(r"\s*\[([^\]\n]+)\]", str(chunk.get("text", "")))
            label = match.group(1) if match else "part"
        elif isinstance(rng, dict) and isinstance(rng.get("start_ms"), int) \
                and isinstance(rng.get("end_ms"), int):
            length, label = rng["end_ms"] - rng["start_ms"], "kept"
        else:
            return None
        raw.append((label, at, at + length))
        at += length
    named = _named(raw)
    return named if _reads_back(named) else None


def _reads_back(sections: tuple[tuple[str, int, int], ...]) -> bool:
    """Whether a song with these sections is one MPL accepts: a server's plan can hold
    ranges no song can have (negative, reversed, too short)."""
    if any(start < 0 or end <= start for _, start, end in sections):
        return False
    entry = SongEntry(name="uploaded", song_id="id", length_ms=sections[-1][2], sections=sections)
    return not has_errors(_checked(declaration(entry), Path(REGISTRY_NAME))[2])


def _time(ms: int, *, bare_zero: bool = False) -> n.Time:
    if ms == 0 and bare_zero:
        return n.Time(amount="0", unit="bare")
    amount, unit = spelling(ms)
    return n.Time(amount=amount, unit=unit)


def declaration(entry: SongEntry) -> str:
    """The entry as canonical MPL (printed by the one printer)."""
    return print_statement(song_decl(entry))


def song_decl(entry: SongEntry) -> n.SongDecl:
    """The entry's `song` declaration, as the parser would build it."""
    sections = tuple(
        n.Section(name=n.Name(ident=name),
                  range=n.Range(start=_time(start, bare_zero=True), end=_time(end)))
        for name, start, end in entry.sections)
    decl = n.SongDecl(name=n.Name(ident=entry.name), song_id=n.Str(value=entry.song_id),
                      length=_time(entry.length_ms) if entry.length_ms is not None else None,
                      sections=sections, block=bool(sections))
    return decl


def read_text(path: Path, *, as_stored: bool = False) -> str:
    """The registry's text ("" for an absent file), line endings made `\n` unless
    `as_stored`; RegistryUnusable if it cannot be read (a FIFO or a device is not opened)."""
    try:
        mode = path.stat().st_mode
        if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
            raise RegistryUnusable(f"{path} is {file_kind(mode)}, not a registry file")
        with path.open(encoding="utf-8", newline="" if as_stored else None) as handle:
            return handle.read()
    except FileNotFoundError:
        return ""
    except IsADirectoryError:
        raise RegistryUnusable(f"{path} is a folder, not a registry file") from None
    except UnicodeDecodeError as exc:
        raise RegistryUnusable(f"{path} is not UTF-8 text ({exc.reason} at byte "
                               f"{exc.start})") from None
    except OSError as exc:
        raise RegistryUnusable(f"cannot read {path}: {exc.strerror or exc}") from None


def read(path: Path) -> tuple[str, n.Program, list[Diagnostic]]:
    """The registry's text, syntax tree and problems (an absent file is an empty registry);
    RegistryUnusable if it cannot be read."""
    return _checked(read_text(path), path)


def songs(path: Path) -> tuple[list[ir.SongInfo], list[Diagnostic], str]:
    """Every song declared in the registry or imported by it, once each, resolved (lengths
    and sections in ms); RegistryUnusable if it cannot be read."""
    text = read_text(path)
    compilation = _compiled(text, path)
    diagnostics = _errors(compilation)
    if has_errors(diagnostics) or compilation.plan is None:
        return [], diagnostics, text
    plan = compilation.plan
    unique = {id(song): song for song in plan.songs.values()}  # an import lists it twice
    return list(unique.values()), diagnostics, text


def check(path: Path, name: str) -> None:
    """Before a song is paid for: the registry can be read and written, and recording a
    song called `name` would leave it without errors. Raises RegistryUnusable or
    RegistryError; writes nothing."""
    problem = folder_problem(Path(os.path.realpath(path)).parent)
    if problem is not None:
        raise RegistryUnusable(f"cannot write {path}: {problem}")
    _planned(path, SongEntry(name=name, song_id="id"), "#")


def _find(program: n.Program, name: str) -> n.SongDecl | None:
    for statement in program.statements:
        if isinstance(statement, n.SongDecl) and statement.name.ident == name:
            return statement
    return None


def update(path: Path, entry: SongEntry, comment: str) -> list[Diagnostic]:
    """Record `entry` (replacing a song of the same name); returns warnings such as W0207.
    Raises RegistryError when the file has errors or would have them afterwards. Concurrent
    updates (several renders at once) take turns, so none is lost."""
    with locked(path):
        return _update(path, entry, comment)


def _update(path: Path, entry: SongEntry, comment: str) -> list[Diagnostic]:
    """The sidecar first (under a new name), then the registry naming it, then the sidecar
    it no longer names: the registry never names a missing or half-written file."""
    sidecar = songdata.write(path, entry.name, entry.song_id, entry.data) if entry.data \
        else None
    if sidecar is not None:
        comment = f"{comment}\n{songdata.reference(path, sidecar)}"
    old = _sidecar_of(path, entry.name)
    try:
        result, notes = _planned(path, entry, comment)
        write_atomically(path, result)
    except BaseException:
        if sidecar is not None and sidecar != old:
            songdata.remove_if_own(path, sidecar)
        raise
    if old is not None and old != sidecar:
        songdata.remove_if_own(path, old)
    return notes


def _header_start(program: n.Program, decl: n.SongDecl) -> tuple[int, list[n.Comment]]:
    """Where the comment lines MPL wrote above `decl` (`# rendered from`, `# data:`) begin,
    and those lines."""
    by_line = {c.span.line: c for c in program.comments if c.span.col == 1}
    start, line, found = decl.span.start, decl.span.line - 1, []
    while line in by_line and by_line[line].text.startswith(_HEADERS):
        start, line = by_line[line].span.start, line - 1
        found.append(by_line[line + 1])
    return start, found


def _sidecar_of(path: Path, name: str) -> Path | None:
    """The sidecar the registry names for song `name` (None if none, or no such song)."""
    try:
        _, program, _ = read(path)
    except RegistryUnusable:
        return None
    decl = _find(program, name)
    if decl is None:
        return None
    return next((found for c in _header_start(program, decl)[1]
                 if (found := songdata.named_in(path, c.text)) is not None), None)


def entries(path: Path) -> tuple[list[SongEntry], list[Diagnostic], str]:
    """The songs declared in the registry itself, with their sidecar data (a sidecar that
    cannot be read gives W0702 and the song without it); RegistryUnusable if the registry
    cannot be read, and no entries (with the errors) if it has errors."""
    text = read_text(path)
    compilation = _compiled(text, path)
    diagnostics, program = _errors(compilation), compilation.program
    if has_errors(diagnostics) or compilation.plan is None:
        return [], diagnostics, text
    plan = compilation.plan
    found, notes = [], []
    for statement in program.statements:
        if not isinstance(statement, n.SongDecl):
            continue
        info = plan.songs.get(statement.name.ident)
        if info is None:
            continue
        data = SongData()
        for comment in _header_start(program, statement)[1]:
            sidecar = songdata.named_in(path, comment.text)
            if sidecar is None:
                continue
            try:
                data = songdata.read(sidecar, path)
            except ValueError as exc:
                notes.append(warning("W0702", f"the data of song `{info.name}` cannot be "
                                     f"read: {exc}", comment.span,
                                     hint="render or upload the song again to record it"))
        sections = tuple((name, start, end) for name, (start, end) in info.sections.items())
        found.append(SongEntry(name=info.name, song_id=info.song_id, length_ms=info.length_ms,
                               sections=sections, data=data))
    return found, notes, text


def _newline(stored: str) -> str:
    """The file's line ending (its first one; `\n` for a file of one line or none)."""
    match = re.search(r"\r\n|\r|\n", stored)
    return match.group() if match else "\n"


def _stored_offset(stored: str, offset: int) -> int:
    """Where `offset` into the text with `\n` line endings lies in `stored`."""
    shift = 0
    for match in re.finditer("\r\n", stored):
        if match.start() - shift >= offset:
            break
        shift += 1
    return offset + shift


@dataclass(frozen=True)
class _Splice:
    """`text[start:end]` (offsets in the `\n` text) replaced by `new`."""

    start: int
    end: int
    new: str

    def apply(self, text: str) -> str:
        return text[:self.start] + self.new + text[self.end:]


def _planned(path: Path, entry: SongEntry, comment: str) -> tuple[str, list[Diagnostic]]:
    """The registry's new text (with the file's own line endings) with `entry` recorded, and
    warnings; RegistryError if the file has errors or would have them afterwards."""
    stored = read_text(path, as_stored=True)
    text, program, diagnostics = _checked(_lf(stored), path)
    if has_errors(diagnostics):
        raise RegistryError(diagnostics, text)
    new_text = f"{comment}\n{declaration(entry)}"
    found = _find(program, entry.name)
    notes: list[Diagnostic] = []
    if found is None:
        body = len(text.rstrip("\n"))
        splice = _Splice(body, len(text), f"\n\n{new_text}\n" if body else f"{new_text}\n")
    else:
        start = _header_start(program, found)[0]
        splice = _Splice(start, found.span.end, new_text)
        notes.append(warning("W0207", f"song `{entry.name}` in {path.name} was replaced (it "
                             f"was \"{found.song_id.value}\")", found.name.span,
                             hint="use --as NAME to keep both"))
    result = splice.apply(text)
    _, _, problems = _checked(result, path)
    if has_errors(problems):
        raise _conflict(problems[0], entry.name, path, text, splice)
    stored_splice = _Splice(_stored_offset(stored, splice.start),
                            _stored_offset(stored, splice.end),
                            splice.new.replace("\n", _newline(stored)))
    return stored_splice.apply(stored), notes


def _lf(stored: str) -> str:
    return stored.replace("\r\n", "\n").replace("\r", "\n")


def _conflict(problem: Diagnostic, name: str, path: Path, text: str,
              splice: _Splice) -> Exception:
    """E0711 for a registry that `splice` would break, at the first place the `problem`
    names in the file as it is on disk (or in a file it imports); with no such place,
    RegistryRefuses (no location)."""
    message = f"recording `{name}` would break {path.name}: {problem.message}"
    grown = len(splice.new) - (splice.end - splice.start)
    for label in (problem.primary, *problem.secondary):
        span = label.span
        if span.file.startswith("<"):  # no place in any file
            continue
        if span.file != str(path):
            return RegistryError([error("E0711", message, span)], text)
        if span.end <= splice.start or span.start >= splice.start + len(splice.new):
            shift = 0 if span.end <= splice.start else grown
            here = span_at(str(path), text, span.start - shift, span.end - shift)
            return RegistryError([error("E0711", message, here)], text)
    return RegistryRefuses(message)


def _compiled(text: str, path: Path) -> Compilation:
    """`text` as the registry at `path`, through the compiler's stages: parsed and resolved
    (imports beside it), not checked (it declares songs, it is not a plan)."""
    return compile_text(text, str(path), base_dir=path.parent, checks=False)


def _errors(compilation: Compilation) -> list[Diagnostic]:
    return [d for d in compilation.diagnostics if d.is_error]


def _checked(text: str, path: Path) -> tuple[str, n.Program, list[Diagnostic]]:
    """Parse and resolve `text` as the registry at `path`; only errors are kept."""
    compilation = _compiled(text, path)
    return text, compilation.program, _errors(compilation)
