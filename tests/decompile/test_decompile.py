"""`decompile`: golden MPL for every example's JSON, fixture pairs for request bodies and
responses, invalid twins whose expected output is the diagnostic text, and the command."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import EXAMPLES, ROOT, golden
from musicplan.cli import main
from musicplan.decompile.lift import decompile_data, decompile_text
from musicplan.decompile.positions import Locator
from musicplan.diagnostics import render
from musicplan.pipeline import compile_text

GOLDEN = ROOT / "tests" / "golden" / "decompile"
CASES = ROOT / "tests" / "golden" / "decompile"
EXAMPLE_JSON = sorted(EXAMPLES.glob("*.json"))
CASE_JSON = sorted(CASES.glob("*.json"))


def _decompiled(path: Path) -> tuple[str | None, str]:
    text = path.read_text(encoding="utf-8")
    name = f"{path.parent.name}/{path.name}"
    mpl, diagnostics = decompile_text(text, name)
    return mpl, "".join(render(d, {name: text}) + "\n" for d in diagnostics)


@pytest.mark.parametrize("path", EXAMPLE_JSON, ids=[p.stem for p in EXAMPLE_JSON])
def test_examples_decompile_to_golden_mpl(path: Path) -> None:
    mpl, report = _decompiled(path)
    assert mpl is not None, report
    assert report == ""
    golden(GOLDEN / f"{path.stem}.mpl", mpl)
    result = compile_text(mpl, f"{path.stem}.mpl")
    assert result.ok
    assert result.plan_json() == json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", CASE_JSON, ids=[p.stem for p in CASE_JSON])
def test_decompile_cases(path: Path) -> None:
    """NAME.json → NAME.mpl when it decompiles; NAME.out holds the diagnostics, if any."""
    mpl, report = _decompiled(path)
    if report:
        golden(path.with_suffix(".out"), report)
    else:
        assert not path.with_suffix(".out").exists(), "a stale .out: no diagnostics now"
    if mpl is None:
        assert report and "error[" in report
        assert not path.with_suffix(".mpl").exists()
        return
    golden(path.with_suffix(".mpl"), mpl)
    data = json.loads(path.read_text(encoding="utf-8"))
    result = compile_text(mpl, path.name)
    assert result.ok
    data = _without_nulls(data)
    plan = data.get("composition_plan") or data
    assert result.plan_json() == plan
    if "song_metadata" not in data and data.get("model_id") in ("music_v2", "music_v2_5"):
        body = {k: v for k, v in data.items() if k != "output_format"}
        assert result.request_json() == body
        assert result.query_params() == {k: v for k, v in data.items() if k == "output_format"}


def _without_nulls(data: Any) -> Any:
    """What the API reads: a null member is an absent one."""
    if isinstance(data, dict):
        return {k: _without_nulls(v) for k, v in data.items() if v is not None}
    if isinstance(data, list):
        return [_without_nulls(item) for item in data]
    return data


def test_every_invalid_twin_has_its_expected_output() -> None:
    errors = [p.stem for p in CASE_JSON if not p.with_suffix(".mpl").exists()]
    assert len(errors) >= 10
    assert all(p.with_suffix(".out").exists() for p in CASE_JSON
               if not p.with_suffix(".mpl").exists())


def test_decompile_data_points_into_the_dumped_json() -> None:
    plan = {"chunks": [{"text": "[A]", "durationMs": 3000, "positive_styles": []}]}
    mpl, diagnostics = decompile_data(plan, "plan.json")
    assert mpl is None
    (diagnostic,) = diagnostics
    assert diagnostic.code == "E0603"
    assert "did you mean `duration_ms`" in diagnostic.message
    assert (diagnostic.span.line, diagnostic.span.col) == (5, 7)


def test_locator_finds_keys_and_values() -> None:
    text = '{"a": [1, {"b\\"c": "x]"}], "d": null}'
    where = Locator.for_text(text, "t.json")
    assert text[where.span("a", 1, 'b"c').start:where.span("a", 1, 'b"c').end] == '"x]"'
    key = where.span("d", key=True)
    assert text[key.start:key.end] == '"d"'
    assert where.describe("a", 1, "b") == "a[1].b"
    missing = where.span("a", 7)
    assert text[missing.start:missing.end] == '[1, {"b\\"c": "x]"}]'


def test_labels_and_songs_read_naturally() -> None:
    plan = {"chunks": [
        {"song_id": "B", "range": {"start_ms": 0, "end_ms": 90000}},
        {"text": "no label", "duration_ms": 1500 * 2, "positive_styles": ["x"],
         "conditioning_ref": {"song_id": "A", "range": {"start_ms": 250, "end_ms": 1250}}},
        {"song_id": "A", "range": {"start_ms": 60000, "end_ms": 61500}},
        {"song_id": "B", "range": {"start_ms": 0, "end_ms": 90000}},
    ]}
    mpl, _ = decompile_data(plan)
    assert mpl == (
        'song s1 = "B"\nsong s2 = "A"\n\n'
        "keep 0-1:30\n"
        'gen "Chunk 2" 3s styles["x"] like s2 250ms-1.25s text "no label"\n'
        "keep s2 1:00-1:01.5\n"
        "keep 0-1:30\n")


# ---- the command ----------------------------------------------------------------------


def test_cli_decompile_writes_the_output(tmp_path: Path) -> None:
    out = tmp_path / "trailer.mpl"
    result = CliRunner().invoke(main, ["decompile", str(EXAMPLES / "trailer.json"),
                                       "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert compile_text(out.read_text(encoding="utf-8"), "t.mpl").plan_json() == \
        json.loads((EXAMPLES / "trailer.json").read_text(encoding="utf-8"))


def test_cli_decompile_reads_stdin() -> None:
    plan = '{"chunks": [{"song_id": "x", "range": {"start_ms": 0, "end_ms": 3000}}]}'
    result = CliRunner().invoke(main, ["decompile", "-"], input=plan)
    assert result.exit_code == 0
    assert result.stdout == 'song s1 = "x"\n\nkeep 0-3s\n'


def test_cli_decompile_reports_errors_with_json_positions() -> None:
    result = CliRunner().invoke(main, ["decompile", str(CASES / "camel_case.json")])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "camel_case.json:5:7: error[E0603]: `durationMs` is camelCase" in result.stderr


def test_cli_decompile_json_diagnostics() -> None:
    result = CliRunner().invoke(main, ["decompile", "--format", "json", "-"],
                                input='{"sections": []}')
    assert result.exit_code == 1
    (diagnostic,) = json.loads(result.stderr)
    assert diagnostic["code"] == "E0601" and diagnostic["line"] == 1


EXPECTED_CODES = {
    "bad_enums": ["E0210", "E0210"],
    "bad_options": ["E0211", "E0604", "E0606", "E0210", "E0603"],  # all in one run
    "camel_case": ["E0603"] * 5,
    "empty_plan": ["E0201"],
    "missing_keys": ["E0605"] * 4,
    "model_v1": ["E0608"],
    "model_unknown": ["E0607"],
    "fraction": ["E0604"] * 3,
    "js_camel_body": ["E0603"] * 9,
    "js_camel_response": ["E0603"] * 3,
    "upload_no_plan": ["E0605"],
    "null_required": ["E0605"] * 4,
    "python_dump_request": [],
    "python_dump_response": [],
    "python_floats": [],
    "sdk_detailed_dump": [],
    "model_v2_5": [],
    "negative": ["E0606"],
    "not_json": ["E0602"],
    "not_object": ["E0601"],
    "out_of_range": ["E0203", "E0203", "E0205", "E0206", "E0207", "E0209"],
    "prompt": ["E0601"],
    "request_no_model": ["W0602", "W0601"],
    "response": [],
    "unknown_keys": ["E0603"] * 3,
    "v1_sections": ["E0601"],
    "wrong_types": ["E0604"] * 7,  # 30000.0 is 30000
}


@pytest.mark.parametrize("name", sorted(EXPECTED_CODES))
def test_each_case_reports_its_codes(name: str) -> None:
    path = CASES / f"{name}.json"
    _, diagnostics = decompile_text(path.read_text(encoding="utf-8"), path.name)
    assert [d.code for d in diagnostics] == EXPECTED_CODES[name]


def test_nan_is_not_json() -> None:
    mpl, (diagnostic,) = decompile_text('{"chunks": [], "x": NaN}', "n.json")
    assert mpl is None and diagnostic.code == "E0602"
    assert (diagnostic.span.line, diagnostic.span.col) == (1, 21)


@pytest.mark.parametrize(("duration", "codes"), [
    (20000.0, []), (20000, []), (2e4, []), (20000.5, ["E0604"]), (1e300, ["E0214"]),
    (float("inf"), ["E0604"]), (True, ["E0604"]),
])
def test_a_whole_float_is_that_integer(duration: object, codes: list[str]) -> None:
    plan = {"chunks": [{"text": "[A]", "duration_ms": duration, "positive_styles": []}]}
    mpl, diagnostics = decompile_data(plan)
    assert [d.code for d in diagnostics] == codes
    assert mpl == ('gen "A" 20s styles[]\n' if not codes else None)


def test_nulls_are_absent_everywhere_and_never_reported() -> None:
    dumped = {"model_id": "music_v2", "seed": None, "prompt": None, "output_format": None,
              "composition_plan": {"sections": None, "chunks": [
                  {"text": "[A]", "duration_ms": 5000, "positive_styles": ["x"],
                   "negative_styles": None, "conditioning_ref": None, "song_id": None},
                  {"song_id": "S", "range": {"start_ms": 0, "end_ms": 3000},
                   "text": None, "duration_ms": None, "positive_styles": None}]}}
    mpl, diagnostics = decompile_data(dumped)
    assert diagnostics == []
    assert mpl == 'song s1 = "S"\n\ngen "A" 5s styles["x"]\nkeep 0-3s\n'


def test_the_python_sdks_own_model_dumps_decompile() -> None:
    """Dumps made by the installed SDK itself (`model_dump()` writes every unset field null):
    a detailed response decompiles silently; an upload answered without a plan is E0605."""
    sdk = pytest.importorskip("elevenlabs.types")
    plan = sdk.CompositionPlan(chunks=[
        sdk.GenerationChunkInput(text="[Intro]", duration_ms=15000, positive_styles=["a"]),
        sdk.AudioRefChunk(song_id="S", range=sdk.TimeRange(start_ms=0, end_ms=3000)),
        sdk.GenerationChunkInput(
            text="[Outro]", duration_ms=10000, positive_styles=["b"], context_adherence="low",
            conditioning_ref=sdk.AudioRefChunk(song_id="S",
                                               range=sdk.TimeRange(start_ms=0, end_ms=3000)))])
    response = sdk.DetailedMusicResponse(
        composition_plan=plan, song_metadata=sdk.SongMetadata(genres=["x"], languages=["en"]))
    dumped = response.model_dump()
    assert dumped["words_timestamps"] is None  # the SDK does write nulls
    assert dumped["composition_plan"]["chunks"][0]["negative_styles"] is None
    mpl, diagnostics = decompile_text(json.dumps(dumped, indent=2), "dump.json")
    assert diagnostics == []
    assert mpl == ('song s1 = "S"\n\ngen "Intro" 15s styles["a"]\nkeep 0-3s\n'
                   'gen "Outro" 10s styles["b"] adherence=low like 0-3s\n')
    upload = sdk.MusicUploadResponse(song_id="S").model_dump()
    mpl, diagnostics = decompile_data(upload, "upload.json")
    assert mpl is None and [d.code for d in diagnostics] == ["E0605"]


def test_a_json_float_too_long_for_mpl_is_shown_as_written(tmp_path: Path) -> None:
    """E0214 on `1e308` names the number as the JSON spells it, not its 309 digits."""
    body = tmp_path / "body.json"
    body.write_text('{"model_id": "music_v2", "finetune_id": "x", "finetune_strength": 1e308, '
                    '"composition_plan": {"chunks": [{"text": "[A]", "duration_ms": 3000, '
                    '"positive_styles": ["a"]}]}}', encoding="utf-8")
    result = CliRunner().invoke(main, ["decompile", str(body)])
    assert result.exit_code == 1
    assert "error[E0214]: the number `1e+308` would be 309 characters long in MPL" in result.stderr
