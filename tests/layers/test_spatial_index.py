"""The chunked spatial index answers like one STRtree over all geometries, and belongs to a layer's data."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from layers import spatial_index
from layers.layer import VectorLayer
from layers.spatial_index import ChunkedIndex


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(spatial_index, "CHUNK", 7)


def _geometries(n: int, seed: int = 1) -> np.ndarray:
    rng = np.random.default_rng(seed)
    x, y = rng.uniform(0, 100, n), rng.uniform(0, 100, n)
    out = shapely.points(x, y)
    out[::3] = shapely.box(x[::3], y[::3], x[::3] + rng.uniform(0.5, 8, len(x[::3])), y[::3] + 2)
    out[5] = None  # a feature without geometry is never found
    return out


@pytest.mark.parametrize("predicate,distance", [("intersects", None), ("dwithin", 3.0), (None, None)])
def test_same_positions_as_one_tree(small_chunks, predicate, distance):
    geometries = _geometries(100)
    index = ChunkedIndex(geometries)
    tree = shapely.STRtree(geometries)
    for query in (shapely.Point(50, 50), shapely.box(10, 10, 40, 30), shapely.Point(1000, 1000)):
        expected = np.sort(tree.query(query, predicate=predicate, distance=distance))
        found = index.query(query, predicate=predicate, distance=distance)
        assert found.dtype == np.int64 and np.array_equal(found, expected)
    assert index.complete and len(index._trees) == 15  # 100 geometries in chunks of 7


def test_build_stops_when_cancelled_and_a_query_completes_it(small_chunks):
    index = ChunkedIndex(_geometries(30))
    asked = []

    def cancelled_at_the_third_chunk() -> bool:
        asked.append(1)
        return len(asked) == 3

    assert index.build(cancelled=cancelled_at_the_third_chunk) is False
    assert len(index._trees) == 2 and not index.complete
    box = shapely.box(0, 0, 100, 100)
    assert np.array_equal(index.query(box, "intersects"), np.sort(shapely.STRtree(index.geometries).query(box, "intersects")))
    assert index.complete and index.build() is True


def test_empty():
    index = ChunkedIndex(np.array([], dtype=object))
    assert index.complete and len(index.query(shapely.Point(0, 0), "intersects")) == 0


def test_layer_index_follows_its_data(small_chunks):
    frame = gpd.GeoDataFrame({"n": range(20)}, geometry=_geometries(20), crs="EPSG:28992")
    layer = VectorLayer("punten", frame)
    index = layer.spatial_index()
    assert layer.spatial_index() is index
    point = shapely.Point(50, 50)
    before = index.query(point, "dwithin", 30)
    moved = frame.copy()
    moved["geometry"] = shapely.transform(moved.geometry.values, lambda xy: xy + 1000)
    layer.data = moved  # a new frame: a new index
    assert layer.spatial_index() is not index and len(layer.spatial_index().query(point, "dwithin", 30)) == 0
    layer.data = frame
    assert np.array_equal(layer.spatial_index().query(point, "dwithin", 30), before)
    with pytest.raises(ValueError, match="geen geometrie"):
        VectorLayer("tabel", pd.DataFrame(frame.drop(columns="geometry"))).spatial_index()
