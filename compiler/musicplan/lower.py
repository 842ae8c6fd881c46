"""Resolved plan → music_v2 JSON (plain dicts in the API's key order) and a source map.

The compile path stays free of pydantic so `mpl compile` starts fast; `models.py` holds the
pydantic models of the same JSON, and tests validate every output against them and against
the official SDK's types.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .diagnostics import Label
from .resolve import ir
from .resolve.header import DEFAULT_MODEL
from .syntax.records import field, record
from .syntax.spans import Span

MODEL_ID = DEFAULT_MODEL  # sent when the plan header names no model
@record
class ChunkSource:
    """Where chunk N of the plan came from: its statement, its fields, the call chain."""

    span: Span
    fields: dict[str, Span] = field(default_factory=dict)
    context: tuple[Label, ...] = ()


def _range(slice_: ir.Slice) -> dict[str, Any]:
    return {"song_id": slice_.song.song_id,
            "range": {"start_ms": slice_.start_ms, "end_ms": slice_.end_ms}}


def lower_chunk(chunk: ir.Chunk) -> dict[str, Any]:
    """One chunk as the API's JSON object; unsaid optional fields stay absent."""
    if isinstance(chunk, ir.KeepChunk):
        return _range(chunk.slice)
    out: dict[str, Any] = {
        "text": chunk.text,
        "duration_ms": chunk.duration_ms,
        "positive_styles": list(chunk.positive_styles or ()),
    }
    if chunk.negative_styles is not None:
        out["negative_styles"] = list(chunk.negative_styles)
    if chunk.context_adherence is not None:
        out["context_adherence"] = chunk.context_adherence
    if chunk.conditioning is not None:
        out["conditioning_ref"] = _range(chunk.conditioning)
    if chunk.condition_strength is not None:
        out["condition_strength"] = chunk.condition_strength
    return out


def lower(plan: ir.ResolvedPlan) -> dict[str, Any]:
    """The composition plan `{"chunks": [...]}`."""
    return {"chunks": [lower_chunk(chunk) for chunk in plan.chunks]}


def source_map(plan: ir.ResolvedPlan) -> list[ChunkSource]:
    """Chunk index → the spans that produced it (for mapping server errors back)."""
    out = []
    for chunk in plan.chunks:
        fields = dict(chunk.fields) if isinstance(chunk, ir.GenerateChunk) else {
            "song_id": chunk.span, "range": chunk.slice.span}
        out.append(ChunkSource(span=chunk.span, fields=fields, context=chunk.context))
    return out


BODY_OPTIONS = ("seed", "store_for_inpainting", "sign_with_c2pa", "finetune_id",
                "finetune_strength")  # request-body keys besides the plan and `model_id`


def body(composition_plan: Any, options: Mapping[str, Any]) -> dict[str, Any]:
    """The request body for POST /v1/music around a composition plan's JSON (compiled, or
    given as data): `model_id` from `options` (default music_v2), then the `BODY_OPTIONS`
    that `options` sets; `output_format` is a query parameter and is left out (`query`)."""
    out: dict[str, Any] = {"model_id": options.get("model_id") or MODEL_ID,
                           "composition_plan": composition_plan}
    for key in BODY_OPTIONS:
        if options.get(key) is not None:
            out[key] = options[key]
    return out


def query(options: Mapping[str, Any]) -> dict[str, str]:
    """The query parameters `options` sets: `output_format`, `enable_logging`."""
    fmt = options.get("output_format")
    params = {"output_format": str(fmt)} if fmt is not None else {}
    if options.get("enable_logging") is not None:  # `zero_retention` in the plan header
        params["enable_logging"] = "true" if options["enable_logging"] else "false"
    return params


def request_body(plan: ir.ResolvedPlan, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """The whole request body for a compiled plan: its header's options, then `overrides`."""
    return body(lower(plan), {**plan.options.values, **(overrides or {})})


def query_params(plan: ir.ResolvedPlan, overrides: dict[str, Any] | None = None) -> dict[str, str]:
    """The query parameters the plan header and `overrides` set: `output_format`, and
    `enable_logging` for `zero_retention`."""
    return query({**plan.options.values, **(overrides or {})})


def total_ms(plan: ir.ResolvedPlan) -> int:
    return sum(chunk.duration_ms for chunk in plan.chunks)
