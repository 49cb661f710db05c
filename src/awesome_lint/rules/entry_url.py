"""AL203 entry-url: a link in an entry whose URL cannot work as written."""

from __future__ import annotations

import re
from collections.abc import Iterator

from awesome_lint.findings import Applicability, Edit, Fix, Violation
from awesome_lint.lazy_re import lazy_compile
from awesome_lint.model import Document, Link, LinkKind, Span
from awesome_lint.rule import Rule

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):(.*)$", re.DOTALL)
_KNOWN = frozenset(
    ("http", "https", "mailto", "ftp", "ftps", "sftp", "ssh", "git", "irc", "ircs", "tel",
     "news", "nntp", "magnet", "xmpp", "matrix", "steam", "spotify", "zotero", "slack",
     "discord", "tg", "data", "file", "urn", "doi", "ipfs", "ipns")
)
_SCRIPT = frozenset(("javascript", "vbscript"))
_SCHEMELESS = re.compile(
    r"^(?:www\.[\w-]+|[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|io|dev|ai|app|edu|gov))(?:[/?#:]|$)",
    re.IGNORECASE,
)
_SPACE = re.compile(r"\s")
_HTTP_NO_COLON = re.compile(r"^https?//?(?=[\w-])", re.IGNORECASE)
# Most entries' URLs: http(s), a lower-case scheme, a host with a dot and no port, no space.
_PLAIN_WEB = re.compile(r"https?://[A-Za-z0-9-]*\.[A-Za-z0-9.-]*(?:[/?#]\S*)?")
# ``https://github.com:owner/repo``: a host, then a colon and a path segment, not a number.
_PORT_AS_PATH = lazy_compile(
    r"^(https?://[^/?#@:]+\.[^/?#@:]+):([A-Za-z][\w.-]*(?:[/?#].*)?)$", re.IGNORECASE | re.DOTALL)


def problem(url: str) -> str | None:
    """What is wrong with ``url`` as a link destination, or None."""
    if _PLAIN_WEB.fullmatch(url):
        return None
    if not url.strip():
        return "Link has an empty URL; put the resource's address between the parentheses"
    if _SPACE.search(url):
        return "URL contains a space; write it as %20 or fix the address"
    m = _SCHEME.match(url)
    if m is None:
        if _HTTP_NO_COLON.match(url):
            return "URL is missing the colon after http(s); write it as https://..."
        if _SCHEMELESS.match(url):
            return ("URL has no scheme, so GitHub treats it as a file in the repository; "
                    "start it with https://")
        return None  # a relative path: a file of the repository, or a page beside the list
    scheme, rest = m.group(1).lower(), m.group(2)
    if scheme in _SCRIPT:
        return "URL runs a script instead of opening a page; link to the resource itself"
    if scheme in ("http", "https"):
        if not rest.startswith("//"):
            return f"URL needs two slashes after '{scheme}:'; write {scheme}://host/..."
        host, port = _host_port(rest)
        if not host:
            return "URL has no host name; write the full address, e.g. https://example.com/"
        if "." not in host and host.lower() != "localhost" and not host.startswith("["):
            return f"URL host {host!r} is not a domain name; write the full address"
        if port and not (port.isdigit() and int(port) <= 65535):
            guess = _port_as_path(url)
            hint = f"; if ':' should be '/', write {guess}" if guess else ""
            return f"URL port {port!r} is not a port number{hint}"
        if m.group(1) != scheme:
            return (f"URL scheme {m.group(1)!r} is not in lower case, and some Markdown "
                    f"renderers drop such links; write {scheme}://")
        return None
    if scheme in _KNOWN:
        return None
    from difflib import SequenceMatcher  # (an unknown scheme only: not at start-up)

    if max(SequenceMatcher(None, scheme, s).ratio() for s in ("http", "https")) >= 0.6:
        return f"URL scheme {scheme!r} looks like a misspelt http(s); write https://"
    return None


def _host_port(rest: str) -> tuple[str, str]:
    """The host and the port (empty if none) of ``//user@host:port/path``."""
    netloc = re.split(r"[/?#]", rest[2:], maxsplit=1)[0].rsplit("@", 1)[-1]
    if netloc.startswith("["):  # [::1]:8080
        host, _, after = netloc.partition("]")
        return host + "]", after[1:] if after.startswith(":") else ""
    host, _, port = netloc.partition(":")
    return host, port


def _port_as_path(url: str) -> str | None:
    """``https://github.com/jersey/jersey`` for ``https://github.com:jersey/jersey``: the
    address when the colon after the host was meant as a slash (None if that does not fit)."""
    m = _PORT_AS_PATH().match(url)
    return None if m is None else f"{m.group(1)}/{m.group(2)}"


def fixed(url: str) -> tuple[str, Applicability] | None:
    """The corrected ``url`` and how safe the correction is, for the problems that have one: a
    scheme not in lower case (safe: schemes are case-insensitive) and a colon after the host
    that reads as a slash (unsafe: the address is a guess)."""
    m = _SCHEME.match(url)
    if m is None or m.group(1).lower() not in ("http", "https"):
        return None
    guess = _port_as_path(url)
    if guess is not None:
        return guess, Applicability.UNSAFE
    lower = m.group(1).lower() + url[len(m.group(1)):]
    return (lower, Applicability.SAFE) if lower != url and problem(lower) is None else None


class EntryUrl(Rule):
    """Malformed URLs in entries: empty, with spaces, misspelt schemes, no host, a port that is
    not a number, a scheme not in lower case, scripts.

    Relative paths are fine: a list links to files in its own repository.
    """

    code = "AL203"
    name = "entry-url"
    summary = "A link in an entry has a malformed URL that cannot open the resource."
    fixable = True

    def check(self, doc: Document) -> Iterator[Violation]:
        for entry in doc.iter_entries():
            for link in entry.links:
                if link.kind not in (LinkKind.INLINE, LinkKind.REFERENCE, LinkKind.IMAGE):
                    continue
                message = problem(link.url)
                if message is not None:
                    yield Violation(_where(link), message, _fix(link))


def _where(link: Link) -> Span:
    return link.url_span if link.url else link.span


def _fix(link: Link) -> Fix | None:
    correction = fixed(link.url)
    span = link.url_span
    if correction is None or span.line != span.end_line:
        return None
    url, applicability = correction
    return Fix((Edit(span, url),), applicability)
