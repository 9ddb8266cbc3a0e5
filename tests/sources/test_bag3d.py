"""3D BAG GeoPackage tiles and the join of 3D BAG attributes to BAG panden."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely

from layers.messages import LoadReport
from layers.readers import read_layer
from layers.sources import bag3d


def _tile(path, *, prefix="b3_"):
    """A 3D BAG tile: pand (footprints + building attributes) and lod22_2d (roof parts)."""
    ids = ["NL.IMBAG.Pand.0503100000000001", "NL.IMBAG.Pand.0503100000000002"]
    pand = gpd.GeoDataFrame(
        {
            "identificatie": ids,
            "oorspronkelijkbouwjaar": [1975, 1990],
            "status": ["Pand in gebruik", "Pand in gebruik"],
            f"{prefix}h_maaiveld": [0.5, 1.0],
            f"{prefix}dak_type": ["multiple horizontal", "slanted"],
            f"{prefix}bouwlagen": [4, 2],
            f"{prefix}opp_dak_plat": [300.0, 0.0],
            f"{prefix}kas_warenhuis": [False, False],
        },
        geometry=[shapely.box(0, 0, 30, 10), shapely.box(40, 0, 50, 10)],
        crs=28992,
    )
    pand.to_file(path, layer="pand")
    parts = gpd.GeoDataFrame(
        {
            "identificatie": [ids[0], ids[0], ids[1]],
            f"{prefix}pand_deel_id": [0, 0, 0],
            f"{prefix}dd_id": [0, 1, 0],
            f"{prefix}h_dak_min": [10.0, 14.0, 6.0],
            f"{prefix}h_dak_50p": [10.5, 15.0, 7.0],
            f"{prefix}h_dak_70p": [11.0, 16.0, 8.0],
            f"{prefix}h_dak_max": [12.0, 18.0, 9.0],
        },
        # part 0: 200 m², part 1: 100 m²
        geometry=[shapely.box(0, 0, 20, 10), shapely.box(20, 0, 30, 10), shapely.box(40, 0, 50, 10)],
        crs=28992,
    )
    parts.to_file(path, layer="lod22_2d")
    parts.to_file(path, layer="lod12_2d")
    return path


def test_roof_parts_aggregated_per_pand(tmp_path):
    path = _tile(tmp_path / "10-284-556.gpkg")
    gdf = bag3d.read_3dbag_gpkg(path)
    row = gdf.set_index("identificatie").loc["NL.IMBAG.Pand.0503100000000001"]
    assert row["b3_h_dak_min"] == 10.0
    assert row["b3_h_dak_max"] == 18.0
    assert row["b3_h_dak_70p"] == pytest.approx((11.0 * 200 + 16.0 * 100) / 300)
    assert row["b3_h_dak_50p"] == pytest.approx((10.5 * 200 + 15.0 * 100) / 300)


def test_unprefixed_release(tmp_path):
    path = _tile(tmp_path / "old.gpkg", prefix="")
    gdf = bag3d.read_3dbag_gpkg(path)
    assert gdf["h_dak_70p"].tolist() == pytest.approx([(11.0 * 200 + 16.0 * 100) / 300, 8.0])


def test_tile_through_read_layer(tmp_path):
    path = _tile(tmp_path / "tile.gpkg")
    layer = read_layer(path, role="gebouwen")
    data = layer.data.set_index("pand_id")
    assert data.loc["0503100000000001", "h_dak_70p"] == pytest.approx(12.6667, abs=1e-3)
    assert data.loc["0503100000000001", "bouwlagen"] == 4
    assert data.loc["0503100000000001", "dak_type"] == "multiple horizontal"
    assert data.loc["0503100000000002", "h_maaiveld"] == 1.0


def test_join_to_bag_panden_either_id_form(tmp_path):
    tile = bag3d.read_3dbag_gpkg(_tile(tmp_path / "tile.gpkg"))
    panden = gpd.GeoDataFrame(
        {"identificatie": ["503100000000001", "0503100000000002", "0503100000000099"], "bouwjaar": [1975, 1990, 2000]},
        geometry=[shapely.box(0, 0, 30, 10), shapely.box(40, 0, 50, 10), shapely.box(60, 0, 70, 10)],
        crs=28992,
    )
    report = LoadReport("bag")
    joined = bag3d.join_3dbag(panden, tile, report)
    assert joined["b3_h_dak_max"].tolist()[:2] == [18.0, 9.0]
    assert np.isnan(joined["b3_h_dak_max"].iloc[2])
    assert "oorspronkelijkbouwjaar" not in joined.columns  # only 3D BAG attributes are added
    assert report.counts["bag3d_gekoppeld"] == 2
    assert any("2 van 3" in m.text for m in report.warnings)
    assert joined.geometry.equals(panden.geometry)


def test_bag_gpkg_with_bag3d_option(tmp_path):
    _tile(tmp_path / "tile.gpkg")
    panden = gpd.GeoDataFrame(
        {"identificatie": ["0503100000000001"], "bouwjaar": [1975], "status": ["Pand in gebruik"],
         "gebruiksdoel": ["woonfunctie"], "aantal_verblijfsobjecten": [8]},
        geometry=[shapely.box(0, 0, 30, 10)], crs=28992,
    )
    panden.to_file(tmp_path / "bag.gpkg", layer="pand")
    layer = read_layer(tmp_path / "bag.gpkg", role="gebouwen", options={"bag3d": "tile.gpkg"})
    assert layer.data["h_dak_max"].tolist() == [18.0]
    assert layer.data["aantal_vbo"].tolist() == [8]


@pytest.mark.realdata
def test_join_cityjson_to_bag(realdata):
    from layers.sources.cityjson import read_cityjson

    tile = read_cityjson(realdata / "3dbag-cityjson" / "denbosch_multi_lod.city.json")
    panden = gpd.GeoDataFrame({"identificatie": tile["identificatie"].str.replace("NL.IMBAG.Pand.0", "", regex=False)},
                              geometry=tile.geometry, crs=28992)
    joined = bag3d.join_3dbag(panden, tile)
    assert joined["h_dak_70p"].notna().all()
    assert joined["dak_type"].notna().all()
