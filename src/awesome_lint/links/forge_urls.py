"""GitLab and Gitea/Forgejo forges: which URLs are their projects, where their REST APIs are.
No network library.

A :class:`Forge` is a kind (``gitlab`` or ``gitea``), the web hosts whose project links it
answers and the base of its API. The defaults are gitlab.com and codeberg.org; others come
from the command line (``--forge``) or the environment (``AWESOME_LINT_FORGES``), never from a
config file: a forge's API receives requests (and, for gitlab.com and codeberg.org, an
optional token from the environment).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import quote, urlsplit, urlunsplit

from awesome_lint.links.github_urls import graphql_endpoint
from awesome_lint.urls import safe_markdown_url, web_host_path

__all__ = [
    "DEFAULT_FORGES",
    "Forge",
    "ProjectRef",
    "api_url",
    "forge_for",
    "moved_url",
    "parse_forge_spec",
    "project_ref",
    "valid_path",
]

KINDS = {"gitlab": ("GitLab", "/api/v4"), "gitea": ("Gitea", "/api/v1")}

#: A GitLab or Gitea name: letters, digits, ``_``, ``.``, ``-`` (not starting with ``.`` or
#: ``-``); GitLab namespaces nest (``group/sub/project``), Gitea's have one level.
_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,254}")
_MAX_DEPTH = 20  # GitLab allows 20 levels of subgroups

# First path segments that are the forge's own pages, never a namespace: a link to one is
# checked over HTTP only (listing one too many costs nothing).
_RESERVED = frozenset({
    "-", "admin", "api", "assets", "dashboard", "explore", "groups", "help", "issues",
    "login", "milestones", "notifications", "org", "projects", "pulls", "repo", "search",
    "user", "users",
})


@dataclass(frozen=True)
class Forge:
    """One forge: ``kind`` (``gitlab`` or ``gitea``), the ``hosts`` whose links it answers,
    its API base (``https://gitlab.com/api/v4``), and a token for it (from the environment)."""

    kind: str
    hosts: frozenset[str]
    api: str
    token: str | None = field(default=None, repr=False, compare=False)

    @property
    def name(self) -> str:
        """``GitLab`` or ``Gitea``."""
        return KINDS[self.kind][0]

    @property
    def label(self) -> str:
        """How messages name it: ``GitLab API (gitlab.com)``."""
        return f"{self.name} API ({min(self.hosts)})"


DEFAULT_FORGES = (
    Forge("gitlab", frozenset({"gitlab.com", "www.gitlab.com"}), "https://gitlab.com/api/v4"),
    Forge("gitea", frozenset({"codeberg.org"}), "https://codeberg.org/api/v1"),
)

#: The environment variable whose token goes to a default forge's API (and nowhere else).
TOKEN_VARIABLES = {"gitlab.com": "GITLAB_TOKEN", "codeberg.org": "CODEBERG_TOKEN"}


@dataclass(frozen=True)
class ProjectRef:
    """A link into a project: its ``path`` (``group/sub/project``), the path segments after it
    (after GitLab's ``/-/``) and whether the link is the project's front page."""

    path: str
    rest: tuple[str, ...]
    root: bool


def valid_path(kind: str, path: str) -> bool:
    """Whether ``path`` is a project path of this kind of forge (checked before any request
    and on any path an API answers)."""
    names = path.split("/")
    depth_ok = len(names) == 2 if kind == "gitea" else 2 <= len(names) <= _MAX_DEPTH
    return depth_ok and all(_NAME.fullmatch(name) and not name.lower().endswith(
        (".git", ".atom")) for name in names)


def forge_for(url: str, forges: tuple[Forge, ...]) -> Forge | None:
    """The forge whose hosts hold ``url`` (http/https, default port, no user info)."""
    lowered = url.lower()  # a host of a forge is in the URL as written: most URLs stop here
    if not any(host in lowered for forge in forges for host in forge.hosts):
        return None
    found = web_host_path(url)
    if found is None:
        return None
    return next((forge for forge in forges if found[0] in forge.hosts), None)


def project_ref(url: str, forge: Forge) -> ProjectRef | None:
    """The project a link on ``forge`` points into, else None (a user or group page, the
    forge's own pages). GitLab: ``/group/sub/project[/-/...]`` (``/-/`` separates the project
    from its pages; without it every segment is the project's path). Gitea:
    ``/owner/repo[/...]``. A ``.git`` suffix and a trailing slash are the project's front page.
    """
    segments = [s for s in urlsplit(url.strip()).path.split("/")]
    if segments[:1] != [""]:
        return None
    segments = segments[1:]
    if segments and segments[-1] == "":
        segments = segments[:-1]
    if not segments or segments[0].lower() in _RESERVED:
        return None
    if forge.kind == "gitlab":
        cut = segments.index("-") if "-" in segments else len(segments)
        names, rest = segments[:cut], tuple(segments[cut + 1:])
        root = cut == len(segments) or (len(rest) == 2 and rest[0] == "tree" and rest[1] != "")
    else:
        names, rest = segments[:2], tuple(segments[2:])
        root = not rest
    if names and names[-1].lower().endswith(".git"):
        names[-1] = names[-1][:-4]
    path = "/".join(names)
    return ProjectRef(path, rest, root) if valid_path(forge.kind, path) else None


def api_url(forge: Forge, path: str) -> str:
    """The API address of the project at ``path``: GitLab's ``/projects/<url-encoded path>``,
    Gitea's ``/repos/{owner}/{repo}``."""
    if forge.kind == "gitlab":
        return f"{forge.api}/projects/{quote(path, safe='')}"
    owner, _, repo = path.partition("/")
    return f"{forge.api}/repos/{quote(owner, safe='')}/{quote(repo, safe='')}"


def moved_url(url: str, forge: Forge, ref: ProjectRef, new_path: str) -> str | None:
    """``url`` with its project path replaced by ``new_path`` (checked against the forge's
    name rules, never taken from the API's ``web_url``): the rest of the path, ``.git``, the
    query and the fragment kept, https. None when ``new_path`` is not a project path."""
    if not valid_path(forge.kind, new_path):
        return None
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").rstrip(".")
    host = host[len("www."):] if host.startswith("www.") else host
    old = [s for s in parts.path.split("/") if s]
    depth = len(ref.path.split("/"))
    suffix = ".git" if old and old[depth - 1].lower().endswith(".git") else ""
    after = parts.path.split("/")[1 + depth:]
    path = f"/{new_path}{suffix}" + "".join("/" + segment for segment in after)
    return safe_markdown_url(urlunsplit(("https", host, path, parts.query, parts.fragment)))


def parse_forge_spec(spec: str) -> Forge:
    """A forge from ``KIND:HOST`` or ``KIND:HOST=API`` (``gitlab:gitlab.example.com``,
    ``gitea:git.example.org=https://git.example.org``): the API base defaults to
    ``https://HOST``; ``/api/v4`` (GitLab) or ``/api/v1`` (Gitea) is added to it. Raises
    ValueError, saying why, for a bad one (plain http only to a loopback address)."""
    kind, sep, rest = spec.strip().partition(":")
    if not sep or kind not in KINDS:
        raise ValueError(f"expected gitlab:HOST or gitea:HOST (optionally =API), got {spec!r}")
    host, _, base = rest.partition("=")
    host = host.strip().lower().rstrip(".")
    if not re.fullmatch(r"[a-z0-9]([a-z0-9.-]{0,252}[a-z0-9])?", host):
        raise ValueError(f"not a host name: {host!r}")
    base = (base.strip() or f"https://{host}").rstrip("/")
    try:
        graphql_endpoint(base)  # the same rules as the GitHub API's address
        parts = urlsplit(base)
    except ValueError:
        parts = None
    if parts is None or parts.query or parts.fragment:  # (the address is not repeated: it
        # may hold a password)
        raise ValueError(f"{kind}:{host}: the API must be an https URL with a host, no user "
                         "name, password, query or fragment (plain http only to a loopback "
                         "address)")
    hosts = {host, f"www.{host}"} if host == "gitlab.com" else {host}
    return Forge(kind, frozenset(hosts), base + KINDS[kind][1])


def with_specs(specs: tuple[str, ...]) -> tuple[Forge, ...]:
    """The default forges with ``specs`` (:func:`parse_forge_spec`) added; a spec for a
    default forge's host replaces it (a test's fake API, a mirror)."""
    added = [parse_forge_spec(spec) for spec in specs]
    taken = {host for forge in added for host in forge.hosts}
    return tuple(added) + tuple(forge for forge in DEFAULT_FORGES if not forge.hosts & taken)


def with_tokens(forges: tuple[Forge, ...], environ: dict[str, str]) -> tuple[Forge, ...]:
    """Each forge serving gitlab.com or codeberg.org with its token from the environment
    (``GITLAB_TOKEN``, ``CODEBERG_TOKEN``); other forges get none."""
    out = []
    for forge in forges:
        token = next((environ.get(name) for host, name in TOKEN_VARIABLES.items()
                      if host in forge.hosts and environ.get(name)), None)
        out.append(Forge(forge.kind, forge.hosts, forge.api, token or None))
    return tuple(out)
