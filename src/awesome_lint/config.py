"""Configuration: find and validate ``[tool.awesome-lint]``, then decide which rules run.

A config is a ``.awesome-lint.toml`` (the whole file is the table) or the ``[tool.awesome-lint]``
table of a ``pyproject.toml``. Validation is strict: an unknown key, an unknown rule or a value of
the wrong type is a :class:`ConfigError` naming the file and the key, never silently ignored.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple

from awesome_lint.findings import Severity
from awesome_lint.rule import Rule, Tier

if TYPE_CHECKING:  # imported where used: only a [links] table or --links needs it
    from awesome_lint.links.policy import LinkPolicy

CONFIG_NAME = ".awesome-lint.toml"
PYPROJECT_NAME = "pyproject.toml"
CLI_SOURCE = "<command line>"
ALL = "ALL"
"""The selector that matches every rule."""

_TOOL = "awesome-lint"
_TOP_KEYS = ("preset", "select", "extend-select", "ignore", "rules", "links", "include", "exclude",
             "extend-exclude", "per-file-ignores", "baseline")
#: What a folder argument skips unless ``exclude`` says otherwise (``extend-exclude`` adds).
DEFAULT_EXCLUDE = ("node_modules", "vendor", "third_party", "bower_components")
#: ``preset``: which rules run when nothing is selected (the default set, or it and
#: sindresorhus/awesome's guidelines).
PRESETS = ("default", "awesome")
_OFF = "off"
_SEVERITIES = (*(s.value for s in Severity), _OFF)


class ConfigError(Exception):
    """A config file, or a rule selector on the command line, that cannot be used.

    ``str()`` is one line: ``path: key: message`` (``path: message`` when no key applies).
    """

    def __init__(self, path: str, key: str | None, message: str) -> None:
        super().__init__(path, key, message)
        self.path = path
        self.key = key
        self.message = message

    @property
    def detail(self) -> str:
        """The error without its path: ``key: message``, or just ``message``."""
        return f"{self.key}: {self.message}" if self.key else self.message

    def __str__(self) -> str:
        return f"{self.path}: {self.detail}"


class Config(NamedTuple):
    """A validated configuration; ``Config()`` is the default (every rule, default severities).

    ``select`` is None when the config does not choose; ``extend-select`` is already folded into
    it, and its selectors are validated. ``severities`` and ``rule_settings`` (each rule's option
    values) are keyed by rule code and hold only what the config sets; a severity of None means
    the rule is off. ``links`` is the policy of the ``[links]`` table (validated on every run,
    with ``--links`` or without), None without one: the defaults (:func:`link_policy`).
    ``include``, ``exclude`` and ``extend_exclude`` are globs
    (:mod:`awesome_lint.globs`) relative to the config's folder, for the files a folder or
    glob argument finds; ``per_file_ignores`` pairs a glob with the rules it turns off there.
    """

    path: Path | None = None
    #: ``preset = "awesome"`` adds the rules of sindresorhus/awesome's guidelines to the default
    #: set; None (or ``"default"``) runs the default set.
    preset: str | None = None
    #: ``baseline = "path"`` (:mod:`awesome_lint.baseline`), relative to the config's folder.
    baseline: Path | None = None
    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severities: Mapping[str, Severity | None] = MappingProxyType({})
    rule_settings: Mapping[str, Mapping[str, Any]] = MappingProxyType({})
    links: LinkPolicy | None = None
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE
    extend_exclude: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()


def find_config(start: Path) -> Path | None:
    """The config for ``start`` (a file or a directory): the nearest one in it or above it.

    In each directory ``.awesome-lint.toml`` wins over ``pyproject.toml``, and a
    ``pyproject.toml`` counts only when it has a ``[tool.awesome-lint]`` table. Raises
    :class:`ConfigError` when a ``pyproject.toml`` on the way is not valid TOML.
    """
    try:
        start = start.resolve()
    except (OSError, RuntimeError):  # a symlink loop: reading the file will report it
        start = start.absolute()
    directory = start if start.is_dir() else start.parent
    for folder in (directory, *directory.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder / CONFIG_NAME
        pyproject = folder / PYPROJECT_NAME
        if pyproject.is_file() and _tool_table(_read_toml(pyproject)) is not None:
            return pyproject
    return None


def load_config(path: Path | None, rules: Sequence[type[Rule]]) -> Config:
    """Read and validate the config at ``path`` against ``rules``; None gives the defaults."""
    if path is None:
        return Config()
    return config_from_text(_read_text(path), path, rules)


def config_from_text(text: str, path: Path, rules: Sequence[type[Rule]], *,
                     source: str | None = None) -> Config:
    """Validate the config ``text`` of the file ``path`` (a ``pyproject.toml`` or a dedicated
    file, by its name); ``source`` names it in errors (default: the path)."""
    source = str(path) if source is None else source
    data = _parse_toml(text, source)
    if path.name != PYPROJECT_NAME:
        return _Schema(source, "", rules).parse(path, data)
    table = _tool_table(data)
    if table is None:
        raise ConfigError(source, None, f"no [tool.{_TOOL}] table")
    if not isinstance(table, dict):
        raise ConfigError(source, f"tool.{_TOOL}", "expected a table")
    return _Schema(source, f"tool.{_TOOL}.", rules).parse(path, table)


def has_tool_table(pyproject_text: str) -> bool:
    """Whether a ``pyproject.toml``'s text has a ``[tool.awesome-lint]`` table (False when it is
    not valid TOML)."""
    try:
        return _tool_table(_parse_toml(pyproject_text, PYPROJECT_NAME)) is not None
    except ConfigError:
        return False


def resolve_rules(
    config: Config,
    rules: Sequence[type[Rule]],
    *,
    cli_select: Sequence[str] = (),
    cli_ignore: Sequence[str] = (),
    cli_preset: str | None = None,
) -> list[type[Rule]]:
    """The rules to run, in the order of ``rules``.

    Without ``select``, the default set runs (and the ``awesome`` set with that preset; the
    command line's ``cli_preset`` wins over the config's); ``extend-select`` and a configured
    severity add rules to it. ``cli_select`` replaces the config's ``select`` and ``cli_ignore``
    adds to its ``ignore``;
    ``ignore`` wins over ``select``, and a rule whose severity is ``off`` never runs. Raises
    :class:`ConfigError` (path ``<command line>``) for a command-line selector matching no rule.
    """
    _check_selectors(
        cli_select, rules, lambda message: ConfigError(CLI_SOURCE, "--select", message)
    )
    _check_selectors(
        cli_ignore, rules, lambda message: ConfigError(CLI_SOURCE, "--ignore", message)
    )
    if cli_preset is not None and cli_preset not in PRESETS:
        raise ConfigError(CLI_SOURCE, "--preset", _unknown_preset(cli_preset))
    select = tuple(cli_select) or config.select
    ignore = (*config.ignore, *cli_ignore)
    tiers = _tiers(cli_preset or config.preset)
    return [
        rule
        for rule in rules
        if _selected(rule, select, tiers, config)
        and not _matches_any(ignore, rule)
        and config.severities.get(rule.code, rule.severity) is not None
    ]


def link_policy(config: Config) -> LinkPolicy:
    """How ``config`` checks links: its ``[links]`` policy, else the defaults."""
    if config.links is not None:
        return config.links
    from awesome_lint.links.policy import LinkPolicy

    return LinkPolicy()


def with_preset(config: Config, cli_preset: str | None) -> Config:
    """``config`` under the command line's ``--preset`` (which wins over the config's): the
    preset decides which rules run and some rules' default severity."""
    return config if cli_preset is None else config._replace(preset=cli_preset)


def _tiers(preset: str | None) -> frozenset[Tier]:
    """The sets of rules a preset runs."""
    return frozenset({Tier.DEFAULT, Tier.AWESOME} if preset == "awesome" else {Tier.DEFAULT})


def _unknown_preset(name: str) -> str:
    return f"unknown preset {name!r}{did_you_mean(name, PRESETS)} (one of: {', '.join(PRESETS)})"


def _selected(rule: type[Rule], select: tuple[str, ...] | None, tiers: frozenset[Tier],
              config: Config) -> bool:
    """Selected explicitly, or by the preset's sets; any other rule runs only when a selector,
    ``extend-select`` or a configured severity names it."""
    if select is not None and _matches_any(select, rule):
        return True
    if select is None and rule.tier in tiers:
        return True
    return _matches_any(config.extend_select, rule) or config.severities.get(rule.code) is not None


def rule_selector_matches(selector: str, rule: type[Rule]) -> bool:
    """Whether ``selector`` picks ``rule``: ``ALL``, its code, a code prefix (``AL1``), its slug."""
    return selector in (ALL, rule.name) or (bool(selector) and rule.code.startswith(selector))


def lookup_rule(name: str, rules: Sequence[type[Rule]]) -> type[Rule] | None:
    """The rule whose code or slug is exactly ``name``, if any."""
    return next((rule for rule in rules if name in (rule.code, rule.name)), None)


def rule_names(rules: Iterable[type[Rule]]) -> list[str]:
    """Every code and slug of ``rules``: the names a user may write."""
    return [name for rule in rules for name in (rule.code, rule.name)]


def did_you_mean(name: str, candidates: Iterable[str]) -> str:
    """``"; did you mean 'x'?"`` for the candidate closest to a misspelt ``name``, else ``""``.

    Case is ignored when comparing, so ``al101`` finds ``AL101``.
    """
    folded = {candidate.casefold(): candidate for candidate in candidates}
    import difflib  # only on an error: keep it out of start-up

    matches = difflib.get_close_matches(name.casefold(), list(folded), n=1)
    return f"; did you mean {folded[matches[0]]!r}?" if matches else ""


def _read_toml(path: Path) -> dict[str, Any]:
    """The parsed file; a missing, unreadable or invalid file is a :class:`ConfigError`."""
    return _parse_toml(_read_text(path), str(path))


def _read_text(path: Path) -> str:
    """The config file's text, read as the lists are: a regular file (not a FIFO or a device),
    inside its repository, at most ``MAX_BYTES`` (a pull request can link its config to
    ``/dev/zero`` or to a file outside the repository)."""
    from awesome_lint.source import SourceError, read_bytes

    try:
        return read_bytes(path, str(path)).decode("utf-8")
    except SourceError as exc:
        raise ConfigError(str(path), None, exc.message) from None
    except UnicodeDecodeError:
        raise ConfigError(str(path), None, "not valid UTF-8") from None


def _parse_toml(text: str, source: str) -> dict[str, Any]:
    if sys.version_info >= (3, 11):  # imported here: a run without a config file needs none
        import tomllib
    else:
        import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]
    try:
        data: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # The decoder's message ends with "(at line N, column M)".
        raise ConfigError(source, None, f"invalid TOML: {exc}") from None
    return data


def _tool_table(pyproject: dict[str, Any]) -> Any:
    """The ``[tool.awesome-lint]`` value of a parsed pyproject.toml, or None."""
    tool = pyproject.get("tool")
    return tool.get(_TOOL) if isinstance(tool, dict) else None


def _matches_any(selectors: Iterable[str], rule: type[Rule]) -> bool:
    return any(rule_selector_matches(selector, rule) for selector in selectors)


def _check_selectors(
    selectors: Iterable[str], rules: Sequence[type[Rule]], error: Callable[[str], ConfigError]
) -> None:
    """Raise ``error(message)`` for the first selector that matches no rule."""
    for selector in selectors:
        if selector != ALL and not any(rule_selector_matches(selector, r) for r in rules):
            hint = did_you_mean(selector, [ALL, *rule_names(rules)])
            raise error(f"unknown rule or code prefix {selector!r}{hint}")


def _is_string_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


class _Schema:
    """Validates one config table; ``prefix`` locates it in its file (``tool.awesome-lint.``)."""

    def __init__(self, source: str, prefix: str, rules: Sequence[type[Rule]]) -> None:
        self.source = source
        self.prefix = prefix
        self.rules = rules

    def error(self, key: str, message: str) -> ConfigError:
        return ConfigError(self.source, self.prefix + key, message)

    def parse(self, path: Path, table: dict[str, Any]) -> Config:
        for key in table:
            if key not in _TOP_KEYS:
                raise self.error(key, f"unknown key {key!r}{did_you_mean(key, _TOP_KEYS)}")
        select = self.selectors(table, "select")
        extend = self.selectors(table, "extend-select")
        severities: dict[str, Severity | None] = {}
        settings_by_code: dict[str, dict[str, Any]] = {}
        rules_table = table.get("rules", {})
        if not isinstance(rules_table, dict):
            raise self.error("rules", "expected a table")
        configured: dict[str, str] = {}  # rule code -> the name it was configured under
        for name, settings in rules_table.items():
            rule = self.rule(name, configured)
            configured[rule.code] = name
            self.rule_settings(rule, f"rules.{name}", settings, severities, settings_by_code)
        exclude = self.globs(table, "exclude")
        policy = self.links(table["links"]) if "links" in table else None
        preset = table.get("preset")
        if preset is not None and preset not in PRESETS:
            message = (_unknown_preset(preset) if isinstance(preset, str)
                       else f"expected one of: {', '.join(PRESETS)}")
            raise self.error("preset", message)
        return Config(
            path=path,
            preset=preset,
            baseline=self.baseline(path, table),
            select=None if select is None else (*select, *(extend or ())),
            extend_select=tuple(extend or ()),
            ignore=self.selectors(table, "ignore") or (),
            severities=severities,
            rule_settings=settings_by_code,
            links=policy,
            include=self.globs(table, "include") or (),
            exclude=DEFAULT_EXCLUDE if exclude is None else exclude,
            extend_exclude=self.globs(table, "extend-exclude") or (),
            per_file_ignores=self.per_file_ignores(table),
        )

    def links(self, links: Any) -> LinkPolicy:
        """The ``[links]`` table's policy."""
        from awesome_lint.links.policy import PolicyError, policy_from_config

        if not isinstance(links, dict):
            raise self.error("links", "expected a table")
        try:
            return policy_from_config(links)
        except PolicyError as exc:
            raise self.error(f"links.{exc.key}", exc.message) from None

    def globs(self, table: dict[str, Any], key: str) -> tuple[str, ...] | None:
        """The validated glob list under ``key``, None when the key is absent."""
        if key not in table:
            return None
        value = table[key]
        if not _is_string_list(value):
            raise self.error(key, "expected a list of strings (glob patterns)")
        for pattern in value:
            self.glob(key, pattern)
        return tuple(value)

    def glob(self, key: str, pattern: str) -> None:
        from awesome_lint.globs import GlobError, compile_glob

        try:
            compile_glob(pattern)
        except GlobError as exc:
            raise self.error(key, f"{pattern!r}: {exc}") from None

    def per_file_ignores(self, table: dict[str, Any]) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """``per-file-ignores = {"glob" = ["RULE", ...]}``, validated, in the file's order."""
        value = table.get("per-file-ignores", {})
        if not isinstance(value, dict):
            raise self.error("per-file-ignores", "expected a table of glob = [rules]")
        pairs = []
        for pattern, selectors in value.items():
            key = f"per-file-ignores.{pattern!r}" if pattern else "per-file-ignores"
            self.glob(key, pattern)
            if not _is_string_list(selectors):
                raise self.error(key, "expected a list of strings (rule codes, prefixes or names)")
            _check_selectors(selectors, self.rules, functools.partial(self.error, key))
            pairs.append((pattern, tuple(selectors)))
        return tuple(pairs)

    def selectors(self, table: dict[str, Any], key: str) -> tuple[str, ...] | None:
        """The validated selector list under ``key``, None when the key is absent."""
        if key not in table:
            return None
        value = table[key]
        if not _is_string_list(value):
            raise self.error(key, "expected a list of strings")
        _check_selectors(value, self.rules, lambda message: self.error(key, message))
        return tuple(value)

    def baseline(self, path: Path, table: dict[str, Any]) -> Path | None:
        """``baseline``: a relative path in the config file's folder or below it."""
        value = table.get("baseline")
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            raise self.error("baseline", "expected a file name")
        relative = Path(value)
        if relative.is_absolute() or relative.drive or ".." in relative.parts:
            raise self.error("baseline", "expected a path relative to the config file's "
                             "folder, without '..'")
        return path.parent / relative

    def rule(self, name: str, configured: Mapping[str, str]) -> type[Rule]:
        """The rule a ``[rules.NAME]`` table configures, configured only once."""
        rule = lookup_rule(name, self.rules)
        if rule is None:
            hint = did_you_mean(name, rule_names(self.rules))
            raise self.error(f"rules.{name}", f"unknown rule {name!r}{hint}")
        if rule.code in configured:
            other = configured[rule.code]
            raise self.error(f"rules.{name}", f"{rule.code} is already configured as rules.{other}")
        return rule

    def rule_settings(
        self,
        rule: type[Rule],
        key: str,
        settings: Any,
        severities: dict[str, Severity | None],
        settings_by_code: dict[str, dict[str, Any]],
    ) -> None:
        """Validate one rule's table into ``severities`` and ``settings_by_code``."""
        if not isinstance(settings, dict):
            raise self.error(key, "expected a table")
        declared = {option.name: option for option in rule.options}
        for name, value in settings.items():
            if name == "severity":
                if value not in _SEVERITIES or not isinstance(value, str):
                    expected = ", ".join(repr(s) for s in _SEVERITIES)
                    raise self.error(f"{key}.severity", f"expected one of {expected}")
                severities[rule.code] = None if value == _OFF else Severity(value)
                continue
            option = declared.get(name)
            if option is None:
                hint = did_you_mean(name, ["severity", *declared])
                raise self.error(f"{key}.{name}", f"unknown option {name!r}{hint}")
            reason = option.validate(value)
            if reason is not None:
                raise self.error(f"{key}.{name}", reason)
            settings_by_code.setdefault(rule.code, {})[name] = value
