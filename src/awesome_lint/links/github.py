"""GitHub repository links checked in batches through the GitHub GraphQL API.

With a token, one POST answers up to ~100 repositories: whether each exists, its current
``owner/name`` (a rename or transfer shows as a different ``nameWithOwner``), whether it is
archived, a fork or disabled, and when its default branch last got a commit. The flow for a
caller::

    repo = parse_repo_url(url)                      # None: not a repository link, use HTTP
    infos = await check_repos(session, repos, token=..., api_url=...)
    status = repo_status(url, infos[repo])          # None: fall back to a plain HTTP check

The token is sent only to ``api_url`` (the caller guarantees it is the real API or a test fake),
redirects from it are not followed, and it never appears in a message or a log line. Which URLs
are repositories, and where the API is, is :mod:`awesome_lint.links.github_urls` (no aiohttp).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping, Sequence
from typing import Any

import aiohttp
from tenacity import (
    AsyncRetrying,
    RetryError,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential,
    wait_random,
)

from awesome_lint.links.github_urls import (
    is_repo_root,
    parse_repo_url,
    valid_name,
)
from awesome_lint.links.policy import DEFAULT_USER_AGENT
from awesome_lint.links.project_facts import MAX_BRANCH, RepoInfo, repo_status, utc

__all__ = [
    "FALLBACK",
    "RepoInfo",
    "check_repos",
    "is_repo_root",
    "parse_repo_url",
    "repo_status",
]

log = logging.getLogger(__name__)

FALLBACK = "plain HTTP checks will be used instead"

_RATE_LIMITED = f"GitHub API rate limit exhausted (RATE_LIMITED); {FALLBACK}"
#: What is asked of each repository (GitHub's documented ``Repository`` fields). The default
#: branch's last commit is the project's last change; ``pushedAt`` (any branch) stands in when
#: the repository has no default branch (an empty repository).
_FIELDS = ("nameWithOwner url isArchived isFork isDisabled pushedAt "
           "defaultBranchRef { name target { ... on Commit { committedDate } } }")
_RETRY_STATUSES = frozenset({500, 502, 503, 504})


def _repo_info(node: Mapping[str, Any]) -> RepoInfo:
    """RepoInfo from one ``repository`` answer whose ``nameWithOwner`` is a string; any other
    field of the wrong type or null is taken as unknown (False, None)."""
    branch = node.get("defaultBranchRef")
    branch_name: str | None = None
    committed: str | None = None
    if isinstance(branch, dict):
        raw_name = branch.get("name")
        if isinstance(raw_name, str) and 0 < len(raw_name) <= MAX_BRANCH:
            branch_name = raw_name
        target = branch.get("target")
        if isinstance(target, dict):
            committed = utc(target.get("committedDate"))
    url = node.get("url")
    return RepoInfo(
        exists=True,
        name_with_owner=node["nameWithOwner"],
        archived=node.get("isArchived") is True,
        url=url if isinstance(url, str) else None,
        fork=node.get("isFork") is True,
        disabled=node.get("isDisabled") is True,
        default_branch=branch_name,
        last_commit=committed or utc(node.get("pushedAt")),
    )


class _TransientError(Exception):
    """A failure worth retrying: 5xx, timeout, dropped connection."""


class _BatchError(Exception):
    """The whole batch got no answer; ``fatal`` stops the batches not yet sent."""

    def __init__(self, message: str, *, fatal: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.fatal = fatal


def _query(count: int) -> str:
    """The batch query: aliases ``r0..rN`` over variables ``$o0/$n0...`` (no text interpolated)."""
    params = ", ".join(f"$o{i}: String!, $n{i}: String!" for i in range(count))
    fields = " ".join(
        f"r{i}: repository(owner: $o{i}, name: $n{i}) {{ {_FIELDS} }}" for i in range(count)
    )
    return f"query({params}) {{ {fields} }}"


async def check_repos(
    session: aiohttp.ClientSession,
    repos: Sequence[tuple[str, str]],
    *,
    token: str,
    api_url: str,
    batch_size: int = 100,
    concurrency: int = 2,
    timeout: float = 30.0,
    attempts: int = 3,
    backoff: float = 1.0,
    user_agent: str = DEFAULT_USER_AGENT,
) -> dict[tuple[str, str], RepoInfo]:
    """Ask the GraphQL API about ``repos``; one entry per requested pair, always.

    One POST per ``batch_size`` repositories, at most ``concurrency`` in flight. 5xx, timeouts
    and dropped connections are retried (``attempts`` in all, jittered exponential backoff
    starting at ``backoff`` seconds). A rejected token (401), an exhausted rate limit (403 with
    ``X-RateLimit-Remaining: 0``, 429, or a ``RATE_LIMITED`` error) gives every repository not
    yet answered an ``error`` and sends no further batches. Names that are not valid GitHub
    names are never sent; they get an ``error`` too. Pairs differing only in case share a query.
    """
    if batch_size < 1 or concurrency < 1 or attempts < 1:
        raise ValueError("batch_size, concurrency and attempts must be positive")
    results: dict[tuple[str, str], RepoInfo] = {}
    unique: dict[tuple[str, str], tuple[str, str]] = {}  # lower-cased -> first spelling
    for owner, name in repos:
        if not valid_name(owner, name):
            results[(owner, name)] = _failed(f"not a valid GitHub repository name; {FALLBACK}")
        else:
            unique.setdefault((owner.lower(), name.lower()), (owner, name))
    pending = list(unique.values())
    batches = [pending[i : i + batch_size] for i in range(0, len(pending), batch_size)]
    headers = {
        "Authorization": f"bearer {token}",
        "User-Agent": user_agent,
        "Accept": "application/json",
        "Content-Type": "application/json",
    }
    gate = asyncio.Semaphore(concurrency)
    stop: list[str] = []  # the message of the first fatal error
    answers: dict[tuple[str, str], RepoInfo] = {}

    async def run(batch: list[tuple[str, str]]) -> None:
        async with gate:
            if stop:
                answers.update((repo, _failed(stop[0])) for repo in batch)
                return
            try:
                got, fatal = await _post_batch(
                    session, batch, api_url, headers, timeout, attempts, backoff
                )
                answers.update(got)
                if fatal is not None and not stop:
                    stop.append(fatal)
            except _BatchError as exc:
                if exc.fatal and not stop:
                    stop.append(exc.message)
                # Not a warning: the caller reports the API's error once for the whole run
                # (a logging warning went to stderr once per batch of 100).
                log.debug("GitHub API batch of %d failed: %s", len(batch), exc.message)
                answers.update((repo, _failed(exc.message)) for repo in batch)

    await asyncio.gather(*(run(batch) for batch in batches))
    for owner, name in repos:
        if (owner, name) not in results:
            results[(owner, name)] = answers[unique[(owner.lower(), name.lower())]]
    return results


def _failed(message: str) -> RepoInfo:
    return RepoInfo(exists=False, name_with_owner=None, archived=False, url=None, error=message)


async def _post_batch(
    session: aiohttp.ClientSession,
    batch: list[tuple[str, str]],
    api_url: str,
    headers: Mapping[str, str],
    timeout: float,
    attempts: int,
    backoff: float,
) -> tuple[dict[tuple[str, str], RepoInfo], str | None]:
    """One batch, retried on transient failures: answers and a fatal message (see _read_answer).

    Raises _BatchError when the batch gets no answer at all.
    """
    variables: dict[str, str] = {}
    for i, (owner, name) in enumerate(batch):
        variables[f"o{i}"] = owner
        variables[f"n{i}"] = name
    payload = {"query": _query(len(batch)), "variables": variables}
    retrying = AsyncRetrying(
        stop=stop_after_attempt(attempts),
        wait=wait_exponential(multiplier=backoff, max=max(backoff, 30.0)) + wait_random(0, backoff),
        retry=retry_if_exception_type(_TransientError),
        reraise=False,
    )
    try:
        async for attempt in retrying:
            with attempt:
                body = await _post_once(session, api_url, headers, payload, timeout)
    except RetryError as exc:
        cause = exc.last_attempt.exception()
        raise _BatchError(
            f"GitHub API unavailable ({cause} after {attempts} attempts); {FALLBACK}"
        ) from None
    return _read_answer(body, batch)


async def _post_once(
    session: aiohttp.ClientSession,
    api_url: str,
    headers: Mapping[str, str],
    payload: Mapping[str, Any],
    timeout: float,
) -> Any:
    """One POST; the decoded JSON body of a 200, or _TransientError/_BatchError."""
    try:
        async with session.post(
            api_url,
            json=payload,
            headers=dict(headers),
            timeout=aiohttp.ClientTimeout(total=timeout),
            allow_redirects=False,  # the token must not follow a redirect anywhere
        ) as response:
            status = response.status
            if status in _RETRY_STATUSES:
                raise _TransientError(f"HTTP {status}")
            if status == 401:
                raise _BatchError(
                    f"GitHub API rejected the token (HTTP 401); {FALLBACK}", fatal=True
                )
            if status == 429 or (
                status == 403 and response.headers.get("X-RateLimit-Remaining") == "0"
            ):
                reset = response.headers.get("X-RateLimit-Reset")
                when = f", resets at epoch {reset}" if reset and reset.isdigit() else ""
                raise _BatchError(
                    f"GitHub API rate limit exhausted (HTTP {status}{when}); {FALLBACK}",
                    fatal=True,
                )
            if status == 403:
                detail = await _message(response)
                raise _BatchError(
                    f"GitHub API refused the request (HTTP 403{detail}); {FALLBACK}", fatal=True
                )
            if status != 200:
                detail = await _message(response)
                raise _BatchError(f"GitHub API answered HTTP {status}{detail}; {FALLBACK}")
            try:
                return await response.json(content_type=None)
            except ValueError:
                raise _BatchError(f"GitHub API answered with invalid JSON; {FALLBACK}") from None
    except asyncio.TimeoutError:
        raise _TransientError(f"timed out after {timeout:g} s") from None
    except aiohttp.ClientError as exc:
        raise _TransientError(type(exc).__name__) from None


async def _message(response: aiohttp.ClientResponse) -> str:
    """GitHub's ``message`` from an error body, shortened, as ``": ..."`` (or nothing)."""
    try:
        body = await response.json(content_type=None)
    except (ValueError, aiohttp.ClientError):
        return ""
    message = body.get("message") if isinstance(body, dict) else None
    return f": {message[:200]}" if isinstance(message, str) and message else ""


def _read_answer(
    body: Any, batch: list[tuple[str, str]]
) -> tuple[dict[tuple[str, str], RepoInfo], str | None]:
    """RepoInfo per repository from a GraphQL response (``data`` plus per-alias ``errors``).

    The second value is set when some alias was ``RATE_LIMITED``: later batches are not sent.
    """
    if not isinstance(body, dict):
        raise _BatchError(f"GitHub API answered with unexpected JSON; {FALLBACK}")
    errors = [e for e in body.get("errors") or () if isinstance(e, dict)]
    by_alias: dict[str, dict[str, Any]] = {}
    for error in errors:
        path = error.get("path")
        if isinstance(path, list) and path and isinstance(path[0], str):
            by_alias.setdefault(path[0], error)
        elif error.get("type") == "RATE_LIMITED":
            raise _BatchError(_RATE_LIMITED, fatal=True)
    data = body.get("data")
    if not isinstance(data, dict):
        first = errors[0].get("message") if errors else None
        detail = f": {first[:200]}" if isinstance(first, str) else ""
        raise _BatchError(f"GitHub API query failed{detail}; {FALLBACK}")
    answers: dict[tuple[str, str], RepoInfo] = {}
    fatal: str | None = None
    for i, repo in enumerate(batch):
        alias = f"r{i}"
        node = data.get(alias)
        err = by_alias.get(alias)
        if isinstance(node, dict) and isinstance(node.get("nameWithOwner"), str):
            answers[repo] = _repo_info(node)
        elif node is None and err is not None and err.get("type") == "NOT_FOUND":
            answers[repo] = RepoInfo(exists=False, name_with_owner=None, archived=False, url=None)
        elif err is not None and err.get("type") == "RATE_LIMITED":
            answers[repo] = _failed(_RATE_LIMITED)
            fatal = _RATE_LIMITED
        else:
            kind = err.get("type") if err is not None else None
            detail = f" ({kind})" if isinstance(kind, str) else ""
            answers[repo] = _failed(f"GitHub API gave no answer{detail}; {FALLBACK}")
    return answers, fatal
