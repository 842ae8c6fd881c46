"""pydantic models of MPL's output, named as the official SDK names them, with the
music_v2 limits written into them. `mpl schema` prints their JSON Schema; tests validate
every compiled example against them. Not imported on the compile path (start-up time)."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .limits import (
    MAX_CHUNKS,
    MAX_CONDITIONING_MS,
    MAX_GENERATION_MS,
    MAX_LABEL,
    MAX_LINE,
    MAX_LINES,
    MAX_SEED,
    MAX_STYLES,
    MAX_TOTAL_MS,
    MIN_CHUNKS,
    MIN_GENERATION_MS,
    MIN_RANGE_MS,
    MIN_TOTAL_MS,
)

Style = Annotated[str, Field(min_length=1)]
ContextAdherence = Literal["low", "medium", "high"]
ConditionStrength = Literal["low", "medium", "high", "xhigh"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TimeRange(_Strict):
    """A slice of a stored song, in integer milliseconds; at least 50 ms (MIN_RANGE_MS) long."""

    start_ms: int = Field(ge=0)
    end_ms: int = Field(ge=0)

    @model_validator(mode="after")
    def _forward_and_long_enough(self) -> TimeRange:
        if self.end_ms - self.start_ms < MIN_RANGE_MS:
            raise ValueError(f"a time range runs forwards and lasts at least {MIN_RANGE_MS} ms")
        return self


class AudioReference(_Strict):
    """An audio-reference chunk (and the shape of `conditioning_ref`)."""

    song_id: str = Field(min_length=1)
    range: TimeRange


class GenerationChunk(_Strict):
    """A generation chunk; optional fields absent unless the source said them."""

    text: str
    duration_ms: int = Field(ge=MIN_GENERATION_MS, le=MAX_GENERATION_MS)
    positive_styles: list[Style] = Field(max_length=MAX_STYLES)
    negative_styles: list[Style] | None = Field(default=None, max_length=MAX_STYLES)
    context_adherence: ContextAdherence | None = None
    conditioning_ref: AudioReference | None = None
    condition_strength: ConditionStrength | None = None

    @field_validator("text")
    @classmethod
    def _text_limits(cls, text: str) -> str:
        # the limits checks/text_limits.py reports (E0215-E0218): 1-100 characters in a
        # leading [label], at most 30 lines (the label's counted) of at most 200 characters
        lines = text.split("\n")
        label = re.fullmatch(r"\[(.*)\]", lines[0])
        if label is not None and not 1 <= len(label.group(1)) <= MAX_LABEL:
            raise ValueError(f"a chunk's [label] has 1 to {MAX_LABEL} characters")
        if len(lines) > MAX_LINES:
            raise ValueError(f"a chunk's text has at most {MAX_LINES} lines")
        if any(len(line) > MAX_LINE for line in lines):
            raise ValueError(f"a line of a chunk's text has at most {MAX_LINE} characters")
        return text

    @model_validator(mode="after")
    def _conditioning(self) -> GenerationChunk:
        ref = self.conditioning_ref
        if ref is not None and ref.range.end_ms - ref.range.start_ms > MAX_CONDITIONING_MS:
            raise ValueError(f"a conditioning slice lasts at most {MAX_CONDITIONING_MS} ms")
        if self.condition_strength is not None and ref is None:
            raise ValueError("condition_strength needs conditioning_ref")
        return self


Chunk = AudioReference | GenerationChunk


class CompositionPlan(_Strict):
    """A music_v2 composition plan: 1 to 30 chunks, 3 s to 10 min in all."""

    chunks: list[Chunk] = Field(min_length=MIN_CHUNKS, max_length=MAX_CHUNKS)

    @property
    def total_ms(self) -> int:
        """The song's length: every chunk's duration or kept range, added up."""
        return sum(c.duration_ms if isinstance(c, GenerationChunk)
                   else c.range.end_ms - c.range.start_ms for c in self.chunks)

    @model_validator(mode="after")
    def _total_length(self) -> CompositionPlan:
        total = self.total_ms
        if not MIN_TOTAL_MS <= total <= MAX_TOTAL_MS:
            raise ValueError(f"the song lasts {total} ms; music_v2 needs {MIN_TOTAL_MS} to "
                             f"{MAX_TOTAL_MS}")
        return self


class MusicRequest(_Strict):
    """The body of POST /v1/music (and /stream, /detailed) for a composition plan."""

    model_id: Literal["music_v2", "music_v2_5"] = "music_v2"
    composition_plan: CompositionPlan
    seed: int | None = Field(default=None, ge=0, le=MAX_SEED)
    store_for_inpainting: bool | None = None
    sign_with_c2pa: bool | None = None
    finetune_id: str | None = Field(default=None, min_length=1, pattern=r"\S")
    finetune_strength: float | None = None
    with_timestamps: bool | None = None


def dump(model: BaseModel) -> dict[str, object]:
    """The JSON MPL emits for a model: unset fields stay absent."""
    return model.model_dump(mode="json", exclude_unset=True)
