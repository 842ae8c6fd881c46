"""`mpl preview`: the audio sketch. Sources are synthesised tones (a known frequency each
second, another on the right channel), so every kept slice is checked sample by sample and
every placeholder's position and length exactly."""

from __future__ import annotations

import itertools
import math
import sys
import wave
from array import array
from pathlib import Path

import pytest
from click.testing import CliRunner
from musicplan.cli import main
from musicplan.pipeline import compile_text
from musicplan.preview import sketch
from musicplan.preview.sketch import frame

miniaudio = pytest.importorskip("miniaudio")

SONG_A = 'song a = "Ab12Cd34Ef56Gh78Ij90" length=12s\n'
SONG_B = 'song b = "Zz12Yy34Xx56Ww78Vv90" length=6s\n'
STYLES = 'styles["lo-fi", "warm", "tape", "mellow", "slow", "soft", "dusty"]'


def tone(seconds: int, rate: int, channels: int, base: int = 200) -> array[int]:
    """Second k: a sine of base + 50k Hz on the left, base + 25k on the right."""
    out = array("h")
    for i in range(seconds * rate):
        k, t = i // rate, i / rate
        out.append(round(9000 * math.sin(2 * math.pi * (base + 50 * k) * t)))
        if channels == 2:
            out.append(round(7000 * math.sin(2 * math.pi * (base + 25 * k) * t)))
    return out


def write_wav(path: Path, samples: array[int], rate: int, channels: int) -> Path:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(channels)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(samples.tobytes())
    return path


def read_wav(path: Path) -> tuple[array[int], int, int]:
    with wave.open(str(path), "rb") as stored:
        samples = array("h")
        samples.frombytes(stored.readframes(stored.getnframes()))
        return samples, stored.getframerate(), stored.getnchannels()


def _compile(text: str):
    result = compile_text(text, "t.mpl")
    assert result.ok, result.diagnostics
    return result


@pytest.fixture(scope="module")
def song_a(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, array[int]]:
    samples = tone(12, 44100, 2)
    return write_wav(tmp_path_factory.mktemp("a") / "a.wav", samples, 44100, 2), samples


def test_kept_slices_are_the_sources_own_samples(song_a) -> None:
    path, source = song_a
    plan = _compile(SONG_A + f'keep a 2s-5s\ngen "Glue" 3s {STYLES}\nkeep a 1.5s-2.25s\n'
                    'keep a 2s-5s\n')
    made = sketch.build(plan, {"a": path})
    audio = made.audio
    assert (audio.rate, audio.channels) == (44100, 2)  # the first source's
    assert [(s.index, s.first_frame, s.frames, s.fill) for s in made.segments] == [
        (0, 0, frame(3000, 44100), "source"),
        (1, frame(3000, 44100), frame(6000, 44100) - frame(3000, 44100), "noise"),
        (2, frame(6000, 44100), frame(6750, 44100) - frame(6000, 44100), "source"),
        (3, frame(6750, 44100), frame(9750, 44100) - frame(6750, 44100), "source")]
    assert audio.frames == frame(9750, 44100)
    for segment, source_ms in zip([made.segments[i] for i in (0, 2, 3)], (2000, 1500, 2000),
                                  strict=True):
        first, count = segment.first_frame * 2, segment.frames * 2
        start = frame(source_ms, 44100) * 2
        assert audio.samples[first:first + count] == source[start:start + count]
        assert segment.source_frames == segment.frames
    noise = made.segments[1]
    part = audio.samples[noise.first_frame * 2:(noise.first_frame + noise.frames) * 2]
    assert max(part) <= sketch.NOISE_LEVEL and min(part) >= -sketch.NOISE_LEVEL
    assert len(set(part)) > 100  # noise, not silence or a tone
    assert made.diagnostics == [] and made.problems == []


def test_clicks_on_every_beat_accented_on_each_bar_when_a_tempo_is_known(song_a) -> None:
    path, _ = song_a
    # 100 bpm 3/4: a beat is 600 ms; the chunk 1.5 s-6.3 s holds beats 3..10 (1.8 s … 6.0 s)
    plan = _compile("tempo 100 3/4\n" + SONG_A + f'keep a 0-1.5s\ngen "G" 4.8s {STYLES}\n')
    made = sketch.build(plan, {"a": path})
    rate = made.audio.rate
    segment = made.segments[1]
    assert (segment.first_frame, segment.frames, segment.fill) == (
        frame(1500, rate), frame(6300, rate) - frame(1500, rate), "clicks")
    left = made.audio.samples[segment.first_frame * 2:(segment.first_frame + segment.frames) * 2:2]
    click = frame(sketch.CLICK_MS, rate)
    onsets = []
    at = 0
    while at < len(left):
        if left[at] != 0 or (at + 1 < len(left) and left[at + 1] != 0):
            onsets.append(at)
            at += click
        else:
            at += 1
    beats = list(range(3, 11))
    assert onsets == [frame(600 * b, rate) - segment.first_frame for b in beats]
    peaks = [max(abs(v) for v in left[o:o + click]) for o in onsets]
    accented = [b for b, peak in zip(beats, peaks, strict=True) if peak > sketch.CLICK_LEVEL]
    assert accented == [3, 6, 9]  # the first beat of bars 2, 3 and 4
    assert all(v == 0 for o in onsets for v in left[o + click:o + click + 10]
               if o + click + 10 <= len(left))


def test_a_song_without_audio_is_a_distinct_placeholder_and_a_warning(song_a) -> None:
    path, source = song_a
    plan = _compile(SONG_A + SONG_B + "keep a 0-3s\nkeep b 1s-4s\nkeep a 3s-4s\n")
    made = sketch.build(plan, {"a": path})
    segment = made.segments[1]
    assert (segment.first_frame, segment.frames, segment.fill) == (
        frame(3000, 44100), frame(6000, 44100) - frame(3000, 44100), "missing")
    part = made.audio.samples[segment.first_frame * 2:(segment.first_frame + segment.frames) * 2]
    gate = frame(sketch.MISSING_GATE_MS, 44100)
    assert max(part[:gate * 2]) > 2000 and set(part[gate * 2:gate * 4]) == {0}
    [warned] = made.diagnostics
    assert warned.code == "W0801" and "'b'" in warned.message and "--audio b=" in warned.hint
    assert warned.span.line == 4  # the keep b statement
    last = made.segments[2]
    assert made.audio.samples[last.first_frame * 2:] == \
        source[frame(3000, 44100) * 2:frame(4000, 44100) * 2]


def test_48_khz_mono_when_no_source_has_audio() -> None:
    plan = _compile(SONG_A + f"keep a 0-3s\ngen \"G\" 3001ms {STYLES}\n")
    made = sketch.build(plan, {})
    assert (made.audio.rate, made.audio.channels) == (48000, 1)
    assert made.audio.frames == 6001 * 48
    assert [d.code for d in made.diagnostics] == ["W0801"]


def test_a_second_source_is_converted_to_the_first_ones_rate(song_a, tmp_path: Path) -> None:
    path, _ = song_a
    other = write_wav(tmp_path / "b.wav", tone(6, 48000, 1, base=300), 48000, 1)
    plan = _compile(SONG_A + SONG_B + "keep a 0-3s\nkeep b 1s-4s\n")
    made = sketch.build(plan, {"a": path, "b": other})
    assert (made.audio.rate, made.audio.channels) == (44100, 2)
    assert made.audio.frames == frame(6000, 44100)
    assert made.segments[1].fill == "source"


def test_short_audio_is_completed_by_the_placeholder_with_w0802(tmp_path: Path) -> None:
    short = write_wav(tmp_path / "a.wav", tone(2, 8000, 1), 8000, 1)
    made = sketch.build(_compile(SONG_A + "keep a 1s-4s\n"), {"a": short})
    [segment] = made.segments
    assert (segment.frames, segment.source_frames) == (24000, 8000)
    assert [d.code for d in made.diagnostics] == ["W0802"]


def test_raw_pcm_is_the_apis_16_bit_mono(tmp_path: Path) -> None:
    samples = tone(5, 22050, 1)
    raw = tmp_path / "a.pcm"
    raw.write_bytes(samples.tobytes() if sys.byteorder == "little" else b"")
    made = sketch.build(_compile(SONG_A + "keep a 1s-4s\n"), {"a": raw}, pcm_rate=22050)
    assert (made.audio.rate, made.audio.channels) == (22050, 1)
    assert made.audio.samples == samples[22050:4 * 22050]


@pytest.mark.parametrize(("value", "code"), [("a", "E0804"), ("=x.wav", "E0804"),
                                             ("zz=x.wav", "E0803")])
def test_bad_audio_options(value: str, code: str, tmp_path: Path) -> None:
    with pytest.raises(sketch.PreviewProblem) as caught:
        sketch.build(_compile(SONG_A + "keep a 1s-4s\n"),
                     sketch.parse_audio_options([value]))
    assert caught.value.problem.code == code and caught.value.exit_code == 2


def test_audio_for_a_song_nothing_keeps_is_w0803(song_a) -> None:
    path, _ = song_a
    plan = _compile(SONG_A + SONG_B + f'keep a 0-3s\ngen "G" 3s {STYLES} like b 0-3s\n')
    made = sketch.build(plan, {"a": path, "b": path})
    assert [p.code for p in made.problems] == ["W0803"]


def test_unreadable_and_undecodable_audio(tmp_path: Path) -> None:
    plan = _compile(SONG_A + "keep a 1s-4s\n")
    with pytest.raises(sketch.PreviewProblem) as missing:
        sketch.build(plan, {"a": tmp_path / "nope.mp3"})
    assert missing.value.problem.code == "E0801"
    junk = tmp_path / "junk.mp3"
    junk.write_bytes(b"not audio at all " * 100)
    with pytest.raises(sketch.PreviewProblem) as bad:
        sketch.build(plan, {"a": junk})
    assert bad.value.problem.code == "E0802"
    odd = tmp_path / "odd.pcm"
    odd.write_bytes(b"\x00\x01\x02")
    with pytest.raises(sketch.PreviewProblem) as odd_pcm:
        sketch.build(plan, {"a": odd})
    assert odd_pcm.value.problem.code == "E0802"


def test_e0805_when_the_library_cannot_convert(tmp_path: Path, monkeypatch) -> None:
    raw = tmp_path / "a.pcm"
    raw.write_bytes(bytes(2 * 48000 * 5))
    first = write_wav(tmp_path / "b.wav", tone(6, 8000, 1), 8000, 1)

    def refuse(*_args, **_kwargs):
        raise miniaudio.MiniaudioError("conversion failed")

    monkeypatch.setattr(miniaudio, "convert_frames", refuse)
    plan = _compile(SONG_A + SONG_B + "keep b 0-3s\nkeep a 0-3s\n")
    with pytest.raises(sketch.PreviewProblem) as caught:
        sketch.build(plan, {"a": raw, "b": first})
    assert caught.value.problem.code == "E0805"


def test_e0809_without_miniaudio(tmp_path: Path, monkeypatch, song_a) -> None:
    monkeypatch.setitem(sys.modules, "miniaudio", None)
    with pytest.raises(sketch.PreviewProblem) as caught:
        sketch.decode(song_a[0])
    assert caught.value.problem.code == "E0809"


def test_cli_writes_the_wav_and_leaves_nothing_on_error(song_a, tmp_path: Path) -> None:
    path, source = song_a
    plan = tmp_path / "t.mpl"
    plan.write_text(SONG_A + SONG_B + f'keep a 2s-5s\ngen "G" 3s {STYLES}\nkeep b 0-3s\n',
                    encoding="utf-8")
    runner = CliRunner()
    out = tmp_path / "out.wav"
    done = runner.invoke(main, ["preview", str(plan), "-o", str(out), "--audio", f"a={path}"])
    assert done.exit_code == 0, done.output
    assert "W0801" in done.stderr and "wrote" in done.stderr
    samples, rate, channels = read_wav(out)
    assert (rate, channels) == (44100, 2) and len(samples) == frame(9000, 44100) * 2
    assert samples[:frame(3000, 44100) * 2] == \
        source[frame(2000, 44100) * 2:frame(5000, 44100) * 2]
    again = runner.invoke(main, ["preview", str(plan), "-o", str(out)])
    assert again.exit_code == 2 and "E0709" in again.stderr
    fresh = tmp_path / "fresh.wav"
    for args, code, status in (([f"a={tmp_path / 'gone.wav'}"], "E0801", 1),
                               (["a"], "E0804", 2), (["c=x.wav"], "E0803", 2)):
        failed = runner.invoke(main, ["preview", str(plan), "-o", str(fresh),
                                      *[x for a in args for x in ("--audio", a)]])
        assert failed.exit_code == status and code in failed.stderr, failed.output
        assert not fresh.exists()
        assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".fresh")] == []


def test_explain_html_embeds_the_sketch(song_a, tmp_path: Path) -> None:
    path, _ = song_a
    plan = tmp_path / "t.mpl"
    plan.write_text(SONG_A + f'keep a 2s-5s\ngen "G" 3s {STYLES}\n', encoding="utf-8")
    done = CliRunner().invoke(main, ["explain", str(plan), "--format", "html",
                                     "--audio", f"a={path}"])
    assert done.exit_code == 0, done.output
    assert '<audio class="sketch"' in done.stdout and 'class="waveform" data-song="a"' \
        in done.stdout


def test_envelope_is_four_peaks_a_second() -> None:
    audio = sketch.Audio(tone(3, 22050, 1), 22050, 1)
    values = sketch.envelope(audio)
    assert len(values) == 12
    assert all(v == pytest.approx(9000 * 1000 / 32768, rel=0.01) for v in values)
    two = sketch.Audio(array("h", [0, 0, 100, -300]), 8, 1)  # 8 Hz: two frames a quarter
    assert sketch.envelope(two) == [0.0, 300000 / 32768]


def test_the_registry_gives_recorded_audio_and_waveforms(song_a, tmp_path: Path) -> None:
    """A song the registry recorded (audio file and waveform, as render/upload write them) is
    found by its id, under whatever name the plan gives it; --audio wins over it."""
    from musicplan.api.registry import SongEntry, update
    from musicplan.api.songdata import SongData

    path, source = song_a
    registry = tmp_path / "songs.mpl"
    update(registry, SongEntry("a", "Ab12Cd34Ef56Gh78Ij90", 12000,
                               data=SongData(audio_path=path, waveform=(0, 500, -900, 1000))),
           "# rendered from t.mpl")
    update(registry, SongEntry("b", "Zz12Yy34Xx56Ww78Vv90", 6000,
                               data=SongData(waveform=(100, 200))), "# uploaded from b.mp3")
    plan = tmp_path / "t.mpl"
    plan.write_text('import "songs"\nkeep a 2s-5s\nkeep b 0-3s\n', encoding="utf-8")
    runner = CliRunner()
    out = tmp_path / "t.wav"
    done = runner.invoke(main, ["preview", str(plan), "-o", str(out)])
    assert done.exit_code == 0, done.output
    assert "W0801" in done.stderr and "'b'" in done.stderr and "'a'" not in done.stderr
    samples, rate, _ = read_wav(out)
    assert rate == 44100
    assert samples[:frame(3000, 44100) * 2] == \
        source[frame(2000, 44100) * 2:frame(5000, 44100) * 2]
    page = runner.invoke(main, ["explain", str(plan), "--format", "svg"])
    assert page.exit_code == 0, page.output
    assert 'class="waveform" data-song="a"' in page.stdout  # the recorded waveform
    assert 'class="waveform" data-song="b"' in page.stdout
    other = tmp_path / "elsewhere.mpl"
    other.write_text('song a = "Qq12Ww34Ee56Rr78Tt90" length=10s\nkeep a 0-3s\n',
                     encoding="utf-8")
    unknown = runner.invoke(main, ["preview", str(other), "-o", str(tmp_path / "x.wav"),
                                   "--registry", str(registry)])
    assert unknown.exit_code == 0 and "W0801" in unknown.stderr  # another id: not matched


def _dominant_hz(samples: array[int], rate: int) -> float:
    """A mono signal's frequency from its rising zero crossings (a pure tone's is exact)."""
    rising = sum(1 for a, b in itertools.pairwise(samples) if a < 0 <= b)
    return rising * rate / len(samples)


def test_an_mp3_source_is_decoded_in_time(tmp_path: Path) -> None:
    """The API answers mp3 by default: a kept slice of an mp3 is its song's audio at the
    right place. The source is 440 Hz for 2 s, then 880 Hz; mp3 is lossy, so each stretch's
    frequency is checked, and the change from one to the other must land where the plan puts
    it, within 10 ms (the encoder's delay is not audio of the song)."""
    lameenc = pytest.importorskip("lameenc")
    rate = 48_000
    pcm = array("h", [round(9000 * math.sin(2 * math.pi * (440 if i < 2 * rate else 880) * i
                                            / rate)) for i in range(4 * rate)])
    encoder = lameenc.Encoder()
    encoder.set_bit_rate(192)
    encoder.set_in_sample_rate(rate)
    encoder.set_channels(1)
    encoder.set_quality(2)
    song = tmp_path / "a.mp3"
    song.write_bytes(encoder.encode(pcm.tobytes()) + encoder.flush())
    plan = _compile('song a = "Ab12Cd34Ef56Gh78Ij90" length=4s\n'
                    "keep a 1000ms-3000ms\nkeep a 200ms-1200ms\n")
    made = sketch.build(plan, {"a": song})
    audio = made.audio
    assert (audio.rate, audio.channels, audio.frames) == (rate, 1, frame(3000, rate))
    assert [s.fill for s in made.segments] == ["source", "source"]

    def hz(start_ms: int, end_ms: int) -> float:
        return _dominant_hz(array("h", audio.samples[frame(start_ms, rate):frame(end_ms, rate)]),
                            rate)

    assert [round(hz(a, b) / 10) * 10 for a, b in ((100, 900), (1100, 1900), (2100, 2900))] == \
        [440, 880, 440]
    assert abs(hz(940, 990) - 440) < 60 and abs(hz(1010, 1060) - 880) < 60  # the change in time


def test_only_an_mp3_without_a_gapless_tag_is_trimmed() -> None:
    """A Xing/Info tag (after any ID3v2 tag) tells the decoder the encoder's delay, and it
    skips it itself; a stream without one keeps the usual 1105 samples, which MPL trims."""
    frame_head = b"\xff\xfb\x90\xc4" + bytes(32)
    id3 = b"ID3\x04\x00\x00\x00\x00\x00\x0a" + bytes(10)  # a 10-byte tag body
    assert sketch.mp3_lead(frame_head + b"Info" + bytes(100)) == 0
    assert sketch.mp3_lead(id3 + frame_head + b"Xing" + bytes(100)) == 0
    assert sketch.mp3_lead(frame_head + bytes(400)) == 576 + 529
    assert sketch.mp3_lead(id3 + frame_head + bytes(400)) == 576 + 529
