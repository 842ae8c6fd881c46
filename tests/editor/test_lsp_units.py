"""The language server's parts without a client: semantic tokens against the grammar's
keywords, positions in every encoding, and the command's start-up behaviour."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from lsprotocol import types
from musicplan.editor import vocabulary
from musicplan.editor.lsp import tokens
from musicplan.editor.lsp.document import Analysis
from musicplan.editor.lsp.positions import LineIndex
from musicplan.resources import grammar_path

ROOT = Path(__file__).resolve().parents[2]

EVERY_KEYWORD = """\
import "std/styles" as st
plan seed=7 format=mp3_44100_128 store
tempo 120 4/4
song s = "Qw8bZ2nR4tLm6pKx1sVy" length=32 bars {
  intro bar 1-bar 5
}
let hook = 2 beats
template t(x, y=1 beat) {
  keep s x
  gen "L" 3s lyrics
}
keep s intro
gen "A" 4 bars styles[st.house] avoid["x"] adherence=high like s 0-10s strength=xhigh
regen "B" hook text "words"
t(0-2s)
replace s bar 9-bar 13 stretch {
  gen "C" 2 bars
}
"""


def test_every_grammar_keyword_has_a_token_type() -> None:
    words = vocabulary.grammar_keywords(grammar_path().read_text(encoding="utf-8"))
    assert words, "the grammar has keywords"
    missing = sorted(word for word in words if tokens.word_type(word) is None)
    assert missing == []


def test_every_grammar_keyword_is_coloured_in_a_document(tmp_path: Path) -> None:
    analysis = Analysis((tmp_path / "all.mpl").as_uri(), EVERY_KEYWORD)
    coloured = {EVERY_KEYWORD[start:end]: kind
                for start, end, kind, _ in tokens.collect(analysis)}
    words = vocabulary.grammar_keywords(grammar_path().read_text(encoding="utf-8"))
    for word in words - {"bar", "bars", "beat", "beats"}:  # inside times: numbers
        assert coloured.get(word) in ("keyword", "property"), word
    for time in ("32 bars", "bar 1", "2 beats", "1 beat", "4 bars"):
        assert coloured[time] == "number"
    assert coloured["hook"] == "variable" and coloured["t"] == "function"
    assert coloured["x"] == "parameter" and coloured["intro"] == "type"
    assert coloured["st.house"] == "variable" and coloured["xhigh"] == "enumMember"


@pytest.mark.parametrize(("encoding", "units"), [
    (types.PositionEncodingKind.Utf16, 2), (types.PositionEncodingKind.Utf8, 4),
    (types.PositionEncodingKind.Utf32, 1)])
def test_positions_in_each_encoding(encoding: str, units: int) -> None:
    text = 'gen "𝄞x" 1s\nkeep 0-1s\n'
    index = LineIndex(text, encoding)
    x = text.index("x")
    position = index.position(x)
    assert (position.line, position.character) == (0, 5 + units)
    assert index.offset(position) == x
    assert index.offset(types.Position(line=1, character=4)) == text.index("keep") + 4


def run(*code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", "\n".join(code)], capture_output=True,
                          text=True, cwd=ROOT, timeout=60)


def test_without_pygls_the_command_says_how_to_install_it() -> None:
    done = run("import sys", "sys.modules['pygls'] = None",
               "from musicplan.cli import main", "main(['lsp'], prog_name='mpl')")
    assert done.returncode == 2
    assert 'pip install "musicplan[lsp]"' in done.stderr
    assert "Traceback" not in done.stderr


def test_compile_path_does_not_import_pygls() -> None:
    done = run("import sys", "from musicplan.cli import main",
               "try:\n    main(['compile', 'examples/edit.mpl'], prog_name='mpl')",
               "except SystemExit:\n    pass",
               "assert 'pygls' not in sys.modules and 'lsprotocol' not in sys.modules")
    assert done.returncode == 0, done.stderr


def test_python_dash_m_runs_the_cli() -> None:
    done = subprocess.run([sys.executable, "-m", "musicplan.cli", "lsp", "--help"],
                          capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert done.returncode == 0 and "language server" in done.stdout


@pytest.mark.parametrize(("text", "new_text"), [
    ('import "std/style"\n', '"std/styles"'),
    ("plan sed=4\n", "seed"),
    ('gen "A" 1s adherence=hihg\n', "high"),
])
def test_quick_fixes_from_did_you_mean_hints(tmp_path: Path, text: str, new_text: str) -> None:
    from musicplan.editor.lsp.actions import quick_fix

    analysis = Analysis((tmp_path / "fix.mpl").as_uri(), text)
    fixes = [quick_fix(analysis, d) for d in analysis.compilation.diagnostics]
    edits = [edit.new_text for fix in fixes if fix and fix.edit and fix.edit.changes
             for edit in fix.edit.changes[analysis.uri]]
    assert edits == [new_text]


SONG = 'song tune = "Qw8bZ2nR4tLm6pKx1sVy" length=60s {\n  intro 0-10s\n}\nlet warm = ["warm"]\n'


def test_an_analysis_does_not_keep_the_versions_before_it(tmp_path: Path) -> None:
    """Each version gets the one before it; none may keep it (a server that was edited a
    thousand times held a thousand compilations)."""
    import gc
    import weakref

    uri = (tmp_path / "edits.mpl").as_uri()
    first = Analysis(uri, SONG, 1)
    seen = weakref.ref(first)
    clean = Analysis(uri, SONG + "keep intro\n", 2, previous=first)
    typing = Analysis(uri, SONG + 'gen "A" 10s styles[\n', 3, previous=clean)
    assert not typing.parsed and clean.parsed
    still_typing = Analysis(uri, SONG + 'gen "A" 10s styles[w\n', 4, previous=typing)
    kept = weakref.ref(clean), weakref.ref(typing)
    del first, clean, typing
    gc.collect()
    assert seen() is None and [ref() for ref in kept] == [None, None]
    # What completion needs from the last clean version is still there, without it.
    assert {"tune", "warm"} <= set(still_typing.visible_names())
    default = still_typing.default_song()
    assert default is not None and default.name == "tune"


def test_a_clean_version_forgets_names_that_were_deleted(tmp_path: Path) -> None:
    uri = (tmp_path / "deleted.mpl").as_uri()
    before = Analysis(uri, SONG, 1)
    after = Analysis(uri, SONG.replace('let warm = ["warm"]\n', ""), 2, previous=before)
    assert "warm" not in after.visible_names()


def test_a_compiler_failure_leaves_an_answering_analysis(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from musicplan import pipeline
    from musicplan.editor.lsp import completion, hover, inlay, navigation
    from musicplan.editor.lsp.diagnostics import lsp_diagnostics

    def failing(*_: object, **__: object) -> None:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(pipeline, "compile_text", failing)
    analysis = Analysis((tmp_path / "bug.mpl").as_uri(), SONG + "keep intro\n", 1)
    [shown] = lsp_diagnostics(analysis)
    assert shown.severity == types.DiagnosticSeverity.Error
    assert (shown.range.start.line, shown.range.start.character) == (0, 0)
    assert "compiler failed" in shown.message and "RecursionError" in shown.message
    at = types.Position(line=4, character=6)
    assert hover.hover(analysis, at) is None
    assert navigation.definition(analysis, at) == []
    assert inlay.inlay_hints(analysis) == []
    assert tokens.semantic_tokens(analysis).data is not None
    line_start = types.Position(line=4, character=0)
    assert "keep" in {item.label for item in completion.completion(analysis, line_start)}


def test_completion_past_the_end_of_the_document(tmp_path: Path) -> None:
    from musicplan.editor.lsp import completion

    analysis = Analysis((tmp_path / "end.mpl").as_uri(), SONG, 1)
    for line, character in ((40, 0), (2, 400), (40, 9)):
        found = completion.completion(analysis, types.Position(line=line, character=character))
        assert found, (line, character)
