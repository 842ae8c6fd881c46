"""Text as a terminal shows it: how many cells a character takes, and control characters
made visible. Diagnostic frames and `mpl explain`'s table both line up by these cells."""

from __future__ import annotations

import unicodedata

_ESCAPES = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}


def char_cells(char: str) -> int:
    """Cells `char` takes: two for a wide (East Asian) character, none for a combining mark
    or a format character, else one."""
    if unicodedata.combining(char) or unicodedata.category(char) in ("Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def cells(text: str) -> int:
    """Cells `text` takes on one line."""
    return sum(char_cells(char) for char in text)


def escaped(text: str) -> str:
    """`text` on one line: control characters and line or paragraph separators written as
    escapes (`\\n`, `\\t`, `\\x1b`, `\\u2028`), so they can neither break nor colour a table."""
    return "".join(_escape(char) for char in text)


def _escape(char: str) -> str:
    if char in _ESCAPES:
        return _ESCAPES[char]
    if unicodedata.category(char) not in ("Cc", "Zl", "Zp"):
        return char
    return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"


def pad(text: str, width: int, *, right: bool = False) -> str:
    """`text` padded with spaces to `width` cells (on the left when `right`)."""
    fill = " " * max(0, width - cells(text))
    return fill + text if right else text + fill
