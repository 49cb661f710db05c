"""One run, from paths to a :class:`RunResult`: read, fix, parse, lint, check links, suppress.

The library entry points: :func:`lint_paths` (files on disk: the command line, the pre-commit
hook and the GitHub Action all come here through the CLI) and :func:`lint_text` (a text in
memory: standard input, an editor's buffer). One bad file never stops the others: its error is
recorded and the run goes on.
"""

from __future__ import annotations

import dataclasses
import gc
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from awesome_lint.budget import Budget, BudgetExceeded
from awesome_lint.config import (
    Config,
    ConfigError,
    config_from_text,
    find_config,
    link_policy,
    load_config,
    resolve_rules,
    with_preset,
)
from awesome_lint.discover import DiscoveryError, expand_paths, with_file_ignores
from awesome_lint.engine import RuleCrashError, finish, fix_text, in_phase, run_rules
from awesome_lint.findings import Finding, Related
from awesome_lint.fixes import applicable, apply_fixes
from awesome_lint.model import Document, Link, SuppressionComment
from awesome_lint.origin import github_repository
from awesome_lint.parse import parse
from awesome_lint.registry import load_rules
from awesome_lint.repo import existing_targets, repository_root, scan
from awesome_lint.result import FileError, RunResult
from awesome_lint.rule import Phase, Rule
from awesome_lint.source import Source, SourceError, read_source
from awesome_lint.urls import absolute, is_web_url

if TYPE_CHECKING:
    from awesome_lint.at_base import BaseView
    from awesome_lint.baseline import BaselineOptions, Baselines
    from awesome_lint.changed import ChangedLines
    from awesome_lint.links.api import ProgressBar
    from awesome_lint.links.forge_urls import Forge
    from awesome_lint.links.policy import DeadAfter, LinkPolicy
    from awesome_lint.verdicts import LinkStatus

#: Called with (path, text before, text after) for each file ``--fix --dry-run`` would change.
DiffPrinter = Callable[[str, str, str], None]


class RunError(Exception):
    """The run as a whole cannot go on (an unknown ``--diff`` ref, not a git repository)."""


@dataclass(frozen=True)
class RunOptions:
    """What to do, beyond which files: everything the command line can ask for."""

    select: Sequence[str] = ()
    ignore: Sequence[str] = ()
    #: ``--preset``: wins over the config's ``preset`` (see :data:`awesome_lint.config.PRESETS`).
    preset: str | None = None
    config_path: Path | None = None
    fix: bool = False
    unsafe_fixes: bool = False
    dry_run: bool = False
    links: bool = False
    use_cache: bool = True
    allow_private: bool = False
    #: Where the GitHub token may go and the token itself: never from a config file.
    github_token: str | None = field(default=None, repr=False)
    github_api: str | None = None
    #: ``--forge``/``--no-forge-api``: the forges whose APIs answer project links (with their
    #: tokens); None: the policy's (gitlab.com and codeberg.org, no token).
    forges: tuple[Forge, ...] | None = field(default=None, repr=False)
    #: ``--suggest-archived``: ask the Internet Archive for copies of gone links (the config's
    #: ``suggest-archived`` can also turn it on); ``archive_api``: where (never from a config).
    suggest_archived: bool = False
    archive_api: str | None = None
    #: A URL that must answer (any HTTP status) before any link is judged: when it does not,
    #: the network is taken to be down and no link is called dead (``AWESOME_LINT_NETWORK_CANARY``).
    network_canary: str | None = None
    #: ``--diff BASE``: only findings on lines changed since BASE (and only their links).
    diff_base: str | None = None
    #: ``--dead-after``: wins over the config's ``[links] dead-after`` (False: off; None: the
    #: config's).
    dead_after: DeadAfter | Literal[False] | None = None
    #: Keep a record of every checked link (``RunResult.links``) for the reports that show
    #: them (Markdown, HTML); other outputs need only the findings.
    link_records: bool = True
    #: Let an internal error (a bug) propagate instead of reporting it against the file.
    debug: bool = False
    #: With no paths, lint the readme GitHub shows here (and the config's ``include``).
    find_readme: bool = False
    #: ``--baseline``, ``--write-baseline``, ``--prune-baseline``, ``--no-baseline``.
    baseline: BaselineOptions | None = None


class _File:
    """One file in the run: read and linted offline; link findings may still come."""

    def __init__(self, path: Path, source: Source, doc: Document, config: Config,
                 enabled: list[type[Rule]], findings: list[Finding],
                 base: Document | None) -> None:
        self.path = path
        self.source = source
        self.doc = doc
        self.config = config
        self.enabled = enabled
        self.findings = findings
        self.link_findings: list[Finding] = []
        self.lines: set[int] | None = None  # --diff: the changed lines
        self.base = base  # --diff: the file as it was at BASE


class _Configs:
    """Config per linted file: ``--config`` for all, else the nearest one, each loaded once.

    With ``--diff`` (``base``), a config inside the repository is read as it was at BASE: the
    change's own files cannot loosen the check of the change.
    """

    def __init__(self, explicit: Path | None, rules: Sequence[type[Rule]],
                 base: BaseView | None = None) -> None:
        self.explicit = explicit
        self.rules = rules
        self.base = base
        self.loaded: dict[object, Config | ConfigError] = {}

    def for_file(self, path: Path) -> Config:
        if self.base is not None:
            where: object = (self.base.explicit_config(self.explicit)
                             if self.explicit is not None else self.base.config_for(path))
        else:
            where = self.explicit if self.explicit is not None else find_config(path)
        if where not in self.loaded:
            try:
                self.loaded[where] = self._load(where)
            except ConfigError as exc:
                self.loaded[where] = exc
        config = self.loaded[where]
        if isinstance(config, ConfigError):
            raise config
        return config

    def _load(self, where: object) -> Config:
        if self.base is not None:  # --diff: a config as it was at BASE
            from awesome_lint.at_base import BaseConfig

            if isinstance(where, BaseConfig):
                return config_from_text(where.text, where.path, self.rules, source=where.label)
        assert where is None or isinstance(where, Path)
        return load_config(where, self.rules)


def lint_paths(paths: Sequence[Path], options: RunOptions = RunOptions(), *,
               rules: Sequence[type[Rule]] | None = None, on_diff: DiffPrinter | None = None,
               progress: ProgressBar | None = None) -> RunResult:
    """Lint (and with ``options.fix``, fix) the files at ``paths``; check their links with
    ``options.links``. Raises :class:`RunError` for what stops the whole run, and
    ``ConfigError`` (path ``<command line>``) for a bad ``select``/``ignore``."""
    with _no_cycle_collection():
        return _lint_paths(paths, options, rules, on_diff, progress)


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """The cycle collector paused, then restored.

    Linting builds large acyclic trees: the collector would only rescan them (a full collection
    with awesome-go's document alive takes ~20 ms, and a 100,000-entry list spends a fifth of
    its time in them). Only the network makes cycles: it runs with the collector
    (:func:`awesome_lint.links.running.run_collecting`), not the cache reads around it.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def _lint_paths(paths: Sequence[Path], options: RunOptions, rules: Sequence[type[Rule]] | None,
                on_diff: DiffPrinter | None, progress: ProgressBar | None) -> RunResult:
    rules = load_rules() if rules is None else tuple(rules)
    resolve_rules(Config(), rules, cli_select=options.select, cli_ignore=options.ignore,
                  cli_preset=options.preset)
    result = RunResult(rules=list(rules))
    changed = _changed_lines(options.diff_base)
    base_view = None
    if changed is not None:
        from awesome_lint.at_base import BaseView

        base_view = BaseView(changed)
    configs = _Configs(options.config_path, rules, base_view)
    try:  # folders, globs and the readme into files, with the configs loaded here
        paths = expand_paths(paths, configs.for_file, explicit=options.config_path is not None,
                             errors=result.errors, readme=options.find_readme)
    except DiscoveryError as exc:
        raise RunError(str(exc)) from exc
    files: list[_File] = []
    for path in paths:
        lines = None
        if changed is not None and path.is_file():
            lines = _changed_in(changed, path)
            if not lines:
                continue  # --diff: a file that did not change is not linted
        try:
            one = _lint_file(path, options, configs, rules, result, on_diff, base_view)
        except Exception as exc:
            if options.debug:
                raise
            result.errors.append(FileError(str(path), f"internal error: "
                                           f"{type(exc).__name__}: {exc} (run with --debug "
                                           "for details)"))
            continue
        if one is not None:
            one.lines = lines
            files.append(one)
    _note_outside_git(files, result)
    presets = {one.config.preset for one in files}
    result.preset = presets.pop() if len(presets) == 1 else options.preset
    if options.links and options.link_records:
        result.links = []
    if options.links and files:  # (the network turns the collector on while it runs)
        _check_links(files, options, result, progress)
        for one in files:
            _fix_links(one, options, result, on_diff)
    baselines = _baselines(options, files, result, base_view)
    for one in files:
        _finish_file(one, rules, result, baselines)
    if baselines is not None:
        baselines.finish()
    return result


def _baselines(options: RunOptions, files: Sequence[_File], result: RunResult,
               base_view: BaseView | None) -> Baselines | None:
    """The run's baselines; None when no file has one and none is written (then
    :mod:`awesome_lint.baseline` is not imported)."""
    chosen = options.baseline
    writes = chosen is not None and chosen.write is not None
    enabled = chosen is None or chosen.enabled
    if not writes and not (enabled and ((chosen is not None and chosen.path is not None)
                                        or any(one.config.baseline for one in files))):
        return None
    from awesome_lint.baseline import Baselines

    return Baselines(chosen, result, diff_base=options.diff_base, base_view=base_view,
                     links=options.links)


def lint_text(text: str, path: str = "<stdin>", config: Config | None = None, *,
              rules: Sequence[type[Rule]] | None = None, select: Sequence[str] = (),
              ignore: Sequence[str] = (), preset: str | None = None,
              directory: Path | None = None,
              link_statuses: Mapping[str, LinkStatus] | None = None) -> list[Finding]:
    """The offline findings of ``text`` (standard input, an editor's buffer), as the command
    line would report them for a file at ``path`` with ``config``: suppressions applied,
    sorted. ``directory``: where the file would be, for the rules that look at the repository.
    ``link_statuses``: the statuses of links checked earlier (by absolute URL), for the link
    rules to report on as after ``--links`` (the editor's on-demand check); no network here.

    Raises :class:`BudgetExceeded` for pathological input and :class:`RuleCrashError` for a
    rule that fails; never anything else for any text.
    """
    known = load_rules() if rules is None else tuple(rules)
    config = with_preset(Config() if config is None else config, preset)
    enabled = resolve_rules(config, known, cli_select=select, cli_ignore=ignore,
                            cli_preset=preset)
    with _no_cycle_collection():  # (the document is freed when _lint_text returns)
        return _lint_text(text, path, config, known, enabled, directory, link_statuses)


def _lint_text(text: str, path: str, config: Config, known: Sequence[type[Rule]],
               enabled: Sequence[type[Rule]], directory: Path | None,
               link_statuses: Mapping[str, LinkStatus] | None) -> list[Finding]:
    with Budget(len(text.encode("utf-8", "surrogatepass"))):
        doc = parse(text, path)
        if directory is not None:
            doc = with_repository(doc, directory)
        findings = run_rules(doc, in_phase(enabled, Phase.DOCUMENT), config)
        if link_statuses is not None:
            doc = dataclasses.replace(doc, link_statuses=link_statuses)
            findings += run_rules(doc, in_phase(enabled, Phase.LINKS), config)
        return finish(doc, findings, enabled, config, known)


def with_repository(doc: Document, directory: Path) -> Document:
    """``doc`` with what the repository-aware rules need from the disk, read here, once.

    The files beside it only for a file inside a git repository: a README copied elsewhere has
    no contributing guide or linked files beside it, and reporting them missing would be noise.
    Its GitHub repository (``origin``, else ``GITHUB_REPOSITORY``) for links to its own anchors.
    """
    directory = directory.resolve()
    root = repository_root(directory)
    github = github_repository(root, os.environ)
    if github is not None:
        place = (directory / Path(doc.path).name).relative_to(root).as_posix() if root else None
        doc = dataclasses.replace(doc, repository=github, repository_path=place)
    if root is None:
        return doc
    targets = existing_targets((link.url for link in doc.links), directory, root)
    return dataclasses.replace(doc, repo_files=scan(directory), local_targets=targets)


def web_links(doc: Document) -> list[Link]:
    """Every link of ``doc`` that points at the web: entries, prose, images, HTML."""
    return [link for link in doc.links if is_web_url(link.url)]


# --- the phases -------------------------------------------------------------------------------


def _changed_lines(base: str | None) -> ChangedLines | None:
    if base is None:
        return None
    from awesome_lint.changed import ChangedLines, ChangedLinesError

    try:
        return ChangedLines(base)
    except ChangedLinesError as exc:
        raise RunError(str(exc)) from exc


def _changed_in(changed: ChangedLines, path: Path) -> set[int] | None:
    from awesome_lint.changed import ChangedLinesError

    try:
        return changed(path)
    except ChangedLinesError as exc:
        raise RunError(str(exc)) from exc


def _lint_file(path: Path, options: RunOptions, configs: _Configs, rules: Sequence[type[Rule]],
               result: RunResult, on_diff: DiffPrinter | None,
               base_view: BaseView | None = None) -> _File | None:
    """Read, fix, parse and lint one file offline; its errors go to ``result``. With ``--diff``
    (``base_view``), the file as it was at BASE is parsed too, for AL003."""
    name = str(path)
    try:
        # Read first: a file that must not be read (a link out of the repository) is reported
        # as such before anything is asked of git about where it lives.
        source = read_source(path, name)
        config = with_preset(with_file_ignores(configs.for_file(path), path,
                                               configs.explicit is not None), options.preset)
        enabled = resolve_rules(config, rules, cli_select=options.select,
                                cli_ignore=options.ignore, cli_preset=options.preset)
        if options.fix:
            source = _fix_file(path, source, options, config, enabled, rules, result, on_diff)
        # --diff: the file at BASE (empty when the change adds it), to tell what its comments
        # newly hide.
        base_text = (base_view.text(path) or "") if base_view is not None else None
        with Budget(len(source.raw) + len(base_text or "")):
            doc = with_repository(parse(source.text, name), path.parent)
            findings = run_rules(doc, in_phase(enabled, Phase.DOCUMENT), config)
            base = None if base_text is None else parse(base_text, name)
    except FILE_ERRORS as exc:
        result.errors.append(file_error(name, exc))
    else:
        result.files.append(name)
        return _File(path, source, doc, config, enabled, findings, base)
    return None


def _fix_file(path: Path, source: Source, options: RunOptions, config: Config,
              enabled: Sequence[type[Rule]], rules: Sequence[type[Rule]], result: RunResult,
              on_diff: DiffPrinter | None) -> Source:
    """``--fix``: the file's text fixed (written, unless a dry run), as the source to lint."""
    name = str(path)
    with Budget(len(source.raw), what="fix"):  # (never around the write: it must finish)
        fixed_text, fixed, _ = fix_text(source.text, name, enabled, config, known=rules,
                                        unsafe=options.unsafe_fixes)
    if fixed_text == source.text:
        return source
    if options.dry_run:
        result.would_fix += fixed
        if on_diff is not None:
            on_diff(name, source.text, fixed_text)
        return source
    from awesome_lint.write import write_atomic  # only --fix needs it

    write_atomic(path, source, fixed_text)
    result.fixed += fixed
    return source._replace(text=fixed_text, raw=source.encode(fixed_text))


def _check_links(files: Sequence[_File], options: RunOptions, result: RunResult,
                 progress: ProgressBar | None) -> None:
    """The network phase (imports aiohttp): each file's web links (with ``--diff``, those on
    changed lines) checked under its own config's link policy, each URL once per policy."""
    from awesome_lint.links.api import check_urls, http_only_note, summary

    http_only = 0
    groups: dict[object, tuple[LinkPolicy, list[_File]]] = {}
    for one in files:  # a config without [links] (one per file found): the default policy
        links = one.config.links
        key = ("defaults", one.config.path) if links is None else id(links)
        if key not in groups:
            groups[key] = (link_policy(one.config), [])
        groups[key][1].append(one)
    for policy, members in groups.values():
        policy = dataclasses.replace(
            policy, github_token=options.github_token or None,
            github_api=options.github_api or policy.github_api,
            forges=policy.forges if options.forges is None else options.forges,
            allow_private=options.allow_private,
            suggest_archived=policy.suggest_archived or options.suggest_archived,
            archive_api=options.archive_api or policy.archive_api,
            dead_after=policy.dead_after if options.dead_after is None
            else options.dead_after or None)
        urls: set[str] = set()
        new: set[str] = set()  # --diff: links the change adds are judged at once (dead-after)
        for one in members:
            mine = {absolute(link.url) for link in _links_to_check(one)}
            urls |= mine
            if one.base is not None:
                new |= mine - {absolute(link.url) for link in web_links(one.base)}
        report = check_urls(urls, policy, use_cache=options.use_cache, progress=progress,
                            repositories=[one.path.absolute().parent for one in members],
                            canary=options.network_canary, new=new)
        result.warnings.extend(w for w in report.warnings if w not in result.warnings)
        result.notes.append(summary(report.statuses, report.stats))
        http_only += report.http_only
        if report.stats.offline:  # offline is not dead: one error for the run, no finding
            where = str(members[0].path) + (f" and {len(members) - 1} more files"
                                            if len(members) > 1 else "")
            result.errors.append(FileError(where, f"network unavailable: "
                                                  f"{report.stats.offline} links not checked"))
        statuses = report.statuses
        if policy.suggest_archived and not report.stats.offline:
            statuses = _with_archived_copies(statuses, policy, options, members, result)
        for one in members:
            one.doc = dataclasses.replace(one.doc, link_statuses=statuses)
            if result.links is not None:  # (the Markdown and HTML reports' records)
                from awesome_lint.link_records import link_records

                result.links.extend(link_records(one.doc))
            try:
                with Budget(len(one.source.raw), what="report its links"):
                    one.link_findings = run_rules(one.doc, in_phase(one.enabled, Phase.LINKS),
                                                  one.config)
            except (BudgetExceeded, RuleCrashError) as exc:
                result.errors.append(file_error(str(one.path), exc))
    if http_only:  # once per run, whatever the number of configs
        result.notes.append(http_only_note(http_only))


def _links_to_check(one: _File) -> list[Link]:
    """The file's web links; with ``--diff``, those on its changed lines."""
    links = web_links(one.doc)
    if one.lines is None:
        return links
    from awesome_lint.changed import touches

    return [link for link in links if touches(link.span, one.lines)]


def _with_archived_copies(statuses: dict[str, LinkStatus], policy: LinkPolicy,
                          options: RunOptions, members: Sequence[_File],
                          result: RunResult) -> dict[str, LinkStatus]:
    """``statuses`` with the latest archived copy of each gone link whose new address is not
    known (``extra["replacement"]``), for the link rules to suggest."""
    from awesome_lint.links.api import archived_copies
    from awesome_lint.replacements import Replacement, archive_time, wants_archived_copy

    wanted = [url for url, status in statuses.items() if wants_archived_copy(status)]
    if not wanted:
        return statuses
    found = archived_copies(wanted, policy, use_cache=options.use_cache,
                            repositories=[one.path.absolute().parent for one in members])
    result.warnings.extend(w for w in found.warnings if w not in result.warnings)
    result.notes.append(found.note)
    statuses = dict(statuses)
    for url, (copy, timestamp) in found.copies.items():
        when = archive_time(timestamp)
        if when is not None:
            status = statuses[url]
            replacement = Replacement(copy, "archive", when).to_json()
            statuses[url] = dataclasses.replace(status, extra={**status.extra,
                                                               "replacement": replacement})
    return statuses


def _fix_links(one: _File, options: RunOptions, result: RunResult,
               on_diff: DiffPrinter | None) -> None:
    """With ``--fix``, apply the fixes of the link findings (permanent redirects, which are
    unsafe: only with ``--unsafe-fixes``) once the network phase has found them."""
    fixable = [f for f in one.link_findings if applicable(f.fix, unsafe=options.unsafe_fixes)]
    if not options.fix or not fixable:
        return
    source = one.source
    text, count = apply_fixes(source.text, fixable, unsafe=options.unsafe_fixes)
    if text == source.text:
        return
    if options.dry_run:
        result.would_fix += count
        if on_diff is not None:
            on_diff(str(one.path), source.text, text)
        return
    from awesome_lint.write import write_atomic  # only --fix needs it

    try:
        write_atomic(one.path, source, text)
    except SourceError as exc:
        result.errors.append(FileError(exc.path, exc.message, exc.line))
        return
    result.fixed += count
    fixed = {id(f) for f in fixable}
    one.link_findings = [f for f in one.link_findings if id(f) not in fixed]


def _finish_file(one: _File, rules: Sequence[type[Rule]], result: RunResult,
                 baselines: Baselines | None = None) -> None:
    """Suppressions over all of the file's findings, the comment rules, ``--diff``'s filter."""
    comments: list[SuppressionComment] = []
    try:
        with Budget(len(one.source.raw), what="apply its suppression comments"):
            findings = finish(one.doc, [*one.findings, *one.link_findings], one.enabled,
                              one.config, rules, base=one.base,
                              suppressions=comments)
    except (BudgetExceeded, RuleCrashError) as exc:
        result.errors.append(file_error(str(one.path), exc))
        return
    if baselines is not None:  # (before --diff's filter: counts are per whole file)
        findings = baselines.apply(one.path, one.config.baseline, one.source.text, one.enabled,
                                   findings)
    if one.lines is not None:  # --diff: what involves a changed line, at any of its places
        lines = one.lines
        findings = [moved for f in findings if (moved := _in_scope(f, lines)) is not None]
    result.findings.extend(findings)
    result.suppressions.extend((str(one.path), comment) for comment in comments)


def _in_scope(finding: Finding, lines: set[int]) -> Finding | None:
    """``--diff``: ``finding`` when it involves a changed line, None when it does not. A finding
    whose own place did not change but whose other place did (the new copy of a duplicate, the
    item inserted above a misnumbered one, a section the ToC lacks) is reported at that changed
    place, where a pull request's annotations show, with its own place as a related one."""
    from awesome_lint.changed import touches

    if touches(finding.span, lines):
        return finding
    for other in finding.related:
        if other.path is None and touches(other.span, lines):
            here = Related(finding.span, f"where {finding.code} applies")
            message = (f"{finding.message} (line {finding.span.line}; reported at the line this "
                       f"change touched: {other.message})")
            return finding._replace(
                span=other.span, message=message,
                related=(here, *(r for r in finding.related if r is not other)))
    return None


#: The rules that read the files beside the list, which only a git repository delimits.
_REPOSITORY_RULES = ("AL501", "AL502", "AL906")


def _note_outside_git(files: Sequence[_File], result: RunResult) -> None:
    """Say once (stderr) that the repository rules were skipped for the files outside any git
    repository (:func:`with_repository`), rather than passing in silence."""
    skipped: dict[str, None] = {}
    outside = []
    for one in files:
        enabled = [rule for rule in one.enabled if rule.code in _REPOSITORY_RULES]
        if enabled and one.doc.repo_files is None:
            outside.append(str(one.path))
            skipped.update((f"{rule.code} {rule.name}", None) for rule in enabled)
    if outside:
        where = outside[0] if len(outside) == 1 else f"{len(outside)} files"
        verb = "is" if len(outside) == 1 else "are"
        result.notes.append(f"awesome-lint: {', '.join(sorted(skipped))} skipped: {where} {verb} "
                            "not in a git repository")


#: What stops the work on one file, and only that file (:func:`file_error` says it).
FILE_ERRORS = (ConfigError, SourceError, BudgetExceeded, RuleCrashError)


def file_error(name: str, exc: ConfigError | SourceError | BudgetExceeded | RuleCrashError
               ) -> FileError:
    """The one line that reports why the file ``name`` was not (fully) checked."""
    if isinstance(exc, ConfigError):
        return FileError(exc.path, f"config: {exc.detail}")
    if isinstance(exc, SourceError):
        return FileError(exc.path, exc.message, exc.line)
    if isinstance(exc, BudgetExceeded):
        return FileError(name, exc.message)
    return FileError(name, f"internal error: {exc} (run with --debug for details, and please "
                           "report it)")
