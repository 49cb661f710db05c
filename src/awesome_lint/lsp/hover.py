"""Hover on a finding: its rule's page, the "What it does" and "Why" parts, as Markdown."""

from __future__ import annotations

import re
from collections.abc import Sequence

from lsprotocol import types

from awesome_lint.lsp.diagnostics import lsp_range
from awesome_lint.lsp.linting import Linted
from awesome_lint.lsp.positions import Positions
from awesome_lint.rule import Rule
from awesome_lint.rule_docs import PAGES_URL, page_sections, page_url, read_page

SECTIONS = ("What it does", "Why")
#: A page's link to another rule's page, relative to the rules/ folder.
_PAGE_LINK = re.compile(r"\]\((AL\d{3}-[a-z0-9-]+\.md(?:#[^)\s]*)?)\)")


def rule_help(rule: type[Rule]) -> str:
    """The Markdown shown for ``rule``: its code, name and summary, then its page's parts."""
    head = f"**{rule.code} {rule.name}**: {rule.summary}"
    page = read_page(rule)
    body = page_sections(page, SECTIONS) if page else ""
    body = _PAGE_LINK.sub(lambda m: f"]({PAGES_URL}{m.group(1)})", body)
    url = page_url(rule)
    link = f"\n\n[{rule.code} {rule.name}]({url})" if url else ""
    return f"{head}\n\n{body}{link}" if body else f"{head}{link}"


def hover(linted: Linted, encoding: str, position: types.Position,
          rules: Sequence[type[Rule]]) -> types.Hover | None:
    """The help of the rules whose findings cover ``position``; None where there are none."""
    positions = Positions(linted.buffer.text, encoding)
    at = positions.from_client(position.line, position.character)
    covering = [f for f in linted.findings
                if (f.span.line, f.span.column) <= at <= (f.span.end_line, f.span.end_column)]
    by_code = {rule.code: rule for rule in rules}
    codes = list(dict.fromkeys(f.code for f in covering if f.code in by_code))
    if not codes:
        return None
    text = "\n\n---\n\n".join(rule_help(by_code[code]) for code in codes)
    return types.Hover(types.MarkupContent(types.MarkupKind.Markdown, text),
                       lsp_range(positions, covering[0].span))
