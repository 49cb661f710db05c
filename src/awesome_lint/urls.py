"""URL normalisation: two links are the same resource when their normal forms are equal."""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from awesome_lint.lazy_re import lazy_compile

_TRACKING = lazy_compile(r"(utm_[a-z]+|fbclid|gclid|mc_cid|mc_eid|ref_src)$", re.IGNORECASE)
_INDEX_PAGE = re.compile(r"/index\.(html?|php)$", re.IGNORECASE)
_DEFAULT_PORTS = {"http": 80, "https": 443}
_SIMPLE = re.compile(r"(?:https?:)?//([A-Za-z0-9.-]+)(/[^?#:@\s%]*)?", re.IGNORECASE)


def is_web_url(url: str) -> bool:
    """True for absolute http(s) URLs (and protocol-relative ``//host`` ones)."""
    return url.lower().startswith(("http://", "https://", "//"))


def absolute(url: str) -> str:
    """The URL to fetch for a link as written (protocol-relative links get https)."""
    url = url.strip()
    return "https:" + url if url.startswith("//") else url


def normalise_url(url: str) -> str:
    """A canonical form of a web URL, for spotting duplicates.

    Drops the scheme (http and https are the same resource), ``www.``, default ports, a trailing
    slash, ``index.html``, tracking parameters (``utm_*``...), and lower-cases the host; GitHub
    owner/repository paths are case-insensitive; ``youtu.be/ID`` is ``youtube.com/watch?v=ID``.
    The fragment is kept: ``page#install`` and ``page#usage`` may be different entries.
    """
    raw = url.strip()
    simple = _SIMPLE.fullmatch(raw)
    if simple is not None:  # most list URLs: no port, query, fragment or credentials
        host = simple.group(1).lower().rstrip(".")
        host = host[4:] if host.startswith("www.") else host
        if host != "youtu.be":  # a video ID in the path: the general path moves it
            path = _INDEX_PAGE.sub("/", simple.group(2) or "").rstrip("/")
            return host + (_github_path(path) if host == "github.com" else path)
    if raw.startswith("//"):
        raw = "https:" + raw
    try:
        parts = urlsplit(raw)
        port = parts.port
    except ValueError:
        return raw
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    netloc = host if port in (None, _DEFAULT_PORTS.get(scheme)) else f"{host}:{port}"
    path = _INDEX_PAGE.sub("/", parts.path)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not _TRACKING().match(k)] if parts.query else []
    if host == "youtu.be" and path.strip("/"):
        query = [("v", path.strip("/")), *query]
        host = netloc = "youtube.com"
        path = "/watch"
    path = path.rstrip("/")
    if host == "github.com":
        path = _github_path(path)
    encoded = urlencode(query) if query else ""
    return urlunsplit(("", netloc, path, encoded, parts.fragment)).lstrip("/")


def _github_path(path: str) -> str:
    """A github.com path with its owner and repository lower-cased (GitHub ignores their
    case) and a clone URL's ``.git`` dropped."""
    segments = path.split("/")
    if len(segments) == 3 and segments[2].lower().endswith(".git"):
        segments[2] = segments[2][:-4]  # the clone URL of the repository
    return "/".join(s.lower() if i < 3 else s for i, s in enumerate(segments))


# Characters a URL may keep as they are when written into Markdown (a link destination, an
# autolink, a table cell) or an HTML attribute: RFC 3986 unreserved characters and the
# delimiters that cannot end a link, a cell or an attribute. Everything else is percent-encoded:
# space and controls, ( ) < > [ ] " ' ` \ { } | ^ and every non-ASCII character.
_URL_SAFE = frozenset(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&*+,;=:@/?"
)
_HEX = frozenset("0123456789abcdefABCDEF")
_LABEL = re.compile(r"[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?")
_NUMERIC_LABEL = re.compile(r"(?:0x[0-9a-f]*|[0-9]+)")
_STRIP = "".join(chr(c) for c in range(0x21))  # C0 controls and space, as browsers strip them


def _percent_encode(text: str) -> str:
    """``text`` with every character outside :data:`_URL_SAFE` percent-encoded
    as UTF-8; a ``%`` already followed by two hex digits is kept, any other ``%`` is encoded."""
    out: list[str] = []
    for i, char in enumerate(text):
        escape = char == "%" and text[i + 1 : i + 2] in _HEX and text[i + 2 : i + 3] in _HEX
        if char in _URL_SAFE or escape:
            out.append(char)
        else:
            out.extend(f"%{byte:02X}" for byte in char.encode("utf-8", "surrogatepass"))
    return "".join(out)


def _safe_host(host: str) -> str | None:
    """``host`` as lower-case ASCII (IDNA for international names), or None when it is not a
    valid DNS name or dotted-quad IPv4 address."""
    if host.startswith("["):
        return None  # an IPv6 literal needs brackets, which Markdown must not see
    if not host or len(host) > 253 + 1:
        return None
    if not host.isascii():
        import idna  # lazily: only an international host name needs it

        try:
            host = idna.encode(host, uts46=True, transitional=False).decode("ascii")
        except (idna.IDNAError, UnicodeError, ValueError):
            return None
    host = host.lower()
    bare = host[:-1] if host.endswith(".") else host
    labels = bare.split(".")
    if not bare or len(bare) > 253 or not all(_LABEL.fullmatch(label) for label in labels):
        return None
    if _NUMERIC_LABEL.fullmatch(labels[-1]):
        # Browsers read a name ending in a number as an IPv4 address ("0x7f.1"): only the
        # plain dotted-quad form is accepted, so every reader sees the same address.
        try:
            return str(ipaddress.IPv4Address(bare))
        except ValueError:
            return None
    for label in labels:
        if label.startswith("xn--"):
            import idna

            try:
                idna.decode(label)
            except (idna.IDNAError, UnicodeError, ValueError):
                return None
    return host


def safe_markdown_url(url: str) -> str | None:
    """``url`` as an absolute http(s) URL that is safe to write into Markdown or HTML, or None.

    For URLs that come from the network (a redirect's ``Location``, an API's answer) before they
    are written into a file: the result is normalised (lower-case scheme and host, IDNA for an
    international host, no default port, ``/`` for an empty path) and percent-encoded so that
    it cannot end a Markdown link, autolink or table cell, nor an HTML attribute: it contains no
    whitespace, control character, non-ASCII character or any of ``( ) < > [ ] " ' ` \\ { } | ^``.
    None for anything else: another scheme, no host, an invalid host or port, an IPv6 literal
    (its brackets would reach the Markdown), user credentials (``user:pass@``, also a phishing
    trick) or a value that is not a string. Pure: no network, no aiohttp.
    """
    if not isinstance(url, str):
        return None
    text = url.strip(_STRIP)
    text = text.replace("\t", "").replace("\n", "").replace("\r", "")  # as browsers do
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not text[len(parts.scheme) + 1:].startswith("//"):
        return None
    netloc = parts.netloc
    if "@" in netloc or "\\" in netloc:
        return None
    host_text, colon, port_text = netloc.partition(":")
    if colon and port_text and not (port_text.isdigit() and port_text.isascii()):
        return None
    host = _safe_host(host_text)
    if host is None or port == 0:
        return None
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    result = f"{scheme}://{netloc}{_percent_encode(parts.path) or '/'}"
    if parts.query:
        result += "?" + _percent_encode(parts.query)
    if parts.fragment:
        result += "#" + _percent_encode(parts.fragment)
    return result


#: A printable-ASCII http(s) URL with a lower-case host name, no port, no user info and nothing
#: urlsplit would strip or reject (no space, control character or backslash).
_PLAIN_URL = re.compile(r"(https?)://([a-z0-9.-]+)(/[^?#\x00-\x20\x7f\\]*)?"
                        r"(?:\?([^#\x00-\x20\x7f\\]*))?(?:#[^\x00-\x20\x7f\\]*)?\Z")


def plain_url(url: str) -> tuple[str, str, str | None, str | None] | None:
    """Scheme, host, path (None when empty) and query (None when absent) of a plain web URL
    (see ``_PLAIN_URL``), read off at once, as urlsplit reads them; None for any other URL,
    which needs the general reading."""
    plain = _PLAIN_URL.match(url) if url.isascii() else None
    return None if plain is None else (plain[1], plain[2], plain[3], plain[4])


def web_host_path(url: str) -> tuple[str, str] | None:
    """Host (lower case, no trailing dot) and path of an http(s) URL without user info on its
    scheme's default port; None for any other URL."""
    plain = plain_url(url)
    if plain is not None:
        return plain[1].rstrip("."), plain[2] or ""
    return _web_host_path_by_urlsplit(url)


def _web_host_path_by_urlsplit(url: str) -> tuple[str, str] | None:
    """:func:`web_host_path`'s general reading, for any URL."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or parts.username or parts.password:
        return None
    if port not in (None, _DEFAULT_PORTS[scheme]):
        return None
    return (parts.hostname or "").rstrip("."), parts.path
