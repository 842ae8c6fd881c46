"""The table-driven parser (`musicplan.syntax.parse`) gives exactly what Lark's own LALR
parser gives, built from the same grammar with the `lark` package (tests/lark_reference.py):
the same nodes with the same spans, the same comments and the same diagnostics (code,
message, spans, hint, fix), on every .mpl file in the repository, on their truncations, on
a mutation corpus and on hypothesis programs."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import lark_reference
from hypothesis import given
from hypothesis import strategies as st
from mpl_programs import programs, valid_programs
from musicplan.syntax import records
from musicplan.syntax.parse import parse

ROOT = Path(__file__).resolve().parents[2]
SKIP = {".venv", "node_modules", ".git"}
FILES = sorted(path for path in ROOT.rglob("*.mpl")
               if not SKIP & set(path.relative_to(ROOT).parts))


def deep(value: Any) -> Any:
    """`value` as plain data, spans included (nodes compare without them)."""
    if records.is_record(value):
        return (type(value).__name__,
                tuple((spec.name, deep(getattr(value, spec.name)))
                      for spec in records.fields(value)))
    if isinstance(value, tuple | list):
        return tuple(deep(item) for item in value)
    return value


def same(text: str, file: str = "t.mpl") -> None:
    ours, lark = parse(text, file), lark_reference.parse(text, file)
    assert deep(ours.program) == deep(lark.program), text
    assert ours.diagnostics == lark.diagnostics, text
    assert [repr(d) for d in ours.diagnostics] == [repr(d) for d in lark.diagnostics], text


def test_the_corpus_is_there() -> None:
    assert len(FILES) > 50
    assert any(path.parent.name == "examples" for path in FILES)


def test_every_file_in_the_repository() -> None:
    for path in FILES:
        same(path.read_text(encoding="utf-8"), path.name)


def cuts(text: str, count: int) -> set[int]:
    """Every other line end and `count` evenly spaced offsets of `text`."""
    found = {index for index, char in enumerate(text) if char == "\n"}
    found = set(sorted(found)[::2])
    step = max(1, len(text) // count)
    found.update(range(0, len(text), step))
    return found


def test_truncations_of_every_file() -> None:
    for path in FILES:
        text = path.read_text(encoding="utf-8")
        for at in sorted(cuts(text, 10)):
            same(text[:at], path.name)


PIECES = [*'{}[]()";|#=,-:\n\r\t \\', "\n  | a lyric", "gen", "bar", "lyrics", "1:5", "30s",
          "4/4", "'x'", "\ufeff", "styles[", "\ud800"]


def mutations(text: str, rng: random.Random, count: int) -> list[str]:
    """`count` variants of `text`: a character deleted, a piece inserted, a line doubled or
    dropped, two characters swapped."""
    found = []
    for _ in range(count):
        at = rng.randrange(len(text) + 1)
        kind = rng.randrange(5)
        if kind == 0:
            found.append(text[:at] + text[at + 1:])
        elif kind == 1:
            found.append(text[:at] + rng.choice(PIECES) + text[at:])
        elif kind in (2, 3):
            lines = text.split("\n")
            line = rng.randrange(len(lines))
            if kind == 2:
                lines.insert(line, lines[line])
            else:
                del lines[line]
            found.append("\n".join(lines))
        else:
            found.append(text[:at] + text[at + 1:at + 2] + text[at:at + 1] + text[at + 2:])
    return found


def test_a_mutation_corpus() -> None:
    rng = random.Random(12)
    for path in FILES:
        text = path.read_text(encoding="utf-8")
        for variant in mutations(text, rng, 12):
            same(variant, path.name)


def test_nesting_past_the_limit_and_odd_input() -> None:
    for text in ("template t() {" * 40 + "}" * 40, "", "\n", ";", "gen", "{", '"', "|",
                 '{"chunks": []}', "gen \"A\" 3s\r\n  | la\r\n", "\ufeffgen \"A\" 3s\n",
                 'gen "\\ud800" 3s\n', "keep 0-" + "9" * 200 + "s\n"):
        same(text)
        same(text, "plan.json")


@given(programs())
def test_hypothesis_programs(drawn: tuple[str, list[str]]) -> None:
    same(drawn[0])


@given(valid_programs(), st.integers(min_value=0), st.sampled_from(PIECES))
def test_hypothesis_programs_broken(drawn: tuple[str, list[str]], at: int, piece: str) -> None:
    text = drawn[0]
    at = at % (len(text) + 1)
    same(text[:at] + piece + text[at:])
    same(text[:at])
