"""Which URLs are GitHub repositories, and where GitHub's GraphQL API is. No network library.

:func:`parse_repo_url` reads ``(owner, repo)`` off a repository link; :func:`graphql_endpoint`
turns what the command line or the environment says (``--github-api``,
``AWESOME_LINT_GITHUB_API``, ``GITHUB_API_URL``) into the GraphQL endpoint, and
:func:`repo_hosts` says which web host's repositories that API knows (github.com for GitHub's
API, the server itself for GitHub Enterprise Server).
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit, urlunsplit

from awesome_lint.urls import safe_markdown_url, web_host_path

__all__ = [
    "DEFAULT_API",
    "GITHUB_HOSTS",
    "OWNER_RE",
    "REPO_RE",
    "graphql_endpoint",
    "is_repo_root",
    "moved_url",
    "parse_repo_url",
    "repo_hosts",
    "valid_name",
]

#: GitHub's GraphQL endpoint (``GITHUB_API_URL=https://api.github.com`` maps to it).
DEFAULT_API = "https://api.github.com/graphql"

# GitHub's rules: owners are letters, digits and single inner hyphens (39 at most; some old
# accounts break the hyphen rule, so only the first character is strict); repository names are
# letters, digits, ``.``, ``_`` and ``-`` (100 at most), never ``.`` or ``..``.
OWNER_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{0,38}")
REPO_RE = re.compile(r"[A-Za-z0-9._-]{1,100}")

#: The web hosts of github.com repositories.
GITHUB_HOSTS = frozenset({"github.com", "www.github.com"})

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


def valid_name(owner: str, name: str) -> bool:
    """Whether ``owner/name`` follows GitHub's naming rules (checked before any query)."""
    return bool(OWNER_RE.fullmatch(owner)) and bool(REPO_RE.fullmatch(name)) and name not in (
        ".", "..")


def _split_repo(url: str, hosts: frozenset[str]) -> tuple[str, str, list[str]] | None:
    """Owner, repository and the remaining path segments of a repository URL on ``hosts``."""
    raw = url.strip()
    if raw.startswith("//"):
        raw = "https:" + raw
    found = web_host_path(raw)
    if found is None or found[0] not in hosts:
        return None
    segments = found[1].split("/")
    if segments[:1] != [""] or len(segments) < 3:
        return None
    found_repo = _repo_named(segments[1], segments[2])
    return None if found_repo is None else (*found_repo, segments[3:])


def _repo_named(owner: str, repo: str) -> tuple[str, str] | None:
    """``(owner, repo)`` from a link's first two path segments (``.git`` dropped), if they can
    name a repository."""
    if repo.lower().endswith(".git"):
        repo = repo[:-4]
    if owner.lower() in RESERVED_OWNERS or not valid_name(owner, repo):
        return None
    return owner, repo


#: A printable github.com link whose first two path segments are plain names: read at once
#: (what :func:`_split_repo` reads, a few times faster; most links of a list are these).
_PLAIN_REPO = re.compile(r"https?://(?:www\.)?github\.com/([A-Za-z0-9][A-Za-z0-9-]{0,38})/"
                         r"([A-Za-z0-9._-]{1,100})(?:[/?#]|\Z)")


def parse_repo_url(url: str, hosts: frozenset[str] = GITHUB_HOSTS) -> tuple[str, str] | None:
    """``(owner, repo)`` of a repository URL (or any page inside one) on ``hosts``, else None.

    Accepts http/https, ``www.github.com``, ``.git``, a trailing slash, a query, a fragment and
    deeper paths (``/tree/...``, ``/blob/...``, ``/issues/12``...). None for GitHub's own pages
    (``/topics/x``, ``/orgs/...``, ``/marketplace``...), user profiles (``github.com/OWNER``),
    gists and other hosts. Names come back as written: GitHub compares them case-insensitively.
    Whether the API answers the whole link is :func:`is_repo_root`'s question.
    """
    if hosts is GITHUB_HOSTS:
        plain = _PLAIN_REPO.match(url)
        if plain is not None:
            owner, repo = plain[1], plain[2]
            if (owner.lower() not in RESERVED_OWNERS and repo[-4:].lower() != ".git"
                    and repo not in (".", "..")):
                return owner, repo  # (the pattern has checked both names)
            return _repo_named(owner, repo)
    split = _split_repo(url, hosts)
    return None if split is None else (split[0], split[1])


def is_repo_root(url: str, hosts: frozenset[str] = GITHUB_HOSTS) -> bool:
    """True when the URL is the repository's front page, so the API answers it completely.

    That is ``/OWNER/REPO`` (with ``.git``, a trailing slash, any query such as
    ``?tab=readme-ov-file``, any fragment such as ``#readme``) or ``/OWNER/REPO/tree/BRANCH``.
    The API does not check that BRANCH exists; links into files, issues, releases... need HTTP.
    """
    split = _split_repo(url, hosts)
    if split is None:
        return False
    rest = split[2]
    if rest and rest[-1] == "":
        rest = rest[:-1]  # trailing slash
    return not rest or (len(rest) == 2 and rest[0] == "tree" and rest[1] != "")


def moved_url(url: str, name_with_owner: str) -> str | None:
    """``url`` (a repository link) with its owner/repo replaced by ``name_with_owner``: the
    original's sub-path, ``.git``, query and fragment kept, https, github.com for www.

    Built from ``nameWithOwner`` checked against GitHub's name rules (never from the API's
    ``url`` text) and passed through :func:`safe_markdown_url`: a fix writes it into the file.
    None when ``name_with_owner`` is not a valid ``owner/name``.
    """
    owner, _, name = name_with_owner.partition("/")
    if not valid_name(owner, name):
        return None
    parts = urlsplit(url.strip() if not url.startswith("//") else "https:" + url.strip())
    host = (parts.hostname or "").rstrip(".")
    host = "github.com" if host in GITHUB_HOSTS else host
    segments = parts.path.split("/")
    old_repo = segments[2] if len(segments) > 2 else ""
    suffix = old_repo[-4:] if old_repo.lower().endswith(".git") else ""
    path = f"/{owner}/{name}{suffix}" + "".join("/" + segment for segment in segments[3:])
    return safe_markdown_url(urlunsplit(("https", host, path, parts.query, parts.fragment)))


def graphql_endpoint(url: str) -> str:
    """The GraphQL endpoint for an API address given on the command line or in the environment.

    ``https://api.github.com`` (the REST base, as ``GITHUB_API_URL`` gives it) becomes
    ``https://api.github.com/graphql``; GitHub Enterprise Server's REST base
    ``https://HOST/api/v3`` becomes ``https://HOST/api/graphql``; any other path (one ending in
    ``/graphql``, a test's fake) is the endpoint itself. Raises ValueError, saying why, for an
    address the token must not go to: not https (plain http only to a loopback address, for a
    test's fake API), a user name or password in it, or no host.
    """
    try:
        parts = urlsplit(url.strip())
        hostname = parts.hostname or ""
        parts.port  # noqa: B018 (raises for a bad port)
    except ValueError:
        raise ValueError(f"not a valid URL: {url!r}") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not hostname:
        raise ValueError(f"expected an https URL, got {url!r}")
    if parts.username is not None or parts.password is not None:
        raise ValueError("the URL must not hold a user name or password")
    if scheme == "http" and not _loopback(hostname):
        raise ValueError(f"expected an https URL (plain http only to a loopback address, "
                         f"for a test), got {url!r}")
    path = parts.path.rstrip("/")
    if path == "":
        path = "/graphql"
    elif path.endswith("/api/v3"):
        path = path[: -len("v3")] + "graphql"
    elif not path.endswith("/graphql"):
        path = parts.path
    return urlunsplit((scheme, parts.netloc, path, parts.query, ""))


def repo_hosts(api_url: str) -> frozenset[str]:
    """The web hosts whose repository links the API at ``api_url`` knows about.

    GitHub Enterprise Server (``https://HOST/api/graphql``): HOST. GitHub Enterprise Cloud with
    data residency (``https://api.NAME.ghe.com/graphql``): NAME.ghe.com. Anything else
    (api.github.com, a test's fake): github.com. Links to other hosts never reach the API.
    """
    parts = urlsplit(api_url)
    host = (parts.hostname or "").rstrip(".")
    if parts.path.rstrip("/").endswith("/api/graphql") and host:
        return frozenset({host})
    if host.startswith("api.") and host.endswith(".ghe.com"):
        return frozenset({host[len("api."):]})
    return GITHUB_HOSTS


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
