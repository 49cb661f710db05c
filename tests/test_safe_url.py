"""safe_markdown_url: a URL from the network becomes text that cannot break out of Markdown.

Issue 10, item 6: a hostile server's ``Location`` was written verbatim into the README by the
AL902 fix. Every URL the link checker takes from the network passes through this function.
"""

from __future__ import annotations

import string
from urllib.parse import unquote, urlsplit

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from awesome_lint.urls import safe_markdown_url

FORBIDDEN = set(" ()<>[]\"'`\\{}|^\t\n\r") | {chr(c) for c in range(0x20)} | {"\x7f"}
HOSTILE = "http://h.example/ok) - [Evil](https://phish.example) <img src=x onerror=alert(1)> ("


def assert_inert(result: str) -> None:
    """No character of ``result`` can end a link, autolink, table cell or HTML attribute."""
    assert result.isascii()
    assert not FORBIDDEN & set(result), result


def test_the_hostile_location_of_the_attack() -> None:
    safe = safe_markdown_url(HOSTILE)
    assert safe == ("http://h.example/ok%29%20-%20%5BEvil%5D%28https://phish.example%29%20"
                    "%3Cimg%20src=x%20onerror=alert%281%29%3E%20%28")
    assert_inert(safe)
    html = MarkdownIt().render(f"- [Item]({safe}) - An item.\n")
    assert html.count("<a ") == 1 and "<img" not in html and "phish.example\">" not in html
    assert unquote(safe) == HOSTILE  # nothing lost: the same URL, only encoded


@pytest.mark.parametrize(("url", "expected"), [
    ("https://example.com/a", "https://example.com/a"),
    ("HTTPS://EXAMPLE.com:443/A", "https://example.com/A"),  # scheme and host lower-cased
    ("http://example.com:80", "http://example.com/"),  # default port dropped, empty path is /
    ("http://example.com:8080/x?y=1#z", "http://example.com:8080/x?y=1#z"),
    ("https://example.com?q", "https://example.com/?q"),
    ("https://example.com/a b", "https://example.com/a%20b"),
    ("https://en.wikipedia.org/wiki/Foo_(bar)", "https://en.wikipedia.org/wiki/Foo_%28bar%29"),
    ("https://example.com/<script>", "https://example.com/%3Cscript%3E"),
    ('https://example.com/"onmouseover="x', "https://example.com/%22onmouseover=%22x"),
    ("https://example.com/'a'", "https://example.com/%27a%27"),
    ("https://example.com/`a`", "https://example.com/%60a%60"),
    ("https://example.com/a|b", "https://example.com/a%7Cb"),  # a table cell
    ("https://example.com/a\\b", "https://example.com/a%5Cb"),
    ("https://example.com/{a}^", "https://example.com/%7Ba%7D%5E"),
    ("https://example.com/#a#b", "https://example.com/#a%23b"),
    ("https://example.com/%41%zz%", "https://example.com/%41%25zz%25"),  # escapes kept, bad %
    ("https://example.com/é", "https://example.com/%C3%A9"),
    ("https://bücher.example/", "https://xn--bcher-kva.example/"),  # IDNA (UTS 46)
    ("https://faß.de/", "https://xn--fa-hia.de/"),  # IDNA 2008: not fass.de
    ("https://xn--bcher-kva.example/", "https://xn--bcher-kva.example/"),
    ("https://93.184.216.34/", "https://93.184.216.34/"),
    ("  https://example.com/a\n", "https://example.com/a"),  # surrounding whitespace
    ("https://exa\tmple.com/a\nb", "https://example.com/ab"),  # tabs, newlines removed
    ("https://example.com./", "https://example.com./"),
    ("https://my_host.example/", "https://my_host.example/"),
    ("https://example.com\u3002evil/", "https://example.com.evil/"),  # as browsers read it
])
def test_normalised_and_encoded(url: str, expected: str) -> None:
    assert safe_markdown_url(url) == expected
    assert safe_markdown_url(expected) == expected


@pytest.mark.parametrize("url", [
    "javascript:alert(1)", "data:text/html,<script>", "ftp://example.com/", "mailto:a@b.example",
    "//example.com/a", "/relative", "example.com", "http:/example.com", "http:example.com",
    "http://", "http:///path", "https://user:pass@example.com/", "https://github.com@evil.example/",
    "https://evil.example\\@github.com/", "https://[::1]/", "https://[2606:4700::1111]/",
    "https://[::1", "https://example.com:99999/", "https://example.com:0/",
    "https://example.com:8o/", "https://127.1/", "https://0x7f.0.0.1/", "https://2130706433/",
    "https://01.2.3.4/", "https://-bad.example/", "https://bad-.example/",
    "https://a..b.example/", "https://" + "a" * 64 + ".example/",
    "https://" + ".".join(["a" * 60] * 5) + "/", "https://xn--zz.example/",
    "https://exa mple.com/", "https://exa<mple.com/", "https://ex%61mple.com/",
    "https://\u2100.example/", "",
])
def test_refused(url: str) -> None:
    assert safe_markdown_url(url) is None


def test_not_a_string() -> None:
    assert safe_markdown_url(None) is None  # type: ignore[arg-type]
    assert safe_markdown_url(b"https://example.com/") is None  # type: ignore[arg-type]


def _markdown_link_survives(url: str) -> None:
    """Written as an entry, in a table and as an autolink, ``url`` stays one whole link."""
    md = MarkdownIt("commonmark").enable("table")
    for text in (f"- [Item]({url}) - tail words.\n", f"<{url}> tail words\n",
                 f"| a | b |\n|---|---|\n| [Item]({url}) | tail words |\n"):
        tokens = [t for block in md.parse(text) if block.children for t in block.children]
        links = [t for t in tokens if t.type == "link_open"]
        assert len(links) == 1, (url, text)
        assert "tail words" in "".join(t.content for t in tokens if t.type == "text")
    html = md.render(f'<a href="{url}">x</a> [y]({url})\n')
    assert "<img" not in html and "onerror" not in html.replace(url, "")


hosts = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,10}[a-z])?)*"
                      r"\.[a-z]{2,6}", fullmatch=True)


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(["http", "https", "HTTP"]), hosts, st.text(max_size=40),
       st.text(max_size=20), st.text(max_size=20))
@example("https", "h.example", ") - [Evil](https://phish) <img src=x onerror=y> (", "", "")
def test_any_path_query_fragment_is_inert(scheme: str, host: str, path: str, query: str,
                                          fragment: str) -> None:
    raw = f"{scheme}://{host}/{path}?{query}#{fragment}"
    result = safe_markdown_url(raw)
    assert result is not None, raw
    assert_inert(result)
    parts = urlsplit(result)
    assert parts.scheme == scheme.lower() and parts.hostname == host  # the same host
    assert safe_markdown_url(result) == result  # idempotent
    _markdown_link_survives(result)


@settings(max_examples=600, deadline=None)
@given(st.one_of(
    st.text(max_size=60),
    st.builds(lambda a, b: a + b, st.sampled_from(["http://", "https://", "HTTPS://"]),
              st.text(alphabet=string.printable + "é\u3002\u2100ß[]@:%", max_size=60)),
))
def test_any_text_is_refused_or_inert(text: str) -> None:
    result = safe_markdown_url(text)
    if result is None:
        return
    assert_inert(result)
    parts = urlsplit(result)
    assert parts.scheme in ("http", "https") and parts.hostname
    assert parts.username is None and parts.password is None
    assert safe_markdown_url(result) == result
    # The host is the one a browser reads from the original (after IDNA): never another one.
    host = urlsplit(text.strip().replace("\t", "").replace("\n", "").replace("\r", "")).hostname
    assert host is not None
    expected = host if host.isascii() else safe_markdown_url(f"http://{host}/")
    assert expected is not None and parts.hostname in (host, urlsplit(expected).hostname)
    _markdown_link_survives(result)
