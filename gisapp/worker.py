"""Run long computations in a worker thread without ever blocking the event loop.

A :class:`TaskRunner` owns one ``QThread`` and one :class:`_Worker` moved onto it. The
computation gets a :class:`QtFeedback`, which implements the ``layers.feedback`` protocol:
``progress``/``message`` become queued Qt signals (delivered in the GUI thread), and
``is_cancelled`` reads a ``threading.Event`` the GUI sets. Progress is throttled so a
scan that reports per building cannot flood the event loop. A computation that produces
its result in parts (the layers of a project being opened) hands each part over with
``feedback.deliver(part)``; it arrives in the GUI thread as ``TaskRunner.delivered``.
"""

from __future__ import annotations

import threading
import time
import traceback
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot

from gisapp.i18n import error_text, tr, translated
from layers.texts import Translatable

#: Minimum time between two progress signals (seconds); the last one always goes through.
_PROGRESS_INTERVAL = 0.05


def _shown(text) -> str:
    """A text of ``layers``/``scans`` in the interface language: a signal carries a plain string,
    so a ``Translatable`` is worded here (any other text goes as it is)."""
    return translated(text) if isinstance(text, Translatable) else str(text)


class QtFeedback(QObject):
    """Thread-safe bridge between a computation and the GUI (``layers.feedback.Feedback``)."""

    progressed = Signal(float, str)
    messaged = Signal(str)
    delivered = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self._cancel = threading.Event()
        self._last_emit = 0.0
        self._last_fraction = -1.0

    # --- the Feedback protocol (called in the worker thread) ---------------------------
    def progress(self, fraction: float, text: str = "") -> None:
        now = time.monotonic()
        fraction = min(1.0, max(0.0, float(fraction)))
        if fraction < 1.0 and now - self._last_emit < _PROGRESS_INTERVAL and fraction - self._last_fraction < 0.05:
            return
        self._last_emit = now
        self._last_fraction = fraction
        self.progressed.emit(fraction, _shown(text))

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def message(self, text: str) -> None:
        self.messaged.emit(_shown(text))

    def deliver(self, part: object) -> None:
        """Hand a finished part of the result to the GUI thread (never throttled)."""
        self.delivered.emit(part)

    # --- called in the GUI thread -----------------------------------------------------
    def cancel(self) -> None:
        self._cancel.set()


class _Worker(QObject):
    succeeded = Signal(object)
    failed = Signal(str, str)
    cancelled = Signal()

    def __init__(self, function: Callable[[QtFeedback], object], feedback: QtFeedback) -> None:
        super().__init__()
        self._function = function
        self._feedback = feedback

    @Slot()
    def run(self) -> None:
        from layers.feedback import CancelledError

        try:
            result = self._function(self._feedback)
        except CancelledError:
            self.cancelled.emit()
        except Exception as exc:  # noqa: BLE001 - reported to the user in a dialog, never re-raised
            if self._feedback.is_cancelled():
                self.cancelled.emit()
            else:
                self.failed.emit(error_text(exc), traceback.format_exc())  # in the interface language
        else:
            if self._feedback.is_cancelled():
                self.cancelled.emit()
            else:
                self.succeeded.emit(result)


class TaskRunner(QObject):
    """Runs ``function(feedback)`` in a fresh QThread; signals arrive in the GUI thread.

    Signals
    -------
    progressed(fraction, text), messaged(text), delivered(part) (see ``QtFeedback.deliver``)
    finished(result) on success, failed(message, details) on an error,
    cancelled() after a cancel, and done() after any of these three.
    """

    progressed = Signal(float, str)
    messaged = Signal(str)
    delivered = Signal(object)
    finished = Signal(object)
    failed = Signal(str, str)
    cancelled = Signal()
    done = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread: QThread | None = None
        self._worker: _Worker | None = None
        self._feedback: QtFeedback | None = None

    def is_running(self) -> bool:
        return self._thread is not None

    def start(self, function: Callable[[QtFeedback], object]) -> None:
        """Run ``function`` with a :class:`QtFeedback`; ``RuntimeError`` when already running."""
        if self._thread is not None:
            raise RuntimeError(tr("er loopt al een berekening"))
        self._feedback = QtFeedback()
        self._feedback.progressed.connect(self.progressed)
        self._feedback.messaged.connect(self.messaged)
        self._feedback.delivered.connect(self.delivered)
        self._thread = QThread()
        self._worker = _Worker(function, self._feedback)
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        self._worker.succeeded.connect(self._on_succeeded)
        self._worker.failed.connect(self._on_failed)
        self._worker.cancelled.connect(self._on_cancelled)
        # Quit the thread's event loop from the worker thread itself, so wait() also returns
        # while the GUI thread is blocked (on close) and cannot run the _on_* slots.
        for signal in (self._worker.succeeded, self._worker.failed, self._worker.cancelled):
            signal.connect(self._thread.quit, Qt.ConnectionType.DirectConnection)
        self._thread.start()

    def cancel(self) -> None:
        """Ask the computation to stop at its next feedback check."""
        if self._feedback is not None:
            self._feedback.cancel()

    def wait(self, msecs: int = 30000) -> bool:
        """Block until the thread ends (used on close); True when it has ended."""
        if self._thread is None:
            return True
        return self._thread.wait(msecs)

    def _finish(self) -> None:
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.quit()
            thread.wait()
            thread.deleteLater()
        if self._worker is not None:
            self._worker.deleteLater()
        self._worker = None
        self._feedback = None

    def _on_succeeded(self, result: object) -> None:
        self._finish()
        self.finished.emit(result)
        self.done.emit()

    def _on_failed(self, message: str, details: str) -> None:
        self._finish()
        self.failed.emit(message, details)
        self.done.emit()

    def _on_cancelled(self) -> None:
        self._finish()
        self.cancelled.emit()
        self.done.emit()
