"""How `mpl check` grows with its input (issue 17): prints figures, asserts nothing.

(a) lexing one `gen` line and N comment lines, N = 2,000 and 20,000 (target: within 12×;
    a lyric token that scanned ahead over comment lines made it quadratic);
(b) a 1 MB string literal: bytes of memory per character, by tracemalloc (target ≤ 20;
    it was about 530);
(c) `mpl check` on 1k, 10k and 100k lines of each shape (declarations each with a W0201
    warning, chunks, comment lines, blank lines): seconds, the ratio 100k/10k (target ≤ 11),
    and the peak memory of the process for 100k lines (target ≤ 300 MB).

Each `mpl check` runs in a fresh interpreter (`--child FILE`) that reports its own time and
peak resident memory, so no size shares a heap with another. 1k and 10k take the best of
three runs; 100k runs once. The whole bench takes a minute or two.

    python bench/scaling.py
"""

from __future__ import annotations

import argparse
import contextlib
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

SIZES = (1_000, 10_000, 100_000)
CHUNK = 'gen "Intro" 30s styles["techno", "dark"]\n'


def declarations(lines: int) -> str:
    return CHUNK + "".join(f"let a{index} = 5s\n" for index in range(lines - 1))


def chunks(lines: int) -> str:
    return "".join(f'gen "Part {index}" 10s styles["techno", "dark"]\n' for index in range(lines))


def comments(lines: int) -> str:
    return CHUNK + "# a comment line, as long as a line of prose in a plan\n" * (lines - 1)


def blank_lines(lines: int) -> str:
    return CHUNK + "\n" * (lines - 1)


SHAPES: dict[str, Callable[[int], str]] = {
    "declarations with warnings": declarations, "chunks": chunks,
    "comment lines": comments, "blank lines": blank_lines,
}


def child(path: str) -> None:
    """Check `path` in this process; print seconds and peak resident megabytes."""
    import resource

    from musicplan.cli import main

    start = time.perf_counter()
    with contextlib.suppress(SystemExit):
        main(["check", path], standalone_mode=False)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    megabytes = peak / 2**20 if sys.platform == "darwin" else peak / 2**10  # bytes or KiB
    print(f"{seconds} {megabytes}", file=sys.__stdout__)


def check(path: Path) -> tuple[float, float]:
    """(seconds, peak MB) of `mpl check path`, in a fresh interpreter."""
    result = subprocess.run([sys.executable, __file__, "--child", str(path)], check=True,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    seconds, megabytes = result.stdout.split()[-2:]
    return float(seconds), float(megabytes)


def lexing() -> None:
    from musicplan.syntax.parse import parse

    times = {}
    for count in (2_000, 20_000):
        text = CHUNK + "# a comment line\n" * count
        runs = []
        for _ in range(5):
            start = time.perf_counter()
            parse(text)
            runs.append(time.perf_counter() - start)
        times[count] = min(runs)
    ratio = times[20_000] / times[2_000]
    print(f"(a) lexing 2,000 comment lines {times[2_000] * 1000:.0f} ms, 20,000: "
          f"{times[20_000] * 1000:.0f} ms: {ratio:.1f}x (target <= 12x)")


def string_memory() -> None:
    from musicplan.syntax.parse import parse

    size = 1_000_000
    text = f'let s = "{"a" * size}"\ngen "Intro" 30s styles[s]\n'
    parse('let s = "warm up"\n')
    tracemalloc.start()
    parse(text)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(f"(b) a 1 MB string literal: {peak / size:.1f} bytes of memory per character "
          "(target <= 20)")


def growth() -> None:
    print("(c) mpl check, seconds by lines (best of 3 below 100k); ratio 100k/10k "
          "(target <= 11); peak MB at 100k (target <= 300)")
    with tempfile.TemporaryDirectory() as folder:
        for name, shape in SHAPES.items():
            seconds, peak = {}, 0.0
            for lines in SIZES:
                path = Path(folder) / f"{lines}.mpl"
                path.write_text(shape(lines), encoding="utf-8")
                runs = [check(path) for _ in range(1 if lines == SIZES[-1] else 3)]
                seconds[lines] = min(run[0] for run in runs)
                peak = max(run[1] for run in runs)
            figures = "  ".join(f"{lines // 1000}k {seconds[lines]:6.2f} s" for lines in SIZES)
            ratio = seconds[SIZES[-1]] / seconds[SIZES[-2]]
            print(f"  {name:<27} {figures}  ratio {ratio:4.1f}  peak {peak:5.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", metavar="FILE", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    start = time.perf_counter()
    lexing()
    string_memory()
    growth()
    print(f"(the bench took {time.perf_counter() - start:.0f} s)")


if __name__ == "__main__":
    main()
