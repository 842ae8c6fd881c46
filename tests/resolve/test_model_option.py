"""The target model: `plan model=music_v2_5` (default music_v2) is sent as `model_id` by
`mpl compile --request` and by the API client, kept by `mpl decompile`, printed by `mpl fmt`
and offered by the language server; an unknown model is E0607, music_v1 is E0608."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from lsprotocol import types
from musicplan.api.client import Client
from musicplan.cli import main
from musicplan.decompile.lift import decompile_data
from musicplan.editor.lsp import completion
from musicplan.editor.lsp.document import Analysis
from musicplan.models import MusicRequest
from musicplan.pipeline import compile_text
from musicplan.printer import format_source
from pydantic import ValidationError

CHUNK = 'gen "Intro" 10s styles["synthwave"]\n'
FIXTURES = Path(__file__).resolve().parents[2] / "tests" / "golden" / "decompile"


@pytest.mark.parametrize(("header", "model"), [
    ("", "music_v2"),
    ("plan model=music_v2\n", "music_v2"),
    ("plan model=music_v2_5\n", "music_v2_5"),
    ('plan model="music_v2_5" seed=4\n', "music_v2_5"),
])
def test_the_header_model_is_the_request_model_id(header: str, model: str) -> None:
    result = compile_text(header + CHUNK, "m.mpl")
    assert result.ok, result.diagnostics
    body = result.request_json()
    assert body["model_id"] == model
    MusicRequest.model_validate(body)


def test_compile_request_sends_the_model() -> None:
    result = CliRunner().invoke(main, ["compile", "--request", "-"],
                                input="plan model=music_v2_5\n" + CHUNK)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["model_id"] == "music_v2_5"


@pytest.mark.parametrize(("value", "code", "hint"), [
    ("music_v25", "E0607", "did you mean `music_v2_5`?"),
    ('"music_2"', "E0607", "did you mean `music_v2`?"),
    ("jazz", "E0607", "models are: music_v2, music_v2_5"),
    ("music_v1", "E0608", "write model=music_v2 or model=music_v2_5"),
])
def test_a_model_mpl_cannot_write_for_is_refused(value: str, code: str, hint: str) -> None:
    result = compile_text(f"plan model={value}\n" + CHUNK, "m.mpl")
    assert not result.ok
    (diagnostic,) = [d for d in result.diagnostics if d.is_error]
    assert diagnostic.code == code
    assert (diagnostic.span.line, diagnostic.span.col) == (1, 12)
    assert diagnostic.hint is not None and hint in diagnostic.hint
    if code == "E0608":
        assert "sections" in diagnostic.message


def test_the_model_json_is_checked_too() -> None:
    with pytest.raises(ValidationError):
        MusicRequest.model_validate({"model_id": "music_v1",
                                     "composition_plan": {"chunks": []}})


def test_fmt_prints_the_model_as_written() -> None:
    source = "plan model=music_v2_5 seed=42\n\n" + CHUNK
    assert format_source(source, "m.mpl")[0] == source
    assert format_source("plan   model=music_v2_5\n" + CHUNK, "m.mpl")[0] == \
        "plan model=music_v2_5\n" + CHUNK


@pytest.mark.parametrize(("model", "header"), [("music_v2", ""),
                                               ("music_v2_5", "plan model=music_v2_5\n")])
def test_decompile_keeps_the_model(model: str, header: str) -> None:
    body = {"model_id": model, "composition_plan": compile_text(CHUNK).plan_json()}
    mpl, diagnostics = decompile_data(body)
    assert diagnostics == [] and mpl is not None
    assert mpl.startswith(header + "\n" if header else "gen")
    assert compile_text(mpl).request_json() == body


def test_completion_offers_the_option_and_its_values(tmp_path: Path) -> None:
    text = "plan model=\n" + CHUNK
    analysis = Analysis((tmp_path / "m.mpl").as_uri(), text, 1)
    values = completion.completion(analysis, types.Position(line=0, character=11))
    assert [item.label for item in values] == ["music_v2", "music_v2_5"]
    options = completion.completion(analysis, types.Position(line=0, character=5))
    assert "model=" in {item.label for item in options}


def test_the_client_renders_with_the_header_model() -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        request.read()
        seen.append(request)
        return httpx.Response(200, content=b"AUDIO", headers={"content-type": "audio/mpeg"})

    api = Client("sk-api-test-KEY-42", base_url="https://api.test",
                 transport=httpx.MockTransport(answer))
    api.render(text="plan model=music_v2_5\n" + CHUNK)
    api.render(text=CHUNK)
    assert [json.loads(request.content)["model_id"] for request in seen] == \
        ["music_v2_5", "music_v2"]


def test_a_javascript_body_is_refused_not_thinned(tmp_path: Path) -> None:
    """The issue's case: camelCase keys of a JS SDK body used to be dropped (exit 0)."""
    out = tmp_path / "song.mpl"
    result = CliRunner().invoke(main, ["decompile", str(FIXTURES / "js_camel_body.json"),
                                       "-o", str(out)])
    assert result.exit_code == 1
    assert not out.exists()
    for key, snake in (("modelId", "model_id"), ("storeForInpainting", "store_for_inpainting"),
                       ("outputFormat", "output_format"),
                       ("compositionPlan", "composition_plan")):
        assert f"error[E0603]: `{key}` is camelCase; did you mean `{snake}`?" in result.stderr


def test_a_python_dump_decompiles_with_its_model(tmp_path: Path) -> None:
    out = tmp_path / "song.mpl"
    result = CliRunner().invoke(main, ["decompile", str(FIXTURES / "python_dump_request.json"),
                                       "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    body = compile_text(out.read_text(encoding="utf-8")).request_json()
    assert body["model_id"] == "music_v2_5" and body["store_for_inpainting"] is True
    assert set(body) == {"model_id", "composition_plan", "store_for_inpainting"}


def test_the_pydantic_model_knows_the_same_models() -> None:
    from typing import get_args

    from musicplan.resolve.header import MODELS

    assert get_args(MusicRequest.model_fields["model_id"].annotation) == MODELS
