"""URL normalisation: which spellings of a link are the same resource (AL301 relies on it)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from awesome_lint.urls import _web_host_path_by_urlsplit, is_web_url, normalise_url, web_host_path


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # scheme
        ("http://example.com/a", "https://example.com/a"),
        ("HTTPS://example.com/a", "https://example.com/a"),
        # www.
        ("https://www.example.com/a", "https://example.com/a"),
        # host case, trailing dot
        ("https://EXAMPLE.Com/a", "https://example.com/a"),
        ("https://example.com./a", "https://example.com/a"),
        # trailing slash
        ("https://example.com/a/", "https://example.com/a"),
        ("https://example.com/", "https://example.com"),
        # default ports
        ("https://example.com:443/a", "https://example.com/a"),
        ("http://example.com:80/a", "https://example.com/a"),
        # index pages
        ("https://example.com/index.html", "https://example.com/"),
        ("https://example.com/docs/index.htm", "https://example.com/docs/"),
        ("https://example.com/docs/INDEX.HTML", "https://example.com/docs"),
        ("https://example.com/index.php", "https://example.com"),
        # tracking parameters
        ("https://example.com/a?utm_source=x&utm_medium=y", "https://example.com/a"),
        ("https://example.com/a?fbclid=abc", "https://example.com/a"),
        ("https://example.com/a?gclid=1&ref_src=twsrc", "https://example.com/a"),
        ("https://example.com/a?UTM_Campaign=z&q=1", "https://example.com/a?q=1"),
        ("https://example.com/a?q=1&utm_source=x&page=2&fbclid=z", "https://example.com/a?q=1&page=2"),
        # GitHub owner/repo are case-insensitive; .git is the clone URL of the same repo
        ("https://github.com/Owner/Repo", "https://github.com/owner/repo"),
        ("https://github.com/owner/repo.git", "https://github.com/owner/repo"),
        ("https://github.com/Owner/Repo.GIT", "https://github.com/owner/repo"),
        ("https://github.com/owner/repo.git/", "https://github.com/owner/repo"),
        ("https://www.github.com/owner/repo/", "http://github.com/Owner/Repo"),
        ("https://github.com/OWNER", "https://github.com/owner"),
        # YouTube short links
        ("https://youtu.be/dQw4w9WgXcQ", "https://www.youtube.com/watch?v=dQw4w9WgXcQ"),
        ("https://youtu.be/dQw4w9WgXcQ/", "https://youtube.com/watch?v=dQw4w9WgXcQ"),
        ("https://youtu.be/abc?t=10", "https://youtube.com/watch?v=abc&t=10"),
        ("https://youtu.be/abc?utm_source=x", "https://youtube.com/watch?v=abc"),
        # protocol-relative
        ("//example.com/a", "https://example.com/a"),
        ("//www.example.com/a/", "http://example.com/a"),
        # surrounding whitespace
        ("  https://example.com/a \n", "https://example.com/a"),
    ],
)
def test_same_resource(a: str, b: str) -> None:
    assert normalise_url(a) == normalise_url(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # the path is case-sensitive off GitHub's owner/repo part
        ("https://example.com/A", "https://example.com/a"),
        ("https://github.com/owner/repo/blob/Main/README.md",
         "https://github.com/owner/repo/blob/main/README.md"),
        ("https://github.com/owner/repo/tree/main/Docs", "https://github.com/owner/repo/tree/main/docs"),
        # .git is only stripped from the repository itself
        ("https://github.com/owner/repo/blob/main/config.git", "https://github.com/owner/repo/blob/main/config"),
        # other hosts, subdomains and ports
        ("https://example.com/a", "https://example.org/a"),
        ("https://docs.example.com/a", "https://example.com/a"),
        ("https://example.com:8080/a", "https://example.com/a"),
        ("http://example.com:443/a", "https://example.com/a"),
        # other parameters are kept, in order
        ("https://example.com/a?q=1", "https://example.com/a"),
        ("https://example.com/a?q=1", "https://example.com/a?q=2"),
        ("https://example.com/a?x=1&y=2", "https://example.com/a?y=2&x=1"),
        ("https://example.com/a?utm=1", "https://example.com/a"),  # not a utm_* parameter
        # fragments are distinct entries
        ("https://example.com/page#install", "https://example.com/page#usage"),
        ("https://example.com/page#install", "https://example.com/page"),
        ("https://github.com/owner/repo#Readme", "https://github.com/owner/repo#readme"),
        # different videos, and a non-YouTube youtu.be root
        ("https://youtu.be/abc", "https://youtu.be/abd"),
        ("https://youtu.be/abc", "https://youtube.com/watch?v=ABC"),
        # a different page under an index
        ("https://example.com/index.html", "https://example.com/main.html"),
    ],
)
def test_different_resources(a: str, b: str) -> None:
    assert normalise_url(a) != normalise_url(b)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.Example.com:443/a/index.html?utm_source=x&b=2&a=1#Top",
         "example.com/a?b=2&a=1#Top"),
        ("http://github.com/Owner/Repo.git", "github.com/owner/repo"),
        ("https://github.com/Owner/Repo/issues/New", "github.com/owner/repo/issues/New"),
        ("https://youtu.be/dQw4w9WgXcQ?t=42", "youtube.com/watch?v=dQw4w9WgXcQ&t=42"),
        ("//Example.com/", "example.com"),
        ("https://example.com:8443/x/", "example.com:8443/x"),
        ("https://example.com/a?q=&b=1", "example.com/a?q=&b=1"),  # blank values kept
    ],
)
def test_normal_form(url: str, expected: str) -> None:
    assert normalise_url(url) == expected


def test_normal_form_is_idempotent_on_its_own_output() -> None:
    url = "https://www.github.com/Owner/Repo.git/?utm_source=x&tab=readme#About"
    once = normalise_url(url)
    assert once == "github.com/owner/repo?tab=readme#About"
    assert normalise_url("https://" + once) == once


@pytest.mark.parametrize(
    "url",
    [
        "http://[::1",  # unclosed IPv6 bracket: urlsplit raises ValueError
        "https://example.com:99999/a",  # port out of range: .port raises ValueError
        "https://example.com:abc/a",
        "http://[not-an-ip]/a",
    ],
)
def test_malformed_url_does_not_raise(url: str) -> None:
    assert normalise_url(url) == url


@pytest.mark.parametrize("url", ["", "   ", "https://", "not a url", "#anchor", "./local.md"])
def test_odd_input_does_not_raise(url: str) -> None:
    assert isinstance(normalise_url(url), str)


def test_malformed_urls_compare_by_their_text() -> None:
    assert normalise_url("http://[::1") != normalise_url("http://[::2")
    assert normalise_url(" http://[::1 ") == normalise_url("http://[::1")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://example.com", True),
        ("https://example.com/a", True),
        ("HTTPS://EXAMPLE.COM", True),
        ("Http://example.com", True),
        ("//example.com/a", True),
        ("ftp://example.com/file", False),
        ("mailto:someone@example.com", False),
        ("#section", False),
        ("./docs/README.md", False),
        ("docs/README.md", False),
        ("/absolute/path", False),
        ("javascript:alert(1)", False),
        ("httpx://example.com", False),
        ("https:example.com", False),
        ("", False),
    ],
)
def test_is_web_url(url: str, expected: bool) -> None:
    assert is_web_url(url) is expected


@given(st.sampled_from(["http", "https", "HTTP", "ftp", ""]),
       st.sampled_from(["github.com", "GitHub.com", "a.b-c.io", "a.com.", ".", "a.com:443",
                        "a.com:80", "u@a.com", "[::1]", "x_y.com", ""]),
       st.text(alphabet="ab/?#%&=:@[]. \\\t\n\x00\x7f\u00e9\u00a0\u3000", max_size=20))
def test_the_web_host_path_fast_path_agrees_with_urlsplit(scheme: str, host: str,
                                                          tail: str) -> None:
    url = f"{scheme}://{host}{tail}" if scheme else f"//{host}{tail}"
    assert web_host_path(url) == _web_host_path_by_urlsplit(url)


@pytest.mark.parametrize("url", [
    "https://github.com/owner/repo", "https://github.com/owner/repo/?tab=readme#x",
    "http://a.com", "https://a.com.?q", "https://github.com/o/r/blob/main/a%20b.md",
])
def test_plain_urls_take_the_fast_path(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import awesome_lint.urls as module

    def no_urlsplit(text: str) -> None:
        raise AssertionError(f"urlsplit called for {text!r}")

    expected = _web_host_path_by_urlsplit(url)
    monkeypatch.setattr(module, "urlsplit", no_urlsplit)
    assert web_host_path(url) == expected
