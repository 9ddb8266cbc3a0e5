"""BAG: PDOK GeoPackage, bag-light style and the Kadaster LVBAG XML extract (GDAL LVBAG driver)."""

from __future__ import annotations

import zipfile

import geopandas as gpd
import numpy as np
import pyogrio
import pandas as pd
import pytest
import shapely

from layers.messages import LoadReport
from layers.readers import find_reader, read_layer
from layers.sources import bag
from tests.sources.fixtures import lvbag_pand, lvbag_vbo, write_lvbag

pytestmark = pytest.mark.skipif("LVBAG" not in pyogrio.list_drivers(), reason="GDAL zonder LVBAG-driver")

PAND_A, PAND_B, PAND_C = "0503100000000001", "0503100000000002", "0503100000000003"


@pytest.fixture
def pnd_objects() -> list[str]:
    return [
        # A: two voorkomens, the first ended; the current one has bouwjaar 9999 (unknown)
        lvbag_pand(PAND_A, 1, "Bouw gestart", 2009, 85300, begin="2009-01-01", end="2010-01-01"),
        lvbag_pand(PAND_A, 2, "Pand in gebruik", 9999, 85300, begin="2010-01-01"),
        # B: demolished
        lvbag_pand(PAND_B, 1, "Pand in gebruik", 1950, 85400, begin="1950-01-01", end="2020-01-01"),
        lvbag_pand(PAND_B, 2, "Pand gesloopt", 1950, 85400, begin="2020-01-01"),
        # C: a correction made voorkomen 2 inactive; voorkomen 1 is current
        lvbag_pand(PAND_C, 1, "Pand in gebruik", 1975, 85500),
        lvbag_pand(PAND_C, 2, "Niet gerealiseerd pand", 1975, 85500, begin="2015-01-01", inactive="2015-02-01T00:00:00.000"),
    ]


def test_lvbag_xml_current_versions_only(tmp_path, pnd_objects):
    path = write_lvbag(tmp_path / "9999PND08012024-000001.xml", "PND", pnd_objects)
    report = LoadReport("pnd")
    gdf = bag.read_lvbag(path, report=report)
    assert sorted(gdf["identificatie"]) == [PAND_A, PAND_C]
    by_id = gdf.set_index("identificatie")
    assert np.isnan(by_id.loc[PAND_A, "bouwjaar"])
    assert by_id.loc[PAND_C, "bouwjaar"] == 1975
    assert by_id.loc[PAND_C, "status"] == "Pand in gebruik"
    assert report.counts["bag_niet_bestaand"] == 1
    assert report.counts["sentinels"] == 1
    assert any("Pand gesloopt: 1" in m.text for m in report.messages)
    assert gdf.crs.to_epsg() == 28992


def test_lvbag_keep_all_statuses(tmp_path, pnd_objects):
    path = write_lvbag(tmp_path / "pnd.xml", "PND", pnd_objects)
    gdf = bag.read_lvbag(path, keep_all=True)
    assert sorted(gdf["identificatie"]) == [PAND_A, PAND_B, PAND_C]


def test_lvbag_zip_and_nested_zip(tmp_path, pnd_objects):
    xml = write_lvbag(tmp_path / "9999PND08012024-000001.xml", "PND", pnd_objects)
    vbo = write_lvbag(tmp_path / "9999VBO08012024-000001.xml", "VBO", [
        lvbag_vbo("0503010000000011", [PAND_A, PAND_C], ["woonfunctie", "kantoorfunctie"], 90, "Verblijfsobject in gebruik", 85300),
        lvbag_vbo("0503010000000012", [PAND_C], ["woonfunctie"], 60, "Verblijfsobject ingetrokken", 85500),
    ])
    inner_pnd, inner_vbo = tmp_path / "9999PND08012024.zip", tmp_path / "9999VBO08012024.zip"
    with zipfile.ZipFile(inner_pnd, "w") as archive:
        archive.write(xml, xml.name)
    with zipfile.ZipFile(inner_vbo, "w") as archive:
        archive.write(vbo, vbo.name)
    national = tmp_path / "lvbag-extract-nl.zip"
    with zipfile.ZipFile(national, "w") as archive:
        archive.write(inner_pnd, inner_pnd.name)
        archive.write(inner_vbo, inner_vbo.name)

    assert sorted(bag.read_lvbag(inner_pnd)["identificatie"]) == [PAND_A, PAND_C]
    assert bag.list_lvbag_layers(national) == ["pand", "verblijfsobject"]
    assert sorted(bag.read_lvbag(national)["identificatie"]) == [PAND_A, PAND_C]
    vbos = bag.read_lvbag(national, "verblijfsobject")
    assert list(vbos["identificatie"]) == ["0503010000000011"]
    row = vbos.iloc[0]
    assert row["gebruiksdoel"] == "woonfunctie, kantoorfunctie"
    assert row["pandidentificatie"] == PAND_A
    assert row["pandidentificaties"] == f"{PAND_A}, {PAND_C}"
    assert row["oppervlakte"] == 90


def test_lvbag_through_read_layer(tmp_path, pnd_objects):
    xml = write_lvbag(tmp_path / "9999PND08012024-000001.xml", "PND", pnd_objects)
    archive_path = tmp_path / "extract.zip"
    with zipfile.ZipFile(archive_path, "w") as archive:
        archive.write(xml, xml.name)
    for path in (xml, archive_path):
        assert type(find_reader(path)).__name__ == "LVBAGReader"
        layer = read_layer(path, role="gebouwen")
        assert sorted(layer.data["pand_id"]) == [PAND_A, PAND_C]
        assert layer.data["bouwjaar"].isna().sum() == 1
        assert layer.report.counts["bag_niet_bestaand"] == 1


def test_zip_without_bag_is_declined(tmp_path):
    other = tmp_path / "other.zip"
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("readme.txt", "geen BAG")
    assert not bag.is_lvbag(other)


def _pdok_geopackage(path):
    """A BAG GeoPackage in the PDOK layout: layers pand and verblijfsobject."""
    squares = [shapely.box(85300 + 20 * i, 447000, 85310 + 20 * i, 447010) for i in range(4)]
    pand = gpd.GeoDataFrame(
        {
            "identificatie": ["0503100000000001", "0503100000000002", "0503100000000003", "0503100000000004"],
            "rdf_seealso": ["http://bag.basisregistraties.overheid.nl/bag/id/pand/0503100000000001"] * 4,
            "bouwjaar": [1970, 9999, 1985, 2001],
            "status": ["Pand in gebruik", "Pand in gebruik", "Pand gesloopt", "Pand ten onrechte opgevoerd"],
            "gebruiksdoel": ["woonfunctie,kantoorfunctie", "woonfunctie", "woonfunctie", "industriefunctie"],
            "oppervlakte_min": [60, 80, 70, 500],
            "oppervlakte_max": [120, 80, 70, 500],
            "aantal_verblijfsobjecten": [4, 1, 1, 1],
        },
        geometry=squares,
        crs=28992,
    )
    pand.to_file(path, layer="pand")
    vbo = gpd.GeoDataFrame(
        {
            "identificatie": ["0503010000000011", "0503010000000012"],
            "oppervlakte": [120, 60],
            "status": ["Verblijfsobject in gebruik", "Verblijfsobject ingetrokken"],
            "gebruiksdoel": ["woonfunctie", "kantoorfunctie"],
            "bouwjaar": [1970, 1970],
            "pand_identificatie": ["0503100000000001", "0503100000000001"],
            "postcode": ["2628AA", "2628AA"],
            "huisnummer": [1, 3],
        },
        geometry=[shapely.Point(85305, 447005), shapely.Point(85306, 447006)],
        crs=28992,
    )
    vbo.to_file(path, layer="verblijfsobject")
    return path


def test_pdok_geopackage_pand_and_vbo(tmp_path):
    path = _pdok_geopackage(tmp_path / "bag-light.gpkg")
    assert bag.bag_layers(path) == ["pand", "verblijfsobject"]
    panden = read_layer(path, role="gebouwen")
    assert list(panden.data["pand_id"]) == ["0503100000000001", "0503100000000002"]
    assert panden.data["bouwjaar"].isna().tolist() == [False, True]
    assert panden.report.counts["bag_niet_bestaand"] == 2
    assert panden.data["aantal_vbo"].tolist() == [4, 1]
    vbo = read_layer(path, layer="verblijfsobject", role="verblijfsobjecten")
    assert vbo.data["vbo_id"].tolist() == ["0503010000000011"]
    assert vbo.data["pand_id"].tolist() == ["0503100000000001"]
    assert vbo.data["oppervlakte"].tolist() == [120.0]


def test_bag_statuses_kept_on_request(tmp_path):
    path = _pdok_geopackage(tmp_path / "bag.gpkg")
    layer = read_layer(path, role="gebouwen", options={"alle_statussen": True})
    assert len(layer.data) == 4


@pytest.mark.realdata
def test_wippolder_real_bag(realdata):
    path = realdata / "bag-delft-wippolder" / "wippolder_bag_pand.gpkg"
    layer = read_layer(path)
    assert layer.role == "gebouwen"
    assert len(layer.data) == 60
    assert layer.data["pand_id"].str.len().eq(16).all()
    assert "0503100000000296" in set(layer.data["pand_id"])
    assert layer.data["bouwjaar"].dropna().between(1900, 2030).all()
    assert layer.data.crs.to_epsg() == 28992


@pytest.mark.parametrize("empty", [None, ""])
def test_vbo_without_any_pand_identificatie_reads(tmp_path, empty):
    """A verblijfsobject layer whose pand_identificatie is empty in every row is read, not a crash:
    the objects have no pand (missing pand_id), which the scan then reports as not linked."""
    path = tmp_path / "vbo.gpkg"
    gpd.GeoDataFrame(
        {
            "identificatie": ["0503010000000011", "0503010000000012"],
            "oppervlakte": [120, 60],
            "status": ["Verblijfsobject in gebruik"] * 2,
            "gebruiksdoel": ["woonfunctie"] * 2,
            "pandidentificatie": [empty, empty],
        },
        geometry=[shapely.Point(85305, 447005), shapely.Point(85306, 447006)],
        crs=28992,
    ).to_file(path, layer="verblijfsobject")
    vbo = read_layer(path, layer="verblijfsobject", role="verblijfsobjecten")
    assert vbo.data["vbo_id"].tolist() == ["0503010000000011", "0503010000000012"]
    assert vbo.data["pand_id"].isna().all()


@pytest.mark.parametrize("role, layer", [("gebouwen", "pand"), ("verblijfsobjecten", "verblijfsobject")])
def test_not_real_objects_are_dropped_before_the_frame_is_made(tmp_path, monkeypatch, role, layer):
    """The reader drops them from the Arrow table it read (bag.real_rows), before geometries and
    a frame are made of those rows: the same layer and report as when prepare_bag drops them."""
    path = _pdok_geopackage(tmp_path / "bag.gpkg")
    original, seen = bag.real_rows, []

    def spy(table, report=None, column="status"):
        kept = original(table, report, column)
        seen.append((table.num_rows, None if kept is None else int(kept.sum())))
        return kept

    monkeypatch.setattr(bag, "real_rows", spy)
    early = read_layer(path, layer=layer, role=role)
    assert seen == [(4, 2)] if layer == "pand" else [(2, 1)]
    monkeypatch.setattr(bag, "real_rows", lambda *args, **kwargs: None)  # prepare_bag drops them instead
    late = read_layer(path, layer=layer, role=role)
    pd.testing.assert_frame_equal(early.data.to_wkb(), late.data.to_wkb())
    assert early.report.counts == late.report.counts and early.report.messages == late.report.messages
    assert early.report.counts["bag_niet_bestaand"] == (2 if layer == "pand" else 1)


def test_rows_chosen_before_a_failed_fast_read_are_not_reported_twice(tmp_path, monkeypatch):
    """When the fast conversion fails after the rows were chosen, pyogrio's own read is taken:
    the same rows are dropped from it, and counted once."""
    from layers import readers

    path = _pdok_geopackage(tmp_path / "bag.gpkg")
    expected = read_layer(path, role="gebouwen")

    def broken(wkb):
        raise RuntimeError("geometrie niet te lezen")

    monkeypatch.setattr(readers, "_geometries_from_wkb", broken)
    layer = read_layer(path, role="gebouwen")
    assert layer.report.counts["bag_niet_bestaand"] == 2
    pd.testing.assert_frame_equal(layer.data.to_wkb(), expected.data.to_wkb())


def test_a_layers_kind_is_looked_up_once_per_version_of_the_file(tmp_path, monkeypatch):
    """Choosing the reader, the rows to keep and the rules after reading all ask what a layer
    is: the file is opened for that once, and again only when it changed."""
    import os

    from layers.sources import registered

    path = _pdok_geopackage(tmp_path / "bag.gpkg")
    opened = []
    original = registered._kind_from_file
    monkeypatch.setattr(registered, "_kind_from_file", lambda p, layer: opened.append(layer) or original(p, layer))
    first = read_layer(path, role="gebouwen")
    assert opened.count("pand") == 1
    read_layer(path, role="gebouwen")
    assert opened.count("pand") == 1
    os.utime(path, ns=(os.stat(path).st_atime_ns, os.stat(path).st_mtime_ns + 1_000_000_000))
    again = read_layer(path, role="gebouwen")
    assert opened.count("pand") == 2
    pd.testing.assert_frame_equal(first.data.to_wkb(), again.data.to_wkb())
