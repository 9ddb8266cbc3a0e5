"""Capaciteitskaart: open-data CSVs (; and decimal comma) joined to PC6 polygons; status polygons."""

from __future__ import annotations

import geopandas as gpd
import pytest
import shapely

from layers.errors import DataError
from layers.messages import LoadReport
from layers.readers import read_layer
from layers.sources import capaciteitskaart as ck

PC6_CSV = (
    "postcode;afname;opwek;voedingsgebied_id;voedingsgebied_naam;tennet_id;RNB_postcode\n"
    "1811AA;0;2;00123;Alkmaar Noord;0451;Liander\n"
    "1811 ab;3;3;00123;Alkmaar Noord;0451;Liander\n"
    "1812AC;-1;1;00456;Alkmaar Zuid;0452;Liander\n"
    "9999ZZ;1;1;00456;Alkmaar Zuid;0452;Liander\n"
)
VG_CSV = (
    "voedingsgebied_id;jaar;RNB;aanwezige_transportcapaciteit_afname;benodigde_transportcapaciteit_afname;"
    "wachtrij_afname;afname_kleurcode;invoeding_kleurcode;provincie\n"
    "00123;2026;Liander;12,5;15,75;3,2;rood;oranje;Noord-Holland\n"
    "00123;2027;Liander;14,5;15,75;0;geel;oranje;Noord-Holland\n"
    "00456;2026;Liander;8,0;2,5;0;groen;geel;Noord-Holland\n"
)


@pytest.fixture
def files(tmp_path):
    (tmp_path / "congestie_pc6.csv").write_text(PC6_CSV, encoding="utf-8")
    (tmp_path / "voedingsgebieden.csv").write_text(VG_CSV, encoding="utf-8")
    pc6 = gpd.GeoDataFrame(
        {"postcode6": ["1811AA", "1811AB", "1812AC"], "aantal_inwoners": [20, 30, 40]},
        geometry=[shapely.box(110000, 515000, 110100, 515100), shapely.box(110100, 515000, 110200, 515100),
                  shapely.box(110000, 515100, 110100, 515200)],
        crs=28992,
    ).to_crs(4326)
    pc6.to_file(tmp_path / "postcode6.gpkg", layer="postcode6")
    return tmp_path


def test_read_csv_decimal_comma_keeps_ids(files):
    table = ck.read_capaciteit_csv(files / "voedingsgebieden.csv")
    assert table["voedingsgebied_id"].tolist() == ["00123", "00123", "00456"]
    assert table["aanwezige_transportcapaciteit_afname"].tolist() == [12.5, 14.5, 8.0]
    assert ck.csv_kind(table.columns) == "voedingsgebieden"


def test_pc6_joined_to_polygons(files):
    report = LoadReport("pc6")
    gdf = ck.read_capaciteitskaart(files / "congestie_pc6.csv", {"postcodevlakken": str(files / "postcode6.gpkg")}, report)
    by_pc = gdf.set_index("postcode")
    assert sorted(by_pc.index) == ["1811AA", "1811AB", "1812AC"]
    assert by_pc.loc["1811AB", "status_afname"] == 3
    assert by_pc.loc["1812AC", "status_afname"] == -1
    assert by_pc.loc["1811AA", "status_opwek"] == 2
    assert by_pc.loc["1811AA", "voedingsgebied_id"] == "00123"
    assert report.counts["postcodes_zonder_vlak"] == 1
    assert gdf.crs.to_epsg() == 28992
    assert gdf.area.round().tolist() == [10000.0] * 3


def test_pc6_csv_as_netcongestie_layer(files):
    layer = read_layer(files / "congestie_pc6.csv", role="netcongestie", options={"postcodevlakken": "postcode6.gpkg"})
    assert layer.geometry_kind == "polygon"
    assert sorted(layer.data["status_afname"].tolist()) == [-1, 0, 3]
    assert layer.data["status_afname"].dtype == "int64"


def test_pc6_without_polygons_is_a_clear_error(files):
    with pytest.raises(DataError, match="postcodevlakken"):
        read_layer(files / "congestie_pc6.csv", role="netcongestie")


def test_voedingsgebieden_dissolved_with_colour_status(files):
    gdf = ck.read_capaciteitskaart(
        files / "voedingsgebieden.csv",
        {"postcodevlakken": str(files / "postcode6.gpkg"), "congestie_pc6": str(files / "congestie_pc6.csv")},
    )
    by_vg = gdf.set_index("voedingsgebied")
    assert by_vg.loc["00123", "status_afname"] == 3  # rood in 2026
    assert by_vg.loc["00123", "status_opwek"] == 2  # oranje
    assert by_vg.loc["00456", "status_afname"] == 0  # groen
    assert by_vg.loc["00123"].geometry.area == pytest.approx(20000.0, rel=1e-6)
    later = ck.read_capaciteitskaart(
        files / "voedingsgebieden.csv",
        {"postcodevlakken": str(files / "postcode6.gpkg"), "congestie_pc6": str(files / "congestie_pc6.csv"), "jaar": 2027},
    )
    assert later.set_index("voedingsgebied").loc["00123", "status_afname"] == 1  # geel in 2027


def test_status_polygons_with_colour_names(tmp_path):
    gdf = gpd.GeoDataFrame(
        {"naam": ["a", "b", "c", "d"], "kleur": ["geel", "oranje", "rood", "onzin"]},
        geometry=[shapely.box(i * 10, 0, i * 10 + 9, 9) for i in range(4)], crs=28992,
    )
    gdf.to_file(tmp_path / "congestie.gpkg", layer="netcongestie")
    layer = read_layer(tmp_path / "congestie.gpkg", role="netcongestie")
    assert layer.data["status_afname"].tolist() == [1, 2, 3, -1]


def test_normalise_postcode():
    import pandas as pd

    out = ck.normalise_postcode(pd.Series(["1811 aa", "1811AB", "18111", None]))
    assert out.tolist()[:2] == ["1811AA", "1811AB"]
    assert out.isna().tolist()[2:] == [True, True]
