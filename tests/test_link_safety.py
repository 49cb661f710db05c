"""SSRF guards, redaction and the GitHub-token rule (links/safety.py).

Network tests talk only to servers started here on loopback.
"""

from __future__ import annotations

import asyncio
import ipaddress
import pickle
import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any, TypeVar

import aiohttp
import pytest
from aiohttp import web
from aiohttp.abc import AbstractResolver, ResolveResult
from hypothesis import given
from hypothesis import strategies as st

from awesome_lint.links import safety
from awesome_lint.links.safety import (
    BlockedAddressError,
    GuardedResolver,
    blocked_cause,
    guarded_socket_factory,
    is_public_address,
    make_connector,
    non_public_reason,
    token_allowed,
)
from awesome_lint.redact import redact_text, redact_url

T = TypeVar("T")


def run(coro: Awaitable[T]) -> T:
    async def main() -> T:
        return await coro

    return asyncio.run(main())


# --------------------------------------------------------------------------- classification

NON_PUBLIC = [
    # IPv4
    ("127.0.0.1", "loopback"),
    ("127.255.255.254", "loopback"),
    ("10.0.0.1", "private"),
    ("10.255.255.255", "private"),
    ("172.16.0.1", "private"),
    ("172.31.255.255", "private"),
    ("192.168.1.1", "private"),
    ("169.254.169.254", "link-local"),
    ("169.254.0.1", "link-local"),
    ("100.64.0.1", "CGNAT"),
    ("100.127.255.255", "CGNAT"),
    ("0.0.0.0", "unspecified"),
    ("0.1.2.3", "unspecified"),
    ("224.0.0.1", "multicast"),
    ("239.255.255.250", "multicast"),
    ("255.255.255.255", "broadcast"),
    ("240.0.0.1", "reserved"),
    ("250.1.2.3", "reserved"),
    ("192.0.2.1", "documentation"),
    ("198.51.100.7", "documentation"),
    ("203.0.113.9", "documentation"),
    ("198.18.0.1", "benchmarking"),
    ("198.19.255.255", "benchmarking"),
    ("192.0.0.8", "IETF protocol"),
    ("192.88.99.1", "6to4 relay"),
    # IPv6
    ("::", "unspecified"),
    ("::1", "loopback"),
    ("fe80::1", "link-local"),
    ("febf::1", "link-local"),
    ("fe80::1%eth0", "link-local"),
    ("fc00::1", "unique-local"),
    ("fd12:3456::1", "unique-local"),
    ("fec0::1", "site-local"),
    ("ff02::1", "multicast"),
    ("ff05::2", "multicast"),
    ("2001:db8::1", "documentation"),
    ("3fff::1", "documentation"),
    ("100::1", "discard"),
    ("2001::1", "Teredo"),
    ("2001:0:4136:e378:8000:63bf:3fff:fdd2", "Teredo"),  # even with a public client inside
    ("2001:2::1", "IETF protocol"),
    ("64:ff9b:1::808:808", "local-use NAT64"),
    ("4000::1", "reserved"),
    ("::2:1", "unspecified address 0.2.0.1 inside IPv4-compatible"),
    # IPv4 hidden in IPv6
    ("::ffff:7f00:1", "loopback address 127.0.0.1 inside IPv4-mapped"),
    ("::ffff:127.0.0.1", "loopback address 127.0.0.1 inside IPv4-mapped"),
    ("::ffff:169.254.169.254", "link-local address 169.254.169.254 inside IPv4-mapped"),
    ("::ffff:10.1.2.3", "private address 10.1.2.3 inside IPv4-mapped"),
    ("::ffff:100.64.0.1", "CGNAT"),
    ("::ffff:0:7f00:1", "loopback address 127.0.0.1 inside IPv4-translated"),
    ("::ffff:0:192.168.0.1", "private address 192.168.0.1 inside IPv4-translated"),
    ("::127.0.0.1", "loopback address 127.0.0.1 inside IPv4-compatible"),
    ("::a00:1", "private address 10.0.0.1 inside IPv4-compatible"),
    ("64:ff9b::a00:1", "private address 10.0.0.1 inside NAT64"),
    ("64:ff9b::127.0.0.1", "loopback address 127.0.0.1 inside NAT64"),
    ("64:ff9b::a9fe:a9fe", "link-local address 169.254.169.254 inside NAT64"),
    ("2002:a00:1::", "private address 10.0.0.1 inside 6to4"),
    ("2002:7f00:1::1", "loopback address 127.0.0.1 inside 6to4"),
    ("2002:a9fe:a9fe:1234::5", "link-local address 169.254.169.254 inside 6to4"),
    ("2002:c0a8:101::", "private address 192.168.1.1 inside 6to4"),
    # Issue 10: Azure's host endpoint (WireServer) answers every Azure VM, hosted runners too.
    ("168.63.129.16", "Azure host endpoint"),
    ("::ffff:168.63.129.16", "Azure host endpoint address 168.63.129.16 inside IPv4-mapped"),
    ("64:ff9b::a83f:8110", "Azure host endpoint address 168.63.129.16 inside NAT64"),
    ("2002:a83f:8110::1", "Azure host endpoint address 168.63.129.16 inside 6to4"),
]

PUBLIC = [
    "8.8.8.8",
    "1.1.1.1",
    "140.82.112.3",  # github.com
    "100.63.255.255",  # just below CGNAT
    "100.128.0.0",  # just above CGNAT
    "172.15.255.255",
    "172.32.0.0",
    "192.0.3.1",
    "198.17.255.255",
    "198.20.0.0",
    "223.255.255.255",
    "2606:4700::1111",
    "2a00:1450:4001:81b::200e",
    "2001:4860:4860::8888",
    "::ffff:8.8.8.8",
    "::ffff:0:8.8.8.8",
    "::8.8.8.8",
    "64:ff9b::808:808",
    "64:ff9b::1.1.1.1",
    "2002:808:808::1",
    "168.63.129.15",  # Azure's neighbours stay public
    "168.63.129.17",
]


@pytest.mark.parametrize(("address", "reason"), NON_PUBLIC)
def test_non_public_addresses(address: str, reason: str) -> None:
    assert not is_public_address(address)
    found = non_public_reason(address)
    assert found is not None and reason in found


@pytest.mark.parametrize("address", PUBLIC)
def test_public_addresses(address: str) -> None:
    assert is_public_address(address), non_public_reason(address)
    assert non_public_reason(address) is None


@pytest.mark.parametrize(
    "value",
    [
        ipaddress.ip_address("127.0.0.1"),
        ipaddress.ip_address("::ffff:10.0.0.1"),
        ipaddress.IPv6Address("fe80::1%eth0"),
    ],
)
def test_address_objects_non_public(value: ipaddress.IPv4Address | ipaddress.IPv6Address) -> None:
    assert not is_public_address(value)


def test_address_objects_public() -> None:
    assert is_public_address(ipaddress.ip_address("8.8.8.8"))
    assert is_public_address(ipaddress.ip_address("2606:4700::1111"))
    assert is_public_address("2606:4700::1111%eth0")  # a zone id does not change the address


@pytest.mark.parametrize(
    "text",
    ["", "example.com", "localhost", "1.2.3", "999.1.1.1", "0x7f.0.0.1", "2130706433",
     "[::1]", " 8.8.8.8", "8.8.8.8 ", "8.8.8.8%eth0", "::ffff:8.8.8.8:80", "gggg::1"],
)  # fmt: skip
def test_invalid_strings_are_not_public(text: str) -> None:
    assert not is_public_address(text)


def test_non_string_input_is_not_public() -> None:
    assert not is_public_address(0x08080808)  # type: ignore[arg-type]
    assert not is_public_address(None)  # type: ignore[arg-type]


@given(st.integers(min_value=0, max_value=2**32 - 1))
def test_public_ipv4_is_global_for_the_stdlib(value: int) -> None:
    address = ipaddress.IPv4Address(value)
    if is_public_address(address):
        assert address.is_global
        # the same address hidden in IPv6 gets the same answer
        assert is_public_address(ipaddress.IPv6Address(0xFFFF00000000 | value))
        assert is_public_address(ipaddress.IPv6Address(f"64:ff9b::{address}"))
    else:
        assert not is_public_address(ipaddress.IPv6Address(0xFFFF00000000 | value))
        assert not is_public_address(ipaddress.IPv6Address((0x2002 << 112) | (value << 80)))


@given(st.integers(min_value=0, max_value=2**128 - 1))
def test_public_ipv6_is_global_unicast(value: int) -> None:
    address = ipaddress.IPv6Address(value)
    if is_public_address(address) and address.ipv4_mapped is None and value >> 32 != 0:
        assert address in ipaddress.IPv6Network("2000::/3")
        assert address not in ipaddress.IPv6Network("2001::/32")


# --------------------------------------------------------------------------- error type


def test_blocked_address_error_message() -> None:
    exc = BlockedAddressError("10.0.0.1", "private address", "example.com")
    assert isinstance(exc, OSError)
    assert str(exc) == (
        "refused to connect to 10.0.0.1 (private address) for example.com; "
        "--allow-private lifts this"
    )
    assert (exc.address, exc.reason, exc.host) == ("10.0.0.1", "private address", "example.com")
    again = pickle.loads(pickle.dumps(exc))
    assert isinstance(again, BlockedAddressError) and str(again) == str(exc)


def test_blocked_address_error_without_host() -> None:
    exc = BlockedAddressError("127.0.0.1", "loopback address")
    assert (
        str(exc) == "refused to connect to 127.0.0.1 (loopback address); --allow-private lifts this"
    )


def test_blocked_cause_walks_the_chain() -> None:
    inner = BlockedAddressError("10.0.0.1", "private address")
    try:
        try:
            raise inner
        except OSError as exc:
            raise RuntimeError("wrapped") from exc
    except RuntimeError as outer:
        assert blocked_cause(outer) is inner
    assert blocked_cause(ValueError("x")) is None


# --------------------------------------------------------------------------- socket factory


def _addrinfo(host: str, port: int = 80) -> safety.AddrInfo:
    if ":" in host:
        return (socket.AF_INET6, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (host, port, 0, 0))
    return (socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (host, port))


@pytest.mark.parametrize(
    "host",
    ["127.0.0.1", "10.0.0.1", "169.254.169.254", "::1", "::ffff:127.0.0.1", "fe80::1%eth0",
     "64:ff9b::a00:1"],
)  # fmt: skip
def test_factory_refuses_non_public(host: str) -> None:
    factory = guarded_socket_factory(allow_private=False)
    with pytest.raises(BlockedAddressError, match=r"refused to connect to .*--allow-private"):
        factory(_addrinfo(host))


@pytest.mark.parametrize("host", ["8.8.8.8", "2606:4700::1111", "127.0.0.1", "::1"])
def test_factory_gives_sockets(host: str) -> None:
    allow_private = not is_public_address(host)
    sock = guarded_socket_factory(allow_private)(_addrinfo(host))
    try:
        assert sock.family == (socket.AF_INET6 if ":" in host else socket.AF_INET)
        assert sock.type == socket.SOCK_STREAM
    finally:
        sock.close()


def test_factory_refuses_non_inet_families() -> None:
    factory = guarded_socket_factory(allow_private=False)
    with pytest.raises(BlockedAddressError):
        factory((socket.AF_UNIX, socket.SOCK_STREAM, 0, "", ("/tmp/x",)))


# --------------------------------------------------------------------------- resolver


class FakeResolver(AbstractResolver):
    def __init__(self, answers: dict[str, list[str]]) -> None:
        self.answers = answers
        self.closed = False

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        return [
            ResolveResult(
                hostname=host,
                host=ip,
                port=port,
                family=socket.AF_INET6 if ":" in ip else socket.AF_INET,
                proto=0,
                flags=socket.AI_NUMERICHOST,
            )
            for ip in self.answers[host]
        ]

    async def close(self) -> None:
        self.closed = True


def test_resolver_drops_non_public_answers() -> None:
    inner = FakeResolver({"mixed.test": ["10.0.0.1", "8.8.8.8", "::1", "2606:4700::1111"]})
    guarded = GuardedResolver(inner)
    answers = run(guarded.resolve("mixed.test", 80))
    assert [a["host"] for a in answers] == ["8.8.8.8", "2606:4700::1111"]
    run(guarded.close())
    assert inner.closed


def test_resolver_refuses_a_name_with_only_private_answers() -> None:
    guarded = GuardedResolver(FakeResolver({"intranet.test": ["192.168.0.10", "fd00::1"]}))
    with pytest.raises(BlockedAddressError) as info:
        run(guarded.resolve("intranet.test", 443))
    assert str(info.value) == (
        "refused to connect to 192.168.0.10 (private address) for intranet.test; "
        "--allow-private lifts this"
    )
    assert info.value.host == "intranet.test"


# --------------------------------------------------------------------------- real requests

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
HITS = web.AppKey("hits", list[str])


async def _ok(request: web.Request) -> web.StreamResponse:
    request.app[HITS].append(request.path_qs)
    return web.Response(text="ok")


@asynccontextmanager
async def serve(
    host: str = "127.0.0.1", handler: Handler = _ok, also_ipv6: bool = False
) -> AsyncIterator[tuple[int, list[str], bool]]:
    """A server on ``host`` (and on ::1, same port, when asked and possible)."""
    app = web.Application()
    app[HITS] = []
    app.router.add_route("*", "/{tail:.*}", handler)
    runner = web.AppRunner(app)
    await runner.setup()
    sock = socket.socket(socket.AF_INET)
    sock.bind((host, 0))
    port = sock.getsockname()[1]
    await web.SockSite(runner, sock).start()
    ipv6 = False
    if also_ipv6 and socket.has_ipv6:
        sock6 = socket.socket(socket.AF_INET6)
        try:
            sock6.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            sock6.bind(("::1", port))
        except OSError:
            sock6.close()
        else:
            await web.SockSite(runner, sock6).start()
            ipv6 = True
    try:
        yield port, app[HITS], ipv6
    finally:
        await runner.cleanup()


async def _get(session: aiohttp.ClientSession, url: str) -> int:
    async with session.get(url) as response:
        await response.read()
        return response.status


LOOPBACK_URLS = [
    "http://127.0.0.1:{port}/",
    "http://[::1]:{port}/",
    "http://localhost:{port}/",
    "http://0x7f.0.0.1:{port}/",  # getaddrinfo normalises it to 127.0.0.1
    "http://[::ffff:127.0.0.1]:{port}/",
    "http://[::ffff:7f00:1]:{port}/",
]


@pytest.mark.parametrize("template", LOOPBACK_URLS)
def test_loopback_refused_at_connect_time(template: str) -> None:
    async def main() -> None:
        async with serve(also_ipv6=True) as (port, hits, _):
            connector = make_connector(allow_private=False, limit=8)
            async with aiohttp.ClientSession(connector=connector) as session:
                with pytest.raises(aiohttp.ClientConnectorError) as info:
                    await _get(session, template.format(port=port))
            blocked = blocked_cause(info.value)
            assert blocked is not None, info.value
            assert "refused to connect to" in str(info.value)
            assert "--allow-private lifts this" in str(info.value)
            assert hits == []

    run(main())


def test_refusal_through_a_name_names_the_host() -> None:
    async def main() -> None:
        async with serve() as (port, _, _):
            async with aiohttp.ClientSession(
                connector=make_connector(allow_private=False, limit=8)
            ) as session:
                with pytest.raises(aiohttp.ClientConnectorError) as info:
                    await _get(session, f"http://localhost:{port}/")
            blocked = blocked_cause(info.value)
            assert blocked is not None
            assert blocked.host == "localhost" and blocked.address == "127.0.0.1"
            assert "(loopback address) for localhost" in str(blocked)

    run(main())


@pytest.mark.parametrize("template", LOOPBACK_URLS)
def test_loopback_allowed_with_allow_private(template: str) -> None:
    async def main() -> None:
        async with serve(also_ipv6=True) as (port, hits, ipv6):
            if "[::1]" in template and not ipv6:
                pytest.skip("no IPv6 loopback here")
            connector = make_connector(allow_private=True, limit=8)
            async with aiohttp.ClientSession(connector=connector) as session:
                assert await _get(session, template.format(port=port)) == 200
            assert hits == ["/"]

    run(main())


@pytest.mark.parametrize("host", ["2130706433", "017700000001", "127.1", "0177.0.0.1"])
@pytest.mark.parametrize("allow_private", [False, True])
def test_legacy_numeric_ipv4_never_connects(host: str, allow_private: bool) -> None:
    # aiohttp >= 3.13 refuses these forms itself; older versions pass them to the resolver,
    # where the guarded resolver sees the normalised 127.0.0.1. Either way nothing connects.
    async def main() -> None:
        async with serve() as (port, hits, _):
            connector = make_connector(allow_private=allow_private, limit=8)
            async with aiohttp.ClientSession(connector=connector) as session:
                with pytest.raises(aiohttp.ClientError):
                    await _get(session, f"http://{host}:{port}/")
            assert hits == []

    run(main())


def test_rebinding_resolver_is_caught_by_the_socket_factory() -> None:
    # Even with an unguarded resolver that answers with loopback, the connect-time check refuses.
    async def main() -> None:
        async with serve() as (port, hits, _):
            connector = aiohttp.TCPConnector(
                resolver=FakeResolver({"rebind.test": ["127.0.0.1"]}),
                socket_factory=guarded_socket_factory(allow_private=False),
            )
            async with aiohttp.ClientSession(connector=connector) as session:
                with pytest.raises(aiohttp.ClientConnectorError) as info:
                    await _get(session, f"http://rebind.test:{port}/")
            assert blocked_cause(info.value) is not None
            assert hits == []

    run(main())


def test_factory_sees_every_connection_and_every_redirect_hop() -> None:
    calls: list[tuple[Any, ...]] = []
    inner = guarded_socket_factory(allow_private=True)

    def counting(addr_info: safety.AddrInfo) -> socket.socket:
        calls.append(addr_info[4])
        return inner(addr_info)

    async def main() -> None:
        async with serve() as (port_a, hits_a, _), serve() as (port_b, hits_b, _):

            async def redirect(request: web.Request) -> web.StreamResponse:
                raise web.HTTPFound(f"http://127.0.0.1:{port_b}/landed")

            async with serve(handler=redirect) as (port_r, _, _):
                connector = aiohttp.TCPConnector(socket_factory=counting)
                async with aiohttp.ClientSession(connector=connector) as session:
                    assert await _get(session, f"http://127.0.0.1:{port_a}/") == 200
                    assert await _get(session, f"http://127.0.0.1:{port_b}/") == 200
                    assert [c[1] for c in calls] == [port_a, port_b]
                    assert await _get(session, f"http://127.0.0.1:{port_r}/") == 200
            assert [c[1] for c in calls] == [port_a, port_b, port_r]  # B's connection is reused
            assert hits_a == ["/"] and hits_b == ["/", "/landed"]

    run(main())


def test_redirect_to_a_private_address_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    # Pretend 127.0.0.1 is public; the redirect goes to 127.0.0.2, still loopback.
    real = safety.non_public_reason
    monkeypatch.setattr(
        safety, "non_public_reason", lambda a: None if str(a) == "127.0.0.1" else real(a)
    )

    async def main() -> None:
        try:
            target_cm = serve(host="127.0.0.2")
            target = await target_cm.__aenter__()
        except OSError:
            pytest.skip("cannot bind 127.0.0.2")
        try:
            port_t, hits_t, _ = target

            async def redirect(request: web.Request) -> web.StreamResponse:
                raise web.HTTPFound(f"http://127.0.0.2:{port_t}/secret")

            async with serve(handler=redirect) as (port_r, _, _):
                connector = make_connector(allow_private=False, limit=8)
                async with aiohttp.ClientSession(connector=connector) as session:
                    async with session.get(
                        f"http://127.0.0.1:{port_r}/", allow_redirects=False
                    ) as first:
                        assert first.status == 302
                        location = first.headers["Location"]
                    with pytest.raises(aiohttp.ClientConnectorError) as info:
                        await _get(session, location)
            blocked = blocked_cause(info.value)
            assert blocked is not None and blocked.address == "127.0.0.2"
            assert hits_t == []
        finally:
            await target_cm.__aexit__(None, None, None)

    run(main())


def test_make_connector_settings() -> None:
    async def main() -> None:
        connector = make_connector(allow_private=False, limit=17)
        try:
            assert connector.limit == 17
            assert connector.limit_per_host == 0
            assert connector.use_dns_cache
        finally:
            await connector.close()

    run(main())


# --------------------------------------------------------------------------- redaction

SECRET_KEYS = [
    "token", "access_token", "api_key", "apikey", "api-key", "key", "secret", "password",
    "passwd", "pwd", "auth", "sig", "signature", "session", "sessionid", "client_secret",
    "code", "private_token", "refresh_token", "X-Amz-Signature", "X-Amz-Credential",
    "X-Amz-Security-Token", "TOKEN", "Api_Key", "github_token", "api%5Fkey",
]  # fmt: skip


@pytest.mark.parametrize("key", SECRET_KEYS)
def test_secret_query_values_are_redacted(key: str) -> None:
    url = f"https://example.com/p?a=1&{key}=s3cr%2Ft&b=2#frag"
    assert redact_url(url) == f"https://example.com/p?a=1&{key}=***&b=2#frag"


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/?monkey=1",
        "https://example.com/?keyboard=qwerty&turkey=yes&donkey_kong=1",
        "https://example.com/?tokenizer=bpe&codec=h264&sigma=2",
        "https://example.com/?page=2&sort=asc",
        "https://example.com/path%20with%20spaces?q=a+b%2Fc&x=%E2%9C%93",
        "https://example.com/",
        "https://example.com",
        "https://example.com/#section-2",
        "https://example.com/?token",  # no value: nothing to hide
        "https://example.com/?token=",
        "mailto:someone@example.com",
        "/relative/path?page=1",
        "https://example.com/a@b",  # '@' in the path is not userinfo
    ],
)
def test_harmless_urls_are_unchanged(url: str) -> None:
    assert redact_url(url) == url


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://user:pass@example.com/x", "https://***@example.com/x"),
        ("https://user@example.com/x", "https://***@example.com/x"),
        ("https://us%40er:p%3Ass@example.com:8443/x?y=1", "https://***@example.com:8443/x?y=1"),
        ("https://a:b@c@example.com/", "https://***@example.com/"),
        ("//user:pw@example.com/p", "//***@example.com/p"),
        ("HTTP://u:p@EXAMPLE.com/?Token=abc", "HTTP://***@EXAMPLE.com/?Token=***"),
        ("https://x.test/?a=1;token=abc;b=2", "https://x.test/?a=1;token=***;b=2"),
        ("https://x.test/cb#access_token=abc&token_type=bearer",
         "https://x.test/cb#access_token=***&token_type=bearer"),
        ("https://x.test/?token=a%20b&token=c", "https://x.test/?token=***&token=***"),
        ("https://x.test/?next=https://y.test/?q=1", "https://x.test/?next=https://y.test/?q=1"),
        ("https://x.test/?code=abc#code=def", "https://x.test/?code=***#code=***"),
        ("https://x.test/?%20q=1&key=v", "https://x.test/?%20q=1&key=***"),
    ],
)  # fmt: skip
def test_redact_url(url: str, expected: str) -> None:
    assert redact_url(url) == expected


def test_redact_text_in_messages() -> None:
    message = "404, message='Not Found', url='https://bob:hunter2@example.com/a?api_key=XYZ&page=2'"
    assert redact_text(message) == (
        "404, message='Not Found', url='https://***@example.com/a?api_key=***&page=2'"
    )
    assert redact_text('see URL("http://x.test/?token=abc"), then http://u:p@y.test/.') == (
        'see URL("http://x.test/?token=***"), then http://***@y.test/.'
    )
    assert redact_text("redirected to https://x.test/?sig=abc.") == (
        "redirected to https://x.test/?sig=***."
    )
    plain = "Cannot connect to host example.com:443 ssl:default [Connection refused]"
    assert redact_text(plain) == plain


def test_redact_text_on_a_real_aiohttp_error() -> None:
    async def missing(request: web.Request) -> web.StreamResponse:
        raise web.HTTPNotFound()

    async def main() -> None:
        async with serve(handler=missing) as (port, _, _):
            connector = make_connector(allow_private=True, limit=8)
            async with aiohttp.ClientSession(connector=connector, raise_for_status=True) as s:
                with pytest.raises(aiohttp.ClientResponseError) as info:
                    await _get(s, f"http://127.0.0.1:{port}/x?access_token=t0k3n&page=1")
        text = str(info.value)
        assert "t0k3n" in text
        redacted = redact_text(text)
        assert "t0k3n" not in redacted
        assert f"http://127.0.0.1:{port}/x?access_token=***&page=1" in redacted

    run(main())


# --------------------------------------------------------------------------- GitHub token

API = "https://api.github.com/graphql"
FAKE = "http://127.0.0.1:8123/graphql"


@pytest.mark.parametrize(
    ("url", "api_base", "allowed"),
    [
        ("https://github.com/owner/repo", API, True),
        ("https://api.github.com/graphql", API, True),
        ("https://API.GitHub.com/graphql", API, True),
        ("https://github.com:443/owner/repo", API, True),
        ("http://github.com/owner/repo", API, False),
        ("https://github.com:8443/owner/repo", API, False),
        ("https://www.github.com/owner/repo", API, False),
        ("https://gist.github.com/x", API, False),
        ("https://raw.githubusercontent.com/x", API, False),
        ("https://github.com.evil.test/", API, False),
        ("https://evilgithub.com/", API, False),
        ("https://github.com./owner/repo", API, False),
        ("https://github.com@evil.test/", API, False),
        ("https://user:pw@github.com/", API, False),
        ("https://evil.test/?u=https://github.com/", API, False),
        ("ftp://github.com/", API, False),
        ("github.com/owner/repo", API, False),
        ("not a url", API, False),
        ("https://api.github.com\\@evil.test/", API, False),
        # a GitHub Enterprise base on https
        ("https://ghe.corp.test/api/graphql", "https://ghe.corp.test/api/graphql", True),
        ("https://ghe.corp.test/other", "https://ghe.corp.test/api/graphql", True),
        ("https://ghe.corp.test:444/", "https://ghe.corp.test/api/graphql", False),
        ("http://ghe.corp.test/", "https://ghe.corp.test/api/graphql", False),
        # a test's fake API on loopback over http
        (FAKE, FAKE, True),
        ("http://127.0.0.1:8123/other", FAKE, True),
        ("http://127.0.0.1:8124/graphql", FAKE, False),
        ("http://127.0.0.2:8123/graphql", FAKE, False),
        ("http://localhost:8123/graphql", FAKE, False),
        ("http://localhost:9/graphql", "http://localhost:9/graphql", True),
        ("http://[::1]:9/graphql", "http://[::1]:9/graphql", True),
        ("https://github.com/owner/repo", FAKE, True),
        ("http://github.com/owner/repo", FAKE, False),
        # http to a non-loopback base never gets the token
        ("http://ghe.corp.test/api", "http://ghe.corp.test/api", False),
        ("http://10.0.0.1/api", "http://10.0.0.1/api", False),
    ],
)
def test_token_allowed(url: str, api_base: str, allowed: bool) -> None:
    assert token_allowed(url, api_base) is allowed
