"""GitHub repository links: URL parsing, and batched GraphQL checks against a local fake API."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Sequence
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from hypothesis import example, given
from hypothesis import strategies as st

from awesome_lint.links import github_urls
from awesome_lint.links.github import (
    RepoInfo,
    check_repos,
    is_repo_root,
    parse_repo_url,
    repo_status,
)
from awesome_lint.verdicts import LinkStatus, Verdict
from fakegithub import FakeGitHub

TOKEN = "ghp_TESTTOKEN0123456789"

# ---------------------------------------------------------------------------------------------
# parse_repo_url / is_repo_root

PARSE_CASES = [
    ("https://github.com/avelino/awesome-go", ("avelino", "awesome-go")),
    ("https://github.com/avelino/awesome-go/", ("avelino", "awesome-go")),
    ("http://github.com/avelino/awesome-go", ("avelino", "awesome-go")),
    ("https://www.github.com/avelino/awesome-go", ("avelino", "awesome-go")),
    ("https://GitHub.com/Avelino/Awesome-Go", ("Avelino", "Awesome-Go")),
    ("https://github.com/gin-gonic/gin.git", ("gin-gonic", "gin")),
    ("https://github.com/gin-gonic/gin#readme", ("gin-gonic", "gin")),
    ("https://github.com/gin-gonic/gin?tab=readme-ov-file", ("gin-gonic", "gin")),
    ("https://github.com/golang/go/tree/master", ("golang", "go")),
    ("https://github.com/golang/go/tree/master/src/net", ("golang", "go")),
    ("https://github.com/golang/go/blob/master/README.md", ("golang", "go")),
    ("https://github.com/golang/go/issues/12", ("golang", "go")),
    ("https://github.com/golang/go/wiki", ("golang", "go")),
    ("https://github.com/user/user.github.io", ("user", "user.github.io")),
    ("https://github.com/org/.github", ("org", ".github")),
    ("https://github.com/a_b/c_d.e-f", None),  # underscore is not allowed in owners
    ("https://github.com/ab/c_d.e-f", ("ab", "c_d.e-f")),
    ("//github.com/x/y", ("x", "y")),
    ("https://github.com:443/x/y", ("x", "y")),
    ("https://github.com:8443/x/y", None),
    ("https://user:pass@github.com/x/y", None),
    ("https://github.com/topics/go", None),
    ("https://github.com/orgs/golang/repositories", None),
    ("https://github.com/sponsors/avelino", None),
    ("https://github.com/features/actions", None),
    ("https://github.com/marketplace/actions/checkout", None),
    ("https://github.com/search?q=awesome", None),
    ("https://github.com/settings/tokens", None),
    ("https://github.com/about", None),
    ("https://github.com/login", None),
    ("https://github.com/avelino", None),  # a user profile
    ("https://github.com/avelino/", None),
    ("https://github.com/", None),
    ("https://github.com", None),
    ("https://gist.github.com/avelino/0123abcd", None),
    ("https://raw.githubusercontent.com/x/y/main/README.md", None),
    ("https://gitlab.com/x/y", None),
    ("https://notgithub.com/x/y", None),
    ("https://github.com.evil.example/x/y", None),
    ("ftp://github.com/x/y", None),
    ("https://github.com/-x/y", None),  # owners cannot start with a hyphen
    ("https://github.com/x/..", None),
    ("https://github.com/x/y%20z", None),
    ("https://github.com/x/" + "y" * 101, None),
    ("https://github.com/" + "x" * 40 + "/y", None),
    ("https://github.com//x/y", None),
    ("not a url", None),
    ("https://[::1/x/y", None),
]


@pytest.mark.parametrize(("url", "expected"), PARSE_CASES)
def test_parse_repo_url(url: str, expected: tuple[str, str] | None) -> None:
    assert parse_repo_url(url) == expected


ROOT_CASES = [
    ("https://github.com/x/y", True),
    ("https://github.com/x/y/", True),
    ("http://www.github.com/x/y.git", True),
    ("https://github.com/x/y#readme", True),
    ("https://github.com/x/y?tab=readme-ov-file#install", True),
    ("https://github.com/x/y/tree/main", True),
    ("https://github.com/x/y/tree/main/", True),
    ("https://github.com/x/y/tree/main/docs", False),
    ("https://github.com/x/y/tree", False),
    ("https://github.com/x/y/blob/main/README.md", False),
    ("https://github.com/x/y/issues/12", False),
    ("https://github.com/x/y/releases", False),
    ("https://github.com/topics/go", False),
    ("https://github.com/x", False),
]


@pytest.mark.parametrize(("url", "expected"), ROOT_CASES)
def test_is_repo_root(url: str, expected: bool) -> None:
    assert is_repo_root(url) is expected


# ---------------------------------------------------------------------------------------------
# The fake GraphQL API


def check(
    fake: FakeGitHub, repos: Sequence[tuple[str, str]], **kwargs: Any
) -> dict[tuple[str, str], RepoInfo]:
    """Run check_repos against ``fake`` served on 127.0.0.1."""

    async def main() -> dict[tuple[str, str], RepoInfo]:
        app = web.Application()
        app.router.add_post("/graphql", fake.handle)
        server = TestServer(app, host="127.0.0.1")
        await server.start_server()
        try:
            async with aiohttp.ClientSession() as session:
                options: dict[str, Any] = {"backoff": 0.01, "token": TOKEN}
                options.update(kwargs)
                return await check_repos(
                    session, repos, api_url=str(server.make_url("/graphql")), **options
                )
        finally:
            await server.close()

    return asyncio.run(main())


# ---------------------------------------------------------------------------------------------
# check_repos


def test_250_repositories_take_three_posts_of_at_most_100() -> None:
    fake = FakeGitHub()
    repos = [(f"owner{i}", f"repo{i}") for i in range(250)]
    for owner, name in repos:
        fake.add(f"{owner}/{name}")
    infos = check(fake, repos)
    assert fake.batch_sizes() == [100, 100, 50]
    assert set(infos) == set(repos)
    assert all(info.exists and info.error is None for info in infos.values())
    assert infos[("owner249", "repo249")].name_with_owner == "owner249/repo249"


def test_batch_size_is_honoured() -> None:
    fake = FakeGitHub()
    repos = [(f"o{i}", "r") for i in range(7)]
    check(fake, repos, batch_size=3)
    assert fake.batch_sizes() == [3, 3, 1]


def test_missing_renamed_archived_and_case_only() -> None:
    fake = FakeGitHub()
    fake.add("alive/repo")
    fake.add("NewOwner/new-name", alias="old/name")  # transferred and renamed
    fake.add("keeper/old-stuff", archived=True)
    fake.add("Owner/Repo")  # the list writes owner/repo: same repository
    infos = check(
        fake,
        [
            ("alive", "repo"),
            ("old", "name"),
            ("keeper", "old-stuff"),
            ("owner", "repo"),
            ("gone", "x"),
        ],
    )
    assert infos[("alive", "repo")] == RepoInfo(
        True, "alive/repo", False, "https://github.com/alive/repo", default_branch="main",
        last_commit="2026-01-01T00:00:00Z"
    )
    assert infos[("old", "name")].renamed("old", "name")
    assert infos[("old", "name")].name_with_owner == "NewOwner/new-name"
    assert infos[("keeper", "old-stuff")].archived
    assert infos[("owner", "repo")].exists
    assert not infos[("owner", "repo")].renamed("owner", "repo")
    gone = infos[("gone", "x")]
    assert (gone.exists, gone.error) == (False, None)


def test_token_and_user_agent_headers_are_exact() -> None:
    fake = FakeGitHub()
    fake.add("a/b")
    check(fake, [("a", "b")], user_agent="awesome-lint-test/1")
    (headers,) = fake.headers
    assert headers["Authorization"] == f"bearer {TOKEN}"
    assert headers["User-Agent"] == "awesome-lint-test/1"


def test_query_uses_variables_and_never_sends_invalid_names() -> None:
    fake = FakeGitHub()
    fake.add("good/repo")
    evil = ('x", name: "y") { id } z: repository(owner: "a', "b")
    infos = check(fake, [("good", "repo"), evil, ("has space", "r"), ("a", "..")])
    (body,) = fake.requests
    assert body["variables"] == {"o0": "good", "n0": "repo"}
    assert '"' not in body["query"] and "good" not in body["query"]
    assert infos[("good", "repo")].exists
    for bad in (evil, ("has space", "r"), ("a", "..")):
        error = infos[bad].error
        assert error is not None and "plain HTTP" in error


def test_names_differing_in_case_are_asked_once() -> None:
    fake = FakeGitHub()
    fake.add("Owner/Repo")
    infos = check(fake, [("owner", "repo"), ("OWNER", "REPO"), ("Owner", "Repo")])
    assert fake.batch_sizes() == [1]
    assert len(infos) == 3
    assert all(info.name_with_owner == "Owner/Repo" for info in infos.values())


def test_401_is_an_error_for_every_repository_and_stops_further_batches() -> None:
    fake = FakeGitHub(script=[401])
    repos = [(f"o{i}", "r") for i in range(5)]
    infos = check(fake, repos, batch_size=2, concurrency=1)
    assert len(fake.requests) == 1  # the token is bad: do not try it twice more
    for info in infos.values():
        assert info.error is not None
        assert "401" in info.error and "token" in info.error and "plain HTTP" in info.error
        assert TOKEN not in info.error


def test_502_then_200_is_retried() -> None:
    fake = FakeGitHub(script=[502])
    fake.add("a/b")
    infos = check(fake, [("a", "b")])
    assert len(fake.requests) == 2
    assert infos[("a", "b")] == RepoInfo(True, "a/b", False, "https://github.com/a/b",
                                         default_branch="main", last_commit="2026-01-01T00:00:00Z")


def test_5xx_gives_up_after_three_attempts() -> None:
    fake = FakeGitHub(script=[502, 503, 500, 500])
    fake.add("a/b")
    infos = check(fake, [("a", "b")])
    assert len(fake.requests) == 3
    error = infos[("a", "b")].error
    assert error is not None and "3 attempts" in error and "plain HTTP" in error


def test_timeout_is_retried() -> None:
    async def slow(request: web.Request) -> web.StreamResponse:
        await asyncio.sleep(1.0)
        return web.json_response({})

    fake = FakeGitHub(script=[slow])
    fake.add("a/b")
    infos = check(fake, [("a", "b")], timeout=0.2)
    assert len(fake.requests) == 2
    assert infos[("a", "b")].exists


def test_rate_limit_403_is_an_error_saying_so() -> None:
    async def limited(request: web.Request) -> web.StreamResponse:
        return web.json_response(
            {"message": "scripted"},
            status=403,
            headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "1764000000"},
        )

    fake = FakeGitHub(script=[limited])
    infos = check(fake, [("a", "b"), ("c", "d")], batch_size=1, concurrency=1)
    assert len(fake.requests) == 1
    for info in infos.values():
        assert info.error is not None
        assert "rate limit exhausted" in info.error
        assert "plain HTTP checks will be used" in info.error


def test_other_403_is_an_error_naming_githubs_message() -> None:
    async def forbidden(request: web.Request) -> web.StreamResponse:
        message = "You have exceeded a secondary rate limit."
        return web.json_response({"message": message}, status=403)

    fake = FakeGitHub(script=[forbidden])
    infos = check(fake, [("a", "b"), ("c", "d")], batch_size=1, concurrency=1)
    assert len(fake.requests) == 1
    for info in infos.values():
        assert info.error is not None
        assert "HTTP 403: You have exceeded a secondary rate limit." in info.error


def test_graphql_rate_limited_error_is_an_error_saying_so() -> None:
    async def limited(request: web.Request) -> web.StreamResponse:
        return web.json_response(
            {"errors": [{"type": "RATE_LIMITED", "message": "API rate limit exceeded"}]}
        )

    fake = FakeGitHub(script=[limited])
    infos = check(fake, [("a", "b"), ("c", "d"), ("e", "f")], batch_size=1, concurrency=1)
    assert len(fake.requests) == 1
    for info in infos.values():
        assert info.error is not None and "rate limit" in info.error


def test_partial_errors_touch_only_their_alias() -> None:
    fake = FakeGitHub(alias_errors={"c/d": "FORBIDDEN"})
    fake.add("a/b")
    fake.add("e/f", archived=True)
    infos = check(fake, [("a", "b"), ("c", "d"), ("e", "f")])
    assert infos[("a", "b")].exists and infos[("a", "b")].error is None
    assert infos[("e", "f")].archived
    error = infos[("c", "d")].error
    assert error is not None and "FORBIDDEN" in error


def test_rate_limited_alias_stops_later_batches() -> None:
    fake = FakeGitHub(alias_errors={"c/d": "RATE_LIMITED"})
    fake.add("a/b")
    infos = check(fake, [("a", "b"), ("c", "d"), ("e", "f")], batch_size=2, concurrency=1)
    assert len(fake.requests) == 1
    assert infos[("a", "b")].exists
    for key in (("c", "d"), ("e", "f")):
        error = infos[key].error
        assert error is not None and "rate limit" in error


def test_redirects_from_the_api_are_not_followed() -> None:
    async def redirect(request: web.Request) -> web.StreamResponse:
        raise web.HTTPTemporaryRedirect("/elsewhere")

    fake = FakeGitHub(script=[redirect])
    infos = check(fake, [("a", "b")])
    assert len(fake.requests) == 1  # /elsewhere is not routed to the fake; nothing followed
    error = infos[("a", "b")].error
    assert error is not None and "307" in error


def test_at_most_two_batches_in_flight() -> None:
    fake = FakeGitHub(delay=0.05)
    repos = [(f"o{i}", "r") for i in range(12)]
    check(fake, repos, batch_size=2)
    assert len(fake.requests) == 6
    assert fake.max_in_flight == 2


def test_the_token_is_never_logged(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    fake = FakeGitHub(script=[401])
    check(fake, [("a", "b")])
    assert caplog.records  # the failure is logged...
    assert TOKEN not in caplog.text  # ...without the token


def test_invalid_json_is_an_error() -> None:
    async def garbage(request: web.Request) -> web.StreamResponse:
        return web.Response(text="<html>oops</html>", content_type="text/html")

    fake = FakeGitHub(script=[garbage])
    infos = check(fake, [("a", "b")])
    error = infos[("a", "b")].error
    assert error is not None and "JSON" in error


# ---------------------------------------------------------------------------------------------
# repo_status


def info(name: str | None, *, archived: bool = False, error: str | None = None) -> RepoInfo:
    url = None if name is None else f"https://github.com/{name}"
    return RepoInfo(name is not None and error is None, name, archived, url, error)


def test_status_ok() -> None:
    status = repo_status("https://github.com/a/b", info("a/b"))
    assert status is not None
    assert (status.verdict, status.archived, status.final_url) == (Verdict.OK, False, None)


def test_status_case_only_difference_is_ok() -> None:
    status = repo_status("https://github.com/owner/repo#readme", info("Owner/Repo"))
    assert status is not None and status.verdict is Verdict.OK


def test_status_archived() -> None:
    status = repo_status("https://github.com/a/b", info("a/b", archived=True))
    assert status is not None
    assert status.verdict is Verdict.OK and status.archived


@pytest.mark.parametrize(
    ("url", "final"),
    [
        ("https://github.com/old/name", "https://github.com/New/name2"),
        ("http://www.github.com/old/name/", "https://github.com/New/name2/"),
        ("https://github.com/old/name.git", "https://github.com/New/name2.git"),
        (
            "https://github.com/old/name/tree/main?tab=x#readme",
            "https://github.com/New/name2/tree/main?tab=x#readme",
        ),
    ],
)
def test_status_renamed_is_moved(url: str, final: str) -> None:
    status = repo_status(url, info("New/name2", archived=True))
    assert status is not None
    assert status.verdict is Verdict.MOVED and status.permanent
    assert status.final_url == final == status.extra["moved_to"]
    assert status.archived and status.extra["archived"] is True


def test_status_missing_is_dead_even_for_pages_inside() -> None:
    missing = RepoInfo(False, None, False, None)
    for url in ("https://github.com/a/b", "https://github.com/a/b/blob/main/x.go"):
        status = repo_status(url, missing)
        assert status is not None
        assert status.verdict is Verdict.DEAD
        assert status.reason == "repository not found (GitHub API)"


def test_status_falls_back_on_error_subpages_and_non_repositories() -> None:
    assert repo_status("https://github.com/a/b", info(None, error="rate limit")) is None
    assert repo_status("https://github.com/a/b/blob/main/x.go", info("a/b")) is None
    assert repo_status("https://github.com/a/b/issues/1", info("c/d")) is None
    assert repo_status("https://github.com/topics/go", RepoInfo(False, None, False, None)) is None


def test_status_survives_a_json_round_trip() -> None:
    status = repo_status("https://github.com/old/name", info("new/name", archived=True))
    assert status is not None
    assert LinkStatus.from_json(json.loads(json.dumps(status.to_json()))) == status


@pytest.mark.parametrize(
    ("name_with_owner", "api_url"),
    [
        # Issue 10, item 6: the API's answer is written into the file by the AL902 fix.
        ("New/name2) - [Evil](https://phish.example) <img src=x onerror=alert(1)> (",
         "https://github.com/New/name2"),
        ("New/name2", "https://phish.example/) [Evil](x) <img src=x onerror=alert(1)>"),
        ("New/na me", "https://github.com/New/na me"),
        ("../etc", "https://github.com/../etc"),
        ("justone", "https://github.com/justone"),
    ],
)
def test_a_hostile_renamed_repository_never_reaches_the_file(name_with_owner: str,
                                                             api_url: str) -> None:
    url = "https://github.com/old/name/tree/main?tab=x#readme"
    status = repo_status(url, RepoInfo(True, name_with_owner, False, api_url))
    if status is None:  # not a valid owner/name: the link is checked over HTTP instead
        assert "New/name2" not in name_with_owner or " " in name_with_owner
        return
    assert status.final_url == "https://github.com/New/name2/tree/main?tab=x#readme"
    assert status.chain == (url, status.final_url)


@given(st.sampled_from(["https://", "http://", "HTTPS://", " https://", "//"]),
       st.sampled_from(["github.com", "www.github.com", "GitHub.com", "github.com.",
                        "github.com:443", "u@github.com", "gitlab.com"]),
       st.lists(st.sampled_from(["o", "O-1", "-x", "topics", "Sponsors", "r", "r.git", ".git",
                                 ".", "..", "a" * 101, "x%20y", "tree", "main", "", " "]),
                max_size=4),
       st.sampled_from(["", "/", "?tab=readme", "#usage", "\t", " ", ".git"]))
@example("https://", "github.com", ["o", "."], "")
@example("https://", "github.com", ["o", ".."], "/")
@example("https://", "github.com", ["o", ".git"], "")
@example("https://", "github.com", ["o", "r.GIT"], "?x")
@example("https://", "www.github.com", ["Sponsors", "r"], "")
def test_the_plain_repository_fast_path_reads_what_the_general_one_does(
        scheme: str, host: str, segments: list[str], tail: str) -> None:
    url = f"{scheme}{host}/{'/'.join(segments)}{tail}"
    general = github_urls._split_repo(url, github_urls.GITHUB_HOSTS)
    assert parse_repo_url(url) == (None if general is None else general[:2])
