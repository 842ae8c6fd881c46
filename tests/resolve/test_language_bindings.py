"""Bindings: presets splice, durations and ranges by name, sections, unknown and unused."""

from __future__ import annotations

from language_helpers import chunks, codes, only, source, where


def test_lists_splice_and_nest() -> None:
    result = source('let epic = ["cinematic", "epic"]\nlet more = [epic, "low strings"]\n'
                    'gen "A" 5s styles[more, "D minor"] avoid[]\n')
    assert chunks(result)[0]["positive_styles"] == ["cinematic", "epic", "low strings", "D minor"]


def test_duration_range_and_label_bindings() -> None:
    result = source('song s = "S" length=30s\nlet hook = 3s-8s\nlet short = 4s\n'
                    'let name = "Bridge"\nkeep hook\ngen name short styles["a"]\n')
    data = chunks(result)
    assert data[0]["range"] == {"start_ms": 3000, "end_ms": 8000}
    assert data[1] == {"text": "[Bridge]", "duration_ms": 4000, "positive_styles": ["a"]}


def test_a_binding_wins_over_a_section() -> None:
    result = source('song s = "S" {\n  hook 0-5s\n}\nlet hook = 10s-20s\nkeep s hook\n')
    assert chunks(result)[0]["range"] == {"start_ms": 10000, "end_ms": 20000}


def test_alias_of_a_section_name() -> None:
    result = source('song s = "S" {\n  outro 20s-30s\n}\nlet end_part = outro\nkeep end_part\n')
    assert chunks(result)[0]["range"] == {"start_ms": 20000, "end_ms": 30000}


def test_unknown_name_with_suggestion() -> None:
    result = source('let epic = ["a"]\ngen "A" 5s styles[epik]\n')
    error = only(result, "E0306")
    assert where(error) == ("main.mpl", 2, 19)
    assert error.hint is not None and "epic" in error.hint


def test_unused_binding_warns_once() -> None:
    result = source('let spare = 3s\ngen "A" 5s styles["a"]\n')
    assert codes(result).count("W0201") == 1
    assert only(result, "W0201").message == "binding `spare` is never used"


def test_self_reference_is_an_error() -> None:
    result = source('let a = b\nlet b = a\ngen "A" 5s styles[a]\n')
    assert "E0307" in codes(result)


def test_list_containing_itself_is_an_error() -> None:
    result = source('let x = [x, "a"]\ngen "A" 5s styles[x]\n')
    assert only(result, "E0307").message == "`x` contains itself"
