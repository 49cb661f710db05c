"""Project health of GitHub repository links (issue 14, part 2): what the GraphQL API says
(archived, last commit, fork, disabled, moved), how it maps to statuses and to AL905, AL911 and
AL912, where the API is (``--github-api``, the environment, never a config file), and the note
when no token is given. End to end against a fake API on 127.0.0.1; every other name fails to
resolve (a fake ``getaddrinfo``), so no packet leaves the machine.
"""

from __future__ import annotations

import dataclasses
import json
import socket
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from click.testing import CliRunner

from awesome_lint.cli import cli
from awesome_lint.config import Config
from awesome_lint.engine import run_rules
from awesome_lint.findings import Applicability, Severity
from awesome_lint.links.github import RepoInfo, repo_status
from awesome_lint.links.github_urls import graphql_endpoint, moved_url, repo_hosts
from awesome_lint.parse import parse
from awesome_lint.registry import load_rules
from awesome_lint.verdicts import LinkStatus, Verdict
from conftest import link_list_folder
from fakegithub import FakeGitHub, serve_api
from test_link_github import check

TOKEN = "ghp_PROJECTHEALTH0123456789"
FAST = "[links]\nretries = 1\nbackoff = 0.01\ntimeout = 5\n"


def days_ago(days: int) -> str:
    when = datetime.now(timezone.utc) - timedelta(days=days)
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


# --- the API's answer --------------------------------------------------------------------------


def ask(fake: FakeGitHub, repos: list[tuple[str, str]]) -> dict[tuple[str, str], RepoInfo]:
    return check(fake, repos, token=TOKEN)


def test_the_batch_asks_for_and_reads_every_project_fact() -> None:
    fake = FakeGitHub()
    fake.add("a/fresh", committed="2026-03-01T10:00:00Z", pushed="2026-03-02T00:00:00Z",
             branch="trunk")
    fake.add("a/forked", fork=True)
    fake.add("a/off", disabled=True)
    fake.add("a/empty", branch=None, pushed="2019-05-01T00:00:00Z")  # no default branch
    fake.add("a/offset", committed="2020-01-01T02:00:00+02:00")
    infos = ask(fake, [("a", "fresh"), ("a", "forked"), ("a", "off"), ("a", "empty"),
                       ("a", "offset")])
    fresh = infos[("a", "fresh")]
    assert (fresh.default_branch, fresh.last_commit, fresh.fork) == (
        "trunk", "2026-03-01T10:00:00Z", False)  # the commit, not the later push
    assert infos[("a", "forked")].fork
    assert infos[("a", "off")].disabled
    empty = infos[("a", "empty")]
    assert (empty.default_branch, empty.last_commit) == (None, "2019-05-01T00:00:00Z")
    assert infos[("a", "offset")].last_commit == "2020-01-01T00:00:00Z"  # UTC
    query = fake.requests[0]["query"]
    for name in ("isFork", "isDisabled", "pushedAt", "defaultBranchRef", "committedDate"):
        assert name in query


@pytest.mark.parametrize("answer", [
    {"isFork": None, "isArchived": None, "isDisabled": None, "pushedAt": None,
     "defaultBranchRef": None, "url": None},
    {"isFork": "yes", "isArchived": 1, "pushedAt": 12, "defaultBranchRef": "main"},
    {"defaultBranchRef": {"name": None, "target": None}, "pushedAt": "yesterday"},
    {"defaultBranchRef": {"name": "x" * 300, "target": {"committedDate": "2020-13-45"}}},
    {"defaultBranchRef": {"name": "main", "target": {"committedDate": "2020-01-01T00:00:00"}}},
], ids=["nulls", "wrong-types", "null-branch-fields", "garbage", "no-time-zone"])
def test_nulls_and_odd_values_are_unknown_facts_not_errors(answer: dict[str, Any]) -> None:
    fake = FakeGitHub()
    fake.add("a/b")
    fake.repos["a/b"] = {"nameWithOwner": "a/b", **answer}
    info = ask(fake, [("a", "b")])[("a", "b")]
    assert info.error is None and info.exists
    assert (info.archived, info.fork, info.disabled) == (False, False, False)
    assert info.last_commit is None and info.default_branch in (None, "main")


# --- statuses ----------------------------------------------------------------------------------


def found(name: str, **facts: Any) -> RepoInfo:
    return RepoInfo(True, name, facts.pop("archived", False), f"https://github.com/{name}",
                    **facts)


def test_a_live_repository_is_ok_with_its_facts() -> None:
    status = repo_status("https://github.com/a/b", found("a/b", fork=True, default_branch="main",
                                                          last_commit="2020-01-01T00:00:00Z"))
    assert status is not None and status.verdict is Verdict.OK
    assert {k: status.extra[k] for k in ("archived", "fork", "default_branch", "last_commit")} == {
        "archived": False, "fork": True, "default_branch": "main",
        "last_commit": "2020-01-01T00:00:00Z"}
    assert "moved_to" not in status.extra


def test_unknown_facts_are_left_out_not_null() -> None:
    status = repo_status("https://github.com/a/b", found("a/b"))
    assert status is not None
    assert "last_commit" not in status.extra and "default_branch" not in status.extra


def test_a_renamed_repository_is_moved_and_keeps_what_followed_the_name() -> None:
    url = "https://github.com/old/name/tree/dev?tab=x"
    status = repo_status(url, found("New/name", archived=True))
    assert status is not None and status.verdict is Verdict.MOVED
    assert status.final_url == status.extra["moved_to"] == (
        "https://github.com/New/name/tree/dev?tab=x")
    assert status.archived and "archived" in status.reason


def test_a_disabled_repository_is_left_to_the_http_check() -> None:
    assert repo_status("https://github.com/a/b", found("a/b", disabled=True)) is None


def test_a_missing_repository_is_dead_for_the_answerer_to_drop() -> None:
    status = repo_status("https://github.com/a/b", RepoInfo(False, None, False, None))
    assert status is not None and status.verdict is Verdict.DEAD


def test_enterprise_links_are_the_servers_own() -> None:
    hosts = repo_hosts("https://ghe.example.com/api/graphql")
    status = repo_status("https://ghe.example.com/acme/tool", found("acme/tool"), hosts)
    assert status is not None and status.verdict is Verdict.OK
    assert repo_status("https://github.com/acme/tool", found("acme/tool"), hosts) is None
    moved = repo_status("https://ghe.example.com/acme/old#x", found("acme/new"), hosts)
    assert moved is not None and moved.final_url == "https://ghe.example.com/acme/new#x"


def test_moved_url_refuses_what_is_not_a_name() -> None:
    assert moved_url("https://github.com/a/b", "c/d) [x](https://evil.example") is None
    assert moved_url("https://github.com/a/b", "justone") is None
    assert moved_url("//github.com/a/b.git", "c/d") == "https://github.com/c/d.git"


# --- where the API is --------------------------------------------------------------------------


@pytest.mark.parametrize(("given", "endpoint"), [
    ("https://api.github.com", "https://api.github.com/graphql"),
    ("https://api.github.com/", "https://api.github.com/graphql"),
    ("https://api.github.com/graphql", "https://api.github.com/graphql"),
    ("https://ghe.example.com/api/v3", "https://ghe.example.com/api/graphql"),
    ("https://ghe.example.com/api/v3/", "https://ghe.example.com/api/graphql"),
    ("https://ghe.example.com/api/graphql", "https://ghe.example.com/api/graphql"),
    ("https://api.acme.ghe.com", "https://api.acme.ghe.com/graphql"),
    ("http://127.0.0.1:8080/graphql", "http://127.0.0.1:8080/graphql"),
    ("http://localhost:8080", "http://localhost:8080/graphql"),
])
def test_graphql_endpoint_maps_rest_bases(given: str, endpoint: str) -> None:
    assert graphql_endpoint(given) == endpoint


@pytest.mark.parametrize("given", [
    "http://ghe.example.com/api/v3",  # plain http would show the token to the network
    "https://user:pw@ghe.example.com/api/v3",
    "ftp://ghe.example.com/",
    "ghe.example.com",
    "https://[::1",
])
def test_graphql_endpoint_refuses_where_a_token_must_not_go(given: str) -> None:
    with pytest.raises(ValueError):
        graphql_endpoint(given)


@pytest.mark.parametrize(("api", "hosts"), [
    ("https://api.github.com/graphql", {"github.com", "www.github.com"}),
    ("https://ghe.example.com/api/graphql", {"ghe.example.com"}),
    ("https://api.acme.ghe.com/graphql", {"acme.ghe.com"}),
    ("http://127.0.0.1:8080/graphql", {"github.com", "www.github.com"}),  # a test's fake
])
def test_repo_hosts(api: str, hosts: set[str]) -> None:
    assert repo_hosts(api) == hosts


# --- the rules on given statuses ---------------------------------------------------------------


def rule(code: str) -> Any:
    return next(r for r in load_rules() if r.code == code)


def findings_for(text: str, statuses: dict[str, LinkStatus], codes: tuple[str, ...],
                 config: Config | None = None) -> list[Any]:
    doc = dataclasses.replace(parse(text, "list.md"), link_statuses=statuses)
    return run_rules(doc, [rule(code) for code in codes], config or Config())


def ok(url: str, **extra: Any) -> LinkStatus:
    return LinkStatus(url, Verdict.OK, archived=bool(extra.get("archived")),
                      extra={"source": "github-api", **extra})


def test_stale_is_measured_in_days_against_the_option() -> None:
    text = "# L\n\n- [old](https://github.com/a/old) - A.\n- [new](https://github.com/a/new) - B.\n"
    statuses = {"https://github.com/a/old": ok("https://github.com/a/old",
                                               last_commit=days_ago(800), fork=False),
                "https://github.com/a/new": ok("https://github.com/a/new",
                                               last_commit=days_ago(10))}
    [stale] = findings_for(text, statuses, ("AL911",))
    assert (stale.span.line, stale.verdict, stale.severity) == (3, "stale", Severity.INFO)
    assert stale.details == {"last_commit": statuses["https://github.com/a/old"].extra[
        "last_commit"], "fork": False}
    tight = Config(rule_settings={"AL911": {"days": 5}})
    assert [f.span.line for f in findings_for(text, statuses, ("AL911",), tight)] == [3, 4]


def test_stale_leaves_archived_unknown_and_unparsable_alone() -> None:
    text = ("# L\n\n- [a](https://github.com/a/a) - A.\n- [b](https://github.com/a/b) - B.\n"
            "- [c](https://github.com/a/c) - C.\n")
    statuses = {"https://github.com/a/a": ok("https://github.com/a/a", archived=True,
                                             last_commit=days_ago(3000)),
                "https://github.com/a/b": ok("https://github.com/a/b"),
                "https://github.com/a/c": ok("https://github.com/a/c", last_commit="long ago")}
    assert findings_for(text, statuses, ("AL911",)) == []
    [archived] = findings_for(text, statuses, ("AL905",))
    assert archived.verdict == "archived" and archived.details["archived"] is True


def test_stale_is_a_warning_under_the_awesome_preset_unless_configured() -> None:
    text = "# L\n\n- [old](https://github.com/a/old) - A.\n"
    statuses = {"https://github.com/a/old": ok("https://github.com/a/old",
                                               last_commit=days_ago(800))}
    [default] = findings_for(text, statuses, ("AL911",))
    [awesome] = findings_for(text, statuses, ("AL911",), Config(preset="awesome"))
    [configured] = findings_for(text, statuses, ("AL911",),
                                Config(preset="awesome", severities={"AL911": Severity.INFO}))
    assert (default.severity, awesome.severity, configured.severity) == (
        Severity.INFO, Severity.WARNING, Severity.INFO)


def test_moved_gives_a_safe_fix_that_keeps_the_fragment() -> None:
    text = "# L\n\n- [p](https://github.com/old/p#usage) - A.\n"
    new = "https://github.com/new/p"
    statuses = {"https://github.com/old/p#usage": LinkStatus(
        "https://github.com/old/p#usage", Verdict.MOVED, final_url=new, permanent=True,
        extra={"moved_to": new, "archived": False, "fork": False})}
    [moved] = findings_for(text, statuses, ("AL912",))
    assert moved.verdict == "moved" and moved.details["moved_to"] == new + "#usage"
    assert moved.fix is not None and moved.fix.applicability is Applicability.SAFE
    assert moved.fix.edits[0].text == "https://github.com/new/p#usage"
    assert "moved to https://github.com/new/p#usage" in moved.message


# --- end to end: the command line against the fake API -----------------------------------------


class NoDNS:
    """``socket.getaddrinfo`` resolving only 127.0.0.1; every name fails with ``failure``."""

    def __init__(self, failure: int) -> None:
        self.failure = failure
        self.real = socket.getaddrinfo

    def __call__(self, host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else str(host)
        if name != "127.0.0.1":
            raise socket.gaierror(self.failure, "Name or service not known")
        return self.real(name, port, *args, **kwargs)


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    work = link_list_folder(tmp_path, monkeypatch)
    monkeypatch.setattr(socket, "getaddrinfo", NoDNS(socket.EAI_NONAME))
    (work / ".awesome-lint.toml").write_text(FAST, encoding="utf-8")
    return work


def run(*args: str) -> tuple[int, dict[str, Any], str]:
    result = CliRunner().invoke(cli, ["--format", "json", "--links", "--allow-private", *args])
    data = json.loads(result.stdout) if result.stdout.startswith("{") else {}
    return result.exit_code, data, result.stderr


def link_findings(data: dict[str, Any]) -> list[tuple[str, int, str, str]]:
    return [(f["code"], f["line"], f["verdict"], f["severity"]) for f in data["findings"]
            if f["code"].startswith("AL9")]


LIST = (
    "# List\n\n"
    "- [archived](https://github.com/o/archived) - Read-only.\n"
    "- [stale](https://github.com/o/stale) - Quiet for years.\n"
    "- [fresh](https://github.com/o/fresh) - Busy.\n"
    "- [renamed](https://github.com/o/before#readme) - Renamed.\n"
    "- [fork](https://github.com/o/fork) - A fresh fork.\n"
    "- [missing](https://github.com/o/missing) - Deleted.\n"
    "- [disabled](https://github.com/o/disabled) - Taken down.\n"
)


def project_api() -> FakeGitHub:
    fake = FakeGitHub()
    fake.add("o/archived", archived=True, committed=days_ago(2000))
    fake.add("o/stale", committed=days_ago(1000))
    fake.add("o/fresh", committed=days_ago(3))
    fake.add("Someone/after", alias="o/before", committed=days_ago(3))
    fake.add("o/fork", fork=True, committed=days_ago(3))
    fake.add("o/disabled", disabled=True)
    return fake


def test_end_to_end_archived_stale_moved_fork_missing_disabled(
        env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (env / "README.md").write_text(LIST, encoding="utf-8")
    fake = project_api()
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    with serve_api(fake) as api:
        code, data, stderr = run("--github-api", api, "README.md")
    assert code == 1  # the missing repository: the API said so and HTTP confirmed
    assert link_findings(data) == [
        ("AL905", 3, "archived", "warning"),
        ("AL911", 4, "stale", "info"),
        ("AL912", 6, "moved", "warning"),
        ("AL901", 8, "dead", "error"),
        ("AL901", 9, "dead", "error"),  # disabled: dead only because HTTP says so too
    ]
    by_line = {f["line"]: f for f in data["findings"]}
    assert by_line[3]["details"]["archived"] is True
    assert by_line[4]["details"]["last_commit"] == fake.repos["o/stale"][
        "defaultBranchRef"]["target"]["committedDate"]
    assert by_line[4]["details"]["default_branch"] == "main"
    assert by_line[6]["details"]["moved_to"] == "https://github.com/Someone/after#readme"
    assert fake.batch_sizes() == [7]
    assert [h["Authorization"] for h in fake.headers] == [f"bearer {TOKEN}"]
    assert TOKEN not in json.dumps(data) + stderr
    assert "checked over HTTP only" not in stderr


def test_end_to_end_the_awesome_preset_makes_stale_a_warning(
        env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (env / "README.md").write_text("# List\n\n- [stale](https://github.com/o/stale) - Q.\n",
                                   encoding="utf-8")
    (env / "days.toml").write_text(FAST + "[rules.stale-repository]\ndays = 5000\n",
                                   encoding="utf-8")
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    with serve_api(project_api()) as api:
        _, data, _ = run("--github-api", api, "--preset", "awesome", "--select", "AL911",
                         "README.md")
        _, days, _ = run("--github-api", api, "--select", "AL911", "--config", "days.toml",
                         "README.md")
    assert link_findings(data) == [("AL911", 3, "stale", "warning")]
    assert link_findings(days) == []


def test_end_to_end_the_moved_fix_is_safe(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    readme = env / "README.md"
    readme.write_text("# List\n\n- [renamed](https://github.com/o/before#readme) - R.\n",
                      encoding="utf-8")
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    with serve_api(project_api()) as api:
        code, data, _ = run("--github-api", api, "--fix", "README.md")
    assert readme.read_text(encoding="utf-8") == (
        "# List\n\n- [renamed](https://github.com/Someone/after#readme) - R.\n")
    assert (code, link_findings(data)) == (0, [])


def test_end_to_end_rate_limit_is_one_warning_and_no_project_findings(
        env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    async def limited(request: web.Request) -> web.StreamResponse:
        return web.json_response(
            {"errors": [{"type": "RATE_LIMITED", "message": "API rate limit exceeded"}]})

    (env / "README.md").write_text(LIST, encoding="utf-8")
    monkeypatch.setattr(socket, "getaddrinfo", NoDNS(socket.EAI_AGAIN))  # HTTP: not judged
    fake = project_api()
    fake.script = [limited]
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    with serve_api(fake) as api:
        _, data, stderr = run("--github-api", api, "README.md")
    said = [line for line in stderr.splitlines() if "GitHub API" in line]
    assert len(said) == 1 and "rate limit" in said[0], stderr
    assert {code for code, *_ in link_findings(data)} == {"AL904"}  # could not check, not dead
    assert len(fake.requests) == 1


def test_end_to_end_a_batch_error_touches_only_its_repository(
        env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (env / "README.md").write_text(LIST, encoding="utf-8")
    fake = project_api()
    fake.alias_errors = {"o/archived": "FORBIDDEN"}
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    with serve_api(fake) as api:
        _, data, stderr = run("--github-api", api, "README.md")
    codes = {(code, line) for code, line, *_ in link_findings(data)}
    assert ("AL905", 3) not in codes and ("AL901", 3) in codes  # over HTTP: no such host here
    assert {("AL911", 4), ("AL912", 6)} <= codes
    assert "FORBIDDEN" in stderr


def test_without_a_token_one_note_counts_the_repository_links(env: Path) -> None:
    (env / "README.md").write_text(
        LIST + "- [file](https://github.com/o/fresh/blob/main/x.go) - A file.\n"
               "- [topic](https://github.com/topics/go) - Not a repository.\n",
        encoding="utf-8")
    _, data, stderr = run("README.md")
    notes = [line for line in stderr.splitlines() if "checked over HTTP only" in line]
    assert notes == ["GitHub: 8 repository links were checked over HTTP only (whether a "
                     "repository is archived, stale or moved needs the GitHub API): give a "
                     "token with --github-token or GITHUB_TOKEN (the action passes the "
                     "workflow's token)."]
    assert not {"AL905", "AL911", "AL912"} & {code for code, *_ in link_findings(data)}


@pytest.mark.parametrize("source", ["GITHUB_API_URL", "AWESOME_LINT_GITHUB_API"])
def test_the_environment_chooses_the_api_and_the_option_wins(
        env: Path, monkeypatch: pytest.MonkeyPatch, source: str) -> None:
    (env / "README.md").write_text("# List\n\n- [a](https://github.com/o/archived) - A.\n",
                                   encoding="utf-8")
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    chosen, other = project_api(), project_api()
    with serve_api(chosen) as api, serve_api(other) as elsewhere:
        # GITHUB_API_URL is a REST base, as GitHub Actions sets it: .../graphql is added.
        monkeypatch.setenv(source, api.removesuffix("/graphql"))
        _, data, _ = run("README.md")
        assert link_findings(data) == [("AL905", 3, "archived", "warning")]
        assert (len(chosen.requests), len(other.requests)) == (1, 0)
        monkeypatch.setenv("GITHUB_API_URL", api)
        run("--github-api", elsewhere, "README.md")
        assert (len(chosen.requests), len(other.requests)) == (1, 1)


def test_a_config_file_cannot_choose_the_api(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (env / "README.md").write_text("# List\n\n- [a](https://github.com/o/a) - A.\n",
                                   encoding="utf-8")
    (env / ".awesome-lint.toml").write_text(
        FAST + 'github-api = "https://evil.example/graphql"\n', encoding="utf-8")
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    result = CliRunner().invoke(cli, ["--links", "README.md"])
    assert result.exit_code == 2
    assert "links.github-api: unknown key 'github-api' (set it on the command line" in (
        result.output)


@pytest.mark.parametrize(("args", "variable", "named"), [
    (["--github-api", "http://evil.example/graphql"], None, "--github-api"),
    ([], "https://user:secret@ghe.example.com/api/v3", "GITHUB_API_URL"),
])
def test_a_bad_api_address_is_one_line_and_exit_2(env: Path, monkeypatch: pytest.MonkeyPatch,
                                                  args: list[str], variable: str | None,
                                                  named: str) -> None:
    (env / "README.md").write_text("# List\n\n- [a](https://github.com/o/a) - A.\n",
                                   encoding="utf-8")
    if variable:
        monkeypatch.setenv("GITHUB_API_URL", variable)
    result = CliRunner().invoke(cli, ["--links", *args, "README.md"])
    assert result.exit_code == 2
    assert named in result.output and "Traceback" not in result.output
    assert "secret" not in result.output


def test_with_a_token_the_api_is_asked_even_when_the_cache_knows_the_link(
        env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from awesome_lint.links.cache import open_link_cache
    from awesome_lint.links.observation import Kind, Observation

    # A run without a token cached what HTTP said (200); the API's facts are not in it.
    with open_link_cache(max_age=86400, failure_age=0) as cache:
        cache.put_many([Observation("https://github.com/o/archived", Kind.HTTP, 200,
                                    checked=datetime.now(timezone.utc).timestamp())],
                       scope="private")  # (the runs here use --allow-private)
    (env / "README.md").write_text("# List\n\n- [a](https://github.com/o/archived) - A.\n",
                                   encoding="utf-8")
    _, cold, stderr = run("README.md")
    assert link_findings(cold) == [] and "1 from the cache" in stderr, stderr
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    fake = project_api()
    with serve_api(fake) as api:
        _, data, stderr = run("--github-api", api, "README.md")
    assert link_findings(data) == [("AL905", 3, "archived", "warning")]
    assert fake.batch_sizes() == [1] and "0 from the cache" in stderr


# --- a repository link with a #fragment: the API's facts and the page's anchors ----------------


class GitHubOnLoopback(NoDNS):
    """``NoDNS``, except that github.com is the page server on 127.0.0.1 at ``port`` (the
    ``http://github.com/...`` links of a test reach it; the API is the fake's own address)."""

    def __init__(self, port: int) -> None:
        super().__init__(socket.EAI_NONAME)
        self.port = port

    def __call__(self, host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else str(host)
        if name == "github.com":
            return self.real("127.0.0.1", self.port, *args, **kwargs)
        return super().__call__(host, port, *args, **kwargs)


#: A repository's page as github.com renders its README: a heading's anchor is user-content-.
README_PAGE = ('<html><body><article class="markdown-body"><div class="markdown-heading">'
               '<h2 class="heading-element">Installation</h2><a id="user-content-installation" '
               'class="anchor" href="#installation"></a></div></article></body></html>')

ANCHORED = (
    "# List\n\n"
    "- [stale](http://github.com/o/stale#installation) - Its README has the section.\n"
    "- [again](http://github.com/o/stale#gone-section) - The same page, no such section.\n"
    "- [archived](http://github.com/o/archived#usage) - Archived, no such section.\n"
    "- [fresh](http://github.com/o/fresh) - No fragment: the API says it all.\n"
    "- [renamed](http://github.com/o/before#installation) - Moved: fixed first.\n"
    "- [fork](http://github.com/o/fork#installation) - Its page fails: the API's word stands.\n"
)


def by_line(data: dict[str, Any]) -> list[tuple[str, int, str, str]]:
    return sorted(link_findings(data), key=lambda finding: (finding[1], finding[0]))


def test_a_repository_link_with_a_fragment_has_its_page_read_once_and_keeps_its_facts(
        env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from collections import Counter

    from fakegithub import serve_pages

    (env / "README.md").write_text(ANCHORED, encoding="utf-8")
    fake = project_api()
    hits: Counter[str] = Counter()
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    pages = {"/o/stale": README_PAGE, "/o/archived": README_PAGE}
    with serve_api(fake) as api, serve_pages(pages, hits) as port:
        monkeypatch.setattr(socket, "getaddrinfo", GitHubOnLoopback(port))
        _, cold, _ = run("--github-api", api, "README.md")
        _, warm, stderr = run("--github-api", api, "README.md")
    expected = [
        ("AL911", 3, "stale", "info"),
        ("AL910", 4, "missing-fragment", "warning"),
        ("AL911", 4, "stale", "info"),
        ("AL905", 5, "archived", "warning"),
        ("AL910", 5, "missing-fragment", "warning"),
        ("AL912", 7, "moved", "warning"),
    ]
    assert by_line(cold) == expected
    assert by_line(warm) == expected  # the second run reads the cache's anchors
    # One GET per page in both runs together: no probe of github.com (the API said the page
    # exists), none for the link without a fragment or the moved one. A page that failed (a 404
    # here) is no reading of its anchors: asked again, never called dead, and its repository
    # alone asked of the API again (the others' answers are cached with the pages' anchors).
    assert hits == {"/o/stale": 1, "/o/archived": 1, "/o/fork": 2}
    assert fake.batch_sizes() == [5, 1]
    by_code_line = {(f["code"], f["line"]): f for f in warm["findings"]}
    assert by_code_line[("AL911", 4)]["details"]["last_commit"] == fake.repos["o/stale"][
        "defaultBranchRef"]["target"]["committedDate"]
    assert "gone-section" in by_code_line[("AL910", 4)]["details"]["evidence"]
    assert by_code_line[("AL905", 5)]["details"]["archived"] is True
    assert TOKEN not in json.dumps(warm) + stderr


# --- the default severity shown for the run's preset ---------------------------------------------


@pytest.mark.parametrize(("args", "severity"), [([], "info"),
                                               (["--preset", "awesome"], "warning")])
def test_list_rules_shows_the_default_severity_under_the_preset(args: list[str],
                                                                severity: str) -> None:
    text = CliRunner().invoke(cli, [*args, "--list-rules"])
    rows = {line.split()[0]: line.split() for line in text.stdout.splitlines()}
    listed = CliRunner().invoke(cli, [*args, "--list-rules", "--format", "json"])
    data = json.loads(listed.stdout)
    by_code = {rule["code"]: rule for rule in data["rules"]}
    assert (rows["AL911"][3], by_code["AL911"]["severity"]) == (severity, severity)
    assert data["preset"] == (args[1] if args else None)
    assert (rows["AL901"][3], by_code["AL901"]["severity"]) == ("error", "error")


@pytest.mark.parametrize(("args", "config", "level"), [
    ([], "", "note"),
    (["--preset", "awesome"], "", "warning"),
    ([], 'preset = "awesome"\n', "warning"),  # the files' config says so
])
def test_sarif_rule_metadata_shows_the_default_level_under_the_preset(
        env: Path, args: list[str], config: str, level: str) -> None:
    (env / "README.md").write_text("# List\n\n- [a](https://example.com/a) - A.\n",
                                   encoding="utf-8")
    (env / ".awesome-lint.toml").write_text(config + FAST, encoding="utf-8")
    result = CliRunner().invoke(cli, ["--format", "sarif", *args, "README.md"])
    driver = json.loads(result.stdout)["runs"][0]["tool"]["driver"]
    levels = {rule["id"]: rule["defaultConfiguration"]["level"] for rule in driver["rules"]}
    assert (levels["AL911"], levels["AL901"]) == (level, "error")


def test_sarif_from_standard_input_shows_the_default_level_under_the_preset(env: Path) -> None:
    result = CliRunner().invoke(cli, ["--format", "sarif", "--preset", "awesome", "-"],
                                input="# List\n\n- [a](https://example.com/a) - A.\n")
    driver = json.loads(result.stdout)["runs"][0]["tool"]["driver"]
    [stale] = [rule for rule in driver["rules"] if rule["id"] == "AL911"]
    assert stale["defaultConfiguration"] == {"level": "warning"}
