"""Optoppen rules at their boundary values (DOMAIN.md defaults)."""

from __future__ import annotations

import numpy as np
import pytest

from scans import optoppen
from tests.scans.conftest import NAN, assert_case
from tests.scans.factory import flat

CASES = [
    # (overrides, homes, reason prefix)
    ({}, 5, "kandidaat"),
    ({"bouwjaar": 1964.0}, 0, "bouwjaar 1964 buiten 1965–1992"),
    ({"bouwjaar": 1965.0}, 5, "kandidaat"),
    ({"bouwjaar": 1992.0}, 5, "kandidaat"),
    ({"bouwjaar": 1993.0}, 0, "bouwjaar 1993 buiten 1965–1992"),
    ({"bouwjaar": NAN}, 0, "bouwjaar onbekend"),
    ({"status": "Pand gesloopt"}, 0, "status 'Pand gesloopt' (niet in gebruik)"),
    ({"status": "Sloopvergunning verleend"}, 0, "status 'Sloopvergunning verleend' (niet in gebruik)"),
    ({"status": None}, 5, "kandidaat"),
    ({"status": "Pand in gebruik (niet ingemeten)"}, 5, "kandidaat"),
    ({"gebruiksdoel": "kantoorfunctie"}, 0, "geen woonfunctie"),
    ({"aantal_vbo": 3.0}, 0, "aantal verblijfsobjecten 3 kleiner dan 4 (geen meergezinspand)"),
    ({"aantal_vbo": 4.0}, 5, "kandidaat"),
    ({"aantal_vbo": NAN}, 0, "aantal verblijfsobjecten onbekend"),
    ({"gebruiksdoel": "woonfunctie, winkelfunctie"}, 5, "kandidaat"),
    ({"gebruiksdoel": "woonfunctie,kantoorfunctie,winkelfunctie,bijeenkomstfunctie", "aantal_vbo": 4.0}, 0,
     "woonfunctie 25% van de verblijfsobjecten, minder dan 50%"),
    ({"bouwlagen": 2.0}, 0, "bouwlagen 2 buiten 3–5"),
    ({"bouwlagen": 3.0}, 5, "kandidaat"),
    ({"bouwlagen": 5.0}, 5, "kandidaat"),
    ({"bouwlagen": 6.0}, 0, "bouwlagen 6 buiten 3–5"),
    ({"bouwlagen": NAN, "h_dak_70p": 15.0}, 5, "kandidaat"),
    ({"bouwlagen": NAN, "h_dak_70p": 15.1}, 0, "hoogte 15,1 m boven 15 m"),
    ({"bouwlagen": NAN, "h_dak_70p": 7.4}, 0, "bouwlagen ca. 2 (hoogte 7,4 m) buiten 3–5"),
    ({"bouwlagen": NAN, "h_dak_70p": 7.5}, 5, "kandidaat"),
    ({"bouwlagen": NAN, "h_dak_70p": NAN}, 0, "aantal bouwlagen onbekend (geen 3D BAG)"),
    ({"bouwlagen": NAN, "h_maaiveld": NAN}, 0, "aantal bouwlagen onbekend (geen 3D BAG)"),
    ({"dak_type": None}, 0, "daktype onbekend (geen 3D BAG)"),
    ({"dak_type": "slanted"}, 0, "geen plat dak (slanted)"),
    ({"dak_type": "horizontal"}, 5, "kandidaat"),
    ({"dak_type": "multiple horizontal"}, 5, "kandidaat"),
    ({"opp_dak_plat": 149.0}, 0, "plat dakoppervlak 149 m² kleiner dan 150 m²"),
    ({"opp_dak_plat": 150.0}, 1, "kandidaat"),
    ({"opp_dak_plat": 160.0}, 2, "kandidaat"),
    ({"opp_dak_plat": NAN}, 5, "kandidaat"),  # footprint 20 × 20 m = 400 m²
]


@pytest.mark.parametrize("overrides,homes,reason", CASES)
def test_rule(scan, overrides, homes, reason):
    out = scan("optoppen", [flat(**overrides)])
    assert_case(out, "optoppen", homes, reason)


@pytest.mark.parametrize(
    "params,homes,reason",
    [
        (optoppen.Params(extra_lagen=2), 10, "kandidaat"),
        (optoppen.Params(bouwjaar_min=1980), 0, "bouwjaar 1975 buiten 1980–1992"),
        (optoppen.Params(bouwjaar_max=optoppen.GEEN_BOVENGRENS, bouwjaar_min=1980), 0, "bouwjaar 1975 vóór 1980"),
        (optoppen.Params(min_bouwlagen=5), 0, "bouwlagen 4 buiten 5–5"),
        (optoppen.Params(min_dak_m2=10.0, m2_per_woning=500.0), 0, "plat dakoppervlak 400 m² te klein voor een woning van 500 m²"),
    ],
)
def test_params_change_the_rule(scan, params, homes, reason):
    assert_case(scan("optoppen", [flat()], params), "optoppen", homes, reason)


def test_real_bag_without_3d_says_so(scan):
    # BAG-only record: no heights, no roof type, as in the Wippolder sample
    rec = flat(h_maaiveld=NAN, h_dak_70p=NAN, h_dak_max=NAN, dak_type=None, bouwlagen=NAN, opp_dak_plat=NAN)
    out = scan("optoppen", [rec])
    assert out["optoppen_reden"].iloc[0] == "aantal bouwlagen onbekend (geen 3D BAG)"


def test_missing_3d_columns_entirely(scan):
    rec = {k: v for k, v in flat().items() if k not in ("h_maaiveld", "h_dak_70p", "h_dak_max", "dak_type", "bouwlagen", "opp_dak_plat")}
    out = scan("optoppen", [rec])
    assert out["optoppen_reden"].iloc[0] == "aantal bouwlagen onbekend (geen 3D BAG)"
    assert out["optoppen_woningen"].dtype == np.int64
