"""Musical time: file and song tempo, bars and beats, exact conversion, E0401."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st
from language_helpers import chunks, only, source
from musicplan import nodes as n
from musicplan.spans import NO_SPAN
from musicplan.timing import TempoInfo, TimeError, duration_ms, range_ms


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


def test_fractional_ms_is_an_error_with_the_exact_value() -> None:
    result = source('tempo 140\ngen "A" 1 beat styles["a"]\n')
    error = only(result, "E0401")
    assert "3000/7 (≈ 428.571)" in error.message


def test_tempo_given_twice() -> None:
    result = source('tempo 120\ntempo 90\ngen "A" 4 bars styles["a"]\n')
    assert only(result, "E0212").span.line == 2


TEMPO = st.builds(lambda bpm, beats: TempoInfo(Fraction(bpm), beats, NO_SPAN),
                  st.integers(1, 999), st.sampled_from([2, 3, 4, 5, 6, 7, 12]))


@given(TEMPO, st.integers(1, 64), st.sampled_from(["bars", "beats"]))
def test_lengths_convert_exactly(tempo: TempoInfo, count: int, unit: str) -> None:
    exact = count * (Fraction(60000, tempo.bpm) * (tempo.beats_per_bar if unit == "bars" else 1))
    time = n.Time(amount=str(count), unit=unit)  # type: ignore[arg-type]
    try:
        assert duration_ms(time, tempo) == exact
    except TimeError as exc:
        assert exact.denominator != 1
        assert exc.diagnostic.code == "E0401"


@given(TEMPO, st.integers(1, 40), st.integers(1, 12), st.integers(1, 8))
def test_bar_beat_positions_convert_exactly(tempo: TempoInfo, bar: int, beat: int,
                                            span: int) -> None:
    beat = min(beat, tempo.beats_per_bar)
    start = n.Time(amount=f"{bar}.{beat}", unit="bare")
    end = n.Time(amount=f"{bar + span}.{beat}", unit="bare")
    beat_ms = Fraction(60000, tempo.bpm)
    expected = ((bar - 1) * tempo.beats_per_bar + beat - 1) * beat_ms
    expected_end = expected + span * tempo.beats_per_bar * beat_ms
    try:
        assert range_ms(n.Range(start=start, end=end), tempo) == (expected, expected_end)
    except TimeError as exc:
        assert expected.denominator != 1 or expected_end.denominator != 1
        assert exc.diagnostic.code == "E0401"
