"""AL204 description-repeats-name: ``[Foo](url) - Foo is a ...`` says the name twice."""

from __future__ import annotations

import re
from collections.abc import Iterator

from awesome_lint.findings import Severity, Violation
from awesome_lint.model import Document
from awesome_lint.rule import Rule, Tier
from awesome_lint.rules._entry_text import name_link

_LEAD = re.compile(r"^[\s*_\"'\u201c\u2018]*")
# What makes the repeated name the subject of the description ("Foo is", "Foo - a", "Foo:"),
# rather than a modifier ("Qt binding for Go", "SSH2 client"): those read well and are kept.
_SUBJECT = re.compile(
    r"^[*_\"'\u201d\u2019]*(?:$|\s*[:,.;!\u2013\u2014]|\s+-|\s*\(|\s+(?:is|are|was|were|has|have|"
    r"provides?|helps?|allows?|lets|enables?|makes?|offers?|supports?|aims?|can|will|does|"
    r"gives?|brings?|implements?|uses?|includes?|contains?|consists?|builds?|generates?|"
    r"creates?|adds?|turns?|runs?|works?|comes?|features?|focuses|automates?|manages?|"
    r"simplifies|converts?|lets)\b)",
    re.IGNORECASE,
)


#: Names that a description's first word is read as an article, not as a repeated name.
_ARTICLES = frozenset({"a", "an", "the"})


class DescriptionRepeatsName(Rule):
    """The description should say what the resource is, not repeat its name first."""

    code = "AL204"
    name = "description-repeats-name"
    summary = "An entry's description starts by repeating the entry's name."
    severity = Severity.INFO
    tier = Tier.OPT_IN

    def check(self, doc: Document) -> Iterator[Violation]:
        for entry in doc.iter_entries():
            link = name_link(doc, entry)
            if link is None or not entry.separator or entry.description is None:
                continue
            name = link.text.strip()
            desc = entry.description
            lead = _LEAD.match(desc)
            start = lead.end() if lead else 0
            if not name or desc[start:start + len(name)].lower() != name.lower():
                continue
            if name.lower() in _ARTICLES:
                continue  # "[a](u) - A." or "[The](u) - The best...": an article, not a name
            after = desc[start + len(name):]
            if after[:1].isalnum() or (after[:1] in "-_'\u2019.@/" and after[1:2].isalnum()):
                continue  # "Node" in "NodeJS", "Foo" in "Foo-bar" or "Foo.js"
            if not _SUBJECT.match(after):
                continue
            span = entry.span_in_description(start, start + len(name))
            yield Violation(span, f"Description starts with the entry's name {name!r}; start "
                            "with what it is or does instead")
