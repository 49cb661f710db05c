"""GitLab and Gitea/Forgejo project links answered through the forges' REST APIs.

One GET per project (not per link): GitLab's ``/api/v4/projects/<url-encoded path>``, Gitea's
``/api/v1/repos/{owner}/{repo}``; public projects need no token. Requests go through a cap of
the API host's politeness (its ``per-host`` limit in flight, its interval between starts), each
time-limited, the answer read up to :data:`MAX_ANSWER` bytes (it comes from a server: it is
untrusted) and no redirect followed (Gitea's answer for a renamed repository is a redirect to
its new address on the same API: read off ``Location``, not fetched). Whatever goes wrong
(an error status, a 404 for a private project, a timeout, odd JSON) leaves the link to the
plain HTTP check: the API never makes a link dead.
"""

from __future__ import annotations

import asyncio
import json
import re
from urllib.parse import unquote, urljoin, urlsplit

import aiohttp

from awesome_lint.links.forge_urls import Forge, ProjectRef, api_url, forge_for
from awesome_lint.links.forge_urls import project_ref as _project_ref
from awesome_lint.links.observation import Observation
from awesome_lint.links.policy import LinkPolicy
from awesome_lint.links.project_cache import project_key, project_observation
from awesome_lint.links.project_facts import ProjectInfo, project_status, read_project
from awesome_lint.verdicts import LinkStatus

__all__ = ["MAX_ANSWER", "ProjectInfo", "ask_forges", "project_status"]

#: A project's answer is a few KB; more is not read (the link falls back to HTTP).
MAX_ANSWER = 256 * 1024
_GITEA_MOVED = re.compile(r"/repos/([^/?#]+)/([^/?#]+)/?$")



class _NoAnswerError(Exception):
    """No answer for one project; ``stop`` when the forge should not be asked again this run
    (rate limited, token rejected, unreachable, too slow)."""

    def __init__(self, message: str, *, stop: bool = False) -> None:
        super().__init__(message)
        self.stop = stop


class _Cap:
    """At most ``limit`` requests in flight to the API host, starts ``interval`` apart."""

    def __init__(self, limit: int, interval: float) -> None:
        self.gate = asyncio.Semaphore(max(1, limit))
        self.interval = interval
        self.next_start = 0.0

    async def __aenter__(self) -> None:
        await self.gate.acquire()
        if self.interval:
            loop = asyncio.get_running_loop()
            start = max(loop.time(), self.next_start)
            self.next_start = start + self.interval
            await asyncio.sleep(start - loop.time())

    async def __aexit__(self, *exc: object) -> None:
        self.gate.release()


async def _get(session: aiohttp.ClientSession, forge: Forge, path: str,
               timeout: float) -> ProjectInfo | None:
    """One GET of the project at ``path``: its info, None for a 404 (missing or private), or
    _NoAnswerError."""
    # The checker's session does not decompress (pages are decoded with a capped output):
    # the answer is asked for as it is.
    headers = {"Accept": "application/json", "Accept-Encoding": "identity"}
    if forge.token:
        headers["Authorization"] = (f"Bearer {forge.token}" if forge.kind == "gitlab"
                                    else f"token {forge.token}")
    address = api_url(forge, path)
    try:
        async with session.get(address, headers=headers, allow_redirects=False,
                               timeout=aiohttp.ClientTimeout(total=timeout)) as response:
            status = response.status
            if forge.kind == "gitea" and status in (301, 302, 307, 308):
                return _redirected(forge, address, response.headers.get("Location", ""))
            if status == 404:
                return None
            if status in (401, 403, 429):
                raise _NoAnswerError(f"HTTP {status}", stop=True)
            if status != 200:
                raise _NoAnswerError(f"HTTP {status}")
            body = await _read_capped(response)
    except asyncio.TimeoutError:  # a forge that does not answer one is not asked the rest
        raise _NoAnswerError(f"timed out after {timeout:g} s", stop=True) from None
    except aiohttp.ClientError as exc:
        raise _NoAnswerError(type(exc).__name__, stop=True) from None
    if len(body) > MAX_ANSWER:
        raise _NoAnswerError(f"answer larger than {MAX_ANSWER // 1024} KB")
    try:
        info = read_project(forge.kind, json.loads(body))
    except (ValueError, RecursionError):
        info = None
    if info is None:
        raise _NoAnswerError("unexpected answer")
    return info


async def _read_capped(response: aiohttp.ClientResponse) -> bytes:
    """The answer's bytes, up to one more than :data:`MAX_ANSWER` (the request's time limit
    holds); a compressed answer (asked for uncompressed) is no answer."""
    if response.headers.get("Content-Encoding", "identity").strip().lower() != "identity":
        raise _NoAnswerError("compressed answer")
    parts: list[bytes] = []
    size = 0
    while size <= MAX_ANSWER:
        chunk = await response.content.read(MAX_ANSWER + 1 - size)
        if not chunk:
            break
        parts.append(chunk)
        size += len(chunk)
    return b"".join(parts)


def _redirected(forge: Forge, address: str, location: str) -> ProjectInfo:
    """Gitea's redirect for a renamed repository (to ``/api/v1/repos/NEW/NAME`` on the same
    API): the new path, with no facts (they come on the next run, from the new link)."""
    target = urljoin(address, location)
    api = urlsplit(forge.api)
    parts = urlsplit(target)
    found = _GITEA_MOVED.search(parts.path)
    if (parts.scheme, parts.netloc) != (api.scheme, api.netloc) or found is None \
            or not parts.path.startswith(api.path + "/repos/"):
        raise _NoAnswerError("redirected elsewhere")
    path = f"{unquote(found.group(1))}/{unquote(found.group(2))}"
    return ProjectInfo(path, archived=False, fork=False, default_branch=None, last_commit=None,
                       known=False)


async def ask_forges(session: aiohttp.ClientSession, keys: list[str], policy: LinkPolicy,
                     warnings: list[str],
                     learned: dict[str, Observation] | None = None) -> dict[str, LinkStatus]:
    """Statuses for the project front pages among ``keys`` on ``policy.forges``: one request
    per project, whatever the number of links into it; one warning per forge that failed.
    Each answer is added to ``learned`` (by :func:`project_key`), for the cache."""
    wanted: dict[tuple[Forge, str], list[tuple[str, ProjectRef]]] = {}
    for key in keys:
        forge = forge_for(key, policy.forges)
        ref = None if forge is None else _project_ref(key, forge)
        if forge is not None and ref is not None and ref.root:
            wanted.setdefault((forge, ref.path.lower()), []).append((key, ref))
    caps: dict[str, _Cap] = {}
    stopped: set[Forge] = set()
    problems: dict[Forge, list[str]] = {}
    answered: dict[str, LinkStatus] = {}

    async def one(forge: Forge, links: list[tuple[str, ProjectRef]]) -> None:
        host = urlsplit(forge.api).hostname or ""
        limit = policy.host_limit(host)
        cap = caps.setdefault(host, _Cap(limit.concurrency, limit.interval))
        async with cap:
            if forge in stopped:
                return
            try:
                info = await _get(session, forge, links[0][1].path, policy.timeout)
            except _NoAnswerError as exc:
                if exc.stop:
                    stopped.add(forge)
                problems.setdefault(forge, []).append(str(exc))
                return
        if info is None:
            return
        if learned is not None:
            asked = links[0][1].path
            learned[project_key(forge.api, asked)] = project_observation(forge.api, asked,
                                                                         forge.kind, info)
        for key, ref in links:
            status = project_status(key, forge, ref, info)
            if status is not None:
                answered[key] = status

    await asyncio.gather(*(one(forge, links) for (forge, _), links in wanted.items()))
    for forge, said in problems.items():
        projects = "project" if len(said) == 1 else "projects"
        warnings.append(f"{forge.label}: {len(said)} {projects} got no answer ({said[0]}); "
                        "plain HTTP checks were used instead")
    return answered

