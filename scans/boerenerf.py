"""Wonen op het boerenerf: homes in exchange for demolished agricultural buildings (VAB).

A yard (erf) comes from the ``erven`` layer when the project has one (a pand belongs to the
erf containing its centroid). Without it, yards are derived from the buildings: candidate
panden (rules below) that lie within ``max_afstand_woning_m`` of a woonfunctie pand,
outside the built-up area, grouped with each other (within ``cluster_afstand_m``) and with
those farmhouses into one erf.

Candidate pand (to be demolished), in order:

1. status in use, or one of ``extra_statussen`` (vacant farm buildings are often
   "Pand buiten gebruik");
2. no woonfunctie;
3. one of ``functies`` (industriefunctie, overige gebruiksfunctie);
4. not a greenhouse or warehouse (3D BAG ``kas_warenhuis``);
5. bouwjaar before ``bouwjaar_voor`` (rood-voor-rood: built before 2004);
6. on an erf: inside an ``erven`` polygon; or (derived) at most ``kom_max_panden`` panden
   within ``kom_straal_m`` (a proxy for "outside the bebouwde kom") and, directly or via
   other candidates within ``cluster_afstand_m``, within ``max_afstand_woning_m`` of a
   woonfunctie pand.

Homes per erf = min(floor(demolished footprint m² / ``sloop_m2_per_woning``),
``max_woningen_per_erf`` × farms on the erf). A derived erf holds one farm per farmhouse on it
(two farms whose sheds lie within ``cluster_afstand_m`` form one erf, with the cap of both), so
joining two yards never lowers the total and tightening a rule never raises it (an ``erven``
polygon is one farm). They are counted once, on the erf's largest candidate pand outside
the exclusion zones (water/bodem nee-tenzij, netcongestie code 3 when excluded), else its largest
(ties: smallest pand_id), so sums over buildings never double count an erf.

A pand whose gebruiksdoel or bouwjaar is missing is *onbekend*, and so is a candidate with no
farmhouse nearby while a pand of unknown function lies within reach. ``boerenerf_bron`` marks
the homes of a derived erf ("erf afgeleid uit de panden") and of sheds whose greenhouse flag
is missing (no 3D BAG).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely
from shapely import STRtree

from scans._fast import query_in_halves, texts_at
from scans._rules import (ONBEKEND, ScanOutcome, by_value, column_at, estimate_texts, first_failure, fmt_num, fmt_scalar, functie_key,
                          isin_lower, per_distinct, framed_run, whole, year_text)
from scans.constraints import EXCLUDED_LOCATION
from scans.inputs import missing_vbo_reason
from layers.feedback import Feedback
from scans.params import param

NAME = "boerenerf"
LABEL = "Wonen op het boerenerf"
DESCRIPTION = "Woningen op agrarische erven in ruil voor sloop van vrijkomende agrarische bebouwing (rood-voor-rood)."


@dataclass(frozen=True)
class Params:
    """Parameters of the boerenerf scan."""

    functies: tuple[str, ...] = param(
        ("industriefunctie", "overige gebruiksfunctie"), vary=False, range_source="lijst van gebruiksdoelen: niet gevarieerd",
        label="Gebruiksdoelen van agrarische bedrijfsgebouwen",
        choices=("industriefunctie", "overige gebruiksfunctie", "kantoorfunctie", "winkelfunctie",
                 "bijeenkomstfunctie", "logiesfunctie", "sportfunctie"),
    )
    extra_statussen: tuple[str, ...] = param(
        ("Pand buiten gebruik", "Sloopvergunning verleend"), vary=False, range_source="lijst van pandstatussen: niet gevarieerd",
        label="Extra pandstatussen voor sloopkandidaten", source="BAG catalogus",
        help="Naast de statussen 'in gebruik': vrijkomende agrarische bebouwing staat vaak buiten gebruik.",
    )
    bouwjaar_voor: int = param(
        2004, low=2000, high=2008, range_source="peiljaar rood-voor-rood verschilt per provincie (standaardwaarde ± 4 jaar)", label="Gebouwd vóór", unit="jaar", source="rood-voor-rood (joostdevree.nl)",
    )
    sloop_m2_per_woning: float = param(
        1000.0, low=850.0, high=1000.0, range_source="rood-voor-rood / ruimte-voor-ruimte: 850–1000 m²", label="Te slopen oppervlakte per woning", unit="m²", minimum=1.0,
        source="rood-voor-rood / ruimte-voor-ruimte: 850–1000 m²",
    )
    max_woningen_per_erf: int = param(
        3, low=2, high=4, range_source="standaardwaarde ± 1 (scenario knooperf: tot 6)", label="Maximaal aantal woningen per erf", unit="woningen", minimum=0,
        help="Per boerderij (woning op het erf); scenario 'knooperf': tot 6.",
    )
    max_afstand_woning_m: float = param(
        50.0, low=30.0, high=75.0, range_source="standaardwaarde (erfgrootte)", label="Maximale afstand tot een woning op het erf", unit="m", minimum=0.0,
        help="Alleen zonder laag 'erven'.",
    )
    cluster_afstand_m: float = param(
        50.0, low=30.0, high=75.0, range_source="standaardwaarde (erfgrootte)", label="Afstand waarbinnen bedrijfsgebouwen één erf vormen", unit="m", minimum=0.0,
        help="Alleen zonder laag 'erven'.",
    )
    kom_straal_m: float = param(
        250.0, low=200.0, high=300.0, range_source="standaardwaarde ± 50 m", label="Straal voor de toets 'buiten de bebouwde kom'", unit="m", minimum=0.0,
        help="Alleen zonder laag 'erven'.",
    )
    kom_max_panden: int = param(
        60, low=40, high=80, range_source="standaardwaarde ± 20 panden", label="Maximaal aantal panden binnen die straal (buiten de kom)", unit="panden", minimum=0,
        help="Meer panden in de buurt: het pand ligt in de bebouwde kom. Alleen zonder laag 'erven'.",
    )



def run_coded(buildings: pd.DataFrame, inputs=None, params: Params | None = None, feedback: Feedback | None = None) -> ScanOutcome:
    """:func:`run` as (homes per building, reasons as codes into a table of texts, sources as
    codes): the pipeline builds the text columns once, after the exclusions of the constraints."""
    p = params or Params()
    b = buildings
    n = len(b)
    geoms = b.geometry.to_numpy()
    status_ok = b["in_gebruik"].to_numpy() | isin_lower(b["status"], p.extra_statussen)
    n_woon_raw = b["n_woonfunctie"].to_numpy(dtype="float64")
    n_woon = np.nan_to_num(n_woon_raw)
    doel_onbekend = b["doel_onbekend"].to_numpy(dtype=bool) | np.isnan(n_woon_raw)
    func = np.nansum([b[f"n_{functie_key(f)}"].to_numpy(dtype="float64") for f in p.functies], axis=0) > 0
    kas = b["kas_warenhuis"].to_numpy(dtype=bool)
    bouwjaar = b["bouwjaar"].to_numpy(dtype="float64")
    base = status_ok & (n_woon <= 0) & ~doel_onbekend & func & ~kas & (bouwjaar < p.bouwjaar_voor)

    erven = getattr(inputs, "erven", None) if inputs is not None else None
    erf_id = np.full(n, -1, dtype="int64")
    farms = np.zeros(n, dtype="int64")  # farmhouses on each derived erf (by erf label)
    kom_count = np.zeros(n)
    near_home = np.zeros(n, dtype=bool)
    maybe_home = np.zeros(n, dtype=bool)
    cand_pos = np.flatnonzero(base)
    if erven is not None:
        points = shapely.points(b["cx"].to_numpy()[cand_pos], b["cy"].to_numpy()[cand_pos])
        qi, ei = STRtree(erven.geometry.to_numpy()).query(points, predicate="intersects")
        if qi.size:
            order = np.lexsort((ei, qi))
            qi, ei = qi[order], ei[order]
            uq, first = np.unique(qi, return_index=True)
            erf_id[cand_pos[uq]] = ei[first]
        on_erf = erf_id >= 0
        farms = None  # an erven polygon is one farm
    else:
        in_use = b["in_gebruik"].to_numpy()
        homes = np.flatnonzero((n_woon > 0) & in_use)
        # The built-up-area test first, bounded (_in_kom): a candidate in the kom is no erf and
        # links no other candidate, so the pair queries of _derive_yards only see the sparse
        # candidates outside it, whose neighbours within reach are few.
        in_kom = _in_kom(geoms, b["cx"].to_numpy()[cand_pos], b["cy"].to_numpy()[cand_pos], p)
        kom_count[cand_pos[in_kom]] = np.inf
        outside = cand_pos[~in_kom]
        erf_id, farms = _derive_yards(geoms, outside, homes, p)
        near_home = erf_id >= 0
        on_erf = near_home
        # a candidate without a farmhouse, but with a pand of unknown function in reach: that
        # pand may be the farmhouse, so whether this is an erf is unknown
        unknown_homes = np.flatnonzero(doel_onbekend & in_use)
        if unknown_homes.size:
            rest = outside[~near_home[outside]]
            maybe_home = _derive_yards(geoms, rest, np.concatenate([homes, unknown_homes]), p)[0] >= 0

    derived = erven is None
    rules = [
        (~status_ok, column_at(b["status_reden"])),
        (n_woon > 0, "pand heeft woonfunctie"),
        (~func & ~doel_onbekend, "geen agrarische bedrijfsfunctie (" + " of ".join(p.functies) + ")"),
        (kas, "kas of warenhuis"),
        (doel_onbekend, missing_vbo_reason("gebruiksdoel", "gebruiksdoel", b), ONBEKEND),
        (np.isnan(bouwjaar), "bouwjaar onbekend (niet in de gebouwenlaag)", ONBEKEND),
        (bouwjaar >= p.bouwjaar_voor, by_value(lambda j: "bouwjaar " + year_text(j) + f" niet vóór {p.bouwjaar_voor}", bouwjaar)),
    ]
    if not derived:
        rules.append((base & ~on_erf, "niet op een erf (laag erven)"))
    else:
        rules.append((base & (kom_count > p.kom_max_panden),
                      "binnen de bebouwde kom (> " + fmt_scalar(p.kom_max_panden, 0) + " panden binnen "
                      + fmt_scalar(p.kom_straal_m, 0) + " m)"))
        rules.append((maybe_home, "erf onbekend (gebruiksdoel van panden in de buurt onbekend)", ONBEKEND))
        rules.append((base & ~near_home & ~maybe_home, "geen woning binnen " + fmt_scalar(p.max_afstand_woning_m, 0) + " m (geen erf)"))

    count, group, receiver, sloop, homes_per_erf = _homes_per_erf(b, erf_id, farms, p)
    in_erf = group >= 0
    g = np.maximum(group, 0)
    # the erf texts depend only on the erf: formatted once per erf
    rules.append((in_erf & (homes_per_erf[g] == 0) if homes_per_erf.size else in_erf,
                  lambda pos: per_distinct(lambda e: "sloop " + fmt_num(sloop[e], 0) + " m² op erf, minder dan "
                                           + fmt_scalar(p.sloop_m2_per_woning, 0) + " m² per woning", group[pos])))
    rules.append((in_erf & (receiver[g] != np.arange(n)) if receiver.size else in_erf,
                  lambda pos: per_distinct(lambda e: "sloop op erf, woningen geteld bij pand "
                                           + texts_at(b["pand_id"], receiver[e]).astype(str), group[pos])))
    reasons = first_failure(n, rules)
    # the homes of an erf rest on each of its sheds: a shed without greenhouse flag makes them an estimate
    kas_unknown = np.zeros(n, dtype=bool)
    if receiver.size:
        open_flag = np.bincount(g[in_erf], weights=(~b["kas_warenhuis_bekend"].to_numpy(dtype=bool))[in_erf],
                                minlength=receiver.size) > 0
        kas_unknown[receiver] = open_flag
    bron = estimate_texts(n, [
        (np.full(n, derived), "erf afgeleid uit de panden (geen laag erven)"),
        (kas_unknown, "geen kas of warenhuis aangenomen (geen 3D BAG)"),
    ], count)
    return ScanOutcome(count.astype("int64"), reasons, bron)


run = framed_run(NAME, run_coded)


def _homes_per_erf(b: pd.DataFrame, erf_id: np.ndarray, farms: np.ndarray, p: Params):
    """Homes per erf, counted on one receiving pand; the cap is per farm (``farms``: farmhouses
    per derived erf label, None for erven polygons, each one farm).

    Returns (homes per building, erf group per building (−1 none), receiving building
    position per group, demolished m² per group, homes per group).
    """
    n = len(b)
    members = np.flatnonzero(erf_id >= 0)
    group = np.full(n, -1, dtype="int64")
    count = np.zeros(n, dtype="int64")
    if not members.size:
        empty = np.zeros(0)
        return count, group, empty.astype("int64"), empty, empty.astype("int64")
    labels, inv = np.unique(erf_id[members], return_inverse=True)
    inv = inv.reshape(-1)
    group[members] = inv
    area = b["footprint_m2"].to_numpy(dtype="float64")[members]
    sloop = np.bincount(inv, weights=area)
    per_erf = np.ones(labels.size, dtype="int64") if farms is None else farms[labels]
    homes = np.minimum(whole(sloop / p.sloop_m2_per_woning), p.max_woningen_per_erf * np.maximum(per_erf, 1)).astype("int64")
    ids = texts_at(b["pand_id"], members).astype(str)
    # The new homes may stand anywhere on the erf: count them on a pand outside the exclusion
    # zones when the erf has one (so an erf is excluded only when all of it is), then on the
    # largest footprint, then the smallest pand_id. This keeps tightening a rule from ever
    # raising the count: removing a pand from an erf can only shrink or exclude it.
    excluded = (
        b[EXCLUDED_LOCATION].to_numpy(dtype=bool)[members]
        if EXCLUDED_LOCATION in b.columns
        else np.zeros(members.size, dtype=bool)
    )
    order = np.lexsort((ids, -area, excluded, inv))
    _, first = np.unique(inv[order], return_index=True)
    receiver = members[order[first]]
    count[receiver] = homes
    return count, group, receiver, sloop, homes


#: Grid cells per ``kom_straal_m`` in the lower bound of :func:`_in_kom`: the cells wholly
#: inside the circle cover about (1 - √2/6)² ≈ 58 % of it.
_KOM_CELLS_PER_RADIUS = 6


def _in_kom(geoms: np.ndarray, px: np.ndarray, py: np.ndarray, p: Params) -> np.ndarray:
    """Whether more than ``kom_max_panden`` panden lie within ``kom_straal_m`` of each point.

    Bounded, not a query over all pairs: one vertex per pand is binned on a grid (cells of
    ``kom_straal_m / 6``) and counted per point row by row, with a binary search on the sorted
    cell keys. The panden with their vertex in a cell wholly inside the circle are a lower
    bound (a vertex within reach puts the pand within reach): above the maximum, the point is
    in the kom. The panden with their vertex in a cell touching the circle widened by the
    largest pand's diagonal (at most half the radius; larger panden are added to every point)
    are an upper bound: at most the maximum, the point is outside. Only the points between the
    two bounds are counted exactly with the distance query. The cost is O((n + k) log n) for
    n panden and k points, plus the exact count of the few undecided points.
    """
    r, cap = float(p.kom_straal_m), p.kom_max_panden
    k = px.size
    lower = np.zeros(k, dtype="int64")
    upper = np.full(k, np.iinfo("int64").max)
    if k and r > 0:
        coords, idx = shapely.get_coordinates(geoms, return_index=True)
        if idx.size:
            first = np.r_[0, np.flatnonzero(np.diff(idx)) + 1]
            vx, vy = coords[first, 0], coords[first, 1]
            xmin, ymin, xmax, ymax = shapely.bounds(geoms[idx[first]]).T
            diag = np.hypot(xmax - xmin, ymax - ymin)
            big = diag > r / 2
            reach = r + (float(diag[~big].max()) if (~big).any() else 0.0)
            s = r / _KOM_CELLS_PER_RADIUS
            x0, y0 = min(vx.min(), px.min()) - reach - s, min(vy.min(), py.min()) - reach - s
            nx = np.int64(np.floor((max(vx.max(), px.max()) + reach + s - x0) / s)) + 2
            cell = lambda x, y: np.floor((y - y0) / s).astype("int64") * nx + np.floor((x - x0) / s).astype("int64")  # noqa: E731
            keys = np.sort(cell(vx, vy))
            small_keys = np.sort(cell(vx[~big], vy[~big]))
            lower = _cells_in_circle(keys, nx, px - x0, py - y0, s, r * (1 - 1e-9), wholly=True)
            upper = _cells_in_circle(small_keys, nx, px - x0, py - y0, s, reach * (1 + 1e-9), wholly=False) + int(big.sum())
    inside = lower > cap
    rest = np.flatnonzero(~inside & (upper > cap))
    if rest.size and len(geoms):
        ci, _ = STRtree(geoms).query(shapely.points(px[rest], py[rest]), predicate="dwithin", distance=r)
        inside[rest] = np.bincount(ci, minlength=rest.size) > cap
    return inside


def _cells_in_circle(keys: np.ndarray, nx, px: np.ndarray, py: np.ndarray, s: float, radius: float, wholly: bool) -> np.ndarray:
    """Per point (grid coordinates), how many ``keys`` (sorted cell keys row × nx + column) lie in
    the cells wholly inside (``wholly``) or touching the circle of ``radius`` around it."""
    # points in cell order: each row's binary searches then walk the keys forward (numpy starts
    # each search from the last result), several times faster than in random order
    order = np.lexsort((px, np.floor(py / s)))
    px, py = px[order], py[order]
    count = np.zeros(px.size, dtype="int64")
    row0 = np.floor(py / s).astype("int64")
    reach = int(np.ceil(radius / s)) + 1
    for off in range(-reach, reach + 1):
        row = row0 + off
        lo_y, hi_y = row * s, (row + 1) * s
        if wholly:
            dy = np.maximum(np.abs(lo_y - py), np.abs(hi_y - py))
        else:
            dy = np.where((lo_y <= py) & (py <= hi_y), 0.0, np.minimum(np.abs(lo_y - py), np.abs(hi_y - py)))
        w = np.sqrt(np.maximum(radius * radius - dy * dy, 0.0))
        if wholly:
            c_lo, c_hi = np.ceil((px - w) / s), np.floor((px + w) / s)  # c_hi exclusive
        else:
            c_lo, c_hi = np.floor((px - w) / s), np.floor((px + w) / s) + 1
        c_lo = np.clip(c_lo.astype("int64"), 0, nx)
        c_hi = np.clip(c_hi.astype("int64"), 0, nx)
        ok = (dy < radius) & (c_hi > c_lo) & (row >= 0)
        base = row * nx
        count += np.where(ok, np.searchsorted(keys, base + c_hi) - np.searchsorted(keys, base + c_lo), 0)
    out = np.empty_like(count)
    out[order] = count
    return out


def _derive_yards(geoms: np.ndarray, cand: np.ndarray, homes: np.ndarray, p: Params) -> tuple[np.ndarray, np.ndarray]:
    """(erf label per building (−1 when none), number of farmhouses per label).

    Candidates within ``cluster_afstand_m`` of each other and woonfunctie panden within
    ``max_afstand_woning_m`` of a candidate are linked; a group of linked candidates is an
    erf when it holds at least one such home (homes are not linked to each other, so a
    village never chains into one erf). Each home on the erf is a farm: the cap of homes
    per erf is per farm, so joining two yards (a larger ``cluster_afstand_m``) never lowers
    the total and a smaller one never raises it.
    """
    n = len(geoms)
    erf = np.full(n, -1, dtype="int64")
    farms = np.zeros(n, dtype="int64")
    if not cand.size or not homes.size:
        return erf, farms
    # bounded pairs (candidates outside the kom), queried on two threads (shapely releases the GIL)
    near = lambda tree, d: query_in_halves(lambda g: tree.query(g, predicate="dwithin", distance=d), geoms[cand])  # noqa: E731
    ci, cj = near(STRtree(geoms[cand]), p.cluster_afstand_m)
    hi, hj = near(STRtree(geoms[homes]), p.max_afstand_woning_m)
    labels = _components(n, np.concatenate([cand[ci], cand[hi]]), np.concatenate([cand[cj], homes[hj]]))
    with_home = np.zeros(n, dtype=bool)
    with_home[labels[homes[hj]]] = True
    keep = cand[with_home[labels[cand]]]
    erf[keep] = labels[keep]
    linked_homes = np.unique(homes[hj])
    np.add.at(farms, labels[linked_homes], 1)
    return erf, farms


def _components(n: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Connected-component label (smallest member position) per node, from edge lists.

    Min-label propagation with pointer jumping: a handful of numpy passes, no loop per node.
    """
    labels = np.arange(n)
    while True:
        m = np.minimum(labels[a], labels[b])
        new = labels.copy()
        np.minimum.at(new, a, m)
        np.minimum.at(new, b, m)
        new = new[new]
        if np.array_equal(new, labels):
            return labels
        labels = new
