"""The result charts: no scale before there is data, whole numbers for counts of homes, category
labels that never overlap."""

from __future__ import annotations

import pytest

from gisapp.charts import HistogramChart, ScanBarChart
from tests.gisapp.test_layout_fits import SCREENS, screen_window  # noqa: F401 (a window on a simulated screen)


def _tick_values(axis, low: float, high: float) -> list[float]:
    return [value for _spacing, values in axis.tickValues(low, high, 200) for value in values]


def test_an_empty_chart_shows_no_scale(qtbot):
    chart = ScanBarChart()
    qtbot.addWidget(chart)
    plot = chart.getPlotItem()
    assert not plot.getAxis("left").isVisible() and not plot.getAxis("bottom").isVisible()
    chart.set_values(["Optoppen", "Splitsen"], [3, 1])
    assert plot.getAxis("left").isVisible() and plot.getAxis("bottom").isVisible()
    chart.clear_chart()  # another project opened
    assert not plot.getAxis("left").isVisible()


def test_a_small_count_of_homes_has_whole_number_ticks(qtbot):
    chart = ScanBarChart()
    qtbot.addWidget(chart)
    chart.set_values(["Optoppen", "Splitsen", "Transformatie", "Boerenerf"], [0, 0, 1, 0])
    ticks = _tick_values(chart.getAxis("left"), 0.0, 1.2)
    assert ticks and all(float(t).is_integer() for t in ticks)


def test_histogram_without_candidates_shows_no_scale(qtbot):
    chart = HistogramChart()
    qtbot.addWidget(chart)
    chart.set_values([])
    assert not chart.getPlotItem().getAxis("left").isVisible()
    chart.set_values([1965, 1972, 1972])
    ticks = _tick_values(chart.getAxis("left"), 0.0, 2.2)
    assert chart.getPlotItem().getAxis("left").isVisible()
    assert all(float(t).is_integer() for t in ticks)


def _drawn_labels(chart) -> list[tuple[object, str]]:
    """(rectangle, text) of every label the bottom axis of ``chart`` paints, as it paints them."""
    from PySide6.QtGui import QImage, QPainter

    image = QImage(10, 10, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    try:
        specs = chart.getAxis("bottom").generateDrawSpecs(painter)
    finally:
        painter.end()
    assert specs is not None
    return [(rect, text) for rect, _flags, text in specs[2]]


def _assert_labels_apart(chart, categories: list[str], whole: bool = True) -> None:
    """Each category's label is under its bar, as wide as its text by the font's metrics, inside
    the axis and clear of every other label; ``whole``: not shortened."""
    from PySide6.QtGui import QFontMetricsF

    axis = chart.getAxis("bottom")
    bounds = axis.mapRectFromParent(axis.geometry())
    low, high = axis.range
    metrics = QFontMetricsF(axis.style["tickFont"])
    labels = _drawn_labels(chart)
    assert len(labels) == len(categories), (labels, categories)
    for index, (rect, text) in enumerate(labels):
        x = bounds.left() + (index - low) * bounds.width() / (high - low)  # the bar's centre
        assert metrics.horizontalAdvance(text) <= rect.width() + 0.5, (text, rect.width())
        assert rect.left() <= x <= rect.right(), (text, x, rect)
        assert bounds.left() - 0.5 <= rect.left() and rect.right() <= bounds.right() + 0.5, (text, rect, bounds)
        assert text == categories[index] if whole else (text == categories[index] or text.endswith("…")), text
        for other, other_text in labels[index + 1:]:
            assert not rect.intersects(other), (text, rect, other_text, other)


@pytest.mark.gui
@pytest.mark.parametrize("screen_window", SCREENS, indirect=True, ids=[f"{w}x{h}" for w, h in SCREENS])
def test_category_labels_never_overlap_in_the_results_dock(screen_window, qtbot):
    """At the results dock's width on 1366, 1600 and 1920 px screens (Dutch: "Transformatie" and
    "Boerenerf" touched at 1366) the scan names stand whole under their bars, apart."""
    from gisapp.gui_commands import run_default_scan

    window, _screen = screen_window
    run_default_scan(window)
    window.results_dock.raise_()
    panel = window.results_panel
    panel.tabs.setCurrentWidget(panel.bar_chart)
    qtbot.waitUntil(panel.bar_chart.isVisible)
    qtbot.wait(20)  # laid out
    names = ["Optoppen", "Splitsen", "Transformatie", "Boerenerf"]
    assert panel.bar_chart.labels == names
    _assert_labels_apart(panel.bar_chart, names)
    # the scenario comparison: a bar pair per scan and the total
    categories = [*names, "Totaal"]
    panel.scenario_chart.set_values(categories, [631, 549, 2455, 40, 3675], [700, 500, 2600, 35, 3835], "standaard", "ruim")
    panel.tabs.setCurrentWidget(panel.scenario_chart)
    qtbot.waitUntil(panel.scenario_chart.isVisible)
    qtbot.wait(20)
    _assert_labels_apart(panel.scenario_chart, categories)


def test_labels_too_wide_even_on_two_lines_are_shortened(qtbot):
    chart = ScanBarChart()
    qtbot.addWidget(chart)
    chart.resize(230, 220)
    chart.show()
    qtbot.waitExposed(chart)
    names = ["Noorderhaven-Oost", "Stationskwartier", "Schilderswijk Zuid", "Bloemenbuurt", "Vogelbuurt West"]
    chart.set_values(names, [12, 40, 7, 3, 18])
    qtbot.wait(20)
    _assert_labels_apart(chart, names, whole=False)
    texts = [text for _rect, text in _drawn_labels(chart)]
    assert any(text.endswith("…") for text in texts)
    assert chart.getAxis("bottom").toolTip() == "\n".join(names)  # the whole names on hover
