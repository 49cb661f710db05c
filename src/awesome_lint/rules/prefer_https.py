"""AL206 prefer-https: an entry links to ``http://`` where ``https://`` may work."""

from __future__ import annotations

import re
from collections.abc import Iterator

from awesome_lint.findings import Severity, Violation
from awesome_lint.model import Document
from awesome_lint.rule import Rule, Tier
from awesome_lint.rules._entry_text import name_link

_LOCAL = re.compile(r"^http://(localhost|127\.|0\.0\.0\.0|\[::1\]|10\.|192\.168\.)", re.I)


class PreferHttps(Rule):
    """Suggest ``https://`` for an entry's main link; the link checker can confirm it works."""

    code = "AL206"
    name = "prefer-https"
    summary = "An entry's link uses http://; prefer https:// where the site supports it."
    severity = Severity.INFO
    tier = Tier.OPT_IN

    def check(self, doc: Document) -> Iterator[Violation]:
        for entry in doc.iter_entries():
            link = name_link(doc, entry)
            if link is None:
                continue
            url = link.url
            if url[:7].lower() != "http://" or _LOCAL.match(url):
                continue
            yield Violation(link.url_span, "Link uses http://; use https:// if the site "
                            "serves it (most do)")
