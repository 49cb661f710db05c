"""AL408 html-swallows-markdown: Markdown written inside an HTML block renders as raw text."""

from __future__ import annotations

import re
from collections.abc import Iterator

from awesome_lint.findings import Edit, Fix, Severity, Violation
from awesome_lint.lazy_re import lazy_compile
from awesome_lint.model import Document, HtmlBlock, Span
from awesome_lint.parse import fence_left_open
from awesome_lint.rule import Rule

# A line of Markdown: a list item, a heading, a quote, a fence, a link or image, bold text.
_MARKDOWN = lazy_compile(
    r"\s*(?:[-*+]\s+\S|\d{1,9}[.)]\s+\S|#{1,6}\s|>|`{3}|~{3})"
    r"|.*!?\[[^\]]*\]\([^)\s]+(?:\s[^)]*)?\)"
    r"|.*\*\*[^*\s][^*]*\*\*"
)
_COMMENT = re.compile(r"\s*<!--")
_QUOTE = re.compile(r"(?: {0,3}>[ \t]?)+")


class HtmlSwallowsMarkdown(Rule):
    code = "AL408"
    name = "html-swallows-markdown"
    summary = "Markdown must not follow an HTML line without a blank line between them."
    severity = Severity.WARNING
    fixable = True

    def check(self, doc: Document) -> Iterator[Violation]:
        for block in doc.html_blocks:
            violation = self._check_block(doc, block)
            if violation is not None:
                yield violation

    @staticmethod
    def _check_block(doc: Document, block: HtmlBlock) -> Violation | None:
        if _COMMENT.match(block.raw):
            return None  # a comment block ends at its "-->", not at a blank line
        for offset, raw in enumerate(block.raw.split("\n")[1:], 1):
            if raw.lstrip().startswith("<") or not _MARKDOWN().match(raw):
                continue
            number = block.span.line + offset
            if number > block.span.end_line:
                return None
            # A blank line must stay in the quote, if the HTML is quoted: after an unquoted HTML
            # line, a ">" line is not blank and would not end the HTML block.
            quoted = _QUOTE.match(doc.lines[block.span.line - 1])
            quote = _QUOTE.match(doc.lines[number - 1]) if quoted else None
            blank = quote.group().rstrip() + "\n" if quote else "\n"
            # The rest of the block becomes Markdown: a code fence left open there would turn
            # everything after it, to the end of the file, into code. Left to a person.
            freed = "\n".join(doc.lines[number - 1:block.span.end_line])
            fix = None if fence_left_open(freed) else Fix((Edit(Span(number, 1, number, 1),
                                                                 blank),))
            return Violation(Span(number, 1, number, len(doc.lines[number - 1]) + 1),
                             "This Markdown follows an HTML line without a blank line between "
                             "them, so it renders as raw text; add a blank line before it", fix)
        return None

