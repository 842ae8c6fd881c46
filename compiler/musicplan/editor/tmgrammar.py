"""The TextMate grammar for MPL (VS Code, Sublime Text, GitHub-style highlighters).

Built from `vocabulary`, so its keyword lists follow the Lark grammar; the shipped file
`editors/vscode/syntaxes/mpl.tmLanguage.json` is this module's output, and a test fails
when it is stale:

    python -m musicplan.editor.tmgrammar > editors/vscode/syntaxes/mpl.tmLanguage.json
"""

from __future__ import annotations

import json
from typing import Any

from . import vocabulary as v

NAME = r"[A-Za-z_][A-Za-z0-9_]*"
QNAME = rf"{NAME}(?:\.{NAME})*"


def _words(words: tuple[str, ...] | list[str]) -> str:
    return r"\b(?:" + "|".join(sorted(words, key=lambda w: (-len(w), w))) + r")\b"


def _times() -> list[dict[str, Any]]:
    numeric = "constant.numeric.mpl"
    return [
        {"match": r"\bbar\s+\d+\b", "name": f"{numeric}"},
        {"match": r"\b\d+(?:\.\d+)?\s+(?:bars|bar|beats|beat)\b", "name": numeric},
        {"match": r"\b\d+(?::\d\d){1,2}(?:\.\d+)?(?![\w:])", "name": numeric},
        {"match": r"\b\d+(?:\.\d+)?(?:ms|s)\b", "name": numeric},
        {"match": r"\b\d+/\d+\b", "name": numeric},
        {"match": r"\b\d+(?:\.\d+)?\b", "name": numeric},
        {"match": r"(?<=[\w.:])-(?=\s*(?:\d|bar\b))", "name": "keyword.operator.range.mpl"},
    ]


def grammar() -> dict[str, Any]:
    """The TextMate grammar as a JSON-ready dict."""
    statement = _words(v.STATEMENT_KEYWORDS)
    repository: dict[str, Any] = {
        "comment": {
            "match": r"(#).*$",
            "name": "comment.line.number-sign.mpl",
            "captures": {"1": {"name": "punctuation.definition.comment.mpl"}},
        },
        "string": {
            "begin": '"', "end": r'"|$',
            "beginCaptures": {"0": {"name": "punctuation.definition.string.begin.mpl"}},
            "endCaptures": {"0": {"name": "punctuation.definition.string.end.mpl"}},
            "name": "string.quoted.double.mpl",
            "patterns": [
                {"match": r'\\(?:["\\/bfnrt]|u[0-9A-Fa-f]{4})',
                 "name": "constant.character.escape.mpl"},
                {"match": r"\\.", "name": "invalid.illegal.escape.mpl"},
            ],
        },
        "lyric": {
            "begin": r"^\s*(\|)", "end": "$",
            "beginCaptures": {"1": {"name": "punctuation.definition.lyric.mpl"}},
            "contentName": "string.unquoted.lyric.mpl",
            "patterns": [
                {"match": r"\{[^}]*\}", "name": "variable.other.direction.lyric.mpl"},
                {"match": r"\([^)]*\)", "name": "constant.other.sound.lyric.mpl"},
            ],
        },
        "times": {"patterns": _times()},
        "enums": {"patterns": [
            {"match": _words(list(v.FORMATS)), "name": "constant.language.format.mpl"},
            {"match": r"(?<==)\s*" + _words(list(v.ENUM_VALUES)),
             "name": "constant.language.mpl"},
        ]},
        "plan": {
            "begin": r"\b(plan)\b", "end": r"$|(?=[;#])",
            "beginCaptures": {"1": {"name": "keyword.control.mpl"}},
            "patterns": [
                {"match": _words(v.OPTION_WORDS), "name": "keyword.other.mpl"},
                {"include": "#enums"}, {"include": "#string"}, {"include": "#times"},
                {"match": "=", "name": "keyword.operator.assignment.mpl"},
            ],
        },
        "song": {
            "begin": rf"\b(song)\b\s*({NAME})?",
            "end": r"(?<=\})|$|(?=[;#])",
            "beginCaptures": {"1": {"name": "keyword.control.mpl"},
                              "2": {"name": "entity.name.song.mpl"}},
            "patterns": [
                {"include": "#string"},
                {"match": r"\blength\b", "name": "keyword.other.mpl"},
                {"match": "=", "name": "keyword.operator.assignment.mpl"},
                {"include": "#times"},
                {"include": "#song-block"},
            ],
        },
        "song-block": {
            "begin": r"\{", "end": r"\}",
            "beginCaptures": {"0": {"name": "punctuation.section.block.begin.mpl"}},
            "endCaptures": {"0": {"name": "punctuation.section.block.end.mpl"}},
            "patterns": [
                {"include": "#comment"},
                {"match": r"\b(tempo)\b", "name": "keyword.control.mpl"},
                {"match": rf"(?:^|(?<=[{{;]))\s*(?!tempo\b)({NAME})(?=\s)",
                 "captures": {"1": {"name": "entity.name.section.mpl"}}},
                {"include": "#times"},
            ],
        },
        "let": {
            "match": rf"\b(let)\s+({NAME})",
            "captures": {"1": {"name": "keyword.control.mpl"},
                         "2": {"name": "entity.name.binding.mpl"}},
        },
        "template": {
            "begin": rf"\b(template)\s+({NAME})\s*(\()", "end": r"\)",
            "beginCaptures": {"1": {"name": "keyword.control.mpl"},
                              "2": {"name": "entity.name.function.template.mpl"},
                              "3": {"name": "punctuation.definition.parameters.begin.mpl"}},
            "endCaptures": {"0": {"name": "punctuation.definition.parameters.end.mpl"}},
            "patterns": [
                {"include": "#comment"},
                {"match": rf"({NAME})(?=\s*(?:=|,|\)|$))",
                 "captures": {"1": {"name": "variable.parameter.mpl"}}},
                {"include": "#values"},
            ],
        },
        "import": {
            "match": rf"\b(import)\b|\b(as)\s+({NAME})",
            "captures": {"1": {"name": "keyword.control.mpl"}, "2": {"name": "keyword.other.mpl"},
                         "3": {"name": "entity.name.namespace.mpl"}},
        },
        "call": {
            "match": rf"({QNAME})\s*(?=\()",
            "captures": {"1": {"name": "variable.function.template.mpl"}},
        },
        "values": {"patterns": [
            {"include": "#string"}, {"include": "#times"}, {"include": "#enums"},
            {"match": _words(v.FIELD_WORDS), "name": "keyword.other.mpl"},
            {"match": "=", "name": "keyword.operator.assignment.mpl"},
            {"match": r"[\[\]]", "name": "punctuation.section.brackets.mpl"},
            {"match": QNAME, "name": "variable.other.mpl"},
        ]},
    }
    return {
        "$schema": "https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json",
        "name": "MPL",
        "scopeName": "source.mpl",
        "fileTypes": ["mpl"],
        "patterns": [
            {"include": "#comment"}, {"include": "#lyric"}, {"include": "#plan"},
            {"include": "#song"}, {"include": "#let"}, {"include": "#template"},
            {"include": "#import"},
            {"match": statement, "name": "keyword.control.mpl"},
            {"include": "#call"}, {"include": "#values"},
        ],
        "repository": repository,
    }


def render() -> str:
    """The shipped JSON text."""
    return json.dumps(grammar(), indent=2) + "\n"


if __name__ == "__main__":
    print(render(), end="")
