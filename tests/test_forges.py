"""Project health of GitLab and Gitea/Forgejo links (issue 14, part 2): which URLs are projects,
what the REST APIs' answers become (AL905 archived, AL911 stale, AL912 moved), one request per
project under the API host's cap, answers capped, failures left to the HTTP check (never dead
from the API alone), tokens only from the environment and only to their forge, forges only
from the command line or the environment. End to end through the CLI against fake APIs on
127.0.0.1; every other name fails to resolve, so no packet leaves the machine.
"""

from __future__ import annotations

import json
import socket
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner

from awesome_lint.cli import cli
from awesome_lint.links.forge_urls import (
    DEFAULT_FORGES,
    Forge,
    api_url,
    forge_for,
    moved_url,
    parse_forge_spec,
    project_ref,
    with_specs,
    with_tokens,
)
from awesome_lint.links.forges import MAX_ANSWER, read_project
from conftest import link_list_folder
from fakeforges import FakeForge, gitea_repo, gitlab_project, serve_forge
from test_project_health import NoDNS, run
from test_project_health import link_findings as findings

FAST = "[links]\nretries = 1\nbackoff = 0.01\ntimeout = 5\n"
GITLAB, GITEA = DEFAULT_FORGES


def days_ago(days: int) -> str:
    return (datetime.now(timezone.utc) - timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")


# --- which URLs are projects ------------------------------------------------------------------


@pytest.mark.parametrize(("url", "path", "root"), [
    ("https://gitlab.com/group/project", "group/project", True),
    ("https://gitlab.com/group/sub/deeper/project/", "group/sub/deeper/project", True),
    ("https://www.gitlab.com/group/project.git#readme", "group/project", True),
    ("https://gitlab.com/group/sub/project/-/tree/main", "group/sub/project", True),
    ("https://gitlab.com/group/sub/project/-/blob/main/README.md", "group/sub/project", False),
    ("https://gitlab.com/group/project/-/issues/3", "group/project", False),
    ("https://gitlab.com/group", None, None),  # a group or user page
    ("https://gitlab.com/explore/projects", None, None),
    ("https://gitlab.com/-/snippets/1", None, None),
    ("https://gitlab.com/group/.hidden", None, None),
])
def test_gitlab_project_paths(url: str, path: str | None, root: bool | None) -> None:
    forge = forge_for(url, DEFAULT_FORGES)
    assert forge is GITLAB
    ref = project_ref(url, forge)
    assert (ref.path, ref.root) == (path, root) if ref else path is None


@pytest.mark.parametrize(("url", "path", "root"), [
    ("https://codeberg.org/owner/repo", "owner/repo", True),
    ("https://codeberg.org/owner/repo.git/", "owner/repo", True),
    ("https://codeberg.org/owner/repo/src/branch/main/x.md", "owner/repo", False),
    ("https://codeberg.org/owner", None, None),
    ("https://codeberg.org/explore/repos", None, None),
])
def test_gitea_project_paths(url: str, path: str | None, root: bool | None) -> None:
    ref = project_ref(url, GITEA)
    assert forge_for(url, DEFAULT_FORGES) is GITEA
    assert (ref.path, ref.root) == (path, root) if ref else path is None


@pytest.mark.parametrize("url", ["https://gitlab.com:8443/g/p", "https://u:p@gitlab.com/g/p",
                                 "ftp://gitlab.com/g/p", "https://gitlab.example.com/g/p",
                                 "https://github.com/o/r"])
def test_other_addresses_are_on_no_forge(url: str) -> None:
    assert forge_for(url, DEFAULT_FORGES) is None


def test_api_addresses_encode_the_path() -> None:
    assert api_url(GITLAB, "group/sub/project") == (
        "https://gitlab.com/api/v4/projects/group%2Fsub%2Fproject")
    assert api_url(GITEA, "owner/repo") == "https://codeberg.org/api/v1/repos/owner/repo"


def test_moved_url_keeps_what_followed_and_refuses_what_is_not_a_path() -> None:
    url = "https://www.gitlab.com/old/sub/name.git/-/tree/main?x=1#readme"
    ref = project_ref(url, GITLAB)
    assert ref is not None
    assert moved_url(url, GITLAB, ref, "new/name") == (
        "https://gitlab.com/new/name.git/-/tree/main?x=1#readme")
    for bad in ("new", "new/../x", "a/b)c", "new/name\n", "x/" * 30 + "y"):
        assert moved_url(url, GITLAB, ref, bad) is None, bad
    assert moved_url("https://codeberg.org/o/r", GITEA, ref, "a/b/c") is None


def test_answers_of_the_wrong_shape_are_unknown_facts() -> None:
    info = read_project("gitlab", {"path_with_namespace": "g/p", "archived": "yes",
                                   "last_activity_at": 3, "default_branch": ["main"],
                                   "forked_from_project": None})
    assert info is not None and info.facts() == {"archived": False, "fork": False}
    assert read_project("gitlab", {"archived": True}) is None
    assert read_project("gitea", ["full_name"]) is None


@pytest.mark.parametrize(("spec", "kind", "hosts", "api"), [
    ("gitlab:gitlab.example.com", "gitlab", {"gitlab.example.com"},
     "https://gitlab.example.com/api/v4"),
    ("gitea:git.example.org=https://api.example.org/git/", "gitea", {"git.example.org"},
     "https://api.example.org/git/api/v1"),
    ("gitlab:GitLab.com=http://127.0.0.1:9", "gitlab", {"gitlab.com", "www.gitlab.com"},
     "http://127.0.0.1:9/api/v4"),
])
def test_forge_specs(spec: str, kind: str, hosts: set[str], api: str) -> None:
    assert parse_forge_spec(spec) == Forge(kind, frozenset(hosts), api)


@pytest.mark.parametrize("spec", ["gitlab", "bitbucket:bitbucket.org", "gitea:a b",
                                  "gitlab:x.example=http://x.example",
                                  "gitlab:x.example=https://u:p@x.example",
                                  "gitea:x.example=https://x.example/?q=1"])
def test_bad_forge_specs(spec: str) -> None:
    with pytest.raises(ValueError):
        parse_forge_spec(spec)


def test_tokens_go_only_to_their_own_forge() -> None:
    environ = {"GITLAB_TOKEN": "glpat-1", "CODEBERG_TOKEN": "cb-2"}
    forges = with_tokens(with_specs(("gitlab:gitlab.example.com",)), environ)
    assert {min(f.hosts): f.token for f in forges} == {
        "gitlab.example.com": None, "gitlab.com": "glpat-1", "codeberg.org": "cb-2"}


# --- end to end: the command line against the fake APIs ---------------------------------------


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    work = link_list_folder(tmp_path, monkeypatch)
    monkeypatch.setattr(socket, "getaddrinfo", NoDNS(socket.EAI_NONAME))
    (work / ".awesome-lint.toml").write_text(FAST, encoding="utf-8")
    return work


GITLAB_LIST = (
    "# List\n\n"
    "- [archived](https://gitlab.com/g/archived) - Read-only.\n"
    "- [stale](https://gitlab.com/g/sub/stale) - Quiet for years.\n"
    "- [fresh](https://gitlab.com/g/fresh) - Busy.\n"
    "- [again](https://gitlab.com/g/fresh.git) - The same project, one request.\n"
    "- [renamed](https://gitlab.com/g/before#readme) - Renamed.\n"
    "- [fork](https://gitlab.com/g/fork/-/tree/main) - A fork.\n"
    "- [private](https://gitlab.com/g/private) - 404 from the API.\n"
    "- [file](https://gitlab.com/g/fresh/-/blob/main/x.md) - A page inside: HTTP.\n"
)


def gitlab_api() -> FakeForge:
    fake = FakeForge()
    fake.projects = {
        "g/archived": gitlab_project("g/archived", archived=True, activity=days_ago(2000)),
        "g/sub/stale": gitlab_project("g/sub/stale", activity=days_ago(1000)),
        "g/fresh": gitlab_project("g/fresh", activity=days_ago(3)),
        "g/before": gitlab_project("other/team/after", activity=days_ago(3)),
        "g/fork": gitlab_project("g/fork", activity=days_ago(800), fork_of="up/stream"),
    }
    return fake


def test_end_to_end_gitlab_archived_stale_moved_fork_private(
        env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (env / "README.md").write_text(GITLAB_LIST, encoding="utf-8")
    monkeypatch.setattr(socket, "getaddrinfo", NoDNS(socket.EAI_AGAIN))  # HTTP: no verdict
    fake = gitlab_api()
    with serve_forge(fake) as api:
        code, data, stderr = run("--forge", f"gitlab:gitlab.com={api}", "README.md")
    assert findings(data) == [
        ("AL905", 3, "archived", "warning"),
        ("AL911", 4, "stale", "info"),
        ("AL912", 7, "moved", "warning"),
        ("AL911", 8, "stale", "info"),
        ("AL904", 9, "error", "warning"),  # a 404 from the API is not "dead": HTTP decides
        ("AL904", 10, "error", "warning"),  # a page inside a project: HTTP only
    ], stderr
    assert code == 0
    by_line = {f["line"]: f for f in data["findings"]}
    assert by_line[3]["details"]["archived"] is True
    assert by_line[4]["details"]["last_commit"] == fake.projects["g/sub/stale"][
        "last_activity_at"]
    assert by_line[4]["details"]["default_branch"] == "main"
    assert by_line[7]["details"]["moved_to"] == "https://gitlab.com/other/team/after#readme"
    assert (by_line[8]["details"]["fork"], by_line[3]["details"]["fork"]) == (True, False)
    assert sorted(fake.paths) == ["g/archived", "g/before", "g/fork", "g/fresh", "g/private",
                                  "g/sub/stale"]  # one request per project
    assert all("Authorization" not in headers for headers in fake.headers)


def test_end_to_end_the_moved_fix_is_safe(env: Path) -> None:
    readme = env / "README.md"
    readme.write_text("# List\n\n- [renamed](https://gitlab.com/g/before#readme) - R.\n",
                      encoding="utf-8")
    with serve_forge(gitlab_api()) as api:
        code, data, _ = run("--forge", f"gitlab:gitlab.com={api}", "--fix", "README.md")
    assert readme.read_text(encoding="utf-8") == (
        "# List\n\n- [renamed](https://gitlab.com/other/team/after#readme) - R.\n")
    assert (code, findings(data)) == (0, [])


def test_end_to_end_gitea_archived_stale_fork_and_a_redirected_rename(
        env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (env / "README.md").write_text(
        "# List\n\n"
        "- [archived](https://codeberg.org/o/archived) - A.\n"
        "- [stale](https://codeberg.org/o/stale) - S.\n"
        "- [fork](https://codeberg.org/o/fork) - F.\n"
        "- [renamed](https://codeberg.org/o/before) - R.\n", encoding="utf-8")
    fake = FakeForge()
    fake.projects = {
        "o/archived": gitea_repo("o/archived", archived=True),
        "o/stale": gitea_repo("o/stale", updated=days_ago(900)),
        "o/fork": gitea_repo("o/fork", fork=True, updated=days_ago(2), branch="trunk"),
    }
    fake.moved = {"o/before": "someone/after"}
    monkeypatch.setenv("CODEBERG_TOKEN", "cb-secret-token")
    with serve_forge(fake) as api:
        code, data, stderr = run("--forge", f"gitea:codeberg.org={api}", "README.md")
    assert findings(data) == [
        ("AL905", 3, "archived", "warning"),
        ("AL911", 4, "stale", "info"),
        ("AL912", 6, "moved", "warning"),
    ], stderr
    assert code == 0
    by_line = {f["line"]: f for f in data["findings"]}
    assert by_line[6]["details"] == {"moved_to": "https://codeberg.org/someone/after"}
    assert len(fake.paths) == 4  # the redirect is read, not followed
    assert [h.get("Authorization") for h in fake.headers] == ["token cb-secret-token"] * 4
    assert {h.get("Accept-Encoding") for h in fake.headers} == {"identity"}  # read as sent
    assert "cb-secret-token" not in json.dumps(data) + stderr


def test_a_fragment_on_a_project_link_keeps_the_api_s_answer_when_the_page_is_unread(
        env: Path) -> None:
    (env / "README.md").write_text("# List\n\n- [a](https://gitlab.com/g/archived#readme) - A.\n",
                                   encoding="utf-8")
    fake = gitlab_api()
    with serve_forge(fake) as api:  # the page itself cannot be read here (no such host)
        _, data, stderr = run("--forge", f"gitlab:gitlab.com={api}", "README.md")
    assert findings(data) == [("AL905", 3, "archived", "warning")], stderr
    assert fake.paths == ["g/archived"]


def test_one_request_per_project_never_more_in_flight_than_the_host_s_cap(env: Path) -> None:
    lines = "".join(f"- [p{i}](https://gitlab.com/g/p{i}) - P.\n- [q{i}](https://gitlab.com/g"
                    f"/p{i}/) - Q.\n" for i in range(12))
    (env / "README.md").write_text("# List\n\n" + lines, encoding="utf-8")
    (env / ".awesome-lint.toml").write_text(
        FAST + '[links.hosts]\n"127.0.0.1" = {concurrency = 2}\n', encoding="utf-8")
    fake = FakeForge(delay=0.05)
    fake.projects = {f"g/p{i}": gitlab_project(f"g/p{i}") for i in range(12)}
    with serve_forge(fake) as api:
        code, data, stderr = run("--forge", f"gitlab:gitlab.com={api}", "README.md")
    assert (code, findings(data)) == (0, []), stderr
    assert len(fake.paths) == 12
    assert fake.max_in_flight == 2


@pytest.mark.parametrize(("fake", "said"), [
    (FakeForge(status=503), "HTTP 503"),
    (FakeForge(status=429), "HTTP 429"),
    (FakeForge(pad=MAX_ANSWER), "larger than 256 KB"),
])
def test_api_failures_are_one_warning_and_the_http_check_decides(
        env: Path, monkeypatch: pytest.MonkeyPatch, fake: FakeForge, said: str) -> None:
    (env / "README.md").write_text(GITLAB_LIST, encoding="utf-8")
    (env / ".awesome-lint.toml").write_text(  # one at a time: a stop is seen by the next
        FAST + '[links.hosts]\n"127.0.0.1" = {concurrency = 1}\n', encoding="utf-8")
    monkeypatch.setattr(socket, "getaddrinfo", NoDNS(socket.EAI_AGAIN))
    fake.projects = gitlab_api().projects
    with serve_forge(fake) as api:
        _, data, stderr = run("--forge", f"gitlab:gitlab.com={api}", "README.md")
    warned = [line for line in stderr.splitlines() if "GitLab API" in line]
    assert len(warned) == 1 and said in warned[0], stderr
    assert {code for code, *_ in findings(data)} == {"AL904"}  # not checked, never dead
    # a rejected or rate-limited forge is asked once, then left alone for the run
    assert len(fake.paths) == (1 if fake.status == 429 else 6)


def test_an_unreachable_forge_is_asked_once_and_the_http_check_decides(
        env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (env / "README.md").write_text(GITLAB_LIST, encoding="utf-8")
    (env / ".awesome-lint.toml").write_text(
        FAST + '[links.hosts]\n"127.0.0.1" = {concurrency = 1}\n', encoding="utf-8")
    monkeypatch.setattr(socket, "getaddrinfo", NoDNS(socket.EAI_AGAIN))
    with socket.socket() as closed:  # a port nothing listens on: connection refused
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    _, data, stderr = run("--forge", f"gitlab:gitlab.com=http://127.0.0.1:{port}", "README.md")
    warned = [line for line in stderr.splitlines() if "GitLab API" in line]
    assert len(warned) == 1 and "1 project got no answer" in warned[0], stderr
    assert {code for code, *_ in findings(data)} == {"AL904"}


def test_tokens_come_from_the_environment_and_go_only_to_their_forge(
        env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (env / "README.md").write_text(
        "# List\n\n- [a](https://gitlab.com/g/fresh) - A.\n"
        "- [b](https://gitlab.example.com/g/fresh) - B.\n", encoding="utf-8")
    monkeypatch.setenv("GITLAB_TOKEN", "glpat-secret")
    public, own = gitlab_api(), gitlab_api()
    with serve_forge(public) as api, serve_forge(own) as self_hosted:
        monkeypatch.setenv("AWESOME_LINT_FORGES", f"gitlab:gitlab.com={api} "
                                                  f"gitlab:gitlab.example.com={self_hosted}")
        _, data, stderr = run("README.md")
    assert findings(data) == [], stderr
    assert [h.get("Authorization") for h in public.headers] == ["Bearer glpat-secret"]
    assert [h.get("Authorization") for h in own.headers] == [None]
    assert "glpat-secret" not in json.dumps(data) + stderr


def test_the_api_is_asked_once_while_its_answer_is_fresh_and_can_be_turned_off(
        env: Path) -> None:
    (env / "README.md").write_text("# List\n\n- [a](https://gitlab.com/g/archived) - A.\n",
                                   encoding="utf-8")
    fake = gitlab_api()
    with serve_forge(fake) as api:
        first = run("--forge", f"gitlab:gitlab.com={api}", "README.md")[1]
        second = run("--forge", f"gitlab:gitlab.com={api}", "README.md")[1]
        off = run("--forge", f"gitlab:gitlab.com={api}", "--no-forge-api", "README.md")[1]
    assert findings(first) == findings(second) == [("AL905", 3, "archived", "warning")]
    assert findings(off) == [("AL901", 3, "dead", "error")]  # over HTTP: no such host here
    assert len(fake.paths) == 1  # the second run reads the cached answer


def test_a_config_file_cannot_name_a_forge(env: Path) -> None:
    (env / "README.md").write_text("# List\n\n- [a](https://gitlab.com/g/a) - A.\n",
                                   encoding="utf-8")
    (env / ".awesome-lint.toml").write_text(
        FAST + 'forges = ["gitlab:gitlab.com=https://evil.example"]\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["--links", "README.md"])
    assert result.exit_code == 2
    assert "unknown key 'forges'" in result.output


@pytest.mark.parametrize(("args", "variable", "named"), [
    (["--forge", "gitlab:x.example=http://x.example"], None, "--forge"),
    ([], "gitea:git.example=https://u:secret@git.example", "AWESOME_LINT_FORGES"),
])
def test_a_bad_forge_is_one_line_and_exit_2(env: Path, monkeypatch: pytest.MonkeyPatch,
                                            args: list[str], variable: str | None,
                                            named: str) -> None:
    (env / "README.md").write_text("# List\n\n- [a](https://gitlab.com/g/a) - A.\n",
                                   encoding="utf-8")
    if variable:
        monkeypatch.setenv("AWESOME_LINT_FORGES", variable)
    result = CliRunner().invoke(cli, ["--links", *args, "README.md"])
    assert result.exit_code == 2
    assert named in result.output and "Traceback" not in result.output
    assert "secret" not in result.output
