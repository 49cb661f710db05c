"""AL911-AL912: the health of the projects behind repository links (``--links``; GitHub with a
token, GitLab and Gitea/Forgejo through their REST APIs).

The API's answer rides on each repository link's status (``LinkStatus.extra``:
``last_commit``, ``archived``, ``fork``, ``default_branch``, ``moved_to``); AL905 (archived) is
with the other link rules in :mod:`awesome_lint.rules.link_health`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime, timedelta, timezone
from typing import ClassVar

from awesome_lint.findings import Applicability, Edit, Fix, Severity, Violation
from awesome_lint.model import Document
from awesome_lint.redact import redact_url
from awesome_lint.rule import Option, Phase, Rule
from awesome_lint.rules._links import checked_links, project_details
from awesome_lint.urls import safe_markdown_url
from awesome_lint.verdicts import Verdict


def _when(value: object) -> datetime | None:
    """An ISO-8601 time (``...Z`` or with an offset) as an aware datetime, else None."""
    if not isinstance(value, str):
        return None
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo is not None else None


#: The verdicts of a link to a repository that exists.
_WORKING = frozenset({Verdict.OK, Verdict.MOVED, Verdict.MISSING_FRAGMENT})


class StaleRepository(Rule):
    code = "AL911"
    name = "stale-repository"
    summary = "A repository in the list has had no commit for a long time (2 years)."
    severity = Severity.INFO
    preset_severity: ClassVar[Mapping[str, Severity]] = {"awesome": Severity.WARNING}
    phase = Phase.LINKS
    options = (
        Option("days", 730, "Days without a commit to the default branch before a repository "
                            "is reported."),
    )

    def check(self, doc: Document) -> Iterator[Violation]:
        cutoff = datetime.now(timezone.utc) - timedelta(days=max(0, self.settings["days"]))
        for link, status in checked_links(doc):
            # An archived repository is AL905's finding: it says more than "no commits". A
            # link whose #fragment is missing (AL910) is a working repository all the same.
            if status.archived or status.verdict not in _WORKING:
                continue
            last = _when(status.extra.get("last_commit"))
            if last is None or last >= cutoff:
                continue
            url = redact_url(link.url)
            yield Violation(link.span, f"{url} has had no commit since {last.date()} (more "
                            f"than {self.settings['days']} days): check that the project is "
                            "still alive, or say that it is finished",
                            url=url, verdict=Verdict.STALE.value,
                            details=project_details(status))


class MovedRepository(Rule):
    code = "AL912"
    name = "moved-repository"
    summary = "A repository in the list was renamed or transferred: link its new address."
    severity = Severity.WARNING
    fixable = True
    phase = Phase.LINKS

    def check(self, doc: Document) -> Iterator[Violation]:
        for link, status in checked_links(doc):
            if status.verdict is not Verdict.MOVED or not status.final_url:
                continue
            target = status.final_url
            fragment = link.url.partition("#")[2]
            if fragment and "#" not in target:  # the check drops fragments; the link keeps its
                target = f"{target}#{fragment}"
            # The new address comes from the API: written only as a well-formed http(s) URL
            # that cannot close the Markdown link or open HTML.
            safe = safe_markdown_url(target)
            fix = None if safe is None else Fix((Edit(link.url_span, safe),), Applicability.SAFE)
            url, moved_to = redact_url(link.url), redact_url(target)
            yield Violation(link.span, f"{url} moved to {moved_to} (renamed or transferred on "
                            "its forge): link there", fix, url=url, verdict=Verdict.MOVED.value,
                            details={**project_details(status), "moved_to": moved_to})
