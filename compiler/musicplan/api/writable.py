"""Whether a file can be written, asked before a request is sent: a render or an upload
costs credits, so finding out afterwards that OUT (or the registry) cannot be written would
lose what was paid for. These checks only look; files are written by `files.AtomicFile`.
"""

from __future__ import annotations

import os
from pathlib import Path


def folder_problem(folder: Path) -> str | None:
    """Why no file can be created in `folder` (None when one can). A missing folder is
    fine if its nearest existing ancestor is a folder we may write in: it will be made."""
    existing = folder
    while not os.path.lexists(existing) and existing != existing.parent:
        existing = existing.parent
    if not os.path.isdir(existing):
        return f"{existing} is not a folder"
    if not os.access(existing, os.W_OK | os.X_OK):
        return f"no permission to write in {existing}"
    return None


def file_problem(path: Path) -> str | None:
    """Why a file cannot be written at `path` (None when it can): it is a folder, or its
    folder cannot be written. A symbolic link is judged by where it points."""
    target = Path(os.path.realpath(path))
    if os.path.isdir(target):
        return f"{path} is a folder"
    return folder_problem(target.parent)
