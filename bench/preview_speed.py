"""How long the previews take at the API's limits: prints figures, asserts nothing.

(a) `picture.build` + `svg` for a 30-chunk, 10-minute plan at 999 bpm (2,500 bar lines);
(b) `sketch.build` for a 10-minute plan of 30 chunks, half kept from a 10-minute 48 kHz
    stereo WAV source, half generated (clicks at 120 bpm), then the WAV written;
(c) `sketch.envelope` of that source (the waveform drawn by `explain --audio`).

    python bench/preview_speed.py
"""

from __future__ import annotations

import math
import tempfile
import time
import wave
from array import array
from pathlib import Path

from musicplan.pipeline import compile_text
from musicplan.preview import picture, sketch

RATE = 48_000


def plan(tempo: int) -> str:
    lines = [f"tempo {tempo} 4/4", 'song a = "Ab12Cd34Ef56Gh78Ij90" length=10:00']
    for index in range(30):
        if index % 2:
            lines.append(f'gen "Part {index}" 20s styles["a", "b", "c", "d", "e", "f", "g"]')
        else:
            lines.append(f"keep a {index * 20}s-{index * 20 + 20}s")
    return "\n".join(lines) + "\n"


def source(folder: Path) -> Path:
    second = array("h", [round(8000 * math.sin(2 * math.pi * 440 * i / RATE))
                         for i in range(RATE) for _ in range(2)])
    path = folder / "a.wav"
    with wave.open(str(path), "wb") as out:
        out.setnchannels(2)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes((second * 600).tobytes())
    return path


def timed(what: str, run):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = run()
    print(f"{what}: {time.perf_counter() - start:.3f} s")
    return result


def main() -> None:
    busy = compile_text(plan(999), "bench.mpl")
    timed("(a) picture, 30 chunks, 10 min, 999 bpm", lambda: picture.svg(picture.build(busy)))
    with tempfile.TemporaryDirectory() as folder:
        path = source(Path(folder))
        compiled = compile_text(plan(120), "bench.mpl")
        made = timed("(b) sketch, 10 min, 48 kHz stereo",
                     lambda: sketch.build(compiled, {"a": path}))
        timed("(b) writing the WAV", lambda: sketch.write_wav(Path(folder) / "out.wav",
                                                             made.audio))
        audio = sketch.decode(path)
        timed("(c) envelope of 10 min, 48 kHz stereo", lambda: sketch.envelope(audio))


if __name__ == "__main__":
    main()
