"""AL201 entry-format: ``[Name](url) - Description.`` with the list's own separator, casing and
final punctuation (or the ones configured)."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator
from typing import NamedTuple

from awesome_lint.entries import strip_decorations
from awesome_lint.findings import Applicability, Edit, Fix, Severity, Violation
from awesome_lint.model import Document, Entry, Link, Span
from awesome_lint.rule import Option, Rule, Tier
from awesome_lint.rules._entry_text import name_link, tail_start
from awesome_lint.rules._style import dominant

#: In "consistent" mode a style is the list's own when nearly every entry uses it (``dominant``),
#: unless the deviation is the style of most of the entry's own list, if it has this many.
_LOCAL_MIN = 3

_FINAL = ".!?\u2026\u3002\uff01\uff1f\u203c\u2049"
_CLOSING = "\"'\u201d\u2019\u00bb\u203a)]}\u300d\u300f\uff09"
_DOUBLE = re.compile(r"[.!?\u2026][\"'\u201d\u2019\u00bb]+[.!?\u2026]+$")
_TRAILING_LINK = re.compile(r"\[([^\]\n]*)\]\([^)\s]*\)$")
_SHORTCODE = re.compile(r":[a-z0-9_+-]+:$")
# Endings that need no period: a URL, a quotation's attribution ("... — Jane Doe"), and
# an emoji whose bytes were mis-decoded (mojibake such as "ðŸ¤—").
_NO_PERIOD = re.compile(
    r"(?:https?://\S+"
    r"|(?:\u2014|\u2013|\u00e2\u20ac[\u201d\u201c]|--)\s*[^\s.]+(?:\s+[^\s.]+){0,3}"
    r"|\u00f0\S{1,3})$"
)
#: How much of a description's end :data:`_NO_PERIOD` looks at: its search retries at every
#: dash, each try reading to the end (quadratic on a long run of dashes).
_WINDOW = 1024
_LEADING = re.compile(r"^(?:[*_~\"'\u201c\u2018(\[\s]|!\[[^\]\n]*\]\([^)\s]*\))*")
_WORD = re.compile(r"[^\s,;:!?()\[\]]+")


class EntryParts(NamedTuple):
    """The parser's reading of an entry that names a resource (see :class:`Entry`)."""

    entry: Entry
    name: Link
    separator: str
    description: str

    @property
    def sep_span(self) -> Span:
        span = self.entry.separator_span
        assert span is not None
        return span

    @property
    def desc_start(self) -> Span:
        """An empty span where the description starts."""
        return self.entry.span_in_description(0, 0)


def _parts(doc: Document, entry: Entry) -> EntryParts | None:
    name = name_link(doc, entry)
    if name is None or entry.separator is None or entry.description is None:
        return None
    return EntryParts(entry, name, entry.separator, entry.description)


def _is_emoji(ch: str) -> bool:
    code = ord(ch)
    return (
        code >= 0x1F000
        or 0x2600 <= code <= 0x27BF
        or 0x2B00 <= code <= 0x2BFF
        or code in (0xFE0F, 0x200D, 0x20E3)
    )


def _trailing_link(text: str) -> re.Match[str] | None:
    """``_TRAILING_LINK.search(text)`` in linear time (the search retries at every ``[``,
    and each try reads to the end of the text: quadratic on ``[[[[``).

    The destination holds no ``)`` nor space, so its ``](`` is in the last run of such
    characters; a match's ``[`` is the leftmost after the ``]`` (or line break) that precedes
    that ``](``; the leftmost match belongs to the leftmost such ``](`` that has one.
    """
    body = text.removesuffix("\n")  # ``$`` also matches before a final line break
    if not body.endswith(")"):
        return None
    begin = len(body) - 1
    while begin > 0 and body[begin - 1] != ")" and not body[begin - 1].isspace():
        begin -= 1
    newline = body.rfind("\n")
    bracket = -1
    for opening in range(max(begin, 1), len(body) - 1):
        close = opening - 1
        if body[opening] != "(" or body[close] != "]":
            continue
        bracket = max(bracket, body.rfind("]", bracket + 1, close))
        start = body.find("[", max(bracket, newline) + 1, close)
        if start >= 0 and (m := _TRAILING_LINK.match(text, start)) is not None:
            return m
        bracket = close
    return None


def _ending(tail: str) -> tuple[str, str]:
    """The final-punctuation class of a description's text: ``P`` ends with punctuation,
    ``U`` without, ``D`` doubled around a closing quote, ``N`` neutral (closing quote or
    bracket, emoji, colon, nothing); and the text actually read."""
    text = tail.rstrip()
    while True:
        stripped = text.rstrip("*_~ \t\u00a0")
        m = _trailing_link(stripped)
        if m is None or (m.start() == 0 and not m.group(1)):
            break
        text = stripped[: m.start()] + m.group(1)
    text = text.rstrip("*_~ \t\u00a0")
    if not text:
        return "N", text
    last = text[-1]
    if _DOUBLE.search(text):
        return "D", text
    if last in _FINAL:
        return "P", text
    if last in _CLOSING or last == ":" or _SHORTCODE.search(text) or _is_emoji(last) or \
            _NO_PERIOD.search(text, max(len(text) - _WINDOW, 0)):
        return "N", text
    if unicodedata.category(last) == "So" and not 0x2500 <= ord(last) <= 0x259F:
        return "N", text  # other pictographs (box drawing and blocks excepted)
    return "U", text


def _casing(parts: EntryParts) -> tuple[str, int]:
    """``C`` capital, ``L`` lower-case, ``N`` neither (code, digits, camelCase names), and the
    offset of the first letter in the description."""
    desc = parts.description
    lead = _LEADING.match(desc)
    start = lead.end() if lead else 0
    if desc[start:start + 1] == "`":
        return "N", start
    m = _WORD.match(desc, start)
    if m is None:
        return "N", start
    word = m.group(0).strip("*_~.")
    if not word or not word[0].isalpha() or not _bicameral(word[0]):
        return "N", start
    if word[0].isupper():
        return "C", start
    if not word[0].islower():
        return "N", start
    if word.lower() in _LOWERCASE_NAMES:
        return "N", start
    name = parts.name.text.strip().lower().lstrip("~@#.$:/")
    if (
        any(c.isupper() or c.isdigit() for c in word)
        or any(c in word[1:] for c in "./_@")
        or (name and word.lower().startswith(name.split()[0] if name.split() else name))
    ):
        return "N", start  # iOS, jQuery, node.js, or the (lower-case) name itself
    return "L", start


_CONNECTIVES = frozenset(
    ("by", "from", "and", "or", "for", "in", "on", "with", "of", "to", "at", "via", "as",
     "is", "are", "was", "has", "&", "+", "-", "(", ",", ";", "by:")
)


def _continues_name(description: str) -> bool:
    """True when the text after the name reads on from it (``[Book](url) by Jane``)."""
    rest = strip_decorations(description)
    words = rest.split(maxsplit=1)
    return (not words or words[0].lower() in _CONNECTIVES or words[0][0] in "([,;&+"
            or not any(c.isalnum() for c in rest))  # only emoji or symbols: a simple entry


# Names that are written in lower case even at the start of a sentence.
_LOWERCASE_NAMES = frozenset(
    ("npm", "pnpm", "npx", "yarn", "git", "vim", "neovim", "emacs", "bash", "zsh", "fish",
     "curl", "wget", "ssh", "sudo", "make", "cmake", "webpack", "esbuild", "vite", "gulp",
     "grunt", "deno", "bun", "pip", "conda", "cargo", "rustc", "rustup", "go", "gofmt",
     "kubectl", "helm", "jq", "awk", "sed", "grep", "tmux", "htop", "ffmpeg", "i3", "dwm",
     "x86", "arm64", "wasm", "xkcd", "ggplot2", "dplyr", "tidyverse", "spacy", "fastai")
)


def _bicameral(ch: str) -> bool:
    """Latin, Greek and Cyrillic letters: scripts where a capital is expected."""
    try:
        return unicodedata.name(ch).startswith(("LATIN", "GREEK", "CYRILLIC"))
    except ValueError:
        return False


def _first_word(description: str, offset: int) -> str:
    m = _WORD.match(description, offset)
    return m.group(0).lower() if m else ""


def _simple(description: str) -> bool:
    """A note after the name rather than a sentence: ``(2019)``, an emoji."""
    rest = strip_decorations(description).strip()
    return not any(c.isalnum() for c in rest) or rest.startswith("(")


def _dominant(counts: Counter[str], explicit: str | None) -> str | None:
    return explicit if explicit is not None else dominant(counts)


class EntryFormat(Rule):
    """Separator, description casing and final punctuation of ``[Name](url) - Description.``."""

    code = "AL201"
    name = "entry-format"
    summary = ("Entries follow one shape: the list's separator, description casing and final "
               "punctuation.")
    severity = Severity.WARNING
    tier = Tier.AWESOME
    fixable = True
    options = (
        Option("separator", "consistent",
               "The text between the name and the description, e.g. \" - \"; 'consistent' "
               "(the one most entries use) or 'any'."),
        Option("final-punctuation", "consistent",
               "'required', 'forbidden', 'any', or 'consistent' (what most entries do).",
               choices=("consistent", "required", "forbidden", "any")),
        Option("description-case", "consistent",
               "'capital', 'lowercase', 'any', or 'consistent' (what most entries do).",
               choices=("consistent", "capital", "lowercase", "any")),
        Option("require-description", False,
               "Report entries that are only a link, with no description."),
    )

    def check(self, doc: Document) -> Iterator[Violation]:
        entries = [p for e in doc.iter_entries() if (p := _parts(doc, e)) is not None]
        described = [p for p in entries if p.description.strip()]
        self._block = {id(e): index for index, lst in enumerate(doc.iter_lists())
                       for e in lst.iter_entries()}
        if self.settings["require-description"]:
            for p in entries:
                if not p.description.strip():
                    yield Violation(p.name.span, "Entry has no description; add a separator "
                                    "and a short description after the link")
        yield from self._separators(described)
        yield from self._punctuation(doc, described)
        yield from self._case(doc, described)

    def _local(self, values: list[tuple[EntryParts, str]],
               consistent: bool) -> Callable[[EntryParts, str], bool]:
        """Whether a value is the own style of the entry's list: a section may keep its own
        style (a table of datasets written without separators) in consistent mode."""
        per_block: dict[int, Counter[str]] = {}
        for p, value in values:
            per_block.setdefault(self._block.get(id(p.entry), -1), Counter())[value] += 1

        def local(p: EntryParts, value: str) -> bool:
            counts = per_block.get(self._block.get(id(p.entry), -1), Counter())
            total = sum(counts.values())
            return consistent and total >= _LOCAL_MIN and counts[value] * 2 > total

        return local

    def _separators(self, described: list[EntryParts]) -> Iterator[Violation]:
        configured: str = self.settings["separator"]
        if configured == "any":
            return
        counts = Counter(p.separator for p in described)
        expected = _dominant(counts, None if configured == "consistent" else configured)
        if not expected:
            return  # no dominant style, or most entries use no separator at all
        whose = "this list's" if configured == "consistent" else "the configured"
        local = self._local([(p, p.separator) for p in described], configured == "consistent")
        for p in described:
            if p.separator == expected or local(p, p.separator):
                continue
            if not p.separator:
                if _continues_name(p.description):
                    continue
                yield Violation(p.desc_start, f"No separator between the name and the "
                                f"description; write {expected!r} ({whose} separator) there")
                continue
            # A separator at the end of a line: replacing it would leave trailing spaces.
            fix = None if p.description.startswith("\n") else Fix((Edit(p.sep_span, expected),))
            yield Violation(p.sep_span, f"Separator {p.separator!r} differs from {whose} "
                            f"{expected!r}; use {expected!r}", fix)

    def _punctuation(self, doc: Document, described: list[EntryParts]) -> Iterator[Violation]:
        mode: str = self.settings["final-punctuation"]
        if mode == "any":
            return
        classified: list[tuple[EntryParts, str, str, int]] = []
        for p in described:
            if not p.separator and _simple(p.description):
                continue
            end = tail_start(p.description)
            kind, text = _ending(p.description[:end])
            classified.append((p, kind, text, end))
        counts: Counter[str] = Counter(
            "P" if k in ("P", "D") else k for _, k, _, _ in classified if k != "N"
        )
        explicit = {"required": "P", "forbidden": "U"}.get(mode)
        expected = _dominant(counts, explicit)
        if expected is None:
            return
        local = self._local([(p, k) for p, k, _, _ in classified], explicit is None)
        for p, kind, text, end in classified:
            if local(p, kind):
                continue
            where = _last_char(p, end)
            if expected == "P" and kind == "U":
                at = Span(where.end_line, where.end_column, where.end_line, where.end_column)
                fix = Fix((Edit(at, "."),), Applicability.UNSAFE)
                yield Violation(where, "Description does not end with punctuation, unlike "
                                + ("this list's entries" if explicit is None else
                                   "the configured style") + "; end it with '.'", fix)
            elif expected == "P" and kind == "D":
                yield Violation(where, "Description ends with doubled punctuation around a "
                                "closing quote; keep only one final mark")
            elif expected == "U" and kind in ("P", "D") and text.endswith(".") and not \
                    text.endswith(".."):
                fix = Fix((Edit(where, ""),), Applicability.UNSAFE)
                yield Violation(where, "Description ends with a period, unlike "
                                + ("this list's entries" if explicit is None else
                                   "the configured style") + "; remove it", fix)

    def _case(self, doc: Document, described: list[EntryParts]) -> Iterator[Violation]:
        mode: str = self.settings["description-case"]
        if mode == "any":
            return
        classified = [(p, *_casing(p)) for p in described if p.separator]
        counts = Counter(k for _, k, _ in classified if k != "N")
        explicit = {"capital": "C", "lowercase": "L"}.get(mode)
        expected = _dominant(counts, explicit)
        if expected is None:
            return
        whose = "this list's descriptions" if explicit is None else "the configured style"
        # In consistent mode, a first word is reported only when the list writes the same
        # word the other way at the start of another description: a lower-case first word is
        # often a name (libfoo, npm) that the list never capitalises.
        seen = {(_first_word(p.description, offset), kind) for p, kind, offset in classified}
        local = self._local([(p, k) for p, k, _ in classified], explicit is None)
        for p, kind, offset in classified:
            if kind == "N" or kind == expected:
                continue
            if explicit is None and (_first_word(p.description, offset), expected) not in seen:
                continue
            if local(p, kind):
                continue
            span = p.entry.span_in_description(offset, offset + 1)
            if expected == "C":
                yield Violation(span, f"Description starts with a lower-case letter, unlike "
                                f"{whose}; capitalise its first word")
            else:
                yield Violation(span, f"Description starts with a capital letter, unlike "
                                f"{whose}; write its first word in lower case")


def _last_char(p: EntryParts, end: int) -> Span:
    """The span of the description's last character before trailing metadata."""
    stop = len(p.description[:end].rstrip())
    return p.entry.span_in_description(max(stop - 1, 0), stop)
