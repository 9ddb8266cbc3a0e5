"""Numbers and names: one formatter per language, a label for every output and input column, QGIS aliases."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import styles
from styles.field_labels import FIELDS, SCAN_NAMES, field_label, field_unit, format_field
from styles.legend import legend_entries
from styles.numbers import format_number, localise_numbers, parse_number
from styles.qml import qml_aliases, to_qml


@pytest.mark.parametrize(
    ("value", "decimals", "unit", "nl", "en"),
    [
        (1234.5, 1, None, "1.234,5", "1,234.5"),
        (1234567.891, 2, None, "1.234.567,89", "1,234,567.89"),
        (60.94, 2, "cm", "60,94 cm", "60.94 cm"),
        (0.5, 2, "fractie", "0,50 fractie", "0.50 fractie"),
        (3, None, "m", "3 m", "3 m"),
        (3584, None, None, "3.584", "3,584"),
        (22.333, None, None, "22,33", "22.33"),
        (7000, 0, "€", "€ 7.000", "€ 7,000"),
        (12.5, 1, "%", "12,5%", "12.5%"),
        (4, 0, "woningen", "4 woningen", "4 homes"),
        (-1500.25, 1, None, "-1.500,2", "-1,500.2"),
        (-0.001, 1, None, "0,0", "0.0"),
        (np.int64(2738), None, None, "2.738", "2,738"),
        (np.float32(2.5), 1, None, "2,5", "2.5"),
        (True, None, None, "1", "1"),
    ],
)
def test_format_number_per_language(value, decimals, unit, nl, en):
    assert format_number(value, decimals, "nl", unit) == nl
    assert format_number(value, decimals, "en", unit) == en
    assert parse_number(format_number(value, decimals, "en"), "en") == pytest.approx(parse_number(format_number(value, decimals), "nl"))


@pytest.mark.parametrize("missing", [None, float("nan"), np.nan, pd.NA, math.inf])
def test_unknown_is_not_zero(missing):
    assert format_number(missing) == "onbekend"
    assert format_number(missing, locale="en") == "unknown"


def test_years_and_codes_have_no_thousands_separator():
    assert format_number(1970, grouping=False) == "1970"
    assert format_field("bouwjaar", 1970.0) == "1970"
    assert format_field("pand_id", 503100000000296) == "503100000000296"
    assert format_field("eigen_code", 12345) == "12345"  # an unknown code column of the user's own
    assert format_field("eigen_getal", 12345) == "12.345"
    assert format_field("bodemdaling", 27.38) == "27,4 cm"
    assert format_field("bodemdaling", 27.38, "en", unit=False) == "27.4"
    assert format_field("nplv", np.True_) == "ja" and format_field("nplv", False, "en") == "no"
    assert format_field("optoppen_reden", "kandidaat") == "kandidaat"
    assert format_field("totaal_woningen", None) == "onbekend"


def test_invalid_input_is_a_clear_error():
    with pytest.raises(ValueError, match="taal"):
        format_number(1, locale="de")
    with pytest.raises(ValueError, match="geen getal"):
        format_number("abc")


def test_stored_dutch_labels_are_rewritten_for_english():
    assert localise_numbers("1.000 – 2.500,5", "en") == "1,000 – 2,500.5"
    assert localise_numbers("geen extra woningen", "en") == "geen extra woningen"
    assert localise_numbers("1.000 – 2.500,5", "nl") == "1.000 – 2.500,5"


DOMAIN_OUTPUTS = (
    # gebouwen_potentie
    "pand_id", "gebied_code", "totaal_woningen", "water_bodem", "mitsen", "netcongestie", "nplv",
    # gebieden_potentie
    "gebied_naam", "woningvoorraad", "transformatie_realistisch", "pct_van_voorraad", "woningen_ja_mits",
    "woningen_uitgesloten_nee_tenzij", "woningen_in_congestie", "netimpact_kw", "woningen_nplv",
    "realisatiestimulans_eur", "monument",
)


def test_every_output_and_input_column_has_a_dutch_and_english_label():
    from layers.roles import ROLES
    from scans.locatiescan import output_columns
    from scans.registry import SCANS

    per_scan = [f"{scan}_{suffix}" for scan in SCANS
                for suffix in ("woningen", "reden", "onbekend", "bron", "woningen_geschat")]
    inputs = {c for role in ROLES.values() for c in role.columns}
    locaties = [c for c in output_columns() if c != "geometry"]
    for column in (*DOMAIN_OUTPUTS, *per_scan, *inputs, *locaties):
        assert column in FIELDS, column
        info = FIELDS[column]
        assert info.nl and info.en and "_" not in info.nl and "_" not in info.en, column
    assert set(SCANS) <= set(SCAN_NAMES)
    assert field_label("totaal_woningen") == "Totaal extra woningen"
    assert field_label("totaal_woningen", "en") == "Total extra homes"
    assert field_label("netimpact_kw", with_unit=True) == "Extra piekbelasting (kW)"
    assert field_label("optoppen_onbekend") == "Optoppen: onbekend"
    assert field_label("eigen_kolom") == "eigen_kolom"
    assert field_unit("h_dak_70p") == "m"


def test_qml_carries_the_labels_as_qgis_aliases():
    style = styles.default_style("gebieden")
    qml = to_qml(style, "polygon", fields=["gebied_code", "eigen", "totaal_woningen", "netimpact_kw"])
    assert qml_aliases(qml) == {"gebied_code": "Gebiedscode", "totaal_woningen": "Totaal extra woningen",
                                "netimpact_kw": "Extra piekbelasting (kW)"}
    assert 'index="2"' in qml and "Symbology|Fields" in qml
    assert styles.from_qml(qml) == style  # the renderer reads back unchanged
    every = qml_aliases(to_qml(style, "polygon"))  # no field list: every known column
    assert every["optoppen_woningen_geschat"] == "Optoppen: woningen met geschatte invoer"
    assert "aliases" not in to_qml(styles.RasterStyle("Blues", 0, 1), "raster")


def test_legend_labels_per_language_with_unit():
    style = styles.graduated("totaal_woningen", np.array([0.0, 1, 5, 20, 1500]), "equal_interval", 3, "YlOrRd")
    nl = [label for label, _ in legend_entries(style)]
    en = [label for label, _ in legend_entries(style, "en")]
    assert nl == ["0 – 500 woningen", "501 – 1.000 woningen", "1.001 – 1.500 woningen"]
    assert en == ["0 – 500 homes", "501 – 1,000 homes", "1,001 – 1,500 homes"]
    raster = [label for label, _ in legend_entries(styles.RasterStyle("Blues", 0, 40.5), "nl", "cm")]
    assert raster[1] == "10,1 cm" and raster[-1] == "40,5 cm"
