"""The early chunks' styles set genre and tone for the whole song; the docs advise "at least
6-7 styles in early chunks" (music-v2.md, `positive_styles`). Early means the generation
chunks that start within the song's first 30 s: the opening chunk, and whatever else shapes
the first half-minute a listener hears (an intro split in two, a short intro and the first
verse). A plan that opens with kept audio takes its tone from that audio, so only a plan that
opens with a generation chunk is held to the advice."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic
from ..limits import ADVISED_EARLY_STYLES, EARLY_MS
from ..resolve.ir import GenerateChunk, ResolvedPlan
from ..units import clock
from ._util import Code, attach

W0101 = Code(code="W0101", severity="warning", title="early generation chunk with few styles",
             doc="A plan that opens with a generation chunk, and an *early* generation chunk "
                 "of it with 1–5 styles: the docs advise “at least 6–7 styles in early "
                 "chunks”, which set the whole song's tone. Early means starting within the "
                 "song's first 30 s — the opening chunk, and what else shapes the first "
                 "half-minute a listener hears (an intro split in two, a short intro then "
                 "the first verse); a fixed count of chunks would judge a 3-minute opening "
                 "chunk and three 10-second ones alike. (A plan that opens with kept audio "
                 "takes its tone from that audio; a chunk with no styles is `W0105`.)",
             fix="Add styles.")
CODES = (W0101,)
LOCAL = False
LINT = False


def check(plan: ResolvedPlan) -> Iterator[Diagnostic]:
    if not plan.chunks or not isinstance(plan.chunks[0], GenerateChunk):
        return
    start = 0
    for chunk in plan.chunks:
        if start >= EARLY_MS:
            return
        count = len(chunk.positive_styles or ()) if isinstance(chunk, GenerateChunk) else 0
        if isinstance(chunk, GenerateChunk) and 0 < count < ADVISED_EARLY_STYLES:
            styles = f"{count} style{'s' if count != 1 else ''}"
            message = (f"the opening chunk has {styles}; it sets the whole song's tone"
                       if start == 0 else f'chunk "{chunk.label}" starts at '
                       f"{clock(start)} and has {styles}; early chunks set the song's tone")
            yield attach(W0101(message,
                               chunk.fields.get("positive_styles", chunk.span),
                               hint="the API docs advise 6-7 styles or more in early chunks "
                               f"(those starting in the first {clock(EARLY_MS)})"), chunk)
        start += max(chunk.duration_ms, 0)
