"""Shared test helpers: the corpus location (optional) and the repository root."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import settings

# CI runs 300 generated cases per property; `pytest --hypothesis-profile=fuzz` runs 5,000.
settings.register_profile("ci", max_examples=300)
settings.register_profile("fuzz", max_examples=5000)
settings.load_profile("ci")

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"


def corpus_files() -> list[Path]:
    """The real awesome-list READMEs in ../shared/corpus (empty when it is absent)."""
    if not CORPUS.is_dir():
        return []
    return sorted(p for p in CORPUS.glob("*.md") if p.name != "README.md")


def corpus_params() -> list[object]:
    """``parametrize`` values over the corpus: one skipped placeholder when it is absent."""
    files = corpus_files()
    if not files:
        return [pytest.param(None, marks=pytest.mark.skip(reason="../shared/corpus not present"))]
    return [pytest.param(p, id=p.name) for p in files]
