"""The command line's options for adopting the linter on a list and for honest output:
``--baseline``/``--write-baseline``/``--prune-baseline``/``--no-baseline``, ``--statistics``,
``--exit-zero``, and where ``--fix --dry-run`` prints its diff (:mod:`awesome_lint.cli` uses
them)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO, TypeVar

import click

if TYPE_CHECKING:
    from awesome_lint.baseline import BaselineOptions
    from awesome_lint.result import RunResult

F = TypeVar("F", bound=Callable[..., object])

#: Formats whose standard output a program reads: the dry run's diff goes to standard error.
_MACHINE = ("json", "sarif", "github", "markdown", "html")


def adoption_options(function: F) -> F:
    """The click options of this module, in the order ``--help`` shows them."""
    options = [
        click.option("--baseline", "baseline", type=click.Path(path_type=Path),
                     metavar="PATH", help="Report only findings not recorded in this baseline "
                     "file (default: the config's `baseline`)."),
        click.option("--write-baseline", type=click.Path(path_type=Path), metavar="PATH",
                     help="Record every finding of this run in the baseline file PATH "
                     "(findings of files and rules not run are kept), and report none."),
        click.option("--prune-baseline", is_flag=True,
                     help="Drop the baseline's entries that no longer occur (adds none)."),
        click.option("--no-baseline", is_flag=True,
                     help="Ignore the config's baseline: report every finding."),
        click.option("--statistics", is_flag=True,
                     help="Print the number of findings per rule instead of the findings."),
        click.option("--exit-zero", is_flag=True,
                     help="Exit 0 even when findings remain (2 still means an error)."),
    ]
    for option in reversed(options):
        function = option(function)
    return function


def baseline_options(baseline: Path | None, write: Path | None, prune: bool, no_baseline: bool,
                     diff_base: str | None) -> BaselineOptions | None:
    """The options as :class:`BaselineOptions` (None when none is given: each file's config
    decides), or a usage error for a combination that makes no sense."""
    if write is not None and (baseline is not None or prune or no_baseline):
        raise click.UsageError("--write-baseline records every finding: it takes no "
                               "--baseline, --prune-baseline or --no-baseline")
    if no_baseline and (baseline is not None or prune):
        raise click.UsageError("--no-baseline cannot be combined with --baseline or "
                               "--prune-baseline")
    if diff_base is not None and (write is not None or prune):
        raise click.UsageError("--write-baseline and --prune-baseline record whole files: "
                               "they cannot be combined with --diff")
    if baseline is None and write is None and not prune and not no_baseline:
        return None
    from awesome_lint.baseline import BaselineOptions  # (hashlib, json: not for a plain run)

    return BaselineOptions(path=baseline, write=write, prune=prune, enabled=not no_baseline)


def check_statistics(statistics: bool, fmt: str) -> None:
    if not statistics:
        return
    from awesome_lint.report.statistics import FORMATS

    if fmt not in FORMATS:
        raise click.UsageError(f"--statistics prints {' or '.join(FORMATS)}, not {fmt}")


def diff_stream(fmt: str) -> TextIO:
    """Where ``--fix --dry-run`` prints its diff: standard output for text (before the
    findings), standard error for the formats a program reads, which stay pure."""
    return sys.stderr if fmt in _MACHINE else sys.stdout


def write_output(fmt: str, result: RunResult, *, statistics: bool, dry_run: bool,
                 color: bool) -> None:
    """The report (or ``--statistics``) on standard output; a dry run's "Would fix N" on
    standard error."""
    if dry_run:
        count = result.would_fix
        click.echo(f"Would fix {count} finding{'' if count == 1 else 's'}.", err=True)
    if statistics:
        from awesome_lint.report import statistics as stats

        stats.write(fmt, result, sys.stdout)
        return
    from awesome_lint.report import write_report

    write_report(fmt, result, sys.stdout, color=color)


def exit_code(code: int, exit_zero: bool) -> int:
    """``--exit-zero``: findings do not fail the run; errors (2) still do."""
    return 0 if exit_zero and code == 1 else code
