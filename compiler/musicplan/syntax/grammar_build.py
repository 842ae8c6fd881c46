"""Build the parser's tables from `grammar/mpl.lark`, with Lark.

Lark is the one source of the grammar and of its tables: it analyses the grammar, builds its
basic lexer and its LALR(1) tables, and this module writes what they are into
`_mpl_parser.py` as plain Python literals (the lexer's one regular expression, the keyword
map, the action table and, for each rule, which children its node keeps). `syntax.parse`
drives those tables without importing Lark, so `mpl compile` starts fast. A test
regenerates and compares, so the two never drift; another (tests/syntax/test_parser_equivalence.py)
proves the driver gives what Lark's own parser gives.

    python -m musicplan.syntax.grammar_build          # rewrite _mpl_parser.py
    python -m musicplan.syntax.grammar_build --check  # exit 1 when it is stale
"""

from __future__ import annotations

import hashlib
import pprint
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..resources import grammar_path

GENERATED = Path(__file__).with_name("_mpl_parser.py")
OPTIONS = {"parser": "lalr", "lexer": "basic", "propagate_positions": True,
           "maybe_placeholders": True}


def grammar_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _include(expansion: Sequence[Any], keep_all: bool, empty: tuple[bool, ...]) -> tuple[
        tuple[tuple[int, bool, int], ...], int]:
    """Which children a rule keeps, as Lark's tree builder (`maybe_create_child_filter`)
    decides: (index, spliced, Nones before it) for each kept child, and the Nones after."""
    if empty:
        runs = "".join(str(int(flag)) for flag in empty).split("0")
        nones = [len(run) for run in runs]
    else:
        nones = [0] * (len(expansion) + 1)
    kept = []
    pending = 0
    for index, symbol in enumerate(expansion):
        pending += nones[index]
        if keep_all or not (symbol.is_term and symbol.filter_out):
            kept.append((index, not symbol.is_term and symbol.name.startswith("_"), pending))
            pending = 0
    return tuple(kept), pending + nones[len(expansion)]


def tables() -> dict[str, Any]:
    """The lexer's and the parser's tables, as Lark builds them for the grammar."""
    from lark import Lark
    from lark.grammar import Rule
    from lark.lexer import BasicLexer, PatternStr, TerminalDef

    text = grammar_path().read_text(encoding="utf-8")
    parser = Lark(text, **OPTIONS)  # type: ignore[arg-type]
    lexer = BasicLexer(parser.lexer_conf)
    scanner = lexer.scanner
    pattern = "|".join(f"(?P<{term.name}>{term.pattern.to_regexp()})"
                       for term in scanner.terminals)
    keywords: dict[str, dict[str, str]] = {}
    for name, callback in lexer.callback.items():
        unless: Any = callback  # lark's UnlessCallback: the keywords a NAME may spell
        keywords[str(name)] = {term.pattern.value: str(term.name)
                               for term in unless.scanner.terminals}
    assert set(keywords) <= {"NAME"}, keywords  # the driver looks keywords up for NAME only

    data, memo = parser.memo_serialize([TerminalDef, Rule])  # type: ignore[no-untyped-call]
    table = data["parser"]["parser"]
    names = table["tokens"]
    rule_objects = parser.rules
    by_id = {}
    for key, value in memo.items():
        if isinstance(value, dict) and value.get("__type__") == "Rule":
            by_id[key] = next(rule for rule in rule_objects if rule.origin.name ==
                              value["origin"]["name"] and rule.order == value["order"] and
                              [s.name for s in rule.expansion] ==
                              [s["name"] for s in value["expansion"]])
    order = list(rule_objects)
    rules = []
    for rule in order:
        options = rule.options
        assert not options.template_source, rule
        include, after = _include(rule.expansion, options.keep_all_tokens, options.empty_indices)
        name = rule.alias or rule.origin.name
        if options.expand1 and not rule.alias:
            kind = "single"
            assert len(include) == 1 and not include[0][1] and not include[0][2] and not after, rule
        elif name.startswith("_"):
            kind = "inline"
        else:
            kind = "line" if name == "line" else "node"
        rules.append((str(rule.origin.name), len(rule.expansion), kind, str(name), include, after))
    states = []
    for index in range(len(table["states"])):
        actions = {}
        for token, (action, argument) in table["states"][index].items():
            if action == 0:  # shift (or, after a reduction, go to)
                actions[str(names[token])] = argument
            else:
                actions[str(names[token])] = -1 - order.index(by_id[argument["@"]])
        states.append(actions)
    assert sorted(table["states"]) == list(range(len(states)))
    start, end, states = _renumbered(table["start_states"]["start"],
                                     table["end_states"]["start"], states)
    return {
        "PATTERN": pattern,
        "KEYWORDS": dict(sorted(keywords.get("NAME", {}).items())),
        "NEWLINE_TYPES": tuple(sorted(map(str, lexer.newline_types))),
        "IGNORE": tuple(sorted(map(str, lexer.ignore_types))),
        "STRINGS": dict(sorted((str(term.name), term.pattern.value) for term in parser.terminals
                               if isinstance(term.pattern, PatternStr))),
        "START": start,
        "END": end,
        "RULES": tuple(rules),
        "STATES": tuple(states),
    }


def _renumbered(start: int, end: int, states: list[dict[str, int]]) -> tuple[
        int, int, list[dict[str, int]]]:
    """The states numbered in the order a walk from `start` meets them (symbols in name
    order), each state's actions in name order: Lark numbers them in an order that changes
    with string hashing, and the generated file should not."""
    order = [start]
    number = {start: 0}
    for state in order:
        for symbol in sorted(states[state]):
            target = states[state][symbol]
            if target >= 0 and target not in number:
                number[target] = len(order)
                order.append(target)
    assert len(order) == len(states), "every state is reachable"
    renumbered = [{symbol: number[target] if target >= 0 else target
                   for symbol, target in sorted(states[state].items())} for state in order]
    return number[start], number[end], renumbered


def generate() -> str:
    """The source of the tables module for the current grammar."""
    text = grammar_path().read_text(encoding="utf-8")
    lines = ["# Generated by musicplan.syntax.grammar_build from grammar/mpl.lark; do not edit.",
             "# ruff: noqa", "# mypy: ignore-errors",
             f"GRAMMAR_SHA256 = {grammar_digest(text)!r}",
             "# RULES: (origin, length, kind, callback, kept children, Nones after); STATES:",
             "# terminal or rule -> next state (a shift, or a go-to), or -1 - rule (a reduction)"]
    for name, value in tables().items():
        lines.append(f"{name} = {pprint.pformat(value, width=100, sort_dicts=False)}")
    return "\n".join(lines) + "\n"


def is_fresh() -> bool:
    """Whether `_mpl_parser.py` was generated from the grammar as it is now."""
    if not GENERATED.exists():
        return False
    head = GENERATED.read_text(encoding="utf-8").split("\n", 4)[3]
    digest = grammar_digest(grammar_path().read_text(encoding="utf-8"))
    return head == f"GRAMMAR_SHA256 = {digest!r}"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if "--check" in argv:
        if is_fresh():
            return 0
        print(f"{GENERATED} is stale: run python -m musicplan.syntax.grammar_build",
              file=sys.stderr)
        return 1
    GENERATED.write_text(generate(), encoding="utf-8")
    print(f"wrote {GENERATED}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
