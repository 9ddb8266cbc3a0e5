"""Scans → Gevoeligheid…: which assumption decides the answer, in a dock beside the results.

:class:`SensitivityPanel` runs :mod:`scans.gevoeligheid` (one-at-a-time and the uncertainty
band, on the data prepared once) in a worker thread with progress and cancel, draws the tornado
chart (pyqtgraph horizontal bars, parameters ordered by swing) with the sentences under it, and
hands the P10–P90 band to the results panel (error bars on the bars per scan).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (QComboBox, QDockWidget, QHBoxLayout, QLabel, QProgressBar, QPushButton, QSpinBox, QVBoxLayout,
                               QWidget)

from gisapp.charts import LocaleAxis
from gisapp.i18n import param_text, section_text, tr, translated
from gisapp.numbers import display_number
from gisapp.worker import TaskRunner

LOW_COLOR = "#4c78a8"
HIGH_COLOR = "#f58518"
#: Parameters shown in the tornado chart (the largest swings).
TOP = 12


class TornadoChart(pg.PlotWidget):
    """Horizontal bars per parameter from the homes at its low to those at its high, around the
    homes at the scenario's values; the largest swing on top."""

    def __init__(self, parent=None) -> None:
        # the homes on the axis in the interface language, as every number on screen (gisapp.numbers)
        super().__init__(parent, background="w", axisItems={"bottom": LocaleAxis("bottom")})
        self.setMinimumHeight(220)
        self.setMenuEnabled(False)
        self.setMouseEnabled(x=False, y=False)
        self.getPlotItem().hideButtons()
        self.getPlotItem().showGrid(x=True, alpha=0.25)
        font = QFont()
        font.setPointSize(8)
        for name in ("left", "bottom"):
            self.getAxis(name).setStyle(tickFont=font)
            self.getAxis(name).setTextPen(pg.mkPen("#202020"))
        self.setLabel("bottom", tr("woningen"))
        self.getPlotItem().addLegend(offset=(-10, -10), labelTextSize="8pt")
        self.rows = pd.DataFrame()
        self.labels: list[str] = []  # the parameters on the axis, top row last
        self.items: list = []

    def set_rows(self, rows: pd.DataFrame, title: str = "") -> None:
        """``scans.gevoeligheid.tornado`` rows (largest swing first)."""
        plot = self.getPlotItem()
        for item in self.items:
            plot.removeItem(item)
        self.items = []
        if plot.legend is not None:
            plot.legend.clear()
        rows = rows[rows["swing"] > 0].head(TOP).iloc[::-1].reset_index(drop=True)
        self.rows = rows
        self.labels = []
        self.setTitle(title, color="#202020", size="10pt")
        if rows.empty:
            self.getAxis("left").setTicks([[]])
            return
        base = float(rows["woningen"].iloc[0])
        y = np.arange(len(rows), dtype=float)
        for column, color in (("woningen_laag", LOW_COLOR), ("woningen_hoog", HIGH_COLOR)):
            end = rows[column].to_numpy(dtype=float)
            bars = pg.BarGraphItem(x0=np.minimum(end, base), x1=np.maximum(end, base), y=y, height=0.6,
                                   brush=pg.mkBrush(color), pen=pg.mkPen("#404040"),
                                   name=tr("laag") if column == "woningen_laag" else tr("hoog"))
            self.addItem(bars)
            self.items.append(bars)
        line = pg.InfiniteLine(pos=base, angle=90, pen=pg.mkPen("#202020", width=1))
        self.addItem(line)
        self.items.append(line)
        labels = [f"{_short(_label(key, label))} ({_value(lo, unit)}–{_value(hi, unit)})"
                  for key, label, lo, hi, unit in zip(rows["parameter"], rows["label"], rows["laag"], rows["hoog"], rows["eenheid"])]
        self.labels = labels
        self.getAxis("left").setTicks([[(float(i), text) for i, text in enumerate(labels)]])
        low = min(rows["woningen_laag"].min(), rows["woningen_hoog"].min(), base)
        high = max(rows["woningen_laag"].max(), rows["woningen_hoog"].max(), base)
        pad = max((high - low) * 0.05, 1.0)
        self.setXRange(low - pad, high + pad, padding=0)
        self.setYRange(-0.7, len(rows) - 0.3, padding=0)


def _label(key: str, dutch: str) -> str:
    """The label of parameter ``key`` (``section.name``) in the interface language."""
    section, _, name = str(key).partition(".")
    return param_text(section, name, dutch)[0]


def _short(label: str, limit: int = 34) -> str:
    """A parameter label short enough for the axis of a narrow dock (the table has it whole)."""
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def _value(value, unit: str = "") -> str:
    if isinstance(value, str):
        return tr(value)
    if unit == "jaar":  # a year without a thousands point
        return str(int(value))
    return display_number(value, 0 if float(value) == int(value) else 2)


class SensitivityPanel(QWidget):
    """Run the sensitivity analysis of the open project and show its tornado chart and sentences."""

    band_ready = Signal(object)  # Band.table for the results chart
    message = Signal(str)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("sensitivity_panel")
        self.runner = TaskRunner(self)
        self.result = None  # (table, band) of the last run
        self.chart = TornadoChart(self)
        self.scan_combo = QComboBox(self)
        self.scan_combo.setObjectName("sensitivity_scan")
        self.draws = QSpinBox(self)
        self.draws.setRange(10, 5000)
        self.draws.setValue(200)
        self.seed = QSpinBox(self)
        self.seed.setRange(0, 10**6)
        self.run_button = QPushButton(tr("Gevoeligheid berekenen"), self)
        self.cancel_button = QPushButton(tr("Annuleren"), self)
        self.cancel_button.setEnabled(False)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 1000)
        self.status = QLabel("", self)
        self.unknown_note = QLabel("", self)
        self.unknown_note.setObjectName("sensitivity_unknown")
        self.unknown_note.setWordWrap(True)
        self.unknown_note.hide()
        self.sentences = QLabel("", self)
        self.sentences.setWordWrap(True)
        self.sentences.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        top = QHBoxLayout()
        for widget in (QLabel(tr("Trekkingen"), self), self.draws, QLabel(tr("Zaad"), self), self.seed, self.run_button,
                       self.cancel_button):
            top.addWidget(widget)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.scan_combo)
        layout.addWidget(self.chart, 1)
        layout.addWidget(self.unknown_note)
        layout.addWidget(self.sentences)
        self.scan_combo.currentIndexChanged.connect(self._show)
        self.cancel_button.clicked.connect(self.runner.cancel)
        self.runner.progressed.connect(lambda f, text: (self.progress.setValue(int(f * 1000)), self.status.setText(text)))
        self.runner.finished.connect(self._finished)
        self.runner.failed.connect(lambda text, _details: self._stopped(text))
        self.runner.cancelled.connect(lambda: self._stopped(tr("Gevoeligheid afgebroken")))
        self._fill_combo()

    def _fill_combo(self) -> None:
        from scans.registry import SCANS

        current = self.scan_combo.currentData()
        self.scan_combo.blockSignals(True)
        self.scan_combo.clear()
        self.scan_combo.addItem(tr("Totaal"), "totaal")
        for name, spec in SCANS.items():
            self.scan_combo.addItem(section_text(name, spec.label), name)
        self.scan_combo.setCurrentIndex(max(self.scan_combo.findData(current), 0))
        self.scan_combo.blockSignals(False)

    def retranslate(self) -> None:
        """After a language switch: the scan names, the chart and the sentences again, from the result
        (buttons and labels follow the window's own switch)."""
        self._fill_combo()
        self.chart.setLabel("bottom", tr("woningen"))
        if self.result is not None and not self.runner.is_running():
            band = self.result[1]
            self.status.setText(tr("{n} trekkingen, zaad {seed}", n=band.draws, seed=band.seed))
        self._show()

    def start(self, inputs_factory, settings) -> bool:
        """Run both analyses in the worker: ``inputs_factory()`` gives the ``ScanInputs`` (called in
        the worker); False when a run is already going."""
        if self.runner.is_running():
            return False
        from scans import gevoeligheid as g

        draws, seed = self.draws.value(), self.seed.value()

        def work(fb):
            from layers.feedback import Feedback  # noqa: F401  (the protocol QtFeedback implements)

            class Part:  # progress of one stage mapped onto a part of the bar
                def __init__(self, start, end):
                    self.start, self.end = start, end

                def progress(self, fraction, text=""):
                    fb.progress(self.start + (self.end - self.start) * fraction, text)

                def message(self, text):
                    fb.message(text)

                def is_cancelled(self):
                    return fb.is_cancelled()

            prep = g.prepare(inputs_factory(), settings, Part(0.0, 0.1))
            table = g.one_at_a_time(prep, settings, Part(0.1, 0.4))
            band = g.band(prep, settings, draws, seed, Part(0.4, 1.0))
            return table, band

        self.run_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.status.setText(tr("Gevoeligheid wordt berekend…"))
        self.runner.start(work)
        return True

    def _stopped(self, text: str) -> None:
        self.run_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        self.progress.setValue(0)
        self.status.setText(text)
        self.message.emit(text)

    def _finished(self, result) -> None:
        self.result = result
        self.run_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        self.progress.setValue(1000)
        table, band = result
        self.status.setText(tr("{n} trekkingen, zaad {seed}", n=band.draws, seed=band.seed))
        self._show()
        self.band_ready.emit(band.table)

    def _show(self) -> None:
        if self.result is None:
            return
        from scans import gevoeligheid as g

        table, band = self.result
        scan = self.scan_combo.currentData() or "totaal"
        self.chart.set_rows(g.tornado(table, scan))
        # the buildings a scan could not judge are not in the band: said beside the chart of that scan
        unknown = g.unknown_text(band, scan)
        self.unknown_note.setText(f"⚠ {translated(unknown)}." if unknown is not None else "")
        self.unknown_note.setVisible(unknown is not None)
        self.sentences.setText("\n".join(translated(g.sentence(band, table, name)) for name in (*g.SCANS, "totaal")))


def install_sensitivity_panel(window) -> SensitivityPanel:
    """The panel in a dock tabbed with the results; its band goes onto the results chart."""
    panel = SensitivityPanel(window)
    dock = QDockWidget(tr("Gevoeligheid en onzekerheid"), window)
    dock.setObjectName("dock_gevoeligheid")
    dock.setWidget(panel)
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
    window.tabifyDockWidget(window.results_dock, dock)
    panel.dock = dock
    panel.band_ready.connect(window.results_panel.set_band)
    panel.message.connect(lambda text: window.statusBar().showMessage(text, 8000))
    return panel
