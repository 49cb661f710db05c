"""Finding the rules: every rule, built-in or third-party, is an ``awesome_lint.rules``
entry point."""

from __future__ import annotations

import re
from functools import cache
from importlib.metadata import entry_points

from awesome_lint.rules.base import Rule

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
    for ep in entry_points(group=GROUP):
        try:
            rule = ep.load()
        except Exception as exc:  # a broken plugin must not crash the run with a traceback
            message = f"rule plugin {ep.name} ({ep.value}) failed to load: {exc}"
            raise RegistryError(message) from exc
        _validate(ep.name, rule)
        if rule.code in rules and rules[rule.code] is not rule:
            raise RegistryError(f"two rules claim the code {rule.code}: {ep.value} and "
                                f"{rules[rule.code].__module__}")
        if slugs.get(rule.name, rule.code) != rule.code:
            raise RegistryError(f"two rules claim the name {rule.name}")
        rules[rule.code] = rule
        slugs[rule.name] = rule.code
    return tuple(rules[code] for code in sorted(rules))


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
