#!/usr/bin/env python
"""Generate the shipped sample project "Voorbeeldstad", a fictional Dutch town.

Usage::

    python sample_data/generate.py [--out DIR] [--small] [--no-check]

Writes, into ``DIR`` (default: the folder of this script), BAG/3D BAG-like panden
and verblijfsobjecten, CBS-like buurten/wijken/gemeente, netcongestie voedingsgebieden,
water/bodem zones, bodemdaling/overstromingsdiepte/kwel GeoTIFFs, an NPLV focus area,
agricultural yards, a corporation's portefeuille, woningbouwlocaties and the project
file ``voorbeeldstad.toml``. Everything is in RD New (EPSG:28992) and fully determined
by ``SEED``: running the script twice gives identical attribute tables and geometries.

The town is built from district templates (old centre, pre-war ring, post-war flats in
the north, bloemkoolwijk in the west, Vinex in the south, offices and a business park
in the east, farms and greenhouses in the buitengebied). Every district is covered by
a rotated grid of street blocks; each block is filled by a template (rows of
rijtjeshuizen, portiekflats, offices, ...) whose buildings stay inside the block, so
panden never overlap. Column names are the real BAG / 3D BAG / CBS names, so the data
layer maps them like real downloads.

At the end a self-check counts rough candidates per scan and per constraint with the
default rules of DOMAIN.md, computed directly with pandas on the written files (not
with the ``scans`` package), so one can see that every scan finds candidates and every
constraint applies to some of them.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import rasterio
import shapely
from affine import Affine

SEED = 28992
CRS = "EPSG:28992"
CX, CY = 155_000.0, 463_000.0
GM_CODE = "0999"
GM_NAAM = "Voorbeeldstad"
HERE = Path(__file__).resolve().parent

IN_USE_PAND = ("Pand in gebruik", "Pand in gebruik (niet ingemeten)")
EXISTING_VBO = (
    "Verblijfsobject in gebruik",
    "Verblijfsobject in gebruik (niet ingemeten)",
    "Verblijfsobject buiten gebruik",
)
FLAT_ROOFS = ("horizontal", "single horizontal", "multiple horizontal")
# Fixed order in which functions are joined into the pand's `gebruiksdoel`.
FUNCTIONS = (
    "woonfunctie",
    "winkelfunctie",
    "kantoorfunctie",
    "bijeenkomstfunctie",
    "onderwijsfunctie",
    "gezondheidszorgfunctie",
    "sportfunctie",
    "logiesfunctie",
    "industriefunctie",
    "overige gebruiksfunctie",
)
OUTPUT_FILES = (
    "gebouwen.gpkg", "verblijfsobjecten.gpkg", "gebieden.gpkg", "netcongestie.gpkg", "water_bodem.gpkg",
    "nplv.gpkg", "erven.gpkg", "locaties.gpkg", "portefeuille.csv", "bodemdaling.tif", "overstromingsdiepte.tif",
    "kwel.tif", "voorbeeldstad.toml",
)
RASTER_CELL = 25.0
NODATA = -9999.0


# --------------------------------------------------------------------------- layout


def _sig(z):
    return 1.0 / (1.0 + np.exp(-z))


@dataclass(frozen=True)
class Layout:
    """All town-scale distances; ``s`` shrinks the town for the ``--small`` variant."""

    s: float = 1.0

    def r_town(self, t):
        return self.s * (2000 + 150 * np.sin(3 * t + 1.0) + 90 * np.cos(5 * t - 0.4))

    def r_gemeente(self, t):
        return self.s * (4300 + 350 * np.sin(2 * t + 0.6) + 200 * np.cos(3 * t - 1.1) + 120 * np.sin(7 * t))

    def xy(self, dx, dy):
        return CX + self.s * dx, CY + self.s * dy


def radial_polygon(rfun, n=240):
    t = np.linspace(0, 2 * np.pi, n, endpoint=False)
    r = rfun(t)
    return shapely.Polygon(np.c_[CX + r * np.cos(t), CY + r * np.sin(t)])


def ring_sector(r0, r1, a0, a1, n=120):
    """Polygon between radii r0 and r1 (floats or callables of the angle) and angles in degrees."""
    t = np.radians(np.linspace(a0, a1, n))
    ro = r1(t) if callable(r1) else np.full_like(t, r1)
    ri = r0(t) if callable(r0) else np.full_like(t, r0)
    outer = np.c_[CX + ro * np.cos(t), CY + ro * np.sin(t)]
    inner = np.c_[CX + ri * np.cos(t), CY + ri * np.sin(t)][::-1]
    return shapely.make_valid(shapely.Polygon(np.vstack([outer, inner])))


def ellipse(x, y, a, b, angle_deg, n=72):
    t = np.linspace(0, 2 * np.pi, n, endpoint=False)
    ca, sa = np.cos(np.radians(angle_deg)), np.sin(np.radians(angle_deg))
    u, v = a * np.cos(t), b * np.sin(t)
    return shapely.Polygon(np.c_[x + u * ca - v * sa, y + u * sa + v * ca])


def rotated_rect(x, y, w, d, angle_deg):
    """Vectorised rectangles centred at (x, y), width w along the rotated u axis."""
    x, y, w, d, a = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (x, y, w, d, np.radians(angle_deg))))
    ca, sa = np.cos(a), np.sin(a)
    su = np.array([-0.5, 0.5, 0.5, -0.5, -0.5])
    sv = np.array([-0.5, -0.5, 0.5, 0.5, -0.5])
    pu = su[None, :] * w[:, None]
    pv = sv[None, :] * d[:, None]
    px = x[:, None] + pu * ca[:, None] - pv * sa[:, None]
    py = y[:, None] + pu * sa[:, None] + pv * ca[:, None]
    coords = np.round(np.stack([px, py], axis=-1), 3)
    return shapely.polygons(coords)


def build_geography(L: Layout):
    """Municipality, town, districts, river, lakes, derived exclusion zones."""
    gemeente = radial_polygon(L.r_gemeente)
    town = radial_polygon(L.r_town)
    s = L.s
    river_pts = np.array(
        [(-4800, 2500), (-2700, 2300), (-1000, 1950), (500, 1850), (1700, 1500), (2600, 700), (4800, 250)]
    )
    river_line = shapely.LineString(np.c_[CX + s * river_pts[:, 0], CY + s * river_pts[:, 1]])
    river = shapely.intersection(river_line.buffer(18 * max(s, 0.5)), gemeente.buffer(500))
    lakes = [
        ("Voorbeeldplas", ellipse(*L.xy(-3000, 1200), 520 * s, 300 * s, 25)),
        ("Zandwinplas", ellipse(*L.xy(1500, -3250), 380 * s, 220 * s, -15)),
    ]
    r_c, r_s, r_k = 480 * s, 950 * s, 1450 * s
    d = {}
    d["centrum"] = radial_polygon(lambda t: np.full_like(t, r_c) + 25 * s * np.sin(4 * t))
    d["schil"] = shapely.difference(radial_polygon(lambda t: np.full_like(t, r_s)), d["centrum"])
    d["noord"] = ring_sector(r_s, L.r_town, 50, 130)
    d["west"] = ring_sector(r_s, L.r_town, 130, 220)
    d["zuid"] = ring_sector(r_s, L.r_town, 220, 310)
    d["kantorenpark"] = ring_sector(r_s, r_k, -20, 30)
    d["oost"] = shapely.union(ring_sector(r_s, r_k, -50, -20), ring_sector(r_s, r_k, 30, 50))
    d["bedrijventerrein"] = shapely.intersection(
        ring_sector(r_k, lambda t: L.r_town(t) + 450 * s, -50, 50), gemeente.buffer(-200 * s)
    )
    kassen = shapely.intersection(ellipse(*L.xy(2700, -2300), 1000 * s, 650 * s, 40), gemeente.buffer(-150 * s))
    d["kassen"] = shapely.difference(kassen, d["bedrijventerrein"].buffer(150 * s))
    builtup = shapely.union_all([town, d["bedrijventerrein"]])
    outside = shapely.union_all([builtup.buffer(250 * s), d["kassen"].buffer(100 * s)])
    d["buitengebied"] = shapely.difference(gemeente.buffer(-100 * s), outside)
    lake_union = shapely.union_all([g for _, g in lakes])
    return {
        "gemeente": gemeente,
        "town": town,
        "builtup": builtup,
        "districts": d,
        "river_line": river_line,
        "river": river,
        "lakes": lakes,
        "blocked": shapely.union_all([river.buffer(25), lake_union.buffer(20)]),
    }


# ----------------------------------------------------------------------- templates

# Block mix per district: (template, probability, bouwjaar range of the block).
DISTRICTS = {
    "centrum": dict(spacing=60, angle=12, blocks=[
        ("perimeter", 0.76, None), ("kantoren", 0.06, (1965, 2005)), ("voorz", 0.10, (1880, 1990)),
        ("heren", 0.08, (1860, 1935)), ("leeg", 0.07, None)]),
    "schil": dict(spacing=70, angle=12, blocks=[
        ("heren", 0.42, (1880, 1939)), ("rij_oud", 0.36, (1905, 1939)), ("voorz", 0.08, (1900, 1975)),
        ("perimeter", 0.08, None), ("portiek", 0.06, (1950, 1962)), ("leeg", 0.18, None)]),
    "noord": dict(spacing=80, angle=0, blocks=[
        ("portiek", 0.28, (1953, 1974)), ("galerij", 0.17, (1962, 1984)), ("flat3", 0.07, (1974, 1992)),
        ("rij", 0.34, (1955, 1975)), ("tweekap", 0.04, (1960, 1975)), ("voorz", 0.07, (1955, 1985)),
        ("winkelcentrum", 0.03, (1962, 1980)), ("leeg", 0.10, None)]),
    "west": dict(spacing=80, angle=28, blocks=[
        ("rij", 0.57, (1970, 1990)), ("tweekap", 0.14, (1972, 1992)), ("flat3", 0.07, (1975, 1992)),
        ("portiek", 0.04, (1965, 1972)), ("vrij", 0.08, (1975, 1995)), ("voorz", 0.07, (1972, 1995)),
        ("winkelcentrum", 0.03, (1978, 1990)), ("leeg", 0.18, None)]),
    "zuid": dict(spacing=80, angle=-18, blocks=[
        ("rij", 0.44, (1993, 2015)), ("tweekap", 0.20, (1995, 2016)), ("vrij", 0.26, (1995, 2021)),
        ("appartement", 0.05, (2000, 2015)), ("voorz", 0.05, (1997, 2012)), ("leeg", 0.2, None)]),
    "oost": dict(spacing=80, angle=5, blocks=[
        ("rij", 0.58, (1980, 2000)), ("tweekap", 0.18, (1982, 2000)), ("vrij", 0.12, (1985, 2005)),
        ("voorz", 0.12, (1982, 2000)), ("leeg", 0.10, None)]),
    "kantorenpark": dict(spacing=80, angle=5, blocks=[
        ("kantoren", 0.32, (1968, 2008)), ("hallen", 0.43, (1970, 2000)), ("voorz", 0.12, (1975, 2005)),
        ("appartement", 0.13, (2005, 2018))]),
    "bedrijventerrein": dict(spacing=90, angle=5, blocks=[
        ("hallen", 0.72, (1965, 2018)), ("warehouse", 0.14, (1990, 2020)), ("kantoren", 0.04, (1975, 2005)),
        ("leeg", 0.10, None)]),
    "kassen": dict(spacing=160, angle=40, blocks=[
        ("kassen", 0.72, (1975, 2015)), ("leeg", 0.28, None)]),
    "buitengebied": dict(spacing=420, angle=8, blocks=[
        ("farm", 0.56, (1880, 1975)), ("lint", 0.16, (1900, 1980)), ("leeg", 0.28, None)]),
}


def grid_cells(area, spacing, angle_deg, blocked, inset=4.0):
    """Centres of the grid squares that lie completely inside ``area`` and off ``blocked``."""
    a = np.radians(angle_deg)
    minx, miny, maxx, maxy = area.bounds
    half_extent = np.hypot(maxx - CX, maxy - CY)
    half_extent = max(half_extent, np.hypot(minx - CX, miny - CY), np.hypot(maxx - CX, miny - CY),
                      np.hypot(minx - CX, maxy - CY)) + spacing
    n = int(np.ceil(2 * half_extent / spacing))
    k = (np.arange(n) - n / 2 + 0.5) * spacing
    uu, vv = np.meshgrid(k, k)
    uu, vv = uu.ravel(), vv.ravel()
    x = CX + uu * np.cos(a) - vv * np.sin(a)
    y = CY + uu * np.sin(a) + vv * np.cos(a)
    near = (x > minx - spacing) & (x < maxx + spacing) & (y > miny - spacing) & (y < maxy + spacing)
    x, y = x[near], y[near]
    cells = rotated_rect(x, y, spacing, spacing, angle_deg)
    shrunk = area.buffer(-inset)
    shapely.prepare(shrunk)
    ok = shapely.contains(shrunk, cells) & ~shapely.intersects(blocked, cells)
    return x[ok], y[ok]


def _expand(counts):
    """Owner index and position within owner for ``counts`` items per owner."""
    counts = np.asarray(counts, dtype=int)
    owner = np.repeat(np.arange(counts.size), counts)
    start = np.repeat(np.cumsum(counts) - counts, counts)
    return owner, np.arange(owner.size) - start


def _u(rng, lo, hi, n):
    return rng.uniform(lo, hi, n)


def tpl_rows(rng, S, n, btype, w_rng, d_rng, group_rng, gap_rng, shed_p, front=6.0, jitter_deg=0.0):
    """Two rows of houses (along the north and south street of the block), split in groups."""
    w = _u(rng, *w_rng, n)
    d = _u(rng, *d_rng, n)
    g = rng.integers(group_rng[0], group_rng[1] + 1, n)
    gap = _u(rng, *gap_rng, n)
    L = S - 2 * front
    n_groups = np.maximum(1, np.floor((L + gap) / (g * w + gap))).astype(int)
    k = n_groups * g
    run = k * w + (n_groups - 1) * gap
    # Two rows per block.
    cell = np.repeat(np.arange(n), 2)
    side = np.tile([1.0, -1.0], n)
    owner, i = _expand(k[cell])
    c = cell[owner]
    u = -run[c] / 2 + i * w[c] + (i // g[c]) * gap[c] + w[c] / 2
    v = side[owner] * (S / 2 - front - d[c] / 2)
    out = dict(cell=c, u=u, v=v, w=w[c], d=d[c], rot=rng.uniform(-jitter_deg, jitter_deg, c.size),
               btype=np.full(c.size, btype, dtype=object))
    # Garden sheds behind a share of the houses.
    has = rng.random(c.size) < shed_p
    sw, sd = _u(rng, 2.4, 3.6, has.sum()), _u(rng, 2.4, 3.4, has.sum())
    sv = side[owner][has] * (S / 2 - front - d[c][has] - 6.0 - sd / 2)
    shed = dict(cell=c[has], u=u[has] + rng.uniform(-0.2, 0.2, has.sum()) * w[c][has], v=sv, w=sw, d=sd,
                rot=np.zeros(has.sum()), btype=np.full(has.sum(), "bijgebouw", dtype=object))
    return [out, shed]


def tpl_perimeter(rng, S, n):
    """Old-centre block: narrow, deep panden of varying width along two streets."""
    front = 3.0
    L = S - 2 * front
    m = 14
    widths = rng.uniform(4.5, 9.5, (2 * n, m))
    ends = np.cumsum(widths, axis=1)
    keep = ends <= L
    d = rng.uniform(11.0, 19.0, (2 * n, m))
    side = np.tile([1.0, -1.0], n)[:, None] * np.ones((1, m))
    cell = np.repeat(np.arange(n), 2)[:, None] * np.ones((1, m), dtype=int)
    offset = (L - np.where(keep, ends, 0).max(axis=1, keepdims=True)) / 2
    u = -L / 2 + offset + ends - widths / 2
    v = side * (S / 2 - front - d / 2)
    return [dict(cell=cell[keep].astype(int), u=u[keep], v=v[keep], w=widths[keep], d=d[keep],
                 rot=np.zeros(keep.sum()), btype=np.full(keep.sum(), "centrum", dtype=object))]


def tpl_slabs(rng, S, n, btype, count, L_rng, d_rng):
    """One or two parallel slabs of flats (strokenbouw)."""
    L = _u(rng, *L_rng, n * count)
    d = _u(rng, *d_rng, n * count)
    cell = np.repeat(np.arange(n), count)
    if count == 2:
        v = np.tile([S / 4, -S / 4], n) + rng.uniform(-2, 2, n * count)
    else:
        v = rng.uniform(-4, 4, n)
    slack = np.maximum(0.0, S - 12 - L)
    u = rng.uniform(-0.5, 0.5, n * count) * slack
    return [dict(cell=cell, u=u, v=v, w=L, d=d, rot=np.zeros(n * count), btype=np.full(n * count, btype, dtype=object))]


def tpl_quads(rng, S, n, btype, p, size_rng):
    """Up to four buildings per block, one in each quadrant."""
    q = S / 2
    cell = np.repeat(np.arange(n), 4)
    qu = np.tile([-1, 1, -1, 1], n) * q / 2
    qv = np.tile([-1, -1, 1, 1], n) * q / 2
    keep = rng.random(4 * n) < p
    hi = min(size_rng[1], q - 6)
    w = _u(rng, size_rng[0], hi, 4 * n)
    d = _u(rng, size_rng[0], hi, 4 * n)
    free_u, free_v = (q - 4 - w) / 2, (q - 4 - d) / 2
    u = qu + rng.uniform(-1, 1, 4 * n) * free_u
    v = qv + rng.uniform(-1, 1, 4 * n) * free_v
    return [dict(cell=cell[keep], u=u[keep], v=v[keep], w=w[keep], d=d[keep], rot=np.zeros(keep.sum()),
                 btype=np.full(keep.sum(), btype, dtype=object))]


def tpl_single(rng, S, n, btype, w_rng, d_rng):
    w = np.minimum(_u(rng, *w_rng, n), S - 10)
    d = np.minimum(_u(rng, *d_rng, n), S - 10)
    u = rng.uniform(-1, 1, n) * (S - 10 - w) / 2
    v = rng.uniform(-1, 1, n) * (S - 10 - d) / 2
    return [dict(cell=np.arange(n), u=u, v=v, w=w, d=d, rot=np.zeros(n), btype=np.full(n, btype, dtype=object))]


def tpl_farm(rng, S, n):
    """Farmhouse by the road with one to three barns behind it; one yard per farm."""
    nb = rng.choice([1, 2, 3], size=n, p=[0.2, 0.4, 0.4])
    du = rng.uniform(-0.25, 0.25, n) * S
    dv = rng.uniform(-0.25, 0.25, n) * S
    rot = rng.uniform(-8, 8, n)
    house = dict(cell=np.arange(n), u=np.zeros(n), v=np.full(n, 30.0), w=_u(rng, 9, 12.5, n),
                 d=_u(rng, 14, 20, n), btype=np.full(n, "boerderij", dtype=object))
    house["v"] = 20 + house["d"] / 2
    owner, i = _expand(nb)
    # Barns and stables of 400-1,600 m2: most yards hold more than the 1,000 m2 that buys one home.
    bw = _u(rng, 14, 24, owner.size)
    bd = _u(rng, 30, 65, owner.size)
    barn = dict(cell=owner, u=-20.0 + i * 28.0, v=-10 - bd / 2, w=bw, d=bd,
                btype=np.full(owner.size, "schuur", dtype=object))
    parts = [house, barn]
    for p in parts:
        c = p["cell"]
        ca, sa = np.cos(np.radians(rot[c])), np.sin(np.radians(rot[c]))
        u0, v0 = p["u"], p["v"]
        p["u"], p["v"] = du[c] + u0 * ca - v0 * sa, dv[c] + u0 * sa + v0 * ca
        p["rot"] = rot[c]
    return parts


def tpl_lint(rng, S, n):
    k = rng.integers(1, 4, n)
    owner, i = _expand(k)
    m = owner.size
    w, d = _u(rng, 8, 12, m), _u(rng, 9, 13, m)
    u = -120.0 + i * 120.0 + rng.uniform(-20, 20, m)
    v = rng.uniform(-30, 30, m)
    rot = rng.uniform(-6, 6, m)
    houses = dict(cell=owner, u=u, v=v, w=w, d=d, rot=rot, btype=np.full(m, "lint", dtype=object))
    sw, sd = _u(rng, 4, 8, m), _u(rng, 5, 10, m)
    shed = dict(cell=owner, u=u + 12.0, v=v - d / 2 - 8 - sd / 2, w=sw, d=sd, rot=rot,
                btype=np.full(m, "bijgebouw", dtype=object))
    return [houses, shed]


def tpl_kassen(rng, S, n):
    w, d = _u(rng, 60, 125, n), _u(rng, 50, 105, n)
    kas = dict(cell=np.arange(n), u=np.zeros(n) - 10, v=np.zeros(n) + 10, w=w, d=d, rot=np.zeros(n),
               btype=np.full(n, "kas", dtype=object))
    has = rng.random(n) < 0.6
    c = np.flatnonzero(has)
    m = c.size
    hw, hd = _u(rng, 9, 12, m), _u(rng, 9, 12, m)
    home = dict(cell=c, u=np.full(m, -S / 2 + 14), v=np.full(m, -S / 2 + 12), w=hw, d=hd, rot=np.zeros(m),
                btype=np.full(m, "bedrijfswoning", dtype=object))
    sw, sd = _u(rng, 12, 18, m), _u(rng, 20, 28, m)
    shed = dict(cell=c, u=np.full(m, -S / 2 + 40), v=np.full(m, -S / 2 + 10 + sd / 2 - 6), w=sw, d=sd,
                rot=np.zeros(m), btype=np.full(m, "bedrijfsschuur", dtype=object))
    return [kas, home, shed]


def fill_block(rng, template, S, n):
    if template == "rij":
        return tpl_rows(rng, S, n, "rij", (5.1, 6.4), (8.0, 10.5), (4, 8), (3.0, 5.0), 0.3)
    if template == "rij_oud":
        return tpl_rows(rng, S, n, "rij", (4.8, 5.8), (8.0, 10.0), (6, 12), (3.0, 4.0), 0.2, front=4.0)
    if template == "heren":
        return tpl_rows(rng, S, n, "heren", (6.0, 8.2), (11.5, 15.5), (3, 8), (3.0, 4.0), 0.15, front=4.0)
    if template == "tweekap":
        return tpl_rows(rng, S, n, "tweekap", (7.0, 8.6), (9.0, 11.0), (2, 2), (4.0, 6.0), 0.3)
    if template == "vrij":
        return tpl_rows(rng, S, n, "vrij", (9.0, 13.0), (9.0, 12.0), (1, 1), (9.0, 14.0), 0.35, jitter_deg=4.0)
    if template == "perimeter":
        return tpl_perimeter(rng, S, n)
    if template == "portiek":
        return tpl_slabs(rng, S, n, "portiek", 2, (34.0, 62.0), (9.5, 11.0))
    if template == "galerij":
        return tpl_slabs(rng, S, n, "galerij", 1, (48.0, 68.0), (10.5, 12.5))
    if template == "flat3":
        return tpl_slabs(rng, S, n, "flat3", 2, (28.0, 46.0), (11.0, 13.5))
    if template == "appartement":
        return tpl_slabs(rng, S, n, "appartement", 1, (26.0, 44.0), (14.0, 18.0))
    if template == "kantoren":
        return tpl_quads(rng, S, n, "kantoor", 0.55, (14.0, 34.0))
    if template == "hallen":
        return tpl_quads(rng, S, n, "hal", 0.8, (18.0, 40.0))
    if template == "warehouse":
        return tpl_single(rng, S, n, "warehouse", (55.0, 80.0), (45.0, 80.0))
    if template == "voorz":
        return tpl_single(rng, S, n, "voorz", (18.0, 42.0), (15.0, 35.0))
    if template == "winkelcentrum":
        return tpl_single(rng, S, n, "winkelcentrum", (40.0, 62.0), (28.0, 45.0))
    if template == "farm":
        return tpl_farm(rng, S, n)
    if template == "lint":
        return tpl_lint(rng, S, n)
    if template == "kassen":
        return tpl_kassen(rng, S, n)
    raise ValueError(f"unknown block template {template!r}")


def generate_buildings(rng, geo, L: Layout):
    """Place all panden; returns a DataFrame with geometry and generation metadata."""
    frames = []
    block_id0 = 0
    for dname, spec in DISTRICTS.items():
        area = geo["districts"][dname]
        if area.is_empty:
            continue
        x, y = grid_cells(area, spec["spacing"], spec["angle"], geo["blocked"])
        if x.size == 0:
            continue
        names = [b[0] for b in spec["blocks"]]
        probs = np.array([b[1] for b in spec["blocks"]])
        choice = rng.choice(len(names), size=x.size, p=probs / probs.sum())
        for ti, (tname, _, years) in enumerate(spec["blocks"]):
            cells = np.flatnonzero(choice == ti)
            # "leeg": parks, sports fields and water, no buildings.
            if tname == "leeg" or cells.size == 0:
                continue
            cyear = rng.integers(years[0], years[1] + 1, cells.size) if years else np.zeros(cells.size, int)
            for part in fill_block(rng, tname, spec["spacing"], cells.size):
                if len(part["cell"]) == 0:
                    continue
                c = cells[part["cell"]]
                a = np.radians(spec["angle"])
                u, v = part["u"], part["v"]
                frames.append(pd.DataFrame({
                    "x": x[c] + u * np.cos(a) - v * np.sin(a),
                    "y": y[c] + u * np.sin(a) + v * np.cos(a),
                    "w": part["w"], "d": part["d"], "angle": spec["angle"] + part["rot"],
                    "btype": part["btype"], "district": dname, "template": tname,
                    "block": block_id0 + c, "block_year": cyear[part["cell"]],
                }))
        block_id0 += x.size
    b = pd.concat(frames, ignore_index=True)
    b["geometry"] = rotated_rect(b["x"], b["y"], b["w"], b["d"], b["angle"])
    # Templates keep buildings inside their block, but rotated farms and sheds could still touch
    # a neighbour or the river: drop the few that overlap anything placed before them.
    # Row houses share walls, so only a real overlap (not touching) counts.
    geoms = b["geometry"].to_numpy()
    left, right = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    pair = left < right
    left, right = left[pair], right[pair]
    overlap = shapely.area(shapely.intersection(geoms[left], geoms[right])) > 0.01
    clash = np.unique(right[overlap])
    bad = np.zeros(len(b), bool)
    bad[clash] = True
    bad |= shapely.intersects(geo["blocked"], b["geometry"].to_numpy())
    b = b.loc[~bad].reset_index(drop=True)
    return b


# ---------------------------------------------------------------------- attributes


def smooth_field(rng, n_waves, amp, wl_rng):
    """A smooth random field f(x, y) as a sum of plane waves (deterministic from ``rng``)."""
    theta = rng.uniform(0, np.pi, n_waves)
    wl = rng.uniform(*wl_rng, n_waves)
    phase = rng.uniform(0, 2 * np.pi, n_waves)
    kx, ky = 2 * np.pi / wl * np.cos(theta), 2 * np.pi / wl * np.sin(theta)

    def f(x, y):
        x = np.asarray(x, float)[..., None] - CX
        y = np.asarray(y, float)[..., None] - CY
        return amp * np.sum(np.sin(kx * x + ky * y + phase), axis=-1) / np.sqrt(n_waves)

    return f


def maaiveld(x, y, noise):
    """Ground level (m NAP): low peat polder in the west, higher sand in the east."""
    return -1.6 + 4.2 * _sig((np.asarray(x) - CX + 200) / 900) + noise(x, y)


# Per building type: floors (choices, probabilities), storey height range, flat-roof share.
FORM = {
    "rij": ((2,), (1.0,), (2.7, 3.0), 0.0),
    "heren": ((3,), (1.0,), (3.0, 3.4), 0.05),
    "tweekap": ((2,), (1.0,), (2.7, 3.0), 0.0),
    "vrij": ((1, 2), (0.25, 0.75), (2.8, 3.1), 0.08),
    "lint": ((1, 2), (0.5, 0.5), (2.8, 3.1), 0.0),
    "bijgebouw": ((1,), (1.0,), (2.3, 3.0), 0.45),
    "centrum": ((2, 3, 4), (0.35, 0.45, 0.2), (3.0, 3.6), 0.0),
    "portiek": ((3, 4), (0.35, 0.65), (2.8, 3.0), 0.92),
    "galerij": ((4, 5, 6, 8, 9, 10), (0.22, 0.18, 0.12, 0.18, 0.15, 0.15), (2.8, 3.0), 0.97),
    "flat3": ((3, 4), (0.6, 0.4), (2.8, 3.0), 0.95),
    "appartement": ((4, 5, 6), (0.4, 0.3, 0.3), (2.9, 3.1), 0.95),
    "kantoor": ((2, 3, 4, 5, 6, 8), (0.15, 0.25, 0.25, 0.15, 0.1, 0.1), (3.4, 3.8), 0.97),
    "hal": ((1,), (1.0,), (6.0, 10.0), 0.9),
    "warehouse": ((1,), (1.0,), (11.0, 13.5), 1.0),
    "voorz": ((1, 2, 3), (0.4, 0.4, 0.2), (3.6, 4.4), 0.6),
    "winkelcentrum": ((1, 2), (0.4, 0.6), (4.0, 4.8), 1.0),
    "boerderij": ((1, 2), (0.6, 0.4), (2.8, 3.2), 0.0),
    "schuur": ((1,), (1.0,), (4.5, 7.0), 0.25),
    "kas": ((1,), (1.0,), (4.5, 6.0), 0.0),
    "bedrijfswoning": ((2,), (1.0,), (2.8, 3.0), 0.0),
    "bedrijfsschuur": ((1,), (1.0,), (5.0, 7.0), 0.5),
}


def building_years(rng, b):
    n = len(b)
    year = b["block_year"].to_numpy().astype(int)
    bt = b["btype"].to_numpy()
    tpl = b["template"].to_numpy()
    # Rows and slabs of one block were built together; a few years of spread otherwise.
    spread = rng.integers(-1, 2, n)
    together = np.isin(tpl, ["rij", "rij_oud", "heren", "tweekap", "portiek", "galerij", "flat3"])
    year = year + np.where(together, 0, spread)
    centre = bt == "centrum"
    old = rng.random(n) < 0.8
    year = np.where(centre & old, rng.integers(1620, 1940, n), year)
    year = np.where(centre & ~old, rng.integers(1950, 1992, n), year)
    farm = np.isin(bt, ["schuur", "bedrijfsschuur"])
    year = np.where(farm, rng.integers(1950, 2016, n), year)
    year = np.where(bt == "bijgebouw", np.maximum(year, 0) + rng.integers(0, 30, n), year)
    year = np.minimum(year, 2022)
    unknown = rng.random(n) < 0.004
    year = np.where(unknown, 9999, year)
    ancient = centre & (rng.random(n) < 0.01)
    year = np.where(ancient, 1005, year)
    return year


def building_form(rng, b, mv_noise):
    n = len(b)
    bt = b["btype"].to_numpy()
    floors = np.zeros(n, int)
    hs = np.zeros(n)
    flat = np.zeros(n, bool)
    for t, (choices, probs, hrange, pflat) in FORM.items():
        m = bt == t
        k = int(m.sum())
        if not k:
            continue
        floors[m] = rng.choice(choices, size=k, p=probs)
        hs[m] = rng.uniform(*hrange, k)
        flat[m] = rng.random(k) < pflat
    year = b["bouwjaar"].to_numpy()
    # Some 1965-1985 rows and the post-war infill in the centre got flat roofs.
    flat |= (bt == "rij") & (year >= 1965) & (year <= 1985) & (rng.random(n) < 0.22)
    flat |= (bt == "centrum") & (year >= 1950) & (year < 9999) & (rng.random(n) < 0.8)
    area = b["w"].to_numpy() * b["d"].to_numpy()
    mv = maaiveld(b["x"].to_numpy(), b["y"].to_numpy(), mv_noise)
    eave = floors * hs + np.where(flat, 0.4, 0.0)
    rise = np.where(flat, 0.0, np.minimum(np.minimum(b["w"], b["d"]).to_numpy() * 0.45, 7.0))
    h70 = mv + eave + np.where(flat, rng.uniform(0.0, 0.4, n), 0.6 * rise)
    hmax = mv + eave + np.where(flat, rng.uniform(0.4, 3.0, n), rise)
    flat_kind = rng.choice(["single horizontal", "multiple horizontal", "horizontal"], size=n, p=[0.5, 0.38, 0.12])
    dak = np.where(flat, flat_kind, "slanted").astype(object)
    dak[rng.random(n) < 0.01] = "LOD1"
    dak_plat = np.where(flat, area * rng.uniform(0.88, 0.99, n), area * rng.uniform(0.0, 0.12, n))
    bouwlagen = floors + ((~flat) & (bt != "bijgebouw") & (rng.random(n) < 0.4)).astype(int)
    bouwlagen_missing = (bouwlagen > 5) | ((bt == "bijgebouw") & (rng.random(n) < 0.7)) | (rng.random(n) < 0.02)
    return dict(floors=floors, mv=mv, h70=h70, hmax=hmax, dak=dak, dak_plat=dak_plat,
                bouwlagen=pd.Series(bouwlagen, dtype="Int64").mask(bouwlagen_missing).array,
                area=area)


def generate_vbos(rng, b, form):
    """Verblijfsobjecten per pand, by building type. Returns rows (pand index, function, GBO)."""
    bt = b["btype"].to_numpy()
    area = form["area"]
    floors = form["floors"]
    groups = []

    def add(mask, n, func, gbo_fn):
        idx = np.flatnonzero(mask)
        if idx.size == 0:
            return
        n = np.broadcast_to(np.asarray(n, int), idx.shape) if np.ndim(n) == 0 else np.asarray(n, int)[mask]
        owner, _ = _expand(n)
        gbo = gbo_fn(idx[owner], owner.size)
        groups.append(pd.DataFrame({"pand": idx[owner], "gebruiksdoel": func, "oppervlakte": gbo}))

    u = lambda lo, hi: (lambda p, k: rng.uniform(lo, hi, k))  # noqa: E731
    per_area = lambda lo, hi: (lambda p, k: area[p] * floors[p] * rng.uniform(lo, hi, k))  # noqa: E731

    add(bt == "rij", 1, "woonfunctie", per_area(0.85, 1.18))
    add(bt == "tweekap", 1, "woonfunctie", per_area(0.62, 0.9))
    add(np.isin(bt, ["vrij", "lint"]), 1, "woonfunctie", lambda p, k: area[p] * rng.uniform(0.9, 1.4, k))
    heren_split = rng.random(len(b)) < 0.85
    add((bt == "heren") & ~heren_split, 1, "woonfunctie", per_area(0.48, 0.72))
    n_heren = rng.integers(2, 4, len(b))
    add((bt == "heren") & heren_split, n_heren, "woonfunctie", lambda p, k: area[p] * floors[p] * 0.75 / n_heren[p])
    add(np.isin(bt, ["boerderij"]), 1, "woonfunctie", lambda p, k: area[p] * rng.uniform(0.75, 1.25, k))
    add(bt == "bedrijfswoning", 1, "woonfunctie", per_area(0.6, 0.8))

    # Old centre: shops with homes above, homes only, offices, horeca.
    r = rng.random(len(b))
    c = bt == "centrum"
    up = rng.integers(1, 3, len(b))
    shop = c & (r < 0.55)
    add(shop, 1, "winkelfunctie", lambda p, k: area[p] * rng.uniform(0.75, 0.92, k))
    add(shop, np.minimum(up, np.maximum(floors - 1, 1)), "woonfunctie", u(42, 95))
    homes = c & (r >= 0.55) & (r < 0.76)
    n_homes = np.where(rng.random(len(b)) < 0.2, 1, floors)
    add(homes, n_homes, "woonfunctie", lambda p, k: area[p] * floors[p] * 0.72 / n_homes[p])
    office_mixed = c & (r >= 0.76) & (r < 0.84)
    add(office_mixed, 1, "kantoorfunctie", lambda p, k: area[p] * rng.uniform(0.8, 1.6, k))
    add(office_mixed, 1, "woonfunctie", u(50, 90))
    office = c & (r >= 0.84) & (r < 0.87)
    n_off = rng.integers(1, 3, len(b))
    add(office, n_off, "kantoorfunctie", lambda p, k: area[p] * floors[p] * 0.8 / n_off[p])
    add(c & (r >= 0.87), 1, "bijeenkomstfunctie", lambda p, k: area[p] * floors[p] * 0.8)

    # Flats.
    portieken = np.maximum(2, np.round(b["w"].to_numpy() / 13)).astype(int)
    add(bt == "portiek", portieken * floors * 2, "woonfunctie", u(48, 76))
    per_floor = np.floor(b["w"].to_numpy() / 7.2).astype(int)
    add(bt == "galerij", per_floor * np.where(floors >= 5, floors - 1, floors), "woonfunctie", u(55, 88))
    add(bt == "flat3", np.floor(b["w"].to_numpy() / 9).astype(int) * floors, "woonfunctie", u(62, 98))
    n_app = np.maximum(4, np.floor(area * 0.85 / 85) * floors).astype(int)
    add(bt == "appartement", n_app, "woonfunctie", u(65, 115))
    add((bt == "appartement") & (rng.random(len(b)) < 0.3), 1, "winkelfunctie", lambda p, k: area[p] * 0.8)

    # Offices, halls, warehouses, facilities, shopping centres.
    n_k = rng.integers(1, 5, len(b))
    add(bt == "kantoor", n_k, "kantoorfunctie",
        lambda p, k: area[p] * floors[p] * 0.8 / n_k[p] * rng.uniform(0.8, 1.2, k))
    add((bt == "kantoor") & (rng.random(len(b)) < 0.1), 1, "bijeenkomstfunctie", u(120, 400))
    ind = rng.random(len(b)) < 0.88
    add((bt == "hal") & ind, 1, "industriefunctie", lambda p, k: area[p] * rng.uniform(0.85, 0.97, k))
    add((bt == "hal") & ~ind, 1, "overige gebruiksfunctie", lambda p, k: area[p] * rng.uniform(0.85, 0.97, k))
    add((bt == "hal") & (rng.random(len(b)) < 0.02), 1, "kantoorfunctie", u(80, 420))
    add(bt == "warehouse", 1, "industriefunctie", lambda p, k: area[p] * 0.97)
    vz = rng.choice(["onderwijsfunctie", "sportfunctie", "bijeenkomstfunctie", "gezondheidszorgfunctie"],
                    size=len(b), p=[0.35, 0.2, 0.25, 0.2])
    for f in np.unique(vz):
        add((bt == "voorz") & (vz == f), 1, f, lambda p, k: area[p] * floors[p] * 0.85)
    n_w = rng.integers(6, 17, len(b))
    add(bt == "winkelcentrum", n_w, "winkelfunctie", lambda p, k: area[p] * 0.85 / n_w[p])
    homes_above = (bt == "winkelcentrum") & (floors == 2) & (rng.random(len(b)) < 0.6)
    add(homes_above, rng.integers(6, 13, len(b)), "woonfunctie", u(55, 80))

    # Buitengebied: barns, greenhouses.
    r2 = rng.random(len(b))
    add((bt == "schuur") & (r2 < 0.62), 1, "overige gebruiksfunctie", lambda p, k: area[p] * rng.uniform(0.85, 0.95, k))
    add((bt == "schuur") & (r2 >= 0.62) & (r2 < 0.8), 1, "industriefunctie", lambda p, k: area[p] * 0.9)
    add(bt == "kas", 1, "industriefunctie", lambda p, k: area[p] * 0.97)
    add(bt == "bedrijfsschuur", 1, "industriefunctie", lambda p, k: area[p] * 0.9)

    v = pd.concat(groups, ignore_index=True)
    v["oppervlakte"] = np.maximum(np.round(v["oppervlakte"]), 12).astype(int)
    order = np.lexsort((np.arange(len(v)), v["pand"].to_numpy()))
    return v.iloc[order].reset_index(drop=True)


def vbo_points(rng, b, v):
    """One point per vbo inside its pand (random position in the inner part of the rectangle)."""
    p = v["pand"].to_numpy()
    a = np.radians(b["angle"].to_numpy()[p])
    du = rng.uniform(-0.35, 0.35, len(v)) * b["w"].to_numpy()[p]
    dv = rng.uniform(-0.35, 0.35, len(v)) * b["d"].to_numpy()[p]
    x = b["x"].to_numpy()[p] + du * np.cos(a) - dv * np.sin(a)
    y = b["y"].to_numpy()[p] + du * np.sin(a) + dv * np.cos(a)
    return shapely.points(np.round(x, 3), np.round(y, 3))


def statuses(rng, b, v):
    """Pand and vbo status; a new-build strip at the south edge is 'Bouw gestart'."""
    n = len(b)
    status = np.full(n, "Pand in gebruik", dtype=object)
    status[rng.random(n) < 0.01] = "Pand in gebruik (niet ingemeten)"
    status[rng.random(n) < 0.002] = "Verbouwing pand"
    # New build: the outermost row of blocks in the south.
    south = (b["district"].to_numpy() == "zuid") & np.isin(b["template"].to_numpy(), ["rij", "tweekap"])
    yy = b["y"].to_numpy()
    if south.any():
        cut = np.quantile(yy[south], 0.025)
        status[south & (yy <= cut)] = "Bouw gestart"
    gesloopt = rng.random(n) < 0.002
    # Two post-war flats are demolished: the status rule must exclude them from optoppen.
    flats = np.flatnonzero((b["btype"].to_numpy() == "portiek") & (b["bouwjaar"].to_numpy() >= 1965))
    gesloopt[flats[:2]] = True
    status[gesloopt] = "Pand gesloopt"
    office = np.flatnonzero(b["btype"].to_numpy() == "kantoor")
    status[office[:: max(1, office.size // 3)][:3]] = "Pand buiten gebruik"

    f = v["gebruiksdoel"].to_numpy()
    vac_p = np.select([f == "kantoorfunctie", f == "winkelfunctie", f == "woonfunctie"], [0.26, 0.08, 0.006], 0.03)
    r = rng.random(len(v))
    vstat = np.where(r < vac_p, "Verblijfsobject buiten gebruik", "Verblijfsobject in gebruik").astype(object)
    vstat[(r > 0.99)] = "Verblijfsobject in gebruik (niet ingemeten)"
    ps = status[v["pand"].to_numpy()]
    vstat[ps == "Bouw gestart"] = "Verblijfsobject gevormd"
    vstat[ps == "Pand gesloopt"] = "Verblijfsobject ingetrokken"
    vstat[ps == "Pand buiten gebruik"] = "Verblijfsobject buiten gebruik"
    return status, vstat


def pand_table(b, v, form, status):
    n = len(b)
    p = v["pand"].to_numpy()
    counts = np.bincount(p, minlength=n)
    fcode = pd.Categorical(v["gebruiksdoel"], categories=FUNCTIONS).codes
    mask = np.zeros(n, np.int64)
    np.bitwise_or.at(mask, p, (1 << fcode.astype(np.int64)))
    uniq = np.unique(mask)
    names = {m: ",".join(f for i, f in enumerate(FUNCTIONS) if m >> i & 1) or None for m in uniq}
    doel = pd.Series(mask).map(names).to_numpy(dtype=object)
    opp = v.groupby("pand")["oppervlakte"].agg(["min", "max"]).reindex(np.arange(n))
    pand_id = np.array([f"{GM_CODE}10{i:010d}" for i in 10_000 + np.arange(n)], dtype=object)
    no_3d = status == "Bouw gestart"
    kas = np.isin(b["btype"].to_numpy(), ["kas", "warehouse"])

    def h(a):
        return np.where(no_3d, np.nan, np.round(a, 2))

    dak = form["dak"].copy()
    dak[no_3d] = None
    bouwlagen = form["bouwlagen"].copy()
    bouwlagen[no_3d] = pd.NA
    return pd.DataFrame({
        "identificatie": pand_id,
        "oorspronkelijkbouwjaar": np.where(no_3d, 2025, b["bouwjaar"].to_numpy()).astype("int32"),
        "status": status,
        "gebruiksdoel": doel,
        "aantal_verblijfsobjecten": counts.astype("int32"),
        "oppervlakte_min": pd.array(opp["min"].to_numpy(), dtype="Int64"),
        "oppervlakte_max": pd.array(opp["max"].to_numpy(), dtype="Int64"),
        "b3_h_maaiveld": h(form["mv"]),
        "b3_h_dak_70p": h(form["h70"]),
        "b3_h_dak_max": h(form["hmax"]),
        "b3_dak_type": dak,
        "b3_bouwlagen": bouwlagen,
        "b3_opp_grond": h(form["area"]),
        "b3_opp_dak_plat": h(form["dak_plat"]),
        "b3_kas_warenhuis": kas,
    })


# ------------------------------------------------------------------------- gebieden

WIJKEN = [
    ("01", "Centrum"), ("02", "Noord"), ("03", "West"), ("04", "Zuid"), ("05", "Oost"), ("06", "Buitengebied"),
]
BUURTNAMEN = {
    "01": ["Binnenstad", "Havenkwartier", "Stationsbuurt", "Kerkbuurt", "Vestingbuurt", "Singelbuurt",
           "Molenbuurt", "Bleekveld", "Schilderswijk", "Muziekbuurt", "Oranjebuurt"],
    "02": ["Noorderpark", "Flatwijk Noord", "Vogelbuurt", "Bomenbuurt", "Kastanjehof", "Noorderhaven",
           "Zuiderkruis", "Planetenbuurt", "Rivierzicht", "Noorderveld", "Ooievaarshof"],
    "03": ["Bloemenbuurt", "Westerpolder", "Veenweide", "Sterrenwijk", "Westerhout", "Componistenbuurt",
           "Boerhaavepark", "Dichtersbuurt", "Lindenhof", "Rietland"],
    "04": ["Zuidrand", "De Velden", "Waterrijk", "Parkzoom", "Zuiderhof", "De Akkers", "Laanzicht",
           "Weidebuurt", "Zonnehof", "Bosrand", "Heideveld", "Eikenhorst"],
    "05": ["Oosterkwartier", "Kantorenpark Oost", "Stationsoost", "Spoorzone", "Oosterhout", "Bedrijventerrein De Hoek",
           "Industrieweg", "Havenweg", "Transportweg", "Ambachtsweg", "Oosterpoort", "Energieweg", "Kanaalzone",
           "De Schakel", "Oostrand", "Dukdalf", "Kade Oost", "Spoorhaven"],
    "06": ["Buitengebied Noordoost", "Buitengebied Noord", "Polder Veenzicht", "Buitengebied Zuidwest",
           "Buitengebied Zuid", "Kassengebied De Glazen Akker", "Buitengebied West", "Buitengebied Oost"],
}


def _wijk_of(x, y, L: Layout):
    """Wijk code of a town buurt from the position of its seed point."""
    r = np.hypot(x - CX, y - CY)
    ang = np.degrees(np.arctan2(y - CY, x - CX)) % 360
    return np.select(
        [r < 950 * L.s, (ang >= 50) & (ang < 130), (ang >= 130) & (ang < 220), (ang >= 220) & (ang < 310)],
        ["01", "02", "03", "04"], "05")


def generate_gebieden(rng, geo, L: Layout):
    """Buurten: Voronoi cells of jittered seeds in town, sectors outside, lakes as water buurten."""
    s = L.s
    gemeente = geo["gemeente"]
    builtup = shapely.intersection(geo["builtup"].buffer(120 * s), gemeente)
    spacing = 560.0 * s
    k = np.arange(-6, 7) * spacing
    gx, gy = np.meshgrid(k, k)
    gy = gy + (np.arange(gx.shape[1]) % 2)[None, :] * spacing / 2
    sx = CX + gx.ravel() + rng.uniform(-0.3, 0.3, gx.size) * spacing
    sy = CY + gy.ravel() + rng.uniform(-0.3, 0.3, gx.size) * spacing
    keep = shapely.contains_xy(builtup, sx, sy)
    sx, sy = sx[keep], sy[keep]
    seeds = shapely.multipoints(np.c_[sx, sy])
    vor = shapely.get_parts(shapely.voronoi_polygons(seeds, extend_to=gemeente.buffer(2000)))
    # Match each Voronoi cell to its seed (the order of voronoi_polygons is not guaranteed).
    pts = shapely.points(sx, sy)
    tree = shapely.STRtree(vor)
    pi, ci = tree.query(pts, predicate="within")
    cell_of = np.empty(len(sx), int)
    cell_of[pi] = ci
    town_cells = shapely.intersection(vor[cell_of], builtup)
    # Buitengebied: six sectors of what is left.
    rest = shapely.difference(gemeente, builtup)
    angles = np.arange(0, 360, 60) + 15
    outer = []
    for a0 in angles:
        wedge = ring_sector(1.0, 9000 * s, a0, a0 + 60)
        outer.append(shapely.intersection(rest, wedge))
    polys = list(town_cells) + outer
    wijk = np.r_[_wijk_of(sx, sy, L), np.full(len(outer), "06")]
    water = np.full(len(polys), "NEE", dtype=object)
    lake_polys = [shapely.intersection(g, gemeente) for _, g in geo["lakes"]]
    lake_union = shapely.union_all(lake_polys)
    polys = [shapely.difference(p, lake_union) for p in polys]
    polys += lake_polys
    wijk = np.r_[wijk, ["06"] * len(lake_polys)]
    water = np.r_[water, ["JA"] * len(lake_polys)]
    lake_names = np.r_[np.full(len(polys) - len(lake_polys), "", dtype=object), [n for n, _ in geo["lakes"]]]
    g = gpd.GeoDataFrame({"wijk": wijk, "water": water, "lake": lake_names}, geometry=polys, crs=CRS)
    g["geometry"] = shapely.make_valid(g.geometry.to_numpy())
    # make_valid may return collections with line or point debris: keep the polygon parts only.
    g = g.explode(index_parts=False)
    g = g[g.geometry.area > 0]
    g = g.dissolve(by=g.index, aggfunc="first").reset_index(drop=True)
    # Stable order: by wijk, then north to south, west to east.
    rp = g.geometry.representative_point()
    order = np.lexsort((rp.x.round(0), -rp.y.round(0), g["water"] == "JA", g["wijk"]))
    g = g.iloc[order].reset_index(drop=True)
    names = []
    for w, sub in g.groupby("wijk", sort=True):
        pool = BUURTNAMEN[w]
        for i, idx in enumerate(sub.index):
            if g.at[idx, "water"] == "JA":
                nm = g.at[idx, "lake"]
            else:
                nm = pool[i] if i < len(pool) else f"{dict(WIJKEN)[w]} {i - len(pool) + 2}"
            names.append((idx, nm, f"BU{GM_CODE}{w}{i + 1:02d}"))
    names.sort()
    g["buurtnaam"] = [n for _, n, _ in names]
    g["buurtcode"] = [c for _, _, c in names]
    g["wijkcode"] = "WK" + GM_CODE + g["wijk"]
    g["wijknaam"] = g["wijk"].map(dict(WIJKEN))
    return g


def finish_gebieden(rng, buurten, pand, vbo):
    """Add CBS numbers (woningvoorraad from the vbo's) and build wijken and gemeente."""
    woning = vbo[(vbo["gebruiksdoel"].str.contains("woonfunctie")) & (vbo["status"].isin(EXISTING_VBO))]
    j = gpd.sjoin(woning[["geometry"]], buurten[["buurtcode", "geometry"]], how="inner", predicate="within")
    voorraad = j.groupby("buurtcode").size()
    buurten["woningvoorraad"] = buurten["buurtcode"].map(voorraad).fillna(0).astype("int64")
    per_home = rng.uniform(1.85, 2.6, len(buurten))
    inwoners = np.round(buurten["woningvoorraad"] * per_home).astype("int64")
    huishoudens = np.round(buurten["woningvoorraad"] * rng.uniform(0.93, 0.99, len(buurten))).astype("int64")
    # Meergezinswoning share from the vbo's per pand (a pand with more than one home).
    multi = pand.set_index("identificatie")["aantal_verblijfsobjecten"]
    j2 = j.join(woning[["pandidentificatie"]])
    j2["meer"] = j2["pandidentificatie"].map(multi).to_numpy() > 1
    pct_meer = j2.groupby("buurtcode")["meer"].mean().mul(100).round(0)
    buurten["percentage_meergezinswoning"] = buurten["buurtcode"].map(pct_meer).fillna(-99997).astype("int64")
    true_inwoners = inwoners.copy()
    # CBS suppresses small numbers: the smallest populated buurten get the sentinel.
    populated = np.flatnonzero((buurten["woningvoorraad"] > 0).to_numpy())
    small = populated[np.argsort(buurten["woningvoorraad"].to_numpy()[populated], kind="stable")[:3]]
    inwoners[small] = -99997
    huishoudens[small[:1]] = -99997
    buurten["aantal_inwoners"] = inwoners
    buurten["aantal_huishoudens"] = huishoudens
    buurten["gemeentecode"] = "GM" + GM_CODE
    buurten["gemeentenaam"] = GM_NAAM
    buurten = buurten[["buurtcode", "buurtnaam", "wijkcode", "wijknaam", "gemeentecode", "gemeentenaam", "water",
                       "woningvoorraad", "aantal_inwoners", "aantal_huishoudens", "percentage_meergezinswoning",
                       "geometry"]]
    tot = buurten.assign(inw=true_inwoners)
    wijken = tot.dissolve(by=["wijkcode", "wijknaam"], aggfunc={"woningvoorraad": "sum", "inw": "sum"}).reset_index()
    wijken = wijken.rename(columns={"inw": "aantal_inwoners"})
    wijken["gemeentecode"] = "GM" + GM_CODE
    wijken["gemeentenaam"] = GM_NAAM
    wijken["water"] = "NEE"
    wijken = wijken[["wijkcode", "wijknaam", "gemeentecode", "gemeentenaam", "water", "woningvoorraad",
                     "aantal_inwoners", "geometry"]]
    gem = gpd.GeoDataFrame({
        "gemeentecode": ["GM" + GM_CODE], "gemeentenaam": [GM_NAAM], "water": ["NEE"],
        "woningvoorraad": [int(buurten["woningvoorraad"].sum())], "aantal_inwoners": [int(true_inwoners.sum())],
    }, geometry=[shapely.union_all(buurten.geometry.to_numpy())], crs=CRS)
    return buurten, wijken, gem


# ------------------------------------------------------------ constraints & extras


def generate_netcongestie(geo, L: Layout):
    seeds = [
        ("Voorbeeldstad Noord", (0, 1500), 3), ("Voorbeeldstad Centrum", (0, 0), 2),
        ("Voorbeeldstad Oost", (1500, 200), 1), ("Voorbeeldstad West", (-1500, 0), 2),
        ("Voorbeeldstad Zuid", (0, -1500), 0), ("Veenzicht", (-3200, 2500), -1),
        ("De Glazen Akker", (3000, -2500), 3), ("Oosterbroek", (3000, 2600), 1), ("Zuidwesthoek", (-3000, -2600), 0),
    ]
    xy = np.array([L.xy(*p) for _, p, _ in seeds])
    pts = shapely.points(xy)
    vor = shapely.get_parts(shapely.voronoi_polygons(shapely.multipoints(xy), extend_to=geo["gemeente"].buffer(3000)))
    tree = shapely.STRtree(vor)
    pi, ci = tree.query(pts, predicate="within")
    cell_of = np.empty(len(seeds), int)
    cell_of[pi] = ci
    geom = shapely.intersection(vor[cell_of], geo["gemeente"])
    codes = np.array([c for _, _, c in seeds])
    opwek = np.array([3, 2, 3, 2, 1, -1, 3, 2, 1])
    return gpd.GeoDataFrame({
        "voedingsgebied_id": [f"VG-{GM_CODE}-{i + 1:02d}" for i in range(len(seeds))],
        "voedingsgebied_naam": [n for n, _, _ in seeds],
        "netbeheerder": "Stedin",
        "status_afname": codes.astype("int32"),
        "status_opwek": opwek.astype("int32"),
    }, geometry=geom, crs=CRS)


MITS_OVERSTROMING = "Bouwen alleen met ophoging tot NAP +0,5 m en waterberging 60 mm"
MITS_BODEMDALING = "Funderen op palen tot in de zandlaag; ophogen alleen met lichtgewicht materiaal"


def generate_water_bodem(geo, L: Layout):
    s = L.s
    gem = geo["gemeente"]
    river = geo["river_line"]
    nee_river = shapely.intersection(river.buffer(150 * s), gem)
    mits_river = shapely.difference(shapely.intersection(river.buffer(550 * s), gem), nee_river)
    west_box = shapely.box(CX - 9000, CY - 9000, CX - 1150 * s, CY + 9000)
    veen_nee = shapely.intersection(shapely.box(CX - 9000, CY - 9000, CX - 3300 * s, CY + 9000), gem)
    mits_bodem = shapely.difference(shapely.intersection(west_box, gem), veen_nee)
    rest = shapely.difference(gem, shapely.union_all([nee_river, mits_river, mits_bodem, veen_nee]))
    rows = [
        ("Uiterwaard De Voorbeek", "overstroming", "nee_tenzij",
         "Alleen waterrobuust bouwen buiten het winterbed; geen nieuwe woningen", nee_river),
        ("Beekdal De Voorbeek", "overstroming", "ja_mits", MITS_OVERSTROMING, mits_river),
        ("Veenpolder West", "bodemdaling", "ja_mits", MITS_BODEMDALING, mits_bodem),
        ("Diepe veenpolder", "bodemdaling", "nee_tenzij",
         "Geen nieuwe bebouwing tenzij de veenbodem wordt vernat en gefundeerd op palen", veen_nee),
        ("Zandrug Oost", "grondwater", "ja", None, rest),
    ]
    zones = gpd.GeoDataFrame({
        "zone_naam": [r[0] for r in rows], "thema": [r[1] for r in rows], "klasse": [r[2] for r in rows],
        "mits_toelichting": [r[3] for r in rows], "bron": "Waterschap Voorbeeld", "scenario": "KNMI23 Wh",
        "zichtjaar": np.int32(2050),
    }, geometry=[shapely.make_valid(r[4]) for r in rows], crs=CRS)
    zones = zones[~zones.geometry.is_empty].reset_index(drop=True)
    # National ruimtelijk afwegingskader classes (0 / A-D) in bands around the river.
    bands = [(0, 100, "D"), (100, 250, "C"), (250, 500, "B"), (500, 900, "A")]
    geoms, klassen = [], []
    for lo, hi, k in bands:
        ring = shapely.difference(river.buffer(hi * s), river.buffer(lo * s)) if lo else river.buffer(hi * s)
        geoms.append(shapely.intersection(ring, gem))
        klassen.append(k)
    geoms.append(shapely.difference(gem, river.buffer(900 * s)))
    klassen.append("0")
    kader = gpd.GeoDataFrame({
        "thema": "waterveiligheid", "klasse": klassen, "bron": "Ruimtelijk afwegingskader (voorbeeld)",
        "scenario": "KNMI23 Wh", "zichtjaar": np.int32(2050),
    }, geometry=geoms, crs=CRS)
    return zones, kader


def generate_rasters(rng, geo, L: Layout):
    minx, miny, maxx, maxy = geo["gemeente"].buffer(500).bounds
    minx, miny = np.floor(minx / RASTER_CELL) * RASTER_CELL, np.floor(miny / RASTER_CELL) * RASTER_CELL
    maxx, maxy = np.ceil(maxx / RASTER_CELL) * RASTER_CELL, np.ceil(maxy / RASTER_CELL) * RASTER_CELL
    ncol, nrow = int((maxx - minx) / RASTER_CELL), int((maxy - miny) / RASTER_CELL)
    xs = minx + (np.arange(ncol) + 0.5) * RASTER_CELL
    ys = maxy - (np.arange(nrow) + 0.5) * RASTER_CELL
    X, Y = np.meshgrid(xs, ys)
    s = L.s
    dist = shapely.distance(geo["river_line"], shapely.points(X.ravel(), Y.ravel())).reshape(X.shape)
    inside = shapely.contains_xy(geo["gemeente"].buffer(400), X, Y)
    n1 = smooth_field(rng, 8, 2.5, (1500 * s, 4000 * s))
    n2 = smooth_field(rng, 8, 0.12, (600 * s, 2500 * s))
    n3 = smooth_field(rng, 8, 0.4, (1000 * s, 3000 * s))
    # Peat in the west subsides most (> 40 cm), the sand ridge in the east hardly (< 10 cm).
    bodem = 4.0 + 62.0 * _sig((CX - 1300 * s - X) / (420 * s)) + 5.0 * np.exp(-dist / (350 * s)) + n1(X, Y)
    bodem = np.clip(bodem, 0.0, None)
    flood = 3.3 * np.exp(-dist / (240 * s)) + 0.9 * _sig((CX - 1800 * s - X) / (300 * s)) + n2(X, Y)
    flood = np.where(flood < 0.05, 0.0, flood)
    kwel = 1.4 * _sig((CX - 1200 * s - X) / (600 * s)) - 0.6 * _sig((X - CX - 1500 * s) / (600 * s)) + n3(X, Y)
    out = {}
    for name, arr, units in [("bodemdaling", bodem, "cm"), ("overstromingsdiepte", flood, "m"), ("kwel", kwel, "mm/d")]:
        a = np.where(inside, np.round(arr, 3), NODATA).astype("float32")
        out[name] = (a, units)
    transform = Affine(RASTER_CELL, 0.0, minx, 0.0, -RASTER_CELL, maxy)
    return out, transform


def write_raster(path, arr, transform, units, description):
    profile = dict(driver="GTiff", width=arr.shape[1], height=arr.shape[0], count=1, dtype="float32", crs=CRS,
                   transform=transform, nodata=NODATA, compress="deflate", predictor=3, tiled=True,
                   blockxsize=256, blockysize=256)
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(arr, 1)
        dst.set_band_description(1, description)
        dst.update_tags(1, units=units)
        dst.update_tags(bron="Voorbeeldstad (synthetisch)", scenario="KNMI23 Wh", zichtjaar="2050")


def generate_nplv(buurten):
    sel = buurten[buurten["buurtnaam"].isin(["Flatwijk Noord", "Vogelbuurt", "Bomenbuurt", "Kastanjehof",
                                             "Noorderpark", "Noorderhaven"])]
    geom = shapely.union_all(sel.geometry.to_numpy())
    return gpd.GeoDataFrame({"focusgebied": ["Voorbeeldstad-Noord"], "gemeente": [GM_NAAM],
                             "gemeentecode": ["GM" + GM_CODE],
                             "buurtcodes": [",".join(sel["buurtcode"])]}, geometry=[geom], crs=CRS)


def generate_erven(b, pand):
    farm = b["template"].to_numpy() == "farm"
    f = b.loc[farm, ["block", "geometry"]].copy()
    hull = f.groupby("block")["geometry"].agg(lambda g: shapely.union_all(g.to_numpy()))
    # Yard = oriented bounding box of the farm buildings, widened by 15 m of erf.
    yard = shapely.buffer(shapely.oriented_envelope(hull.to_numpy()), 15, join_style="mitre")
    ids = pand.loc[farm, "identificatie"].groupby(b.loc[farm, "block"].to_numpy()).agg(",".join)
    return gpd.GeoDataFrame({
        "erf_id": [f"ERF-{i + 1:03d}" for i in range(len(hull))],
        "type": "agrarisch",
        "pand_ids": ids.reindex(hull.index).to_numpy(),
        "oppervlakte_m2": np.round(shapely.area(yard)).astype("int64"),
    }, geometry=yard, crs=CRS)


def generate_portefeuille(rng, b, pand, pand_buurt):
    bt = b["btype"].to_numpy()
    r = rng.random(len(b))
    year = b["bouwjaar"].to_numpy()
    take = ((bt == "portiek") & (r < 0.9)) | ((bt == "galerij") & (r < 0.7)) | ((bt == "flat3") & (r < 0.5))
    take |= (bt == "rij") & (year >= 1950) & (year <= 1978) & (r < 0.12)
    take |= (bt == "appartement") & (r < 0.3)
    take &= pand["status"].to_numpy() != "Pand gesloopt"
    sel = pd.DataFrame({"pand_id": pand["identificatie"].to_numpy()[take],
                        "buurt": pand_buurt[take], "soort": np.where(bt[take] == "rij", "eengezins", "flat")})
    keys = sel[["buurt", "soort"]].drop_duplicates().sort_values(["buurt", "soort"]).reset_index(drop=True)
    keys["nr"] = 101 + np.arange(len(keys))
    sel = sel.merge(keys, on=["buurt", "soort"], how="left")
    sel["complex"] = "Complex " + sel["nr"].astype(str) + " " + sel["buurt"] + np.where(
        sel["soort"] == "flat", "", " eengezins")
    sel["corporatie"] = "Woonstichting Voorbeeldstad"
    return sel[["pand_id", "complex", "corporatie"]]


def generate_locaties(L: Layout):
    rows = [
        ("Stationskwartier", (1150, 250), 320, 200, 20, 450, 0.60, 2026, "hard"),
        ("Zuidrand fase 2", (-300, -2250), 520, 300, -18, 320, 0.35, 2027, "zacht"),
        ("Havenkade", (-900, 1900), 260, 120, -12, 180, 0.45, 2028, "zacht"),
        ("Schoolterrein Noord", (150, 1350), 120, 90, 0, 60, 0.70, 2026, "hard"),
        ("Polderzicht", (-2100, -300), 300, 220, 28, 120, 0.30, 2029, "idee"),
        ("Erf De Hoeve", (2900, 2300), 120, 90, 8, 6, 0.0, 2027, "idee"),
        ("Kloosterhof", (-150, 120), 90, 70, 12, 35, 0.50, 2025, "hard"),
    ]
    xs, ys = zip(*(L.xy(*r[1]) for r in rows))
    geom = rotated_rect(np.array(xs), np.array(ys), np.array([r[2] for r in rows]) * max(L.s, 0.4),
                        np.array([r[3] for r in rows]) * max(L.s, 0.4), np.array([r[4] for r in rows]))
    return gpd.GeoDataFrame({
        "naam": [r[0] for r in rows], "geplande_woningen": np.array([r[5] for r in rows], "int32"),
        "betaalbaar_aandeel": [r[6] for r in rows], "start_bouw": np.array([r[7] for r in rows], "int32"),
        "planstatus": [r[8] for r in rows],
    }, geometry=geom, crs=CRS)


PROJECT_TOML = """\
# Voorbeeldstad: the shipped sample project of Beter Benutten (a fictional town, GM0999).
# Generated by sample_data/generate.py (deterministic, seed {seed}); regenerate with
#     python sample_data/generate.py [--out DIR]
# Every data file carries the real column names of its source (BAG, 3D BAG with the b3_ prefix,
# CBS wijk- en buurtkaart, the capaciteitskaart codes), so the data layer maps them onto the
# canonical role columns itself and no `columns` mapping is needed here. water_bodem.gpkg also
# holds a layer "afwegingskader" with the national classes 0 / A-D as an alternative source.

[project]
name = "Voorbeeldstad"
format_version = 1

[layers.gebouwen]
path = "gebouwen.gpkg"
layer = "pand"

[layers.verblijfsobjecten]
path = "verblijfsobjecten.gpkg"
layer = "verblijfsobject"

[layers.buurten]
role = "gebieden"
path = "gebieden.gpkg"
layer = "buurten"

[layers.wijken]
role = "gebieden"
path = "gebieden.gpkg"
layer = "wijken"

[layers.gemeente]
role = "gebieden"
path = "gebieden.gpkg"
layer = "gemeente"

[layers.netcongestie]
path = "netcongestie.gpkg"
layer = "voedingsgebieden"

[layers.water_bodem]
path = "water_bodem.gpkg"
layer = "zones"

[layers.bodemdaling]
path = "bodemdaling.tif"

[layers.overstromingsdiepte]
path = "overstromingsdiepte.tif"

[layers.kwel]
path = "kwel.tif"

[layers.nplv]
path = "nplv.gpkg"
layer = "focusgebied"

[layers.erven]
path = "erven.gpkg"
layer = "erven"

[layers.portefeuille]
path = "portefeuille.csv"

[layers.locaties]
path = "locaties.gpkg"
layer = "locaties"
"""


# --------------------------------------------------------------------------- main


def write_gpkg(gdf, path, layer, spatial_index=True):
    gdf.to_file(path, layer=layer, driver="GPKG", engine="pyogrio", SPATIAL_INDEX="YES" if spatial_index else "NO")


def generate(out: Path, small: bool = False) -> dict:
    """Generate the whole project into ``out``; returns the layers in memory."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(SEED)
    L = Layout(0.3 if small else 1.0)
    geo = build_geography(L)
    b = generate_buildings(rng, geo, L)
    b["bouwjaar"] = building_years(rng, b)
    mv_noise = smooth_field(rng, 6, 0.25, (800, 3000))
    form = building_form(rng, b, mv_noise)
    v = generate_vbos(rng, b, form)
    status, vstat = statuses(rng, b, v)
    pand = pand_table(b, v, form, status)
    pand_gdf = gpd.GeoDataFrame(pand, geometry=b["geometry"].to_numpy(), crs=CRS)

    vbo = gpd.GeoDataFrame({
        "identificatie": [f"{GM_CODE}01{i:010d}" for i in 20_000 + np.arange(len(v))],
        "pandidentificatie": pand["identificatie"].to_numpy()[v["pand"].to_numpy()],
        "gebruiksdoel": v["gebruiksdoel"].to_numpy(),
        "oppervlakte": v["oppervlakte"].to_numpy().astype("int32"),
        "status": vstat,
    }, geometry=vbo_points(rng, b, v), crs=CRS)

    buurten = generate_gebieden(rng, geo, L)
    buurten, wijken, gem = finish_gebieden(rng, buurten, pand, vbo)
    rp = gpd.GeoDataFrame(geometry=pand_gdf.geometry.representative_point(), crs=CRS)
    pb = gpd.sjoin(rp, buurten[["buurtnaam", "geometry"]], how="left", predicate="within")
    pand_buurt = pb[~pb.index.duplicated()]["buurtnaam"].fillna("Buitengebied").to_numpy()

    net = generate_netcongestie(geo, L)
    zones, kader = generate_water_bodem(geo, L)
    rasters, transform = generate_rasters(rng, geo, L)
    nplv = generate_nplv(buurten)
    erven = generate_erven(b, pand)
    port = generate_portefeuille(rng, b, pand, pand_buurt)
    loc = generate_locaties(L)

    # Writing a layer into an existing GeoPackage keeps the old file and its free pages:
    # start from fresh files so the output stays small and reproducible.
    for name in OUTPUT_FILES:
        (out / name).unlink(missing_ok=True)
    write_gpkg(pand_gdf, out / "gebouwen.gpkg", "pand")
    # The vbo points are joined to their pand by id, never spatially; without an R-tree the file is
    # a fifth smaller (GDAL and QGIS index on the fly when needed).
    write_gpkg(vbo, out / "verblijfsobjecten.gpkg", "verblijfsobject", spatial_index=False)
    for name, g in [("buurten", buurten), ("wijken", wijken), ("gemeente", gem)]:
        write_gpkg(g, out / "gebieden.gpkg", name)
    write_gpkg(net, out / "netcongestie.gpkg", "voedingsgebieden")
    write_gpkg(zones, out / "water_bodem.gpkg", "zones")
    write_gpkg(kader, out / "water_bodem.gpkg", "afwegingskader")
    write_gpkg(nplv, out / "nplv.gpkg", "focusgebied")
    write_gpkg(erven, out / "erven.gpkg", "erven")
    write_gpkg(loc, out / "locaties.gpkg", "locaties")
    port.to_csv(out / "portefeuille.csv", index=False)
    descriptions = {"bodemdaling": "bodemdaling tot 2050 (cm)",
                    "overstromingsdiepte": "maximale overstromingsdiepte (m)",
                    "kwel": "kwel (+) of wegzijging (-) (mm/d)"}
    for name, (arr, units) in rasters.items():
        write_raster(out / f"{name}.tif", arr, transform, units, descriptions[name])
    (out / "voorbeeldstad.toml").write_text(PROJECT_TOML.format(seed=SEED), encoding="utf-8")
    return {"pand": pand_gdf, "vbo": vbo, "buurten": buurten}


# -------------------------------------------------------------------- checksums


def layer_checksum(path, layer=None) -> str:
    """SHA-256 of a layer's content: attribute table plus geometries rounded to the millimetre.

    GeoPackages carry timestamps, so files are compared by content, not by bytes.
    """
    path = Path(path)
    h = hashlib.sha256()
    if path.suffix == ".tif":
        with rasterio.open(path) as src:
            h.update(src.read(1).tobytes())
            h.update(repr((src.transform, src.crs.to_epsg(), src.nodata)).encode())
        return h.hexdigest()
    gdf = gpd.read_file(path, layer=layer, engine="pyogrio")
    attrs = pd.DataFrame(gdf.drop(columns="geometry"))
    h.update(",".join(attrs.columns).encode())
    h.update(pd.util.hash_pandas_object(attrs.round(6), index=False).to_numpy().tobytes())
    geom = shapely.transform(gdf.geometry.to_numpy(), lambda c: np.round(c, 3))
    h.update(b"".join(shapely.to_wkb(geom)))
    return h.hexdigest()


# -------------------------------------------------------------------- self-check


def _sample(path, x, y):
    with rasterio.open(path) as src:
        arr = src.read(1)
        row, col = rasterio.transform.rowcol(src.transform, x, y)
        row, col = np.asarray(row), np.asarray(col)
        ok = (row >= 0) & (row < src.height) & (col >= 0) & (col < src.width)
        val = np.full(len(x), np.nan)
        val[ok] = arr[row[ok], col[ok]]
        val[val == src.nodata] = np.nan
    return val


def rough_candidates(folder: Path) -> dict[str, pd.Series]:
    """Boolean candidate masks (indexed like the panden) per scan, with the DOMAIN.md defaults."""
    folder = Path(folder)
    pand = gpd.read_file(folder / "gebouwen.gpkg", layer="pand", engine="pyogrio")
    vbo = gpd.read_file(folder / "verblijfsobjecten.gpkg", layer="verblijfsobject", engine="pyogrio")
    in_use = pand["status"].isin(IN_USE_PAND)
    doel = pand["gebruiksdoel"].fillna("")
    year = pand["oorspronkelijkbouwjaar"].where(~pand["oorspronkelijkbouwjaar"].isin([9999]) &
                                                (pand["oorspronkelijkbouwjaar"] > 1005))
    height = pand["b3_h_dak_70p"] - pand["b3_h_maaiveld"]
    lagen = pand["b3_bouwlagen"]
    roof = pand["b3_opp_dak_plat"].fillna(pand.geometry.area)
    optop = (in_use & doel.str.contains("woonfunctie") & (pand["aantal_verblijfsobjecten"] >= 4)
             & year.between(1965, 1992) & pand["b3_dak_type"].isin(FLAT_ROOFS)
             & (lagen.between(3, 5) | (lagen.isna() & (height <= 15))) & (roof >= 150))

    v = vbo[vbo["status"].isin(EXISTING_VBO)]
    woon = v[v["gebruiksdoel"].str.contains("woonfunctie")]
    n_woon = woon.groupby("pandidentificatie").size()
    gbo_woon = woon.groupby("pandidentificatie")["oppervlakte"].max()
    pid = pand["identificatie"]
    split = in_use & (pid.map(n_woon) == 1) & (pid.map(gbo_woon) >= 150)

    kantoor = v[v["gebruiksdoel"].str.contains("kantoorfunctie")]
    transf = (pand["status"].isin(IN_USE_PAND + ("Pand buiten gebruik",)) & ~doel.str.contains("woonfunctie")
              & pid.isin(kantoor["pandidentificatie"]))

    farmish = (in_use & doel.str.contains("industriefunctie|overige gebruiksfunctie") & ~pand["b3_kas_warenhuis"]
               & (year < 2004))
    woonpand = pand[in_use & doel.str.contains("woonfunctie")]
    near = np.zeros(len(pand), bool)
    idx = np.flatnonzero(farmish.to_numpy())
    if idx.size:
        cand_geom = pand.geometry.iloc[idx]
        hit = woonpand.sindex.query(cand_geom, predicate="dwithin", distance=50.0)
        near[idx[np.unique(hit[0])]] = True
    # Outside the built-up area: not inside a buurt of one of the town's wijken.
    buurten = gpd.read_file(folder / "gebieden.gpkg", layer="buurten", engine="pyogrio")
    town = shapely.union_all(buurten.loc[buurten["wijknaam"] != "Buitengebied", "geometry"].to_numpy())
    rp = pand.geometry.representative_point()
    outside = ~shapely.contains_xy(town, rp.x.to_numpy(), rp.y.to_numpy())
    boer = farmish & pd.Series(near & outside, index=pand.index)
    return {"pand": pand, "optoppen": optop, "splitsen": split, "transformatie": transf, "boerenerf": boer}


def self_check(folder: Path) -> dict:
    """Counts of rough candidates per scan and per constraint; prints a small table."""
    folder = Path(folder)
    c = rough_candidates(folder)
    pand = c["pand"]
    pts = pand.geometry.representative_point()
    x, y = pts.x.to_numpy(), pts.y.to_numpy()
    zones = gpd.read_file(folder / "water_bodem.gpkg", layer="zones", engine="pyogrio")
    net = gpd.read_file(folder / "netcongestie.gpkg", layer="voedingsgebieden", engine="pyogrio")
    nplv = gpd.read_file(folder / "nplv.gpkg", layer="focusgebied", engine="pyogrio")
    ptgdf = gpd.GeoDataFrame(geometry=pts, crs=CRS)
    zj = gpd.sjoin(ptgdf, zones[["klasse", "geometry"]], how="left", predicate="within")
    rank = zj["klasse"].map({"ja": 0, "ja_mits": 1, "nee_tenzij": 2})
    worst = rank.groupby(level=0).max().reindex(pand.index)
    nj = gpd.sjoin(ptgdf, net[["status_afname", "geometry"]], how="left", predicate="within")
    code = nj["status_afname"].groupby(level=0).max().reindex(pand.index)
    in_nplv = pd.Series(shapely.contains_xy(shapely.union_all(nplv.geometry.to_numpy()), x, y), index=pand.index)
    bd = pd.Series(_sample(folder / "bodemdaling.tif", x, y), index=pand.index)
    fl = pd.Series(_sample(folder / "overstromingsdiepte.tif", x, y), index=pand.index)
    constraints = {
        "nee_tenzij (zone)": worst == 2, "ja_mits (zone)": worst == 1, "ja (zone)": worst == 0,
        "congestie 2": code == 2, "congestie 3": code == 3, "congestie -1/0/1": code.isin([-1, 0, 1]),
        "nplv": in_nplv,
        "bodemdaling <10": bd < 10, "bodemdaling 10-40": bd.between(10, 40), "bodemdaling >40": bd > 40,
        "overstroming <0.5": fl < 0.5, "overstroming 0.5-2": fl.between(0.5, 2.0), "overstroming >2": fl > 2.0,
    }
    vbo = gpd.read_file(folder / "verblijfsobjecten.gpkg", layer="verblijfsobject", engine="pyogrio",
                        columns=["gebruiksdoel", "status"])
    stock = int((vbo["gebruiksdoel"].str.contains("woonfunctie") & vbo["status"].isin(EXISTING_VBO)).sum())
    roof = pand["b3_opp_dak_plat"].fillna(pand.geometry.area)
    optop_homes = int(np.floor(roof[c["optoppen"]] * 0.75 / 60).sum())
    result = {"panden": len(pand), "woningvoorraad": stock, "optoppen_woningen": optop_homes, "scans": {}}
    for scan in ("optoppen", "splitsen", "transformatie", "boerenerf"):
        m = c[scan]
        result["scans"][scan] = {"kandidaten": int(m.sum()),
                                 **{k: int((m & cm.fillna(False).astype(bool)).sum()) for k, cm in constraints.items()}}
    return result


def print_check(result: dict) -> None:
    share = 100 * result["optoppen_woningen"] / max(result["woningvoorraad"], 1)
    print(f"panden {result['panden']}, woningvoorraad {result['woningvoorraad']}, "
          f"optoppen woningen {result['optoppen_woningen']} ({share:.1f}% van de voorraad)")
    scans = list(result["scans"])
    keys = list(result["scans"][scans[0]])
    print(f"{'':22s}" + "".join(f"{s:>14s}" for s in scans))
    for k in keys:
        print(f"{k:22s}" + "".join(f"{result['scans'][s][k]:>14d}" for s in scans))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=HERE, help="output folder (default: the folder of this script)")
    ap.add_argument("--small", action="store_true",
                    help="a small town for fast determinism tests (too small for every scan to find candidates)")
    ap.add_argument("--no-check", action="store_true", help="skip the self-check")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    generate(args.out, small=args.small)
    print(f"written to {args.out} in {time.perf_counter() - t0:.1f} s")
    if not args.no_check:
        print_check(self_check(args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
