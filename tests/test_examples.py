"""Every example compiles to its golden JSON, validates against our models and the official
SDK's types, and compiles the same bytes every time."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import EXAMPLES, golden
from musicplan.cli.common import dump_json
from musicplan.models import CompositionPlan, MusicRequest, dump
from musicplan.pipeline import compile_path

EXAMPLE_FILES = sorted(EXAMPLES.glob("*.mpl"))


def _compile(path: Path) -> dict[str, object]:
    result = compile_path(path)
    assert result.ok, [d.message for d in result.diagnostics if d.is_error]
    return result.plan_json()


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=[p.stem for p in EXAMPLE_FILES])
def test_golden(path: Path) -> None:
    golden(path.with_suffix(".json"), dump_json(_compile(path)))


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=[p.stem for p in EXAMPLE_FILES])
def test_validates_against_our_models(path: Path) -> None:
    plan = _compile(path)
    assert dump(CompositionPlan.model_validate(plan)) == plan
    request = compile_path(path).request_json()
    assert dump(MusicRequest.model_validate(request)) == request


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=[p.stem for p in EXAMPLE_FILES])
def test_validates_against_the_official_sdk(path: Path) -> None:
    """Same field names as the SDK's models, and each chunk parses as the right kind."""
    sdk = pytest.importorskip("elevenlabs.types")
    plan = _compile(path)
    parsed = sdk.CompositionPlan.model_validate(plan)
    for ours, theirs in zip(plan["chunks"], parsed.chunks, strict=True):  # type: ignore[call-overload]
        expected = sdk.AudioRefChunk if "song_id" in ours else sdk.GenerationChunkInput
        assert isinstance(theirs, expected)
        assert set(ours) <= set(type(theirs).model_fields)
        assert json.loads(theirs.json(exclude_unset=True)) == ours


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=[p.stem for p in EXAMPLE_FILES])
def test_compile_is_deterministic(path: Path) -> None:
    assert dump_json(_compile(path)) == dump_json(_compile(path))
