"""The `plan` header: request options, checked and turned into request-body keys."""

from __future__ import annotations

import math
import re

from ..diagnostics import Label, Sink, error
from ..diagnostics.suggest import misspelt
from ..limits import MAX_SEED
from ..syntax import nodes as n
from . import ir

OPTION_KEYS = {
    "model": "model_id",
    "seed": "seed",
    "format": "output_format",
    "store": "store_for_inpainting",
    "c2pa": "sign_with_c2pa",
    "finetune": "finetune_id",
    "finetune_strength": "finetune_strength",
    # zero-retention mode (enterprise only): the query parameter enable_logging=false
    "zero_retention": "enable_logging",
}
# the models whose plan is the chunks plan MPL writes (music-v2.md, "Models"); the first is
# the default, sent when the header names none
MODELS = ("music_v2", "music_v2_5")
DEFAULT_MODEL = MODELS[0]
OTHER_MODELS = ("music_v1",)  # real models whose plans are not chunks plans
OUTPUT_FORMATS = (
    "auto", "mp3_22050_32", "mp3_24000_48", "mp3_44100_32", "mp3_44100_64", "mp3_44100_96",
    "mp3_44100_128", "mp3_44100_192", "mp3_48000_128", "mp3_48000_192", "mp3_48000_240",
    "mp3_48000_320", "pcm_8000", "pcm_16000", "pcm_22050", "pcm_24000", "pcm_32000",
    "pcm_44100", "pcm_48000", "ulaw_8000", "alaw_8000", "opus_48000_32", "opus_48000_64",
    "opus_48000_96", "opus_48000_128", "opus_48000_192",
)


def plan_header(sink: Sink, header: n.PlanHeader, options: ir.RequestOptions) -> None:
    """Read `plan OPTION...` into `options`."""
    values = options.values
    for index, option in enumerate(header.options):
        key = option.name.ident
        api_key = OPTION_KEYS.get(key)
        number = _exponent_base(header.options[index - 1], option) if index else None
        if api_key is None and number is not None:
            sink.report(error("E0211", f"`{number.text}{key}`: MPL numbers have no exponent",
                              number.span.cover(option.span),
                              hint="write the number out in full, e.g. "
                              "finetune_strength=0.8"))
            continue
        if api_key is None:
            sink.report(misspelt("E0211", f"unknown plan option `{key}`", option.name.span,
                                 key, OPTION_KEYS,
                                 otherwise="options are: " + ", ".join(OPTION_KEYS)))
            continue
        if api_key in values:
            sink.report(error("E0212", f"plan option `{key}` given twice", option.span,
                              secondary=[Label(span=options.spans[api_key],
                                               message="first here")]))
            continue
        value = option_value(sink, key, option)
        if value is not None:
            values[api_key] = value
            options.spans[api_key] = option.span


def option_value(sink: Sink, key: str, option: n.PlanOption) -> object | None:
    value = option.value
    if key in ("store", "c2pa", "zero_retention"):
        inverted = key == "zero_retention"  # zero_retention is enable_logging=false
        if value is None:
            return not inverted
        if isinstance(value, n.Name) and value.ident in ("true", "false"):
            return (value.ident == "true") != inverted
        sink.report(error("E0211", f"`{key}` takes no value, or true/false", option.span))
        return None
    if value is None:
        sink.report(error("E0211", f"plan option `{key}` needs a value", option.span,
                          hint=f"write {key}=…"))
        return None
    if key == "seed":
        seed = _seed(value)
        if seed is not None:
            return seed
        sink.report(error("E0211", "seed must be a whole number from 0 to 4294967295",
                          value.span))
        return None
    if key == "format":
        text = value.ident if isinstance(value, n.Name) else getattr(value, "value", "")
        if text in OUTPUT_FORMATS:
            return text
        quoted = isinstance(value, n.Str)
        sink.report(misspelt("E0210", f"`{text}` is not an output format", value.span,
                             str(text), OUTPUT_FORMATS,
                             spelling=lambda f: f'"{f}"' if quoted else f,
                             otherwise="see docs/language.md for the formats"))
        return None
    if key == "model":
        return _model(sink, value)
    if key == "finetune":
        if isinstance(value, n.Str):
            return value.value
        sink.report(error("E0211", 'finetune takes a quoted id: finetune="…"', value.span))
        return None
    if isinstance(value, n.Number) and math.isfinite(float(value.text)):
        return float(value.text)
    sink.report(error("E0211", "finetune_strength takes a (finite) number", value.span))
    return None


def _model(sink: Sink, value: n.Name | n.Str | n.Number) -> str | None:
    """`model=music_v2_5` (or quoted): one of MODELS; music_v1 is E0608, others E0607."""
    text = value.ident if isinstance(value, n.Name) else \
        value.value if isinstance(value, n.Str) else value.text
    if text in MODELS:
        return str(text)
    if text in OTHER_MODELS:
        sink.report(error("E0608", f"`{text}` is not a target: its plans are made of "
                          "sections, not the chunks MPL writes", value.span,
                          hint="write model=music_v2 or model=music_v2_5 (or leave model "
                          "out: music_v2)"))
        return None
    quoted = isinstance(value, n.Str)
    sink.report(misspelt("E0607", f"`{text}` is not a model MPL writes plans for",
                         value.span, str(text), MODELS,
                         spelling=lambda m: f'"{m}"' if quoted else m,
                         otherwise="models are: " + ", ".join(MODELS)))
    return None


def _seed(value: n.Name | n.Str | n.Number) -> int | None:
    """A seed's value, or None when it is not a whole number in 0-MAX_SEED (however many
    digits it is written with)."""
    if not isinstance(value, n.Number) or not value.text.isdigit():
        return None
    digits = value.text.lstrip("0") or "0"
    if len(digits) > len(str(MAX_SEED)) or int(digits) > MAX_SEED:
        return None
    return int(digits)


def _exponent_base(previous: n.PlanOption, option: n.PlanOption) -> n.Number | None:
    """The `1` of `x=1e400` when `option` is its `e400`: an exponent glued to the number."""
    number = previous.value
    if not isinstance(number, n.Number) or option.value is not None or \
            number.span.end != option.span.start:
        return None
    return number if re.fullmatch(r"[eE]\d+", option.name.ident) else None
