"""The language server's `mpl/timeline` request, over real stdio JSON-RPC: the SVG of the
timeline picture for an open document, null while it has errors."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from lsp_client import LspClient

LOOP = 'song s = "Xy12Lm34Np56Qr78St90" length=10s\nkeep 3s-8s\n' \
       'gen "Glue" 3s styles["smooth", "lo-fi", "warm", "tape", "slow", "soft"]\nkeep 3s-8s\n'


@pytest.fixture(scope="module")
def lsp() -> Iterator[LspClient]:
    client = LspClient()
    client.initialize()
    yield client
    client.close()


def _chunks(svg: str) -> list[tuple[str | None, ...]]:
    root = ET.fromstring(svg)
    return [(e.get("data-kind"), e.get("data-start-ms"), e.get("data-end-ms"))
            for e in root.iter() if e.get("class") == "chunk"]


def test_the_timeline_follows_the_document(lsp: LspClient, tmp_path: Path) -> None:
    uri = (tmp_path / "loop.mpl").as_uri()
    lsp.open(uri, LOOP)
    svg = lsp.request("mpl/timeline", {"uri": uri})
    assert svg.startswith("<svg") and _chunks(svg) == [
        ("kept", "0", "5000"), ("new", "5000", "8000"), ("kept", "8000", "13000")]
    assert lsp.request("mpl/timeline", {"textDocument": {"uri": uri}}) == svg
    lsp.change(uri, LOOP.replace("gen \"Glue\" 3s", "gen \"Glue\" 4s"), 2)
    assert _chunks(lsp.request("mpl/timeline", {"uri": uri}))[1] == ("new", "5000", "9000")
    lsp.change(uri, LOOP + "keep nowhere 0-1s\n", 3)  # an error: no picture, keep the last
    assert lsp.request("mpl/timeline", {"uri": uri}) is None


def test_unknown_documents_and_bad_params_answer_null(lsp: LspClient, tmp_path: Path) -> None:
    assert lsp.request("mpl/timeline", {"uri": (tmp_path / "closed.mpl").as_uri()}) is None
    assert lsp.request("mpl/timeline", {"nothing": 1}) is None
    assert lsp.request("mpl/timeline", {"uri": 3}) is None
