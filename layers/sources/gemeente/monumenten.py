"""Rijksmonumenten of a gemeente from the RCE collection on PDOK (OGC API Features), and the
flag per pand they give.

The collection (``rce_inspire_points``, INSPIRE Protected Sites) holds more than rijksmonumenten
(e.g. historic country estates); the rijksmonumenten are the features whose ``namespace`` is
``nlps-rijksmonumenten`` (``[monumenten] namespace`` in the settings). Their number is the last
part of ``ci_citation``, the link to the monumentenregister (``localid`` is an internal id, not
the number); it is written as ``rijksmonument_nummer``.

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
from layers.sources.gemeente.cbs_gebieden import Gemeente, column
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
    return rijksmonumenten(within(frame, gemeente), bron.get("namespace", "nlps-rijksmonumenten")), info, download


def rijksmonumenten(frame: gpd.GeoDataFrame, namespace: str | None) -> gpd.GeoDataFrame:
    """The rijksmonumenten among the protected sites (by ``namespace``, when the data has one),
    with ``rijksmonument_nummer`` from the register link (``ci_citation``) where it has one."""
    ns = column(frame, ("namespace",))
    if ns is not None and namespace:
        frame = frame[frame[ns].astype(str).str.strip() == namespace].reset_index(drop=True)
    citation = column(frame, ("cicitation",))
    if citation is not None and "rijksmonument_nummer" not in frame.columns:
        frame = frame.copy()
        frame["rijksmonument_nummer"] = frame[citation].astype("string").str.extract(r"/(\d+)/?$", expand=False)
    return frame


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
