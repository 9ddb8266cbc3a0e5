"""The QApplication and the main window, as used by ``gisapp open`` and ``gisapp screenshot``."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from gisapp import i18n
from gisapp.retranslate import install_qt_translations
from gisapp.paths import sample_project_path as sample_project  # (a test opens another project)

ORGANISATION = "BeterBenutten"
APPLICATION = "gisapp"


def use_offscreen_when_headless() -> None:
    """Without a display (CI, a server) render offscreen instead of failing to connect."""
    if sys.platform.startswith("linux") and not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def application(argv: list[str] | None = None) -> QApplication:
    """The running QApplication, created (with name and style) on first use."""
    app = QApplication.instance()
    if app is None:
        app = QApplication(list(argv) if argv is not None else [sys.argv[0]])
        app.setOrganizationName(ORGANISATION)
        app.setApplicationName(APPLICATION)
        app.setApplicationDisplayName("Beter Benutten")
        app.setStyle("Fusion")
    return app  # type: ignore[return-value]


def choose_language(lang: str | None = None) -> str:
    """``--lang`` wins, then the saved setting, then Dutch; Qt's own texts follow."""
    saved = QSettings(ORGANISATION, APPLICATION).value("language", "nl")
    choice = lang or (saved if saved in i18n.LANGUAGES else "nl")
    language = i18n.set_language(choice)
    install_qt_translations(language)
    return language


def main_window(path: str | Path | None = None, *, lang: str | None = None, show_errors: bool = True,
                background: bool = False):
    """A :class:`~gisapp.main_window.MainWindow` with ``path`` opened, else showing the start page.

    With ``show_errors=False`` a project that cannot be loaded raises (``DataError``…)
    instead of showing a dialog; the screenshot command uses that to exit with code 2.
    With ``background`` (``gisapp open``) the window returns at once and the project's layers
    are read in a worker thread once the event loop runs (``MainWindow.open_project``); without
    it every layer is read before this returns.
    """
    application()
    choose_language(lang)
    from gisapp.main_window import MainWindow, remember_project

    window = MainWindow()
    target = Path(path) if path else sample_project()
    if show_errors:
        # Started without a project: unsaved work left by a crash comes before the sample project.
        if not path and window.offer_unsaved_recovery():
            return window
        if path:
            window.open_path(target, background=background)
        else:
            window.show_start_page()  # recent projects, the sample, a gemeente (gisapp.start_page)
        return window
    from layers.project import load_project

    window.set_project(load_project(target))
    remember_project(target)
    return window
