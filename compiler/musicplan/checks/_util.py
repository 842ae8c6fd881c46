"""What the rules share: `Code`, the declaration of a code a rule reports, and `attach`."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..diagnostics import Diagnostic, Label, Severity, with_context
from ..resolve.ir import Chunk
from ..syntax.records import record
from ..syntax.spans import Span


@record
class Code:
    """A diagnostic code a rule reports, declared once in the rule's module: its severity,
    its title (a few words), and its row of docs/diagnostics.md's table — `doc` says when it
    is reported, `fix` what to write instead. Calling it makes a diagnostic with that code."""

    code: str
    severity: Severity
    title: str
    doc: str
    fix: str

    def __call__(self, message: str, span: Span, *, hint: str | None = None,
                 secondary: Iterable[Label] = ()) -> Diagnostic:
        return Diagnostic(code=self.code, message=message, primary=Label(span=span),
                          severity=self.severity, secondary=tuple(secondary), hint=hint)

    @property
    def docs_row(self) -> str:
        """The row docs/diagnostics.md's table has for this code."""
        return f"| `{self.code}` | {self.severity} | {self.doc} | {self.fix} |"


def attach(diagnostic: Diagnostic, chunk: object) -> Diagnostic:
    """Add the chunk's template call sites and import sites as related places."""
    context = getattr(chunk, "context", ())
    return with_context(diagnostic, context) if context else diagnostic


def chunk_at(chunks: Sequence[Chunk], mark_ms: int) -> Chunk:
    """The chunk in which the finished song passes `mark_ms` (the last one if it never does)."""
    running = 0
    for chunk in chunks:
        running += chunk.duration_ms
        if running > mark_ms:
            return chunk
    return chunks[-1]
