"""The GitHub Action's run step (``action.yml`` runs ``python -m awesome_lint.action``).

Everything the workflow decides reaches this module through environment variables, never
through text pasted into a script: ``INPUT_FILES``, ``INPUT_CONFIG``, ``INPUT_LINKS``
(``none`` | ``changed`` | ``all``), ``INPUT_FAIL_ON`` (``error`` | ``warning`` | ``info``),
``INPUT_DIFF_BASE`` (a git ref; empty: the pull request's base; ``none``: no changed-lines
filter), ``INPUT_GITHUB_API`` (``--github-api``; empty: awesome-lint reads the runner's
``GITHUB_API_URL``), ``INPUT_DEAD_AFTER`` (empty: :data:`SCHEDULED_DEAD_AFTER` on scheduled
runs, the config's elsewhere), ``GITHUB_TOKEN``, and the runner's own ``GITHUB_EVENT_NAME``,
``GITHUB_EVENT_PATH``, ``GITHUB_OUTPUT``, ``RUNNER_TEMP``.

On a pull request (an event payload with ``pull_request.base.sha``), or with a diff-base, the
default is changed-lines mode: ``--diff <base sha>``, and with ``links: changed`` only the links
on changed lines are checked. ``links: all`` checks every link and reports the whole files.
Elsewhere (push, schedule, workflow_dispatch) the whole files are linted and ``changed`` means
``all``. The step runs ``awesome-lint --format github`` (annotations and step summary), writes
a Markdown report, an HTML report and a SARIF file to ``$RUNNER_TEMP``, sets the outputs
``errors``, ``warnings``, ``exit-code``, ``report``, ``sarif`` and ``html-report``, and exits
with awesome-lint's status.

Nothing from the repository's files is printed here: awesome-lint's own reporter escapes it,
and its messages on stderr (a bad config, an unknown ref) are passed on through :func:`neutral`.
"""

from __future__ import annotations

import fnmatch
import glob
import json
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

LINKS = ("none", "changed", "all")
#: ``--dead-after`` on scheduled runs unless the ``dead-after`` input says otherwise: a site
#: down for an hour is not dead; one down in two runs a day apart is.
SCHEDULED_DEAD_AFTER = "2 runs over 24h"
FAIL_ON = ("error", "warning", "info")
BOOLEANS = ("true", "false")
_SHA = re.compile(r"[0-9a-fA-F]{7,64}")


class ActionError(Exception):
    """A bad input: reported as one annotation, exit 2."""


def _payload(env: Mapping[str, str]) -> dict[str, Any]:
    where = env.get("GITHUB_EVENT_PATH")
    if not where:
        return {}
    try:
        data = json.loads(Path(where).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def pull_request_base(env: Mapping[str, str]) -> str:
    """The base commit of the pull request that triggered the run, or ""."""
    pull = _payload(env).get("pull_request")
    if not isinstance(pull, dict):
        return ""
    base = pull.get("base")
    sha = base.get("sha") if isinstance(base, dict) else None
    return sha if isinstance(sha, str) and _SHA.fullmatch(sha) else ""


def _scandir(folder: str) -> list[os.DirEntry[str]]:
    try:
        with os.scandir(folder or ".") as entries:
            return sorted(entries, key=lambda e: e.name)
    except OSError:
        return []


def _is_folder(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir(follow_symlinks=False)
    except OSError:
        return False


def _join(base: str, name: str) -> str:
    return os.path.join(base, name)  # noqa: PTH118 (names as written, "./" kept: str, not Path)


def glob_files(pattern: str) -> list[str]:
    """``glob.glob(pattern, recursive=True)`` that never enters a symlinked folder.

    The checkout belongs to the pull request: ``a -> .`` and ``b -> .`` would make ``**``
    explode, and ``root -> /`` would match files anywhere on the runner. A folder link is
    neither descended into by ``**`` or ``*`` nor followed as a literal part of the pattern;
    a file link is matched (and awesome-lint refuses it if its target is outside the
    repository). As with glob, names starting with ``.`` match only a part starting with ``.``.
    """
    parts = pattern.replace(os.sep, "/").split("/") if os.sep != "/" else pattern.split("/")
    start = ""
    if parts and parts[0] == "":  # absolute
        start, parts = "/", parts[1:]
    found: list[str] = []

    def visible(part: str, name: str) -> bool:
        return not name.startswith(".") or part.startswith(".")

    def walk(base: str, index: int) -> None:
        if index == len(parts):
            found.append(base)
            return
        part = parts[index]
        last = index == len(parts) - 1
        if part == "**":
            if not last:
                walk(base, index + 1)  # zero folders
            for entry in _scandir(base):
                if not visible(part, entry.name):
                    continue
                if _is_folder(entry):
                    walk(_join(base, entry.name), index)
                elif last:
                    found.append(_join(base, entry.name))
        elif glob.has_magic(part):
            for entry in _scandir(base):
                if not visible(part, entry.name) or not fnmatch.fnmatch(entry.name, part):
                    continue
                if last:
                    found.append(_join(base, entry.name))
                elif _is_folder(entry):
                    walk(_join(base, entry.name), index + 1)
        else:
            path = _join(base, part) if part else base
            if last:
                if os.path.lexists(path):
                    found.append(path)
            elif part in ("", ".", "..") or (Path(path).is_dir() and not Path(path).is_symlink()):
                walk(path, index + 1)

    walk(start, 0)
    return sorted(set(found))


#: The ``files`` input that means "the readme GitHub shows" (awesome-lint with no path).
DEFAULT_FILES = ("", "README.md")


def expand_files(spec: str) -> list[str]:
    """The ``files`` input: one per line when it has several lines, else separated by spaces;
    glob patterns (``**`` recursive) expanded (:func:`glob_files`: no folder link followed),
    in order, each file once. Left at its default (empty, or ``README.md`` as it once was):
    no file, so that awesome-lint finds the readme as GitHub does (``readme.md``,
    ``.github/README.md``...)."""
    if spec.strip() in DEFAULT_FILES:
        return []
    items = spec.splitlines() if "\n" in spec.strip() else spec.split()
    files: list[str] = []
    for item in (i.strip() for i in items):
        if not item:
            continue
        matches = glob_files(item) if glob.has_magic(item) else []
        for name in matches or [item]:
            if name not in files:
                files.append(name)
    return files


def _choice(env: Mapping[str, str], name: str, choices: Sequence[str], default: str) -> str:
    value = env.get(name, "").strip().lower() or default
    if value not in choices:
        raise ActionError(f"input {name[6:].lower().replace('_', '-')} must be one of "
                          f"{', '.join(choices)}")
    return value


def _ensure_commit(base: str, env: Mapping[str, str]) -> None:
    """In a shallow checkout on GitHub, fetch the base commit (one commit deep) if missing."""
    present = subprocess.run(["git", "cat-file", "-e", f"{base}^{{commit}}"],
                             capture_output=True, check=False)
    if present.returncode == 0 or env.get("GITHUB_ACTIONS") != "true":
        return
    print("awesome-lint: fetching the pull request's base commit", flush=True)
    subprocess.run(["git", "fetch", "--no-tags", "--no-recurse-submodules", "--quiet",
                    "--depth=1", "origin", base], check=False)


def build_command(env: Mapping[str, str], report: Path, summary: Path,
                  sarif: Path | None = None, html: Path | None = None) -> list[str]:
    """The awesome-lint command line for these inputs."""
    base = env.get("INPUT_DIFF_BASE", "").strip() or pull_request_base(env)
    if base == "none":
        base = ""
    links = _choice(env, "INPUT_LINKS", LINKS, "changed" if base else "all")
    fail_on = _choice(env, "INPUT_FAIL_ON", FAIL_ON, "error")
    if base.startswith("-"):
        raise ActionError("input diff-base must be a git ref")
    # -I: isolated mode, so that the workspace (our working directory, holding the pull
    # request's files) is not on sys.path and no PYTHON* variable changes what is imported.
    command = [sys.executable, "-I", "-m", "awesome_lint", "--format", "github",
               "--fail-on", fail_on,
               "--report", f"markdown:{report}", "--report", f"json:{summary}"]
    if sarif is not None:
        command += ["--report", f"sarif:{sarif}"]
    if html is not None:
        command += ["--report", f"html:{html}"]
    config = env.get("INPUT_CONFIG", "").strip()
    if config:
        command += ["--config", config]
    if links == "all":
        base = ""  # every link checked: the whole files are reported
    if base:
        _ensure_commit(base, env)
        command += ["--diff", base]
    if links != "none":
        command.append("--links")
        api = env.get("INPUT_GITHUB_API", "").strip()
        if api:
            command.append(f"--github-api={api}")  # (one argument: never read as an option)
        dead_after = env.get("INPUT_DEAD_AFTER", "").strip()
        if not dead_after and env.get("GITHUB_EVENT_NAME") == "schedule":
            dead_after = SCHEDULED_DEAD_AFTER
        if dead_after:
            command.append(f"--dead-after={dead_after}")
        if _choice(env, "INPUT_SUGGEST_ARCHIVED", BOOLEANS, "false") == "true":
            command.append("--suggest-archived")
    return [*command, "--", *expand_files(env.get("INPUT_FILES", ""))]


def neutral(line: str) -> str:
    """A line of awesome-lint's messages (stderr) that the runner cannot read as a command:
    ``##[`` broken up, and a line starting with ``::`` prefixed."""
    from awesome_lint.report.text import clean

    line = clean(line.replace("\r", " ")).replace("##[", "## [")
    return "awesome-lint: " + line if line.lstrip().startswith("::") else line


def _counts(summary: Path) -> tuple[int, int]:
    try:
        data = json.loads(summary.read_text(encoding="utf-8"))["summary"]
        return int(data["errors"]) + len(data["file_errors"]), int(data["warnings"])
    except (OSError, ValueError, KeyError, TypeError):
        return 0, 0


def _set_outputs(env: Mapping[str, str], outputs: Mapping[str, object]) -> None:
    target = env.get("GITHUB_OUTPUT")
    if not target:
        return
    with Path(target).open("a", encoding="utf-8", newline="\n") as out:
        for key, value in outputs.items():
            text = str(value)
            if "\n" in text or "\r" in text:  # never for our values; refuse rather than split
                raise ActionError(f"output {key} contains a line break")
            out.write(f"{key}={text}\n")


def main(env: Mapping[str, str] | None = None) -> int:
    """Run the action's step; returns the exit status."""
    env = os.environ if env is None else env
    temp = Path(env.get("RUNNER_TEMP") or tempfile.gettempdir())
    temp.mkdir(parents=True, exist_ok=True)
    report = temp / "awesome-lint-report.md"
    summary = temp / "awesome-lint-report.json"
    sarif = temp / "awesome-lint.sarif"
    html = temp / "awesome-lint-report.html"
    for stale in (report, summary, sarif, html):
        stale.unlink(missing_ok=True)
    try:
        command = build_command(env, report, summary, sarif, html)
    except ActionError as exc:
        print(f"::error title=awesome-lint::{exc}", flush=True)
        _set_outputs(env, {"errors": 0, "warnings": 0, "exit-code": 2, "report": "",
                           "sarif": "", "html-report": ""})
        return 2
    done = subprocess.run(command, env=dict(env), stderr=subprocess.PIPE, check=False)
    code = done.returncode
    said = done.stderr.decode("utf-8", "replace").splitlines()
    for line in said:
        print(neutral(line), file=sys.stderr, flush=True)
    if code not in (0, 1) and not summary.exists():
        # awesome-lint stopped before any report (a usage or config error, an unknown ref):
        # say what failed where it shows, as an error annotation, not only in the log.
        from awesome_lint.report.github import escape_data
        from awesome_lint.report.text import clean

        why = next((clean(x) for x in reversed(said) if x.strip()), f"exit status {code}")
        print(f"::error title=awesome-lint could not run::{escape_data(why)}", flush=True)
    errors, warnings = _counts(summary)
    if not report.exists():
        report.write_text("# awesome-lint report\n\nawesome-lint could not run (exit status "
                          f"{code}): see the workflow log.\n", encoding="utf-8")
    _set_outputs(env, {"errors": errors, "warnings": warnings, "exit-code": code,
                       "report": report, "sarif": sarif if sarif.exists() else "",
                       "html-report": html if html.exists() else ""})
    return code


if __name__ == "__main__":
    sys.exit(main())
