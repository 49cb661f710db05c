"""Which fragment of a link names an anchor worth looking for on its page (issue 14, part 5):
not text fragments, client-side routes or ``#top``; on github.com not line numbers, ``#readme``
or GitHub's own comment and diff anchors (set by its scripts). Strings only: reading a page's
anchors is :mod:`awesome_lint.links.anchors`'."""

from __future__ import annotations

import re

from awesome_lint.links.github_urls import GITHUB_HOSTS

__all__ = ["checked_fragment"]

#: Fragments that are not anchors: text fragments, client-side routes, GitHub's line numbers.
_NOT_ANCHOR = re.compile(r":~:|[/!]")
_GITHUB_LINES = re.compile(r"L\d+(?:C\d+)?(?:-L\d+(?:C\d+)?)?\Z")
#: GitHub's own anchors on issue, pull request, commit and discussion pages (set by its scripts).
_GITHUB_OWN = re.compile(r"(?:(?:issuecomment|discussioncomment|pullrequestreview|commitcomment"
                         r"|event)-\d+|discussion_r\d+|diff-[0-9a-f]{6,}"
                         r"|ref-(?:issue|pullrequest|commit)-\w+)\Z", re.IGNORECASE)


def checked_fragment(fragment: str, host: str) -> bool:
    """Whether ``fragment`` (of a URL on ``host``) names an anchor that can be looked for."""
    if not fragment or _NOT_ANCHOR.match(fragment) or fragment.lower() == "top":
        return False  # "#top" is the top of any page (HTML spec)
    if host.lower() in GITHUB_HOSTS:
        return not (_GITHUB_LINES.match(fragment) or _GITHUB_OWN.match(fragment)
                    or fragment.lower() == "readme")
    return True
