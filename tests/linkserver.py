"""A misbehaving web server on 127.0.0.1 for the link checker's tests (no other network).

It runs in a thread with its own event loop, so tests can call the synchronous
``check_links``. Every route mimics a real-world fault; the server counts requests per path and
method, body bytes sent by the streaming routes, and the peak number of requests in flight, so
that tests assert on what was asked and sent rather than on how long it took.
"""

from __future__ import annotations

import asyncio
import struct
import threading
import time
import zlib
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import formatdate

from aiohttp import web

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass
class ServerState:
    base: str = ""
    hits: Counter[str] = field(default_factory=Counter)
    methods: Counter[tuple[str, str]] = field(default_factory=Counter)
    headers: list[dict[str, str]] = field(default_factory=list)
    #: Every request's path, in the order they arrived.
    order: list[str] = field(default_factory=list)
    in_flight: int = 0
    peak: int = 0
    redirect_target: str = ""
    #: For the fake GitHub GraphQL API: "owner/name" -> (current "owner/name", archived)
    repos: dict[str, tuple[str, bool]] = field(default_factory=dict)
    bombs: dict[int, bytes] = field(default_factory=dict)
    #: Body bytes written so far by the streaming routes (/endless, /slow-body), per path.
    sent: Counter[str] = field(default_factory=Counter)
    #: Set by the test to let /hold answer; each /hold request records how it ended:
    #: "released" (the event was set) or "cap" (it gave up waiting after ?cap= seconds).
    release: threading.Event = field(default_factory=threading.Event)
    held: list[str] = field(default_factory=list)
    #: The names under /toggle/ that answer 404 for now (the others answer 200): a site that
    #: goes down and comes back between runs.
    down: set[str] = field(default_factory=set)

    def url(self, path: str) -> str:
        return self.base + path


def _app(state: ServerState, delay: float) -> web.Application:
    @web.middleware
    async def count(request: web.Request, handler: Handler) -> web.StreamResponse:
        state.hits[request.path] += 1
        state.order.append(request.path)
        state.methods[(request.method, request.path)] += 1
        state.headers.append(dict(request.headers))
        state.in_flight += 1
        state.peak = max(state.peak, state.in_flight)
        try:
            if delay:
                await asyncio.sleep(delay)
            return await handler(request)
        finally:
            state.in_flight -= 1

    async def ok(request: web.Request) -> web.StreamResponse:
        return web.Response(text="ok")

    async def status(request: web.Request) -> web.StreamResponse:
        return web.Response(status=int(request.match_info["code"]), text="status")

    async def rate_limited(request: web.Request) -> web.StreamResponse:
        if state.hits[request.path] == 1:
            return web.Response(status=429, headers={"Retry-After": "1"})
        return web.Response(text="ok")

    async def always_429(request: web.Request) -> web.StreamResponse:
        return web.Response(status=429, headers={"Retry-After": "0"})

    async def flaky(request: web.Request) -> web.StreamResponse:
        if state.hits[request.path] == 1:
            return web.Response(status=500)
        return web.Response(text="ok")

    async def always_500(request: web.Request) -> web.StreamResponse:
        return web.Response(status=503)

    async def drop(request: web.Request) -> web.StreamResponse:
        if request.path.endswith("once") and state.hits[request.path] > 1:
            return web.Response(text="ok")
        assert request.transport is not None
        request.transport.close()
        raise asyncio.CancelledError

    async def slow(request: web.Request) -> web.StreamResponse:
        await asyncio.sleep(float(request.query.get("s", "0.5")))
        return web.Response(text="ok")

    async def slow_body(request: web.Request) -> web.StreamResponse:
        size = int(request.query.get("n", "10"))
        response = web.StreamResponse(headers={"Content-Length": str(size)})
        await response.prepare(request)
        for _ in range(size):  # one byte every half second
            await response.write(b"x")
            state.sent[request.path] += 1
            await asyncio.sleep(0.5)
        return response

    async def endless(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse()
        await response.prepare(request)
        for _ in range(10_000):  # bounded: 10,000 x 64 KiB, and the client stops reading
            await response.write(b"x" * 65536)
            state.sent[request.path] += 65536
        return response

    async def hold(request: web.Request) -> web.StreamResponse:
        # 200 once the test sets state.release, or after ?cap= seconds (default 30)
        cap = asyncio.get_running_loop().time() + float(request.query.get("cap", "30"))
        while not state.release.is_set() and asyncio.get_running_loop().time() < cap:
            await asyncio.sleep(0.01)
        state.held.append("released" if state.release.is_set() else "cap")
        return web.Response(text="ok")

    async def toggle(request: web.Request) -> web.StreamResponse:
        if request.match_info["name"] in state.down:
            return web.Response(status=404, text="gone for now")
        return web.Response(text="ok")

    async def redirect(request: web.Request) -> web.StreamResponse:
        hops = int(request.match_info["hops"])
        code = int(request.query.get("code", "301"))
        target = f"/redirect/{hops - 1}?code={code}" if hops > 1 else "/ok"
        return _redirect(code, target)

    async def redirect_dead(request: web.Request) -> web.StreamResponse:
        return _redirect(302, "/status/404")

    async def loop(request: web.Request) -> web.StreamResponse:
        return _redirect(302, "/loop")

    async def elsewhere(request: web.Request) -> web.StreamResponse:
        return _redirect(301, state.redirect_target)

    async def head_405(request: web.Request) -> web.StreamResponse:
        if request.method == "HEAD":
            return web.Response(status=405, headers={"Allow": "GET"})
        return web.Response(text="ok")

    async def graphql(request: web.Request) -> web.StreamResponse:
        body = await request.json()
        variables = body.get("variables", {})
        data: dict[str, object] = {}
        errors = []
        for key, owner in variables.items():
            if not key.startswith("o"):
                continue
            index = key[1:]
            name = variables[f"n{index}"]
            found = state.repos.get(f"{owner}/{name}".lower())
            if found is None:
                data[f"r{index}"] = None
                errors.append({"type": "NOT_FOUND", "path": [f"r{index}"], "message": "nope"})
            else:
                current, archived = found
                data[f"r{index}"] = {"nameWithOwner": current, "isArchived": archived,
                                     "url": f"https://github.com/{current}"}
        return web.json_response({"data": data, **({"errors": errors} if errors else {})})

    async def retry_after(request: web.Request) -> web.StreamResponse:
        # always 429, with the Retry-After given as ?v= (seconds, an HTTP date, garbage...)
        return web.Response(status=429, headers={"Retry-After": request.query.get("v", "")})

    async def retry_at(request: web.Request) -> web.StreamResponse:
        # the first hit: 429 with an HTTP-date Retry-After ?s= seconds ahead; then 200
        if state.hits[request.path] > 1:
            return web.Response(text="ok")
        when = formatdate(time.time() + float(request.query.get("s", "1")), usegmt=True)
        return web.Response(status=429, headers={"Retry-After": when})

    async def redirect_to(request: web.Request) -> web.StreamResponse:
        # a redirect to whatever ?to= says, written as given (other schemes, odd forms)
        return _redirect(int(request.query.get("code", "302")), request.query["to"])

    async def gzip_bomb(request: web.Request) -> web.StreamResponse:
        # A small gzip body that would expand to ?mb= MiB of zeros (made once per size).
        size = int(request.query.get("mb", "1024"))
        body = state.bombs.get(size)
        if body is None:
            body = state.bombs[size] = _gzip_zeros(size)
        return web.Response(body=body, headers={"Content-Encoding": "gzip",
                                                "Content-Type": "text/html"})

    async def raw(request: web.Request) -> web.StreamResponse:
        # A hand-written response (malformed, but for many-1xx), then the connection closes.
        kind = request.match_info["kind"]
        head = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n"
        if kind == "many-headers":  # 100,000 header lines
            head += b"".join(b"X-H%d: v\r\n" % i for i in range(100_000))
        elif kind == "long-header":  # one 1 MiB header line
            head += b"X-Long: " + b"a" * (1 << 20) + b"\r\n"
        elif kind == "long-status":  # a 1 MiB status line
            head = b"HTTP/1.1 200 " + b"O" * (1 << 20) + b"\r\nContent-Length: 2\r\n"
        elif kind == "garbage":
            head = b"\x00\xff not http at all\r\n"
        elif kind == "bad-length":
            head = b"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n"
        elif kind == "huge-length":
            head = b"HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999999\r\n"
        elif kind == "many-1xx":  # 100,000 interim responses before the real one
            head = b"HTTP/1.1 103 Early Hints\r\n\r\n" * 100_000 + head
        elif kind == "bad-chunks":
            head = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 2\r\n"
        assert request.transport is not None
        request.transport.write(head + b"\r\nok")
        request.transport.close()
        raise asyncio.CancelledError

    app = web.Application(middlewares=[count])
    app.router.add_post("/graphql", graphql)
    app.router.add_route("*", "/ok", ok)
    app.router.add_route("*", "/status/{code}", status)
    app.router.add_route("*", "/rate-limited", rate_limited)
    app.router.add_route("*", "/always-429", always_429)
    app.router.add_route("*", "/flaky", flaky)
    app.router.add_route("*", "/always-500", always_500)
    app.router.add_route("*", "/drop-once", drop)
    app.router.add_route("*", "/drop-always", drop)
    app.router.add_route("*", "/slow", slow)
    app.router.add_route("*", "/endless", endless)
    app.router.add_route("*", "/slow-body", slow_body)
    app.router.add_route("*", "/hold", hold)
    app.router.add_route("*", "/redirect/{hops}", redirect)
    app.router.add_route("*", "/redirect-dead", redirect_dead)
    app.router.add_route("*", "/loop", loop)
    app.router.add_route("*", "/elsewhere", elsewhere)
    app.router.add_route("*", "/head-405", head_405)
    app.router.add_route("*", "/p/{n}", ok)
    app.router.add_route("*", "/toggle/{name}", toggle)
    app.router.add_route("*", "/retry-after/{tag}", retry_after)
    app.router.add_route("*", "/retry-at/{tag}", retry_at)
    app.router.add_route("*", "/redirect-to", redirect_to)
    app.router.add_route("*", "/gzip-bomb", gzip_bomb)
    app.router.add_route("*", "/raw/{kind}", raw)
    return app


def _gzip_zeros(mib: int) -> bytes:
    """A valid gzip of ``mib`` MiB of zeros, about 1 KiB per MiB, made in a fraction of a second:
    after the first MiB, zlib's output for each further MiB (sync-flushed) is the same bytes."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    chunk = bytes(1 << 20)
    first = packer.compress(chunk) + packer.flush(zlib.Z_SYNC_FLUSH)
    steady = packer.compress(chunk) + packer.flush(zlib.Z_SYNC_FLUSH)
    crc = 0
    for _ in range(mib):
        crc = zlib.crc32(chunk, crc)
    trailer = struct.pack("<II", crc, (mib << 20) & 0xFFFFFFFF)
    return first + steady * (mib - 1) + b"\x03\x00" + trailer  # an empty final block


def _redirect(code: int, target: str) -> web.Response:
    return web.Response(status=code, headers={"Location": target})


@contextmanager
def serve_apps(apps: list[web.Application], host: str = "127.0.0.1",
               port: int = 0) -> Iterator[list[str]]:
    """Run each of ``apps`` on ``host`` (``port``, or a random one each) in a thread with its
    own event loop until the block ends; yields their base URLs, in order. A port that cannot
    be bound raises its OSError here."""
    loop = asyncio.new_event_loop()
    ready = threading.Event()
    runners = [web.AppRunner(app, handle_signals=False) for app in apps]
    bases: list[str] = []
    failed: list[BaseException] = []

    async def start() -> None:
        for runner in runners:
            await runner.setup()
            site = web.TCPSite(runner, host, port)
            await site.start()
            server = site._server
            assert server is not None and server.sockets
            bases.append(f"http://{host}:{server.sockets[0].getsockname()[1]}")

    async def stop() -> None:
        for runner in runners:
            await runner.cleanup()

    def run() -> None:
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(start())
        except OSError as exc:  # e.g. the port is taken
            failed.append(exc)
        ready.set()
        if not failed:
            loop.run_forever()
        loop.run_until_complete(stop())
        loop.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    assert ready.wait(10), "test server did not start"
    if failed:
        thread.join(10)
        raise failed[0]
    try:
        yield bases
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)


@contextmanager
def serve(delay: float = 0.0, host: str = "127.0.0.1", port: int = 0) -> Iterator[ServerState]:
    """Run the server on ``host`` (``port``, or a random one) until the block ends."""
    state = ServerState()
    with serve_apps([_app(state, delay)], host, port) as (base,):
        state.base = base
        yield state
