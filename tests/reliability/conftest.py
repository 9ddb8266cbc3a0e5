"""Fixtures for the reliability tests: the bad-input corpus, built once per session."""

from __future__ import annotations

import functools
import tempfile
import warnings
from pathlib import Path

import pytest

from tests.reliability import corpus as corpus_module


@functools.lru_cache(maxsize=1)
def case_names() -> tuple[str, ...]:
    """Names of the corpus cases, for parametrising at collection time (built in a throwaway folder)."""
    with tempfile.TemporaryDirectory() as folder, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return tuple(corpus_module.build(Path(folder)))


@functools.lru_cache(maxsize=1)
def role_project_names() -> tuple[str, ...]:
    with tempfile.TemporaryDirectory() as folder, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return tuple(corpus_module.role_projects(Path(folder), Path(folder)))


@pytest.fixture(scope="session")
def corpus_root(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("corpus")


@pytest.fixture(scope="session")
def corpus(corpus_root) -> dict[str, corpus_module.Case]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return corpus_module.build(corpus_root)


@pytest.fixture(scope="session")
def good(corpus, corpus_root) -> Path:
    """Folder with valid gebouwen/gebieden files used beside the corpus files in scan projects."""
    return corpus_root / "good"


@pytest.fixture(scope="session")
def role_projects(corpus, corpus_root, good) -> dict[str, Path]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return corpus_module.role_projects(corpus_root, good)
