"""From link statuses to findings on the lines where the links are written."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from awesome_lint.findings import Applicability, Edit, Finding, Fix
from awesome_lint.model import Document, Link
from awesome_lint.redact import redact_url
from awesome_lint.rule import Rule
from awesome_lint.urls import is_web_url
from awesome_lint.verdicts import LinkStatus, Verdict


def absolute(url: str) -> str:
    """The URL to fetch for a link as written (protocol-relative links get https)."""
    url = url.strip()
    return "https:" + url if url.startswith("//") else url


def web_links(doc: Document) -> list[Link]:
    """Every link of ``doc`` that points at the web: entries, prose, images, HTML."""
    return [link for link in doc.links if is_web_url(link.url)]


def _message(link: Link, status: LinkStatus) -> tuple[str, str] | None:
    """(rule code, message) for a status worth reporting, else None."""
    url = redact_url(link.url)
    reason = f" ({status.reason})" if status.reason else ""
    if status.verdict is Verdict.DEAD:
        return "AL901", f"Dead link {url}{reason}: remove the entry or find its new address"
    if status.verdict is Verdict.REDIRECTED and status.final_url:
        kind = "permanently" if status.permanent else "temporarily"
        return "AL902", f"{url} redirects {kind} to {redact_url(status.final_url)}: link there"
    if status.verdict is Verdict.BLOCKED:
        return "AL903", f"Could not verify {url}{reason}"
    if status.verdict is Verdict.ERROR:
        return "AL904", f"Could not check {url}{reason}; it may be down: check again later"
    return None


def link_findings(doc: Document, statuses: Mapping[str, LinkStatus],
                  rules: Sequence[type[Rule]], options: Mapping[str, Mapping[str, object]]
                  ) -> list[Finding]:
    """Findings for the web links of ``doc`` from ``statuses`` (keyed by :func:`absolute`).

    Only rules in ``rules`` report; ``options`` are the configured rule options.
    """
    enabled = {rule.code: rule for rule in rules}
    found: list[Finding] = []
    for link in web_links(doc):
        status = statuses.get(absolute(link.url))
        if status is None:
            continue
        reports: list[tuple[str, str, Fix | None]] = []
        described = _message(link, status)
        if described is not None:
            code, message = described
            fix = None
            if code == "AL902":
                temporary = bool(options.get(code, {}).get("temporary", False))
                if not status.permanent and not temporary:
                    described = None
                elif status.permanent and status.final_url:
                    edit = Edit(link.url_span, status.final_url)
                    fix = Fix((edit,), Applicability.UNSAFE)
            if described is not None:
                reports.append((code, message, fix))
        if status.archived:
            message = (f"{redact_url(link.url)} is archived: the project is no longer "
                       "maintained; consider removing or marking the entry")
            reports.append(("AL905", message, None))
        for code, message, fix in reports:
            rule = enabled.get(code)
            if rule is None:
                continue
            found.append(Finding(doc.path, link.span, code, rule.name, rule.severity, message,
                                 fix, url=redact_url(link.url), verdict=status.verdict.value))
    return found
