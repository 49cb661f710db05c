"""Standard input (``awesome-lint -``), as editors and ruff users expect.

The text is read (at most :data:`~awesome_lint.source.MAX_BYTES`) and decoded as a file is;
``--stdin-filename PATH`` names it in the messages and decides its config (the nearest one to
PATH, its ``per-file-ignores``) and the repository the repository rules look at. With ``--fix``
the fixed text is what goes to standard output (with the input's line endings and byte-order
mark), and the report goes to standard error; when the text cannot be fixed (a bad config, a
pathological input) the input goes back unchanged, so that an editor replacing its buffer with
the output loses nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from awesome_lint.budget import Budget
from awesome_lint.config import Config, find_config, load_config, resolve_rules
from awesome_lint.discover import with_file_ignores
from awesome_lint.engine import fix_text
from awesome_lint.result import FileError, RunResult
from awesome_lint.rule import Rule
from awesome_lint.session import FILE_ERRORS, RunOptions, file_error, lint_text
from awesome_lint.source import MAX_BYTES, decode

#: The name of standard input in messages when no ``--stdin-filename`` is given.
STDIN_NAME = "<stdin>"


@dataclass
class StdinRun:
    """What a run on standard input produced: the report's result, and with ``--fix`` (not a
    dry run) the bytes to write to standard output (None when there are none to write)."""

    result: RunResult
    output: bytes | None = None


def _config(filename: str | None, explicit: Path | None, rules: Sequence[type[Rule]]) -> Config:
    if explicit is not None:
        config = load_config(explicit, rules)
    else:
        config = load_config(find_config(Path(filename) if filename else Path.cwd()), rules)
    if filename:
        config = with_file_ignores(config, Path(filename), explicit is not None)
    return config


def lint_stdin(stream: BinaryIO, options: RunOptions, rules: Sequence[type[Rule]], *,
               filename: str | None = None,
               on_diff: Callable[[str, str, str], None] | None = None) -> StdinRun:
    """Lint (with ``options.fix``, fix) the text of ``stream`` as a file named ``filename``
    (``select``, ``ignore``, ``preset``, ``config_path``, ``fix``, ``unsafe_fixes`` and
    ``dry_run`` of ``options`` apply). A bad text, config or input is a :class:`FileError` of
    the result; raises ``ConfigError`` (``<command line>``) for a bad ``select``/``ignore``, as
    :func:`awesome_lint.session.lint_paths` does."""
    select, ignore, config_path = options.select, options.ignore, options.config_path
    preset = options.preset
    fix, dry_run = options.fix, options.dry_run

    resolve_rules(Config(), rules, cli_select=select, cli_ignore=ignore, cli_preset=preset)
    name = filename or STDIN_NAME
    result = RunResult(rules=list(rules))
    run = StdinRun(result)
    data = stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        limit = f"{MAX_BYTES / 1e6:.1f} MB"
        result.errors.append(FileError(name, f"input too large (more than {limit}; the limit "
                                             f"is {limit})"))
        return run
    echo = fix and not dry_run
    if echo:
        run.output = data  # until a fixed text replaces it
    try:
        source = decode(name, data)
        config = _config(filename, config_path, rules)
        result.preset = preset or config.preset
        text, count = source.text, 0
        if fix:
            enabled = resolve_rules(config, rules, cli_select=select, cli_ignore=ignore,
                                    cli_preset=preset)
            with Budget(len(data), what="fix"):
                fixed, count, _ = fix_text(text, name, enabled, config, known=rules,
                                           unsafe=options.unsafe_fixes)
            if not dry_run:
                text = fixed
            elif fixed != text:  # as for a file: the diff, and the findings of the input
                result.would_fix += count
                if on_diff is not None:
                    on_diff(name, text, fixed)
        directory = Path(filename).absolute().parent if filename else None
        findings = lint_text(text, name, config, rules=rules, select=select, ignore=ignore,
                             preset=preset,
                             directory=directory)
    except FILE_ERRORS as exc:
        result.errors.append(file_error(name, exc))
    else:
        if echo:
            run.output = source.encode(text) if text != source.text else data
            result.fixed += count
        result.files.append(name)
        result.findings.extend(findings)
    return run


def write_fixed(run: StdinRun, fmt: str) -> bool:
    """``--fix -``: the fixed text (or the input unchanged) on standard output and the report
    on standard error; False when there is no such text (not fixing, or no input)."""
    import sys

    from awesome_lint.report import write_report

    if run.output is None:
        return False
    sys.stdout.flush()
    out = sys.stdout.buffer
    out.write(run.output)
    out.flush()
    write_report(fmt, run.result, sys.stderr, color=False)
    return True
