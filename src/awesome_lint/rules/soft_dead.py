"""AL907-AL910: links that answer 200 but are gone, and anchors missing on linked pages
(``awesome-lint --links``; the evidence comes from :mod:`awesome_lint.links.softdead` and
:mod:`awesome_lint.links.anchors`)."""

from __future__ import annotations

from awesome_lint.findings import Severity, Violation
from awesome_lint.model import Link
from awesome_lint.redact import redact_url
from awesome_lint.rules.link_health import _LinkRule
from awesome_lint.verdicts import LinkStatus, Verdict


def _why(status: LinkStatus) -> str:
    return f" ({status.reason})" if status.reason else ""


class SoftNotFound(_LinkRule):
    code = "AL907"
    name = "soft-404"
    summary = "A link answers 200 with the site's \"page not found\" page: the page is gone."
    severity = Severity.ERROR
    verdict = Verdict.SOFT_404

    def report(self, link: Link, status: LinkStatus) -> Violation:
        return self.violation(link, status, f"{redact_url(link.url)} is gone although it "
                              f"answers 200{_why(status)}: remove the entry or find its new "
                              "address")


class ParkedDomain(_LinkRule):
    code = "AL908"
    name = "parked-domain"
    summary = "A link's domain is parked, for sale, or shows a server's default page."
    severity = Severity.ERROR
    verdict = Verdict.PARKED

    def report(self, link: Link, status: LinkStatus) -> Violation:
        return self.violation(link, status, f"{redact_url(link.url)} is a parked domain"
                              f"{_why(status)}: the project is gone from this address")


class RedirectToRoot(_LinkRule):
    code = "AL909"
    name = "redirect-to-root"
    summary = "A deep link redirects to the site's home page: the page it named is gone."
    severity = Severity.WARNING
    verdict = Verdict.REDIRECT_TO_ROOT

    def report(self, link: Link, status: LinkStatus) -> Violation:
        return self.violation(link, status, f"{redact_url(link.url)} redirects to the site's "
                              "home page: the page is gone; find its new address")


class MissingFragment(_LinkRule):
    code = "AL910"
    name = "missing-fragment"
    summary = "A link's #fragment names no anchor on the page it points to."
    severity = Severity.WARNING
    verdict = Verdict.MISSING_FRAGMENT

    def report(self, link: Link, status: LinkStatus) -> Violation:
        return self.violation(link, status, f"{redact_url(link.url)}: the page has no anchor "
                              f"for its fragment{_why(status)}; link the section's current "
                              "anchor or the page")
