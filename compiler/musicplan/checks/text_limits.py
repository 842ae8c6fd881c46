"""A generation chunk's text: the section name in brackets is 1-100 characters, and the text
has at most 30 lines of at most 200 characters each (music-v2.md, "Newer facts": text limits
of a generation chunk). The reference does not say whether the `[Label]` line counts among the
30; it is counted, so a plan MPL accepts is never refused."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..diagnostics import Diagnostic, error
from ..resolve.ir import GenerateChunk, ResolvedPlan
from ._util import attach

MAX_LABEL = 100
MAX_LINES = 30
MAX_LINE = 200


def check(plan: ResolvedPlan) -> Iterator[Diagnostic]:
    for chunk in plan.chunks:
        if isinstance(chunk, GenerateChunk):
            yield from (attach(d, chunk) for d in _chunk(chunk))


def _chunk(chunk: GenerateChunk) -> Iterator[Diagnostic]:
    label_span = chunk.fields.get("text", chunk.span)
    lines = chunk.text.split("\n")
    label = re.fullmatch(r"\[(.*)\]", lines[0])  # MPL writes `[LABEL]`; `text` may not
    if label is not None and not label.group(1):
        yield error("E0216", "a chunk's label cannot be empty", label_span,
                    hint='name the section: gen "Verse" …')
    elif label is not None and len(label.group(1)) > MAX_LABEL:
        yield error("E0215", f"the label is {len(label.group(1))} characters long; the API "
                    f"takes at most {MAX_LABEL}", label_span,
                    hint="shorten it; put words meant to be sung in lyric lines (| …)")
    if len(lines) > MAX_LINES:
        # the first line past the limit; with `text=` there is only the string to point at
        extra = len(lines) - MAX_LINES
        span = chunk.lines[MAX_LINES - 1] if len(chunk.lines) >= MAX_LINES else label_span
        yield error("E0217", f"the chunk's text has {len(lines)} lines; the API takes at most "
                    f"{MAX_LINES} (the [label] line counts)", span,
                    hint=f"move {extra} line{'s' if extra != 1 else ''} from here on into "
                    "another chunk")
    for index, line in enumerate(lines):
        if len(line) > MAX_LINE:
            span = chunk.lines[index - 1] if 0 < index <= len(chunk.lines) else label_span
            which = "this lyric line" if 0 < index <= len(chunk.lines) else \
                f"line {index + 1} of the chunk's text"
            yield error("E0218", f"{which} is {len(line)} characters long; the API takes at "
                        f"most {MAX_LINE}", span,
                        hint="break it into shorter lyric lines")
