"""Compile speed (issue 12): prints each figure with its target, one line each; asserts
nothing (machines here are noisy, so the start-up figure is a ratio of paired runs).

  1. `mpl compile` cold ÷ `python -c pass`: medians of interleaved runs (target ≤ 5);
  2. in-process compile of the 30-chunk bench file, median (target ≤ 3 ms);
  3. in-process compile of a maximal file: 30 generation chunks × 10 styles with lyrics,
     about 1,100 tokens, median (target ≤ 6 ms);
  4. `mpl check` on 100k lines ÷ on 10k lines, 30-chunk lines (bench/scaling.py), in fresh
     interpreters (target ≤ 11: linear);
  5. the peak memory of `mpl check` on those 100k lines (target ≤ 300 MB);
  6. the language server's re-check after an edit of the 30-chunk file, over stdio
     (bench/lsp_recheck.py), median (target ≤ 5 ms);
then where a cold start goes, stage by stage, measured in fresh interpreters.

    python bench/compile_speed.py [--runs 31] [--quick]    # --quick: skips 4-6
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "similar.mpl"
sys.path.insert(0, str(Path(__file__).resolve().parent))


def thirty_chunks() -> str:
    lines = ['song s = "vVtPM1Sas70E2LIhQFch" length=10:00 {', "  intro 0-15s", "}"]
    for index in range(15):
        lines.append(f"keep {index * 10}s-{index * 10 + 8}s")
        lines.append(f'gen "Part {index}" 12s styles["cinematic", "epic", "orchestral", '
                     f'"low strings", "brass", "choir", "D minor"] avoid["vocals"] '
                     f"adherence=medium")
        lines.append(f"  | line {index} of the lyric")
    return "\n".join(lines) + "\n"


def maximal() -> str:
    """The largest plan the API takes, near enough: 30 generation chunks, each with 10
    styles, two to avoid and three lyric lines (about 1,100 tokens)."""
    lines = []
    for index in range(30):
        styles = ", ".join(f'"style number {style} of part {index}"' for style in range(10))
        lines.append(f'gen "Part {index}" 10s styles[{styles}] avoid["vocals", "drums"] '
                     "adherence=high")
        lines.extend(f"  | line {line} of verse {index}, sung softly over the strings"
                     for line in range(3))
    return "\n".join(lines) + "\n"


# An installed wheel has its .pyc files written by pip; measure that, not a fresh compile.
ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


def run_once(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=ENV)
    return time.perf_counter() - start


def cold_start(runs: int) -> None:
    """Figure 1: `python -c pass` and `mpl compile` in turn, so a drift in the machine's
    speed touches both alike."""
    mpl = shutil.which("mpl")
    command = [mpl] if mpl else [sys.executable, "-m", "musicplan.cli"]
    compile_ = [*command, "compile", str(EXAMPLE)]
    bare = [sys.executable, "-c", "pass"]
    for _ in range(3):  # warm the OS cache and write the .pyc files
        run_once(compile_)
    baseline, cold = [], []
    for _ in range(runs):
        baseline.append(run_once(bare))
        cold.append(run_once(compile_))
    ratio = statistics.median(cold) / statistics.median(baseline)
    print(f"1. mpl compile cold / python -c pass  {ratio:8.2f}     (target <= 5)   "
          f"[{statistics.median(cold) * 1000:.1f} ms / {statistics.median(baseline) * 1000:.1f}"
          f" ms, medians of {runs} interleaved runs]")


def in_process(runs: int) -> None:
    """Figures 2 and 3."""
    from musicplan.pipeline import compile_text

    for number, (name, source, target) in enumerate(
            (("30-chunk bench file", thirty_chunks(), 3),
             ("maximal file", maximal(), 6)), start=2):
        result = compile_text(source, "bench.mpl")
        assert result.ok and len(result.plan_json()["chunks"]) == 30, result.diagnostics
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            compile_text(source, "bench.mpl").plan_json()
            times.append(time.perf_counter() - start)
        print(f"{number}. in-process compile, {name:<20}{statistics.median(times) * 1000:8.2f} ms"
              f"  (target <= {target} ms)   [median of {runs}]")


def check_growth() -> None:
    """Figures 4 and 5: `mpl check` on 10k and 100k lines, each in a fresh interpreter."""
    import scaling

    with tempfile.TemporaryDirectory() as folder:
        figures = {}
        for lines in (10_000, 100_000):
            path = Path(folder) / f"{lines}.mpl"
            path.write_text(scaling.chunks(lines), encoding="utf-8")
            runs = [scaling.check(path) for _ in range(3 if lines == 10_000 else 1)]
            figures[lines] = (min(run[0] for run in runs), max(run[1] for run in runs))
    (small, _), (large, peak) = figures[10_000], figures[100_000]
    print(f"4. mpl check 100k lines / 10k lines   {large / small:8.2f}     (target <= 11)  "
          f"[{large:.2f} s / {small:.2f} s]")
    print(f"5. peak memory, mpl check 100k lines  {peak:8.0f} MB  (target <= 300 MB)")


def lsp_recheck(runs: int) -> None:
    """Figure 6."""
    import lsp_recheck as lsp

    lsp.in_process(5, False)  # warm up
    print(f"6. LSP re-check after an edit, stdio  {lsp.over_stdio(runs):8.2f} ms  "
          f"(target <= 5 ms)   [median of {runs} edits]")


# Run in a fresh interpreter: the time of each stage of `mpl compile`, in order.
STAGES = """
import sys, time
marks = [time.perf_counter()]
import click
marks.append(time.perf_counter())
import musicplan.syntax.parse
marks.append(time.perf_counter())
import musicplan.cli.compile_cmd, musicplan.pipeline
marks.append(time.perf_counter())
result = musicplan.pipeline.compile_path(__import__("pathlib").Path(sys.argv[1]))
musicplan.cli.common.dump_json(result.plan_json())
marks.append(time.perf_counter())
print(" ".join(str(b - a) for a, b in zip(marks, marks[1:])))
"""
STAGE_NAMES = ("import click", "import the parser + tables", "import the compiler",
               "compile + JSON")


def stages(runs: int) -> None:
    samples = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", STAGES, str(EXAMPLE)], check=True,
                             capture_output=True, text=True, env=ENV).stdout
        samples.append([float(x) for x in out.split()[-len(STAGE_NAMES):]])
    print("where a cold start goes (after the interpreter's own start; medians):")
    for index, name in enumerate(STAGE_NAMES):
        median = statistics.median(sample[index] for sample in samples)
        print(f"   {name:<28}{median * 1000:8.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=31)
    parser.add_argument("--quick", action="store_true", help="figures 1-3 only")
    args = parser.parse_args()
    cold_start(args.runs)
    in_process(max(200, args.runs))
    if not args.quick:
        check_growth()
        lsp_recheck(max(51, args.runs))
    stages(args.runs)


if __name__ == "__main__":
    main()
