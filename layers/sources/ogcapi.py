"""OGC API Features client, as PDOK serves it (``https://api.pdok.nl/…/ogc/v1``).

Qt-free and synchronous: the GUI runs :func:`read_collection` in a worker thread and
passes a feedback object (``progress(fraction, text)``, ``is_cancelled()``; the
:class:`layers.feedback.Feedback` protocol). Items are fetched page by page following the
``next`` links. When the collection advertises RD New (EPSG:28992) the client asks for it
with the ``crs`` and ``bbox-crs`` parameters; otherwise it receives CRS84 (lon/lat) and
reprojects. The CRS of every page is taken from its ``Content-Crs`` header.

Every request goes through :class:`layers.sources.http.HttpClient` (no disk cache): a connect
and a read timeout, an overall deadline per layer, a maximum response size (gzip counted
unpacked) and page count, and a check on ``next`` links that loop; each limit ends with one
line naming the URL and the limit (:data:`DEFAULT_SETTINGS`, or ``settings=``). A page is
parsed once it is complete and within the size limit (pages of ``limit`` features, 1000 by
default, are a few MB), so no response is read without bound.
"""

from __future__ import annotations

import dataclasses
import re
import time
import urllib.parse
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import pandas as pd
from pyproj import Transformer

from layers.crs import RD_NEW
from layers.errors import DataError
from layers.messages import LoadReport
from layers.feedback import CancelledError
from layers.sources.http import HttpClient, HttpSettings, ogc_next_link
from layers.texts import Translatable

RD_URI = "http://www.opengis.net/def/crs/EPSG/0/28992"
CRS84_URI = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
DEFAULT_LIMIT = 1000
#: Limits of an OGC API download; ``timeout=`` of the functions below replaces both timeouts.
DEFAULT_SETTINGS = HttpSettings(connect_timeout=15.0, read_timeout=60.0, layer_deadline=1800.0,
                                max_response_bytes=256 * 1024 * 1024, max_pages=5000, retries=2, backoff=1.0,
                                max_backoff=10.0)


@dataclass(frozen=True)
class Collection:
    """A feature collection as the server describes it."""

    id: str
    title: str
    description: str
    crs: tuple[str, ...]
    storage_crs: str | None
    bbox: tuple[float, float, float, float] | None

    @property
    def supports_rd(self) -> bool:
        return any(_epsg_of(uri) == 28992 for uri in self.crs + ((self.storage_crs,) if self.storage_crs else ()))


def split_url(url: str) -> tuple[str, str | None]:
    """(landing page URL, collection id or None) from a landing page, collection or items URL."""
    parsed = urllib.parse.urlsplit(url.strip())
    if parsed.scheme not in ("http", "https"):
        raise ValueError(Translatable("'{url}' is geen http(s)-adres van een OGC API", url=url))
    path = parsed.path.rstrip("/")
    match = re.search(r"^(.*?)/collections(?:/([^/]+))?(?:/items(?:/.*)?)?$", path)
    base_path, collection = (match.group(1), match.group(2)) if match else (path, None)
    base = urllib.parse.urlunsplit((parsed.scheme, parsed.netloc, base_path, "", ""))
    return base, (urllib.parse.unquote(collection) if collection else None)


def _client(timeout: float | None, settings: HttpSettings | None, feedback: Any = None) -> HttpClient:
    """A client without cache on ``settings`` (default :data:`DEFAULT_SETTINGS`); ``timeout``, when
    given, is the connect and the read timeout."""
    settings = settings or DEFAULT_SETTINGS
    if timeout is not None:
        settings = dataclasses.replace(settings, connect_timeout=float(timeout), read_timeout=float(timeout))
    return HttpClient(settings, None, feedback=feedback)


def _get(client: HttpClient, url: str, params: dict[str, Any] | None = None) -> dict:
    """GET one JSON document (an object); errors as one-line DataError naming the URL."""
    document, page = client.get_json(url, params, deadline=time.monotonic() + client.settings.layer_deadline)
    if not isinstance(document, dict):
        raise _not_an_object(page.url)
    return document


def _not_an_object(url: str) -> DataError:
    return DataError(Translatable("de server gaf geen JSON-object terug"), path=url)


def _epsg_of(uri: str | None) -> int | None:
    if not uri:
        return None
    if "CRS84" in uri.upper():
        return 4326
    match = re.search(r"EPSG(?:/0/|::?)(\d+)", uri, flags=re.IGNORECASE)
    return int(match.group(1)) if match else None


def list_collections(url: str, *, timeout: float | None = 30.0, settings: HttpSettings | None = None) -> list[Collection]:
    """The feature collections of an OGC API (landing page or any URL below it)."""
    base, _ = split_url(url)
    document = _get(_client(timeout, settings), f"{base}/collections", {"f": "json"})
    collections = []
    for item in document.get("collections", []):
        if item.get("itemType", "feature") != "feature":
            continue
        spatial = (item.get("extent") or {}).get("spatial") or {}
        boxes = spatial.get("bbox") or []
        bbox = tuple(float(v) for v in boxes[0][:4]) if boxes and len(boxes[0]) >= 4 else None
        collections.append(
            Collection(
                id=str(item.get("id")),
                title=str(item.get("title") or item.get("id")),
                description=str(item.get("description") or ""),
                crs=tuple(str(c) for c in item.get("crs") or ()),
                storage_crs=item.get("storageCrs"),
                bbox=bbox,
            )
        )
    return collections


def describe_collection(url: str, collection: str, *, timeout: float | None = 30.0,
                        settings: HttpSettings | None = None) -> Collection:
    """One collection's description (``DataError`` when the server does not have it)."""
    for item in list_collections(url, timeout=timeout, settings=settings):
        if item.id == collection:
            return item
    base, _ = split_url(url)
    raise DataError(Translatable("collectie '{collection}' bestaat niet", collection=collection), path=base)


def read_collection(
    url: str,
    collection: str | None = None,
    *,
    bbox: tuple[float, float, float, float] | None = None,
    bbox_crs: str = RD_NEW,
    limit: int = DEFAULT_LIMIT,
    max_features: int | None = None,
    feedback: Any = None,
    report: LoadReport | None = None,
    timeout: float | None = None,
    settings: HttpSettings | None = None,
) -> gpd.GeoDataFrame:
    """Download the items of a collection into a GeoDataFrame in RD New.

    Parameters
    ----------
    url : landing page, collection or items URL.
    collection : collection id (default: the one in ``url``).
    bbox : (xmin, ymin, xmax, ymax) in ``bbox_crs`` (default RD New), or None for all.
    limit : features per page (servers may cap it; PDOK allows 1000).
    max_features : stop after this many features.
    feedback : object with ``progress(fraction, text)`` and ``is_cancelled()``.
    report : receives paging and CRS messages.
    timeout : connect and read timeout in seconds (default those of ``settings``).
    settings : the limits (:data:`DEFAULT_SETTINGS`): ``layer_deadline`` counts the whole
        collection, ``max_pages`` its pages, ``max_response_bytes`` each page.

    Raises
    ------
    layers.feedback.CancelledError when ``feedback.is_cancelled()`` turns true between pages
    (or between the chunks of one).
    DataError for network, HTTP and format problems and for each limit (naming the URL).
    """
    if limit < 1:
        raise ValueError(Translatable("limit moet minstens 1 zijn, niet {limit}", limit=limit))
    base, from_url = split_url(url)
    collection = collection or from_url
    if not collection:
        raise ValueError(Translatable("geef een collectie op (bijvoorbeeld 'buurten')"))
    report = report if report is not None else LoadReport(source=f"{base}/collections/{collection}")
    client = _client(timeout, settings, feedback)
    info = describe_collection(base, collection, timeout=timeout, settings=settings)
    params: dict[str, Any] = {"f": "json", "limit": limit if max_features is None else min(limit, max_features)}
    if info.supports_rd:
        params["crs"] = RD_URI
    if bbox is not None:
        params.update(_bbox_params(bbox, bbox_crs, info.supports_rd))
    frames: list[gpd.GeoDataFrame] = []
    total = 0
    items_url = f"{base}/collections/{urllib.parse.quote(collection, safe='')}/items"
    pages = 0
    for document, page in client.pages(items_url, params, next_url=_next_link):
        if feedback is not None and feedback.is_cancelled():
            raise CancelledError(Translatable("downloaden afgebroken door gebruiker"))
        if not isinstance(document, dict):
            raise _not_an_object(page.url)
        headers = page.headers
        features = document.get("features") or []
        if max_features is not None:
            features = features[: max_features - total]
        pages += 1
        if features:
            frames.append(_page_to_rd(features, headers.get("content-crs"), params.get("crs")))
            total += len(features)
        matched = document.get("numberMatched")
        if feedback is not None:
            goal = max_features if max_features is not None else matched
            fraction = min(1.0, total / goal) if goal else min(0.99, total / (total + limit))
            feedback.progress(fraction, Translatable("{n} objecten uit '{collection}' opgehaald", n=total, collection=collection))
        if not features or (max_features is not None and total >= max_features):
            break
    if frames:
        gdf = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), geometry="geometry", crs=RD_NEW)
    else:
        gdf = gpd.GeoDataFrame({"geometry": gpd.GeoSeries([], crs=RD_NEW)}, geometry="geometry", crs=RD_NEW)
    report.info(Translatable("{n} objecten uit collectie '{collection}' opgehaald in {pages} pagina's", n=total,
                             collection=collection, pages=pages))
    if not info.supports_rd:
        report.info(Translatable("de server biedt geen RD New aan; coördinaten van lengte/breedte (CRS84) naar RD New omgezet"))
    return gdf


def _bbox_params(bbox, bbox_crs: str, supports_rd: bool) -> dict[str, str]:
    values = [float(v) for v in bbox]
    if len(values) != 4 or values[0] > values[2] or values[1] > values[3]:
        raise ValueError(Translatable("bbox moet (xmin, ymin, xmax, ymax) zijn, niet {bbox}", bbox=str(bbox)))
    source = bbox_crs or RD_NEW
    if supports_rd:
        if _epsg_of(source) not in (28992, None) and source != RD_NEW:
            values = list(Transformer.from_crs(source, RD_NEW, always_xy=True).transform_bounds(*values))
        return {"bbox": ",".join(f"{v:.3f}" for v in values), "bbox-crs": RD_URI}
    if _epsg_of(source) != 4326 and "CRS84" not in str(source).upper():
        values = list(Transformer.from_crs(source, "OGC:CRS84", always_xy=True).transform_bounds(*values))
    return {"bbox": ",".join(f"{v:.7f}" for v in values)}


def _page_to_rd(features: list[dict], content_crs: str | None, requested: str | None) -> gpd.GeoDataFrame:
    """One page of GeoJSON features in RD New; the ``id`` of each feature kept as ``id``."""
    uri = (content_crs or "").strip("<> ") or requested or CRS84_URI
    epsg = _epsg_of(uri)
    crs = "OGC:CRS84" if epsg == 4326 or epsg is None else f"EPSG:{epsg}"
    gdf = gpd.GeoDataFrame.from_features(features, crs=crs)
    ids = [f.get("id") for f in features]
    if "id" not in gdf.columns and any(i is not None for i in ids):
        gdf.insert(0, "id", ids)
    return gdf if epsg == 28992 else gdf.to_crs(RD_NEW)


def _next_link(document: Any) -> str | None:
    """The ``next`` link of a page, asking for JSON when the link does not say ``f=``."""
    link = ogc_next_link(document)
    if link and not re.search(r"[?&]f=", link):
        link += ("&" if urllib.parse.urlsplit(link).query else "?") + "f=json"
    return link


def is_ogcapi_url(path: Any) -> bool:
    """Whether ``path`` is an http(s) URL (an OGC API landing page, collection or items URL)."""
    return isinstance(path, str) and path.lower().startswith(("http://", "https://"))
