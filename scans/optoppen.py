"""Optoppen: extra storeys on low flats with a flat roof.

Rules (DOMAIN.md, domain-sources §2.1), in the order a building is tested; the reason is
the first rule it fails:

1. pand in use;
2. mainly woonfunctie (share of woonfunctie verblijfsobjecten ≥ ``min_aandeel_woonfunctie``);
3. multi-family: ≥ ``min_verblijfsobjecten`` verblijfsobjecten;
4. bouwjaar within ``bouwjaar_min``–``bouwjaar_max`` (9999 = no upper bound);
5. ``min_bouwlagen``–``max_bouwlagen`` storeys (3D BAG ``bouwlagen``); without storeys,
   height above ground ≤ ``max_hoogte_m`` and storeys ≈ height / ``verdiepingshoogte_m``;
6. flat roof (3D BAG ``dak_type``);
7. flat roof area (``opp_dak_plat``, the footprint when missing) ≥ ``min_dak_m2``;
8. homes = floor(roof × ``netto_bruto`` / ``m2_per_woning``) × ``extra_lagen`` ≥ 1;
9. with ``monumenten_uitsluiten``: not a rijksmonument.

A rule whose input is missing (no verblijfsobjecten or gebruiksdoel, no bouwjaar, no 3D BAG
storeys, height or roof type) makes the building *onbekend* ("… onbekend (…)") unless it fails
another rule for certain (see :func:`scans._rules.first_failure`). ``optoppen_bron`` names the
estimates the homes rest on: storeys from height, the footprint for a missing flat roof area.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from scans._fast import texts_at
from scans._rules import (MONUMENT_AANGENOMEN, ONBEKEND, ScanOutcome, by_value, column_at, estimate_texts, first_failure, fmt_num,
                          fmt_scalar, isin_lower, monument_assumed, monument_rules, per_distinct, framed_run, whole, year_text)
from scans.inputs import missing_vbo_reason
from layers.feedback import Feedback
from scans.params import param

NAME = "optoppen"
LABEL = "Optoppen"
DESCRIPTION = "Extra bouwlagen op lage flats met een plat dak (meergezinswoningen 1965–1992)."

GEEN_BOVENGRENS = 9999


@dataclass(frozen=True)
class Params:
    """Parameters of the optop scan."""

    min_aandeel_woonfunctie: float = param(
        0.5, low=0.4, high=0.6, range_source="standaardwaarde ± 0,1 (uitleg van 'vooral woonfunctie')", label="Minimaal aandeel woonfunctie", unit="fractie", minimum=0.0, maximum=1.0,
        help="Aandeel van de verblijfsobjecten in het pand met woonfunctie ('vooral woonfunctie').",
    )
    min_verblijfsobjecten: int = param(
        4, low=3, high=6, range_source="standaardwaarde: een meergezinspand vanaf 3 tot 6 woningen (geen vaste grens)", label="Minimaal aantal verblijfsobjecten (meergezinspand)", unit="vbo", minimum=1,
        source="Stec 2023 (meergezinswoningen)",
    )
    bouwjaar_min: int = param(1965, low=1960, high=1970, range_source="Stec/Zuid-Holland 2023 ± 5 jaar (naoorlogse flatbouw vanaf ca. 1960)", label="Bouwjaar vanaf", unit="jaar", source="Stec/Zuid-Holland 2023")
    bouwjaar_max: int = param(
        1992, low=1985, high=1995, range_source="Stec/Zuid-Holland 2023 ± 5 jaar", label="Bouwjaar tot en met", unit="jaar", source="Stec/Zuid-Holland 2023",
        help="9999 = geen bovengrens.",
    )
    min_bouwlagen: int = param(3, low=2, high=4, range_source="standaardwaarde ± 1 laag", label="Minimaal aantal bestaande bouwlagen", unit="lagen", minimum=1)
    max_bouwlagen: int = param(5, low=4, high=6, range_source="standaardwaarde ± 1 laag", label="Maximaal aantal bestaande bouwlagen", unit="lagen", minimum=1)
    verdiepingshoogte_m: float = param(
        3.0, low=2.7, high=3.3, range_source="gangbare verdiepingshoogte woningbouw 2,7–3,3 m", label="Verdiepingshoogte (bouwlagen uit hoogte)", unit="m", minimum=0.5,
        help="Zonder 3D BAG-bouwlagen: bouwlagen ≈ hoogte boven maaiveld / verdiepingshoogte.",
    )
    max_hoogte_m: float = param(
        15.0, low=12.0, high=18.0, range_source="standaardwaarde ± 1 bouwlaag (3 m)", label="Maximale hoogte boven maaiveld (zonder bouwlagen)", unit="m", minimum=0.0,
    )
    dak_typen_plat: tuple[str, ...] = param(
        ("single horizontal", "multiple horizontal", "horizontal"), vary=False, range_source="lijst van daktypen: niet gevarieerd",
        label="Daktypen die als plat dak tellen", source="3D BAG documentatie (b3_dak_type)",
    )
    min_dak_m2: float = param(150.0, low=100.0, high=200.0, range_source="standaardwaarde ± 50 m²", label="Minimaal plat dakoppervlak", unit="m²", minimum=0.0)
    netto_bruto: float = param(
        0.75, low=0.7, high=0.85, range_source="vuistregel GBO/BVO 0,70–0,85", label="Verhouding GBO/BVO van de opbouw", unit="fractie", minimum=0.01, maximum=1.0,
    )
    m2_per_woning: float = param(60.0, low=50.0, high=75.0, range_source="standaardwaarde; kleine optopwoningen 50 m² tot gemiddeld 75 m²", label="GBO per optopwoning", unit="m²", minimum=1.0)
    extra_lagen: int = param(
        1, low=1, high=2, range_source="praktijk: 1–2 lagen (Rochdale, at5.nl)", label="Aantal extra bouwlagen", unit="lagen", minimum=1,
        source="praktijk: 1–2 lagen (Rochdale, at5.nl)",
    )
    monumenten_uitsluiten: bool = param(
        False, range_source="scenariokeuze: per toets aan en uit, niet getrokken", label="Rijksmonumenten uitsluiten",
        help="Een rijksmonument wordt zelden opgetopt; vraagt een laag 'monumenten'.",
    )



def run_coded(buildings: pd.DataFrame, inputs=None, params: Params | None = None, feedback: Feedback | None = None) -> ScanOutcome:
    """:func:`run` as (homes per building, reasons as codes into a table of texts, sources as
    codes): the pipeline builds the text columns once, after the exclusions of the constraints."""
    p = params or Params()
    b = buildings
    n_woon = b["n_woonfunctie"].to_numpy(dtype="float64")
    n_vbo = b["vbo_aantal"].to_numpy(dtype="float64")
    doel_onbekend = b["doel_onbekend"].to_numpy(dtype=bool)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(n_vbo > 0, n_woon / n_vbo, np.where(n_vbo == 0, 0.0, np.nan))
    bouwjaar = b["bouwjaar"].to_numpy(dtype="float64")
    lagen_3d = b["bouwlagen"].to_numpy(dtype="float64")
    hoogte = b["hoogte_m"].to_numpy(dtype="float64")
    lagen_est = np.floor(hoogte / p.verdiepingshoogte_m + 0.5)
    has_lagen = ~np.isnan(lagen_3d)
    lagen = np.where(has_lagen, lagen_3d, lagen_est)
    # (prepare_buildings gives the daktypen as a categorical: tested once per distinct text, and
    # only the rows a reason is about are read as texts)
    dak_type = b["dak_type"]
    dak_known = dak_type.notna().to_numpy()
    plat = isin_lower(dak_type, p.dak_typen_plat)
    roof_measured = ~np.isnan(b["opp_dak_plat"].to_numpy(dtype="float64"))
    dak_m2 = np.where(roof_measured, b["opp_dak_plat"].to_numpy(dtype="float64"), b["footprint_m2"].to_numpy())
    woningen = whole(dak_m2 * p.netto_bruto / p.m2_per_woning) * p.extra_lagen
    max_jaar = p.bouwjaar_max < GEEN_BOVENGRENS
    venster = f"buiten {p.bouwjaar_min}–{p.bouwjaar_max}" if max_jaar else f"vóór {p.bouwjaar_min}"
    lagen_range = f"{p.min_bouwlagen}–{p.max_bouwlagen}"
    monument = b["monument"] if "monument" in b.columns else pd.Series(pd.NA, index=b.index, dtype="boolean")
    is_monument = monument.to_numpy(dtype=bool, na_value=False)

    # texts that depend on a value are formatted once per distinct value (by_value); a rule
    # marked ONBEKEND lacks its input (see first_failure)
    rules = [
        (~b["in_gebruik"].to_numpy(), column_at(b["status_reden"])),
        (n_vbo == 0, "geen verblijfsobjecten in het pand"),
        ((n_woon <= 0) & ~doel_onbekend, "geen woonfunctie"),
        ((share < p.min_aandeel_woonfunctie) & ~doel_onbekend,
         by_value(lambda s: "woonfunctie " + fmt_num(s * 100, 0) + "% van de verblijfsobjecten, minder dan "
                  + fmt_scalar(p.min_aandeel_woonfunctie * 100, 0) + "%", share)),
        (n_vbo < p.min_verblijfsobjecten,
         by_value(lambda v: "aantal verblijfsobjecten " + fmt_num(v, 0)
                  + f" kleiner dan {p.min_verblijfsobjecten} (geen meergezinspand)", n_vbo)),
        (np.isnan(n_vbo), missing_vbo_reason("aantal verblijfsobjecten", "aantal", b), ONBEKEND),
        (doel_onbekend | np.isnan(n_woon), missing_vbo_reason("gebruiksdoel", "gebruiksdoel", b), ONBEKEND),
        (np.isnan(bouwjaar), "bouwjaar onbekend (niet in de gebouwenlaag)", ONBEKEND),
        ((bouwjaar < p.bouwjaar_min) | ((bouwjaar > p.bouwjaar_max) & max_jaar),
         by_value(lambda j: "bouwjaar " + year_text(j) + f" {venster}", bouwjaar)),
        (~has_lagen & np.isnan(hoogte), "aantal bouwlagen onbekend (geen 3D BAG)", ONBEKEND),
        (~has_lagen & (hoogte > p.max_hoogte_m),
         by_value(lambda h: "hoogte " + fmt_num(h) + " m boven " + fmt_scalar(p.max_hoogte_m) + " m", hoogte)),
        (has_lagen & ((lagen < p.min_bouwlagen) | (lagen > p.max_bouwlagen)),
         by_value(lambda n: "bouwlagen " + fmt_num(n, 0) + f" buiten {lagen_range}", lagen)),
        (~has_lagen & ((lagen < p.min_bouwlagen) | (lagen > p.max_bouwlagen)),
         by_value(lambda n, h: "bouwlagen ca. " + fmt_num(n, 0) + " (hoogte " + fmt_num(h)
                  + f" m) buiten {lagen_range}", lagen, hoogte)),
        (~dak_known, "daktype onbekend (geen 3D BAG)", ONBEKEND),
        (dak_known & ~plat, lambda pos: per_distinct(lambda t: "geen plat dak (" + t.astype(str) + ")", texts_at(dak_type, pos))),
        (dak_m2 < p.min_dak_m2,
         by_value(lambda m: "plat dakoppervlak " + fmt_num(m, 0) + " m² kleiner dan " + fmt_scalar(p.min_dak_m2, 0) + " m²",
                  dak_m2)),
        (woningen < 1,
         by_value(lambda m: "plat dakoppervlak " + fmt_num(m, 0) + " m² te klein voor een woning van "
                  + fmt_scalar(p.m2_per_woning, 0) + " m²", dak_m2)),
    ]
    rules += monument_rules(p.monumenten_uitsluiten, monument)
    reasons = first_failure(len(b), rules)
    count = np.where(reasons.codes == 0, woningen, 0).astype("int64")  # code 0: kandidaat
    bron = estimate_texts(len(b), [
        (~has_lagen, "bouwlagen uit hoogte"),
        (~roof_measured, "plat dakoppervlak = footprint (geen 3D BAG-dakoppervlak)"),
        (monument_assumed(p.monumenten_uitsluiten, monument), MONUMENT_AANGENOMEN),
    ], count)
    return ScanOutcome(count, reasons, bron)


run = framed_run(NAME, run_coded)
