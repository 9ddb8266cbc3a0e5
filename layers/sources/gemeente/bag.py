"""BAG panden and verblijfsobjecten of a gemeente from the PDOK BAG OGC API (``pand``,
``verblijfsobject``), as published: ``identificatie``, ``bouwjaar``, ``status``,
``gebruiksdoel``, ``oppervlakte_min/max``, ``aantal_verblijfsobjecten`` per pand; per
verblijfsobject ``identificatie``, ``gebruiksdoel``, ``oppervlakte``, ``status`` and the pand
reference. The BAG rules (current objects only, ``bouwjaar`` 9999, identifiers) are applied by
:mod:`layers.sources.bag` when the project is read, so nothing is dropped here but what lies
outside the gemeente.

The pand reference of a verblijfsobject: the v1 API published ``pandidentificatie``; v2 publishes
``pand``, a link (or list of links) to the pand feature (``…/collections/pand/items/<feature id>``).
:func:`pand_reference` turns either into ``pandidentificatie`` (the first pand) and
``pandidentificaties`` (all, comma-joined); a verblijfsobject whose pand is not among the panden
read gets the pand it lies in, marked ``pand_koppeling = "ligging"`` (else ``"bag"``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from layers.prepared import private_prepared
from layers.roles import column_key

from layers.sources.gemeente.bronnen import service_url
from layers.sources.gemeente.cbs_gebieden import Gemeente
from layers.sources.gemeente.ogc import CollectionInfo, Download, read_items
from layers.sources.http import HttpClient
from layers.texts import Translatable


def within(frame: gpd.GeoDataFrame, gemeente: Gemeente) -> gpd.GeoDataFrame:
    """The rows whose inside point lies in the gemeente (a pand on the border belongs to one gemeente)."""
    if frame.empty:
        return frame
    points = shapely.point_on_surface(frame.geometry.to_numpy())
    area = private_prepared(gemeente.geometry)  # the gemeente's own geometry is never prepared (other threads read it)
    return frame[shapely.intersects(area, points)].reset_index(drop=True)


def fetch_bag(
    client: HttpClient,
    bron: dict[str, Any],
    gemeente: Gemeente,
    kind: str,
    progress: Callable[[int, int | None], None] | None = None,
) -> tuple[gpd.GeoDataFrame, CollectionInfo, Download]:
    """``kind`` ``"panden"`` or ``"verblijfsobjecten"`` of ``gemeente`` (bbox query, then clipped)."""
    if kind not in ("panden", "verblijfsobjecten"):
        raise ValueError(Translatable("kind moet 'panden' of 'verblijfsobjecten' zijn, niet {kind}", kind=repr(kind)))
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


#: Normalised names of a published pand identifier column on verblijfsobjecten (v1, LVBAG).
_PAND_ID_KEYS = ("pandidentificatie", "pandidentificaties", "pandid")


def pand_reference(vbo: gpd.GeoDataFrame, panden: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """``vbo`` with ``pandidentificatie``, ``pandidentificaties`` and ``pand_koppeling`` (see the
    module docstring); unchanged when it already has a pand identifier column."""
    keys = {column_key(c) for c in vbo.columns}
    if vbo.empty or keys & set(_PAND_ID_KEYS):
        return vbo
    out = vbo.copy()
    ids = pd.Series(np.nan, index=out.index, dtype=object)
    joined = pd.Series(np.nan, index=out.index, dtype=object)
    relation = next((c for c in out.columns if column_key(c) == "pand"), None)
    if relation is not None and "id" in panden.columns and "identificatie" in panden.columns:
        by_feature = pd.Series(panden["identificatie"].to_numpy(), index=panden["id"].astype(str).to_numpy())
        by_feature = by_feature[~by_feature.index.duplicated()]
        # a link, a {"href": …} or a list of them: the feature id follows ".../items/"
        flat = out[relation].explode().astype("string").str.extract(r"/items/([^/?'\"\s}]+)", expand=False)
        found = pd.Series(by_feature.reindex(flat.to_numpy()).to_numpy(), index=flat.index)
        found = found[found.notna()]
        if len(found):
            ids = found.groupby(level=0).first().reindex(out.index)
            joined = found.astype(str).groupby(level=0).agg(", ".join).reindex(out.index)
    koppeling = np.where(ids.notna(), "bag", None).astype(object)
    missing = ids.isna().to_numpy()
    if missing.any() and not panden.empty:
        inside, pand = shapely.STRtree(panden.geometry.to_numpy()).query(out.geometry.to_numpy()[missing], predicate="within")
        rows = np.flatnonzero(missing)[inside]
        first = ~pd.Series(rows).duplicated().to_numpy()
        located = panden["identificatie"].to_numpy()[pand[first]]
        ids.iloc[rows[first]] = located
        joined.iloc[rows[first]] = located
        koppeling[rows[first]] = "ligging"
    out["pandidentificatie"] = ids
    out["pandidentificaties"] = joined
    out["pand_koppeling"] = koppeling
    return out
