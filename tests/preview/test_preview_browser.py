"""The exported HTML in a real browser: headless Chromium (Debian's `chromium`, which
.ci/run installs) loads the page as written, and a probe reads the laid-out boxes.

The page forbids scripts (its content security policy), so the probe runs in a wrapper
page that holds the exported file, unchanged, in a 1280 px wide frame."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest
from musicplan.pipeline import compile_text
from musicplan.preview import picture
from test_preview_picture import PLAN

CHROMIUM = shutil.which("chromium")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed "
                                "(.ci/run installs it)")

PROBE = """<!doctype html><html><body style="margin:0">
<iframe id="page" src="timeline.html" style="width:1280px;height:1000px;border:0"></iframe>
<script>
window.addEventListener("load", () => {
  const doc = document.getElementById("page").contentDocument;
  const box = (e) => { const r = e.getBoundingClientRect();
                       return {left: r.left, width: r.width, top: r.top, height: r.height}; };
  const out = {
    chunks: [...doc.querySelectorAll(".chunk")].map((g) => ({
      ...box(g.querySelector("rect")), start: +g.dataset.startMs, end: +g.dataset.endMs,
      kind: g.dataset.kind, fill: getComputedStyle(g.querySelector("rect")).fill})),
    ranges: [...doc.querySelectorAll(".source-range")].map((e) => ({
      ...box(e), song: e.dataset.song, start: +e.dataset.startMs, end: +e.dataset.endMs})),
    bars: [...doc.querySelectorAll(".bar-line")].map((e) => ({
      ...box(e), bar: +e.dataset.bar})),
    page: {scrollWidth: doc.documentElement.scrollWidth,
           ink: getComputedStyle(doc.body).color,
           background: getComputedStyle(doc.body).backgroundColor},
    resources: doc.defaultView.performance.getEntriesByType("resource").length,
  };
  const pre = document.createElement("pre"); pre.id = "probe";
  pre.textContent = JSON.stringify(out); document.body.appendChild(pre);
});
</script></body></html>
"""


def _probe(page: str, *, dark: bool = False) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "timeline.html").write_text(page, encoding="utf-8")
        (root / "probe.html").write_text(PROBE, encoding="utf-8")
        profile = root / "profile"
        assert CHROMIUM is not None
        done = subprocess.run(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--no-first-run", f"--user-data-dir={profile}", "--allow-file-access-from-files",
             "--virtual-time-budget=5000", "--window-size=1300,1100",
             f"--blink-settings=preferredColorScheme={0 if dark else 1}",
             "--dump-dom", (root / "probe.html").as_uri()],
            capture_output=True, text=True, timeout=120, check=False)
    found = re.search(r'<pre id="probe">(.*?)</pre>', done.stdout, re.S)
    assert found, f"no probe output; chromium said: {done.stderr[-2000:]}"
    text = found.group(1).replace("&quot;", '"').replace("&amp;", "&")
    return json.loads(text.replace("&lt;", "<").replace("&gt;", ">"))


@pytest.fixture(scope="module")
def page() -> str:
    result = compile_text(PLAN, "t.mpl")
    assert result.ok
    return picture.html(picture.build(result))


@pytest.fixture(scope="module")
def light(page: str) -> dict[str, Any]:
    return _probe(page)


def test_laid_out_boxes_are_proportional_to_their_times(light: dict[str, Any]) -> None:
    chunks = light["chunks"]
    assert [(c["start"], c["end"]) for c in chunks] == [
        (0, 4000), (4000, 8000), (8000, 10000), (10000, 12000), (12000, 13000), (13000, 21000)]
    origin = chunks[0]["left"]
    scale = (chunks[-1]["left"] + chunks[-1]["width"] - origin) / 21000
    assert scale > 0.04  # 21 s across most of 1280 px
    for chunk in chunks:
        assert chunk["left"] == pytest.approx(origin + chunk["start"] * scale, abs=0.5)
        assert chunk["width"] == pytest.approx((chunk["end"] - chunk["start"]) * scale, abs=0.5)
        assert chunk["top"] == chunks[0]["top"] and chunk["height"] > 20
    # the source lanes share the scale and sit below the finished song
    for source in light["ranges"]:
        assert source["left"] == pytest.approx(origin + source["start"] * scale, abs=0.5)
        assert source["width"] == pytest.approx((source["end"] - source["start"]) * scale,
                                                abs=0.5)
        assert source["top"] > chunks[0]["top"] + chunks[0]["height"]
    for bar in light["bars"]:
        assert bar["left"] == pytest.approx(origin + (bar["bar"] - 1) * 2000 * scale, abs=1)


def test_colours_by_kind_and_readable_at_1280(light: dict[str, Any]) -> None:
    fills = {c["kind"]: c["fill"] for c in light["chunks"]}
    assert len(set(fills.values())) == 3
    assert light["page"]["scrollWidth"] <= 1280
    assert max(c["left"] + c["width"] for c in light["chunks"]) <= 1280


def test_no_request_leaves_the_page(light: dict[str, Any]) -> None:
    assert light["resources"] == 0


def test_a_dark_theme(page: str, light: dict[str, Any]) -> None:
    dark = _probe(page, dark=True)
    assert dark["page"]["background"] != light["page"]["background"]
    assert dark["page"]["ink"] != light["page"]["ink"]
    assert [c["fill"] for c in dark["chunks"]] != [c["fill"] for c in light["chunks"]]
    assert [(c["left"], c["width"]) for c in dark["chunks"]] == \
        [(c["left"], c["width"]) for c in light["chunks"]]
