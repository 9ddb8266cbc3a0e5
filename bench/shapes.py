"""Synthetic projects of other shapes than tiled Voorbeeldstad (issue 22).

``voorbeeldstad`` is :mod:`bench.generate` (the sample town tiled). The others are drawn
procedurally, vectorised with numpy and shapely, in the same project format (BAG pand and
verblijfsobject columns, 3D BAG ``b3_*`` columns, CBS buurten and gemeenten, netcongestie,
water/bodem zones, NPLV, GeoTIFF rasters at 50 m, a project TOML):

``stad``
    a dense city: jittered blocks 16 m apart, mostly multi-family panden (4-60 homes), shops
    and offices; small buurten (one per ~300 panden).
``platteland``
    a rural gemeente: farms (a farmhouse with 2-5 sheds, some greenhouses) every ~350 m and a
    few villages; more agricultural panden than homes; the real buurten density.
``bedrijven``
    a town where ~55 % of the area is bedrijventerrein (industrial sheds 35 m apart with a
    few bedrijfswoningen among them) and the rest town fabric: ~30 % industrial panden.

Every shape has no ``erven`` layer (yards are derived from the panden, the costly case) and
carries complex water/bodem zones: a river of 10k+ vertices with islands as holes and a
MultiPolygon of lakes of 10k+ vertices, besides ~n/300 simple zones of ~50 vertices.
Buurten are squares segmentized to ~100 vertices, about n × 14,000 / 10M of them (the
country's ~14,000 buurten at its ~10M panden), more for ``stad``.

    python -m bench --shapes voorbeeldstad,stad,platteland,bedrijven --sizes 300k   (generates on first use)
"""

from __future__ import annotations

import json
import math
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import rasterio
import shapely
from rasterio.transform import from_origin

from bench.generate import CELL, CRS, DEFAULT_ROOT, NODATA, PROJECT_TOML, generate, size_label

SHAPES = ("voorbeeldstad", "stad", "platteland", "bedrijven")
FORMAT = 2
SEED = 22
#: Buurten per pand in the country (~14,000 buurten, ~10M panden).
BUURTEN_PER_PAND = 14_000 / 10_000_000
GEMEENTE_M = 10_000.0

#: (gebruiksdoel, vbo low, vbo high, side low, side high, year low, year high, storeys low, high)
KINDS = {
    "eengezins": ("woonfunctie", 1, 1, 6, 10, 1900, 2022, 2, 3),
    "meergezins": ("woonfunctie", 4, 24, 15, 35, 1920, 2022, 3, 10),
    "winkel": ("winkelfunctie", 1, 3, 8, 25, 1900, 2020, 1, 3),
    "kantoor": ("kantoorfunctie", 1, 8, 12, 40, 1960, 2020, 2, 8),
    "loods": ("industriefunctie", 1, 2, 20, 60, 1955, 2020, 1, 2),
    "schuur": ("overige gebruiksfunctie", 1, 1, 15, 45, 1950, 2010, 1, 1),
    "stal": ("industriefunctie", 1, 1, 20, 50, 1955, 2015, 1, 1),
}


@dataclass
class Panden:
    x: np.ndarray
    y: np.ndarray
    kind: np.ndarray  # index into KIND_NAMES


KIND_NAMES = tuple(KINDS)


def _kinds(rng, n, weights: dict[str, float]) -> np.ndarray:
    names = list(weights)
    p = np.array([weights[k] for k in names], dtype=float)
    pick = rng.choice(len(names), n, p=p / p.sum())
    return np.array([KIND_NAMES.index(k) for k in names])[pick]


def _fabric(rng, n, x0, y0, side, spacing, weights) -> Panden:
    """n panden on a jittered grid ``spacing`` apart, filling a square of ``side`` from (x0, y0)."""
    cols = max(1, int(side // spacing))
    i = np.arange(n)
    x = x0 + (i % cols) * spacing + rng.uniform(0, spacing * 0.15, n)
    y = y0 + (i // cols) * spacing + rng.uniform(0, spacing * 0.15, n)
    return Panden(x, y, _kinds(rng, n, weights))


def _layout(shape: str, n: int, rng) -> tuple[Panden, float]:
    """Pand positions and kinds, and the side of the square area (m)."""
    town = {"eengezins": 0.55, "meergezins": 0.2, "winkel": 0.1, "kantoor": 0.08, "loods": 0.04, "schuur": 0.03}
    if shape == "stad":
        side = math.sqrt(n) * 16.0
        return _fabric(rng, n, 0.0, 0.0, side, 16.0,
                       {"meergezins": 0.4, "eengezins": 0.35, "winkel": 0.12, "kantoor": 0.1, "loods": 0.03}), side
    if shape == "bedrijven":
        # blocks of 1 km; ~55 % bedrijventerrein (sheds 35 m apart), the rest town fabric 20 m apart
        per_town, per_terrein = int((1000 / 20) ** 2), int((1000 / 35) ** 2)
        terrein = rng.random(2 * math.ceil(n / per_terrein) + 2) < 0.55
        capacity = np.cumsum(np.where(terrein, per_terrein, per_town))
        blocks = int(np.searchsorted(capacity, n)) + 1
        terrein = terrein[:blocks]
        cols = math.ceil(math.sqrt(blocks))
        sizes = np.where(terrein, per_terrein, per_town)
        sizes = np.minimum(sizes, np.maximum(n - np.r_[0, np.cumsum(sizes)[:-1]], 0))
        parts = []
        for b in np.flatnonzero(sizes):
            bx, by = (b % cols) * 1000.0, (b // cols) * 1000.0
            if terrein[b]:
                parts.append(_fabric(rng, sizes[b], bx, by, 1000.0, 35.0, {"loods": 0.8, "kantoor": 0.08, "schuur": 0.07, "eengezins": 0.05}))
            else:
                parts.append(_fabric(rng, sizes[b], bx, by, 1000.0, 20.0, town))
        return Panden(*(np.concatenate([getattr(p, f) for p in parts]) for f in ("x", "y", "kind"))), cols * 1000.0
    if shape == "platteland":
        # villages hold ~15 % of the panden; the rest are farms: a farmhouse and 2-5 sheds
        n_village = int(n * 0.15)
        farms_sheds = rng.integers(2, 6, max(1, n))
        per_farm = 1 + farms_sheds
        n_farms = int(np.searchsorted(np.cumsum(per_farm), n - n_village, side="right"))
        per_farm = per_farm[:n_farms]
        side = math.sqrt(max(n_farms, 1)) * 350.0
        fx = rng.uniform(0, side, n_farms)
        fy = rng.uniform(0, side, n_farms)
        farm_of = np.repeat(np.arange(n_farms), per_farm)
        first = np.r_[0, np.cumsum(per_farm)[:-1]]
        k = np.arange(farm_of.size) - first[farm_of]
        angle = rng.uniform(0, 2 * np.pi, farm_of.size)
        dist = np.where(k == 0, 0.0, 20.0 + 12.0 * k)
        x, y = fx[farm_of] + dist * np.cos(angle), fy[farm_of] + dist * np.sin(angle)
        kind = np.where(k == 0, KIND_NAMES.index("eengezins"),
                        np.where(rng.random(k.size) < 0.6, KIND_NAMES.index("stal"), KIND_NAMES.index("schuur")))
        parts = [Panden(x, y, kind)]
        rest = n - farm_of.size
        villages = max(1, rest // 800)
        for v, count in enumerate(np.diff(np.linspace(0, rest, villages + 1).astype(int))):
            vx, vy = rng.uniform(0, side - 600), rng.uniform(0, side - 600)
            parts.append(_fabric(rng, count, vx, vy, 600.0, 20.0, town))
        return Panden(*(np.concatenate([getattr(p, f) for p in parts]) for f in ("x", "y", "kind"))), side
    raise ValueError(f"onbekende vorm '{shape}' (kies uit {', '.join(SHAPES)})")


def _panden(shape: str, n: int, rng, x0: float, y0: float):
    lay, side = _layout(shape, n, rng)
    lay.x, lay.y = lay.x[:n] - lay.x[:n].min() + x0, lay.y[:n] - lay.y[:n].min() + y0  # sheds may stick out of the area
    kind = lay.kind[:n]
    spec = [KINDS[k] for k in KIND_NAMES]
    col = lambda j: np.array([s[j] for s in spec])[kind]  # noqa: E731
    doel = col(0).astype(object)
    vbo = rng.integers(col(1), col(2) + 1)
    w = rng.uniform(col(3), col(4))
    h = w * rng.uniform(0.6, 1.0, n)
    year = rng.integers(col(5), col(6) + 1).astype("int32")
    floors = rng.integers(col(7), col(8) + 1)
    geoms = shapely.box(lay.x, lay.y, lay.x + w, lay.y + h)
    side = max(side, float((lay.x + w).max() - x0), float((lay.y + h).max() - y0)) + 1.0  # gebieden cover every pand
    area = w * h
    status = np.where(rng.random(n) < 0.03, "Pand buiten gebruik", "Pand in gebruik").astype(object)
    agrarisch = np.isin(kind, [KIND_NAMES.index("stal"), KIND_NAMES.index("schuur")])
    kas = agrarisch & (rng.random(n) < 0.1)
    gm = (np.floor((lay.y - y0) / GEMEENTE_M) * 100 + np.floor((lay.x - x0) / GEMEENTE_M)).astype(int) + 1
    ident = np.char.add(np.char.zfill(gm.astype(str), 4), np.char.add("10", np.char.zfill(np.arange(n).astype(str), 10)))
    pand = gpd.GeoDataFrame({
        "identificatie": ident, "oorspronkelijkbouwjaar": year, "status": status, "gebruiksdoel": doel,
        "aantal_verblijfsobjecten": vbo.astype("int32"), "oppervlakte_min": np.round(area * floors / vbo),
        "oppervlakte_max": np.round(area * floors / vbo), "b3_h_maaiveld": np.full(n, 0.5),
        "b3_h_dak_70p": 0.5 + 3.0 * floors, "b3_h_dak_max": 1.5 + 3.0 * floors,
        "b3_dak_type": np.where(floors >= 3, "horizontal", "slanted").astype(object), "b3_bouwlagen": floors.astype("int32"),
        "b3_opp_grond": area, "b3_opp_dak_plat": np.where(floors >= 3, area * 0.9, 0.0), "b3_kas_warenhuis": kas,
    }, geometry=geoms, crs=CRS)
    owner = np.repeat(np.arange(n), vbo)
    cx, cy = lay.x + w / 2, lay.y + h / 2
    vbos = gpd.GeoDataFrame({
        "identificatie": np.char.add("0000", np.char.add("01", np.char.zfill(np.arange(owner.size).astype(str), 10))),
        "pandidentificatie": ident[owner], "gebruiksdoel": doel[owner], "oppervlakte": np.round(area * floors / vbo)[owner],
        "status": np.where(status[owner] == "Pand in gebruik", "Verblijfsobject in gebruik", "Verblijfsobject buiten gebruik").astype(object),
    }, geometry=shapely.points(cx[owner], cy[owner]), crs=CRS)
    return pand, vbos, side


def _gebieden(shape: str, n: int, pand: gpd.GeoDataFrame, vbo: gpd.GeoDataFrame, x0, y0, side):
    per_pand = BUURTEN_PER_PAND * (2.4 if shape == "stad" else 1.0)
    target = max(4, int(round(n * per_pand)))
    cell = side / max(1, round(math.sqrt(target)))
    k = max(1, int(math.ceil(side / cell)))
    i = np.arange(k * k)
    bx, by = x0 + (i % k) * cell, y0 + (i // k) * cell
    geoms = shapely.segmentize(shapely.box(bx, by, bx + cell, by + cell), cell / 25)
    gm = (np.floor((by - y0 + cell / 2) / GEMEENTE_M) * 100 + np.floor((bx - x0 + cell / 2) / GEMEENTE_M)).astype(int) + 1
    gmc = np.char.zfill(gm.astype(str), 4)
    local = pd.Series(i).groupby(gm).cumcount().to_numpy()
    code = np.char.add(np.char.add("BU", gmc), np.char.zfill(local.astype(str), 4))
    wijk = np.char.add(np.char.add("WK", gmc), np.char.zfill((local // 100).astype(str), 2))
    # homes per buurt from the vbo points (for the CBS columns)
    c = shapely.get_coordinates(vbo.geometry.to_numpy())
    cell_of = (np.clip(((c[:, 1] - y0) // cell).astype(int), 0, k - 1) * k + np.clip(((c[:, 0] - x0) // cell).astype(int), 0, k - 1))
    woon = (vbo["gebruiksdoel"].to_numpy() == "woonfunctie")
    homes = np.bincount(cell_of[woon], minlength=k * k)
    buurten = gpd.GeoDataFrame({
        "buurtcode": code, "buurtnaam": np.char.add("Buurt ", code), "wijkcode": wijk, "wijknaam": np.char.add("Wijk ", wijk),
        "gemeentecode": np.char.add("GM", gmc), "gemeentenaam": np.char.add("Vormstad ", gmc), "water": "NEE",
        "woningvoorraad": homes, "aantal_inwoners": np.round(homes * 2.1).astype(int),
        "aantal_huishoudens": homes, "percentage_meergezinswoning": np.full(k * k, 70 if shape == "stad" else 20),
    }, geometry=geoms, crs=CRS)
    gem = buurten.dissolve(by="gemeentecode", aggfunc={"gemeentenaam": "first", "woningvoorraad": "sum", "aantal_inwoners": "sum"})
    gem = gem.reset_index()
    gem["water"] = "NEE"
    return buurten, gem[["gemeentecode", "gemeentenaam", "water", "woningvoorraad", "aantal_inwoners", "geometry"]]


def _zones(rng, n, x0, y0, side):
    """~n/300 simple zones of ~50 vertices, a river of 10k+ vertices with islands (holes) and a
    MultiPolygon of lakes of 10k+ vertices."""
    m = max(3, n // 300)
    simple = shapely.buffer(shapely.points(x0 + rng.uniform(0, side, m), y0 + rng.uniform(0, side, m)),
                            rng.uniform(50, 300, m), quad_segs=12)
    t = np.linspace(0, 1, 6000)
    river_line = shapely.linestrings(x0 + t * side, y0 + side * (0.5 + 0.15 * np.sin(t * 40) + 0.02 * np.sin(t * 900)))
    river = shapely.buffer(river_line, max(60.0, side / 200), quad_segs=2)
    islands = shapely.buffer(shapely.points(x0 + np.linspace(0.1, 0.9, 8) * side,
                                            y0 + side * (0.5 + 0.15 * np.sin(np.linspace(0.1, 0.9, 8) * 40))), 25.0)
    river = shapely.difference(river, shapely.union_all(islands))
    a = np.linspace(0, 2 * np.pi, 3500, endpoint=False)
    lakes = []
    for j in range(3):
        cx, cy, r = x0 + side * (0.2 + 0.3 * j), y0 + side * 0.2, side * 0.05
        rr = r * (1 + 0.2 * np.sin(a * 37) + 0.05 * np.sin(a * 301))
        lakes.append(shapely.Polygon(np.c_[cx + rr * np.cos(a), cy + rr * np.sin(a)]))
    lake = shapely.MultiPolygon(lakes)
    geoms = np.r_[simple, [river, lake]]
    count = geoms.size
    thema = np.where(rng.random(count) < 0.5, "overstroming", "bodem").astype(object)
    klasse = rng.choice(np.array(["ja_mits", "nee_tenzij", "ja"], dtype=object), count, p=[0.5, 0.3, 0.2])
    klasse[-2:] = "nee_tenzij"
    return gpd.GeoDataFrame({
        "zone_naam": np.char.add("Zone ", np.arange(count).astype(str)), "thema": thema, "klasse": klasse,
        "mits_toelichting": "Synthetisch", "bron": "bench.shapes", "scenario": "KNMI23 Wh", "zichtjaar": 2050,
    }, geometry=geoms, crs=CRS)


def _net(rng, x0, y0, side):
    k = max(2, int(math.ceil(side / 7000.0)))
    cell = side / k
    i = np.arange(k * k)
    bx, by = x0 + (i % k) * cell, y0 + (i // k) * cell
    code = rng.integers(1, 4, k * k)
    return gpd.GeoDataFrame({
        "voedingsgebied_id": np.char.add("VG-", np.char.zfill(i.astype(str), 4)), "voedingsgebied_naam": np.char.add("Voedingsgebied ", i.astype(str)),
        "netbeheerder": "Stedin", "status_afname": code, "status_opwek": code,
    }, geometry=shapely.box(bx, by, bx + cell, by + cell), crs=CRS)


def _write(gdf, path, layer, spatial_index=True):
    pyogrio.write_dataframe(gdf, path, layer=layer, driver="GPKG", use_arrow=True,
                            layer_options={"SPATIAL_INDEX": "YES" if spatial_index else "NO"})


def _rasters(folder: Path, x0, y0, side):
    k = int(math.ceil(side / CELL)) + 1
    xs = (np.arange(k) + 0.5) / k
    gx, gy = np.meshgrid(xs, xs[::-1])
    fields = {
        "bodemdaling": ("cm", 30 + 30 * np.sin(gx * 17) * np.cos(gy * 11)),
        "overstromingsdiepte": ("m", np.clip(1.5 * np.sin(gx * 7 + gy * 5), 0, None)),
        "kwel": ("mm/d", 1 + np.cos(gx * 13) * np.sin(gy * 9)),
    }
    for name, (unit, arr) in fields.items():
        with rasterio.open(folder / f"{name}.tif", "w", driver="GTiff", height=k, width=k, count=1, dtype="float32", crs=CRS,
                           transform=from_origin(x0, y0 + k * CELL, CELL, CELL), nodata=NODATA, compress="deflate",
                           tiled=True) as dst:
            dst.write(arr.astype("float32"), 1)
            dst.set_band_unit(1, unit)


def generate_shape(shape: str, n: int, root: Path = DEFAULT_ROOT, force: bool = False, quiet: bool = False) -> Path:
    """Generate (or reuse) a project of ``shape`` with ``n`` panden; returns its ``bench.toml``."""
    if shape == "voorbeeldstad":
        return generate(n, root, force=force, quiet=quiet)
    if shape not in SHAPES:
        raise ValueError(f"onbekende vorm '{shape}' (kies uit {', '.join(SHAPES)})")
    folder = Path(root) / f"{shape}-{size_label(n)}"
    try:
        meta = json.loads((folder / "manifest.json").read_text())
        if not force and meta.get("format") == FORMAT and meta.get("panden") == n and meta.get("shape") == shape:
            return folder / "bench.toml"
    except (OSError, ValueError):
        pass
    t0 = time.perf_counter()
    rng = np.random.default_rng([SEED, n, SHAPES.index(shape)])
    x0, y0 = 20_000.0, 310_000.0
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    pand, vbo, side = _panden(shape, n, rng, x0, y0)
    buurten, gemeenten = _gebieden(shape, n, pand, vbo, x0, y0, side)
    _write(pand, folder / "gebouwen.gpkg", "pand")
    _write(vbo, folder / "verblijfsobjecten.gpkg", "verblijfsobject", spatial_index=False)
    _write(buurten, folder / "gebieden.gpkg", "buurten")
    _write(gemeenten, folder / "gebieden.gpkg", "gemeenten")
    _write(_net(rng, x0, y0, side), folder / "netcongestie.gpkg", "voedingsgebieden")
    zones = _zones(rng, n, x0, y0, side)
    _write(zones, folder / "water_bodem.gpkg", "zones")
    focus = buurten.iloc[: max(1, len(buurten) // 50)]
    nplv = gpd.GeoDataFrame({"focusgebied": ["Focusgebied Vormstad"], "gemeente": [focus["gemeentenaam"].iloc[0]],
                             "gemeentecode": [focus["gemeentecode"].iloc[0]], "buurtcodes": [",".join(focus["buurtcode"])]},
                            geometry=[shapely.union_all(focus.geometry.to_numpy())], crs=CRS)
    _write(nplv, folder / "nplv.gpkg", "focusgebied")
    _rasters(folder, x0, y0, side)
    toml = PROJECT_TOML.format(name=f"Benchmark {shape} {size_label(n)}", n=n, tiles=len(gemeenten), fmt=FORMAT, size=size_label(n))
    toml = toml.split("[layers.erven]")[0].replace("bench/generate.py", f"bench/shapes.py ({shape})")
    (folder / "bench.toml").write_text(toml, encoding="utf-8")
    meta = {"format": FORMAT, "shape": shape, "panden": len(pand), "verblijfsobjecten": len(vbo), "buurten": len(buurten),
            "gemeenten": len(gemeenten), "zone_vertices": int(shapely.get_num_coordinates(zones.geometry.to_numpy()).sum()),
            "side_m": round(side), "seconds": round(time.perf_counter() - t0, 1)}
    (folder / "manifest.json").write_text(json.dumps(meta, indent=1))
    if not quiet:
        print(f"  {shape} {size_label(n)}: {folder} in {meta['seconds']} s", file=sys.stderr)
    return folder / "bench.toml"

