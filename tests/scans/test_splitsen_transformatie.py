"""Splitsen and transformatie rules at their boundary values, with and without a vbo layer."""

from __future__ import annotations

import pytest
from shapely.geometry import Point

from scans import splitsen, transformatie
from tests.scans.conftest import NAN, assert_case
from tests.scans.factory import X0, Y0, flat, vbo


def house(gbo, **kw):
    rec = flat(aantal_vbo=1.0, oppervlakte_min=gbo, oppervlakte_max=gbo)
    rec.update(kw)
    return rec


def office(gbo, **kw):
    rec = flat(gebruiksdoel="kantoorfunctie", aantal_vbo=1.0, oppervlakte_min=gbo, oppervlakte_max=gbo)
    rec.update(kw)
    return rec


SPLITSEN = [
    (house(149.0), None, 0, "GBO 149 m² kleiner dan 150 m²"),
    (house(150.0), None, 1, "kandidaat"),
    (house(224.0), splitsen.Params(max_extra=2), 1, "kandidaat"),
    (house(225.0), splitsen.Params(max_extra=2), 2, "kandidaat"),
    (house(400.0), None, 1, "kandidaat"),  # max_extra = 1
    (house(140.0), splitsen.Params(min_gbo_m2=100.0), 0, "GBO 140 m² te klein voor woningen van 75 m²"),
    (house(NAN), None, 0, "oppervlakte (GBO) onbekend"),
    (house(200.0, aantal_vbo=2.0), None, 0, "2 woningen in het pand (alleen panden met één woning)"),
    (house(200.0, gebruiksdoel="winkelfunctie"), None, 0, "geen woonfunctie"),
    (house(200.0, status="Pand gesloopt"), None, 0, "status 'Pand gesloopt'"),
    (house(200.0, aantal_vbo=NAN), None, 0, "aantal woningen onbekend"),
]


@pytest.mark.parametrize("record,params,homes,reason", SPLITSEN)
def test_splitsen(scan, record, params, homes, reason):
    assert_case(scan("splitsen", [record], params), "splitsen", homes, reason)


TRANSFORMATIE = [
    (office(69.0), None, 0, "GBO 69 m² kleiner dan 70 m² per woning"),
    (office(70.0), None, 1, "kandidaat"),
    (office(139.0), None, 1, "kandidaat"),
    (office(140.0), None, 2, "kandidaat"),
    (office(140.0, gebruiksdoel="kantoorfunctie, woonfunctie", aantal_vbo=3.0), None, 0, "pand heeft woonfunctie"),
    (office(140.0, gebruiksdoel="winkelfunctie"), None, 0, "geen kantoorfunctie"),
    (office(140.0, gebruiksdoel="winkelfunctie"), transformatie.Params(functies=("kantoorfunctie", "winkelfunctie")), 2, "kandidaat"),
    (office(140.0), transformatie.Params(m2_per_woning=53.0), 2, "kandidaat"),
    (office(140.0), transformatie.Params(m2_per_woning=85.0), 1, "kandidaat"),
    # a vacant office is a candidate (DOMAIN.md: prefer vacant), not excluded as "niet in gebruik"
    (office(140.0, status="Pand buiten gebruik"), None, 2, "kandidaat"),
    (office(NAN), None, 0, "oppervlakte (GBO) onbekend"),
]


@pytest.mark.parametrize("record,params,homes,reason", TRANSFORMATIE)
def test_transformatie(scan, record, params, homes, reason):
    assert_case(scan("transformatie", [record], params), "transformatie", homes, reason)


def _vbo_rows(pand_id, rows):
    return [(f"v{pand_id}{i}", pand_id, doel, opp, status, Point(X0 + 10, Y0 + 10)) for i, (doel, opp, status) in enumerate(rows)]


IN = "Verblijfsobject in gebruik"
OUT = "Verblijfsobject buiten gebruik"


@pytest.mark.parametrize(
    "rows,params,homes,reason",
    [
        ([("kantoorfunctie", 70.0, IN), ("kantoorfunctie", 70.0, IN)], None, 2, "kandidaat"),  # GBO pooled per pand
        ([("kantoorfunctie", 70.0, IN), ("kantoorfunctie", 70.0, OUT)], transformatie.Params(alleen_leegstand=True), 1, "kandidaat"),
        ([("kantoorfunctie", 70.0, IN)], transformatie.Params(alleen_leegstand=True), 0, "geen leegstaande kantoorfunctie"),
        # a multi-function vbo is never counted twice
        ([("kantoorfunctie, winkelfunctie", 140.0, IN)], transformatie.Params(functies=("kantoorfunctie", "winkelfunctie")), 2, "kandidaat"),
        ([("kantoorfunctie, winkelfunctie", 140.0, IN)], None, 1, "kandidaat"),
        ([("kantoorfunctie", 140.0, IN), ("woonfunctie", 80.0, IN)], None, 0, "pand heeft woonfunctie"),
        ([("kantoorfunctie", 140.0, "Verblijfsobject ingetrokken")], None, 0, "geen verblijfsobjecten in het pand"),
    ],
)
def test_transformatie_from_vbo_layer(scan, rows, params, homes, reason):
    record = office(999.0, pand_id="0000000000000777")  # pand attributes are ignored when a vbo layer exists
    layer = vbo(_vbo_rows("0000000000000777", rows))
    assert_case(scan("transformatie", [record], params, verblijfsobjecten=layer), "transformatie", homes, reason)


@pytest.mark.parametrize(
    "rows,homes,reason",
    [
        ([("woonfunctie", 150.0, IN)], 1, "kandidaat"),
        ([("woonfunctie", 149.0, IN)], 0, "GBO 149 m² kleiner dan 150 m²"),
        ([("woonfunctie", 150.0, IN), ("woonfunctie", 150.0, IN)], 0, "2 woningen in het pand"),
        ([("woonfunctie", 150.0, IN), ("woonfunctie", 150.0, "Niet gerealiseerd verblijfsobject")], 1, "kandidaat"),
        ([("woonfunctie", NAN, IN)], 0, "oppervlakte (GBO) onbekend"),
    ],
)
def test_splitsen_from_vbo_layer(scan, rows, homes, reason):
    record = house(999.0, pand_id="0000000000000777", aantal_vbo=9.0)
    layer = vbo(_vbo_rows("0000000000000777", rows))
    assert_case(scan("splitsen", [record], None, verblijfsobjecten=layer), "splitsen", homes, reason)


def test_vbo_linked_by_location_when_id_missing(scan):
    record = house(999.0, pand_id="0000000000000777", aantal_vbo=9.0)
    layer = vbo([("v1", None, "woonfunctie", 200.0, IN, Point(X0 + 5, Y0 + 5)),
                 ("v2", "0000000000000999", "woonfunctie", 200.0, IN, Point(X0 + 500, Y0 + 500))])  # unknown id, elsewhere
    out = scan("splitsen", [record], None, verblijfsobjecten=layer)
    assert_case(out, "splitsen", 1, "kandidaat")
