"""Output formats: every reporter takes the same :class:`RunResult` and writes to a stream."""

from __future__ import annotations

from typing import Protocol, TextIO

from awesome_lint.report import github, json, sarif, text
from awesome_lint.result import RunResult

FORMATS = ("text", "json", "github", "sarif")


class _Writer(Protocol):
    def __call__(self, result: RunResult, out: TextIO, *, color: bool) -> None: ...


_WRITERS: dict[str, _Writer] = {
    "text": text.write,
    "json": json.write,
    "github": github.write,
    "sarif": sarif.write,
}


def write_report(fmt: str, result: RunResult, out: TextIO, *, color: bool = False) -> None:
    """Write ``result`` to ``out`` in format ``fmt`` (one of :data:`FORMATS`)."""
    try:
        writer = _WRITERS[fmt]
    except KeyError:
        raise ValueError(f"unknown format {fmt!r}: expected one of {', '.join(FORMATS)}") from None
    writer(result, out, color=color)
