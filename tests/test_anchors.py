"""Links to this file's anchors: by GitHub URL (AL120, AL122, the repository the run reads) and
as an entry's link instead of its resource (AL123)."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import pytest

from awesome_lint.config import Config
from awesome_lint.engine import fix_text, lint_document
from awesome_lint.findings import Finding
from awesome_lint.origin import github_repository, origin_url, remote_repository
from awesome_lint.parse import parse
from awesome_lint.registry import load_rules
from awesome_lint.rules._structure import anchor_links, self_fragment
from awesome_lint.session import lint_text
from conftest import CORPUS, corpus_params

CODES = ("AL120", "AL122", "AL123")
RULES = [r for r in load_rules() if r.code in CODES]


def _config(repository: str = "") -> Config:
    return Config(rule_settings={c: {"repository": repository} for c in CODES}
                  if repository else {})


def _lint(text: str, repository: str = "") -> list[Finding]:
    return lint_document(parse(text, "README.md"), RULES, _config(repository))


def _lines(findings: list[Finding]) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for f in findings:
        out.setdefault(f.code, []).append(f.span.line)
    return out


# --- which URLs are this file -----------------------------------------------------------------

@pytest.mark.parametrize(("url", "place", "expected"), [
    ("https://github.com/octo/list#tools", None, "tools"),
    ("https://github.com/Octo/List/#tools", "README.md", "tools"),
    ("http://www.github.com/octo/list?tab=readme-ov-file#tools", None, "tools"),
    ("https://github.com/octo/list#user-content-caf%C3%A9", None, "café"),
    ("https://github.com/octo/list/blob/main/README.md#tools", None, "tools"),
    ("https://github.com/octo/list/blob/feature/x/README.md#tools", "README.md", "tools"),
    ("https://github.com/octo/list/blob/main/docs/guide.md#tools", "docs/guide.md", "tools"),
    ("https://github.com/octo/list#tools", ".github/README.md", "tools"),
    # Not this file: another repository, another file, another tab, no fragment.
    ("https://github.com/octo/other#tools", None, None),
    ("https://github.com/octo/list/blob/main/docs/guide.md#tools", "README.md", None),
    ("https://github.com/octo/list/blob/main/CONTRIBUTING.md#tools", None, None),
    ("https://github.com/octo/list#tools", "CONTRIBUTING.md", None),
    ("https://github.com/octo/list#tools", "docs/sub/README.md", None),
    ("https://github.com/octo/list?tab=coc-ov-file#tools", None, None),
    ("https://github.com/octo/list/issues#tools", None, None),
    ("https://github.com/octo/list", None, None),
    ("https://gitlab.com/octo/list#tools", None, None),
])
def test_self_fragment(url: str, place: str | None, expected: str | None) -> None:
    found = self_fragment(url, "octo/list", place)
    assert (found[1] if found else None) == expected


# --- AL120 and AL122 --------------------------------------------------------------------------

TEXT = ("# Awesome Things\n\n- [Tools](https://github.com/octo/list#tools)\n"
        "- [Gone](https://github.com/octo/list/blob/main/README.md#gone)\n"
        "- [Top](https://github.com/octo/list#readme)\n"
        "- [Other](https://github.com/octo/other#tools)\n\n"
        "See [tools][t] and <https://github.com/octo/list#tools>.\n\n"
        "[t]: https://github.com/octo/list#tools\n\n## Tools\n")


def test_absolute_links_to_this_file_are_checked_like_anchors() -> None:
    found = _lint(TEXT, "octo/list")
    assert _lines(found) == {"AL122": [3, 8, 8], "AL120": [4]}
    broken = next(f for f in found if f.code == "AL120")
    assert broken.message == ("Link to https://github.com/octo/list/blob/main/README.md#gone "
                              "(this file's #gone) matches no heading or anchor in this file; "
                              "point it at an existing heading's anchor")
    # Without a repository nothing is known about these URLs.
    assert _lint(TEXT) == []


def test_the_relative_fix() -> None:
    fixed, count, remaining = fix_text(TEXT, "README.md", RULES, _config("octo/list"))
    assert count == 2
    assert "- [Tools](#tools)\n" in fixed and "[t]: #tools\n" in fixed
    # The autolink shows its address: a person writes its text.
    assert _lines(remaining) == {"AL120": [4], "AL122": [8]}
    assert remaining[1].fix is None and "write #tools" in remaining[1].message


def test_html_hrefs_are_fixed_in_place() -> None:
    text = '<p><a href="https://github.com/octo/list#tools">Tools</a></p>\n\n## Tools\n'
    fixed, count, _ = fix_text(text, "README.md", RULES, _config("octo/list"))
    assert count == 1 and fixed.startswith('<p><a href="#tools">Tools</a></p>')


def test_the_corpus_self_link_is_read_and_left_alone() -> None:
    # sindresorhus/awesome's "Awesome - Recursion illustrated." entry (line 752) links to the
    # repository's page (#readme): recognised as this file, not a section, so no finding.
    text = (CORPUS / "sindresorhus__awesome.md").read_text(encoding="utf-8")
    doc = parse(text, "sindresorhus__awesome.md")
    found = [(a.link.span.line, a.name) for a in anchor_links(doc, "sindresorhus/awesome")
             if a.absolute]
    assert found == [(752, "readme")]
    assert _lint(text, "sindresorhus/awesome") == []
    lines = text.split("\n")
    # The entry pointed at a section: an entry without its resource (AL123), by URL or not.
    entry = lines[751]
    lines[751] = entry.replace("awesome#readme", "awesome#platforms")
    assert _lines(_lint("\n".join(lines), "sindresorhus/awesome")) == {"AL123": [752]}
    lines[751] = entry.replace("awesome#readme", "awesome#platform")
    assert _lines(_lint("\n".join(lines), "sindresorhus/awesome")) == {"AL120": [752],
                                                                       "AL123": [752]}
    lines[751] = entry


def test_a_corpus_toc_written_as_urls_is_fixed_back() -> None:
    # sindresorhus/awesome's ToC entries as this README's URLs: AL122 on each, and the fix
    # gives back the file as it is; a broken one is AL120's.
    text = (CORPUS / "sindresorhus__awesome.md").read_text(encoding="utf-8")
    url = "https://github.com/sindresorhus/awesome#"
    lines = text.split("\n")
    assert lines[80:83] == ["- [Platforms](#platforms)",
                            "- [Programming Languages](#programming-languages)",
                            "- [Front-End Development](#front-end-development)"]
    for n in (80, 81, 82):
        lines[n] = lines[n].replace("](#", "](" + url)
    absolute = "\n".join(lines)
    assert _lines(_lint(absolute, "sindresorhus/awesome")) == {"AL122": [81, 82, 83]}
    fixed, count, remaining = fix_text(absolute, "README.md", RULES,
                                       _config("sindresorhus/awesome"))
    assert (fixed, count, remaining) == (text, 3, [])
    broken = absolute.replace(url + "platforms", url + "platform")
    assert _lines(_lint(broken, "sindresorhus/awesome")) == {"AL120": [81], "AL122": [82, 83]}


# --- the repository the run reads -------------------------------------------------------------

@pytest.mark.parametrize(("url", "expected"), [
    ("https://github.com/octo/list.git", "octo/list"),
    ("https://github.com/octo/list", "octo/list"),
    ("git@github.com:Octo/my.list.git", "Octo/my.list"),
    ("ssh://git@github.com:22/octo/list.git/", "octo/list"),
    ("https://x-access-token:secret@github.com/octo/list", "octo/list"),
    ("https://gitlab.com/octo/list.git", None),
    ("https://github.com/octo/list/tree/main", None),
    ("/srv/git/list.git", None),
])
def test_remote_repository(url: str, expected: str | None) -> None:
    assert remote_repository(url) == expected


def _checkout(root: Path, config: str) -> Path:
    (root / ".git").mkdir(parents=True)
    (root / ".git" / "config").write_text(config, encoding="utf-8")
    return root


def test_origin_is_read_from_the_git_config(tmp_path: Path) -> None:
    root = _checkout(tmp_path, '[core]\n\tbare = false\n[remote "upstream"]\n'
                               "\turl = https://github.com/up/list\n"
                               '[remote "origin"]\n\tURL = "git@github.com:octo/list.git"\n')
    assert origin_url(root) == "git@github.com:octo/list.git"
    assert github_repository(root, {"GITHUB_REPOSITORY": "ci/other"}) == "octo/list"
    # A worktree's .git is a file pointing into the main checkout's .git.
    worktree = tmp_path / "wt"
    (tmp_path / ".git" / "worktrees" / "wt").mkdir(parents=True)
    (tmp_path / ".git" / "worktrees" / "wt" / "commondir").write_text("../..\n")
    worktree.mkdir()
    (worktree / ".git").write_text(f"gitdir: {tmp_path / '.git' / 'worktrees' / 'wt'}\n")
    assert github_repository(worktree, {}) == "octo/list"


def test_without_origin_the_workflow_repository_is_used(tmp_path: Path) -> None:
    root = _checkout(tmp_path, "[core]\n\tbare = false\n")
    assert github_repository(root, {"GITHUB_REPOSITORY": "octo/list"}) == "octo/list"
    assert github_repository(None, {"GITHUB_REPOSITORY": "octo/list"}) == "octo/list"
    assert github_repository(root, {"GITHUB_REPOSITORY": "not a name"}) is None
    assert github_repository(root, {}) is None


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_git_config_that_is_no_regular_file_is_not_read(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    os.mkfifo(tmp_path / ".git" / "config")  # reading it would wait for a writer forever
    assert origin_url(tmp_path) is None
    big = tmp_path / "big"
    _checkout(big, '[remote "origin"]\n\turl = https://github.com/octo/list\n' + "#" * 70_000)
    assert origin_url(big) is None


def test_the_run_reads_the_repository_and_the_option_overrides_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_REPOSITORY", raising=False)
    root = _checkout(tmp_path / "repo",
                     '[remote "origin"]\n\turl = https://github.com/octo/list.git\n')
    text = ("# T\n\n[Tools](https://github.com/octo/list#tools) and "
            "[x](https://github.com/a/b#nope)\n\n## Tools\n")
    found = lint_text(text, "README.md", select=CODES, directory=root)
    assert [(f.code, f.span.line) for f in found] == [("AL122", 3)]
    # In a sub-folder, a link to the repository's page is to the root README, not this file.
    (root / "guides").mkdir()
    assert lint_text(text, "README.md", select=CODES, directory=root / "guides") == []
    config = Config(rule_settings={"AL120": {"repository": "a/b"}})
    found = lint_text(text, "README.md", config, select=CODES, directory=root)
    assert [(f.code, f.span.line) for f in found] == [("AL122", 3), ("AL120", 3)]
    # Outside any checkout, GITHUB_REPOSITORY (the workflow's) is the repository.
    monkeypatch.setenv("GITHUB_REPOSITORY", "a/b")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    found = lint_text(text, "README.md", select=CODES, directory=outside)
    assert [(f.code, f.span.line) for f in found] == [("AL120", 3)]


# --- AL123 ------------------------------------------------------------------------------------

def test_an_entry_linking_a_section_instead_of_its_resource() -> None:
    text = ("# Awesome Payments\n\n## Services\n\n- [Stripe](https://stripe.com) - Online.\n"
            "- [Venmo](#payments) - Mobile payments.\n- [Wise](https://wise.com) - Transfers.\n"
            "  - [Wise API](#api) - Its API.\n- [Adyen](https://adyen.com) - Platform.\n\n"
            "## Payments\n")
    found = _lint(text)
    assert _lines(found) == {"AL123": [6, 8], "AL120": [8]}
    venmo = found[0]
    assert venmo.message.startswith("Entry 'Venmo' links to #payments, a place in this list, "
                                    "not to its resource; link the resource's own URL")
    assert [r.span.line for r in venmo.related] == [11]


def test_navigation_lists_and_links_back_up_are_not_entries() -> None:
    text = ("# Awesome Payments\n\n## Contents\n\n- [Services](#services)\n- [Fun](#fun)\n"
            "- [Wallets](#wallets)\n\n## Services\n\n- [Stripe](https://stripe.com) - A.\n"
            "- [Wise](https://wise.com) - B, see [Wallets](#wallets).\n"
            "- [Back to top](#awesome-payments)\n- [Contents](#contents)\n- [Up](#top)\n"
            "- [Coinbase](https://coinbase.com) - C.\n- [Kraken](https://kraken.com) - D.\n\n"
            "## Fun\n\n- [Comics](#comics)\n- [Games](#games)\n- [XKCD](https://xkcd.com)\n\n"
            "### Comics\n\n### Games\n\n## Wallets\n")
    assert _lint(text) == []


@pytest.mark.parametrize("path", corpus_params())
def test_no_finding_on_the_corpus(path: Path) -> None:
    # The corpus has no such entry; academic's lists of a section's sub-sections (Socialize,
    # Fun) are navigation. Its one same-repository URL is sindresorhus/awesome's #readme.
    repository = path.name.split(".")[0].replace("__", "/")
    found = _lint(path.read_text(encoding="utf-8"), repository)
    assert [f for f in found if f.code != "AL120"] == [], Counter(f.code for f in found)
