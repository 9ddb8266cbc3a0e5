"""Fixtures for the GUI tests: the sample project and a main window showing it (offscreen)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, SAMPLE_PROJECT


@pytest.fixture(scope="session")
def gui_project_path(tmp_path_factory) -> Path:
    """The shipped sample project; generated into a temporary folder when not generated yet."""
    if SAMPLE_PROJECT.exists():
        return SAMPLE_PROJECT
    out = tmp_path_factory.mktemp("voorbeeldstad")
    subprocess.run([sys.executable, str(REPO / "sample_data" / "generate.py"), "--out", str(out), "--no-check"], check=True,
                   capture_output=True)
    return out / "voorbeeldstad.toml"


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path, monkeypatch):
    """Keep QSettings (recent projects, language) out of the user's real configuration."""
    from PySide6.QtCore import QSettings

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    from gisapp import i18n

    i18n.set_language("nl")
    yield
    i18n.set_language("nl")


@pytest.fixture
def canvas(qtbot):
    """A shown 400 × 300 map canvas without layers."""
    from gisapp.canvas import MapCanvas

    widget = MapCanvas()
    qtbot.addWidget(widget)
    widget.resize(400, 300)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def fresh_window(qtbot):
    """A shown main window without a project (for opening one in the test); closed without questions."""
    from gisapp.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window, before_close_func=lambda w: w.set_modified(False))
    window.resize(1200, 800)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.set_modified(False)
    window.close()


@pytest.fixture
def window(qtbot, gui_project_path, monkeypatch):
    """A shown main window with the sample project; closed without questions afterwards.

    Test projects may point at the sample data by absolute path: reading outside the project
    folder is accepted here (tests of that question patch ``confirm_external_sources`` themselves).
    """
    from gisapp.app import main_window
    from gisapp.main_window import MainWindow

    monkeypatch.setattr(MainWindow, "confirm_external_sources", lambda self, external: True)

    win = main_window(gui_project_path, lang="nl")
    qtbot.addWidget(win, before_close_func=_discard_changes)
    win.resize(1400, 900)
    win.show()
    qtbot.waitExposed(win)
    assert win.last_error is None, win.last_error
    yield win
    _discard_changes(win)
    win.close()


def _discard_changes(win) -> None:
    if win.scan_dialog is not None:
        win.scan_dialog.cancel_and_wait()
    win.set_modified(False)


@pytest.fixture
def scanned(window):
    """The window after a synchronous standard scan."""
    from gisapp.gui_commands import run_default_scan

    run_default_scan(window)
    return window
