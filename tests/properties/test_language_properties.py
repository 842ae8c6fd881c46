"""Properties: through imports and template expansion, every diagnostic position (primary
and related) lies inside a real file among Compilation.sources, within its text."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from language_helpers import write
from musicplan.diagnostics import Diagnostic
from musicplan.pipeline import Compilation, compile_path
from musicplan.syntax.spans import Span

VALUES = st.sampled_from([
    "3s", "200s", "1s", "0-5s", "3s-8s", "8s-3s", "0-90s", '["a", "b"]', "epic", '"Verse"',
    "hook", "nothing", "phrase", "intro", "2 bars", "bar 3", "lib.glue", "[feel, \"x\"]"])
BODY_LINES = st.sampled_from([
    "keep src part", 'gen "G" len styles[feel]', 'gen label len styles[feel] adherence=low',
    "gen \"L\" len styles[feel] like src part strength=high", "keep part",
    "replace src part { gen \"W\" len styles[feel] }", "lib.inner(len)", "again()",
    "let local = 4s", 'gen "Local" local styles[feel]'])
PAD = st.sampled_from(["", "\n", "# note\n", "\n\n# two\n"])


def _template(name: str, lines: list[str], pads: list[str]) -> str:
    body = "".join(f"{pad}  {line}\n" for pad, line in zip(pads, lines, strict=False))
    return f'template {name}(src, part, len=3s, feel=["smooth"], label="L") {{\n{body}}}\n'


@st.composite
def projects(draw: st.DrawFn) -> dict[str, str]:
    lib_lines = draw(st.lists(BODY_LINES, min_size=1, max_size=4))
    lib_pads = draw(st.lists(PAD, min_size=4, max_size=4))
    lib = (draw(PAD) + 'let glue = 3s\nlet epic = ["epic", "big"]\n'
           'template inner(d) {\n  gen "I" d styles["x"]\n}\n'
           'template again() {\n  lib.inner(1s)\n}\n' + _template("make", lib_lines, lib_pads))
    calls = []
    for _ in range(draw(st.integers(1, 3))):
        args = draw(st.lists(VALUES, min_size=0, max_size=5))
        named = draw(st.booleans())
        text = ", ".join(args) if not named or len(args) < 2 else \
            f"{args[0]}, {args[1]}, " + ", ".join(f"len={a}" for a in args[2:3])
        calls.append(draw(PAD) + f"lib.make({text})\n")
    main = ('import "./lib.mpl" as lib\nimport "std/styles"\n'
            'song phrase = "P" length=10s {\n  intro 0-5s\n}\nlet hook = 2s-4s\n'
            'let feel = ["warm"]\n' + "".join(calls))
    return {"main.mpl": main, "lib.mpl": lib.replace("lib.inner", "inner")}


def _inside(span: Span, sources: dict[str, str]) -> bool:
    text = sources.get(span.file)
    if text is None:
        return False
    lines = text.split("\n")
    if not (1 <= span.line <= span.end_line <= len(lines)):
        return False
    if not 0 <= span.start <= span.end <= len(text):
        return False
    return 1 <= span.col <= len(lines[span.line - 1]) + 1


def _all_spans(diagnostic: Diagnostic) -> list[Span]:
    return [diagnostic.span, *(label.span for label in diagnostic.secondary)]


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(projects())
def test_every_diagnostic_lies_inside_a_real_file(files: dict[str, str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        write(Path(folder), files)
        result: Compilation = compile_path(Path(folder) / "main.mpl")
    for diagnostic in result.diagnostics:
        for span in _all_spans(diagnostic):
            assert _inside(span, result.sources), (diagnostic, span)
    if result.plan is not None:
        for chunk in result.plan.chunks:
            assert _inside(chunk.span, result.sources)
            assert all(_inside(label.span, result.sources) for label in chunk.context)
