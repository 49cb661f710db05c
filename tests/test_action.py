"""The GitHub Action: action.yml's shape, and its steps run with a simulated runner.

The steps' ``run:`` scripts are executed by bash exactly as written in action.yml, with their
``env:`` evaluated from a simulated context (inputs, github, runner, steps), so the wiring
between inputs, environment variables and ``awesome_lint.action`` is what is tested.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from awesome_lint import action
from conftest import GIT_ENV, REPO
from test_report import parse_commands

ACTION = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))
STEPS: list[dict[str, Any]] = ACTION["runs"]["steps"]
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def step(step_id: str) -> dict[str, Any]:
    return next(s for s in STEPS if s.get("id") == step_id)


# --- the file itself ---------------------------------------------------------------------------


def test_composite_action_with_the_specified_inputs_and_outputs() -> None:
    assert ACTION["runs"]["using"] == "composite"
    inputs = ACTION["inputs"]
    assert set(inputs) == {"files", "config", "links", "fail-on", "diff-base", "dead-after",
                           "suggest-archived", "github-token", "github-api", "python-version"}
    assert inputs["github-api"]["default"] == ""  # awesome-lint reads the runner's GITHUB_API_URL
    assert inputs["dead-after"]["default"] == ""  # decided by the event: on when scheduled
    assert inputs["files"]["default"] == ""  # awesome-lint finds the readme as GitHub does
    assert inputs["links"]["default"] == ""  # decided by the event: changed on pull requests
    assert inputs["fail-on"]["default"] == "error"
    assert inputs["github-token"]["default"] == "${{ github.token }}"
    assert inputs["python-version"]["default"] == "3.12"
    outputs = ACTION["outputs"]
    assert {k: v["value"] for k, v in outputs.items()} == {
        name: f"${{{{ steps.lint.outputs.{name} }}}}"
        for name in ("errors", "warnings", "exit-code", "report", "sarif", "html-report")}
    assert all(v["description"] for v in [*inputs.values(), *outputs.values()])


def test_scripts_get_inputs_only_through_env() -> None:
    scripts = [s for s in STEPS if "run" in s]
    assert len(scripts) >= 3
    for s in scripts:
        assert s.get("shell") == "bash", s["name"]
        assert "${{" not in s["run"], s["name"]
        for key, value in s.get("env", {}).items():
            assert re.fullmatch(r"[A-Z_]+", key)
            assert isinstance(value, str)
    lint = step("lint")
    assert lint["run"] == '"$AWESOME_LINT_PYTHON" -I -m awesome_lint.action'
    assert lint["env"]["INPUT_DIFF_BASE"] == (
        "${{ inputs.diff-base || github.event.pull_request.base.sha }}")
    assert lint["env"]["GITHUB_TOKEN"] == "${{ inputs.github-token }}"
    assert lint["env"]["INPUT_GITHUB_API"] == "${{ inputs.github-api }}"


def test_setup_install_and_caches() -> None:
    uses = [s.get("uses", "") for s in STEPS]
    assert uses[0] == "actions/setup-python@v5"
    assert STEPS[0]["with"]["python-version"] == "${{ inputs.python-version }}"
    assert '"$GITHUB_ACTION_PATH"' in step("install")["run"]  # the action's own checkout
    caches = [s for s in STEPS if s.get("uses", "").startswith("actions/cache@")]
    assert len(caches) == 2
    pip, links = caches
    assert pip["with"]["path"] == step("install")["env"]["PIP_CACHE_DIR"]
    # The link cache lives in the runner's temp folder, never in the checkout (issue 10).
    assert step("lint")["env"]["AWESOME_LINT_CACHE_DIR"] == links["with"]["path"] == (
        "${{ runner.temp }}/awesome-lint-links")
    assert "steps.prepare.outputs.week" in links["with"]["key"]
    assert "steps.prepare.outputs.files" in links["with"]["key"]
    assert links["if"] == "inputs.links != 'none'"
    # The step with the cache must come before the lint step that fills it.
    assert STEPS.index(links) < STEPS.index(step("lint"))


# --- a simulated runner -----------------------------------------------------------------------


def evaluate(expression: str, context: dict[str, Any]) -> str:
    """The few expression forms action.yml uses: dotted paths and ``a || b``."""
    for alternative in expression.split("||"):
        value: Any = context
        for part in alternative.strip().split("."):
            value = value.get(part, "") if isinstance(value, dict) else ""
        if value:
            return str(value)
    return ""


def step_env(s: dict[str, Any], context: dict[str, Any]) -> dict[str, str]:
    return {key: EXPRESSION.sub(lambda m: evaluate(m.group(1), context), value)
            for key, value in s.get("env", {}).items()}


class Runner:
    """One job's runner: workspace, temp dir, event payload, outputs and summary files."""

    def __init__(self, tmp: Path, workspace: Path, event: str, payload: dict[str, Any],
                 inputs: dict[str, str]) -> None:
        self.workspace = workspace
        self.action_path = REPO
        self.extra_env: dict[str, str] = {}  # e.g. PIP_NO_INDEX for an offline install
        self.temp = tmp / "runner-temp"
        self.temp.mkdir()
        self.summary = tmp / "step-summary.md"
        self.event_path = tmp / "event.json"
        self.event_path.write_text(json.dumps(payload), encoding="utf-8")
        self.event = event
        with_defaults = {k: str(v.get("default", "")) for k, v in ACTION["inputs"].items()}
        with_defaults["github-token"] = "token-from-the-workflow"
        self.context = {
            "inputs": {**with_defaults, **inputs},
            "github": {"workspace": str(workspace), "event": payload, "token": "t",
                       "run_id": "1", "run_attempt": "1"},
            "runner": {"temp": str(self.temp), "os": "Linux"},
            "steps": {"install": {"outputs": {"python": sys.executable}}},
        }

    def run_step(self, step_id: str) -> tuple[int, str, dict[str, str]]:
        """(exit status, stdout, outputs) of one step's script."""
        s = step(step_id)
        output = self.temp / f"output-{step_id}"
        output.write_text("", encoding="utf-8")
        env = {
            "PATH": os.environ["PATH"],
            "HOME": os.environ.get("HOME", str(self.temp)),
            **{k: v for k, v in os.environ.items() if k in ("PYTHONPATH", "SYSTEMROOT")},
            **GIT_ENV,
            "CI": "true",
            "GITHUB_ACTIONS": "true",
            "GITHUB_ACTION_PATH": str(self.action_path),
            "GITHUB_WORKSPACE": str(self.workspace),
            "GITHUB_EVENT_NAME": self.event,
            "GITHUB_EVENT_PATH": str(self.event_path),
            "GITHUB_OUTPUT": str(output),
            "GITHUB_STEP_SUMMARY": str(self.summary),
            "GITHUB_SERVER_URL": "https://github.com",
            "GITHUB_REPOSITORY": "owner/list",
            "GITHUB_SHA": "0123abcd",
            "RUNNER_TEMP": str(self.temp),
            **self.extra_env,
            **step_env(s, self.context),
        }
        done = subprocess.run(["bash", "-e", "-c", s["run"]], cwd=self.workspace, env=env,
                              capture_output=True, text=True, check=False, timeout=120)
        outputs = dict(line.split("=", 1) for line in output.read_text().splitlines())
        return done.returncode, done.stdout + done.stderr, outputs


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True,
                          check=True, env={**os.environ, **GIT_ENV})
    return done.stdout.strip()


BASE = ("# List\n\n## Tools\n\n"
        "- [Alpha](https://alpha.example) - First tool.\n"
        "- [Beta](https://beta.example) - Second tool. \n"  # old defect: AL404, line 6
        "- [Gamma](https://gamma.example) - Third tool.\n")
CHANGE = BASE + ("- [Alpha](https://alpha.example) - Listed twice.\n"  # line 8: AL301 error
                 "- [Delta](https://delta.example) - Fourth tool.\t\n")  # line 9: AL404


@pytest.fixture
def pull_request(tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    """A repository on a pull request's branch, and the event payload."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path / "workspace"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    (repo / "README.md").write_text(BASE, encoding="utf-8")
    # The guidelines and trailing whitespace (opt-in) give the old and new warnings below.
    (repo / ".awesome-lint.toml").write_text('preset = "awesome"\nextend-select = ["AL404"]\n',
                                             encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "base")
    base = git(repo, "rev-parse", "HEAD")
    git(repo, "checkout", "-q", "-b", "change")
    (repo / "README.md").write_text(CHANGE, encoding="utf-8")
    git(repo, "commit", "-q", "-am", "change")
    payload = {"pull_request": {"number": 7, "base": {"sha": base},
                                "head": {"sha": git(repo, "rev-parse", "HEAD")}}}
    return repo, payload


def test_pull_request_reports_the_changed_lines(tmp_path: Path,
                                                pull_request: tuple[Path, Any]) -> None:
    repo, payload = pull_request
    runner = Runner(tmp_path, repo, "pull_request", payload, {"links": "none"})
    code, out, outputs = runner.run_step("lint")
    assert code == 1, out
    report = runner.temp / "awesome-lint-report.md"
    sarif = runner.temp / "awesome-lint.sarif"
    html = runner.temp / "awesome-lint-report.html"
    assert outputs == {"errors": "1", "warnings": "1", "exit-code": "1", "report": str(report),
                       "sarif": str(sarif), "html-report": str(html)}
    assert "AL301" in html.read_text(encoding="utf-8")
    results = json.loads(sarif.read_text(encoding="utf-8"))["runs"][0]["results"]
    assert [r["ruleId"] for r in results] == ["AL301", "AL404"]
    commands = parse_commands(out)
    assert [(name, props["file"], props["line"], props["title"])
            for name, props, _ in commands] == [
        ("error", "README.md", "8", "AL301 duplicate-link"),
        ("warning", "README.md", "9", "AL404 trailing-whitespace")]
    summary = runner.summary.read_text(encoding="utf-8")
    assert "Found 1 error, 1 warning and 0 infos in 1 file (1 fixable with --fix)." in summary
    assert "### AL301 duplicate-link: 1 error\n" in summary and "README.md:6:" not in summary
    assert "| [README.md:8:3](https://github.com/owner/list/blob/0123abcd/README.md#L8) |" \
        in summary
    text = report.read_text(encoding="utf-8")
    assert "[README.md:8](https://github.com/owner/list/blob/0123abcd/README.md#L8)" in text
    assert "README.md#L6" not in text


def test_fail_on_decides_the_exit_status(tmp_path: Path,
                                         pull_request: tuple[Path, Any]) -> None:
    repo, payload = pull_request
    (repo / "README.md").write_text(CHANGE.replace("Listed twice", "x").replace(
        "- [Alpha](https://alpha.example) - x.\n", ""), encoding="utf-8")  # warnings only
    for fail_on, expected in (("error", 0), ("warning", 1)):
        (tmp_path / fail_on).mkdir()
        runner = Runner(tmp_path / fail_on, repo, "pull_request", payload,
                        {"links": "none", "fail-on": fail_on})
        code, out, outputs = runner.run_step("lint")
        assert (code, outputs["exit-code"]) == (expected, str(expected)), out
        assert (outputs["errors"], outputs["warnings"]) == ("0", "1")


def test_schedule_reports_the_whole_file(tmp_path: Path,
                                         pull_request: tuple[Path, Any]) -> None:
    repo, _ = pull_request
    runner = Runner(tmp_path, repo, "schedule", {"schedule": "0 6 * * 1"}, {"links": "none"})
    code, out, outputs = runner.run_step("lint")
    # The old defects too: no badge, contributing guide or licence (line 1), line 6.
    assert (code, outputs["errors"], outputs["warnings"]) == (1, "1", "5"), out
    assert {props["line"] for _, props, _ in parse_commands(out)} == {"1", "6", "8", "9"}


def test_bad_input_is_one_annotation_and_exit_2(tmp_path: Path,
                                                pull_request: tuple[Path, Any]) -> None:
    repo, payload = pull_request
    runner = Runner(tmp_path, repo, "pull_request", payload, {"links": "some"})
    code, out, outputs = runner.run_step("lint")
    assert code == 2
    assert parse_commands(out) == [
        ("error", {"title": "awesome-lint"}, "input links must be one of none, changed, all")]
    assert outputs["exit-code"] == "2"


def test_missing_file_still_writes_outputs(tmp_path: Path,
                                           pull_request: tuple[Path, Any]) -> None:
    repo, _ = pull_request
    runner = Runner(tmp_path, repo, "push", {}, {"links": "none", "files": "missing.md"})
    code, out, outputs = runner.run_step("lint")
    assert (code, outputs["exit-code"], outputs["errors"]) == (2, "2", "1"), out
    assert Path(outputs["report"]).is_file()


def test_prepare_step_writes_the_cache_keys(tmp_path: Path) -> None:
    runner = Runner(tmp_path, tmp_path, "schedule", {}, {})
    code, out, outputs = runner.run_step("prepare")
    assert code == 0, out
    assert re.fullmatch(r"\d{4}-W\d{2}", outputs["week"])
    assert re.fullmatch(r"[0-9a-f]{16}", outputs["files"])
    assert re.fullmatch(r"[0-9a-f]{16}", outputs["package"])


# --- the command the action builds -------------------------------------------------------------


def _command(tmp_path: Path, **env: str) -> list[str]:
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"pull_request": {"base": {"sha": "a" * 40}}}), encoding="utf-8")
    full = {"GITHUB_EVENT_PATH": str(event), **env}
    if env.get("no_event"):
        full.pop("GITHUB_EVENT_PATH")
        full.pop("no_event")
    command = action.build_command(full, tmp_path / "r.md", tmp_path / "r.json")
    return command[command.index("awesome_lint") + 1:]


def test_links_default_to_changed_on_pull_requests_and_all_elsewhere(tmp_path: Path) -> None:
    pr = _command(tmp_path)
    assert pr[pr.index("--diff") + 1] == "a" * 40 and "--links" in pr
    assert pr[-1] == "--"  # no file: awesome-lint finds the readme (readme.md, .github/...)
    elsewhere = _command(tmp_path, no_event="1")
    assert "--diff" not in elsewhere and "--links" in elsewhere
    everything = _command(tmp_path, INPUT_LINKS="all")
    assert "--diff" not in everything and "--links" in everything
    offline = _command(tmp_path, INPUT_LINKS="none")
    assert "--diff" in offline and "--links" not in offline
    no_filter = _command(tmp_path, INPUT_LINKS="none", INPUT_DIFF_BASE="none")
    assert "--diff" not in no_filter
    push = _command(tmp_path, no_event="1", INPUT_DIFF_BASE="v1.0")
    assert push[push.index("--diff") + 1] == "v1.0" and "--links" in push
    assert _command(tmp_path, INPUT_CONFIG="ci/lint.toml", INPUT_FAIL_ON="Warning")[:8] == [
        "--format", "github", "--fail-on", "warning", "--report", f"markdown:{tmp_path}/r.md",
        "--report", f"json:{tmp_path}/r.json"]
    enterprise = _command(tmp_path, INPUT_GITHUB_API="https://ghe.example.com/api/v3")
    assert enterprise[enterprise.index("--links") + 1] == (
        "--github-api=https://ghe.example.com/api/v3")
    assert not [a for a in everything if a.startswith("--github-api")]
    assert not [a for a in _command(tmp_path, INPUT_LINKS="none", INPUT_GITHUB_API="https://x")
                if a.startswith("--github-api")]
    with pytest.raises(action.ActionError, match="must be a git ref"):
        _command(tmp_path, INPUT_DIFF_BASE="--output=x")
    with pytest.raises(action.ActionError, match="input fail-on must be one of"):
        _command(tmp_path, INPUT_FAIL_ON="never")


def test_dead_after_is_on_in_scheduled_runs_unless_the_input_says_otherwise(
        tmp_path: Path) -> None:
    def dead_after(**env: str) -> list[str]:
        return [a for a in _command(tmp_path, no_event="1", **env) if "--dead-after" in a]

    assert dead_after(GITHUB_EVENT_NAME="schedule") == ["--dead-after=2 runs over 24h"]
    assert dead_after(GITHUB_EVENT_NAME="push") == []  # the config's, else dead at once
    assert dead_after(GITHUB_EVENT_NAME="schedule", INPUT_DEAD_AFTER="off") == [
        "--dead-after=off"]
    assert dead_after(GITHUB_EVENT_NAME="push", INPUT_DEAD_AFTER=" 3 runs over 2 days ") == [
        "--dead-after=3 runs over 2 days"]
    assert dead_after(GITHUB_EVENT_NAME="schedule", INPUT_LINKS="none") == []
    assert step("lint")["env"]["INPUT_DEAD_AFTER"] == "${{ inputs.dead-after }}"


def test_suggest_archived_input_turns_the_archive_lookups_on(tmp_path: Path) -> None:
    def asked(**env: str) -> bool:
        return "--suggest-archived" in _command(tmp_path, no_event="1", **env)

    assert ACTION["inputs"]["suggest-archived"]["default"] == "false"
    assert not asked(GITHUB_EVENT_NAME="schedule")  # off unless asked: a third-party call
    assert asked(GITHUB_EVENT_NAME="schedule", INPUT_SUGGEST_ARCHIVED="true")
    assert not asked(GITHUB_EVENT_NAME="push", INPUT_SUGGEST_ARCHIVED="false")
    assert not asked(INPUT_SUGGEST_ARCHIVED="true", INPUT_LINKS="none")  # needs --links
    with pytest.raises(action.ActionError, match="input suggest-archived must be one of"):
        _command(tmp_path, INPUT_SUGGEST_ARCHIVED="yes please")
    assert step("lint")["env"]["INPUT_SUGGEST_ARCHIVED"] == "${{ inputs.suggest-archived }}"


def test_files_input_spaces_lines_and_globs(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("README.md", "docs/a.md", "docs/sub/b.md", "docs/with space.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("# x\n", encoding="utf-8")
    assert action.expand_files("") == []  # the default: the readme GitHub shows
    assert action.expand_files(" README.md\n") == []  # the old default means the same
    assert action.expand_files("README.md docs/a.md") == ["README.md", "docs/a.md"]
    assert action.expand_files("docs/with space.md\nREADME.md\n") == [
        "docs/with space.md", "README.md"]
    assert action.expand_files("docs/**/*.md README.md docs/a.md") == [
        "docs/a.md", "docs/sub/b.md", "docs/with space.md", "README.md"]
    assert action.expand_files("nothing/*.md") == ["nothing/*.md"]  # reported as missing


def test_shallow_checkout_fetches_the_base_commit(tmp_path: Path,
                                                  pull_request: tuple[Path, Any]) -> None:
    """As actions/checkout leaves it: one commit deep; the action fetches the base itself."""
    origin, payload = pull_request
    clone = tmp_path / "checkout"
    subprocess.run(["git", "clone", "-q", "--depth", "1", "--branch", "change",
                    origin.as_uri(), str(clone)], check=True, capture_output=True,
                   env={**os.environ, **GIT_ENV})
    base = payload["pull_request"]["base"]["sha"]
    missing = subprocess.run(["git", "-C", str(clone), "cat-file", "-e", f"{base}^{{commit}}"],
                             capture_output=True, check=False)
    assert missing.returncode != 0
    runner = Runner(tmp_path, clone, "pull_request", payload, {"links": "none"})
    code, out, outputs = runner.run_step("lint")
    assert "fetching the pull request's base commit" in out
    assert (code, outputs["errors"], outputs["warnings"]) == (1, "1", "1"), out
    assert {props["line"] for _, props, _ in parse_commands(out)} == {"8", "9"}
