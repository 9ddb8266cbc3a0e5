"""Exports in the app show how far they are and can be cancelled (issue 23; "the GUI never
freezes: long work runs in a worker with progress and cancel").

On the sample after a scan, every export of the window (PDF report, Excel, styled GeoPackage,
portfolio per complex, and the informatieproduct as PDF and GeoPackage) shows in the status bar
a bar from 0 % that rises to 100 %, a step text that changes, and "Annuleren". Pressing
"Annuleren" half-way stops it: the status bar says so, no file and no temporary file is left,
and a file that was at the target keeps its bytes.

Deterministic: the worker's throttle is off (every report reaches the window), and the cancel
test holds the export at its first report past 30 % until the button has been pressed.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

pytestmark = pytest.mark.gui

WAIT_MS = 60_000
OLD_BYTES = b"de vorige uitvoer, die moet blijven staan"
#: kind -> suffix of the file chosen; "informatieproduct_*" are saved from the informatieproduct dock.
KINDS = {"pdf": ".pdf", "excel": ".xlsx", "geopackage": ".gpkg", "portefeuille": ".xlsx",
         "informatieproduct_pdf": ".pdf", "informatieproduct_geopackage": ".gpkg"}


@pytest.fixture
def app_window(scanned, monkeypatch):
    """The scanned sample with every progress report shown, a portfolio of polygons (as a
    corporation keeps it in PostGIS) and an informatieproduct in its dock."""
    from gisapp import worker
    from gisapp.reports.informatieproduct import build_informatieproduct

    monkeypatch.setattr(worker, "_PROGRESS_INTERVAL", 0.0)
    project = scanned.project
    portfolio = project.layer("portefeuille")
    panden = project.layer("gebouwen").data[["pand_id", "geometry"]]
    portfolio.data = panden.merge(portfolio.data.drop(columns="geometry", errors="ignore"), on="pand_id")
    xmin, ymin, xmax, ymax = project.layer("gebouwen").data.total_bounds
    scanned.informatieproduct.product = build_informatieproduct(project, xy=((xmin + xmax) / 2, (ymin + ymax) / 2))
    return scanned


def _start(window, kind: str, target: Path) -> bool:
    if kind.startswith("informatieproduct_"):
        return window.informatieproduct.save(kind.removeprefix("informatieproduct_"), target)
    return window.exports.export(kind, target)


def _title(kind: str) -> str:
    from gisapp.export_actions import EXPORTS
    from gisapp.i18n import tr

    return tr("Informatieproduct opslaan") if kind.startswith("informatieproduct_") else tr(EXPORTS[kind][0]).rstrip("…")


def _outputs(kind: str, target: Path) -> list[Path]:
    return [target, target.with_suffix(".gpkg")] if kind == "portefeuille" else [target]


@pytest.mark.parametrize("kind", KINDS)
def test_export_shows_its_fraction_step_and_cancel_button(app_window, qtbot, tmp_path, kind):
    task = app_window.background
    target = tmp_path / "uit" / f"export{KINDS[kind]}"
    target.parent.mkdir()
    shown = []  # what the status bar shows after each report that reached the window
    task.runner.progressed.connect(lambda *_: shown.append(
        (task.bar.value(), task.bar.text(), task.label.text(), task.cancel_button.isVisible() and task.cancel_button.isEnabled())))
    with qtbot.waitSignal(task.runner.done, timeout=WAIT_MS):
        assert _start(app_window, kind, target)
        # from the start: a bar at 0 % (not a busy bar) and the cancel button
        assert (task.bar.maximum(), task.bar.value(), task.bar.text()) == (1000, 0, "0 %")
        assert task.cancel_button.isVisible() and task.cancel_button.isEnabled()
    assert task.last_error is None
    values = [value for value, *_ in shown]
    assert values == sorted(values) and values[-1] == 1000, values
    assert len(set(values)) >= 4, values  # it rose in steps, not only at the end
    assert shown[-1][1] == "100 %"
    texts = [text for _value, _bar, text, _cancel in shown]
    assert all(text.startswith(_title(kind) + ": ") for text in texts), texts
    assert len(set(texts)) >= 3, texts  # the step text changes
    assert all(cancel for *_, cancel in shown)
    assert all(path.is_file() for path in _outputs(kind, target))
    assert not task.bar.isVisible() and not task.cancel_button.isVisible()


class HeldFeedback:
    """The worker's feedback, holding the export at its first report past ``at`` until released."""

    def __init__(self, feedback, at: float, holding: threading.Event, release: threading.Event, held_at: list):
        self._feedback, self._at, self._holding, self._release, self._held_at = feedback, at, holding, release, held_at

    def progress(self, fraction: float, text: str = "") -> None:
        self._feedback.progress(fraction, text)
        if fraction >= self._at and not self._held_at:
            self._held_at.append(fraction)
            self._holding.set()
            assert self._release.wait(WAIT_MS / 1000), "the test never released the export"

    def is_cancelled(self) -> bool:
        return self._feedback.is_cancelled()

    def message(self, text: str) -> None:
        self._feedback.message(text)


@pytest.mark.parametrize("kind", KINDS)
def test_cancel_half_way_leaves_no_file_and_the_old_one_as_it_was(app_window, qtbot, tmp_path, monkeypatch, kind):
    from gisapp.export_actions import cancelled_export_message

    task = app_window.background
    folder = tmp_path / "uit"
    folder.mkdir()
    target = folder / f"export{KINDS[kind]}"
    target.write_bytes(OLD_BYTES)
    holding, release, held_at = threading.Event(), threading.Event(), []
    real_start = task.runner.start
    monkeypatch.setattr(task.runner, "start", lambda function: real_start(
        lambda feedback: function(HeldFeedback(feedback, 0.3, holding, release, held_at))))
    finished = []
    app_window.exports.exported.connect(lambda *args: finished.append(args))
    app_window.informatieproduct.saved.connect(lambda *args: finished.append(args))
    try:
        assert _start(app_window, kind, target)
        qtbot.waitUntil(holding.is_set, timeout=WAIT_MS)
        qtbot.waitUntil(lambda: task.bar.value() == round(held_at[0] * 1000), timeout=WAIT_MS)
        assert 300 <= task.bar.value() < 1000  # half-way, shown in the status bar
        with qtbot.waitSignal(task.runner.cancelled, timeout=WAIT_MS):
            qtbot.mouseClick(task.cancel_button, Qt.MouseButton.LeftButton)
            assert not task.cancel_button.isEnabled()
            release.set()
    finally:
        release.set()
    qtbot.waitUntil(lambda: not task.is_running(), timeout=WAIT_MS)
    assert app_window.statusBar().currentMessage() == cancelled_export_message(_title(kind))
    assert finished == [] and task.last_error is None
    assert target.read_bytes() == OLD_BYTES
    assert os.listdir(folder) == [target.name]  # no temporary file, no half-written file beside it
    assert not task.bar.isVisible() and not task.cancel_button.isVisible()
    assert all(action.isEnabled() for action in app_window.exports.actions.values())  # ready for the next export


def test_a_cancel_after_the_file_was_written_counts_as_written(app_window, qtbot, tmp_path, monkeypatch):
    """A cancel pressed once the writer has returned (its file in place) is too late: the export
    is reported as done, not as cancelled (the file is there)."""
    task = app_window.background
    target = tmp_path / "uit.gpkg"
    real_start = task.runner.start

    def cancelled_when_written(function):
        def run(feedback):
            value = function(feedback)
            feedback.cancel()  # as if "Annuleren" came in just now
            return value

        real_start(run)

    monkeypatch.setattr(task.runner, "start", cancelled_when_written)
    with qtbot.waitSignal(app_window.exports.exported, timeout=WAIT_MS) as exported:
        assert app_window.exports.export("geopackage", target)
    assert exported.args == ["geopackage", [target]] and target.is_file()
