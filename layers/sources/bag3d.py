"""3D BAG (3DGI / TU Delft) GeoPackage tiles and the join of 3D BAG attributes to BAG panden.

A 3D BAG GeoPackage holds the attribute layer ``pand`` (BAG footprint with building-level
attributes such as ``b3_h_maaiveld``, ``b3_dak_type``, ``b3_bouwlagen``,
``b3_opp_dak_plat``, ``b3_kas_warenhuis``) and 2D roof-part layers ``lod12_2d`` /
``lod13_2d`` / ``lod22_2d`` (one row per roof part, with ``b3_h_dak_min``, ``_50p``,
``_70p``, ``_max``). Releases before 2023.06 used the same names without ``b3_``.

Per pand the roof-part heights are combined as: minimum of ``h_dak_min``, maximum of
``h_dak_max``, and the roof-area weighted mean of ``h_dak_50p`` and ``h_dak_70p``
(a pand with a low and a high part gets a height in between, by area).
"""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio

from layers.errors import DataError
from layers.messages import LoadReport
from layers.roles import normalise_pand_id
from layers.texts import Translatable

ROOF_LAYERS = ("lod22_2d", "lod13_2d", "lod12_2d")
_WEIGHTED = ("h_dak_50p", "h_dak_70p")
_ROOF_AGG = {"h_dak_min": "min", "h_dak_max": "max"}
#: 3D BAG attribute names (without prefix) carried onto BAG panden by :func:`join_3dbag`.
BAG3D_ATTRIBUTES = re.compile(
    r"^(b3_)?(h_maaiveld|h_dak_\w+|h_nok|n_nok|n_vlakken|dak_type|bouwlagen|opp_\w+|volume_\w+|kas_warenhuis"
    r"|kwaliteitsindicator|pw_\w+|rmse_\w+|val3dity_\w+|reconstructie_onvolledig|mutatie_ahn3_ahn4|hoogte_bron|lod)$"
)


def is_3dbag_gpkg(path: str | Path) -> bool:
    """A GeoPackage with 3D BAG roof-part layers (``lod12_2d`` / ``lod22_2d`` …)."""
    try:
        names = {str(n) for n, _ in pyogrio.list_layers(path)}
    except Exception:  # noqa: BLE001 - not a dataset GDAL can open: not ours
        return False
    return bool(names & set(ROOF_LAYERS))


def read_3dbag_gpkg(path: str | Path, report: LoadReport | None = None, *, roof_layer: str | None = None) -> gpd.GeoDataFrame:
    """One row per pand from a 3D BAG GeoPackage tile, with roof heights per pand.

    Parameters
    ----------
    path : the tile (``*.gpkg``).
    report : receives a message on where the heights came from.
    roof_layer : roof-part layer to aggregate (default: the most detailed present).

    Returns
    -------
    GeoDataFrame (EPSG:28992) with the ``pand`` layer's columns (or, without that layer,
    the roof parts dissolved per pand) and ``h_dak_min/50p/70p/max`` under the naming
    the file uses (with ``b3_`` for releases since 2023.06).
    """
    path = Path(path)
    report = report if report is not None else LoadReport(source=path.name)
    names = [str(n) for n, _ in pyogrio.list_layers(path)]
    roof_layer = roof_layer or next((n for n in ROOF_LAYERS if n in names), None)
    if roof_layer is None or roof_layer not in names:
        raise DataError(Translatable("bevat geen 3D BAG-dakdelen ({layers})", layers=", ".join(ROOF_LAYERS)), path=path)
    parts = pyogrio.read_dataframe(path, layer=roof_layer)
    heights = aggregate_roof_parts(parts)
    if "pand" in names:
        panden = pyogrio.read_dataframe(path, layer="pand")
    else:
        key = normalise_pand_id(parts["identificatie"])
        panden = parts.assign(_key=key).dissolve(by="_key", as_index=False, aggfunc="first").drop(columns="_key")
        panden = panden.drop(columns=[c for c in panden.columns if _plain(c) in (*_WEIGHTED, *_ROOF_AGG)])
        report.info(Translatable("geen laag 'pand': voetafdrukken uit de dakdelen van {layer} samengevoegd", layer=roof_layer))
    out = _fill_from(panden, heights)
    report.info(Translatable("dakhoogten per pand uit {layer} ({n} dakdelen)", layer=roof_layer, n=len(parts)))
    return out


def aggregate_roof_parts(parts: pd.DataFrame) -> pd.DataFrame:
    """Roof heights per pand (index: 16-digit pand id) from 3D BAG roof parts (vectorised)."""
    key = normalise_pand_id(parts["identificatie"])
    prefix = "b3_" if any(str(c).startswith("b3_h_dak") for c in parts.columns) else ""
    area = parts.geometry.area.to_numpy() if isinstance(parts, gpd.GeoDataFrame) else np.ones(len(parts))
    frame = pd.DataFrame({"_key": key.to_numpy(), "_w": area})
    columns = {}
    for name, how in _ROOF_AGG.items():
        if f"{prefix}{name}" in parts.columns:
            frame[name] = pd.to_numeric(parts[f"{prefix}{name}"], errors="coerce").to_numpy()
            columns[name] = how
    for name in _WEIGHTED:
        if f"{prefix}{name}" in parts.columns:
            values = pd.to_numeric(parts[f"{prefix}{name}"], errors="coerce").to_numpy()
            weight = np.where(np.isnan(values), 0.0, frame["_w"].to_numpy())
            frame[f"{name}_wv"] = np.nan_to_num(values) * weight
            frame[f"{name}_w"] = weight
            columns[f"{name}_wv"] = "sum"
            columns[f"{name}_w"] = "sum"
    grouped = frame.groupby("_key").agg(columns)
    out = pd.DataFrame(index=grouped.index)
    for name in _ROOF_AGG:
        if name in grouped.columns:
            out[f"{prefix}{name}"] = grouped[name]
    for name in _WEIGHTED:
        if f"{name}_w" in grouped.columns:
            w = grouped[f"{name}_w"]
            out[f"{prefix}{name}"] = (grouped[f"{name}_wv"] / w).where(w > 0)
    return out


def _plain(column: str) -> str:
    return str(column)[3:] if str(column).startswith("b3_") else str(column)


def _fill_from(panden: gpd.GeoDataFrame, heights: pd.DataFrame) -> gpd.GeoDataFrame:
    """Add ``heights`` (indexed by pand id) to ``panden``; published values win over computed ones."""
    out = panden.copy()
    key = normalise_pand_id(out["identificatie"])
    for column in heights.columns:
        values = key.map(heights[column]).astype("float64").to_numpy()
        if column in out.columns:
            current = pd.to_numeric(out[column], errors="coerce")
            out[column] = current.where(current.notna(), values)
        else:
            out[column] = values
    return out


def join_3dbag(
    panden: gpd.GeoDataFrame,
    bag3d: pd.DataFrame,
    report: LoadReport | None = None,
    *,
    id_column: str = "identificatie",
    bag3d_id_column: str = "identificatie",
) -> gpd.GeoDataFrame:
    """Add 3D BAG attributes to BAG panden, matching identifiers in either form.

    ``NL.IMBAG.Pand.0503100000000296``, ``0503100000000296`` and ``503100000000296`` all
    match. Only 3D BAG attributes (heights, roof type, storeys, areas, volumes,
    ``kas_warenhuis``, quality fields; with or without ``b3_``) are added; a column the
    panden already have is only filled where it is missing. The geometry of the panden
    is kept.

    Parameters
    ----------
    panden : BAG panden (any reader's output).
    bag3d : 3D BAG per pand (:func:`read_3dbag_gpkg` or :func:`layers.sources.cityjson.read_cityjson`).
    report : receives the number of panden matched.
    """
    for frame, column, label in ((panden, id_column, "BAG-panden"), (bag3d, bag3d_id_column, "3D BAG")):
        if column not in frame.columns:
            raise ValueError(Translatable("kolom '{column}' ontbreekt in {label}; nodig om 3D BAG aan panden te koppelen",
                                          column=column, label=label))
    attributes = [c for c in bag3d.columns if BAG3D_ATTRIBUTES.match(str(c)) and c != getattr(bag3d, "_geometry_column_name", None)]
    right = pd.DataFrame(bag3d[attributes]).copy()
    right.index = normalise_pand_id(bag3d[bag3d_id_column]).to_numpy()
    right = right[~right.index.isna()]
    right = right[~right.index.duplicated(keep="first")]
    key = normalise_pand_id(panden[id_column])
    matched = key.isin(right.index).to_numpy()
    out = panden.copy()
    aligned = right.reindex(key.to_numpy())
    for column in attributes:
        values = aligned[column].to_numpy()
        if column in out.columns:
            out[column] = out[column].where(out[column].notna(), pd.Series(values, index=out.index))
        else:
            out[column] = values
    if report is not None:
        report.add("bag3d_gekoppeld", int(matched.sum()))
        message = Translatable("3D BAG gekoppeld aan {n} van {total} panden", n=int(matched.sum()), total=len(out))
        (report.info if matched.all() else report.warning)(message)
    return out


def read_bag3d_any(path: str | Path, report: LoadReport | None = None) -> gpd.GeoDataFrame:
    """3D BAG per pand from a GeoPackage tile or a CityJSON file (for the ``bag3d`` option)."""
    from layers.sources.cityjson import is_cityjson, read_cityjson

    path = Path(path)
    if is_cityjson(path):
        return read_cityjson(path, report=report)
    if is_3dbag_gpkg(path):
        return read_3dbag_gpkg(path, report=report)
    raise DataError(Translatable("is geen 3D BAG-bestand (GeoPackage met lod22_2d of CityJSON)"), path=path)
