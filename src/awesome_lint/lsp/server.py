"""The server's wiring: LSP messages to linting, publishing, code actions, hover, commands.

Lints run in one worker thread (one at a time, the event loop stays free to read the client's
messages; the budget's watchdog works in any thread), the link check in another.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

import awesome_lint
from awesome_lint.config import CONFIG_NAME, PYPROJECT_NAME
from awesome_lint.lsp.actions import KINDS, code_actions
from awesome_lint.lsp.debounce import Debouncer
from awesome_lint.lsp.diagnostics import Diagnostics
from awesome_lint.lsp.hover import hover
from awesome_lint.lsp.links import check_buffer_links
from awesome_lint.lsp.linting import Buffer, Linted, lint_buffer
from awesome_lint.lsp.positions import Positions
from awesome_lint.result import FileError
from awesome_lint.rule import Phase, Rule
from awesome_lint.verdicts import LinkStatus

#: Seconds a document's changes must pause before it is linted again.
DEBOUNCE = 0.25
CHECK_LINKS = "awesome-lint.checkLinks"
#: The files whose change re-lints every open document.
CONFIG_FILES = (CONFIG_NAME, PYPROJECT_NAME)


class AwesomeLintServer(LanguageServer):
    """The language server: its documents' latest lint results and link statuses."""

    def __init__(self, rules: Sequence[type[Rule]], debounce: float = DEBOUNCE, *,
                 allow_private: bool = False) -> None:
        super().__init__("awesome-lint-lsp", awesome_lint.__version__,
                         text_document_sync_kind=types.TextDocumentSyncKind.Incremental)
        self.rules = tuple(rules)
        self.allow_private = allow_private
        self.make_diagnostics = Diagnostics(self.rules)
        self.unsuppressible = {rule.code for rule in self.rules
                               if rule.phase is Phase.SUPPRESSIONS}
        self.linted: dict[str, Linted] = {}
        self.link_statuses: dict[str, Mapping[str, LinkStatus]] = {}
        self.linter = ThreadPoolExecutor(1, thread_name_prefix="awesome-lint")
        self.debouncer = Debouncer(debounce, self.publish)
        #: The protocol's: 0 after ``shutdown`` then ``exit``, else 1 (an exit without shutdown,
        #: the client gone).
        self.shut_down = False
        self.exit_status = 1
        _register(self)

    @property
    def encoding(self) -> str:
        return str(self.workspace.position_encoding or types.PositionEncodingKind.Utf16)

    def buffer(self, uri: str) -> Buffer:
        """The open document at ``uri`` as a buffer to lint."""
        document = self.workspace.get_text_document(uri)
        path = to_fs_path(uri) if urlparse(uri).scheme == "file" else None
        where = Path(path) if path else None
        return Buffer(document.source, str(where) if where else uri, where,
                      self._workspace_folder(where), document.version)

    def _workspace_folder(self, path: Path | None) -> Path | None:
        """The workspace folder holding ``path`` (the first one for a path-less buffer)."""
        folders = [Path(p) for f in self.workspace.folders.values()
                   if (p := to_fs_path(f.uri))]
        if not folders and self.workspace.root_path:
            folders = [Path(self.workspace.root_path)]
        if path is None:
            return folders[0] if folders else None
        inside = [f for f in folders if path.is_relative_to(f)]
        return max(inside, key=lambda f: len(f.parts)) if inside else None

    async def lint(self, uri: str) -> Linted:
        """Lint the document at ``uri`` as it is now (in the worker thread) and keep the result."""
        buffer = self.buffer(uri)
        loop = asyncio.get_running_loop()
        linted = await loop.run_in_executor(self.linter, lint_buffer, buffer, self.rules,
                                            self.link_statuses.get(uri))
        if uri in self.workspace.text_documents:
            self.linted[uri] = linted
        return linted

    async def current(self, uri: str) -> Linted:
        """The lint result of the document's current version (linting it if needed)."""
        linted = self.linted.get(uri)
        document = self.workspace.get_text_document(uri)
        if linted is None or linted.buffer.version != document.version \
                or linted.buffer.text != document.source:
            linted = await self.lint(uri)
        return linted

    async def publish(self, uri: str, *, again: bool = False) -> None:
        """Publish the diagnostics of the document at ``uri``, linting it unless its current
        version already was (by a code action or hover); ``again``: in any case (a config or
        the link statuses changed)."""
        if uri not in self.workspace.text_documents or self.shut_down:
            return
        linted = await (self.lint(uri) if again else self.current(uri))
        if uri not in self.workspace.text_documents:
            return
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
            uri, self.make_diagnostics.of(linted, uri, self.encoding), linted.buffer.version))

    async def publish_all(self) -> None:
        for uri in list(self.workspace.text_documents):
            await self.publish(uri, again=True)

    async def check_links(self, uri: str) -> str:
        """Check the links of the document at ``uri``; its diagnostics then show their findings
        until it is closed."""
        buffer = self.buffer(uri)
        checked = await asyncio.to_thread(check_buffer_links, buffer, self.rules,
                                          allow_private=self.allow_private)
        if isinstance(checked, FileError):
            message = f"awesome-lint: links not checked: {checked.message}"
            self.window_show_message(types.ShowMessageParams(types.MessageType.Warning,
                                                             message))
            return message
        self.link_statuses[uri] = checked.statuses
        for warning in checked.warnings:
            self.window_log_message(types.LogMessageParams(types.MessageType.Warning, warning))
        await self.publish(uri, again=True)
        return checked.summary

    def close(self, uri: str) -> None:
        self.debouncer.forget(uri)
        self.linted.pop(uri, None)
        self.link_statuses.pop(uri, None)
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri, []))


def _is_config(uri: str) -> bool:
    return urlparse(uri).path.rsplit("/", 1)[-1] in CONFIG_FILES


def _register(server: AwesomeLintServer) -> None:
    """The handlers of the LSP messages the server answers."""

    @server.feature(types.INITIALIZED)
    async def initialized(params: types.InitializedParams) -> None:
        watched = server.client_capabilities.workspace
        dynamic = (watched is not None and watched.did_change_watched_files is not None
                   and watched.did_change_watched_files.dynamic_registration)
        if dynamic:
            options = types.DidChangeWatchedFilesRegistrationOptions(watchers=[
                types.FileSystemWatcher(glob_pattern=f"**/{name}") for name in CONFIG_FILES])
            try:
                await server.client_register_capability_async(types.RegistrationParams([
                    types.Registration("awesome-lint-configs",
                                       types.WORKSPACE_DID_CHANGE_WATCHED_FILES, options)]))
            except Exception as exc:  # the client refused: saving a config still re-lints
                server.window_log_message(types.LogMessageParams(
                    types.MessageType.Warning, f"awesome-lint: config files not watched: {exc}"))

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    async def did_open(params: types.DidOpenTextDocumentParams) -> None:
        await server.publish(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(params: types.DidChangeTextDocumentParams) -> None:
        server.debouncer.poke(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    async def did_save(params: types.DidSaveTextDocumentParams) -> None:
        if _is_config(params.text_document.uri):
            await server.publish_all()

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(params: types.DidCloseTextDocumentParams) -> None:
        server.close(params.text_document.uri)

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    async def watched(params: types.DidChangeWatchedFilesParams) -> None:
        if any(_is_config(change.uri) for change in params.changes):
            await server.publish_all()

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION,
                    types.CodeActionOptions(code_action_kinds=list(KINDS)))
    async def code_action(params: types.CodeActionParams) -> list[types.CodeAction]:
        uri = params.text_document.uri
        linted = await server.current(uri)
        positions = Positions(linted.buffer.text, server.encoding)

        def diagnostic(finding: Any) -> types.Diagnostic:
            return server.make_diagnostics.finding(finding, uri, positions)

        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(
            server.linter, lambda: code_actions(linted, uri, server.encoding, params.range,
                                                params.context.only, diagnostic,
                                                server.unsuppressible, server.rules))

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    async def on_hover(params: types.HoverParams) -> types.Hover | None:
        linted = await server.current(params.text_document.uri)
        return hover(linted, server.encoding, params.position, server.rules)

    @server.command(CHECK_LINKS)
    async def check_links(ls: AwesomeLintServer, *arguments: object) -> str:
        """Arguments: the document's URI (or ``{"uri": ...}``), as clients pass them."""
        uri = arguments[0] if arguments else None
        if isinstance(uri, dict):
            uri = uri.get("uri")
        if not isinstance(uri, str) or uri not in ls.workspace.text_documents:
            return "awesome-lint: pass the URI of an open document"
        return await ls.check_links(uri)

    @server.feature(types.SHUTDOWN)
    def shutdown(params: None) -> None:
        server.shut_down = True
        server.linter.shutdown(wait=False, cancel_futures=True)

    @server.feature(types.EXIT)
    def on_exit(params: None) -> None:
        server.exit_status = 0 if server.shut_down else 1

