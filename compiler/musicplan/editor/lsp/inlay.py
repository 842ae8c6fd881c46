"""Inlay hints: each chunk's start–end in the finished song, at the end of its line."""

from __future__ import annotations

from lsprotocol import types

from .document import Analysis
from .places import by_statement, clock_range, header_end, statements


def inlay_hints(analysis: Analysis, visible: types.Range | None = None) -> list[types.InlayHint]:
    """One hint per chunk statement (a template call counts once, over all its chunks)."""
    groups = by_statement(analysis)
    if not groups:
        return []
    lines = analysis.index
    hints: list[types.InlayHint] = []
    nodes = [node for node in statements(analysis.compilation.program) if node.span in groups]
    for number, node in enumerate(nodes):
        entries = groups[node.span]
        at = lines.position(header_end(node))
        line = at.line
        if visible is not None and not visible.start.line <= line <= visible.end.line:
            continue
        following = nodes[number + 1] if number + 1 < len(nodes) else None
        # Two chunks on one line (`keep 0-30s; regen …`): the first one's hint goes right
        # after it, not at the end of the line.
        shared = following is not None and lines.position(following.span.start).line == line
        end = at if shared else lines.position(lines.starts[line] + len(lines.line_text(line)))
        hints.append(types.InlayHint(
            position=end, label=clock_range(entries), kind=types.InlayHintKind.Type,
            padding_left=True,
            tooltip=f"where this lands in the finished song ({len(entries)} chunk"
                    f"{'s' if len(entries) != 1 else ''})"))
    return hints
