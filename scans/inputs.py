"""Scan inputs and the per-building table every scan reads.

:class:`ScanInputs` holds the project's layers by role as plain GeoDataFrames (canonical
column names, EPSG:28992) and rasters. :func:`prepare_buildings` turns them into one table
with a row per pand: verblijfsobject aggregates per gebruiksdoel, the gebied the pand is
counted in, raster values at its centroid, and whether it is in use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely
from shapely import STRtree

from layers.raster import RasterData
from layers.roles import arrow_from_objects
from layers.texts import Translatable
from scans import _fast
from scans._fast import beside, in_halves, is_arrow_text, prepared_in_halves, query_in_halves
from scans._rules import (
    FUNCTIES,
    as_float,
    by_unique,
    as_text,
    as_text_categories,
    distinct_values,
    functie_key,
    has_functie,
    isin_lower_many,
    n_functies,
    normalise_functies,
    per_distinct,
    text_array,
)
from scans.params import param

RD_NEW = "EPSG:28992"

#: gebied_code of buildings that lie in no gebied; per_gebied lists them in one row.
BUITEN_GEBIED_CODE = "BUITEN"
BUITEN_GEBIED_NAAM = "buiten gebied"

#: Raster roles sampled at each building's centroid (column name = role).
RASTER_ROLES = ("bodemdaling", "overstromingsdiepte", "kwel")

_VECTOR_ROLES = ("gebouwen", "verblijfsobjecten", "gebieden", "netcongestie", "water_bodem", "nplv", "erven", "portefeuille",
                 "monumenten")

_3DBAG_FLOAT = ("h_maaiveld", "h_dak_70p", "h_dak_max", "bouwlagen", "opp_dak_plat")


@dataclass(frozen=True)
class AlgemeenParams:
    """Settings shared by all scans: which panden count as in use, how gebieden are assigned."""

    gebied_toewijzing: str = param(
        "centroid",
        label="Toewijzing van panden aan gebieden",
        choices=("centroid", "grootste_overlap"),
        help="centroid: het gebied waarin het zwaartepunt van het pand ligt; "
        "grootste_overlap: het gebied met de grootste overlap (voor panden op een grens).",
    )
    statussen_in_gebruik: tuple[str, ...] = param(
        ("Pand in gebruik", "Pand in gebruik (niet ingemeten)", "Verbouwing pand"),
        label="Pandstatussen die als 'in gebruik' tellen",
        source="BAG catalogus",
        help="Panden met een andere status (gesloopt, niet gerealiseerd, …) zijn geen kandidaat. "
        "Een pand zonder status telt als in gebruik.",
    )
    vbo_statussen_uitgesloten: tuple[str, ...] = param(
        (
            "Niet gerealiseerd verblijfsobject",
            "Verblijfsobject ingetrokken",
            "Verblijfsobject ten onrechte opgevoerd",
            "Verblijfsobject gevormd",
        ),
        label="Verblijfsobjectstatussen die niet meetellen",
        source="BAG catalogus",
    )
    vbo_status_leegstand: tuple[str, ...] = param(
        ("Verblijfsobject buiten gebruik",),
        label="Verblijfsobjectstatussen die als leegstand tellen",
        source="domain-sources §2.3 (BAG registreert geen leegstand; benadering)",
    )


@dataclass(frozen=True, eq=False)
class ScanInputs:
    """The layers a potentiescan reads, by role; every layer except ``gebouwen`` is optional.

    Vector layers are GeoDataFrames with canonical column names in EPSG:28992 (or without
    CRS); ``portefeuille`` may be a plain DataFrame. ``rasters`` maps a raster role
    (``bodemdaling``, ``overstromingsdiepte``, ``kwel``) to its :class:`RasterData`.
    """

    gebouwen: gpd.GeoDataFrame
    verblijfsobjecten: gpd.GeoDataFrame | None = None
    gebieden: gpd.GeoDataFrame | None = None
    netcongestie: gpd.GeoDataFrame | None = None
    water_bodem: gpd.GeoDataFrame | None = None
    nplv: gpd.GeoDataFrame | None = None
    erven: gpd.GeoDataFrame | None = None
    portefeuille: pd.DataFrame | None = None
    rasters: dict[str, RasterData] = field(default_factory=dict)
    monumenten: gpd.GeoDataFrame | None = None
    #: panden left out while reading the gebouwen layer (gesloopt, niet gerealiseerd, …): count per status
    vervallen: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not isinstance(self.gebouwen, gpd.GeoDataFrame):
            raise ValueError(Translatable("ScanInputs: 'gebouwen' moet een GeoDataFrame zijn"))
        for role in _VECTOR_ROLES:
            gdf = getattr(self, role)
            if isinstance(gdf, gpd.GeoDataFrame):
                _check_crs(gdf, role)
            elif gdf is not None and role != "portefeuille":  # the portfolio is a table by design
                if role == "netcongestie":
                    raise ValueError(Translatable("laag '{role}' heeft geen geometrie (een tabel); de scan heeft vlakken nodig; "
                                                  "koppel de postcodes aan postcodevlakken (optie postcodevlakken)", role=role))
                raise ValueError(Translatable("laag '{role}' heeft geen geometrie (een tabel); de scan heeft vlakken nodig",
                                              role=role))
        for role, raster in self.rasters.items():
            if role not in RASTER_ROLES:
                raise ValueError(Translatable("onbekende rasterrol '{role}' (bekend: {roles})", role=role,
                                              roles=", ".join(RASTER_ROLES)))
            if raster.crs and _norm_crs(raster.crs) != RD_NEW:
                raise ValueError(Translatable("raster '{role}' staat in {crs}, verwacht {rd}", role=role, crs=str(raster.crs),
                                              rd=RD_NEW))
        if self.portefeuille is not None:
            cols = set(self.portefeuille.columns)
            if "complex" not in cols or not ({"pand_id", "vbo_id"} & cols):
                raise ValueError(Translatable("laag 'portefeuille' heeft de kolommen 'complex' en 'pand_id' of 'vbo_id' nodig"))

    def release(self, role: str) -> None:
        """Drop the layer of ``role`` from these inputs, for a one-shot scan that has read it
        (:func:`scans.pipeline.run_potentiescan` with ``consume=True``): its memory is freed
        once nothing else holds the layer."""
        if role not in _VECTOR_ROLES or role == "gebouwen":
            raise ValueError(Translatable("laag '{role}' kan niet worden losgelaten", role=role))
        object.__setattr__(self, role, None)  # (frozen: only this method changes a field)

    @classmethod
    def from_project(cls, project: Any, gebieden: str | None = None, *, portefeuille: bool = False) -> "ScanInputs":
        """Inputs from a loaded :class:`layers.project.Project`.

        Parameters
        ----------
        project : a project whose ``layers`` hold layers with ``.name``, ``.role`` and
            ``.data`` (vector) or ``.raster`` (raster).
        gebieden : name (key) of the gebieden layer to aggregate on; default the first
            layer with role ``gebieden``.
        portefeuille : restrict the scan to the portfolio layer's panden and aggregate per
            complex (``ValueError`` when the project has no ``portefeuille`` layer).
        """
        layers = list(project.layers)

        def first(role: str):
            for layer in layers:
                if getattr(layer, "role", None) == role:
                    return layer
            return None

        def data(role: str):
            layer = first(role)
            return None if layer is None else getattr(layer, "data", None)

        if first("gebouwen") is None or data("gebouwen") is None:
            raise ValueError(Translatable("het project heeft geen laag met rol 'gebouwen'"))
        if gebieden is None:
            gebieden_layer = first("gebieden")
        else:
            matches = [layer for layer in layers if getattr(layer, "name", None) == gebieden]
            if not matches:
                names = [layer.name for layer in layers if getattr(layer, "role", None) == "gebieden"]
                raise ValueError(Translatable("gebiedenlaag '{name}' bestaat niet in het project (gebiedenlagen: {names})",
                                              name=gebieden, names=", ".join(names) or Translatable("geen")))
            gebieden_layer = matches[0]
            if gebieden_layer.role != "gebieden":
                raise ValueError(Translatable("laag '{name}' heeft rol '{role}', niet 'gebieden'", name=gebieden,
                                              role=gebieden_layer.role))
        portfolio = None
        if portefeuille:
            portfolio = data("portefeuille")
            if portfolio is None:
                raise ValueError(Translatable("het project heeft geen laag met rol 'portefeuille' (nodig voor --portefeuille)"))
        rasters = {}
        for role in RASTER_ROLES:
            layer = first(role)
            raster = None if layer is None else getattr(layer, "raster", None)
            if raster is not None:
                rasters[role] = raster
        return cls(
            gebouwen=data("gebouwen"),
            verblijfsobjecten=data("verblijfsobjecten"),
            gebieden=None if gebieden_layer is None else gebieden_layer.data,
            netcongestie=data("netcongestie"),
            water_bodem=data("water_bodem"),
            nplv=data("nplv"),
            erven=data("erven"),
            portefeuille=portfolio,
            rasters=rasters,
            monumenten=data("monumenten"),
            vervallen=dropped_per_status(getattr(first("gebouwen"), "report", None)),
        )


#: The load report's sentence about panden that are no real building (layers.sources.bag:
#: "N objecten zonder bestaand gebouw weggelaten (status: n, status: n)").
_DROPPED = re.compile(r"objecten zonder bestaand gebouw weggelaten \((.*)\)$")


def dropped_per_status(report: Any) -> dict[str, int]:
    """Panden the reader left out (gesloopt, niet gerealiseerd, …) per status, from the gebouwen
    layer's load report (its count ``bag_niet_bestaand`` and the sentence naming the statuses)."""
    counts = getattr(report, "counts", None) or {}
    total = int(counts.get("bag_niet_bestaand", 0))
    if not total:
        return {}
    out: dict[str, int] = {}
    for message in getattr(report, "messages", ()):
        found = _DROPPED.search(getattr(message, "text", ""))
        if found:
            for part in found.group(1).split(", "):
                status, _, number = part.rpartition(": ")
                if status and number.isdigit():
                    out[status] = out.get(status, 0) + int(number)
    if sum(out.values()) != total:  # statuses not named: the total under one heading
        out = {"niet (meer) bestaand": total}
    return out


class StatusCounts(dict):
    """Panden per status; adds up with another (and with 0), so totals of parts (tiles) add."""

    def __add__(self, other: Any) -> "StatusCounts":
        if isinstance(other, (int, np.integer)) and other == 0:
            return StatusCounts(self)
        out = StatusCounts(self)
        for status, count in dict(other).items():
            out[status] = out.get(status, 0) + int(count)
        return out

    __radd__ = __add__


def not_real_per_status(status: pd.Series) -> StatusCounts:
    """Panden whose status says they are no (longer a) building (gesloopt, niet gerealiseerd,
    ten onrechte opgevoerd, ingetrokken), per status; one test per distinct status."""
    from layers.sources.bag import NOT_REAL_STATUS_WORDS

    codes, uniques = distinct_values(status)
    texts = pd.Series([str(u) for u in uniques], dtype=object)
    hit = texts.str.lower().str.contains("|".join(NOT_REAL_STATUS_WORDS), regex=True).to_numpy(dtype=bool)
    counts = np.bincount(codes[codes >= 0], minlength=len(uniques))
    return StatusCounts({texts[i]: int(counts[i]) for i in np.flatnonzero(hit & (counts > 0))})


def _norm_crs(crs: Any) -> str:
    try:
        epsg = gpd.GeoSeries([], crs=crs).crs.to_epsg()
    except pyproj.exceptions.CRSError:  # an unparsable CRS string: compare as written
        return str(crs)
    return f"EPSG:{epsg}" if epsg else str(crs)


def _check_crs(gdf: gpd.GeoDataFrame, role: str) -> None:
    if gdf.crs is not None and gdf.crs.to_epsg() != 28992:
        raise ValueError(Translatable("laag '{role}' staat in {crs}, verwacht {rd}; zet de laag eerst om (layers.crs.to_project_crs)",
                                      role=role, crs=gdf.crs.to_string(), rd=RD_NEW))


# ---------------------------------------------------------------------------- buildings


def prepare_buildings(inputs: ScanInputs, params: AlgemeenParams | None = None) -> gpd.GeoDataFrame:
    """One row per pand with everything the scans read.

    Returns a new GeoDataFrame (RangeIndex, inputs untouched) with the canonical
    gebouwen columns (absent 3D BAG columns as NaN) plus:

    - ``in_gebruik`` (bool) and ``status_reden`` (Dutch text, ``""`` when in use);
    - ``gebruiksdoel_norm``: normalised comma-joined functions;
    - ``vbo_aantal``, per BAG function ``n_<functie>`` (vbo's with that function),
      ``gbo_<functie>`` (GBO m², a multi-function vbo's area split evenly so sums over
      functions never double count), ``gbo_leeg_<functie>`` (the vacant part),
      ``woon_gbo`` (full GBO of the woonfunctie vbo's), ``vbo_bron``;
    - ``footprint_m2``, ``hoogte_m`` (h_dak_70p − h_maaiveld), ``cx``, ``cy`` (centroid; the
      points are not kept: overlays query with the polygons, see :func:`centroid_query_geometries`);
    - ``doel_onbekend`` (bool: a vbo of the pand, or the pand itself without vbo layer, has no
      gebruiksdoel, or the pand lies outside the vbo layer: its functions are unknown, the
      aggregates of the missing part NaN), ``gbo_schatting`` (how the GBO was estimated from
      pand attributes, ``""`` when measured), ``vbo_bron`` (:data:`VBO_LAAG`, :data:`VBO_GEEN`,
      :data:`VBO_BUITEN` or :data:`VBO_PAND`), ``kas_warenhuis_bekend`` (the 3D BAG flag is known);
    - ``monument`` (nullable bool: the pand intersects a ``monumenten`` geometry; missing without that layer);
    - ``gebied_code`` (``BUITEN`` outside every gebied);
    - one column per raster role with the value at the centroid (NaN without raster).
    """
    params = params or AlgemeenParams()
    src = inputs.gebouwen
    if "pand_id" not in src.columns:
        raise ValueError(Translatable("laag 'gebouwen' heeft geen kolom 'pand_id'"))
    # copy-on-write (pandas 3): the columns set below never touch ``src``; no deep copy needed
    b = gpd.GeoDataFrame(src.reset_index(drop=True), geometry=src.geometry.name, crs=src.crs)
    if b.geometry.name != "geometry":
        b = b.rename_geometry("geometry")
    if not is_arrow_text(b["pand_id"]):  # (BAG identifiers are read as this text dtype already)
        b["pand_id"] = b["pand_id"].astype(object).where(b["pand_id"].notna(), None).astype(str)
    vbo_ahead = None
    if inputs.verblijfsobjecten is not None and len(b) >= _fast.THREADS_FROM:
        # the vbo aggregates (pandas and numpy: ~0.6 s at 1M panden, holding the GIL most of it)
        # on a thread of their own, beside the centroids and gebieden (GEOS, which does not);
        # they read the panden's identifiers and polygons only
        links = gpd.GeoDataFrame({"pand_id": b["pand_id"]}, geometry=b.geometry.to_numpy(), crs=b.crs, index=b.index)
        vbo_ahead = beside(_vbo_aggregates, links, inputs.verblijfsobjecten, params)
    b["bouwjaar"] = as_float(b, "bouwjaar")
    for col in _3DBAG_FLOAT:
        b[col] = as_float(b, col)
    b["dak_type"] = as_text_categories(b, "dak_type")
    b["status"] = as_text_categories(b, "status")
    kas = b["kas_warenhuis"] if "kas_warenhuis" in b.columns else pd.Series(None, index=b.index, dtype=object)
    b["kas_warenhuis_bekend"] = kas.notna().to_numpy()  # without 3D BAG a greenhouse cannot be told apart
    b["kas_warenhuis"] = kas.astype(object).where(kas.notna(), False).astype(bool)
    # normalise_functies treats every missing value as "" (no need to turn them into None first)
    b["gebruiksdoel_norm"] = normalise_functies(b["gebruiksdoel"] if "gebruiksdoel" in b.columns else as_text(b, "gebruiksdoel"))

    geoms = b.geometry.to_numpy()
    centroid = in_halves(_centroid_xy, geoms)
    b["cx"] = centroid[:, 0]
    b["cy"] = centroid[:, 1]
    b["footprint_m2"] = shapely.area(geoms)
    b["hoogte_m"] = b["h_dak_70p"].to_numpy() - b["h_maaiveld"].to_numpy()

    in_use, reason = _status(b["status"], params.statussen_in_gebruik)
    b["in_gebruik"] = in_use
    b["status_reden"] = reason

    # (the gebieden and raster values before the vbo aggregates are waited for: more of their
    # GEOS work runs beside them; the columns go in the frame after them, in the usual order)
    gebied_code = text_array(*_gebied_index(b, inputs.gebieden, params.gebied_toewijzing))
    at_centroid = {}
    for role in RASTER_ROLES:
        raster = inputs.rasters.get(role)
        at_centroid[role] = np.full(len(b), np.nan) if raster is None else raster.sample(b["cx"].to_numpy(), b["cy"].to_numpy())

    vbo_cols = vbo_ahead.result() if vbo_ahead is not None else _vbo_aggregates(b, inputs.verblijfsobjecten, params)
    b = pd.concat([b, vbo_cols], axis=1)
    b["monument"] = monument_flags(geoms, inputs.monumenten)
    b["gebied_code"] = gebied_code
    for role, values in at_centroid.items():
        b[role] = values
    return gpd.GeoDataFrame(b, geometry="geometry", crs=src.crs)


def monument_flags(geoms: np.ndarray, monumenten: gpd.GeoDataFrame | None) -> "pd.arrays.BooleanArray":
    """True per pand that intersects a monument geometry (point or polygon; one bulk tree query);
    missing (not False) for every pand when the project has no monumenten layer."""
    flags = np.zeros(len(geoms), dtype=bool)
    if monumenten is None:
        return pd.array(np.full(len(geoms), None), dtype="boolean")
    if not len(monumenten) or not len(geoms):
        return pd.array(flags, dtype="boolean")
    shapes = monumenten.geometry.to_numpy()
    shapes = shapes[~shapely.is_missing(shapes)]
    if shapes.size:
        # query with the monuments (few) against a tree of the panden (many)
        _, hit = STRtree(geoms).query(shapes, predicate="intersects")
        flags[hit] = True
    return pd.array(flags, dtype="boolean")


def _centroid_xy(geoms: np.ndarray) -> np.ndarray:
    """(x, y) of each geometry's centroid as an (n, 2) array. The points
    live only while their slice is read (~200 bytes of GEOS memory each: 0.2 GB per million)."""
    centroids = shapely.centroid(geoms)
    return np.stack([shapely.get_x(centroids), shapely.get_y(centroids)], axis=1)


def _status(status: pd.Series, in_use_statuses: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    # one pass over the distinct statuses (as by_unique / isin_lower: missing counts as "")
    codes, uniques = distinct_values(status)
    texts = pd.Series([str(u) for u in uniques] + [""], dtype=object)
    allowed = {a.strip().lower() for a in (*in_use_statuses, "")}
    ok = texts.str.strip().str.lower().isin(allowed).to_numpy(dtype=bool)
    reason = ("status '" + texts + "' (niet in gebruik)").to_numpy(dtype=object)
    idx = np.where(codes < 0, len(uniques), codes)
    return ok[idx], text_array(np.where(ok, "", reason), idx)


def _vbo_aggregates(b: pd.DataFrame, vbo: gpd.GeoDataFrame | None, params: AlgemeenParams) -> pd.DataFrame:
    """Per-pand vbo aggregates, from the vbo layer or, without it, from pand attributes."""
    n = len(b)
    out: dict[str, np.ndarray] = {}
    if vbo is not None and len(vbo):
        bidx = link_vbo(b, vbo)
        status = vbo["status"] if "status" in vbo.columns else pd.Series(None, index=vbo.index, dtype=object)
        excluded, vacant = isin_lower_many(status, params.vbo_statussen_uitgesloten, params.vbo_status_leegstand)
        # panden with a vbo of any status: where the layer holds data (see _covered below)
        holds_vbo = np.bincount(bidx[bidx >= 0], minlength=n) > 0
        keep = np.flatnonzero((bidx >= 0) & ~excluded)
        bidx, vacant = bidx[keep], vacant[keep]
        # a handful of distinct function lists over all vbo's: factorize the raw texts once
        # (missing: the last entry), normalise and test each distinct text once
        if "gebruiksdoel" in vbo.columns:
            codes, raw_texts = pd.factorize(vbo["gebruiksdoel"].to_numpy(dtype=object)[keep])
        else:
            codes, raw_texts = np.full(keep.size, -1, dtype="int64"), []
        codes = np.where(codes < 0, len(raw_texts), codes)
        lists = normalise_functies(pd.Series([*np.asarray(raw_texts, dtype=object), None], dtype=object))
        # a vbo without gebruiksdoel: its function is unknown, not "none of them"
        no_doel = (lists.to_numpy(dtype=object) == "")[codes]
        gbo = as_float(vbo, "oppervlakte")[keep]
        k = n_functies(lists)[codes]
        share = np.where(k > 0, gbo / np.maximum(k, 1), np.nan)
        names = _vbo_columns()
        # the ~35 columns are rows of one float block: the frame below takes it without
        # copying or stacking the columns. Zeroed by the system (calloc): a row's memory is only
        # touched where it is written, and most functions are at a few percent of the panden
        block = np.zeros((len(names), n), dtype="float64")
        row = {name: i for i, name in enumerate(names)}
        block[row["vbo_aantal"]] = np.bincount(bidx, minlength=n)
        for functie in FUNCTIES:
            key = functie_key(functie)
            # the vbo's with this function, in vbo order: bincount then adds the same values
            # in the same order as summing over all vbo's with zeros elsewhere (identical sums)
            rows = np.flatnonzero(has_functie(lists, functie)[codes])
            if not rows.size:
                continue  # no vbo with this function: its columns stay 0
            at, part, vacant_rows = bidx[rows], share[rows], vacant[rows]
            if rows.size >= _WHOLE_COLUMNS_FROM * n:  # at many panden: whole columns
                panden, slot, size = slice(None), at, n
            else:  # at a few: the sums of those panden only, written to their places
                panden, slot = np.unique(at, return_inverse=True)
                size = panden.size
            block[row[f"n_{key}"], panden] = np.bincount(slot, minlength=size)
            block[row[f"gbo_{key}"], panden] = _nansum_by(slot, part, size)
            if vacant_rows.any():
                leeg = np.bincount(slot[vacant_rows], weights=np.nan_to_num(part[vacant_rows]), minlength=size)
                block[row[f"gbo_leeg_{key}"], panden] = leeg
            if functie == "woonfunctie":
                block[row["woon_gbo"], panden] = _nansum_by(slot, gbo[rows], size)
        counted = block[row["vbo_aantal"]]
        # a pand with no vbo is a fact only where the layer holds vbo's around it; elsewhere
        # (an extract of another area) its functions and areas are unknown
        outside = np.zeros(n, dtype=bool)
        empty = np.flatnonzero(counted == 0)
        if empty.size:
            geoms = b.geometry.to_numpy()
            outside[empty] = ~_covered(geoms[empty], geoms[holds_vbo])
            block[:, outside] = np.nan
        frame = pd.DataFrame(block.T, index=b.index, columns=names, copy=False)
        frame["doel_onbekend"] = (np.bincount(bidx[no_doel], minlength=n) > 0) | outside
        frame["gbo_schatting"] = text_array([""], np.zeros(n, dtype="int64"))
        frame["vbo_bron"] = text_array([VBO_LAAG, VBO_GEEN, VBO_BUITEN], np.where(outside, 2, np.where(counted == 0, 1, 0)))
        return frame

    # No vbo layer: treat the pand as aantal_vbo vbo's of its listed functions. One vbo per
    # non-residential function, the rest woonfunctie (the usual "winkel beneden, woningen
    # boven"); GBO per vbo ≈ the mean of oppervlakte_min and oppervlakte_max. Without a
    # gebruiksdoel (and not a pand known to hold no vbo) every function is unknown (NaN);
    # vacancy is never known (it is a vbo status).
    functies = b["gebruiksdoel_norm"]
    count = as_float(b, "aantal_vbo")
    lo, hi = as_float(b, "oppervlakte_min"), as_float(b, "oppervlakte_max")
    size = np.where(np.isnan(lo), hi, np.where(np.isnan(hi), lo, (lo + hi) / 2))
    k = n_functies(functies).astype("float64")
    no_doel = (k == 0) & ~(count == 0)
    has_woon = has_functie(functies, "woonfunctie")
    others = k - has_woon
    per_function = {}
    for functie in FUNCTIES:
        has = has_functie(functies, functie)
        if functie == "woonfunctie":
            cnt = np.where(has, np.maximum(count - others, 1.0), 0.0)
        else:
            cnt = np.where(has, np.where(has_woon | (k > 1), 1.0, count), 0.0)
        per_function[functie] = np.where((np.isnan(count) & has) | no_doel, np.nan, cnt)
    total_count = np.nansum(np.vstack(list(per_function.values())), axis=0) if n else np.zeros(0)
    total_gbo = count * size
    out["vbo_aantal"] = count
    for functie, cnt in per_function.items():
        key = functie_key(functie)
        out[f"n_{key}"] = cnt
        with np.errstate(invalid="ignore", divide="ignore"):
            gbo = np.where(cnt > 0, total_gbo * cnt / total_count, 0.0)
        out[f"gbo_{key}"] = np.where(np.isnan(cnt), np.nan, gbo)
        out[f"gbo_leeg_{key}"] = np.full(n, np.nan)
    woon = per_function["woonfunctie"]
    out["woon_gbo"] = np.where(woon > 0, woon * size, np.where(np.isnan(woon), np.nan, 0.0))
    frame = pd.DataFrame(out, index=b.index)
    frame["doel_onbekend"] = no_doel
    # the areas are exact where every vbo has the same function and the pand's min and max
    # give the total (one vbo, equal sizes, or two vbo's); elsewhere they are estimates
    exact_total = (lo == hi) | (count == 2)
    averaged = (count >= 1) & ~exact_total  # (one vbo with min ≠ max: its area is their mean, an estimate)
    split = k > 1
    which = np.where(np.isnan(total_gbo) | (count == 0), 0, averaged.astype("int64") + 2 * split.astype("int64"))
    frame["gbo_schatting"] = text_array(["", GBO_GEMIDDELD, GBO_VERDEELD, GBO_GEMIDDELD + "; " + GBO_VERDEELD], which)
    frame["vbo_bron"] = text_array([VBO_PAND], np.zeros(n, dtype="int64"))
    return frame


#: A function's columns are computed whole when it has at least this many vbo's per pand (0.25:
#: one for every fourth pand); below, only at the panden that have it (the rest stays zeros the
#: process never touched).
_WHOLE_COLUMNS_FROM = 0.25


#: ``vbo_bron`` values: where a pand's verblijfsobject aggregates come from.
VBO_LAAG = "verblijfsobjecten"  # the vbo layer, the pand has vbo's there
VBO_GEEN = "geen verblijfsobjecten in het pand"  # the vbo layer covers the pand, which has none (a fact)
VBO_BUITEN = "buiten de verblijfsobjectenlaag"  # the vbo layer has no vbo's around the pand: unknown
VBO_PAND = "pand"  # no vbo layer: the pand's own attributes (gebruiksdoel, aantal_vbo, oppervlakte_min/max)

#: ``gbo_schatting`` texts (no vbo layer): how a pand's GBO was estimated.
GBO_GEMIDDELD = "GBO uit aantal vbo × gemiddelde oppervlakte (min/max van het pand)"
GBO_VERDEELD = "verdeling over de gebruiksdoelen van het pand aangenomen"

#: What is missing, per ``vbo_bron``, for a rule whose vbo input is unknown.
_MISSING = {
    "gebruiksdoel": {VBO_PAND: "geen verblijfsobjecten", VBO_BUITEN: "pand buiten de verblijfsobjectenlaag",
                     VBO_LAAG: "verblijfsobjecten zonder gebruiksdoel"},
    "aantal": {VBO_PAND: "geen verblijfsobjecten", VBO_BUITEN: "pand buiten de verblijfsobjectenlaag"},
    "oppervlakte": {VBO_PAND: "geen verblijfsobjecten", VBO_BUITEN: "pand buiten de verblijfsobjectenlaag",
                    VBO_LAAG: "verblijfsobjecten zonder oppervlakte"},
    "leegstand": {VBO_PAND: "geen verblijfsobjecten", VBO_BUITEN: "pand buiten de verblijfsobjectenlaag"},
}


def gbo_estimates(buildings: pd.DataFrame) -> list[tuple[np.ndarray, str]]:
    """(rows, description) of the GBO estimates behind a pand's areas (no vbo layer), for
    :func:`scans._rules.estimate_texts`."""
    schatting = buildings["gbo_schatting"]
    out = []
    for text in (GBO_GEMIDDELD, GBO_VERDEELD):
        has = by_unique(schatting, lambda u, t=text: u.str.contains(t, regex=False).to_numpy(dtype=bool)).astype(bool)
        out.append((has, text))
    return out


def missing_vbo_reason(what: str, kind: str, buildings: pd.DataFrame):
    """A rule reason ``"<what> onbekend (<what is missing>)"`` for an input that comes from the
    verblijfsobjecten (``kind``: gebruiksdoel, aantal, oppervlakte, leegstand), the missing
    part named from each row's ``vbo_bron``; formatted once per source."""
    table = _MISSING[kind]
    source = buildings["vbo_bron"]

    def build(bron: np.ndarray) -> np.ndarray:
        return np.array([f"{what} onbekend ({table.get(s, 'geen verblijfsobjecten')})" for s in bron], dtype=object)

    return lambda pos: per_distinct(build, source.array.take(np.asarray(pos, dtype="int64")).to_numpy(dtype=object))


#: Side of the grid cells that tell where a vbo layer holds data (m): a pand without vbo's is a
#: fact when a pand with vbo's lies in its cell or a neighbouring one.
COVERAGE_CELL_M = 250.0


def _box_centres(geoms: np.ndarray) -> np.ndarray:
    """(n, 2) centres of the geometries' bounding boxes (NaN for a missing geometry)."""
    bounds = shapely.bounds(geoms)
    return np.stack([(bounds[:, 0] + bounds[:, 2]) / 2, (bounds[:, 1] + bounds[:, 3]) / 2], axis=1)


def _covered(panden: np.ndarray, with_vbo: np.ndarray) -> np.ndarray:
    """True per pand of ``panden`` whose grid cell (:data:`COVERAGE_CELL_M`), or one of its 8
    neighbours, holds a pand of ``with_vbo`` (panden that have verblijfsobjecten): the vbo layer
    covers that area. A boolean grid over their extent, dilated once; numpy only."""
    xy = _box_centres(with_vbo)
    xy = xy[np.isfinite(xy).all(axis=1)]
    if not len(panden) or not len(xy):
        return np.zeros(len(panden), dtype=bool)
    px, py = _box_centres(panden).T
    # one empty cell of margin around the vbo's, so the dilation needs no edge cases
    x0, y0 = xy[:, 0].min() - COVERAGE_CELL_M, xy[:, 1].min() - COVERAGE_CELL_M
    cols = int((xy[:, 0].max() - x0) // COVERAGE_CELL_M) + 2
    rows = int((xy[:, 1].max() - y0) // COVERAGE_CELL_M) + 2
    grid = np.zeros((rows, cols), dtype=bool)  # (the Netherlands at 250 m: ~1.5 M cells)
    grid[((xy[:, 1] - y0) // COVERAGE_CELL_M).astype("int64"), ((xy[:, 0] - x0) // COVERAGE_CELL_M).astype("int64")] = True
    near = grid.copy()
    near[1:, :] |= grid[:-1, :]
    near[:-1, :] |= grid[1:, :]
    wide = near.copy()
    wide[:, 1:] |= near[:, :-1]
    wide[:, :-1] |= near[:, 1:]
    with np.errstate(invalid="ignore"):
        r = np.floor((py - y0) / COVERAGE_CELL_M)
        c = np.floor((px - x0) / COVERAGE_CELL_M)
        inside = (r >= 0) & (r < rows) & (c >= 0) & (c < cols)
    found = np.zeros(len(panden), dtype=bool)
    found[inside] = wide[r[inside].astype("int64"), c[inside].astype("int64")]
    return found


def _vbo_columns() -> list[str]:
    """The vbo aggregate columns in order (before ``vbo_bron``)."""
    names = ["vbo_aantal"]
    for functie in FUNCTIES:
        key = functie_key(functie)
        names += [f"n_{key}", f"gbo_{key}", f"gbo_leeg_{key}"]
        if functie == "woonfunctie":
            names.append("woon_gbo")
    return names


def _nansum_by(bidx: np.ndarray, values: np.ndarray, n: int) -> np.ndarray:
    """Sum per pand of the relevant vbo's values; NaN where one has an unknown area (never a silent 0)."""
    if np.isfinite(values).all():  # the usual case: nothing to replace, nothing unknown
        return np.bincount(bidx, weights=values, minlength=n)
    total = np.bincount(bidx, weights=np.nan_to_num(values), minlength=n)
    unknown = np.bincount(bidx, weights=np.isnan(values).astype("float64"), minlength=n)
    return np.where(unknown > 0, np.nan, total)


def link_vbo(buildings: gpd.GeoDataFrame, vbo: gpd.GeoDataFrame) -> np.ndarray:
    """Position of each vbo's pand in ``buildings`` (−1 when none).

    By ``pand_id`` where the vbo has one that exists; otherwise by location (the pand
    polygon containing the vbo point; the first pand in ``buildings`` order when several).
    """
    bidx = np.full(len(vbo), -1, dtype="int64")
    linked = _link_by_digit_ids(buildings["pand_id"], vbo["pand_id"]) if "pand_id" in vbo.columns else None
    if linked is not None:
        bidx = linked
    elif "pand_id" in vbo.columns:
        ids = pd.Index(buildings["pand_id"].astype(str))
        first = ~ids.duplicated()
        lookup = pd.Series(np.arange(len(ids))[first], index=ids[first])
        vbo_ids = vbo["pand_id"].astype(object).where(vbo["pand_id"].notna(), None)
        mapped = vbo_ids.map(lookup)
        bidx = mapped.fillna(-1).to_numpy(dtype="int64")
    missing = np.flatnonzero(bidx < 0)
    if missing.size and vbo.geometry is not None:
        points = vbo.geometry.to_numpy()[missing]
        valid = ~shapely.is_missing(points)
        tree = STRtree(buildings.geometry.to_numpy())
        qi, bi = tree.query(points[valid], predicate="within")
        if qi.size:
            order = np.lexsort((bi, qi))
            qi, bi = qi[order], bi[order]
            uq, first_pos = np.unique(qi, return_index=True)
            bidx[missing[np.flatnonzero(valid)[uq]]] = bi[first_pos]
    return bidx


def _digit_keys(values: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """(int64 key, is-a-digit-string mask, length) per value, or None when the values are
    not all text/missing. Equal-length digit strings are equal exactly when their keys are."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        # zero-copy for Arrow-backed text; Python strings a slice at a time (other threads run between)
        arr = arrow_from_objects(values.to_numpy(), pa.string()) if values.dtype == object else pa.array(values, from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError, TypeError, ValueError):
        return None
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    if pa.types.is_null(arr.type):
        arr = arr.cast(pa.string())
    if not (pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type)):
        return None
    length = pc.utf8_length(arr).to_numpy(zero_copy_only=False)
    digits = pc.fill_null(pc.and_(pc.ascii_is_decimal(arr), pc.greater(pc.utf8_length(arr), 0)), False)
    ok = digits.to_numpy(zero_copy_only=False) & (np.nan_to_num(length, nan=0) <= 18)
    keys = np.zeros(len(arr), dtype="int64")
    if ok.any():
        keys[ok] = pc.cast(pc.filter(arr, pa.array(ok)), pa.int64()).to_numpy()
    return keys, ok, np.nan_to_num(length, nan=-1).astype("int64")


def _link_by_digit_ids(pand_ids: pd.Series, vbo_ids: pd.Series) -> np.ndarray | None:
    """link_vbo's id join on int64 keys when every pand_id is a digit string of one length
    (the BAG form); None otherwise (the caller joins on the strings)."""
    if not len(pand_ids):
        return None
    b = _digit_keys(pand_ids.astype(str))
    if b is None:
        return None
    bkeys, bok, blen = b
    if not bok.all() or (blen != blen[0]).any():
        return None
    v = _digit_keys(vbo_ids)
    if v is None:
        return None
    vkeys, vok, vlen = v
    if (bkeys[1:] > bkeys[:-1]).all():  # ids sorted and distinct (the usual export order)
        uniq, first = bkeys, np.arange(len(bkeys))
    else:
        uniq, first = np.unique(bkeys, return_index=True)  # first occurrence of each id
    pos = np.minimum(np.searchsorted(uniq, vkeys), len(uniq) - 1)
    hit = vok & (vlen == blen[0]) & (uniq[pos] == vkeys)
    return np.where(hit, first[pos], -1).astype("int64")


# ---------------------------------------------------------------------------- gebieden


def assign_gebied(buildings: gpd.GeoDataFrame, gebieden: gpd.GeoDataFrame | None, method: str = "centroid") -> np.ndarray:
    """The gebied_code each building is counted in (``BUITEN`` when in none).

    ``centroid``: the gebied containing the building's centroid. ``grootste_overlap``: the
    gebied with the largest overlap. Ties (a point on a shared border, equal overlaps, or
    overlapping gebieden) go to a land gebied before a ``water = 'JA'`` gebied, then to the
    smallest gebied_code, so results never depend on row order.
    """
    texts, index = _gebied_index(buildings, gebieden, method)
    return texts[index]


def _gebied_index(buildings: gpd.GeoDataFrame, gebieden: gpd.GeoDataFrame | None, method: str) -> tuple[np.ndarray, np.ndarray]:
    """:func:`assign_gebied` as (texts, index per building): ``texts`` are the gebied
    codes followed by ``BUITEN`` (object array), so the column can be built by a take."""
    if method not in ("centroid", "grootste_overlap"):
        raise ValueError(Translatable("gebied_toewijzing '{method}' is onbekend (kies centroid of grootste_overlap)", method=method))
    n = len(buildings)
    if gebieden is None or not len(gebieden) or not n:
        return np.array([BUITEN_GEBIED_CODE], dtype=object), np.zeros(n, dtype="int64")
    if "gebied_code" not in gebieden.columns:
        raise ValueError(Translatable("laag 'gebieden' heeft geen kolom 'gebied_code'"))
    codes = gebieden["gebied_code"].astype(object).where(gebieden["gebied_code"].notna(), None).astype(str).to_numpy()
    water = (
        gebieden["water"].astype(object).fillna("").astype(str).str.upper().eq("JA").to_numpy()
        if "water" in gebieden.columns
        else np.zeros(len(gebieden), dtype=bool)
    )
    rank = np.empty(len(gebieden), dtype="int64")
    rank[np.lexsort((codes, water))] = np.arange(len(gebieden))
    geoms = buildings.geometry.to_numpy()
    if method == "centroid":
        if "cx" in buildings:
            bi, gi = points_in_polygons(centroid_query_geometries(buildings), buildings["cx"].to_numpy(),
                                        buildings["cy"].to_numpy(), gebieden.geometry.to_numpy())
        else:
            points = shapely.centroid(geoms)
            bi, gi = points_in_polygons(points, shapely.get_x(points), shapely.get_y(points), gebieden.geometry.to_numpy())
        area = np.zeros(bi.size)
    else:
        tree = STRtree(gebieden.geometry.to_numpy())
        bi, gi = tree.query(geoms, predicate="intersects")
        area = np.zeros(bi.size)
        # Only buildings touching several gebieden need the (costly) intersection areas.
        multi = np.bincount(bi, minlength=n)[bi] > 1
        if multi.any():
            area[multi] = shapely.area(shapely.intersection(geoms[bi[multi]], tree.geometries[gi[multi]]))
    texts = np.append(np.asarray(codes, dtype=object), np.array([BUITEN_GEBIED_CODE], dtype=object))
    index = np.full(n, len(codes), dtype="int64")  # BUITEN unless found
    if not bi.size:
        return texts, index
    if method == "centroid" and (bi[1:] >= bi[:-1]).all():
        # pairs come grouped per building (query order) and all areas are 0: the gebied
        # with the lowest rank of each group (ranks are distinct, so the choice is unique)
        starts = np.flatnonzero(np.r_[True, bi[1:] != bi[:-1]])
        best = np.minimum.reduceat(rank[gi], starts)
        index[bi[starts]] = np.argsort(rank)[best]
        return texts, index
    order = np.lexsort((rank[gi], -area, bi))  # per building: largest overlap, then rank
    bi, gi = bi[order], gi[order]
    _, first = np.unique(bi, return_index=True)
    index[bi[first]] = gi[first]
    return texts, index


# ---------------------------------------------------------------------------- overlays


def centroid_query_geometries(buildings: pd.DataFrame) -> np.ndarray:
    """Geometries to find the polygons around each building's centroid (``cx``, ``cy``) with,
    for :func:`points_in_polygons`: the buildings' own polygons (a centroid lies in its
    polygon's bounding box, so no point geometries are made), else Points at ``cx``/``cy``."""
    if isinstance(buildings, gpd.GeoDataFrame) and buildings.geometry.name in buildings.columns:
        return np.asarray(buildings.geometry.to_numpy(), dtype=object)
    return shapely.points(buildings["cx"].to_numpy(dtype="float64"), buildings["cy"].to_numpy(dtype="float64"))


def _holding(around: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """``around`` with a Point at (x, y) in place of every geometry whose bounding box does not
    hold that point (the centroid of an invalid, self-intersecting polygon can lie outside)."""
    bounds = shapely.bounds(around)
    with np.errstate(invalid="ignore"):
        inside = (bounds[:, 0] <= x) & (x <= bounds[:, 2]) & (bounds[:, 1] <= y) & (y <= bounds[:, 3])
    outside = np.flatnonzero(~inside & np.isfinite(x) & np.isfinite(y))
    if not outside.size:
        return around
    around = around.copy()
    around[outside] = shapely.points(x[outside], y[outside])
    return around


def points_in_polygons(around: np.ndarray, x: np.ndarray, y: np.ndarray, polygons: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(point position, polygon position) of every point (x, y) that intersects a polygon.

    ``around``: per point a geometry whose bounding box holds it: the point itself, or the
    building it is the centroid of (:func:`centroid_query_geometries`; one that does not hold
    its point is replaced by the point). The same pairs, in the same order, as
    ``STRtree(polygons).query(points, predicate="intersects")``, but several times faster:
    one bounding-box query of the tree (each point's candidates are among its bounding box's,
    found in the same tree order), then the candidates are tested with the prepared polygons
    on their x/y (a prepared polygon answers point-in-polygon from its own index; the plain
    query tests every candidate against the unprepared polygon, vertex by vertex).
    """
    polygons = np.asarray(polygons, dtype=object)
    x, y = np.asarray(x, dtype="float64"), np.asarray(y, dtype="float64")
    tree = STRtree(polygons)
    # shapely releases the GIL: large inputs run in two halves on two threads
    bi, pi = query_in_halves(tree.query, _holding(np.asarray(around, dtype=object), x, y))
    if not bi.size:
        return bi, pi
    # prepared polygons answer from their own index (each thread its own: see prepared_in_halves)
    ok = prepared_in_halves(shapely.intersects_xy, polygons, pi, x[bi], y[bi])
    return bi[ok], pi[ok]
