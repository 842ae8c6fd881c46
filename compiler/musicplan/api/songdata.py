"""The bulky half of a song's record: word timestamps, the waveform, the audio file and the
seed, kept in a JSON sidecar so `songs.mpl` stays readable MPL.

Each song's data is one file in the folder `<registry stem>.data/` beside the registry, named
`<song>-<hash of its content>.json`; the registry names it in a `# data: …` comment line
just above the song's declaration. A new content gets a new file name, written (atomically)
before the registry that names it, and the file it replaces is removed after: the registry
always names a complete file that belongs to it, whatever stops the update midway.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..files import read_regular, write_atomically
from ..resolve.ir import Word
from ..resolve.sung import DATA_PREFIX, words_from

__all__ = ["DATA_PREFIX", "SongData", "Word", "words_from"]

# a file this module wrote, and so may remove: NAME-HASH.json inside the data folder
_OWN_FILE = re.compile(r"[A-Za-z0-9_]+-[0-9a-f]{12}\.json")
WAVEFORM_RATE = 4  # values a second (music-v2.md, "Newer facts": with_waveform_visual)
WAVEFORM_PEAK = 1000


@dataclass(frozen=True)
class SongData:
    """What a song's sidecar holds; each part may be missing (empty or None)."""

    words: tuple[Word, ...] = ()
    waveform: tuple[int, ...] = ()
    audio_path: Path | None = None
    seed: int | None = None

    def __bool__(self) -> bool:
        return bool(self.words or self.waveform or self.audio_path or self.seed is not None)


def data_folder(registry: Path) -> Path:
    """`songs.mpl` → `songs.data/`, beside it."""
    return registry.with_name(f"{registry.stem}.data")


def _ms(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def waveform_from(raw: Any) -> tuple[int, ...]:
    """The server's `waveform_visual` (numbers −1000…1000, 4 a second), clamped; () if it is
    not a list of numbers."""
    if not isinstance(raw, list) or not all(
            isinstance(v, int | float) and not isinstance(v, bool) for v in raw):
        return ()
    return tuple(max(-WAVEFORM_PEAK, min(WAVEFORM_PEAK, round(v))) for v in raw)


def from_answer(answer: Mapping[str, Any] | None) -> SongData:
    """The words and waveform of an upload answer or a detailed render's JSON part."""
    answer = answer or {}
    return SongData(words=words_from(answer.get("words_timestamps")),
                    waveform=waveform_from(answer.get("waveform_visual")))


def to_json(data: SongData, song: str, song_id: str, registry: Path) -> str:
    """The sidecar's text; the audio path is relative to the registry's folder when it can be."""
    audio = None
    if data.audio_path is not None:
        audio = str(data.audio_path)
        try:
            audio = str(data.audio_path.resolve().relative_to(registry.resolve().parent))
        except ValueError:
            audio = str(data.audio_path.resolve())
    content = {"song": song, "song_id": song_id, "audio_path": audio, "seed": data.seed,
               "words_timestamps": [{"word": w.word, "start_ms": w.start_ms,
                                     "end_ms": w.end_ms} for w in data.words],
               "waveform_visual": list(data.waveform)}
    return json.dumps(content, ensure_ascii=False, indent=1) + "\n"


def write(registry: Path, song: str, song_id: str, data: SongData) -> Path:
    """Write the sidecar for `song` (atomically, under a name made from its content) and
    return its path; the registry is written after, naming it."""
    text = to_json(data, song, song_id, registry)
    digest = hashlib.sha256(text.encode()).hexdigest()[:12]
    path = data_folder(registry) / f"{song}-{digest}.json"
    write_atomically(path, text)
    return path


def reference(registry: Path, sidecar: Path) -> str:
    """The `# data: …` line naming `sidecar`, relative to the registry's folder."""
    return DATA_PREFIX + sidecar.relative_to(registry.parent).as_posix()


def named_in(registry: Path, comment: str) -> Path | None:
    """The sidecar a `# data: …` comment names (None for any other comment)."""
    if not comment.startswith(DATA_PREFIX):
        return None
    return registry.parent / comment[len(DATA_PREFIX):].strip()


def remove_if_own(registry: Path, sidecar: Path) -> None:
    """Remove a sidecar this module wrote (in the data folder, named NAME-HASH.json) that
    the registry no longer names; anything else is left alone."""
    folder = data_folder(registry).resolve()
    if sidecar.resolve().parent == folder and _OWN_FILE.fullmatch(sidecar.name):
        sidecar.unlink(missing_ok=True)


def read(sidecar: Path, registry: Path) -> SongData:
    """The data in `sidecar`; ValueError (with the reason) if it cannot be read."""
    try:
        loaded = json.loads(read_regular(sidecar))
    except OSError as exc:
        raise ValueError(f"cannot read {sidecar}: {exc.strerror or exc}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"{sidecar} is not JSON ({exc})") from None
    if not isinstance(loaded, dict):
        raise ValueError(f"{sidecar} is not a JSON object")
    audio = loaded.get("audio_path")
    seed = loaded.get("seed")
    return SongData(words=words_from(loaded.get("words_timestamps")),
                    waveform=waveform_from(loaded.get("waveform_visual")),
                    audio_path=registry.parent / audio if isinstance(audio, str) and audio
                    else None,
                    seed=seed if _ms(seed) else None)


# ---- showing a song ------------------------------------------------------------------

BARS = "▁▂▃▄▅▆▇█"


def sparkline(waveform: Sequence[int], width: int = 48) -> str:
    """The waveform as one line of block characters, `width` wide at most (the loudest
    value of each stretch of the song)."""
    if not waveform:
        return ""
    count = min(width, len(waveform))
    peaks = []
    for column in range(count):
        lo = column * len(waveform) // count
        hi = max(lo + 1, (column + 1) * len(waveform) // count)
        peaks.append(max(abs(v) for v in waveform[lo:hi]))
    top = max(peaks) or 1
    return "".join(BARS[min(len(BARS) - 1, peak * len(BARS) // (top + 1))] for peak in peaks)


def first_line(words: Sequence[Word], pause_ms: int = 1000, most: int = 10) -> str:
    """The first sung line: the first words up to a pause of `pause_ms` or more (or `most`
    words)."""
    line: list[str] = []
    previous_end = 0
    for word in words:
        if line and (word.start_ms - previous_end >= pause_ms or len(line) >= most):
            break
        line.append(word.word)
        previous_end = word.end_ms
    return " ".join(line)
