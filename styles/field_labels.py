"""Readable names for the columns: a Dutch and an English label, the unit, how to write the values.

Qt-free. The attribute table, the results dock and identify show :func:`field_label` as the header
(the column name stays in the tooltip), the GeoPackage outputs carry them as QGIS field aliases
(``styles.qml``), Excel writes them above the column names. :func:`format_field` writes a value
of a column with its unit and the separators of the language (``styles.numbers``).

Covers the scan outputs (DOMAIN.md "Outputs", per scan ``<scan>_woningen``, ``_reden``,
``_onbekend``, ``_bron``, ``_woningen_geschat``), the locatiescan's columns, and the canonical
input columns of ``layers.roles``. An unknown column keeps its own name.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .numbers import format_number, is_missing


@dataclass(frozen=True)
class FieldLabel:
    """How a column is shown.

    Parameters
    ----------
    nl, en : the label per language.
    unit : written beside values (and in the header: "Hoogte maaiveld (m)").
    decimals : digits after the decimal separator; None: none for whole numbers, else 2.
    grouping : thousands separators (False for years, codes and identifiers).
    """

    nl: str
    en: str
    unit: str = ""
    decimals: int | None = None
    grouping: bool = True

    def text(self, language: str) -> str:
        return self.en if language == "en" else self.nl


def _f(nl: str, en: str, unit: str = "", decimals: int | None = None, grouping: bool = True) -> FieldLabel:
    return FieldLabel(nl, en, unit, decimals, grouping)


#: The scans whose per-scan columns are labelled: name -> (Dutch, English).
SCAN_NAMES: dict[str, tuple[str, str]] = {
    "optoppen": ("Optoppen", "Adding storeys"),
    "splitsen": ("Splitsen", "Splitting"),
    "transformatie": ("Transformatie", "Conversion"),
    "boerenerf": ("Wonen op het boerenerf", "Farmyard housing"),
}

#: Per-scan column suffix -> (Dutch, English, unit) with ``{scan}`` for the scan's label.
_PER_SCAN: dict[str, tuple[str, str, str]] = {
    "woningen": ("{scan}: extra woningen", "{scan}: extra homes", "woningen"),
    "reden": ("{scan}: reden", "{scan}: reason", ""),
    "onbekend": ("{scan}: onbekend", "{scan}: unknown", ""),
    "bron": ("{scan}: bron", "{scan}: source", ""),
    "woningen_geschat": ("{scan}: woningen met geschatte invoer", "{scan}: homes from estimated inputs", "woningen"),
}

_LOCATIE_CRITERIA: dict[str, tuple[str, str]] = {
    "woningbehoefte": ("woningbehoefte", "housing need"),
    "betaalbaarheid": ("betaalbaarheid", "affordability"),
    "water_bodem": ("water en bodem", "water and soil"),
    "netcongestie": ("netcongestie", "grid congestion"),
    "planstatus_timing": ("planstatus en start bouw", "plan status and start"),
}

FIELDS: dict[str, FieldLabel] = {
    # identifiers and areas
    "pand_id": _f("Pand-ID", "Building ID", grouping=False),
    "vbo_id": _f("Verblijfsobject-ID", "Address unit ID", grouping=False),
    "gebied_code": _f("Gebiedscode", "Area code", grouping=False),
    "gebied_naam": _f("Gebied", "Area"),
    "gemeente": _f("Gemeente", "Municipality"),
    "gemeentecode": _f("Gemeentecode", "Municipality code", grouping=False),
    "postcode": _f("Postcode", "Postcode", grouping=False),
    "complex": _f("Complex", "Complex", grouping=False),
    "erf_id": _f("Erf-ID", "Yard ID", grouping=False),
    # buildings (BAG, 3D BAG)
    "bouwjaar": _f("Bouwjaar", "Year built", grouping=False),
    "status": _f("Status", "Status"),
    "gebruiksdoel": _f("Gebruiksdoel", "Use"),
    "gebruik": _f("Gebruik", "Use"),
    "aantal_vbo": _f("Aantal verblijfsobjecten", "Number of address units"),
    "oppervlakte": _f("Oppervlakte", "Floor area", "m²", 0),
    "oppervlakte_min": _f("Kleinste oppervlakte", "Smallest floor area", "m²", 0),
    "oppervlakte_max": _f("Grootste oppervlakte", "Largest floor area", "m²", 0),
    "h_maaiveld": _f("Hoogte maaiveld", "Ground height", "m", 2),
    "h_dak_70p": _f("Dakhoogte (70%)", "Roof height (70%)", "m", 2),
    "h_dak_max": _f("Dakhoogte (max.)", "Roof height (max.)", "m", 2),
    "dak_type": _f("Daktype", "Roof type"),
    "bouwlagen": _f("Bouwlagen", "Storeys"),
    "opp_dak_plat": _f("Plat dakoppervlak", "Flat roof area", "m²", 0),
    "kas_warenhuis": _f("Kas of warenhuis", "Greenhouse or warehouse"),
    "monument_nummer": _f("Monumentnummer", "Monument number", grouping=False),
    "monument_type": _f("Monumenttype", "Monument type"),
    "monument": _f("Rijksmonument", "National monument"),
    # gebieden (CBS)
    "woningvoorraad": _f("Woningvoorraad", "Housing stock", "woningen", 0),
    "aantal_inwoners": _f("Inwoners", "Inhabitants", "", 0),
    # constraints
    "status_afname": _f("Netcongestie afname (code)", "Grid congestion offtake (code)", grouping=False),
    "status_opwek": _f("Netcongestie opwek (code)", "Grid congestion feed-in (code)", grouping=False),
    "voedingsgebied_id": _f("Voedingsgebied-ID", "Supply area ID", grouping=False),
    "voedingsgebied_naam": _f("Voedingsgebied", "Supply area"),
    "klasse": _f("Water en bodem: klasse", "Water and soil: class"),
    "klasse_ernst": _f("Water en bodem: ernst", "Water and soil: severity"),
    "thema": _f("Thema", "Theme"),
    "mits_toelichting": _f("Toelichting mits", "Condition explained"),
    "bron": _f("Bron", "Source"),
    "scenario": _f("Scenario", "Scenario"),
    "zichtjaar": _f("Zichtjaar", "Target year", grouping=False),
    "water": _f("Water", "Water"),
    "focusgebied": _f("NPLV-focusgebied", "NPLV focus area"),
    # locaties (input)
    "naam": _f("Naam", "Name"),
    "geplande_woningen": _f("Geplande woningen", "Planned homes", "woningen", 0),
    "betaalbaar_aandeel": _f("Betaalbaar aandeel", "Affordable share", "", 2),
    "start_bouw": _f("Start bouw", "Construction start", grouping=False),
    "planstatus": _f("Planstatus", "Plan status"),
    # potentiescan outputs (DOMAIN.md "Outputs")
    "totaal_woningen": _f("Totaal extra woningen", "Total extra homes", "woningen", 0),
    "water_bodem": _f("Water en bodem", "Water and soil"),
    "water_bodem_ernst": _f("Water en bodem: ernst", "Water and soil: severity"),
    "mitsen": _f("Mitsen", "Conditions"),
    "nee_tenzij_zone": _f("Nee-tenzij-zone", "No-unless zone"),
    "netcongestie": _f("Netcongestie (code)", "Grid congestion (code)", grouping=False),
    "nplv": _f("In NPLV-gebied", "In NPLV area"),
    "nplv_focusgebied": _f("NPLV-focusgebied", "NPLV focus area"),
    "bodemdaling": _f("Bodemdaling", "Subsidence", "cm", 1),
    "overstromingsdiepte": _f("Overstromingsdiepte", "Flood depth", "m", 2),
    "kwel": _f("Kwel", "Seepage", "", 2),
    "transformatie_realistisch": _f("Transformatie realistisch", "Conversion, realistic", "woningen", 1),
    "uitgesloten_nee_tenzij": _f("Uitgesloten (nee, tenzij)", "Excluded (no, unless)"),
    "uitgesloten_congestie": _f("Uitgesloten (netcongestie)", "Excluded (grid congestion)"),
    "uitgesloten_woningen": _f("Uitgesloten woningen", "Excluded homes", "woningen", 0),
    "pct_van_voorraad": _f("Extra woningen t.o.v. voorraad", "Extra homes vs. stock", "%", 1),
    "woningen_ja_mits": _f("Woningen met mitsen", "Homes with conditions", "woningen", 0),
    "woningen_uitgesloten_nee_tenzij": _f("Woningen uitgesloten (nee, tenzij)", "Homes excluded (no, unless)",
                                          "woningen", 0),
    "woningen_in_congestie": _f("Woningen in netcongestie", "Homes in grid congestion", "woningen", 0),
    "netimpact_kw": _f("Extra piekbelasting", "Extra peak load", "kW", 1),
    "woningen_nplv": _f("Woningen in NPLV-gebied", "Homes in NPLV area", "woningen", 0),
    "realisatiestimulans_eur": _f("Realisatiestimulans", "Realisation incentive", "€", 0),
    # locatiescan outputs
    "oppervlakte_ha": _f("Oppervlakte", "Area", "ha", 2),
    "dichtheid": _f("Dichtheid", "Density", "woningen/ha", 1),
    "aandeel_ja": _f("Aandeel water en bodem ja", "Share water and soil yes", "", 2),
    "aandeel_ja_mits": _f("Aandeel ja, mits", "Share yes, if", "", 2),
    "aandeel_nee_tenzij": _f("Aandeel nee, tenzij", "Share no, unless", "", 2),
    "nee_tenzij_zones": _f("Nee-tenzij-zones", "No-unless zones"),
    "bodemdaling_gem_cm": _f("Bodemdaling gemiddeld", "Subsidence, mean", "cm", 1),
    "bodemdaling_max_cm": _f("Bodemdaling maximaal", "Subsidence, max.", "cm", 1),
    "overstromingsdiepte_max_m": _f("Overstromingsdiepte maximaal", "Flood depth, max.", "m", 2),
    "kwel_max": _f("Kwel maximaal", "Seepage, max.", "", 2),
    "netcongestie_codes": _f("Netcongestiecodes", "Grid congestion codes"),
    "netcongestie_max": _f("Netcongestie (zwaarste code)", "Grid congestion (worst code)", grouping=False),
    "aandeel_congestie": _f("Aandeel in netcongestie", "Share in grid congestion", "", 2),
    "aandeel_nplv": _f("Aandeel in NPLV-gebied", "Share in NPLV area", "", 2),
    "woningbouwimpuls": _f("Woningbouwimpuls", "Housing impulse"),
    "woningbouwimpuls_reden": _f("Toelichting Woningbouwimpuls", "Housing impulse explained"),
    "bestaande_panden": _f("Bestaande panden", "Existing buildings", "", 0),
    "beter_benutten_woningen": _f("Beter benutten bestaande panden", "Better use of existing buildings", "woningen", 0),
    "score": _f("Score", "Score", "", 1),
    "rang": _f("Rang", "Rank", grouping=False),
}
for _scan, (_nl_scan, _en_scan) in SCAN_NAMES.items():
    for _suffix, (_nl, _en, _unit) in _PER_SCAN.items():
        FIELDS[f"{_scan}_{_suffix}"] = _f(_nl.format(scan=_nl_scan), _en.format(scan=_en_scan), _unit,
                                          0 if _unit else None)
for _name, (_nl, _en) in _LOCATIE_CRITERIA.items():
    FIELDS[f"score_{_name}"] = _f(f"Score {_nl}", f"Score {_en}", "", 1)
    FIELDS[f"reden_{_name}"] = _f(f"Toelichting {_nl}", f"{_en.capitalize()} explained")

#: Units a header names ("Oppervlakte (m²)"); counts such as "woningen" are in the label already.
_HEADER_UNITS = ("m²", "m", "cm", "kW", "ha", "€", "%", "woningen/ha")


def field_info(column: str) -> FieldLabel | None:
    """The label entry of ``column``, None for a column the table does not know."""
    return FIELDS.get(str(column))


def field_label(column: str, language: str = "nl", *, with_unit: bool = False) -> str:
    """The readable name of ``column`` ("Totaal extra woningen"); the column name itself when unknown.

    ``with_unit``: add a measuring unit in brackets ("Hoogte maaiveld (m)").
    """
    info = FIELDS.get(str(column))
    if info is None:
        return str(column)
    text = info.text(language)
    if with_unit and info.unit in _HEADER_UNITS:
        text = f"{text} ({info.unit})"
    return text


def field_unit(column: str) -> str:
    """The unit of ``column`` ("m", "kW", "woningen"), empty when it has none or is unknown."""
    info = FIELDS.get(str(column))
    return info.unit if info is not None else ""


def format_field(column: str, value: Any, language: str = "nl", *, unit: bool = True) -> str:
    """``value`` of ``column`` as the user reads it: numbers with separators and unit, text as it is.

    A missing value reads "onbekend" ("unknown"); a year or code is written without thousands
    separators; booleans read ja/nee (yes/no).
    """
    info = FIELDS.get(str(column))
    if is_missing(value):
        return format_number(None, locale=language)
    if isinstance(value, (bool, np.bool_)):
        return ("yes" if value else "no") if language == "en" else ("ja" if value else "nee")
    if isinstance(value, str) or not _is_number(value):
        return str(value)
    if info is None:  # a column of the user's own: identifiers, codes and years without separators
        plain = any(part in str(column).lower() for part in _PLAIN_NAME_PARTS)
        return format_number(value, None, language, grouping=not plain)
    return format_number(value, info.decimals, language, info.unit if unit else None, grouping=info.grouping)


#: Parts of an unknown column's name that mean: an identifier, code or year (no thousands separators).
_PLAIN_NAME_PARTS = ("id", "code", "jaar", "year", "nummer", "nr", "fid")


def _is_number(value: Any) -> bool:
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return not isinstance(value, (bytes, bytearray))
