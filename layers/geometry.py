"""Geometry cleaning: repair, drop empties, force 2D, keep one geometry family.

All steps are vectorised with shapely 2; every change is counted in the
:class:`~layers.messages.LoadReport` so the user sees what happened to the data.
Long GEOS predicates run on two threads (:func:`in_threads`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import geopandas as gpd
import numpy as np
import shapely

from layers.messages import LoadReport
from layers.texts import Translatable

#: shapely type ids per family (Polygon/MultiPolygon, LineString/LinearRing/MultiLineString, Point/MultiPoint).
_FAMILIES = {
    "polygon": (3, 6),
    "line": (1, 2, 5),
    "point": (0, 4),
}
_COLLECTION = 7

#: Geometries per task of :func:`in_threads`.
THREAD_SLICE = 100_000
_THREADS = 2
_THREAD_PREFIX = "geos"
_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def geos_executor() -> ThreadPoolExecutor:
    """The two threads that run long GEOS calls, shared by reading (:func:`in_threads`) and the
    scan engine (``scans._fast``); created on first use."""
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=_THREADS, thread_name_prefix=_THREAD_PREFIX)
        return _pool


def in_geos_thread() -> bool:
    """Whether the calling thread is one of :func:`geos_executor`'s (work submitted from there
    must run directly: waiting for the pool from inside it could deadlock)."""
    return threading.current_thread().name.startswith(_THREAD_PREFIX)


def in_threads(func: Callable[[np.ndarray], np.ndarray], geoms: np.ndarray) -> np.ndarray:
    """``func(geoms)`` for an element-wise shapely function, in slices on two threads.

    Meant for functions that release the GIL while GEOS works (the predicates ``is_valid``,
    ``is_empty``, ``has_z``): two slices then run side by side on two cores. Functions that
    create geometries (``from_wkb``, ``points``) keep the GIL and gain nothing here.

    The slices (:data:`THREAD_SLICE` geometries each) are joined in input order, so the result
    equals one call. Inputs of at most one slice, and calls from the pool's own threads, run
    directly in the calling thread.
    """
    n = len(geoms)
    if n <= THREAD_SLICE or in_geos_thread():
        return func(geoms)
    pool = geos_executor()
    tasks = [pool.submit(func, geoms[i:i + THREAD_SLICE]) for i in range(0, n, THREAD_SLICE)]
    return np.concatenate([task.result() for task in tasks])


def geometry_kind(gdf: gpd.GeoDataFrame | None, *, types: np.ndarray | None = None) -> str:
    """The layer's geometry family: ``"polygon"``, ``"line"``, ``"point"`` or ``"table"``.

    Polygons win over lines, lines over points; a frame without (non-empty) geometry is a table.
    ``types`` is ``shapely.get_type_id`` of the frame's geometries when the caller has it already.
    """
    if not isinstance(gdf, gpd.GeoDataFrame) or getattr(gdf, "_geometry_column_name", None) not in gdf.columns:
        return "table"
    if types is None:
        types = shapely.get_type_id(np.asarray(gdf.geometry.array, dtype=object))
    if np.isin(types, (*_FAMILIES["polygon"], _COLLECTION)).any():
        return "polygon"
    for kind in ("line", "point"):
        if np.isin(types, _FAMILIES[kind]).any():
            return kind
    return "polygon" if len(gdf) == 0 else "table"


def clean_geometries(gdf: gpd.GeoDataFrame, report: LoadReport, *, valid: np.ndarray | None = None,
                     types: np.ndarray | None = None) -> gpd.GeoDataFrame:
    """Return a cleaned copy of ``gdf``.

    Steps (counts in ``report.counts``): null geometries dropped (``dropped_null``),
    empty ones dropped (``dropped_empty``), Z removed (``z_dropped``), invalid ones
    repaired with ``make_valid`` (``repaired``), and for polygon layers everything that is
    not (multi)polygonal reduced to its polygon parts or dropped (``dropped_wrong_type``).
    Multi-part geometries are kept as they are.

    Parameters
    ----------
    gdf : GeoDataFrame in any CRS.
    report : LoadReport receiving counts and messages.
    valid : ``shapely.is_valid`` of ``gdf``'s geometries when the caller has it already
        (saves computing it again; must belong to these very geometries).
    types : ``shapely.get_type_id`` of ``gdf``'s geometries when the caller has it already
        (the same condition).

    Returns
    -------
    GeoDataFrame
        Same columns and index labels (minus dropped rows).
    """
    for key in ("repaired", "dropped_empty", "dropped_null", "z_dropped"):
        report.counts.setdefault(key, 0)
    geoms = np.asarray(gdf.geometry.array, dtype=object)
    if types is None or len(types) != len(geoms):
        types = shapely.get_type_id(geoms)
    kind = geometry_kind(gdf, types=types)
    keep = _drop_missing(geoms, report)
    geoms, types = geoms[keep], types[keep]
    flat = _force_2d(geoms, report)
    if flat is not geoms or valid is None or len(valid) != len(keep):
        valid = None  # dropping Z may change validity
    else:
        valid = np.asarray(valid, dtype=bool)[keep]
    geoms, repaired = _repair(flat, report, valid)
    if repaired is not None:
        types[repaired] = shapely.get_type_id(geoms[repaired])  # make_valid may change the type
    if kind == "polygon":
        geoms = _polygon_parts(geoms, types)
        bad = shapely.is_missing(geoms) | in_threads(shapely.is_empty, geoms)
        n_bad = int(bad.sum())
        if n_bad:
            report.add("dropped_wrong_type", n_bad)
            report.warning(Translatable("{n} object zonder vlak (lijn of punt in een vlakkenlaag) weggelaten", n=n_bad)
                           if n_bad == 1 else
                           Translatable("{n} objecten zonder vlak (lijn of punt in een vlakkenlaag) weggelaten", n=n_bad))
        positions = np.flatnonzero(keep)[~bad]
        geoms = geoms[~bad]
    else:
        positions = np.flatnonzero(keep)
    # every row kept: a shallow copy (the geometry column is replaced, not changed in place, so ``gdf``
    # stays as it is); else one take
    out = gdf.copy(deep=False) if len(positions) == len(gdf) else gdf.take(positions)
    out[gdf.geometry.name] = gpd.GeoSeries(geoms, index=out.index, crs=gdf.crs)
    return out.set_geometry(gdf.geometry.name)


def _drop_missing(geoms: np.ndarray, report: LoadReport) -> np.ndarray:
    null = shapely.is_missing(geoms)
    empty = ~null & in_threads(shapely.is_empty, geoms)
    n_null, n_empty = int(null.sum()), int(empty.sum())
    if n_null:
        report.add("dropped_null", n_null)
        report.warning(Translatable("{n} object zonder geometrie weggelaten", n=n_null) if n_null == 1
                       else Translatable("{n} objecten zonder geometrie weggelaten", n=n_null))
    if n_empty:
        report.add("dropped_empty", n_empty)
        report.warning(Translatable("{n} object met lege geometrie weggelaten", n=n_empty) if n_empty == 1
                       else Translatable("{n} objecten met lege geometrie weggelaten", n=n_empty))
    return ~(null | empty)


def _force_2d(geoms: np.ndarray, report: LoadReport) -> np.ndarray:
    has_z = in_threads(shapely.has_z, geoms)
    n = int(has_z.sum())
    if not n:
        return geoms
    report.add("z_dropped", n)
    report.info(Translatable("hoogte (Z) van {n} object weggelaten; de kaart is 2D", n=n) if n == 1
                else Translatable("hoogte (Z) van {n} objecten weggelaten; de kaart is 2D", n=n))
    return shapely.force_2d(geoms)


def _repair(geoms: np.ndarray, report: LoadReport, valid: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray | None]:
    """The geometries with invalid ones repaired, and the mask of those repaired (None when none were)."""
    invalid = ~(in_threads(shapely.is_valid, geoms) if valid is None else valid)
    n = int(invalid.sum())
    if not n:
        return geoms, None
    geoms = geoms.copy()
    geoms[invalid] = shapely.make_valid(geoms[invalid])
    report.add("repaired", n)
    report.warning(Translatable("{n} ongeldige geometrie hersteld (make_valid)", n=n) if n == 1
                   else Translatable("{n} ongeldige geometrieën hersteld (make_valid)", n=n))
    return geoms, invalid


def _polygon_parts(geoms: np.ndarray, types: np.ndarray) -> np.ndarray:
    """Keep polygons as they are; reduce collections to a MultiPolygon of their polygon parts.

    ``types`` are the type ids of ``geoms``. Points and lines become None (dropped by the caller).
    """
    out = np.where(np.isin(types, _FAMILIES["polygon"]), geoms, None)
    collections = np.flatnonzero(types == _COLLECTION)
    if len(collections) == 0:
        return out
    parts, owner = shapely.get_parts(geoms[collections], return_index=True)
    # a collection may hold MultiPolygons: explode once more so only Polygons remain
    parts, sub = shapely.get_parts(parts, return_index=True)
    owner = owner[sub]
    is_polygon = shapely.get_type_id(parts) == 3
    parts, owner = parts[is_polygon], owner[is_polygon]
    if len(parts) == 0:
        return out
    rows, dense = np.unique(owner, return_inverse=True)
    out[collections[rows]] = shapely.multipolygons(parts, indices=dense)
    return out
