"""The audio sketch: the finished song as a WAV, free and offline, to hear where the cuts fall.

Each kept slice is the source's own samples, cut from a local copy of its song (decoded with
miniaudio: mp3, flac, vorbis, wav; `.pcm` files are the API's raw `pcm_*` answers, 16-bit
little-endian mono). Each generation chunk is a placeholder of its exact length that nobody
mistakes for music: a click on every beat, accented on each bar, when a tempo is known, quiet
noise otherwise. A kept slice with no local audio is a gated low tone, and a warning.

Positions: a time of `ms` is frame `(ms × rate + 500) // 1000`, so every chunk starts where
the one before it ends and the file's length is the plan's total within one frame.
"""

from __future__ import annotations

import io
import math
import random
import sys
import wave
from array import array
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Literal

from ..diagnostics import Diagnostic, error, warning
from ..files import AtomicFile
from ..pipeline import Compilation
from ..resolve.ir import TempoInfo
from ..timeline import TimelineEntry, timeline, total_ms

DEFAULT_RATE = 48_000
PCM_SUFFIXES = (".pcm", ".raw")
NOISE_LEVEL = 600  # of 32767: about -35 dB
CLICK_MS, CLICK_LEVEL, ACCENT_LEVEL = 20, 6000, 12000
MISSING_LEVEL, MISSING_HZ, MISSING_GATE_MS = 3000, 220, 250

Fill = Literal["source", "clicks", "noise", "missing"]


class PreviewProblem(Exception):
    """A problem with the sketch's inputs (no place in the source): exits 1, nothing written."""

    def __init__(self, problem: Diagnostic, exit_code: int = 1) -> None:
        super().__init__(problem.message)
        self.problem = problem
        self.exit_code = exit_code


def _problem(code: str, message: str, hint: str) -> Diagnostic:
    return error(code, message, hint=hint)


@dataclass
class Audio:
    """Decoded audio: interleaved 16-bit samples."""

    samples: array[int]
    rate: int
    channels: int

    @property
    def frames(self) -> int:
        return len(self.samples) // self.channels


@dataclass
class Segment:
    """Where one chunk landed in the sketch and what fills it."""

    index: int
    first_frame: int
    frames: int
    fill: Fill
    source_frames: int = 0  # of a kept slice: how many frames are the source's own


@dataclass
class Sketch:
    audio: Audio
    segments: list[Segment]
    diagnostics: list[Diagnostic] = field(default_factory=list)  # warnings, at their chunks
    problems: list[Diagnostic] = field(default_factory=list)  # warnings with no place


def parse_audio_options(values: tuple[str, ...] | list[str]) -> dict[str, Path]:
    """`NAME=PATH` pairs; E0804 (exit 2) for one without `=`, a name or a path, or a name
    given twice."""
    out: dict[str, Path] = {}
    for value in values:
        name, equals, path = value.partition("=")
        name = name.strip()
        if not equals or not name or not path:
            raise PreviewProblem(_problem(
                "E0804", f"--audio {value!r} is not NAME=PATH",
                "name a song of the plan and its audio file: --audio trailer=trailer.mp3"), 2)
        if name in out:
            raise PreviewProblem(_problem("E0804", f"--audio gives song {name!r} twice",
                                         "give each song's audio once"), 2)
        out[name] = Path(path)
    return out


def _raw_pcm(path: Path, data: bytes, pcm_rate: int, rate: int | None,
             channels: int | None) -> Audio:
    if len(data) % 2:
        raise PreviewProblem(_problem("E0802", f"{path} is not 16-bit PCM: it holds an odd "
                                     "number of bytes", "render it again, or give an mp3/wav"))
    samples = array("h")
    samples.frombytes(data)
    audio = Audio(samples, pcm_rate, 1)
    if (rate is None or rate == pcm_rate) and (channels is None or channels == 1):
        return audio
    return _convert(path, audio, rate or pcm_rate, channels or 1)


def _convert(path: Path, audio: Audio, rate: int, channels: int) -> Audio:
    import miniaudio

    try:
        converted = miniaudio.convert_frames(
            miniaudio.SampleFormat.SIGNED16, audio.channels, audio.rate,
            audio.samples.tobytes(), miniaudio.SampleFormat.SIGNED16, channels, rate)
    except miniaudio.MiniaudioError as exc:
        raise PreviewProblem(_problem(
            "E0805", f"{path} at {audio.rate} Hz cannot be converted to {rate} Hz: {exc}",
            "give audio at the first source's sample rate")) from None
    samples = array("h")
    samples.frombytes(bytes(converted))
    return Audio(samples, rate, channels)


def decode(path: Path, *, rate: int | None = None, channels: int | None = None,
           pcm_rate: int = DEFAULT_RATE) -> Audio:
    """The audio file at `path`, at `rate`/`channels` (default: its own). E0801 if it cannot
    be read, E0802 if it is not audio miniaudio decodes, E0809 without miniaudio."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise PreviewProblem(_problem("E0801", f"audio file {path} does not exist",
                                     "check the path given with --audio")) from None
    except OSError as exc:
        raise PreviewProblem(_problem("E0801", f"audio file {path} cannot be read: "
                                     f"{exc.strerror or exc}", "check the path and its "
                                     "permissions")) from None
    if path.suffix.lower() in PCM_SUFFIXES:
        return _raw_pcm(path, data, pcm_rate, rate, channels)
    try:
        import miniaudio
    except ImportError:
        raise PreviewProblem(_problem("E0809", "decoding audio needs miniaudio, which is not "
                                     "installed", "pip install 'musicplan[preview]'")) from None
    try:
        info = miniaudio.get_file_info(str(path))
        rate, channels = rate or info.sample_rate, channels or info.nchannels
        decoded = miniaudio.decode(data, output_format=miniaudio.SampleFormat.SIGNED16,
                                   nchannels=channels, sample_rate=rate)
    except (miniaudio.MiniaudioError, OSError) as exc:
        raise PreviewProblem(_problem(
            "E0802", f"{path} is not audio MPL can decode ({exc.args[0] if exc.args else exc})",
            "give an mp3, flac, ogg vorbis or wav file, or the API's raw pcm_* answer as "
            ".pcm")) from None
    samples = array("h")
    samples.frombytes(bytes(decoded.samples))
    if info.file_format == miniaudio.FileFormat.MP3:
        lead = round(mp3_lead(data) * rate / info.sample_rate) * channels
        del samples[:lead]
    return Audio(samples, rate, channels)


MP3_DELAY = 576 + 529  # LAME's encoder delay and an mp3 decoder's own, in samples


def mp3_lead(data: bytes) -> int:
    """The samples an mp3 decodes to before its song begins. A file with a Xing/Info tag says
    its encoder's delay there and the decoder skips it (0 left to trim); a stream written
    without one (as streamed answers are) starts with the usual 1105 samples of delay, which
    would put every cut about 23 ms late at 48 kHz."""
    start = 0
    if data[:3] == b"ID3" and len(data) >= 10:  # an ID3v2 tag before the first frame
        start = 10 + ((data[6] & 0x7F) << 21 | (data[7] & 0x7F) << 14
                      | (data[8] & 0x7F) << 7 | (data[9] & 0x7F))
    first_frame = data[start:start + 200]
    return 0 if b"Xing" in first_frame or b"Info" in first_frame else MP3_DELAY


def frame(ms: int | Fraction, rate: int) -> int:
    """The frame a time in ms falls on (nearest, halves up)."""
    return math.floor(Fraction(ms) * rate / 1000 + Fraction(1, 2))


def _interleave(mono: list[int], channels: int) -> array[int]:
    return array("h", [value for value in mono for _ in range(channels)])


def _tile(period: array[int], count: int) -> array[int]:
    """`count` samples of `period` repeated."""
    if count <= 0:
        return array("h")
    repeats = -(-count // len(period))
    return (period * repeats)[:count]


class _Placeholders:
    """The sounds of chunks that are not a source's audio, made once per sketch."""

    def __init__(self, rate: int, channels: int) -> None:
        self.rate, self.channels = rate, channels
        noise = random.Random(13)
        self.noise = _interleave([noise.randint(-NOISE_LEVEL, NOISE_LEVEL)
                                  for _ in range(rate)], channels)
        gate = frame(MISSING_GATE_MS, rate)
        tone = [round(MISSING_LEVEL * math.sin(2 * math.pi * MISSING_HZ * i / rate))
                for i in range(gate)]
        self.missing = _interleave(tone + [0] * gate, channels)
        length = frame(CLICK_MS, rate)

        def click(level: int, hz: int) -> array[int]:
            return _interleave([round(level * math.exp(-6 * i / length)
                                      * math.sin(2 * math.pi * hz * i / rate))
                                for i in range(length)], channels)

        self.click, self.accent = click(CLICK_LEVEL, 1000), click(ACCENT_LEVEL, 1600)

    def clicks(self, start_ms: int, first: int, frames: int, tempo: TempoInfo) -> array[int]:
        """Silence with a click on each beat of the finished song's grid inside the chunk."""
        out = array("h", bytes(2 * frames * self.channels))
        beat = math.ceil(Fraction(start_ms) / tempo.beat_ms)
        while True:
            at = frame(beat * tempo.beat_ms, self.rate) - first
            if at >= frames:
                return out
            sound = self.accent if beat % tempo.beats_per_bar == 0 else self.click
            end = min(len(sound), (frames - at) * self.channels)
            out[at * self.channels:at * self.channels + end] = sound[:end]
            beat += 1


def _song_audio(compilation: Compilation, sources: Mapping[str, Path],
                stored: Mapping[str, Path],
                pcm_rate: int) -> tuple[dict[str, Audio], int, int, list[Diagnostic]]:
    """Every source decoded at the first kept song's rate and channels (48 kHz mono when no
    kept song has audio): `sources` (--audio; E0803 for a name the plan does not declare),
    else the file the registry recorded (`stored`)."""
    plan = compilation.plan
    assert plan is not None
    problems: list[Diagnostic] = []
    check_names(compilation, sources)
    kept = list(dict.fromkeys(entry.song for entry in timeline(plan)
                              if entry.kind == "kept" and entry.song is not None))
    for name in sources:
        if name not in kept:
            problems.append(warning("W0803", f"--audio {name}: the plan keeps nothing of "
                                    f"song {name!r}; its audio is not used"))
    paths = {**{name: path for name, path in stored.items() if name in kept}, **sources}
    order = [name for name in kept if name in paths]
    if not order:
        return {}, DEFAULT_RATE, 1, problems
    first = decode(paths[order[0]], pcm_rate=pcm_rate)
    decoded = {order[0]: first}
    for name in order[1:]:
        decoded[name] = decode(paths[name], rate=first.rate, channels=first.channels,
                               pcm_rate=pcm_rate)
    return decoded, first.rate, first.channels, problems


def _kept(entry: TimelineEntry, audio: Audio, frames: int) -> tuple[array[int], int]:
    """The slice's own samples, and how many frames the file had of it."""
    assert entry.source_start_ms is not None
    start = frame(entry.source_start_ms, audio.rate)
    have = max(0, min(frames, audio.frames - start))
    channels = audio.channels
    return audio.samples[start * channels:(start + have) * channels], have


def check_names(compilation: Compilation, sources: Mapping[str, Path]) -> None:
    """E0803 (exit 2) for an `--audio NAME=PATH` whose NAME the plan does not declare."""
    plan = compilation.plan
    assert plan is not None
    for name in sources:
        if name not in plan.songs:
            known = ", ".join(sorted(plan.songs)) or "none"
            raise PreviewProblem(_problem("E0803", f"--audio names song {name!r}, which the "
                                         "plan does not declare",
                                         f"the plan's songs: {known}"), 2)


def build(compilation: Compilation, sources: Mapping[str, Path], *,
          stored: Mapping[str, Path] | None = None, pcm_rate: int = DEFAULT_RATE) -> Sketch:
    """The sketch of a compilation without errors; raises `PreviewProblem` for bad inputs.
    `sources`: song name → audio file given by the user; `stored`: the files the registry
    recorded, used for the songs `sources` does not name."""
    plan = compilation.plan
    if plan is None or not compilation.ok:
        raise ValueError("the source has errors; see .diagnostics")
    decoded, rate, channels, problems = _song_audio(compilation, sources, stored or {},
                                                    pcm_rate)
    entries = timeline(plan)
    sounds = _Placeholders(rate, channels)
    parts: list[array[int]] = []
    segments: list[Segment] = []
    diagnostics: list[Diagnostic] = []
    for entry in entries:
        first, last = frame(entry.start_ms, rate), frame(entry.end_ms, rate)
        frames = last - first
        if entry.kind == "kept":
            assert entry.song is not None
            audio = decoded.get(entry.song)
            if audio is None:
                fill: Fill = "missing"
                part, have = _tile(sounds.missing, frames * channels), 0
                diagnostics.append(warning(
                    "W0801", f"song {entry.song!r} has no local audio: chunk {entry.index + 1} "
                    "is a placeholder tone in the sketch", entry.span,
                    hint=f"give its audio with --audio {entry.song}=PATH (an mp3, wav or flac "
                    "of the stored song); `mpl render`/`mpl upload` record theirs in the "
                    "registry"))
            else:
                part, have = _kept(entry, audio, frames)
                fill = "source"
                if have < frames:
                    part = part + _tile(sounds.missing, (frames - have) * channels)
                    diagnostics.append(warning(
                        "W0802", f"the audio of song {entry.song!r} ends at "
                        f"{audio.frames * 1000 // audio.rate} ms, before this kept range "
                        f"does; the rest of chunk {entry.index + 1} is a placeholder tone",
                        entry.span, hint="check that the file is the whole stored song"))
            segments.append(Segment(entry.index, first, frames, fill, have))
        elif plan.tempo is not None:
            part = sounds.clicks(entry.start_ms, first, frames, plan.tempo)
            segments.append(Segment(entry.index, first, frames, "clicks"))
        else:
            part = _tile(sounds.noise, frames * channels)
            segments.append(Segment(entry.index, first, frames, "noise"))
        parts.append(part)
    samples = array("h")
    for part in parts:
        samples.extend(part)
    assert len(samples) == frame(total_ms(entries), rate) * channels
    return Sketch(Audio(samples, rate, channels), segments, diagnostics, problems)


def wav_bytes(audio: Audio) -> bytes:
    """The audio as a 16-bit PCM WAV file in memory."""
    buffer = io.BytesIO()
    _write(buffer, audio)
    return buffer.getvalue()


def _write(target: object, audio: Audio) -> None:
    with wave.open(target, "wb") as out:  # type: ignore[call-overload]
        out.setnchannels(audio.channels)
        out.setsampwidth(2)
        out.setframerate(audio.rate)
        samples = audio.samples
        if samples.itemsize != 2:
            raise AssertionError("16-bit samples expected")
        if sys.byteorder == "big":  # WAV is little-endian
            samples = array("h", samples)
            samples.byteswap()
        out.writeframes(samples.tobytes())


def write_wav(path: Path, audio: Audio) -> None:
    """Write atomically: `path` holds the whole sketch or is left as it was."""
    with AtomicFile(path) as atomic:
        _write(atomic.file, audio)


def envelope(audio: Audio) -> list[float]:
    """4 magnitudes a second (0…1000), as the API's `waveform_visual`: each quarter second's
    peak."""
    out = []
    quarter = 0
    while (start := frame(250 * quarter, audio.rate)) < audio.frames:
        end = min(frame(250 * (quarter + 1), audio.rate), audio.frames)
        part = audio.samples[start * audio.channels:end * audio.channels]
        out.append(max(max(part), -min(part)) * 1000 / 32768)
        quarter += 1
    return out
