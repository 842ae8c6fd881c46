"""Every diagnostic code MPL can emit outside the checks, with its severity and a title.

The checks' codes (the API's limits E0201-E0209 and E0215-E0219, its advice W0101-W0105, the
lints W0202-W0206) are declared by their rule modules in `checks/` (`checks.CODES`), so that
a new check is one file. Codes are stable: a code is never reused for another meaning.
`docs/diagnostics.md` lists every code (a test keeps it in step) and every code has a test
that triggers it.
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
    "E0107": ("error", "source too large"),
    "E0108": ("error", "not a regular file"),
    # music_v2 limits (and the checks' E0201-E0209, E0215-E0219: see checks/)
    "E0210": ("error", "bad enum value"),
    "E0211": ("error", "bad plan option"),
    "E0212": ("error", "attribute given twice"),
    "E0213": ("error", "empty song id or style"),
    "E0214": ("error", "number too long"),
    "E0220": ("error", "JSON given where MPL was expected"),
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
    "E0406": ("error", "`lyrics` outside a template"),
    "E0407": ("error", "lyric lines given to a template that sings none"),
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
    "E0511": ("error", "import chain too deep"),
    "E0512": ("error", "template expansions nest blocks too deeply"),
    "E0513": ("error", "templates expand too many times"),
    "E0514": ("error", "spliced lists too large"),
    # decompile: the JSON input
    "E0601": ("error", "not a music_v2 plan"),
    "E0602": ("error", "invalid JSON"),
    "E0603": ("error", "unknown key in plan JSON"),
    "E0604": ("error", "wrong type in plan JSON"),
    "E0605": ("error", "missing key in plan JSON"),
    "E0606": ("error", "negative value in plan JSON"),
    "E0607": ("error", "unknown model"),
    "E0608": ("error", "music_v1 is not a target"),
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
    "E0717": ("error", "phrase not sung in the song"),
    "E0718": ("error", "phrase sung several times"),
    "E0719": ("error", "song has no recorded word timestamps"),
    "E0720": ("error", "no such occurrence of the phrase"),
    "E0721": ("error", "sung position outside a song's range"),
    # preview: the timeline picture and the audio sketch (mpl explain --format svg|html, preview)
    "E0801": ("error", "audio file not found or unreadable"),
    "E0802": ("error", "audio file cannot be decoded"),
    "E0803": ("error", "--audio names a song the plan does not declare"),
    "E0804": ("error", "--audio is not NAME=PATH"),
    "E0805": ("error", "audio cannot be converted to the sketch's sample rate"),
    "E0809": ("error", "audio decoding library not installed"),
    "W0801": ("warning", "kept song has no local audio"),
    "W0802": ("warning", "local audio ends before a kept range"),
    "W0803": ("warning", "audio given for a song the plan does not keep"),
    # warnings: lints (the API's advice W0101-W0105 and the lints W0202-W0206 are the checks')
    "W0201": ("warning", "unused name"),
    "W0207": ("warning", "song replaced in the registry"),
    "W0208": ("warning", "song length cannot be checked"),
    "W0701": ("warning", "stored song came back without an id"),
    "W0702": ("warning", "a song's data file cannot be read"),
    "W0703": ("warning", "--as given for a song that is not stored"),
    # warnings: decompile
    "W0601": ("warning", "JSON key left out of the MPL"),
    "W0602": ("warning", "request body without model_id"),
}
