"""`mpl lsp` driven over real stdio JSON-RPC: diagnostics, hover, inlay hints, completion,
definition, references, symbols, formatting, code actions and semantic tokens."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from lsp_client import LspClient
from musicplan.printer import format_source
from musicplan.resources import stdlib_dir

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
STDLIB = stdlib_dir()  # the installed package's: the wheel's, where CI tests one
CLOCK = r"\d+:\d\d(\.\d{3})?"


@pytest.fixture(scope="module")
def lsp() -> Iterator[LspClient]:
    client = LspClient()
    client.initialize({"textDocument": {"hover": {"contentFormat": ["markdown"]}}})
    yield client
    client.close()


def where(text: str, needle: str, nth: int = 0, plus: int = 0) -> tuple[int, int]:
    """(line, UTF-16 character) of the `nth` occurrence of `needle`, `plus` chars in."""
    at = -1
    for _ in range(nth + 1):
        at = text.index(needle, at + 1)
    at += plus
    line = text.count("\n", 0, at)
    column = text[text.rfind("\n", 0, at) + 1:at]
    return line, len(column.encode("utf-16-le")) // 2


def open_example(lsp: LspClient, name: str) -> tuple[str, str, dict[str, Any]]:
    path = EXAMPLES / name
    text = path.read_text(encoding="utf-8")
    uri = path.resolve().as_uri()
    return uri, text, lsp.open(uri, text)


# ---- diagnostics -----------------------------------------------------------------------

BAD = 'song s = "Qw8bZ2nR4tLm6pKx1sVy" length=60s {\n  outro 50s-60s\n}\nkeep s outr\n'


def test_initialize_advertises_every_feature(lsp: LspClient) -> None:
    capabilities = lsp.capabilities
    for key in ("hoverProvider", "completionProvider", "definitionProvider",
                "referencesProvider", "documentSymbolProvider", "documentFormattingProvider",
                "codeActionProvider", "inlayHintProvider", "semanticTokensProvider"):
        assert capabilities.get(key), key
    legend = capabilities["semanticTokensProvider"]["legend"]
    assert {"keyword", "string", "number", "comment", "enumMember"} <= set(legend["tokenTypes"])


def test_bad_file_then_fixed(lsp: LspClient, tmp_path: Path) -> None:
    uri = (tmp_path / "bad.mpl").as_uri()
    published = lsp.open(uri, BAD)
    [diagnostic] = published["diagnostics"]
    assert diagnostic["code"] == "E0302"
    assert diagnostic["severity"] == 1
    assert diagnostic["source"] == "mpl"
    assert diagnostic["range"] == {"start": {"line": 3, "character": 7},
                                   "end": {"line": 3, "character": 11}}
    assert "did you mean `outro`?" in diagnostic["message"]

    [action] = lsp.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": diagnostic["range"],
        "context": {"diagnostics": [diagnostic]}})
    assert action["kind"] == "quickfix"
    [edit] = action["edit"]["changes"][uri]
    assert edit == {"range": diagnostic["range"], "newText": "outro"}
    assert action["diagnostics"] == [diagnostic]

    fixed = lsp.change(uri, BAD.replace("outr\n", "outro\n"), version=2)
    assert fixed["diagnostics"] == []


def test_ranges_count_utf16_units(lsp: LspClient, tmp_path: Path) -> None:
    text = 'gen "Café 𝄞 ☕" 30s styles["x"] adherence=hihg\n'
    uri = (tmp_path / "wide.mpl").as_uri()
    [diagnostic] = lsp.open(uri, text)["diagnostics"]
    line, character = where(text, "hihg")
    assert diagnostic["range"]["start"] == {"line": line, "character": character}
    assert diagnostic["range"]["end"]["character"] == character + 4
    assert character == len("gen \"Café 𝄞 ☕\" 30s styles[\"x\"] adherence=") + 1  # 𝄞: 2 units


def test_warning_and_template_call_site(lsp: LspClient, tmp_path: Path) -> None:
    text = ('song s = "Qw8bZ2nR4tLm6pKx1sVy" length=60s { outro 50s-60s }\n'
            "template t(part) {\n  keep s part\n}\nt(outr)\n")
    uri = (tmp_path / "calls.mpl").as_uri()
    [diagnostic] = lsp.open(uri, text)["diagnostics"]
    assert diagnostic["code"] == "E0302"
    related = diagnostic["relatedInformation"]
    assert any("expanded from" in item["message"] and item["location"]["uri"] == uri
               and item["location"]["range"]["start"]["line"] == 4 for item in related)


def test_error_in_an_imported_file_shows_at_the_import(lsp: LspClient, tmp_path: Path) -> None:
    (tmp_path / "lib.mpl").write_text('song x = "Qw8bZ2nR4tLm6pKx1sVy" length=\n')
    text = 'import "./lib.mpl"\nkeep x 0-10s\n'
    uri = (tmp_path / "main.mpl").as_uri()
    diagnostics = lsp.open(uri, text)["diagnostics"]
    assert diagnostics, "the syntax error in lib.mpl is reported"
    first = diagnostics[0]
    assert first["range"]["start"]["line"] == 0
    assert first["relatedInformation"][0]["location"]["uri"] == (tmp_path / "lib.mpl").as_uri()


def test_an_imported_file_changed_on_disk_is_seen(tmp_path: Path) -> None:
    """The server asks to watch .mpl files; a change to an import re-checks the importer."""
    client = LspClient()
    try:
        client.initialize({"workspace": {"didChangeWatchedFiles": {
            "dynamicRegistration": True}}})
        lib = tmp_path / "songs.mpl"
        lib.write_text('song x = "Qw8bZ2nR4tLm6pKx1sVy" length=60s\n')
        uri = (tmp_path / "main.mpl").as_uri()
        assert client.open(uri, 'import "./songs.mpl"\nkeep x 0-50s\n')["diagnostics"] == []
        [register] = [r for r in client.server_requests
                      if r["method"] == "client/registerCapability"]
        [registration] = register["params"]["registrations"]
        assert registration["method"] == "workspace/didChangeWatchedFiles"
        assert registration["registerOptions"]["watchers"] == [{"globPattern": "**/*.mpl"}]

        lib.write_text('song x = "Qw8bZ2nR4tLm6pKx1sVy" length=40s\n')
        client.notify("workspace/didChangeWatchedFiles",
                      {"changes": [{"uri": lib.as_uri(), "type": 2}]})
        published = client.wait_for("textDocument/publishDiagnostics",
                                    lambda p: p["uri"] == uri and bool(p["diagnostics"]))
        assert [d["code"] for d in published["diagnostics"]] == ["E0208"]
    finally:
        client.close()


def test_every_example_is_clean_of_errors(lsp: LspClient) -> None:
    for path in sorted(EXAMPLES.glob("*.mpl")):
        _, _, published = open_example(lsp, path.name)
        assert all(d["severity"] != 1 for d in published["diagnostics"]), path.name


def _utf16(text: str, line: int, col: int) -> int:
    """The LSP character of a 1-based code-point column of a 1-based line."""
    line_text = text.split("\n")[line - 1] if line - 1 < text.count("\n") + 1 else ""
    return len(line_text[:col - 1].encode("utf-16-le")) // 2


def test_the_server_and_mpl_check_report_the_same(lsp: LspClient) -> None:
    """Same pipeline, same diagnostics: every code and range `mpl check --format json`
    gives for a file is what the server publishes for it, no more and no less."""
    cases = ROOT / "tests" / "golden" / "diagnostics"
    files = sorted(EXAMPLES.glob("*.mpl")) + sorted(cases.glob("*.mpl"))
    names = [str(path.relative_to(ROOT)) for path in files]
    done = subprocess.run([sys.executable, "-m", "musicplan.cli", "check", "--format", "json",
                           *names], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode in (0, 1), done.stderr
    by_file: dict[str, list[tuple[str, int, int, int, int]]] = {name: [] for name in names}
    texts = {name: (ROOT / name).read_text(encoding="utf-8") for name in names}
    for found in json.loads(done.stdout):
        text = texts[found["file"]]
        by_file[found["file"]].append((
            found["code"], found["line"] - 1, _utf16(text, found["line"], found["col"]),
            found["end_line"] - 1, _utf16(text, found["end_line"], found["end_col"])))
    assert any(by_file.values()) and not all(by_file.values())
    for name, path in zip(names, files, strict=True):
        published = lsp.open(path.resolve().as_uri(), texts[name])["diagnostics"]
        served = [(d["code"], d["range"]["start"]["line"], d["range"]["start"]["character"],
                   d["range"]["end"]["line"], d["range"]["end"]["character"])
                  for d in published]
        assert sorted(served) == sorted(by_file[name]), name


# ---- hover and inlay hints ----------------------------------------------------------------


def hover_text(lsp: LspClient, uri: str, text: str, needle: str, nth: int = 0,
               plus: int = 0) -> str:
    result = lsp.at("textDocument/hover", uri, *where(text, needle, nth, plus))
    assert result is not None, needle
    return str(result["contents"]["value"])


def test_hover_on_chunks_songs_bindings_and_calls(lsp: LspClient) -> None:
    uri, text, _ = open_example(lsp, "edit.mpl")
    kept = hover_text(lsp, uri, text, "keep 0-50s", plus=1)
    assert "0:00 – 0:50" in kept and "kept" in kept and "50 s" in kept
    assert "`trailer` 0:00 – 0:50" in kept
    regen = hover_text(lsp, uri, text, "regen", plus=2)
    assert "0:50 – 1:00" in regen and "new" in regen and "Outro" in regen
    song = hover_text(lsp, uri, text, "trailer", 1)
    assert "Qw8bZ2nR4tLm6pKx1sVy" in song and "length 1:00" in song
    assert "`bridge` 0:35 – 0:50" in song

    uri, text, _ = open_example(lsp, "windows.mpl")
    preset = hover_text(lsp, uri, text, "techno", 1, plus=2)
    assert "standard library preset" in preset and '"four on the floor"' in preset
    assert hover_text(lsp, uri, text, "8 bars", plus=1).count("52.500") == 0
    outro = hover_text(lsp, uri, text, '"Outro"', plus=2)
    assert "0:52.500 – 1:07.500" in outro

    uri, text, _ = open_example(lsp, "stdlib_loop.mpl")
    call = hover_text(lsp, uri, text, "loop(", plus=1)
    assert "template loop(" in call and "expands to" in call
    assert call.count("\n- ") == 3 and "0:08 – 0:13" in call


def test_inlay_hints_on_every_example(lsp: LspClient) -> None:
    for path in sorted(EXAMPLES.glob("*.mpl")):
        uri, text, _ = open_example(lsp, path.name)
        lines = text.split("\n")
        hints = lsp.request("textDocument/inlayHint", {
            "textDocument": {"uri": uri},
            "range": {"start": {"line": 0, "character": 0},
                      "end": {"line": len(lines), "character": 0}}})
        assert hints, path.name
        for hint in hints:
            assert re.fullmatch(rf"{CLOCK} – {CLOCK}(, {CLOCK} – {CLOCK})*", hint["label"])
    uri, text, _ = open_example(lsp, "edit.mpl")
    hints = lsp.request("textDocument/inlayHint", {
        "textDocument": {"uri": uri},
        "range": {"start": {"line": 0, "character": 0}, "end": {"line": 99, "character": 0}}})
    assert [(h["position"]["line"], h["label"]) for h in hints] == \
        [(8, "0:00 – 0:50"), (9, "0:50 – 1:00")]
    assert hints[0]["position"]["character"] == len("keep 0-50s")


# ---- completion ------------------------------------------------------------------------


def labels(lsp: LspClient, uri: str, line: int, character: int) -> list[str]:
    result = lsp.at("textDocument/completion", uri, line, character)
    return [item["label"] for item in result["items"]]


COMPLETE = ('song tune = "Qw8bZ2nR4tLm6pKx1sVy" length=60s {\n  intro 0-10s\n  outro 50s-60s\n}\n'
            'let warm = ["warm"]\n')


@pytest.mark.parametrize(("typed", "wanted", "unwanted"), [
    ("keep ", {"tune", "intro", "outro"}, {"keep"}),
    ("keep tune ", {"intro", "outro"}, {"tune"}),
    ('gen "A" 10s adherence=', {"low", "medium", "high"}, {"xhigh"}),
    ('gen "A" 10s like 0-5s strength=', {"low", "xhigh"}, set()),
    ("plan format=", {"mp3_44100_128", "pcm_44100"}, {"low"}),
    ('gen "B" 10s styles[', {"warm", "techno", "lofi"}, {"tune"}),
    ('gen "B" 10s avoid["x", ', {"warm", "instrumental"}, set()),
    ('import "', {"std/styles", "std/recipes"}, {"keep"}),
    ("", {"song", "keep", "gen", "regen", "template", "replace", "import", "let"}, {"tune"}),
    ('gen "C" 10s ', {"styles[", "adherence=", "like "}, set()),
])
def test_completion(lsp: LspClient, tmp_path: Path, typed: str, wanted: set[str],
                    unwanted: set[str]) -> None:
    uri = (tmp_path / "complete.mpl").as_uri()
    lsp.open(uri, COMPLETE + typed + "\n")
    result = lsp.at("textDocument/completion", uri, COMPLETE.count("\n"), len(typed))
    found = {item["label"] for item in result["items"]}
    assert wanted <= found
    assert not unwanted & found


def test_completion_offers_templates_and_imports_presets(lsp: LspClient, tmp_path: Path) -> None:
    text = 'import "std/recipes"\n\ngen "A" 10s styles[\n'
    uri = (tmp_path / "presets.mpl").as_uri()
    lsp.open(uri, text)
    items = lsp.at("textDocument/completion", uri, 2, 19)["items"]
    techno = next(item for item in items if item["label"] == "techno")
    [edit] = techno["additionalTextEdits"]
    assert edit["newText"] == 'import "std/styles"\n' and edit["range"]["start"]["line"] == 1
    starts = {item["label"] for item in lsp.at("textDocument/completion", uri, 1, 0)["items"]}
    assert {"loop", "extend", "similar", "edit_section"} <= starts


# ---- navigation -------------------------------------------------------------------------


def test_definition_and_references_across_files(lsp: LspClient) -> None:
    uri, text, _ = open_example(lsp, "registry_edit.mpl")
    songs = (EXAMPLES / "shared" / "songs.mpl").resolve()
    songs_text = songs.read_text(encoding="utf-8")
    [found] = lsp.at("textDocument/definition", uri, *where(text, "trailer", 1, 2))
    assert found["uri"] == songs.as_uri()
    assert found["range"]["start"] == dict(zip(("line", "character"),
                                               where(songs_text, "trailer"), strict=True))
    [section] = lsp.at("textDocument/definition", uri, *where(text, "bridge", 0, 1))
    assert section["range"]["start"]["line"] == where(songs_text, "bridge")[0]
    [preset] = lsp.at("textDocument/definition", uri, *where(text, "cinematic", 0, 1))
    assert preset["uri"] == (STDLIB / "styles.mpl").resolve().as_uri()
    [module] = lsp.at("textDocument/definition", uri, *where(text, "./shared", 0, 3))
    assert module["uri"] == songs.as_uri()

    refs = lsp.at("textDocument/references", uri, *where(text, "trailer", 1, 1),
                  context={"includeDeclaration": True})
    assert sorted((r["uri"] == uri, r["range"]["start"]["line"]) for r in refs) == \
        [(False, 1), (True, 4), (True, 6)]

    uri, text, _ = open_example(lsp, "stdlib_loop.mpl")
    [template] = lsp.at("textDocument/definition", uri, *where(text, "loop(", 0, 1))
    assert template["uri"] == (STDLIB / "recipes.mpl").resolve().as_uri()
    [param] = lsp.at("textDocument/definition", uri, *where(text, "feel=", 0, 1))
    assert param["uri"] == template["uri"]


def test_document_symbols(lsp: LspClient) -> None:
    uri, _, _ = open_example(lsp, "edit.mpl")
    symbols = lsp.request("textDocument/documentSymbol", {"textDocument": {"uri": uri}})
    song = symbols[0]
    assert song["name"] == "trailer"
    assert [child["name"] for child in song["children"]] == ["intro", "build", "bridge", "outro"]
    assert [(s["name"], s.get("detail")) for s in symbols[1:]] == \
        [("keep 0-50s", "0:00 – 0:50"), ("regen Outro", "0:50 – 1:00")]


# ---- formatting and semantic tokens -------------------------------------------------------


def test_formatting_uses_the_printer(lsp: LspClient, tmp_path: Path) -> None:
    text = 'song   s="Qw8bZ2nR4tLm6pKx1sVy"   length=60s\nkeep    0-10s   # first\n'
    uri = (tmp_path / "messy.mpl").as_uri()
    lsp.open(uri, text)
    [edit] = lsp.request("textDocument/formatting", {
        "textDocument": {"uri": uri}, "options": {"tabSize": 2, "insertSpaces": True}})
    expected, _ = format_source(text, "messy.mpl")
    assert edit["newText"] == expected
    uri, _, _ = open_example(lsp, "trailer.mpl")
    assert lsp.request("textDocument/formatting", {
        "textDocument": {"uri": uri}, "options": {"tabSize": 2, "insertSpaces": True}}) == []


def decode(lsp: LspClient, uri: str, text: str) -> dict[str, str]:
    """Each token's text → its type name."""
    legend = lsp.capabilities["semanticTokensProvider"]["legend"]["tokenTypes"]
    data = lsp.request("textDocument/semanticTokens/full", {"textDocument": {"uri": uri}})["data"]
    lines = text.split("\n")
    out: dict[str, str] = {}
    line = character = 0
    for index in range(0, len(data), 5):
        delta_line, delta_char, length, kind, _ = data[index:index + 5]
        line += delta_line
        character = character + delta_char if delta_line == 0 else delta_char
        out.setdefault(lines[line][character:character + length], legend[kind])
    return out


def test_semantic_tokens(lsp: LspClient) -> None:
    uri, text, _ = open_example(lsp, "trailer.mpl")
    tokens = decode(lsp, uri, text)
    assert tokens["plan"] == "keyword" and tokens["gen"] == "keyword"
    assert tokens["seed"] == "property" and tokens["styles"] == "property"
    assert tokens["mp3_48000_192"] == "enumMember" and tokens["high"] == "enumMember"
    assert tokens["15s"] == "number" and tokens["7"] == "number"
    assert tokens['"Intro"'] == "string" and tokens[" Rise from the ashes"] == "string"
    assert tokens["|"] == "operator"
    assert tokens[text.split("\n")[0]] == "comment"

    uri, text, _ = open_example(lsp, "windows.mpl")
    tokens = decode(lsp, uri, text)
    assert tokens["track"] == "namespace" and tokens["techno"] == "variable"
    assert tokens["replace"] == "keyword" and tokens["stretch"] == "property"
    assert tokens["4/4"] == "number" and tokens["bar 9"] == "number"



def test_changes_are_debounced(lsp: LspClient, tmp_path: Path) -> None:
    uri = (tmp_path / "typing.mpl").as_uri()
    lsp.open(uri, BAD)
    for version, ending in enumerate(("o", "ou", "outro"), start=2):
        lsp.notify("textDocument/didChange", {
            "textDocument": {"uri": uri, "version": version},
            "contentChanges": [{"text": BAD.replace("outr\n", ending + "\n")}]})
    last = lsp.wait_for("textDocument/publishDiagnostics", lambda p: p["uri"] == uri)
    assert last["version"] == 4 and last["diagnostics"] == []
    lsp.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
    closed = lsp.wait_for("textDocument/publishDiagnostics", lambda p: p["uri"] == uri)
    assert closed["diagnostics"] == []


def test_completion_survives_a_half_typed_list(lsp: LspClient, tmp_path: Path) -> None:
    uri = (tmp_path / "half.mpl").as_uri()
    text = COMPLETE + 'gen "A" 10s styles["x"]\nkeep intro\n'
    lsp.open(uri, text)
    typing = text.replace('styles["x"]', "styles[")
    lsp.change(uri, typing, version=2)
    line, character = where(typing, "styles[", plus=len("styles["))
    found = {item["label"] for item in
             lsp.at("textDocument/completion", uri, line, character)["items"]}
    assert {"warm", "techno"} <= found
