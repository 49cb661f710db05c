"""What a rule is: metadata, options with defaults, and a check that yields violations."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from enum import Enum
from typing import Any, ClassVar, NamedTuple

from awesome_lint.findings import Severity, Violation
from awesome_lint.model import Document


class Option(NamedTuple):
    """A rule option: its name, default value and the values it accepts.

    ``choices`` limits a string option to those values. The option's type is its default's type.
    """

    name: str
    default: Any
    help: str
    choices: tuple[str, ...] = ()

    def validate(self, value: Any) -> str | None:
        """None when ``value`` is acceptable, else a short reason."""
        expected = type(self.default)
        if expected is bool and not isinstance(value, bool):
            return "expected true or false"
        if expected is int and (isinstance(value, bool) or not isinstance(value, int)):
            return "expected an integer"
        if expected is str and not isinstance(value, str):
            return "expected a string"
        if expected in (list, tuple) and not (
            isinstance(value, list) and all(isinstance(v, str) for v in value)
        ):
            return "expected a list of strings"
        if self.choices and value not in self.choices:
            return "expected one of " + ", ".join(repr(c) for c in self.choices)
        return None


class Phase(str, Enum):
    """What a rule reads, and so when in a run it runs."""

    DOCUMENT = "document"  # the parsed document: offline, always
    LINKS = "links"  # ``Document.link_statuses``: after the network check (``--links``)
    SUPPRESSIONS = "suppressions"  # ``Document.suppressions``: last; never suppressed itself


class Tier(str, Enum):
    """Which set a rule belongs to: what runs when the config does not ``select``."""

    DEFAULT = "default"  # defects: broken rendering, navigation or links; always runs
    AWESOME = "awesome"  # sindresorhus/awesome's guidelines: runs with ``preset = "awesome"``
    OPT_IN = "opt-in"  # style and taste: runs only when selected or configured by name


class Rule:
    """Base class of every rule. Subclasses set the metadata and implement :meth:`check`.

    A rule reads the :class:`Document` and yields :class:`Violation` objects; it never prints,
    reads files or looks at suppressions. ``options`` declares the rule's options (the schema);
    ``self.settings`` holds their values for this run (defaults, then the config's).
    """

    code: ClassVar[str]
    name: ClassVar[str]
    summary: ClassVar[str]
    severity: ClassVar[Severity] = Severity.ERROR
    #: The default severity under a preset where it differs from ``severity``, by preset name
    #: (``{"awesome": Severity.WARNING}``); a configured severity still wins.
    preset_severity: ClassVar[Mapping[str, Severity]] = {}
    fixable: ClassVar[bool] = False
    tier: ClassVar[Tier] = Tier.DEFAULT
    options: ClassVar[tuple[Option, ...]] = ()
    phase: ClassVar[Phase] = Phase.DOCUMENT

    def __init__(self, settings: Mapping[str, Any] | None = None) -> None:
        values = {opt.name: opt.default for opt in self.options}
        values.update(settings or {})
        self.settings: dict[str, Any] = values

    @classmethod
    def default_severity(cls, preset: str | None) -> Severity:
        """The severity of this rule's findings when the config sets none, under ``preset``."""
        return cls.preset_severity.get(preset or "default", cls.severity)

    def check(self, doc: Document) -> Iterator[Violation]:
        raise NotImplementedError
