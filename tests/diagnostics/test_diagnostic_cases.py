"""Invalid twins: each tests/golden/diagnostics/CODE_name.mpl must report CODE; its full rendered
diagnostics are compared with CODE_name.out."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import ROOT, golden
from musicplan.checks import CODES as RULE_CODES
from musicplan.diagnostics import render
from musicplan.diagnostics.codes import CODES as OTHER_CODES
from musicplan.pipeline import compile_text

CODES = {*OTHER_CODES, *RULE_CODES}  # the checks declare their own codes (checks/)
CASES = sorted((ROOT / "tests" / "golden" / "diagnostics").glob("*.mpl"))


def _compile(case: Path) -> tuple[str, list[str]]:
    text = case.read_text(encoding="utf-8")
    name = f"cases/{case.name}"
    result = compile_text(text, name)
    rendered = "\n".join(render(d, result.sources) for d in result.diagnostics) + "\n"
    return rendered, [d.code for d in result.diagnostics]


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_case_reports_its_code(case: Path) -> None:
    rendered, codes = _compile(case)
    expected_code = case.stem.split("_")[0]
    assert expected_code in codes
    golden(case.with_suffix(".out"), rendered)


def test_every_code_is_tested_somewhere() -> None:
    """Each registered code is triggered by a case file or named in a test."""
    tested = {case.stem.split("_")[0] for case in CASES}
    tests = (ROOT / "tests").rglob("test_*.py")
    texts = "\n".join(path.read_text(encoding="utf-8") for path in tests)
    tested |= set(re.findall(r"\b[EW]\d{4}\b", texts))
    missing = sorted(set(CODES) - tested)
    assert not missing, f"codes without a test: {missing}"


def test_every_code_is_documented() -> None:
    doc = (ROOT / "docs" / "diagnostics.md").read_text(encoding="utf-8")
    missing = [code for code in CODES if f"`{code}`" not in doc]
    assert not missing, f"codes missing from docs/diagnostics.md: {missing}"


SONG = 'song s = "vVtPM1Sas70E2LIhQFch" length=1:00 {\n  intro 0-30s\n  outro 30s-60s\n}\n'
MISSPELT = {
    "E0301": SONG + "keep ss 0-10s\n",
    "E0302": SONG + "keep s intor\n",
    "E0306": SONG + 'let epic = ["a", "b"]\nkeep intro\ngen "X" 10s styles[epci]\n',
    "E0210": SONG + 'keep intro\ngen "X" 10s styles["a"] adherence=hihg\n',
    "E0211": "plan seeed=3\n" + SONG + "keep intro\n",
    "E0501": 'import "std/stlyes"\n' + SONG + "keep intro\ngen \"X\" 10s styles[stlyes.pop]\n",
    "E0505": SONG + 'template t(src, glue=3s) {\n  keep src intro\n  gen "G" glue\n}\n'
             "t(s, glu=4s)\n",
}


@pytest.mark.parametrize("code", sorted(MISSPELT))
def test_a_misspelt_name_carries_a_fix_that_resolves_it(code: str) -> None:
    """The fix (shown by --format json, offered by the language server) applied to the
    source removes that diagnostic."""
    text = MISSPELT[code]
    found = [d for d in compile_text(text, "t.mpl").diagnostics if d.code == code]
    assert found and found[0].fix is not None, found
    fix = found[0].fix
    assert found[0].hint == f"did you mean `{fix.text.strip(chr(34)).removeprefix('std/')}`?"
    fixed = text[:fix.span.start] + fix.text + text[fix.span.end:]
    after = compile_text(fixed, "t.mpl").diagnostics
    assert not [d for d in after if d.code == code and d.span.start == fix.span.start], after


def test_the_caret_lines_up_under_wide_and_control_characters() -> None:
    text = 'gen "日本\x1b" 2s styles["a"]\n'
    [diagnostic] = [d for d in compile_text(text, "t.mpl").diagnostics if d.code == "E0203"]
    frame = render(diagnostic, {"t.mpl": text}).splitlines()[1:3]
    assert frame == ['  1 | gen "日本␛" 2s styles["a"]',
                     "    |             ^^"]
