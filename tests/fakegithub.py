"""A fake GitHub GraphQL API for the tests: aliased ``repository`` queries answered in the
documented shape (``data`` per alias, ``errors`` with ``type`` and ``path``), on 127.0.0.1.

Each repository is a node of GitHub's ``Repository`` fields; a field is answered only when the
query asks for it (so a query that forgets one gets no answer for it, as from GitHub).
:func:`serve_api` runs it in a thread, for the command line (which runs its own event loop);
:func:`serve_pages` serves github.com's web pages the same way.
"""

from __future__ import annotations

import asyncio
import re
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from linkserver import serve_apps

ALIAS = re.compile(r"(r\d+): repository\(owner: \$(o\d+), name: \$(n\d+)\)")

Step = int | Callable[[web.Request], Awaitable[web.StreamResponse]]


def node(name_with_owner: str, *, archived: bool = False, fork: bool = False,
         disabled: bool = False, pushed: str | None = "2026-01-01T00:00:00Z",
         committed: str | None = "2026-01-01T00:00:00Z",
         branch: str | None = "main") -> dict[str, Any]:
    """A ``Repository`` as GitHub answers it (``branch`` None: an empty repository, no
    default branch)."""
    ref = None if branch is None else {"name": branch, "target": {"committedDate": committed}}
    return {"nameWithOwner": name_with_owner, "url": f"https://github.com/{name_with_owner}",
            "isArchived": archived, "isFork": fork, "isDisabled": disabled, "pushedAt": pushed,
            "defaultBranchRef": ref}


def _asked(answer: dict[str, Any], query: str) -> dict[str, Any]:
    """Only the fields the query names (``committedDate`` only in ``... on Commit``)."""
    out = {key: value for key, value in answer.items() if re.search(rf"\b{key}\b", query)}
    ref = out.get("defaultBranchRef")
    if isinstance(ref, dict):
        ref = {k: v for k, v in ref.items() if re.search(rf"\b{k}\b", query)}
        target = ref.get("target")
        if isinstance(target, dict) and "... on Commit { committedDate }" not in query:
            ref["target"] = {}
        out["defaultBranchRef"] = ref
    return out


@dataclass
class FakeGitHub:
    """Answers aliased ``repository`` queries from ``repos`` (lower-cased ``owner/name`` keys).

    ``script`` lists responses to give before normal service, one per request: an int status, or
    a callable building the response. Every request is recorded.
    """

    repos: dict[str, dict[str, Any]] = field(default_factory=dict)
    script: list[Step] = field(default_factory=list)
    alias_errors: dict[str, str] = field(default_factory=dict)  # "owner/name" -> error type
    delay: float = 0.0
    requests: list[dict[str, Any]] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)
    in_flight: int = 0
    max_in_flight: int = 0

    def add(self, name_with_owner: str, *, alias: str = "", **facts: Any) -> None:
        """A repository answering as ``name_with_owner``, asked for as ``alias`` (a rename)."""
        self.repos[(alias or name_with_owner).lower()] = node(name_with_owner, **facts)

    async def handle(self, request: web.Request) -> web.StreamResponse:
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            self.headers.append(dict(request.headers))
            body = await request.json()
            self.requests.append(body)
            if self.delay:
                await asyncio.sleep(self.delay)
            if self.script:
                step = self.script.pop(0)
                if isinstance(step, int):
                    return web.json_response({"message": "scripted"}, status=step)
                return await step(request)
            return web.json_response(self.answer(body))
        finally:
            self.in_flight -= 1

    def answer(self, body: dict[str, Any]) -> dict[str, Any]:
        data: dict[str, Any] = {}
        errors: list[dict[str, Any]] = []
        variables = body["variables"]
        for alias, o, n in ALIAS.findall(body["query"]):
            key = f"{variables[o]}/{variables[n]}"
            if key.lower() in self.alias_errors:
                data[alias] = None
                kind = self.alias_errors[key.lower()]
                errors.append({"type": kind, "path": [alias], "message": f"{kind} for {key}"})
            elif key.lower() in self.repos:
                data[alias] = _asked(self.repos[key.lower()], body["query"])
            else:
                data[alias] = None
                errors.append({
                    "type": "NOT_FOUND",
                    "path": [alias],
                    "message": f"Could not resolve to a Repository with the name '{key}'.",
                })
        out: dict[str, Any] = {"data": data}
        if errors:
            out["errors"] = errors
        return out

    def batch_sizes(self) -> list[int]:
        return [len(ALIAS.findall(r["query"])) for r in self.requests]


@contextmanager
def serve_api(fake: FakeGitHub) -> Iterator[str]:
    """``fake`` on 127.0.0.1 in a thread of its own; yields its GraphQL endpoint URL."""
    app = web.Application()
    app.router.add_post("/graphql", fake.handle)
    with serve_apps([app]) as (base,):
        yield base + "/graphql"


@contextmanager
def serve_pages(pages: dict[str, str], hits: Counter[str]) -> Iterator[int]:
    """github.com's web pages on 127.0.0.1: ``pages`` maps a path to its HTML (any other path
    is a 404); ``hits`` counts the requests per path. Yields the port."""
    async def page(request: web.Request) -> web.StreamResponse:
        hits[request.path] += 1
        if request.path not in pages:
            return web.Response(status=404, text="Not Found")
        return web.Response(text=pages[request.path], content_type="text/html")

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", page)
    with serve_apps([app]) as (base,):
        yield int(base.rsplit(":", 1)[1])
