"""SSRF guards for the link checker (secret redaction is :mod:`awesome_lint.redact`).

Pull requests choose every URL we fetch, so addresses are checked where they cannot be dodged: on
every DNS answer (:class:`GuardedResolver`) and on the real ``sockaddr`` of every connection attempt
(:func:`guarded_socket_factory`), which covers redirect hops, IP-literal URLs (``0x7f.0.0.1``,
``[::ffff:127.0.0.1]``) and DNS rebinding alike. URL text is never trusted.
"""

from __future__ import annotations

import errno
import ipaddress
import socket
from collections.abc import Callable
from typing import Any

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.connector import NEEDS_CLEANUP_CLOSED
from aiohttp.resolver import ThreadedResolver
from yarl import URL

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
# aiohappyeyeballs' AddrInfoType / SocketFactory (that package ships no type information).
AddrInfo = tuple[int, int, int, str, tuple[Any, ...]]
SocketFactory = Callable[[AddrInfo], socket.socket]

__all__ = [
    "AddrInfo",
    "BlockedAddressError",
    "GuardedResolver",
    "SocketFactory",
    "blocked_cause",
    "guarded_socket_factory",
    "is_public_address",
    "make_connector",
    "non_public_reason",
    "token_allowed",
]

# --------------------------------------------------------------------------- addresses

_V4 = ipaddress.IPv4Network
_V6 = ipaddress.IPv6Network

# Order matters only for the label: the first match names the reason.
_V4_RANGES: tuple[tuple[ipaddress.IPv4Network, str], ...] = (
    (_V4("0.0.0.0/8"), "unspecified"),
    (_V4("10.0.0.0/8"), "private"),
    (_V4("100.64.0.0/10"), "shared (CGNAT)"),
    (_V4("127.0.0.0/8"), "loopback"),
    (_V4("169.254.0.0/16"), "link-local"),
    # Azure's host endpoint (WireServer: VM agent, extensions, health): reachable from every
    # Azure VM, GitHub's hosted runners included, although the address looks public.
    (_V4("168.63.129.16/32"), "Azure host endpoint"),
    (_V4("172.16.0.0/12"), "private"),
    (_V4("192.0.0.0/24"), "IETF protocol assignment"),
    (_V4("192.0.2.0/24"), "documentation"),
    (_V4("192.88.99.0/24"), "6to4 relay anycast"),
    (_V4("192.168.0.0/16"), "private"),
    (_V4("198.18.0.0/15"), "benchmarking"),
    (_V4("198.51.100.0/24"), "documentation"),
    (_V4("203.0.113.0/24"), "documentation"),
    (_V4("224.0.0.0/4"), "multicast"),
    (_V4("255.255.255.255/32"), "broadcast"),
    (_V4("240.0.0.0/4"), "reserved"),
)

_V6_RANGES: tuple[tuple[ipaddress.IPv6Network, str], ...] = (
    (_V6("::/128"), "unspecified"),
    (_V6("::1/128"), "loopback"),
    (_V6("64:ff9b:1::/48"), "local-use NAT64"),
    (_V6("2001::/32"), "Teredo"),
    (_V6("2001::/23"), "IETF protocol assignment"),
    (_V6("2001:db8::/32"), "documentation"),
    (_V6("3fff::/20"), "documentation"),
    (_V6("100::/64"), "discard-only"),
    (_V6("fc00::/7"), "unique-local"),
    (_V6("fe80::/10"), "link-local"),
    (_V6("fec0::/10"), "site-local"),
    (_V6("ff00::/8"), "multicast"),
)

_GLOBAL_UNICAST = _V6("2000::/3")
_MAPPED = _V6("::ffff:0:0/96")  # IPv4-mapped ::ffff:a.b.c.d
_SIIT = _V6("::ffff:0:0:0/96")  # IPv4-translated ::ffff:0:a.b.c.d
_COMPATIBLE = _V6("::/96")  # deprecated IPv4-compatible ::a.b.c.d
_NAT64 = _V6("64:ff9b::/96")
_SIX_TO_FOUR = _V6("2002::/16")


def _parse(address: str | IPAddress) -> IPAddress | None:
    if isinstance(address, (ipaddress.IPv4Address, ipaddress.IPv6Address)):
        return address
    if not isinstance(address, str):
        return None
    try:
        return ipaddress.ip_address(address)  # accepts an IPv6 zone id: fe80::1%eth0
    except ValueError:
        return None


def _v4_reason(addr: ipaddress.IPv4Address) -> str | None:
    for network, label in _V4_RANGES:
        if addr in network:
            return f"{label} address"
    if not addr.is_global:  # backstop for ranges the stdlib learns later
        return "non-global address"
    return None


def _embedded_v4(addr: ipaddress.IPv6Address) -> tuple[ipaddress.IPv4Address, str] | None:
    if addr in _MAPPED:
        return ipaddress.IPv4Address(int(addr) & 0xFFFFFFFF), "IPv4-mapped"
    if addr in _SIIT:
        return ipaddress.IPv4Address(int(addr) & 0xFFFFFFFF), "IPv4-translated"
    if addr in _COMPATIBLE and int(addr) > 1:
        return ipaddress.IPv4Address(int(addr) & 0xFFFFFFFF), "IPv4-compatible"
    if addr in _NAT64:
        return ipaddress.IPv4Address(int(addr) & 0xFFFFFFFF), "NAT64"
    if addr in _SIX_TO_FOUR:
        return ipaddress.IPv4Address((int(addr) >> 80) & 0xFFFFFFFF), "6to4"
    return None


def non_public_reason(address: str | IPAddress) -> str | None:
    """Why ``address`` must not be contacted (e.g. ``"loopback address"``), or None if public.

    IPv4 hidden in IPv6 (mapped, translated, compatible, NAT64, 6to4) is unwrapped and judged by
    the IPv4 rules; Teredo and local-use NAT64 are refused outright. Unparsable input is refused.
    """
    addr = _parse(address)
    if addr is None:
        return "not an IP address"
    if isinstance(addr, ipaddress.IPv4Address):
        return _v4_reason(addr)
    addr = ipaddress.IPv6Address(int(addr))  # drop any zone id
    embedded = _embedded_v4(addr)
    if embedded is not None:
        inner, form = embedded
        reason = _v4_reason(inner)
        return None if reason is None else f"{reason} {inner} inside {form} IPv6"
    for network, label in _V6_RANGES:
        if addr in network:
            return f"{label} address"
    if addr not in _GLOBAL_UNICAST:
        return "reserved address"
    if not addr.is_global:
        return "non-global address"
    return None


def is_public_address(address: str | IPAddress) -> bool:
    """Whether ``address`` is a publicly routable unicast address (invalid input: False)."""
    return non_public_reason(address) is None


class BlockedAddressError(OSError):
    """A connection to a non-public address was refused (``--allow-private`` lifts this)."""

    def __init__(self, address: str, reason: str, host: str | None = None) -> None:
        self.address = address
        self.reason = reason
        self.host = host
        for_host = f" for {host}" if host and host != address else ""
        self.message = (
            f"refused to connect to {address} ({reason}){for_host}; --allow-private lifts this"
        )
        super().__init__(errno.EACCES, self.message)

    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> tuple[type[BlockedAddressError], tuple[str, str, str | None]]:
        return (type(self), (self.address, self.reason, self.host))


def blocked_cause(exc: BaseException) -> BlockedAddressError | None:
    """The :class:`BlockedAddressError` behind ``exc`` (aiohttp wraps it), if any."""
    seen: set[int] = set()
    todo: list[BaseException | None] = [exc]
    while todo:
        current = todo.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, BlockedAddressError):
            return current
        os_error = getattr(current, "os_error", None)  # aiohttp.ClientConnectorError
        if isinstance(os_error, BaseException):
            todo.append(os_error)
        todo.extend((current.__cause__, current.__context__))
    return None


def guarded_socket_factory(allow_private: bool) -> SocketFactory:
    """A ``TCPConnector(socket_factory=...)`` that refuses non-public addresses.

    It sees the address of every connection attempt, after DNS and after any redirect.
    """

    def factory(addr_info: AddrInfo) -> socket.socket:
        family, type_, proto, _, sockaddr = addr_info
        if not allow_private:
            address = sockaddr[0] if sockaddr else None
            if family not in (socket.AF_INET, socket.AF_INET6) or not isinstance(address, str):
                raise BlockedAddressError(repr(sockaddr), "not an internet address")
            reason = non_public_reason(address)
            if reason is not None:
                raise BlockedAddressError(address, reason)
        return socket.socket(family=family, type=type_, proto=proto)

    return factory


class GuardedResolver(AbstractResolver):
    """Drops non-public DNS answers; if none is left, raises BlockedAddressError naming the host.

    The socket factory would refuse them anyway; filtering here keeps a name with both kinds of
    answers working and gives the error the host name (aiohttp wraps it in ClientConnectorDNSError).
    """

    def __init__(self, inner: AbstractResolver | None = None) -> None:
        self._inner = inner if inner is not None else ThreadedResolver()

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        answers = await self._inner.resolve(host, port, family)
        public = [a for a in answers if is_public_address(a["host"])]
        if answers and not public:
            first = answers[0]["host"]
            raise BlockedAddressError(first, non_public_reason(first) or "", host)
        return public

    async def close(self) -> None:
        await self._inner.close()


def make_connector(
    *,
    allow_private: bool,
    limit: int,
    ttl_dns_cache: int | None = 300,
) -> aiohttp.TCPConnector:
    """The checker's connector: address guards, a global ``limit`` and no per-host limit
    (the checker enforces its own per-host caps). Call inside a running event loop."""
    return aiohttp.TCPConnector(
        limit=limit,
        limit_per_host=0,
        ttl_dns_cache=ttl_dns_cache,
        resolver=None if allow_private else GuardedResolver(),
        socket_factory=guarded_socket_factory(allow_private),
        enable_cleanup_closed=NEEDS_CLEANUP_CLOSED,
    )


# --------------------------------------------------------------------------- GitHub token

_GITHUB_HOSTS = frozenset({"github.com", "api.github.com"})


def _loopback_host(host: str) -> bool:
    if host == "localhost":
        return True
    addr = _parse(host)
    return addr is not None and addr.is_loopback


def _origin(url: str) -> tuple[str, str, int | None] | None:
    try:
        parsed = URL(url)
    except (ValueError, TypeError):
        return None
    if not parsed.absolute or parsed.raw_user is not None or parsed.raw_password is not None:
        return None
    host = parsed.host
    if not host:
        return None
    return parsed.scheme.lower(), host, parsed.port


def token_allowed(url: str, api_base: str) -> bool:
    """Whether a GitHub token may be sent with a request to ``url``. Decide it on every hop.

    Only https to exactly github.com, api.github.com or the ``api_base`` host (same port); plain
    http only to the very origin of an http ``api_base`` on a loopback host (a test's fake API).
    URLs with userinfo never get the token.
    """
    target = _origin(url)
    if target is None:
        return False
    scheme, host, port = target
    base = _origin(api_base)
    if scheme == "https" and host in _GITHUB_HOSTS and port == 443:
        return True
    if base is None:
        return False
    if scheme == "https" and base[0] == "https":
        return (host, port) == (base[1], base[2])
    return scheme == "http" and base[0] == "http" and _loopback_host(base[1]) and target == base
