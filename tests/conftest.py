"""Shared fixtures: paths to the sample project and the real data samples."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Each test session gets its own settings and state folders: recent projects, the language
# and autosaves of a user (or of another test run on this machine) never leak into the tests.
_SESSION_HOME = tempfile.mkdtemp(prefix="bb-tests-")
os.environ["XDG_CONFIG_HOME"] = os.path.join(_SESSION_HOME, "config")
os.environ["XDG_STATE_HOME"] = os.path.join(_SESSION_HOME, "state")
os.environ["BETER_BENUTTEN_STATE_DIR"] = os.path.join(_SESSION_HOME, "state", "beter-benutten")

# Property tests draw the same examples on every run and machine (CI clones fresh: no example
# database, so random draws made a run pass or fail by luck). Explore new examples locally
# with HYPOTHESIS_PROFILE=explore; pin a counter-example it finds with @example.
from hypothesis import settings as _hypothesis_settings  # noqa: E402

_hypothesis_settings.register_profile("deterministic", derandomize=True, database=None, print_blob=True)
_hypothesis_settings.register_profile("explore", derandomize=False, print_blob=True)
_hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "deterministic"))

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
    _refuse_other_modal_dialogs(monkeypatch)
    yield asked


def _refuse_other_modal_dialogs(monkeypatch) -> None:
    """A file or input dialog or a modal ``exec()`` would wait offscreen for a click
    that never comes (the test hangs until the timeout): fail at once instead. A test that means to
    pass one answers it with its own monkeypatch (applied after this one)."""
    from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog

    def refuse(what):
        def refused(*_args, **_kwargs):
            raise RuntimeError(f"{what} opened in a test: nobody can answer it offscreen; monkeypatch it")
        return refused

    for cls, names in ((QFileDialog, ("getOpenFileName", "getOpenFileNames", "getSaveFileName", "getExistingDirectory")),
                       (QInputDialog, ("getText", "getItem", "getInt", "getDouble", "getMultiLineText"))):
        for name in names:
            monkeypatch.setattr(cls, name, staticmethod(refuse(f"{cls.__name__}.{name}")))
    monkeypatch.setattr(QDialog, "exec", refuse("a modal QDialog.exec()"))
