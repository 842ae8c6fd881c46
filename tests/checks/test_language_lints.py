"""The lints W0202-W0206, each firing on its case and quiet on its near miss."""

from __future__ import annotations

from language_helpers import codes, only, related, source, where

SONG = 'song s = "S" length=5:00\n'
STYLES = 'styles["a", "b", "c", "d", "e", "f", "g"]'


def test_w0202_contiguous_keeps() -> None:
    result = source(SONG + "keep 0-10s\nkeep 10s-20s\nkeep 25s-30s\n")
    warning = only(result, "W0202")
    assert where(warning) == ("main.mpl", 3, 1)
    assert warning.hint == "keep s 0:00-0:20 says the same in one chunk"
    assert related(warning) == [("main.mpl", 2, "ends at 0:10")]


def test_w0202_not_across_songs() -> None:
    result = source(SONG + 'song t = "T" length=1:00\nkeep s 0-10s\nkeep t 10s-20s\n')
    assert "W0202" not in codes(result)
    same = source(SONG + 'song t = "T" length=1:00\nkeep s 0-10s\nkeep s 10s-20s\n')
    assert "W0202" in codes(same)  # the lint itself is alive


def test_w0203_low_adherence_next_to_kept_audio() -> None:
    result = source(SONG + f'keep 0-30s\ngen "B" 10s {STYLES} adherence=low\n')
    warning = only(result, "W0203")
    assert where(warning) == ("main.mpl", 3, 55)
    assert related(warning)[0][:2] == ("main.mpl", 2)
    quiet = source(SONG + f'gen "A" 10s {STYLES} adherence=low\ngen "B" 10s {STYLES}\n')
    assert "W0203" not in codes(quiet)


def test_w0204_conditioning_overlaps_kept_audio() -> None:
    result = source(SONG + f'gen "A" 10s {STYLES} like 5s-15s\nkeep 10s-40s\n')
    warning = only(result, "W0204")
    assert where(warning) == ("main.mpl", 2, 60)
    quiet = source(SONG + f'gen "A" 10s {STYLES} like 40s-50s\nkeep 10s-40s\n')
    assert "W0204" not in codes(quiet)


def test_w0205_identical_generation_chunks() -> None:
    result = source(SONG + f'gen "A" 10s {STYLES}\nkeep 0-10s\ngen "A" 10s {STYLES}\n')
    warning = only(result, "W0205")
    assert where(warning) == ("main.mpl", 4, 1)
    assert related(warning)[0][:2] == ("main.mpl", 2)


def test_w0205_quiet_for_one_template_line() -> None:
    result = source(SONG + f'template t() {{\n  gen "A" 10s {STYLES}\n}}\nt()\nt()\n')
    assert "W0205" not in codes(result)
    twice = source(SONG + f'template t() {{\n  gen "A" 10s {STYLES}\n  gen "A" 10s {STYLES}\n}}\n'
                   't()\n')
    assert "W0205" in codes(twice)  # two written lines inside one template still warn


def test_w0206_near_the_cap() -> None:
    result = source(SONG + "keep 0-5:00\nkeep 0-4:40\n")
    warning = only(result, "W0206")
    assert warning.message == "the song is 9:40 long, within 0:30 of the 10:00 cap"
    assert "W0206" not in codes(source(SONG + "keep 0-5:00\nkeep 0-4:00\n"))


def test_lints_are_quiet_while_there_are_errors() -> None:
    result = source(SONG + "keep 0-10s\nkeep 10s-20s\ngen \"X\" 1s styles[\"a\"]\n")
    assert "E0203" in codes(result)
    assert "W0202" not in codes(result)
    fixed = source(SONG + "keep 0-10s\nkeep 10s-20s\ngen \"X\" 3s styles[\"a\"]\n")
    assert "E0203" not in codes(fixed) and "W0202" in codes(fixed)


def test_the_total_length_names_the_template_call_that_passes_ten_minutes() -> None:
    """E0202 (and W0206) point at the chunk where the mark falls; inside a template, the call
    that put it there is named too, as for every other chunk rule."""
    body = f'template t() {{\n  gen "A" 120s {STYLES}\n}}\n'
    problem = only(source(body + "t()\n" * 6), "E0202")
    assert where(problem) == ("main.mpl", 2, 3)
    assert [place[:2] for place in related(problem)] == [("main.mpl", 9)]  # the fifth call
    near = only(source(body + "t()\n" * 4 + f'gen "B" 100s {STYLES}\n'), "W0206")
    assert where(near) == ("main.mpl", 8, 1)
