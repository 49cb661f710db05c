"""The README's copy-paste workflows and pre-commit snippet: valid, wired to the real action
and hooks, and run (the pull-request one through the action's step, the scheduled one's issue
script with a stand-in ``gh``)."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import REPO
from test_action import ACTION, EXPRESSION, Runner, evaluate, git

README = (REPO / "README.md").read_text(encoding="utf-8")
HOOK_IDS = [h["id"] for h in yaml.safe_load(
    (REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))]


def _section(title: str) -> str:
    start = README.index(f"\n## {title}\n")
    end = README.find("\n## ", start + 1)
    return README[start:end if end >= 0 else None]


def _yaml_blocks(title: str) -> list[Any]:
    return [yaml.safe_load(block)
            for block in re.findall(r"```yaml\n(.*?)```", _section(title), re.S)]


WORKFLOWS: list[dict[Any, Any]] = _yaml_blocks("In GitHub Actions")


def _triggers(workflow: dict[Any, Any]) -> dict[str, Any]:
    on = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert isinstance(on, dict)
    return on


def _steps(workflow: dict[Any, Any]) -> list[dict[str, Any]]:
    return [s for job in workflow["jobs"].values() for s in job["steps"]]


def _by_name(name: str) -> dict[Any, Any]:
    return next(w for w in WORKFLOWS if w["name"] == name)


def test_three_workflows_wired_to_the_action() -> None:
    assert [w["name"] for w in WORKFLOWS] == ["awesome-lint", "Scheduled link check",
                                              "Code scanning"]
    inputs, outputs = set(ACTION["inputs"]), set(ACTION["outputs"])
    for workflow in WORKFLOWS:
        assert "pull_request_target" not in _triggers(workflow)
        assert workflow["permissions"]["contents"] == "read"
        steps = _steps(workflow)
        assert steps[0]["uses"] == "actions/checkout@v4"
        ours = [s for s in steps if s.get("uses", "").startswith("awesome-lint/awesome-lint@")]
        assert len(ours) == 1
        assert set(ours[0].get("with", {})) <= inputs
        text = yaml.safe_dump(workflow)
        for name in re.findall(r"steps\.(\w+)\.outputs\.([\w-]+)", text):
            assert name[0] == ours[0]["id"] and name[1] in outputs, name
        for s in steps:
            assert "${{" not in s.get("run", ""), s
    assert set(_triggers(WORKFLOWS[0])) == {"pull_request"}
    assert _by_name("Scheduled link check")["permissions"]["issues"] == "write"
    scanning = _by_name("Code scanning")
    assert scanning["permissions"]["security-events"] == "write"
    upload = _steps(scanning)[-1]
    assert upload["uses"].startswith("github/codeql-action/upload-sarif@")
    assert upload["with"]["sarif_file"] == "${{ steps.lint.outputs.sarif }}"


def test_pull_request_workflow_checks_only_the_changed_lines_and_links(tmp_path: Path) -> None:
    # Every link is on a loopback address, which the checker refuses without --allow-private
    # (AL904, no request made): no network, and a link it checks shows up as a finding.
    repo = tmp_path / "workspace"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    base = ("# List\n\n- [Old](http://127.0.0.1:9/old) - Old entry.\n"
            "- [Older](http://127.0.0.1:9/older) - Old entry. \n")  # old AL404, line 4
    (repo / "README.md").write_text(base, encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "base")
    payload = {"pull_request": {"base": {"sha": git(repo, "rev-parse", "HEAD")}}}
    git(repo, "checkout", "-q", "-b", "change")
    (repo / "README.md").write_text(
        base + "- [New](http://127.0.0.1:9/new) - New entry.\n"
        "- [Old again](http://127.0.0.1:9/old) - Listed twice.\n", encoding="utf-8")
    git(repo, "commit", "-q", "-am", "change")
    with_ = _steps(_by_name("awesome-lint"))[-1]["with"]
    runner = Runner(tmp_path, repo, "pull_request", payload, dict(with_))
    code, out, outputs = runner.run_step("lint")
    assert (code, outputs["errors"], outputs["warnings"]) == (1, "1", "2"), out
    found = {(m.group(1), m.group(2)) for m in re.finditer(
        r"^::\w+ file=README\.md,line=(\d+),.*?title=(AL\d+)", out, re.M)}
    assert found == {("5", "AL904"), ("6", "AL904"), ("6", "AL301")}, out
    assert "Links: 2 checked" in out


def test_scheduled_runs_are_never_7_days_apart() -> None:
    """GitHub evicts a cache entry unused for 7 days: the link history (in the action's cache)
    survives only if the scheduled runs come back sooner. Every gap between two runs of the
    cron's week, the last run to the next week's first included, is under 7 days."""
    (schedule,) = _triggers(_by_name("Scheduled link check"))["schedule"]
    minute, hour, day, month, weekdays = schedule["cron"].split()
    assert (day, month) == ("*", "*") and minute.isdigit() and hour.isdigit()
    days = sorted(int(d) for d in weekdays.split(","))
    gaps = [b - a for a, b in zip(days, [*days[1:], days[0] + 7], strict=True)]
    assert max(gaps) < 7, gaps
    assert "--dead-after" not in yaml.safe_dump(_by_name("Scheduled link check"))  # the default


def test_scheduled_workflow_opens_then_updates_one_issue(tmp_path: Path) -> None:
    step = next(s for s in _steps(_by_name("Scheduled link check")) if "run" in s)
    assert step["if"] == "steps.lint.outputs.exit-code != '0'"
    report = tmp_path / "report.md"
    report.write_text("# awesome-lint report\n", encoding="utf-8")
    context = {"github": {"token": "ghs_token"},
               "steps": {"lint": {"outputs": {"report": str(report)}}}}
    env = {key: EXPRESSION.sub(lambda m: evaluate(m.group(1), context), value)
           for key, value in step["env"].items()}
    assert env == {"GH_TOKEN": "ghs_token", "REPORT": str(report)}
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "gh.log"
    fake = bin_dir / "gh"
    # A stand-in for the GitHub CLI: logs its arguments; `issue list` answers from a file.
    fake.write_text('#!/bin/sh\nprintf "%s|" "$@" >> "$GH_LOG"; echo >> "$GH_LOG"\n'
                    'if [ "$2" = list ]; then cat "$GH_OPEN"; fi\n', encoding="utf-8")
    fake.chmod(0o755)
    open_issue = tmp_path / "open"
    for answer in ("", "12\n"):
        open_issue.write_text(answer, encoding="utf-8")
        subprocess.run(["bash", "-e", "-c", step["run"]], check=True, env={
            "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "GH_LOG": str(log),
            "GH_OPEN": str(open_issue), **env})
    calls = [line.rstrip("|").split("|") for line in log.read_text().splitlines()]
    assert calls[1] == ["issue", "create", "--title", "Link check", "--body-file",
                        str(report)]
    assert calls[3] == ["issue", "edit", "12", "--body-file", str(report)]
    assert calls[0][:2] == calls[2][:2] == ["issue", "list"]
    assert 'in:title "Link check"' in calls[0]


def test_pre_commit_snippet_names_the_hooks() -> None:
    (config,) = _yaml_blocks("With pre-commit")
    (repo,) = config["repos"]
    assert repo["repo"].endswith("/awesome-lint") and repo["rev"]
    assert [h["id"] for h in repo["hooks"]] == HOOK_IDS
    assert "pre-commit run --hook-stage manual awesome-lint-links" in _section("With pre-commit")


@pytest.mark.parametrize("title", ["In GitHub Actions", "With pre-commit", "Changed lines only"])
def test_sections_exist(title: str) -> None:
    assert _section(title).strip()
