"""Finding the rules: every rule, built-in or third-party, is an ``awesome_lint.rules``
entry point."""

from __future__ import annotations

import configparser
import importlib
import re
import sys
from functools import cache
from pathlib import Path
from typing import Any

from awesome_lint.rule import Rule

GROUP = "awesome_lint.rules"
_CODE = re.compile(r"[A-Z]{2,5}\d{3}")
_SLUG = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*")


class RegistryError(Exception):
    """A rule plugin that cannot be loaded or is malformed; names the entry point."""


@cache
def load_rules() -> tuple[type[Rule], ...]:
    """Every registered rule class, sorted by code. Loaded on first use, not at import."""
    rules: dict[str, type[Rule]] = {}
    slugs: dict[str, str] = {}
    for name, value in entry_points(GROUP):
        try:
            rule = _load(value)
        except Exception as exc:  # a broken plugin must not crash the run with a traceback
            message = f"rule plugin {name} ({value}) failed to load: {exc}"
            raise RegistryError(message) from exc
        _validate(name, rule)
        if rule.code in rules and rules[rule.code] is not rule:
            raise RegistryError(f"two rules claim the code {rule.code}: {value} and "
                                f"{rules[rule.code].__module__}")
        if slugs.get(rule.name, rule.code) != rule.code:
            raise RegistryError(f"two rules claim the name {rule.name}")
        rules[rule.code] = rule
        slugs[rule.name] = rule.code
    return tuple(rules[code] for code in sorted(rules))


def entry_points(group: str) -> list[tuple[str, str]]:
    """(name, "module:attribute") of every entry point in ``group`` of the installed packages.

    What ``importlib.metadata.entry_points(group=...)`` answers for packages installed on
    ``sys.path`` (``*.dist-info`` and ``*.egg-info``; the first copy of a package wins), read
    directly: on Python 3.11 importing ``importlib.metadata`` pulls in the ``email`` package,
    17 ms of the 0.5 s a pre-commit run of a large list is allowed.
    """
    found: list[tuple[str, str]] = []
    seen: set[str] = set()
    for folder in sys.path:
        try:
            paths = sorted(Path(folder or ".").iterdir())
        except OSError:
            continue
        for path in paths:
            entry = path.name
            if not entry.endswith((".dist-info", ".egg-info")):
                continue
            package = re.sub(r"[-_.]+", "_", entry.rsplit(".", 1)[0].split("-", 1)[0]).lower()
            if package in seen:
                continue
            seen.add(package)
            parser = configparser.ConfigParser(delimiters=("=",), interpolation=None)
            parser.optionxform = str  # type: ignore[assignment,method-assign]
            try:
                parser.read(path / "entry_points.txt", encoding="utf-8")
            except (OSError, configparser.Error):
                continue
            if parser.has_section(group):
                found.extend(parser.items(group))
    return found


def _load(value: str) -> Any:
    """The object an entry point names: ``module:attribute`` (extras in brackets ignored)."""
    target = value.split("[", 1)[0].strip()
    module, _, attribute = target.partition(":")
    obj: Any = importlib.import_module(module.strip())
    for part in filter(None, attribute.strip().split(".")):
        obj = getattr(obj, part)
    return obj


def _validate(name: str, rule: object) -> None:
    if not (isinstance(rule, type) and issubclass(rule, Rule)):
        raise RegistryError(f"rule plugin {name} is not a subclass of awesome_lint Rule")
    code = getattr(rule, "code", "")
    if not _CODE.fullmatch(code) or code != name:
        raise RegistryError(f"rule plugin {name}: code {code!r} must look like AL101 and equal "
                            "the entry point's name")
    if not _SLUG.fullmatch(getattr(rule, "name", "")):
        raise RegistryError(f"rule plugin {name}: name must be a kebab-case slug")
    if not getattr(rule, "summary", ""):
        raise RegistryError(f"rule plugin {name}: summary is missing")
