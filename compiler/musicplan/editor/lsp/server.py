"""The language server: pygls wiring only. Each request compiles the document at most once
per version (`Analysis`) and hands it to the feature module that answers it.

Every request gets an answer: one on a document that is not open gets the empty one, and a
feature that fails (a bug) answers empty too, with one line on stderr instead of a traceback.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import os
import sys
from collections.abc import Callable
from importlib import metadata
from typing import BinaryIO, Protocol, TypeVar, cast

from lsprotocol import types
from pygls.lsp.server import LanguageServer

from ...resolve.imports import ParseCache
from . import actions, completion, hover, inlay, navigation, tokens
from .diagnostics import failure_diagnostic, lsp_diagnostics
from .document import Analysis
from .stdio import FramedInput, Output, log_line

DEBOUNCE_SECONDS = float(os.environ.get("MPL_LSP_DEBOUNCE_MS", "150")) / 1000


def _version() -> str:
    """The installed package's version (its metadata: `musicplan.__version__` is in the
    top of the package, which the editor's imports may not reach up to)."""
    try:
        return metadata.version("musicplan")
    except metadata.PackageNotFoundError:  # run from a checkout that was never installed
        return "unknown"


class MplServer(LanguageServer):
    """Open documents, their latest analysis, and the diagnostics waiting to be sent."""

    def __init__(self) -> None:
        super().__init__("mpl", _version())
        self.analyses: dict[str, Analysis] = {}
        self.parses = ParseCache()  # imported files parse once, not on every keystroke
        self.pending: dict[str, asyncio.TimerHandle] = {}
        self.shut_down = False  # `shutdown` was asked for
        self.exit_status: int | None = None  # set by `exit`
        self.input: FramedInput | None = None

    def analysis(self, uri: str) -> Analysis:
        """The document's analysis, compiled again only when its text changed."""
        document = self.workspace.get_text_document(uri)
        found = self.analyses.get(uri)
        if found is None or found.text != document.source:
            encoding = str(self.workspace.position_encoding or types.PositionEncodingKind.Utf16)
            found = Analysis(uri, document.source, document.version, encoding, previous=found,
                             parses=self.parses)
            self.analyses[uri] = found
        return found

    def publish(self, uri: str) -> None:
        """Send the document's diagnostics (empty when it is clean)."""
        self.pending.pop(uri, None)
        if uri not in self.workspace.text_documents:
            return
        version = self.workspace.get_text_document(uri).version
        try:
            diagnostics = lsp_diagnostics(self.analysis(uri))
        except Exception as exc:  # a bug: still show something
            log_line(f"diagnostics of {uri} failed: {type(exc).__name__}: {exc}")
            diagnostics = [failure_diagnostic(f"{type(exc).__name__}: {exc}")]
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
            uri=uri, diagnostics=diagnostics, version=version))

    def publish_later(self, uri: str) -> None:
        """Publish after a pause in typing: each change restarts the wait."""
        waiting = self.pending.pop(uri, None)
        if waiting is not None:
            waiting.cancel()
        loop = asyncio.get_running_loop()
        self.pending[uri] = loop.call_later(DEBOUNCE_SECONDS, self.publish, uri)


server = MplServer()


class _OnDocument(Protocol):
    @property
    def text_document(self) -> types.TextDocumentIdentifier: ...


P = TypeVar("P", bound=_OnDocument)
R = TypeVar("R")


def answering(empty: Callable[[], object]) -> Callable[[Callable[[MplServer, P], R]],
                                                       Callable[[MplServer, P], R]]:
    """A request handler that answers `empty()` for a document that is not open, or when the
    feature fails (a bug, logged as one line)."""
    def decorate(handler: Callable[[MplServer, P], R]) -> Callable[[MplServer, P], R]:
        @functools.wraps(handler)
        def answer(ls: MplServer, params: P) -> R:
            uri = params.text_document.uri
            if uri not in ls.workspace.text_documents:
                return cast(R, empty())
            try:
                return handler(ls, params)
            except Exception as exc:
                log_line(f"{handler.__name__} on {uri} failed: {type(exc).__name__}: {exc}")
                return cast(R, empty())
        return answer
    return decorate


@server.feature(types.SHUTDOWN)
def on_shutdown(ls: MplServer, params: None) -> None:
    ls.shut_down = True


@server.feature(types.EXIT)
def on_exit(ls: MplServer, params: None) -> None:
    """LSP: exit 0 after `shutdown`, else 1. Reading stops so the process can end."""
    ls.exit_status = 0 if ls.shut_down else 1
    if ls.input is not None:
        ls.input.close()


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: MplServer, params: types.DidOpenTextDocumentParams) -> None:
    ls.publish(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: MplServer, params: types.DidChangeTextDocumentParams) -> None:
    ls.publish_later(params.text_document.uri)


def recheck_open_documents(ls: MplServer) -> None:
    """Imported files are read from disk: when one may have changed, check every open
    document again."""
    for uri in list(ls.workspace.text_documents):
        ls.analyses.pop(uri, None)
        ls.publish_later(uri)


@server.feature(types.INITIALIZED)
def initialized(ls: MplServer, params: types.InitializedParams) -> None:
    """Ask the editor to report changes to .mpl files on disk, so an imported file edited
    elsewhere (or a `songs.mpl` that `mpl render --as` updated) is seen at once."""
    workspace = ls.client_capabilities.workspace
    watched = workspace.did_change_watched_files if workspace else None
    if watched is None or not watched.dynamic_registration:
        return
    options = types.DidChangeWatchedFilesRegistrationOptions(
        watchers=[types.FileSystemWatcher(glob_pattern="**/*.mpl")])
    ls.client_register_capability(types.RegistrationParams(registrations=[types.Registration(
        id="mpl-files", method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
        register_options=options)]))


@server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
def did_change_watched_files(ls: MplServer, params: types.DidChangeWatchedFilesParams) -> None:
    recheck_open_documents(ls)


@server.feature(types.TEXT_DOCUMENT_DID_SAVE)
def did_save(ls: MplServer, params: types.DidSaveTextDocumentParams) -> None:
    recheck_open_documents(ls)


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: MplServer, params: types.DidCloseTextDocumentParams) -> None:
    uri = params.text_document.uri
    ls.analyses.pop(uri, None)
    waiting = ls.pending.pop(uri, None)
    if waiting is not None:
        waiting.cancel()
    ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))


def _no_completion() -> types.CompletionList:
    return types.CompletionList(is_incomplete=False, items=[])


def _no_tokens() -> types.SemanticTokens:
    return types.SemanticTokens(data=[])


@server.feature(types.TEXT_DOCUMENT_HOVER)
@answering(lambda: None)
def on_hover(ls: MplServer, params: types.HoverParams) -> types.Hover | None:
    return hover.hover(ls.analysis(params.text_document.uri), params.position)


@server.feature(types.TEXT_DOCUMENT_INLAY_HINT)
@answering(list)
def on_inlay_hint(ls: MplServer, params: types.InlayHintParams) -> list[types.InlayHint]:
    return inlay.inlay_hints(ls.analysis(params.text_document.uri), params.range)


@server.feature(types.TEXT_DOCUMENT_COMPLETION,
                types.CompletionOptions(trigger_characters=["=", "[", '"', "/", " ", ","]))
@answering(_no_completion)
def on_completion(ls: MplServer, params: types.CompletionParams) -> types.CompletionList:
    items = completion.completion(ls.analysis(params.text_document.uri), params.position)
    return types.CompletionList(is_incomplete=False, items=items)


@server.feature(types.TEXT_DOCUMENT_DEFINITION)
@answering(list)
def on_definition(ls: MplServer, params: types.DefinitionParams) -> list[types.Location]:
    return navigation.definition(ls.analysis(params.text_document.uri), params.position)


@server.feature(types.TEXT_DOCUMENT_REFERENCES)
@answering(list)
def on_references(ls: MplServer, params: types.ReferenceParams) -> list[types.Location]:
    return navigation.references(ls.analysis(params.text_document.uri), params.position,
                                 params.context.include_declaration)


@server.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
@answering(list)
def on_symbols(ls: MplServer, params: types.DocumentSymbolParams
               ) -> list[types.DocumentSymbol]:
    return navigation.document_symbols(ls.analysis(params.text_document.uri))


@server.feature(types.TEXT_DOCUMENT_FORMATTING)
@answering(lambda: None)
def on_formatting(ls: MplServer, params: types.DocumentFormattingParams
                  ) -> list[types.TextEdit] | None:
    return actions.formatting(ls.analysis(params.text_document.uri))


@server.feature(types.TEXT_DOCUMENT_CODE_ACTION,
                types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]))
@answering(list)
def on_code_action(ls: MplServer, params: types.CodeActionParams) -> list[types.CodeAction]:
    return actions.code_actions(ls.analysis(params.text_document.uri), params.range,
                                params.context.diagnostics)


@server.feature(types.TEXT_DOCUMENT_SEMANTIC_TOKENS_FULL, tokens.LEGEND)
@answering(_no_tokens)
def on_semantic_tokens(ls: MplServer, params: types.SemanticTokensParams
                       ) -> types.SemanticTokens:
    return tokens.semantic_tokens(ls.analysis(params.text_document.uri))


TIMELINE = "mpl/timeline"  # MPL's own request: params {"uri": …}; result the SVG or null


@server.feature(TIMELINE)
def on_timeline(ls: MplServer, params: object) -> str | None:
    """The timeline picture of an open document (docs/preview.md), or None while it has
    errors, is not open, or the params name no document (the editor keeps its last one)."""
    document = getattr(params, "textDocument", None)
    uri = getattr(document if document is not None else params, "uri", None)
    if not isinstance(uri, str) or uri not in ls.workspace.text_documents:
        return None
    try:
        from ...preview.picture import live_svg

        analysis = ls.analysis(uri)
        registry = analysis.path.parent / "songs.mpl" if analysis.path is not None else None
        return live_svg(analysis.compilation, registry)
    except Exception as exc:  # a bug: answer empty, as every feature does
        log_line(f"{TIMELINE} on {uri} failed: {type(exc).__name__}: {exc}")
        return None


class _OneLine(logging.Formatter):
    """pygls's own log lines, without tracebacks (MPL_DEBUG=1 shows them)."""

    def format(self, record: logging.LogRecord) -> str:
        lines = record.getMessage().splitlines()
        return f"mpl lsp: {record.levelname.lower()}: {lines[0] if lines else ''}"


def _configure_logging() -> None:
    handler = logging.StreamHandler(sys.stderr)
    if not os.environ.get("MPL_DEBUG"):
        handler.setFormatter(_OneLine())
    log = logging.getLogger("pygls")
    log.addHandler(handler)
    log.setLevel(logging.WARNING)
    log.propagate = False


def run() -> int:
    """Serve LSP over stdin and stdout until the client exits; the exit status (0 after
    `shutdown` then `exit`, as LSP asks)."""
    _configure_logging()
    output = Output(sys.stdout.buffer)
    server.input = FramedInput(sys.stdin.buffer, output)
    server.start_io(stdin=cast(BinaryIO, server.input), stdout=cast(BinaryIO, output))
    if server.exit_status is not None:
        return server.exit_status
    if not server.shut_down:
        log_line("the client closed the connection without `shutdown`")
    return 0 if server.shut_down else 1
