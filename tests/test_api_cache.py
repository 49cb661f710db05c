"""The project APIs' answers are cached (issue 11's warm cache): a second run of the same list
asks neither the APIs nor the pages, and gives the same AL905/AL911/AL912 findings, for GitHub
(with a token), GitLab and Gitea; an answer that has expired is asked again; ``--no-cache``
trusts none; one API's answers never answer for another; a warm run does not import aiohttp
(nor anything else only fetching needs).
Through the real CLI against fakes on 127.0.0.1, counting requests.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from conftest import link_list_folder
from fakeforges import FakeForge, gitea_repo, serve_forge
from fakegithub import serve_api, serve_pages
from linkserver import serve
from test_forges import gitlab_api
from test_project_health import FAST, TOKEN, GitHubOnLoopback, days_ago, project_api, run

PAGE = "<html><head><title>About</title></head><body><p>About us.</p></body></html>"


def findings(data: dict[str, Any]) -> list[tuple[str, int, str, Any]]:
    return [(f["code"], f["line"], f["verdict"], f.get("details")) for f in data["findings"]
            if f["code"].startswith("AL9")]


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    work = link_list_folder(tmp_path, monkeypatch)
    (work / ".awesome-lint.toml").write_text(FAST, encoding="utf-8")
    return work


GITHUB_LIST = (
    "# List\n\n"
    "- [archived](http://github.com/o/archived) - Read-only.\n"
    "- [stale](http://github.com/o/stale) - Quiet for years.\n"
    "- [renamed](http://github.com/o/before) - Renamed.\n"
    "- [fresh](http://github.com/o/fresh) - Busy.\n"
    "- [about](http://github.com/about) - A page, over HTTP.\n"
)


def test_github_answers_are_cached_and_asked_again_once_stale(
        env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (env / "README.md").write_text(GITHUB_LIST, encoding="utf-8")
    fake, hits = project_api(), Counter[str]()
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    with serve_api(fake) as api, serve_pages({"/about": PAGE}, hits) as port:
        monkeypatch.setattr(socket, "getaddrinfo", GitHubOnLoopback(port))
        _, cold, _ = run("--github-api", api, "README.md")
        pages = sum(hits.values())
        _, warm, stderr = run("--github-api", api, "README.md")
        assert (len(fake.requests), sum(hits.values())) == (1, pages)  # nothing asked
        monkeypatch.setenv("AWESOME_LINT_CLOCK", str(time.time() + 2 * 86400))  # expired
        _, later, _ = run("--github-api", api, "README.md")
    assert pages >= 1 and hits["/about"] == 2
    assert len(fake.requests) == 2
    assert "0 requests, 5 from the cache" in stderr
    assert [finding[:3] for finding in findings(cold)] == [
        ("AL905", 3, "archived"), ("AL911", 4, "stale"), ("AL912", 5, "moved")]
    assert findings(warm) == findings(later) == findings(cold)  # details too
    assert TOKEN not in json.dumps(warm) + stderr


def test_an_answer_from_one_github_api_never_answers_for_another(
        env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The token goes to the API of this run's command line only; what another API said (a
    # test's fake, a GitHub Enterprise server) is kept under its own keys.
    (env / "README.md").write_text(GITHUB_LIST, encoding="utf-8")
    first, second, hits = project_api(), project_api(), Counter[str]()
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    with serve_api(first) as one, serve_api(second) as other, \
            serve_pages({"/about": PAGE}, hits) as port:
        monkeypatch.setattr(socket, "getaddrinfo", GitHubOnLoopback(port))
        run("--github-api", one, "README.md")
        _, data, _ = run("--github-api", other, "README.md")
    assert (len(first.requests), len(second.requests)) == (1, 1)
    assert [h["Authorization"] for h in second.headers] == [f"bearer {TOKEN}"]
    assert len(findings(data)) == 3


def test_no_cache_asks_the_api_again_and_records_its_answer(
        env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (env / "README.md").write_text("# List\n\n- [a](https://gitlab.com/g/archived) - A.\n",
                                   encoding="utf-8")
    monkeypatch.setattr(socket, "getaddrinfo", GitHubOnLoopback(9))
    fake = gitlab_api()
    with serve_forge(fake) as api:
        for extra in ([], ["--no-cache"], []):
            _, data, _ = run("--forge", f"gitlab:gitlab.com={api}", *extra, "README.md")
            assert [finding[:3] for finding in findings(data)] == [("AL905", 3, "archived")]
    assert len(fake.paths) == 2  # the third run read what the second one recorded


FORGE_LIST = (
    "# List\n\n"
    "- [archived](https://gitlab.com/g/archived) - Read-only.\n"
    "- [stale](https://gitlab.com/g/sub/stale) - Quiet for years.\n"
    "- [renamed](https://gitlab.com/g/before) - Renamed.\n"
    "- [fresh](https://gitlab.com/g/fresh) - Busy.\n"
    "- [old](https://codeberg.org/o/archived) - Archived.\n"
    "- [quiet](https://codeberg.org/o/stale) - Quiet.\n"
    "- [moved](https://codeberg.org/o/before) - Redirected by the API.\n"
    "- [about](http://github.com/about) - A page, over HTTP.\n"
)


def test_gitlab_and_gitea_answers_are_cached_and_asked_again_once_stale(
        env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (env / "README.md").write_text(FORGE_LIST, encoding="utf-8")
    gitlab, gitea, hits = gitlab_api(), FakeForge(), Counter[str]()
    gitea.projects = {"o/archived": gitea_repo("o/archived", archived=True),
                      "o/stale": gitea_repo("o/stale", updated=days_ago(900))}
    gitea.moved = {"o/before": "someone/after"}
    with serve_forge(gitlab) as lab, serve_forge(gitea) as tea, \
            serve_pages({"/about": PAGE}, hits) as port:
        monkeypatch.setattr(socket, "getaddrinfo", GitHubOnLoopback(port))
        args = ("--forge", f"gitlab:gitlab.com={lab}", "--forge", f"gitea:codeberg.org={tea}",
                "README.md")
        _, cold, _ = run(*args)
        asked, pages = (len(gitlab.paths), len(gitea.paths)), sum(hits.values())
        _, warm, stderr = run(*args)
        assert (len(gitlab.paths), len(gitea.paths), sum(hits.values())) == (*asked, pages)
        monkeypatch.setenv("AWESOME_LINT_CLOCK", str(time.time() + 2 * 86400))
        _, later, _ = run(*args)
    assert asked == (4, 3) and pages >= 1
    assert (len(gitlab.paths), len(gitea.paths)) == (8, 6)
    assert "0 requests, 8 from the cache" in stderr
    assert [finding[:3] for finding in findings(cold)] == [
        ("AL905", 3, "archived"), ("AL911", 4, "stale"), ("AL912", 5, "moved"),
        ("AL905", 7, "archived"), ("AL911", 8, "stale"), ("AL912", 9, "moved")]
    assert findings(warm) == findings(later) == findings(cold)


#: Modules only a check that fetches needs: the network, reading pages, --diff's git.
FETCHING = ("aiohttp", "tenacity", "awesome_lint.links.checker", "awesome_lint.links.softdead",
            "html.parser", "awesome_lint.changed")
#: The CLI in a child process; its last line on stderr names those of FETCHING it imported.
IMPORTS = (
    "import sys\n"
    "from awesome_lint.cli import main\n"
    "sys.argv = ['awesome-lint', *sys.argv[1:]]\n"
    "try:\n    main()\nexcept SystemExit:\n    pass\n"
    f"print(*[name for name in {FETCHING!r} if name in sys.modules], file=sys.stderr)\n"
)


def test_a_warm_run_with_project_links_never_imports_aiohttp(tmp_path: Path) -> None:
    folder = tmp_path / "list"
    folder.mkdir()
    (folder / ".awesome-lint.toml").write_text(FAST, encoding="utf-8")
    fake = gitlab_api()
    with serve() as pages, serve_forge(fake) as api:
        (folder / "README.md").write_text(
            "# L\n\n- [a](https://gitlab.com/g/archived) - Archived.\n"
            "- [b](https://gitlab.com/g/fresh) - Busy.\n"
            f"- [p]({pages.url('/p/1')}) - A page.\n", encoding="utf-8")
        environ = {**os.environ, "AWESOME_LINT_CACHE_DIR": str(tmp_path / "cache"), "CI": "true",
                   "AWESOME_LINT_FORGES": f"gitlab:gitlab.com={api}"}
        for name in ("GITHUB_TOKEN", "GITLAB_TOKEN", "AWESOME_LINT_CLOCK"):
            environ.pop(name, None)
        done = [subprocess.run([sys.executable, "-c", IMPORTS, "--format", "json", "--links",
                                "--allow-private", "README.md"], cwd=folder, env=environ,
                               capture_output=True, text=True, timeout=120, check=False)
                for _ in range(2)]
        cold, warm = done
        assert (len(fake.paths), pages.hits["/p/1"]) == (2, 1)  # asked once, by the cold run
    assert cold.stderr.splitlines()[-1].split()[:5] == list(FETCHING[:5]), cold.stderr
    assert warm.stderr.splitlines()[-1] == "", warm.stderr  # none of them
    assert "0 requests, 3 from the cache" in warm.stderr
    assert findings(json.loads(warm.stdout)) == findings(json.loads(cold.stdout))
    assert [finding[:3] for finding in findings(json.loads(warm.stdout))] == [
        ("AL905", 3, "archived")]
