"""The soft-dead classifier and the fragment finder, without a network (pure functions), on
both template sets of tests/fixtures/softdead."""

from __future__ import annotations

from pathlib import Path

import pytest

from awesome_lint.links.anchors import fragment_answers
from awesome_lint.links.fragments import checked_fragment
from awesome_lint.links.observation import Kind, Observation, judge
from awesome_lint.links.plan import plan_links
from awesome_lint.links.policy import LinkPolicy
from awesome_lint.links.softdead import Page, Probe, classify, might_be_parked, read_page, similar
from awesome_lint.verdicts import Verdict

FIXTURES = Path(__file__).parent / "fixtures" / "softdead"
SITE = "https://docs.example"


def page(folder: str, name: str, n: int = 5018, title: str = "Link rot, part 5018",
         path: str = "/a/5018") -> Page:
    text = (FIXTURES / folder / f"{name}.html").read_text(encoding="utf-8")
    return read_page(text.replace("{n}", str(n)).replace("{title}", title).encode(), "utf-8",
                     [SITE + path])


def probe_of(folder: str, name: str, status: int = 200, final_url: str | None = None) -> Probe:
    return Probe(status, final_url, page(folder, name, -1, "Home", "/3fa2b19c0d4e5f61"))


SETS = pytest.mark.parametrize("folder", ["first", "second"])


@SETS
def test_a_not_found_page_is_the_probes_page_whatever_it_repeats(folder: str) -> None:
    for name in ("notfound-1", "notfound-2"):
        probe = probe_of(folder, name)
        got = classify(SITE + "/a/5018", None, page(folder, name), probe)
        assert got is not None and got[0] is Verdict.SOFT_404, name
        assert got[1].startswith("same page as a missing path on this site, similarity ")


@SETS
def test_an_existing_page_is_not_the_probes_page(folder: str) -> None:
    for probe_page in ("notfound-1", "notfound-2"):
        probe = probe_of(folder, probe_page)
        for name in ("article-1", "article-2", "lookalike-1", "home-1"):
            assert classify(SITE + "/a/17", None, page(folder, name, 17, "Rate limiting",
                                                       "/a/17"), probe) is None, name


@SETS
def test_no_soft_404_on_a_site_that_answers_404(folder: str) -> None:
    probe = Probe(404, None, None)
    assert classify(SITE + "/a/5018", None, page(folder, "notfound-1"), probe) is None
    assert probe.missing_is_404 and Probe(None).missing_is_404


@SETS
def test_a_page_about_404_errors_is_alive(folder: str) -> None:
    lookalike = page(folder, "lookalike-1", 3, "Parsing Markdown, part 3", "/a/3")
    assert not lookalike.marker and not lookalike.wording
    assert classify(SITE + "/a/3", None, lookalike, Probe(404)) is None
    assert classify(SITE + "/a/3", None, lookalike, probe_of(folder, "notfound-1")) is None


@SETS
def test_an_app_shell_everywhere_is_unverifiable(folder: str) -> None:
    shell = page(folder, "shell-1", 3, "Parsing Markdown, part 3", "/a/3")
    assert shell.shell
    probe = probe_of(folder, "shell-1")
    got = classify(SITE + "/a/3", None, shell, probe)
    assert got is not None and got[0] is Verdict.UNVERIFIABLE
    assert classify(SITE + "/", None, shell, probe) is None  # the home page is alive


@SETS
def test_parked_pages(folder: str) -> None:
    for name in ("parked-1", "parked-2"):
        parked = page(folder, name, -1, "Home", "/")
        got = classify(SITE + "/", None, parked, probe_of(folder, name))
        assert got is not None and got[0] is Verdict.PARKED, name
        assert got[1].startswith("parking marker: ")


def test_parking_wording_counts_only_on_a_page_every_path_answers_or_a_tiny_one() -> None:
    words = " ".join(["Domain parking explained, with examples."] * 40)
    article = read_page(f"<html><body><h1>How domain parking works</h1><p>{words}</p>"
                        "</body></html>".encode(), None)
    assert article.wording == "domain parking" and article.words > 120
    assert classify(SITE + "/blog/parking", None, article, Probe(404)) is None
    tiny = read_page(b"<html><body><h1>Buy this domain</h1></body></html>", None)
    assert classify(SITE + "/", None, tiny, Probe(404)) == (
        Verdict.PARKED, "parking marker: \u201cbuy this domain\u201d")


def test_a_parking_services_code_is_a_marker_on_any_page() -> None:
    body = b'<html><body><p>x</p><script src="https://img.sedoparking.com/js/a.js"></script>'
    parked = read_page(body, None)
    assert parked.marker == "a script from img.sedoparking.com" and might_be_parked(body, None)
    assert classify(SITE + "/a/1", None, parked, Probe(404))[0] is Verdict.PARKED  # type: ignore[index]
    assert not might_be_parked(b"<html><body>An article.</body></html>", None)
    # What a server wrote is quoted in the evidence only as a plain host name.
    odd = read_page(b'<script src="http://<b>x</b>.sedo.com/a.js"></script>', None)
    assert odd.marker == ""


def test_redirects() -> None:
    assert classify(SITE + "/blog/post", SITE + "/", None, None) == (
        Verdict.REDIRECT_TO_ROOT, "redirected to the site's home page")
    assert classify(SITE + "/?p=12", "https://www.docs.example/index.html", None, None) == (
        Verdict.REDIRECT_TO_ROOT, "redirected to the site's home page")
    assert classify(SITE + "/", SITE + "/index.html", None, None) is None  # not a deep link
    assert classify(SITE + "/old", SITE + "/new", None, None) is None  # moved: AL902
    error_page = Probe(200, SITE + "/errors/missing", read_page(b"<p>Missing.</p>", None))
    same = classify(SITE + "/old", SITE + "/errors/missing", read_page(b"<p>x</p>", None),
                    error_page)
    assert same == (Verdict.SOFT_404, "redirected to the same page as a missing path on this site")
    lander = Probe(200, SITE + "/lander", read_page(b"<p>Hello</p>", None))
    got = classify(SITE + "/a/1", SITE + "/lander", read_page(b"<p>Hello</p>", None), lander)
    assert got is not None and got[0] is Verdict.PARKED


def test_similarity_needs_structure_text_and_length() -> None:
    a = read_page(b"<html><body><h1>Not here</h1><p>Sorry, nothing at this address.</p>", None)
    b = read_page(b"<html><body><div><table><tr><td>Not here</td></tr></table>"
                  b"<p>Sorry, nothing at this address.</p></div>", None)
    assert similar(a, a) == 1.0 and similar(a, b) is None
    empty = read_page(b"", None)  # nothing to compare is not "the same page"
    assert similar(empty, empty) is None and not empty.tags and not empty.text


def test_page_and_probe_round_trip_through_json() -> None:
    probe = probe_of("first", "notfound-1", 200, SITE + "/404")
    assert Probe.from_json(probe.to_json()) == probe
    with pytest.raises(KeyError):
        Probe.from_json({"status": 200})


def test_fragments() -> None:
    html = ('<h1 id="intro">Intro</h1><a name="old"></a><p name="p">x</p>'
            '<div id="user-content-install">Install</div>')
    answers = fragment_answers(["intro", "old", "p", "install", "caf%C3%A9"], html, True,
                               "example.com")
    assert answers == {"intro": True, "old": True, "p": False, "install": False,
                       "caf%C3%A9": False}
    assert fragment_answers(["install", "Install"], html, True, "github.com") == {
        "install": True, "Install": True}
    assert fragment_answers(["nowhere", "intro"], html, False, "x") == {"nowhere": None,
                                                                        "intro": True}
    assert fragment_answers(["intro"], None, True, "x") == {"intro": None}
    for fragment, host in (("", "x"), ("top", "x"), ("TOP", "x"), (":~:text=hello", "x"),
                           ("/route", "x"), ("!/route", "x"), ("L10-L20", "github.com")):
        assert not checked_fragment(fragment, host), fragment
    assert checked_fragment("L10", "example.com") and checked_fragment("usage", "github.com")
    for fragment in ("readme", "README", "issuecomment-123456", "discussion_r42",
                     "pullrequestreview-7", "diff-0a1b2c3d", "ref-issue-12"):  # GitHub's own
        assert not checked_fragment(fragment, "github.com"), fragment
        assert checked_fragment(fragment, "example.com"), fragment
    for fragment in ("ref-api", "diff-tool", "event-loop", "events"):  # a README's headings
        assert checked_fragment(fragment, "github.com"), fragment


def test_a_github_page_without_rendered_markdown_rules_no_fragment_out() -> None:
    # GitHub renders a file under blob/ in the browser: the served page has no user-content-
    # anchor, so a missing one proves nothing there (lychee notes the same limit).
    shell = '<div id="repo-content-pjax-container"><div id="readme-toc"></div></div>'
    assert fragment_answers(["install"], shell, True, "github.com") == {"install": None}
    assert fragment_answers(["readme-toc"], shell, True, "github.com") == {"readme-toc": True}
    assert fragment_answers(["install"], shell, True, "example.com") == {"install": False}
    rendered = shell + '<h2 id="user-content-usage">Usage</h2>'
    assert fragment_answers(["install", "usage"], rendered, True, "github.com") == {
        "install": False, "usage": True}


def test_judge_reads_the_evidence() -> None:
    policy = LinkPolicy()
    url = SITE + "/a/5018"
    gone = Observation(url, Kind.HTTP, 200, evidence={"gone": "soft-404", "why": "same page"})
    status = judge(gone, policy)
    assert status is not None and status.verdict is Verdict.SOFT_404
    assert status.reason == status.extra["evidence"] == "same page"
    for odd in ({"gone": "dead", "why": "x"}, {"gone": ["soft-404"]}):  # never from evidence
        judged = judge(Observation(url, Kind.HTTP, 200, evidence=odd), policy)
        assert judged is not None and judged.verdict is Verdict.OK
    not_found = judge(Observation(url, Kind.HTTP, 404, evidence={"gone": "soft-404"}), policy)
    assert not_found is not None and not_found.verdict is Verdict.DEAD


def test_a_cached_page_not_searched_for_a_fragment_is_fetched_again() -> None:
    plan = plan_links([SITE + "/doc#a", SITE + "/doc#b", SITE + "/other#top"], LinkPolicy())
    assert plan.fragments == {SITE + "/doc": frozenset({"a", "b"})}
    searched = Observation(SITE + "/doc", Kind.HTTP, 200, evidence={"fragments": {"a": True}})
    assert plan.verdict(searched) is None
    both = Observation(SITE + "/doc", Kind.HTTP, 200,
                       evidence={"fragments": {"a": True, "b": False}})
    status = plan.verdict(both)
    assert status is not None and status.verdict is Verdict.OK
    plan.statuses[SITE + "/doc"] = status
    plan.statuses[SITE + "/other"] = status
    results = plan.results()
    assert results[SITE + "/doc#a"].verdict is Verdict.OK
    assert results[SITE + "/doc#b"].verdict is Verdict.MISSING_FRAGMENT
    assert results[SITE + "/other#top"].verdict is Verdict.OK


@pytest.mark.parametrize("nav_words", [400, 3000])  # under and over the sketch's size
def test_a_short_article_in_heavy_navigation_is_not_the_not_found_page(nav_words: int) -> None:
    def word(i: int) -> str:  # distinct words without digits (numbers all read as "0")
        return "".join(chr(97 + i // 26 ** k % 26) for k in range(3))

    nav = "".join(f'<li><a href="/t/{i}">{word(i)} {word(i + 7)} guide</a></li>'
                  for i in range(nav_words // 3))

    def site_page(main: str) -> bytes:
        return f"<html><body><nav><ul>{nav}</ul></nav><main>{main}</main></body></html>".encode()

    article = " ".join(f"{word(5000 + i)} about parsing" for i in range(15))  # 45 words
    probe = Probe(200, None, read_page(site_page("<h1>Not found</h1><p>Nothing here.</p>"), None))
    page = read_page(site_page(f"<h1>Parsing</h1><p>{article}</p>"), None)
    assert probe.page is not None and page.words >= nav_words
    assert classify(SITE + "/docs/parsing", None, page, probe) is None
    same = read_page(site_page("<h1>Not found</h1><p>Nothing here.</p>"), None)
    assert classify(SITE + "/docs/gone", None, same, probe) is not None
