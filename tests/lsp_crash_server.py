"""The language server with two more rules, for tests/test_lsp.py's crash-proof case: AL998
raises on a line saying CRASH, AL999 spins on one saying SPIN (the CPU budget made small, so that
it runs out at once). Started as ``python tests/lsp_crash_server.py``."""

from __future__ import annotations

from collections.abc import Iterator

from awesome_lint import budget
from awesome_lint.findings import Severity, Violation
from awesome_lint.lsp.server import AwesomeLintServer
from awesome_lint.model import Document
from awesome_lint.registry import load_rules
from awesome_lint.rule import Rule


class Crash(Rule):
    code = "AL998"
    name = "crash-on-marker"
    summary = "Raises on a line saying CRASH."
    severity = Severity.ERROR

    def check(self, doc: Document) -> Iterator[Violation]:
        if "CRASH" in doc.lines:
            raise RuntimeError("boom")
        yield from ()


class Spin(Rule):
    code = "AL999"
    name = "spin-on-marker"
    summary = "Never ends on a line saying SPIN."
    severity = Severity.ERROR

    def check(self, doc: Document) -> Iterator[Violation]:
        while "SPIN" in doc.lines:
            pass
        yield from ()


if __name__ == "__main__":
    budget.BASE_SECONDS = 1.0
    AwesomeLintServer((*load_rules(), Crash, Spin), debounce=0.01).start_io()
