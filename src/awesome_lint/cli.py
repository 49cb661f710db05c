"""The ``awesome-lint`` command: a thin client of the parser, the rules and the reporters."""

from __future__ import annotations

import gc
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

import click

from awesome_lint import __version__
from awesome_lint.config import (
    Config,
    ConfigError,
    did_you_mean,
    lookup_rule,
    resolve_rules,
    rule_names,
)
from awesome_lint.registry import RegistryError, load_rules
from awesome_lint.report import FORMATS, write_report
from awesome_lint.result import FileError, RunResult
from awesome_lint.rule import Rule
from awesome_lint.rule_docs import read_page
from awesome_lint.runner import Checked, Configs, Options, finish_file, fix_links, lint_file


class _EnvironmentError(click.ClickException):
    """A problem with the installation (a broken rule plugin): exit 2, like a config error."""

    exit_code = 2


def _split(values: Sequence[str]) -> list[str]:
    """``--select A,B --select C`` as ``[A, B, C]``."""
    return [v.strip() for value in values for v in value.split(",") if v.strip()]


def _list_rules(rules: Sequence[type[Rule]]) -> None:
    width = max(len(r.name) for r in rules)
    for rule in rules:
        fix = "fix" if rule.fixable else "   "
        click.echo(f"{rule.code}  {rule.name:<{width}}  {rule.severity.value:<7}  {fix}  "
                   f"{rule.summary}")


def _show_rule(name: str, rules: Sequence[type[Rule]]) -> None:
    rule = lookup_rule(name, rules)
    if rule is None:
        raise click.UsageError(f"unknown rule {name!r}{did_you_mean(name, rule_names(rules))}")
    page = read_page(rule)
    click.echo(page if page is not None else f"{rule.code} {rule.name}: {rule.summary}")


def _print_diff(name: str, before: str, after: str) -> None:
    import difflib  # only --dry-run needs it

    diff = difflib.unified_diff(before.splitlines(keepends=True), after.splitlines(keepends=True),
                                f"a/{name}", f"b/{name}")
    click.echo("".join(diff), nl=False)


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
              help="Output format.")
@click.option("--select", multiple=True, metavar="RULES",
              help="Run only these rules: codes, code prefixes (AL1) or names, comma-separated.")
@click.option("--ignore", multiple=True, metavar="RULES",
              help="Do not run these rules (same forms as --select).")
@click.option("--config", "config_path", type=click.Path(path_type=Path),
              help="Use this config file instead of the nearest .awesome-lint.toml or "
                   "pyproject.toml.")
@click.option("--fix", is_flag=True,
              help="Apply safe fixes to the files, then report what is left.")
@click.option("--unsafe-fixes", is_flag=True, help="With --fix, also apply unsafe fixes.")
@click.option("--dry-run", is_flag=True,
              help="With --fix, print the changes as a diff instead of writing them.")
@click.option("--links", is_flag=True,
              help="Also check every web link over the network (cached between runs).")
@click.option("--github-token", envvar="GITHUB_TOKEN", metavar="TOKEN",
              help="Check github.com repositories through the GitHub API (default: "
                   "$GITHUB_TOKEN); sent to the GitHub API only.")
@click.option("--no-cache", is_flag=True, help="With --links, ignore and keep no link cache.")
@click.option("--allow-private", is_flag=True,
              help="With --links, allow private and loopback addresses (local testing only).")
@click.option("--diff", "diff_base", metavar="BASE",
              help="Report only findings on lines added or changed since the git ref BASE "
                   "(its merge base with HEAD), and check only their links; skip unchanged "
                   "files.")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info"]), default="error",
              show_default=True, help="Exit 1 when a finding has this severity or a worse one.")
@click.option("--report", "reports", multiple=True, metavar="FORMAT:PATH",
              help="Also write the report in FORMAT to PATH (e.g. markdown:report.md); "
                   "repeatable.")
@click.option("--list-rules", is_flag=True, help="List every rule and exit.")
@click.option("--rule", "show_rule", metavar="RULE", help="Print the documentation of a rule.")
@click.option("--color/--no-color", default=None,
              help="Colour the text output (default: when writing to a terminal).")
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
@click.version_option(__version__, "-V", "--version", prog_name="awesome-lint")
def cli(paths: tuple[Path, ...], fmt: str, select: tuple[str, ...], ignore: tuple[str, ...],
        config_path: Path | None, fix: bool, unsafe_fixes: bool, dry_run: bool, links: bool,
        github_token: str | None, no_cache: bool, allow_private: bool, diff_base: str | None,
        fail_on: str, reports: tuple[str, ...], list_rules: bool, show_rule: str | None,
        color: bool | None, debug: bool) -> None:
    """Lint curated Markdown lists (awesome lists). PATHS default to README.md.

    Exit status: 0 clean, 1 error-severity findings, 2 usage, config or file errors.
    """
    try:
        rules = load_rules()
    except RegistryError as exc:
        raise _EnvironmentError(str(exc)) from exc
    if list_rules:
        _list_rules(rules)
        return
    if show_rule:
        _show_rule(show_rule, rules)
        return
    if config_path is not None and not config_path.is_file():
        raise click.BadParameter(f"{config_path}: no such file", param_hint="--config")
    try:  # command-line selectors are checked once, up front
        resolve_rules(Config(), rules, cli_select=_split(select), cli_ignore=_split(ignore))
    except ConfigError as exc:
        raise click.UsageError(exc.detail) from exc

    if (unsafe_fixes or dry_run) and not fix:
        raise click.UsageError("--unsafe-fixes and --dry-run need --fix")
    if fix and diff_base is not None:
        raise click.UsageError("--fix fixes whole files: it cannot be combined with --diff")
    extra_reports = _parse_reports(reports)
    options = Options(rules, config_path, _split(select), _split(ignore), fix, unsafe_fixes,
                      dry_run)
    configs = Configs(config_path, rules)
    result = RunResult(rules=list(rules))
    checked: list[Checked] = []
    changed = _Changed(diff_base)  # --diff: the changed lines of each file (may raise)
    wanted = [path for path in paths or (Path("README.md"),) if changed.wanted(path)]
    # The offline phase builds large acyclic trees: the cycle collector would only rescan them
    # (about 7% of a large list's time). It is back on for the network phase.
    gc.disable()
    for path in wanted:
        try:
            done = lint_file(path, options, configs, result, _print_diff)
        except Exception as exc:
            if debug:
                raise
            result.errors.append(FileError(str(path), f"internal error: {type(exc).__name__}: "
                                                      f"{exc} (run with --debug for details)"))
        else:
            if done is not None:
                checked.append(done)
    gc.enable()
    if links and checked:
        _check_links(checked, result, github_token=github_token, use_cache=not no_cache,
                     allow_private=allow_private, lines=changed.lines)
        for one in checked:
            fix_links(one, options, result, _print_diff)
    for one in checked:
        finish_file(one, options, result)
    changed.filter(result)
    if color is None:
        color = sys.stdout.isatty() and "NO_COLOR" not in os.environ
    write_report(fmt, result, sys.stdout, color=color)
    _write_reports(extra_reports, result)
    sys.exit(_exit_code(result, fail_on))


# --- --diff, --fail-on, --report (the CI integration) ----------------------------------------


class _Changed:
    """``--diff BASE``: which files to lint, and which of their findings to keep."""

    def __init__(self, base: str | None) -> None:
        self.lines: dict[str, set[int]] | None = None if base is None else {}
        self.finder = None
        if base is not None:
            from awesome_lint.changed import ChangedLines, ChangedLinesError

            try:
                self.finder = ChangedLines(base)
            except ChangedLinesError as exc:
                raise _EnvironmentError(str(exc)) from exc

    def wanted(self, path: Path) -> bool:
        """Whether to lint ``path``: always without --diff, or a missing file (reported as
        such); with it, only a file with changed lines."""
        if self.finder is None or self.lines is None or not path.is_file():
            return True
        from awesome_lint.changed import ChangedLinesError

        try:
            lines = self.finder(path)
        except ChangedLinesError as exc:
            raise _EnvironmentError(str(exc)) from exc
        if not lines:
            return False
        self.lines[str(path)] = lines
        return True

    def filter(self, result: RunResult) -> None:
        """Drop the findings that touch no changed line."""
        if self.lines is None:
            return
        from awesome_lint.changed import touches

        lines = self.lines
        result.findings = [f for f in result.findings
                           if f.path not in lines or touches(f.span, lines[f.path])]


def _exit_code(result: RunResult, fail_on: str) -> int:
    code = result.exit_code
    if code == 0:
        worst = {"error": 0, "warning": 1, "info": 2}[fail_on]
        if any(f.severity.rank <= worst for f in result.findings):
            return 1
    return code


def _parse_reports(reports: Sequence[str]) -> list[tuple[str, Path]]:
    parsed = []
    for report in reports:
        fmt, sep, path = report.partition(":")
        if not sep or fmt not in FORMATS or not path:
            raise click.BadParameter(f"{report!r}: expected FORMAT:PATH with FORMAT one of "
                                     f"{', '.join(FORMATS)}", param_hint="--report")
        parsed.append((fmt, Path(path)))
    return parsed


def _write_reports(reports: Sequence[tuple[str, Path]], result: RunResult) -> None:
    for fmt, path in reports:
        try:
            with path.open("w", encoding="utf-8", newline="\n") as out:
                write_report(fmt, result, out)
        except OSError as exc:
            raise _EnvironmentError(f"cannot write the {fmt} report to {path}: "
                                    f"{exc.strerror or exc}") from exc


def _check_links(checked: list[Checked], result: RunResult, *, github_token: str | None,
                 use_cache: bool, allow_private: bool,
                 lines: dict[str, set[int]] | None = None) -> None:
    """The network phase: one check of every web link of every file (imports aiohttp)."""
    import dataclasses

    from awesome_lint.links.policy import policy_from_config
    from awesome_lint.links.run import ProgressBar, add_link_findings, check_files, summary

    config = checked[0].config
    try:
        policy = policy_from_config(config.links, str(config.path or "<defaults>"))
    except ConfigError as exc:
        result.errors.append(FileError(exc.path, f"config: {exc.detail}"))
        return
    # Where the token goes is never read from the (pull-request-editable) config: the real API,
    # or a URL from the environment (for a GitHub Enterprise server or a test fake).
    api = os.environ.get("AWESOME_LINT_GITHUB_API", policy.github_api)
    policy = dataclasses.replace(policy, github_token=github_token or None, github_api=api,
                                 allow_private=allow_private)
    bar = ProgressBar(sys.stderr, sys.stderr.isatty() and "CI" not in os.environ)
    try:
        statuses, stats, warnings = check_files(checked, policy, use_cache=use_cache,
                                                progress=bar, lines=lines)
    finally:
        bar.close()
    for warning in warnings:
        click.echo(f"awesome-lint: warning: {warning}", err=True)
    add_link_findings(checked, statuses)
    click.echo(summary(statuses, stats), err=True)


def main() -> None:
    """Console-script entry point: click's usage errors exit 2; nothing escapes as a traceback."""
    debug = "--debug" in sys.argv
    try:
        cli.main(standalone_mode=True)
    except SystemExit:
        raise
    except Exception:  # last resort: a bug outside any file's processing
        if debug:
            raise
        err = traceback.format_exc().strip().splitlines()[-1]
        click.echo(f"awesome-lint: internal error: {err} (run with --debug for details)", err=True)
        sys.exit(2)
