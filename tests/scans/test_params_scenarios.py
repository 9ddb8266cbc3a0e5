"""Parameters, presets, user scenarios, overrides and scenario comparison."""

from __future__ import annotations

import dataclasses

import pytest

from scans import optoppen
from scans.params import describe, parse_text, replace_from_dict
from scans.registry import SCANS, SECTIONS, get, params_class
from scans.scenarios import (
    PRESETS,
    SECTION_NAMES,
    compare,
    parameter_table,
    resolve_scenario,
    settings_from_dict,
    settings_to_dict,
)


def test_every_parameter_has_label_unit_and_source():
    for section in SECTION_NAMES:
        for info in describe(params_class(section)):
            assert info.label and info.source, (section, info.name)
            assert info.type in {"int", "float", "bool", "str", "list[str]"}


def test_domain_defaults():
    p = optoppen.Params()
    assert (p.bouwjaar_min, p.bouwjaar_max, p.min_dak_m2, p.extra_lagen, p.m2_per_woning, p.netto_bruto) == (1965, 1992, 150.0, 1, 60.0, 0.75)
    info = {i.name: i for i in describe(optoppen.Params)}
    assert info["bouwjaar_min"].source == "Stec/Zuid-Holland 2023"
    assert info["min_dak_m2"].unit == "m²"


@pytest.mark.parametrize(
    "values,message",
    [
        ({"bouwjaar_min": "1960"}, "parameter optoppen.bouwjaar_min: verwacht een geheel getal"),
        ({"bouwjaar_min": True}, "verwacht een geheel getal"),
        ({"min_dak_m2": "veel"}, "verwacht een getal"),
        ({"onbekend": 1}, "onbekende parameter optoppen.onbekend"),
        ({"netto_bruto": 1.5}, "groter dan het maximum"),
        ({"dak_typen_plat": [1, 2]}, "verwacht een lijst met tekst"),
    ],
)
def test_replace_from_dict_checks_types(values, message):
    with pytest.raises(ValueError, match=message):
        replace_from_dict(optoppen.Params(), values, section="optoppen")


def test_replace_from_dict_accepts_int_for_float_and_list_for_tuple():
    p = replace_from_dict(optoppen.Params(), {"min_dak_m2": 100, "dak_typen_plat": ["horizontal"]})
    assert p.min_dak_m2 == 100.0 and isinstance(p.min_dak_m2, float)
    assert p.dak_typen_plat == ("horizontal",)


def test_parse_text():
    assert parse_text(optoppen.Params, "bouwjaar_min", "1960") == 1960
    assert parse_text(optoppen.Params, "min_dak_m2", "120,5") == 120.5
    assert parse_text(optoppen.Params, "dak_typen_plat", "horizontal, single horizontal") == ("horizontal", "single horizontal")
    from scans.constraints import ConstraintParams

    assert parse_text(ConstraintParams, "netbewust", "ja") is True
    with pytest.raises(ValueError, match="geen geldige waarde"):
        parse_text(optoppen.Params, "bouwjaar_min", "negentienzestig")


def test_registry():
    assert list(SCANS) == ["optoppen", "splitsen", "transformatie", "boerenerf"]
    assert set(SECTIONS) == {"beperkingen", "algemeen"}
    with pytest.raises(ValueError, match="onbekende scan 'x'"):
        get("x")


def test_presets():
    assert set(PRESETS) == {"standaard", "optimistisch", "pessimistisch"}
    opt, pes = PRESETS["optimistisch"], PRESETS["pessimistisch"]
    assert opt.optoppen.extra_lagen == 2 and "winkelfunctie" in opt.transformatie.functies
    assert opt.boerenerf.max_woningen_per_erf == 6
    assert pes.optoppen.min_bouwlagen == 4 and pes.optoppen.bouwjaar_min == 1965
    assert pes.beperkingen.uitsluiten_congestie_code_3


def test_settings_roundtrip_has_every_parameter():
    for name, settings in PRESETS.items():
        data = settings_to_dict(settings)
        assert data["base"] == name
        for section in SECTION_NAMES:
            assert set(data[section]) == {f.name for f in dataclasses.fields(params_class(section))}
        back = settings_from_dict(data, naam=name)
        for section in SECTION_NAMES:
            assert back.section(section) == settings.section(section)


def test_user_scenario_and_overrides():
    scenarios = {
        "mijn": {"base": "optimistisch", "optoppen": {"bouwjaar_min": 1960}},
        "afgeleid": {"base": "mijn", "splitsen": {"max_extra": 3}},
    }
    s = resolve_scenario(scenarios, "mijn")
    assert (s.optoppen.bouwjaar_min, s.optoppen.extra_lagen, s.naam, s.basis) == (1960, 2, "mijn", "optimistisch")
    s = resolve_scenario(scenarios, "afgeleid", ["optoppen.extra_lagen=1", "beperkingen.netbewust=nee"])
    assert (s.optoppen.bouwjaar_min, s.optoppen.extra_lagen, s.splitsen.max_extra, s.beperkingen.netbewust) == (1960, 1, 3, False)
    assert resolve_scenario(None).naam == "standaard"


@pytest.mark.parametrize(
    "scenarios,name,overrides,message",
    [
        ({}, "bestaatniet", [], "onbekend scenario 'bestaatniet'"),
        ({}, None, ["optoppen.bouwjaar_min"], "gebruik scan.parameter=waarde"),
        ({}, None, ["dakscan.x=1"], "onbekende scan of sectie 'dakscan'"),
        ({}, None, ["optoppen.dak=1"], "onbekende parameter optoppen.dak"),
        ({}, None, ["optoppen.bouwjaar_min=abc"], "optoppen.bouwjaar_min: 'abc' is geen geldige waarde van type int"),
        ({"x": {"base": "nergens"}}, "x", [], "onbekende basis 'nergens'"),
        ({"x": {"dakscan": {}}}, "x", [], "onbekende scan of sectie 'dakscan'"),
        ({"x": {"optoppen": {"bouwjaar_min": "1960"}}}, "x", [], "verwacht een geheel getal"),
        ({"x": {"base": "y"}, "y": {"base": "x"}}, "x", [], "onbekende basis"),
    ],
)
def test_scenario_errors(scenarios, name, overrides, message):
    with pytest.raises(ValueError, match=message):
        resolve_scenario(scenarios, name, overrides)


def test_parameter_table():
    table = parameter_table(PRESETS["pessimistisch"])
    row = table[(table.sectie == "optoppen") & (table.parameter == "min_bouwlagen")].iloc[0]
    assert (row.waarde, row.standaard, row.scenario) == ("4", "3", "pessimistisch")
    assert set(table.columns) >= {"sectie", "parameter", "waarde", "eenheid", "label", "bron"}


def test_compare(town):
    from scans.pipeline import run_potentiescan

    inputs, _ = town
    a = run_potentiescan(inputs, PRESETS["standaard"])
    b = run_potentiescan(inputs, PRESETS["optimistisch"])
    diff = compare(a, b, labels=("standaard", "optimistisch"))
    assert list(diff["gebied_code"]) == sorted(a.gebieden["gebied_code"])
    assert (diff["totaal_woningen_verschil"] == diff["totaal_woningen_optimistisch"] - diff["totaal_woningen_standaard"]).all()
    assert diff["totaal_woningen_verschil"].sum() == b.totals["totaal"] - a.totals["totaal"]
