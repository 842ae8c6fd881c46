"""Hypothesis laws of the compiler.

1. Generated valid programs (every core construct, unicode and quotes in strings, boundary
   times) compile without errors to exactly the JSON an independent oracle predicts, and the
   output obeys every music_v2 limit (it validates against the models).
2. Arbitrary and mutated text never raises: the compiler answers with diagnostics.
3. The examples and the standard library, mutated (spans deleted, duplicated, swapped; grammar
   tokens, huge numbers, deep brackets inserted), give diagnostics or a valid plan, never an
   exception nor the RecursionError backstop; and `mpl fmt` of a valid one compiles to the
   same request.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from musicplan.models import CompositionPlan, dump
from musicplan.pipeline import compile_text
from musicplan.printer import format_source

SAFE = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])

# ---- times: (source spelling, ms) ------------------------------------------------------


def _spellings(ms: int) -> list[str]:
    out = [f"{ms}ms"]
    if ms % 1000 == 0:
        out.append(f"{ms // 1000}s")
    else:
        out.append(f"{ms / 1000:.3f}".rstrip("0") + "s")
    if ms >= 60_000 or ms % 1000 == 0:
        minutes, rest = divmod(ms, 60_000)
        seconds = f"{rest // 1000:02d}" + (f".{rest % 1000:03d}" if rest % 1000 else "")
        out.append(f"{minutes}:{seconds}")
    return out


@st.composite
def time_text(draw: Any, low: int, high: int) -> tuple[str, int]:
    ms = draw(st.one_of(st.sampled_from([low, high]), st.integers(low, high)))
    return draw(st.sampled_from(_spellings(ms))), ms


# ---- strings ---------------------------------------------------------------------------

TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
               max_size=20)
ENGLISH = st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyz -'&/0123456789"), min_size=1,
                  max_size=15).filter(lambda s: s.strip() == s and s)
LYRIC = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")),
                min_size=1, max_size=30).map(str.strip).filter(bool)


def quote(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


# ---- programs with an oracle ----------------------------------------------------------


@dataclass
class Program:
    source: str
    expected: dict[str, Any]


SONGS = [("s", "vVtPM1Sas70E2LIhQFch"), ("trailer", "Qw8bZ2nR4tLm6pKx1sVy")]


@st.composite
def keep_chunk(draw: Any) -> tuple[str, dict[str, Any]]:
    start_text, start = draw(time_text(0, 200_000))
    end_text, end = draw(time_text(start + 50, start + 60_000))
    name, song_id = draw(st.sampled_from(SONGS))
    song = "" if name == "s" and draw(st.booleans()) else f"{name} "
    return f"keep {song}{start_text}-{end_text}", {
        "song_id": song_id, "range": {"start_ms": start, "end_ms": end}}


@st.composite
def gen_chunk(draw: Any) -> tuple[str, dict[str, Any]]:
    label = draw(TEXT.filter(lambda text: text and "\n" not in text))  # E0216, E0221
    duration_text, duration = draw(time_text(3_000, 120_000))
    styles = draw(st.lists(ENGLISH, min_size=6, max_size=8))
    parts = [f"gen {quote(label)} {duration_text} styles[{', '.join(map(quote, styles))}]"]
    out: dict[str, Any] = {"text": "", "duration_ms": duration, "positive_styles": styles}
    if draw(st.booleans()):
        avoid = draw(st.lists(ENGLISH, max_size=3))
        parts.append(f"avoid[{', '.join(map(quote, avoid))}]")
        out["negative_styles"] = avoid
    if draw(st.booleans()):
        value = draw(st.sampled_from(["low", "medium", "high"]))
        parts.append(f"adherence={value}")
        out["context_adherence"] = value
    if draw(st.booleans()):
        start_text, start = draw(time_text(0, 100_000))
        end_text, end = draw(time_text(start + 50, start + 30_000))
        parts.append(f"like trailer {start_text}-{end_text}")
        out["conditioning_ref"] = {"song_id": SONGS[1][1],
                                   "range": {"start_ms": start, "end_ms": end}}
        if draw(st.booleans()):
            strength = draw(st.sampled_from(["low", "medium", "high", "xhigh"]))
            parts.append(f"strength={strength}")
            out["condition_strength"] = strength
    if draw(st.booleans()):
        text = draw(TEXT)
        parts.append(f"text {quote(text)}")
        out["text"] = text
        lyrics: list[str] = []
    else:
        lyrics = draw(st.lists(LYRIC, max_size=3))
        out["text"] = "\n".join([f"[{label}]", *lyrics])
    ordered = {key: out[key] for key in ("text", "duration_ms", "positive_styles",
                                          "negative_styles", "context_adherence",
                                          "conditioning_ref", "condition_strength") if key in out}
    return "\n".join([" ".join(parts), *(f"  | {line}" for line in lyrics)]), ordered


@st.composite
def programs(draw: Any) -> Program:
    chunks = draw(st.lists(st.one_of(keep_chunk(), gen_chunk()), min_size=1, max_size=8))
    separator = draw(st.sampled_from(["\n", "\n\n", "\n# note\n"]))
    header = "\n".join(f"song {name} = {quote(song_id)}" for name, song_id in SONGS)
    body = separator.join(text for text, _ in chunks)
    return Program(f"{header}\n{body}\n", {"chunks": [expected for _, expected in chunks]})


@SAFE
@given(programs())
def test_valid_programs_compile_to_the_oracle(program: Program) -> None:
    result = compile_text(program.source, "gen.mpl")
    total = sum(c.get("duration_ms") or c["range"]["end_ms"] - c["range"]["start_ms"]
                for c in program.expected["chunks"])
    errors = [d for d in result.diagnostics if d.is_error]
    if not 3_000 <= total <= 600_000:
        assert [d.code for d in errors] == ["E0202"]
        return
    assert not errors, [d.message for d in errors]
    assert result.plan_json() == program.expected
    assert dump(CompositionPlan.model_validate(result.plan_json())) == program.expected


@SAFE
@given(st.text(max_size=200))
def test_arbitrary_text_never_raises(text: str) -> None:
    result = compile_text(text, "fuzz.mpl")
    assert result.ok or result.diagnostics


@st.composite
def mutated(draw: Any) -> str:
    source = draw(programs()).source
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(source)))
        action = draw(st.sampled_from(["delete", "insert", "replace"]))
        piece = draw(st.sampled_from(['"', "|", "[", "]", "{", "}", "-", ":", "#", "\n", ";",
                                      "=", "0", "s", "ms", "keep", "gen", "like", "bar", "(",
                                      "\\", "é", " "]))
        if action == "delete":
            source = source[:at] + source[at + 1:]
        elif action == "insert":
            source = source[:at] + piece + source[at:]
        else:
            source = source[:at] + piece + source[at + 1:]
    return source


@SAFE
@given(mutated())
def test_mutated_programs_never_raise(source: str) -> None:
    result = compile_text(source, "mutated.mpl")
    for diagnostic in result.diagnostics:
        span = diagnostic.span
        assert span.file == "mutated.mpl"
        assert 0 <= span.start <= span.end <= len(source)


# ---- mutation fuzz on the examples and the standard library ----------------------------

ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted((ROOT / "examples").glob("*.mpl")) + sorted((ROOT / "stdlib").glob("*.mpl"))
# the grammar's keywords and punctuation, as the lexer sees them
GRAMMAR = (ROOT / "grammar" / "mpl.lark").read_text(encoding="utf-8")
TOKENS = [*sorted(set(re.findall(r'"(\w+|[^\w\s"])"', GRAMMAR))),
          "|", "#", "\n", '"', "\\", "bar 9", "9.3", "1:00", "é"]
HUGE = ["9" * 5000, "1" * 101, "9" * 4301 + "ms", "0." + "0" * 200 + "1s", "1e308"]
DEEP = ["[" * 300, "{" * 100, "(" * 300, "replace s 0s-1s {\n" * 40, "let a = a\n",
        "x" * 2000, "a." * 500 + "a"]
BACKSTOP = "the plan nests too deeply to compile"  # never for a construct MPL knows


@st.composite
def mutated_file(draw: Any) -> tuple[Path, str]:
    """An example or stdlib file with 1-5 random edits: spans of characters deleted,
    duplicated or swapped, grammar tokens, huge numbers or deep brackets inserted."""
    path = draw(st.sampled_from(SEEDS))
    text = path.read_text(encoding="utf-8")
    for _ in range(draw(st.integers(1, 5))):
        start = draw(st.integers(0, len(text)))
        end = draw(st.integers(start, min(len(text), start + 40)))
        action = draw(st.sampled_from(["delete", "duplicate", "swap", "token", "huge", "deep"]))
        if action == "delete":
            text = text[:start] + text[end:]
        elif action == "duplicate":
            text = text[:end] + text[start:end] + text[end:]
        elif action == "swap":
            other = draw(st.integers(end, len(text)))
            text = text[:start] + text[end:other] + text[start:end] + text[other:]
        else:
            pool = {"token": TOKENS, "huge": HUGE, "deep": DEEP}[action]
            piece = draw(st.sampled_from(pool))
            text = text[:start] + f" {piece} " + text[start:]
    return path, text


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_file())
def test_mutated_examples_give_diagnostics_or_a_plan_that_fmt_keeps(
        case: tuple[Path, str]) -> None:
    path, text = case
    result = compile_text(text, path.name, base_dir=path.parent)
    assert all(BACKSTOP not in d.message for d in result.diagnostics)
    if not result.ok:
        assert any(d.is_error for d in result.diagnostics)
        return
    request = result.request_json()
    CompositionPlan.model_validate(request["composition_plan"])
    formatted, problems = format_source(text, path.name)
    assert formatted is not None, [d.message for d in problems]
    again = compile_text(formatted, path.name, base_dir=path.parent)
    assert again.ok, [d.message for d in again.diagnostics if d.is_error]
    assert again.request_json() == request
