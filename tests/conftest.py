"""Shared test helpers: the fixture data (tests/fixtures) and the repository root."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# CI runs 300 generated cases per property; `pytest --hypothesis-profile=fuzz` runs 5,000.
settings.register_profile("ci", max_examples=300)
settings.register_profile("fuzz", max_examples=5000)
settings.load_profile("ci")

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"
#: Real awesome-list READMEs (CC0 and MIT only), unmodified: see tests/fixtures/README.md.
CORPUS = FIXTURES / "corpus"
#: The JS peer's (sindresorhus/awesome-lint v2.3.0) fixtures and EXPECTED.json, unmodified.
CONFORMANCE = FIXTURES / "conformance"
#: The list this project grew from, with its real defects.
SEED = CORPUS / "cedrickchee__awesome-bert-nlp.seed.md"


def corpus_files() -> list[Path]:
    """The real awesome-list READMEs in tests/fixtures/corpus."""
    files = sorted(CORPUS.glob("*.md"))
    assert files, f"no corpus in {CORPUS}"
    return files


def corpus_params() -> list[object]:
    """``parametrize`` values over the corpus, one per file."""
    return [pytest.param(p, id=p.name) for p in corpus_files()]


#: git for tests: no user or system config, a fixed identity.
GIT_ENV = {
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.invalid",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.invalid",
}


@pytest.fixture(autouse=True)
def _own_user_cache(tmp_path_factory: pytest.TempPathFactory,
                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test's fallback link cache (``$XDG_CACHE_HOME``) is its own, beside its tmp_path,
    never the user's ``~/.cache``: a cache a test places inside its list's folder is refused
    and falls back there, and answers left by another test's server on a reused port (a site's
    probe) must not reach this one."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))


#: What a link check takes from the environment besides the cache: tokens, API addresses, the
#: forges, the network canary, the clock. A test of the link check starts without them.
LINK_ENVIRONMENT = ("GITHUB_TOKEN", "GITHUB_API_URL", "AWESOME_LINT_GITHUB_API", "GITLAB_TOKEN",
                    "CODEBERG_TOKEN", "AWESOME_LINT_FORGES", "AWESOME_LINT_NETWORK_CANARY",
                    "AWESOME_LINT_CLOCK")


def link_list_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder for a list (``tmp_path/list``, the working directory), the link cache beside it
    (one inside the linted folder is refused), none of :data:`LINK_ENVIRONMENT`, and a CI run
    (no progress bar)."""
    work = tmp_path / "list"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setenv("AWESOME_LINT_CACHE_DIR", str(tmp_path / "cache"))
    for name in LINK_ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CI", "true")
    return work
