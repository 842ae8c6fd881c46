"""Imports: unqualified and `as` names, the standard library, confinement, cycles, caching."""

from __future__ import annotations

from pathlib import Path

from language_helpers import build, chunks, codes, only, related, where
from musicplan.syntax import parse as parse_module

SONGS = """
song trailer = "Qw8bZ2nR4tLm6pKx1sVy" length=60s {
  intro 0-15s
  outro 50s-60s
}
song phrase = "Xy12Lm34Np56Qr78St90" length=10s
"""


def test_registry_songs_come_in_unqualified(tmp_path: Path) -> None:
    result = build(tmp_path, {"main.mpl": 'import "./songs.mpl"\nkeep trailer 0-50s\n'
                              "keep trailer outro\n", "songs.mpl": SONGS})
    assert chunks(result) == [
        {"song_id": "Qw8bZ2nR4tLm6pKx1sVy", "range": {"start_ms": 0, "end_ms": 50000}},
        {"song_id": "Qw8bZ2nR4tLm6pKx1sVy", "range": {"start_ms": 50000, "end_ms": 60000}}]
    assert "songs.mpl" in {Path(name).name for name in result.sources}


def test_range_is_checked_against_the_imported_length(tmp_path: Path) -> None:
    result = build(tmp_path, {"main.mpl": 'import "./songs.mpl"\nkeep trailer 0-70s\n',
                              "songs.mpl": SONGS})
    error = only(result, "E0208")
    assert where(error) == ("main.mpl", 2, 14)
    assert related(error)[0][:2] == ("songs.mpl", 1)


def test_default_song_is_the_first_imported_one(tmp_path: Path) -> None:
    result = build(tmp_path, {"main.mpl": 'import "./songs.mpl"\nkeep 0-10s\n',
                              "songs.mpl": SONGS})
    assert chunks(result)[0]["song_id"] == "Qw8bZ2nR4tLm6pKx1sVy"
    assert "W0201" not in codes(result)


def test_default_song_prefers_the_root_file(tmp_path: Path) -> None:
    result = build(tmp_path, {"main.mpl": 'import "./songs.mpl"\nsong mine = "local"\n'
                              "keep 0-10s\nkeep phrase 0-5s\n", "songs.mpl": SONGS})
    assert chunks(result)[0]["song_id"] == "local"


def test_alias_qualifies_names(tmp_path: Path) -> None:
    files = {"main.mpl": 'import "./songs.mpl" as reg\nkeep reg.phrase 0-5s\nkeep phrase 0-5s\n',
             "songs.mpl": SONGS}
    result = build(tmp_path, files)
    assert where(only(result, "E0301")) == ("main.mpl", 3, 6)


def test_stdlib_import_without_extension(tmp_path: Path) -> None:
    result = build(tmp_path, {"main.mpl": 'import "std/styles"\n'
                              'gen "Intro" 10s styles[techno] avoid[instrumental]\n'})
    chunk = chunks(result)[0]
    assert chunk["positive_styles"][0] == "techno"
    assert chunk["negative_styles"][0] == "vocals"
    assert "std/styles.mpl" in result.sources


def test_unknown_stdlib_module(tmp_path: Path) -> None:
    result = build(tmp_path, {"main.mpl": 'import "std/stiles"\nkeep 0-1s\n'})
    error = only(result, "E0501")
    assert error.hint is not None and "styles" in error.hint


def test_missing_file(tmp_path: Path) -> None:
    result = build(tmp_path, {"main.mpl": 'import "./nope.mpl"\n'})
    assert where(only(result, "E0501")) == ("main.mpl", 1, 8)


def test_escaping_the_project_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "outside.mpl").write_text('song s = "x"\n', encoding="utf-8")
    project = tmp_path / "project"
    (project / ".git").mkdir(parents=True)
    result = build(project, {"sub/main.mpl": 'import "../../outside.mpl"\n'
                             'import "../shared.mpl"\nkeep s2 0-5s\n',
                             "shared.mpl": 'song s2 = "y"\n'}, root="sub/main.mpl")
    error = only(result, "E0502")
    assert where(error) == ("main.mpl", 1, 8)
    assert "E0501" not in codes(result)


def test_cycle_reports_the_chain(tmp_path: Path) -> None:
    result = build(tmp_path, {"main.mpl": 'import "./a.mpl"\nkeep 0-5s\n',
                              "a.mpl": 'import "./b.mpl"\nsong s = "x"\n',
                              "b.mpl": 'import "./a.mpl"\n'})
    error = only(result, "E0503")
    assert "./a.mpl → ./b.mpl → ./a.mpl" in error.message
    assert where(error) == ("b.mpl", 1, 8)
    assert [label[:2] for label in related(error)] == [("main.mpl", 1), ("a.mpl", 1)]


def test_importing_the_root_is_a_cycle(tmp_path: Path) -> None:
    result = build(tmp_path, {"main.mpl": 'import "./a.mpl"\nsong s = "x"\nkeep 0-5s\n',
                              "a.mpl": 'import "./main.mpl"\n'})
    assert "E0503" in codes(result)


def test_each_file_is_parsed_once(tmp_path: Path, monkeypatch: object) -> None:
    seen: list[str] = []
    original = parse_module.parse

    def counting(text: str, file: str = "<input>") -> parse_module.ParseResult:
        seen.append(Path(file).name)
        return original(text, file)

    import musicplan.resolve.imports as imports

    monkeypatch.setattr(imports, "parse", counting)  # type: ignore[attr-defined]
    result = build(tmp_path, {"main.mpl": 'import "./a.mpl"\nimport "./b.mpl"\nkeep s 0-5s\n'
                              "keep t 0-5s\n",
                              "a.mpl": 'import "./shared.mpl"\nsong s = "x"\n',
                              "b.mpl": 'import "./shared.mpl"\nsong t = "y"\n',
                              "shared.mpl": 'let x = 5s\n'})
    assert result.ok
    assert sorted(seen) == ["a.mpl", "b.mpl", "shared.mpl"]


def test_name_clash_points_at_both(tmp_path: Path) -> None:
    result = build(tmp_path, {"main.mpl": 'import "./songs.mpl"\nsong phrase = "other"\n'
                              "keep phrase 0-5s\n", "songs.mpl": SONGS})
    error = only(result, "E0303")
    assert where(error) == ("main.mpl", 2, 6)
    assert related(error) == [("main.mpl", 1, "`phrase` also comes from this import")]


def test_chunks_in_an_imported_file_are_refused(tmp_path: Path) -> None:
    result = build(tmp_path, {"main.mpl": 'import "./lib.mpl"\nkeep s 0-5s\n',
                              "lib.mpl": 'song s = "x"\nkeep 0-5s\n'})
    error = only(result, "E0509")
    assert where(error) == ("lib.mpl", 2, 1)
    assert "imported file" in error.message


def test_syntax_error_in_an_imported_file_has_a_frame(tmp_path: Path) -> None:
    from musicplan.diagnostics import render

    result = build(tmp_path, {"main.mpl": 'import "./lib.mpl"\nkeep s 0-5s\n',
                              "lib.mpl": 'song s = "x\n'})
    error = only(result, "E0102")
    assert "1 | song s" in render(error, result.sources)


def test_unused_import_and_binding_warn(tmp_path: Path) -> None:
    result = build(tmp_path, {"main.mpl": 'import "std/styles"\nlet spare = 3s\n'
                              'song s = "x"\nkeep 0-5s\n'})
    assert codes(result).count("W0201") == 2
    assert result.ok


def test_imports_are_not_passed_on(tmp_path: Path) -> None:
    result = build(tmp_path, {"main.mpl": 'import "./lib.mpl"\ngen "A" 5s styles[pop]\n',
                              "lib.mpl": 'import "std/styles"\nlet mine = ["a"]\n'})
    assert where(only(result, "E0306")) == ("main.mpl", 2, 19)


def test_a_parse_cache_is_owned_by_its_caller(tmp_path: Path) -> None:
    """Imported files' parses are kept only by a cache the caller holds (the language server
    holds one); compiling without one keeps nothing between compilations."""
    from musicplan.pipeline import compile_text
    from musicplan.resolve.imports import ParseCache

    (tmp_path / "songs.mpl").write_text(SONGS, encoding="utf-8")
    cache = ParseCache(size=1)
    text = 'import "./songs.mpl"\nkeep 0-10s\n'
    first = compile_text(text, "main.mpl", base_dir=tmp_path, parses=cache)
    again = compile_text(text, "main.mpl", base_dir=tmp_path, parses=cache)
    assert first.ok and again.ok
    [(key, kept)] = cache._parses.items()
    assert key[1].endswith("songs.mpl") and cache.parse(*key) is kept  # reused, not reparsed
    cache.parse("let x = 1s\n", "other.mpl")  # size 1: the older parse goes
    assert list(cache._parses) == [("let x = 1s\n", "other.mpl")]


def test_an_imported_file_that_is_not_utf8_is_e0106_at_the_import(tmp_path: Path) -> None:
    (tmp_path / "bad.mpl").write_bytes(b'let x = "\xff"\n')
    result = build(tmp_path, {"main.mpl": 'import "./bad.mpl"\nkeep 0-10s\n'})
    problem = only(result, "E0106")
    assert where(problem) == ("main.mpl", 1, 8)
    assert problem.message == '"./bad.mpl" is not UTF-8 text: invalid start byte (byte 9)'
