"""How the text after an entry's name divides into decorations, separator and description.

The parser (:mod:`awesome_lint.parse`) finds the entry's main link in mistune's tokens, then
reads the rest of the entry's first paragraph here, once; the result is on the
:class:`~awesome_lint.model.Entry`. Rules read those fields and never split the text again.
"""

from __future__ import annotations

import re

# Separators between the name and the description: dashes, colons, bars, or a line break
# (``<br>``: the name on a line of its own), with any spacing.
SEPARATOR = re.compile(r"[ \t\u00a0]*(?:[-\u2013\u2014:|]+|<[bB][rR][ \t]*/?>)[ \t\u00a0]*")
#: An image, ``![alt](src)``, and a link, ``[text](url)``, as the patterns below write them.
IMAGE = r"!\[[^\]\n]*\]\([^)\s]*\)"
LINK = r"\[[^\]\n]*\]\([^)\s]*\)"
#: Decorations that may sit between the name link and the separator.
DECORATION = re.compile(
    r"[ \t\u00a0]*(?:"
    rf"\[{IMAGE}\]\([^)\s]*\)"  # badge: [![alt](img)](url)
    rf"|{IMAGE}"
    rf"|\[{LINK}(?:\s*,\s*{LINK})*\]"  # [[crate](url)], [[a](u), [b](v)]
    r"|\[\[[^\]\n]*\]\]\([^)\s]*\)"  # [[crate]](url)
    rf"|{LINK}"
    r"|\([^()\n]{1,60}\)"  # (2024), (NVIDIA, 2024)
    r"|`[^`\n]+`"
    r"|\*\*[^*\n]+\*\*|__[^_\n]+__|\*[^*\n]+\*|_[^_\n]+_"
    r")"
)
_SPACES = " \t\u00a0"


def separator_after(text: str, offset: int) -> tuple[int, int]:
    """Where the separator is in ``text`` after the name, which ends at ``offset``: its start
    and end offsets (equal when there is none; then the description starts at the end).

    Decorations between the name and a separator are stepped over. Without a separator the
    description starts after the spaces that follow the name, decorations included; with
    nothing but decorations there is no description (both offsets are ``len(text)``).
    """
    pos = offset
    while True:
        m = SEPARATOR.match(text, pos)
        if m is not None:
            return m.start(), m.end()
        d = DECORATION.match(text, pos)
        if d is None or d.end() == pos:
            break
        pos = d.end()
    if not text[pos:].strip():
        return len(text), len(text)
    end = offset
    while end < len(text) and text[end] in _SPACES:
        end += 1
    return end, end


def strip_decorations(text: str) -> str:
    """``text`` without leading decorations (badges, ``(2024)``, ``[[crate](url)]``...)."""
    pos = 0
    while (m := DECORATION.match(text, pos)) is not None and m.end() > pos:
        pos = m.end()
    return text[pos:]
