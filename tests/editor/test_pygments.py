"""The Pygments lexer: registered for *.mpl, wins against Maple both ways Pygments picks a
lexer (while Maple source still goes to Maple), and lexes every example without errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT
from musicplan.editor import vocabulary
from musicplan.resources import grammar_path, stdlib_dir
from pygments.lexers import get_lexer_by_name, get_lexer_for_filename, get_lexer_for_mimetype
from pygments.token import Error, Keyword, Name, Number, String, Token

SOURCES = sorted(ROOT.glob("examples/**/*.mpl")) + sorted(stdlib_dir().glob("*.mpl"))
MAPLE = "restart;\nf := x -> x^2 + 1;\nplot(f(x), x = -2..2);\n"


def test_registered_by_name_alias_and_mimetype() -> None:
    assert get_lexer_by_name("mpl").name == "MPL"
    assert get_lexer_for_mimetype("text/x-mpl").name == "MPL"


def test_wins_by_file_name_alone() -> None:
    assert get_lexer_for_filename("song.mpl").name == "MPL"


@pytest.mark.parametrize("path", SOURCES, ids=[p.stem for p in SOURCES])
def test_wins_by_content(path: Path) -> None:
    code = path.read_text(encoding="utf-8")
    assert get_lexer_for_filename("song.mpl", code).name == "MPL"


def test_maple_source_still_goes_to_maple() -> None:
    assert get_lexer_for_filename("song.mpl", MAPLE).name == "Maple"


@pytest.mark.parametrize("path", SOURCES, ids=[p.stem for p in SOURCES])
def test_examples_lex_without_errors(path: Path) -> None:
    tokens = list(get_lexer_by_name("mpl").get_tokens(path.read_text(encoding="utf-8")))
    assert not [value for kind, value in tokens if kind in Error], path


def test_token_types() -> None:
    code = ('plan seed=42 format=mp3_48000_192\nsong s = "id\\n" { intro 0-30s }\n'
            'gen "X" 8 bars styles["a # b"] adherence=low  # note\n  | la # la\n')
    tokens = [(kind, value) for kind, value in get_lexer_by_name("mpl").get_tokens(code)
              if value.strip()]
    assert (Keyword, "plan") in tokens and (Keyword.Type, "seed") in tokens
    assert (Name.Constant, "mp3_48000_192") in tokens and (Name.Constant, "low") in tokens
    assert (Name.Class, "s") in tokens and (Name.Label, "intro") in tokens
    assert (String.Escape, "\\n") in tokens and (Number, "8 bars") in tokens
    assert (Token.Comment.Single, "# note") in tokens
    assert (String.Other, " la # la") in tokens
    assert (String.Double, "a # b") in tokens


def test_every_grammar_keyword_is_coloured() -> None:
    lexer = get_lexer_by_name("mpl")
    for word in vocabulary.grammar_keywords(grammar_path().read_text(encoding="utf-8")):
        kinds = {kind for kind, value in lexer.get_tokens(f"{word} ") if value == word}
        if word in vocabulary.TIME_WORDS:
            kinds = {kind for kind, value in lexer.get_tokens(f"2 {word}")}
            assert Number in kinds, word
        else:
            assert kinds & {Keyword, Keyword.Type}, word
