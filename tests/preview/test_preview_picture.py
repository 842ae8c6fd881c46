"""`mpl explain --format svg|html`: the picture's data-attribute contract and its geometry,
read from the SVG and the HTML as written (docs/preview.md)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner
from musicplan.cli import main
from musicplan.pipeline import compile_text
from musicplan.preview import picture
from musicplan.timeline import timeline

NS = {"svg": "http://www.w3.org/2000/svg"}
ROOT = Path(__file__).resolve().parents[2]

PLAN = """\
tempo 120 4/4
song a = "Ab12Cd34Ef56Gh78Ij90" length=20s {
  intro 0-4s
  verse 4s-12s
  outro 12s-20s
}
song b = "Zz12Yy34Xx56Ww78Vv90" length=12s

keep a intro
gen "Glue" 4s styles["smooth transition", "lo-fi hip hop", "vinyl crackle", "warm", "mellow",
                    "slow", "tape"] like b 2s-8s
keep a 4s-6s
keep a 4s-6s
keep b 0-1s
gen "End" 8s styles["lo-fi hip hop", "fading"]
  | the last line
  | a second line
"""


def _compile(text: str = PLAN):
    result = compile_text(text, "t.mpl")
    assert result.ok, result.diagnostics
    return result


def _svg(text: str = PLAN, envelopes=None) -> ET.Element:
    return ET.fromstring(picture.svg(picture.build(_compile(text), envelopes)))


def _all(root: ET.Element, cls: str) -> list[ET.Element]:
    return [e for e in root.iter() if cls in (e.get("class") or "").split()]


def test_every_chunk_is_a_box_with_the_contract_attributes() -> None:
    root = _svg()
    entries = timeline(_compile().plan)
    chunks = _all(root, "chunk")
    assert [c.get("data-index") for c in chunks] == [str(e.index) for e in entries]
    assert [(c.get("data-kind"), int(c.get("data-start-ms")), int(c.get("data-end-ms")),
             c.get("data-label")) for c in chunks] == [
        ("kept", 0, 4000, "intro"), ("conditioned", 4000, 8000, "Glue"),
        ("kept", 8000, 10000, ""), ("kept", 10000, 12000, ""), ("kept", 12000, 13000, ""),
        ("new", 13000, 21000, "End")]
    title = chunks[1].find("svg:title", NS).text
    assert "styles: smooth transition, lo-fi hip hop" in title
    assert "like: b 0:02–0:08" in title and "line: t.mpl:10" in title
    assert "text: the last line" in chunks[5].find("svg:title", NS).text
    assert "a second line" not in chunks[5].find("svg:title", NS).text


def test_boxes_are_placed_at_one_scale() -> None:
    root = _svg()
    scale = float(root.get("data-px-per-ms"))
    left = float(root.get("data-left"))
    for chunk in _all(root, "chunk"):
        rect = chunk.find("svg:rect", NS)
        start, end = int(chunk.get("data-start-ms")), int(chunk.get("data-end-ms"))
        assert float(rect.get("x")) == pytest.approx(left + start * scale, abs=1e-3)
        assert float(rect.get("width")) == pytest.approx((end - start) * scale, abs=1e-3)
    for source in _all(root, "source-range"):
        start, end = int(source.get("data-start-ms")), int(source.get("data-end-ms"))
        assert float(source.get("x")) == pytest.approx(left + start * scale, abs=1e-3)
        assert float(source.get("width")) == pytest.approx((end - start) * scale, abs=1e-3)
    # the longest lane (the finished song, 21 s) fills the plot
    assert 21000 * scale == pytest.approx(picture.PLOT)


def test_a_lane_per_source_song_with_its_ranges_and_a_connector_per_chunk() -> None:
    root = _svg()
    lanes = [e for e in _all(root, "lane")]
    assert [(lane.get("data-song"), lane.get("data-length-ms")) for lane in lanes] == [
        ("a", "20000"), ("b", "12000")]
    ranges = [(r.get("data-song"), r.get("data-role"), r.get("data-start-ms"),
               r.get("data-end-ms"), r.get("data-chunks")) for r in _all(root, "source-range")]
    assert ranges == [("a", "keep", "0", "4000", "0"), ("a", "keep", "4000", "6000", "2 3"),
                      ("b", "condition", "2000", "8000", "1"), ("b", "keep", "0", "1000", "4")]
    connectors = [(c.get("data-chunk"), c.get("data-song"), c.get("data-role"))
                  for c in _all(root, "connector")]
    assert connectors == [("0", "a", "keep"), ("1", "b", "condition"), ("2", "a", "keep"),
                          ("3", "a", "keep"), ("4", "b", "keep")]
    # the loop's two connectors leave their own chunks and meet at the one range
    paths = {c.get("data-chunk"): c.get("d") for c in _all(root, "connector")}
    start = [tuple(map(float, re.match(r"M([\d.]+),([\d.]+)", paths[i]).groups()))
             for i in ("2", "3")]
    end = [paths[i].rsplit(" ", 1)[1] for i in ("2", "3")]
    assert start[0] != start[1] and end[0] == end[1]
    sections = [s.get("data-name") for s in _all(root, "section-mark")]
    assert sections == ["intro", "verse", "outro"]


def test_bar_grid_seams_and_warnings() -> None:
    root = _svg()
    bars = _all(root, "bar-line")
    # 120 bpm 4/4: a bar is 2 s; 21 s holds bars 1-11 (bar 11 starts at 20 s)
    assert [b.get("data-bar") for b in bars] == [str(n) for n in range(1, 12)]
    assert [int(b.get("data-ms")) for b in bars] == [2000 * n for n in range(11)]
    scale, left = float(root.get("data-px-per-ms")), float(root.get("data-left"))
    assert float(bars[3].get("x1")) == pytest.approx(left + 6000 * scale, abs=1e-3)
    seams = [(s.get("data-ms"), s.get("data-audio")) for s in _all(root, "seam")]
    assert seams == [("4000", "true"), ("8000", "true"), ("10000", "true"),
                     ("12000", "true"), ("13000", "true")]
    warnings = {(w.get("data-chunk"), w.get("data-code")) for w in _all(root, "warning")}
    assert ("2", "W0103") in warnings and ("4", "W0103") in warnings  # kept slices under 3 s
    assert ("5", "W0101") not in warnings


def test_no_tempo_no_bars_but_a_time_axis() -> None:
    root = _svg('song s = "Xy12Lm34Np56Qr78St90" length=10s\nkeep 3s-8s\n'
                'gen "Glue" 3s styles["a", "b", "c", "d", "e", "f"]\nkeep 3s-8s\n')
    assert _all(root, "bar-line") == []
    assert [t.text for t in _all(root, "tick-label")] == [f"0:{s:02d}" for s in range(14)]
    assert [t.get("data-ms") for t in _all(root, "tick")][:3] == ["0", "1000", "2000"]


def test_a_waveform_is_drawn_on_its_songs_lane_from_an_envelope() -> None:
    root = _svg(envelopes={"a": [500.0] * 80})
    waves = _all(root, "waveform")
    assert [w.get("data-song") for w in waves] == ["a"]
    lane = next(e for e in _all(root, "lane") if e.get("data-song") == "a")
    numbers = [float(v) for v in re.findall(r"[\d.]+", waves[0].get("d"))]
    ys = numbers[1::2]
    top, height = float(lane.get("y")), float(lane.get("height"))
    assert min(ys) >= top and max(ys) <= top + height
    xs = numbers[0::2]
    scale, left = float(root.get("data-px-per-ms")), float(root.get("data-left"))
    assert max(xs) == pytest.approx(left + (79 * 250 + 125) * scale, abs=0.01)


def test_the_html_is_one_self_contained_page() -> None:
    page = picture.html(picture.build(_compile()), b"RIFF....WAVE")
    assert page.startswith("<!doctype html>")
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert not re.search(r"""(src|href)\s*=\s*["'](?!data:)""", page)
    assert "@import" not in page and "url(" not in page
    assert "prefers-color-scheme: dark" in page
    assert 'class="sketch"' in page and "data:audio/wav;base64," in page
    assert page.count('class="chunk"') == 6


def test_text_is_escaped() -> None:
    root = _svg('song s = "Xy12Lm34Np56Qr78St90" length=10s\nkeep 0-5s\n'
                'gen "<b>&\\"x\\"</b>" 3s styles["a", "b", "c", "d", "e", "f", "g"]\n')
    assert _all(root, "chunk")[1].get("data-label") == '<b>&"x"</b>'


def test_cli_writes_svg_and_html_and_never_over_a_file(tmp_path: Path) -> None:
    source = tmp_path / "t.mpl"
    source.write_text(PLAN, encoding="utf-8")
    runner = CliRunner()
    out = tmp_path / "t.svg"
    result = runner.invoke(main, ["explain", str(source), "--format", "svg", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert len(_all(ET.fromstring(out.read_text(encoding="utf-8")), "chunk")) == 6
    again = runner.invoke(main, ["explain", str(source), "--format", "svg", "-o", str(out)])
    assert again.exit_code == 2 and "E0709" in again.output
    page = runner.invoke(main, ["explain", str(source), "--format", "html"])
    assert page.exit_code == 0 and page.stdout.startswith("<!doctype html>")
    bad = runner.invoke(main, ["explain", str(source), "--format", "html", "-o",
                               str(tmp_path / "t.html"), "--audio", "nope"])
    assert bad.exit_code == 2 and "E0804" in bad.output
    assert not (tmp_path / "t.html").exists()


def test_a_song_of_unknown_length_is_drawn_to_the_furthest_range_used() -> None:
    root = _svg('song s = "Xy12Lm34Np56Qr78St90"\nkeep 3s-8s\n'
                'gen "Glue" 3s styles["a", "b", "c", "d", "e", "f"] like 1s-9s\n')
    [lane] = _all(root, "lane")
    assert "unknown-length" in lane.get("class") and lane.get("data-length-ms") == ""
    scale = float(root.get("data-px-per-ms"))
    assert float(lane.get("width")) == pytest.approx(9000 * scale, abs=1e-3)


def test_explain_checks_its_audio_options_as_preview_does(tmp_path: Path) -> None:
    """An `--audio` name the plan does not declare is E0803 (exit 2), as for `mpl preview`;
    `--pcm-rate` is taken, as by `mpl preview`, and the .pcm's waveform is drawn."""
    plan = tmp_path / "p.mpl"
    plan.write_text('song s = "Ab12Cd34Ef56Gh78Ij90" length=4s\nkeep s 0-3s\n',
                    encoding="utf-8")
    pcm = tmp_path / "s.pcm"
    pcm.write_bytes(bytes(2 * 44_100 * 4))  # 4 s of silence at 44.1 kHz, 16-bit mono
    runner = CliRunner()
    typo = runner.invoke(main, ["explain", str(plan), "--format", "svg", "--audio",
                                f"typo={pcm}", "-o", str(tmp_path / "x.svg")])
    assert typo.exit_code == 2 and "error[E0803]" in typo.stderr
    assert not (tmp_path / "x.svg").exists()
    drawn = runner.invoke(main, ["explain", str(plan), "--format", "svg", "--audio",
                                 f"s={pcm}", "--pcm-rate", "44100"])
    assert drawn.exit_code == 0, drawn.stderr
    assert 'class="waveform"' in drawn.stdout and 'data-song="s"' in drawn.stdout
