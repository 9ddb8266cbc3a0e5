"""Unknown is not zero on the result maps: the class "onbekend (gegevens ontbreken)" (styles.unknown).

Tables of panden and gebieden in, the class each is drawn in out; the legend, the project-file dict
and the QML (a rule-based renderer whose rules, run as SQL on a GeoPackage, split the rows exactly
as the app does).
"""

from __future__ import annotations

import sqlite3
import xml.etree.ElementTree as ET

import geopandas as gpd
import numpy as np
import pyogrio
import pytest
from shapely.geometry import box

from styles import (
    UNKNOWN_LABEL,
    UNKNOWN_SYMBOL,
    Graduated,
    default_style,
    from_qml,
    graduated,
    legend_counts,
    legend_entries,
    style_from_dict,
    style_to_dict,
    symbol_for_features,
    to_qml,
    with_count,
    with_unknown,
)
from styles.unknown import unknown_flags

SCANS = ("optoppen", "splitsen", "transformatie", "boerenerf")
NO_HOMES = "geen extra woningen"

# (totaal_woningen, the scans that marked the pand onbekend, the legend entry it is drawn in)
PANDEN = [
    (0, (), NO_HOMES),
    (0, ("splitsen",), UNKNOWN_LABEL),
    (0, ("optoppen", "transformatie"), UNKNOWN_LABEL),
    (np.nan, ("boerenerf",), UNKNOWN_LABEL),  # no number and not judged: onbekend, not "0"
    (np.nan, (), None),  # no number, nothing says why: not drawn (as before)
    (1, ("splitsen",), "1"),  # homes known: drawn by its homes, a lower bound
    (1, (), "1"),
    (4, ("optoppen", "splitsen", "transformatie", "boerenerf"), "4"),
    (3, (), "2 – 3"),
]


def _panden(rows) -> gpd.GeoDataFrame:
    data = {"totaal_woningen": [total for total, _, _ in rows]}
    for scan in SCANS:
        data[f"{scan}_woningen"] = [0] * len(rows)
        data[f"{scan}_onbekend"] = [scan in unknown for _, unknown, _ in rows]
    return gpd.GeoDataFrame(data, geometry=[box(i, 0, i + 1, 1) for i in range(len(rows))], crs="EPSG:28992")


def _drawn_as(style, gdf) -> list[str | None]:
    """The legend label of the class each row is drawn in (None: not drawn)."""
    codes, _symbols = symbol_for_features(style, gdf)
    labels = [c.label for c in style.classes] + ([style.unknown.label] if style.unknown else [])
    return [labels[c] if c >= 0 else None for c in codes]


def test_each_pand_is_drawn_in_its_class():
    gdf = _panden(PANDEN)
    style = default_style("gebouwen_potentie", gdf)
    assert style.unknown is not None and style.unknown.flags == tuple(f"{s}_onbekend" for s in SCANS)
    assert _drawn_as(style, gdf) == [expected for _, _, expected in PANDEN]
    assert legend_entries(style)[-1] == (UNKNOWN_LABEL, UNKNOWN_SYMBOL)


def test_no_onbekend_class_without_onbekend_panden_or_flag_columns():
    known = _panden([row for row in PANDEN if not row[1]])
    assert default_style("gebouwen_potentie", known).unknown is None
    bare = known[["totaal_woningen", "geometry"]]
    assert default_style("gebouwen_potentie", bare).unknown is None
    assert NO_HOMES in [label for label, _ in legend_entries(default_style("gebouwen_potentie", bare))]


def test_missing_or_text_flags_count_as_not_set():
    gdf = _panden([(0, ("splitsen",), None), (0, (), None), (0, (), None)])
    gdf["splitsen_onbekend"] = gdf["splitsen_onbekend"].astype(object)
    gdf.loc[1, "splitsen_onbekend"] = None
    gdf.loc[2, "splitsen_onbekend"] = np.nan
    style = default_style("gebouwen_potentie", gdf)
    assert _drawn_as(style, gdf) == [UNKNOWN_LABEL, NO_HOMES, NO_HOMES]


@pytest.mark.parametrize("column, expected", [
    ("totaal_woningen", tuple(f"{s}_onbekend" for s in SCANS)),
    ("pct_van_voorraad", tuple(f"{s}_onbekend" for s in SCANS)),
    ("splitsen_woningen", ("splitsen_onbekend",)),
    ("transformatie_realistisch", ("transformatie_onbekend",)),
    ("woningen_ja_mits", ()),
    ("uitgesloten_woningen", ()),
    ("bouwjaar", ()),
])
def test_flags_behind_a_column(column, expected):
    columns = [*(f"{s}_{what}" for s in SCANS for what in ("woningen", "onbekend")), "totaal_woningen",
               "uitgesloten_woningen", "woningen_ja_mits", "pct_van_voorraad", "transformatie_realistisch", "bouwjaar"]
    assert unknown_flags(column, columns) == expected


def test_a_scan_map_reads_only_its_own_flag():
    gdf = _panden([(0, ("optoppen",), None), (0, ("splitsen",), None), (2, (), None)])
    gdf["splitsen_woningen"] = [0, 0, 2]
    style = with_unknown(graduated("splitsen_woningen", gdf["splitsen_woningen"], "natural_breaks", 3), gdf)
    codes, _ = symbol_for_features(style, gdf)
    assert style.unknown.flags == ("splitsen_onbekend",)
    assert codes.tolist() == [0, len(style.classes), len(style.classes) - 1]


# (gebied, totaal_woningen, panden onbekend per scan, the class it is drawn in)
GEBIEDEN = [
    ("alle panden onbekend", 0, {"splitsen": 3, "transformatie": 3}, UNKNOWN_LABEL),
    ("enkele onbekend", 0, {"optoppen": 1}, UNKNOWN_LABEL),
    ("alles beoordeeld", 0, {}, NO_HOMES),  # grey, as a pand of 0
    ("met woningen", 12, {"splitsen": 40}, "1 – 12"),
    ("veel woningen", 80, {}, "13 – 80"),
]


def _gebieden(rows) -> gpd.GeoDataFrame:
    data = {"gebied_code": [code for code, *_ in rows], "totaal_woningen": [total for _, total, _, _ in rows]}
    for scan in SCANS:
        data[f"{scan}_woningen"] = [0] * len(rows)
        data[f"{scan}_onbekend"] = [counts.get(scan, 0) for _, _, counts, _ in rows]
    return gpd.GeoDataFrame(data, geometry=[box(i, 0, i + 1, 1) for i in range(len(rows))], crs="EPSG:28992")


def test_a_gebied_of_zero_with_unjudged_panden_is_onbekend():
    gdf = _gebieden(GEBIEDEN)
    style = default_style("gebieden_potentie", gdf)
    assert _drawn_as(style, gdf) == [expected for *_, expected in GEBIEDEN]
    assert legend_counts(style, gdf) == [1, 1, 1, 2]  # 0, 12, 80, onbekend


def test_gebieden_without_any_potential_keep_the_grey_class_beside_onbekend():
    gdf = _gebieden([row for row in GEBIEDEN if row[1] == 0])
    style = default_style("gebieden_potentie", gdf)
    assert [label for label, _ in legend_entries(style)] == [NO_HOMES, UNKNOWN_LABEL]
    assert legend_counts(style, gdf) == [1, 2]


def test_legend_in_english_with_counts():
    gdf = _panden(PANDEN)
    style = default_style("gebouwen_potentie", gdf)
    labels = [label for label, _ in legend_entries(style, "en")]
    assert labels[-1] == "unknown (data missing)"
    counts = legend_counts(style, gdf)
    assert counts[-1] == 3 and sum(counts) == len(gdf) - 1  # one row is not drawn
    assert with_count(labels[-1], 1234, "en") == "unknown (data missing) [1,234]"
    assert with_count(UNKNOWN_LABEL, 1234) == "onbekend (gegevens ontbreken) [1.234]"


def test_project_file_dict_round_trip():
    style = default_style("gebouwen_potentie", _panden(PANDEN))
    data = style_to_dict(style)
    assert data["unknown"]["flags"] == [f"{s}_onbekend" for s in SCANS] and data["unknown"]["label"] == UNKNOWN_LABEL
    assert style_from_dict(data) == style
    plain = {k: v for k, v in data.items() if k != "unknown"}
    assert style_from_dict(plain).unknown is None  # a style saved before the class existed still reads


def test_qml_is_a_rule_renderer_that_reads_back():
    style = default_style("gebouwen_potentie", _panden(PANDEN))
    root = ET.fromstring(to_qml(style, "polygon").split("\n", 1)[1])
    renderer = root.find("renderer-v2")
    assert renderer.get("type") == "RuleRenderer"
    rules = renderer.findall("./rules/rule")
    assert [r.get("label") for r in rules] == [c.label for c in style.classes] + [UNKNOWN_LABEL]
    assert len({r.get("key") for r in rules}) == len(rules)
    symbols = renderer.findall("./symbols/symbol")
    hatch = {o.get("name"): o.get("value") for o in symbols[-1].iter("Option") if o.get("name")}
    assert hatch["style"] == "b_diagonal" and hatch["outline_color"] == "59,91,146,255"
    assert from_qml(to_qml(style, "polygon")) == style
    english = ET.fromstring(to_qml(style, "polygon", language="en").split("\n", 1)[1])
    assert english.findall(".//rule")[-1].get("label") == "unknown (data missing)"
    assert from_qml(to_qml(style, "polygon", language="en")) == style  # stored in Dutch again


def test_qml_rule_from_another_tool_is_refused():
    style = default_style("gebouwen_potentie", _panden(PANDEN))
    text = to_qml(style, "polygon").replace("coalesce(", "max(", 1)
    with pytest.raises(ValueError, match="regelgebaseerde stijl"):
        from_qml(text)


def test_qml_rules_split_the_rows_as_the_app_does(tmp_path):
    """Each rule's filter run as SQL on the written GeoPackage (QGIS's expressions and SQLite agree on
    this subset: quoted fields, AND/OR/NOT, coalesce, NULL logic) selects exactly the rows the app
    draws in that class, and every drawn row in one rule only."""
    for name, gdf, role in (("panden", _panden(PANDEN), "gebouwen_potentie"), ("gebieden", _gebieden(GEBIEDEN), "gebieden_potentie")):
        path = tmp_path / f"{name}.gpkg"
        pyogrio.write_dataframe(gdf.assign(fid_order=np.arange(len(gdf))), path, layer=name)
        style = default_style(role, gdf)
        codes, _ = symbol_for_features(style, gdf)
        rules = ET.fromstring(to_qml(style, "polygon").split("\n", 1)[1]).findall(".//rule")
        with sqlite3.connect(path) as con:
            for index, rule in enumerate(rules):
                rows = [r for (r,) in con.execute(f"SELECT fid_order FROM {name} WHERE {rule.get('filter')} ORDER BY fid_order")]
                assert rows == np.flatnonzero(codes == index).tolist(), (name, rule.get("label"))


def test_a_style_with_an_onbekend_class_stays_graduated_everywhere():
    style = default_style("gebouwen_potentie", _panden(PANDEN))
    assert isinstance(style, Graduated) and style.column == "totaal_woningen"
    assert with_unknown(style, None) is style
