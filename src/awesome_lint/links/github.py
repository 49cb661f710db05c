"""github.com repository links checked in batches through the GitHub GraphQL API.

With a token, one POST answers up to ~100 repositories: whether each exists, its current
``owner/name`` (a rename or transfer shows as a different ``nameWithOwner``) and whether it is
archived. The flow for a caller::

    repo = parse_repo_url(url)                      # None: not a repository link, use HTTP
    infos = await check_repos(session, repos, token=..., api_url=...)
    status = repo_status(url, infos[repo])          # None: fall back to a plain HTTP check

The token is sent only to ``api_url`` (the caller guarantees it is the real API or a test fake),
redirects from it are not followed, and it never appears in a message or a log line.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import aiohttp
from tenacity import (
    AsyncRetrying,
    RetryError,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential,
    wait_random,
)

from awesome_lint.links.policy import DEFAULT_USER_AGENT
from awesome_lint.urls import safe_markdown_url
from awesome_lint.verdicts import LinkStatus, Verdict

__all__ = [
    "FALLBACK",
    "RepoInfo",
    "check_repos",
    "is_repo_root",
    "parse_repo_url",
    "repo_status",
]

log = logging.getLogger(__name__)

# GitHub's rules: owners are letters, digits and single inner hyphens (39 at most; some old
# accounts break the hyphen rule, so only the first character is strict); repository names are
# letters, digits, ``.``, ``_`` and ``-`` (100 at most), never ``.`` or ``..``.
OWNER_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{0,38}")
REPO_RE = re.compile(r"[A-Za-z0-9._-]{1,100}")

_HOSTS = frozenset({"github.com", "www.github.com"})

# First path segments that are GitHub's own pages, never an owner. GitHub reserves these names,
# so listing one too many only costs a plain HTTP check; listing one too few would ask the API
# about a "repository" such as /topics/go and report it missing, so the list errs long.
RESERVED_OWNERS = frozenset(
    {
        "about",
        "account",
        "advisories",
        "apps",
        "blog",
        "codespaces",
        "collections",
        "contact",
        "copilot",
        "customer-stories",
        "dashboard",
        "discussions",
        "education",
        "enterprise",
        "enterprises",
        "events",
        "explore",
        "features",
        "git-guides",
        "github-copilot",
        "home",
        "issues",
        "join",
        "login",
        "logout",
        "marketplace",
        "mobile",
        "new",
        "nonprofit",
        "notifications",
        "organizations",
        "orgs",
        "partners",
        "pricing",
        "pulls",
        "readme",
        "resources",
        "search",
        "security",
        "sessions",
        "settings",
        "showcases",
        "signup",
        "site",
        "solutions",
        "sponsors",
        "stars",
        "team",
        "topics",
        "trending",
        "users",
        "watching",
    }
)

FALLBACK = "plain HTTP checks will be used instead"

_RATE_LIMITED = f"GitHub API rate limit exhausted (RATE_LIMITED); {FALLBACK}"
_FIELDS = "nameWithOwner isArchived url"
_RETRY_STATUSES = frozenset({500, 502, 503, 504})


@dataclass(frozen=True)
class RepoInfo:
    """What the API said about one repository.

    Read ``error`` first: when set, the API gave no answer for this repository (bad token, rate
    limit, outage...) and the other fields mean nothing. Otherwise ``exists`` is False for a
    missing (or private) repository, and ``name_with_owner``/``url`` are its current name and
    address, which differ from the requested ones after a rename or transfer.
    """

    exists: bool
    name_with_owner: str | None
    archived: bool
    url: str | None
    error: str | None = None

    def renamed(self, owner: str, name: str) -> bool:
        """True when the repository asked for as ``owner/name`` now lives elsewhere.

        GitHub names are case-insensitive, so ``Owner/Repo`` for ``owner/repo`` is no rename.
        """
        if not self.exists or self.name_with_owner is None:
            return False
        return self.name_with_owner.lower() != f"{owner}/{name}".lower()


def _split_repo(url: str) -> tuple[str, str, list[str]] | None:
    """Owner, repository and the remaining path segments of a github.com repository URL."""
    raw = url.strip()
    if raw.startswith("//"):
        raw = "https:" + raw
    try:
        parts = urlsplit(raw)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or parts.username or parts.password:
        return None
    if (parts.hostname or "").rstrip(".") not in _HOSTS:
        return None
    if port not in (None, {"http": 80, "https": 443}[parts.scheme.lower()]):
        return None
    segments = parts.path.split("/")
    if segments[:1] != [""] or len(segments) < 3:
        return None
    owner, repo, rest = segments[1], segments[2], segments[3:]
    if repo.lower().endswith(".git"):
        repo = repo[:-4]
    if (
        not OWNER_RE.fullmatch(owner)
        or owner.lower() in RESERVED_OWNERS
        or not REPO_RE.fullmatch(repo)
        or repo in (".", "..")
    ):
        return None
    return owner, repo, rest


def parse_repo_url(url: str) -> tuple[str, str] | None:
    """``(owner, repo)`` of a github.com repository URL or any page inside one, else None.

    Accepts http/https, ``www.github.com``, ``.git``, a trailing slash, a query, a fragment and
    deeper paths (``/tree/...``, ``/blob/...``, ``/issues/12``...). None for GitHub's own pages
    (``/topics/x``, ``/orgs/...``, ``/marketplace``...), user profiles (``github.com/OWNER``),
    gists and other hosts. Names come back as written: GitHub compares them case-insensitively.
    Whether the API answers the whole link is :func:`is_repo_root`'s question.
    """
    split = _split_repo(url)
    return None if split is None else (split[0], split[1])


def is_repo_root(url: str) -> bool:
    """True when the URL is the repository's front page, so the API answers it completely.

    That is ``/OWNER/REPO`` (with ``.git``, a trailing slash, any query such as
    ``?tab=readme-ov-file``, any fragment such as ``#readme``) or ``/OWNER/REPO/tree/BRANCH``.
    The API does not check that BRANCH exists; links into files, issues, releases... need HTTP.
    """
    split = _split_repo(url)
    if split is None:
        return False
    rest = split[2]
    if rest and rest[-1] == "":
        rest = rest[:-1]  # trailing slash
    return not rest or (len(rest) == 2 and rest[0] == "tree" and rest[1] != "")


def repo_status(url: str, info: RepoInfo) -> LinkStatus | None:
    """The verdict for ``url`` from the API's answer about its repository, or None.

    None means "the API cannot settle this link, check it over plain HTTP": ``info.error`` is
    set, the URL is not a github.com repository URL, or it is a page inside an existing
    repository (a file, an issue...). A missing repository settles every page inside it: dead.
    A renamed repository is a permanent redirect whose ``final_url`` is the new repository with
    the rest of the original path, query and fragment. ``archived`` rides on ok/redirected.
    """
    split = _split_repo(url)
    if info.error is not None or split is None:
        return None
    owner, name, _ = split
    extra: dict[str, Any] = {"source": "github-api"}
    if not info.exists:
        return LinkStatus(
            url=url,
            verdict=Verdict.DEAD,
            reason="repository not found (GitHub API)",
            extra=extra,
        )
    if not is_repo_root(url):
        return None
    if info.name_with_owner is not None:
        extra["name_with_owner"] = info.name_with_owner
    if info.renamed(owner, name) and info.name_with_owner is not None:
        final = _renamed_url(url, info)
        if final is None:  # the API's answer is not a github.com repository: ask over HTTP
            return None
        return LinkStatus(
            url=url,
            verdict=Verdict.REDIRECTED,
            reason=f"repository moved to {info.name_with_owner} (GitHub API)",
            final_url=final,
            permanent=True,
            chain=(url, final),
            archived=info.archived,
            extra=extra,
        )
    return LinkStatus(
        url=url,
        verdict=Verdict.OK,
        reason="repository archived (GitHub API)" if info.archived else "",
        archived=info.archived,
        extra=extra,
    )


def _renamed_url(url: str, info: RepoInfo) -> str | None:
    """The new repository's URL followed by the original's sub-path, ``.git``, query, fragment.

    Built from ``nameWithOwner`` (checked against GitHub's name rules), never from the answer's
    ``url`` text, and passed through :func:`safe_markdown_url`: it is written into the file by
    the fix. None when the answer is not a valid ``owner/name``.
    """
    owner, _, name = (info.name_with_owner or "").partition("/")
    if not OWNER_RE.fullmatch(owner) or not REPO_RE.fullmatch(name) or name in (".", ".."):
        return None
    parts = urlsplit(url.strip())
    old_repo = parts.path.split("/")[2]
    suffix = old_repo[-4:] if old_repo.lower().endswith(".git") else ""
    rest = parts.path.split("/")[3:]
    path = f"/{owner}/{name}{suffix}" + "".join("/" + segment for segment in rest)
    return safe_markdown_url(urlunsplit(("https", "github.com", path, parts.query,
                                         parts.fragment)))


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
        if not OWNER_RE.fullmatch(owner) or not REPO_RE.fullmatch(name) or name in (".", ".."):
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
            answers[repo] = RepoInfo(
                exists=True,
                name_with_owner=node["nameWithOwner"],
                archived=bool(node.get("isArchived")),
                url=node["url"] if isinstance(node.get("url"), str) else None,
            )
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
