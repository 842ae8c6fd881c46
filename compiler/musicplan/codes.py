"""Every diagnostic code MPL can emit, with its default severity and a title.

Codes are stable: a code is never reused for another meaning. `docs/diagnostics.md` lists
the same table (a test keeps the two in step) and every code has a test that triggers it.
"""

from __future__ import annotations

CODES: dict[str, tuple[str, str]] = {
    # syntax
    "E0101": ("error", "syntax error"),
    "E0102": ("error", "unterminated string"),
    "E0103": ("error", "invalid escape in a string"),
    "E0104": ("error", "unexpected character"),
    "E0105": ("error", "lyric line without a chunk"),
    "E0106": ("error", "not UTF-8 text"),
    # music_v2 limits
    "E0201": ("error", "chunk count outside 1-30"),
    "E0202": ("error", "total length outside 3 s - 10 min"),
    "E0203": ("error", "generation duration outside 3-120 s"),
    "E0204": ("error", "more than 50 styles"),
    "E0205": ("error", "conditioning slice over 30 s"),
    "E0206": ("error", "range under 50 ms"),
    "E0207": ("error", "reversed range"),
    "E0208": ("error", "range past the song's length"),
    "E0209": ("error", "strength without like"),
    "E0210": ("error", "bad enum value"),
    "E0211": ("error", "bad plan option"),
    "E0212": ("error", "attribute given twice"),
    "E0213": ("error", "empty song id or style"),
    "E0214": ("error", "number too long"),
    # names
    "E0301": ("error", "unknown song"),
    "E0302": ("error", "unknown section"),
    "E0303": ("error", "duplicate name"),
    "E0304": ("error", "no song to take audio from"),
    "E0305": ("error", "regen without a duration or a matching section"),
    "E0306": ("error", "unknown name"),
    "E0307": ("error", "wrong kind of value"),
    # time
    "E0401": ("error", "time is not a whole number of milliseconds"),
    "E0402": ("error", "time needs a unit"),
    "E0403": ("error", "bars and beats need a tempo"),
    "E0404": ("error", "malformed time"),
    "E0405": ("error", "bad tempo"),
    # imports, templates, windows
    "E0501": ("error", "import not found"),
    "E0502": ("error", "import outside the project"),
    "E0503": ("error", "import cycle"),
    "E0504": ("error", "template recursion"),
    "E0505": ("error", "bad template arguments"),
    "E0506": ("error", "window body does not fit its window"),
    "E0507": ("error", "windows overlap or leave the song"),
    "E0508": ("error", "song length unknown"),
    "E0509": ("error", "statement not allowed here"),
    "E0510": ("error", "nested too deeply"),
    # decompile: the JSON input
    "E0601": ("error", "not a music_v2 plan"),
    "E0602": ("error", "invalid JSON"),
    "E0603": ("error", "unknown key in plan JSON"),
    "E0604": ("error", "wrong type in plan JSON"),
    "E0605": ("error", "missing key in plan JSON"),
    "E0606": ("error", "negative value in plan JSON"),
    # requests: answers from the API (mpl render, upload, draft)
    "E0701": ("error", "the server rejected a field of the plan"),
    "E0702": ("error", "the server refused the plan or prompt (copyright)"),
    "E0703": ("error", "API key refused"),
    "E0704": ("error", "no API key, or one that cannot be a key"),
    "E0705": ("error", "the server rejected the request"),
    "E0706": ("error", "server busy or unavailable after every attempt"),
    "E0707": ("error", "could not connect"),
    "E0708": ("error", "answer lost after the request was sent"),
    "E0709": ("error", "output file exists"),
    "E0710": ("error", "unreadable answer from the server"),
    "E0711": ("error", "registry cannot be updated"),
    "E0712": ("error", "audio file cannot be read"),
    "E0713": ("error", "output file cannot be written"),
    # warnings: the API's advice
    "W0101": ("warning", "opening generation chunk with few styles"),
    "W0102": ("warning", "conditioning only on a later chunk"),
    "W0103": ("warning", "kept slice under 3 s"),
    "W0104": ("warning", "style does not look English"),
    "W0105": ("warning", "empty positive styles"),
    # warnings: lints
    "W0201": ("warning", "unused name"),
    "W0202": ("warning", "contiguous kept slices"),
    "W0203": ("warning", "low adherence next to kept audio"),
    "W0204": ("warning", "conditioning slice overlaps a kept slice"),
    "W0205": ("warning", "identical generation chunks"),
    "W0206": ("warning", "total length near the 10-minute cap"),
    "W0207": ("warning", "song replaced in the registry"),
    "W0208": ("warning", "song length cannot be checked"),
    "W0701": ("warning", "stored song came back without an id"),
    # warnings: decompile
    "W0601": ("warning", "JSON key left out of the MPL"),
    "W0602": ("warning", "request body without model_id"),
}
