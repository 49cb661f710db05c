"""``--format html``: the health of a list at a glance, in one self-contained file.

Counts by verdict, a chart of repository age (years since ``details.last_commit``), the links
newly failing and recovered since the last run, suggested replacements, per-section health,
then every finding grouped as in the Markdown report. Without ``--links``: the findings only,
and a line saying links were not checked.

One file that loads nothing: inline CSS, an inline SVG chart, no script, no font, no image, and
a Content-Security-Policy of ``default-src 'none'`` that forbids any load a bug could add. Every
text from a list or a server is escaped (:func:`html.escape`, control characters shown as
``\\x1b``); a URL is a link only when :func:`~awesome_lint.urls.safe_markdown_url` accepts it (an
http(s) URL with nothing that could leave the attribute), else it is shown as text.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from datetime import datetime, timezone
from typing import TextIO

import awesome_lint
from awesome_lint.findings import Finding
from awesome_lint.redact import redact_url
from awesome_lint.report import health
from awesome_lint.report.markdown import groups
from awesome_lint.report.text import clean, summary_line
from awesome_lint.result import LinkRecord, RunResult
from awesome_lint.urls import safe_markdown_url

#: Groups of findings longer than this are folded in ``<details>``.
FOLD_AFTER = 10
_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"
_STYLE = """
body{font:15px/1.45 system-ui,sans-serif;margin:0;color:#1f2328;background:#f6f8fa}
main{max-width:1100px;margin:0 auto;padding:24px}
section{background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:16px 20px;margin:16px 0}
h1{margin:0 0 4px}h2{margin:0 0 12px;font-size:1.2em}h3{font-size:1em;margin:16px 0 8px}
.cards{display:flex;flex-wrap:wrap;gap:10px}
.card{border:1px solid #d0d7de;border-radius:6px;padding:8px 14px;min-width:90px}
.card .n{font-size:1.6em;font-weight:600;display:block}
.gone{border-color:#cf222e;color:#cf222e}.ok{border-color:#1a7f37;color:#1a7f37}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #eaeef2;vertical-align:top}
td.n,th.n{text-align:right}td{overflow-wrap:anywhere}
.empty{color:#59636e;font-style:italic}
.bar{fill:#0969da}.axis{stroke:#8c959f}svg text{font-size:12px;fill:#1f2328}
.meter{display:inline-block;height:8px;background:#cf222e;border-radius:4px;min-width:1px}
"""


def _esc(value: object) -> str:
    """Text for HTML: control characters as ``\\x1b``, then every markup character escaped."""
    return html.escape(clean(str(value)), quote=True)


def _url(url: str) -> str:
    """A URL from a list or a server: a link when it is a safe http(s) URL, else text."""
    shown = _esc(redact_url(url))
    target = safe_markdown_url(redact_url(url))
    if target is None:
        return f'<span class="url">{shown}</span>'
    return f'<a href="{_esc(target)}" rel="noopener noreferrer nofollow">{shown}</a>'


def _table(header: Sequence[str], rows: Iterable[Sequence[str]], *, numeric: int = 0,
           cls: str = "") -> str:
    """A table; ``header`` is our text, each cell already escaped; the last ``numeric``
    columns are right-aligned."""
    def cells(values: Sequence[str], tag: str) -> str:
        first = len(values) - numeric
        return "".join(f'<{tag} class="n">{v}</{tag}>' if i >= first else f"<{tag}>{v}</{tag}>"
                       for i, v in enumerate(values))

    body = "".join(f"<tr>{cells(row, 'td')}</tr>" for row in rows)
    attr = f' class="{cls}"' if cls else ""
    return (f"<table{attr}><thead><tr>{cells(header, 'th')}</tr></thead>"
            f"<tbody>{body}</tbody></table>")


def _section(ident: str, title: str, body: str) -> str:
    return f'<section id="{ident}"><h2>{title}</h2>{body}</section>\n'


def _where(record: LinkRecord) -> str:
    return _esc(f"{record.path}:{record.line}")


def _counts(records: Sequence[LinkRecord]) -> str:
    cards = []
    for verdict, count in health.verdict_counts(records):
        kind = (" gone" if verdict in health.GONE_VALUES else
                " ok" if verdict in ("ok", "recovered") else "")
        cards.append(f'<div class="card{kind}" data-verdict="{_esc(verdict)}">'
                     f'<span class="n">{count:,}</span>{_esc(verdict)}</div>')
    body = f'<p id="links-total">{len(records):,} links checked.</p>'
    body += f'<div class="cards">{"".join(cards)}</div>' if cards else ""
    return _section("verdicts", "Links by verdict", body)


def _chart(counts: Sequence[int]) -> str:
    """An SVG bar chart of repositories per age bucket (one ``rect.bar`` per bucket)."""
    width, height, top, bottom, left = 560, 220, 20, 40, 40
    slot = (width - left) / len(counts)
    tallest = max(counts) or 1
    parts = [f'<svg id="age-chart" xmlns="http://www.w3.org/2000/svg" width="{width}" '
             f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
             'aria-label="Repositories by years since their last commit">',
             f'<line class="axis" x1="{left}" y1="{height - bottom}" x2="{width}" '
             f'y2="{height - bottom}"/>']
    for index, ((label, _), count) in enumerate(zip(health.AGE_BUCKETS, counts, strict=True)):
        bar = (height - top - bottom) * count / tallest
        x = left + index * slot + slot * 0.15
        y = height - bottom - bar
        parts.append(f'<rect class="bar" data-bucket="{_esc(label)}" data-count="{count}" '
                     f'x="{x:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" height="{bar:.1f}">'
                     f"<title>{_esc(label)}: {count:,}</title></rect>")
        parts.append(f'<text x="{x + slot * 0.35:.1f}" y="{y - 4:.1f}" '
                     f'text-anchor="middle">{count:,}</text>')
        parts.append(f'<text x="{x + slot * 0.35:.1f}" y="{height - bottom + 16}" '
                     f'text-anchor="middle">{_esc(label)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _age(records: Sequence[LinkRecord], now: datetime) -> str:
    counts = health.age_buckets(records, now)
    if counts is None:
        body = ('<p class="empty" id="age-empty">No repository has a last-commit date: the '
                "age of projects needs their host's API (GitHub links with a token).</p>")
    else:
        body = (f"<p>{sum(counts):,} repositories by years since their last commit.</p>"
                + _chart(counts))
    return _section("age", "Repository age", body)


def _history(records: Sequence[LinkRecord]) -> str:
    if not health.has_history(records):
        return _section("history", "Newly failing and recovered",
                        '<p class="empty" id="history-empty">No history from earlier runs: '
                        "every link is judged on this run alone.</p>")
    body = ""
    for ident, title, found in (("newly-dead", "Newly failing",
                                 health.newly_dead(records)),
                                ("recovered", "Recovered", health.recovered(records))):
        body += f"<h3>{title} ({len(found):,})</h3>"
        body += _table(("Location", "Link", "Verdict"),
                       ((_where(r), _url(r.url), _esc(r.verdict)) for r in found),
                       cls=ident) if found else f'<p class="empty" id="{ident}">None.</p>'
    return _section("history", "Newly failing and recovered", body)


def _replacements(records: Sequence[LinkRecord]) -> str:
    rows = []
    for record in records:
        found = health.replacement(record)
        if found is not None:
            kind = found.kind if found.archived_at is None else \
                f"{found.kind} of {found.archived_at[:10]}"
            rows.append((_where(record), _url(record.url), _esc(kind), _url(found.url)))
    body = (_table(("Location", "Link", "Kind", "Suggested"), rows) if rows else
            '<p class="empty" id="replacements-empty">No replacement to suggest.</p>')
    return _section("replacements", f"Suggested replacements ({len(rows):,})", body)


def _sections(records: Sequence[LinkRecord]) -> str:
    rows = health.section_health(records)
    several = len({row.path for row in rows}) > 1
    cells = []
    for row in rows:
        name = " / ".join(row.section) or "(before the first heading)"
        name = f"{row.path}: {name}" if several else name
        meter = (f'<span class="meter" style="width:{60 * row.gone // max(row.links, 1)}px">'
                 "</span> " if row.gone else "")
        cells.append((_esc(name), f"{row.links:,}", f"{row.ok:,}", f"{meter}{row.gone:,}"))
    body = (_table(("Section", "Links", "OK", "Gone"), cells, numeric=3, cls="sections")
            if cells else '<p class="empty">No links.</p>')
    return _section("sections", "Health by section", body)


def _finding_row(finding: Finding) -> tuple[str, ...]:
    where = _esc(f"{finding.path}:{finding.span.line}")
    link = _url(finding.url) if finding.url else ""
    return where, link, _esc(finding.severity.value), _esc(finding.message)


def _findings(result: RunResult) -> str:
    found = groups(result)
    if not found:
        return _section("findings", "Findings", '<p class="empty">No findings.</p>')
    body = ""
    for title, group in found:
        table = _table(("Location", "Link", "Severity", "Message"),
                       (_finding_row(f) for f in group))
        heading = f"{_esc(title)} ({len(group):,})"
        if len(group) > FOLD_AFTER:
            body += f"<details><summary><strong>{heading}</strong></summary>{table}</details>"
        else:
            body += f"<h3>{heading}</h3>{table}"
    return _section("findings", "Findings", body)


def render(result: RunResult, now: datetime | None = None) -> str:
    """The whole page; ``now`` (default: the current time) dates the repositories' age."""
    now = datetime.now(timezone.utc) if now is None else now
    counts = result.counts()
    parts = ["<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">",
             f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
             '<meta name="referrer" content="no-referrer">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             f"<title>awesome-lint report</title><style>{_STYLE}</style></head>\n<body><main>",
             "<h1>awesome-lint report</h1>",
             f'<p id="summary">{_esc(summary_line(result))}</p>\n']
    severities = "".join(
        f'<div class="card" data-severity="{name}"><span class="n">{counts[name]:,}</span>'
        f"{name}s</div>" for name in ("error", "warning", "info"))
    parts.append(_section("severities", "Findings by severity",
                          f'<div class="cards">{severities}</div>'))
    records = result.links
    if records is None:
        parts.append(_section("links", "Links", '<p class="empty" id="links-not-checked">'
                              "Links were not checked: run awesome-lint with --links for "
                              "their health.</p>"))
    else:
        parts += [_counts(records), _age(records, now), _history(records),
                  _replacements(records), _sections(records)]
    parts.append(_findings(result))
    if result.errors:
        parts.append(_section("file-errors", f"Files that could not be checked "
                              f"({len(result.errors):,})", _table(("File", "Problem"), (
                                  (_esc(f"{e.path}:{e.line}" if e.line else e.path),
                                   _esc(e.message)) for e in result.errors))))
    parts.append(f"<footer><p>awesome-lint {_esc(awesome_lint.__version__)}, "
                 f"{now:%Y-%m-%d %H:%M} UTC.</p></footer></main></body></html>\n")
    return "".join(parts)


def write(result: RunResult, out: TextIO, *, color: bool) -> None:
    """Write the page (``color`` is ignored)."""
    out.write(render(result))
