"""Issue 11: the costliest rules do a fixed amount of work per entry, counted in operations
(calls), not seconds: the same per entry at 300 and 1,200 entries, the shared and skipped work
done once or not at all."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import awesome_lint.budget
from awesome_lint.parse import parse
from awesome_lint.rules import (
    _repeats,
    alphabetical_order,
    entry_url,
    unbalanced_brackets,
    unrendered_link,
)
from awesome_lint.rules.alphabetical_order import AlphabeticalOrder
from awesome_lint.rules.duplicate_link import DuplicateLink
from awesome_lint.rules.entry_url import EntryUrl
from awesome_lint.rules.shared_link import SharedLink
from awesome_lint.rules.unbalanced_brackets import UnbalancedBrackets
from awesome_lint.rules.unrendered_link import UnrenderedLink

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from entries_scale import synthetic

RULES = (AlphabeticalOrder, DuplicateLink, SharedLink, UnrenderedLink, UnbalancedBrackets,
         EntryUrl)


def _varied(entries: int) -> str:
    """A list of ``entries`` entries in sections of 100 that gives each rule work: names with
    capitals and accents, brackets and quotes, a link repeated, an entry out of order, a space
    in a URL."""
    lines = ["# Awesome Varied", ""]
    for s in range(0, entries, 100):
        lines += [f"## Part {s}", ""]
        for i in range(s, min(entries, s + 100)):
            name = f"Ärger {i:06d}" if i % 7 == 0 else f"name {i:06d}"
            url = f"https://Example.org/p{i}"
            if i % 10 == 9:  # the entry before, again (AL301); its page, another name (AL304)
                name, url = f"name {i - 1:06d}", f"https://example.org/p{i - 1}"
            elif i % 10 == 5:
                url = f"https://example.org/p{i - 1}/"
            text = f"Does (it) \"{i}\"." if i % 3 else "Does it."
            lines.append(f"- [{name}]({url}) - {text}")
        lines += [f"- [aaa {s}](https://example.org/a b{s}) - Last, out of order.", ""]
    return "\n".join(lines) + "\n"


_COUNT = """\
import sys
from awesome_lint.parse import parse
from awesome_lint.registry import load_rules
from awesome_lint.rules import _repeats
sys.path.insert(0, sys.argv[1])
import test_linear_rules as t

def calls(rule, doc):
    count = 0
    def profile(frame, event, arg):
        nonlocal count
        count += event in ("call", "c_call")
    sys.setprofile(profile)
    try:
        list(rule().check(doc))
    finally:
        sys.setprofile(None)
    return count

rules = {r.code: r for r in load_rules()}
for make in (t.synthetic, t._varied):
    for size in (300, 1200):
        doc = parse(make(size), "list.md")
        for code in sys.argv[2:]:
            _repeats._NORMALISED.clear()
            print(make.__name__, size, code, calls(rules[code], doc))
"""


def test_the_work_per_entry_does_not_grow_with_the_list() -> None:
    """Function calls (Python and C) of each rule's check at 300 and 1,200 entries: 4 times as
    many, not 16. Counted in a fresh interpreter: other tests' timers and hooks stay out."""
    proc = subprocess.run([sys.executable, "-c", _COUNT, str(Path(__file__).parent),
                           *(r.code for r in RULES)],
                          capture_output=True, text=True, timeout=600, check=True)
    counts = {}
    for line in proc.stdout.splitlines():
        make, size, code, calls = line.split()
        counts[make, int(size), code] = int(calls)
    assert len(counts) == 2 * 2 * len(RULES)
    for (make, size, code), small in counts.items():
        if size == 300:
            large = counts[make, 1200, code]
            assert small > 300 and large <= 4 * small * 1.02 + 100, (make, code, small, large)


@pytest.fixture
def normalised(monkeypatch: pytest.MonkeyPatch) -> Iterator[Counter[str]]:
    calls: Counter[str] = Counter()
    real = _repeats.normalise_url

    def counting(url: str) -> str:
        calls[url] += 1
        return real(url)

    monkeypatch.setattr(_repeats, "normalise_url", counting)
    _repeats._NORMALISED.clear()
    yield calls
    _repeats._NORMALISED.clear()


def test_duplicate_and_shared_link_normalise_each_url_once(normalised: Counter[str]) -> None:
    doc = parse(_varied(300), "list.md")
    duplicates = list(DuplicateLink().check(doc))
    shared = list(SharedLink().check(doc))
    assert duplicates and shared  # both rules found something ...
    links = {e.link.url for e in doc.iter_entries() if e.link is not None}
    assert set(normalised) == links  # ... after normalising every entry's URL ...
    assert set(normalised.values()) == {1}  # ... once for the two of them ...
    assert _repeats._NORMALISED == {}  # ... and none is kept after the run


def _readings_tried(monkeypatch: pytest.MonkeyPatch, names: list[str]) -> int:
    calls = 0
    real = alphabetical_order.out_of_order

    def counting(keys: Any) -> list[int]:
        nonlocal calls
        calls += 1
        return real(keys)

    monkeypatch.setattr(alphabetical_order, "out_of_order", counting)
    text = "# T\n\n" + "".join(f"- [{n}](https://example.org/{i})\n" for i, n in
                               enumerate(names))
    list(AlphabeticalOrder().check(parse(text, "list.md")))
    return calls


@pytest.mark.parametrize(("names", "tried"), [
    (["alpha", "beta", "gamma"], 1),  # sorted as usual: the first reading
    (["beta", "gamma", "alpha"], 1),  # each reading orders them alike: one is enough (was 16)
    (["Beta", "gamma", "alpha"], 2),  # case folded or as written
    (["Beta", "the gamma", "alpha"], 4),  # ... with or without the article
    (["Beta", "eta", "Éta", "alpha"], 4),  # ... accents stripped or kept
    # ... a name before or after its longer forms (where one is: with case folded only)
    (["Docker", "docker compose", "alpha"], 3),
])
def test_alphabetical_order_tries_each_distinct_reading_once(
        monkeypatch: pytest.MonkeyPatch, names: list[str], tried: int) -> None:
    assert _readings_tried(monkeypatch, names) == tried


def _count(monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> Counter[str]:
    calls: Counter[str] = Counter()
    real = getattr(module, name)

    def counting(*args: Any) -> Any:
        calls[name] += 1
        return real(*args)

    monkeypatch.setattr(module, name, counting)
    return calls


def test_entries_written_right_skip_the_slow_paths(monkeypatch: pytest.MonkeyPatch) -> None:
    """The usual entry: no gap or space to look at (AL208), no bracket to balance (AL402), a
    plain https URL (AL203)."""
    doc = parse(synthetic(300), "list.md")
    links = _count(monkeypatch, unrendered_link, "_link_starts")
    masked = _count(monkeypatch, unbalanced_brackets, "_masked")
    hosts = _count(monkeypatch, entry_url, "_host_port")
    for rule in (UnrenderedLink, UnbalancedBrackets, EntryUrl):
        assert list(rule().check(doc)) == []
    assert links == masked == hosts == Counter()


@pytest.mark.slow
def test_an_ordinary_list_of_100k_entries_is_within_the_memory_allowance(
        tmp_path: Path) -> None:
    """6.6 MB, under the 10 MB input limit: the command checks it (it needs ~285 MB of the
    100 MB + 40 x 6.6 MB it may add)."""
    path = tmp_path / "list.md"
    path.write_text(synthetic(100_000), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "awesome_lint", str(path)],
                          capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    need = 300_000_000
    assert awesome_lint.budget.memory_allowance(path.stat().st_size) > need * 1.15


def test_the_memo_of_normalised_urls_stays_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_repeats, "_NORMALISED_MAX", 50)
    _repeats._NORMALISED.clear()
    doc = parse(synthetic(300), "list.md")
    assert list(DuplicateLink().check(doc)) == []
    assert 0 < len(_repeats._NORMALISED) <= 50
    _repeats._NORMALISED.clear()
