"""Reference pipeline: the same spatial work in plain geopandas, written the obvious way.

What a GIS analyst would write without our engine: ``geopandas.read_file`` for every
layer, the BAG status filter, vbo's counted per pand with a merge, centroid-in-buurt and the
three zone overlays (water/bodem, netcongestie, NPLV) with ``geopandas.sjoin``, the three
rasters sampled at the centroids with rasterio, the worst water/bodem class, a
``groupby`` per buurt and ``to_file`` of both tables. It does not run the four scans' rules
(those exist only in our engine); it computes the figures both pipelines share, which
:func:`compare` checks against our result: buildings per gebied, per water/bodem class,
per netcongestie code, in NPLV, and the raster sums.

Raster sampling uses rasterio's vectorised ``rowcol`` on the band read once. rasterio's
per-point ``DatasetReader.sample`` generator costs ~58 µs per point here (~3 minutes for
1M panden and three rasters), which would measure Python iteration, not the pipeline.
"""

from __future__ import annotations

import time
import tomllib
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import rasterio
import rasterio.transform

#: BAG statuses of objects that are not a real building (as layers.sources.bag drops them).
NOT_REAL = "gesloopt|niet gerealiseerd|ten onrechte|ingetrokken"
KLASSE_CODE = {"ja": 0, "0": 0, "ja_mits": 1, "a": 1, "b": 1, "c": 1, "nee_tenzij": 2, "d": 2}
KLASSEN = np.array(["ja", "ja_mits", "nee_tenzij"], dtype=object)
#: Default thresholds of scans.constraints.ConstraintParams.
BODEMDALING = (10.0, 40.0)
OVERSTROMING = (0.5, 2.0)
KWEL_MITS = 1.0


def _project(path: Path) -> dict[str, dict]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return {key: {**table, "path": path.parent / table["path"]} for key, table in data["layers"].items()}


def _sample(path: Path, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    with rasterio.open(path) as src:
        band = src.read(1, masked=True).astype("float64").filled(np.nan)
        rows, cols = rasterio.transform.rowcol(src.transform, x, y, op=np.floor)
    rows, cols = np.asarray(rows, dtype="int64"), np.asarray(cols, dtype="int64")
    inside = (rows >= 0) & (rows < band.shape[0]) & (cols >= 0) & (cols < band.shape[1])
    out = np.full(len(x), np.nan)
    out[inside] = band[rows[inside], cols[inside]]
    return out


def run(project_path: Path, out_path: Path) -> tuple[dict[str, float], dict]:
    """Run the reference pipeline; returns (stage seconds, figures for :func:`compare`)."""
    layers = _project(Path(project_path))
    stages: dict[str, float] = {}
    t = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal t
        now = time.perf_counter()
        stages[name] = now - t
        t = now

    read = lambda key: gpd.read_file(layers[key]["path"], layer=layers[key].get("layer"))  # noqa: E731
    pand = read("gebouwen")
    vbo = read("verblijfsobjecten")
    buurten = read("buurten")
    zones = read("water_bodem")
    net = read("netcongestie")
    nplv = read("nplv")
    pand = pand[~pand["status"].str.lower().str.contains(NOT_REAL)].reset_index(drop=True)
    vbo = vbo[~vbo["status"].str.lower().str.contains(NOT_REAL)]
    counts = vbo.groupby("pandidentificatie").size().rename("vbo_aantal")
    pand = pand.merge(counts, left_on="identificatie", right_index=True, how="left")
    lap("read")

    centroids = gpd.GeoDataFrame({"pid": np.arange(len(pand))}, geometry=pand.geometry.centroid, crs=pand.crs)
    joined = gpd.sjoin(centroids, buurten[["buurtcode", "water", "geometry"]], how="left", predicate="intersects")
    # a centroid on a shared border: land before water, then the smallest code (as the engine)
    joined["is_water"] = joined["water"].fillna("").str.upper().eq("JA")
    joined = joined.sort_values(["pid", "is_water", "buurtcode"]).drop_duplicates("pid")
    pand["gebied_code"] = joined.set_index("pid")["buurtcode"].reindex(np.arange(len(pand))).fillna("BUITEN").to_numpy()
    lap("gebied")

    zones["code"] = zones["klasse"].str.strip().str.lower().map(KLASSE_CODE)
    z = gpd.sjoin(centroids, zones[["code", "geometry"]], how="inner", predicate="intersects")
    zone_code = z.groupby("pid")["code"].max().reindex(np.arange(len(pand))).fillna(0).to_numpy(dtype="int64")
    n = gpd.sjoin(centroids, net[["status_afname", "geometry"]], how="inner", predicate="intersects")
    pand["netcongestie"] = n.groupby("pid")["status_afname"].max().reindex(np.arange(len(pand))).fillna(-1).astype("int64").to_numpy()
    a = gpd.sjoin(centroids, nplv[["focusgebied", "geometry"]], how="inner", predicate="intersects")
    pand["nplv"] = np.isin(np.arange(len(pand)), a["pid"].to_numpy())
    lap("overlays")

    x, y = centroids.geometry.x.to_numpy(), centroids.geometry.y.to_numpy()
    for role in ("bodemdaling", "overstromingsdiepte", "kwel"):
        pand[role] = _sample(layers[role]["path"], x, y)
    lap("rasters")

    code = zone_code.copy()
    for role, (mits, nee) in (("bodemdaling", BODEMDALING), ("overstromingsdiepte", OVERSTROMING), ("kwel", (KWEL_MITS, np.inf))):
        v = pand[role].to_numpy()
        raster_code = np.where(v > nee, 2, np.where(v >= mits, 1, 0))
        code = np.maximum(code, np.where(np.isnan(v), 0, raster_code))
    pand["water_bodem"] = KLASSEN[code]
    per_gebied = pand.groupby("gebied_code").agg(
        panden=("identificatie", "size"),
        vbo=("vbo_aantal", "sum"),
        in_congestie=("netcongestie", lambda s: int((s >= 2).sum())),
        nplv=("nplv", "sum"),
        bodemdaling=("bodemdaling", "mean"),
    )
    per_gebied = buurten[["buurtcode", "geometry"]].merge(per_gebied, left_on="buurtcode", right_index=True, how="left")
    lap("aggregate")

    out_path = Path(out_path)
    out_path.unlink(missing_ok=True)
    keep = ["identificatie", "gebied_code", "vbo_aantal", "water_bodem", "netcongestie", "nplv",
            "bodemdaling", "overstromingsdiepte", "kwel", "geometry"]
    pand[keep].to_file(out_path, layer="gebouwen", driver="GPKG")
    per_gebied.to_file(out_path, layer="gebieden", driver="GPKG")
    lap("write")
    return stages, figures(pand)


def figures(pand: pd.DataFrame) -> dict:
    """Figures both pipelines compute, keyed for :func:`compare`."""
    return {
        "panden": int(len(pand)),
        "per_gebied": {str(k): int(v) for k, v in pand.groupby("gebied_code").size().items()},
        "water_bodem": {str(k): int(v) for k, v in pand["water_bodem"].value_counts().items()},
        "netcongestie": {str(int(k)): int(v) for k, v in pand["netcongestie"].value_counts().items()},
        "nplv": int(pand["nplv"].sum()),
        "raster_sums": {r: round(float(np.nansum(pand[r].to_numpy(dtype="float64"))), 3)
                        for r in ("bodemdaling", "overstromingsdiepte", "kwel")},
    }


def compare(ours: dict, reference: dict) -> list[str]:
    """Differences between two :func:`figures` dicts (empty when they agree)."""
    problems = []
    for key in ("panden", "per_gebied", "water_bodem", "netcongestie", "nplv", "raster_sums"):
        if ours.get(key) != reference.get(key):
            a, b = ours.get(key), reference.get(key)
            if isinstance(a, dict) and isinstance(b, dict):
                diff = {k: (a.get(k), b.get(k)) for k in set(a) | set(b) if a.get(k) != b.get(k)}
                problems.append(f"{key}: {len(diff)} verschillen, bv. {dict(list(diff.items())[:3])}")
            else:
                problems.append(f"{key}: {a} tegen {b}")
    return problems
