"""Transformatie: offices (optionally shops and other functions) converted to homes.

Rules (DOMAIN.md, domain-sources §2.3), in order:

1. pand in use, or vacant: one of ``extra_statussen`` ("Pand buiten gebruik"; vacant offices
   are the best candidates, DOMAIN.md "prefer vacant", so vacancy never excludes);
2. no woonfunctie in the pand;
3. verblijfsobjecten with one of ``functies`` (default kantoorfunctie);
4. with ``alleen_leegstand``: only their vacant part (vbo status "buiten gebruik", or all of
   them in a pand with one of ``extra_statussen``);
5. homes = floor(GBO of those vbo's / ``m2_per_woning``) ≥ 1;
6. with ``monumenten_uitsluiten``: not a rijksmonument.

Missing verblijfsobject data makes the building *onbekend* ("gebruiksdoel onbekend (geen
verblijfsobjecten)"), never "geen kantoorfunctie"; ``transformatie_bron`` says when the GBO
was estimated from pand attributes (e.g. vbo count × the mean of the pand's min/max area).

The per-gebied "realistisch" figure multiplies the homes by ``realisatiekans`` (Deloitte:
a little over 1/3 of vacant office space is transformable).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from scans._rules import (FUNCTIES, MONUMENT_AANGENOMEN, ONBEKEND, ScanOutcome, by_value, column_at, estimate_texts, first_failure,
                          fmt_num, fmt_scalar, functie_key, isin_lower, monument_assumed, monument_rules, framed_run, whole)
from scans.inputs import gbo_estimates, missing_vbo_reason
from layers.feedback import Feedback
from scans.params import param

NAME = "transformatie"
LABEL = "Transformatie"
DESCRIPTION = "Kantoren (optioneel winkels en andere functies) zonder woonfunctie ombouwen tot woningen."


@dataclass(frozen=True)
class Params:
    """Parameters of the transformatie scan."""

    functies: tuple[str, ...] = param(
        ("kantoorfunctie",), vary=False, range_source="lijst van gebruiksdoelen: een scenariokeuze, niet gevarieerd", label="Gebruiksdoelen die getransformeerd kunnen worden",
        choices=tuple(f for f in FUNCTIES if f != "woonfunctie"),
        help="Scenario-optie: ook winkelfunctie, bijeenkomstfunctie, onderwijsfunctie, gezondheidszorgfunctie.",
    )
    extra_statussen: tuple[str, ...] = param(
        ("Pand buiten gebruik",), vary=False, range_source="lijst van pandstatussen: niet gevarieerd", label="Pandstatussen die ook meetellen (leegstand)",
        source="DOMAIN.md: leegstaande kantoren eerst",
        help="Naast de statussen 'in gebruik': een leegstaand kantoor is juist een kandidaat voor transformatie.",
    )
    alleen_leegstand: bool = param(
        False, range_source="scenariokeuze: per toets aan en uit, niet getrokken", label="Alleen leegstaande verblijfsobjecten",
        source="BAG-status 'Verblijfsobject buiten gebruik' als benadering van leegstand",
    )
    m2_per_woning: float = param(
        70.0, low=53.0, high=85.0, range_source="Matrixian (53 m²) tot Deloitte (85 m²)", label="GBO per woning na transformatie", unit="m²", minimum=1.0,
        source="standaardwaarde tussen Matrixian (53 m²) en Deloitte (85 m²)",
    )
    realisatiekans: float = param(
        1 / 3, low=0.25, high=0.5, range_source="Deloitte 2015: iets meer dan een derde (alleen het realistische aantal)", label="Realisatiekans (realistisch aandeel)", unit="fractie", minimum=0.0, maximum=1.0,
        source="Deloitte 2015",
    )
    monumenten_uitsluiten: bool = param(
        False, range_source="scenariokeuze: per toets aan en uit, niet getrokken", label="Rijksmonumenten uitsluiten",
        help="Vraagt een laag 'monumenten'; zonder die laag wordt aangenomen dat een pand geen rijksmonument is.",
    )



def run_coded(buildings: pd.DataFrame, inputs=None, params: Params | None = None, feedback: Feedback | None = None) -> ScanOutcome:
    """:func:`run` as (homes per building, reasons as codes into a table of texts, sources as
    codes): the pipeline builds the text columns once, after the exclusions of the constraints."""
    p = params or Params()
    b = buildings
    if not p.functies:
        raise ValueError("parameter transformatie.functies: kies minstens één gebruiksdoel")
    keys = [functie_key(f) for f in p.functies]
    n_woon = b["n_woonfunctie"].to_numpy(dtype="float64")
    n_vbo = b["vbo_aantal"].to_numpy(dtype="float64")
    doel_onbekend = b["doel_onbekend"].to_numpy(dtype=bool)
    vacant_pand = isin_lower(b["status"], p.extra_statussen)
    status_ok = b["in_gebruik"].to_numpy() | vacant_pand
    n_func = np.sum([b[f"n_{k}"].to_numpy(dtype="float64") for k in keys], axis=0)
    gbo_all = np.sum([b[f"gbo_{k}"].to_numpy(dtype="float64") for k in keys], axis=0)
    if p.alleen_leegstand:
        # a vacant pand is vacant in all its verblijfsobjecten; else the vbo's own status says
        leeg = np.sum([b[f"gbo_leeg_{k}"].to_numpy(dtype="float64") for k in keys], axis=0)
        gbo = np.where(vacant_pand, gbo_all, leeg)
    else:
        gbo = gbo_all
    # the GBO rules are about the vbo's of these functions (none known: not applicable)
    known_gbo = ~np.isnan(gbo) & (n_func > 0)
    woningen = whole(gbo / p.m2_per_woning)
    namen = " of ".join(p.functies)
    monument = b["monument"] if "monument" in b.columns else pd.Series(pd.NA, index=b.index, dtype="boolean")
    rules = [
        (~status_ok, column_at(b["status_reden"])),
        (n_woon > 0, "pand heeft woonfunctie"),
        (n_vbo == 0, "geen verblijfsobjecten in het pand"),
        ((n_func <= 0) & ~doel_onbekend, f"geen {namen}"),
        (doel_onbekend, missing_vbo_reason("gebruiksdoel", "gebruiksdoel", b), ONBEKEND),
        (np.isnan(n_func), missing_vbo_reason("aantal verblijfsobjecten", "aantal", b), ONBEKEND),
        (p.alleen_leegstand & ~vacant_pand & np.isnan(gbo) & ~np.isnan(gbo_all),
         missing_vbo_reason("leegstand", "leegstand", b), ONBEKEND),
        (p.alleen_leegstand & known_gbo & (gbo <= 0), f"geen leegstaande {namen} (BAG-status buiten gebruik)"),
        (np.isnan(gbo), missing_vbo_reason("oppervlakte (GBO)", "oppervlakte", b), ONBEKEND),
        (known_gbo & (woningen < 1),
         by_value(lambda g: "GBO " + fmt_num(g, 0) + " m² kleiner dan " + fmt_scalar(p.m2_per_woning, 0) + " m² per woning", gbo)),
    ]
    rules += monument_rules(p.monumenten_uitsluiten, monument)
    reasons = first_failure(len(b), rules)
    count = np.where(reasons.codes == 0, woningen, 0).astype("int64")  # code 0: kandidaat
    bron = estimate_texts(len(b), [*gbo_estimates(b), (monument_assumed(p.monumenten_uitsluiten, monument), MONUMENT_AANGENOMEN)],
                          count)
    return ScanOutcome(count, reasons, bron)


run = framed_run(NAME, run_coded)
