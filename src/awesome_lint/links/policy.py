"""How links are checked: limits, timeouts, retries, exclusions; read from ``[links]`` config.

Pure data and validation (no network library): the config validates its ``[links]`` table with
:func:`policy_from_config` on every run, ``--links`` or not.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from functools import cached_property
from math import inf
from typing import TYPE_CHECKING, Any

from awesome_lint.links.forge_urls import DEFAULT_FORGES, Forge

if TYPE_CHECKING:  # imported where used: only a config with exclude patterns needs it
    import regex


class PolicyError(Exception):
    """A ``[links]`` setting that cannot be used: ``key`` (kebab-case) and why."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(key, message)
        self.key = key
        self.message = message

DEFAULT_USER_AGENT = (
    "Mozilla/5.0 (compatible; awesome-lint link checker; "
    "+https://github.com/awesome-lint/awesome-lint)"
)


#: ``dead-after`` counts runs among the observations the cache keeps per URL (``HISTORY``).
DEAD_AFTER_MAX_RUNS = 10
DEAD_AFTER_MAX_HOURS = 30 * 24.0
_DEAD_AFTER = re.compile(r"\s*(\d+)\s*runs?(?:\s+over\s+(\d+(?:\.\d+)?)\s*(h|hours?|d|days?))?\s*",
                         re.IGNORECASE)
DEAD_AFTER_FORMS = ('"N runs over H h" (e.g. "2 runs over 24h", "3 runs over 2 days"), '
                    '{runs = N, hours = H} or "off"')


@dataclass(frozen=True, slots=True)
class DeadAfter:
    """``dead-after``: a link with a gone verdict is reported as failing (a warning) until it
    has failed in at least ``runs`` runs spanning at least ``hours`` hours."""

    runs: int = 2
    hours: float = 24.0

    def __str__(self) -> str:
        return f"{self.runs} run{'s' if self.runs != 1 else ''} over {self.hours:g} h"


def parse_dead_after(value: object) -> DeadAfter | None:
    """``dead-after`` as written in a config, on the command line or in the action's input:
    ``"2 runs over 24h"``, ``{runs = 2, hours = 24}``, or ``"off"``/``false`` (None: a link
    is dead at once). Raises ValueError saying what is expected."""
    if value is False or (isinstance(value, str) and value.strip().lower() in ("off", "false")):
        return None
    runs: object
    hours: object
    if isinstance(value, str) and (match := _DEAD_AFTER.fullmatch(value)):
        runs, amount, unit = int(match[1]), match[2], match[3]
        hours = 0.0 if amount is None else float(amount) * (24 if unit[0] in "dD" else 1)
    elif isinstance(value, dict) and set(value) <= {"runs", "hours"} and "runs" in value:
        runs, hours = value["runs"], value.get("hours", 0.0)
    else:
        raise ValueError(f"expected {DEAD_AFTER_FORMS}")
    if isinstance(runs, bool) or not isinstance(runs, int) or not 1 <= runs <= DEAD_AFTER_MAX_RUNS:
        raise ValueError(f"runs must be an integer from 1 to {DEAD_AFTER_MAX_RUNS} (the cache "
                         "keeps that many observations per link)")
    if (isinstance(hours, bool) or not isinstance(hours, (int, float))
            or not 0 <= hours <= DEAD_AFTER_MAX_HOURS):
        raise ValueError(f"hours must be a number from 0 to {DEAD_AFTER_MAX_HOURS:g}")
    return DeadAfter(runs, float(hours))


@dataclass(frozen=True, slots=True)
class HostLimit:
    """Politeness for one host: connections in flight and the gap between request starts."""

    concurrency: int
    interval: float = 0.0


@dataclass(frozen=True)
class LinkPolicy:
    """Everything that decides how URLs are fetched and judged. Defaults are the measured ones
    (see bench/RESULTS.md); every field can be set in ``[tool.awesome-lint.links]``."""

    #: Requests in flight in all (lychee's default): room for more than a few hosts at their
    #: cap at once (64 held 8 hosts at 10 each to 8 on average).
    concurrency: int = 128
    #: 10, like lychee's default and the loopback bench's limit; github.com keeps its own.
    per_host: int = 10
    hosts: Mapping[str, HostLimit] = field(
        default_factory=lambda: {"github.com": HostLimit(4, 0.05)}
    )
    timeout: float = 20.0
    connect_timeout: float = 10.0
    retries: int = 3
    backoff: float = 0.5
    max_retry_after: float = 30.0
    max_redirects: int = 5
    head_first: bool = False
    max_body_bytes: int = 4 << 20  # a page read whole to find a #fragment's anchor
    exclude: tuple[str, ...] = ()
    accept: Mapping[str, tuple[int, ...]] = field(default_factory=dict)
    user_agent: str = DEFAULT_USER_AGENT
    allow_private: bool = False
    trust_env: bool = False
    github_token: str | None = field(default=None, repr=False)
    github_api: str = "https://api.github.com/graphql"
    #: GitLab and Gitea/Forgejo forges whose project links their REST APIs answer (gitlab.com
    #: and codeberg.org unless ``--forge``/``AWESOME_LINT_FORGES`` say more; ``--no-forge-api``:
    #: none). Never from a config file: the APIs get requests, some a token.
    forges: tuple[Forge, ...] = DEFAULT_FORGES
    cache_max_age: float = 86400.0
    cache_failures: float = 0.0
    #: Wall-clock seconds for the whole network check; links not answered by then are
    #: "error" (not checked), never "dead".
    deadline: float = 900.0
    #: Ask the Internet Archive for the latest copy of each gone link (a third-party call:
    #: off unless ``--suggest-archived`` or ``suggest-archived = true``).
    suggest_archived: bool = False
    #: The availability API asked (``AWESOME_LINT_ARCHIVE_API``; never from a config file).
    archive_api: str = "https://archive.org/wayback/available"
    #: ``dead-after``: None (the default), a gone link is dead at once.
    dead_after: DeadAfter | None = None

    def host_limit(self, host: str) -> HostLimit:
        return self.hosts.get(host.lower(), HostLimit(self.per_host))

    @cached_property
    def _exclude_patterns(self) -> list[regex.Pattern[str]]:
        import regex

        return [regex.compile(pattern) for pattern in self.exclude]

    def is_excluded(self, url: str) -> bool:
        """Whether ``url`` matches an exclude pattern. Each match is time-limited (the patterns
        come from the repository's config): a pattern that times out is dropped for the rest of
        the run, recorded in :attr:`slow_patterns`, and does not exclude."""
        patterns = self._exclude_patterns
        for pattern in list(patterns):
            try:
                if pattern.search(url, timeout=REGEX_TIMEOUT):
                    return True
            except TimeoutError:
                patterns.remove(pattern)
                self.slow_patterns.append(pattern.pattern)
        return False

    @cached_property
    def slow_patterns(self) -> list[str]:
        """Exclude patterns dropped because one match took longer than the limit."""
        return []

    def accepted(self, host: str, status: int) -> bool:
        """Whether ``status`` counts as alive for ``host`` by configuration."""
        return status in self.accept.get(host.lower(), ()) or status in self.accept.get("*", ())


#: Settings a config file must not make: a pull request can edit the config, so nothing in it
#: may lift the address guard, route through proxies, choose where the token is sent or where
#: the list's gone links are reported (the archive API).
#: These come from the command line and the environment only.
_NOT_FROM_CONFIG = frozenset({"github_token", "github_api", "allow_private", "trust_env",
                              "archive_api", "forges"})
# config key -> field name; the config uses kebab-case like the rest of the file.
_KEYS = {f.name.replace("_", "-"): f.name for f in fields(LinkPolicy)
         if f.name not in _NOT_FROM_CONFIG}


#: Upper bounds of the numeric settings: a config file is part of the repository, which a pull
#: request can edit (``retries = 1100`` overflowed the backoff, ``max-redirects = 1e9`` followed
#: 27,000 redirects); the link check as a whole is bounded by ``deadline``.
MAXIMA: Mapping[str, float] = {
    "concurrency": 256,
    "per_host": 64,
    "timeout": 120.0,
    "connect_timeout": 120.0,
    "retries": 10,
    "backoff": 60.0,
    "max_retry_after": 300.0,
    "max_redirects": 20,
    "max_body_bytes": 16 << 20,
    "cache_max_age": 30 * 86400.0,
    "cache_failures": 30 * 86400.0,
    "deadline": 3600.0,
}
#: How long one exclude pattern may take on one URL; a pattern that takes longer is dropped
#: for the rest of the run (with a warning), and the URL is checked.
REGEX_TIMEOUT = 0.05


def policy_from_config(table: Mapping[str, Any]) -> LinkPolicy:
    """A LinkPolicy from a config's raw ``[links]`` table; raises PolicyError naming the key."""
    values: dict[str, Any] = {}
    defaults = LinkPolicy()
    for key, value in table.items():
        name = _KEYS.get(key)
        if name is None:
            why = (" (set it on the command line: a config file is part of the repository, "
                   "which a pull request can change)" if key.replace("-", "_")
                   in _NOT_FROM_CONFIG else "")
            raise PolicyError(key, f"unknown key {key!r}{why}")
        values[name] = _convert(name, value, getattr(defaults, name), key)
    return LinkPolicy(**values)


def _convert(name: str, value: Any, default: Any, key: str) -> Any:
    def bad(message: str) -> PolicyError:
        return PolicyError(key, message)

    if name == "exclude":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise bad("expected a list of regular expressions")
        import regex

        for pattern in value:
            try:
                regex.compile(pattern)
            except regex.error as exc:
                raise bad(f"bad regular expression {pattern!r}: {exc}") from None
        return tuple(value)
    if name == "accept":
        if not isinstance(value, dict) or not all(
            isinstance(codes, list) and all(isinstance(c, int) and 100 <= c <= 999 for c in codes)
            for codes in value.values()
        ):
            raise bad('expected a table of host = [status codes], e.g. {"*" = [403]}')
        return {host.lower(): tuple(codes) for host, codes in value.items()}
    if name == "dead_after":
        try:
            return parse_dead_after(value)
        except ValueError as exc:
            raise bad(str(exc)) from None
    if name == "hosts":
        if not isinstance(value, dict):
            raise bad('expected a table of host = {concurrency = N, interval = seconds}')
        limits = {}
        for host, spec in value.items():
            if not isinstance(spec, dict) or set(spec) - {"concurrency", "interval"}:
                raise bad(f"{host}: expected {{concurrency = N, interval = seconds}}")
            concurrency = spec.get("concurrency", LinkPolicy.per_host)
            interval = spec.get("interval", 0.0)
            if (isinstance(concurrency, bool) or not isinstance(concurrency, int)
                    or not 1 <= concurrency <= MAXIMA["per_host"]):
                raise bad(f"{host}: concurrency must be an integer from 1 to "
                          f"{MAXIMA['per_host']:g}")
            if (isinstance(interval, bool) or not isinstance(interval, (int, float))
                    or not 0 <= interval <= 60):
                raise bad(f"{host}: interval must be a number of seconds from 0 to 60")
            limits[host.lower()] = HostLimit(concurrency, float(interval))
        return {**default, **limits}  # configured hosts add to the defaults (github.com)
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise bad("expected true or false")
        return value
    if isinstance(default, int):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise bad("expected a non-negative integer")
        if name in ("concurrency", "per_host") and value < 1:
            raise bad("expected a positive integer")
        _at_most(name, value, bad)
        return value
    if isinstance(default, float):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < inf:
            raise bad("expected a number of seconds >= 0")
        _at_most(name, value, bad)
        return float(value)
    if not isinstance(value, str) or not value:
        raise bad("expected a non-empty string")
    return value


def _at_most(name: str, value: float, bad: Callable[[str], PolicyError]) -> None:
    limit = MAXIMA.get(name)
    if limit is not None and value > limit:
        raise bad(f"at most {limit:g}")
