"""Language server re-check time: prints figures, asserts nothing (machines here are noisy).

After an edit to a 30-chunk file the server compiles it again and publishes diagnostics.
(a) in process: compile + LSP diagnostics, median (target ≤ 10 ms);
(b) in process: that plus the inlay hints and semantic tokens an editor asks for next;
(c) over stdio (`mpl lsp`, debounce off): didChange → publishDiagnostics, median;
(d) the server's memory (RSS, from /proc) after 10 and after 1,000 edits of one document
    (target: within 15 MB of each other: no version keeps the one before it alive).

    python bench/lsp_recheck.py [--runs 101] [--edits 1000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from lsp_client import LspClient  # noqa: E402
from musicplan.editor.lsp import inlay, tokens  # noqa: E402
from musicplan.editor.lsp.diagnostics import lsp_diagnostics  # noqa: E402
from musicplan.editor.lsp.document import Analysis  # noqa: E402

URI = (ROOT / "bench" / "thirty.mpl").as_uri()  # never written: the text lives in memory


def thirty_chunks(edit: int) -> str:
    """A 30-chunk file; `edit` changes one label, as typing would."""
    lines = ['song s = "vVtPM1Sas70E2LIhQFch" length=10:00 {', "  intro 0-15s", "}"]
    for index in range(15):
        lines.append(f"keep {index * 10}s-{index * 10 + 8}s")
        label = f"Part {index}" + (f" v{edit}" if index == 7 else "")
        lines.append(f'gen "{label}" 12s styles["cinematic", "epic", "orchestral", '
                     f'"low strings", "brass", "choir", "D minor"] avoid["vocals"] '
                     f"adherence=medium")
        lines.append(f"  | line {index} of the lyric")
    return "\n".join(lines) + "\n"


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def in_process(runs: int, full: bool) -> float:
    samples = []
    for edit in range(runs):
        text = thirty_chunks(edit)
        start = time.perf_counter()
        analysis = Analysis(URI, text, edit)
        lsp_diagnostics(analysis)
        if full:
            inlay.inlay_hints(analysis)
            tokens.semantic_tokens(analysis)
        samples.append(time.perf_counter() - start)
    return median_ms(samples)


def over_stdio(runs: int) -> float:
    client = LspClient(env={**os.environ, "MPL_LSP_DEBOUNCE_MS": "0"})
    try:
        client.initialize()
        client.open(URI, thirty_chunks(0))
        samples = []
        for edit in range(1, runs + 1):
            start = time.perf_counter()
            client.change(URI, thirty_chunks(edit), version=edit + 1)
            samples.append(time.perf_counter() - start)
    finally:
        client.close()
    return median_ms(samples)


def rss_mb(pid: int) -> float | None:
    """A process's resident memory in MB (None where /proc is not there)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return None


def memory(edits: int) -> tuple[float | None, float | None]:
    """The server's RSS after 10 edits and after `edits` edits of one document."""
    client = LspClient(env={**os.environ, "MPL_LSP_DEBOUNCE_MS": "0"})
    after_ten = None
    try:
        client.initialize()
        client.open(URI, thirty_chunks(0))
        for edit in range(1, edits + 1):
            client.change(URI, thirty_chunks(edit), version=edit + 1)
            if edit % 2 == 0:  # completion and hovers are asked for as one types
                client.at("textDocument/completion", URI, 4, 0)
            if edit == 10:
                after_ten = rss_mb(client.process.pid)
        return after_ten, rss_mb(client.process.pid)
    finally:
        client.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=101)
    parser.add_argument("--edits", type=int, default=1000)
    arguments = parser.parse_args()
    runs = arguments.runs
    in_process(5, True)  # warm the parser and the caches
    analysis = Analysis(URI, thirty_chunks(0))
    assert len(analysis.timeline) == 30 and not lsp_diagnostics(analysis), "bench file is bad"
    print(f"re-check of a 30-chunk file, median of {runs} edits")
    print(f"  (a) compile + diagnostics:               {in_process(runs, False):6.2f} ms"
          "  (target ≤ 10 ms)")
    print(f"  (b) + inlay hints + semantic tokens:     {in_process(runs, True):6.2f} ms")
    print(f"  (c) over stdio, didChange → diagnostics: {over_stdio(runs):6.2f} ms")
    first, last = memory(arguments.edits)
    if first is None or last is None:
        print("  (d) server memory: not measured (no /proc)")
    else:
        print(f"  (d) server RSS after 10 edits {first:6.1f} MB, after {arguments.edits} "
              f"{last:6.1f} MB: +{last - first:.1f} MB  (target ≤ 15 MB)")


if __name__ == "__main__":
    main()
