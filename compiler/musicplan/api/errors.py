"""Server errors mapped back to the source that caused them.

A 422 names the JSON it rejected (`["body", "composition_plan", "chunks", 3, "duration_ms"]`);
the compiler's source map says which statement produced chunk 3 and which attribute wrote its
`duration_ms`, so the error is reported there, in the compiler's own format, with the template
call sites and imports the chunk came through as secondary labels. Nothing is re-parsed or
guessed. What has no place in the source (a refused key, a refusal of the whole plan) is a
diagnostic without a span, printed by the same renderers. Copyright refusals carry the
server's suggested plan, decompiled to MPL.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..diagnostics import Diagnostic, error

if TYPE_CHECKING:
    from ..pipeline import Compilation
    from .session import ApiError

REFUSALS = ("bad_composition_plan", "bad_prompt")
# where a keep chunk's sub-fields were written: both come from its range (or section name)
_KEEP_FIELDS = {"start_ms": "range", "end_ms": "range"}


@dataclass
class ServerReport:
    """What to tell the user about one failed request."""

    diagnostics: list[Diagnostic] = field(default_factory=list)  # located in the source
    problems: list[Diagnostic] = field(default_factory=list)  # with no place in it
    suggestion: str | None = None  # the server's suggested plan as MPL, or a prompt
    suggests: str = "plan"  # what `suggestion` is: "plan" (MPL) or "prompt"


def _path(loc: list[Any]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _chunk_index(loc: list[Any]) -> int | None:
    """The index into `chunks` that `loc` names, if it names one."""
    if len(loc) >= 3 and loc[:2] == ["composition_plan", "chunks"] and isinstance(loc[2], int):
        return loc[2]
    return None


def chunk_name(index: int) -> str:
    """How MPL names `chunks[index]`: numbered from 1, as `mpl explain` shows them."""
    return f"chunk {index + 1} (chunks[{index}] in the JSON)"


def _place(loc: list[Any]) -> str:
    """A 422's `loc` in MPL's words: `composition_plan.chunks[1].text, chunk 2 (…)`."""
    index = _chunk_index(loc)
    return _path(loc) if index is None else f"{_path(loc)}, {chunk_name(index)}"


def _chunk_diagnostic(loc: list[Any], message: str, compilation: Compilation) -> Diagnostic | None:
    """loc = ["composition_plan", "chunks", i, field?, ...] → a diagnostic at that chunk."""
    index = _chunk_index(loc)
    sources = compilation.source_map()
    if index is None or not 0 <= index < len(sources):
        return None
    source = sources[index]
    span = source.span
    what = chunk_name(index)
    for key in loc[3:]:
        if not isinstance(key, str):
            continue
        found = source.fields.get(key) or source.fields.get(_KEEP_FIELDS.get(key, ""))
        if found is not None:
            span = found
            what = f"`{key}` of {chunk_name(index)}"
            break
    return error("E0701", f"the server rejected {what}: {message}", span,
                 secondary=source.context,
                 hint="fix it here and render again")


def _option_diagnostic(loc: list[Any], message: str,
                       compilation: Compilation) -> Diagnostic | None:
    plan = compilation.plan
    if plan is None or not loc or not isinstance(loc[0], str):
        return None
    span = plan.options.spans.get(loc[0])
    if span is None:
        return None
    return error("E0701", f"the server rejected `{loc[0]}`: {message}", span,
                 hint="it comes from the plan header (or a command-line override)")


def _loc(raw: Any) -> list[str | int]:
    """A 422 item's `loc` as a list of keys and indexes, whatever shape it came in."""
    parts = raw if isinstance(raw, (list, tuple)) else [raw]
    loc = [part for part in parts if isinstance(part, (str, int)) and not isinstance(part, bool)]
    return loc[1:] if loc[:1] == ["body"] else loc


def _validation(detail: list[Any], compilation: Compilation | None,
                report: ServerReport) -> None:
    for item in detail:
        if not isinstance(item, dict):
            if item not in (None, "", [], {}):
                report.problems.append(error("E0705", f"the server rejected the request: "
                                             f"{item}"))
            continue
        loc = _loc(item.get("loc"))
        message = str(item.get("msg") or item.get("type") or "invalid")
        found = None
        if compilation is not None and compilation.ok:
            found = (_chunk_diagnostic(loc, message, compilation)
                     or _option_diagnostic(loc, message, compilation))
        if found is not None:
            report.diagnostics.append(found)
        else:
            where = f" at {_place(loc)}" if loc else ""
            report.problems.append(error("E0705", f"the server rejected the request{where}: "
                                         f"{message}"))


def _refusal(detail: dict[str, Any], report: ServerReport) -> None:
    status = detail.get("status")
    message = str(detail.get("message") or "refused")
    data = detail.get("data") if isinstance(detail.get("data"), dict) else {}
    assert isinstance(data, dict)
    what = "prompt" if status == "bad_prompt" else "plan"
    hint = None
    if status == "bad_prompt":
        prompt = data.get("prompt_suggestion") or data.get("promptSuggestion")
        if isinstance(prompt, str):
            report.suggestion, report.suggests = prompt, "prompt"
            hint = "the server suggests the prompt printed below"
    else:
        plan = (data.get("composition_plan_suggestion") or data.get("compositionPlanSuggestion")
                or (data if "chunks" in data else None))
        if plan is not None:
            from ..decompile.lift import decompile_data

            text, _ = decompile_data(plan, "<suggestion>")
            report.suggestion = text
            hint = ("the server's suggested plan is printed below as MPL; paste what you need"
                    if text else "the server's suggestion could not be read as a music_v2 plan")
    report.problems.append(error(
        "E0702", f"the server refused the {what} ({status}): {message}",
        hint=hint or "remove artist, band and song names from styles and lyrics"))


def as_diagnostic(exc: ApiError) -> Diagnostic:
    """The failure itself, with no place in the source: `error[E0703]: …` and its hint."""
    return error(exc.code, exc.message, hint=exc.hint)


def report_for(exc: ApiError, compilation: Compilation | None = None) -> ServerReport:
    """Everything to tell the user about `exc`, located in `compilation` where it can be."""
    report = ServerReport()
    detail = exc.detail
    if exc.status == 422 and isinstance(detail, list):
        _validation(detail, compilation, report)
    elif isinstance(detail, dict) and detail.get("status") in REFUSALS:
        _refusal(detail, report)
    if not report.diagnostics and not report.problems:
        report.problems.append(as_diagnostic(exc))
    return report
