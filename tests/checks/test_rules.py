"""A new check is one file: the rule modules of `checks/` declare their codes, and `RULES`,
the code table and docs/diagnostics.md are derived from them or checked against them here.
Each number once: the API's limits live in `limits.py`, milliseconds become text in
`units.py`, and the request body is built by `lower.body` alone."""

from __future__ import annotations

import ast
import re
from fractions import Fraction
from itertools import combinations
from pathlib import Path

import pytest
from conftest import EXAMPLES, ROOT
from musicplan import checks, limits, lower, units
from musicplan.checks import CODES, LINTS, LOCAL_RULES, MODULES, RULES, run_checks
from musicplan.checks.repeated_generation import sent
from musicplan.diagnostics.codes import CODES as OTHER_CODES
from musicplan.pipeline import compile_text
from musicplan.resolve import ir

CHECKS = Path(checks.__file__).parent
CASES = ROOT / "tests" / "golden" / "diagnostics"
SOURCES = sorted([*EXAMPLES.glob("*.mpl"), *CASES.glob("*.mpl")])


def _plans() -> list[ir.ResolvedPlan]:
    found = []
    for path in SOURCES:
        result = compile_text(path.read_text(encoding="utf-8"), path.name)
        if result.plan is not None:
            found.append(result.plan)
    return found


PLANS = _plans()


# --- a new check is one file ------------------------------------------------------------

def test_every_module_of_the_folder_is_a_rule() -> None:
    files = {path.stem for path in CHECKS.glob("*.py") if not path.name.startswith("_")}
    assert {module.__name__.rsplit(".", 1)[1] for module in MODULES} == files
    assert len(RULES) == len(files)


def test_rules_run_in_the_order_of_their_codes() -> None:
    firsts = [module.CODES[0].code for module in MODULES]
    assert firsts == sorted(firsts)
    assert RULES[0] is checks.chunk_count.check  # the plan's size first, then its chunks
    assert RULES[-1] is checks.near_length_cap.check


def test_local_rules_and_lints_come_from_the_modules() -> None:
    assert [rule.__module__.rsplit(".", 1)[1] for rule in LOCAL_RULES] == [
        "generation_duration", "style_count", "conditioning_length", "range_bounds",
        "strength_without_like", "text_limits", "finetune_id"]
    assert {rule.__module__.rsplit(".", 1)[1] for rule in LINTS} == {
        "contiguous_keeps", "low_adherence_seam", "conditioning_overlap",
        "repeated_generation", "near_length_cap"}


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__.rsplit(".", 1)[1])
def test_a_rule_module_declares_itself(module: object) -> None:
    assert module.__doc__ and module.__doc__.strip()
    codes = module.CODES  # type: ignore[attr-defined]
    assert codes, "a rule reports at least one code"
    for code in codes:
        assert re.fullmatch(r"[EW]\d{4}", code.code)
        assert code.severity == ("error" if code.code[0] == "E" else "warning")
        assert code.title and code.doc and code.fix
    if module.LINT:  # type: ignore[attr-defined]
        assert all(code.code.startswith("W02") for code in codes)


def test_a_code_belongs_to_one_rule_and_is_not_also_in_the_table() -> None:
    declared = [code.code for module in MODULES for code in module.CODES]
    assert len(declared) == len(set(declared)) == len(CODES)
    assert not set(CODES) & set(OTHER_CODES), "a rule's code is declared by its module alone"


def test_the_docs_table_has_each_rule_codes_row() -> None:
    lines = (ROOT / "docs" / "diagnostics.md").read_text(encoding="utf-8").splitlines()
    wrong = [f"{code.code}: expected the row\n{code.docs_row}" for code in CODES.values()
             if code.docs_row not in lines]
    assert not wrong, "docs/diagnostics.md differs from the rule modules:\n" + "\n".join(wrong)


def test_the_docs_say_how_to_add_a_check() -> None:
    doc = (ROOT / "docs" / "diagnostics.md").read_text(encoding="utf-8")
    assert "## Adding a check" in doc


def test_a_rule_reports_only_its_own_codes() -> None:
    assert PLANS
    for module in MODULES:
        for plan in PLANS:
            reported = {d.code for d in module.check(plan)}
            assert reported <= {code.code for code in module.CODES}, module.__name__


def test_a_code_makes_its_diagnostic() -> None:
    plan = PLANS[0]
    made = checks.generation_duration.E0203("message", plan.span, hint="hint")
    assert (made.code, made.severity, made.message, made.hint) == (
        "E0203", "error", "message", "hint")
    assert made.span == plan.span
    assert checks.short_keep.W0103("m", plan.span).severity == "warning"


def test_lints_stay_quiet_beside_an_error() -> None:
    source = ('song s = "vVtPM1Sas70E2LIhQFch"\nkeep s 0-10s\nkeep s 10s-20s\n'
              'gen "G" 2s styles["a", "b", "c", "d", "e", "f"]\n')
    codes = [d.code for d in compile_text(source, "t.mpl").diagnostics]
    assert "E0203" in codes and "W0202" not in codes
    plan = compile_text(source.replace(" 2s ", " 20s "), "t.mpl")
    assert [d.code for d in plan.diagnostics] == ["W0202"]
    assert plan.plan is not None and run_checks(plan.plan, LINTS) == plan.diagnostics


# --- each number once ---------------------------------------------------------------------

LIMITS = {value for name, value in vars(limits).items() if name.isupper()}
TUNING = {"MARGIN_MS"}  # a lint's own margin, not an API number


def _numbers(path: Path) -> list[tuple[int, int]]:
    """(line, value) for every integer literal in `path` that equals an API limit, except in
    an assignment to a TUNING name."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Assign)
               and any(isinstance(t, ast.Name) and t.id in TUNING for t in node.targets)}
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and type(node.value) is int
            and node.value in LIMITS and node.value >= 50 and id(node) not in skipped]


def test_api_numbers_are_written_in_limits_only() -> None:
    package = CHECKS.parent
    paths = [*CHECKS.glob("*.py"), package / "models.py", package / "lower.py"]
    found = [f"{path.name}:{line}: {value}" for path in paths
             for line, value in _numbers(path)]
    assert not found, "write these as names from musicplan.limits:\n" + "\n".join(found)


def test_the_models_carry_the_limits() -> None:
    from musicplan.models import CompositionPlan, MusicRequest

    schema = MusicRequest.model_json_schema()
    defs = schema["$defs"]
    assert defs["CompositionPlan"]["properties"]["chunks"]["maxItems"] == limits.MAX_CHUNKS
    chunk = defs["GenerationChunk"]["properties"]
    assert chunk["duration_ms"]["minimum"] == limits.MIN_GENERATION_MS
    assert chunk["duration_ms"]["maximum"] == limits.MAX_GENERATION_MS
    assert chunk["positive_styles"]["maxItems"] == limits.MAX_STYLES
    seed = schema["properties"]["seed"]["anyOf"][0]
    assert seed["maximum"] == limits.MAX_SEED
    gen = {"text": "[A]", "duration_ms": limits.MAX_TOTAL_MS // 10, "positive_styles": ["a"]}
    CompositionPlan.model_validate({"chunks": [gen] * 10})
    with pytest.raises(ValueError, match="600000"):
        CompositionPlan.model_validate({"chunks": [gen] * 10 + [{**gen, "duration_ms": 3000}]})


def test_units_print_each_kind_of_time() -> None:
    assert [units.seconds(ms) for ms in (2000, 2500, 250, -1500, 0)] == [
        "2 s", "2.5 s", "0.25 s", "-1.5 s", "0 s"]
    assert [units.clock(ms) for ms in (65_000, 65_250, 600_000, -3_000)] == [
        "1:05", "1:05.250", "10:00", "-0:03"]
    assert units.exact(Fraction(1500)) == "1500"
    assert units.exact(Fraction(120000, 7)) == "120000/7 (≈ 17142.857)"
    assert [units.spelling(ms) for ms in (250, 30_000, 1_500, 90_000, 90_500, 3_600_000)] == [
        ("250", "ms"), ("30", "s"), ("1.5", "s"), ("1:30", "clock"), ("1:30.5", "clock"),
        ("1:00:00", "clock")]


def test_one_clock() -> None:
    """The ms → text helpers are written once, in units.py: no other module defines one."""
    from musicplan import timeline
    from musicplan.decompile import lift

    for module in (timeline, lift):
        assert not hasattr(module, "format_clock") and not hasattr(module, "readable_time")


def test_the_repeat_key_is_what_the_api_receives() -> None:
    """`repeated_generation.sent` compares chunks without lowering them: two generation chunks
    share a key exactly when they lower to the same JSON."""
    chunks = {id(chunk): chunk for plan in PLANS for chunk in plan.chunks
              if isinstance(chunk, ir.GenerateChunk)}
    assert len(chunks) > 20
    for first, second in combinations(chunks.values(), 2):
        same_json = lower.lower_chunk(first) == lower.lower_chunk(second)
        assert (sent(first) == sent(second)) == same_json


def test_one_request_body() -> None:
    """A compiled plan and the same plan given as data get the same body and query."""
    source = (EXAMPLES / "oneliner.mpl").read_text(encoding="utf-8")
    compiled = compile_text(source, "oneliner.mpl")
    overrides = {"seed": 7, "output_format": "mp3_44100_128", "store_for_inpainting": True}
    plan = compiled.plan_json()
    assert compiled.request_json(overrides) == lower.body(plan, overrides)
    assert compiled.query_params(overrides) == lower.query(overrides)
    assert lower.body(plan, {}) == {"model_id": "music_v2", "composition_plan": plan}


def test_the_repeat_key_follows_every_field() -> None:
    """Changing any one field of a generation chunk changes `sent` exactly when it changes
    the chunk's JSON; a field added to `ir.GenerateChunk` must be listed here."""
    from musicplan.syntax.records import fields, replace

    base = next(chunk for plan in PLANS for chunk in plan.chunks
                if isinstance(chunk, ir.GenerateChunk) and chunk.conditioning is not None)
    assert base.conditioning is not None
    other_slice = replace(base.conditioning, start_ms=base.conditioning.start_ms + 1)
    variants = {
        "label": ["Something else"], "text": ["[X]", base.text + "\nla"],
        "duration_ms": [base.duration_ms + 1], "positive_styles": [None, (), ("z",)],
        "negative_styles": [None, (), ("q",)], "context_adherence": [None, "low", "high"],
        "conditioning": [None, other_slice], "condition_strength": [None, "low", "xhigh"],
        "span": [PLANS[-1].span], "fields": [{}], "context": [()], "exact_ms": [None],
        "lines": [()],
    }
    assert {spec.name for spec in fields(ir.GenerateChunk)} == set(variants)
    for name, values in variants.items():
        for value in values:
            changed = replace(base, **{name: value})
            assert (sent(changed) == sent(base)) == \
                (lower.lower_chunk(changed) == lower.lower_chunk(base)), name
