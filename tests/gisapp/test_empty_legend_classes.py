"""A legend class that draws nothing (issue 23): the locatiescan's fixed score classes stay in the
legend, so maps of projects and scenarios compare, and the empty one ("0 – 20 [0]") is greyed, in the
app's layer panel and in the PDF's legend alike."""

from __future__ import annotations

import geopandas as gpd
from PySide6.QtCore import Qt
from shapely.geometry import box

from gisapp.reports.geopackage import SCORE_EDGES, locaties_style
from gisapp.reports.maps import EMPTY_CLASS_ALPHA, legend_handles, legend_label_colors, render_map


def _legend_rows(window, layer) -> list[tuple[str, bool]]:
    """(label, enabled) of the legend rows of ``layer`` in the layer panel."""
    model = window.layer_panel.model
    parent = model.index_of_layer(layer)
    rows = []
    for row in range(model.rowCount(parent)):
        index = model.index(row, 0, parent)
        rows.append((model.data(index), bool(model.flags(index) & Qt.ItemFlag.ItemIsEnabled)))
    return rows


def test_an_empty_score_class_is_listed_greyed_in_the_layer_panel(scanned):
    window = scanned
    editor = window.show_locaties_editor()
    result = editor.run_scan()
    assert result is not None, editor.last_error
    editor.dock.hide()
    layer = window.layer("locaties_scan")
    rows = _legend_rows(window, layer)
    assert len(rows) == len(SCORE_EDGES) - 1  # every score class, the same on every map
    scores = layer.data["score"]
    assert (scores > 20).all(), "the sample's locations all score above 20"
    assert rows[0] == ("0 – 20 [0]", False)
    assert all(enabled for label, enabled in rows[1:] if not label.endswith("[0]"))
    # a layer without counts (no data behind the style) greys nothing
    window.layer("buurten").visible = True
    assert all(enabled for _label, enabled in _legend_rows(window, window.layer("buurten")))


def test_an_empty_class_is_greyed_in_the_pdf_legend(tmp_path):
    locaties = gpd.GeoDataFrame({"score": [35, 55, 90]}, geometry=[box(0, 0, 10, 10), box(20, 0, 30, 10), box(40, 0, 50, 10)],
                                crs="EPSG:28992")
    style = locaties_style()
    handles = legend_handles(style, "Locatiescan", locaties)
    labels = [handle.get_label() for handle in handles]
    assert labels[0] == "0 – 20 [0]" and labels[1] == "21 – 40 [1]"
    assert handles[0].get_alpha() == EMPTY_CLASS_ALPHA and handles[1].get_alpha() is None
    empty = [label.endswith(" [0]") for label in labels]
    assert empty == [True, False, False, True, False]  # 0 – 20 and 61 – 80
    assert [color != "black" for color in legend_label_colors(handles)] == empty
    assert [h.get_alpha() for h in legend_handles(style, "Locatiescan")] == [None] * len(handles)  # no counts: none greyed
    png = render_map([(locaties, style)], tmp_path / "kaart.png", legend=[("Locatiescan", style, locaties)], dpi=60)
    assert png.stat().st_size > 0
