"""One run over the files: config per file, offline rules, fixes, then (optionally) links.

The CLI parses options and prints; this module does the work, file by file, so that one bad
file never stops the others.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from awesome_lint.budget import time_budget
from awesome_lint.config import Config, ConfigError, find_config, load_config, resolve_rules
from awesome_lint.engine import RuleCrashError, finish, fix_text, run_rules
from awesome_lint.findings import Finding
from awesome_lint.fixes import applicable, apply_fixes
from awesome_lint.model import Document
from awesome_lint.parse import parse
from awesome_lint.repo import existing_targets, repository_root, scan
from awesome_lint.result import FileError, RunResult
from awesome_lint.rule import Rule
from awesome_lint.source import Source, SourceError, read_source


class Configs:
    """Config per linted file: ``--config`` for all, else the nearest one, each loaded once."""

    def __init__(self, explicit: Path | None, rules: Sequence[type[Rule]]) -> None:
        self.explicit = explicit
        self.rules = rules
        self.loaded: dict[Path | None, Config | ConfigError] = {}

    def for_file(self, path: Path) -> Config:
        where = self.explicit if self.explicit is not None else find_config(path)
        if where not in self.loaded:
            try:
                self.loaded[where] = load_config(where, self.rules)
            except ConfigError as exc:
                self.loaded[where] = exc
        config = self.loaded[where]
        if isinstance(config, ConfigError):
            raise config
        return config


@dataclass(frozen=True)
class Options:
    """What the command line asked for, beyond the paths."""

    rules: Sequence[type[Rule]]
    config_path: Path | None = None
    select: Sequence[str] = ()
    ignore: Sequence[str] = ()
    fix: bool = False
    unsafe_fixes: bool = False
    dry_run: bool = False


@dataclass
class Checked:
    """A file that was parsed and linted offline; link findings may still be added."""

    path: Path
    doc: Document
    config: Config
    enabled: list[type[Rule]]
    findings: list[Finding] = field(default_factory=list)
    source: Source | None = None


def lint_file(path: Path, options: Options, configs: Configs, result: RunResult,
              on_diff: Callable[[str, str, str], None]) -> Checked | None:
    """Lint (and fix) one file; its errors go to ``result``. None when it could not be read."""
    name = str(path)
    try:
        config = configs.for_file(path)
        enabled = resolve_rules(config, options.rules, cli_select=options.select,
                                cli_ignore=options.ignore)
        source = read_source(path, name)
        text = source.text
        if options.fix:
            with time_budget(name):  # (never around the write: it must not be interrupted)
                fixed_text, fixed, _ = fix_text(source.text, name, enabled, config,
                                                known=options.rules, unsafe=options.unsafe_fixes)
            if fixed_text != source.text and options.dry_run:
                on_diff(name, source.text, fixed_text)
            elif fixed_text != source.text:
                from awesome_lint.write import write_atomic  # only --fix needs it

                write_atomic(path, source, fixed_text)
                result.fixed += fixed
                text = fixed_text
                source = dataclasses.replace(source, text=text, raw=source.encode(text))
        with time_budget(name):  # pathological Markdown must not hang the run
            doc = with_repository(parse(text, name), path)
            findings = run_rules(doc, enabled, config)
        checked = Checked(path, doc, config, enabled, findings, source)
        result.files.append(name)
        return checked
    except ConfigError as exc:
        result.errors.append(FileError(exc.path, f"config: {exc.detail}"))
    except SourceError as exc:
        result.errors.append(FileError(exc.path, exc.message, exc.line))
    except RuleCrashError as exc:
        result.errors.append(FileError(name, f"internal error: {exc} (run with --debug for "
                                             "details, and please report it)"))
    return None


def with_repository(doc: Document, path: Path) -> Document:
    """``doc`` with what the repository-aware rules need from the disk, read here, once.

    Only for a file inside a git repository: a README copied elsewhere has no contributing
    guide or linked files beside it, and reporting them missing would be noise.
    """
    directory = path.resolve().parent
    root = repository_root(directory)
    if root is None:
        return doc
    targets = existing_targets((link.url for link in doc.links), directory, root)
    return dataclasses.replace(doc, repo_files=scan(directory), local_targets=targets)


def fix_links(checked: Checked, options: Options, result: RunResult,
              on_diff: Callable[[str, str, str], None]) -> None:
    """With ``--fix``, apply the fixes of the link findings (permanent redirects, which are
    unsafe: only with ``--unsafe-fixes``) once the network phase has found them."""
    source = checked.source
    fixable = [f for f in checked.findings
               if f.code.startswith("AL9") and applicable(f.fix, unsafe=options.unsafe_fixes)]
    if not options.fix or source is None or not fixable:
        return
    text, count = apply_fixes(source.text, fixable, unsafe=options.unsafe_fixes)
    if text == source.text:
        return
    if options.dry_run:
        on_diff(str(checked.path), source.text, text)
        return
    from awesome_lint.write import write_atomic  # only --fix needs it

    try:
        write_atomic(checked.path, source, text)
    except SourceError as exc:
        result.errors.append(FileError(exc.path, exc.message, exc.line))
        return
    result.fixed += count
    fixed = {id(f) for f in fixable}
    checked.findings = [f for f in checked.findings if id(f) not in fixed]


def finish_file(checked: Checked, options: Options, result: RunResult) -> None:
    """Suppressions and severities over all of the file's findings, into ``result``."""
    result.findings.extend(finish(checked.doc, checked.findings, checked.enabled,
                                  checked.config, options.rules))
