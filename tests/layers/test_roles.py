import numpy as np
import pandas as pd
import pytest

from layers.messages import LoadReport
from layers.roles import ROLES, guess_role, map_columns, normalise_pand_id


def test_every_domain_role_has_a_schema():
    expected = {"gebouwen", "verblijfsobjecten", "gebieden", "netcongestie", "water_bodem", "bodemdaling",
                "overstromingsdiepte", "kwel", "nplv", "erven", "portefeuille", "locaties", "monumenten"}
    assert set(ROLES) == expected


@pytest.mark.parametrize(
    "value", ["NL.IMBAG.Pand.0503100000000296", "0503100000000296", "503100000000296", 503100000000296, 503100000000296.0]
)
def test_normalise_pand_id(value):
    assert normalise_pand_id(pd.Series([value])).iloc[0] == "0503100000000296"


def test_normalise_pand_id_invalid_is_missing():
    ids = normalise_pand_id(pd.Series(["geen id", None, "12345678901234567"]))
    assert ids.isna().all()


def test_bag_mapping_with_sentinels(bag_frame):
    report = LoadReport()
    out, cols = map_columns(bag_frame, "gebouwen", report=report)
    assert list(out["pand_id"]) == ["0503100000000296", "0503100000000297", "0503100000000298"]
    assert out["bouwjaar"].iloc[0] == 1970 and out["bouwjaar"].iloc[1:].isna().all()
    assert cols.found["bouwjaar"] == "oorspronkelijkbouwjaar"
    assert cols.found["aantal_vbo"] == "aantal_verblijfsobjecten"
    assert cols.sentinel_counts == {"bouwjaar": 2}
    assert report.counts["sentinels"] == 2
    assert "h_dak_70p" in cols.missing_optional and not cols.missing_required
    assert "h_dak_70p" in out.columns  # every canonical column exists
    assert out.crs.to_epsg() == 28992


def test_bouwjaar_onbekend_text():
    out, cols = map_columns(pd.DataFrame({"bouwjaar": ["1980", "onbekend", None]}), "gebouwen")
    assert out["bouwjaar"].iloc[0] == 1980 and np.isnan(out["bouwjaar"].iloc[1])
    assert cols.sentinel_counts["bouwjaar"] == 1


@pytest.mark.parametrize("prefix", ["b3_", ""])
def test_3dbag_with_and_without_prefix(prefix):
    df = pd.DataFrame({
        "identificatie": ["NL.IMBAG.Pand.0363100012345678"],
        f"{prefix}h_maaiveld": [1.5], f"{prefix}h_dak_70p": [13.5], f"{prefix}h_dak_max": [15.0],
        f"{prefix}dak_type": ["single horizontal"], f"{prefix}bouwlagen": [4],
        f"{prefix}opp_dak_plat": ["250,5"], f"{prefix}kas_warenhuis": ["false"],
    })
    out, cols = map_columns(df, "gebouwen")
    assert out["h_dak_70p"].iloc[0] - out["h_maaiveld"].iloc[0] == 12.0
    assert out["opp_dak_plat"].iloc[0] == 250.5
    assert out["bouwlagen"].iloc[0] == 4 and out["dak_type"].iloc[0] == "single horizontal"
    assert not out["kas_warenhuis"].iloc[0]
    assert cols.missing_required == ["bouwjaar"]


@pytest.mark.parametrize(
    "columns",
    [
        {"buurtcode": "BU03630001", "buurtnaam": "A", "woningvoorraad": -99997, "aantal_inwoners": 120},
        {"buurtCode": "BU03630001", "buurtNaam": "A", "woningvoorraad": -99999999, "aantalInwoners": 120},
        {"BU_CODE": "BU03630001", "BU_NAAM": "A", "WONINGVOORRAAD": -99999, "AANT_INW": 120},
    ],
)
def test_cbs_snake_camel_and_capitals(columns):
    out, cols = map_columns(pd.DataFrame([columns]), "gebieden")
    assert out["gebied_code"].iloc[0] == "BU03630001"
    assert out["gebied_naam"].iloc[0] == "A"
    assert np.isnan(out["woningvoorraad"].iloc[0])
    assert out["aantal_inwoners"].iloc[0] == 120
    assert cols.sentinel_counts == {"woningvoorraad": 1}


def test_buurtcode_preferred_over_wijk_and_gemeente():
    df = pd.DataFrame({"gemeentecode": ["GM0363"], "wijkcode": ["WK036300"], "buurtcode": ["BU03630001"]})
    out, cols = map_columns(df, "gebieden")
    assert cols.found["gebied_code"] == "buurtcode"
    assert "wijkcode" in out.columns  # other columns kept


def test_user_mapping_wins_and_bad_mapping_is_named():
    df = pd.DataFrame({"bj": [1970], "bouwjaar": [2000], "identificatie": ["1"]})
    out, cols = map_columns(df, "gebouwen", {"bouwjaar": "bj"})
    assert out["bouwjaar"].iloc[0] == 1970 and cols.found["bouwjaar"] == "bj"
    assert out["bouwjaar_bron"].iloc[0] == 2000
    with pytest.raises(ValueError, match="'jaar'"):
        map_columns(df, "gebouwen", {"bouwjaar": "jaar"})


def test_netcongestie_codes_and_colours():
    df = pd.DataFrame({"afname": ["geel", "oranje", "rood", "2", None, "paars", -1, "groen"]})
    out, cols = map_columns(df, "netcongestie")
    assert list(out["status_afname"]) == [1, 2, 3, 2, -1, -1, -1, 0]
    assert out["status_afname"].dtype == np.int64
    assert cols.sentinel_counts == {"status_afname": 1}


def test_water_bodem_classes():
    df = pd.DataFrame({"klasse": ["ja", "Ja mits", "nee-tenzij", "0", "A", "C", "D", "x"], "thema": "bodemdaling"})
    report = LoadReport()
    out, cols = map_columns(df, "water_bodem", report=report)
    assert list(out["klasse"].iloc[:7]) == ["ja", "ja_mits", "nee_tenzij", "ja", "ja_mits", "ja_mits", "nee_tenzij"]
    assert list(out["klasse_ernst"].iloc[3:7]) == ["0", "A", "C", "D"]
    assert pd.isna(out["klasse"].iloc[7]) and cols.sentinel_counts["klasse"] == 1
    assert report.warnings


def test_portefeuille_needs_pand_or_vbo():
    _, cols = map_columns(pd.DataFrame({"complex": ["C1"]}), "portefeuille")
    assert set(cols.missing_required) == {"pand_id", "vbo_id"}
    out, cols = map_columns(pd.DataFrame({"pandidentificatie": [503100000000296], "complexnummer": [7]}), "portefeuille")
    assert not cols.missing_required and out["pand_id"].iloc[0] == "0503100000000296"


def test_locaties_percentages():
    df = pd.DataFrame({"naam": ["A", "B"], "woningen": [250, 80], "betaalbaar_aandeel": [66, 40], "planstatus": ["Hard", "zacht"]})
    out, _ = map_columns(df, "locaties")
    assert list(out["betaalbaar_aandeel"]) == [0.66, 0.40]
    assert list(out["planstatus"]) == ["hard", "zacht"]


def test_guess_role():
    assert guess_role(["identificatie", "bouwjaar", "status", "gebruiksdoel"], "polygon") == "gebouwen"
    assert guess_role(["identificatie", "pandidentificatie", "oppervlakte", "gebruiksdoel"], "point") == "verblijfsobjecten"
    assert guess_role(["wijkCode", "wijkNaam", "aantalInwoners"], "polygon") == "gebieden"
    assert guess_role(["klasse", "thema"], "polygon") == "water_bodem"
    assert guess_role(["pand_id", "complex"], "table") == "portefeuille"
    assert guess_role(["foo", "bar"], "polygon") is None
    assert guess_role(["identificatie", "bouwjaar"], "line") is None


def test_map_columns_vectorised_on_many_rows():
    n = 20000
    df = pd.DataFrame({"identificatie": np.arange(n) + 503100000000000, "bouwjaar": np.full(n, 1970)})
    out, _ = map_columns(df, "gebouwen")
    assert out["pand_id"].str.len().eq(16).all()
