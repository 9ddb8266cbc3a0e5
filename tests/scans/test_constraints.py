"""Constraints change the numbers as DOMAIN.md says."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from scans.constraints import ConstraintParams, congestion_codes
from scans.inputs import ScanInputs
from scans.pipeline import run_potentiescan
from scans.scenarios import PRESETS
from tests.scans.factory import X0, Y0, buildings, flat, polygons, raster

ZONE = box(X0 - 10, Y0 - 10, X0 + 30, Y0 + 30)  # covers building 0 (an optop candidate, 5 homes)


def settings(**beperkingen):
    base = PRESETS["standaard"]
    return base.with_section("beperkingen", ConstraintParams(**beperkingen))


def result(s=None, records=None, **layers):
    g = buildings(records or [flat()])
    return run_potentiescan(ScanInputs(gebouwen=g, **layers), s).gebouwen.iloc[0]


def wb(klasse, **extra):
    return polygons([dict(klasse=klasse, thema="waterveiligheid", bron="waterschap", mits_toelichting="ophogen", **extra)], [ZONE])


def test_no_constraints():
    # no constraint layer at all: unknown (empty), never "ja", "geen informatie" (-1) or "not in NPLV"
    row = result()
    assert (row.optoppen_woningen, row.mitsen) == (5, "")
    assert pd.isna(row.water_bodem) and pd.isna(row.netcongestie) and pd.isna(row.nplv)


def test_present_layers_outside_their_zones():
    # a layer that is there but has no zone at the building: its values say so
    far = box(X0 + 5000, Y0 + 5000, X0 + 5010, Y0 + 5010)
    row = result(water_bodem=polygons([dict(klasse="nee_tenzij")], [far]),
                 netcongestie=polygons([dict(status_afname=3)], [far]), nplv=polygons([dict(focusgebied="X")], [far]))
    assert (row.water_bodem, row.netcongestie, row.nplv) == ("ja", -1, False)


@pytest.mark.parametrize(
    "klasse,homes,klass,ernst",
    [("ja", 5, "ja", ""), ("ja_mits", 5, "ja_mits", ""), ("ja-mits", 5, "ja_mits", ""), ("nee_tenzij", 0, "nee_tenzij", ""),
     ("0", 5, "ja", ""), ("A", 5, "ja_mits", "A"), ("C", 5, "ja_mits", "C"), ("D", 0, "nee_tenzij", "")],
)
def test_water_bodem_polygon_classes(klasse, homes, klass, ernst):
    row = result(water_bodem=wb(klasse))
    assert (row.optoppen_woningen, row.water_bodem, row.water_bodem_ernst) == (homes, klass, ernst)
    assert row.totaal_woningen == homes
    if klass == "nee_tenzij":
        assert row.optoppen_reden == "uitgesloten: water en bodem nee-tenzij (waterveiligheid [bron waterschap])"
        assert row.uitgesloten_nee_tenzij == 5
    if klass == "ja_mits":
        assert row.mitsen.startswith("waterveiligheid: ophogen")
        assert row.optoppen_reden == "kandidaat"


def test_nee_tenzij_can_be_counted():
    row = result(settings(uitsluiten_nee_tenzij=False), water_bodem=wb("nee_tenzij"))
    assert (row.optoppen_woningen, row.water_bodem, row.uitgesloten_nee_tenzij) == (5, "nee_tenzij", 0)


def test_worst_class_wins_and_letters_keep_the_worst():
    zones = polygons(
        [dict(klasse="A", thema="bodemdaling"), dict(klasse="C", thema="wateroverlast"), dict(klasse="ja", thema="drinkwater")],
        [ZONE, ZONE, ZONE],
    )
    row = result(water_bodem=zones)
    assert (row.water_bodem, row.water_bodem_ernst) == ("ja_mits", "C")
    assert row.mitsen == "bodemdaling (klasse A); wateroverlast (klasse C)"
    zones = polygons([dict(klasse="A"), dict(klasse="D")], [ZONE, ZONE])
    assert result(water_bodem=zones).water_bodem == "nee_tenzij"


def test_unknown_class_is_an_error():
    with pytest.raises(ValueError, match="onbekende klasse 'misschien'"):
        result(water_bodem=wb("misschien"))


@pytest.mark.parametrize(
    "role,value,klass",
    [("bodemdaling", 9.9, "ja"), ("bodemdaling", 10.0, "ja_mits"), ("bodemdaling", 40.0, "ja_mits"), ("bodemdaling", 40.1, "nee_tenzij"),
     ("overstromingsdiepte", 0.49, "ja"), ("overstromingsdiepte", 0.5, "ja_mits"), ("overstromingsdiepte", 2.0, "ja_mits"),
     ("overstromingsdiepte", 2.01, "nee_tenzij"), ("kwel", 0.99, "ja"), ("kwel", 1.0, "ja_mits"), ("bodemdaling", np.nan, None)],
)
def test_raster_thresholds(role, value, klass):
    grid = raster(lambda xs, ys: np.full(xs.shape, value), role)
    row = result(rasters={role: grid})
    # a raster without a value at the building says nothing: empty, not "ja"
    assert (row.water_bodem == klass) if klass is not None else pd.isna(row.water_bodem)
    assert row.optoppen_woningen == (0 if klass == "nee_tenzij" else 5)
    if klass == "ja_mits":
        assert row.mitsen.startswith(role)
    if klass == "nee_tenzij":
        assert row.optoppen_reden.startswith(f"uitgesloten: water en bodem nee-tenzij ({role} ")


def test_raster_and_polygon_combine():
    grid = raster(lambda xs, ys: np.full(xs.shape, 45.0), "bodemdaling")
    row = result(water_bodem=wb("ja_mits"), rasters={"bodemdaling": grid})
    assert row.water_bodem == "nee_tenzij"
    assert "bodemdaling 45 cm (> 40 cm)" in row.nee_tenzij_zone


def test_netcongestie_max_of_zones_and_exclusion():
    zones = polygons([dict(status_afname=1), dict(status_afname=3), dict(status_afname=2)], [ZONE, ZONE, box(0, 0, 1, 1)])
    row = result(netcongestie=zones)
    assert (row.netcongestie, row.optoppen_woningen) == (3, 5)
    row = result(settings(uitsluiten_congestie_code_3=True), netcongestie=zones)
    assert (row.optoppen_woningen, row.optoppen_reden, row.uitgesloten_congestie) == (0, "uitgesloten: netcongestie code 3 (tekort)", 5)


def test_congestion_colour_names():
    import pandas as pd

    codes = congestion_codes(pd.Series(["rood", "Oranje", "geel", None, "2", 0, "onbekend"], dtype=object))
    assert codes.tolist() == [3, 2, 1, -1, 2, 0, -1]


@pytest.mark.parametrize("netbewust,kw", [(False, 10.0), (True, 8.0)])
def test_netimpact(netbewust, kw):
    assert result(settings(netbewust=netbewust)).netimpact_kw == pytest.approx(kw)


def test_nplv_flag_and_stimulus():
    area = polygons([dict(focusgebied="Delft West", gemeente="Delft")], [ZONE])
    row = result(nplv=area)
    assert (bool(row.nplv), row.nplv_focusgebied) == (True, "Delft West")
    assert row.optoppen_woningen == 5  # a flag, not a multiplier
    assert row.realisatiestimulans_eur == pytest.approx(5 * 2 / 3 * 7000 + 5 * 12000, abs=0.01)
    assert result().realisatiestimulans_eur == pytest.approx(5 * 2 / 3 * 7000, abs=0.01)
