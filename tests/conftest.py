"""Shared fixtures: paths to the sample project and the real data samples."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parent.parent
SAMPLE_PROJECT = REPO / "sample_data" / "voorbeeldstad.toml"
REALDATA = (REPO / ".." / "shared" / "realdata").resolve()


@pytest.fixture
def sample_project_path() -> Path:
    if not SAMPLE_PROJECT.exists():
        pytest.fail(f"sample project missing: {SAMPLE_PROJECT} (run python sample_data/generate.py)")
    return SAMPLE_PROJECT


@pytest.fixture
def realdata() -> Path:
    if not REALDATA.exists():
        pytest.skip("../shared/realdata is not present beside this checkout")
    return REALDATA
