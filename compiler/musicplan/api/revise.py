"""A drafted revision of a plan, decompiled so it keeps the source file's song names.

`mpl draft PROMPT --from FILE.mpl` sends FILE's plan as `source_composition_plan`; the server
answers with a plan whose kept slices name songs by id only. The decompiler would call them
`s1`, `s2`, …; here every id FILE knows gets FILE's name back: a song FILE declares is
declared again with the length and sections FILE gives it, and a song from the registry FILE
imports comes through FILE's own imports, so ranges stay checked either way.
The text is compiled again and must give exactly the server's plan, else the plain
decompiled text is used.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..decompile.lift import lift
from ..pipeline import Compilation, compile_text
from ..printer import format_program
from ..resolve import ir
from ..syntax import nodes as n
from ..syntax.records import fields, is_record, replace
from .registry import SongEntry, song_decl


def known_names(source: Compilation) -> dict[str, ir.SongInfo]:
    """song id → the song as FILE knows it (the first wins for an id known twice)."""
    assert source.plan is not None
    found: dict[str, ir.SongInfo] = {}
    for song in source.plan.songs.values():
        found.setdefault(song.song_id, song)
    return found


def _renamed(node: Any, names: Mapping[str, str], default: str | None) -> Any:
    """`node` with every Name whose ident is in `names` renamed (the decompiled program
    has no other names than its songs'), and, when `default` is given, the default song
    written out in every keep and like (the file no longer declares it first)."""
    if isinstance(node, n.Name):
        return replace(node, ident=names.get(node.ident, node.ident))
    if isinstance(node, tuple):
        return tuple(_renamed(item, names, default) for item in node)
    if isinstance(node, n.Keep | n.Like) and node.song is None and default is not None:
        node = replace(node, song=n.Name(ident=default))
    if is_record(node):
        changes = {f.name: _renamed(getattr(node, f.name), names, default) for f in fields(node)
                   if f.name != "span"}
        return replace(node, **changes)
    return node


def revised_text(plan: Mapping[str, Any], source: Compilation, fallback: str) -> str:
    """MPL for the drafted `plan` with FILE's song names: through FILE's own imports for the
    songs it imports, else each song declared again with what FILE knows of it; `fallback`
    (the plain decompiled text) if neither compiles, beside FILE, to exactly `plan`."""
    for through_imports in (True, False):
        text = _text(plan, source, through_imports)
        check = compile_text(text, "<draft>", base_dir=Path(source.file).parent)
        if check.ok and check.plan_json() == dict(plan):
            return text
    return fallback


def _text(plan: Mapping[str, Any], source: Compilation, through_imports: bool) -> str:
    known = known_names(source)
    program = lift(plan)
    decls = [s for s in program.statements if isinstance(s, n.SongDecl)]
    names = {d.name.ident: known[d.song_id.value].name for d in decls
             if d.song_id.value in known}
    songs: list[n.Statement] = []
    imported: list[str] = []
    for decl in decls:
        song = known.get(decl.song_id.value)
        if song is None:
            songs.append(decl)
        elif through_imports and song.span.file != source.file:  # FILE imports it
            imported.append(decl.name.ident)
        else:
            sections = tuple((name, start, end) for name, (start, end) in song.sections.items())
            songs.append(song_decl(SongEntry(name=song.name, song_id=song.song_id,
                                             length_ms=song.length_ms, sections=sections)))
    # the first song is the default one; if it is imported now, every keep names it
    default = names[decls[0].name.ident] if decls and decls[0].name.ident in imported else None
    chunks = [_renamed(s, names, default) for s in program.statements
              if not isinstance(s, n.SongDecl)]
    imports: list[n.Statement] = []
    if imported:
        assert source.program is not None
        imports = [s for s in source.program.statements if isinstance(s, n.Import)]
    return format_program(replace(program, statements=(*imports, *songs, *chunks)))
