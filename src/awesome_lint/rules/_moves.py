"""The fewest entries to move to put a sequence in order (for ToC and alphabetical order)."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Hashable, Sequence
from typing import Any, Protocol, TypeVar


class _Sortable(Hashable, Protocol):
    def __lt__(self, other: Any, /) -> bool: ...


K = TypeVar("K", bound=_Sortable)


def out_of_order(keys: Sequence[K]) -> list[int]:
    """Indices of the items outside one longest non-decreasing subsequence of ``keys``: moving
    just these sorts the sequence, and no smaller set does.

    Among equally long choices the earlier items stay, so in ``[b, a]`` it is ``a`` that moved,
    and one item far out of place (``[a, z, b, c]``) is the only one blamed.
    """
    rank = {key: i for i, key in enumerate(sorted(set(keys)))}
    # Walk backwards looking for a non-increasing run (so ties keep the earlier item).
    values = [-rank[key] for key in reversed(keys)]
    tails: list[int] = []  # tails[n]: the smallest last value of a run of length n + 1
    tail_at: list[int] = []  # position in ``values`` of that tail
    parent: list[int] = [-1] * len(values)
    for position, value in enumerate(values):
        length = bisect_right(tails, value)
        parent[position] = tail_at[length - 1] if length else -1
        if length == len(tails):
            tails.append(value)
            tail_at.append(position)
        else:
            tails[length] = value
            tail_at[length] = position
    kept: set[int] = set()
    position = tail_at[-1] if tail_at else -1
    while position >= 0:
        kept.add(len(keys) - 1 - position)
        position = parent[position]
    return [i for i in range(len(keys)) if i not in kept]
