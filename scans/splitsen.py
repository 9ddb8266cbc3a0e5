"""Splitsen: one large home split into two (or more) smaller ones.

Rules (DOMAIN.md, domain-sources §2.2), in order:

1. pand in use;
2. exactly one woonfunctie verblijfsobject in the pand;
3. its GBO ≥ ``min_gbo_m2`` (BLG Wonen);
4. extra homes = min(floor(GBO / ``min_woning_m2``) − 1, ``max_extra``) ≥ 1 (every unit
   ≥ 75 m², De Bilt).

Missing verblijfsobject data (no layer, no gebruiksdoel, no oppervlakte) makes the building
*onbekend*, never "geen woonfunctie"; ``splitsen_bron`` says when the GBO was estimated from
pand attributes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from scans._rules import (ONBEKEND, ScanOutcome, by_value, column_at, estimate_texts, first_failure, fmt_num, fmt_scalar, framed_run,
                          whole)
from scans.inputs import gbo_estimates, missing_vbo_reason
from layers.feedback import Feedback
from scans.params import param

NAME = "splitsen"
LABEL = "Splitsen"
DESCRIPTION = "Grote woningen (één woning per pand, GBO ≥ 150 m²) splitsen in woningen van ≥ 75 m²."


@dataclass(frozen=True)
class Params:
    """Parameters of the splits scan."""

    min_gbo_m2: float = param(
        150.0, low=130.0, high=180.0, range_source="standaardwaarde rond BLG Wonen (150 m²)", label="Minimale GBO van de woning", unit="m²", minimum=0.0,
        source="BLG Wonen Woontoegankelijkheidsmonitor 2022",
    )
    min_woning_m2: float = param(
        75.0, low=60.0, high=85.0, range_source="splitsingsbeleid verschilt per gemeente (De Bilt 75 m²)", label="Minimale GBO per woning na splitsing", unit="m²", minimum=1.0,
        source="gemeente De Bilt, splitsingsbeleid 2023",
    )
    max_extra: int = param(
        1, low=1, high=2, range_source="splitsen in twee, soms in drie", label="Maximaal aantal extra woningen per pand", unit="woningen", minimum=0,
        help="Standaard één extra woning: de meeste gemeenten staan splitsen in twee toe.",
    )



def run_coded(buildings: pd.DataFrame, inputs=None, params: Params | None = None, feedback: Feedback | None = None) -> ScanOutcome:
    """:func:`run` as (homes per building, reasons as codes into a table of texts, sources as
    codes): the pipeline builds the text columns once, after the exclusions of the constraints."""
    p = params or Params()
    b = buildings
    n_woon = b["n_woonfunctie"].to_numpy(dtype="float64")
    n_vbo = b["vbo_aantal"].to_numpy(dtype="float64")
    doel_onbekend = b["doel_onbekend"].to_numpy(dtype=bool)
    gbo = b["woon_gbo"].to_numpy(dtype="float64")
    extra = np.minimum(whole(gbo / p.min_woning_m2) - 1, p.max_extra)
    # the GBO rules are about the pand's one home (none known: not applicable)
    known_gbo = ~np.isnan(gbo) & (n_woon >= 1)
    rules = [
        (~b["in_gebruik"].to_numpy(), column_at(b["status_reden"])),
        (n_vbo == 0, "geen verblijfsobjecten in het pand"),
        ((n_woon <= 0) & ~doel_onbekend, "geen woonfunctie"),
        (n_woon > 1, by_value(lambda w: fmt_num(w, 0) + " woningen in het pand (alleen panden met één woning)", n_woon)),
        (np.isnan(n_woon) & ~doel_onbekend, missing_vbo_reason("aantal woningen", "aantal", b), ONBEKEND),
        (doel_onbekend, missing_vbo_reason("gebruiksdoel", "gebruiksdoel", b), ONBEKEND),
        (np.isnan(gbo), missing_vbo_reason("oppervlakte (GBO)", "oppervlakte", b), ONBEKEND),
        (known_gbo & (gbo < p.min_gbo_m2),
         by_value(lambda g: "GBO " + fmt_num(g, 0) + " m² kleiner dan " + fmt_scalar(p.min_gbo_m2, 0) + " m²", gbo)),
        (known_gbo & (extra < 1),
         by_value(lambda g: "GBO " + fmt_num(g, 0) + " m² te klein voor woningen van "
                  + fmt_scalar(p.min_woning_m2, 0) + " m²", gbo)),
    ]
    reasons = first_failure(len(b), rules)
    count = np.where(reasons.codes == 0, extra, 0).astype("int64")  # code 0: kandidaat
    return ScanOutcome(count, reasons, estimate_texts(len(b), gbo_estimates(b), count))


run = framed_run(NAME, run_coded)
