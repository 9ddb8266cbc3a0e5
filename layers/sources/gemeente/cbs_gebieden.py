"""CBS Wijken en Buurten (PDOK OGC API, one API per year): the gemeente, its wijken and buurten
with their kerncijfers (``aantal_inwoners``, ``woningvoorraad``, …) as published.

Field names differ per year (snake_case ``gemeentecode`` since 2023; camelCase
``gemeenteCode`` in some older APIs); the code and name columns are found by their normalised
name (:func:`layers.roles.column_key`), and the columns are written as published, so
:mod:`layers.sources.cbs` and :mod:`layers.roles` apply the CBS rules when the project is read.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import shapely

from layers.errors import DataError
from layers.roles import column_key
from layers.sources.gemeente.bronnen import service_url
from layers.sources.gemeente.ogc import CollectionInfo, Download, collection_info, items_query, items_url, read_items
from layers.sources.http import HttpClient, HttpError, with_params
from layers.texts import Translatable

_CODE_KEYS = ("gemeentecode", "gmcode", "statcode", "code")
_NAME_KEYS = ("gemeentenaam", "gmnaam", "statnaam", "naam")
_GM_CODE = re.compile(r"^(?:gm)?\s*(\d{1,4})$", re.IGNORECASE)


@dataclass(frozen=True)
class Gemeente:
    """One gemeente as CBS publishes it for ``jaar``: code ``GM0221``, name, boundary in RD New."""

    code: str
    naam: str
    jaar: int
    geometry: Any  # shapely (Multi)Polygon in EPSG:28992
    frame: gpd.GeoDataFrame  # the published row (all kerncijfers)
    info: CollectionInfo
    download: Download

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return tuple(float(v) for v in self.geometry.bounds)  # type: ignore[return-value]


def gemeente_code(query: str) -> str | None:
    """``GM0221`` for ``GM0221``, ``gm221`` or ``0221``; None when ``query`` is a name."""
    match = _GM_CODE.match(query.strip())
    return f"GM{int(match.group(1)):04d}" if match else None


def column(frame, keys: tuple[str, ...]) -> str | None:
    """The first column of ``frame`` whose normalised name is one of ``keys`` (in that order)."""
    by_key = {column_key(c): c for c in frame.columns}
    for key in keys:
        if key in by_key:
            return by_key[key]
    return None


def find_gemeente(
    client: HttpClient,
    bron: dict[str, Any],
    query: str,
    jaar: int,
    progress: Callable[[int, int | None], None] | None = None,
) -> Gemeente:
    """The gemeente named or coded ``query`` (case-insensitive) in CBS Wijken en Buurten ``jaar``.

    The server is first asked for just that gemeente (``?gemeentecode=`` / ``?gemeentenaam=``);
    a server that does not filter on that property (HTTP 400, or no match) is asked for all of
    them, and the match is made here. Once all gemeenten are in the cache, they are used.

    Raises
    ------
    DataError
        When no gemeente matches (naming close names), or the service fails.
    """
    if not query or not query.strip():
        raise ValueError(Translatable("geef een gemeente op (code zoals GM0221 of een naam)"))
    base = service_url(bron, jaar)
    collection = str(bron.get("gemeenten", "gemeenten"))
    code = gemeente_code(query)
    limit = int(bron.get("limiet", 1000))
    filtered = {"gemeentecode": code} if code else {"gemeentenaam": query.strip()}
    described = Download()
    try:
        info = collection_info(client, base, collection, described)
    except HttpError as exc:
        if exc.status != 404:
            raise
        raise DataError(Translatable("CBS Wijken en Buurten {jaar} is er niet (HTTP 404); kies een ander jaar met --jaar",
                                     jaar=jaar), path=base) from None
    every = with_params(items_url(base, collection), items_query(info, limit=limit))
    row = None
    if not client.is_cached(every):  # once all gemeenten were read, they are read again from the cache
        try:
            frame, info, download = read_items(client, base, collection, params=filtered, limit=limit, progress=progress, info=info)
            row = _match(frame, code, query)
        except HttpError as exc:
            if exc.status != 400:
                raise
    if row is None:
        frame, info, download = read_items(client, base, collection, limit=limit, progress=progress, info=info)
        row = _match(frame, code, query)
    if row is None:
        raise DataError(_not_found(frame, query, jaar), path=base)
    selected = frame.iloc[[row]].reset_index(drop=True)
    code_col, name_col = column(frame, _CODE_KEYS), column(frame, _NAME_KEYS)
    geometry = shapely.make_valid(selected.geometry.iloc[0])
    return Gemeente(
        code=str(selected[code_col].iloc[0]).strip(),
        naam=str(selected[name_col].iloc[0]).strip() if name_col else str(query),
        jaar=int(jaar),
        geometry=geometry,
        frame=selected,
        info=info,
        download=described.merge(download),
    )


def _match(frame: gpd.GeoDataFrame, code: str | None, query: str) -> int | None:
    if frame.empty:
        return None
    if code:
        col = column(frame, _CODE_KEYS)
        values = frame[col].astype(str).str.strip().str.upper() if col else None
        target = code
    else:
        col = column(frame, _NAME_KEYS)
        values = frame[col].astype(str).str.strip().str.casefold() if col else None
        target = query.strip().casefold()
    if values is None:
        return None
    hits = (values == target).to_numpy().nonzero()[0]
    return int(hits[0]) if len(hits) else None


def _not_found(frame: gpd.GeoDataFrame, query: str, jaar: int) -> Translatable:
    col = column(frame, _NAME_KEYS)
    if col is not None and not frame.empty:
        close = difflib.get_close_matches(query, [str(v) for v in frame[col]], n=3, cutoff=0.6)
        if len(close) == 1:
            return Translatable("gemeente '{query}' bestaat niet in CBS Wijken en Buurten {jaar}; bedoelde u {name}?",
                                query=query, jaar=jaar, name=close[0])
        if close:
            return Translatable("gemeente '{query}' bestaat niet in CBS Wijken en Buurten {jaar}; bedoelde u {names} of {last}?",
                                query=query, jaar=jaar, names=", ".join(close[:-1]), last=close[-1])
    return Translatable("gemeente '{query}' bestaat niet in CBS Wijken en Buurten {jaar}; geef de CBS-code (zoals GM0221) "
                        "of de naam zoals CBS die schrijft", query=query, jaar=jaar)


def fetch_area(
    client: HttpClient,
    bron: dict[str, Any],
    gemeente: Gemeente,
    level: str,
    progress: Callable[[int, int | None], None] | None = None,
) -> tuple[gpd.GeoDataFrame, CollectionInfo, Download]:
    """The ``level`` (``"wijken"`` or ``"buurten"``) of ``gemeente``: the items in its bbox whose
    ``gemeentecode`` is the gemeente's (or, without that column, whose inside point lies in it)."""
    base = service_url(bron, gemeente.jaar)
    frame, info, download = read_items(
        client, base, str(bron.get(level, level)), bbox=gemeente.bbox, limit=int(bron.get("limiet", 1000)), progress=progress
    )
    if frame.empty:
        return frame, info, download
    code_col = column(frame, ("gemeentecode", "gmcode"))
    if code_col is not None:
        keep = frame[code_col].astype(str).str.strip().str.upper() == gemeente.code.upper()
    else:
        keep = shapely.intersects(gemeente.geometry, shapely.point_on_surface(frame.geometry.to_numpy()))
    return frame[keep.to_numpy() if hasattr(keep, "to_numpy") else keep].reset_index(drop=True), info, download
