"""Config discovery, strict validation and rule selection."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from awesome_lint.config import (
    Config,
    ConfigError,
    find_config,
    load_config,
    lookup_rule,
    resolve_rules,
    rule_selector_matches,
)
from awesome_lint.findings import Severity, Violation
from awesome_lint.links.policy import LinkPolicy
from awesome_lint.model import Document
from awesome_lint.rule import Option, Rule, Tier


class _Dummy(Rule):
    summary = "A test rule."

    def check(self, doc: Document) -> Iterator[Violation]:
        yield from ()


class ListNumbering(_Dummy):
    code = "AL101"
    name = "list-numbering"
    options = (
        Option("style", "sequential", "How to number.", choices=("sequential", "ones")),
        Option("start", 1, "The first number."),
    )


class ListMarker(_Dummy):
    code = "AL102"
    name = "list-marker"


class DuplicateLink(_Dummy):
    code = "AL301"
    name = "duplicate-link"
    severity = Severity.WARNING


RULES: tuple[type[Rule], ...] = (ListNumbering, ListMarker, DuplicateLink)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def load_text(tmp_path: Path, text: str) -> Config:
    return load_config(write(tmp_path / ".awesome-lint.toml", text), RULES)


def load_error(tmp_path: Path, text: str, name: str = ".awesome-lint.toml") -> str:
    path = write(tmp_path / name, text)
    with pytest.raises(ConfigError) as info:
        load_config(path, RULES)
    return str(info.value)


# --- discovery ---------------------------------------------------------------------------------


def test_dedicated_file_wins_over_pyproject_in_the_same_directory(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "[tool.awesome-lint]\n")
    dedicated = write(tmp_path / ".awesome-lint.toml", "")
    readme = write(tmp_path / "README.md", "# Awesome\n")
    assert find_config(readme) == dedicated


def test_discovery_walks_up_from_the_file(tmp_path: Path) -> None:
    config = write(tmp_path / ".awesome-lint.toml", "")
    readme = write(tmp_path / "a" / "b" / "README.md", "# Awesome\n")
    assert find_config(readme) == config


def test_start_may_be_a_directory(tmp_path: Path) -> None:
    write(tmp_path / ".awesome-lint.toml", "")
    inner = write(tmp_path / "docs" / ".awesome-lint.toml", "")
    assert find_config(tmp_path / "docs") == inner


def test_pyproject_without_the_table_is_skipped(tmp_path: Path) -> None:
    config = write(tmp_path / "pyproject.toml", "[tool.awesome-lint]\nignore = []\n")
    write(tmp_path / "sub" / "pyproject.toml", "[tool.black]\nline-length = 99\n")
    readme = write(tmp_path / "sub" / "README.md", "# Awesome\n")
    assert find_config(readme) == config


def test_nearest_config_wins(tmp_path: Path) -> None:
    write(tmp_path / ".awesome-lint.toml", "")
    near = write(tmp_path / "sub" / "pyproject.toml", "[tool.awesome-lint.rules.AL101]\n")
    assert find_config(tmp_path / "sub" / "README.md") == near


def test_no_config_found(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "[project]\nname = 'x'\n")
    assert find_config(tmp_path / "README.md") is None


def test_broken_pyproject_on_the_way_is_an_error(tmp_path: Path) -> None:
    pyproject = write(tmp_path / "pyproject.toml", "[tool\n")
    with pytest.raises(ConfigError) as info:
        find_config(tmp_path / "README.md")
    assert str(info.value) == (
        f"{pyproject}: invalid TOML: Expected ']' at the end of a table declaration"
        " (at line 1, column 6)"
    )


# --- loading -----------------------------------------------------------------------------------


def test_no_path_gives_the_defaults() -> None:
    assert load_config(None, RULES) == Config()


def test_full_dedicated_file(tmp_path: Path) -> None:
    path = write(
        tmp_path / ".awesome-lint.toml",
        """\
select = ["AL1"]
extend-select = ["duplicate-link"]
ignore = ["list-marker"]

[rules.list-numbering]
severity = "warning"
style = "ones"

[rules.AL301]
severity = "off"

[links]
timeout = 5
""",
    )
    assert load_config(path, RULES) == Config(
        path=path,
        select=("AL1", "duplicate-link"),
        extend_select=("duplicate-link",),
        ignore=("list-marker",),
        severities={"AL101": Severity.WARNING, "AL301": None},
        rule_settings={"AL101": {"style": "ones"}},
        links=LinkPolicy(timeout=5.0),
    )


def test_pyproject_table(tmp_path: Path) -> None:
    path = write(
        tmp_path / "pyproject.toml",
        '[project]\nname = "x"\n\n[tool.awesome-lint]\nignore = ["AL301"]\n\n'
        "[tool.awesome-lint.rules.AL101]\nstart = 0\n",
    )
    assert load_config(path, RULES) == Config(
        path=path, ignore=("AL301",), rule_settings={"AL101": {"start": 0}}
    )


def test_extend_select_without_select_keeps_every_rule(tmp_path: Path) -> None:
    assert load_text(tmp_path, 'extend-select = ["AL301"]\n').select is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('selct = ["AL1"]\n', "selct: unknown key 'selct'; did you mean 'select'?"),
        (
            "[rules.list-numbring]\n",
            "rules.list-numbring: unknown rule 'list-numbring'; did you mean 'list-numbering'?",
        ),
        ("[rules.AL999]\n", "rules.AL999: unknown rule 'AL999'"),
        (
            '[rules.list-numbering]\nseverity = "fatal"\n',
            "rules.list-numbering.severity: expected one of 'error', 'warning', 'info', 'off'",
        ),
        (
            "[rules.AL101]\nseverity = 2\n",
            "rules.AL101.severity: expected one of 'error', 'warning', 'info', 'off'",
        ),
        (
            '[rules.list-numbering]\nstyle = "roman"\n',
            "rules.list-numbering.style: expected one of 'sequential', 'ones'",
        ),
        ("[rules.list-numbering]\nstyle = 1\n", "rules.list-numbering.style: expected a string"),
        ('[rules.AL101]\nstart = "1"\n', "rules.AL101.start: expected an integer"),
        (
            '[rules.AL101]\nstlye = "ones"\n',
            "rules.AL101.stlye: unknown option 'stlye'; did you mean 'style'?",
        ),
        (
            "[rules.AL101]\n[rules.list-numbering]\n",
            "rules.list-numbering: AL101 is already configured as rules.AL101",
        ),
        ("rules = 3\n", "rules: expected a table"),
        ("[rules]\nAL101 = 3\n", "rules.AL101: expected a table"),
        ('select = "AL1"\n', "select: expected a list of strings"),
        ("ignore = [1]\n", "ignore: expected a list of strings"),
        (
            'select = ["AL4"]\n',
            "select: unknown rule or code prefix 'AL4'; did you mean 'ALL'?",
        ),
        (
            'ignore = ["duplicate-links"]\n',
            "ignore: unknown rule or code prefix 'duplicate-links'; did you mean 'duplicate-link'?",
        ),
        (
            'extend-select = ["all"]\n',
            "extend-select: unknown rule or code prefix 'all'; did you mean 'ALL'?",
        ),
        (
            'select = ["al101"]\n',
            "select: unknown rule or code prefix 'al101'; did you mean 'AL101'?",
        ),
        ('links = "yes"\n', "links: expected a table"),
        # [links] is checked on every run, not only with --links.
        ("[links]\nanything = 1\n", "links.anything: unknown key 'anything'"),
        ('[links]\nexclude = ["("]\n', "links.exclude: bad regular expression '(': "
                                       "missing ) at position 1"),
        ("[links]\nretries = 1100\n", "links.retries: at most 10"),
        ("[links]\nmax-redirects = 1000000000\n", "links.max-redirects: at most 20"),
        ("[links]\ncache-max-age = 1e12\n", "links.cache-max-age: at most 2.592e+06"),
        ("[links]\ntimeout = 121\n", "links.timeout: at most 120"),
        ("[links]\ntimeout = inf\n", "links.timeout: expected a number of seconds >= 0"),
        (
            "[links]\nallow-private = true\n",
            "links.allow-private: unknown key 'allow-private' (set it on the command line: a "
            "config file is part of the repository, which a pull request can change)",
        ),
        (
            "[links.hosts]\n\"a.b\" = { concurrency = 1000 }\n",
            "links.hosts: a.b: concurrency must be an integer from 1 to 64",
        ),
    ],
)
def test_invalid_dedicated_file(tmp_path: Path, text: str, expected: str) -> None:
    assert load_error(tmp_path, text) == f"{tmp_path / '.awesome-lint.toml'}: {expected}"


def test_error_keys_in_pyproject_are_full_paths(tmp_path: Path) -> None:
    text = '[tool.awesome-lint.rules.list-numbering]\nstyle = "roman"\n'
    assert load_error(tmp_path, text, "pyproject.toml") == (
        f"{tmp_path / 'pyproject.toml'}: tool.awesome-lint.rules.list-numbering.style:"
        " expected one of 'sequential', 'ones'"
    )


def test_toml_syntax_error_names_the_line(tmp_path: Path) -> None:
    assert load_error(tmp_path, 'select = ["AL1"]\nb c = 2\n') == (
        f"{tmp_path / '.awesome-lint.toml'}: invalid TOML:"
        " Expected '=' after a key in a key/value pair (at line 2, column 3)"
    )


def test_explicit_pyproject_without_the_table(tmp_path: Path) -> None:
    text = "[tool.ruff]\nline-length = 100\n"
    assert load_error(tmp_path, text, "pyproject.toml") == (
        f"{tmp_path / 'pyproject.toml'}: no [tool.awesome-lint] table"
    )


def test_explicit_pyproject_with_a_non_table(tmp_path: Path) -> None:
    text = '[tool]\nawesome-lint = "on"\n'
    assert load_error(tmp_path, text, "pyproject.toml") == (
        f"{tmp_path / 'pyproject.toml'}: tool.awesome-lint: expected a table"
    )


def test_missing_explicit_file(tmp_path: Path) -> None:
    missing = tmp_path / "nope.toml"
    with pytest.raises(ConfigError) as info:
        load_config(missing, RULES)
    assert (str(info.value), info.value.path, info.value.key) == (
        f"{missing}: no such file",
        str(missing),
        None,
    )


def test_file_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "lint.toml"
    path.write_bytes(b'select = ["\xff"]\n')
    with pytest.raises(ConfigError) as info:
        load_config(path, RULES)
    assert str(info.value) == f"{path}: not valid UTF-8"


def test_error_parts(tmp_path: Path) -> None:
    path = write(tmp_path / "lint.toml", '[rules.AL101]\nstyle = "roman"\n')
    with pytest.raises(ConfigError) as info:
        load_config(path, RULES)
    error = info.value
    assert (error.path, error.key, error.message, error.detail) == (
        str(path),
        "rules.AL101.style",
        "expected one of 'sequential', 'ones'",
        "rules.AL101.style: expected one of 'sequential', 'ones'",
    )


# --- selection ---------------------------------------------------------------------------------


def codes(rules: list[type[Rule]]) -> list[str]:
    return [rule.code for rule in rules]


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        (Config(), ["AL101", "AL102", "AL301"]),
        (Config(select=("AL1",)), ["AL101", "AL102"]),
        (Config(select=("ALL",)), ["AL101", "AL102", "AL301"]),
        (Config(select=("duplicate-link", "AL101")), ["AL101", "AL301"]),
        (Config(select=("AL1",), ignore=("list-marker",)), ["AL101"]),
        (Config(ignore=("AL3",)), ["AL101", "AL102"]),
        (Config(select=("AL101",), ignore=("ALL",)), []),
        (Config(severities={"AL102": None, "AL301": Severity.ERROR}), ["AL101", "AL301"]),
    ],
)
def test_resolve_rules_from_config(config: Config, expected: list[str]) -> None:
    assert codes(resolve_rules(config, RULES)) == expected


def test_cli_select_replaces_config_select() -> None:
    config = Config(select=("AL1",), ignore=("AL102",))
    assert codes(resolve_rules(config, RULES, cli_select=["duplicate-link", "AL102"])) == ["AL301"]


def test_cli_ignore_adds_to_config_ignore() -> None:
    config = Config(ignore=("AL102",))
    assert codes(resolve_rules(config, RULES, cli_ignore=["AL301"])) == ["AL101"]


def test_loaded_config_drives_selection(tmp_path: Path) -> None:
    config = load_text(
        tmp_path, 'select = ["AL1", "AL301"]\n[rules.list-marker]\nseverity = "off"\n'
    )
    assert codes(resolve_rules(config, RULES)) == ["AL101", "AL301"]


@pytest.mark.parametrize(
    ("option", "selector", "expected"),
    [
        ("cli_select", "MD029", "<command line>: --select: unknown rule or code prefix 'MD029'"),
        (
            "cli_ignore",
            "list-numbring",
            "<command line>: --ignore: unknown rule or code prefix 'list-numbring';"
            " did you mean 'list-numbering'?",
        ),
    ],
)
def test_unknown_cli_selector(option: str, selector: str, expected: str) -> None:
    with pytest.raises(ConfigError) as info:
        resolve_rules(Config(), RULES, **{option: [selector]})
    assert str(info.value) == expected


@pytest.mark.parametrize(
    ("selector", "expected"),
    [
        ("ALL", True),
        ("AL101", True),
        ("AL1", True),
        ("AL10", True),
        ("AL", True),
        ("list-numbering", True),
        ("AL102", False),
        ("AL3", False),
        ("list", False),
        ("al101", False),
        ("", False),
    ],
)
def test_rule_selector_matches(selector: str, expected: bool) -> None:
    assert rule_selector_matches(selector, ListNumbering) is expected


def test_lookup_rule() -> None:
    assert lookup_rule("AL301", RULES) is DuplicateLink
    assert lookup_rule("duplicate-link", RULES) is DuplicateLink
    assert lookup_rule("AL3", RULES) is None


def test_opt_in_rules_run_only_when_named(tmp_path: Path) -> None:
    class OptIn(Rule):
        code = "AL303"
        name = "alphabetical-order"
        summary = "Opt-in."
        tier = Tier.OPT_IN

    rules = [*RULES, OptIn]
    assert OptIn not in resolve_rules(Config(), rules)
    assert OptIn in resolve_rules(Config(), rules, cli_select=["alphabetical-order"])
    assert OptIn in resolve_rules(Config(), rules, cli_select=["AL3"])
    assert OptIn in resolve_rules(Config(extend_select=("AL303",)), rules)
    assert OptIn in resolve_rules(Config(severities={"AL303": Severity.WARNING}), rules)
    assert OptIn not in resolve_rules(Config(severities={"AL303": None}), rules,
                                      cli_select=["AL303"])
    path = tmp_path / ".awesome-lint.toml"
    path.write_text('extend-select = ["alphabetical-order"]\n', encoding="utf-8")
    assert OptIn in resolve_rules(load_config(path, rules), rules)


def test_the_awesome_preset_adds_its_rules_to_the_default_set(tmp_path: Path) -> None:
    class Guideline(Rule):
        code = "AL111"
        name = "awesome-badge"
        summary = "A guideline of sindresorhus/awesome."
        tier = Tier.AWESOME

    rules = [*RULES, Guideline]
    default = resolve_rules(Config(), rules)
    assert Guideline not in default
    assert Guideline not in resolve_rules(Config(preset="default"), rules)
    assert resolve_rules(Config(preset="awesome"), rules) == [*default, Guideline]
    assert Guideline in resolve_rules(Config(), rules, cli_preset="awesome")
    assert Guideline not in resolve_rules(Config(preset="awesome"), rules, cli_preset="default")
    assert Guideline not in resolve_rules(Config(preset="awesome"), rules, cli_select=["AL3"])
    path = tmp_path / ".awesome-lint.toml"
    path.write_text('preset = "awesome"\n', encoding="utf-8")
    assert load_config(path, rules).preset == "awesome"
    path.write_text('preset = "awsome"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown preset 'awsome'; did you mean 'awesome'"):
        load_config(path, rules)
    path.write_text("preset = 1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="preset: expected one of: default, awesome"):
        load_config(path, rules)
    with pytest.raises(ConfigError, match="--preset"):
        resolve_rules(Config(), rules, cli_preset="strict")


def test_a_config_that_is_not_a_regular_file_is_refused(tmp_path: Path) -> None:
    """A pull request can link its config to /dev/zero: one error, no endless read."""
    (tmp_path / ".git").mkdir()
    config = tmp_path / ".awesome-lint.toml"
    config.symlink_to("/dev/zero")
    with pytest.raises(ConfigError) as info:
        load_config(config, RULES)
    assert str(info.value).startswith(f"{config}: ")
    assert "not a regular file" in str(info.value) or "outside the repository" in str(info.value)
