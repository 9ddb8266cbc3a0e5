"""OGC API Features client against a real local pygeoapi server (127.0.0.1, no internet)."""

from __future__ import annotations

import pytest

from layers.errors import DataError
from layers.messages import LoadReport
from layers.sources import ogcapi
from layers.sources.registered import OgcApiReader
from layers.feedback import CancelledError, RecordingFeedback
from tests.sources.conftest import N_BUURTEN


def test_list_collections(ogc_server):
    collections = {c.id: c for c in ogcapi.list_collections(ogc_server)}
    assert set(collections) == {"buurten", "panden_wgs84"}
    assert collections["buurten"].supports_rd
    assert not collections["panden_wgs84"].supports_rd
    assert collections["buurten"].title == "Buurten"


def test_pages_through_items_in_rd(ogc_server):
    feedback = RecordingFeedback()
    report = LoadReport("ogc")
    gdf = ogcapi.read_collection(ogc_server, "buurten", limit=4, feedback=feedback, report=report)
    assert len(gdf) == N_BUURTEN
    assert gdf.crs.to_epsg() == 28992
    assert gdf.total_bounds.tolist() == pytest.approx([110000, 515000, 110000 + (N_BUURTEN - 1) * 100 + 90, 515090])
    assert gdf["buurtcode"].is_unique
    assert len(feedback.steps) == 7  # 25 items in pages of 4
    assert feedback.steps[-1][0] == pytest.approx(1.0)
    assert [s[0] for s in feedback.steps] == sorted(s[0] for s in feedback.steps)
    assert any("7 pagina" in m.text for m in report.messages)


def test_bbox_in_rd(ogc_server):
    gdf = ogcapi.read_collection(f"{ogc_server}/collections/buurten", bbox=(110000, 515000, 110350, 515100), limit=2)
    assert sorted(gdf["buurtcode"]) == ["BU03610000", "BU03610001", "BU03610002", "BU03610003"]


def test_max_features(ogc_server):
    gdf = ogcapi.read_collection(ogc_server, "buurten", limit=4, max_features=6)
    assert len(gdf) == 6


def test_cancel_between_pages(ogc_server):
    feedback = RecordingFeedback(cancel_after=2)
    with pytest.raises(CancelledError):
        ogcapi.read_collection(ogc_server, "buurten", limit=4, feedback=feedback)
    assert len(feedback.steps) == 2


def test_server_without_rd_is_reprojected(ogc_server):
    report = LoadReport("ogc")
    gdf = ogcapi.read_collection(ogc_server, "panden_wgs84", bbox=(109990, 514990, 110035, 515020), report=report)
    assert gdf.crs.to_epsg() == 28992
    assert sorted(gdf["identificatie"]) == ["0361100000000001", "0361100000000002"]
    assert gdf.total_bounds.tolist() == pytest.approx([110000, 515000, 110030, 515010], abs=0.01)
    assert any("CRS84" in m.text for m in report.messages)


def test_reader_applies_source_rules(ogc_server):
    reader = OgcApiReader()
    assert reader.can_read(ogc_server)
    assert set(reader.list_layers(ogc_server)) == {"buurten", "panden_wgs84"}
    raw = reader.read(ogc_server, "buurten", {"limit": 10})
    assert raw.frame["gebied_niveau"].eq("buurt").all()
    assert raw.frame["aantal_inwoners"].isna().sum() == 1  # the sentinel −99997
    panden = reader.read(f"{ogc_server}/collections/panden_wgs84", None, {})
    assert panden.frame["identificatie"].tolist() == ["0361100000000001", "0361100000000002"]  # gesloopt left out
    assert panden.frame["bouwjaar"].isna().tolist() == [False, True]


def test_unknown_collection_and_bad_server(ogc_server):
    with pytest.raises(DataError, match="bestaat niet"):
        ogcapi.read_collection(ogc_server, "bestaat_niet")
    with pytest.raises(DataError, match="niet bereikbaar"):
        ogcapi.list_collections("http://127.0.0.1:9/", timeout=2)


def test_split_url():
    assert ogcapi.split_url("https://api.pdok.nl/cbs/wijken-en-buurten-2023/ogc/v1/collections/buurten/items?f=json") == (
        "https://api.pdok.nl/cbs/wijken-en-buurten-2023/ogc/v1", "buurten")
    assert ogcapi.split_url("https://api.pdok.nl/lv/bag/ogc/v1/") == ("https://api.pdok.nl/lv/bag/ogc/v1", None)
    with pytest.raises(ValueError):
        ogcapi.split_url("ftp://example")
