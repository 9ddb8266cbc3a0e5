"""OGC API Features through :class:`layers.sources.http.HttpClient`: collection metadata and
all items of a collection (paged, RD New when offered), as PDOK serves them."""

from __future__ import annotations

import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import pandas as pd

from layers.crs import RD_NEW
from layers.errors import DataError
from layers.texts import Translatable
from layers.sources.http import HttpClient, Page
from layers.sources.ogcapi import RD_URI, _epsg_of, _page_to_rd


@dataclass
class CollectionInfo:
    """What the collection document says: title, CRS offered, and when it was last updated."""

    id: str
    title: str
    supports_rd: bool
    updated: str | None  # ISO date of the data (the ``updated`` of the collection's self link)


@dataclass
class Download:
    """The pages behind a frame: how many were downloaded and how many came from the cache."""

    downloaded: int = 0
    cached: int = 0
    opgehaald: str = ""  # date of the oldest page (the data is as old as its oldest page)

    def add(self, page: Page) -> None:
        if page.from_cache:
            self.cached += 1
        else:
            self.downloaded += 1
        if page.opgehaald and (not self.opgehaald or page.opgehaald < self.opgehaald):
            self.opgehaald = page.opgehaald

    def merge(self, other: "Download") -> "Download":
        self.downloaded += other.downloaded
        self.cached += other.cached
        if other.opgehaald and (not self.opgehaald or other.opgehaald < self.opgehaald):
            self.opgehaald = other.opgehaald
        return self


def items_url(base: str, collection: str) -> str:
    return f"{base}/collections/{urllib.parse.quote(collection, safe='')}/items"


def collection_info(client: HttpClient, base: str, collection: str, download: Download | None = None) -> CollectionInfo:
    """The collection document (``DataError`` naming the URL when the server lacks it)."""
    document, page = client.get_json(f"{base}/collections/{urllib.parse.quote(collection, safe='')}", {"f": "json"})
    if download is not None:
        download.add(page)
    if not isinstance(document, dict) or document.get("id") not in (None, collection):
        raise DataError(Translatable("collectie '{collection}' niet gevonden", collection=collection), path=page.url)
    crs = [str(c) for c in document.get("crs") or []] + [str(document.get("storageCrs") or "")]
    updated = None
    for link in document.get("links") or []:
        if isinstance(link, dict) and link.get("rel") == "self" and link.get("updated"):
            updated = str(link["updated"])[:10]
    return CollectionInfo(collection, str(document.get("title") or collection), any(_epsg_of(c) == 28992 for c in crs), updated)


def items_query(
    info: CollectionInfo,
    *,
    bbox: tuple[float, float, float, float] | None = None,
    params: dict[str, Any] | None = None,
    limit: int = 1000,
) -> dict[str, Any]:
    """The query of the first items page: JSON, ``limit``, RD New when offered, ``bbox`` in RD New."""
    query: dict[str, Any] = {"f": "json", "limit": int(limit)}
    if info.supports_rd:
        query["crs"] = RD_URI
    if bbox is not None:
        if not info.supports_rd:
            raise DataError(Translatable("collectie '{collection}' biedt geen RD New (EPSG:28992) aan", collection=info.id))
        query["bbox"] = ",".join(f"{float(v):.3f}" for v in bbox)
        query["bbox-crs"] = RD_URI
    query.update(params or {})
    return query


def read_items(
    client: HttpClient,
    base: str,
    collection: str,
    *,
    bbox: tuple[float, float, float, float] | None = None,
    params: dict[str, Any] | None = None,
    limit: int = 1000,
    progress: Callable[[int, int | None], None] | None = None,
    info: CollectionInfo | None = None,
) -> tuple[gpd.GeoDataFrame, CollectionInfo, Download]:
    """Every item of ``collection`` (within ``bbox`` in RD New) as a GeoDataFrame in RD New.

    ``progress(features so far, numberMatched or None)`` after every page; ``info``: the
    collection document when the caller has read it already.
    """
    download = Download()
    info = info if info is not None else collection_info(client, base, collection, download)
    query = items_query(info, bbox=bbox, params=params, limit=limit)
    frames: list[gpd.GeoDataFrame] = []
    total = 0
    for document, page in client.pages(items_url(base, collection), query):
        download.add(page)
        features = document.get("features") if isinstance(document, dict) else None
        if not isinstance(features, list):
            raise DataError(Translatable("antwoord zonder 'features'; is dit een OGC API Features-dienst?"), path=page.url)
        if features:
            frames.append(_page_to_rd(features, page.headers.get("content-crs"), query.get("crs")))
            total += len(features)
        if progress is not None:
            matched = document.get("numberMatched")
            progress(total, matched if isinstance(matched, int) else None)
        if not features:
            break
    if frames:
        gdf = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), geometry="geometry", crs=RD_NEW)
    else:
        gdf = gpd.GeoDataFrame({"geometry": gpd.GeoSeries([], crs=RD_NEW)}, geometry="geometry", crs=RD_NEW)
    return gdf, info, download
