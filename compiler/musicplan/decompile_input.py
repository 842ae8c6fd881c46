"""The decompiler's intake: which kind of JSON this is, and whether it is a music_v2 plan.

Accepts a bare plan `{"chunks": [...]}`, a request body (`composition_plan` + options) or a
detailed/upload response (`composition_plan`, also spelled `compositionPlan`). Checks keys and
types only, pointing into the JSON; limits (durations, counts, ranges) are left to the
compiler's own checks, run on the lifted tree (see decompile.py), so both agree.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from .decompile_chunks import check_chunk, snake
from .diagnostics import Diagnostic, error, warning
from .json_locate import Locator
from .parse import is_text
from .suggest import did_you_mean

V1_KEYS = ("sections", "positive_global_styles", "negative_global_styles")
# request-body options MPL's plan header carries, with the JSON type each takes
OPTION_TYPES: dict[str, tuple[type, ...]] = {
    "seed": (int,), "store_for_inpainting": (bool,), "sign_with_c2pa": (bool,),
    "finetune_id": (str,), "finetune_strength": (int, float), "output_format": (str,)}
DROPPED = ("with_timestamps", "with_waveform_visual", "respect_sections_durations",
           "enable_logging")
PROMPT_ONLY = ("prompt", "music_length_ms", "force_instrumental")
RESPONSE_MARKS = ("song_metadata", "songMetadata", "words_timestamps", "wordsTimestamps",
                  "compositionPlan", "waveform_visual", "song_id")
_TYPE_WORDS = {int: "a whole number", bool: "true or false", str: "a string",
               float: "a number", list: "a list", dict: "an object"}


@dataclass
class PlanInput:
    """A checked input: the plan (nulls dropped), request options, where the plan lies."""

    plan: dict[str, Any]
    options: dict[str, Any]
    where: Locator
    diagnostics: list[Diagnostic] = field(default_factory=list)


class Intake:
    """Collects diagnostics while checking one JSON document."""

    def __init__(self, locator: Locator) -> None:
        self.where = locator
        self.diagnostics: list[Diagnostic] = []

    # ---- reporting -------------------------------------------------------------------
    def unknown(self, where: Locator, path: tuple[str | int, ...], key: str,
                allowed: tuple[str, ...], what: str) -> None:
        hint = None
        if key in PROMPT_ONLY:
            hint = "only prompt requests take it; a plan says everything in its chunks"
        elif snake(key) in allowed:
            hint = f"did you mean `{snake(key)}`? The API's keys are snake_case"
        else:
            hint = did_you_mean(key, allowed) or "expected one of: " + ", ".join(allowed)
        message = (f"`{key}` is camelCase; did you mean `{snake(key)}`?" if snake(key) in allowed
                   and snake(key) != key else f"unknown key `{key}` in {what}")
        self.diagnostics.append(error("E0603", message, where.span(*path, key, key=True),
                                      hint=hint))

    def wrong_type(self, where: Locator, path: tuple[str | int, ...], expected: str) -> None:
        self.diagnostics.append(error(
            "E0604", f"{where.describe(*path)} must be {expected}", where.span(*path)))

    def typed(self, where: Locator, path: tuple[str | int, ...], value: Any,
              types: tuple[type, ...]) -> bool:
        ok = isinstance(value, types) and (bool in types or not isinstance(value, bool))
        if ok and isinstance(value, float) and not math.isfinite(value):
            ok = False
        if ok and isinstance(value, str) and not is_text(value):
            self.wrong_type(where, path, "text without a lone surrogate (\\ud800–\\udfff)")
            return False
        if not ok:
            self.wrong_type(where, path, " or ".join(_TYPE_WORDS[t] for t in types))
        return ok

    def null(self, where: Locator, path: tuple[str | int, ...]) -> None:
        self.diagnostics.append(warning(
            "W0601", f"{where.describe(*path)} is null; MPL leaves it out, as the API does",
            where.span(*path), hint="an absent key and null mean the same to the API"))

    # ---- the document ------------------------------------------------------------------
    def document(self, data: Any) -> PlanInput | None:
        where = self.where
        if not isinstance(data, dict):
            self.diagnostics.append(error(
                "E0601", "expected a JSON object: a music_v2 plan {\"chunks\": [...]}, a request "
                "body or a detailed response", where.span()))
            return None
        if "chunks" in data:
            return self.plan(data, where)
        plan_key = next((k for k in ("composition_plan", "compositionPlan") if k in data), None)
        if plan_key is not None and (plan_key == "compositionPlan"
                                     or any(mark in data for mark in RESPONSE_MARKS)):
            return self.plan(data[plan_key], where.within(plan_key), key=plan_key)
        if plan_key is not None:
            return self.request(data)
        self.not_a_plan(data, where)
        return None

    def not_a_plan(self, data: dict[str, Any], where: Locator) -> None:
        v1 = next((key for key in V1_KEYS if key in data), None)
        if v1 is not None:
            self.v1(where, v1)
        elif "prompt" in data:
            self.diagnostics.append(error(
                "E0601", "this is a prompt request; it has no plan to decompile",
                where.span("prompt", key=True),
                hint="draft a plan from the prompt first (POST /v1/music/plan), then decompile it"))
        else:
            keys = [key for key in data if isinstance(key, str)]
            close = next((did_you_mean(key, ("chunks", "composition_plan")) for key in keys
                          if did_you_mean(key, ("chunks", "composition_plan"))), None)
            self.diagnostics.append(error(
                "E0601", "no `chunks` and no `composition_plan`: this is not a music_v2 plan",
                where.span(), hint=close or 'a plan looks like {"chunks": [...]}'))
        return None

    def v1(self, where: Locator, key: str) -> None:
        self.diagnostics.append(error(
            "E0601", f"this is a music_v1 plan (it has `{key}`); MPL writes music_v2 plans, "
            "made of `chunks`", where.span(key, key=True),
            hint="music_v1 sections have no chunk-level styles or audio references; rewrite "
            "them as gen chunks"))

    def request(self, data: dict[str, Any]) -> PlanInput | None:
        where = self.where
        options: dict[str, Any] = {}
        for key, value in data.items():
            if key in ("composition_plan", "model_id"):
                continue
            if key in OPTION_TYPES:
                if value is None:
                    self.null(where, (key,))
                elif self.typed(where, (key,), value, OPTION_TYPES[key]):
                    options[key] = value
            elif key in DROPPED:
                self.diagnostics.append(warning(
                    "W0601", f"`{key}` is left out: MPL's plan header has no option for it",
                    where.span(key, key=True), hint="pass it when sending the request"))
            else:
                self.unknown(where, (), key, (*OPTION_TYPES, "composition_plan", "model_id"),
                             "the request body")
        if "prompt" in data:
            return None
        self.model(data)
        self.strength(options)
        found = self.plan(data["composition_plan"], where.within("composition_plan"),
                          key="composition_plan")
        if found is not None:
            found.options = options
        return found

    def strength(self, options: dict[str, Any]) -> None:
        """finetune_strength is 0 or more."""
        strength = options.get("finetune_strength")
        if strength is not None and strength < 0:
            self.diagnostics.append(error("E0606", "finetune_strength must be 0 or more",
                                          self.where.span("finetune_strength")))

    def model(self, data: dict[str, Any]) -> None:
        model = data.get("model_id")
        if "model_id" not in data:
            self.diagnostics.append(warning(
                "W0602", "the request has no model_id, so the API would read it as music_v1; "
                "MPL sends music_v2", self.where.span(),
                hint='add "model_id": "music_v2"'))
        elif not isinstance(model, str):
            self.wrong_type(self.where, ("model_id",), "a string")
        elif model != "music_v2":
            self.diagnostics.append(error(
                "E0601", f"this request is for `{model}`; MPL writes music_v2 plans",
                self.where.span("model_id")))

    def plan(self, plan: Any, where: Locator, key: str | None = None) -> PlanInput | None:
        if not isinstance(plan, dict):
            self.wrong_type(where, (), 'an object like {"chunks": [...]}')
            return None
        for name in plan:
            if name in V1_KEYS:
                self.v1(where, name)
                return None
            if name != "chunks":
                self.unknown(where, (), name, ("chunks",), "the plan")
        if "chunks" not in plan:
            self.diagnostics.append(error("E0605", f"{where.describe()} has no `chunks`",
                                          where.span()))
            return None
        chunks = plan["chunks"]
        if not isinstance(chunks, list):
            self.wrong_type(where, ("chunks",), "a list of chunks")
            return None
        clean = [check_chunk(self, where, index, chunk) for index, chunk in enumerate(chunks)]
        return PlanInput(plan={"chunks": clean}, options={}, where=where)
