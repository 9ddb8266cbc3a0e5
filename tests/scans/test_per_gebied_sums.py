"""``per_gebied._sums`` (bincount for whole numbers, pandas' grouped sum for decimals) equals
pandas' groupby-sum of the same columns, value for value and dtype for dtype."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from scans import per_gebied
from scans._rules import text_array

SCANS = ["optoppen", "splitsen", "transformatie", "boerenerf"]


def _buildings(n: int, categorical: bool, missing: bool) -> pd.DataFrame:
    rng = np.random.default_rng(7)
    codes = rng.integers(0, 9, n)
    texts = [f"BU{c:04d}" for c in range(9)]
    key = text_array(texts, codes) if categorical else pd.array(np.asarray(texts, dtype=object)[codes], dtype="str")
    frame = pd.DataFrame({"gebied_code": key})
    if missing:
        frame.loc[rng.random(n) < 0.1, "gebied_code"] = np.nan
    for name in SCANS:
        frame[f"{name}_woningen"] = rng.integers(0, 40, n)
    frame["totaal_woningen"] = frame[[f"{s}_woningen" for s in SCANS]].sum(axis=1)
    frame["transformatie_realistisch"] = frame["transformatie_woningen"] * 0.3  # decimals that do not add up exactly
    frame["water_bodem"] = text_array(["ja", "ja_mits", "nee_tenzij"], rng.integers(0, 3, n))
    frame["uitgesloten_nee_tenzij"] = rng.integers(0, 3, n)
    frame["netcongestie"] = rng.integers(-1, 4, n)
    frame["netimpact_kw"] = rng.random(n) * 7.1
    frame["nplv"] = rng.random(n) < 0.2
    frame["realisatiestimulans_eur"] = rng.random(n) * 1e5
    for name in SCANS:
        frame[f"{name}_onbekend"] = rng.random(n) < 0.3
        frame[f"{name}_bron"] = text_array(["", "gemeten", "geschat: bouwlagen uit hoogte"], rng.integers(0, 3, n))
    return frame


def _reference(b: pd.DataFrame) -> pd.DataFrame:
    total = b["totaal_woningen"]
    parts = pd.DataFrame({f"{s}_woningen": b[f"{s}_woningen"] for s in SCANS})
    parts["totaal_woningen"] = total
    parts["transformatie_realistisch"] = b["transformatie_realistisch"]
    parts["woningen_ja_mits"] = np.where(b["water_bodem"].astype(str) == "ja_mits", total, 0)
    parts["woningen_uitgesloten_nee_tenzij"] = b["uitgesloten_nee_tenzij"]
    parts["woningen_in_congestie"] = np.where(b["netcongestie"] >= 2, total, 0)
    parts["netimpact_kw"] = b["netimpact_kw"]
    parts["woningen_nplv"] = np.where(b["nplv"], total, 0)
    parts["realisatiestimulans_eur"] = b["realisatiestimulans_eur"]
    for s in SCANS:
        parts[f"{s}_onbekend"] = b[f"{s}_onbekend"].astype("int64")
        parts[f"{s}_woningen_geschat"] = np.where(b[f"{s}_bron"].astype(str).str.startswith("geschat"), b[f"{s}_woningen"], 0)
    key = b["gebied_code"].astype(object)
    sums = parts[key.notna().to_numpy()].groupby(key[key.notna()].to_numpy(), sort=True).sum()
    sums.index = pd.Index(sums.index.to_numpy(dtype=object), name="gebied_code")
    return sums


@pytest.mark.parametrize("categorical", [True, False])
@pytest.mark.parametrize("missing", [False, True])
def test_sums_equal_pandas_groupby(categorical, missing):
    b = _buildings(5_000, categorical, missing)
    got = per_gebied._sums(b, "gebied_code", SCANS, 2)
    pd.testing.assert_frame_equal(got, _reference(b), check_exact=True)
