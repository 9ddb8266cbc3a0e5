"""Geometry cleaning: repair, drop empties, force 2D, keep one geometry family.

All steps are vectorised with shapely 2; every change is counted in the
:class:`~layers.messages.LoadReport` so the user sees what happened to the data.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely

from layers.messages import LoadReport

#: shapely type ids per family (Polygon/MultiPolygon, LineString/LinearRing/MultiLineString, Point/MultiPoint).
_FAMILIES = {
    "polygon": (3, 6),
    "line": (1, 2, 5),
    "point": (0, 4),
}
_COLLECTION = 7


def geometry_kind(gdf: gpd.GeoDataFrame | None) -> str:
    """The layer's geometry family: ``"polygon"``, ``"line"``, ``"point"`` or ``"table"``.

    Polygons win over lines, lines over points; a frame without (non-empty) geometry is a table.
    """
    if not isinstance(gdf, gpd.GeoDataFrame) or getattr(gdf, "_geometry_column_name", None) not in gdf.columns:
        return "table"
    types = shapely.get_type_id(np.asarray(gdf.geometry.array, dtype=object))
    if np.isin(types, (*_FAMILIES["polygon"], _COLLECTION)).any():
        return "polygon"
    for kind in ("line", "point"):
        if np.isin(types, _FAMILIES[kind]).any():
            return kind
    return "polygon" if len(gdf) == 0 else "table"


def clean_geometries(gdf: gpd.GeoDataFrame, report: LoadReport, *, valid: np.ndarray | None = None) -> gpd.GeoDataFrame:
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

    Returns
    -------
    GeoDataFrame
        Same columns and index labels (minus dropped rows).
    """
    for key in ("repaired", "dropped_empty", "dropped_null", "z_dropped"):
        report.counts.setdefault(key, 0)
    kind = geometry_kind(gdf)
    geoms = np.asarray(gdf.geometry.array, dtype=object)
    keep = _drop_missing(geoms, report)
    geoms = geoms[keep]
    flat = _force_2d(geoms, report)
    if flat is not geoms or valid is None or len(valid) != len(keep):
        valid = None  # dropping Z may change validity
    else:
        valid = np.asarray(valid, dtype=bool)[keep]
    geoms = _repair(flat, report, valid)
    if kind == "polygon":
        geoms = _polygon_parts(geoms)
        bad = shapely.is_missing(geoms) | shapely.is_empty(geoms)
        n_bad = int(bad.sum())
        if n_bad:
            report.add("dropped_wrong_type", n_bad)
            report.warning(f"{n_bad} objecten zonder vlak (lijn of punt in een vlakkenlaag) weggelaten")
        positions = np.flatnonzero(keep)[~bad]
        geoms = geoms[~bad]
    else:
        positions = np.flatnonzero(keep)
    out = gdf.iloc[positions].copy()
    out[gdf.geometry.name] = gpd.GeoSeries(geoms, index=out.index, crs=gdf.crs)
    return out.set_geometry(gdf.geometry.name)


def _drop_missing(geoms: np.ndarray, report: LoadReport) -> np.ndarray:
    null = shapely.is_missing(geoms)
    empty = ~null & shapely.is_empty(geoms)
    n_null, n_empty = int(null.sum()), int(empty.sum())
    if n_null:
        report.add("dropped_null", n_null)
        report.warning(f"{n_null} objecten zonder geometrie weggelaten")
    if n_empty:
        report.add("dropped_empty", n_empty)
        report.warning(f"{n_empty} objecten met lege geometrie weggelaten")
    return ~(null | empty)


def _force_2d(geoms: np.ndarray, report: LoadReport) -> np.ndarray:
    has_z = shapely.has_z(geoms)
    n = int(has_z.sum())
    if not n:
        return geoms
    report.add("z_dropped", n)
    report.info(f"hoogte (Z) van {n} objecten weggelaten; de kaart is 2D")
    return shapely.force_2d(geoms)


def _repair(geoms: np.ndarray, report: LoadReport, valid: np.ndarray | None = None) -> np.ndarray:
    invalid = ~(shapely.is_valid(geoms) if valid is None else valid)
    n = int(invalid.sum())
    if not n:
        return geoms
    geoms = geoms.copy()
    geoms[invalid] = shapely.make_valid(geoms[invalid])
    report.add("repaired", n)
    report.warning(f"{n} ongeldige geometrieën hersteld (make_valid)")
    return geoms


def _polygon_parts(geoms: np.ndarray) -> np.ndarray:
    """Keep polygons as they are; reduce collections to a MultiPolygon of their polygon parts.

    Points and lines become None (dropped by the caller).
    """
    types = shapely.get_type_id(geoms)
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
