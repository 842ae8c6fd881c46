"""Every number of the music_v2 API that MPL checks, each written once
(`../shared/reference/music-v2.md`; the section is named beside each).

The checks (`checks/`) enforce them, `models.py` writes them into the pydantic models, and the
resolve stage and the front ends (decompile, the API client) read them too. The module sits in
the foundation layer, beside `units.py`, rather than in `checks/` because stages *below* the
checks need some of them: the plan header validates `seed=` (MAX_SEED) and style-list splicing
stops at MAX_STYLES, and an import may only point down (tests/test_layers.py). It imports
nothing.
"""

from __future__ import annotations

# "The plan": 1 to 30 chunks; the finished song lasts 3 s to 10 min ("Whole-plan rules")
MIN_CHUNKS = 1
MAX_CHUNKS = 30
MIN_TOTAL_MS = 3_000
MAX_TOTAL_MS = 600_000

# generation chunk table: `duration_ms` 3000 - 120000, at most 50 styles in each list
MIN_GENERATION_MS = 3_000
MAX_GENERATION_MS = 120_000
MAX_STYLES = 50

# `conditioning_ref`: the conditioning slice lasts at most 30 000 ms
MAX_CONDITIONING_MS = 30_000

# audio-reference chunk: a time range lasts at least 50 ms; chunks are advised to last 3 s
# or more, which nothing documents as a hard limit for kept slices
MIN_RANGE_MS = 50
ADVISED_CHUNK_MS = 3_000

# "Newer facts", text limits of a generation chunk: a [Label] of 1-100 characters, at most
# 30 lines (the label's counted) of at most 200 characters each
MAX_LABEL = 100
MAX_LINES = 30
MAX_LINE = 200

# compose body: `seed` is an unsigned 32-bit integer
MAX_SEED = 2**32 - 1

# "Plan drafting": `music_length_ms` of a prompt, 3 000 - 600 000
MIN_PROMPT_LENGTH_MS = 3_000
MAX_PROMPT_LENGTH_MS = 600_000

# `positive_styles`: the docs advise "at least 6-7 styles in early chunks"; MPL reads early as
# starting within the song's first 30 s
ADVISED_EARLY_STYLES = 6
EARLY_MS = 30_000
