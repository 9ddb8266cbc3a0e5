"""One set of numbers through every display path: identify, attribute table, legend, scan dialog,
locaties dock, Excel, informatieproduct, the ticks of every chart axis (results charts and the
sensitivity tornado). Each language shows its own separators only."""

from __future__ import annotations

import re

import geopandas as gpd
import pytest
from shapely.geometry import box

from gisapp import i18n

#: nl must not show a decimal point or a comma before three digits; en the reverse.
FOREIGN = {
    "nl": re.compile(r"\d\.\d{1,2}(?!\d)|\d,\d{3}(?!\d)"),
    "en": re.compile(r"\d,\d{1,2}(?!\d)|\d\.\d{3}(?!\d)"),
}
EXPECTED = {
    "nl": ("3.584", "1.234,5", "27,4 cm", "€ 1.234.567", "1970"),
    "en": ("3,584", "1,234.5", "27.4 cm", "€ 1,234,567", "1970"),
}
#: Ticks the chart axes must show: thousands on the bar chart and the tornado, fractions on a
#: small scale, years without a separator.
EXPECTED_TICKS = {
    "nl": ("2.500", "2.000", "1960", "0,5", "3.000"),
    "en": ("2,500", "2,000", "1960", "0.5", "3,000"),
}


def _frame() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "pand_id": ["0503100000000001", "0503100000000002"],
            "bouwjaar": [1970, 1985],
            "totaal_woningen": [3584, 12],
            "bodemdaling": [27.38, 3.5],
            "netimpact_kw": [1234.5, 24.0],
            "realisatiestimulans_eur": [1234567, 84000],
            "pct_van_voorraad": [2.45, 0.5],
            "optoppen_woningen": [3584, 12],
            "optoppen_reden": ["kandidaat", "kandidaat"],
        },
        geometry=[box(0, 0, 10, 10), box(20, 0, 30, 10)],
        crs="EPSG:28992",
    )


def _check(texts: list[str], language: str) -> None:
    joined = " | ".join(texts)
    assert not FOREIGN[language].search(joined), (language, FOREIGN[language].search(joined).group(0), joined)


@pytest.mark.gui
@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_display_path_uses_one_locale(qtbot, tmp_path, language):
    from openpyxl import load_workbook
    from PySide6.QtCore import Qt

    import styles
    from gisapp.attribute_table import DataFrameModel
    from gisapp.identify import IdentifyPanel
    from gisapp.legend import legend_icons
    from gisapp.numbers import display_number, qlocale
    from gisapp.reports.excel import _table_sheet
    from gisapp.reports.pdf import nl_float, nl_int
    from gisapp.scan_dialog import ParamForm
    from layers.layer import VectorLayer
    from scans.registry import SCANS

    i18n.set_language(language)
    frame = _frame()
    layer = VectorLayer("gebouwen_potentie", frame, geometry_kind="polygon", role="gebouwen_potentie")
    texts: list[str] = []

    # identify: labels, values with units, the result per scan
    panel = IdentifyPanel()
    qtbot.addWidget(panel)
    panel.show_feature(layer, 0)
    attributes = [(panel.attributes.topLevelItem(i).text(0), panel.attributes.topLevelItem(i).text(1),
                   panel.attributes.topLevelItem(i).toolTip(0)) for i in range(panel.attributes.topLevelItemCount())]
    texts += [value for _, value, _ in attributes] + [" ".join(row) for row in panel.result_rows()]
    labels = {tip: label for label, _, tip in attributes}
    assert labels["totaal_woningen"] == ("Totaal extra woningen" if language == "nl" else "Total extra homes")

    # attribute table: headers are labels (field name in the tooltip), cells in the language
    model = DataFrameModel(frame)
    for c, column in enumerate(model.columns()):
        header = model.headerData(c, Qt.Orientation.Horizontal)
        assert model.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole) == column
        assert "_" not in header, header
        for r in range(model.rowCount()):
            texts.append(model.data(model.index(r, c)))

    # legend labels of a graduated result style and of a raster
    style = styles.graduated("totaal_woningen", frame["totaal_woningen"].to_numpy(dtype=float), "equal_interval", 3, "YlOrRd")
    texts += [label for label, _ in legend_icons(style, "polygon")]
    texts += [label for label, _ in legend_icons(styles.RasterStyle("Blues", 0.0, 1234.5), "raster", "cm")]

    # scan dialog: the spin boxes of every scan's parameters
    for spec in SCANS.values():
        form = ParamForm(spec.params_cls())
        qtbot.addWidget(form)
        texts += [w.text() for w in form.widgets.values() if hasattr(w, "cleanText")]

    # the locaties dock's numbers and the app's own helper agree with Qt's locale
    texts += [display_number(1234.5, 1), display_number(1234567, 0, "€")]
    assert qlocale().toString(1234.5, "f", 1) == display_number(1234.5, 1)
    assert qlocale().toString(3584) == display_number(3584)

    for expected in EXPECTED[language]:
        assert any(expected in t for t in texts), (expected, texts)
    _check(texts, language)

    # Excel: Dutch labels above the field names, the values themselves numbers (Excel formats them)
    from openpyxl import Workbook

    wb = Workbook()
    _table_sheet(wb.active, frame.drop(columns="geometry"))
    wb.save(tmp_path / "t.xlsx")
    rows = list(load_workbook(tmp_path / "t.xlsx").active.values)
    assert rows[0][2] == "Totaal extra woningen" and rows[1][2] == "totaal_woningen"
    assert rows[0][4] == "Extra piekbelasting (kW)"
    assert all(isinstance(v, (int, float)) for v in rows[2][2:8])
    assert rows[2][4] == pytest.approx(1234.5)

    # informatieproduct / PDF: Dutch documents through the same formatter
    report = [nl_float(60.94, 2), nl_float(1234.5), nl_int(3584.0)]
    assert report == ["60,94", "1.234,5", "3.584"]
    _check(report, "nl")
    i18n.set_language("nl")


def _axis_texts(qtbot, chart, names=("left", "bottom")) -> list[str]:
    """The tick texts each axis of ``chart`` (a pyqtgraph PlotWidget) draws, as it paints them."""
    from PySide6.QtGui import QImage, QPainter

    if not chart.isVisible():
        qtbot.addWidget(chart)
        chart.resize(420, 300)
        chart.show()
        qtbot.waitExposed(chart)
    qtbot.wait(20)
    image = QImage(10, 10, QImage.Format.Format_ARGB32)
    texts = []
    for name in names:
        axis = chart.getAxis(name)
        painter = QPainter(image)
        try:
            specs = axis.generateDrawSpecs(painter)
        finally:
            painter.end()
        assert specs is not None, name
        texts += [text for _rect, _flags, text in specs[2]]
    return texts


@pytest.mark.gui
@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_chart_axis_uses_the_locale(qtbot, language):
    """The tick numbers of every pyqtgraph axis in the app: the results charts (bars per scan,
    bouwjaar histogram, scenario comparison) and the sensitivity tornado."""
    import pandas as pd

    from gisapp.charts import HistogramChart, ScanBarChart, ScenarioChart
    from gisapp.sensitivity_panel import TornadoChart

    i18n.set_language(language)
    try:
        bars = ScanBarChart()
        bars.set_values(["Optoppen", "Splitsen", "Transformatie", "Boerenerf"], [631, 549, 2455, 40])
        texts = _axis_texts(qtbot, bars)
        histogram = HistogramChart()
        histogram.set_values([1958, 1962, 1971, 1984, 1990, 2003])
        year_ticks = _axis_texts(qtbot, histogram, ("bottom",))
        assert year_ticks and all(t.isdigit() and len(t) == 4 for t in year_ticks), year_ticks  # no 1.960
        texts += year_ticks + _axis_texts(qtbot, histogram, ("left",))
        scenarios = ScenarioChart()
        scenarios.set_values(["Optoppen", "Totaal"], [0.5, 1.5], [1.0, 2.0], "A", "B")
        scenarios.setYRange(0, 2.4, padding=0)  # a fractional scale: 0,5 / 0.5 steps
        scenarios.getAxis("left").setTickSpacing(0.5, 0.5)
        texts += _axis_texts(qtbot, scenarios)
        tornado = TornadoChart()
        rows = pd.DataFrame({"parameter": ["optoppen.a", "splitsen.b"], "label": ["Lagen", "Drempel"],
                             "laag": [1.0, 0.25], "hoog": [3.0, 0.75], "eenheid": ["", "fractie"],
                             "woningen": [3100.0, 3100.0], "woningen_laag": [1500.0, 2900.0],
                             "woningen_hoog": [4200.0, 3300.0], "swing": [2700.0, 400.0]})
        tornado.set_rows(rows)
        texts += _axis_texts(qtbot, tornado, ("bottom",))
        for expected in EXPECTED_TICKS[language]:
            assert expected in texts, (expected, texts)
        _check(texts, language)
    finally:
        i18n.set_language("nl")


def test_spin_boxes_read_what_they_show(qtbot):
    from PySide6.QtWidgets import QDoubleSpinBox

    from gisapp.numbers import localise_spin_box

    for language, text in (("nl", "1.234,50"), ("en", "1,234.50")):
        i18n.set_language(language)
        spin = QDoubleSpinBox()
        qtbot.addWidget(spin)
        localise_spin_box(spin)
        spin.setRange(0, 1e6)
        spin.setDecimals(2)
        spin.setValue(1234.5)
        assert spin.text() == text
        assert spin.valueFromText(text) == pytest.approx(1234.5)
    i18n.set_language("nl")


@pytest.mark.gui
def test_identify_tells_an_empty_text_from_a_missing_value(qtbot):
    """No conditions (an empty ``mitsen``) is a known nothing, "–"; a monument flag without a monuments
    layer is missing, "onbekend" (it said "onbekend" for both)."""
    import geopandas as gpd
    import numpy as np
    import shapely

    from gisapp.identify import EMPTY_TEXT, IdentifyPanel
    from layers.layer import VectorLayer

    i18n.set_language("nl")
    frame = gpd.GeoDataFrame({"pand_id": ["1"], "mitsen": [""], "monument": [np.nan], "optoppen_bron": [""]},
                             geometry=[shapely.box(0, 0, 10, 10)], crs="EPSG:28992")
    panel = IdentifyPanel()
    qtbot.addWidget(panel)
    panel.show_feature(VectorLayer("gebouwen_potentie", frame, geometry_kind="polygon", role="gebouwen_potentie"), 0)
    shown = {panel.attributes.topLevelItem(i).toolTip(0): panel.attributes.topLevelItem(i).text(1)
             for i in range(panel.attributes.topLevelItemCount())}
    assert shown["mitsen"] == shown["optoppen_bron"] == EMPTY_TEXT
    assert shown["monument"] == "onbekend"
