"""OGC API Features client, as PDOK serves it (``https://api.pdok.nl/…/ogc/v1``).

Qt-free and synchronous: the GUI runs :func:`read_collection` in a worker thread and
passes a feedback object (``progress(fraction, text)``, ``is_cancelled()``; the
:class:`layers.feedback.Feedback` protocol). Items are fetched page by page following the
``next`` links. When the collection advertises RD New (EPSG:28992) the client asks for it
with the ``crs`` and ``bbox-crs`` parameters; otherwise it receives CRS84 (lon/lat) and
reprojects. The CRS of every page is taken from its ``Content-Crs`` header.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import pandas as pd
from pyproj import Transformer

from layers.crs import RD_NEW
from layers.errors import DataError
from layers.messages import LoadReport
from layers.feedback import CancelledError

RD_URI = "http://www.opengis.net/def/crs/EPSG/0/28992"
CRS84_URI = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
_ACCEPT = "application/geo+json, application/json;q=0.9"
_USER_AGENT = "beter-benutten (OGC API Features client)"
DEFAULT_LIMIT = 1000


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
        raise ValueError(f"'{url}' is geen http(s)-adres van een OGC API")
    path = parsed.path.rstrip("/")
    match = re.search(r"^(.*?)/collections(?:/([^/]+))?(?:/items(?:/.*)?)?$", path)
    base_path, collection = (match.group(1), match.group(2)) if match else (path, None)
    base = urllib.parse.urlunsplit((parsed.scheme, parsed.netloc, base_path, "", ""))
    return base, (urllib.parse.unquote(collection) if collection else None)


def _get(url: str, params: dict[str, Any] | None = None, timeout: float = 60.0) -> tuple[dict, dict[str, str]]:
    """GET JSON; returns (document, lower-cased headers). Errors as DataError naming the URL."""
    if params:
        sep = "&" if urllib.parse.urlsplit(url).query else "?"
        url = url + sep + urllib.parse.urlencode({k: v for k, v in params.items() if v is not None}, safe=",:/")
    request = urllib.request.Request(url, headers={"Accept": _ACCEPT, "User-Agent": _USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - http(s) checked in split_url
            body = response.read()
            headers = {k.lower(): v for k, v in response.headers.items()}
    except urllib.error.HTTPError as exc:
        raise DataError(f"de server antwoordde met HTTP {exc.code} ({exc.reason})", path=url) from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise DataError(f"de server is niet bereikbaar ({reason})", path=url) from exc
    try:
        return json.loads(body), headers
    except json.JSONDecodeError as exc:
        raise DataError("de server gaf geen JSON terug", path=url) from exc


def _epsg_of(uri: str | None) -> int | None:
    if not uri:
        return None
    if "CRS84" in uri.upper():
        return 4326
    match = re.search(r"EPSG(?:/0/|::?)(\d+)", uri, flags=re.IGNORECASE)
    return int(match.group(1)) if match else None


def list_collections(url: str, *, timeout: float = 30.0) -> list[Collection]:
    """The feature collections of an OGC API (landing page or any URL below it)."""
    base, _ = split_url(url)
    document, _ = _get(f"{base}/collections", {"f": "json"}, timeout)
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


def describe_collection(url: str, collection: str, *, timeout: float = 30.0) -> Collection:
    """One collection's description (``DataError`` when the server does not have it)."""
    for item in list_collections(url, timeout=timeout):
        if item.id == collection:
            return item
    base, _ = split_url(url)
    raise DataError(f"collectie '{collection}' bestaat niet", path=base)


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
    timeout: float = 60.0,
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

    Raises
    ------
    layers.feedback.CancelledError when ``feedback.is_cancelled()`` turns true between pages.
    DataError for network, HTTP and format problems (naming the URL).
    """
    if limit < 1:
        raise ValueError(f"limit moet minstens 1 zijn, niet {limit}")
    base, from_url = split_url(url)
    collection = collection or from_url
    if not collection:
        raise ValueError("geef een collectie op (bijvoorbeeld 'buurten')")
    report = report if report is not None else LoadReport(source=f"{base}/collections/{collection}")
    info = describe_collection(base, collection, timeout=timeout)
    params: dict[str, Any] = {"f": "json", "limit": limit if max_features is None else min(limit, max_features)}
    if info.supports_rd:
        params["crs"] = RD_URI
    if bbox is not None:
        params.update(_bbox_params(bbox, bbox_crs, info.supports_rd))
    frames: list[gpd.GeoDataFrame] = []
    total = 0
    next_url: str | None = f"{base}/collections/{urllib.parse.quote(collection, safe='')}/items"
    next_params: dict[str, Any] | None = params
    pages = 0
    while next_url:
        if feedback is not None and feedback.is_cancelled():
            raise CancelledError("downloaden afgebroken door gebruiker")
        document, headers = _get(next_url, next_params, timeout)
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
            feedback.progress(fraction, f"{total} objecten uit '{collection}' opgehaald")
        if not features or (max_features is not None and total >= max_features):
            break
        next_url = _next_link(document)
        next_params = {"f": "json"} if next_url and not re.search(r"[?&]f=", next_url) else None
    if frames:
        gdf = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), geometry="geometry", crs=RD_NEW)
    else:
        gdf = gpd.GeoDataFrame({"geometry": gpd.GeoSeries([], crs=RD_NEW)}, geometry="geometry", crs=RD_NEW)
    report.info(f"{total} objecten uit collectie '{collection}' opgehaald in {pages} pagina's")
    if not info.supports_rd:
        report.info("de server biedt geen RD New aan; coördinaten van lengte/breedte (CRS84) naar RD New omgezet")
    return gdf


def _bbox_params(bbox, bbox_crs: str, supports_rd: bool) -> dict[str, str]:
    values = [float(v) for v in bbox]
    if len(values) != 4 or values[0] > values[2] or values[1] > values[3]:
        raise ValueError(f"bbox moet (xmin, ymin, xmax, ymax) zijn, niet {bbox}")
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


def _next_link(document: dict) -> str | None:
    for link in document.get("links") or []:
        if link.get("rel") == "next" and link.get("href"):
            return str(link["href"])
    return None


def is_ogcapi_url(path: Any) -> bool:
    """Whether ``path`` is an http(s) URL (an OGC API landing page, collection or items URL)."""
    return isinstance(path, str) and path.lower().startswith(("http://", "https://"))
