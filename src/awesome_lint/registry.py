"""Finding the rules.

Built-in rules are found in the modules of :mod:`awesome_lint.rules`: every module whose name
does not start with ``_`` defines one or more :class:`Rule` subclasses with a ``code``, so adding
a rule means adding a module (and its page in ``rules/``), without a reinstall; the modules a run
does not use are not imported (:mod:`awesome_lint.rule_index`). Third-party rules
are ``awesome_lint.rules`` entry points of the packages installed in the environment, read from
the site-packages folders only: never from the current directory or another folder that merely
happens to be on ``sys.path`` (a checkout that a pull request can write to must not be able to
register code to run by adding a ``*.dist-info`` folder).
"""

from __future__ import annotations

import importlib
import inspect
import os
import re
import site
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

from awesome_lint.rule import Rule
from awesome_lint.rule_index import read_index, stand_in

GROUP = "awesome_lint.rules"
#: The package whose modules are the built-in rules.
BUILTIN_PACKAGE = "awesome_lint.rules"
#: Public modules of the package that hold no rule: the old import path of the Rule API.
NOT_RULE_MODULES = frozenset({"base"})
_CODE = re.compile(r"[A-Z]{2,5}\d{3}")
_SLUG = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*")


class RegistryError(Exception):
    """A rule that cannot be loaded or is malformed; names the entry point or the module."""


@cache
def load_rules() -> tuple[type[Rule], ...]:
    """Every rule class, built-in and third-party, sorted by code. Loaded on first use.

    The built-in rules the index lists (:mod:`awesome_lint.rule_index`) are stand-ins: their
    modules are imported only when they run or their options are read.
    """
    rules: dict[str, type[Rule]] = {}
    slugs: dict[str, str] = {}

    def add(origin: str, rule: type[Rule]) -> None:
        if rule.code in rules and rules[rule.code] is not rule:
            raise RegistryError(f"two rules claim the code {rule.code}: {origin} and "
                                f"{rules[rule.code].__module__}")
        if slugs.get(rule.name, rule.code) != rule.code:
            raise RegistryError(f"two rules claim the name {rule.name}: {rule.code} ({origin}) "
                                f"and {slugs[rule.name]}")
        rules[rule.code] = rule
        slugs[rule.name] = rule.code

    indexed = read_index(BUILTIN_PACKAGE)
    for module in builtin_modules():
        if module in indexed:  # imported when one of its rules runs or is configured
            for row in indexed[module]:
                add(module, stand_in(BUILTIN_PACKAGE, row))
            continue
        try:
            loaded = importlib.import_module(module)
        except Exception as exc:  # reported like a broken plugin: exit 2, one line
            raise RegistryError(f"rule module {module} failed to load: {exc}") from exc
        for rule in rules_of(loaded):
            _validate(f"rule {module}:{rule.__qualname__}", rule)
            add(module, rule)
    for name, value in entry_points(GROUP):
        try:
            plugin = _load(value)
        except Exception as exc:  # a broken plugin must not crash the run with a traceback
            message = f"rule plugin {name} ({value}) failed to load: {exc}"
            raise RegistryError(message) from exc
        _validate(f"rule plugin {name}", plugin, entry_point=name)
        add(value, plugin)
    return tuple(rules[code] for code in sorted(rules))


def builtin_modules() -> list[str]:
    """The full names of the rule modules: every module file of the package (``*.py``, or
    compiled; not a subpackage) whose name does not start with ``_``, from its folder's
    listing."""
    package = importlib.import_module(BUILTIN_PACKAGE)
    names = {inspect.getmodulename(entry) for folder in package.__path__
             for entry in _listing(folder)}
    return sorted(f"{BUILTIN_PACKAGE}.{name}" for name in names
                  if name and name.isidentifier() and not name.startswith("_")
                  and name not in NOT_RULE_MODULES)


def rules_of(module: ModuleType) -> list[type[Rule]]:
    """The rule classes ``module`` defines (not imports): Rule subclasses with a ``code``."""
    return [obj for obj in vars(module).values()
            if isinstance(obj, type) and issubclass(obj, Rule) and obj is not Rule
            and obj.__module__ == module.__name__ and getattr(obj, "code", None) is not None]


def entry_points(group: str) -> list[tuple[str, str]]:
    """(name, "module:attribute") of every entry point in ``group`` of the installed packages.

    What ``importlib.metadata.entry_points(group=...)`` answers (``*.dist-info`` and
    ``*.egg-info``; the first copy of a package wins), read directly, and from the folders of
    :func:`installed_folders` only: on Python 3.11 importing ``importlib.metadata`` pulls in the
    ``email`` package, 17 ms of the 0.5 s a pre-commit run of a large list is allowed.
    """
    found: list[tuple[str, str]] = []
    seen: set[str] = set()
    header = f"[{group}]"
    for folder in installed_folders():
        for entry in _listing(folder):
            if not entry.endswith((".dist-info", ".egg-info")):
                continue
            package = re.sub(r"[-_.]+", "_", entry.rsplit(".", 1)[0].split("-", 1)[0]).lower()
            if package in seen:
                continue
            seen.add(package)
            try:
                text = Path(folder, entry, "entry_points.txt").read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            if header in text:  # most packages have no rules: configparser only when needed
                found.extend(_section(text, group))
    return found


def installed_folders() -> list[str]:
    """The folders of ``sys.path`` that hold the installed packages, in ``sys.path`` order.

    Those are the environment's site-packages (``site.getsitepackages()``: the interpreter's or
    the virtualenv's purelib and platlib, and the base installation's with
    ``--system-site-packages``), the user site-packages when enabled, and the project folders
    that legacy editable installs (``*.egg-link`` in site-packages) name. A relative entry (``''``,
    the current directory) and any other folder, such as one from ``PYTHONPATH``, never count.
    """
    sites = list(site.getsitepackages()) if hasattr(site, "getsitepackages") else []
    if site.ENABLE_USER_SITE:
        sites.append(site.getusersitepackages())
    trusted = {_key(folder) for folder in sites}
    for folder in sites:
        trusted.update(_key(target) for target in _egg_links(folder))
    return [entry for entry in sys.path if Path(entry).is_absolute() and _key(entry) in trusted]


def _key(folder: str) -> str:
    return os.path.normcase(os.path.realpath(folder))


def _listing(folder: str) -> tuple[str, ...]:
    try:
        return tuple(sorted(os.listdir(folder)))  # noqa: PTH208 (names only: no Path each)
    except OSError:
        return ()


def _egg_links(folder: str) -> Iterator[str]:
    """The project folders that ``*.egg-link`` files in ``folder`` point to."""
    for entry in _listing(folder):
        if entry.endswith(".egg-link"):
            try:
                with (Path(folder) / entry).open(encoding="utf-8") as link:
                    target = link.readline().strip()
            except (OSError, UnicodeDecodeError):
                continue
            if target:
                yield str(Path(folder) / target)


def _section(text: str, group: str) -> list[tuple[str, str]]:
    import configparser

    parser = configparser.ConfigParser(delimiters=("=",), interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    try:
        parser.read_string(text)
    except configparser.Error:
        return []
    return parser.items(group) if parser.has_section(group) else []


def _load(value: str) -> Any:
    """The object an entry point names: ``module:attribute`` (extras in brackets ignored)."""
    target = value.split("[", 1)[0].strip()
    module, _, attribute = target.partition(":")
    obj: Any = importlib.import_module(module.strip())
    for part in filter(None, attribute.strip().split(".")):
        obj = getattr(obj, part)
    return obj


def _validate(origin: str, rule: object, entry_point: str | None = None) -> None:
    """Check a rule's metadata; a plugin's code must also be its entry point's name."""
    if not (isinstance(rule, type) and issubclass(rule, Rule)):
        raise RegistryError(f"{origin} is not a subclass of awesome_lint Rule")
    code = getattr(rule, "code", "")
    if not (isinstance(code, str) and _CODE.fullmatch(code)):
        raise RegistryError(f"{origin}: code {code!r} must look like AL101")
    if entry_point is not None and code != entry_point:
        raise RegistryError(f"{origin}: code {code!r} must equal the entry point's name")
    if not _SLUG.fullmatch(getattr(rule, "name", "")):
        raise RegistryError(f"{origin}: name must be a kebab-case slug")
    if not getattr(rule, "summary", ""):
        raise RegistryError(f"{origin}: summary is missing")
