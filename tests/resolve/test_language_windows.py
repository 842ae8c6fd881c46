"""`replace`: keep-before + body + keep-after, several windows, fit and `stretch`."""

from __future__ import annotations

from language_helpers import chunks, codes, only, related, source, where

TRAILER = 'song trailer = "T" length=60s {\n  intro 0-15s\n  outro 50s-60s\n}\n'


def _ranges(result: object) -> list[object]:
    return [c.get("range", c.get("duration_ms")) for c in chunks(result)]  # type: ignore[arg-type]


def test_one_window_in_the_middle() -> None:
    result = source(TRAILER + 'replace trailer 20s-30s { gen "New" 10s styles["a"] }\n')
    assert _ranges(result) == [{"start_ms": 0, "end_ms": 20000}, 10000,
                               {"start_ms": 30000, "end_ms": 60000}]


def test_window_at_the_end_omits_the_empty_keep_after() -> None:
    result = source(TRAILER + 'replace trailer outro { regen "Outro" styles["a"] }\n')
    assert _ranges(result) == [{"start_ms": 0, "end_ms": 50000}, 10000]


def test_several_windows_keep_the_gaps() -> None:
    result = source(TRAILER + 'replace 0-15s { gen "A" 15s styles["a"] }'
                    ' 40s-50s { gen "B" 10s styles["b"] }\n')
    assert _ranges(result) == [15000, {"start_ms": 15000, "end_ms": 40000}, 10000,
                               {"start_ms": 50000, "end_ms": 60000}]


def test_length_from_sections() -> None:
    result = source('song s = "S" {\n  a 0-10s\n  b 10s-40s\n}\n'
                    'replace s 0-10s { gen "A" 10s styles["a"] }\n')
    assert _ranges(result)[-1] == {"start_ms": 10000, "end_ms": 40000}


def test_unknown_length() -> None:
    result = source('song s = "S"\nreplace s 0-10s { gen "A" 10s styles["a"] }\n')
    assert where(only(result, "E0508")) == ("main.mpl", 2, 9)


def test_body_must_fit_the_window() -> None:
    result = source(TRAILER + 'replace trailer 45s-60s { gen "Outro" 12s styles["a"] }\n')
    error = only(result, "E0506")
    assert error.message == "the window lasts 15 s but its body lasts 12 s"
    assert related(error)[0][2] == "this lasts 12 s"


def test_stretch_changes_the_length_and_says_so() -> None:
    result = source(TRAILER + 'replace trailer 45s-60s stretch { gen "Outro" 25s styles["a"] }\n')
    assert sum(c.get("duration_ms", 0) or c["range"]["end_ms"] - c["range"]["start_ms"]
               for c in chunks(result)) == 70000
    assert result.notes == ["main.mpl:5:1: `replace` stretches `trailer` from 1:00 to 1:10"]


def test_stretch_with_an_empty_body_cuts() -> None:
    result = source(TRAILER + "replace trailer 20s-30s stretch {}\n")
    assert _ranges(result) == [{"start_ms": 0, "end_ms": 20000},
                               {"start_ms": 30000, "end_ms": 60000}]


def test_windows_out_of_order_overlapping_or_outside() -> None:
    result = source(TRAILER + 'replace trailer 20s-30s { gen "A" 10s styles["a"] }'
                    ' 25s-35s { gen "B" 10s styles["b"] }\n'
                    'replace trailer 55s-65s { gen "C" 10s styles["c"] }\n')
    assert codes(result).count("E0507") == 2
    overlap = next(d for d in result.diagnostics if "overlapping" in d.message)
    assert related(overlap)[0][2] == "the window before ends at 30 s"


def test_window_inside_a_template() -> None:
    result = source(TRAILER + 'template fix(part, d) {\n  replace trailer part { gen "F" d '
                    'styles["f"] }\n}\nfix(intro, 15s)\n')
    assert _ranges(result) == [15000, {"start_ms": 15000, "end_ms": 60000}]
    assert "W0201" not in codes(result)
