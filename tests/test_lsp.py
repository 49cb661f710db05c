"""``awesome-lint-lsp`` end to end: a real LSP client (pytest-lsp) drives the server over stdio.

The diagnostics are compared with the command line's JSON on the same text (an emoji-heavy list:
LSP counts UTF-16 code units, we count code points), then the quick fixes, "fix all",
"disable for this line", hover, edits, untitled buffers, a config change, the link check on
demand (against a server on 127.0.0.1), a crashing and a spinning rule, shutdown and exit.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Any

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from linkserver import serve

pytestmark = pytest.mark.asyncio

SERVER = [sys.executable, "-m", "awesome_lint.lsp", "--debounce", "0.01", "--allow-private"]
CRASHING = [sys.executable, str(Path(__file__).with_name("lsp_crash_server.py"))]

LIST = """# Awesome Emoji 🎉

> Lists with 🦀 and 👩‍💻 everywhere.

## Tools 🛠️

- [Zeta 🚀](https://example.com/zeta) - A rocket tool.\x20\x20\x20
- [Alpha 🦀](https://example.com/alpha) - A crab tool..
- [Beta 👩‍💻](https://example.com/zeta) - Same page as 🚀 zeta.
- [Gamma 👩‍💻](http://example.com/gamma) - Plain http 🦀.
- [Delta 🎉](https://example.com/delta) - 🎉 see https://example.com/raw here.
"""
CONFIG = """preset = "awesome"
extend-select = ["trailing-whitespace", "prefer-https"]

[rules.alphabetical-order]
mode = "always"
"""


def _workspace(folder: Path) -> Path:
    """A git repository (for the repository rules) with the list and its config."""
    subprocess.run(["git", "init", "-q", str(folder)], check=True)
    (folder / ".awesome-lint.toml").write_text(CONFIG, encoding="utf-8")
    (folder / "README.md").write_text(LIST, encoding="utf-8")
    return folder / "README.md"


@pytest.fixture(autouse=True)
def _environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The server (started before the test's body) inherits a private cache and no token."""
    cache = tmp_path.parent / f"{tmp_path.name}-cache"  # (outside the workspace, or unused)
    monkeypatch.setenv("AWESOME_LINT_CACHE_DIR", str(cache))
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    monkeypatch.delenv("AWESOME_LINT_NETWORK_CANARY", raising=False)


async def _registrations(params: types.RegistrationParams) -> None:
    """The client accepts the server's file watchers (as VS Code does)."""


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER))
async def client(lsp_client: LanguageClient) -> AsyncIterator[None]:
    lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)(_registrations)
    yield
    await lsp_client.shutdown_session()


@pytest_lsp.fixture(config=ClientServerConfig(server_command=CRASHING))
async def crashing(lsp_client: LanguageClient) -> AsyncIterator[None]:
    lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)(_registrations)
    yield
    await lsp_client.shutdown_session()


async def _start(client: LanguageClient, folder: Path,
                 encodings: Sequence[str] | None = None) -> types.InitializeResult:
    capabilities = client_capabilities("visual-studio-code")
    if encodings is not None:
        capabilities.general = types.GeneralClientCapabilities(
            position_encodings=[types.PositionEncodingKind(e) for e in encodings])
    return await client.initialize_session(types.InitializeParams(
        capabilities=capabilities,
        workspace_folders=[types.WorkspaceFolder(folder.as_uri(), folder.name)]))


async def _open(client: LanguageClient, uri: str, text: str,
                version: int = 1) -> Sequence[types.Diagnostic]:
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        types.TextDocumentItem(uri, "markdown", version, text)))
    return await _published(client, uri)


async def _published(client: LanguageClient, uri: str) -> Sequence[types.Diagnostic]:
    while True:
        params = await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        if params.uri == uri:
            return list(params.diagnostics)


def _cli_json(folder: Path, *args: str) -> dict[str, Any]:
    result = subprocess.run([sys.executable, "-m", "awesome_lint", "--format", "json", *args,
                             "README.md"], cwd=folder, capture_output=True, text=True,
                            check=False, timeout=120)
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def _units(line: str, column: int, encoding: str) -> int:
    """Our 1-based code-point column as the client's 0-based offset in ``encoding``."""
    before = line[:column - 1]
    if encoding == "utf-16":
        return len(before.encode("utf-16-le")) // 2
    return len(before.encode("utf-8")) if encoding == "utf-8" else len(before)


def _expected(data: dict[str, Any], text: str, encoding: str) -> list[tuple[Any, ...]]:
    lines = text.split("\n")
    return sorted((f["code"], f["line"] - 1, _units(lines[f["line"] - 1], f["column"], encoding),
                   f["end_line"] - 1,
                   _units(lines[f["end_line"] - 1], f["end_column"], encoding))
                  for f in data["findings"])


def _got(diagnostics: Sequence[types.Diagnostic]) -> list[tuple[Any, ...]]:
    return sorted((d.code, d.range.start.line, d.range.start.character, d.range.end.line,
                   d.range.end.character) for d in diagnostics)


def _apply(text: str, edits: Sequence[types.TextEdit]) -> str:
    """``text`` with the client's UTF-16 ``edits`` applied (as an editor does)."""
    lines = text.split("\n")

    def offset(position: types.Position) -> int:
        start = sum(len(line) + 1 for line in lines[:position.line])
        line = lines[position.line]
        units = column = 0
        while units < position.character:
            units += 2 if ord(line[column]) > 0xFFFF else 1
            column += 1
        return start + column

    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character),
                       reverse=True):
        text = text[:offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end):]
    return text


def _edits(action: types.CodeAction) -> list[types.TextEdit]:
    assert action.edit is not None and action.edit.document_changes is not None
    change = action.edit.document_changes[0]
    assert isinstance(change, types.TextDocumentEdit)
    return [e for e in change.edits if isinstance(e, types.TextEdit)]


async def _actions(client: LanguageClient, uri: str, line: int,
                   only: list[str] | None = None) -> list[types.CodeAction]:
    found = await client.text_document_code_action_async(types.CodeActionParams(
        types.TextDocumentIdentifier(uri), types.Range(types.Position(line, 0),
                                                       types.Position(line, 200)),
        types.CodeActionContext(diagnostics=[], only=only)))
    return [a for a in found or [] if isinstance(a, types.CodeAction)]


async def _change(client: LanguageClient, uri: str, version: int, text: str,
                  ) -> Sequence[types.Diagnostic]:
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        types.VersionedTextDocumentIdentifier(version, uri),
        [types.TextDocumentContentChangeWholeDocument(text)]))
    return await _published(client, uri)


# --- diagnostics --------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8", "utf-32"])
async def test_diagnostics_are_the_command_lines_findings_in_the_clients_encoding(
        client: LanguageClient, tmp_path: Path, encoding: str) -> None:
    readme = _workspace(tmp_path)
    result = await _start(client, tmp_path, None if encoding == "utf-16" else [encoding])
    assert (result.capabilities.position_encoding or "utf-16") == encoding
    diagnostics = await _open(client, readme.as_uri(), LIST)
    data = _cli_json(tmp_path)
    assert _got(diagnostics) == _expected(data, LIST, encoding)
    codes = {d.code for d in diagnostics}
    assert {"AL303", "AL304", "AL404", "AL403", "AL205", "AL206", "AL501", "AL502"} <= codes
    if encoding != "utf-32":  # the emoji before them move the columns
        bare = next(d for d in diagnostics if d.code == "AL205")
        assert bare.range.start.character != data_column(data, "AL205") - 1


def data_column(data: dict[str, Any], code: str) -> int:
    return int(next(f["column"] for f in data["findings"] if f["code"] == code))


async def test_severity_rule_page_and_related_place(client: LanguageClient,
                                                   tmp_path: Path) -> None:
    readme = _workspace(tmp_path)
    await _start(client, tmp_path)
    diagnostics = {d.code: d for d in await _open(client, readme.as_uri(), LIST)}
    shared = diagnostics["AL304"]
    assert shared.severity == types.DiagnosticSeverity.Warning
    assert diagnostics["AL206"].severity == types.DiagnosticSeverity.Information
    assert shared.source == "awesome-lint"
    assert shared.code_description is not None
    assert shared.code_description.href == ("https://github.com/awesome-lint/awesome-lint/blob/"
                                            "main/rules/AL304-shared-link.md")
    assert shared.related_information is not None
    first = shared.related_information[0].location
    assert first.uri == readme.as_uri() and first.range.start.line == 6  # Zeta's line


async def test_an_edit_updates_the_diagnostics(client: LanguageClient, tmp_path: Path) -> None:
    readme = _workspace(tmp_path)
    await _start(client, tmp_path)
    uri = readme.as_uri()
    before = await _open(client, uri, LIST)
    assert "AL403" in {d.code for d in before}
    after = await _change(client, uri, 2, LIST.replace("crab tool..", "crab tool."))
    assert {d.code for d in before} - {d.code for d in after} == {"AL403"}


async def test_incremental_changes_in_utf16_units_after_emoji(client: LanguageClient,
                                                             tmp_path: Path) -> None:
    """Keystrokes after an emoji, sent as ranges in UTF-16 units: the server's text is the
    client's (the diagnostics of the last version are those of the final text)."""
    readme = _workspace(tmp_path)
    await _start(client, tmp_path)
    uri = readme.as_uri()
    await _open(client, uri, LIST)
    old = "- [Alpha 🦀](https://example.com/alpha) - A crab tool.."
    line, end = LIST.split("\n").index(old), len(old.encode("utf-16-le")) // 2
    for version in range(2, 12):  # type "x" and delete it, four times, then delete ".x"
        at = types.Position(line, end)
        change = (types.TextDocumentContentChangePartial(types.Range(at, at), "x")
                  if version % 2 == 0 else types.TextDocumentContentChangePartial(
                      types.Range(at, types.Position(line, end + 1)), ""))
        if version == 11:
            change = types.TextDocumentContentChangePartial(
                types.Range(types.Position(line, end - 1), types.Position(line, end + 1)), "")
        client.text_document_did_change(types.DidChangeTextDocumentParams(
            types.VersionedTextDocumentIdentifier(version, uri), [change]))
    while (params := await client.wait_for_notification(
            types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)).version != 11:
        pass
    expected = LIST.replace("crab tool..", "crab tool.")
    assert _got(params.diagnostics) == _expected(_cli_json_of(tmp_path, expected), expected,
                                                 "utf-16")


def _cli_json_of(folder: Path, text: str) -> dict[str, Any]:
    (folder / "README.md").write_text(text, encoding="utf-8")
    return _cli_json(folder)


# --- code actions -------------------------------------------------------------------------------


async def test_quick_fixes_safe_preferred_unsafe_labelled(client: LanguageClient,
                                                         tmp_path: Path) -> None:
    readme = _workspace(tmp_path)
    await _start(client, tmp_path)
    uri = readme.as_uri()
    await _open(client, uri, LIST)
    actions = await _actions(client, uri, 7, only=[types.CodeActionKind.QuickFix])
    fix = next(a for a in actions if a.title.startswith("Fix AL403"))
    assert fix.is_preferred and "unsafe" not in fix.title
    assert fix.diagnostics is not None and fix.diagnostics[0].code == "AL403"
    fixed = _apply(LIST, _edits(fix))
    assert fixed == LIST.replace("crab tool..", "crab tool.")
    after = await _change(client, uri, 2, fixed)
    assert "AL403" not in {d.code for d in after}
    # AL303's move is unsafe: offered, labelled, never preferred.
    moved = [a for line in range(6, 11) for a in await _actions(client, uri, line)
             if a.title.startswith("Fix AL303")]
    assert moved and all("unsafe" in a.title and not a.is_preferred for a in moved)


async def test_fix_all_is_what_the_command_line_fix_writes(client: LanguageClient,
                                                          tmp_path: Path) -> None:
    readme = _workspace(tmp_path)
    await _start(client, tmp_path)
    uri = readme.as_uri()
    await _open(client, uri, LIST)
    actions = await _actions(client, uri, 0, only=["source.fixAll"])
    assert [a.kind for a in actions] == ["source.fixAll.awesome-lint"]
    fixed = _apply(LIST, _edits(actions[0]))
    result = subprocess.run([sys.executable, "-m", "awesome_lint", "--fix", "--stdin-filename",
                             str(readme), "-"], input=LIST, capture_output=True, text=True,
                            check=False, timeout=120)
    assert fixed == result.stdout
    assert fixed != LIST
    after = await _change(client, uri, 2, fixed)
    assert not {"AL403", "AL404", "AL205"} & {d.code for d in after}
    assert await _actions(client, uri, 0, only=["source.fixAll.awesome-lint"]) == []


async def test_disable_for_this_line_uses_the_end_of_line_comment(client: LanguageClient,
                                                                 tmp_path: Path) -> None:
    readme = _workspace(tmp_path)
    await _start(client, tmp_path)
    uri = readme.as_uri()
    before = await _open(client, uri, LIST)
    actions = await _actions(client, uri, 8)  # Beta: AL304
    disable = next(a for a in actions if a.title == "Disable AL304 shared-link for this line")
    edited = _apply(LIST, _edits(disable))
    assert edited.split("\n")[8] == ("- [Beta 👩‍💻](https://example.com/zeta) - Same page as 🚀 "
                                     "zeta. <!-- awesome-lint-disable-line AL304 -->")
    after = await _change(client, uri, 2, edited)
    assert _got(after) == [d for d in _got(before) if d[0] != "AL304"]  # the list goes on


# --- hover --------------------------------------------------------------------------------------


async def test_hover_shows_what_the_rule_does_and_why(client: LanguageClient,
                                                     tmp_path: Path) -> None:
    readme = _workspace(tmp_path)
    await _start(client, tmp_path)
    uri = readme.as_uri()
    await _open(client, uri, LIST)
    found = await client.text_document_hover_async(types.HoverParams(
        types.TextDocumentIdentifier(uri), types.Position(8, 5)))
    assert found is not None and isinstance(found.contents, types.MarkupContent)
    text = found.contents.value
    assert text.startswith("**AL304 shared-link**")
    assert "## What it does" in text and "## Why" in text and "## Options" not in text
    assert "](https://github.com/awesome-lint/awesome-lint/blob/main/rules/AL301-" in text
    assert await client.text_document_hover_async(types.HoverParams(
        types.TextDocumentIdentifier(uri), types.Position(4, 1))) is None


# --- buffers, configs, links --------------------------------------------------------------------


async def test_an_untitled_buffer_uses_the_workspace_config_and_a_config_change_relints(
        client: LanguageClient, tmp_path: Path) -> None:
    _workspace(tmp_path)
    await _start(client, tmp_path)
    uri = "untitled:Untitled-1"
    codes = {d.code for d in await _open(client, uri, LIST)}
    assert {"AL404", "AL206"} <= codes  # selected by the workspace's config only
    config = tmp_path / ".awesome-lint.toml"
    config.write_text(CONFIG.replace('extend-select = ["trailing-whitespace", "prefer-https"]',
                                     'extend-select = ["prefer-https"]'), encoding="utf-8")
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(
        [types.FileEvent(config.as_uri(), types.FileChangeType.Changed)]))
    after = {d.code for d in await _published(client, uri)}
    assert codes - after == {"AL404"}


async def test_a_bad_config_is_one_diagnostic_naming_it(client: LanguageClient,
                                                       tmp_path: Path) -> None:
    readme = _workspace(tmp_path)
    (tmp_path / ".awesome-lint.toml").write_text("select = 3\n", encoding="utf-8")
    await _start(client, tmp_path)
    diagnostics = await _open(client, readme.as_uri(), LIST)
    assert len(diagnostics) == 1
    assert diagnostics[0].message.startswith(f"{tmp_path / '.awesome-lint.toml'}: config: ")


async def test_links_are_checked_only_on_demand(client: LanguageClient, tmp_path: Path) -> None:
    readme = _workspace(tmp_path)
    await _start(client, tmp_path)
    uri = readme.as_uri()
    with serve() as server:
        text = (f"# Links\n\n- [Gone]({server.url('/status/404')}) - A dead page.\n"
                f"- [Fine]({server.url('/ok')}) - A live page.\n")
        assert "AL901" not in {d.code for d in await _open(client, uri, text)}
        assert server.hits == {}  # no network while typing
        summary = await client.workspace_execute_command_async(types.ExecuteCommandParams(
            "awesome-lint.checkLinks", [uri]))
        assert "1 dead" in summary
        # (published before the command's answer)
        dead = [d for d in client.diagnostics[uri] if d.code == "AL901"]
        assert [d.range.start.line for d in dead] == [2]
        hits = sum(server.hits.values())
        # Edits keep the statuses (no new request): the finding follows its line.
        moved = await _change(client, uri, 2, "\n" + text)
        assert [d.range.start.line for d in moved if d.code == "AL901"] == [3]
        assert sum(server.hits.values()) == hits


# --- robustness ---------------------------------------------------------------------------------


async def test_a_crashing_or_spinning_rule_is_one_diagnostic_and_the_server_lives(
        crashing: LanguageClient, tmp_path: Path) -> None:
    readme = _workspace(tmp_path)
    await _start(crashing, tmp_path)
    uri = readme.as_uri()
    crashed = await _open(crashing, uri, LIST + "\nCRASH\n")
    assert len(crashed) == 1
    assert "rule AL998 failed: RuntimeError: boom" in crashed[0].message
    spun = await _change(crashing, uri, 2, LIST + "\nSPIN\n")
    assert len(spun) == 1 and "CPU time" in spun[0].message
    healthy = await _change(crashing, uri, 3, LIST)
    assert {"AL304", "AL403"} <= {d.code for d in healthy}
    hover = await crashing.text_document_hover_async(types.HoverParams(
        types.TextDocumentIdentifier(uri), types.Position(8, 5)))
    assert hover is not None


def _session(*methods: str) -> tuple[int, list[dict[str, Any]]]:
    """Run the server through ``initialize`` and then ``methods`` (requests have ids, "exit" is
    a notification) over raw stdio: its exit status and its answers."""
    messages: list[dict[str, Any]] = [
        {"jsonrpc": "2.0", "id": 1, "method": "initialize",
         "params": {"processId": None, "rootUri": None, "capabilities": {}}},
        {"jsonrpc": "2.0", "method": "initialized", "params": {}}]
    messages += [{"jsonrpc": "2.0", "method": m} if m == "exit"
                 else {"jsonrpc": "2.0", "id": n, "method": m}
                 for n, m in enumerate(methods, 2)]
    data = b"".join(b"Content-Length: %d\r\n\r\n%s" % (len(body), body)
                    for body in (json.dumps(m).encode("utf-8") for m in messages))
    done = subprocess.run(SERVER, input=data, capture_output=True, timeout=60, check=False)
    bodies = done.stdout.split(b"\r\n\r\n")[1:]
    return done.returncode, [json.loads(b[:b.rindex(b"}") + 1]) for b in bodies]


async def test_shutdown_then_exit_ends_the_server_with_status_0() -> None:
    status, answers = _session("shutdown", "exit")
    assert status == 0
    assert {"id": 2, "jsonrpc": "2.0", "result": None} in answers


async def test_exit_without_shutdown_ends_it_with_status_1() -> None:
    status, answers = _session("exit")
    assert status == 1
    assert [a["id"] for a in answers] == [1]
