"""CBS wijk- en buurtkaart: GeoPackage, OGC API GeoJSON (camelCase), old capitals, levels, sentinels."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely

from layers.messages import LoadReport
from layers.readers import read_layer
from layers.sources import cbs


def _gpkg(path):
    """The CBS layout: gemeenten, wijken and buurten layers, snake_case columns, sentinels, water."""
    boxes = [shapely.box(100000 + 1000 * i, 500000, 100900 + 1000 * i, 500900) for i in range(3)]
    buurten = gpd.GeoDataFrame(
        {
            "buurtcode": ["BU03630001", "BU03630002", "BU03630003"],
            "buurtnaam": ["Centrum", "Haven", "IJ"],
            "wijkcode": ["WK036300"] * 3,
            "gemeentecode": ["GM0363"] * 3,
            "gemeentenaam": ["Amsterdam"] * 3,
            "water": ["NEE", "NEE", "JA"],
            "aantal_inwoners": [1200, -99997, 0],
            "woningvoorraad": [600, -99999999, -99997],
            "percentage_koopwoningen": [40.0, -99997.0, -99997.0],
        },
        geometry=boxes,
        crs=28992,
    )
    buurten.to_file(path, layer="buurten")
    wijken = gpd.GeoDataFrame(
        {"wijkcode": ["WK036300"], "wijknaam": ["Centrum"], "gemeentecode": ["GM0363"], "water": ["NEE"],
         "aantal_inwoners": [1200], "woningvoorraad": [600]},
        geometry=[shapely.union_all(boxes)], crs=28992,
    )
    wijken.to_file(path, layer="wijken")
    gemeenten = gpd.GeoDataFrame(
        {"gemeentecode": ["GM0363"], "gemeentenaam": ["Amsterdam"], "water": ["NEE"], "aantal_inwoners": [1200]},
        geometry=[shapely.union_all(boxes)], crs=28992,
    )
    gemeenten.to_file(path, layer="gemeenten")
    return path


def test_geopackage_buurten_sentinels_and_water(tmp_path):
    path = _gpkg(tmp_path / "wijkenbuurten_2024.gpkg")
    report = LoadReport("cbs")
    gdf = cbs.read_cbs(path, report=report)
    assert list(gdf["gebied_code"]) == ["BU03630001", "BU03630002", "BU03630003"]
    assert (gdf["gebied_niveau"] == "buurt").all()
    assert gdf["water_ja"].tolist() == [False, False, True]
    assert np.isnan(gdf["aantal_inwoners"].iloc[1]) and gdf["aantal_inwoners"].iloc[2] == 0
    assert gdf["woningvoorraad"].isna().tolist() == [False, True, True]
    assert gdf["percentage_koopwoningen"].isna().sum() == 2
    assert report.counts["sentinels"] == 5


def test_levels(tmp_path):
    path = _gpkg(tmp_path / "cbs.gpkg")
    assert cbs.cbs_layers(path) == ["buurten", "wijken", "gemeenten"]
    assert cbs.layer_for_level(cbs.cbs_layers(path), "wijk") == "wijken"
    wijken = cbs.read_cbs(path, level="wijk")
    assert wijken["gebied_code"].tolist() == ["WK036300"]
    gemeenten = read_layer(path, layer="gemeenten", role="gebieden")
    assert gemeenten.data["gebied_code"].tolist() == ["GM0363"]
    with pytest.raises(ValueError, match="niveau"):
        cbs.layer_for_level(["buurten"], "provincie")


def test_read_layer_gebieden(tmp_path):
    path = _gpkg(tmp_path / "cbs.gpkg")
    layer = read_layer(path, role="gebieden", options={"niveau": "buurt"})
    data = layer.data
    assert data["gebied_code"].tolist() == ["BU03630001", "BU03630002", "BU03630003"]
    assert data["gebied_naam"].tolist() == ["Centrum", "Haven", "IJ"]
    assert data["woningvoorraad"].isna().tolist() == [False, True, True]
    assert data["water_ja"].tolist() == [False, False, True]


def test_combined_statcode_layer():
    gdf = gpd.GeoDataFrame(
        {"statcode": ["GM0363", "WK036300", "BU03630001"], "statnaam": ["A", "B", "C"], "water": ["NEE"] * 3,
         "aantal_inwoners": [1, 2, 3]},
        geometry=[shapely.box(0, 0, 1, 1)] * 3, crs=28992,
    )
    out = cbs.prepare_cbs(gdf, level="buurt")
    assert out["gebied_code"].tolist() == ["BU03630001"]
    assert out["gebied_naam"].tolist() == ["C"]


def test_ogc_api_camelcase_geojson(tmp_path):
    gdf = gpd.GeoDataFrame(
        {"buurtCode": ["BU03610101"], "buurtNaam": ["Oud"], "wijkCode": ["WK036101"], "water": ["nee"],
         "aantalInwoners": [-99997], "woningvoorraad": [300]},
        geometry=[shapely.box(4.74, 52.62, 4.75, 52.63)], crs=4326,
    )
    path = tmp_path / "buurten.geojson"
    gdf.to_file(path, driver="GeoJSON")
    layer = read_layer(path, role="gebieden")
    assert layer.data["gebied_code"].tolist() == ["BU03610101"]
    assert np.isnan(layer.data["aantal_inwoners"].iloc[0])
    assert layer.data["water"].tolist() == ["NEE"]
    assert layer.data.crs.to_epsg() == 28992


def test_old_shapefile_capitals(tmp_path):
    gdf = gpd.GeoDataFrame(
        {"BU_CODE": ["BU03630001"], "BU_NAAM": ["Centrum"], "WATER": ["NEE"], "AANT_INW": [-99999999], "WONINGEN": [10]},
        geometry=[shapely.box(100000, 500000, 100100, 500100)], crs=28992,
    )
    path = tmp_path / "buurt_2017.shp"
    gdf.to_file(path)
    layer = read_layer(path, role="gebieden")
    assert layer.data["gebied_code"].tolist() == ["BU03630001"]
    assert layer.data["gebied_niveau"].tolist() == ["buurt"]
    assert np.isnan(layer.data["aantal_inwoners"].iloc[0])


@pytest.mark.realdata
def test_real_alkmaar_wijken(realdata):
    path = realdata / "cbs-wijken" / "alkmaar_wijken.geojson"
    layer = read_layer(path)
    assert layer.role == "gebieden"
    data = layer.data
    assert len(data) == 8
    assert data["gebied_code"].str.match(r"WK0361\d\d").all()
    assert (data["gebied_niveau"] == "wijk").all()
    assert data["aantal_inwoners"].sum() > 90000
    assert data.crs.to_epsg() == 28992
    assert not data["water_ja"].any()
