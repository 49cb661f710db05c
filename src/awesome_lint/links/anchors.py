"""Remote fragments (issue 14, part 5): does ``https://site/page#section`` name an anchor of the
page? Anchors are ``id`` attributes and ``<a name>``; on github.com a README heading's anchor
``#foo`` is rendered as ``id="user-content-foo"``. Pure: the stdlib ``html.parser``, no network.

GitHub renders some of its pages in the browser (a Markdown file under ``blob/``, parts of issue
pages) and answers ``#readme`` with a script: a github.com page that shows no rendered Markdown
anchor (``user-content-...``) cannot rule a fragment out, ``#readme`` is always there, and
GitHub's own comment and diff anchors are not looked for.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from html.parser import HTMLParser
from urllib.parse import unquote

__all__ = ["anchors_of", "checked_fragment", "fragment_answers"]

#: Fragments that are not anchors: text fragments, client-side routes, GitHub's line numbers.
_NOT_ANCHOR = re.compile(r":~:|[/!]")
_GITHUB_LINES = re.compile(r"L\d+(?:C\d+)?(?:-L\d+(?:C\d+)?)?\Z")
#: GitHub's own anchors on issue, pull request, commit and discussion pages (set by its scripts).
_GITHUB_OWN = re.compile(r"(?:(?:issuecomment|discussioncomment|pullrequestreview|commitcomment"
                         r"|event)-\d+|discussion_r\d+|diff-[0-9a-f]{6,}"
                         r"|ref-(?:issue|pullrequest|commit)-\w+)\Z", re.IGNORECASE)
_GITHUB_MARKDOWN = "user-content-"
_GITHUB = ("github.com", "www.github.com")


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


def checked_fragment(fragment: str, host: str) -> bool:
    """Whether ``fragment`` (of a URL on ``host``) names an anchor that can be looked for."""
    if not fragment or _NOT_ANCHOR.match(fragment) or fragment.lower() == "top":
        return False  # "#top" is the top of any page (HTML spec)
    if host.lower() in _GITHUB:
        return not (_GITHUB_LINES.match(fragment) or _GITHUB_OWN.match(fragment)
                    or fragment.lower() == "readme")
    return True


def fragment_answers(fragments: Iterable[str], html: str | None, complete: bool,
                     host: str) -> dict[str, bool | None]:
    """For each fragment: found (True), missing (False), or None when the page could not be read
    whole (too big, or not HTML): an anchor further down cannot be ruled out."""
    wanted = sorted(set(fragments))
    if html is None:
        return dict.fromkeys(wanted)
    found = anchors_of(html)
    github = host.lower() in _GITHUB
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
