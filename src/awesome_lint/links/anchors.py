"""Remote fragments (issue 14, part 5): does ``https://site/page#section`` name an anchor of the
page? Anchors are ``id`` attributes and ``<a name>``; on github.com a README heading's anchor
``#foo`` is rendered as ``id="user-content-foo"``. Pure: the stdlib ``html.parser``, no
network. Which fragments are looked for is :mod:`awesome_lint.links.fragments`'.

GitHub renders some of its pages in the browser (a Markdown file under ``blob/``, parts of issue
pages) and answers ``#readme`` with a script: a github.com page that shows no rendered Markdown
anchor (``user-content-...``) cannot rule a fragment out.
"""

from __future__ import annotations

from collections.abc import Iterable
from html.parser import HTMLParser
from urllib.parse import unquote

from awesome_lint.links.github_urls import GITHUB_HOSTS

__all__ = ["anchors_of", "fragment_answers"]

_GITHUB_MARKDOWN = "user-content-"


class _Anchors(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value and (name == "id" or (name == "name" and tag == "a")):
                self.found.add(value)


def anchors_of(html: str) -> set[str]:
    """Every ``id`` and ``<a name>`` of an HTML page."""
    reader = _Anchors()
    try:
        reader.feed(html)
        reader.close()
    except (AssertionError, ValueError):  # html.parser gives up on some garbage
        pass
    return reader.found


def fragment_answers(fragments: Iterable[str], html: str | None, complete: bool,
                     host: str) -> dict[str, bool | None]:
    """For each fragment: found (True), missing (False), or None when the page could not be read
    whole (too big, or not HTML): an anchor further down cannot be ruled out."""
    wanted = sorted(set(fragments))
    if html is None:
        return dict.fromkeys(wanted)
    found = anchors_of(html)
    github = host.lower() in GITHUB_HOSTS
    # A github.com page without rendered Markdown (rendered by its scripts instead) can tell
    # that an anchor is there, never that one is missing.
    telling = complete and (not github or any(a.startswith(_GITHUB_MARKDOWN) for a in found))
    answers: dict[str, bool | None] = {}
    for fragment in wanted:
        name = unquote(fragment)
        hit = (fragment in found or name in found
               or (github and f"{_GITHUB_MARKDOWN}{name.lower()}" in found)
               or (github and f"{_GITHUB_MARKDOWN}{name}" in found))
        answers[fragment] = True if hit else (False if telling else None)
    return answers
