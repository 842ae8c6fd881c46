"""Shared test helpers."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from apiserver import LoopbackServer, serve
from cli_runs import KEY
from hypothesis import HealthCheck, settings
from musicplan.api import session

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"

# Hypothesis profiles: `dev` (the default) keeps the whole suite quick enough to run often;
# `ci` (HYPOTHESIS_PROFILE=ci, set by .ci/run) is the thorough run. Properties set no
# max_examples of their own, so the profile decides.
settings.register_profile("ci", max_examples=300, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=40, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


def golden(path: Path, actual: str) -> None:
    """Compare with a golden file; UPDATE_GOLDEN=1 rewrites it (review the diff!)."""
    if UPDATE or not path.exists():
        if not UPDATE:
            pytest.fail(f"missing golden file {path}; run with UPDATE_GOLDEN=1 and review it")
        path.write_text(actual, encoding="utf-8")
        return
    assert actual == path.read_text(encoding="utf-8"), f"differs from {path.name}"


@pytest.fixture
def root() -> Path:
    return ROOT


# The API commands' tests: a loopback fake server, its URL and the test key in the
# environment, and no real sleeping between retries. A module takes them with
# `pytestmark = pytest.mark.usefixtures("api_env")`.
@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    yield from serve()


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The delays the client would have slept, in order (it sleeps none)."""
    slept: list[float] = []
    monkeypatch.setattr(session, "sleep", slept.append)
    return slept


@pytest.fixture
def api_env(monkeypatch: pytest.MonkeyPatch, server: LoopbackServer, sleeps: list[float]) -> None:
    monkeypatch.setenv("ELEVENLABS_API_KEY", KEY)
    monkeypatch.setenv("ELEVENLABS_BASE_URL", server.url)
