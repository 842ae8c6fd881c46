"""A small harness for the language tests: write files into a folder, compile the root."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent
from typing import Any

from musicplan.diagnostics import Diagnostic, render
from musicplan.pipeline import Compilation, compile_path, compile_text


def write(folder: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dedent(text).lstrip("\n"), encoding="utf-8")


def build(folder: Path, files: dict[str, str], root: str = "main.mpl") -> Compilation:
    """Write `files` into `folder` and compile `root` (first file by default)."""
    write(folder, files)
    return compile_path(folder / root)


def source(text: str, file: str = "main.mpl") -> Compilation:
    """Compile text with no imports."""
    return compile_text(dedent(text).lstrip("\n"), file)


def codes(result: Compilation) -> list[str]:
    return [d.code for d in result.diagnostics]


def only(result: Compilation, code: str) -> Diagnostic:
    """The one diagnostic with `code` (fails when there is not exactly one)."""
    found = [d for d in result.diagnostics if d.code == code]
    assert len(found) == 1, [render(d, result.sources) for d in result.diagnostics]
    return found[0]


def chunks(result: Compilation) -> list[dict[str, Any]]:
    assert result.ok, [render(d, result.sources) for d in result.diagnostics if d.is_error]
    data: list[dict[str, Any]] = result.plan_json()["chunks"]
    return data


def where(diagnostic: Diagnostic) -> tuple[str, int, int]:
    """(file name, line, col) of the primary span; the file by its last path part."""
    span = diagnostic.span
    return Path(span.file).name, span.line, span.col


def related(diagnostic: Diagnostic) -> list[tuple[str, int, str]]:
    return [(Path(label.span.file).name, label.span.line, label.message)
            for label in diagnostic.secondary]
