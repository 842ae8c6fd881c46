"""The decompiler's intake: which kind of JSON this is, and whether it is a music_v2 plan.

Accepts a bare plan `{"chunks": [...]}`, a request body (`composition_plan` + options) or a
detailed/upload response (`composition_plan` beside `song_metadata`, `song_id`, ...). A null
member is an absent one; a number with an integral value is that integer where one is
expected; a camelCase key is an error at every level. Checks keys and types only, pointing
into the JSON; limits (durations, counts, ranges) are left to the
compiler's own checks, run on the lifted tree (see lift.py), so both agree.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from ..diagnostics import Diagnostic, error, warning
from ..diagnostics.suggest import did_you_mean
from ..limits import MAX_CHUNKS, MIN_CHUNKS
from ..resolve.header import DEFAULT_MODEL, MODELS, OTHER_MODELS
from ..syntax.literals import plain_number, too_long
from ..syntax.parse import is_text
from .chunks import check_chunk, integral, present, snake
from .positions import Locator

V1_KEYS = ("sections", "positive_global_styles", "negative_global_styles")
# request-body options MPL's plan header carries, with the JSON type each takes
OPTION_TYPES: dict[str, tuple[type, ...]] = {
    "seed": (int,), "store_for_inpainting": (bool,), "sign_with_c2pa": (bool,),
    "finetune_id": (str,), "finetune_strength": (int, float), "output_format": (str,)}
DROPPED = ("with_timestamps", "with_waveform_visual", "respect_sections_durations",
           "enable_logging")
PROMPT_ONLY = ("prompt", "music_length_ms", "force_instrumental")
# every key a compose request body may hold (music-v2.md, "Requests" and "Newer facts"):
# each is decompiled, or reported
REQUEST_KEYS = ("composition_plan", "model_id", *OPTION_TYPES, *DROPPED, *PROMPT_ONLY,
                "music_prompt")
# what only a detailed or upload response holds besides its plan; read past, as documented
RESPONSE_ONLY = ("song_metadata", "words_timestamps", "waveform_visual", "song_id")
RESPONSE_KEYS = ("composition_plan", *RESPONSE_ONLY)
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
        self.options: dict[str, Any] = {}  # a request body's options, once read

    # ---- reporting -------------------------------------------------------------------
    def unknown(self, where: Locator, path: tuple[str | int, ...], key: str,
                allowed: tuple[str, ...], what: str) -> None:
        hint = None
        if key in PROMPT_ONLY:
            hint = "only prompt requests take it; a plan says everything in its chunks"
        elif snake(key) in allowed:
            hint = f"write `{snake(key)}`: the API's keys are snake_case"
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
        if ok and isinstance(value, float):  # 1e308 would be 309 digits in MPL: E0214
            problem = too_long(plain_number(value), where.span(*path), written=repr(value))
            if problem is not None:
                self.diagnostics.append(problem)
                return False
        if not ok:
            self.wrong_type(where, path, " or ".join(_TYPE_WORDS[t] for t in types))
        return ok

    def short(self, where: Locator, path: tuple[str | int, ...], value: int) -> bool:
        """Whether a whole number has at most MAX_NUMBER_LENGTH digits, as one read from MPL
        source must (E0214): `1e300` is whole, but no time or seed is that long."""
        problem = too_long(str(value), where.span(*path))
        if problem is not None:
            self.diagnostics.append(problem)
        return problem is None

    def members(self, where: Locator, data: dict[str, Any], allowed: tuple[str, ...],
                what: str) -> dict[str, tuple[str, Any]]:
        """The non-null members of `data`, by their snake_case name, each with its key as
        written. Unknown keys are E0603; so is a camelCase one, whose value is still read
        (so its own mistakes are reported in the same run) unless the snake_case key is
        there too."""
        found: dict[str, tuple[str, Any]] = {}
        for key, value in data.items():
            name = snake(key)
            if key not in allowed:
                self.unknown(where, (), key, allowed, what)
                if name not in allowed or name in data:
                    continue
            if value is not None:
                found[name] = (key, value)
        return found

    # ---- the document ------------------------------------------------------------------
    def document(self, data: Any) -> PlanInput | None:
        where = self.where
        if not isinstance(data, dict):
            self.diagnostics.append(error(
                "E0601", "expected a JSON object: a music_v2 plan {\"chunks\": [...]}, a request "
                "body or a detailed response", where.span()))
            return None
        plan_key = next((k for k in ("composition_plan", "compositionPlan") if k in data), None)
        if plan_key is None and "chunks" in data:
            return self.plan(data, where)
        if plan_key is None:
            self.not_a_plan(data, where)
            return None
        if any(snake(key) in RESPONSE_ONLY for key in data):
            return self.response(data)
        return self.request(data)

    def not_a_plan(self, data: dict[str, Any], where: Locator) -> None:
        data = present(data)
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

    def response(self, data: dict[str, Any]) -> PlanInput | None:
        """A detailed or upload response: its plan; the rest is about the audio."""
        members = self.members(self.where, data, RESPONSE_KEYS, "the response")
        if "composition_plan" not in members:
            self.diagnostics.append(error(
                "E0605", "the response's composition_plan is null: it holds no plan",
                self.where.span(next(k for k in data if snake(k) == "composition_plan")),
                hint="an upload answers with a plan only when asked: "
                "extract_composition_plan=music_v2 (`mpl upload` asks)"))
            return None
        key, plan = members["composition_plan"]
        return self.plan(plan, self.where.within(key))

    def request(self, data: dict[str, Any]) -> PlanInput | None:
        where = self.where
        members = self.members(where, data, REQUEST_KEYS, "the request body")
        options: dict[str, Any] = {}
        for name, (key, value) in members.items():
            if name in OPTION_TYPES:
                whole = OPTION_TYPES[name] == (int,)
                value = integral(value) if whole else value
                if self.typed(where, (key,), value, OPTION_TYPES[name]) and \
                        (not whole or self.short(where, (key,), value)):
                    options[name] = value
            elif name in DROPPED:
                self.diagnostics.append(warning(
                    "W0601", f"`{key}` is left out: MPL's plan header has no option for it",
                    where.span(key, key=True), hint="pass it when sending the request"))
            elif name in PROMPT_ONLY and key == name and "composition_plan" in members:
                self.diagnostics.append(error(
                    "E0603", f"`{key}` is for prompt requests; a request with a "
                    "composition_plan does not take it", where.span(key, key=True),
                    hint="only prompt requests take it; a plan says everything in its chunks"))
            elif name == "music_prompt":
                self.diagnostics.append(error(
                    "E0603", "`music_prompt` is the old, deprecated name of `composition_plan`",
                    where.span(key, key=True), hint="rename it `composition_plan`"))
        self.options = options
        if "composition_plan" not in members:
            plan_key = next(k for k in data if snake(k) == "composition_plan")
            if "prompt" in members:
                self.not_a_plan(data, where)
            else:
                self.diagnostics.append(error(
                    "E0605", "the request's composition_plan is null", where.span(plan_key),
                    hint='give the plan: "composition_plan": {"chunks": [...]}'))
            return None
        self.model(members.get("model_id"), options)
        self.strength(options)
        key, plan = members["composition_plan"]
        found = self.plan(plan, where.within(key))
        if found is not None:
            found.options = options
        return found

    def strength(self, options: dict[str, Any]) -> None:
        """finetune_strength is 0 or more."""
        strength = options.get("finetune_strength")
        if strength is not None and strength < 0:
            self.diagnostics.append(error("E0606", "finetune_strength must be 0 or more",
                                          self.where.span("finetune_strength")))

    def model(self, member: tuple[str, Any] | None, options: dict[str, Any]) -> None:
        """`model_id`: music_v2 (implicit in MPL) or music_v2_5 (`plan model=music_v2_5`)."""
        if member is None:
            self.diagnostics.append(warning(
                "W0602", "the request has no model_id, so the API would read it as music_v1; "
                "MPL sends music_v2", self.where.span(),
                hint='add "model_id": "music_v2"'))
            return
        key, model = member
        span = self.where.span(key)
        if not isinstance(model, str):
            self.wrong_type(self.where, (key,), "a string")
        elif model in MODELS:
            if model != DEFAULT_MODEL:
                options["model_id"] = model
        elif model in OTHER_MODELS:
            self.diagnostics.append(error(
                "E0608", f"this request is for `{model}`, whose plans are made of sections; "
                "a plan of chunks is for " + " or ".join(MODELS), span,
                hint=f'use "model_id": "{DEFAULT_MODEL}"'))
        else:
            self.diagnostics.append(error(
                "E0607", f"`{model}` is not a model MPL writes plans for", span,
                hint=did_you_mean(model, MODELS) or "models are: " + ", ".join(MODELS)))

    def plan(self, plan: Any, where: Locator) -> PlanInput | None:
        if not isinstance(plan, dict):
            self.wrong_type(where, (), 'an object like {"chunks": [...]}')
            return None
        for name in present(plan):
            if name in V1_KEYS:
                self.v1(where, name)
                return None
            if name != "chunks":
                self.unknown(where, (), name, ("chunks",), "the plan")
        if plan.get("chunks") is None:
            self.diagnostics.append(error(
                "E0605", f"{where.describe('chunks')} is null" if "chunks" in plan
                else f"{where.describe()} has no `chunks`", where.span("chunks"),
                hint=f'a plan is {{"chunks": [...]}}, {MIN_CHUNKS} to {MAX_CHUNKS} chunks'))
            return None
        chunks = plan["chunks"]
        if not isinstance(chunks, list):
            self.wrong_type(where, ("chunks",), "a list of chunks")
            return None
        clean = [check_chunk(self, where, index, chunk) for index, chunk in enumerate(chunks)]
        return PlanInput(plan={"chunks": clean}, options={}, where=where)
