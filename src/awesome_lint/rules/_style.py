"""The "consistent" mode of the style rules (AL102, AL104, AL201): a list's own style is the one
nearly all of it uses, and a list split between two styles has none; not a rule itself."""

from __future__ import annotations

from collections import Counter
from typing import TypeVar

#: A style is a list's own when at least this share of the list uses it...
DOMINANT_SHARE = 0.9
#: ...or when a single item deviates from it among at least this many: the odd one out of a
#: short list. A deviation is reported only where the list is otherwise consistent, never in a
#: 60/40 split.
ODD_ONE_AMONG = 4

T = TypeVar("T")


def dominant(counts: Counter[T]) -> T | None:
    """The style ``counts`` hold to (see :data:`DOMINANT_SHARE`), else None."""
    total = sum(counts.values())
    if not total:
        return None
    value, count = counts.most_common(1)[0]
    if count / total >= DOMINANT_SHARE or (total >= ODD_ONE_AMONG and count == total - 1):
        return value
    return None
