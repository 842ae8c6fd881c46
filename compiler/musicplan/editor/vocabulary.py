"""MPL's words by class, for everything that colours or completes MPL source.

The TextMate grammar, the Pygments lexer and the language server's semantic tokens all
follow these lists, and a test checks that every keyword of `grammar/mpl.lark` is in one
of them, so no editor artefact falls behind the grammar.
"""

from __future__ import annotations

import re

from ..resolve.header import MODELS as TARGET_MODELS
from ..resolve.header import OPTION_KEYS, OUTPUT_FORMATS
from ..resolve.values import ADHERENCE, STRENGTH

# Words that start a statement (the grammar's statement keywords).
STATEMENT_KEYWORDS: tuple[str, ...] = (
    "plan", "song", "keep", "gen", "regen", "let", "import", "template", "replace", "tempo",
)
# Attribute and option words: chunk attributes, song options, import aliasing, windows.
FIELD_WORDS: tuple[str, ...] = (
    "styles", "avoid", "adherence", "strength", "like", "text", "length", "as", "stretch",
    "lyrics",
)
# `plan` options: plain names in the grammar, option words to a reader.
OPTION_WORDS: tuple[str, ...] = tuple(OPTION_KEYS)
# Units of musical time: part of a time (`8 bars`, `bar 9`), coloured as numbers.
TIME_WORDS: tuple[str, ...] = ("bar", "bars", "beat", "beats")
# Enumerated values.
ENUM_VALUES: tuple[str, ...] = tuple(dict.fromkeys((*ADHERENCE, *STRENGTH, "true", "false",
                                                   *TARGET_MODELS)))
FORMATS: tuple[str, ...] = OUTPUT_FORMATS
# `plan model=` values: the models whose plan MPL writes
MODELS: tuple[str, ...] = TARGET_MODELS

ALL_KEYWORDS: frozenset[str] = frozenset(
    (*STATEMENT_KEYWORDS, *FIELD_WORDS, *OPTION_WORDS, *TIME_WORDS))


def grammar_keywords(grammar_text: str) -> set[str]:
    """Every keyword (a quoted word literal) of the Lark grammar."""
    return set(re.findall(r'"([a-z_]+)"', grammar_text))
