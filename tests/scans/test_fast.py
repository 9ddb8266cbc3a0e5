"""The engine's threaded and sliced GEOS calls give exactly what one call gives."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from scans import _fast


@pytest.fixture
def small(monkeypatch):
    monkeypatch.setattr(_fast, "THREADS_FROM", 40)
    monkeypatch.setattr(_fast, "SLICE", 7)


def _polygons(n: int) -> np.ndarray:
    rng = np.random.default_rng(3)
    x, y = rng.uniform(0, 100, n), rng.uniform(0, 100, n)
    out = shapely.box(x, y, x + rng.uniform(1, 9, n), y + rng.uniform(1, 9, n))
    if n > 4:
        out[4] = None
    return out


@pytest.mark.parametrize("n", [0, 5, 7, 8, 39, 40, 101])
def test_in_halves_equals_one_call(small, n):
    polygons = _polygons(n)
    centroids = _fast.in_halves(shapely.centroid, polygons)
    assert len(centroids) == n and shapely.equals_exact(centroids, shapely.centroid(polygons), 0).sum() == n - (n > 4)
    x, y = np.linspace(0, 100, n), np.linspace(100, 0, n)
    inside = _fast.in_halves(shapely.intersects_xy, polygons, x, y)
    assert inside.dtype == bool and np.array_equal(inside, shapely.intersects_xy(polygons, x, y))


@pytest.mark.parametrize("n", [0, 6, 7, 15, 40, 101])
def test_query_in_halves_equals_one_query(small, n):
    tree = shapely.STRtree(_polygons(60))
    points = shapely.points(np.linspace(0, 100, n), np.linspace(0, 100, n))
    pairs = _fast.query_in_halves(tree.query, points)
    assert np.array_equal(pairs, tree.query(points))


def test_beside_runs_on_a_thread_of_its_own_and_raises_what_it_raised():
    import threading

    from layers.geometry import in_geos_thread

    seen = {}

    def work(a, b):
        seen["thread"] = threading.current_thread() is not threading.main_thread()
        seen["geos"] = in_geos_thread()
        return a + b

    assert _fast.beside(work, 2, 3).result(timeout=10) == 5
    assert seen == {"thread": True, "geos": False}

    def fail():
        raise ValueError("kapot")

    with pytest.raises(ValueError, match="kapot"):
        _fast.beside(fail).result(timeout=10)


@pytest.mark.parametrize("n", [0, 5, 40, 101])
def test_prepared_in_halves_equals_one_call(small, n):
    polygons = _polygons(60)
    rng = np.random.default_rng(n)
    which = rng.integers(0, 60, n)
    x, y = rng.uniform(0, 100, n), rng.uniform(0, 100, n)
    inside = _fast.prepared_in_halves(shapely.intersects_xy, polygons, which, x, y)
    assert inside.dtype == bool and np.array_equal(inside, shapely.intersects_xy(polygons[which], x, y))
    assert not shapely.is_prepared(polygons).any()  # the caller's polygons: never prepared in place


_SHARED_PREPARED = """
import sys
import numpy as np
import shapely
from scans import _fast

_fast.THREADS_FROM = 100
rng = np.random.default_rng(int(sys.argv[1]))
for _ in range(80):
    # a few new polygons of many vertices, each tested by both halves at once
    polygons = []
    for _k in range(4):
        angle = np.sort(rng.uniform(0, 2 * np.pi, 2000))
        radius = rng.uniform(50, 100, 2000)
        cx, cy = rng.uniform(0, 200, 2)
        polygons.append(shapely.Polygon(np.column_stack([cx + radius * np.cos(angle), cy + radius * np.sin(angle)])))
    polygons = np.array(polygons, dtype=object)
    which = rng.integers(0, 4, 5000)
    x, y = rng.uniform(-50, 300, 5000), rng.uniform(-50, 300, 5000)
    inside = _fast.prepared_in_halves(shapely.intersects_xy, polygons, which, x, y)
    assert np.array_equal(inside, shapely.intersects_xy(polygons[which], x, y))
print("ok")
"""


def test_two_threads_never_share_a_new_prepared_polygon():
    """GEOS builds a prepared polygon's point index on its first tests without a lock: when
    both threads tested the same new prepared polygons, this crashed the process (heap
    corruption) in every run of it; each thread now tests its own."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    for seed in (1, 2):
        done = subprocess.run([sys.executable, "-c", _SHARED_PREPARED, str(seed)], cwd=root,
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr[-2000:]
