"""BAG (Basisregistratie Adressen en Gebouwen) as Kadaster and PDOK publish it.

Three published forms:

* the PDOK BAG GeoPackage and the WFS / OGC API style ("bag-light"): one row per pand
  with ``identificatie``, ``bouwjaar``, ``status``, comma-joined ``gebruiksdoel``,
  ``aantal_verblijfsobjecten``, ``oppervlakte_min/max``; verblijfsobjecten with
  ``pandidentificatie``;
* the Kadaster LVBAG XML extract (read by GDAL's LVBAG driver): every *voorkomen*
  (version) of every object, ``oorspronkelijkBouwjaar``, repeated ``gebruiksdoel`` and
  ``pandRef`` as lists, identifiers as ``NL.IMBAG.Pand.…``; as ``.xml`` files, a folder
  of them, or a ``.zip`` (also a zip of zips, like the national extract).

All forms come out alike: only the current version of each object, without objects
that are not (or no longer) a real building (``gesloopt``, ``niet gerealiseerd``,
``ten onrechte opgevoerd``, ``ingetrokken``; counted in the report), ``bouwjaar`` 9999
as unknown, identifiers as 16-digit strings, ``gebruiksdoel`` comma-joined.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyogrio

from layers.errors import DataError
from layers.messages import LoadReport
from layers.roles import _arrow_strings, normalise_pand_id
from layers.texts import Translatable

#: Status words of objects that do not (or no longer) exist as a building or unit.
NOT_REAL_STATUS_WORDS = ("gesloopt", "niet gerealiseerd", "ten onrechte", "ingetrokken")
#: ``bouwjaar`` value the BAG uses for "unknown".
BOUWJAAR_UNKNOWN = 9999
#: LVBAG layer names (GDAL) -> the names of the PDOK GeoPackage.
LVBAG_LAYERS = {"Pand": "pand", "Verblijfsobject": "verblijfsobject"}
_LVBAG_RENAMES = {
    "oorspronkelijkBouwjaar": "bouwjaar",
    "pandRef": "pandidentificatie",
    "voorkomenIdentificatie": "voorkomenidentificatie",
    "hoofdadresNummeraanduidingRef": "hoofdadres",
    "nevenadresNummeraanduidingRef": "nevenadressen",
}
#: Prefix of pand identifiers in LVBAG and some exports (``NL.IMBAG.Pand.0503100000000296``).
_PAND_PREFIX = "NL.IMBAG.Pand."
#: pandas' default text dtype (Arrow data, NaN for missing), as layers.roles.normalise_pand_id gives
_TEXT = pd.StringDtype("pyarrow", na_value=np.nan)
#: Columns of the PDOK GeoPackage / WFS that mark a layer as BAG.
_BAG_PAND_COLUMNS = {"identificatie", "status"}


# --------------------------------------------------------------------------- common rules


def exclude_not_real(gdf: gpd.GeoDataFrame, report: LoadReport | None = None, column: str = "status") -> gpd.GeoDataFrame:
    """Drop objects whose status says they are not a real building (counted per status).

    Parameters
    ----------
    gdf : BAG panden or verblijfsobjecten.
    report : receives one info message with the counts (``counts["bag_niet_bestaand"]``).
    column : the status column.
    """
    if column not in gdf.columns or gdf.empty:
        return gdf
    # a handful of distinct statuses: test each once (missing is "", which never matches)
    codes, uniques = pd.factorize(gdf[column])
    drop = np.append(_not_real(pd.Series(uniques)), False)[codes]
    if drop.any() and report is not None:
        _report_dropped(gdf[column][drop], report)
    kept = gdf.loc[~drop] if drop.any() else gdf  # every row kept: no copy of the whole table
    return kept.reset_index(drop=True)


def _as_text(values: pd.Series) -> pd.Series:
    return values.astype(object).where(values.notna(), "").astype(str)


def _not_real(statuses: pd.Series) -> np.ndarray:
    """Per status whether it says the object is not a real building (missing never does)."""
    return _as_text(statuses).str.lower().str.contains("|".join(NOT_REAL_STATUS_WORDS), regex=True).to_numpy(dtype=bool)


def _report_dropped(statuses: pd.Series, report: LoadReport) -> None:
    counts = _as_text(statuses).value_counts()
    detail = ", ".join(f"{name}: {n}" for name, n in counts.items())
    report.add("bag_niet_bestaand", len(statuses))
    report.info(Translatable("{n} objecten zonder bestaand gebouw weggelaten ({detail})", n=len(statuses), detail=detail))


def real_rows(table: pa.Table, report: LoadReport | None = None, column: str = "status") -> np.ndarray | None:
    """:func:`exclude_not_real` on the Arrow table a reader has just read: the rows to keep
    (None: all), reported as that function reports them. Applied before the rows become a
    frame with geometries, the dropped ones are never copied."""
    if column not in table.column_names or not table.num_rows:
        return None
    status = table.column(column)
    encoded = pc.dictionary_encode(status.combine_chunks() if isinstance(status, pa.ChunkedArray) else status)
    hit = _not_real(pd.Series(encoded.dictionary.to_pylist(), dtype=object))
    codes = np.asarray(pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False), dtype=np.int64)
    drop = np.append(hit, False)[codes]  # (null: the last entry, kept)
    if not drop.any():
        return None
    if report is not None:
        _report_dropped(pd.Series(status.filter(pa.array(drop)).to_pylist(), dtype=object), report)
    return ~drop


def bouwjaar_unknown_to_missing(gdf: gpd.GeoDataFrame, report: LoadReport | None = None, column: str = "bouwjaar") -> gpd.GeoDataFrame:
    """``bouwjaar`` 9999 (the BAG's "unknown") as missing, as float64 with NaN."""
    if column not in gdf.columns:
        return gdf
    values = pd.to_numeric(gdf[column], errors="coerce").astype("float64")
    unknown = values == BOUWJAAR_UNKNOWN
    out = gdf.copy(deep=False)  # the column is replaced, not changed in place: ``gdf`` stays as it is
    out[column] = values.where(~unknown, np.nan)
    if unknown.any() and report is not None:
        report.add("sentinels", int(unknown.sum()))
        report.info(Translatable("{n} panden met bouwjaar {year} (onbekend)", n=int(unknown.sum()), year=BOUWJAAR_UNKNOWN))
    return out


def join_values(series: pd.Series) -> pd.Series:
    """List-valued cells (LVBAG ``gebruiksdoel``, ``pandRef``) as comma-joined strings."""
    def _join(value):
        if isinstance(value, (list, tuple, np.ndarray)):
            return ", ".join(str(v) for v in value if v is not None and v == v)
        return value

    if _plain_text(series):
        # no list cells: what the map below returns (text as pandas infers it), without a call per cell
        return series.astype(_MAPPED_TEXT_DTYPE)
    return series.astype(object).map(_join)


#: The dtype ``Series.map`` infers for text results: ``str`` in pandas 3, object before.
_MAPPED_TEXT_DTYPE = pd.Series(["x"], dtype=object).map(str).dtype


def _plain_text(series: pd.Series) -> bool:
    """Whether every present value of ``series`` is a ``str`` (a text column, not lists)."""
    if isinstance(series.dtype, pd.StringDtype):
        return True
    return series.dtype == object and len(series) > 0 and pd.api.types.infer_dtype(series.to_numpy(), skipna=True) == "string"


def _present_text(series: pd.Series) -> pa.Array | pa.ChunkedArray | None:
    """``series`` as Arrow text when it holds text and at least one value is present; else None
    (:func:`layers.roles._arrow_strings`: a pandas text column gives its Arrow data as it is)."""
    text = _arrow_strings(series)
    return text if text is not None and text.null_count < len(text) else None


def prepare_bag(gdf: gpd.GeoDataFrame, report: LoadReport | None = None, *, keep_all: bool = False) -> gpd.GeoDataFrame:
    """Apply the BAG rules to a pand or verblijfsobject table in PDOK (bag-light) form.

    Identifiers become 16-digit strings, list cells comma-joined, objects that are not a
    real building dropped (unless ``keep_all``) and ``bouwjaar`` 9999 missing.
    """
    out = gdf.copy(deep=False)  # columns are replaced, never changed in place: ``gdf`` stays as it is
    if not keep_all:
        # first: the rows dropped here are copied no further, and the columns made below are
        # made once, for the kept rows (at 1.5M vbo's: ~0.1 GB less at the read's peak)
        out = exclude_not_real(out, report)
    for column in ("gebruiksdoel", "pandidentificatie", "nevenadressen"):
        if column in out.columns:
            out[column] = join_values(out[column])
    if "pandidentificatie" in out.columns:
        # a verblijfsobject in several panden is counted once: in the first
        all_ids = out["pandidentificatie"]
        text = _present_text(all_ids)
        if text is not None:
            # with Arrow kernels: the text before the first comma; the prefix removed everywhere
            # (each only when some value has a comma / the prefix: a PDOK column has neither)
            first = text
            if pc.any(pc.match_substring(text, ",")).as_py():
                first = pc.struct_field(pc.extract_regex(text, r"(?s)^(?P<first>[^,]*)"), [0])
            first = pd.Series(first, index=all_ids.index, dtype=_TEXT)
            if pc.any(pc.match_substring(text, _PAND_PREFIX)).as_py():
                text = pc.replace_substring(text, _PAND_PREFIX, "")
            # pandas' default text dtype on the Arrow data, as the identifiers: no Python str per
            # row (a distinct text per vbo: 1.5M of them took ~0.1 GB and ~0.2 s to make)
            out["pandidentificaties"] = pd.Series(text, index=all_ids.index, dtype=_TEXT)
        else:
            # other values (numbers, mixed, or none present at all): as text, missing ones kept as they are
            all_ids = all_ids.astype(object)
            as_text = all_ids.astype(str)
            first = all_ids.where(all_ids.isna(), as_text.str.replace(r"(?s),.*", "", regex=True))
            out["pandidentificaties"] = all_ids.where(all_ids.isna(), as_text.str.replace(r"NL\.IMBAG\.Pand\.", "", regex=True))
        out["pandidentificatie"] = normalise_pand_id(first)
    if "identificatie" in out.columns:
        out["identificatie"] = normalise_pand_id(out["identificatie"])
    return bouwjaar_unknown_to_missing(out, report)


def is_bag_layer(columns) -> bool:
    """Whether a layer's columns look like PDOK BAG panden or verblijfsobjecten."""
    names = {str(c).lower() for c in columns}
    has_year = bool(names & {"bouwjaar", "oorspronkelijkbouwjaar"})
    has_vbo = bool(names & {"pandidentificatie", "pand_identificatie"}) and "oppervlakte" in names
    return _BAG_PAND_COLUMNS <= names and (has_year or has_vbo)


# --------------------------------------------------------------------------- LVBAG XML


def lvbag_datasets(path: str | Path) -> list[str]:
    """GDAL dataset names for an LVBAG extract: the file, folder, or the XML inside a (nested) zip."""
    path = Path(path)
    if path.is_dir() or path.suffix.lower() == ".xml":
        return [str(path)]
    if path.suffix.lower() != ".zip":
        raise DataError(Translatable("is geen LVBAG-extract (verwacht .xml, .zip of een map)"), path=path)
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    except (OSError, zipfile.BadZipFile) as exc:
        raise DataError(Translatable("is geen leesbaar zip-bestand ({reason})", reason=str(exc)), path=path) from exc
    outer = f"/vsizip/{path.resolve()}"
    datasets = [f"{outer}/{n}" for n in names if n.lower().endswith(".xml")]
    for inner in (n for n in names if n.lower().endswith(".zip")):
        # the national extract is a zip of zips per object type (9999PND…zip, 9999VBO…zip)
        if _lvbag_zip_member_type(inner) in (None, "PND", "VBO"):
            datasets.append(f"/vsizip/{{{outer}/{inner}}}")
    return datasets


def _lvbag_zip_member_type(name: str) -> str | None:
    stem = Path(name).stem.upper()
    for kind in ("PND", "VBO", "NUM", "OPR", "WPL", "LIG", "STA", "GEM"):
        if kind in stem[:8]:
            return kind
    return None


def list_lvbag_layers(path: str | Path) -> list[str]:
    """Object layers in an LVBAG extract, in PDOK naming (``pand``, ``verblijfsobject``)."""
    found: list[str] = []
    for dataset in lvbag_datasets(path):
        try:
            layers = pyogrio.list_layers(dataset)
        except Exception:  # noqa: BLE001 - a member GDAL cannot open is simply not a BAG layer
            continue
        for name, _ in layers:
            mapped = LVBAG_LAYERS.get(str(name))
            if mapped and mapped not in found:
                found.append(mapped)
    return found


def read_lvbag(
    path: str | Path,
    layer: str | None = None,
    report: LoadReport | None = None,
    *,
    keep_all: bool = False,
) -> gpd.GeoDataFrame:
    """Read panden or verblijfsobjecten from a Kadaster LVBAG XML extract.

    Parameters
    ----------
    path : an ``.xml`` file, a folder of them, or a ``.zip`` (zips inside a zip too).
    layer : ``"pand"`` (default when present) or ``"verblijfsobject"``.
    report : receives counts of old versions and non-existing objects.
    keep_all : keep objects that are not a real building (status filter off).

    Returns
    -------
    GeoDataFrame in EPSG:28992 in the PDOK GeoPackage naming (``identificatie``,
    ``bouwjaar``, ``status``, ``gebruiksdoel``, ``oppervlakte``, ``pandidentificatie``),
    one row per object: its current version.
    """
    path = Path(path)
    report = report if report is not None else LoadReport(source=path.name)
    available = list_lvbag_layers(path)
    if not available:
        raise DataError(Translatable("bevat geen BAG-panden of -verblijfsobjecten (LVBAG XML)"), path=path)
    layer = (layer or available[0]).lower()
    gdal_layer = {v: k for k, v in LVBAG_LAYERS.items()}.get(layer)
    if gdal_layer is None or layer not in available:
        raise DataError(Translatable("laag '{layer}' niet gevonden; beschikbaar: {available}", layer=layer,
                                     available=", ".join(available)), path=path)
    frames = []
    for dataset in lvbag_datasets(path):
        try:
            layers = {str(n) for n, _ in pyogrio.list_layers(dataset)}
        except Exception:  # noqa: BLE001 - see list_lvbag_layers
            continue
        if gdal_layer in layers:
            frames.append(pyogrio.read_dataframe(dataset, layer=gdal_layer))
    gdf = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    gdf = gpd.GeoDataFrame(gdf, geometry="geometry", crs=frames[0].crs)
    gdf = current_versions(gdf, report)
    gdf = gdf.rename(columns=_LVBAG_RENAMES)
    return prepare_bag(gdf, report, keep_all=keep_all)


def current_versions(gdf: gpd.GeoDataFrame, report: LoadReport | None = None, today: pd.Timestamp | None = None) -> gpd.GeoDataFrame:
    """One row per ``identificatie``: its current voorkomen.

    Voorkomens made inactive (``tijdstipInactief``) never count; of the rest the latest
    (highest ``voorkomenIdentificatie``, then ``beginGeldigheid``) is taken, and the object
    is dropped when that version ended (``eindGeldigheid`` not in the future).
    """
    today = pd.Timestamp.today().normalize() if today is None else today
    n_in = len(gdf)
    work = gdf
    if "tijdstipInactief" in work.columns:
        work = work[work["tijdstipInactief"].isna()]
    sort_keys = [k for k in ("identificatie", "voorkomenIdentificatie", "beginGeldigheid") if k in work.columns]
    work = work.sort_values(sort_keys, kind="stable")
    latest = work.drop_duplicates("identificatie", keep="last")
    ended = pd.Series(False, index=latest.index)
    if "eindGeldigheid" in latest.columns:
        end = pd.to_datetime(latest["eindGeldigheid"], errors="coerce")
        ended = end.notna() & (end <= today)
    out = latest.loc[~ended].reset_index(drop=True)
    if report is not None:
        report.add("bag_oude_voorkomens", n_in - len(latest))
        if n_in - len(latest):
            report.info(Translatable("{n} oudere of ingetrokken versies (voorkomens) overgeslagen; alleen de actuele versie gelezen",
                                      n=n_in - len(latest)))
        if int(ended.sum()):
            report.info(Translatable("{n} objecten waarvan de geldigheid is beëindigd weggelaten", n=int(ended.sum())))
    return out


def is_lvbag(path: str | Path) -> bool:
    """Whether ``path`` is an LVBAG XML extract (sniffs the first KiB of XML files)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".xml":
        try:
            with open(path, "rb") as handle:
                head = handle.read(4096)
        except OSError:
            return False
        return b"bagStand" in head or b"lvbag" in head.lower()
    if suffix == ".zip" or path.is_dir():
        try:
            return bool(list_lvbag_layers(path))
        except DataError:
            return False
    return False


# --------------------------------------------------------------------------- GeoPackage


def read_bag_gpkg(path: str | Path, layer: str | None = None, report: LoadReport | None = None, *, keep_all: bool = False) -> gpd.GeoDataFrame:
    """Read a BAG layer from the PDOK BAG GeoPackage (or any bag-light style GeoPackage).

    ``layer`` defaults to ``pand`` when present, else the first layer that looks like BAG.
    """
    path = Path(path)
    report = report if report is not None else LoadReport(source=path.name)
    layer = layer or default_bag_layer(path)
    gdf = pyogrio.read_dataframe(path, layer=layer)
    gdf = gdf.rename(columns={"pand_identificatie": "pandidentificatie"})
    return prepare_bag(gdf, report, keep_all=keep_all)


def bag_layers(path: str | Path) -> list[str]:
    """Layers of a GeoPackage that look like BAG panden or verblijfsobjecten, ``pand`` first."""
    names = [str(n) for n, _ in pyogrio.list_layers(path)]
    found = [n for n in names if is_bag_layer(pyogrio.read_info(path, layer=n)["fields"])]
    return sorted(found, key=lambda n: (n != "pand", n != "verblijfsobject", names.index(n)))


def default_bag_layer(path: str | Path) -> str:
    layers = bag_layers(path)
    if not layers:
        raise DataError(Translatable("bevat geen BAG-laag (kolommen identificatie, status, bouwjaar)"), path=path)
    return layers[0]
