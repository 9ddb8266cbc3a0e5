"""Autosave and crash recovery for the main window (the Qt side of ``layers.autosave``).

:class:`AutosaveController` owns a ``QTimer`` that writes the open project to its autosave
file every :data:`AUTOSAVE_INTERVAL_MS` while it has unsaved changes. It remembers which
autosaves this session wrote (or recovered), so closing or replacing a project removes its
own autosave but never one left by an earlier session that has not been offered yet.

The window asks the user (:meth:`MainWindow.ask_recover`); this module only decides what
is on disk and what to do with it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from gisapp.i18n import error_text
from layers import autosave
from layers.errors import DataError

#: Autosave interval: once a minute, as the reliability specification asks.
AUTOSAVE_INTERVAL_MS = 60_000


def _key(project_path) -> str | None:
    """A comparable key for a project file (None for a project that was never saved)."""
    return None if project_path is None else str(Path(project_path).expanduser().resolve())


class AutosaveController(QObject):
    """Periodic autosave of ``window.project`` and bookkeeping of the autosaves it owns.

    Parameters
    ----------
    window : the main window; read are ``window.project`` and ``window.modified``.
    interval_ms : timer interval (tests use a short one).

    Signals
    -------
    autosaved(Path): an autosave was written.
    failed(str): an autosave could not be written (the reason, one sentence).
    """

    autosaved = Signal(object)
    failed = Signal(str)

    def __init__(self, window, interval_ms: int = AUTOSAVE_INTERVAL_MS) -> None:
        super().__init__(window)
        self._window = window
        self._owned: set[str | None] = set()
        self.timer = QTimer(self)
        self.timer.setInterval(int(interval_ms))
        self.timer.timeout.connect(self.autosave)
        self.timer.start()

    def autosave(self) -> Path | None:
        """Write the autosave when the project has unsaved changes; the file written or None."""
        project = getattr(self._window, "project", None)
        if project is None or not getattr(self._window, "modified", False):
            return None
        try:
            written = autosave.write_autosave(project)
        except (OSError, ValueError, DataError) as exc:
            # An autosave that fails must not interrupt the planner: report and retry next tick.
            self.failed.emit(error_text(exc))  # in the interface language
            return None
        self._owned.add(_key(project.path))
        self.autosaved.emit(written)
        return written

    def find(self, project_path) -> Path | None:
        """An autosave of ``project_path`` (None: the unsaved project) worth offering."""
        return autosave.find_recovery(project_path)

    def recover(self, project_path):
        """Load the autosave of ``project_path``; it stays on disk (owned) until saved or closed."""
        project = autosave.load_recovery(project_path)
        self._owned.add(_key(project_path))
        return project

    def decline(self, project_path) -> None:
        """The user does not want the offered autosave: remove it."""
        autosave.discard_autosave(project_path)
        self._owned.discard(_key(project_path))

    def release(self, project_path) -> None:
        """The project is closed or replaced: remove its autosave if this session wrote it."""
        key = _key(project_path)
        if key in self._owned:
            autosave.discard_autosave(project_path)
            self._owned.discard(key)

    def saved(self, previous_path, new_path) -> None:
        """After a successful save: the autosave of the saved file is stale, remove it.

        A project saved for the first time (``previous_path`` None) also loses the
        unsaved-project autosave this session wrote.
        """
        autosave.discard_autosave(new_path)
        self._owned.discard(_key(new_path))
        if _key(previous_path) != _key(new_path):
            self.release(previous_path)

    def stop(self) -> None:
        self.timer.stop()
