"""Templates: parameters, defaults, named arguments, kind checks, context, recursion."""

from __future__ import annotations

from pathlib import Path

from language_helpers import build, chunks, codes, only, related, source, where

LOOP = """
song phrase = "Xy12Lm34Np56Qr78St90" length=10s
template loop(src, slice, glue=3s, feel=["smooth transition"]) {
  keep src slice
  gen "Glue" glue styles[feel]
  keep src slice
}
"""


def test_expansion_with_defaults() -> None:
    result = source(LOOP + "loop(phrase, 3s-8s)\n")
    kept = {"song_id": "Xy12Lm34Np56Qr78St90", "range": {"start_ms": 3000, "end_ms": 8000}}
    assert chunks(result) == [kept, {"text": "[Glue]", "duration_ms": 3000,
                                     "positive_styles": ["smooth transition"]}, kept]


def test_named_arguments_and_bindings() -> None:
    result = source(LOOP + 'let hook = 2s-7s\nlet warm = ["warm", "soft"]\n'
                    "loop(feel=warm, slice=hook, src=phrase, glue=4s)\n")
    data = chunks(result)
    assert data[0]["range"] == {"start_ms": 2000, "end_ms": 7000}
    assert data[1]["duration_ms"] == 4000
    assert data[1]["positive_styles"] == ["warm", "soft"]


def test_section_name_as_a_range_argument() -> None:
    result = source('song s = "id" length=30s {\n  hook 5s-10s\n}\n'
                    "template twice(part) {\n  keep s part\n  keep s part\n}\ntwice(hook)\n")
    assert [c["range"]["start_ms"] for c in chunks(result)] == [5000, 5000]


def test_duration_where_a_range_goes_is_reported_at_the_call() -> None:
    result = source(LOOP + "loop(phrase, 3s)\n")
    error = only(result, "E0307")
    assert error.message == "expected a range, got a duration"
    assert where(error) == ("main.mpl", 7, 14)
    assert related(error) == [("main.mpl", 3, "`slice` is used as a range here")]


def test_binding_of_the_wrong_kind_is_reported_at_the_call() -> None:
    result = source(LOOP + "let hook = 3s\nloop(phrase, hook)\n")
    assert where(only(result, "E0307")) == ("main.mpl", 8, 14)


def test_argument_errors() -> None:
    result = source(LOOP + "loop(phrase)\nloop(phrase, 3s-8s, 3s, [], 9)\n"
                    "loop(phrase, 3s-8s, fel=[])\nloop(phrase, 3s-8s, glue=3s, glue=4s)\n"
                    "loop(src=phrase, 3s-8s)\n")
    messages = [d.message for d in result.diagnostics if d.code == "E0505"]
    assert messages == [
        "`loop` needs an argument for `slice`",
        "`loop` takes 4 arguments; this is one too many",
        "`loop` has no parameter `fel`",
        "argument `glue` is given twice",
        "`loop` needs an argument for `slice`",
        "a positional argument cannot follow a named one"]
    hint = next(d.hint for d in result.diagnostics if "fel" in d.message)
    assert hint is not None and "feel" in hint


def test_error_inside_a_template_names_the_call_site() -> None:
    result = source('song s = "id" length=10s\ntemplate long(d) {\n  gen "X" d styles["a"]\n}\n'
                    "long(200s)\n")
    error = only(result, "E0203")
    assert where(error) == ("main.mpl", 3, 11)  # the duration, in the template
    assert related(error) == [("main.mpl", 5, "expanded from `long(…)` here")]


def test_nested_templates_carry_every_call_site() -> None:
    result = source('template inner(d) {\n  gen "X" d styles["a"]\n}\n'
                    "template outer(d) {\n  inner(d)\n}\nouter(1s)\n")
    error = only(result, "E0203")
    assert [label[1] for label in related(error)] == [5, 7]


def test_recursion_is_an_error_with_the_chain() -> None:
    result = source('template a() {\n  b()\n}\ntemplate b() {\n  a()\n}\na()\n')
    error = only(result, "E0504")
    assert "a → b → a" in error.message


def test_let_inside_a_body_stays_there() -> None:
    result = source('template t() {\n  let inner = 5s\n  gen "X" inner styles["a"]\n}\nt()\n'
                    'gen "Y" inner styles["b"]\n')
    assert where(only(result, "E0306")) == ("main.mpl", 6, 9)


def test_declarations_are_refused_in_a_body() -> None:
    result = source('template t() {\n  song s = "x"\n}\nt()\n')
    assert "E0509" in codes(result)


def test_unknown_template_and_unused_template() -> None:
    result = source('template helper() {\n  gen "A" 5s styles["a"]\n}\nhelpr()\n')
    error = only(result, "E0306")
    assert error.hint is not None and "helper" in error.hint
    # `helper` is not reported unused: lints wait until the errors are fixed
    assert "W0201" not in codes(result)
    assert "W0201" in codes(source('template helper() {\n  gen "A" 5s styles["a"]\n}\n'
                                   'gen "B" 5s styles["b"]\n'))


def test_adherence_and_strength_from_arguments() -> None:
    result = source('song s = "id" length=30s\n'
                    'template t(how, seam="low") {\n'
                    '  gen "A" 5s styles["a"] like s 0-5s strength=how adherence=seam\n}\n'
                    't(high)\nt("xhigh", seam=medium)\n')
    data = chunks(result)
    assert (data[0]["condition_strength"], data[0]["context_adherence"]) == ("high", "low")
    assert (data[1]["condition_strength"], data[1]["context_adherence"]) == ("xhigh", "medium")


def test_template_from_an_imported_file_reads_its_own_names(tmp_path: Path) -> None:
    result = build(tmp_path, {
        "main.mpl": 'import "./lib.mpl" as lib\nlet feel = ["mine"]\nlib.intro(10s)\n',
        "lib.mpl": 'let feel = ["library"]\ntemplate intro(d) {\n  gen "I" d styles[feel]\n}\n'})
    assert chunks(result)[0]["positive_styles"] == ["library"]


def test_expansion_depth_is_bounded() -> None:
    chain = "".join(f"template t{i}() {{\n  t{i + 1}()\n}}\n" for i in range(20))
    result = source(chain + 'template t20() {\n  gen "A" 5s styles["a"]\n}\nt0()\n')
    error = only(result, "E0504")
    assert "deeper than 16" in error.message


SUNG = '''
template sung(label, dur, feel=["pop", "bright", "catchy", "female vocals", "synths", "drums",
                                "upbeat"]) {
  gen label dur styles[feel] lyrics
    | (ooh)
}
template twice(label) {
  sung(label, 10s) lyrics
  gen "Break" 5s styles["drums"]
  sung(label, 10s) lyrics
    | (again)
}
'''


def test_a_template_sings_the_lyric_lines_of_its_call() -> None:
    result = source(SUNG + 'sung("Verse 1", 30s)\n  | Rise from the ashes\n  | {final hit}\n'
                    'sung("Interlude", 10s)\n')
    assert [c["text"] for c in chunks(result)] == [
        "[Verse 1]\nRise from the ashes\n{final hit}\n(ooh)", "[Interlude]\n(ooh)"]
    assert result.plan is not None
    lines = result.plan.chunks[0].lines  # type: ignore[union-attr]
    assert [span.line for span in lines] == [13, 14, 4]  # each text line where it is written


def test_lyrics_pass_through_nested_calls() -> None:
    result = source(SUNG + 'twice("Chorus")\n  | We rise\n')
    assert [c["text"] for c in chunks(result)] == [
        "[Chorus]\nWe rise\n(ooh)", "[Break]", "[Chorus]\nWe rise\n(again)\n(ooh)"]


def test_lyrics_outside_a_template_is_e0406() -> None:
    result = source('gen "A" 10s styles["a"] lyrics\n')
    assert where(only(result, "E0406")) == ("main.mpl", 1, 25)
    result = source(SUNG + 'sung("A", 10s) lyrics\n')
    assert where(only(result, "E0406"))[1] == 12


def test_lyric_lines_for_a_template_that_sings_none_are_e0407() -> None:
    result = source('template plain(x) { gen x 10s styles["a"] }\nplain("A")\n  | lost words\n')
    error = only(result, "E0407")
    assert where(error) == ("main.mpl", 3, 3)
    assert related(error) == [("main.mpl", 1, "`plain` is defined here")]
    result = source('template plain(x) { gen x 10s styles["a"] }\n'
                    'template outer() { plain("A") lyrics }\nouter()\n  | words\n')
    assert where(only(result, "E0407"))[1] == 2


def test_lyrics_with_text_is_e0212() -> None:
    result = source('template t() { gen "A" 10s text "[A]" lyrics }\nt()\n  | words\n')
    assert only(result, "E0212").message == "a chunk with `text` cannot also have lyric lines"
