"""Entries whose main links repeat (AL301, AL304), and whether two entry names name the same
thing; not a rule itself."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from fnmatch import fnmatchcase

from awesome_lint.lazy_re import lazy_compile
from awesome_lint.model import Document, Link
from awesome_lint.rule import Option
from awesome_lint.urls import is_web_url, normalise_url

ALLOW = Option(
    "allow",
    [],
    "URL patterns (shell-style wildcards, matched against the URL as written) that may appear "
    "in more than one entry.",
)

_WORD = re.compile(r"[^\W_]+")
# Where a name splits into readings: "DPR (Dense Passage Retrieval)", "NLTK - The Book",
# "SeamlessM4T / Seamless".
_PARTS = lazy_compile(r"\s+[-\u2013\u2014/|]\s+|:\s+|\s*[()\[\]]\s*")
_REPO = re.compile(r"[\w.-]+/[\w.-]+")


ACROSS_SECTIONS = Option(
    "across-sections",
    True,
    "Report a link repeated under different headings too; false: only within one section, for "
    "lists that file a resource under every heading it belongs to on purpose.",
)


#: URLs normalised and not asked for again yet: AL301 and AL304 both need every entry's, and
#: the second rule of a run takes what the first left (so a run that has both ends with it
#: empty). Emptied when full (a rule run alone); strings only: the cycle collector never
#: looks at it.
_NORMALISED: dict[str, str] = {}
_NORMALISED_MAX = 1 << 17


def _normalised(url: str) -> str:
    """:func:`normalise_url`, done once for two calls."""
    key = _NORMALISED.pop(url, None)
    if key is None:
        if len(_NORMALISED) >= _NORMALISED_MAX:
            _NORMALISED.clear()
        key = _NORMALISED[url] = normalise_url(url)
    return key


def repeated_links(doc: Document, allowed: list[str],
                   across_sections: bool = True) -> Iterator[tuple[Link, list[Link]]]:
    """Each entry's main link (a web URL not ``allowed``) that an earlier entry's main link
    already names after normalisation (in the same section, unless ``across_sections``), with
    those earlier links in source order."""
    seen: dict[tuple[str, int], list[Link]] = {}
    for number, section in enumerate(doc.iter_sections()):
        scope = 0 if across_sections else number
        for lst in section.lists:
            for entry in lst.iter_entries():
                link = entry.link
                if link is None or not is_web_url(link.url):
                    continue
                if allowed and any(fnmatchcase(link.url, pattern) for pattern in allowed):
                    continue
                earlier = seen.setdefault((_normalised(link.url), scope), [])
                if earlier:
                    yield link, list(earlier)
                earlier.append(link)


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def _words(text: str) -> tuple[str, ...]:
    """The words of ``text`` as compared: lower case, plurals made singular, punctuation left
    out (``K-Nearest`` is ``knearest``), a leading "the" dropped."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    words = [w for t in folded.split() if (w := _singular("".join(_WORD.findall(t))))]
    return tuple(words[1:] if len(words) > 1 and words[0] == "the" else words)


def _readings(name: str) -> list[tuple[str, tuple[str, ...]]]:
    """The name and its parts (around dashes, slashes, colons, in and out of parentheses;
    both halves of ``owner/repo``), each as written and as words."""
    name = name.strip()
    parts = [name, *_PARTS().split(name)]
    if _REPO.fullmatch(name):
        parts += name.split("/")
    return [(p.strip(), w) for p in parts if (w := _words(p))]


def _acronym(short: str, long: str) -> bool:
    """``BPE`` for ``Byte-Pair Encoding``: a capitalised word made of the other's initials."""
    words = _WORD.findall(long.casefold())
    return (len(short) >= 2 and short.isalpha() and short.isupper() and len(words) >= 2
            and short.casefold() == "".join(w[0] for w in words))


def same_name(a: str, b: str) -> bool:
    """Whether two entry names name the same thing: equal but for case, spacing, punctuation
    and plurals (``fast-bert``, ``FastBert``), one a reading of the other (``DPR (Dense Passage
    Retrieval)``, ``owner/repo``), one the first words of the other (``C4.5``, ``C4.5
    algorithm``; but not ``uv``, ``uv-build``), or an acronym of the other (``BPE``,
    ``Byte-Pair Encoding``)."""
    for text_a, words_a in _readings(a):
        for text_b, words_b in _readings(b):
            if "".join(words_a) == "".join(words_b):
                return True
            short, long = sorted((words_a, words_b), key=len)
            if long[:len(short)] == short:
                return True
            if _acronym(text_a, text_b) or _acronym(text_b, text_a):
                return True
    return False
