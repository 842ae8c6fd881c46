"""The standard library: every preset and every recipe expands, validates and matches its
golden plan; presets follow the API's advice; docs/stdlib.md lists them all."""

from __future__ import annotations

import json

import pytest
from conftest import ROOT, golden
from musicplan.cli.common import dump_json
from musicplan.models import CompositionPlan, dump
from musicplan.pipeline import compile_text
from musicplan.resources import stdlib_dir
from musicplan.syntax import nodes as n
from musicplan.syntax.parse import parse

GOLDEN = ROOT / "tests" / "golden" / "compile" / "stdlib"
NEGATIVE = {"instrumental", "no_drums", "no_electronic", "clean_mix"}
SONGS = ('song trailer = "Qw8bZ2nR4tLm6pKx1sVy" length=60s {\n  outro 50s-60s\n}\n'
         'song phrase = "Xy12Lm34Np56Qr78St90" length=10s\n')
CALLS = {
    "edit_section": 'edit_section(trailer, 0-50s, "Outro", 10s, epic)',
    "extend": "extend(trailer, 10s-50s, house, intro=20s, outro=20s)",
    "loop": "loop(phrase, 3s-8s, feel=lofi)",
    "similar": 'similar(trailer, 0-10s, "Verse 1", 30s, pop, match="xhigh")',
}


def _declarations(module: str, kind: type) -> dict[str, n.Node]:
    path = stdlib_dir() / f"{module}.mpl"
    parsed = parse(path.read_text(encoding="utf-8"), str(path))
    assert not parsed.diagnostics
    return {s.name.ident: s for s in parsed.program.statements  # type: ignore[attr-defined]
            if isinstance(s, kind)}


PRESETS = _declarations("styles", n.Let)
TEMPLATES = _declarations("recipes", n.TemplateDef)


def _compile(text: str) -> dict[str, object]:
    result = compile_text(text, "use.mpl", base_dir=ROOT)
    assert result.ok, [d.message for d in result.diagnostics]
    assert not [d for d in result.diagnostics if d.code in ("W0104", "W0201", "W0101")], \
        [d.message for d in result.diagnostics]
    plan = result.plan_json()
    assert dump(CompositionPlan.model_validate(plan)) == plan
    return plan


def _preset_use(name: str) -> str:
    if name in NEGATIVE:
        return f'import "std/styles"\ngen "Intro" 30s styles[pop] avoid[{name}]\n'
    return f'import "std/styles"\ngen "Intro" 30s styles[{name}]\n'


def test_every_preset_expands_and_matches_its_golden() -> None:
    plans = {name: _compile(_preset_use(name))["chunks"] for name in sorted(PRESETS)}
    golden(GOLDEN / "presets.json", dump_json(plans))


def test_every_recipe_expands_and_matches_its_golden() -> None:
    assert set(CALLS) == set(TEMPLATES), "give each recipe a sample call"
    plans = {}
    for name, call in sorted(CALLS.items()):
        text = f'import "std/recipes"\nimport "std/styles"\n{SONGS}{call}\n'
        plans[name] = _compile(text)["chunks"]
    golden(GOLDEN / "recipes.json", dump_json(plans))


def test_recipes_sing_the_lyric_lines_of_their_call() -> None:
    for call in (CALLS["edit_section"], CALLS["similar"]):
        text = f'import "std/recipes"\nimport "std/styles"\n{SONGS}{call}\n  | Rise up\n'
        chunks = _compile(text)["chunks"]
        assert chunks[-1]["text"].endswith("]\nRise up")  # type: ignore[index]


@pytest.mark.parametrize("name", sorted(set(PRESETS) - NEGATIVE))
def test_positive_presets_have_at_least_seven_styles(name: str) -> None:
    value = PRESETS[name].value  # type: ignore[attr-defined]
    assert isinstance(value, n.ListExpr)
    assert len(value.items) >= 7
    assert all(isinstance(item, n.Str) and item.value.isascii() for item in value.items)


def test_genres_and_moods_of_the_issue_are_there() -> None:
    wanted = {"pop", "rock", "techno", "house", "hip_hop", "cinematic", "orchestral", "lofi",
              "jazz", "ambient", "acoustic", "dark", "uplifting", "chill", "epic",
              "instrumental", "no_drums"}
    assert wanted <= set(PRESETS)


def test_docs_list_every_preset_and_template() -> None:
    doc = (ROOT / "docs" / "stdlib.md").read_text(encoding="utf-8")
    missing = [name for name in PRESETS if f"`{name}`" not in doc]
    missing += [name for name in TEMPLATES if f"`{name}(" not in doc]
    assert not missing


def test_golden_files_are_json() -> None:
    """Each golden file maps every preset or recipe to a non-empty list of chunks."""
    for path, names in ((GOLDEN / "presets.json", PRESETS), (GOLDEN / "recipes.json", TEMPLATES)):
        plans = json.loads(path.read_text(encoding="utf-8"))
        assert set(plans) == set(names), path.name
        assert all(chunks and isinstance(chunks, list) for chunks in plans.values()), path.name
