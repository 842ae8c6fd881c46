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
CODES = (E0215, E0216, E0217, E0218)
LOCAL = True
LINT = False


def check(plan: ResolvedPlan) -> Iterator[Diagnostic]:
    for chunk in plan.chunks:
        if isinstance(chunk, GenerateChunk):
            yield from (attach(d, chunk) for d in _chunk(chunk))


def _chunk(chunk: GenerateChunk) -> Iterator[Diagnostic]:
    label_span = chunk.fields.get("text", chunk.span)
    lines = chunk.text.split("\n")
    label = re.fullmatch(r"\[(.*)\]", lines[0])  # MPL writes `[LABEL]`; `text` may not
    if label is not None and not label.group(1):
        yield E0216("a chunk's label cannot be empty", label_span,
                    hint='name the section: gen "Verse" …')
    elif label is not None and len(label.group(1)) > MAX_LABEL:
        yield E0215(f"the label is {len(label.group(1))} characters long; the API "
                    f"takes at most {MAX_LABEL}", label_span,
                    hint="shorten it; put words meant to be sung in lyric lines (| …)")
    if len(lines) > MAX_LINES:
        # the first line past the limit; with `text=` there is only the string to point at
        extra = len(lines) - MAX_LINES
        span = chunk.lines[MAX_LINES - 1] if len(chunk.lines) >= MAX_LINES else label_span
        yield E0217(f"the chunk's text has {len(lines)} lines; the API takes at most "
                    f"{MAX_LINES} (the [label] line counts)", span,
                    hint=f"move {extra} line{'s' if extra != 1 else ''} from here on into "
                    "another chunk")
    for index, line in enumerate(lines):
        if len(line) > MAX_LINE:
            span = chunk.lines[index - 1] if 0 < index <= len(chunk.lines) else label_span
            which = "this lyric line" if 0 < index <= len(chunk.lines) else \
                f"line {index + 1} of the chunk's text"
            yield E0218(f"{which} is {len(line)} characters long; the API takes at "
                        f"most {MAX_LINE}", span,
                        hint="break it into shorter lyric lines")
