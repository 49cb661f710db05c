"""URL normalisation: two links are the same resource when their normal forms are equal."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

_TRACKING = re.compile(r"(utm_[a-z]+|fbclid|gclid|mc_cid|mc_eid|ref_src)$", re.IGNORECASE)
_INDEX_PAGE = re.compile(r"/index\.(html?|php)$", re.IGNORECASE)
_DEFAULT_PORTS = {"http": 80, "https": 443}
_SIMPLE = re.compile(r"(?:https?:)?//([A-Za-z0-9.-]+)(/[^?#:@\s%]*)?", re.IGNORECASE)


def is_web_url(url: str) -> bool:
    """True for absolute http(s) URLs (and protocol-relative ``//host`` ones)."""
    return url.lower().startswith(("http://", "https://", "//"))


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
        if host not in ("github.com", "youtu.be"):  # those two need the general path
            return host + _INDEX_PAGE.sub("/", simple.group(2) or "").rstrip("/")
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
             if not _TRACKING.match(k)] if parts.query else []
    if host == "youtu.be" and path.strip("/"):
        query = [("v", path.strip("/")), *query]
        host = netloc = "youtube.com"
        path = "/watch"
    path = path.rstrip("/")
    if host == "github.com":
        segments = path.split("/")
        if len(segments) == 3 and segments[2].lower().endswith(".git"):
            segments[2] = segments[2][:-4]  # the clone URL of the repository
        path = "/".join(s.lower() if i < 3 else s for i, s in enumerate(segments))
    encoded = urlencode(query) if query else ""
    return urlunsplit(("", netloc, path, encoded, parts.fragment)).lstrip("/")
