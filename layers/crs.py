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
from pyproj import CRS

from layers.errors import DataError
from layers.messages import LoadReport

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
            report.info(f"{crs_label(gdf.crs)} gelezen als {RD_LABEL} (hoogtes niet gebruikt)")
            return gdf.set_crs(RD_NEW, allow_override=True)
        return gdf
    label = crs_label(gdf.crs)
    try:
        out = gdf.to_crs(RD_NEW)
    except Exception as exc:  # pyproj errors are not user errors: name the CRS instead
        raise DataError(f"coördinaten in {label} kunnen niet naar {RD_LABEL} worden omgezet ({exc})", source) from exc
    report.info(f"{len(out)} objecten van {label} naar {RD_LABEL} omgezet")
    report.counts["reprojected"] = 1
    return out


def _assume_rd(gdf: gpd.GeoDataFrame, source: str, report: LoadReport) -> gpd.GeoDataFrame:
    geoms = gdf.geometry
    present = geoms[geoms.notna() & ~geoms.is_empty]
    if len(present) == 0 or looks_like_rd(present.total_bounds):
        report.warning(f"geen coördinatenstelsel opgegeven; de coördinaten liggen binnen {RD_LABEL} en worden zo gelezen")
        return gdf.set_crs(RD_NEW)
    xmin, ymin, xmax, ymax = (round(float(v), 3) for v in present.total_bounds)
    raise DataError(
        "geen coördinatenstelsel opgegeven en de coördinaten "
        f"({xmin}, {ymin} – {xmax}, {ymax}) liggen niet binnen RD New; "
        "geef het coördinatenstelsel op (bijvoorbeeld optie crs = \"EPSG:4326\")",
        source,
    )


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
    if crs is None:
        ymin, xmin, ymax, xmax = _bounds_yx(array_bounds(rows, cols, transform))
        if looks_like_rd((xmin, ymin, xmax, ymax)):
            report.warning(f"raster zonder coördinatenstelsel; de coördinaten liggen binnen {RD_LABEL} en worden zo gelezen")
            return array, transform
        raise DataError("raster zonder coördinatenstelsel en de coördinaten liggen niet binnen RD New", source)
    if is_rd(crs):
        return array, transform
    src_crs = CRS.from_user_input(crs)
    left, bottom, right, top = array_bounds(rows, cols, transform)
    dst_transform, width, height = calculate_default_transform(
        src_crs.to_wkt(), RD_NEW, cols, rows, left=left, bottom=bottom, right=right, top=top
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
    report.info(f"raster van {crs_label(src_crs)} naar {RD_LABEL} omgezet ({width}×{height} cellen)")
    report.counts["reprojected"] = 1
    return out, dst_transform


def _bounds_yx(bounds: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    # rasterio's array_bounds returns (west, south, east, north)
    west, south, east, north = bounds
    return south, west, north, east
