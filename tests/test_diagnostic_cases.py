"""Invalid twins: each tests/cases/CODE_name.mpl must report CODE; its full rendered
diagnostics are compared with CODE_name.out."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import ROOT, golden
from musicplan.codes import CODES
from musicplan.diagnostics import render
from musicplan.pipeline import compile_text

CASES = sorted((Path(__file__).parent / "cases").glob("*.mpl"))


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
    tests = Path(__file__).parent.glob("test_*.py")
    texts = "\n".join(path.read_text(encoding="utf-8") for path in tests)
    tested |= set(re.findall(r"\b[EW]\d{4}\b", texts))
    missing = sorted(set(CODES) - tested)
    assert not missing, f"codes without a test: {missing}"


def test_every_code_is_documented() -> None:
    doc = (ROOT / "docs" / "diagnostics.md").read_text(encoding="utf-8")
    missing = [code for code in CODES if f"`{code}`" not in doc]
    assert not missing, f"codes missing from docs/diagnostics.md: {missing}"
