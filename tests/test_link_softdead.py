"""Soft-dead links and remote fragments end to end: the checker against loopback sites
(tests/softdead_server.py) serving both template sets of tests/fixtures/softdead."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from awesome_lint.cli import cli
from awesome_lint.links.cache import LinkCache
from awesome_lint.links.checker import CheckStats, check_links
from awesome_lint.links.policy import LinkPolicy
from awesome_lint.verdicts import LinkStatus, Verdict
from softdead_server import Sites, serve_sites

FIXTURES = Path(__file__).parent / "fixtures" / "softdead"
POLICY = LinkPolicy(allow_private=True, backoff=0.01, timeout=5.0, retries=1)
GONE = {Verdict.DEAD, Verdict.SOFT_404, Verdict.PARKED, Verdict.REDIRECT_TO_ROOT}

#: kind -> (link the root?, existing pages, missing pages), and what a missing page is.
PLAN = {
    "normal": (False, 3, 2, Verdict.DEAD),
    "soft404": (True, 3, 2, Verdict.SOFT_404),
    "soft404_alt": (False, 3, 2, Verdict.SOFT_404),
    "homeredirect": (True, 3, 2, Verdict.REDIRECT_TO_ROOT),
    "parked": (True, 2, 1, Verdict.PARKED),
    "parked_lander": (True, 2, 1, Verdict.PARKED),
    "spa": (True, 2, 2, Verdict.UNVERIFIABLE),
    "lookalike": (False, 3, 0, Verdict.DEAD),
}


def _links(sites: Sites) -> dict[str, bool]:
    """URL -> gone, for every site of :data:`PLAN`."""
    links: dict[str, bool] = {}
    for kind, (root, exist, missing, _) in PLAN.items():
        parked = kind.startswith("parked")
        if root:
            links[sites.url(kind, "/")] = parked
        links.update({sites.url(kind, f"/a/{7 * n + 3}"): parked for n in range(exist)})
        links.update({sites.url(kind, f"/a/{5000 + 13 * n}"): kind != "spa"
                      for n in range(missing)})
    return links


@pytest.fixture(scope="module", params=["first", "second"])
def sites(request: pytest.FixtureRequest) -> Iterator[Sites]:
    with serve_sites(FIXTURES / request.param) as running:
        yield running


def test_the_second_set_has_every_template_of_the_first() -> None:
    # bench/softdead.sh serves the second set to ../shared/softdead's server: same names.
    names = sorted(path.name for path in (FIXTURES / "second").glob("*.html"))
    assert names == sorted(path.name for path in (FIXTURES / "first").glob("*.html"))


def test_every_gone_link_found_and_no_alive_one_called_gone(sites: Sites) -> None:
    links = _links(sites)
    stats = CheckStats()
    got = check_links(list(links), POLICY, stats=stats)
    called = {url for url, status in got.items() if status.verdict in GONE}
    assert called == {url for url, gone in links.items() if gone}
    for kind, (_, _, missing, verdict) in PLAN.items():
        for n in range(missing):
            status = got[sites.url(kind, f"/a/{5000 + 13 * n}")]
            assert status.verdict is verdict, (kind, status)
            if verdict is not Verdict.DEAD:
                assert status.extra["evidence"] == status.reason and status.reason
    # The SPA's pages are unverifiable, its root alive; a page about 404s is alive.
    assert got[sites.url("spa", "/a/3")].verdict is Verdict.UNVERIFIABLE
    assert got[sites.url("spa", "/")].verdict is Verdict.OK
    assert got[sites.url("lookalike", "/a/3")].verdict is Verdict.OK
    # One probe per origin that answered a 2xx HTML page (not the 404-only "normal" site's
    # missing pages... its existing ones do), whatever the number of its links.
    for kind in PLAN:
        assert sites.probes(kind) == 1, kind
    assert stats.requests == sum(sum(hits.values()) for hits in sites.hits.values())


def test_evidence_is_not_the_wording(sites: Sites) -> None:
    # The soft 404's reason is the comparison with the probe, not what the page says.
    got = check_links([sites.url("soft404_alt", "/a/5013")], POLICY)
    reason = got[sites.url("soft404_alt", "/a/5013")].reason
    assert reason.startswith("same page as a missing path on this site, similarity ")
    redirected = check_links([sites.url("homeredirect", "/a/5026")], POLICY)
    assert redirected[sites.url("homeredirect", "/a/5026")].reason == (
        "redirected to the site's home page")


def test_head_first_takes_a_get_for_html_pages(sites: Sites) -> None:
    before = dict(sites.methods)
    url = sites.url("soft404", "/a/5039")
    stats = CheckStats()
    got = check_links([url], dataclasses.replace(POLICY, head_first=True), stats=stats)
    assert got[url].verdict is Verdict.SOFT_404
    assert sites.methods["HEAD"] - before.get("HEAD", 0) == 2  # the link and the probe
    assert sites.methods["GET"] - before.get("GET", 0) == 2
    assert stats.requests == 4


def test_probe_is_cached_across_runs(sites: Sites, tmp_path: Path) -> None:
    kind = "soft404"
    first, second = sites.url(kind, "/a/5052"), sites.url(kind, "/a/5065")
    probes = sites.probes(kind)
    with LinkCache(tmp_path / "links.sqlite3", max_age=3600, failure_age=0) as cache:
        assert check_links([first], POLICY, cache=cache)[first].verdict is Verdict.SOFT_404
        assert sites.probes(kind) == probes + 1
        stats = CheckStats()
        got = check_links([first, second], POLICY, cache=cache, stats=stats)
    assert {status.verdict for status in got.values()} == {Verdict.SOFT_404}
    assert sites.probes(kind) == probes + 1  # the cached probe answered for both
    assert stats.requests == 2  # soft 404s are failures: checked again, the probe not


def _fragments(sites: Sites) -> dict[str, LinkStatus]:
    doc = sites.url("docs", "/doc")
    return check_links([doc, f"{doc}#intro", f"{doc}#legacy", f"{doc}#caf%C3%A9", f"{doc}#gone",
                        f"{doc}#top", f"{doc}#/route", sites.url("docs", "/big#end"),
                        sites.url("docs", "/big#nowhere")],
                       dataclasses.replace(POLICY, max_body_bytes=0))


def test_remote_fragments(sites: Sites) -> None:
    before = sites.hits["docs"]["/doc"]
    got = _fragments(sites)
    doc = sites.url("docs", "/doc")
    verdicts = {url.removeprefix(sites.base["docs"]): status.verdict
                for url, status in got.items()}
    assert verdicts == {
        "/doc": Verdict.OK, "/doc#intro": Verdict.OK, "/doc#legacy": Verdict.OK,
        "/doc#caf%C3%A9": Verdict.OK, "/doc#gone": Verdict.MISSING_FRAGMENT,
        "/doc#top": Verdict.OK, "/doc#/route": Verdict.OK,  # the top; a client-side route
        "/big#end": Verdict.OK, "/big#nowhere": Verdict.OK,  # too big to read whole
    }
    assert sites.hits["docs"]["/doc"] == before + 1  # one fetch for every fragment of the page
    missing = got[f"{doc}#gone"]
    assert missing.reason == "no element with id or name \u201cgone\u201d on the page"
    assert missing.extra["page"] == "ok" and missing.extra["evidence"] == missing.reason
    assert got[f"{doc}#intro"].extra["fragments"] == {"intro": True, "legacy": True,
                                                      "caf%C3%A9": True, "gone": False}
    assert got[sites.url("docs", "/big#nowhere")].extra["fragments"] == {"end": None,
                                                                         "nowhere": None}


def test_a_page_read_for_fragments_may_be_bigger(sites: Sites) -> None:
    big = sites.url("docs", "/big#end")
    got = check_links([big, sites.url("docs", "/big#nowhere")],
                      dataclasses.replace(POLICY, max_body_bytes=1 << 20))
    assert got[big].verdict is Verdict.OK
    assert got[sites.url("docs", "/big#nowhere")].verdict is Verdict.MISSING_FRAGMENT


def test_a_compressed_page_is_read(sites: Sites) -> None:
    page = sites.url("docs", "/doc.gz")
    got = check_links([f"{page}#intro", f"{page}#gone"], POLICY)
    assert got[f"{page}#intro"].verdict is Verdict.OK
    assert got[f"{page}#gone"].verdict is Verdict.MISSING_FRAGMENT


def test_findings_carry_the_evidence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("AWESOME_LINT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    with serve_sites(FIXTURES / "second") as running:
        links = {"AL907": running.url("soft404", "/a/5000"),
                 "AL908": running.url("parked", "/"),
                 "AL909": running.url("homeredirect", "/a/5000"),
                 "AL910": running.url("docs", "/doc#gone"),
                 "AL903": running.url("spa", "/a/3")}
        (tmp_path / "README.md").write_text("# List\n\n" + "".join(
            f"- [Link {code}]({url}) - A resource.\n" for code, url in links.items()),
            encoding="utf-8")
        (tmp_path / ".awesome-lint.toml").write_text("[links]\nretries = 1\ntimeout = 5\n",
                                                     encoding="utf-8")
        result = CliRunner().invoke(cli, ["--format", "json", "--links", "--allow-private",
                                          "README.md"])
    found = {f["code"]: f for f in json.loads(result.stdout)["findings"]
             if f["code"].startswith("AL9")}
    assert set(found) == set(links)
    verdicts = {code: (f["verdict"], f["severity"]) for code, f in found.items()}
    assert verdicts == {"AL907": ("soft-404", "error"), "AL908": ("parked", "error"),
                        "AL909": ("redirect-to-root", "warning"),
                        "AL910": ("missing-fragment", "warning"),
                        "AL903": ("unverifiable", "info")}
    for code, finding in found.items():
        assert finding["url"] == links[code]
        assert finding["details"]["evidence"] in finding["message"], code
    assert result.exit_code == 1


def test_a_body_that_does_not_decode_is_not_judged(sites: Sites) -> None:
    bad = sites.url("docs", "/doc.bad#gone")
    status = check_links([bad], POLICY)[bad]
    assert status.verdict is Verdict.OK and status.extra["fragments"] == {"gone": None}


def test_no_body_is_read_on_a_site_that_answers_404(sites: Sites, tmp_path: Path) -> None:
    # Once its probe says "404 for a missing path", a site's pages need no body: with
    # head-first, a HEAD is all they take (the probe is cached from the first run).
    policy = dataclasses.replace(POLICY, head_first=True)
    with LinkCache(tmp_path / "links.sqlite3", max_age=3600, failure_age=0) as cache:
        check_links([sites.url("normal", "/a/100")], policy, cache=cache)
        before = dict(sites.methods)
        urls = [sites.url("normal", f"/a/{n}") for n in (101, 102, 103)]
        got = check_links(urls, policy, cache=cache)
    assert {status.verdict for status in got.values()} == {Verdict.OK}
    assert sites.methods["HEAD"] - before["HEAD"] == 3
    assert sites.methods["GET"] == before["GET"]
