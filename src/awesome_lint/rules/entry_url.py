"""AL203 entry-url: a link in an entry whose URL cannot work as written."""

from __future__ import annotations

import re
from collections.abc import Iterator
from difflib import SequenceMatcher

from awesome_lint.findings import Violation
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


def problem(url: str) -> str | None:
    """What is wrong with ``url`` as a link destination, or None."""
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
        host = re.split(r"[/?#]", rest[2:], maxsplit=1)[0].rsplit("@", 1)[-1]
        host = host.rsplit(":", 1)[0] if not host.startswith("[") else host
        if not host:
            return "URL has no host name; write the full address, e.g. https://example.com/"
        if "." not in host and host.lower() != "localhost" and not host.startswith("["):
            return f"URL host {host!r} is not a domain name; write the full address"
        return None
    if scheme not in _KNOWN and max(SequenceMatcher(None, scheme, s).ratio()
                                    for s in ("http", "https")) >= 0.6:
        return f"URL scheme {scheme!r} looks like a misspelt http(s); write https://"
    return None


class EntryUrl(Rule):
    """Malformed URLs in entries: empty, with spaces, misspelt schemes, no host, scripts.

    Relative paths are fine: a list links to files in its own repository.
    """

    code = "AL203"
    name = "entry-url"
    summary = "A link in an entry has a malformed URL that cannot open the resource."

    def check(self, doc: Document) -> Iterator[Violation]:
        for entry in doc.iter_entries():
            for link in entry.links:
                if link.kind not in (LinkKind.INLINE, LinkKind.REFERENCE, LinkKind.IMAGE):
                    continue
                message = problem(link.url)
                if message is not None:
                    yield Violation(_where(link), message)


def _where(link: Link) -> Span:
    return link.url_span if link.url else link.span
