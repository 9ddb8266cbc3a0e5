"""scans.wkb writes the bytes shapely.to_wkb writes, and arrow_rows gives the table it gave before."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scans import pipeline, wkb
from scans.wkb import polygon_wkb


def _shapely_wkb(geometries) -> list[bytes]:
    return list(shapely.to_wkb(np.asarray(geometries, dtype=object), hex=False, output_dimension=2))


def _assert_same_wkb(geometries) -> None:
    array = polygon_wkb(np.asarray(geometries, dtype=object))
    assert array is not None
    array.validate(full=True)
    assert array.type == pa.binary() and array.null_count == 0
    assert array.to_pylist() == _shapely_wkb(geometries)


# ------------------------------------------------------------------------ random geometries

#: Every finite double: huge, tiny (subnormal), negative, -0.0.
_COORDINATE = st.floats(allow_nan=False, allow_infinity=False)


@st.composite
def _rings(draw, dimensions: int) -> list[tuple[float, ...]]:
    points = draw(st.lists(st.tuples(*[_COORDINATE] * dimensions), min_size=3, max_size=12))
    return points + [points[0]]


@st.composite
def _polygons(draw, dimensions: int) -> shapely.Polygon:
    shell = draw(_rings(dimensions))
    holes = draw(st.lists(_rings(dimensions), max_size=3))
    return shapely.Polygon(shell, holes)


@st.composite
def _geometry_arrays(draw) -> np.ndarray:
    dimensions = draw(st.sampled_from([2, 3]))
    polygons = st.lists(_polygons(dimensions), min_size=1, max_size=20)
    if draw(st.booleans()):
        geometries = draw(polygons)
    else:
        geometries = [shapely.MultiPolygon(parts)
                      for parts in draw(st.lists(st.lists(_polygons(dimensions), min_size=1, max_size=4),
                                                 min_size=1, max_size=8))]
    return np.array(geometries, dtype=object)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(_geometry_arrays())
def test_random_polygons_give_shapelys_bytes(geometries):
    _assert_same_wkb(geometries)


def _random_polygon(rng: np.random.Generator, scale: float) -> shapely.Polygon:
    """A star-shaped ring of up to 2000 points around a random centre, with up to 5 holes."""
    def ring(cx, cy, radius):
        n = int(rng.choice([3, 4, 10, 100, 2000]))
        angles = np.sort(rng.uniform(0, 2 * np.pi, n))
        r = radius * rng.uniform(0.5, 1, n)
        points = np.column_stack([cx + r * np.cos(angles), cy + r * np.sin(angles)])
        return np.vstack([points, points[:1]])

    cx, cy = rng.uniform(-scale, scale, 2)
    holes = [ring(cx + rng.uniform(-0.2, 0.2) * scale, cy, 0.1 * scale) for _ in range(rng.integers(0, 6))]
    return shapely.Polygon(ring(cx, cy, scale), holes)


@pytest.mark.parametrize("scale", [1e-300, 1e-6, 1.0, 3e5, 1e300])
def test_seeded_polygons_and_multipolygons_give_shapelys_bytes(scale):
    rng = np.random.default_rng(7)
    polygons = [_random_polygon(rng, scale) for _ in range(300)]
    assert sum(len(p.interiors) for p in polygons) > 100  # holes were drawn
    _assert_same_wkb(polygons)
    sizes = rng.integers(1, 5, 80)
    multi = [shapely.MultiPolygon(polygons[int(start):int(start) + int(size)])
             for start, size in zip(np.cumsum(sizes) - sizes, sizes)]
    _assert_same_wkb(multi)


def test_three_and_four_dimensional_input_gives_2d_bytes():
    for text in ("POLYGON Z ((0 0 1, 4 0 2, 4 4 3, 0 0 1), (1 1 9, 2 1 9, 2 2 9, 1 1 9))",
                 "POLYGON M ((0 0 5, 4 0 5, 4 4 5, 0 0 5))",
                 "POLYGON ZM ((0 0 1 5, 4 0 2 5, 4 4 3 5, 0 0 1 5))"):
        polygon = shapely.from_wkt(text)
        _assert_same_wkb([polygon, polygon])
        _assert_same_wkb([shapely.MultiPolygon([polygon, polygon])])
    assert polygon_wkb(np.array([shapely.from_wkt("POLYGON Z ((0 0 1, 4 0 2, 4 4 3, 0 0 1))")]))[0].as_py()[1] == 3


def test_exact_bytes_of_a_polygon_with_a_hole():
    polygon = shapely.Polygon([(0, 0), (4, 0), (4, 4), (0, 0)], [[(1, 1), (2, 1), (2, 2), (1, 1)]])
    expected = (bytes([1]) + (3).to_bytes(4, "little") + (2).to_bytes(4, "little")
                + (4).to_bytes(4, "little") + np.array([0, 0, 4, 0, 4, 4, 0, 0], "<f8").tobytes()
                + (4).to_bytes(4, "little") + np.array([1, 1, 2, 1, 2, 2, 1, 1], "<f8").tobytes())
    assert polygon_wkb(np.array([polygon]))[0].as_py() == expected


def test_slices_are_joined_in_order(monkeypatch):
    monkeypatch.setattr(wkb, "SLICE", 7)
    rng = np.random.default_rng(11)
    polygons = [_random_polygon(rng, 100.0) for _ in range(40)]
    _assert_same_wkb(polygons)
    _assert_same_wkb([shapely.MultiPolygon([p, q]) for p, q in zip(polygons[::2], polygons[1::2])])
    polygons[30] = shapely.Polygon()  # one slice falls back: the whole call does
    assert polygon_wkb(np.array(polygons, dtype=object)) is None


def test_empty_input_gives_an_empty_array():
    array = polygon_wkb(np.array([], dtype=object))
    assert array is not None and array.equals(pa.array([], type=pa.binary()))


# ----------------------------------------------------------------------------- fallbacks

_BOX = shapely.box(0, 0, 1, 1)


def _nan_polygon() -> shapely.Polygon:
    with np.errstate(invalid="ignore"):
        return shapely.Polygon([(0, 0), (1, np.nan), (1, 1), (0, 0)])


@pytest.mark.parametrize("make", [
    pytest.param(lambda: [_BOX, shapely.Polygon()], id="empty polygon"),
    pytest.param(lambda: [_BOX, None], id="missing"),
    pytest.param(lambda: [None], id="only missing"),
    pytest.param(lambda: [_BOX, shapely.MultiPolygon([_BOX])], id="polygon and multipolygon"),
    pytest.param(lambda: [shapely.Point(0, 0)], id="point"),
    pytest.param(lambda: [shapely.LineString([(0, 0), (1, 1)])], id="linestring"),
    pytest.param(lambda: [shapely.GeometryCollection([_BOX])], id="collection"),
    pytest.param(lambda: [shapely.MultiPolygon()], id="empty multipolygon"),
    pytest.param(lambda: [shapely.from_wkt("MULTIPOLYGON (EMPTY, ((0 0, 1 0, 1 1, 0 0)))")], id="empty part"),
    pytest.param(lambda: [_BOX, _nan_polygon()], id="nan"),
    pytest.param(lambda: [shapely.MultiPolygon([_BOX, _nan_polygon()])], id="nan in part"),
])
def test_unusual_input_falls_back(make):
    geometries = np.array(make(), dtype=object)
    assert polygon_wkb(geometries) is None
    assert polygon_wkb(geometries, multipolygons=False) is None


def test_multipolygons_only_when_asked_for():
    geometries = np.array([shapely.MultiPolygon([_BOX])], dtype=object)
    assert polygon_wkb(geometries, multipolygons=False) is None
    assert polygon_wkb(geometries, multipolygons=True).to_pylist() == _shapely_wkb(geometries)
    assert polygon_wkb(np.array([_BOX]), multipolygons=False).to_pylist() == _shapely_wkb([_BOX])


# ---------------------------------------------------------------------------- arrow_rows

def _old_arrow_rows(frame: gpd.GeoDataFrame) -> pa.Table:
    """arrow_rows as it was: shapely.to_wkb in slices."""
    table = pa.Table.from_pandas(pd.DataFrame(frame.drop(columns="geometry")), preserve_index=False)
    for index, field in enumerate(table.schema):
        if pa.types.is_null(field.type):
            table = table.set_column(index, field.with_type(pa.string()), table.column(index).cast(pa.string()))
    geometries = frame.geometry.to_numpy()
    step = 16 * pipeline.WRITE_BATCH_ROWS
    chunks = [pa.array(shapely.to_wkb(geometries[i:i + step], hex=False, output_dimension=2), type=pa.binary())
              for i in range(0, len(geometries), step)]
    return table.append_column("geometry", pa.chunked_array(chunks, type=pa.binary()))


def _frame(geometries) -> gpd.GeoDataFrame:
    n = len(geometries)
    return gpd.GeoDataFrame({"pand_id": [f"p{i}" for i in range(n)], "woningen": np.arange(n),
                             "oppervlak": np.linspace(0, 1, n), "leeg": [None] * n},
                            geometry=list(geometries), crs="EPSG:28992")


def test_arrow_rows_equals_the_old_table(monkeypatch):
    monkeypatch.setattr(pipeline, "WRITE_BATCH_ROWS", 2)  # slices of 32 rows
    built = []
    real = wkb.polygon_wkb
    monkeypatch.setattr(wkb, "polygon_wkb", lambda *a, **k: built.append(real(*a, **k)) or built[-1])
    rng = np.random.default_rng(5)
    polygons = [_random_polygon(rng, 50.0) for _ in range(100)]
    polygons[70] = shapely.MultiPolygon([polygons[70], polygons[71]])  # that slice: shapely's path
    frame = _frame(polygons)
    table, old = pipeline.arrow_rows(frame), _old_arrow_rows(frame)
    assert table.schema == old.schema and table.schema.field("geometry").type == pa.binary()
    assert table.equals(old)
    assert [len(c) for c in table.column("geometry").chunks] == [len(c) for c in old.column("geometry").chunks]
    assert [array is not None for array in built] == [True, True, False, True]


def test_arrow_rows_of_no_rows_equals_the_old_table():
    frame = _frame([])
    assert pipeline.arrow_rows(frame).equals(_old_arrow_rows(frame))
