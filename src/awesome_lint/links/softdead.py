"""Soft-dead pages: answers of ``200 OK`` for pages that are gone (issue 14). Pure: no network.

A page is judged against the same origin's answer to a random missing path (the *probe*), never
on its wording alone:

- ``redirect-to-root``: a deep link whose redirects end at the site's home page;
- ``soft-404``: the page is the site's "missing path" page (the probe's page, by text and
  structure fingerprints, or the same redirect target); impossible when the probe got a 404;
- ``unverifiable``: the page and the probe are the same single-page-app shell (no content in the
  HTML: every path answers it, so nothing tells an existing page from a missing one);
- ``parked``: parking markers (a parking service's scripts, a ``/lander`` redirect that every
  path gets, for-sale or default-server wording on a page every path answers or a tiny one).

A page *about* 404 errors is alive: it is not the probe's page. Bodies are read only up to
:data:`SAMPLE_BYTES` and kept as a :class:`Page` (fingerprints and markers), never whole.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any
from urllib.parse import unquote, urlsplit

from awesome_lint.verdicts import Verdict

__all__ = [
    "SAMPLE_BYTES",
    "Page",
    "Probe",
    "classify",
    "decode_body",
    "is_root",
    "might_be_parked",
    "read_page",
    "similar",
]

#: Bytes of an HTML page read to judge it (the issue's cap).
SAMPLE_BYTES = 256 * 1024
#: Fingerprints keep the smallest this many shingle hashes (a bottom-k sketch: exact for a page
#: of up to about as many words).
SKETCH = 1024
#: A page with a script and no more visible words than this is an app shell; with a mount
#: point for the app (see :data:`_MOUNTS`) or a ``<noscript>``, up to :data:`MOUNTED_WORDS`.
SHELL_WORDS = 10
MOUNTED_WORDS = 80
#: Ids of the element single-page-app frameworks render into (React, Vue, Next, Nuxt, Gatsby...).
_MOUNTS = frozenset({"root", "app", "__next", "__nuxt", "___gatsby", "svelte", "main-app",
                     "application", "react-root", "vue-app", "ember-app", "elm-app"})
#: A page with no more visible words than this may be judged parked on its wording alone.
TINY_WORDS = 120
#: Same page: structure and text alike, of about the same length, and hardly any text of the
#: page missing from the probe's (a short article in a site's heavy navigation is not its
#: "not found" page, however alike the two are overall).
TAGS_ALIKE = 0.8
TEXT_ALIKE = 0.5
LENGTH_ALIKE = 0.75
NOVEL_MAX = 16

_SKIPPED = frozenset({"script", "style", "noscript", "template", "svg"})
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                   "source", "track", "wbr"})
_WORD = re.compile(r"\w+", re.UNICODE)
_HOST_NAME = re.compile(r"[a-z0-9.-]+")
_DIGITS = re.compile(r"\d+")
#: Hosts of parking services and domain marketplaces: their scripts or frames on a page mark it.
PARKING_HOSTS = ("sedoparking.com", "sedo.com", "bodis.com", "parkingcrew.net", "above.com",
                 "dan.com", "afternic.com", "hugedomains.com", "domainmarket.com",
                 "undeveloped.com", "parklogic.com", "skenzo.com", "domainsponsor.com",
                 "trafficz.com", "parked.com", "smartname.com", "rookmedia.net", "dsparking.com",
                 "domainparking.ru", "uniregistry.com", "efty.com", "brandbucket.com")
#: Parking code in a page's own scripts, and what it is.
_PARKING_CODE = (
    (r"adsense/domains|caf\.js|domainRegistrant|[\"']pubId[\"']\s*:\s*[\"'](?:dp|ca)-",
     "Google's ads-for-domains code"),
    (r"parkingcrew", "ParkingCrew's code"),
    (r"sedoparking", "Sedo's code"),
    (r"bodis", "Bodis's code"),
    (r"window\.park\b|/lander[\"']", "a parking lander's code"),
)
_PARKING_SCRIPT = re.compile("|".join(f"(?:{code})" for code, _ in _PARKING_CODE),
                             re.IGNORECASE)
#: Wording of parked, for-sale and default-server pages (evidence for *parked* only, and only
#: on a page every path answers, or a tiny one).
_PARKING_WORDS = re.compile(
    r"\bdomains? (?:names? )?(?:is |are |may be |might be |could be )?(?:for sale|available "
    r"for (?:purchase|sale))|\bbuy (?:this|the) domain|\bmake an offer\b[\w ]{0,40}\bdomain|"
    r"\bget this domain\b|\binquire about (?:this|the) domain|\bdomain (?:name )?(?:is )?parked\b|"
    r"\bparked (?:domain|free|by)\b|\b(?:domain )?parking (?:service|page|program)|"
    r"\bdomain parking\b|\bthis domain (?:name )?(?:has )?expired\b|"
    r"\b(?:was|been) (?:recently )?registered (?:at|with|by) \w+|"
    r"\bwelcome to nginx\b|\bapache2? \w* ?default page\b|\bdefault (?:web )?(?:server )?page\b|"
    r"\biis windows server\b|\bfuture home of\b|\bthis (?:site|page) is parked\b",
    re.IGNORECASE)


@dataclass(frozen=True)
class Page:
    """What is kept of a page: fingerprints, size, shell-ness and parking markers."""

    text: frozenset[int] = frozenset()  # bottom-k hashes of the visible text's word 3-shingles
    tags: frozenset[int] = frozenset()  # bottom-k hashes of the tag sequence's 4-shingles
    words: int = 0  # visible words, the title not counted
    shingles: int = 0  # distinct text shingles (``text`` keeps at most SKETCH of them)
    shell: bool = False  # scripts and (almost) no visible text: an app shell
    marker: str = ""  # a parking service's code on the page
    wording: str = ""  # parked or default-server wording

    def to_json(self) -> dict[str, Any]:
        return {"text": sorted(self.text), "tags": sorted(self.tags), "words": self.words,
                "shingles": self.shingles, "shell": self.shell, "marker": self.marker,
                "wording": self.wording}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Page:
        """Inverse of :meth:`to_json`; raises ``KeyError``/``TypeError``/``ValueError``."""
        return cls(frozenset(int(h) for h in data["text"]), frozenset(int(h) for h in data["tags"]),
                   int(data["words"]), int(data["shingles"]), bool(data["shell"]),
                   str(data["marker"]), str(data["wording"]))


@dataclass(frozen=True)
class Probe:
    """The origin's answer to a random missing path: its status, final URL if redirected, page."""

    status: int | None
    final_url: str | None = None
    page: Page | None = None

    @property
    def missing_is_404(self) -> bool:
        """The site answers missing paths with an error: no page of it can be a soft 404."""
        return self.status is None or not 200 <= self.status < 300

    def to_json(self) -> dict[str, Any]:
        return {"status": self.status, "final_url": self.final_url,
                "page": None if self.page is None else self.page.to_json()}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Probe:
        """Inverse of :meth:`to_json`; raises ``KeyError``/``TypeError``/``ValueError``."""
        status, page = data["status"], data["page"]
        return cls(None if status is None else int(status),
                   None if data["final_url"] is None else str(data["final_url"]),
                   None if page is None else Page.from_json(page))


class _Reader(HTMLParser):
    """One pass over a page: visible words, tag sequence, scripts, parking markers."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.words: list[str] = []
        self.title: list[str] = []
        self.scripts = 0
        self.mount = False  # an app's mount point, a custom element or <noscript>
        self.marker = ""
        self._skip: list[str] = []
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "script":
            self.scripts += 1
        if not self.mount and (tag == "noscript" or "-" in tag
                               or any(k == "id" and v in _MOUNTS for k, v in attrs)):
            self.mount = True
        if tag in ("script", "iframe", "frame") and not self.marker:
            src = dict(attrs).get("src") or ""
            host = _host(src)
            if _parking_host(host):
                self.marker = f"a {tag} from {host}"
            elif "/lander" in src:
                self.marker = f"a parking lander's {tag}"
        if tag == "title":
            self._in_title = True
        if tag in _SKIPPED and tag not in _VOID:
            self._skip.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if self._skip and tag == self._skip[-1]:
            self._skip.pop()

    def handle_data(self, data: str) -> None:
        if self._skip:
            if self._skip[-1] == "script" and not self.marker:
                found = _PARKING_SCRIPT.search(data)
                if found:
                    self.marker = next(label for code, label in _PARKING_CODE
                                       if re.search(code, found.group(0), re.IGNORECASE))
            return
        (self.title if self._in_title else self.words).extend(data.split())


def read_page(body: bytes, charset: str | None, urls: Iterable[str] = ()) -> Page:
    """The :class:`Page` of an HTML ``body`` (at most :data:`SAMPLE_BYTES` of it is read).

    Words of the ``urls`` (the requested and final URL's path; numbers and words of three
    letters or more) count as one placeholder in the text fingerprint: a "not found" page that
    repeats the missing path is still the same page.
    """
    reader = _Reader()
    try:
        reader.feed(decode_body(body[:SAMPLE_BYTES], charset))
        reader.close()
    except (AssertionError, ValueError):  # html.parser gives up on some garbage: keep what it read
        pass
    echoed = {word.lower() for url in urls for word in _WORD.findall(unquote(_path(url)))
              if len(word) >= 3 or _DIGITS.search(word)}
    tokens = ["\x00" if word.lower() in echoed else _DIGITS.sub("0", word.lower())
              for word in reader.title + reader.words]
    shingles = _shingles(tokens, 3)
    visible = " ".join(reader.title + reader.words)
    wording = _PARKING_WORDS.search(" ".join(visible.split()))
    return Page(
        text=frozenset(sorted(shingles)[:SKETCH]),
        tags=frozenset(sorted(_shingles(reader.tags, 4))[:SKETCH]),
        words=len(reader.words),
        shingles=len(shingles),
        shell=reader.scripts > 0 and len(reader.words) <= (MOUNTED_WORDS if reader.mount
                                                           else SHELL_WORDS),
        marker=reader.marker,
        wording=wording.group(0).lower() if wording else "",
    )


def similar(page: Page, probe: Page) -> float | None:
    """How alike ``page`` is to the ``probe``'s page (0-1) when it is the same page, else None
    (also when either has no markup to compare)."""
    if not page.tags or not probe.tags:
        return None
    tags = _jaccard(page.tags, probe.tags)
    if tags < TAGS_ALIKE:
        return None
    if page.words <= SHELL_WORDS and probe.words <= SHELL_WORDS:
        return tags  # no text to compare: the structure decides
    if min(page.words, probe.words) < LENGTH_ALIKE * max(page.words, probe.words):
        return None
    text = _jaccard(page.text, probe.text)
    if text < TEXT_ALIKE or _novel(page, probe) > NOVEL_MAX:
        return None
    return (text + tags) / 2


def classify(url: str, final_url: str | None, page: Page | None,
             probe: Probe | None) -> tuple[Verdict, str] | None:
    """The soft-dead verdict of a ``200`` answer to ``url`` and why, or None (alive).

    ``final_url`` is where its redirects ended (None without redirects); ``page`` is its
    page (None when not HTML or not read); ``probe`` the origin's answer to a missing path.
    """
    deep = not is_root(url)
    if final_url is not None and deep and is_root(final_url):
        return Verdict.REDIRECT_TO_ROOT, "redirected to the site's home page"
    if page is not None and page.marker:
        return Verdict.PARKED, f"parking marker: {page.marker}"
    same_target = (probe is not None and not probe.missing_is_404 and final_url is not None
                   and probe.final_url is not None and _same_url(final_url, probe.final_url)
                   and not is_root(final_url))
    alike = None
    if (probe is not None and not probe.missing_is_404 and page is not None
            and probe.page is not None and not (probe.final_url and is_root(probe.final_url))):
        alike = similar(page, probe.page)
    missing_alike = same_target or alike is not None
    if page is not None and page.wording and (missing_alike or page.words <= TINY_WORDS):
        return Verdict.PARKED, f"parking marker: \u201c{page.wording}\u201d"
    target = final_url or url
    if same_target and _path(target).rstrip("/").endswith("/lander"):
        return Verdict.PARKED, "parking marker: every path is redirected to a parking lander"
    if not deep or not missing_alike or probe is None:
        return None
    if page is not None and page.shell and probe.page is not None and probe.page.shell:
        return Verdict.UNVERIFIABLE, ("every path answers the same app shell: the content is "
                                      "rendered by JavaScript")
    if same_target:
        return Verdict.SOFT_404, "redirected to the same page as a missing path on this site"
    return Verdict.SOFT_404, f"same page as a missing path on this site, similarity {alike:.2f}"


def is_root(url: str) -> bool:
    """Whether ``url`` is a site's home page: no path beyond ``/`` (or an index file), no query."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    path = parts.path.lower()
    return not parts.query and path in ("", "/", "/index.html", "/index.htm", "/index.php")


def _same_url(a: str, b: str) -> bool:
    try:
        pa, pb = urlsplit(a), urlsplit(b)
    except ValueError:
        return False
    return (pa.netloc.lower(), pa.path or "/", pa.query) == (pb.netloc.lower(), pb.path or "/",
                                                           pb.query)


def _path(url: str) -> str:
    try:
        return urlsplit(url).path
    except ValueError:
        return ""


def _host(src: str) -> str:
    try:
        return (urlsplit(src.strip()).hostname or "").lower()
    except ValueError:
        return ""


def _parking_host(host: str) -> bool:
    """A parking service's host (a plain host name: it is quoted in the evidence)."""
    return _HOST_NAME.fullmatch(host) is not None and any(
        host == known or host.endswith("." + known) for known in PARKING_HOSTS)


def might_be_parked(body: bytes, charset: str | None) -> bool:
    """A quick look (no parsing) for anything :func:`read_page` could take for a parking
    marker: when it finds none and the site answers missing paths with 404, the page is alive
    without being parsed."""
    text = decode_body(body[:SAMPLE_BYTES], charset)
    return bool(_PARKING_SCRIPT.search(text) or _PARKING_WORDS.search(" ".join(text.split()))
                or any(host in text for host in PARKING_HOSTS))


def decode_body(body: bytes, charset: str | None) -> str:
    """``body`` as text in its ``charset`` (UTF-8 when unknown), undecodable bytes replaced."""
    try:
        return body.decode(charset or "utf-8", "replace")
    except LookupError:  # a charset Python does not know
        return body.decode("utf-8", "replace")


def _shingles(items: list[str], size: int) -> set[int]:
    """The hashes of the ``size``-shingles of ``items`` (one shingle when fewer, none if empty)."""
    if not items:
        return set()
    return {_hash(" ".join(items[i:i + size])) for i in range(max(1, len(items) - size + 1))}


def _hash(shingle: str) -> int:
    """A stable 32-bit hash (a sketch is a sample only if the hash scatters like a random one:
    CRC-32 of look-alike shingles does not)."""
    digest = hashlib.blake2b(shingle.encode("utf-8", "replace"), digest_size=4).digest()
    return int.from_bytes(digest, "big")


def _novel(page: Page, probe: Page) -> float:
    """About how many of ``page``'s text shingles the probe's page lacks: exact below both
    sketches' cut-offs, scaled up to the page's count."""
    cut = min(max(sketch) if len(sketch) >= SKETCH else float("inf")
              for sketch in (page.text, probe.text))
    below = [h for h in page.text if h <= cut]
    if not below:
        return float(page.shingles)
    return sum(1 for h in below if h not in probe.text) * page.shingles / len(below)


def _jaccard(a: frozenset[int], b: frozenset[int]) -> float:
    """Jaccard similarity estimated from two bottom-k sketches (exact for small sets)."""
    if not a and not b:
        return 1.0
    union = sorted(a | b)[:SKETCH]
    both = sum(1 for h in union if h in a and h in b)
    return both / len(union)
