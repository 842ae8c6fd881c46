"""songs.mpl: section names, sections derived from plans, and updates that keep the rest."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import EXAMPLES, ROOT
from musicplan.api.registry import (
    KEYWORDS,
    RegistryError,
    RegistryRefuses,
    RegistryUnusable,
    SongEntry,
    check,
    declaration,
    identifier,
    sections_from_json,
    sections_from_plan,
    songs,
    update,
)
from musicplan.pipeline import compile_path, compile_text


@pytest.mark.parametrize(("label", "taken", "expected"), [
    ("Intro", (), "intro"),
    ("Verse 1", (), "verse_1"),
    ("  Pre-Chorus!! ", (), "pre_chorus"),
    ("Café Noir", (), "cafe_noir"),
    ("2nd Verse", (), "part_2nd_verse"),
    ("Keep", (), "part_keep"),
    ("***", (), "part"),
    ("Chorus", ("chorus",), "chorus_2"),
    ("Chorus", ("chorus", "chorus_2"), "chorus_3"),
])
def test_identifier(label: str, taken: tuple[str, ...], expected: str) -> None:
    assert identifier(label, taken) == expected


def test_keywords_follow_the_grammar() -> None:
    grammar = (ROOT / "grammar" / "mpl.lark").read_text()
    words = set(re.findall(r'"([a-z]+)"', grammar))
    assert words <= KEYWORDS, words - KEYWORDS


def test_sections_of_a_rendered_plan() -> None:
    plan = compile_path(EXAMPLES / "trailer.mpl").plan
    assert plan is not None
    assert sections_from_plan(plan) == (("intro", 0, 15_000), ("build", 15_000, 35_000),
                                        ("bridge", 35_000, 50_000), ("outro", 50_000, 60_000))


def test_kept_audio_brings_its_sections_and_names_the_rest() -> None:
    # the edit recipe: the kept 0-50 s of the trailer carries intro, build and bridge along
    plan = compile_path(EXAMPLES / "edit.mpl").plan
    assert plan is not None
    assert [name for name, _, _ in sections_from_plan(plan)] == [
        "intro", "build", "bridge", "outro"]
    source = ('song s = "S" length=60s { chorus 20s-30s }\n'
              'gen "Chorus" 10s styles["a", "b", "c", "d", "e", "f"]\nkeep 10s-40s\n')
    plan = compile_text(source).plan
    assert plan is not None
    assert sections_from_plan(plan) == (("chorus", 0, 10_000), ("s_kept", 10_000, 20_000),
                                        ("chorus_2", 20_000, 30_000), ("s_kept_2", 30_000, 40_000))


def test_sections_from_returned_json() -> None:
    plan = {"chunks": [{"text": "[Verse 1]\nla", "duration_ms": 5000, "positive_styles": []},
                       {"text": "no label", "duration_ms": 3000, "positive_styles": []},
                       {"song_id": "x", "range": {"start_ms": 0, "end_ms": 1000}}]}
    assert sections_from_json(plan) == (("verse_1", 0, 5000), ("part", 5000, 8000),
                                        ("kept", 8000, 9000))
    assert sections_from_json({"chunks": []}) is None
    assert sections_from_json({"chunks": [{"text": "x"}]}) is None


def test_declaration_compiles_back_to_the_same_song() -> None:
    entry = SongEntry(name="t", song_id="ID", length_ms=61_500,
                      sections=(("a", 0, 500), ("b", 500, 61_500)))
    text = declaration(entry)
    assert text == 'song t = "ID" length=1:01.5 {\n  a 0-500ms\n  b 500ms-1:01.5\n}'
    found, diagnostics, _ = songs_from_text(text)
    assert not diagnostics
    assert (found[0].length_ms, found[0].sections) == (61_500, {"a": (0, 500),
                                                                "b": (500, 61_500)})


def songs_from_text(text: str, tmp: Path | None = None) -> tuple[list, list, str]:  # type: ignore[type-arg]
    import tempfile

    path = Path(tempfile.mkdtemp()) / "songs.mpl"
    path.write_text(text)
    return songs(path)


def test_update_keeps_everything_else(tmp_path: Path) -> None:
    path = tmp_path / "songs.mpl"
    original = ('# my songs\nsong old = "X" length=10s  # keep this\n\nlet styles_a = ["x"]\n'
                '\n# rendered from t.mpl on 2020-01-01\nsong t = "T0" {\n  a 0-1s\n}\n# end\n')
    path.write_text(original)
    notes = update(path, SongEntry(name="t", song_id="T1", length_ms=5000), "# rendered today")
    assert [d.code for d in notes] == ["W0207"] and '"T0"' in notes[0].message
    assert path.read_text() == original.replace(
        '# rendered from t.mpl on 2020-01-01\nsong t = "T0" {\n  a 0-1s\n}',
        '# rendered today\nsong t = "T1" length=5s')
    assert update(path, SongEntry(name="new", song_id="N"), "# uploaded") == []
    assert path.read_text().endswith('# end\n\n# uploaded\nsong new = "N"\n')
    assert [p.name for p in tmp_path.iterdir()] == ["songs.mpl"]


def test_update_refuses_to_break_the_registry(tmp_path: Path) -> None:
    path = tmp_path / "songs.mpl"
    path.write_text('let taken = "x"\n')
    with pytest.raises(RegistryError) as caught:
        update(path, SongEntry(name="taken", song_id="N"), "# c")
    assert [d.code for d in caught.value.diagnostics] == ["E0711"]
    assert path.read_text() == 'let taken = "x"\n'
    path.write_text("song = \n")
    with pytest.raises(RegistryError) as caught:
        update(path, SongEntry(name="a", song_id="N"), "# c")
    assert caught.value.diagnostics[0].code.startswith("E01")


def test_a_missing_registry_is_created(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "songs.mpl"
    update(path, SongEntry(name="a", song_id="A"), "# c")
    assert path.read_text() == '# c\nsong a = "A"\n'


@pytest.mark.parametrize("chunks", [
    [{"text": "[A]", "duration_ms": -5000, "positive_styles": []}],
    [{"text": "[A]", "duration_ms": 0, "positive_styles": []}],
    [{"song_id": "x", "range": {"start_ms": 5000, "end_ms": 1000}}],
])
def test_sections_from_nonsense_ranges_are_none(chunks: list[object]) -> None:
    assert sections_from_json({"chunks": chunks}) is None


def test_imports_are_read_beside_the_registry_and_songs_listed_once(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "shared"
    folder.mkdir()
    (folder / "more.mpl").write_text('song b = "B" length=5s\n')
    path = folder / "songs.mpl"
    path.write_text('import "./more.mpl"\nsong a = "A"\n')
    monkeypatch.chdir(tmp_path)
    found, diagnostics, _ = songs(path)
    assert diagnostics == [] and [song.name for song in found] == ["b", "a"]
    update(path, SongEntry(name="c", song_id="C"), "# c")
    assert path.read_text().endswith('song c = "C"\n')


def test_check_before_recording(tmp_path: Path) -> None:
    path = tmp_path / "songs.mpl"
    check(path, "new")  # an absent registry is fine
    path.write_text('let taken = "x"\n')
    with pytest.raises(RegistryError):
        check(path, "taken")
    path.write_bytes(b"\xff\xfe")
    with pytest.raises(RegistryUnusable, match="not UTF-8"):
        check(path, "new")
    with pytest.raises(RegistryUnusable, match="is a folder"):
        check(tmp_path, "new")
    with pytest.raises(RegistryUnusable, match="not a folder"):
        check(path / "songs.mpl", "new")
    assert [p.name for p in tmp_path.iterdir()] == ["songs.mpl"]


def test_a_crlf_registry_keeps_its_line_endings(tmp_path: Path) -> None:
    path = tmp_path / "songs.mpl"
    original = ('# my songs\r\nsong old = "X"\r\n\r\n# rendered from t.mpl on 2020-01-01\r\n'
                'song t = "T0" {\r\n  a 0-1s\r\n}\r\n# end\r\n')
    path.write_bytes(original.encode())
    update(path, SongEntry(name="t", song_id="T1", length_ms=5000,
                           sections=(("a", 0, 1000), ("b", 1000, 5000))), "# rendered today")
    update(path, SongEntry(name="new", song_id="N"), "# uploaded")
    assert path.read_bytes().decode() == (
        '# my songs\r\nsong old = "X"\r\n\r\n# rendered today\r\n'
        'song t = "T1" length=5s {\r\n  a 0-1s\r\n  b 1s-5s\r\n}\r\n# end\r\n'
        '\r\n# uploaded\r\nsong new = "N"\r\n')
    path.write_bytes(b'song a = "A"\n')  # LF stays LF
    update(path, SongEntry(name="b", song_id="B"), "# c")
    assert path.read_bytes() == b'song a = "A"\n\n# c\nsong b = "B"\n'


def test_e0711_points_at_the_file_as_it_is_on_disk(tmp_path: Path) -> None:
    path = tmp_path / "songs.mpl"
    path.write_text('# one\n# two\nlet taken = "x"\n')
    with pytest.raises(RegistryError) as caught:
        check(path, "taken")
    [found] = caught.value.diagnostics
    assert found.code == "E0711" and "`taken` is already declared" in found.message
    assert (found.span.line, found.span.col) == (3, 5)
    on_disk = path.read_text()
    assert caught.value.text == on_disk and on_disk[found.span.start:found.span.end] == "taken"


def test_a_conflict_with_no_place_on_disk_has_no_location(tmp_path: Path) -> None:
    path = tmp_path / "songs.mpl"
    path.write_text('song a = "A"\n')
    broken = SongEntry(name="b", song_id="B", sections=(("x", 0, 1000), ("x", 1000, 2000)))
    with pytest.raises(RegistryRefuses, match=r"recording `b` would break songs\.mpl"):
        update(path, broken, "# c")
    assert path.read_text() == 'song a = "A"\n'
