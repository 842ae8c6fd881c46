"""The package's folders are its stages, and every import points down the pipeline:
foundation ← diagnostics ← syntax ← resolve ← checks ← lower/timeline/models ← pipeline ←
the front ends (printer, decompile, api, editor, cli). Read from the code's own imports."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import musicplan

PACKAGE = Path(musicplan.__file__).resolve().parent

# Lowest first; a module belongs to the layer of the longest prefix that names it.
LAYERS: list[tuple[str, ...]] = [
    ("musicplan.syntax.records", "musicplan.syntax.spans", "musicplan.files",
     "musicplan.resources", "musicplan.units", "musicplan.limits"),
    ("musicplan.diagnostics",),
    ("musicplan.syntax",),
    ("musicplan.resolve",),
    ("musicplan.checks",),
    ("musicplan.lower", "musicplan.timeline", "musicplan.models"),
    ("musicplan.pipeline",),
    ("musicplan.printer",),
    ("musicplan.decompile",),
    ("musicplan.api",),
    ("musicplan.preview",),
    ("musicplan.editor",),
    ("musicplan.cli", "musicplan"),
]


def layer(module: str) -> int:
    best, found = -1, -1
    for index, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best:
                best, found = len(prefix), index
    assert found >= 0, f"{module} is in no layer: add it to LAYERS"
    return found


def module_name(path: Path) -> str:
    parts = ["musicplan", *path.relative_to(PACKAGE).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> Iterator[tuple[int, str]]:
    """(line, module) for every import of a musicplan module in the file at `path`."""
    name = module_name(path)
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "musicplan":
                    yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[:len(package) - node.level + 1]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            if target.split(".")[0] != "musicplan":
                continue
            for alias in node.names:  # `from . import nodes` imports the module `nodes`
                candidate = f"{target}.{alias.name}"
                as_module = PACKAGE.joinpath(*candidate.split(".")[1:])
                if as_module.with_suffix(".py").exists() or (as_module / "__init__.py").exists():
                    yield node.lineno, candidate
                else:
                    yield node.lineno, target


def sources() -> list[Path]:
    return sorted(path for path in PACKAGE.rglob("*.py") if path.name != "_mpl_parser.py")


def test_every_import_points_down() -> None:
    upward = []
    for path in sources():
        importer = module_name(path)
        for line, imported in imports(path):
            if layer(imported) > layer(importer):
                upward.append(f"{path.relative_to(PACKAGE)}:{line}: {importer} imports "
                              f"{imported}")
    assert not upward, "imports that run back up:\n" + "\n".join(upward)


def test_the_layers_name_every_folder() -> None:
    """A new folder or top-level module must be placed in a layer (or the test above would
    not know where its imports may point)."""
    for path in sources():
        layer(module_name(path))


def test_the_walk_sees_imports() -> None:
    """The walk itself works: the pipeline imports the resolver and the checks."""
    found = {module for _, module in imports(PACKAGE / "pipeline.py")}
    assert {"musicplan.resolve.resolver", "musicplan.checks"} <= found
