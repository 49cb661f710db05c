"""Heading anchors exactly as GitHub computes them (the github-slugger algorithm)."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

# What github-slugger keeps: letters, marks, decimal and letter numbers, connector punctuation
# ("_", "‿"...), the ASCII "-", and ASCII spaces (which become "-"). Other numbers ("²", "½",
# "①"), other punctuation and symbols go, except the symbols Unicode counts as alphabetic.
_KEPT_CATEGORIES = frozenset({"Lu", "Ll", "Lt", "Lm", "Lo", "Mn", "Mc", "Me", "Nd", "Nl", "Pc"})
# Other_Symbol characters with the Alphabetic property: circled, squared and negative circled or
# squared Latin letters ("Ⓐ", "🅰").
_ALPHABETIC_SYMBOLS = ((0x24B6, 0x24E9), (0x1F130, 0x1F149), (0x1F150, 0x1F169),
                       (0x1F170, 0x1F189))


def _kept(ch: str) -> bool:
    code = ord(ch)
    if 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF:
        return False  # variation selectors (the emoji presentation U+FE0F): GitHub drops them
    if ch == "-" or unicodedata.category(ch) in _KEPT_CATEGORIES:
        return True
    return any(low <= code <= high for low, high in _ALPHABETIC_SYMBOLS)


def slugify(text: str) -> str:
    """The anchor GitHub gives a heading whose rendered text is ``text`` (before de-duplication).

    Lower-cased; punctuation, symbols and emoji dropped; each space becomes ``-``.
    """
    return "".join("-" if ch == " " else ch for ch in text.lower() if ch == " " or _kept(ch))


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
