"""The fewest moves that sort a sequence (ToC order, alphabetical order)."""

from __future__ import annotations

import itertools
import random

import pytest

from awesome_lint.rules._moves import out_of_order


@pytest.mark.parametrize(("keys", "moved"), [
    ("", []), ("abc", []), ("aab", []), ("ba", [1]), ("azbcd", [1]), ("bcda", [3]),
    ("dcba", [1, 2, 3]), ("abzcdyef", [2, 5]),
])
def test_blames_the_items_that_moved(keys: str, moved: list[int]) -> None:
    assert out_of_order(list(keys)) == moved


def _fewest_moves(keys: list[int]) -> int:
    """Brute force: the smallest number of items whose removal leaves a sorted sequence."""
    for size in range(len(keys) + 1):
        for removed in itertools.combinations(range(len(keys)), size):
            rest = [k for i, k in enumerate(keys) if i not in removed]
            if rest == sorted(rest):
                return size
    raise AssertionError("unreachable")


def test_moves_are_minimal_and_sort_the_rest() -> None:
    rng = random.Random(13)
    for _ in range(300):
        keys = [rng.randrange(5) for _ in range(rng.randrange(9))]
        moved = out_of_order(keys)
        rest = [k for i, k in enumerate(keys) if i not in moved]
        assert rest == sorted(rest)
        assert len(moved) == _fewest_moves(keys)
