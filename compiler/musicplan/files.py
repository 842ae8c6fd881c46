"""Writing files so that nobody sees half of one: every file MPL writes (plans, formatted
sources, decompiled sources, the registry, rendered audio) goes through a temporary file in
the target's folder that is renamed over it at the end, so the target holds the old content
or the new, never a part, and a failure or Ctrl-C leaves it as it was.

Renaming over a path would replace a symbolic link by a plain file and give the new file the
temporary file's private mode; `AtomicFile` writes through the link to its target instead,
and keeps the mode of the file it replaces (a new file gets the usual mode for the umask).

Reading is bounded: `read_regular` reads only regular files (a FIFO would block, a device
never end) of at most `MAX_SOURCE_BYTES`, and `read_limited` caps a stream (stdin).
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import BinaryIO


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


class AtomicFile:
    """A temporary binary file beside `path` that replaces it on `commit`.

    Used as a context manager it commits when the block ends normally and discards otherwise.
    """

    def __init__(self, path: Path, *, suffix: str = ".tmp") -> None:
        target = Path(os.path.realpath(path))  # through symbolic links
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            mode = target.stat().st_mode & 0o7777
        except FileNotFoundError:
            mode = 0o666 & ~_umask()
        import tempfile  # only when writing: `mpl check` and `mpl compile` to stdout never do

        handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.",
                                        suffix=suffix)
        self.target, self.path = target, Path(name)
        self.file = os.fdopen(handle, "wb")
        # a file system without modes (some network shares) keeps mkstemp's
        with contextlib.suppress(OSError):
            os.chmod(handle, mode)

    def commit(self) -> None:
        self.file.close()
        os.replace(self.path, self.target)

    def discard(self) -> None:
        self.file.close()
        self.path.unlink(missing_ok=True)

    def __enter__(self) -> AtomicFile:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        if kind is None:
            self.commit()
        else:
            self.discard()


def write_atomically(path: Path, text: str) -> None:
    """Write `text` (UTF-8, line endings as given) to `path` through an `AtomicFile`."""
    with AtomicFile(path) as out:
        out.file.write(text.encode("utf-8"))


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock for updating `path` (a read-modify-write such as recording a
    song in the registry), so concurrent updates happen one after the other. The lock is
    taken on the folder that holds it, so no lock file is left beside it; where the platform
    cannot lock a folder (no `fcntl`), updates are not serialised."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not on POSIX
        yield
        return
    folder = Path(os.path.realpath(path)).parent
    folder.mkdir(parents=True, exist_ok=True)
    handle = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)  # releases the lock


# ---- reading sources ------------------------------------------------------------------

MAX_SOURCE_BYTES = 16 * 1024 * 1024  # the largest source (MPL or plan JSON) MPL reads: 16 MiB


class NotRegularFile(OSError):
    """A path that names a folder, a FIFO, a device or a socket, not a file to read."""

    def __init__(self, path: str | Path, kind: str) -> None:
        super().__init__(f"{path} is {kind}, not a regular file")
        self.kind = kind


class SourceTooLarge(OSError):
    """A source over `MAX_SOURCE_BYTES`; `size` is None when only "more" is known (stdin)."""

    def __init__(self, size: int | None) -> None:
        super().__init__(f"larger than {MAX_SOURCE_BYTES} bytes")
        self.size = size


def file_kind(mode: int) -> str:
    """What a file of this `st_mode` is, in words ("a regular file", "a FIFO", …)."""
    kinds = ((stat.S_ISREG, "a regular file"), (stat.S_ISDIR, "a folder"),
             (stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
             (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))
    return next((words for test, words in kinds if test(mode)), "not a regular file")


def read_regular(path: str | Path, limit: int = MAX_SOURCE_BYTES) -> bytes:
    """The bytes of the regular file at `path`, of at most `limit` bytes. Anything else is
    refused before it is read (a FIFO would block, a device never end): NotRegularFile,
    SourceTooLarge, or the OSError of the failed stat or open."""
    status = os.stat(path)
    if not stat.S_ISREG(status.st_mode):
        raise NotRegularFile(path, file_kind(status.st_mode))
    if status.st_size > limit:
        raise SourceTooLarge(status.st_size)
    # O_NONBLOCK: should the path turn into a FIFO after the stat, opening it must not wait
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    handle = os.open(path, flags)
    with os.fdopen(handle, "rb") as file:
        mode = os.fstat(file.fileno()).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegularFile(path, file_kind(mode))
        return read_limited(file, limit)


def read_limited(stream: BinaryIO, limit: int = MAX_SOURCE_BYTES) -> bytes:
    """All of `stream` if it holds at most `limit` bytes (it reads one more to know), else
    SourceTooLarge."""
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise SourceTooLarge(None)
    return data


def source_text(data: bytes, *, as_stored: bool = False) -> str:
    """MPL or JSON source bytes as text: UTF-8, a leading byte order mark dropped (editors on
    Windows write one) and newlines made `\n`, or both kept when `as_stored` (so `mpl fmt`
    sees them as changes). Raises UnicodeDecodeError for bytes that are not UTF-8
    (`diagnostics.not_utf8` reports it)."""
    if as_stored:
        return data.decode("utf-8")
    return data.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
