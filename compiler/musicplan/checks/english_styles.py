"""Styles must be English (music-v2.md, `positive_styles`). Flags styles with letters
outside Latin scripts; accented Latin (`bossa nova`, `café`) is accepted."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

from ..diagnostics import Diagnostic
from ..resolve.ir import GenerateChunk, ResolvedPlan
from ._util import Code, attach

W0104 = Code(code="W0104", severity="warning", title="style does not look English",
             doc="A style with letters outside the Latin script: styles must be English "
                 "(lyrics may be in any language).",
             fix="Translate the style.")
CODES = (W0104,)
LOCAL = False
LINT = False


def looks_english(style: str) -> bool:
    if style.isascii():
        return True
    for char in style:
        if char.isalpha() and not unicodedata.name(char, "").startswith("LATIN"):
            return False
    return True


def check(plan: ResolvedPlan) -> Iterator[Diagnostic]:
    for chunk in plan.chunks:
        if not isinstance(chunk, GenerateChunk):
            continue
        for key in ("positive_styles", "negative_styles"):
            for style in getattr(chunk, key) or ():
                if not looks_english(style):
                    yield attach(W0104(f"style {style!r} does not look English; the "
                                       "API reads styles in English",
                                       chunk.fields.get(key, chunk.span),
                                       hint="lyrics may be in any language; styles may not"),
                                 chunk)
