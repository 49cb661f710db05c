"""Fake GitLab and Gitea REST APIs for the tests, on 127.0.0.1, answering the documented JSON
shapes: GitLab's ``GET /api/v4/projects/<url-encoded path>`` (a ``Project``: ``archived``,
``last_activity_at``, ``path_with_namespace``, ``web_url``, ``forked_from_project``,
``default_branch``; a renamed project answers under its new path) and Gitea's
``GET /api/v1/repos/{owner}/{repo}`` (a ``Repository``: ``archived``, ``updated_at``,
``full_name``, ``fork``, ``default_branch``; a renamed one redirects to its new address).
Every request is counted, with its headers and the most in flight at once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from linkserver import serve_apps


def gitlab_project(path: str, *, archived: bool = False, activity: str = "2026-01-01T00:00:00Z",
                   fork_of: str | None = None, branch: str | None = "main") -> dict[str, Any]:
    """A GitLab ``Project`` (the fields read, and a few others as GitLab sends them)."""
    return {"id": 42, "name": path.rsplit("/", 1)[-1], "path_with_namespace": path,
            "web_url": f"https://gitlab.com/{path}", "archived": archived,
            "last_activity_at": activity, "default_branch": branch, "visibility": "public",
            **({"forked_from_project": {"id": 7, "path_with_namespace": fork_of}}
               if fork_of else {})}


def gitea_repo(full_name: str, *, archived: bool = False, updated: str = "2026-01-01T00:00:00Z",
               fork: bool = False, branch: str = "main") -> dict[str, Any]:
    """A Gitea ``Repository``."""
    return {"id": 9, "full_name": full_name, "name": full_name.split("/")[1],
            "html_url": f"https://codeberg.org/{full_name}", "archived": archived,
            "updated_at": updated, "fork": fork, "default_branch": branch, "private": False}


@dataclass
class FakeForge:
    """Projects by lower-cased path as asked; ``moved`` (Gitea) maps an old path to the new
    one (answered with a redirect); ``status`` answers every request with that status;
    ``pad`` makes every answer that many bytes longer."""

    projects: dict[str, dict[str, Any]] = field(default_factory=dict)
    moved: dict[str, str] = field(default_factory=dict)
    status: int = 200
    pad: int = 0
    delay: float = 0.0
    paths: list[str] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)
    in_flight: int = 0
    max_in_flight: int = 0

    async def gitlab(self, request: web.Request) -> web.StreamResponse:
        # the path is url-encoded in one segment: aiohttp's match_info decodes it
        return await self._answer(request, request.match_info["id"])

    async def gitea(self, request: web.Request) -> web.StreamResponse:
        path = f"{request.match_info['owner']}/{request.match_info['repo']}"
        if path.lower() in self.moved:
            new = self.moved[path.lower()]
            self.paths.append(path)
            self.headers.append(dict(request.headers))
            raise web.HTTPMovedPermanently(f"/api/v1/repos/{new}")
        return await self._answer(request, path)

    async def _answer(self, request: web.Request, path: str) -> web.StreamResponse:
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            self.paths.append(path)
            self.headers.append(dict(request.headers))
            if self.delay:
                await asyncio.sleep(self.delay)
            if self.status != 200:
                return web.json_response({"message": "scripted"}, status=self.status)
            project = self.projects.get(path.lower())
            if project is None:
                return web.json_response({"message": "404 Project Not Found"}, status=404)
            if self.pad:
                project = {**project, "description": "x" * self.pad}
            return web.json_response(project)
        finally:
            self.in_flight -= 1


@contextmanager
def serve_forge(fake: FakeForge) -> Iterator[str]:
    """``fake`` on 127.0.0.1 in a thread of its own; yields its base URL (no path)."""
    app = web.Application()
    app.router.add_get("/api/v4/projects/{id}", fake.gitlab)
    app.router.add_get("/api/v1/repos/{owner}/{repo}", fake.gitea)
    with serve_apps([app]) as (base,):
        yield base
