"""AL901-AL914: what the link check found (``awesome-lint --links``), and what a
link's history across runs says (``first_failed``, ``failures``... in each status's ``extra``,
set by the link check: these rules only word it).

Each reads ``Document.link_statuses``, which the run sets after the network check; without
``--links`` there are none and these rules report nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from awesome_lint.findings import Applicability, Edit, Fix, Severity, Violation
from awesome_lint.model import Document, Link
from awesome_lint.redact import redact_url
from awesome_lint.rule import Option, Phase, Rule
from awesome_lint.rules._links import checked_links, project_details
from awesome_lint.urls import safe_markdown_url
from awesome_lint.verdicts import DEAD_AFTER, FAILING_AS, HISTORY_DETAILS, LinkStatus, Verdict


class _LinkRule(Rule):
    phase = Phase.LINKS
    #: The verdict this rule reports.
    verdict: Verdict

    def check(self, doc: Document) -> Iterator[Violation]:
        for link, status in checked_links(doc):
            if status.verdict is self.verdict:
                violation = self.report(link, status)
                if violation is not None:
                    yield violation

    def report(self, link: Link, status: LinkStatus) -> Violation | None:
        raise NotImplementedError

    @staticmethod
    def violation(link: Link, status: LinkStatus, message: str,
                  fix: Fix | None = None) -> Violation:
        """The finding, with what the check learned in ``details`` (:data:`_DETAILS`); a gone
        link's names its replacement if known (a new address is also an unsafe fix), whatever
        the rule."""
        from awesome_lint.replacements import replacement_for  # (a finding is rare)

        details = _details(status)
        replacement = replacement_for(status)
        if replacement is not None:
            message += replacement.suffix()
            details["replacement"] = replacement.to_json()
            if fix is None and replacement.is_move:
                fix = Fix((Edit(link.url_span, replacement.url),), Applicability.UNSAFE)
        return Violation(link.span, message, fix, url=redact_url(link.url),
                         verdict=status.verdict.value, details=details)


#: ``LinkStatus.extra`` keys every link finding carries in its ``details``: ``evidence`` says
#: why a page that answers 200 is gone (AL907-AL910); the history's keys say since when it fails.
_DETAILS = ("evidence", *HISTORY_DETAILS)


def _details(status: LinkStatus) -> dict[str, Any]:
    """The facts a link finding carries for machines and reports (JSON ``details``)."""
    return {key: status.extra[key] for key in _DETAILS if key in status.extra}


def _colon(status: LinkStatus) -> str:
    return f": {status.reason}" if status.reason else ""


def _reason(status: LinkStatus) -> str:
    return f" ({status.reason})" if status.reason else ""


class DeadLink(_LinkRule):
    code = "AL901"
    name = "dead-link"
    summary = "A link is dead: 404 or 410, an unknown host, or a refused connection."
    severity = Severity.ERROR
    fixable = True  # only to a known new address (see _LinkRule.violation)
    verdict = Verdict.DEAD

    def report(self, link: Link, status: LinkStatus) -> Violation:
        return self.violation(link, status, f"Dead link {redact_url(link.url)}{_reason(status)}: "
                                            "remove the entry or find its new address")


class RedirectedLink(_LinkRule):
    code = "AL902"
    name = "redirected-link"
    summary = "A link redirects permanently: point it at its new address."
    severity = Severity.WARNING
    fixable = True
    options = (
        Option("temporary", False, "Also report temporary redirects (302, 303, 307)."),
    )
    verdict = Verdict.REDIRECTED

    def report(self, link: Link, status: LinkStatus) -> Violation | None:
        if not status.final_url or not (status.permanent or self.settings["temporary"]):
            return None
        kind = "permanently" if status.permanent else "temporarily"
        message = (f"{redact_url(link.url)} redirects {kind} to {redact_url(status.final_url)}: "
                   "link there")
        # The new address comes from a server: written only as a well-formed http(s) URL that
        # cannot close the Markdown link or open HTML.
        target = safe_markdown_url(status.final_url) if status.permanent else None
        fix = None if target is None else Fix((Edit(link.url_span, target),),
                                              Applicability.UNSAFE)
        return self.violation(link, status, message, fix)


class UnverifiableLink(_LinkRule):
    code = "AL903"
    name = "unverifiable-link"
    summary = ("A site refused the checker (401, 403, 429, bot walls), or its pages cannot tell "
               "(an app shell): the link is unverified.")
    severity = Severity.INFO
    verdict = Verdict.BLOCKED

    def check(self, doc: Document) -> Iterator[Violation]:
        for link, status in checked_links(doc):
            if status.verdict in (Verdict.BLOCKED, Verdict.UNVERIFIABLE):
                yield self.report(link, status)

    def report(self, link: Link, status: LinkStatus) -> Violation:
        return self.violation(link, status,
                              f"Could not verify {redact_url(link.url)}{_reason(status)}")


class LinkError(_LinkRule):
    code = "AL904"
    name = "link-error"
    summary = "A link could not be checked: timeouts, TLS errors or server errors after retries."
    severity = Severity.WARNING
    verdict = Verdict.ERROR

    def report(self, link: Link, status: LinkStatus) -> Violation:
        if status.extra.get("skipped_by_policy"):  # the run's own address guard, not the site
            return self.violation(link, status, f"Did not check {redact_url(link.url)}"
                                                f"{_reason(status)}")
        return self.violation(link, status, f"Could not check {redact_url(link.url)}"
                                            f"{_reason(status)}; it may be down: check again later")


class ArchivedRepository(_LinkRule):
    code = "AL905"
    name = "archived-repository"
    summary = "A repository in the list is archived (read-only, no longer maintained)."
    severity = Severity.WARNING

    def check(self, doc: Document) -> Iterator[Violation]:
        # Whatever the link's own verdict (a moved repository can be archived too), the finding's
        # verdict is "archived", with the project's facts.
        for link, status in checked_links(doc):
            if status.archived:
                yield Violation(link.span, f"{redact_url(link.url)} is archived: the project is "
                                "no longer maintained; consider removing or marking the entry",
                                url=redact_url(link.url), verdict=Verdict.ARCHIVED.value,
                                details={**project_details(status), "archived": True})


class SoftNotFound(_LinkRule):
    code = "AL907"
    name = "soft-404"
    summary = "A link answers 200 with the site's \"page not found\" page: the page is gone."
    severity = Severity.ERROR
    verdict = Verdict.SOFT_404

    def report(self, link: Link, status: LinkStatus) -> Violation:
        return self.violation(link, status, f"{redact_url(link.url)} is gone although it "
                              f"answers 200{_reason(status)}: remove the entry or find its new "
                              "address")


class ParkedDomain(_LinkRule):
    code = "AL908"
    name = "parked-domain"
    summary = "A link's domain is parked, for sale, or shows a server's default page."
    severity = Severity.ERROR
    verdict = Verdict.PARKED

    def report(self, link: Link, status: LinkStatus) -> Violation:
        return self.violation(link, status, f"{redact_url(link.url)} is a parked domain"
                              f"{_reason(status)}: the project is gone from this address")


class RedirectToRoot(_LinkRule):
    code = "AL909"
    name = "redirect-to-root"
    summary = "A deep link redirects to the site's home page: the page it named is gone."
    severity = Severity.WARNING
    verdict = Verdict.REDIRECT_TO_ROOT

    def report(self, link: Link, status: LinkStatus) -> Violation:
        return self.violation(link, status, f"{redact_url(link.url)} is gone{_reason(status)}:"
                              " find its new address or remove the entry")


class MissingFragment(_LinkRule):
    code = "AL910"
    name = "missing-fragment"
    summary = "A link's #fragment names no anchor on the page it points to."
    severity = Severity.WARNING
    verdict = Verdict.MISSING_FRAGMENT

    def report(self, link: Link, status: LinkStatus) -> Violation:
        return self.violation(link, status, f"{redact_url(link.url)}: the page has no anchor "
                              f"for its fragment{_reason(status)}; link the section's current "
                              "anchor or the page")


def _day(extra: dict[str, Any], key: str) -> str:
    """The date and time (to the minute, UTC) of the ISO time ``extra[key]``, or "an earlier
    run" when there is none."""
    value = extra.get(key)
    if not isinstance(value, str) or len(value) < 16:
        return "an earlier run"
    return f"{value[:10]} {value[11:16]} UTC"


class FailingLink(_LinkRule):
    code = "AL913"
    name = "failing-link"
    summary = ("A link failed, but not yet in enough runs to be called dead "
               "(`dead-after`).")
    severity = Severity.WARNING
    verdict = Verdict.FAILING

    def report(self, link: Link, status: LinkStatus) -> Violation:
        extra = status.extra
        failures, needed = extra.get("failures"), extra.get("runs_needed")
        count = ""
        if isinstance(failures, int) and isinstance(needed, int):
            count = (f" ({failures} of {needed})" if failures < needed
                     else f" ({failures} runs, not yet far enough apart)")
        rule = extra.get(DEAD_AFTER)
        when = f"in {rule}" if isinstance(rule, str) else "in enough runs"
        return self.violation(
            link, status,
            f"{redact_url(link.url)} failing since {_day(extra, 'first_failed')}{count}"
            f"{_colon(status)}; reported as {extra.get(FAILING_AS, Verdict.DEAD.value)} once "
            f"it has failed {when}")


class RecoveredLink(_LinkRule):
    code = "AL914"
    name = "recovered-link"
    summary = "A link that failed in earlier runs works again."
    severity = Severity.INFO
    verdict = Verdict.RECOVERED

    def check(self, doc: Document) -> Iterator[Violation]:
        for link, status in checked_links(doc):
            if status.extra.get("recovered"):
                yield self.report(link, status)

    def report(self, link: Link, status: LinkStatus) -> Violation:
        extra = status.extra
        failures = extra.get("failures")
        runs = (f" in {failures} run{'s' if failures != 1 else ''}"
                if isinstance(failures, int) else "")
        return Violation(link.span, f"{redact_url(link.url)} works again: it failed{runs} "
                                    f"since {_day(extra, 'first_failed')}",
                         url=redact_url(link.url), verdict=Verdict.RECOVERED.value,
                         details=_details(status))
