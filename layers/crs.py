"""Coordinate reference systems: everything is normalised to RD New (EPSG:28992).

A CRS mismatch is never silent: a layer is either reprojected with a message in its
:class:`~layers.messages.LoadReport`, accepted without CRS because its coordinates are
plainly RD New (with a warning), or refused with a :class:`~layers.errors.DataError`.
"""

from __future__ import annotations

import math
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from pyproj import CRS

from layers.errors import DataError
from layers.messages import LoadReport
from layers.texts import Translatable

RD_NEW = "EPSG:28992"
#: (xmin, ymin, xmax, ymax) within which coordinates are "plainly RD New".
RD_BOUNDS = (-7000.0, 289000.0, 300000.0, 629000.0)
RD_LABEL = "RD New (EPSG:28992)"


def looks_like_rd(bounds: tuple[float, float, float, float] | np.ndarray) -> bool:
    """Whether bounds lie entirely within the RD New area.

    Parameters
    ----------
    bounds : (xmin, ymin, xmax, ymax)

    Returns
    -------
    bool
        False for empty/NaN bounds and for anything outside
        x −7000..300000, y 289000..629000 (degrees never qualify).
    """
    values = [float(v) for v in bounds]
    if len(values) != 4 or not all(math.isfinite(v) for v in values):
        return False
    xmin, ymin, xmax, ymax = values
    bx0, by0, bx1, by1 = RD_BOUNDS
    return bx0 <= xmin <= xmax <= bx1 and by0 <= ymin <= ymax <= by1


def crs_label(crs: Any) -> str | None:
    """A short human label for a CRS: ``"EPSG:4326"`` or its name, None when absent."""
    if crs is None:
        return None
    crs = CRS.from_user_input(crs)
    epsg = crs.to_epsg()
    if epsg is not None:
        return f"EPSG:{epsg}"
    return crs.name or crs.to_string()


def is_rd(crs: Any) -> bool:
    """Whether ``crs`` is RD New, or a compound CRS whose horizontal part is RD New (EPSG:7415)."""
    if crs is None:
        return False
    crs = CRS.from_user_input(crs)
    if crs.to_epsg() == 28992:
        return True
    return any(sub.to_epsg() == 28992 for sub in crs.sub_crs_list)


def needs_reprojection(crs: Any) -> bool:
    """Whether a layer in ``crs`` would be reprojected when loaded (False when absent)."""
    return crs is not None and not is_rd(crs)


def to_project_crs(gdf: gpd.GeoDataFrame, source: str, report: LoadReport) -> gpd.GeoDataFrame:
    """Return ``gdf`` in RD New, reporting what was done.

    Parameters
    ----------
    gdf : GeoDataFrame with or without a CRS.
    source : file name used in messages and errors.
    report : collects the message and the ``reprojected`` count (0/1).

    Returns
    -------
    GeoDataFrame
        In EPSG:28992. The input is never modified.

    Raises
    ------
    DataError
        When the layer has no CRS and its coordinates do not lie within RD New bounds.
    """
    report.counts.setdefault("reprojected", 0)
    if gdf.crs is None:
        return _assume_rd(gdf, source, report)
    if is_rd(gdf.crs):
        if CRS.from_user_input(gdf.crs).to_epsg() != 28992:
            report.info(Translatable("{crs} gelezen als {rd} (hoogtes niet gebruikt)", crs=crs_label(gdf.crs), rd=RD_LABEL))
            return gdf.set_crs(RD_NEW, allow_override=True)
        return gdf
    label = crs_label(gdf.crs)
    try:
        out = gdf.to_crs(RD_NEW)
    except Exception as exc:  # pyproj errors are not user errors: name the CRS instead
        raise DataError(Translatable("coördinaten in {crs} kunnen niet naar {rd} worden omgezet ({reason})", crs=label,
                                     rd=RD_LABEL, reason=str(exc)), source) from exc
    report.info(Translatable("{n} objecten van {crs} naar {rd} omgezet", n=len(out), crs=label, rd=RD_LABEL))
    report.counts["reprojected"] = 1
    return out


def _assume_rd(gdf: gpd.GeoDataFrame, source: str, report: LoadReport) -> gpd.GeoDataFrame:
    geoms = gdf.geometry
    present = geoms[geoms.notna() & ~geoms.is_empty]
    if len(present) == 0 or looks_like_rd(present.total_bounds):
        report.warning(Translatable("geen coördinatenstelsel opgegeven; de coördinaten liggen binnen {rd} en worden zo gelezen",
                                   rd=RD_LABEL))
        return gdf.set_crs(RD_NEW)
    xmin, ymin, xmax, ymax = (round(float(v), 3) for v in present.total_bounds)
    raise DataError(
        Translatable("geen coördinatenstelsel opgegeven en de coördinaten {shown} liggen niet binnen RD New; "
                     "geef het coördinatenstelsel op (bijvoorbeeld optie crs = \"EPSG:4326\")",
                     shown=f"({xmin}, {ymin} – {xmax}, {ymax})"),
        source,
    )


def check_extent(
    before: gpd.GeoDataFrame, after: gpd.GeoDataFrame, source: str, report: LoadReport
) -> gpd.GeoDataFrame:
    """Report features outside the Netherlands; refuse a layer whose coordinates are plainly mislabelled.

    Coordinates far from the Netherlands usually mean a wrong coordinate system. When the
    whole layer lies outside and the coordinates as read (``before``) are degrees labelled
    as a projected CRS such as RD New, or latitude/longitude in swapped order, or cannot be
    converted at all, the layer is refused naming the cause; otherwise features outside
    are counted (``outside_nl``) with a warning and kept.

    Parameters
    ----------
    before : the layer as read, in its own CRS (or without one).
    after : the same rows in RD New (same length and order as ``before``).
    source : file name for the messages.
    report : receives the warning and the ``outside_nl`` count.

    Returns
    -------
    ``after`` unchanged.

    Raises
    ------
    DataError
        For mislabelled degrees, swapped axes or coordinates that cannot be converted.
    """
    geoms = np.asarray(after.geometry.array, dtype=object)
    present = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    if not present.any():
        return after
    with np.errstate(invalid="ignore"):
        bounds = shapely.bounds(geoms[present])
    finite = np.isfinite(bounds).all(axis=1)
    inside = finite & _intersects_rd(bounds)
    n_outside = int((~inside).sum())
    if n_outside == 0:
        return after
    if not inside.any():
        raw = np.asarray(before.geometry.array, dtype=object)
        raw_bounds = _total_bounds(raw[~(shapely.is_missing(raw) | shapely.is_empty(raw))])
        cause = _mislabelled(raw_bounds, before.crs)
        if cause is not None:
            raise DataError(Translatable("alle objecten liggen buiten Nederland; {cause}", cause=cause), source)
        if not finite.any():
            raise DataError(Translatable("de coördinaten kunnen niet naar {rd} worden omgezet; {hint}", rd=RD_LABEL,
                                         hint=_extent_hint(raw_bounds, before.crs)), source)
        report.add("outside_nl", n_outside)
        report.warning(Translatable("alle {n} objecten liggen buiten Nederland; {hint}", n=n_outside,
                                    hint=_extent_hint(raw_bounds, before.crs)))
        return after
    report.add("outside_nl", n_outside)
    if n_outside == 1:
        report.warning(Translatable("{n} object ligt buiten Nederland (buiten RD New); controleer dat object", n=n_outside))
    else:
        report.warning(Translatable("{n} objecten liggen buiten Nederland (buiten RD New); controleer die objecten", n=n_outside))
    return after


def _intersects_rd(bounds: np.ndarray) -> np.ndarray:
    bx0, by0, bx1, by1 = RD_BOUNDS
    with np.errstate(invalid="ignore"):
        return (bounds[:, 2] >= bx0) & (bounds[:, 0] <= bx1) & (bounds[:, 3] >= by0) & (bounds[:, 1] <= by1)


def _total_bounds(geoms: np.ndarray) -> tuple[float, float, float, float]:
    with np.errstate(invalid="ignore"):
        b = shapely.bounds(geoms)
    if not len(b):
        return (math.nan,) * 4  # type: ignore[return-value]
    return float(np.nanmin(b[:, 0])), float(np.nanmin(b[:, 1])), float(np.nanmax(b[:, 2])), float(np.nanmax(b[:, 3]))


#: Longitude/latitude box around the Netherlands (with the EEZ), for the hints.
_NL_LONLAT = (3.0, 50.5, 7.5, 54.0)


def _mislabelled(bounds: tuple[float, float, float, float], crs: Any) -> str | None:
    """The cause when coordinates ``bounds`` (as read, in ``crs``) are Dutch degrees mislabelled, else None."""
    xmin, ymin, xmax, ymax = bounds
    shown = f"({_fmt(xmin)}, {_fmt(ymin)} – {_fmt(xmax)}, {_fmt(ymax)})"
    label = crs_label(crs) or Translatable("zonder coördinatenstelsel")
    lon0, lat0, lon1, lat1 = _NL_LONLAT

    def in_box(x0: float, y0: float, x1: float, y1: float) -> bool:
        return lon0 <= x0 <= x1 <= lon1 and lat0 <= y0 <= y1 <= lat1

    geographic = crs is not None and CRS.from_user_input(crs).is_geographic
    if geographic and in_box(ymin, xmin, ymax, xmax):
        return Translatable("de coördinaten {shown} lijken breedte en lengte in verwisselde volgorde (x en y verwisseld); "
                            "schrijf lengtegraad als x en breedtegraad als y", shown=shown)
    if not geographic and in_box(xmin, ymin, xmax, ymax):
        return Translatable("de coördinaten {shown} lijken graden (lengte/breedte) terwijl het bestand {crs} opgeeft; "
                            "geef het juiste coördinatenstelsel op (optie crs = \"EPSG:4326\")", shown=shown, crs=label)
    if not geographic and in_box(ymin, xmin, ymax, xmax):
        return Translatable("de coördinaten {shown} lijken graden met x en y verwisseld terwijl het bestand {crs} opgeeft; "
                            "corrigeer de volgorde en geef crs = \"EPSG:4326\" op", shown=shown, crs=label)
    return None


def _extent_hint(bounds: tuple[float, float, float, float], crs: Any) -> str:
    """Why the coordinates ``bounds`` (as read, in ``crs``) are probably outside the Netherlands."""
    cause = _mislabelled(bounds, crs)
    if cause is not None:
        return cause
    xmin, ymin, xmax, ymax = bounds
    shown = f"({_fmt(xmin)}, {_fmt(ymin)} – {_fmt(xmax)}, {_fmt(ymax)})"
    label = crs_label(crs) or Translatable("zonder coördinatenstelsel")
    return Translatable("de coördinaten {shown} in {crs} liggen niet in Nederland; controleer het coördinatenstelsel",
                        shown=shown, crs=label)


def _fmt(value: float) -> str:
    return f"{value:.6g}" if math.isfinite(value) else str(value)


def raster_to_project_crs(
    array: np.ndarray,
    transform: Any,
    crs: Any,
    source: str,
    report: LoadReport,
) -> tuple[np.ndarray, Any]:
    """Warp a float grid (NaN = nodata) to RD New with rasterio.

    Parameters
    ----------
    array : 2-D float64 grid, NaN where nodata.
    transform : affine transform of ``array``.
    crs : CRS of the grid, or None.
    source : file name for messages.
    report : receives the message and the ``reprojected`` count.

    Returns
    -------
    (array, transform) in EPSG:28992.
    """
    from rasterio.transform import array_bounds
    from rasterio.warp import Resampling, calculate_default_transform, reproject

    report.counts.setdefault("reprojected", 0)
    rows, cols = array.shape
    west, south, east, north = array_bounds(rows, cols, transform)
    if crs is None:
        if looks_like_rd((west, south, east, north)):
            report.warning(Translatable("raster zonder coördinatenstelsel; de coördinaten liggen binnen {rd} en worden zo gelezen",
                                       rd=RD_LABEL))
            return array, transform
        raise DataError(Translatable("raster zonder coördinatenstelsel en de coördinaten liggen niet binnen RD New"), source)
    if is_rd(crs):
        _check_raster_extent((west, south, east, north), (west, south, east, north), crs, source, report)
        return array, transform
    src_crs = CRS.from_user_input(crs)
    try:
        dst_transform, width, height = calculate_default_transform(
            src_crs.to_wkt(), RD_NEW, cols, rows, left=west, bottom=south, right=east, top=north
        )
        out = np.full((height, width), np.nan, dtype="float64")
        reproject(
            source=array,
            destination=out,
            src_transform=transform,
            src_crs=src_crs.to_wkt(),
            src_nodata=np.nan,
            dst_transform=dst_transform,
            dst_crs=RD_NEW,
            dst_nodata=np.nan,
            resampling=Resampling.bilinear,
        )
    except Exception as exc:  # rasterio/GDAL errors (and MemoryError) for impossible extents
        raise DataError(
            Translatable("raster in {crs} kan niet naar {rd} worden omgezet; {hint}", crs=crs_label(src_crs), rd=RD_LABEL,
                         hint=_extent_hint((west, south, east, north), src_crs)),
            source,
        ) from exc
    _check_raster_extent(array_bounds(height, width, dst_transform), (west, south, east, north), src_crs, source, report)
    report.info(Translatable("raster van {crs} naar {rd} omgezet ({width}×{height} cellen)", crs=crs_label(src_crs), rd=RD_LABEL,
                             width=width, height=height))
    report.counts["reprojected"] = 1
    return out, dst_transform


def _check_raster_extent(rd_bounds, source_bounds, crs: Any, source: str, report: LoadReport) -> None:
    west, south, east, north = (float(v) for v in rd_bounds)
    bx0, by0, bx1, by1 = RD_BOUNDS
    finite = all(math.isfinite(v) for v in (west, south, east, north))
    if finite and east >= bx0 and west <= bx1 and north >= by0 and south <= by1:
        return
    cause = _mislabelled(tuple(source_bounds), crs)
    if cause is not None or not finite:
        raise DataError(Translatable("het raster ligt buiten Nederland; {hint}",
                                     hint=cause or _extent_hint(tuple(source_bounds), crs)), source)
    report.add("outside_nl", 1)
    report.warning(Translatable("het raster ligt buiten Nederland; {hint}", hint=_extent_hint(tuple(source_bounds), crs)))
