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


@pytest.fixture(autouse=True)
def _no_modal_message_boxes(monkeypatch):
    """Never let a modal QMessageBox block a GUI test (offscreen nobody can click it).

    Only active when the test already imported Qt; answers like a careful user who
    discards nothing on purpose: Discard, else No, else Cancel, else Ok.
    """
    import sys

    if "PySide6.QtWidgets" not in sys.modules:
        yield
        return
    from PySide6.QtWidgets import QMessageBox

    button = QMessageBox.StandardButton
    asked: list[str] = []

    def answer(parent, title, text, buttons=button.Ok, default=button.NoButton):
        asked.append(str(title))
        for choice in (button.Discard, button.No, button.Cancel, button.Ok):
            if buttons & choice:
                return choice
        return default

    for name in ("question", "warning", "critical", "information"):
        monkeypatch.setattr(QMessageBox, name, staticmethod(answer))
    yield asked
