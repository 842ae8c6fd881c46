"""JSON plans → MPL: `decompile = print ∘ lift`.

`lift` turns a checked music_v2 plan (and request options) into the same syntax tree the
parser builds, so the one printer writes it. While checking, the tree's spans point into the
JSON, so the compiler's own stages (`pipeline.compile_program`: resolve, then the checks)
report out-of-range values at the JSON's line:col with exactly the limits `mpl check`
applies. The law, proven by the tests: `compile(decompile(p)) == p` for every valid plan `p`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from ..diagnostics import Diagnostic, error, has_errors, sort_key
from ..pipeline import compile_program
from ..printer import format_program
from ..syntax import nodes as n
from ..syntax.literals import MAX_NUMBER_LENGTH, plain_number, too_long
from ..syntax.parse import without_bom
from ..syntax.spans import NO_SPAN, Span, span_at
from ..units import spelling
from .intake import Intake
from .positions import Locator

_OPTIONS = (("model_id", "model"), ("seed", "seed"), ("output_format", "format"),
            ("store_for_inpainting", "store"), ("sign_with_c2pa", "c2pa"),
            ("finetune_id", "finetune"), ("finetune_strength", "finetune_strength"))


def _split_text(text: str) -> tuple[str | None, list[str] | None]:
    """(label, lyric lines) when `text` is `[Label]` + lines each fit for a `|` line;
    (label, None) when only the label is; (None, None) otherwise."""
    first, newline, rest = text.partition("\n")
    if not (first.startswith("[") and first.endswith("]") and len(first) >= 2):
        return None, None
    label = first[1:-1]
    if "]" in label:
        return None, None
    lines = rest.split("\n") if newline else []
    for line in lines:
        if not line or line != line.strip() or \
                any(ord(ch) < 32 or ch in "\x7f\x85\u2028\u2029" for ch in line):
            return label, None
    return label, lines


class _Lifter:
    """Builds nodes; with a locator every node's span is the JSON it came from."""

    def __init__(self, where: Locator | None) -> None:
        self.where = where
        self.songs: dict[str, str] = {}  # song_id → name, in order of first use

    def span(self, *path: str | int) -> Span:
        return self.where.span(*path) if self.where is not None else NO_SPAN

    def song(self, song_id: str) -> n.Name | None:
        """The song's name for a keep/like; None for the first (default) song."""
        name = self.songs.setdefault(song_id, f"s{len(self.songs) + 1}")
        return None if name == "s1" else n.Name(ident=name)

    def time(self, ms: int, *path: str | int, start: bool = False) -> n.Time:
        if start and ms == 0:
            return n.Time(amount="0", unit="bare", span=self.span(*path))
        amount, unit = spelling(ms)
        return n.Time(amount=amount, unit=unit, span=self.span(*path))

    def slice(self, ref: Mapping[str, Any], *path: str | int) -> n.Range:
        bounds = ref["range"]
        return n.Range(start=self.time(bounds["start_ms"], *path, "range", "start_ms", start=True),
                       end=self.time(bounds["end_ms"], *path, "range", "end_ms"),
                       span=self.span(*path, "range"))

    def strings(self, items: list[str], *path: str | int) -> n.ListExpr:
        return n.ListExpr(items=tuple(n.Str(value=item, span=self.span(*path, i))
                                      for i, item in enumerate(items)), span=self.span(*path))

    def chunk(self, index: int, chunk: Mapping[str, Any]) -> n.Statement:
        at = ("chunks", index)
        if "text" not in chunk:
            return n.Keep(song=self.song(chunk["song_id"]), slice=self.slice(chunk, *at),
                          span=self.span(*at))
        attrs: list[n.Attr] = [n.Styles(items=self.strings(chunk["positive_styles"], *at,
                                                           "positive_styles"),
                                        span=self.span(*at, "positive_styles"))]
        if "negative_styles" in chunk:
            attrs.append(n.Avoid(items=self.strings(chunk["negative_styles"], *at,
                                                    "negative_styles"),
                                 span=self.span(*at, "negative_styles")))
        if "context_adherence" in chunk:
            attrs.append(n.Adherence(value=self.name(chunk["context_adherence"], *at,
                                                     "context_adherence"),
                                     span=self.span(*at, "context_adherence")))
        if "conditioning_ref" in chunk:
            ref = chunk["conditioning_ref"]
            attrs.append(n.Like(song=self.song(ref["song_id"]),
                                slice=self.slice(ref, *at, "conditioning_ref"),
                                span=self.span(*at, "conditioning_ref")))
        if "condition_strength" in chunk:
            attrs.append(n.Strength(value=self.name(chunk["condition_strength"], *at,
                                                    "condition_strength"),
                                    span=self.span(*at, "condition_strength")))
        text = chunk["text"]
        label, lines = _split_text(text)
        text_span = self.span(*at, "text")
        if lines is None:
            attrs.append(n.TextAttr(value=n.Str(value=text, span=text_span), span=text_span))
        lyrics = tuple(n.Lyric(text=line, span=text_span) for line in lines or ())
        return n.Generate(regen=False, label=n.Str(value=label if label is not None
                                                   else f"Chunk {index + 1}", span=text_span),
                          duration=self.time(chunk["duration_ms"], *at, "duration_ms"),
                          attrs=tuple(attrs), lyrics=lyrics, span=self.span(*at))

    def name(self, ident: str, *path: str | int) -> n.Name:
        return n.Name(ident=ident, span=self.span(*path))

    def header(self, options: Mapping[str, Any], root: Locator | None) -> n.PlanHeader | None:
        found = []
        for key, word in _OPTIONS:
            if key not in options:
                continue
            value = options[key]
            span = root.span(key) if root is not None else NO_SPAN
            option_value: n.Name | n.Str | n.Number | None
            if isinstance(value, bool):
                option_value = None if value else n.Name(ident="false", span=span)
            elif isinstance(value, (int, float)):
                option_value = n.Number(text=plain_number(value), span=span)
            elif key == "finetune_id":
                option_value = n.Str(value=value, span=span)
            else:
                option_value = n.Name(ident=value, span=span)
            found.append(n.PlanOption(name=n.Name(ident=word, span=span), value=option_value,
                                      span=span))
        return n.PlanHeader(options=tuple(found), span=NO_SPAN) if found else None


def lift(plan: Mapping[str, Any], options: Mapping[str, Any] | None = None, *,
         where: Locator | None = None, root: Locator | None = None) -> n.Program:
    """A checked plan (and request options) as the syntax tree the parser would build for
    its decompiled text. `where` locates the plan in its JSON, `root` the request body."""
    lifter = _Lifter(where)
    chunks = [lifter.chunk(index, chunk) for index, chunk in enumerate(plan["chunks"])]
    songs = [n.SongDecl(name=n.Name(ident=name), song_id=n.Str(value=song_id))
             for song_id, name in lifter.songs.items()]
    header = lifter.header(options or {}, root)
    statements: list[n.Statement] = [*([header] if header else []), *songs, *chunks]
    return n.Program(statements=tuple(statements), span=lifter.span("chunks"))


def decompile_data(data: object, file: str = "<json>", *,
                   locator: Locator | None = None) -> tuple[str | None, list[Diagnostic]]:
    """A plan, request body or detailed response (already parsed) → MPL text, or None and
    diagnostics pointing into the JSON (into `json.dumps(data, indent=2)` without a locator)."""
    root = locator or Locator.for_data(data, file)
    intake = Intake(root)
    found = intake.document(data)
    diagnostics = sorted(intake.diagnostics, key=sort_key)
    if found is None or has_errors(diagnostics):
        return None, sorted(diagnostics + _header_problems(intake.options, root), key=sort_key)
    located = lift(found.plan, found.options, where=found.where, root=root)
    diagnostics += [d for d in compile_program(located).diagnostics if d.is_error]
    if has_errors(diagnostics):
        return None, sorted(diagnostics, key=sort_key)
    return format_program(lift(found.plan, found.options)), diagnostics


def _header_problems(options: Mapping[str, Any], root: Locator) -> list[Diagnostic]:
    """The request options' own errors (seed range, format, model), checked as the `plan`
    header they become, so a body whose plan is broken has them reported in the same run."""
    header = _Lifter(None).header(options, root)
    if header is None:
        return []
    header_only = compile_program(n.Program(statements=(header,), span=NO_SPAN), checks=False)
    return [d for d in header_only.diagnostics if d.is_error]


def decompile_text(json_text: str, file: str) -> tuple[str | None, list[Diagnostic]]:
    """JSON text → MPL text; diagnostics carry line:col in `json_text`."""
    json_text = without_bom(json_text)
    try:
        data = json.loads(json_text, parse_constant=_reject_constant, parse_int=_whole_number)
    except _LongNumber as exc:
        return None, [_long_number(json_text, file, exc.digits)]
    except _Constant as exc:
        at = max(0, json_text.find(exc.name))
        span = span_at(file, json_text, at, at + len(exc.name))
        return None, [error("E0602", f"not valid JSON: {exc.name} is not a JSON number", span,
                            hint="the API takes finite numbers only")]
    except json.JSONDecodeError as exc:
        at = min(exc.pos, len(json_text))
        span = Span(file, exc.lineno, exc.colno, exc.lineno, exc.colno + 1, at, at + 1)
        return None, [error("E0602", f"not valid JSON: {exc.msg}", span)]
    except RecursionError:
        return None, [error("E0602", "not valid JSON: nested too deeply",
                            Span(file, 1, 1, 1, 2, 0, 1))]
    return decompile_data(data, file, locator=Locator.for_text(json_text, file))


class _Constant(ValueError):
    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


def _reject_constant(name: str) -> Any:
    raise _Constant(name)


class _LongNumber(ValueError):
    def __init__(self, digits: str) -> None:
        super().__init__(digits)
        self.digits = digits


def _whole_number(digits: str) -> int:
    """`json.loads`'s reading of an integer; one too long for MPL is refused (E0214) before
    Python's own limit on converting digits (4300) could raise."""
    if len(digits) > MAX_NUMBER_LENGTH:
        raise _LongNumber(digits)
    return int(digits)


def _long_number(json_text: str, file: str, digits: str) -> Diagnostic:
    """E0214 at the first number in `json_text` spelt `digits` (outside any string)."""
    found = re.search(r"(?<![\w.\"])" + re.escape(digits), json_text)
    at = found.start() if found else 0
    problem = too_long(digits, span_at(file, json_text, at, at + len(digits)))
    assert problem is not None
    return problem
