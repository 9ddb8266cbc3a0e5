"""Aggregation of building results per gebied (buurt, wijk, gemeente) and per complex.

Every figure is a plain sum of a building column, so a planner can check any number by
summing the ``gebouwen_potentie`` rows with the same ``gebied_code``:

- buildings in no gebied are summed in one extra row ``gebied_code = "BUITEN"`` (naam
  "buiten gebied", no geometry), listed only when such buildings exist;
- every gebied of the layer is listed, also those without candidates (zeros) and CBS
  water gebieden (``water = 'JA'``): their buildings (houseboats, piers) are counted like
  any other; when a building's centroid lies on a land and a water gebied, the land gebied
  wins (see :func:`scans.inputs.assign_gebied`);
- ``pct_van_voorraad`` is 100 × totaal / woningvoorraad (empty when the stock is unknown or 0);
- ``transformatie_realistisch`` is the sum of the buildings' transformatie homes ×
  realisatiekans (a decimal figure, not a whole number of homes);
- after the DOMAIN.md columns, per scan ``<scan>_onbekend`` (buildings that could not be
  judged: an input was missing) and ``<scan>_woningen_geschat`` (homes whose ``<scan>_bron``
  says ``geschat: …``).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from layers.texts import Translatable
from scans.constraints import JA_MITS, congestion_values, nplv_flags
from scans._rules import by_unique
from scans.inputs import BUITEN_GEBIED_CODE, BUITEN_GEBIED_NAAM

def gebied_columns(scan_names) -> list[str]:
    """Output columns of ``gebieden_potentie`` (DOMAIN.md), with the scan columns inserted."""
    return (
        ["gebied_code", "gebied_naam", "woningvoorraad"]
        + [f"{s}_woningen" for s in scan_names]
        + [
            "totaal_woningen",
            "transformatie_realistisch",
            "pct_van_voorraad",
            "woningen_ja_mits",
            "woningen_uitgesloten_nee_tenzij",
            "woningen_in_congestie",
            "netimpact_kw",
            "woningen_nplv",
            "realisatiestimulans_eur",
        ]
        + [f"{s}_{what}" for s in scan_names for what in ("onbekend", "woningen_geschat")]
    )


def estimated(bron: pd.Series) -> np.ndarray:
    """True where a ``<scan>_bron`` text says the homes rest on an estimate (``geschat: …``)."""
    return by_unique(bron, lambda u: u.str.startswith("geschat").to_numpy(dtype=bool)).astype(bool)


def _sums(buildings: pd.DataFrame, key: str, scan_names, congestie_vanaf_code: int) -> pd.DataFrame:
    """Per ``key`` sums of the building columns behind every aggregate figure."""
    total = buildings["totaal_woningen"].to_numpy(dtype="int64")
    parts = {f"{s}_woningen": buildings[f"{s}_woningen"].to_numpy(dtype="int64") for s in scan_names}
    parts["totaal_woningen"] = total
    parts["transformatie_realistisch"] = (
        buildings["transformatie_realistisch"].to_numpy(dtype="float64")
        if "transformatie_realistisch" in buildings
        else np.zeros(len(buildings))
    )
    ja_mits = (buildings["water_bodem"] == JA_MITS).fillna(False).to_numpy(dtype=bool)  # compared in Arrow, no text per row
    parts["woningen_ja_mits"] = np.where(ja_mits, total, 0)
    parts["woningen_uitgesloten_nee_tenzij"] = buildings["uitgesloten_nee_tenzij"].to_numpy(dtype="int64")
    parts["woningen_in_congestie"] = np.where(congestion_values(buildings["netcongestie"]) >= congestie_vanaf_code, total, 0)
    parts["netimpact_kw"] = buildings["netimpact_kw"].to_numpy(dtype="float64")
    parts["woningen_nplv"] = np.where(nplv_flags(buildings["nplv"]), total, 0)
    parts["realisatiestimulans_eur"] = buildings["realisatiestimulans_eur"].to_numpy(dtype="float64")
    for s in scan_names:
        # buildings that could not be judged, and the homes that rest on an estimate (a result
        # without these columns, from before they existed, counts none)
        unknown = buildings[f"{s}_onbekend"].to_numpy(dtype=bool) if f"{s}_onbekend" in buildings else np.zeros(len(buildings), dtype=bool)
        parts[f"{s}_onbekend"] = unknown.astype("int64")
        homes = parts[f"{s}_woningen"]
        parts[f"{s}_woningen_geschat"] = np.where(estimated(buildings[f"{s}_bron"]), homes, 0) if f"{s}_bron" in buildings else np.zeros_like(homes)
    # group on integer codes (sorted like the keys) instead of hashing a text per row; rows without a key drop out
    codes, keys = pd.factorize(buildings[key], sort=True)
    present = codes >= 0
    if not present.all():
        codes = codes[present]
        parts = {name: values[present] for name, values in parts.items()}
    groups = len(keys)  # every key occurs (factorize lists the keys found)
    floats = [name for name, values in parts.items() if values.dtype.kind == "f"]
    # whole numbers: bincount adds them in float64, exact far beyond any count of homes (< 2**53);
    # decimals: pandas' grouped sum (compensated summation), as before
    float_sums = pd.DataFrame({name: parts[name] for name in floats}).groupby(codes, sort=True).sum() if floats else None
    sums = pd.DataFrame({
        name: (float_sums[name].to_numpy() if name in floats
               else np.rint(np.bincount(codes, weights=values, minlength=groups)).astype("int64"))
        for name, values in parts.items()
    }, index=pd.Index(np.asarray(keys, dtype=object), name=key))
    return sums


def aggregate(
    buildings_result: pd.DataFrame,
    gebieden: gpd.GeoDataFrame | None,
    scan_names=("optoppen", "splitsen", "transformatie", "boerenerf"),
    *,
    congestie_vanaf_code: int = 2,
) -> gpd.GeoDataFrame:
    """``gebieden_potentie``: one row per gebied (plus ``BUITEN`` when needed) with DOMAIN.md columns.

    ``buildings_result`` is the ``gebouwen_potentie`` table (``gebied_code`` assigned for
    this ``gebieden`` layer; use :func:`scans.inputs.assign_gebied` to aggregate on another).
    """
    sums = _sums(buildings_result, "gebied_code", scan_names, congestie_vanaf_code)
    crs = buildings_result.crs if isinstance(buildings_result, gpd.GeoDataFrame) else None
    return aggregate_sums(sums, gebieden, scan_names, crs=crs)


def aggregate_sums(
    sums: pd.DataFrame,
    gebieden: gpd.GeoDataFrame | None,
    scan_names=("optoppen", "splitsen", "transformatie", "boerenerf"),
    *,
    crs=None,
) -> gpd.GeoDataFrame:
    """``gebieden_potentie`` from per-gebied sums (:func:`_sums` indexed by gebied_code).

    The sums of parts of the buildings add up (``pd.concat(parts).groupby(level=0).sum()``),
    which is how the tiled scan (:mod:`scans.tiled`) builds this table.
    """
    columns = gebied_columns(scan_names)
    if gebieden is None:
        base = pd.DataFrame({"gebied_code": pd.Series(dtype=object)})
        geometry = gpd.GeoSeries([], crs=crs)
    else:
        if "gebied_code" not in gebieden.columns:
            raise ValueError(Translatable("laag 'gebieden' heeft geen kolom 'gebied_code'"))
        g = gebieden.reset_index(drop=True)
        # one row per code: multi-part gebieden stored as several rows are dissolved
        if g["gebied_code"].duplicated().any():
            g = g.dissolve(by="gebied_code", as_index=False, aggfunc="first")
        base = pd.DataFrame({"gebied_code": g["gebied_code"].astype(str).to_numpy(dtype=object)})
        base["gebied_naam"] = g["gebied_naam"].to_numpy(dtype=object) if "gebied_naam" in g else None
        base["woningvoorraad"] = (
            pd.to_numeric(g["woningvoorraad"], errors="coerce").to_numpy(dtype="float64")
            if "woningvoorraad" in g
            else np.nan
        )
        geometry = g.geometry.reset_index(drop=True)
    known = set(base["gebied_code"])
    outside = [c for c in sums.index if c not in known]
    if outside:
        extra = pd.DataFrame({"gebied_code": outside})
        extra["gebied_naam"] = np.where(np.asarray(outside) == BUITEN_GEBIED_CODE, BUITEN_GEBIED_NAAM, "onbekend gebied")
        extra["woningvoorraad"] = np.nan
        base = pd.concat([base, extra], ignore_index=True)
        geometry = gpd.GeoSeries(
            list(geometry.to_numpy()) + [None] * len(outside), crs=geometry.crs
        )
    out = base.join(sums, on="gebied_code")
    value_cols = [c for c in sums.columns]
    out[value_cols] = out[value_cols].fillna(0)
    for col in [f"{s}_woningen" for s in scan_names] + [
        "totaal_woningen", "woningen_ja_mits", "woningen_uitgesloten_nee_tenzij", "woningen_in_congestie", "woningen_nplv",
    ] + [f"{s}_{what}" for s in scan_names for what in ("onbekend", "woningen_geschat")]:
        out[col] = out[col].astype("int64")
    voorraad = out["woningvoorraad"].to_numpy(dtype="float64")
    with np.errstate(invalid="ignore", divide="ignore"):
        pct = np.where(voorraad > 0, 100.0 * out["totaal_woningen"].to_numpy() / voorraad, np.nan)
    out["pct_van_voorraad"] = np.round(pct, 2)
    out["transformatie_realistisch"] = np.round(out["transformatie_realistisch"].to_numpy(dtype="float64"), 2)
    out["netimpact_kw"] = np.round(out["netimpact_kw"].to_numpy(dtype="float64"), 2)
    out["realisatiestimulans_eur"] = np.round(out["realisatiestimulans_eur"].to_numpy(dtype="float64"), 2)
    return gpd.GeoDataFrame(out[columns], geometry=geometry.to_numpy(), crs=geometry.crs)


def per_complex(
    buildings_result: pd.DataFrame,
    scan_names=("optoppen", "splitsen", "transformatie", "boerenerf"),
    *,
    congestie_vanaf_code: int = 2,
) -> pd.DataFrame:
    """Per ``complex`` of a corporation's portfolio: number of panden and the same sums."""
    if "complex" not in buildings_result.columns:
        raise ValueError(Translatable("de resultaten hebben geen kolom 'complex' (scan zonder portefeuille)"))
    sums = _sums(buildings_result, "complex", scan_names, congestie_vanaf_code)
    sums.insert(0, "aantal_panden", buildings_result.groupby("complex", sort=True).size().astype("int64"))
    out = sums.reset_index()
    out["transformatie_realistisch"] = np.round(out["transformatie_realistisch"].to_numpy(dtype="float64"), 2)
    return out
