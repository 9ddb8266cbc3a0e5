"""Unknown is not zero on the result map, on the real Delft sample (BAG panden without
verblijfsobjecten: a pand without gebruiksdoel is onbekend for splitsen and transformatie).

The window's map and legend, the gebieden choropleth, the GeoPackage's ``layer_styles`` for QGIS
and the PDF map each show the class "onbekend (gegevens ontbreken)" with its count, and no
onbekend pand or gebied is drawn in the 0 class.
"""

from __future__ import annotations

import os
import sqlite3
import xml.etree.ElementTree as ET
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
from shapely.geometry import box

import styles
from gisapp.cli import main
from tests.acceptance.test_issue20_followups import DELFT, delft_project  # noqa: F401 - the fixture

pytestmark = pytest.mark.realdata

#: Where the screenshots go when set (looked at by a person; see the report).
SHOT_DIR = Path(os.environ["BB_SCREENSHOT_DIR"]) if os.environ.get("BB_SCREENSHOT_DIR") else None
SCANS = ("optoppen", "splitsen", "transformatie", "boerenerf")
LAYER = "bag_pand_kerk"


def onbekend(frame: pd.DataFrame) -> np.ndarray:
    """The definition, written out: 0 extra homes and at least one scan could not judge."""
    flags = frame[[f"{s}_onbekend" for s in SCANS]].astype(float).to_numpy()
    return (pd.to_numeric(frame["totaal_woningen"]).to_numpy() <= 0) & (flags > 0).any(axis=1)


@pytest.fixture
def delft_gebieden(delft_project, tmp_path) -> Path:  # noqa: F811 - the imported fixture
    """The Delft project with three buurten: one around the pand without any gebruiksdoel alone
    (all its panden onbekend), one in the east (0 homes, every pand judged) and the rest."""
    panden = pyogrio.read_dataframe(DELFT, layer=LAYER)
    lone = panden[panden["gebruiksdoel"].isna() & panden["aantal_verblijfsobjecten"].isna()]
    assert len(lone) == 1
    around = box(*lone.geometry.iloc[0].bounds).buffer(0.5, join_style=2)
    x0, y0, x1, y1 = panden.total_bounds
    split = 85425.0  # east of the last candidate
    buurten = gpd.GeoDataFrame(
        {"buurtcode": ["BU05030001", "BU05030002", "BU05030003"], "buurtnaam": ["Alleen onbekend", "Oost", "West"],
         "woningvoorraad": [1, 200, 300]},
        geometry=[around, box(split, y0 - 5, x1 + 5, y1 + 5), box(x0 - 5, y0 - 5, split, y1 + 5).difference(around)],
        crs="EPSG:28992")
    pyogrio.write_dataframe(buurten, tmp_path / "buurten.gpkg", layer="buurten")
    text = delft_project.read_text(encoding="utf-8")
    delft_project.write_text(text + '\n[layers.buurten]\nrole = "gebieden"\npath = "buurten.gpkg"\nlayer = "buurten"\n',
                             encoding="utf-8")
    return delft_project


def _legend(window, name: str) -> list[str]:
    model = window.layer_panel.model
    parent = model.index_of_layer(window.project.layers[name])
    return [model.data(model.index(row, 0, parent)) for row in range(model.rowCount(parent))]


def _drawn(window, name: str) -> tuple[np.ndarray, list]:
    """The symbol class of each feature as the map draws it (the canvas's snapshot)."""
    window.canvas.wait_for_layers()
    snapshot = window.canvas.layer_item(window.project.layers[name]).snapshot
    return np.asarray(snapshot.codes), list(snapshot.symbols)


def test_the_map_draws_onbekend_apart_with_a_count(fresh_window, qtbot, delft_gebieden, monkeypatch):
    from gisapp import i18n
    from gisapp.gui_commands import run_default_scan
    from gisapp.legend import legend_icons
    from gisapp.main_window import MainWindow

    monkeypatch.setattr(MainWindow, "confirm_external_sources", lambda self, external: True)
    window = fresh_window
    assert window.open_project(delft_gebieden)
    result = run_default_scan(window)

    panden = result.gebouwen
    unknown = onbekend(panden)
    assert unknown.sum() == 1  # the pand without gebruiksdoel or vbo's
    legend = _legend(window, "gebouwen_potentie")
    assert legend[-1] == f"onbekend (gegevens ontbreken) [{unknown.sum()}]"
    assert legend[0] == f"geen extra woningen [{((panden['totaal_woningen'] == 0) & ~unknown).sum()}]"
    codes, symbols = _drawn(window, "gebouwen_potentie")
    assert symbols[-1] == styles.UNKNOWN_SYMBOL and symbols[0] != styles.UNKNOWN_SYMBOL
    assert (codes[unknown] == len(symbols) - 1).all()
    assert not (codes[~unknown] == len(symbols) - 1).any()
    assert (codes[panden["totaal_woningen"].to_numpy() > 0] > 0).all()  # candidates keep their classes

    gebieden = result.gebieden.set_index("gebied_code")
    assert gebieden.loc["BU05030001", "totaal_woningen"] == 0 and gebieden.loc["BU05030002", "totaal_woningen"] == 0
    codes, symbols = _drawn(window, "gebieden_potentie")
    order = list(result.gebieden["gebied_code"])
    assert codes[order.index("BU05030001")] == len(symbols) - 1  # its panden all onbekend: not "0"
    assert codes[order.index("BU05030002")] == 0  # every pand judged: 0 is 0
    assert _legend(window, "gebieden_potentie")[-1] == "onbekend (gegevens ontbreken) [1]"

    if SHOT_DIR is not None:
        SHOT_DIR.mkdir(parents=True, exist_ok=True)
        window.resize(1600, 1000)
        window.canvas.zoom_full()
        qtbot.wait(50)
        window.grab().save(str(SHOT_DIR / "delft_onbekend.png"))

    i18n.set_language("en")
    layer = window.project.layers["gebouwen_potentie"]
    labels = [label for label, _icon in legend_icons(layer.style, "polygon", None, layer.data)]
    assert labels[0].startswith("no extra homes [") and labels[-1] == "unknown (data missing) [1]"


@pytest.mark.parametrize("tegels", ["nee", "ja"])
def test_layer_styles_for_qgis_hold_the_onbekend_rule(delft_gebieden, tmp_path, capsys, tegels):
    """``gisapp scan --out``: the default style of both layers read back from ``layer_styles``,
    its rules run as SQL on the file (QGIS's expression subset used there is SQLite's too)."""
    out = tmp_path / "uit.gpkg"
    assert main(["scan", str(delft_gebieden), "--out", str(out), "--tegels", tegels]) == 0
    capsys.readouterr()
    with sqlite3.connect(out) as con:
        rows = dict(con.execute("SELECT f_table_name, styleQML FROM layer_styles WHERE useAsDefault = 1").fetchall())
        for layer, code in (("gebouwen_potentie", "pand_id"), ("gebieden_potentie", "gebied_code")):
            renderer = ET.fromstring(rows[layer].split("\n", 1)[1]).find("renderer-v2")
            assert renderer.get("type") == "RuleRenderer"
            rules = {r.get("label"): r.get("filter") for r in renderer.findall("./rules/rule")}
            assert "onbekend (gegevens ontbreken)" in rules
            frame = pyogrio.read_dataframe(out, layer=layer, read_geometry=False)
            expected = set(frame.loc[onbekend(frame), code])
            assert expected
            matched = {label: {v for (v,) in con.execute(f'SELECT "{code}" FROM {layer} WHERE {text}')}
                       for label, text in rules.items()}
            assert matched.pop("onbekend (gegevens ontbreken)") == expected
            assert not any(found & expected for found in matched.values())  # in no other class, not in "0"
            assert sum(map(len, matched.values())) + len(expected) == len(frame)  # each row in one rule


def test_pdf_map_legends_count_onbekend(delft_gebieden, tmp_path, monkeypatch):
    """The report's maps: the project map (choropleth, panden with potential, onbekend panden) and
    the map of one gebied (panden by homes): their legends name the onbekend class with a count."""
    from gisapp.reports import pdf
    from gisapp.reports.maps import legend_handles, render_map
    from layers.project import load_project
    from scans.inputs import ScanInputs
    from scans.pipeline import run_potentiescan
    from scans.scenarios import resolve_scenario

    project = load_project(delft_gebieden)
    result = run_potentiescan(ScanInputs.from_project(project, gebieden="buurten"), resolve_scenario(project, "standaard", []))
    drawn = []
    monkeypatch.setattr(pdf, "render_map", lambda layers, png, **kw: drawn.append((layers, kw["legend"])) or render_map(layers, png, **kw))

    for gebied in (None, "BU05030003"):
        png = pdf._map(result, tmp_path / f"kaart-{gebied}.png", gebied, [])
        assert png.stat().st_size > 0
        if SHOT_DIR is not None:
            SHOT_DIR.mkdir(parents=True, exist_ok=True)
            (SHOT_DIR / png.name).write_bytes(png.read_bytes())
    for layers, legend in drawn:
        labels = [h.get_label() for title, style, *data in legend for h in legend_handles(style, title, *data)]
        assert "onbekend (gegevens ontbreken) [1]" in labels, labels
        for gdf, style in layers:
            if "totaal_woningen" not in gdf.columns or not len(gdf) or isinstance(style, styles.SingleSymbol):
                continue  # (the gebieden's outlines on top)
            codes, symbols = styles.symbol_for_features(style, gdf)
            unknown = onbekend(gdf) if "optoppen_onbekend" in gdf.columns else np.zeros(len(gdf), dtype=bool)
            drawn_unknown = np.array([c >= 0 and symbols[c] == styles.UNKNOWN_SYMBOL for c in codes])
            assert (drawn_unknown == unknown).all()  # onbekend in its own class and only there
    assert pdf._map_has_unknown(result, None) and pdf._map_has_unknown(result, "BU05030003")
