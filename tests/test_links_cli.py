"""``awesome-lint --links`` end to end, against servers on 127.0.0.1 only."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from awesome_lint.cli import cli
from linkserver import ServerState, serve

FAST = "[links]\nretries = 1\nbackoff = 0.01\ntimeout = 5\n"


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("AWESOME_LINT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    monkeypatch.setenv("CI", "true")
    return tmp_path


def run(*args: str) -> tuple[int, dict[str, object], str]:
    result = CliRunner().invoke(cli, ["--format", "json", *args])
    return result.exit_code, json.loads(result.stdout), result.stderr


def findings(data: dict[str, object]) -> list[tuple[str, int, str | None, str | None]]:
    """The link findings (AL9xx) of a JSON report; offline rules may report other things."""
    return [(f["code"], f["line"], f.get("url"), f.get("verdict"))  # type: ignore[index]
            for f in data["findings"] if f["code"].startswith("AL9")]  # type: ignore[attr-defined,index]


def write_list(where: Path, server: ServerState, extra: str = "") -> Path:
    u = server.url
    text = (
        "# List\n\n"
        f"- [Up]({u('/ok')}) - Fine.\n"
        f"- [Gone]({u('/status/404')}) - Dead.\n"
        f"- [Walled]({u('/status/403')}) - Bot wall.\n"
        f"- [Moved]({u('/redirect/1')}) - Moved permanently.\n"
        f"- [Down]({u('/always-500')}) - Server errors.\n"
        "<!-- awesome-lint-disable-next-line dead-link -->\n"
        f"- [Known]({u('/status/410')}) - Dead, and the maintainers know.\n"
        f"\nSee also <a href=\"{u('/status/404?html')}\">this</a>.\n"
        + extra
    )
    path = where / "README.md"
    path.write_text(text, encoding="utf-8")
    (where / ".awesome-lint.toml").write_text(FAST, encoding="utf-8")
    return path


def test_each_verdict_becomes_a_finding_at_its_line(env: Path) -> None:
    with serve() as server:
        write_list(env, server)
        code, data, stderr = run("--links", "--allow-private", "README.md")
    u = server.url
    assert code == 1
    assert findings(data) == [
        ("AL901", 4, u("/status/404"), "dead"),
        ("AL903", 5, u("/status/403"), "blocked"),
        ("AL902", 6, u("/redirect/1"), "redirected"),
        ("AL904", 7, u("/always-500"), "error"),
        ("AL901", 11, u("/status/404?html"), "dead"),
    ]
    severities = [f["severity"] for f in data["findings"]  # type: ignore[attr-defined]
                  if f["code"].startswith("AL9")]  # type: ignore[index]
    assert severities == ["error", "info", "warning", "warning", "error"]
    assert server.hits["/status/410"] == 1  # checked, then its finding suppressed
    assert "Links: 7 checked" in stderr


def test_without_allow_private_loopback_is_refused_not_dead(env: Path) -> None:
    with serve() as server:
        write_list(env, server)
        _, data, _ = run("--links", "README.md")
    assert {code for code, *_ in findings(data)} == {"AL904"}
    assert sum(server.hits.values()) == 0


def test_cache_makes_the_second_run_skip_the_network(env: Path) -> None:
    with serve() as server:
        (env / "README.md").write_text(f"# L\n\n- [a]({server.url('/p/1')}) - A.\n",
                                       encoding="utf-8")
        run("--links", "--allow-private", "README.md")
        assert server.hits["/p/1"] == 1
        _, _, stderr = run("--links", "--allow-private", "README.md")
        assert server.hits["/p/1"] == 1
        assert "1 from the cache" in stderr
        run("--links", "--allow-private", "--no-cache", "README.md")
        assert server.hits["/p/1"] == 2


def test_config_cannot_lift_the_address_guard(env: Path) -> None:
    (env / "README.md").write_text("# L\n\n- [a](https://example.com) - A.\n", encoding="utf-8")
    (env / ".awesome-lint.toml").write_text("[links]\nallow-private = true\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["--links", "README.md"])
    assert result.exit_code == 2
    assert "links.allow-private: unknown key 'allow-private' (set it on the command line" in (
        result.output)


def test_github_token_goes_to_the_api_only(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with serve() as api, serve() as other:
        api.repos = {"owner/project": ("owner/project", False),
                     "owner/old": ("owner/old", True),
                     "owner/before": ("owner/after", False)}
        monkeypatch.setenv("AWESOME_LINT_GITHUB_API", api.url("/graphql"))
        monkeypatch.setenv("GITHUB_TOKEN", "secret-token-123")
        (env / "README.md").write_text(
            "# L\n\n"
            "- [project](https://github.com/owner/project) - Fine.\n"
            "- [old](https://github.com/owner/old) - Archived.\n"
            "- [before](https://github.com/owner/before) - Renamed.\n"
            f"- [other]({other.url('/p/2')}) - Elsewhere.\n",
            encoding="utf-8")
        _, data, _ = run("--links", "--allow-private", "README.md")
    assert findings(data) == [
        ("AL905", 4, "https://github.com/owner/old", "archived"),
        ("AL912", 5, "https://github.com/owner/before", "moved"),
    ]
    api_headers = [h for h in api.headers if h.get("Authorization")]
    assert [h["Authorization"] for h in api_headers] == ["bearer secret-token-123"]
    assert all("Authorization" not in h for h in other.headers)
    assert "secret-token-123" not in json.dumps(data)


def test_offline_lint_never_imports_aiohttp(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text("# L\n\n1. [a](https://a.example) - A.\n2. [b](https://b.example) - B.\n",
                      encoding="utf-8")
    script = (
        "import sys\n"
        "from awesome_lint.cli import main\n"
        f"sys.argv = ['awesome-lint', {str(readme)!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('aiohttp' in sys.modules, 'awesome_lint.links.checker' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip().splitlines()[-1] == "False False"


def test_fix_rewrites_permanent_redirects_only_with_unsafe_fixes(env: Path) -> None:
    with serve() as server:
        moved, temporary = server.url("/redirect/1"), server.url("/redirect/1?code=302")
        path = env / "README.md"
        text = (f"# L\n\n1. [Moved]({moved}) - Moved.\n2. [Temp]({temporary}) - Temp.\n")
        path.write_text(text, encoding="utf-8")
        CliRunner().invoke(cli, ["--links", "--allow-private", "--fix", "README.md"])
        assert path.read_text(encoding="utf-8") == text  # the redirect fix is unsafe
        result = CliRunner().invoke(cli, ["--links", "--allow-private", "--fix",
                                          "--unsafe-fixes", "README.md"])
    assert path.read_text(encoding="utf-8") == (
        f"# L\n\n1. [Moved]({server.url('/ok')}) - Moved.\n2. [Temp]({temporary}) - Temp.\n")
    assert "AL902" not in result.output  # fixed, so no longer reported


def test_each_file_is_checked_under_its_own_config(env: Path) -> None:
    """Two files, two configs, one run: the list that accepts 404 from its host sees no dead
    link; the other list, with the same link, does (the shared URL is checked per policy)."""
    with serve() as server:
        host = server.url("/").split("//")[1].split(":")[0]
        dead = server.url("/status/404")
        for name, extra in (("accepts", f'accept = {{ "{host}" = [404] }}\n'), ("strict", "")):
            folder = env / name
            folder.mkdir()
            (folder / ".awesome-lint.toml").write_text(FAST + extra, encoding="utf-8")
            (folder / "README.md").write_text(f"# List\n\n- [Gone]({dead}) - Dead.\n",
                                              encoding="utf-8")
        code, data, _ = run("--links", "--allow-private", "accepts/README.md",
                            "strict/README.md")
    assert code == 1
    dead_links = [(f["path"], f["code"]) for f in data["findings"]  # type: ignore[attr-defined]
                  if f["code"] == "AL901"]  # type: ignore[index]
    assert dead_links == [("strict/README.md", "AL901")]


def test_a_bad_links_table_fails_an_offline_run_too(env: Path) -> None:
    (env / ".awesome-lint.toml").write_text("[links]\nretries = 1100\n", encoding="utf-8")
    (env / "README.md").write_text("# List\n\n- [A](https://example.com/) - A.\n",
                                   encoding="utf-8")
    result = CliRunner().invoke(cli, ["README.md"])
    assert result.exit_code == 2
    assert f"{env / '.awesome-lint.toml'}: error: config: links.retries: at most 10" in \
        result.output.splitlines()


#: The CLI in a child process; its last line on stderr says which network modules it imported.
IMPORTS = (
    "import sys\n"
    "from awesome_lint.cli import main\n"
    "sys.argv = ['awesome-lint', *sys.argv[1:]]\n"
    "try:\n    main()\nexcept SystemExit:\n    pass\n"
    "print(*(name in sys.modules for name in ('aiohttp', 'tenacity', "
    "'awesome_lint.links.checker')), file=sys.stderr)\n"
)


def cli_child(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", IMPORTS, "--format", "json", "--links",
                           "--allow-private", *args, "README.md"], cwd=folder,
                          capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture
def beside(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A list's folder with the cache beside it (a cache inside the linted folder is refused)."""
    folder = tmp_path / "list"
    folder.mkdir()
    (folder / ".awesome-lint.toml").write_text(FAST, encoding="utf-8")
    monkeypatch.setenv("AWESOME_LINT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    monkeypatch.setenv("CI", "true")
    return folder


def test_a_warm_run_makes_no_request_and_never_imports_aiohttp(beside: Path) -> None:
    with serve() as server:
        (beside / "README.md").write_text(
            "# L\n\n" + "".join(f"- [p{n}]({server.url(f'/p/w{n}')}) - P.\n" for n in range(20))
            + f"- [m]({server.url('/redirect/1')}) - Moved.\n", encoding="utf-8")
        cold = cli_child(beside)
        asked = sum(server.hits.values())
        warm = cli_child(beside)
        assert sum(server.hits.values()) == asked  # not one request
    assert asked == 22  # 20 pages, the redirect and its target
    assert cold.stderr.splitlines()[-1] == "True True True", cold.stderr
    assert warm.stderr.splitlines()[-1] == "False False False", warm.stderr
    assert "Links: 21 checked (20 ok, 1 redirected); 0 requests, 21 from the cache." in (
        warm.stderr)
    # the same findings from the cache as from the network (the permanent redirect)
    assert findings(json.loads(warm.stdout)) == findings(json.loads(cold.stdout)) == [
        ("AL902", 23, server.url("/redirect/1"), "redirected")]


def test_a_warm_run_fetches_only_what_is_not_fresh(beside: Path) -> None:
    # Failures are recorded but not trusted (cache-failures = 0): the 404 is asked again, the
    # working links are not.
    with serve() as server:
        (beside / "README.md").write_text(
            "# L\n\n" + "".join(f"- [p{n}]({server.url(f'/p/f{n}')}) - P.\n" for n in range(5))
            + f"- [gone]({server.url('/status/404')}) - Gone.\n", encoding="utf-8")
        cli_child(beside)
        warm = cli_child(beside)
    assert server.hits["/status/404"] == 2
    assert all(server.hits[f"/p/f{n}"] == 1 for n in range(5))
    assert "1 requests, 5 from the cache" in warm.stderr
    assert findings(json.loads(warm.stdout)) == [("AL901", 8, server.url("/status/404"), "dead")]


def test_the_cache_and_the_link_api_import_without_aiohttp() -> None:
    script = (
        "import sys\n"
        "import awesome_lint.links.api, awesome_lint.links.cache, awesome_lint.links.plan\n"
        "import awesome_lint.links.observation, awesome_lint.links.policy\n"
        "print('aiohttp' in sys.modules, 'tenacity' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "False False"
