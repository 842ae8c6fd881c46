"""A generation chunk's text: the section name in brackets is 1-100 characters, and the text
has at most 30 lines of at most 200 characters each (music-v2.md, "Newer facts": text limits
of a generation chunk). The reference does not say whether the `[Label]` line counts among the
30; it is counted, so a plan MPL accepts is never refused."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..diagnostics import Diagnostic
from ..limits import MAX_LABEL, MAX_LINE, MAX_LINES
from ..resolve.ir import GenerateChunk, ResolvedPlan
from ._util import Code, attach

E0215 = Code(code="E0215", severity="error", title="chunk label over 100 characters",
             doc="A generation chunk's label (the `[LABEL]` of its text) over 100 "
                 "characters: the API takes a section name of 1–100.",
             fix="Shorten it; words meant to be sung go in lyric lines.")
E0216 = Code(code="E0216", severity="error", title="empty chunk label",
             doc='An empty label (`gen ""`, or a name bound to `""`).',
             fix="Name the section.")
E0217 = Code(code="E0217", severity="error", title="chunk text over 30 lines",
             doc="A chunk's text over 30 lines. The `[LABEL]` line counts (the API does not "
                 "say whether it does; counting it means a plan MPL accepts is never "
                 "refused), so a chunk takes at most 29 lyric lines. Points at the first "
                 "line past the limit.",
             fix="Move the rest of the lyrics into the next chunk.")
E0218 = Code(code="E0218", severity="error", title="chunk text line over 200 characters",
             doc="A line of a chunk's text over 200 characters; points at that lyric line "
                 '(or at `text "…"`).',
             fix="Break it into shorter lines.")
E0221 = Code(code="E0221", severity="error", title="line break in a chunk label",
             doc="A label holding a line break (`gen \"Verse\\n2\"`): the text's first line "
                 "would no longer be the whole `[LABEL]`.",
             fix="Write the label on one line.")
CODES = (E0215, E0216, E0217, E0218, E0221)
LOCAL = True
LINT = False


def check(plan: ResolvedPlan) -> Iterator[Diagnostic]:
    for chunk in plan.chunks:
        if isinstance(chunk, GenerateChunk):
            yield from (attach(d, chunk) for d in _chunk(chunk))


def _chunk(chunk: GenerateChunk) -> Iterator[Diagnostic]:
    label_span = chunk.fields.get("text", chunk.span)
    lines = chunk.text.split("\n")
    # MPL built the text as `[LABEL]` and the lyric lines, unless `text "…"` gave it whole
    built = chunk.text.startswith(f"[{chunk.label}]") and \
        len(lines) == chunk.label.count("\n") + 1 + len(chunk.lines)
    found = re.fullmatch(r"\[(.*)\]", lines[0])  # a `text "…"` may start with one
    label = chunk.label if built else found.group(1) if found is not None else None
    if label is not None and not label:
        yield E0216("a chunk's label cannot be empty", label_span,
                    hint='name the section: gen "Verse" …')
    elif label is not None and len(label) > MAX_LABEL:
        yield E0215(f"the label is {len(label)} characters long; the API "
                    f"takes at most {MAX_LABEL}", label_span,
                    hint="shorten it; put words meant to be sung in lyric lines (| …)")
    if built and "\n" in chunk.label:
        yield E0221("a chunk's label is one line", label_span,
                    hint="the API reads the text's first line as [LABEL]; put other words "
                    "in lyric lines (| …)")
    first_lyric = len(lines) - len(chunk.lines)  # text line of the first lyric line
    if len(lines) > MAX_LINES:
        # the first line past the limit; with `text=` there is only the string to point at
        extra = len(lines) - MAX_LINES
        past = MAX_LINES - first_lyric
        span = chunk.lines[past] if 0 <= past < len(chunk.lines) else label_span
        yield E0217(f"the chunk's text has {len(lines)} lines; the API takes at most "
                    f"{MAX_LINES} (the [label] line counts)", span,
                    hint=f"move {extra} line{'s' if extra != 1 else ''} from here on into "
                    "another chunk")
    for index, line in enumerate(lines):
        if len(line) > MAX_LINE:
            lyric = index - first_lyric
            span = chunk.lines[lyric] if 0 <= lyric < len(chunk.lines) else label_span
            which = "this lyric line" if 0 <= lyric < len(chunk.lines) else \
                f"line {index + 1} of the chunk's text"
            yield E0218(f"{which} is {len(line)} characters long; the API takes at "
                        f"most {MAX_LINE}", span,
                        hint="break it into shorter lyric lines")
