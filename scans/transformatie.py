"""Transformatie: offices (optionally shops and other functions) converted to homes.

Rules (DOMAIN.md, domain-sources §2.3), in order:

1. pand in use;
2. no woonfunctie in the pand;
3. verblijfsobjecten with one of ``functies`` (default kantoorfunctie);
4. with ``alleen_leegstand``: only their vacant part (vbo status "buiten gebruik");
5. homes = floor(GBO of those vbo's / ``m2_per_woning``) ≥ 1.

The per-gebied "realistisch" figure multiplies the homes by ``realisatiekans`` (Deloitte:
a little over 1/3 of vacant office space is transformable).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from scans._rules import FUNCTIES, Reasons, by_value, column_at, first_failure, fmt_num, fmt_scalar, functie_key, whole
from layers.feedback import Feedback
from scans.params import param

NAME = "transformatie"
LABEL = "Transformatie"
DESCRIPTION = "Kantoren (optioneel winkels en andere functies) zonder woonfunctie ombouwen tot woningen."


@dataclass(frozen=True)
class Params:
    """Parameters of the transformatie scan."""

    functies: tuple[str, ...] = param(
        ("kantoorfunctie",), label="Gebruiksdoelen die getransformeerd kunnen worden",
        choices=tuple(f for f in FUNCTIES if f != "woonfunctie"),
        help="Scenario-optie: ook winkelfunctie, bijeenkomstfunctie, onderwijsfunctie, gezondheidszorgfunctie.",
    )
    alleen_leegstand: bool = param(
        False, label="Alleen leegstaande verblijfsobjecten",
        source="BAG-status 'Verblijfsobject buiten gebruik' als benadering van leegstand",
    )
    m2_per_woning: float = param(
        70.0, label="GBO per woning na transformatie", unit="m²", minimum=1.0,
        source="standaardwaarde tussen Matrixian (53 m²) en Deloitte (85 m²)",
    )
    realisatiekans: float = param(
        1 / 3, label="Realisatiekans (realistisch aandeel)", unit="fractie", minimum=0.0, maximum=1.0,
        source="Deloitte 2015",
    )


def run(buildings: pd.DataFrame, inputs=None, params: Params | None = None, feedback: Feedback | None = None) -> pd.DataFrame:
    """``transformatie_woningen`` and ``transformatie_reden`` per building."""
    homes, reasons = run_coded(buildings, inputs, params, feedback)
    return pd.DataFrame({f"{NAME}_woningen": homes, f"{NAME}_reden": reasons.array()}, index=buildings.index)


def run_coded(buildings: pd.DataFrame, inputs=None, params: Params | None = None, feedback: Feedback | None = None) -> tuple[np.ndarray, Reasons]:
    """:func:`run` as (homes per building, reasons as codes into a table of texts): the
    pipeline builds the reason column once, after the exclusions of the constraints."""
    p = params or Params()
    b = buildings
    if not p.functies:
        raise ValueError("parameter transformatie.functies: kies minstens één gebruiksdoel")
    keys = [functie_key(f) for f in p.functies]
    prefix = "gbo_leeg_" if p.alleen_leegstand else "gbo_"
    n_woon = b["n_woonfunctie"].to_numpy(dtype="float64")
    n_func = np.sum([b[f"n_{k}"].to_numpy(dtype="float64") for k in keys], axis=0)
    gbo = np.sum([b[f"{prefix}{k}"].to_numpy(dtype="float64") for k in keys], axis=0)
    woningen = whole(gbo / p.m2_per_woning)
    namen = " of ".join(p.functies)
    rules = [
        (~b["in_gebruik"].to_numpy(), column_at(b["status_reden"])),
        (n_woon > 0, "pand heeft woonfunctie"),
        (np.isnan(n_func), "aantal verblijfsobjecten onbekend"),
        (n_func <= 0, f"geen {namen}"),
        (p.alleen_leegstand & (gbo <= 0), f"geen leegstaande {namen} (BAG-status buiten gebruik)"),
        (np.isnan(gbo), "oppervlakte (GBO) onbekend"),
        (woningen < 1,
         by_value(lambda g: "GBO " + fmt_num(g, 0) + " m² kleiner dan " + fmt_scalar(p.m2_per_woning, 0) + " m² per woning", gbo)),
    ]
    reasons = first_failure(len(b), rules)
    count = np.where(reasons.codes == 0, woningen, 0).astype("int64")  # code 0: kandidaat
    return count, reasons
