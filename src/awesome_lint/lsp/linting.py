"""Linting an editor's buffer as the command line lints the file: the file's own config (for a
buffer without a path, the workspace's), its ``per-file-ignores``, inline suppressions, its
baseline, and the repository rules reading the folder it is in (else the workspace folder).

Whatever goes wrong (a bad config, a text over budget, a rule that crashes, a bug) becomes
:attr:`Linted.problem`: one line, never an exception out of here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from awesome_lint.config import Config, find_config, load_config, resolve_rules
from awesome_lint.discover import with_file_ignores
from awesome_lint.findings import Finding
from awesome_lint.result import FileError, RunResult
from awesome_lint.rule import Rule
from awesome_lint.session import FILE_ERRORS, file_error, lint_text
from awesome_lint.source import MAX_BYTES, normalise_text
from awesome_lint.verdicts import LinkStatus


@dataclass(frozen=True)
class Buffer:
    """One text to lint: ``name`` in messages, ``path`` None for an untitled buffer,
    ``workspace`` the folder of the workspace it belongs to (if any)."""

    text: str
    name: str
    path: Path | None = None
    workspace: Path | None = None
    version: int | None = None


@dataclass(frozen=True)
class Linted:
    """What linting a buffer gave: its findings, or why it could not be (fully) checked."""

    buffer: Buffer
    findings: tuple[Finding, ...] = ()
    problem: FileError | None = None


def buffer_config(buffer: Buffer, rules: Sequence[type[Rule]]) -> Config:
    """The config the command line would use for the buffer's file (the workspace's, or the
    current folder's, for a buffer without a path). Raises ``ConfigError``."""
    where = buffer.path or buffer.workspace or Path.cwd()
    config = load_config(find_config(where), rules)
    return config if buffer.path is None else with_file_ignores(config, buffer.path, False)


def lint_buffer(buffer: Buffer, rules: Sequence[type[Rule]],
                link_statuses: Mapping[str, LinkStatus] | None = None) -> Linted:
    """The findings of ``buffer`` (with the link findings of ``link_statuses``, when given)."""
    size = len(buffer.text.encode("utf-8", "surrogatepass"))
    if size > MAX_BYTES:
        limit = f"{MAX_BYTES / 1e6:.1f} MB"
        return Linted(buffer, problem=FileError(buffer.name, f"too large to lint (more than "
                                                              f"{limit})"))
    try:
        config = buffer_config(buffer, rules)
        directory = buffer.path.parent if buffer.path is not None else buffer.workspace
        findings = lint_text(buffer.text, buffer.name, config, rules=rules,
                             directory=directory, link_statuses=link_statuses)
        return _baselined(buffer, config, rules, findings)
    except FILE_ERRORS as exc:
        return Linted(buffer, problem=file_error(buffer.name, exc))
    except Exception as exc:  # a bug of ours: said in the editor, the server goes on
        return Linted(buffer, problem=FileError(buffer.name, f"internal error: "
                                                             f"{type(exc).__name__}: {exc}"))


def _baselined(buffer: Buffer, config: Config, rules: Sequence[type[Rule]],
               findings: list[Finding]) -> Linted:
    """Without the findings the config's baseline records, as on the command line."""
    if config.baseline is None or buffer.path is None:
        return Linted(buffer, tuple(findings))
    from awesome_lint.baseline import Baselines

    result = RunResult(rules=list(rules))
    kept = Baselines(None, result).apply(buffer.path, config.baseline,
                                         normalise_text(buffer.text),
                                         resolve_rules(config, rules), findings)
    return Linted(buffer, tuple(kept), result.errors[0] if result.errors else None)
