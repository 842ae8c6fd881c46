"""Musical time: file and song tempo, bars and beats, exact conversion, E0401."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from language_helpers import chunks, only, source
from musicplan.resolve import ir
from musicplan.resolve.musical_time import (
    TempoInfo,
    bar_beat,
    duration_ms,
    exact_length,
    place,
    range_exact,
    round_ms,
)
from musicplan.syntax import nodes as n
from musicplan.syntax.spans import NO_SPAN


def test_file_tempo_for_durations() -> None:
    result = source('tempo 120 4/4\ngen "A" 8 bars styles["a"]\ngen "B" 6 beats styles["b"]\n')
    assert [c["duration_ms"] for c in chunks(result)] == [16000, 3000]


def test_song_tempo_for_its_ranges() -> None:
    result = source('tempo 60\nsong s = "S" {\n  tempo 120 3/4\n  verse bar 1-bar 9\n}\n'
                    "keep s verse\nkeep s 9.1-13.1\nkeep s bar 2-bar 3\n"
                    'gen "A" 2 bars styles["a"]\n')
    data = chunks(result)
    assert data[0]["range"] == {"start_ms": 0, "end_ms": 12000}  # 8 bars of 3 beats at 120
    assert data[1]["range"] == {"start_ms": 12000, "end_ms": 18000}
    assert data[2]["range"] == {"start_ms": 1500, "end_ms": 3000}
    assert data[3]["duration_ms"] == 8000  # the file tempo: 2 bars of 4 at 60


def test_song_length_in_bars_uses_its_own_tempo() -> None:
    result = source('song s = "S" length=16 bars {\n  tempo 120\n}\n'
                    "replace s bar 9-bar 17 { gen \"B\" 8 bars styles[\"b\"] }\n")
    assert "E0403" in [d.code for d in result.diagnostics]  # gen durations read the file tempo
    result = source('tempo 120\nsong s = "S" length=16 bars\n'
                    'replace s bar 9-bar 17 { gen "B" 8 bars styles["b"] }\n')
    assert chunks(result)[0]["range"] == {"start_ms": 0, "end_ms": 16000}


@pytest.mark.parametrize("written", ["1.0005s", "0:01.0005", "1.5ms"])
def test_ms_and_seconds_that_are_not_whole_are_e0401(written: str) -> None:
    result = source(f'gen "A" 10s styles["a"]\nkeep s 0-{written}\nsong s = "S"\n')
    error = only(result, "E0401")
    assert error.span.line == 2
    assert "not a whole number of milliseconds" in error.message


def test_e0401_shows_the_exact_value() -> None:
    result = source('gen "A" 1.0005s styles["a"]\n')
    assert "2001/2 (≈ 1000.500)" in only(result, "E0401").message


@pytest.mark.parametrize("bpm", [85, 90, 124, 130, 140, 174])
def test_common_tempos_round_to_the_millisecond(bpm: int) -> None:
    bar = Fraction(60000 * 4, bpm)
    result = source(f'tempo {bpm}\nsong s = "S" length=32 bars {{ drop 9.1-17.1; end bar 17-33.1 }}'
                    '\ngen "A" 8 bars styles["a"]\nkeep s bar 9-9.3\nkeep s drop\n')
    data = chunks(result)
    assert data[0]["duration_ms"] == round_ms(8 * bar)
    beat3 = 8 * bar + 2 * bar / 4
    assert data[1]["range"] == {"start_ms": round_ms(8 * bar), "end_ms": round_ms(beat3)}
    assert data[2]["range"] == {"start_ms": round_ms(8 * bar), "end_ms": round_ms(16 * bar)}
    assert result.plan is not None
    assert result.plan.songs["s"].length_ms == round_ms(32 * bar)


def test_the_house_and_techno_presets_at_their_own_tempos() -> None:
    for preset, bpm, expected in (("house", 124, 15484), ("techno", 130, 14769)):
        result = source(f'import "std/styles"\ntempo {bpm}\ngen "Intro" 8 bars styles[{preset}]\n'
                        f'gen "Drop" 8 bars styles[{preset}]\n')
        assert [c["duration_ms"] for c in chunks(result)] == \
            [expected, round_ms(16 * Fraction(240000, bpm)) - expected]


def test_halves_round_up() -> None:
    result = source('tempo 960\nsong s = "S" { a 1.2-1.4 }\nkeep s a\nkeep s 1 beat-2 beats\n'
                    'gen "A" 49 beats styles["a"]\n')
    data = chunks(result)
    assert data[0]["range"] == {"start_ms": 63, "end_ms": 188}  # 62.5 and 187.5
    assert data[1]["range"] == {"start_ms": 63, "end_ms": 125}
    assert data[2]["duration_ms"] == 3063  # 3062.5, starting on a whole ms
    assert round_ms(Fraction(-1, 2)) == 0 and round_ms(Fraction(5, 2)) == 3


def test_twelve_two_bar_chunks_last_exactly_twenty_four_bars() -> None:
    text = "tempo 130\n" + 'gen "A" 2 bars styles["a"]\n' * 12
    durations = [c["duration_ms"] for c in chunks(source(text))]
    assert sum(durations) == round_ms(24 * Fraction(240000, 130)) == 44308
    assert set(durations) == {3692, 3693}


def test_a_chunk_lasts_from_its_rounded_start_to_its_rounded_end() -> None:
    # 11 beats at 140 bpm are 4714.285… ms: the first ends at 14714.285… → 14714, the second
    # at 19428.571… → 19429, so it lasts 4715 ms, not round(4714.285…)
    result = source('tempo 140\ngen "A" 10s styles["a"]\ngen "B" 11 beats styles["b"]\n'
                    'gen "C" 11 beats styles["c"]\n')
    assert [c["duration_ms"] for c in chunks(result)] == [10000, 4714, 4715]


def test_replace_window_body_fills_the_window() -> None:
    # 17.3 is 30461.538… ms and 19.2 is 33692.307… ms; laid from 30462, 7 beats (3230.769…)
    # would end at 33692.769… → 33693, one ms past the window: a body starts at its window's
    # exact start, so it ends at 33692 with it
    result = source('tempo 130\nsong s = "S" length=32 bars\n'
                    'replace s bar 9-bar 17 { gen "B" 3 bars styles["b"]; gen "C" 5 bars '
                    'styles["c"] } 17.3-19.2 { gen "D" 7 beats styles["d"] }\n')
    data = chunks(result)
    beat = Fraction(60000, 130)
    assert data[0]["range"] == {"start_ms": 0, "end_ms": round_ms(32 * beat)}
    assert data[1]["duration_ms"] + data[2]["duration_ms"] == \
        round_ms(64 * beat) - round_ms(32 * beat)
    assert data[3]["range"] == {"start_ms": round_ms(64 * beat), "end_ms": round_ms(66 * beat)}
    assert (round_ms(66 * beat), round_ms(73 * beat)) == (30462, 33692)
    assert data[4]["duration_ms"] == 33692 - 30462
    assert data[5]["range"] == {"start_ms": 33692, "end_ms": round_ms(128 * beat)}
    assert sum(c.get("duration_ms", 0) + (c["range"]["end_ms"] - c["range"]["start_ms"]
                                          if "range" in c else 0) for c in data) == \
        round_ms(128 * beat)


def test_regen_takes_the_exact_length_of_its_section() -> None:
    result = source('tempo 174\nsong s = "S" { verse bar 1-bar 9; outro 9.1-13.1 }\n'
                    'keep s verse\nregen "outro" styles["x"]\n')
    bar = Fraction(240000, 174)
    data = chunks(result)
    start = round_ms(8 * bar)
    assert data[1]["duration_ms"] == round_ms(start + 4 * bar) - start


def test_tempo_given_twice() -> None:
    result = source('tempo 120\ntempo 90\ngen "A" 4 bars styles["a"]\n')
    assert only(result, "E0212").span.line == 2


BPM = st.one_of(st.integers(20, 999).map(Fraction),
                st.integers(200, 9990).map(lambda tenths: Fraction(tenths, 10)))
TEMPO = st.builds(lambda bpm, beats: TempoInfo(bpm=bpm, beats_per_bar=beats, span=NO_SPAN),
                  BPM, st.integers(1, 32))
LENGTH = st.tuples(st.integers(1, 64), st.sampled_from(["bars", "beats"]))


def _exact(tempo: TempoInfo, count: int, unit: str) -> Fraction:
    return count * (tempo.bar_ms if unit == "bars" else tempo.beat_ms)


@given(TEMPO, st.integers(1, 64), st.sampled_from(["bars", "beats"]))
def test_lengths_are_their_exact_value_rounded(tempo: TempoInfo, count: int, unit: str) -> None:
    exact = _exact(tempo, count, unit)
    time = n.Time(amount=str(count), unit=unit)  # type: ignore[arg-type]
    assert exact_length(time, tempo) == exact
    assert duration_ms(time, tempo) == round_ms(exact)
    assert abs(duration_ms(time, tempo) - exact) <= Fraction(1, 2)


@given(TEMPO, st.integers(1, 40), st.integers(1, 15), st.integers(1, 8))
def test_bar_beat_positions_are_their_exact_value_rounded(tempo: TempoInfo, bar: int, beat: int,
                                                          span: int) -> None:
    beat = min(beat, tempo.beats_per_bar)
    start = n.Time(amount=f"{bar}.{beat}", unit="bare")
    end = n.Time(amount=f"{bar + span}.{beat}", unit="bare")
    expected = ((bar - 1) * tempo.beats_per_bar + beat - 1) * tempo.beat_ms
    expected_end = expected + span * tempo.bar_ms
    assert range_exact(n.Range(start=start, end=end), tempo) == (expected, expected_end)
    text, on_beat = bar_beat(round_ms(expected), tempo)
    assert (text, on_beat) == (f"{bar}.{beat}", True)


def _gen(exact: Fraction) -> ir.GenerateChunk:
    return ir.GenerateChunk(label="A", text="[A]", duration_ms=round_ms(exact), span=NO_SPAN,
                            exact_ms=exact if exact.denominator != 1 else None)


@given(TEMPO, st.lists(st.one_of(LENGTH, st.integers(1, 20_000)), min_size=1, max_size=40),
       st.integers(0, 4).map(lambda quarter: Fraction(quarter, 4)))
def test_placed_chunks_never_drift(tempo: TempoInfo, lengths: list[tuple[int, str] | int],
                                   start: Fraction) -> None:
    """Each chunk starts at its exact position rounded; all of them together last the exact
    total rounded; a chunk written in ms keeps its length."""
    exact = [Fraction(item) if isinstance(item, int) else _exact(tempo, *item)
             for item in lengths]
    placed = place([_gen(value) for value in exact], start)
    at = start
    ends = [round_ms(at)]
    for value, chunk in zip(exact, placed, strict=True):
        assert isinstance(chunk, ir.GenerateChunk) and chunk.exact_ms is None
        assert chunk.duration_ms == round_ms(at + value) - round_ms(at)
        if value.denominator == 1:
            assert chunk.duration_ms == value
        at += value
        ends.append(ends[-1] + chunk.duration_ms)
        assert ends[-1] == round_ms(at)
    total = sum(chunk.duration_ms for chunk in placed)
    exact_total = sum(exact, Fraction(0))
    assert abs(total - exact_total) <= 1  # the rounding of the start and of the end
    if start == 0:
        assert total == round_ms(exact_total)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=30)
@given(st.integers(20, 999), st.builds("{}/{}".format, st.integers(1, 32),
                                       st.sampled_from([1, 2, 4, 8, 16, 32])),
       st.integers(1, 8), st.lists(st.integers(1, 12), min_size=1, max_size=5))
def test_a_window_body_in_beats_fills_its_window(bpm: int, signature: str, first: int,
                                                 beats: list[int]) -> None:
    """`replace` with a body of musical lengths that add up to the window: no E0506, and the
    finished song is the song's length however the window falls between milliseconds."""
    top = int(signature.split("/")[0])
    body = "; ".join(f'gen "B{index}" {count} beats styles["b"]'
                     for index, count in enumerate(beats))
    window_end = (first - 1) * top + sum(beats)  # in beats from the song's start
    bars_long = window_end // top + 3
    text = (f"tempo {bpm} {signature}\nsong s = \"S\" length={bars_long} bars\n"
            f"replace s bar {first}-{window_end} beats {{ {body} }}\n")
    result = source(text)
    assert not [d for d in result.diagnostics if d.code in ("E0506", "E0401")]
    assert result.plan is not None
    total = sum(chunk.duration_ms for chunk in result.plan.chunks)
    assert total == round_ms(bars_long * Fraction(60000 * top, bpm))


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=30)
@given(st.integers(20, 999), st.integers(1, 32), st.lists(LENGTH, min_size=1, max_size=12))
def test_compiled_musical_chunks_end_on_their_exact_ends_rounded(
        bpm: int, top: int, lengths: list[tuple[int, str]]) -> None:
    """Through the whole compiler: chunk k ends at round(the exact end of chunks 1..k)."""
    tempo = TempoInfo(bpm=Fraction(bpm), beats_per_bar=top, span=NO_SPAN)
    text = f"tempo {bpm} {top}/4\n" + "".join(
        f'gen "C{index}" {count} {unit} styles["x"]\n'
        for index, (count, unit) in enumerate(lengths))
    result = source(text)
    assert result.plan is not None
    assert not [d for d in result.diagnostics if d.code == "E0401"]
    end, exact = 0, Fraction(0)
    for chunk, (count, unit) in zip(result.plan.chunks, lengths, strict=True):
        end += chunk.duration_ms
        exact += _exact(tempo, count, unit)
        assert end == round_ms(exact)


def test_a_songs_own_tempo_is_named_when_a_chunk_length_needs_the_files() -> None:
    result = source('song s = "S" length=2:00 {\n  tempo 130\n  intro bar 1-bar 9\n}\n'
                    'keep s intro\ngen "V" 8 bars styles["a"]\n')
    problem = only(result, "E0403")
    assert problem.hint is not None
    assert "song `s` has its own tempo (130 bpm)" in problem.hint
    assert "write `tempo 130` at the top of the file" in problem.hint
    plain = only(source('gen "V" 8 bars styles["a"]\n'), "E0403")
    assert plain.hint == "declare one first, e.g. `tempo 120 4/4`"
