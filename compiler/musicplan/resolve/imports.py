"""Finding, reading and parsing imported files, once each per compilation.

`import "./x.mpl"` is read relative to the importing file; `import "std/NAME"` reads
NAME.mpl from the standard library shipped with the package. User files may import only
inside the project: the nearest folder at or above the root file's folder that holds a
`.git` or `pyproject.toml` (or, without one, the root file's folder). Standard-library files
may import only inside the standard library. Each file gets a display name relative to the
root file's name as the user wrote it (`examples/songs.mpl`), or `std/NAME.mpl`, and its text
goes into `sources` so diagnostics in it render with a code frame.
"""

from __future__ import annotations

import os
import posixpath
from collections import OrderedDict
from pathlib import Path

from ..diagnostics import Diagnostic, error
from ..diagnostics.suggest import misspelt
from ..files import MAX_SOURCE_BYTES, SourceTooLarge, file_kind, read_regular, source_text
from ..resources import stdlib_dir
from ..syntax import nodes as n
from ..syntax.parse import ParseResult, parse
from ..syntax.records import record
from ..syntax.spans import Span

STD_PREFIX = "std/"
PROJECT_MARKERS = (".git", "pyproject.toml")
LOOP = "it is a symbolic link that leads back to itself"


class ParseCache:
    """Parses of imported files, memoised on their text, for whoever compiles again and again:
    the language server compiles the same imports (the stdlib above all) on every keystroke.
    It holds the last `size` parses; parse results are immutable, so they are shared."""

    def __init__(self, size: int = 64) -> None:
        self.size = size
        self._parses: OrderedDict[tuple[str, str], ParseResult] = OrderedDict()

    def parse(self, text: str, display: str) -> ParseResult:
        key = (text, display)
        found = self._parses.get(key)
        if found is not None:
            self._parses.move_to_end(key)
            return found
        found = self._parses[key] = parse(text, display)
        if len(self._parses) > self.size:
            self._parses.popitem(last=False)
        return found


@record
class SourceFile:
    """A file taking part in a compilation."""

    key: str  # its resolved path: the identity used for caching and cycles
    display: str  # the name diagnostics use
    path: Path
    confine: Path  # imports from this file must stay inside this folder
    program: n.Program | None = None


def project_root(folder: Path) -> Path:
    """The project folder: the nearest ancestor (or `folder`) with a .git or pyproject.toml."""
    for candidate in (folder, *folder.parents):
        if any((candidate / marker).exists() for marker in PROJECT_MARKERS):
            return candidate
    return folder


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.relative_to(folder)
    except ValueError:
        return False
    return True


def std_modules() -> list[str]:
    """The standard library's module names (`styles`, `recipes`, …)."""
    return sorted(path.stem for path in stdlib_dir().glob("*.mpl"))


class Loader:
    """Locates and parses imported files, caching each by its resolved path."""

    def __init__(self, root_file: str, base_dir: Path | None = None,
                 parses: ParseCache | None = None) -> None:
        self._parse = parses.parse if parses is not None else parse
        folder = (base_dir or Path.cwd()).resolve()
        self.project = project_root(folder)
        self.root = SourceFile(key=str(folder / Path(root_file).name), display=root_file,
                               path=folder / Path(root_file).name, confine=self.project)
        self.sources: dict[str, str] = {}
        self.paths: dict[str, Path] = {root_file: self.root.path}
        self.parse_diagnostics: list[Diagnostic] = []
        self._files: dict[str, SourceFile] = {}
        self.by_display: dict[str, SourceFile] = {root_file: self.root}

    def locate(self, statement: n.Import, importer: str) -> SourceFile | Diagnostic:
        """Where `statement` (written in the file displayed as `importer`) points; a path
        the system cannot even look up (a NUL in it, a name too long) is E0501."""
        try:
            return self._locate(statement, importer)
        except RuntimeError:  # pathlib's resolve() before Python 3.13: "Symlink loop from …"
            reason = LOOP
        except (OSError, ValueError) as exc:
            reason = exc.strerror.lower() if isinstance(exc, OSError) and exc.strerror \
                else str(exc)
            if "\0" in statement.path.value:
                reason = "a path cannot hold a NUL character"
        return error("E0501", f"the import path cannot name a file: {reason}",
                     statement.path.span,
                     hint="write the path of an .mpl file, relative to this file")

    def _locate(self, statement: n.Import, importer: str) -> SourceFile | Diagnostic:
        raw = statement.path.value
        at = statement.path.span
        if raw.startswith(STD_PREFIX):
            return self._std(raw[len(STD_PREFIX):], at, raw)
        source = self.by_display.get(importer, self.root)
        target = source.path.parent / raw
        if not target.suffix and not target.exists():
            target = target.with_suffix(".mpl")
        resolved = target.resolve()
        if not _inside(resolved, source.confine):
            where = "the standard library" if source.confine == stdlib_dir().resolve() \
                else f"the project folder {source.confine}"
            return error("E0502", f'"{raw}" is outside {where}', at,
                         hint="imports stay inside the project; use std/… for the standard "
                         "library")
        display = posixpath.normpath(posixpath.join(posixpath.dirname(source.display), raw))
        if not raw.endswith(".mpl") and resolved.suffix == ".mpl" and \
                not display.endswith(".mpl"):
            display += ".mpl"
        if resolved.is_dir():
            return error("E0501", f'"{raw}" is a folder, not an .mpl file', at,
                         hint="import a file in it: ./folder/name.mpl")
        if not resolved.is_file() and resolved.is_symlink():  # Python 3.13+ resolves no loop
            return error("E0501", f"the import path cannot name a file: {LOOP}", at,
                         hint="write the path of an .mpl file, relative to this file")
        if resolved.exists() and not resolved.is_file():  # a FIFO, a device: never opened
            return error("E0501", f'"{raw}" is {file_kind(resolved.stat().st_mode)}, not an '
                         ".mpl file", at, hint="import a regular .mpl file")
        if not resolved.is_file():
            return misspelt("E0501", f'cannot find "{raw}" (looked for {display})', at, raw,
                            [path for path in nearby_files(source.path.parent, source.confine)
                             if path != f"./{source.path.name}"],
                            spelling=lambda path: f'"{path}"',
                            otherwise="paths are relative to the importing file: ./shared.mpl")
        return SourceFile(key=str(resolved), display=display, path=resolved,
                          confine=source.confine)

    def _std(self, name: str, at: Span, raw: str) -> SourceFile | Diagnostic:
        library = stdlib_dir().resolve()
        stem = name[:-4] if name.endswith(".mpl") else name
        target = (library / f"{stem}.mpl").resolve()
        if not _inside(target, library):
            return error("E0502", f'"{raw}" is outside the standard library', at)
        if not target.is_file():
            modules = std_modules()
            return misspelt("E0501", f'the standard library has no module "{raw}"', at, stem,
                            modules, spelling=lambda m: f'"std/{m}"',
                            otherwise="modules: " + ", ".join(f"std/{m}" for m in modules))
        return SourceFile(key=str(target), display=f"std/{stem}.mpl", path=target,
                          confine=library)

    def load(self, found: SourceFile, at: n.Import) -> SourceFile | Diagnostic:
        """Read and parse `found` (once); a file that cannot be read is E0501."""
        cached = self._files.get(found.key)
        if cached is not None:
            return cached
        try:
            text = source_text(read_regular(found.path))
        except SourceTooLarge:
            return error("E0107", f'"{at.path.value}" is larger than the 16 MiB '
                         f"({MAX_SOURCE_BYTES:,} bytes) MPL reads", at.path.span)
        except UnicodeDecodeError as exc:
            bom = 3 if exc.object[:3] == b"\xef\xbb\xbf" else 0  # utf-8-sig counts after it
            return error("E0106", f'"{at.path.value}" is not UTF-8 text: {exc.reason} '
                         f"(byte {bom + exc.start})", at.path.span,
                         hint="save the imported file as UTF-8")
        except (OSError, ValueError) as exc:
            return error("E0501", f'cannot read "{at.path.value}": {exc}', at.path.span)
        parsed = self._parse(text, found.display)
        self.parse_diagnostics.extend(parsed.diagnostics)
        loaded = SourceFile(key=found.key, display=found.display, path=found.path,
                            confine=found.confine, program=parsed.program)
        self._files[found.key] = loaded
        self.sources[found.display] = text
        self.paths[found.display] = found.path
        self.by_display[found.display] = loaded
        return loaded


MAX_NEARBY = 500  # .mpl files offered for a did-you-mean at most
MAX_LOOKED_AT = 5_000  # folder entries read at most: a huge tree (a home folder) is not walked
NEARBY_DEPTH = 3  # subfolders looked into below the importing file's folder


def nearby_files(folder: Path, confine: Path) -> list[str]:
    """The .mpl files an import in `folder` could name, as it would write them (`./a.mpl`,
    `../shared/b.mpl`): those in `folder` and a few subfolders down, and beside it, inside
    `confine`; hidden folders are skipped, and the walk reads `MAX_LOOKED_AT` entries at most,
    nearest first."""
    found: list[str] = []
    left = MAX_LOOKED_AT
    starts = [(folder, "./", NEARBY_DEPTH)]
    if folder != confine and _inside(folder, confine):
        starts.append((folder.parent, "../", 1))
    for start in starts:
        queue = [start]
        while queue and len(found) < MAX_NEARBY:
            current, shown, depth = queue.pop(0)
            try:
                entries = sorted(os.scandir(current), key=lambda entry: entry.name)
            except OSError:
                continue
            for entry in entries:
                left -= 1
                if left < 0:
                    return found
                if entry.name.startswith("."):
                    continue
                if entry.is_dir(follow_symlinks=False):
                    if depth > 0:
                        queue.append((Path(entry.path), f"{shown}{entry.name}/", depth - 1))
                elif entry.name.endswith(".mpl") and entry.is_file():
                    found.append(shown + entry.name)
    return found[:MAX_NEARBY]

