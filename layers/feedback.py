"""Progress and cancellation between long work and whoever runs it.

At the very bottom of the packages (it imports nothing of the project), so the readers and
sources in ``layers`` and the scan engine in ``scans`` report through the same protocol. Long
work only talks to a :class:`Feedback`; the CLI prints a progress bar, the GUI worker emits
signals, tests use :class:`NullFeedback` or a recorder. Cancelling is cooperative: the work
calls :func:`check` between stages (the scan pipeline between its stages, the OGC API reader
between pages). A job of several steps hands each step a :class:`Part` of the whole bar.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable


class CancelledError(Exception):
    """The user cancelled the scan; no output was written."""

    def __init__(self, message: str = "scan afgebroken door gebruiker"):
        super().__init__(message)


@runtime_checkable
class Feedback(Protocol):
    """What the engine needs from its caller."""

    def progress(self, fraction: float, text: str = "") -> None:
        """Report progress as a fraction 0..1 with a short Dutch text."""

    def is_cancelled(self) -> bool:
        """True once the user asked to stop."""

    def message(self, text: str) -> None:
        """A Dutch sentence worth showing the user (a warning or a note)."""


class NullFeedback:
    """Feedback that ignores everything and never cancels."""

    def progress(self, fraction: float, text: str = "") -> None:
        return None

    def is_cancelled(self) -> bool:
        return False

    def message(self, text: str) -> None:
        return None


class RecordingFeedback(NullFeedback):
    """Keeps every progress step and message; cancels after ``cancel_after`` progress calls."""

    def __init__(self, cancel_after: int | None = None):
        self.steps: list[tuple[float, str]] = []
        self.messages: list[str] = []
        self.cancel_after = cancel_after

    def progress(self, fraction: float, text: str = "") -> None:
        self.steps.append((float(fraction), text))

    def is_cancelled(self) -> bool:
        return self.cancel_after is not None and len(self.steps) >= self.cancel_after

    def message(self, text: str) -> None:
        self.messages.append(text)


class Part:
    """One step of a longer job: the step's progress 0..1 is reported as ``start``..``end`` of the whole.

    A text the step reports goes through; when it reports none, ``text`` is shown. Progress never
    goes back (a step that restarts its count does not move the bar backwards). Cancel and
    messages are the whole job's.
    """

    def __init__(self, feedback: Feedback | None, start: float, end: float, text: str = ""):
        self.feedback = ensure(feedback)
        self.start, self.end, self.text = float(start), float(end), text
        self._reached = self.start

    def progress(self, fraction: float, text: str = "") -> None:
        value = self.start + (self.end - self.start) * min(1.0, max(0.0, float(fraction)))
        self._reached = max(self._reached, value)
        self.feedback.progress(self._reached, text or self.text)

    def is_cancelled(self) -> bool:
        return self.feedback.is_cancelled()

    def message(self, text: str) -> None:
        self.feedback.message(text)


def spans(weights) -> list[tuple[float, float]]:
    """0..1 cut into consecutive ``(start, end)`` spans in proportion to ``weights`` (the work of each step)."""
    weights = [max(float(w), 0.0) for w in weights]
    total = sum(weights) or 1.0
    out, start = [], 0.0
    for weight in weights:
        end = min(1.0, start + weight / total)
        out.append((start, end))
        start = end
    return out


def ensure(feedback: Feedback | None) -> Feedback:
    """``feedback`` or a :class:`NullFeedback`."""
    return NullFeedback() if feedback is None else feedback


def check(feedback: Feedback | None) -> None:
    """Raise :class:`CancelledError` when the user cancelled."""
    if feedback is not None and feedback.is_cancelled():
        raise CancelledError()
