"""Charts of scan results (pyqtgraph): per-gebied bars, a bouwjaar histogram, scenario bars.

Each chart is a small ``pg.PlotWidget`` with a ``set_…`` method taking plain numbers, so
the results panel decides *what* to show and the charts only draw it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF

from gisapp.i18n import tr
from gisapp.numbers import display_number

#: One colour per scan, in registry order (ColorBrewer Set2, colour-blind safe).
SCAN_COLORS = ("#66c2a5", "#fc8d62", "#8da0cb", "#e78ac3", "#a6d854", "#ffd92f")
SCENARIO_COLORS = ("#4292c6", "#fd8d3c")


class LocaleAxis(pg.AxisItem):
    """A pyqtgraph axis whose tick numbers go through the app's number formatter
    (:func:`gisapp.numbers.display_number`): nl "2.500", en "2,500", as the bar labels.

    ``grouping=False`` for years (1970, not 1.970)."""

    def __init__(self, orientation: str, *, grouping: bool = True, **kwargs) -> None:
        super().__init__(orientation, **kwargs)
        self.grouping = grouping

    def tickStrings(self, values, scale, spacing):  # noqa: N802 (pyqtgraph's name)
        if self.logMode:
            return super().tickStrings(values, scale, spacing)
        step = abs(spacing * scale)
        places = max(0, math.ceil(-math.log10(step))) if step > 0 else 0
        return [display_number(value * scale, places, grouping=self.grouping) for value in values]


class CategoryAxis(LocaleAxis):
    """The bottom axis of a bar chart: one label per category, never overlapping another.

    Each label has a cell on its line from halfway to its left neighbour to halfway to its right
    one (:data:`LABEL_GAP` apart; the outer labels up to the axis ends). The labels are written
    whole on one line when each fits its cell; otherwise every other label goes one line lower,
    which doubles every cell; a label wider still is shortened with "…" and the axis's tooltip
    names them all. :attr:`placed` holds the labels as last drawn (rectangles in axis coordinates).
    """

    #: Pixels kept between two labels on one line.
    LABEL_GAP = 6.0
    #: At most this many lines of labels.
    MAX_LINES = 2

    def __init__(self, orientation: str = "bottom", **kwargs) -> None:
        super().__init__(orientation, **kwargs)
        self.categories: list[tuple[float, str]] = []
        self.placed: list[tuple[QRectF, str]] = []
        self._lines_height = 0.0

    def setTicks(self, ticks) -> None:  # noqa: N802 (pyqtgraph's name)
        self.categories = [(float(value), str(text)) for value, text in ticks[0]] if ticks else []
        super().setTicks(ticks)

    def tick_font(self) -> QFont:
        return self.style["tickFont"] or self.font()

    def layout_labels(self) -> tuple[list[tuple[QRectF, str]], int]:
        """Where each category's label goes at the axis's present size, and on how many lines."""
        bounds = self.mapRectFromParent(self.geometry())
        low, high = self.range
        if not self.categories or bounds.width() <= 0 or high == low:
            return [], 1
        scale = bounds.width() / (high - low)
        xs = [bounds.left() + (value - low) * scale for value, _text in self.categories]
        metrics = QFontMetricsF(self.tick_font())
        texts = [text for _value, text in self.categories]
        top = bounds.top() + max(0, self.style["tickLength"]) + self.style["tickTextOffset"][1]
        for lines in range(1, self.MAX_LINES + 1):
            cells = self._cells(xs, lines, bounds)
            if all(metrics.horizontalAdvance(t) <= right - left for t, (left, right) in zip(texts, cells)):
                break
        placed = []
        for i, (x, text, (left, right)) in enumerate(zip(xs, texts, cells)):
            text = metrics.elidedText(text, Qt.TextElideMode.ElideRight, right - left)
            width = min(metrics.horizontalAdvance(text), right - left)
            start = min(max(x - width / 2, left), right - width)
            placed.append((QRectF(start, top + (i % lines) * metrics.height(), width, metrics.height()), text))
        return placed, lines

    def _cells(self, xs: list[float], lines: int, bounds: QRectF) -> list[tuple[float, float]]:
        """(left, right) room of each label when the labels take turns over ``lines`` lines."""
        cells = []
        for i, x in enumerate(xs):
            before, after = i - lines, i + lines
            left = (xs[before] + x) / 2 + self.LABEL_GAP / 2 if before >= 0 else bounds.left()
            right = (x + xs[after]) / 2 - self.LABEL_GAP / 2 if after < len(xs) else bounds.right()
            cells.append((left, max(left, right)))
        return cells

    def generateDrawSpecs(self, p):  # noqa: N802 (pyqtgraph's name)
        if not self.categories:
            self.placed, self._lines_height = [], 0.0
            return super().generateDrawSpecs(p)
        placed, lines = self.layout_labels()
        self._lines_height = lines * QFontMetricsF(self.tick_font()).height()
        specs = super().generateDrawSpecs(p)
        if specs is None:
            return None
        self.placed = placed
        full = [text for _value, text in self.categories]
        self.setToolTip("\n".join(full) if [text for _rect, text in placed] != full else "")
        flags = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextDontClip
        axis, ticks, _texts = specs
        return axis, ticks, [(rect, flags, text) for rect, text in placed]

    def _updateMaxTextSize(self, x) -> None:  # noqa: N802 (pyqtgraph's name): room for every line of labels
        super()._updateMaxTextSize(max(x, self._lines_height))


class _Chart(pg.PlotWidget):
    """A results chart. Its title and axis labels are given in Dutch (``tr`` keys) and shown in the
    interface language; :meth:`retranslate` shows them again after a language switch."""

    def __init__(self, title: str, parent=None, bottom: pg.AxisItem | None = None) -> None:
        super().__init__(parent, background="w",
                         axisItems={"left": LocaleAxis("left"), "bottom": bottom or CategoryAxis("bottom")})
        self.setMinimumHeight(160)
        self.setMenuEnabled(False)
        self.setMouseEnabled(x=False, y=False)
        self.getPlotItem().hideButtons()
        self.getPlotItem().showGrid(y=True, alpha=0.25)
        for name in ("left", "bottom"):
            axis = self.getAxis(name)
            axis.setPen(pg.mkPen("#404040"))
            axis.setTextPen(pg.mkPen("#202020"))
            font = QFont()
            font.setPointSize(8)
            axis.setStyle(tickFont=font)
        self._title_key = title
        self._label_keys: dict[str, str] = {}
        self._title = tr(title)
        self.setTitle(self._title, color="#202020", size="10pt")
        self.items: list = []
        self._show_axes(False)  # no scale until there is something to measure (not pyqtgraph's 0–1)

    def _axis_label(self, axis: str, key: str) -> None:
        """Label ``axis`` with the Dutch ``key`` in the interface language (and again after a switch)."""
        self._label_keys[axis] = key
        self.setLabel(axis, tr(key))

    def retranslate(self) -> None:
        """Title, axis labels and tick numbers in the interface language of the moment (the bars
        and their numbers are drawn again by whoever sets the values)."""
        self._title = tr(self._title_key)
        self.setTitle(self._title, color="#202020", size="10pt")
        plot = self.getPlotItem()
        for axis, key in self._label_keys.items():
            shown = plot.getAxis(axis).isVisible()
            self.setLabel(axis, tr(key))
            plot.showAxis(axis, shown)  # (setLabel shows the axis)
        for name in ("left", "bottom"):
            self.getAxis(name).setStyle()  # draws its tick numbers again, in the new language

    def _show_axes(self, show: bool) -> None:
        plot = self.getPlotItem()
        plot.showAxis("left", show)
        plot.showAxis("bottom", show)

    def _whole_ticks(self, top: float) -> None:
        """Counts of homes or panden: whole-number ticks on a small scale (no '0,5 woningen')."""
        axis = self.getAxis("left")
        if top <= 5:
            axis.setTickSpacing(1, 1)
        else:
            axis.setTickSpacing()  # pyqtgraph's own spacing (whole numbers at this size)

    def _reset(self) -> None:
        plot = self.getPlotItem()
        for item in self.items:
            plot.removeItem(item)
        self.items = []
        legend = plot.legend
        if legend is not None:
            legend.clear()

    def clear_chart(self) -> None:
        """Show an empty chart (another project was opened): no bars, ticks or subtitle.

        (Not ``clear``: pyqtgraph's PlotWidget puts its PlotItem's ``clear`` on each instance.)"""
        self._reset()
        for name in ("values", "labels", "categories", "values_a", "values_b"):
            if isinstance(getattr(self, name, None), list):
                setattr(self, name, [])
        for name in ("counts", "edges"):
            if hasattr(self, name):
                setattr(self, name, np.zeros(0))
        self.getAxis("bottom").setTicks(None)
        self.setTitle(self._title, color="#202020", size="10pt")
        self._show_axes(False)

    def _finish(self, n: int, top: float) -> None:
        self._show_axes(n > 0)
        self.setXRange(-0.6, max(n, 1) - 0.4, padding=0)
        self.setYRange(0, max(top, 1.0) * 1.2, padding=0)
        self._whole_ticks(max(top, 1.0) * 1.2)


class ScanBarChart(_Chart):
    """Extra homes per scan type (one bar per scan), for one gebied or all gebieden."""

    def __init__(self, parent=None) -> None:
        super().__init__("Extra woningen per scan", parent)
        self._axis_label("left", "extra woningen")
        self._show_axes(False)  # (setLabel shows the axis)
        self.values: list[float] = []
        self.labels: list[str] = []

    def set_values(self, labels: Sequence[str], values: Sequence[float], subtitle: str = "",
                   unknown: Sequence[bool] = ()) -> None:
        """One bar per scan; a scan marked ``unknown`` (it could not run: its input is missing) is
        labelled "onbekend", not 0."""
        self._reset()
        self.labels = [str(v) for v in labels]
        self.values = [float(v) for v in values]
        self.unknown = [bool(u) for u in unknown] + [False] * (len(self.values) - len(unknown))
        x = np.arange(len(self.values))
        brushes = [pg.mkBrush(SCAN_COLORS[i % len(SCAN_COLORS)]) for i in range(len(self.values))]
        bars = pg.BarGraphItem(x=x, height=self.values, width=0.7, brushes=brushes, pen=pg.mkPen("#404040"))
        self.addItem(bars)
        self.items.append(bars)
        for xi, value, unknown in zip(x, self.values, self.unknown):
            text = pg.TextItem(tr("onbekend") if unknown else display_number(value, 0), color="#202020", anchor=(0.5, 1.0))
            text.setPos(float(xi), value)
            self.addItem(text)
            self.items.append(text)
        self.getAxis("bottom").setTicks([[(float(i), label) for i, label in enumerate(self.labels)]])
        self.setTitle(f"{self._title} – {subtitle}" if subtitle else self._title, color="#202020", size="10pt")
        self._finish(len(self.values), max(self.values, default=0.0))

    def set_band(self, low: Sequence[float], high: Sequence[float]) -> None:
        """The P10–P90 band of each bar (``scans.gevoeligheid``) as error bars over the bars
        drawn by :meth:`set_values` (same order); a new ``set_values`` removes them."""
        self.band = (np.asarray(low, dtype=float), np.asarray(high, dtype=float))
        low, high = self.band
        x = np.arange(len(low), dtype=float)
        mid = (low + high) / 2
        bars = pg.ErrorBarItem(x=x, y=mid, top=high - mid, bottom=mid - low, beam=0.25, pen=pg.mkPen("#202020", width=2))
        self.addItem(bars)
        self.items.append(bars)
        self._finish(len(self.values), max([*self.values, *high.tolist()], default=0.0))


class HistogramChart(_Chart):
    """Histogram of the bouwjaar of candidate buildings, in bins of ``bin_years``."""

    def __init__(self, parent=None, bin_years: int = 10) -> None:
        super().__init__("Bouwjaar van kandidaten", parent, LocaleAxis("bottom", grouping=False))
        self.bin_years = bin_years
        self._axis_label("left", "aantal panden")
        self._axis_label("bottom", "bouwjaar")
        self._show_axes(False)  # (setLabel shows the axis)
        self.counts = np.zeros(0)
        self.edges = np.zeros(0)

    def set_values(self, years) -> None:
        self._reset()
        years = np.asarray(years, dtype="float64")
        years = years[np.isfinite(years)]
        if years.size == 0:
            self.counts, self.edges = np.zeros(0), np.zeros(0)
            self._show_axes(False)
            return
        self._show_axes(True)
        lo = np.floor(years.min() / self.bin_years) * self.bin_years
        hi = np.floor(years.max() / self.bin_years) * self.bin_years + self.bin_years
        self.edges = np.arange(lo, hi + self.bin_years, self.bin_years)
        self.counts, _ = np.histogram(years, bins=self.edges)
        step = pg.PlotDataItem(
            self.edges, self.counts, stepMode="center", fillLevel=0, brush=pg.mkBrush("#fd8d3c"), pen=pg.mkPen("#a63603")
        )
        self.addItem(step)
        self.items.append(step)
        self.getAxis("bottom").setTicks(None)
        self.setXRange(float(self.edges[0]), float(self.edges[-1]), padding=0.02)
        self.setYRange(0, max(float(self.counts.max()), 1.0) * 1.1, padding=0)
        self._whole_ticks(max(float(self.counts.max()), 1.0) * 1.1)


class ScenarioChart(_Chart):
    """Two bars per category (scan or gebied): scenario A beside scenario B."""

    def __init__(self, parent=None) -> None:
        super().__init__("Scenariovergelijking", parent)
        self._axis_label("left", "extra woningen")
        self.getPlotItem().addLegend(offset=(-10, 10), labelTextColor=QColor("#202020"))
        self._show_axes(False)  # (setLabel shows the axis)
        self.categories: list[str] = []
        self.values_a: list[float] = []
        self.values_b: list[float] = []

    def set_values(self, categories: Sequence[str], values_a, values_b, name_a: str, name_b: str) -> None:
        self._reset()
        self.categories = [str(c) for c in categories]
        self.values_a = [float(v) for v in values_a]
        self.values_b = [float(v) for v in values_b]
        x = np.arange(len(self.categories), dtype="float64")
        for offset, values, color, name in (
            (-0.19, self.values_a, SCENARIO_COLORS[0], name_a),
            (0.19, self.values_b, SCENARIO_COLORS[1], name_b),
        ):
            bars = pg.BarGraphItem(x=x + offset, height=values, width=0.36, brush=pg.mkBrush(color), pen=pg.mkPen("#404040"), name=name)
            self.addItem(bars)
            self.items.append(bars)
        self.getAxis("bottom").setTicks([[(float(i), c) for i, c in enumerate(self.categories)]])
        self._finish(len(self.categories), max(self.values_a + self.values_b, default=0.0))
