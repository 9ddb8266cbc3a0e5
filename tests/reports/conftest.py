"""A small hand-made scan result with the DOMAIN.md output columns (duck-typed ScanResult)."""

from __future__ import annotations

from types import SimpleNamespace

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from scans.scenarios import resolve_scenario

SCANS = ("optoppen", "splitsen", "transformatie", "boerenerf")


def make_result(n_per_gebied: int = 10) -> SimpleNamespace:
    rng = np.random.default_rng(3)
    codes = ["BU00010001", "BU00010002", "BU00010003"]
    geoms, rows = [], []
    for g, code in enumerate(codes):
        for i in range(n_per_gebied):
            x0 = g * 100 + (i % 5) * 19 + 2
            y0 = (i // 5) * 40 + 5
            geoms.append(box(x0, y0, x0 + 14, y0 + 25))
            rows.append({"pand_id": f"05031000000{g:02d}{i:03d}", "gebied_code": code})
    gebouwen = pd.DataFrame(rows)
    n = len(gebouwen)
    for scan in SCANS:
        homes = np.where(rng.random(n) < 0.3, rng.integers(1, 8, n), 0)
        gebouwen[f"{scan}_woningen"] = homes.astype("int64")
        gebouwen[f"{scan}_reden"] = np.where(homes > 0, "kandidaat", "bouwjaar buiten 1965–1992")
    gebouwen["totaal_woningen"] = gebouwen[[f"{s}_woningen" for s in SCANS]].sum(axis=1)
    gebouwen["water_bodem"] = rng.choice(["ja", "ja_mits", "nee_tenzij"], n, p=[0.6, 0.3, 0.1])
    gebouwen.loc[gebouwen["water_bodem"] == "nee_tenzij", [f"{s}_woningen" for s in SCANS] + ["totaal_woningen"]] = 0
    gebouwen["mitsen"] = np.where(gebouwen["water_bodem"] == "ja_mits", "funderingsadvies nodig", "")
    gebouwen["netcongestie"] = rng.choice([-1, 0, 1, 2, 3], n)
    gebouwen["nplv"] = rng.random(n) < 0.2
    gebouwen = gpd.GeoDataFrame(gebouwen, geometry=geoms, crs="EPSG:28992")

    grouped = gebouwen.groupby("gebied_code")
    gebieden = pd.DataFrame({"gebied_code": codes, "gebied_naam": ["Centrum", "Oost", "Zuid"], "woningvoorraad": [1200, 800, np.nan]})
    for scan in SCANS:
        gebieden[f"{scan}_woningen"] = grouped[f"{scan}_woningen"].sum().reindex(codes).to_numpy()
    gebieden["totaal_woningen"] = grouped["totaal_woningen"].sum().reindex(codes).to_numpy()
    gebieden["transformatie_realistisch"] = gebieden["transformatie_woningen"] / 3
    gebieden["pct_van_voorraad"] = 100 * gebieden["totaal_woningen"] / gebieden["woningvoorraad"]
    t = gebouwen["totaal_woningen"]
    by = lambda mask: t.where(mask, 0).groupby(gebouwen["gebied_code"]).sum().reindex(codes).to_numpy()  # noqa: E731
    gebieden["woningen_ja_mits"] = by(gebouwen["water_bodem"] == "ja_mits")
    gebieden["woningen_uitgesloten_nee_tenzij"] = (
        gebouwen.loc[gebouwen["water_bodem"] == "nee_tenzij"].groupby("gebied_code").size().reindex(codes, fill_value=0).to_numpy()
    )
    gebieden["woningen_in_congestie"] = by(gebouwen["netcongestie"] >= 2)
    gebieden["netimpact_kw"] = gebieden["totaal_woningen"] * 2.0
    gebieden["woningen_nplv"] = by(gebouwen["nplv"])
    gebieden["realisatiestimulans_eur"] = gebieden["totaal_woningen"] * 2 / 3 * 7000 + gebieden["woningen_nplv"] * 12000
    gebieden = gpd.GeoDataFrame(gebieden, geometry=[box(g * 100, 0, g * 100 + 100, 100) for g in range(3)], crs="EPSG:28992")

    complexen = pd.DataFrame({"complex": ["C1", "C2"], "optoppen_woningen": [4, 2], "splitsen_woningen": [0, 1], "totaal_woningen": [4, 3]})
    totals = {f"{s}_woningen": int(gebouwen[f"{s}_woningen"].sum()) for s in SCANS}
    totals["totaal_woningen"] = int(gebouwen["totaal_woningen"].sum())
    return SimpleNamespace(gebouwen=gebouwen, gebieden=gebieden, complexen=complexen, settings=resolve_scenario(None, "standaard"), totals=totals, seconds=1.25)


@pytest.fixture
def fake_result():
    return make_result()
