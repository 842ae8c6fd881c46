"""Compile speed: prints figures, asserts nothing (machines here are noisy).

(a) `mpl compile` cold start against `python -c pass`, as a ratio of medians (target ≤ 5);
(b) in-process compile of a 30-chunk file, median (target ≤ 2 ms);
(c) where a cold start goes: each stage's median share, measured in fresh interpreters.

    python bench/compile_speed.py [--runs 31]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "similar.mpl"


def thirty_chunks() -> str:
    lines = ['song s = "vVtPM1Sas70E2LIhQFch" length=10:00 {', "  intro 0-15s", "}"]
    for index in range(15):
        lines.append(f"keep {index * 10}s-{index * 10 + 8}s")
        lines.append(f'gen "Part {index}" 12s styles["cinematic", "epic", "orchestral", '
                     f'"low strings", "brass", "choir", "D minor"] avoid["vocals"] '
                     f"adherence=medium")
        lines.append(f"  | line {index} of the lyric")
    return "\n".join(lines) + "\n"


# An installed wheel has its .pyc files written by pip; measure that, not a fresh compile.
ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


def wall(command: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=ENV)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


# Run in a fresh interpreter: the time of each stage of `mpl compile`, in order.
STAGES = """
import sys, time
marks = [time.perf_counter()]
import click
marks.append(time.perf_counter())
import musicplan.syntax._mpl_parser
marks.append(time.perf_counter())
import musicplan.cli.compile_cmd, musicplan.pipeline
marks.append(time.perf_counter())
musicplan.syntax.parse._parser()
marks.append(time.perf_counter())
result = musicplan.pipeline.compile_path(__import__("pathlib").Path(sys.argv[1]))
musicplan.cli.common.dump_json(result.plan_json())
marks.append(time.perf_counter())
print(" ".join(str(b - a) for a, b in zip(marks, marks[1:])))
"""
STAGE_NAMES = ("import click", "import the parser module", "import the compiler",
               "build the parser tables", "compile + JSON")


def stages(runs: int) -> None:
    samples = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", STAGES, str(EXAMPLE)], check=True,
                             capture_output=True, text=True, env=ENV).stdout
        samples.append([float(x) for x in out.split()])
    for index, name in enumerate(STAGE_NAMES):
        median = statistics.median(sample[index] for sample in samples)
        print(f"  {name:<26}{median * 1000:8.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=31)
    args = parser.parse_args()
    mpl = shutil.which("mpl")
    command = [mpl] if mpl else [sys.executable, "-m", "musicplan.cli"]
    wall([*command, "compile", str(EXAMPLE)], 3)  # warm the OS cache and .pyc files
    baseline = wall([sys.executable, "-c", "pass"], args.runs)
    cold = wall([*command, "compile", str(EXAMPLE)], args.runs)
    print(f"python -c pass          {baseline * 1000:8.1f} ms (median of {args.runs})")
    print(f"mpl compile (cold)      {cold * 1000:8.1f} ms (median of {args.runs})")
    print(f"ratio                   {cold / baseline:8.2f}    (target <= 5)")
    print("where a cold start goes (after the interpreter's own start):")
    stages(args.runs)

    from musicplan.pipeline import compile_text

    source = thirty_chunks()
    result = compile_text(source, "thirty.mpl")
    assert result.ok and len(result.plan_json()["chunks"]) == 30, result.diagnostics
    times = []
    for _ in range(max(200, args.runs)):
        start = time.perf_counter()
        compile_text(source, "thirty.mpl").plan_json()
        times.append(time.perf_counter() - start)
    print(f"in-process, 30 chunks   {statistics.median(times) * 1000:8.3f} ms (median of "
          f"{len(times)}; target <= 2 ms)")


if __name__ == "__main__":
    main()
