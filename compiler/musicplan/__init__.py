"""MPL, the music plan language: `.mpl` source → checked music_v2 composition plans."""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

# The Python API (musicplan.api.client), loaded on first use so `mpl` starts fast.
_API = ("Client", "MPLCompileError", "compile_file", "compile_string")
__all__ = [*_API, "__version__"]


def __getattr__(name: str) -> Any:
    if name in _API:
        from .api import client

        return getattr(client, name)
    raise AttributeError(f"module 'musicplan' has no attribute {name!r}")
