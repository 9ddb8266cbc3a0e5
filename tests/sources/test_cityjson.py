"""CityJSON (3D BAG): footprints, heights from attributes or geometry, BuildingParts, CRS."""

from __future__ import annotations

import numpy as np
import pytest

from layers.messages import LoadReport
from layers.readers import find_reader, read_layer
from layers.sources import cityjson
from tests.sources.fixtures import box_solid, write_json


@pytest.mark.realdata
def test_real_3dbag_tile(realdata):
    path = realdata / "3dbag-cityjson" / "denbosch_multi_lod.city.json"
    report = LoadReport("tile")
    gdf = cityjson.read_cityjson(path, report=report)
    assert len(gdf) == 10
    assert gdf.crs.to_epsg() == 28992
    assert any("referentiesysteem" in m.text for m in report.warnings)
    assert gdf.geometry.is_valid.all() and (gdf.geometry.geom_type == "Polygon").all()
    assert gdf.area.between(5, 200).all()
    # published ground level kept; roof heights computed from the LoD 2.2 roof surfaces
    assert gdf["h_maaiveld"].iloc[0] == pytest.approx(5.254)
    assert (gdf["h_dak_max"] >= gdf["h_dak_70p"]).all()
    assert (gdf["h_dak_70p"] >= gdf["h_dak_min"]).all()
    assert (gdf["h_dak_min"] > gdf["h_maaiveld"]).all()
    assert (gdf["lod"] == "2.2").all()
    flat = gdf.set_index("identificatie").loc["NL.IMBAG.Pand.0796100000210250"]
    assert flat["dak_type"] == "single horizontal"
    assert flat["h_dak_max"] - flat["h_dak_min"] < 0.1


@pytest.mark.realdata
def test_real_3dbag_tile_as_gebouwen(realdata):
    path = realdata / "3dbag-cityjson" / "denbosch_multi_lod.city.json"
    assert type(find_reader(path)).__name__ == "CityJSONReader"
    layer = read_layer(path, role="gebouwen")
    data = layer.data
    assert data["pand_id"].str.startswith("0796").all()
    assert data["bouwjaar"].between(1900, 2030).all()  # from oorspronkelijk_bouwjaar
    assert data["h_dak_70p"].notna().all()


@pytest.mark.realdata
def test_real_tile_lod12_footprint_matches(realdata):
    path = realdata / "3dbag-cityjson" / "denbosch_multi_lod.city.json"
    lod22 = cityjson.read_cityjson(path)
    lod12 = cityjson.read_cityjson(path, lod="1.2")
    # LoD 1.2 has no semantic surfaces: ground = lowest faces; footprints agree with LoD 2.2
    assert np.allclose(lod12.area, lod22.area, rtol=0.01)
    assert (lod12["lod"] == "1.2").all()


def _building_with_parts(tmp_path, *, reference: str | None, prefixed: bool):
    """Building B1 with two BuildingParts (boxes 10 m and 20 m high), semantics on the solids."""
    v1, s1 = box_solid(100000, 400000, 10, 0.0, 10.0, 0)
    v2, s2 = box_solid(100010, 400000, 10, 0.0, 20.0, 8)
    semantics = {"surfaces": [{"type": "GroundSurface"}, {"type": "RoofSurface"}, {"type": "WallSurface"}],
                 "values": [[0, 1, 2, 2, 2, 2]]}
    p = "b3_" if prefixed else ""
    attributes = {"identificatie": "NL.IMBAG.Pand.0363100012345678", "oorspronkelijkbouwjaar": 1970,
                  f"{p}dak_type": "single horizontal", f"{p}h_maaiveld": None}
    document = {
        "type": "CityJSON", "version": "2.0",
        "transform": {"scale": [0.001, 0.001, 0.001], "translate": [0, 0, 0]},
        "CityObjects": {
            "B1": {"type": "Building", "attributes": attributes, "children": ["B1-0", "B1-1"], "geometry": []},
            "B1-0": {"type": "BuildingPart", "parents": ["B1"],
                     "geometry": [{"type": "Solid", "lod": "2.2", "boundaries": [s1], "semantics": semantics}]},
            "B1-1": {"type": "BuildingPart", "parents": ["B1"],
                     "geometry": [{"type": "Solid", "lod": "2.2", "boundaries": [s2], "semantics": semantics}]},
        },
        "vertices": [[round(c * 1000) for c in v] for v in v1 + v2],
    }
    if reference:
        document["metadata"] = {"referenceSystem": reference}
    return write_json(tmp_path / "tile.city.json", document)


def test_building_parts_merged_and_heights_from_geometry(tmp_path):
    path = _building_with_parts(tmp_path, reference="https://www.opengis.net/def/crs/EPSG/0/7415", prefixed=True)
    report = LoadReport("tile")
    gdf = cityjson.read_cityjson(path, report=report)
    assert len(gdf) == 1
    row = gdf.iloc[0]
    assert row.geometry.area == pytest.approx(200.0)
    assert gdf.crs.to_epsg() == 28992 and not report.warnings
    assert row["b3_h_maaiveld"] == pytest.approx(0.0)
    assert row["b3_h_dak_min"] == pytest.approx(10.0)
    assert row["b3_h_dak_max"] == pytest.approx(20.0)
    # 8 unique roof vertices: four at 10 m and four at 20 m
    assert row["b3_h_dak_70p"] == pytest.approx(np.percentile([10] * 4 + [20] * 4, 70))
    assert row["hoogte_bron"] == "geometrie"
    assert "h_dak_70p" not in gdf.columns


def test_unprefixed_attributes_win_over_geometry(tmp_path):
    path = _building_with_parts(tmp_path, reference=None, prefixed=False)
    text = path.read_text().replace('"h_maaiveld": null', '"h_maaiveld": 1.5, "h_dak_70p": 12.0')
    path.write_text(text)
    gdf = cityjson.read_cityjson(path)
    assert gdf["h_maaiveld"].iloc[0] == 1.5
    assert gdf["h_dak_70p"].iloc[0] == 12.0
    assert gdf["h_dak_max"].iloc[0] == pytest.approx(20.0)


def test_lod0_footprint_preferred(tmp_path):
    path = _building_with_parts(tmp_path, reference="urn:ogc:def:crs:EPSG::7415", prefixed=True)
    import json

    document = json.loads(path.read_text())
    n = len(document["vertices"])
    document["vertices"] += [[99000000, 399000000, 0], [99005000, 399000000, 0], [99005000, 399005000, 0]]
    document["CityObjects"]["B1"]["geometry"] = [
        {"type": "MultiSurface", "lod": "0", "boundaries": [[[n, n + 1, n + 2]]]}
    ]
    write_json(path, document)
    gdf = cityjson.read_cityjson(path)
    assert gdf.geometry.iloc[0].area == pytest.approx(12.5)
    assert gdf["lod"].iloc[0] == "0.0"
    assert gdf["b3_h_dak_max"].iloc[0] == pytest.approx(20.0)


def test_cityjson_seq(tmp_path):
    v1, s1 = box_solid(0, 0, 10, 2.0, 8.0, 0)
    header = {"type": "CityJSON", "version": "2.0", "transform": {"scale": [0.01, 0.01, 0.01], "translate": [150000, 400000, 0]},
              "metadata": {"referenceSystem": "https://www.opengis.net/def/crs/EPSG/0/7415"}, "CityObjects": {}, "vertices": []}
    features = []
    for i, ident in enumerate(("0363100000000001", "0363100000000002")):
        vertices = [[round(x * 100) + i * 2000, round(y * 100), round(z * 100)] for x, y, z in v1]
        features.append({"type": "CityJSONFeature", "id": f"NL.IMBAG.Pand.{ident}", "CityObjects": {
            f"NL.IMBAG.Pand.{ident}": {"type": "Building", "attributes": {"identificatie": f"NL.IMBAG.Pand.{ident}"},
                                       "geometry": [{"type": "Solid", "lod": "1.2", "boundaries": [s1]}]}},
            "vertices": vertices})
    import json

    path = tmp_path / "tiles.city.jsonl"
    path.write_text("\n".join(json.dumps(d) for d in [header, *features]) + "\n")
    gdf = cityjson.read_cityjson(path)
    assert len(gdf) == 2
    assert gdf.area.tolist() == pytest.approx([100.0, 100.0])
    assert gdf.geometry.iloc[1].bounds[0] == pytest.approx(150020.0)
    assert gdf["h_maaiveld"].tolist() == pytest.approx([2.0, 2.0])
    assert gdf["h_dak_70p"].tolist() == pytest.approx([8.0, 8.0])


def test_grouped_quantile_matches_numpy():
    rng = np.random.default_rng(1)
    groups = rng.integers(0, 5, 200)
    values = rng.normal(size=200)
    for q in (0.0, 0.5, 0.7, 1.0):
        got = cityjson._grouped_quantile(groups, values, q, 6)
        want = [np.quantile(values[groups == g], q) if (groups == g).any() else np.nan for g in range(6)]
        np.testing.assert_allclose(got, want)


def test_not_cityjson(tmp_path):
    path = write_json(tmp_path / "x.json", {"type": "FeatureCollection", "features": []})
    assert not cityjson.is_cityjson(path)
