"""The decompiler's law, proven by hypothesis: for every valid music_v2 plan `p`,
`compile(decompile(p)) == p` exactly, and the same for request bodies (`compile --request`)
and detailed responses.

Request bodies cover both models (music_v2, music_v2_5); SDK dumps of them cover null
optional fields at every level and integral floats for every integer. Plans cover every
field and enum value, boundary durations (3000/120000), 1 and 30 chunks,
unicode, quotes, backslashes, braces and brackets in texts, texts with and without the
`[Label]` form, empty lists, repeated slices, several songs and absent-versus-explicit
optional fields.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from musicplan.decompile.lift import decompile_data, decompile_text
from musicplan.pipeline import compile_text
from musicplan.syntax.literals import plain_number
from musicplan.units import spelling

LAW = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])

ANY_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=25)
TRICKY = st.sampled_from(['"', "\\", "{", "}", "[", "]", "|", "#", "\n", "\r", "\t", "é", "音",
                          "\u2028", "😀", " ", "-", ";", "(ooh)", "{guitar solo}", "\\n", ""])
STRINGS = st.one_of(ANY_TEXT, st.lists(st.one_of(TRICKY, ANY_TEXT), max_size=5).map("".join))
LINE = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1,
               max_size=30).map(str.strip).filter(bool)
SONG_POOL = ["vVtPM1Sas70E2LIhQFch", "Qw8bZ2nR4tLm6pKx1sVy", "Ab12Cd34Ef56Gh78Ij90"]
FILLED = STRINGS.filter(bool)  # song ids and styles are never empty (E0213)
SONG_IDS = st.one_of(st.sampled_from(SONG_POOL), FILLED)
ADHERENCE = st.sampled_from(["low", "medium", "high"])
STRENGTH = st.sampled_from(["low", "medium", "high", "xhigh"])


def ms(low: int, high: int) -> st.SearchStrategy[int]:
    """Milliseconds in [low, high], the boundaries and round values drawn often."""
    round_values = [v for v in (1000, 1500, 30_000, 60_000, 90_000, 90_500) if low <= v <= high]
    return st.one_of(st.sampled_from([low, high, *round_values]), st.integers(low, high))


@st.composite
def texts(draw: Any) -> str:
    kind = draw(st.sampled_from(["lyrics", "label", "free", "broken"]))
    # a label is 1-100 characters (E0215, E0216), so a free text's first line is no empty one
    label = draw(STRINGS.filter(lambda s: 0 < len(s) <= 100 and "]" not in s and "\n" not in s))
    if kind == "lyrics":
        return "\n".join([f"[{label}]", *draw(st.lists(LINE, max_size=4))])
    if kind == "label":
        return f"[{label}]"
    if kind == "broken":  # looks like lyrics, but a line would not survive as a `|` line
        bad = draw(st.sampled_from(["", " lead", "trail ", "a\rb", "\t", "x\x0by"]))
        return "\n".join([f"[{label}]", *draw(st.lists(LINE, max_size=2)), bad])
    return draw(STRINGS.filter(lambda s: s.split("\n")[0] != "[]"))


@st.composite
def references(draw: Any, songs: list[str], longest: int) -> dict[str, Any]:
    start = draw(ms(0, 400_000))
    return {"song_id": draw(st.sampled_from(songs)),
            "range": {"start_ms": start, "end_ms": start + draw(ms(50, longest))}}


@st.composite
def generation(draw: Any, songs: list[str], longest: int) -> dict[str, Any]:
    chunk: dict[str, Any] = {"text": draw(texts()), "duration_ms": draw(ms(3_000, longest))}
    chunk["positive_styles"] = draw(st.one_of(st.lists(FILLED, max_size=4),
                                              st.lists(FILLED, min_size=50, max_size=50)))
    if draw(st.booleans()):
        chunk["negative_styles"] = draw(st.lists(FILLED, max_size=3))
    if draw(st.booleans()):
        chunk["context_adherence"] = draw(ADHERENCE)
    if draw(st.booleans()):
        chunk["conditioning_ref"] = draw(references(songs, 30_000))
        if draw(st.booleans()):
            chunk["condition_strength"] = draw(STRENGTH)
    return chunk


@st.composite
def plans(draw: Any) -> dict[str, Any]:
    count = draw(st.one_of(st.sampled_from([1, 30]), st.integers(1, 30)))
    songs = draw(st.lists(SONG_IDS, min_size=1, max_size=3, unique=True))
    longest = min(120_000, 600_000 // count)  # keeps the whole song within 10 minutes
    chunks: list[dict[str, Any]] = []
    for _ in range(count):
        if chunks and draw(st.integers(0, 5)) == 0:
            chunks.append(chunks[draw(st.integers(0, len(chunks) - 1))])  # a repeated slice
        elif draw(st.booleans()):
            chunks.append(draw(references(songs, min(longest, 60_000))))
        else:
            chunks.append(draw(generation(songs, max(3_000, longest))))
    total = sum(c.get("duration_ms") or c["range"]["end_ms"] - c["range"]["start_ms"]
                for c in chunks)
    assume(3_000 <= total <= 600_000)
    return {"chunks": chunks}


def _same(actual: dict[str, Any], expected: dict[str, Any]) -> None:
    assert actual == expected
    assert json.dumps(actual, sort_keys=True) == json.dumps(expected, sort_keys=True)


def _compile(mpl: str) -> Any:
    result = compile_text(mpl, "decompiled.mpl")
    assert result.ok, [(d.code, d.message) for d in result.diagnostics if d.is_error]
    return result


@LAW
@given(plans())
@example({"chunks": [{"text": "[Intro]", "duration_ms": 3000, "positive_styles": []}]})
@example({"chunks": [{"song_id": "a\"b\\c", "range": {"start_ms": 0, "end_ms": 3000}}]})
def test_compile_of_decompile_is_the_plan(plan: dict[str, Any]) -> None:
    mpl, diagnostics = decompile_data(plan)
    assert mpl is not None, [(d.code, d.message) for d in diagnostics]
    _same(_compile(mpl).plan_json(), plan)
    again, _ = decompile_text(json.dumps(plan, indent=2, ensure_ascii=False), "plan.json")
    assert again == mpl


FORMATS = st.sampled_from(["auto", "mp3_44100_128", "pcm_48000", "opus_48000_192"])
MODELS = st.sampled_from(["music_v2", "music_v2_5"])


@st.composite
def requests(draw: Any) -> tuple[dict[str, Any], str | None]:
    body: dict[str, Any] = {"model_id": draw(MODELS), "composition_plan": draw(plans())}
    optional = {
        "seed": st.one_of(st.sampled_from([0, 2**32 - 1]), st.integers(0, 2**32 - 1)),
        "store_for_inpainting": st.booleans(),
        "sign_with_c2pa": st.booleans(),
        "finetune_id": STRINGS.filter(str.strip),  # an empty or blank id is E0219
        "finetune_strength": st.one_of(st.sampled_from([0.0, 1.0, 1e-7, 1e20]),
                                       st.floats(0, 1e6, allow_nan=False).filter(
                                           lambda f: len(plain_number(f)) <= 100)),  # E0214
    }
    for key, strategy in optional.items():
        if draw(st.booleans()):
            body[key] = draw(strategy)
    output_format = draw(st.one_of(st.none(), FORMATS))
    if output_format is not None:
        body["output_format"] = output_format
    return body, output_format


@LAW
@given(requests())
def test_compile_request_of_decompile_is_the_body(case: tuple[dict[str, Any], str | None]) -> None:
    body, output_format = case
    mpl, diagnostics = decompile_data(body)
    assert mpl is not None, [(d.code, d.message) for d in diagnostics]
    result = _compile(mpl)
    expected = {key: value for key, value in body.items() if key != "output_format"}
    _same(result.request_json(), expected)
    assert result.query_params() == ({"output_format": output_format} if output_format else {})
    assert ("plan model=music_v2_5" in mpl) == (body["model_id"] == "music_v2_5")
    assert "model=music_v2\n" not in mpl and "model=music_v2 " not in mpl  # the default


# every optional field a body, plan, chunk or reference may hold: what `model_dump()` writes
# as null when it is unset
NULLABLE = {
    "body": ("seed", "store_for_inpainting", "sign_with_c2pa", "finetune_id",
             "finetune_strength", "output_format", "with_timestamps", "prompt",
             "music_length_ms", "force_instrumental", "respect_sections_durations"),
    "plan": ("sections", "positive_global_styles", "negative_global_styles"),
    "generation": ("negative_styles", "context_adherence", "conditioning_ref",
                   "condition_strength", "song_id", "range"),
    "reference": ("text", "duration_ms", "positive_styles", "negative_styles",
                  "context_adherence", "conditioning_ref", "condition_strength"),
}


def _as_dumped(body: dict[str, Any], floats: bool) -> dict[str, Any]:
    """`body` as an SDK's dump may write it: every unset optional field null, and (with
    `floats`) every integer that is a time or a seed written as a float (`20000.0`)."""
    def number(value: int) -> float | int:
        return float(value) if floats else value

    def ref(reference: dict[str, Any]) -> dict[str, Any]:
        return {"song_id": reference["song_id"],
                "range": {k: number(v) for k, v in reference["range"].items()}}

    def chunk(item: dict[str, Any]) -> dict[str, Any]:
        if "text" in item:
            out = {**item, "duration_ms": number(item["duration_ms"])}
            if "conditioning_ref" in item:
                out["conditioning_ref"] = ref(item["conditioning_ref"])
            return {**dict.fromkeys(NULLABLE["generation"]), **out}
        return {**dict.fromkeys(NULLABLE["reference"]), **ref(item)}

    plan = {**dict.fromkeys(NULLABLE["plan"]),
            "chunks": [chunk(item) for item in body["composition_plan"]["chunks"]]}
    out = {**dict.fromkeys(NULLABLE["body"]), **body, "composition_plan": plan}
    if "seed" in body:
        out["seed"] = number(body["seed"])
    return out


@LAW
@given(requests(), st.booleans())
def test_sdk_dumps_decompile_as_their_clean_body(case: tuple[dict[str, Any], str | None],
                                                 floats: bool) -> None:
    """Nulls are absent and integral floats are integers, at every level: a dumped body
    decompiles to exactly the MPL of the clean one, with no diagnostic."""
    body, _ = case
    clean, _ = decompile_data(body)
    assert clean is not None
    dumped = _as_dumped(body, floats)
    text = json.dumps(dumped, indent=2, ensure_ascii=False)
    mpl, diagnostics = decompile_text(text, "dump.json")
    assert diagnostics == [] and mpl is not None
    assert mpl == clean


@LAW
@given(plans(), st.sampled_from([[{"word": "a", "start_ms": 0, "end_ms": 5}], None]))
def test_detailed_responses_decompile_to_their_plan(plan: dict[str, Any],
                                                    words: list[Any] | None) -> None:
    response = {"composition_plan": plan, "song_metadata": {"title": "t", "genres": ["pop"]},
                "words_timestamps": words, "waveform_visual": None, "song_id": None}
    mpl, diagnostics = decompile_data(response)
    assert mpl is not None, [(d.code, d.message) for d in diagnostics]
    _same(_compile(mpl).plan_json(), plan)


@given(st.integers(0, 10**9))
def test_readable_times_are_exact(value: int) -> None:
    amount, unit = spelling(value)
    source = f'song s = "x"\nkeep 0-{amount}{unit if unit != "clock" else ""}\n'
    result = compile_text(source, "t.mpl")
    assert result.plan is not None and result.plan.chunks, result.diagnostics
    assert result.plan.chunks[0].duration_ms == value
