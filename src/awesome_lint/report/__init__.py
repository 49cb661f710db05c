"""Output formats: every reporter takes the same :class:`RunResult` and writes to a stream."""

from __future__ import annotations

from importlib import import_module
from typing import TextIO

from awesome_lint.result import RunResult

FORMATS = ("text", "json", "github", "sarif", "markdown", "html")


def write_report(fmt: str, result: RunResult, out: TextIO, *, color: bool = False) -> None:
    """Write ``result`` to ``out`` in format ``fmt`` (one of :data:`FORMATS`)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}: expected one of {', '.join(FORMATS)}")
    # Only the chosen reporter is imported: start-up time is most of a small list's lint time.
    import_module(f"awesome_lint.report.{fmt}").write(result, out, color=color)
