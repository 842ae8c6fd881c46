"""Shell completion: every argument or option that names a file completes file names."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from musicplan.cli import main

# (the words typed so far, ending with the one being completed)
FILE_PLACES = [
    "mpl compile exa", "mpl compile a.mpl exa", "mpl compile a.mpl -o out", "mpl check exa",
    "mpl fmt exa", "mpl decompile pla", "mpl decompile plan.json -o out", "mpl explain exa",
    "mpl render exa", "mpl render a.mpl -o out", "mpl render a.mpl --registry so",
    "mpl upload tak", "mpl upload take.mp3 --registry so", "mpl draft x -o out",
    "mpl songs --registry so",
]


def complete(words: str) -> list[str]:
    """What `_MPL_COMPLETE=bash_complete` answers the bash script with, one item a line."""
    result = CliRunner().invoke(main, prog_name="mpl", env={
        "_MPL_COMPLETE": "bash_complete", "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split()) - 1)})
    assert result.exit_code == 0, result.output
    return result.stdout.splitlines()


@pytest.mark.parametrize("words", FILE_PLACES)
def test_file_names_complete(words: str) -> None:
    assert complete(words) == [f"file,{words.split()[-1]}"]


def test_commands_and_options_still_complete_as_words() -> None:
    assert "plain,compile" in complete("mpl comp")
    assert complete("mpl render a.mpl --audio-f") == ["plain,--audio-format"]
