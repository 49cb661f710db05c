"""Loopback sites that answer 200 for pages that are gone, for the soft-dead tests.

One port per site kind (an origin each), pages from a template folder
(``tests/fixtures/softdead/*``: ``KIND-N.html`` with ``{n}`` and ``{title}``). Pages that exist are
``/a/<n>`` for n < 1000; what a missing path gets depends on the site, as in the shared bench
(``../shared/softdead``). The ``docs`` site serves pages with anchors for the fragment tests.
Every request is counted per site and path.
"""

from __future__ import annotations

import gzip
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from aiohttp import web

from linkserver import serve_apps

KINDS = ("normal", "soft404", "soft404_alt", "homeredirect", "parked", "parked_lander", "spa",
         "lookalike", "docs")
TOPICS = ("Parsing Markdown", "Async HTTP clients", "Writing a linter", "Rate limiting")
#: The docs site's page with anchors, and one too big to read whole (its anchor at the end).
DOC = ('<html><body><h1 id="intro">Intro</h1><a name="legacy"></a><h2 id="caf\u00e9">Caf\u00e9</h2>'
       '<div id="user-content-readme">x</div></body></html>')
BIG = "<html><body>" + "<p>filler text</p>" * 40_000 + '<h2 id="end">End</h2></body></html>'


@dataclass
class Sites:
    base: dict[str, str] = field(default_factory=dict)  # kind -> http://127.0.0.1:port
    hits: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    methods: Counter[str] = field(default_factory=Counter)

    def url(self, kind: str, path: str) -> str:
        return self.base[kind] + path

    def probes(self, kind: str) -> int:
        """Requests for paths that no test links: the site's probes."""
        return sum(count for path, count in self.hits[kind].items()
                   if path != "/" and not path.startswith(("/a/", "/lander", "/doc", "/big")))


def _templates(folder: Path) -> dict[str, list[str]]:
    found: dict[str, list[str]] = defaultdict(list)
    for path in sorted(folder.glob("*.html")):
        found[path.name.split("-")[0]].append(path.read_text(encoding="utf-8"))
    return found


def _app(kind: str, index: int, pages: dict[str, list[str]], sites: Sites) -> web.Application:
    def html(name: str, n: int, title: str) -> web.Response:
        template = pages[name][index % len(pages[name])]
        text = template.replace("{n}", str(n)).replace("{title}", title)
        return web.Response(text=text, content_type="text/html")

    async def handle(request: web.Request) -> web.StreamResponse:
        path = request.path
        sites.hits[kind][path] += 1
        sites.methods[request.method] += 1
        tail = path[3:] if path.startswith("/a/") else ""
        n = int(tail) if tail.isdigit() else -1
        title = f"{TOPICS[n % len(TOPICS)]}, part {n}" if n >= 0 else "Home"
        if kind == "docs":
            if path == "/doc":
                return web.Response(text=DOC, content_type="text/html")
            if path == "/big":
                return web.Response(text=BIG, content_type="text/html")
            if path == "/doc.gz":  # compressed on the wire
                return web.Response(body=gzip.compress(DOC.encode()), content_type="text/html",
                                    headers={"Content-Encoding": "gzip"})
            if path == "/doc.bad":  # says gzip, is not
                return web.Response(text=DOC, content_type="text/html",
                                    headers={"Content-Encoding": "gzip"})
            return web.Response(status=404, text="Not Found")
        if kind == "parked":
            return html("parked", n, title)
        if kind == "parked_lander":
            if path != "/lander":
                raise web.HTTPFound("/lander")
            return html("parked", n, title)
        if kind == "spa":
            return html("shell", n, title)
        if path == "/":
            return html("home", n, title)
        if 0 <= n < 1000:
            return html("lookalike" if kind == "lookalike" else "article", n, title)
        if kind in ("soft404", "soft404_alt"):
            return html("notfound", n, title)
        if kind == "homeredirect":
            raise web.HTTPFound("/")
        return web.Response(status=404, text="Not Found")

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handle)
    return app


@contextmanager
def serve_sites(folder: Path) -> Iterator[Sites]:
    """Every site of :data:`KINDS` on its own loopback port until the block ends."""
    sites = Sites()
    pages = _templates(folder)
    apps = [_app(kind, index, pages, sites) for index, kind in enumerate(KINDS)]
    with serve_apps(apps) as bases:
        sites.base.update(zip(KINDS, bases, strict=True))
        yield sites
