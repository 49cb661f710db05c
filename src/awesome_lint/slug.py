"""Heading anchors exactly as GitHub computes them (the github-slugger algorithm)."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

# Letters, marks and numbers stay; so do "_", "-" and spaces (which become "-").
_KEPT_CATEGORIES = ("L", "M", "N")


def slugify(text: str) -> str:
    """The anchor GitHub gives a heading whose rendered text is ``text`` (before de-duplication).

    Lower-cased; punctuation, symbols and emoji dropped; each space becomes ``-``.
    """
    out = []
    for ch in text.lower():
        if ch == " ":
            out.append("-")
        elif ch in "-_" or unicodedata.category(ch)[0] in _KEPT_CATEGORIES:
            out.append(ch)
    return "".join(out)


class Slugger:
    """Hands out GitHub's anchors in document order: repeats get ``-1``, ``-2``..."""

    def __init__(self) -> None:
        self._seen: dict[str, int] = {}

    def slug(self, text: str) -> str:
        base = slugify(text)
        slug = base
        while slug in self._seen:
            self._seen[base] += 1
            slug = f"{base}-{self._seen[base]}"
        self._seen[slug] = 0
        return slug


def unique_slugs(texts: Iterable[str]) -> list[str]:
    """Slugs for headings in document order, de-duplicated as GitHub does."""
    slugger = Slugger()
    return [slugger.slug(text) for text in texts]
