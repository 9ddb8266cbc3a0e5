"""Tiny in-memory datasets for scan tests (canonical columns, EPSG:28992)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
from affine import Affine
from shapely.geometry import Point, box

from layers.raster import RasterData
from scans.inputs import ScanInputs

RD = "EPSG:28992"
X0, Y0 = 100000.0, 450000.0


def square(i: int, side: float = 20.0, spacing: float = 100.0, row: int = 0):
    """A square footprint of ``side`` m at grid slot ``i`` (far apart from the others)."""
    x = X0 + i * spacing
    y = Y0 + row * spacing
    return box(x, y, x + side, y + side)


def flat(**overrides) -> dict:
    """A building record that is an optop candidate unless overridden (roof 400 m² → 5 homes)."""
    rec = dict(
        pand_id="0000100000000001",
        bouwjaar=1975.0,
        status="Pand in gebruik",
        gebruiksdoel="woonfunctie",
        aantal_vbo=8.0,
        oppervlakte_min=70.0,
        oppervlakte_max=80.0,
        h_maaiveld=0.0,
        h_dak_70p=12.0,
        h_dak_max=12.5,
        dak_type="single horizontal",
        bouwlagen=4.0,
        opp_dak_plat=400.0,
        kas_warenhuis=False,
    )
    rec.update(overrides)
    return rec


def buildings(records: list[dict], geoms=None, crs=RD) -> gpd.GeoDataFrame:
    recs = []
    for i, rec in enumerate(records):
        rec = dict(rec)
        rec.setdefault("pand_id", f"{i + 1:016d}")
        if rec["pand_id"] == "0000100000000001" and i:
            rec["pand_id"] = f"{i + 1:016d}"
        recs.append(rec)
    if geoms is None:
        geoms = [square(i) for i in range(len(recs))]
    return gpd.GeoDataFrame(recs, geometry=list(geoms), crs=crs)


def vbo(rows: list[tuple], crs=RD) -> gpd.GeoDataFrame:
    """rows: (vbo_id, pand_id, gebruiksdoel, oppervlakte, status, point)."""
    df = pd.DataFrame(rows, columns=["vbo_id", "pand_id", "gebruiksdoel", "oppervlakte", "status", "geometry"])
    return gpd.GeoDataFrame(df, geometry="geometry", crs=crs)


def polygons(records: list[dict], geoms, crs=RD) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(records, geometry=list(geoms), crs=crs)


def raster(value_at, name: str, units: str = "", shape=(40, 200), cell=10.0) -> RasterData:
    """A raster over the test area; ``value_at(x, y)`` gives the cell value (vectorised)."""
    rows, cols = shape
    transform = Affine(cell, 0, X0 - 500, 0, -cell, Y0 + 300)
    cc, rr = np.meshgrid(np.arange(cols) + 0.5, np.arange(rows) + 0.5)
    xs, ys = transform @ (cc, rr)
    return RasterData(np.asarray(value_at(xs, ys), dtype="float64"), transform, RD, name, units)


def inputs(gebouwen, **kw) -> ScanInputs:
    return ScanInputs(gebouwen=gebouwen, **kw)


def point_in(geom) -> Point:
    return geom.centroid


FUNCTIE_CHOICES = np.array(
    ["woonfunctie", "woonfunctie", "woonfunctie", "kantoorfunctie", "winkelfunctie", "industriefunctie",
     "overige gebruiksfunctie", "woonfunctie,winkelfunctie", "kantoorfunctie,winkelfunctie"],
    dtype=object,
)
DAK_CHOICES = np.array(["single horizontal", "multiple horizontal", "slanted", None, "horizontal"], dtype=object)
STATUS_CHOICES = np.array(
    ["Pand in gebruik"] * 8 + ["Pand gesloopt", "Pand buiten gebruik", None], dtype=object
)


def random_town(seed: int, n: int, *, with_vbo: bool = True, spacing: float = 40.0) -> ScanInputs:
    """A random town of ``n`` panden on a jittered grid, with every layer role filled.

    Vectorised so it also serves the speed test (20,000 panden).
    """
    rng = np.random.default_rng(seed)
    side = int(np.ceil(np.sqrt(n)))
    ix, iy = np.arange(n) % side, np.arange(n) // side
    x = X0 + ix * spacing + rng.uniform(0, 5, n)
    y = Y0 + iy * spacing + rng.uniform(0, 5, n)
    w = rng.uniform(6, 34, n)
    h = rng.uniform(6, 34, n)
    import shapely

    geoms = shapely.box(x, y, x + w, y + h)
    functies = FUNCTIE_CHOICES[rng.integers(0, len(FUNCTIE_CHOICES), n)]
    aantal = rng.integers(1, 12, n).astype(float)
    opp = rng.uniform(40, 400, n)
    bouwlagen = rng.integers(1, 8, n).astype(float)
    bouwlagen[rng.random(n) < 0.3] = np.nan
    hoogte = rng.uniform(3, 24, n)
    hoogte[rng.random(n) < 0.1] = np.nan
    bouwjaar = rng.integers(1900, 2024, n).astype(float)
    bouwjaar[rng.random(n) < 0.05] = np.nan
    gebouwen = gpd.GeoDataFrame(
        {
            "pand_id": [f"0363{i:012d}" for i in range(n)],
            "bouwjaar": bouwjaar,
            "status": STATUS_CHOICES[rng.integers(0, len(STATUS_CHOICES), n)],
            "gebruiksdoel": functies,
            "aantal_vbo": aantal,
            "oppervlakte_min": opp,
            "oppervlakte_max": opp * rng.uniform(1, 1.5, n),
            "h_maaiveld": np.zeros(n),
            "h_dak_70p": hoogte,
            "h_dak_max": hoogte + 1,
            "dak_type": DAK_CHOICES[rng.integers(0, len(DAK_CHOICES), n)],
            "bouwlagen": bouwlagen,
            "opp_dak_plat": np.where(rng.random(n) < 0.3, np.nan, w * h * rng.uniform(0.5, 1.0, n)),
            "kas_warenhuis": rng.random(n) < 0.05,
        },
        geometry=geoms,
        crs=RD,
    )
    vbo_layer = None
    if with_vbo:
        per = aantal.astype(int)
        owner = np.repeat(np.arange(n), per)
        m = owner.size
        vf = functies[owner]
        single = pd.Series(vf).str.split(",").str[0].to_numpy(dtype=object)
        vbo_functie = np.where(rng.random(m) < 0.7, single, vf)
        vx = x[owner] + w[owner] * rng.uniform(0.1, 0.9, m)
        vy = y[owner] + h[owner] * rng.uniform(0.1, 0.9, m)
        pand_ids = gebouwen["pand_id"].to_numpy(dtype=object)[owner]
        pand_ids = np.where(rng.random(m) < 0.1, None, pand_ids)  # some missing ids: linked by location
        vbo_layer = gpd.GeoDataFrame(
            {
                "vbo_id": [f"0363010{i:09d}" for i in range(m)],
                "pand_id": pand_ids,
                "gebruiksdoel": vbo_functie,
                "oppervlakte": rng.uniform(30, 400, m),
                "status": np.where(rng.random(m) < 0.1, "Verblijfsobject buiten gebruik", "Verblijfsobject in gebruik"),
            },
            geometry=shapely.points(vx, vy),
            crs=RD,
        )
    xmin, ymin, xmax, ymax = gebouwen.total_bounds
    xm, ym = (xmin + xmax) / 2, (ymin + ymax) / 2
    gebieden = gpd.GeoDataFrame(
        {
            "gebied_code": ["BU00010001", "BU00010002", "BU00010003", "BU00010004"],
            "gebied_naam": ["Noord", "Oost", "Zuid", "West"],
            "woningvoorraad": [500.0, 800.0, np.nan, 300.0],
            "water": ["NEE", "NEE", "NEE", "JA"],
        },
        geometry=[box(xmin - 1, ym, xm, ymax + 1), box(xm, ym, xmax + 1, ymax + 1),
                  box(xm, ymin - 1, xmax + 1, ym), box(xmin + 50, ymin + 50, xm, ym)],  # leaves a strip outside
        crs=RD,
    )
    dx, dy = (xmax - xmin) / 3, (ymax - ymin) / 3
    water_bodem = gpd.GeoDataFrame(
        {
            "klasse": ["ja_mits", "nee_tenzij", "B", "ja"],
            "thema": ["wateroverlast", "waterveiligheid", "bodemdaling", "drinkwater"],
            "mits_toelichting": ["waterbergend bouwen", "", "lichte ophoging", ""],
            "bron": ["waterschap", "afwegingskader", "afwegingskader", ""],
        },
        geometry=[box(xmin, ymin, xmin + dx, ymax), box(xmin + dx, ymin, xmin + 1.3 * dx, ymin + dy),
                  box(xmax - dx, ymin, xmax, ymax), box(xmin, ymin, xmax, ymax)],
        crs=RD,
    )
    netcongestie = gpd.GeoDataFrame(
        {"status_afname": [0, 1, 2, 3]},
        geometry=[box(xmin, ymin, xm, ym), box(xm, ymin, xmax, ym), box(xmin, ym, xm, ymax), box(xm - dx, ym - dy, xmax, ymax)],
        crs=RD,
    )
    nplv = gpd.GeoDataFrame({"focusgebied": ["Voorbeeld-West"], "gemeente": ["Voorbeeldstad"]},
                            geometry=[box(xmin, ymin, xmin + dx, ymin + dy)], crs=RD)
    rasters = {
        "bodemdaling": raster_over(gebouwen.total_bounds, lambda xs, ys: (xs - xmin) / max(xmax - xmin, 1) * 60, "bodemdaling", "cm"),
        "overstromingsdiepte": raster_over(gebouwen.total_bounds, lambda xs, ys: (ys - ymin) / max(ymax - ymin, 1) * 3, "overstromingsdiepte", "m"),
    }
    portefeuille = pd.DataFrame({"pand_id": gebouwen["pand_id"].iloc[::7].to_numpy(), "complex": [f"C{i % 3}" for i in range(len(gebouwen.iloc[::7]))]})
    return ScanInputs(gebouwen=gebouwen, verblijfsobjecten=vbo_layer, gebieden=gebieden, netcongestie=netcongestie,
                      water_bodem=water_bodem, nplv=nplv, portefeuille=None, rasters=rasters), portefeuille


def raster_over(bounds, value_at, name: str, units: str, cell: float = 25.0) -> RasterData:
    xmin, ymin, xmax, ymax = bounds
    cols = int(np.ceil((xmax - xmin + 100) / cell))
    rows = int(np.ceil((ymax - ymin + 100) / cell))
    transform = Affine(cell, 0, xmin - 50, 0, -cell, ymax + 50)
    cc, rr = np.meshgrid(np.arange(cols) + 0.5, np.arange(rows) + 0.5)
    xs, ys = transform @ (cc, rr)
    return RasterData(np.asarray(value_at(xs, ys), dtype="float64"), transform, RD, name, units)
