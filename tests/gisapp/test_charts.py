"""The result charts: no scale before there is data, whole numbers for counts of homes."""

from __future__ import annotations

from gisapp.charts import HistogramChart, ScanBarChart


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
