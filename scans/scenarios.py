"""Scenarios: all parameters of all scans plus constraints, presets, user scenarios, comparison.

Presets (domain-sources §1 A1/A2/A6, §2):

- ``standaard``: the DOMAIN.md defaults.
- ``optimistisch`` (Stec 2023, national): optoppen from bouwjaar 1965 without upper bound,
  2 extra storeys, roofs from 100 m², up to 18 m / 6 storeys; splitsen up to 2 extra homes;
  transformatie also of winkel-, bijeenkomst-, onderwijs- and gezondheidszorgfunctie at
  53 m² per home (Matrixian); boerenerf 850 m² per home and up to 6 per erf ("knooperf");
  netbewust bouwen on.
- ``pessimistisch`` (WoningBouwersNL "In Op Aan"): optoppen 1965–1992 and no laagbouw
  (at least 4 storeys); transformatie only of vacant offices at 85 m² per home (Deloitte);
  homes behind a netcongestie code 3 (tekort) excluded; rijksmonumenten excluded from optoppen
  and transformatie (a monument is rarely topped up or converted without a long procedure).
  ``optimistisch`` and ``standaard`` count monuments (flagged in the ``monument`` column). In Op Aan's own bouwjaar rule
  (nothing before 1965) is already inside the standard window; its WOZ and Leefbaarometer
  filters need data the app does not have.

User scenarios live in the project file under ``[scenarios.NAME]`` as ``base = "preset"``
plus a table per section; :func:`settings_to_dict` writes every parameter so a saved
scenario does not change when a default changes.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from layers.texts import Translatable
from scans import boerenerf, optoppen, splitsen, transformatie
from scans.constraints import ConstraintParams
from scans.inputs import AlgemeenParams
from scans.params import parse_text, replace_from_dict, to_dict
from scans.registry import SCANS, SECTIONS, params_class


@dataclass(frozen=True)
class ScanSettings:
    """Every parameter of one scenario: one section per scan, ``beperkingen`` and ``algemeen``."""

    optoppen: optoppen.Params = field(default_factory=optoppen.Params)
    splitsen: splitsen.Params = field(default_factory=splitsen.Params)
    transformatie: transformatie.Params = field(default_factory=transformatie.Params)
    boerenerf: boerenerf.Params = field(default_factory=boerenerf.Params)
    beperkingen: ConstraintParams = field(default_factory=ConstraintParams)
    algemeen: AlgemeenParams = field(default_factory=AlgemeenParams)
    naam: str = "standaard"
    basis: str = "standaard"

    def section(self, name: str) -> Any:
        """Parameters of a scan or section by name (``ValueError`` when unknown)."""
        params_class(name)
        return getattr(self, name)

    def with_section(self, name: str, params: Any) -> "ScanSettings":
        """A copy with one section replaced."""
        if not isinstance(params, params_class(name)):
            raise ValueError(Translatable("sectie '{name}' verwacht {klasse}", name=name, klasse=params_class(name).__name__))
        return dataclasses.replace(self, **{name: params})


SECTION_NAMES: tuple[str, ...] = (*SCANS, *SECTIONS)


def _preset(naam: str, **sections: dict[str, Any]) -> ScanSettings:
    settings = ScanSettings(naam=naam, basis=naam)
    for section, values in sections.items():
        settings = settings.with_section(section, replace_from_dict(settings.section(section), values, section=section))
    return settings


PRESETS: dict[str, ScanSettings] = {
    "standaard": _preset("standaard"),
    "optimistisch": _preset(
        "optimistisch",
        optoppen={"bouwjaar_max": optoppen.GEEN_BOVENGRENS, "extra_lagen": 2, "min_dak_m2": 100.0,
                  "max_hoogte_m": 18.0, "max_bouwlagen": 6},
        splitsen={"max_extra": 2},
        transformatie={"functies": ("kantoorfunctie", "winkelfunctie", "bijeenkomstfunctie", "onderwijsfunctie",
                                    "gezondheidszorgfunctie"), "m2_per_woning": 53.0},
        boerenerf={"sloop_m2_per_woning": 850.0, "max_woningen_per_erf": 6},
        beperkingen={"netbewust": True},
    ),
    "pessimistisch": _preset(
        "pessimistisch",
        optoppen={"bouwjaar_min": 1965, "bouwjaar_max": 1992, "min_bouwlagen": 4, "monumenten_uitsluiten": True},
        transformatie={"alleen_leegstand": True, "m2_per_woning": 85.0, "monumenten_uitsluiten": True},
        beperkingen={"uitsluiten_congestie_code_3": True},
    ),
}

PRESET_LABELS = {
    "standaard": "Standaardwaarden (DOMAIN.md)",
    "optimistisch": "Optimistisch (Stec 2023)",
    "pessimistisch": "Pessimistisch (In Op Aan)",
}


def settings_to_dict(settings: ScanSettings) -> dict[str, Any]:
    """Every parameter as a TOML-ready dict ``{"base": preset, section: {param: value}}``."""
    out: dict[str, Any] = {"base": settings.basis}
    for name in SECTION_NAMES:
        out[name] = to_dict(settings.section(name))
    return out


def settings_from_dict(data: dict[str, Any], *, naam: str = "eigen", _scenarios: dict | None = None, _seen=()) -> ScanSettings:
    """Settings from a project scenario table: its ``base`` (a preset or another scenario
    of the project) with the given sections applied. ``ValueError`` names what is wrong."""
    if not isinstance(data, dict):
        raise ValueError(Translatable("scenario '{naam}': verwacht een tabel, kreeg {data}", naam=naam, data=repr(data)))
    base_name = data.get("base", "standaard")
    if not isinstance(base_name, str):
        raise ValueError(Translatable("scenario '{naam}': 'base' moet de naam van een scenario zijn", naam=naam))
    scenarios = _scenarios or {}
    if base_name in scenarios and base_name != naam and base_name not in _seen:
        settings = settings_from_dict(scenarios[base_name], naam=base_name, _scenarios=scenarios, _seen=(*_seen, naam))
    elif base_name in PRESETS:
        settings = PRESETS[base_name]
    else:
        known = ", ".join([*PRESETS, *(s for s in scenarios if s != naam)])
        raise ValueError(Translatable("scenario '{naam}': onbekende basis '{basis}' (bekend: {known})", naam=naam, basis=base_name,
                                      known=known))
    for key, values in data.items():
        if key == "base":
            continue
        if key not in SECTION_NAMES:
            raise ValueError(Translatable("scenario '{naam}': onbekende scan of sectie '{key}' (bekend: {known})", naam=naam, key=key,
                                          known=", ".join(SECTION_NAMES)))
        settings = settings.with_section(key, replace_from_dict(settings.section(key), values, section=key))
    return dataclasses.replace(settings, naam=naam, basis=settings.basis)


def parse_override(text: str) -> tuple[str, str, str]:
    """``"optoppen.bouwjaar_min=1960"`` → ``("optoppen", "bouwjaar_min", "1960")``."""
    if "=" not in text or "." not in text.split("=", 1)[0]:
        raise ValueError(Translatable("ongeldige instelling '{text}': gebruik scan.parameter=waarde", text=text))
    key, value = text.split("=", 1)
    section, name = key.strip().split(".", 1)
    params_class(section)
    return section, name.strip(), value


def apply_overrides(settings: ScanSettings, overrides) -> ScanSettings:
    """Apply ``scan.param=value`` texts (typed as the user typed them) in order."""
    for text in overrides or ():
        section, name, value = parse_override(text)
        current = settings.section(section)
        converted = parse_text(type(current), name, value, section=section)
        settings = settings.with_section(section, dataclasses.replace(current, **{name: converted}))
    return settings


def resolve_scenario(project_or_dict: Any = None, name: str | None = None, overrides=()) -> ScanSettings:
    """The settings of scenario ``name`` (default ``standaard``) with ``overrides`` applied.

    ``project_or_dict`` is a project (its ``scenarios``), a dict of scenarios, or None.
    A project scenario wins over a preset of the same name.
    """
    if project_or_dict is None:
        scenarios: dict = {}
    elif isinstance(project_or_dict, dict):
        scenarios = project_or_dict
    else:
        scenarios = getattr(project_or_dict, "scenarios", None) or {}
    name = name or "standaard"
    if name in scenarios:
        settings = settings_from_dict(scenarios[name], naam=name, _scenarios=scenarios)
    elif name in PRESETS:
        settings = PRESETS[name]
    else:
        known = ", ".join(dict.fromkeys([*PRESETS, *scenarios]))
        raise ValueError(Translatable("onbekend scenario '{name}' (bekend: {known})", name=name, known=known))
    settings = apply_overrides(settings, overrides)
    if overrides:
        settings = dataclasses.replace(settings, naam=f"{settings.naam} (aangepast)")
    return settings


def parameter_table(settings: ScanSettings) -> pd.DataFrame:
    """Non-spatial table of every parameter (for the ``scenario_parameters`` output layer)."""
    from scans.params import describe, format_value

    rows = []
    for section in SECTION_NAMES:
        params = settings.section(section)
        for info in describe(type(params)):
            value = getattr(params, info.name)
            rows.append(
                {
                    "scenario": settings.naam,
                    "basis": settings.basis,
                    "sectie": section,
                    "parameter": info.name,
                    "waarde": format_value(value),
                    "standaard": format_value(info.default),
                    "type": info.type,
                    "eenheid": info.unit,
                    "label": info.label,
                    "bron": info.source,
                }
            )
    return pd.DataFrame(rows)


_NOT_COMPARED = {"gebied_code", "gebied_naam", "woningvoorraad", "geometry"}


def compare(result_a: Any, result_b: Any, labels: tuple[str, str] = ("a", "b")) -> pd.DataFrame:
    """Difference table per gebied between two scan results (``ScanResult`` or their
    ``gebieden_potentie`` tables): for each figure ``<col>_<a>``, ``<col>_<b>`` and
    ``<col>_verschil`` (b − a). Gebieden in only one result count as 0 in the other."""
    a = getattr(result_a, "gebieden", result_a)
    b = getattr(result_b, "gebieden", result_b)
    if a is None or b is None:
        raise ValueError(Translatable("vergelijken kan alleen met resultaten per gebied (geen gebiedenlaag in de scan)"))
    la, lb = labels
    numeric = [c for c in a.columns if c in b.columns and c not in _NOT_COMPARED and pd.api.types.is_numeric_dtype(a[c])]
    left = pd.DataFrame(a[["gebied_code", "gebied_naam", *numeric]]).set_index("gebied_code")
    right = pd.DataFrame(b[["gebied_code", "gebied_naam", *numeric]]).set_index("gebied_code")
    codes = left.index.union(right.index)
    left, right = left.reindex(codes), right.reindex(codes)
    out = pd.DataFrame(index=codes)
    out["gebied_naam"] = left["gebied_naam"].where(left["gebied_naam"].notna(), right["gebied_naam"])
    for col in numeric:
        va = left[col].fillna(0) if col != "pct_van_voorraad" else left[col]
        vb = right[col].fillna(0) if col != "pct_van_voorraad" else right[col]
        out[f"{col}_{la}"] = va
        out[f"{col}_{lb}"] = vb
        out[f"{col}_verschil"] = np.round(vb - va, 2)
    out.index.name = "gebied_code"
    return out.reset_index()
