"""The real samples in ../shared/realdata (skipped when absent)."""

import json

import pytest

from gisapp.cli import main
from layers.readers import read_layer

pytestmark = pytest.mark.realdata

BAG = "bag-delft-wippolder/wippolder_bag_pand.gpkg"
CBS = "cbs-wijken/alkmaar_wijken.geojson"


def test_real_bag(realdata):
    layer = read_layer(realdata / BAG)
    assert layer.role == "gebouwen" and len(layer.data) == 60
    assert layer.data["pand_id"].str.fullmatch(r"\d{16}").all()
    assert "0503100000000296" in set(layer.data["pand_id"])
    assert layer.data["bouwjaar"].dropna().between(1900, 2030).all()


def test_real_cbs_camelcase_wgs84(realdata):
    layer = read_layer(realdata / CBS)
    assert layer.role == "gebieden" and layer.data.crs.to_epsg() == 28992
    assert layer.report.counts["reprojected"] == 1
    # wijkCode may already be renamed by a source-specific reader (layers/sources/cbs.py)
    assert layer.column_report.found["gebied_code"] in ("wijkCode", "gebied_code")
    assert layer.column_report.found["aantal_inwoners"] == "aantalInwoners"
    assert layer.data["gebied_code"].str.startswith("WK0361").all()
    assert (layer.data["aantal_inwoners"] > 0).all()


@pytest.mark.parametrize("sample", [BAG, CBS])
def test_real_info(realdata, sample, capsys):
    assert main(["info", str(realdata / sample), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["role"] in ("gebouwen", "gebieden") and data["count"] > 0
    assert data["reprojected"] == (sample == CBS)


def test_real_cbs_columns_map_directly(realdata):
    import pyogrio

    from layers.roles import map_columns

    frame = pyogrio.read_dataframe(realdata / CBS)
    out, report = map_columns(frame, "gebieden")
    assert report.found["gebied_code"] == "wijkCode" and report.found["aantal_inwoners"] == "aantalInwoners"
    assert out["gebied_code"].iloc[0].startswith("WK0361")
