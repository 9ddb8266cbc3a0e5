"""Rijksmonumenten of a gemeente from the RCE collection on PDOK (OGC API Features), and the
flag per pand they give.

The monuments are points (the RCE places them on the address of the monument; not every
location is exact). A pand is marked ``rijksmonument`` when a monument point lies in its
footprint; panden without one are ``False`` only when the monument layer was read, so a
project without it has no such column (unknown, not "no")."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import geopandas as gpd
import numpy as np
import shapely

from layers.sources.gemeente.bag import within
from layers.sources.gemeente.bronnen import service_url
from layers.sources.gemeente.cbs_gebieden import Gemeente
from layers.sources.gemeente.ogc import CollectionInfo, Download, read_items
from layers.sources.http import HttpClient


def fetch_monumenten(
    client: HttpClient,
    bron: dict[str, Any],
    gemeente: Gemeente,
    progress: Callable[[int, int | None], None] | None = None,
) -> tuple[gpd.GeoDataFrame, CollectionInfo, Download]:
    """The monument features of the collection in ``gemeente`` (as published)."""
    frame, info, download = read_items(
        client,
        service_url(bron),
        str(bron.get("collectie", "rce_inspire_points")),
        bbox=gemeente.bbox,
        limit=int(bron.get("limiet", 1000)),
        progress=progress,
    )
    return within(frame, gemeente), info, download


def flag_panden(panden: gpd.GeoDataFrame, monumenten: gpd.GeoDataFrame) -> np.ndarray:
    """Per pand whether a monument (point, or the inside point of a polygon) lies in it."""
    flags = np.zeros(len(panden), dtype=bool)
    if panden.empty or monumenten.empty:
        return flags
    points = shapely.point_on_surface(monumenten.geometry.to_numpy())
    tree = shapely.STRtree(panden.geometry.to_numpy())
    _, hit = tree.query(points, predicate="within")
    flags[np.unique(hit)] = True
    return flags
