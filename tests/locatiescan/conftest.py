"""Fixtures: a private copy of the sample project (tests may write beside it)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import SAMPLE_PROJECT


@pytest.fixture
def sample_copy(tmp_path) -> Path:
    """The sample project copied into a temporary folder; returns its project file."""
    if not SAMPLE_PROJECT.exists():
        pytest.fail(f"sample project missing: {SAMPLE_PROJECT} (run python sample_data/generate.py)")
    folder = tmp_path / "voorbeeldstad"
    shutil.copytree(SAMPLE_PROJECT.parent, folder, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return folder / SAMPLE_PROJECT.name
