"""QML export: parses as XML, has the QGIS renderer structure, and reads back to the same style."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import geopandas as gpd
import pytest
from shapely.geometry import box

from styles import RasterStyle, default_style, from_qml, to_qml

CASES = [
    ("gebouwen", "polygon", "singleSymbol"),
    ("verblijfsobjecten", "point", "singleSymbol"),
    ("gebieden", "polygon", "singleSymbol"),
    ("netcongestie", "polygon", "categorizedSymbol"),
    ("water_bodem", "polygon", "categorizedSymbol"),
    ("nplv", "polygon", "singleSymbol"),
    ("gebieden_potentie", "polygon", "graduatedSymbol"),
    ("gebouwen_potentie", "polygon", "graduatedSymbol"),
]


@pytest.fixture
def data():
    return gpd.GeoDataFrame({"totaal_woningen": [0, 4, 9, 20, 33, 80]}, geometry=[box(i, 0, i + 1, 1) for i in range(6)])


def _root(qml: str) -> ET.Element:
    assert qml.startswith("<!DOCTYPE qgis")
    return ET.fromstring(qml.split("\n", 1)[1])


@pytest.mark.parametrize("role, kind, renderer", CASES)
def test_qml_structure_and_round_trip(role, kind, renderer, data):
    style = default_style(role, data)
    qml = to_qml(style, kind)
    root = _root(qml)
    assert root.tag == "qgis"
    r = root.find("renderer-v2")
    assert r.get("type") == renderer
    symbol_type = {"polygon": "fill", "point": "marker"}[kind]
    layer_class = {"polygon": "SimpleFill", "point": "SimpleMarker"}[kind]
    symbols = r.findall("./symbols/symbol")
    assert symbols and all(s.get("type") == symbol_type for s in symbols)
    assert all(s.find("layer").get("class") == layer_class for s in symbols)
    assert root.findtext("layerGeometryType") == {"polygon": "2", "point": "0"}[kind]
    assert from_qml(qml) == style


def test_categorized_qml_details():
    root = _root(to_qml(default_style("netcongestie"), "polygon"))
    cats = root.findall("./renderer-v2/categories/category")
    assert [c.get("value") for c in cats] == ["-1", "0", "1", "2", "3"]
    assert cats[4].get("label") == "tekort" and cats[4].get("type") == "int"
    assert root.find("./renderer-v2").get("attr") == "status_afname"


def test_graduated_qml_has_ranges_and_jenks(data):
    root = _root(to_qml(default_style("gebieden_potentie", data), "polygon"))
    ranges = root.findall("./renderer-v2/ranges/range")
    assert len(ranges) == 5 and float(ranges[-1].get("upper")) == 80
    assert root.find("./renderer-v2/classificationMethod").get("id") == "Jenks"


def test_hatch_is_a_diagonal_brush():
    root = _root(to_qml(default_style("nplv"), "polygon"))
    opts = {o.get("name"): o.get("value") for o in root.iter("Option") if o.get("name")}
    assert opts["style"] == "b_diagonal" and opts["color"] == "123,50,148,255"


def test_raster_qml_round_trip():
    style = RasterStyle("Blues", 0.0, 3.0)
    qml = to_qml(style, "raster")
    root = _root(qml)
    assert root.find("./pipe/rasterrenderer").get("type") == "singlebandpseudocolor"
    assert from_qml(qml) == style


def test_reads_older_prop_form():
    qml = """<qgis version="3.14"><renderer-v2 type="singleSymbol"><symbols>
      <symbol type="fill" name="0"><layer class="SimpleFill">
        <prop k="color" v="255,0,0,255"/><prop k="outline_color" v="0,0,0,255"/>
        <prop k="outline_width" v="0.5"/><prop k="style" v="solid"/></layer></symbol></symbols></renderer-v2></qgis>"""
    style = from_qml(qml)
    assert style.symbol.fill == "#ff0000ff" and style.symbol.stroke_width == 0.5


def test_errors():
    with pytest.raises(ValueError, match="geometrietype"):
        to_qml(default_style("gebouwen"), "mesh")
    with pytest.raises(ValueError, match="XML"):
        from_qml("<qgis")
