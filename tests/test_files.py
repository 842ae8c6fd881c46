"""How MPL writes files: whole or not at all, through symbolic links, keeping modes, and
registry updates that take turns."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from musicplan.files import AtomicFile, write_atomically


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_file_gets_the_umask_mode(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        write_atomically(tmp_path / "new.json", "{}\n")
    finally:
        os.umask(old)
    assert mode(tmp_path / "new.json") == 0o644
    assert (tmp_path / "new.json").read_text() == "{}\n"


def test_a_replaced_file_keeps_its_mode(tmp_path: Path) -> None:
    path = tmp_path / "song.mpl"
    path.write_text("old\n")
    path.chmod(0o755)
    write_atomically(path, "new\n")
    assert mode(path) == 0o755 and path.read_text() == "new\n"


def test_a_symbolic_link_is_written_through(tmp_path: Path) -> None:
    (tmp_path / "shared").mkdir()
    real = tmp_path / "shared" / "songs.mpl"
    real.write_text("old\n")
    link = tmp_path / "songs.mpl"
    link.symlink_to(real)
    write_atomically(link, "new\n")
    assert link.is_symlink() and real.read_text() == "new\n"


def test_a_failure_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    path = tmp_path / "out.mp3"
    path.write_bytes(b"old")
    with pytest.raises(RuntimeError), AtomicFile(path, suffix=".part") as out:
        out.file.write(b"half")
        raise RuntimeError("connection dropped")
    assert path.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.mp3"]


RECORD = """
import sys
from pathlib import Path
from musicplan.api.registry import SongEntry, update
path, name = Path(sys.argv[1]), sys.argv[2]
update(path, SongEntry(name=name, song_id="ID" + name, length_ms=None, sections=()), "# t")
"""


def test_concurrent_registry_updates_lose_nothing(tmp_path: Path) -> None:
    registry = tmp_path / "songs.mpl"
    names = [f"s{index}" for index in range(12)]
    runs = [subprocess.Popen([sys.executable, "-c", RECORD, str(registry), name])
            for name in names]
    assert [run.wait() for run in runs] == [0] * len(names)
    text = registry.read_text()
    assert sorted(line.split()[1] for line in text.splitlines() if line.startswith("song ")) \
        == sorted(names)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["songs.mpl"]
