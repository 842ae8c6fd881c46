"""The symbol table resolution gives (`Compilation.symbol_table()`): every declaration and
every use of a name, found by the resolver's own scopes, across files; the language server's
hovers, definitions, references and completion read it."""

from __future__ import annotations

from pathlib import Path

from musicplan.pipeline import compile_text
from musicplan.resolve.symbols import Occurrence, SymbolTable
from musicplan.syntax import nodes as n

SONGS = '''song trailer = "Qw8bZ2nR4tLm6pKx1sVy" length=60s {
  intro 0-10s
  bridge 35s-50s
}
let glue = 2s
'''

MAIN = '''import "./songs.mpl" as lib
import "std/styles"
let t = lib.trailer
let mood = ["warm", cinematic]
template bridge_of(src, feel=mood) {
  let tail = 1s
  keep src bridge
  gen "Tail" tail styles[feel]
}
template never_called(x) {
  keep lib.trailer x
}
keep t intro
bridge_of(src=lib.trailer)
replace lib.trailer 0-5s {
  let short = lib.glue
  gen "Cut" short
}
'''


def compiled(tmp_path: Path, text: str = MAIN) -> tuple[str, SymbolTable]:
    (tmp_path / "songs.mpl").write_text(SONGS, encoding="utf-8")
    compilation = compile_text(text, "main.mpl", base_dir=tmp_path)
    assert compilation.symbols is not None, compilation.diagnostics  # resolved
    return "main.mpl", compilation.symbol_table()


def named(table: SymbolTable, file: str, text: str, word: str,
          nth: int = 0) -> Occurrence:
    """The occurrence of the `nth` `word` written in `text` (the file `file`)."""
    at = -1
    for _ in range(nth + 1):
        at = text.index(word, at + 1)
    found = table.at(file, at)
    assert found is not None and found.span.start == at, word
    return found


def uses(table: SymbolTable, occurrence: Occurrence) -> list[tuple[str, int, bool]]:
    assert occurrence.symbol is not None
    return sorted((o.span.file, o.span.line, o.declaration)
                  for o in table.references(occurrence.symbol))


def test_names_across_files_and_aliases(tmp_path: Path) -> None:
    main, table = compiled(tmp_path)
    trailer = named(table, main, MAIN, "lib.trailer").symbol
    assert trailer is not None and trailer.kind == "song" and trailer.name == "trailer"
    assert trailer.span.file == "songs.mpl" and trailer.span.line == 1
    assert set(trailer.members) == {"intro", "bridge"}
    # Every `lib.trailer` (in an uncalled template's body too) and its declaration.
    assert uses(table, named(table, main, MAIN, "lib.trailer")) == \
        [(main, line, False) for line in (3, 11, 14, 15)] + [("songs.mpl", 1, True)]
    preset = named(table, main, MAIN, "cinematic").symbol
    assert preset is not None and preset.span.file == "std/styles.mpl"
    alias = named(table, main, MAIN, "lib")
    assert alias.declaration and alias.symbol is not None and alias.symbol.kind == "module"
    assert alias.symbol.name == "songs.mpl"
    assert named(table, main, MAIN, '"./songs.mpl"').symbol is alias.symbol


def test_the_file_each_import_read(tmp_path: Path) -> None:
    (tmp_path / "songs.mpl").write_text(SONGS, encoding="utf-8")
    compilation = compile_text(MAIN, "main.mpl", base_dir=tmp_path)
    imports = [s for s in compilation.program.statements if isinstance(s, n.Import)]
    table = compilation.symbol_table()
    assert [table.imported_file(s) for s in imports] == ["songs.mpl", "std/styles.mpl"]
    missing = compile_text('import "./nowhere.mpl"\n', str(tmp_path / "m.mpl"),
                           base_dir=tmp_path)
    [statement] = missing.program.statements
    assert isinstance(statement, n.Import)
    assert missing.symbol_table().imported_file(statement) is None


def test_sections_follow_the_song_a_range_is_taken_from(tmp_path: Path) -> None:
    main, table = compiled(tmp_path)
    intro = named(table, main, MAIN, "intro").symbol  # `keep t intro`: t is lib.trailer
    assert intro is not None and intro.kind == "section" and intro.container == "trailer"
    assert intro.span.file == "songs.mpl" and intro.span.line == 2


def test_parameters_and_block_bindings_stay_in_their_block(tmp_path: Path) -> None:
    main, table = compiled(tmp_path)
    src = named(table, main, MAIN, "src", 1)  # `keep src bridge`
    assert src.symbol is not None and src.symbol.kind == "param"
    assert src.symbol.container == "bridge_of"
    assert uses(table, src) == [(main, 5, True), (main, 7, False), (main, 14, False)]
    argument = named(table, main, MAIN, "src", 2)  # `bridge_of(src=…)`
    assert argument.symbol is src.symbol
    # `keep src bridge`: which song's section depends on each call; the body is read once.
    assert named(table, main, MAIN, "bridge", 1).symbol is None
    assert named(table, main, MAIN, "mood", 1).symbol is named(table, main, MAIN, "mood").symbol
    tail = named(table, main, MAIN, "tail", 1)
    assert tail.symbol is not None and tail.symbol.kind == "binding"
    assert uses(table, tail) == [(main, 6, True), (main, 8, False)]
    assert "tail" not in table.visible(main) and "short" not in table.visible(main)
    x = named(table, main, MAIN, "x", 1)  # the uncalled template's parameter, in its body
    assert x.symbol is not None and x.symbol.kind == "param"


def test_what_a_file_can_use_is_its_scope(tmp_path: Path) -> None:
    main, table = compiled(tmp_path)
    visible = table.visible(main)
    assert {"lib.trailer", "lib.glue", "t", "mood", "bridge_of", "cinematic"} <= set(visible)
    assert "trailer" not in visible and "glue" not in visible  # imported `as lib`
    assert table.default_song is trailer_of(table, main)  # the first song imported
    plain = "import \"./songs.mpl\"\nkeep intro\n"
    main, table = compiled(tmp_path, plain)
    assert table.default_song is not None and table.default_song.name == "trailer"
    intro = named(table, main, plain, "intro").symbol
    assert intro is table.default_song.members["intro"]


def trailer_of(table: SymbolTable, main: str) -> object:
    return named(table, main, MAIN, "lib.trailer").symbol


def test_a_source_with_syntax_errors_gives_the_names_of_what_parsed(tmp_path: Path) -> None:
    """It is not resolved when compiled; its table resolves the part that parsed, imports
    read (their texts kept, for the editor's ranges)."""
    text = 'import "std/recipes"\nimport "./songs.mpl"\nkeep trailer bridge\ngen "A" 10s styles[\n'
    (tmp_path / "songs.mpl").write_text(SONGS, encoding="utf-8")
    compilation = compile_text(text, "typing.mpl", base_dir=tmp_path)
    assert compilation.plan is None and compilation.symbols is None
    table = compilation.symbol_table()
    assert {"loop", "extend", "trailer", "glue"} <= set(table.visible(compilation.file))
    assert "std/recipes.mpl" in compilation.sources and "songs.mpl" in compilation.paths
    bridge = named(table, compilation.file, text, "bridge").symbol
    assert bridge is not None and bridge.kind == "section"
