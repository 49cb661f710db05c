"""Fuzzing the parser, every offline rule and ``--fix`` on generated Markdown (hypothesis).

Properties: nothing raises; every finding's span lies inside the file and points at what the
finding names; ``fix_text`` (safe, and with ``unsafe=True``) is idempotent and lossless: every
web URL and every entry survives, and lines that no edit touches are kept.

CI runs the "ci" profile; ``pytest tests/test_fuzz.py --hypothesis-profile=fuzz`` runs 5,000
documents per property.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from urllib.parse import unquote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from awesome_lint.config import Config
from awesome_lint.engine import MAX_FIX_PASSES, fix_text, lint_document
from awesome_lint.findings import Finding
from awesome_lint.fixes import applicable, apply_fixes
from awesome_lint.model import Document, LinkKind, Span
from awesome_lint.parse import parse
from awesome_lint.registry import load_rules
from awesome_lint.source import normalise_newlines
from test_positions import _markdown_it_structure, _our_structure, assert_invariants

RULES = load_rules()  # every rule, the opt-in ones (AL303) included
CONFIG = Config()
FUZZ = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                      HealthCheck.data_too_large])

# -- the generator ------------------------------------------------------------------------------

_NAMES = st.sampled_from([
    "Alpha", "alpha", "Beta", "Beta", "Ünïcode", "日本語", "🤗 Hugging", "", " ", "a\\]b",
    "ðŸ¤— Emoji", "Zero\u200bWidth", "`code`", "**Bold**", "Name (2024)", "C++", "https://x.example",
    "â€œQuotedâ€\x9d", "Tab\tName",
])
_URLS = st.sampled_from([
    "https://ex.example/a", "http://ex.example/b", "https://ex.example/a_(b)",
    "https://ex.example/ü/日本", "https://ex.example/a\u200bb", "https://ex.example/a b",
    "<https://ex.example/sp ace>", "#section-a", "#alpha", "#contents", "#Section-A", "#missing",
    "docs/file.md", "", "https://ex.example/a?b=1&c=2#f", "https://ex.example/p)",
    "www.example.com", "mailto:a@b.example", "https://ex.example/a\u00a0b", "https://ex.example/â€”x",
    "https://ex.example/a", "HTTPS://EX.EXAMPLE/UP", "https://ex.example/a.", "//ex.example/pr",
    "https://ex.example/\u202eevil", "https://awesome.re", "https://ex.example/a\u00adb",
])
_IMAGES = st.sampled_from([
    "https://awesome.re/badge.svg", "https://img.shields.io/x.svg", "pic.png", "https://ex.example/i.png",
])
_DESCRIPTIONS = st.sampled_from([
    "Does things.", "does things", "Does things..", "Things ,and more", "Commas,, here.",
    "Done;;", "Text â€” dash.", "Emoji ðŸ¤—", "Tab\there.", "Zero\u200bwidth.", "Bidi\u202eover.",
    "`code` first.", "*Emphasis*.", "(2024)", "Quote — Jane Doe", "Soft\u00adhyphen.", "",
    "Unbalanced (paren.", "Quote \"open.", "See https://bare.example/x.", "See <https://auto.example>.",
    "Alpha does alpha.", "[![b](https://img.shields.io/y.svg)](https://ex.example/badge)",
    "Mixed ÅukasZ.", "Lead Ã©tÃ©.", "Two  spaces.", "Ends with colon:", "Ends with emoji 🎉",
    "Link [inside](https://ex.example/inside) text.", "Has a\\\nbreak.", "&amp; entity.",
])
_SEPARATORS = st.sampled_from([" - ", " \u2013 ", " \u2014 ", ": ", " | ", " ", "-", " -  ", "",
                               " -\t"])


@st.composite
def _link(draw: st.DrawFn) -> str:
    name, url = draw(_NAMES), draw(_URLS)
    kind = draw(st.sampled_from(["inline", "inline", "inline", "image", "badge", "reference",
                                 "collapsed", "autolink", "bare", "empty", "html", "titled"]))
    if kind == "image":
        return f"![{name}]({draw(_IMAGES)})"
    if kind == "badge":
        return f"[![{name}]({draw(_IMAGES)})]({url})"
    if kind == "reference":
        return f"[{name}][{draw(st.sampled_from(['r1', 'R1', 'r2', 'nope']))}]"
    if kind == "collapsed":
        return f"[{name}][]"
    if kind == "autolink":
        return f"<{url.strip('<>')}>"
    if kind == "bare":
        return url.strip("<>")
    if kind == "empty":
        return f"[]({url})"
    if kind == "html":
        return f'<a href="{url}">{name}</a>'
    if kind == "titled":
        return f'[{name}]({url} "Title")'
    return f"[{name}]({url})"


_HEADINGS = st.sampled_from([
    "Contents", "Table of Contents", "Section A", "Section A", "Alpha", "Tools", "Émoji 🤗",
    "Libraries & Tools", "C++", "What?", "Awesome Test", "Section-A", "ðŸ¤— Mojibake", "",
    "Head [link](https://ex.example/h)", "Tab\there", "Zero\u200bwidth",
])
_HEADING_ENDS = st.sampled_from(["", "", ".", ":", " ", "  ", " #", " ##", "!", "?", " 🤗", "...",
                                 ",", ";", "\t"])
_TRAILING = st.sampled_from(["", "", "", "", " ", "  ", "   ", "\t", " \t", "\u00a0"])
_HTML = st.sampled_from([
    "<details>", "<summary>Click</summary>", "</details>", '<p align="center">', "</p>",
    '<img src="https://ex.example/i.png">', "<!-- comment -->", "<br>",
    '<a href="https://ex.example/h">h</a>', "<div>", "</div>",
    "<!-- awesome-lint-disable-next-line AL101 AL404 -->", "<!-- awesome-lint-disable AL201 -->",
    "<!-- awesome-lint-enable -->", "<!-- awesome-lint-disable-line nosuchrule -->",
])


@st.composite
def _entry(draw: st.DrawFn) -> str:
    first = draw(_link())
    if draw(st.booleans()):
        return first + draw(_SEPARATORS) + draw(_DESCRIPTIONS)
    return first if draw(st.booleans()) else draw(_DESCRIPTIONS)


@st.composite
def _marker(draw: st.DrawFn) -> str:
    if draw(st.booleans()):
        return draw(st.sampled_from(["-", "-", "*", "+"]))
    number = draw(st.one_of(st.integers(0, 12), st.sampled_from([99, 123456789])))
    return f"{number}{draw(st.sampled_from(['.', '.', ')']))}"


@st.composite
def _block(draw: st.DrawFn) -> list[str]:
    """One or a few lines of Markdown."""
    kind = draw(st.sampled_from(["item"] * 8 + ["heading"] * 2 + [
        "setext", "toc", "html", "fence", "refdef", "text", "blank", "blank", "quote",
        "indented", "mojibake", "tabs"]))
    indent = draw(st.sampled_from(["", "", "", " ", "  ", "   ", "    ", "     ", "\t", " \t",
                                   "\t\t", "      "]))
    if kind == "item":
        gap = draw(st.sampled_from([" ", " ", "  ", "   ", "\t", "     "]))
        return [f"{indent}{draw(_marker())}{gap}{draw(_entry())}"]
    if kind == "heading":
        level = draw(st.integers(1, 6))
        return [f"{'#' * level} {draw(_HEADINGS)}{draw(_HEADING_ENDS)}"]
    if kind == "setext":
        return [draw(_HEADINGS) + draw(_HEADING_ENDS), draw(st.sampled_from(["===", "---", "-"]))]
    if kind == "toc":
        marker = draw(st.sampled_from(["-", "*", "1."]))
        items = draw(st.lists(st.sampled_from([
            ("", "Section A", "#section-a"), ("", "Alpha", "#alpha"), ("  ", "Tools", "#tools"),
            ("", "Contents", "#contents"), ("    ", "C++", "#c"), ("", "Missing", "#missing"),
            ("", "Libraries & Tools", "#libraries--tools"), ("", "What?", "#what"),
        ]), min_size=1, max_size=6))
        return [f"{pad}{marker} [{text}]({anchor})" for pad, text, anchor in items]
    if kind == "html":
        return [draw(_HTML)]
    if kind == "fence":
        return [draw(st.sampled_from(["```", "~~~", "```python", "````"]))]
    if kind == "refdef":
        return [draw(st.sampled_from(["[r1]: https://ref.example/x", "[r1]: http://ref.example/dup",
                                      "[R2]: <https://ref.example/y z>", "  [r2]: #section-a"]))]
    if kind == "quote":
        return [f"> {draw(_marker())} {draw(_entry())}", ""]
    if kind == "indented":
        return [f"    {draw(_entry())}"]
    if kind == "mojibake":
        return [draw(st.sampled_from(["Text â€” more â€œquotedâ€\x9d.", "ðŸ¤— hugging",
                                      "CafÃ© and Ã¼ber.", "- [Ã‰cole](https://ex.example/e) - Ã©.",
                                      "`â€” in code`"]))]
    if kind == "tabs":
        return [draw(st.sampled_from(["-\t[Tab](https://ex.example/t)\t- Tab\ttext.",
                                      "\t- [Tab](https://ex.example/t2) - Tab.",
                                      "  \t- [Mix](https://ex.example/m) - Mixed.", "a\tb"]))]
    if kind == "blank":
        return [draw(st.sampled_from(["", "", " ", "\t"]))]
    return [f"{indent}{draw(_entry())}"]


@st.composite
def markdown(draw: st.DrawFn) -> str:
    """A generated document, with ``\\n`` line endings (as the CLI hands text to the rules)."""
    lines: list[str] = []
    for block in draw(st.lists(_block(), min_size=1, max_size=30)):
        lines.extend(line + draw(_TRAILING) if line.strip() else line for line in block)
    end = draw(st.sampled_from(["\n", "\n", "\n", "", "\n\n", "\n \n"]))
    return "\n".join(lines) + end


@st.composite
def raw_markdown(draw: st.DrawFn) -> str:
    """A generated document as it may sit on disk: any line endings, maybe a BOM."""
    text = draw(markdown())
    newline = draw(st.sampled_from(["\n", "\r\n", "\r", "mixed"]))
    if newline == "mixed":
        parts = text.split("\n")
        ends = draw(st.lists(st.sampled_from(["\n", "\r\n", "\r"]), min_size=len(parts),
                             max_size=len(parts)))
        text = "".join(p + e for p, e in zip(parts[:-1], ends, strict=False)) + parts[-1]
    else:
        text = text.replace("\n", newline)
    return ("\ufeff" if draw(st.booleans()) else "") + text


# -- properties ----------------------------------------------------------------------------------

_MARKER = re.compile(r"[*+-]|\d{1,9}[.)]")
_INVISIBLE = set("\u200b\u200c\u200d\u2060\ufeff\u00ad\u00a0\u202a\u202b\u202c\u202d\u202e"
                 "\u2066\u2067\u2068\u2069")


def lint(doc: Document) -> list[Finding]:
    return lint_document(doc, RULES, CONFIG)


def _text(doc: Document, span: Span) -> str:
    """The source text of ``span`` (lines joined with ``\\n``)."""
    lines = doc.lines
    if span.line == span.end_line:
        return lines[span.line - 1][span.column - 1:span.end_column - 1]
    parts = [lines[span.line - 1][span.column - 1:]]
    parts += lines[span.line:span.end_line - 1]
    parts.append(lines[span.end_line - 1][:span.end_column - 1])
    return "\n".join(parts)


def assert_span_inside(doc: Document, span: Span, what: object) -> None:
    lines = doc.lines
    assert 1 <= span.line <= span.end_line <= len(lines), what
    assert 1 <= span.column <= len(lines[span.line - 1]) + 1, what
    assert 1 <= span.end_column <= len(lines[span.end_line - 1]) + 1, what
    assert span.line < span.end_line or span.column <= span.end_column, what


def assert_points_at_what_it_names(doc: Document, f: Finding) -> None:
    """Where it can be checked, the finding's span holds what its message talks about."""
    text = _text(doc, f.span)
    marker_spans = {e.marker_span for e in doc.iter_entries()}
    link_spans = {link.span: link for link in doc.links}
    heading_spans = {h.span for h in doc.headings}
    if f.code in ("AL101", "AL102", "AL103", "AL104"):
        assert f.span in marker_spans and _MARKER.fullmatch(text), (f, text)
    elif f.code in ("AL110", "AL112", "AL113", "AL114", "AL115") and f.span != Span(1, 1, 1, 1):
        assert f.span in heading_spans, f
    elif f.code == "AL301":
        link = link_spans.get(f.span)
        assert link is not None and f"Duplicate link {link.url} (" in f.message, (f, link)
    elif f.code == "AL302":
        link = link_spans.get(f.span)
        assert link is not None and f"Entry name {link.text!r}" in f.message, (f, link)
    elif f.code == "AL120":
        link = link_spans.get(f.span)
        assert link is not None and link.url.startswith("#"), (f, link)
        assert f"Link to {link.url} " in f.message, (f, link)
    elif f.code == "AL202":
        assert f.span in link_spans, f
    elif f.code == "AL206":
        assert text.lower().startswith("http://"), (f, text)
    elif f.code == "AL404":
        assert text and not text.strip(" \t") and f.span.end_column == \
            len(doc.lines[f.span.line - 1]) + 1, (f, text)
    elif f.code == "AL405":
        assert "\t" in text, (f, text)
    elif f.code == "AL407":
        assert len(text) == 1 and text in _INVISIBLE, (f, text)
    elif f.code == "AL401" and f.message.startswith("Mojibake '"):
        shown = f.message[len("Mojibake '"):].split("' for '")[0]
        assert text == shown, (f, text)
    elif f.code == "AL403":
        quoted = re.search(r"\('(.*)'\)", f.message)
        assert quoted is not None and text == quoted.group(1), (f, text)
    elif f.code == "AL402":
        assert len(text) == 1 and text in "()[]{}\"", (f, text)


def assert_edits_inside(doc: Document, f: Finding) -> None:
    """A fix edits the file's own text: its spans stay within their lines (the end of the last
    line may reach one past it, to take the final newline)."""
    assert f.fix is not None
    lines = doc.lines
    for edit in f.fix.edits:
        span = edit.span
        assert 1 <= span.line <= span.end_line <= len(lines), f
        assert 1 <= span.column <= len(lines[span.line - 1]) + 1, f
        slack = 2 if span.end_line == len(lines) and doc.text.endswith("\n") else 1
        assert 1 <= span.end_column <= len(lines[span.end_line - 1]) + slack, f
        assert span.line < span.end_line or span.column <= span.end_column, f


def check_findings(doc: Document, findings: Sequence[Finding]) -> None:
    for f in findings:
        assert_span_inside(doc, f.span, f)
        assert_points_at_what_it_names(doc, f)
        if f.fix is not None:
            assert_edits_inside(doc, f)


@FUZZ
@given(raw_markdown())
def test_parse_and_lint_never_fail_and_spans_are_inside(text: str) -> None:
    doc = parse(text)
    assert_invariants(doc)
    findings = lint(doc)
    check_findings(doc, findings)
    # Line endings and a BOM change nothing: the rules see the same text.
    plain = normalise_newlines(text).removeprefix("\ufeff")
    assert lint(parse(plain)) == findings


def _web_urls(doc: Document) -> Counter[str]:
    """The http(s) URLs of a document, as a multiset, with invisible characters left out (AL407
    removes them from URLs on purpose). The parser ends a URL at U+00A0 (Python's regular
    expressions take it for a space; CommonMark does not): such a URL runs on to the next space."""
    urls: Counter[str] = Counter()
    for link in doc.links:
        if link.kind is LinkKind.HTML or not link.url.lower().startswith(("http://", "https://")):
            continue
        url, span = link.url, link.url_span
        rest = doc.lines[span.end_line - 1][span.end_column - 1:]
        url = "".join(c for c in url if c not in _INVISIBLE)
        if rest[:1] in _INVISIBLE:
            more = re.split(r"[ \t)>]", rest, maxsplit=1)[0]
            url += "".join(c for c in more if c not in _INVISIBLE).rstrip("?!.,:;*_~")
        urls[url] += 1
    return urls


def _linked_entries(doc: Document) -> int:
    """Entries whose main link is not an in-page ``#anchor`` (the ToC fix may add those)."""
    return sum(1 for e in doc.iter_entries()
               if e.link is not None and not e.link.url.startswith("#"))


def _touched_lines(doc: Document, findings: Sequence[Finding], unsafe: bool) -> set[int]:
    touched: set[int] = set()
    for f in findings:
        if applicable(f.fix, unsafe=unsafe):
            assert f.fix is not None
            for edit in f.fix.edits:
                touched.update(range(edit.span.line, edit.span.end_line + 1))
    return touched


def _is_subsequence(needles: list[str], haystack: list[str]) -> bool:
    it = iter(haystack)
    return all(any(line == other for other in it) for line in needles)


_COMMONMARK = MarkdownIt("commonmark")
_URL_TEXT = re.compile(r"https?://[^\s<>()]+")


def _commonmark_view(text: str) -> tuple[int, Counter[str]]:
    """List items, and the URLs outside code, as CommonMark (GitHub) reads ``text``."""
    items, urls, last = 0, Counter[str](), ""
    for tok in _COMMONMARK.parse(text):
        # An empty item (AL106 removes it) is no entry to lose.
        items += tok.type == "list_item_close" and last != "list_item_open"
        last = tok.type
        in_link = 0
        for child in tok.children or ():
            found = []
            if child.type == "text" and not in_link:  # invisible characters: as in hrefs
                found = _URL_TEXT.findall("".join(c for c in child.content
                                                  if c not in _INVISIBLE))
            elif child.type == "link_open":
                in_link += 1
                href = unquote(str(child.attrs.get("href", "")))
                found = _URL_TEXT.findall("".join(c for c in href if c not in _INVISIBLE))
            elif child.type == "link_close":
                in_link -= 1
            urls.update(url.rstrip(".,;:!?*_~") for url in found)
    return items, urls


def _agree(text: str) -> bool:
    """Whether mistune (our parse) and CommonMark read the same list items, nested alike."""
    return [kinds for _, kinds in _markdown_it_structure(text)[0]] == \
        [kinds for _, kinds in _our_structure(parse(text))] and \
        [line for line, _ in _markdown_it_structure(text)[0]] == \
        [line for line, _ in _our_structure(parse(text))]


def _commonmark_loss(text: str, fixed: str) -> bool:
    items, urls = _commonmark_view(text)
    items_after, urls_after = _commonmark_view(fixed)
    return items_after < items or bool(urls - urls_after)


def check_fix(text: str, *, unsafe: bool) -> None:
    fixed, _, after = fix_text(text, "<fuzz>", RULES, CONFIG, unsafe=unsafe)
    # Idempotent: fixing the fixed text changes nothing and fixes nothing.
    again, count_again, _ = fix_text(fixed, "<fuzz>", RULES, CONFIG, unsafe=unsafe)
    assert (again, count_again) == (fixed, 0), (text, fixed)
    assert not any(applicable(f.fix, unsafe=unsafe) for f in after), (
        [f for f in after if applicable(f.fix, unsafe=unsafe)], fixed)
    if fixed == text:
        return
    # Lossless: every web URL and every entry is still there. (A fix may bring more to light:
    # a blank line after an HTML line turns the raw text that followed it into a list.)
    before_doc, after_doc = parse(text), parse(fixed)
    lost = (_web_urls(before_doc) - _web_urls(after_doc)
            or _linked_entries(after_doc) < _linked_entries(before_doc)
            or len(list(after_doc.iter_entries())) < len(list(before_doc.iter_entries())))
    if lost:
        # The rules read mistune's tree. Where mistune misreads a list (an item CommonMark
        # reads as an indented code block or as text: see
        # test_parse_reads_items_left_of_the_text_as_commonmark_does), a fix may "lose" what
        # mistune alone saw, or act on its misreading: a loss counts when GitHub sees it too,
        # and the two parsers agree on the lists before and after.
        assert not (_commonmark_loss(text, fixed) and _agree(text) and _agree(fixed)), (
            text, fixed)
    # Pass by pass (as fix_text does), lines no edit touches are kept, in order.
    current = text
    for _ in range(MAX_FIX_PASSES):
        doc = parse(current)
        findings = lint(doc)
        new, applied = apply_fixes(current, findings, unsafe=unsafe)
        if applied == 0 or new == current:
            break
        touched = _touched_lines(doc, findings, unsafe)
        kept = [line for n, line in enumerate(current.split("\n"), 1) if n not in touched]
        assert _is_subsequence(kept, new.split("\n")), (current, new, sorted(touched))
        current = new
    assert current == fixed


@FUZZ
@given(markdown())
def test_safe_fix_is_idempotent_and_lossless(text: str) -> None:
    check_fix(text, unsafe=False)


@FUZZ
@given(markdown())
def test_unsafe_fix_is_idempotent_and_lossless(text: str) -> None:
    check_fix(text, unsafe=True)


@FUZZ
@given(raw_markdown())
def test_fix_text_on_raw_line_endings(text: str) -> None:
    """``fix_text`` given text as read from disk (CR, CRLF, BOM) fixes what the CLI would."""
    plain = normalise_newlines(text).removeprefix("\ufeff")
    assert fix_text(text, "<fuzz>", RULES, CONFIG) == fix_text(plain, "<fuzz>", RULES, CONFIG)


# -- what fuzzing found (each was a bug before its fix) ------------------------------------------


def _fixed(text: str, *, unsafe: bool = False) -> str:
    check_fix(text, unsafe=unsafe)
    return fix_text(text, "<fuzz>", RULES, CONFIG, unsafe=unsafe)[0]


def test_renumbering_to_a_narrower_number_keeps_the_note_nested() -> None:
    # AL101 made "123456789." "1." and left the note 11 spaces in: an indented code block.
    text = "123456789. [A](https://ex.example/a) - A.\n           - Note.\n"
    assert _fixed(text) == "1. [A](https://ex.example/a) - A.\n   - Note.\n"


def test_renumbering_to_a_wider_number_keeps_the_note_nested() -> None:
    text = "".join(f"{n}. [E{n}](https://ex.example/{n}) - E.\n" for n in range(1, 10))
    text += "9. [Ten](https://ex.example/10) - E.\n   - Note.\n"
    assert _fixed(text).endswith("10. [Ten](https://ex.example/10) - E.\n    - Note.\n")


def test_note_is_not_nested_in_the_pass_that_renumbers_its_entry() -> None:
    # AL103 indented the note for "123456789." while AL101 made it "1." in the same pass: the
    # note ended up 11 spaces in, inside the entry's paragraph, and the entry was lost.
    text = "123456789. Does things.\n- [Alpha](https://ex.example/a) - Does things.\n"
    assert _fixed(text) == "1. Does things.\n   - [Alpha](https://ex.example/a) - Does things.\n"


def test_a_lone_dash_is_not_moved_under_text() -> None:
    # Indented under the entry, "-" underlined "Contents" as a heading and the item was lost.
    # (The "-" is an empty item, which AL106 removes.)
    text = "0. Does things.\nContents\n-\n"
    assert _fixed(text) == _fixed(text, unsafe=True) == "0. Does things.\nContents\n"


def test_note_under_a_tab_after_the_marker_is_indented_to_the_tab_stop() -> None:
    # "0.\t" puts the text at the tab stop (column 9 here), not one column after the marker:
    # indented 5 spaces, the note became part of the entry's paragraph.
    text = "  0.\tDoes things.\n- [Tab](https://ex.example/t) - Tab.\n"
    fixed = _fixed(text)
    assert fixed == "  0.\tDoes things.\n        - [Tab](https://ex.example/t) - Tab.\n"
    (entry, note) = parse(fixed).iter_entries()
    assert entry.sublists and entry.sublists[0].entries[0] is note


def test_blank_line_after_unquoted_html_is_not_quoted() -> None:
    # AL408 inserted ">" (not a blank line after unquoted HTML) ten times, once a pass.
    text = "<details>\n> - [A](https://ex.example/a) - A.\n"
    assert _fixed(text) == "<details>\n\n> - [A](https://ex.example/a) - A.\n"
    quoted = "> <details>\n> - [A](https://ex.example/a) - A.\n"
    assert _fixed(quoted) == "> <details>\n>\n> - [A](https://ex.example/a) - A.\n"


def test_mojibake_in_a_url_is_reported_not_rewritten() -> None:
    # AL401 "repaired" https://ex.example/â€”x to .../—x: another address.
    text = "- [A](https://ex.example/\u00e2\u20ac\u201dx) - A.\n"
    assert _fixed(text) == text
    assert [f.code for f in lint(parse(text)) if f.code == "AL401"] == ["AL401"]


def test_fix_text_reads_cr_and_bom_as_parse_does() -> None:
    # The fixes' spans are positions in the text parse() sees; applied to the raw text they
    # landed elsewhere: "# Contents\r# Contents" became "# Contents\n\n# Content\ns".
    assert fix_text("# Contents\r# Contents", "x", RULES, CONFIG)[0] == "# Contents\n# Contents\n"
    assert fix_text("\ufeff# T\r\n\r\n- a \t\r\n", "x", RULES, CONFIG)[0] == "# T\n\n- a\n"


def test_renumbering_does_not_pull_the_next_item_under_the_entry() -> None:
    # "99." made "1." took the next item, indented 3, as its sub-list; mistune as paragraph
    # text (a list starting at 2 cannot interrupt a paragraph): the entry was lost.
    text = "99. Does things.\n   0. [Alpha](https://ex.example/a)\n"
    assert _fixed(text) == text
    assert [f.fix for f in lint(parse(text)) if f.code == "AL101"] == [None, None]


def test_note_after_html_the_entry_swallowed_waits_for_the_blank_line() -> None:
    # AL103 measured the note against the entry before the HTML block while AL408 added the
    # blank line that ends the block: the note landed 4 spaces in, in a paragraph of its own.
    text = ("0.  Does things.\n<details>\n   0. Does things.\n   0. Does things.\n"
            "- [E](https://ex.example/e) - E.\n")
    fixed = _fixed(text)
    assert fixed == ("0.  Does things.\n<details>\n\n   0. Does things.\n   0. Does things.\n"
                     "      - [E](https://ex.example/e) - E.\n")


def test_bare_url_cut_by_a_no_break_space_is_not_wrapped_there() -> None:
    # AL205 wrapped the URL up to U+00A0 and AL407 removed the U+00A0 in the same pass:
    # "https://ex.example/a\u00a0b" became "<https://ex.example/a>b".
    text = "- [A](https://ex.example/x) - See https://ex.example/a\u00a0b now.\n"
    assert _fixed(text) == "- [A](https://ex.example/x) - See <https://ex.example/ab> now.\n"


def test_blank_line_after_html_is_not_added_before_an_open_code_fence() -> None:
    # The blank line made the rest of the HTML block Markdown: its lone ``` opened a code block
    # that swallowed the rest of the file, entries included.
    text = "<details>\n```\nDoes things.\n\n- [A](https://ex.example/a) - A.\n"
    assert _fixed(text) == text
    (finding,) = [f for f in lint(parse(text)) if f.code == "AL408"]
    assert finding.fix is None
    closed = "<details>\n```\ncode\n```\n\n- [A](https://ex.example/a) - A.\n"
    assert _fixed(closed) == closed.replace("<details>\n", "<details>\n\n")


def test_bare_url_inside_a_broken_autolink_is_not_wrapped() -> None:
    # "<https://ex.example/y z>" is no autolink (a space): wrapping the bare URL inside gave
    # "<<https://ex.example/y> z>", and a shortcut reference on the line lost its definition.
    text = ("- Does things.\n0. Does things.\n[R2]: <https://ex.example/y z>\n\n"
            "[R2]: <https://ex.example/y z>\n")
    check_fix(text, unsafe=False)
    assert "<<" not in _fixed(text)
    assert "[x](<" not in _fixed("- [A](https://ex.example/a) - See [x](https://ex.example/b c).\n")


@pytest.mark.xfail(strict=True, reason=(
    "mistune nests a line indented past an item's marker but short of its text inside that "
    "item, where CommonMark (GitHub) reads a sibling item or an indented code block; parse.py "
    "keeps mistune's list structure rather than re-implement CommonMark's list rules, and "
    "AL103/AL104 leave such items alone instead of fixing them"))
@pytest.mark.parametrize(("text", "commonmark"), [
    # "  - b" sits left of "-  a"'s text: CommonMark makes it a sibling whose text starts at
    # column 5, so "        0. c" (8 spaces, 4 past it) is an indented code block; mistune
    # nests "0. c" as a list item. Seen when AL103 moved the note one column right: mistune
    # then read the code block too, and the item "vanished".
    ("-  a\n  - b\n\n        0. c\n", [("-", 1, []), ("-", 2, [])]),
    # "   2. b" is a second item for CommonMark; mistune makes it text of "1.  a" (a list
    # starting at 2 cannot interrupt a paragraph), and AL103 then measured a note under it
    # against "1." instead of "2.".
    ("1.  a\n   2. b\n", [("1.", 1, []), ("2.", 2, [])]),
    ("1.  a\n   1. b\n", [("1.", 1, []), ("1.", 2, [])]),
])
def test_parse_reads_items_left_of_the_text_as_commonmark_does(
    text: str, commonmark: list[tuple[str, int, list[int]]]
) -> None:
    entries = [(e.marker, e.span.line, [s.span.line for s in e.sublists])
               for e in parse(text).iter_entries()]
    assert entries == commonmark


def test_note_is_not_moved_when_github_sees_another_entry_above_it() -> None:
    # "   2. Does things." is an item on GitHub, text of "1." for the parser: AL103 indented
    # the note 4 spaces for "1." and GitHub made it text of item 2.
    text = "1.  Does things.\n   2. Does things.\n- [A](https://ex.example/a) - A.\n"
    assert _fixed(text) == text


def test_note_list_with_items_at_different_columns_is_not_moved() -> None:
    # One list ("  - " and "- "): moved 6 right, "- [B]" was no longer an item of it.
    text = "  0.\tDoes things.\n  - [A](#a)\n- [B](https://ex.example/b) - B.\n"
    assert _fixed(text, unsafe=True) == text


def test_renumbering_narrower_does_not_take_a_lazy_line_into_the_entry() -> None:
    # "123456789." made "1." took "    -     [Alpha](...)" (text of the paragraph, 4 spaces
    # in) into the entry as an item whose text is an indented code block: the link was lost.
    text = "123456789. Does things.\n    -     [A](https://ex.example/a) - A.\n"
    assert [f.fix for f in lint(parse(text)) if f.code == "AL101"] == [None]


def test_renumbering_does_not_pull_a_list_of_another_delimiter_under_the_entry() -> None:
    # "10)" made "1)": "   0. [Alpha](...)" (a list of its own, text of the paragraph for
    # CommonMark) moved under the entry.
    text = "10) Does things.\n   0. [A](https://ex.example/a)\n"
    assert [f.fix for f in lint(parse(text)) if f.code == "AL101"] == [None]


def test_a_tilde_fence_does_not_close_a_backtick_fence() -> None:
    # "```" then "~~~": still one open code block, which the blank line would have freed.
    text = "<details>\n```\n~~~\nDoes things.\n\n- [A](https://ex.example/a) - A.\n"
    assert _fixed(text) == text
