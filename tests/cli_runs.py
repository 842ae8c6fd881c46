"""Running `mpl` in-process as a user would, with the checks every such run must pass."""

from __future__ import annotations

from click.testing import CliRunner
from musicplan.cli import main

KEY = "sk-test-0123456789-SECRET"  # the test API key: never printed, never recorded


def run(*args: str) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of `mpl ARGS`: no traceback, and the key never shown."""
    result = CliRunner().invoke(main, list(args))
    assert KEY not in result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    return result.exit_code, result.stdout, result.stderr
