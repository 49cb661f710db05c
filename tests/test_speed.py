"""Lint speed (issue 11), guarded by counting operations, never by timing them: what a plain
run imports, how often the cycle collector runs, which URLs take the general path, which text
reaches ftfy, and that the command skips the interpreter's teardown only when it owns the
process."""

from __future__ import annotations

import gc
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ftfy
import pytest

import awesome_lint.urls
from awesome_lint.config import Config
from awesome_lint.rules.mojibake import Mojibake
from awesome_lint.session import RunOptions, lint_paths, lint_text
from awesome_lint.urls import normalise_url
from conftest import CORPUS


def _counting(monkeypatch: pytest.MonkeyPatch, owner: object, name: str) -> list[Any]:
    """Replace ``owner.name`` by a wrapper that records each call's first argument."""
    calls: list[Any] = []
    real: Callable[..., Any] = getattr(owner, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        calls.append(args[0] if args else None)
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, wrapper)
    return calls


GITHUB_URLS = [
    "https://GitHub.com/Owner/Repo", "https://www.github.com/Owner/Repo.git/",
    "http://github.com/Foo/Bar/blob/Main/README.md", "//github.com/A/B/", "https://github.com",
    "https://github.com/A/B/index.html", "https://github.com./X/Y", "https://github.com/A/B.GIT",
    "https://github.com/Owner", "https://github.com/Owner/Repo/wiki/Some-Page",
]


@pytest.mark.parametrize("url", GITHUB_URLS)
def test_github_urls_take_the_fast_path_to_the_same_form(url: str,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    # A trailing "?" (an empty query) forces the general path, which must agree.
    general = normalise_url(url + "?")
    calls = _counting(monkeypatch, awesome_lint.urls, "urlsplit")
    assert normalise_url(url) == general
    assert calls == []


def test_every_simple_entry_url_of_awesome_go_skips_urlsplit(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from awesome_lint.parse import parse

    doc = parse((CORPUS / "avelino__awesome-go.md").read_text(encoding="utf-8"), "go.md")
    urls = [link.url for link in doc.links if link.url.startswith("https://github.com/")]
    assert len(urls) > 1000
    calls = _counting(monkeypatch, awesome_lint.urls, "urlsplit")
    for url in urls:
        normalise_url(url)
    assert len(calls) < len(urls) / 100  # those with a query, a fragment or a port


def test_names_with_accents_never_reach_ftfy(monkeypatch: pytest.MonkeyPatch) -> None:
    """``Tomáš`` has a lead-byte-like letter before a continuation-byte-like one, but no
    encoding turns it back into UTF-8: ftfy (and its ~50 ms import) is not needed for it."""
    calls = _counting(monkeypatch, ftfy, "fix_encoding")
    names = "- [Tomáš](https://example.com/t) - By Tomáš Dvořák, Łukasz, Ångström, Zoë, Škoda.\n"
    config = Config()
    assert lint_text(f"# L\n\n{names}", config=config, rules=[Mojibake]) == []
    assert calls == []
    found = lint_text("# L\n\nIt was â€” as always â€™ broken.\n", config=config,
                      rules=[Mojibake])
    assert [f.code for f in found] == ["AL401"]
    assert calls == ["â€”", "â€™"]


def test_linting_never_runs_the_cycle_collector(tmp_path: Path) -> None:
    lines = ["# Awesome Many", "", "## Tools", ""]
    lines += [f"- [Tool {i}](https://github.com/o/t{i}) - Does {i}." for i in range(3000)]
    readme = tmp_path / "README.md"
    readme.write_text("\n".join(lines) + "\n", encoding="utf-8")
    collections: list[int] = []

    def count(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            collections.append(info["generation"])

    # At most one collection each, when the collector resumes (it looks at what survives: the
    # findings; which generation depends on the counts earlier tests left), none while the
    # document is alive.
    gc.callbacks.append(count)
    try:
        result = lint_paths([readme], RunOptions(preset="awesome"))
        assert len(collections) <= 1, collections
        collections.clear()
        findings = lint_text(readme.read_text(encoding="utf-8"), str(readme), preset="awesome")
        assert len(collections) <= 1, collections
    finally:
        gc.callbacks.remove(count)
    assert result.files == [str(readme)]
    assert findings == result.findings
    assert gc.isenabled()


def test_links_answered_from_the_cache_run_no_collection_and_the_network_runs_with_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from awesome_lint.links import checker
    from linkserver import serve

    readme = tmp_path / "list" / "README.md"
    readme.parent.mkdir()
    monkeypatch.setenv("AWESOME_LINT_CACHE_DIR", str(tmp_path / "cache"))
    during: list[bool] = []
    running = checker.check_plan_async

    async def watched(*args: Any, **kwargs: Any) -> None:
        during.append(gc.isenabled())
        await running(*args, **kwargs)

    monkeypatch.setattr(checker, "check_plan_async", watched)
    collections: list[int] = []

    def count(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            collections.append(info["generation"])

    with serve() as server:
        lines = ["# Awesome Many", "", "## Tools", ""]
        lines += [f"- [Tool {i}]({server.url(f'/p/t{i}')}) - Does {i}." for i in range(1500)]
        readme.write_text("\n".join(lines) + "\n", encoding="utf-8")
        options = RunOptions(links=True, allow_private=True)
        lint_paths([readme], options)  # fetched: the network ran with the collector
        assert during == [True] and gc.isenabled()  # (this test's own collector, as before)
        gc.callbacks.append(count)
        try:
            result = lint_paths([readme], options)  # every answer from the cache
        finally:
            gc.callbacks.remove(count)
    assert during == [True]  # the second run never went to the network
    assert "0 requests, 1500 from the cache" in "".join(result.notes), result.notes
    assert len(collections) <= 1, collections  # (when the collector resumes at the end)
    assert gc.isenabled()


_PROBE = """\
import atexit, sys
atexit.register(lambda: print("TEARDOWN", flush=True))
{run}
"""
_IMPORTS = "print('IMPORTED', *sorted(m for m in {names!r} if m in sys.modules))"


def test_a_plain_run_imports_nothing_it_does_not_use(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text("# L\n\n- [Tomáš](https://github.com/t/t) - A tool.\n", encoding="utf-8")
    names = ("ftfy", "regex", "idna", "aiohttp", "awesome_lint.rule_docs")
    script = ("import sys\nfrom awesome_lint.cli import main\n"
              f"sys.argv = ['awesome-lint', {str(readme)!r}]\n"
              "try:\n    main()\nexcept SystemExit:\n    pass\n" + _IMPORTS.format(names=names))
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=True, cwd=tmp_path)
    assert done.stdout.splitlines()[-1] == "IMPORTED"


def test_the_command_skips_teardown_but_flushes_its_output(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text("# L\n\n- [a](https://a.example) - A.\n- [a](https://a.example) - B.\n",
                      encoding="utf-8")
    argv = [str(readme), "--format", "json", "--report", f"sarif:{tmp_path / 'out.sarif'}"]
    # As `python -m awesome_lint` (the module is __main__): no teardown, so no atexit hook.
    owned = subprocess.run(
        [sys.executable, "-c", _PROBE.format(run="import runpy\nsys.argv = ['awesome-lint', "
                                             f"*{argv!r}]\nrunpy.run_module('awesome_lint', "
                                             "run_name='__main__', alter_sys=True)")],
        capture_output=True, text=True, cwd=tmp_path, check=False)
    assert owned.returncode == 1, owned.stderr
    assert "TEARDOWN" not in owned.stdout
    assert [f["code"] for f in json.loads(owned.stdout)["findings"]] == ["AL301"]
    assert json.loads((tmp_path / "out.sarif").read_text(encoding="utf-8"))["runs"]
    # Called by another program, main() raises SystemExit and the caller goes on.
    caller = subprocess.run(
        [sys.executable, "-c", _PROBE.format(run="from awesome_lint.cli import main\n"
                                             f"sys.argv = ['awesome-lint', *{argv!r}]\n"
                                             "try:\n    main()\nexcept SystemExit as exc:\n"
                                             "    print('EXIT', exc.code)")],
        capture_output=True, text=True, cwd=tmp_path, check=False)
    assert caller.returncode == 0, caller.stderr
    assert caller.stdout.splitlines()[-2:] == ["EXIT 1", "TEARDOWN"]
