"""`replace [SONG] WINDOW {BODY} ...`: keep a song around new material in each window.

Lowers to the song kept up to the first window, the first body, the song kept between the
windows, …, the song kept from the last window to its end (zero-length pieces are left out).
A window's body starts at the window's exact position, however it was written.
The song's length is its `length=`, else the end of its last section. Windows go in order,
do not overlap and stay inside the song; a body lasts exactly as long as its window unless
the window says `stretch`, in which case the song grows or shrinks and a note says by how
much (into `notes`). Bodies are read by the caller's `read_block`, handed in.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction

from ..diagnostics import Label, error
from ..syntax import nodes as n
from ..syntax.spans import Span
from ..units import clock, seconds
from . import ir
from . import values as v
from .musical_time import place
from .scope import Scope

ReadBlock = Callable[[n.Block, Scope], list[ir.Chunk]]  # a body's chunks, read in a scope


def song_length(song: ir.SongInfo) -> int | None:
    """A song's declared length, else where its last section ends."""
    if song.length_ms is not None:
        return song.length_ms
    if song.sections:
        return max(end for _, end in song.sections.values())
    return None


def replace(rd: v.Reading, statement: n.Replace, read_block: ReadBlock,
            notes: list[str]) -> list[ir.Chunk]:
    """The chunks a `replace` statement stands for; a `stretch` adds a line to `notes`."""
    song = v.song(rd, statement.song, statement)
    if song is None:
        return []
    length = song_length(song)
    if length is None:
        rd.sink.report(error("E0508", f"the length of `{song.name}` is unknown, so `replace` "
                             "cannot tell what follows the window",
                             (statement.song or statement).span,
                             secondary=[Label(span=song.span, message="declared here")],
                             hint=f'declare it: song {song.name} = "…" length=60s, or give it '
                             "sections"))
        return []
    errors = rd.sink.errors
    placed = [(window, v.slice_of(rd, statement.song, window.slice, window))
              for window in statement.windows]
    ok = rd.sink.errors == errors and _in_order(rd, placed, song, length)
    out: list[ir.Chunk] = []
    cursor = 0
    new_length = length
    for window, found in placed:
        before = rd.sink.errors
        body = read_block(window.body, Scope(file=rd.scope.file, parent=rd.scope))
        if found is None:
            continue
        # the body is laid on the song's own grid from the window's exact start, so musical
        # lengths that add up to the window fill it to the millisecond
        body = place(body, found.exact_start if found.exact_start is not None
                     else Fraction(found.start_ms))
        if found.start_ms > cursor:
            out.append(_kept(rd, song, cursor, found.start_ms, window.slice.span))
        body_ms = sum(chunk.duration_ms for chunk in body)
        window_ms = found.end_ms - found.start_ms
        if rd.sink.errors == before and body_ms != window_ms:
            if window.stretch:
                new_length += body_ms - window_ms
            else:
                rd.sink.report(error("E0506", f"the window lasts {seconds(window_ms)} but its body "
                                     f"lasts {seconds(body_ms)}", window.slice.span,
                                     secondary=[Label(span=window.body.span,
                                                      message=f"this lasts {seconds(body_ms)}")],
                                     hint=f"make the body last {seconds(window_ms)}, or write "
                                     "`stretch` after the window to let the song change length"))
                ok = False
        out.extend(body)
        cursor = found.end_ms
    if cursor < length and placed:
        out.append(_kept(rd, song, cursor, length, statement.windows[-1].slice.span))
    if new_length != length and ok:
        notes.append(f"{statement.span}: `replace` stretches `{song.name}` from "
                     f"{clock(length)} to {clock(new_length)}")
    return out if ok else []


def _kept(rd: v.Reading, song: ir.SongInfo, start: int, end: int, span: Span) -> ir.KeepChunk:
    piece = ir.Slice(song=song, start_ms=start, end_ms=end, span=span)
    return ir.KeepChunk(slice=piece, span=span, context=rd.sink.context)


def _in_order(rd: v.Reading, placed: list[tuple[n.Window, ir.Slice | None]], song: ir.SongInfo,
              length: int) -> bool:
    """E0507 for windows that run backwards, overlap, or leave the song."""
    ok = True
    previous: tuple[n.Window, ir.Slice] | None = None
    for window, found in placed:
        if found is None:
            continue
        if found.end_ms <= found.start_ms:
            rd.sink.report(error("E0507", "this window is empty or runs backwards",
                                 window.slice.span, hint="write the earlier time first"))
            ok = False
        elif found.end_ms > length:
            rd.sink.report(error("E0507", f"the window ends at {seconds(found.end_ms)}, past the "
                                 f"end of `{song.name}` ({seconds(length)})", window.slice.span,
                                 secondary=[Label(span=song.length_span or song.span,
                                                  message=f"`{song.name}` is "
                                                  f"{seconds(length)} long")]))
            ok = False
        if previous is not None and found.start_ms < previous[1].end_ms:
            rd.sink.report(error("E0507", "windows must come in order without overlapping",
                                 window.slice.span,
                                 secondary=[Label(span=previous[0].slice.span,
                                                  message=f"the window before ends at "
                                                  f"{seconds(previous[1].end_ms)}")]))
            ok = False
        previous = (window, found)
    return ok
