"""Editor artefacts follow the grammar: vocabulary covers every Lark keyword; the shipped
TextMate grammar is fresh; and, in the engine VS Code runs, every example and stdlib file is
coloured the way the parser reads it (keywords, strings, times, comments, lyrics; `#` inside
a string or lyric is not a comment; no `invalid.*` scope anywhere)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT
from musicplan.editor import tmgrammar, vocabulary
from musicplan.resources import grammar_path, stdlib_dir

VSCODE = ROOT / "editors" / "vscode"
SOURCES = sorted(ROOT.glob("examples/**/*.mpl")) + sorted(stdlib_dir().glob("*.mpl")) + \
    sorted((ROOT / "docs").glob("*.mpl"))


def test_vocabulary_covers_every_grammar_keyword() -> None:
    keywords = vocabulary.grammar_keywords(grammar_path().read_text(encoding="utf-8"))
    assert keywords, "no keywords found in the grammar"
    assert keywords <= vocabulary.ALL_KEYWORDS, keywords - vocabulary.ALL_KEYWORDS


def test_textmate_grammar_is_fresh() -> None:
    shipped = (VSCODE / "syntaxes" / "mpl.tmLanguage.json").read_text(encoding="utf-8")
    assert shipped == tmgrammar.render(), "run: python -m musicplan.editor.tmgrammar > " \
        "editors/vscode/syntaxes/mpl.tmLanguage.json"


def test_textmate_grammar_names_every_keyword() -> None:
    text = json.dumps(tmgrammar.grammar())
    for word in vocabulary.ALL_KEYWORDS:
        assert word in text, word


def test_package_json_contributes_the_language() -> None:
    package = json.loads((VSCODE / "package.json").read_text(encoding="utf-8"))
    (language,) = package["contributes"]["languages"]
    (grammar,) = package["contributes"]["grammars"]
    assert language["id"] == "mpl" and language["extensions"] == [".mpl"]
    assert grammar == {"language": "mpl", "scopeName": "source.mpl",
                       "path": "./syntaxes/mpl.tmLanguage.json"}
    config = json.loads((VSCODE / "language-configuration.json").read_text(encoding="utf-8"))
    assert config["comments"]["lineComment"] == "#"
    assert ["{", "}"] in config["brackets"] and ["[", "]"] in config["brackets"]


def _scopes(files: list[Path]) -> dict[str, Any]:
    if shutil.which("node") is None or not (VSCODE / "node_modules" / "vscode-textmate").exists():
        if os.environ.get("CI"):
            pytest.fail("CI must run the editor tests: npm ci in editors/vscode first")
        pytest.skip("editors/vscode/node_modules is not installed (npm ci)")
    result = subprocess.run(["node", str(VSCODE / "scripts" / "scopes.js"), *map(str, files)],
                            capture_output=True, text=True, check=True)
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def _lark_tokens(text: str) -> list[Any]:
    from lark import Lark

    comments: list[Any] = []
    parser = Lark(grammar_path().read_text(encoding="utf-8"), parser="lalr", lexer="basic",
                  lexer_callbacks={"COMMENT": comments.append})
    return [*parser.lex(text), *comments]


EXPECT = {"COMMENT": "comment.line.number-sign.mpl", "STRING": "string.quoted.double.mpl",
          "TIME": "constant.numeric.mpl", "NUMBER": "constant.numeric.mpl",
          "TIMESIG": "constant.numeric.mpl"}


def _expected_scope(token: Any) -> str | None:
    if token.type in EXPECT:
        return EXPECT[token.type]
    word = str(token)
    if word in vocabulary.STATEMENT_KEYWORDS:
        return "keyword.control.mpl"
    if word in vocabulary.TIME_WORDS:
        return "constant.numeric.mpl"
    if word in vocabulary.FIELD_WORDS:
        return "keyword.other.mpl"
    return None


@pytest.mark.skipif(not SOURCES, reason="no sources")
def test_every_example_is_coloured_as_the_parser_reads_it() -> None:
    scopes = _scopes(SOURCES)
    for path in SOURCES:
        text = path.read_text(encoding="utf-8")
        lines = text.split("\n")
        at: dict[tuple[int, int], list[str]] = {}
        for line, start, end, names in scopes[str(path)]:
            for col in range(start, end):
                at[(line, col)] = names
            assert not any(name.startswith("invalid") for name in names), (path, line + 1)
        for token in _lark_tokens(text):
            if token.type == "LYRIC":
                bar = token.end_line - 1, lines[token.end_line - 1].index("|")
                assert "punctuation.definition.lyric.mpl" in at[bar], (path, bar)
                for col in range(bar[1] + 1, token.end_column - 1):
                    assert "string.unquoted.lyric.mpl" in at.get((bar[0], col), []), \
                        (path, bar[0] + 1, col)
                continue
            expected = _expected_scope(token)
            if expected is None:
                continue
            for col in range(token.column - 1, token.end_column - 1):
                got = at.get((token.line - 1, col), [])
                assert expected in got, (path.name, token.line, col + 1, str(token), got)


def _fenced(language: str) -> list[str]:
    text = (ROOT / "docs" / "editors.md").read_text(encoding="utf-8")
    import re

    return re.findall(rf"```{language}\n(.*?)```", text, flags=re.S)


def test_helix_snippet_parses_and_names_the_server() -> None:
    import tomllib

    (snippet,) = _fenced("toml")
    config = tomllib.loads(snippet)
    assert config["language-server"]["mpl"] == {"command": "mpl", "args": ["lsp"]}
    (language,) = config["language"]
    assert language["file-types"] == ["mpl"] and language["scope"] == "source.mpl"
    assert language["language-servers"] == ["mpl"]


def test_neovim_emacs_and_sublime_snippets_use_the_same_names() -> None:
    (lua,) = _fenced("lua")
    assert 'mpl = "mpl"' in lua and 'cmd = { "mpl", "lsp" }' in lua
    (elisp,) = _fenced("elisp")
    assert '"mpl" "lsp"' in elisp and '\\\\.mpl' in elisp
    (sublime,) = _fenced("json")
    settings = json.loads(sublime)
    assert settings["clients"]["mpl"]["command"] == ["mpl", "lsp"]
    assert settings["clients"]["mpl"]["selector"] == "source.mpl"


def test_lsp_command_is_registered() -> None:
    from musicplan.cli import COMMANDS

    assert "lsp" in COMMANDS


def test_lsp_check_says_whether_the_server_can_run(monkeypatch: pytest.MonkeyPatch) -> None:
    """What the VS Code extension asks before starting the server: `mpl lsp --check` is 0
    with pygls, and 2 with the install line without it (`--version` works either way)."""
    import builtins

    from click.testing import CliRunner
    from musicplan.cli import main

    assert CliRunner().invoke(main, ["lsp", "--check"]).exit_code == 0
    real_import = builtins.__import__

    def no_pygls(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "pygls":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pygls)
    result = CliRunner().invoke(main, ["lsp", "--check"])
    assert result.exit_code == 2 and 'pip install "musicplan[lsp]"' in result.stderr
    extension = (ROOT / "editors" / "vscode" / "src" / "extension.ts").read_text()
    assert '["lsp", "--check"]' in extension
