"""The ``awesome-lint`` command: options into a :func:`~awesome_lint.session.lint_paths` call,
its result into a report and an exit status."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import click

from awesome_lint import __version__
from awesome_lint.cli_adopt import (
    adoption_options,
    baseline_options,
    check_statistics,
    diff_stream,
    exit_code,
    write_output,
)
from awesome_lint.config import PRESETS, ConfigError, did_you_mean, lookup_rule, rule_names
from awesome_lint.registry import RegistryError, load_rules
from awesome_lint.report import FORMATS, write_report
from awesome_lint.result import RunResult
from awesome_lint.rule import Rule
from awesome_lint.session import RunError, RunOptions, lint_paths

if TYPE_CHECKING:  # imported where used: only --links needs them
    from awesome_lint.links.forge_urls import Forge
    from awesome_lint.links.policy import DeadAfter


class _EnvironmentError(click.ClickException):
    """A problem with the installation (a broken rule plugin): exit 2, like a config error."""

    exit_code = 2


def _split(values: Sequence[str]) -> list[str]:
    """``--select A,B --select C`` as ``[A, B, C]``."""
    return [v.strip() for value in values for v in value.split(",") if v.strip()]


def _list_rules(rules: Sequence[type[Rule]], fmt: str = "text",
                preset: str | None = None) -> None:
    """Every rule: code, name, default severity (under ``preset``, ``--preset``), fixable, its
    set (default, the ``awesome`` preset, or opt-in: runs only when selected or configured) and
    whether it runs with ``--links`` only; as JSON with ``--format json``."""
    from awesome_lint.rule import Phase

    if fmt == "json":
        from awesome_lint.report.json import json_text

        click.echo(json_text({"version": 1, "preset": preset, "rules": [
            {"code": r.code, "name": r.name, "severity": r.default_severity(preset).value,
             "fixable": r.fixable, "set": r.tier.value,
             "links": r.phase is Phase.LINKS, "summary": r.summary} for r in rules]}))
        return
    width = max(len(r.name) for r in rules)
    for rule in rules:
        fix = "fix" if rule.fixable else "   "
        links = " (--links)" if rule.phase is Phase.LINKS else ""
        click.echo(f"{rule.code}  {rule.name:<{width}}  {rule.tier.value:<7}  "
                   f"{rule.default_severity(preset).value:<7}  {fix}  {rule.summary}{links}")


def _show_rule(name: str, rules: Sequence[type[Rule]]) -> None:
    rule = lookup_rule(name, rules)
    if rule is None:
        raise click.UsageError(f"unknown rule {name!r}{did_you_mean(name, rule_names(rules))}")
    from awesome_lint.rule_docs import read_page  # only --rule needs it

    page = read_page(rule)
    click.echo(page if page is not None else f"{rule.code} {rule.name}: {rule.summary}")


def _dead_after(value: str | None) -> DeadAfter | Literal[False] | None:
    """``--dead-after``: None when not given (the config decides), False for "off"."""
    if value is None:
        return None
    from awesome_lint.links.policy import parse_dead_after

    try:
        return parse_dead_after(value) or False
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--dead-after") from None


def _print_diff(name: str, before: str, after: str, *, err: bool = False) -> None:
    import difflib  # only --dry-run needs it

    from awesome_lint.report.text import clean_lines

    diff = difflib.unified_diff(before.splitlines(keepends=True), after.splitlines(keepends=True),
                                f"a/{name}", f"b/{name}")
    click.echo(clean_lines("".join(diff)), nl=False, err=err)  # no escape sequence from it


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
              help="Output format.")
@click.option("--select", multiple=True, metavar="RULES",
              help="Run only these rules: codes, code prefixes (AL1) or names, comma-separated.")
@click.option("--ignore", multiple=True, metavar="RULES",
              help="Do not run these rules (same forms as --select).")
@click.option("--preset", type=click.Choice(PRESETS),
              help="Which rules run when none are selected: the default set (defects only), "
                   "or awesome: also sindresorhus/awesome's guidelines. Wins over the config's "
                   "preset.")
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
@click.option("--github-api", metavar="URL",
              help="With --links, the GitHub API the token goes to (GitHub Enterprise): its "
                   "GraphQL endpoint or REST base (https://HOST/api/v3 means "
                   "https://HOST/api/graphql). Default: $AWESOME_LINT_GITHUB_API, else "
                   "$GITHUB_API_URL (as GitHub Actions sets it), else api.github.com. Never "
                   "read from a config file.")
@click.option("--forge", "forges", multiple=True, metavar="KIND:HOST[=API]",
              help="With --links, a self-hosted forge whose project links its REST API answers "
                   "(archived, stale, moved): gitlab:HOST or gitea:HOST (Gitea, Forgejo), the "
                   "API at https://HOST unless =API says where. gitlab.com and codeberg.org are "
                   "asked by default. Default: $AWESOME_LINT_FORGES (space-separated). Never "
                   "read from a config file.")
@click.option("--no-forge-api", is_flag=True,
              help="With --links, ask no GitLab or Gitea API: their project links are checked "
                   "over HTTP only.")
@click.option("--no-cache", is_flag=True,
              help="With --links, trust no cached answer (the links' history is still read).")
@click.option("--suggest-archived", is_flag=True,
              help="With --links, suggest the Internet Archive's latest copy of each dead link "
                   "whose new address is unknown (asks archive.org about those links).")
@click.option("--allow-private", is_flag=True,
              help="With --links, allow private and loopback addresses (local testing only).")
@click.option("--dead-after", "dead_after", metavar="RULE",
              help='With --links, report a gone link as failing (a warning) until it has '
                   'failed in N runs over H hours: "2 runs over 24h", or "off" (dead at '
                   'once, the default). Wins over the config\'s [links] dead-after.')
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
@click.option("--stdin-filename", metavar="PATH",
              help="With - (standard input): the file's name in messages, for its config and "
                   "per-file-ignores.")
@adoption_options
@click.version_option(__version__, "-V", "--version", prog_name="awesome-lint")
def cli(paths: tuple[Path, ...], fmt: str, select: tuple[str, ...], ignore: tuple[str, ...],
        preset: str | None, config_path: Path | None, fix: bool, unsafe_fixes: bool,
        dry_run: bool, links: bool, github_token: str | None, github_api: str | None,
        forges: tuple[str, ...], no_forge_api: bool, no_cache: bool, suggest_archived: bool,
        allow_private: bool, dead_after: str | None, diff_base: str | None,
        fail_on: str, reports: tuple[str, ...], list_rules: bool, show_rule: str | None,
        color: bool | None, debug: bool, baseline: Path | None, write_baseline: Path | None,
        prune_baseline: bool, no_baseline: bool, statistics: bool, exit_zero: bool,
        stdin_filename: str | None) -> None:
    """Lint curated Markdown lists (awesome lists). PATHS: files, folders (their readmes),
    quoted glob patterns, or - for standard input; default: the readme GitHub shows.

    Exit status: 0 clean, 1 error-severity findings, 2 usage, config or file errors.
    """
    try:
        rules = load_rules()
    except RegistryError as exc:
        raise _EnvironmentError(str(exc)) from exc
    if list_rules:
        _list_rules(rules, fmt, preset)
        return
    if show_rule:
        _show_rule(show_rule, rules)
        return
    if config_path is not None and not config_path.is_file():
        raise click.BadParameter(f"{config_path}: no such file", param_hint="--config")
    if (unsafe_fixes or dry_run) and not fix:
        raise click.UsageError("--unsafe-fixes and --dry-run need --fix")
    if suggest_archived and not links:
        raise click.UsageError("--suggest-archived needs --links")
    if dead_after is not None and not links:
        raise click.UsageError("--dead-after needs --links")
    if fix and diff_base is not None:
        raise click.UsageError("--fix fixes whole files: it cannot be combined with --diff")
    stdin = _stdin_mode(paths, stdin_filename, diff=diff_base is not None, links=links)
    extra_reports = _parse_reports(reports)
    check_statistics(statistics, fmt)
    baselines = baseline_options(baseline, write_baseline, prune_baseline, no_baseline,
                                 diff_base)
    options = RunOptions(
        select=_split(select), ignore=_split(ignore), preset=preset, config_path=config_path,
        fix=fix,
        unsafe_fixes=unsafe_fixes, dry_run=dry_run, links=links, use_cache=not no_cache,
        allow_private=allow_private, github_token=github_token or None,
        github_api=_github_api(github_api) if links else None,
        forges=_forges(forges, no_forge_api) if links else None,
        suggest_archived=suggest_archived,
        archive_api=os.environ.get("AWESOME_LINT_ARCHIVE_API") or None,
        network_canary=os.environ.get("AWESOME_LINT_NETWORK_CANARY") or None,
        diff_base=diff_base, debug=debug, baseline=baselines,
        dead_after=_dead_after(dead_after),
        link_records=bool({fmt, *(kind for kind, _ in extra_reports)} & LINK_REPORTS),
        find_readme=True,  # no PATHS: the readme GitHub shows
    )
    progress = None
    if links:
        from awesome_lint.links.api import ProgressBar

        progress = ProgressBar(sys.stderr, sys.stderr.isatty() and "CI" not in os.environ)
    stdin_run = None
    try:
        if stdin:
            from awesome_lint.stdin import lint_stdin  # (only for standard input)

            stdin_run = lint_stdin(sys.stdin.buffer, options, rules,
                                   filename=stdin_filename,
                                   on_diff=partial(_print_diff, err=diff_stream(fmt) is sys.stderr))
            result = stdin_run.result
        else:
            result = lint_paths(list(paths), options, rules=rules,
                                on_diff=partial(_print_diff, err=diff_stream(fmt) is sys.stderr),
                                progress=progress)
    except ConfigError as exc:  # a command-line selector that names no rule
        raise click.UsageError(exc.detail) from exc
    except RunError as exc:
        raise _EnvironmentError(str(exc)) from exc
    finally:
        if progress is not None:
            progress.close()
    for warning in result.warnings:
        click.echo(f"awesome-lint: warning: {warning}", err=True)
    for note in result.notes:
        click.echo(note, err=True)
    if color is None:
        color = sys.stdout.isatty() and "NO_COLOR" not in os.environ
    written = False
    if stdin_run is not None:  # --fix -: the fixed text to standard output
        from awesome_lint.stdin import write_fixed

        written = write_fixed(stdin_run, fmt)
    if not written:
        write_output(fmt, result, statistics=statistics, dry_run=dry_run, color=color)
    _write_reports(extra_reports, result)
    sys.exit(exit_code(_exit_code(result, fail_on), exit_zero))


def _stdin_mode(paths: Sequence[Path], filename: str | None, *, diff: bool,
               links: bool) -> bool:
    """Whether the command line asks for standard input: ``-`` alone, or ``--stdin-filename``
    with no path. Raises ``click.UsageError`` for ``-`` among other paths, or with ``--diff``
    or ``--links`` (standard input is linted offline, whole)."""
    dash = [p for p in paths if str(p) == "-"]
    if dash and len(paths) > 1:
        raise click.UsageError("- (standard input) cannot be combined with other paths")
    if not dash and not (filename is not None and not paths):
        if filename is not None:
            raise click.UsageError("--stdin-filename names standard input: pass - as the path")
        return False
    if diff or links:
        raise click.UsageError("standard input is linted offline and whole: it cannot be "
                               "combined with --diff or --links")
    return True


def _github_api(option: str | None) -> str | None:
    """The GraphQL endpoint the token may go to: ``--github-api``, else the environment's
    ``AWESOME_LINT_GITHUB_API``, else ``GITHUB_API_URL``; None for api.github.com. Where the
    token goes never comes from a config file (a pull request can edit it)."""
    from awesome_lint.links.github_urls import graphql_endpoint

    sources = [("--github-api", option),
               *((name, os.environ.get(name)) for name in ("AWESOME_LINT_GITHUB_API",
                                                           "GITHUB_API_URL"))]
    for source, value in sources:
        if value:
            try:
                return graphql_endpoint(value)
            except ValueError as exc:
                raise click.BadParameter(str(exc), param_hint=source) from None
    return None


def _forges(specs: tuple[str, ...], off: bool) -> tuple[Forge, ...]:
    """The forges whose APIs answer project links: gitlab.com, codeberg.org and those of
    ``--forge`` (else ``AWESOME_LINT_FORGES``), each default forge with its token from the
    environment (``GITLAB_TOKEN``, ``CODEBERG_TOKEN``); none with ``--no-forge-api``."""
    from awesome_lint.links.forge_urls import with_specs, with_tokens

    if off:
        return ()
    source = "--forge"
    if not specs:
        source, specs = "AWESOME_LINT_FORGES", tuple(
            os.environ.get("AWESOME_LINT_FORGES", "").split())
    try:
        return with_tokens(with_specs(specs), dict(os.environ))
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint=source) from None


# --- --diff, --fail-on, --report (the CI integration) ----------------------------------------


def _exit_code(result: RunResult, fail_on: str) -> int:
    code = result.exit_code
    if code == 0:
        worst = {"error": 0, "warning": 1, "info": 2}[fail_on]
        if any(f.severity.rank <= worst for f in result.findings):
            return 1
    return code


#: The output formats that show every checked link, not only the findings.
LINK_REPORTS = frozenset({"markdown", "html"})


def _parse_reports(reports: Sequence[str]) -> list[tuple[str, Path]]:
    parsed = []
    for report in reports:
        fmt, sep, path = report.partition(":")
        if not sep or fmt not in FORMATS or not path:
            raise click.BadParameter(f"{report!r}: expected FORMAT:PATH with FORMAT one of "
                                     f"{', '.join(FORMATS)}", param_hint="--report")
        parsed.append((fmt, _report_path(fmt, Path(path))))
    return parsed


def _report_path(fmt: str, path: Path) -> Path:
    """``path``, its folder created now if missing: a report that cannot be written is refused
    before any work (not after a long link check)."""
    def refuse(why: str) -> click.BadParameter:
        return click.BadParameter(f"cannot write the {fmt} report to {path}: {why}",
                                  param_hint="--report")

    if path.is_dir():
        raise refuse("it is a folder")
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise refuse(f"cannot create its folder ({exc.strerror or exc})") from exc
    if not os.access(folder, os.W_OK | os.X_OK):
        raise refuse("its folder is not writable")
    return path


def _write_reports(reports: Sequence[tuple[str, Path]], result: RunResult) -> None:
    for fmt, path in reports:
        try:
            with path.open("w", encoding="utf-8", newline="\n") as out:
                write_report(fmt, result, out)
        except OSError as exc:
            raise _EnvironmentError(f"cannot write the {fmt} report to {path}: "
                                    f"{exc.strerror or exc}") from exc


def main() -> None:
    """The command (:func:`awesome_lint.__main__.run` imports and calls it): click's usage
    errors exit 2; nothing escapes as a traceback.

    When the run is the whole process (:func:`_owns_process`), it ends without the
    interpreter's teardown: the output is flushed, reports are written and closed and the link
    cache committed by then, and freeing every object one by one only costs time.
    """
    debug = "--debug" in sys.argv
    try:
        cli.main(standalone_mode=True)
    except SystemExit as exc:
        code = 0 if exc.code is None else exc.code
        if isinstance(code, int) and _owns_process():
            try:
                sys.stdout.flush()
                sys.stderr.flush()
            except (OSError, ValueError):
                raise exc from None  # a closed pipe: as the interpreter reports it
            os._exit(code)
        raise
    except Exception:  # last resort: a bug outside any file's processing
        if debug:
            raise
        import traceback  # only for a bug

        err = traceback.format_exc().strip().splitlines()[-1]
        click.echo(f"awesome-lint: internal error: {err} (run with --debug for details)", err=True)
        sys.exit(2)


def _owns_process() -> bool:
    """Whether the process is this command: the ``awesome-lint`` script or ``python -m
    awesome_lint``; never a caller that goes on after :func:`main` (a test, an editor server)."""
    entry = sys.modules.get("__main__")
    spec = getattr(entry, "__spec__", None)
    if spec is not None:
        return bool(spec.name == "awesome_lint.__main__")
    return Path(getattr(entry, "__file__", None) or "").stem == "awesome-lint"
