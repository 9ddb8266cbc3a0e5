"""Boerenerf's bounded neighbour counting gives the same erven and homes as the pair query.

The product decides the built-up-area test first with a grid lower bound (scans.boerenerf._in_kom)
and runs the pair queries only on candidates outside the kom. The reference below is the
former method, kept here only: link all candidates with a pair query, count every pand within
``kom_straal_m`` of each linked candidate exactly, and derive the yards again without those in
the kom. Its cost grows with the pairs of nearby candidates, so it lives in the test.
"""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from shapely import STRtree
from shapely.geometry import box

from scans import boerenerf
from scans.inputs import ScanInputs, prepare_buildings
from tests.scans import factory
from tests.scans.factory import X0, Y0, flat

HOUSE = dict(gebruiksdoel="woonfunctie", aantal_vbo=1.0, bouwjaar=1930.0, status="Pand in gebruik")
SHED = dict(gebruiksdoel="industriefunctie", aantal_vbo=1.0, bouwjaar=1980.0, status="Pand in gebruik", kas_warenhuis=False)
OFFICE = dict(gebruiksdoel="kantoorfunctie", aantal_vbo=1.0, bouwjaar=1990.0, status="Pand in gebruik")


def reference_yards(b, p: boerenerf.Params):
    """(erf label per building, farms per label, in-kom flag per building): the pair query."""
    geoms = b.geometry.to_numpy()
    n = len(b)
    n_woon = np.nan_to_num(b["n_woonfunctie"].to_numpy(dtype="float64"))
    doel_onbekend = b["doel_onbekend"].to_numpy(dtype=bool) | np.isnan(b["n_woonfunctie"].to_numpy(dtype="float64"))
    status_ok = b["in_gebruik"].to_numpy() | b["status"].astype(str).str.lower().isin([s.lower() for s in p.extra_statussen]).to_numpy()
    func = np.nansum([b[f"n_{boerenerf.functie_key(f)}"].to_numpy(dtype="float64") for f in p.functies], axis=0) > 0
    base = (status_ok & (n_woon <= 0) & ~doel_onbekend & func & ~b["kas_warenhuis"].to_numpy(dtype=bool)
            & (b["bouwjaar"].to_numpy(dtype="float64") < p.bouwjaar_voor))
    cand = np.flatnonzero(base)
    homes = np.flatnonzero((n_woon > 0) & b["in_gebruik"].to_numpy())

    def derive(c):
        erf, farms = np.full(n, -1, dtype="int64"), np.zeros(n, dtype="int64")
        if not c.size or not homes.size:
            return erf, farms
        ci, cj = STRtree(geoms[c]).query(geoms[c], predicate="dwithin", distance=p.cluster_afstand_m)
        hi, hj = STRtree(geoms[homes]).query(geoms[c], predicate="dwithin", distance=p.max_afstand_woning_m)
        labels = boerenerf._components(n, np.concatenate([c[ci], c[hi]]), np.concatenate([c[cj], homes[hj]]))
        with_home = np.zeros(n, dtype=bool)
        with_home[labels[homes[hj]]] = True
        keep = c[with_home[labels[c]]]
        erf[keep] = labels[keep]
        np.add.at(farms, labels[np.unique(homes[hj])], 1)
        return erf, farms

    linked = np.flatnonzero(derive(cand)[0] >= 0)
    count = np.zeros(n)
    if linked.size:
        centre = shapely.points(b["cx"].to_numpy()[linked], b["cy"].to_numpy()[linked])
        ci, _ = STRtree(geoms).query(centre, predicate="dwithin", distance=p.kom_straal_m)
        count[linked] = np.bincount(ci, minlength=linked.size)
    kom = count > p.kom_max_panden
    erf, farms = derive(cand[~kom[cand]])
    return erf, farms, kom, cand


def mixed_town(seed: int):
    """A dense core (homes, offices and sheds close together), a bedrijventerrein of sheds and a
    countryside of farms with sheds at random gaps: erven inside, at the edge of and outside the kom."""
    rng = np.random.default_rng(seed)
    records, geoms = [], []

    def add(kind, x, y, w, h):
        year = float(rng.choice([1950, 1980, 2001, 2010])) if kind is SHED else kind["bouwjaar"]
        records.append(flat(**{**kind, "bouwjaar": year}, pand_id=f"{len(records) + 1:016d}"))
        geoms.append(box(x, y, x + w, y + h))

    for i in range(rng.integers(150, 260)):  # core of 400 × 400 m
        kind = [HOUSE, HOUSE, OFFICE, SHED][rng.integers(4)]
        add(kind, X0 + rng.uniform(0, 400), Y0 + rng.uniform(0, 400), rng.uniform(6, 20), rng.uniform(6, 20))
    for i in range(rng.integers(40, 90)):  # bedrijventerrein east of the core, a few homes among the sheds
        kind = HOUSE if rng.random() < 0.1 else SHED
        add(kind, X0 + 500 + rng.uniform(0, 300), Y0 + rng.uniform(0, 300), rng.uniform(15, 45), rng.uniform(15, 45))
    for f in range(rng.integers(20, 40)):  # farms spread over 3 × 3 km, some near the core
        fx, fy = X0 - 1000 + rng.uniform(0, 3000), Y0 - 1000 + rng.uniform(0, 3000)
        if rng.random() < 0.9:
            add(HOUSE, fx, fy, 10, 10)
        for s in range(rng.integers(1, 5)):
            side = np.sqrt(rng.uniform(200, 1500))
            add(SHED, fx + rng.uniform(-70, 70), fy + rng.uniform(-70, 70), side, side)
    return records, geoms


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("params", [boerenerf.Params(), boerenerf.Params(kom_max_panden=20, kom_straal_m=120.0),
                                    boerenerf.Params(cluster_afstand_m=75.0, max_afstand_woning_m=30.0, kom_max_panden=100)])
def test_same_erven_and_homes_as_the_pair_query(seed, params):
    records, geoms = mixed_town(seed)
    inputs = ScanInputs(gebouwen=factory.buildings(records, geoms=geoms))
    b = prepare_buildings(inputs)
    erf, farms, kom, cand = reference_yards(b, params)
    assert (erf >= 0).sum() > 0 and kom[cand].sum() > 0, "the town must hold erven and candidates in the kom"
    # the product's homes per building, from its own run
    out = boerenerf.run_coded(b, inputs, params)
    expected, *_ = boerenerf._homes_per_erf(b, erf, farms, params)
    assert out.homes.tolist() == expected.tolist()
    assert expected.sum() > 0
    # the same erven: the same candidates grouped the same way, with the same farms
    new_in_kom = boerenerf._in_kom(b.geometry.to_numpy(), b["cx"].to_numpy()[cand], b["cy"].to_numpy()[cand], params)
    new_erf, new_farms = boerenerf._derive_yards(b.geometry.to_numpy(), cand[~new_in_kom], np.flatnonzero(
        (np.nan_to_num(b["n_woonfunctie"].to_numpy(dtype="float64")) > 0) & b["in_gebruik"].to_numpy()), params)
    assert new_erf.tolist() == erf.tolist()
    assert new_farms[new_erf[new_erf >= 0]].tolist() == farms[erf[erf >= 0]].tolist()
    # a candidate the reference counted (linked to a home) is in the kom exactly when it was
    counted = kom[cand] | (erf[cand] >= 0)
    assert (new_in_kom[counted] == kom[cand][counted]).all()


def test_the_grid_bounds_decide_as_the_exact_count():
    """The grid bounds (lower: cells inside the circle; upper: cells touching it widened by the
    pand diagonals, large panden added to all) decide a point only when the exact count agrees;
    every point checked, with radii below the sheds' size (large panden) and above it."""
    records, geoms = mixed_town(11)
    b = prepare_buildings(ScanInputs(gebouwen=factory.buildings(records, geoms=geoms)))
    g = b.geometry.to_numpy()
    px, py = b["cx"].to_numpy(), b["cy"].to_numpy()
    for cap in (0, 5, 30, 80, 150):
        for r in (15.0, 40.0, 120.0, 250.0):
            p = boerenerf.Params(kom_max_panden=cap, kom_straal_m=r)
            ci, _ = STRtree(g).query(shapely.points(px, py), predicate="dwithin", distance=r)
            exact = np.bincount(ci, minlength=len(b)) > cap
            assert boerenerf._in_kom(g, px, py, p).tolist() == exact.tolist()
