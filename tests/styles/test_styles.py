"""Default styles, legends, symbol assignment and dict round trips."""

from __future__ import annotations

import tomllib

import geopandas as gpd
import numpy as np
import pytest
import tomli_w
from shapely.geometry import Point, box

import styles
from styles import (
    Categorized,
    Category,
    ClassBreak,
    Graduated,
    RasterStyle,
    SingleSymbol,
    SymbolStyle,
    default_style,
    legend_entries,
    style_from_dict,
    style_to_dict,
    symbol_for_features,
)

ROLES = [
    "gebouwen",
    "verblijfsobjecten",
    "gebieden",
    "netcongestie",
    "water_bodem",
    "nplv",
    "erven",
    "locaties",
    "bodemdaling",
    "overstromingsdiepte",
    "kwel",
    "gebieden_potentie",
    "gebouwen_potentie",
]


@pytest.fixture
def result_gdf():
    return gpd.GeoDataFrame(
        {"totaal_woningen": [0, 0, 3, 7, 40, 2, 0, 1], "klasse": ["ja", "ja_mits", "nee_tenzij", "ja", None, "x", "ja", "ja"]},
        geometry=[box(i, 0, i + 1, 1) for i in range(8)],
        crs="EPSG:28992",
    )


@pytest.mark.parametrize("role", ROLES)
def test_every_role_has_a_default_style_with_a_legend(role, result_gdf):
    style = default_style(role, result_gdf)
    assert legend_entries(style)
    for label, symbol in legend_entries(style):
        assert isinstance(label, str) and isinstance(symbol, SymbolStyle)


def test_specific_defaults():
    net = default_style("netcongestie")
    assert isinstance(net, Categorized) and net.column == "status_afname"
    assert [c.value for c in net.categories] == [-1, 0, 1, 2, 3]
    assert [c.label for c in net.categories] == ["geen info", "beschikbaar", "beperkt", "congestiemanagement", "tekort"]
    wb = default_style("water_bodem")
    assert [c.value for c in wb.categories] == ["ja", "ja_mits", "nee_tenzij"]
    nplv = default_style("nplv").symbol
    assert nplv.hatch == "diagonal"
    assert default_style("gebieden").symbol.fill.endswith("00")  # transparent fill
    assert default_style("portefeuille") is None
    with pytest.raises(ValueError, match="onbekende laagrol"):
        default_style("wegen")


def test_result_styles_come_from_the_data(result_gdf):
    area = default_style("gebieden_potentie", result_gdf)
    assert isinstance(area, Graduated) and area.method == "natural_breaks" and len(area.classes) == 5
    assert area.classes[0].lower == 0 and area.classes[-1].upper == 40
    build = default_style("gebouwen_potentie", result_gdf)
    assert build.classes[0].label == "geen extra woningen"
    codes, symbols = symbol_for_features(build, result_gdf)
    assert (codes[result_gdf["totaal_woningen"].to_numpy() == 0] == 0).all()
    assert (codes[result_gdf["totaal_woningen"].to_numpy() > 0] > 0).all()


def test_raster_default_stretches_to_data():
    array = np.linspace(0, 80, 101).reshape(1, -1)
    style = default_style("bodemdaling", array)
    assert isinstance(style, RasterStyle) and 0 < style.vmin < style.vmax < 80


def test_symbol_for_features_categorized_and_graduated(result_gdf):
    cat = default_style("water_bodem")
    codes, symbols = symbol_for_features(cat, result_gdf)
    assert codes.tolist() == [0, 1, 2, 0, -1, -1, 0, 0] and len(symbols) == 3
    with_default = Categorized(cat.column, cat.categories, default=SymbolStyle(fill="#000000"))
    codes, symbols = symbol_for_features(with_default, result_gdf)
    assert codes.tolist() == [0, 1, 2, 0, 3, 3, 0, 0] and len(symbols) == 4
    grad = Graduated(
        "totaal_woningen",
        "equal_interval",
        [ClassBreak(0, 2, "a", SymbolStyle()), ClassBreak(2, 10, "b", SymbolStyle()), ClassBreak(10, 20, "c", SymbolStyle())],
    )
    codes, _ = symbol_for_features(grad, result_gdf)
    assert codes.tolist() == [0, 0, 1, 1, -1, 0, 0, 0]
    codes, symbols = symbol_for_features(SingleSymbol(), result_gdf)
    assert codes.tolist() == [0] * 8 and len(symbols) == 1


def test_symbol_for_features_missing_column_names_it(result_gdf):
    with pytest.raises(ValueError, match="status_afname"):
        symbol_for_features(default_style("netcongestie"), result_gdf)


def test_netcongestie_codes_with_missing_values():
    gdf = gpd.GeoDataFrame({"status_afname": [3.0, np.nan, -1.0, 0.0]}, geometry=[Point(0, 0)] * 4)
    codes, _ = symbol_for_features(default_style("netcongestie"), gdf)
    assert codes.tolist() == [4, -1, 0, 1]


@pytest.mark.parametrize("role", ROLES)
def test_dict_round_trip_through_toml(role, result_gdf):
    style = default_style(role, result_gdf)
    data = style_to_dict(style)
    again = tomllib.loads(tomli_w.dumps({"styles": {"laag": data}}))["styles"]["laag"]
    assert style_from_dict(again) == style


def test_style_from_dict_errors_are_clear():
    with pytest.raises(ValueError, match="type"):
        style_from_dict({"column": "x"})
    with pytest.raises(ValueError, match="mist 'column'"):
        style_from_dict({"type": "categorized", "categories": []})
    with pytest.raises(ValueError, match="kleur"):
        style_from_dict({"type": "single", "symbol": {"fill": "rood"}})


def test_colours_and_ramps():
    assert SymbolStyle(fill="#FF0000").fill == "#ff0000ff"
    assert styles.ramp_colors("Viridis", 2) == ["#440154ff", "#fde725ff"]
    with pytest.raises(ValueError, match="Magma"):
        styles.ramp_colors("Magma", 3)
    rgba = styles.ramp_values("Blues", np.array([np.nan, 0.0, 1.0]), 0.0, 1.0)
    assert rgba.shape == (3, 4) and rgba[0, 3] == 0 and rgba[2, 3] == 1


def test_categorized_rejects_duplicate_values():
    with pytest.raises(ValueError, match="dubbele"):
        Categorized("k", [Category(1, "a", SymbolStyle()), Category(1, "b", SymbolStyle())])


def test_gebieden_result_without_potential_is_one_grey_class():
    """Every gebied 0: one class "geen extra woningen" in the no-potential grey, not an orange "0"."""
    from styles.defaults import NO_POTENTIAL, default_style

    frame = gpd.GeoDataFrame({"totaal_woningen": [0, 0, 0]}, geometry=[box(0, 0, 1, 1)] * 3, crs="EPSG:28992")
    style = default_style("gebieden_potentie", frame)
    assert [(c.lower, c.upper, c.label) for c in style.classes] == [(0.0, 0.0, "geen extra woningen")]
    assert style.classes[0].symbol == NO_POTENTIAL
    with_potential = default_style("gebieden_potentie", frame.assign(totaal_woningen=[0, 3, 12]))
    assert len(with_potential.classes) > 1
