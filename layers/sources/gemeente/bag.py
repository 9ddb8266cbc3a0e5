"""BAG panden and verblijfsobjecten of a gemeente from the PDOK BAG OGC API (``pand``,
``verblijfsobject``), as published: ``identificatie``, ``bouwjaar``, ``status``,
``gebruiksdoel``, ``oppervlakte_min/max``, ``aantal_verblijfsobjecten`` per pand; per
verblijfsobject ``identificatie``, ``gebruiksdoel``, ``oppervlakte``, ``status`` and the pand
reference. The BAG rules (current objects only, ``bouwjaar`` 9999, identifiers) are applied by
:mod:`layers.sources.bag` when the project is read, so nothing is dropped here but what lies
outside the gemeente."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import geopandas as gpd
import shapely

from layers.sources.gemeente.bronnen import service_url
from layers.sources.gemeente.cbs_gebieden import Gemeente
from layers.sources.gemeente.ogc import CollectionInfo, Download, read_items
from layers.sources.http import HttpClient


def within(frame: gpd.GeoDataFrame, gemeente: Gemeente) -> gpd.GeoDataFrame:
    """The rows whose inside point lies in the gemeente (a pand on the border belongs to one gemeente)."""
    if frame.empty:
        return frame
    points = shapely.point_on_surface(frame.geometry.to_numpy())
    shapely.prepare(gemeente.geometry)
    return frame[shapely.intersects(gemeente.geometry, points)].reset_index(drop=True)


def fetch_bag(
    client: HttpClient,
    bron: dict[str, Any],
    gemeente: Gemeente,
    kind: str,
    progress: Callable[[int, int | None], None] | None = None,
) -> tuple[gpd.GeoDataFrame, CollectionInfo, Download]:
    """``kind`` ``"panden"`` or ``"verblijfsobjecten"`` of ``gemeente`` (bbox query, then clipped)."""
    if kind not in ("panden", "verblijfsobjecten"):
        raise ValueError(f"kind moet 'panden' of 'verblijfsobjecten' zijn, niet {kind!r}")
    default = "pand" if kind == "panden" else "verblijfsobject"
    frame, info, download = read_items(
        client,
        service_url(bron),
        str(bron.get(kind, default)),
        bbox=gemeente.bbox,
        limit=int(bron.get("limiet", 1000)),
        progress=progress,
    )
    return within(frame, gemeente), info, download
