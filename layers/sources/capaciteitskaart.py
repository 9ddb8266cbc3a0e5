"""Netbeheer Nederland capaciteitskaart: open-data CSVs joined to postcode polygons.

The open data (data.partnersinenergie.nl/capaciteitskaart) has no geometry:

* ``congestie_pc6.csv``: one row per PC6 postcode with ``postcode``, ``afname`` and
  ``opwek`` (status codes −1..3), ``voedingsgebied_id``, ``voedingsgebied_naam``,
  ``tennet_id``, ``RNB_postcode``;
* ``voedingsgebieden.csv``: one row per voedingsgebied and ``jaar`` with capacities (MW,
  decimal comma) and colour codes per direction (``…kleurcode…``).

Both are ``;``-separated with a decimal comma. :func:`pc6_netcongestie` joins the PC6 table
to PC6 polygons (CBS postcode6, given by the user); :func:`voedingsgebied_netcongestie`
dissolves those polygons per voedingsgebied. Status values go through
:func:`layers.roles.congestie_code` (numbers, colour names geel/oranje/rood, words), so a
polygon layer with a status or colour field needs nothing from this module.
"""

from __future__ import annotations

import csv
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio

from layers.crs import to_project_crs
from layers.errors import DataError
from layers.messages import LoadReport
from layers.roles import column_key, congestie_code
from layers.texts import Translatable

#: Columns read as text (identifiers keep their leading zeros).
_TEXT_COLUMNS = ("postcode", "voedingsgebied_id", "voedingsgebied_naam", "tennet_id", "rnb_postcode", "rnb",
                 "provincie", "congestiegebied")
_POSTCODE_KEYS = ("postcode", "postcode6", "pc6", "postcode_6", "pc6code")
_ID_TYPES = ("pc6", "voedingsgebieden")


def read_capaciteit_csv(path: str | Path) -> pd.DataFrame:
    """Read a capaciteitskaart CSV (``;`` and decimal comma; ``,`` files are accepted too).

    Identifier columns stay text; numbers with a decimal comma become floats.
    """
    path = Path(path)
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            head = handle.read(8192)
    except OSError as exc:
        raise DataError(Translatable("kan het bestand niet lezen ({reason})", reason=exc.strerror), path=path) from exc
    try:
        dialect = csv.Sniffer().sniff(head, delimiters=";,\t")
        sep = dialect.delimiter
    except csv.Error:
        sep = ";"
    header = next(csv.reader([head.splitlines()[0] if head else ""], delimiter=sep), [])
    text_columns = {c: str for c in header if column_key(c) in {column_key(t) for t in _TEXT_COLUMNS}}
    decimal = "," if sep != "," else "."
    try:
        return pd.read_csv(path, sep=sep, decimal=decimal, dtype=text_columns, encoding="utf-8-sig")
    except (ValueError, pd.errors.ParserError) as exc:
        raise DataError(Translatable("is geen leesbaar CSV-bestand ({reason})", reason=str(exc)), path=path) from exc


def csv_kind(columns) -> str | None:
    """``"pc6"`` for congestie_pc6, ``"voedingsgebieden"`` for voedingsgebieden.csv, else None."""
    keys = {column_key(c) for c in columns}
    if "postcode" in keys and ({"afname", "opwek"} & keys):
        return "pc6"
    if "voedingsgebiedid" in keys and any("transportcapaciteit" in k or "kleurcode" in k for k in keys):
        return "voedingsgebieden"
    return None


def normalise_postcode(series: pd.Series) -> pd.Series:
    """PC6 as ``1234AB`` (upper case, no spaces); anything else missing."""
    text = series.astype(object).where(series.isna(), series.astype(str).str.replace(r"\s+", "", regex=True).str.upper())
    valid = text.str.fullmatch(r"\d{4}[A-Z]{2}").fillna(False).astype(bool)
    return text.where(valid, np.nan)


def _find(columns, keys) -> str | None:
    by_key = {column_key(c): c for c in columns}
    return next((by_key[column_key(k)] for k in keys if column_key(k) in by_key), None)


def read_postcode_polygons(path: str | Path, layer: str | None = None, report: LoadReport | None = None) -> gpd.GeoDataFrame:
    """PC6 polygons (e.g. CBS postcode6) in RD New."""
    path = Path(path)
    report = report if report is not None else LoadReport(source=path.name)
    try:
        gdf = pyogrio.read_dataframe(path, layer=layer)
    except Exception as exc:  # noqa: BLE001 - GDAL's message names the problem
        raise DataError(Translatable("postcodevlakken niet leesbaar ({reason})", reason=str(exc)), path=path) from exc
    return to_project_crs(gdf, path.name, report)


def pc6_netcongestie(
    table: pd.DataFrame,
    postcodes: gpd.GeoDataFrame,
    report: LoadReport | None = None,
    *,
    postcode_column: str | None = None,
) -> gpd.GeoDataFrame:
    """Join ``congestie_pc6`` rows to PC6 polygons: a netcongestie polygon layer.

    Parameters
    ----------
    table : :func:`read_capaciteit_csv` of ``congestie_pc6.csv``.
    postcodes : PC6 polygons with a postcode column.
    report : receives the number of postcodes without a polygon.
    postcode_column : the postcode column of ``postcodes`` (default: found by name).

    Returns
    -------
    GeoDataFrame, one row per matched postcode, with ``postcode``, ``status_afname`` and
    ``status_opwek`` (codes −1..3) and the other CSV columns.
    """
    pc_table = _find(table.columns, ("postcode",))
    if pc_table is None:
        raise ValueError(Translatable("kolom 'postcode' ontbreekt in de capaciteitskaart-tabel"))
    pc_poly = postcode_column or _find(postcodes.columns, _POSTCODE_KEYS)
    if pc_poly is None or pc_poly not in postcodes.columns:
        available = ", ".join(str(c) for c in postcodes.columns if c != postcodes.geometry.name)
        raise ValueError(Translatable("geen postcodekolom in de postcodevlakken (gezocht: {keys}); beschikbaar: {available}",
                                      keys=", ".join(_POSTCODE_KEYS), available=available))
    left = table.copy()
    left["postcode"] = normalise_postcode(left.pop(pc_table))
    _add_status_codes(left, report)
    polygons = gpd.GeoDataFrame(
        {"_pc": normalise_postcode(postcodes[pc_poly]).to_numpy()}, geometry=postcodes.geometry.to_numpy(), crs=postcodes.crs
    )
    polygons = polygons[polygons["_pc"].notna()].dissolve(by="_pc")
    merged = left.merge(polygons, left_on="postcode", right_index=True, how="inner")
    out = gpd.GeoDataFrame(merged, geometry="geometry", crs=postcodes.crs).reset_index(drop=True)
    if report is not None:
        missing = int(left["postcode"].notna().sum()) - len(out)
        report.add("postcodes_zonder_vlak", missing)
        if missing:
            report.warning(Translatable("{n} postcodes uit de capaciteitskaart hebben geen postcodevlak en zijn weggelaten",
                                        n=missing))
        report.info(Translatable("capaciteitskaart gekoppeld aan {n} postcodevlakken", n=len(out)))
    return out


def _add_status_codes(df: pd.DataFrame, report: LoadReport | None) -> None:
    for direction, keys in (("afname", ("afname", "status_afname")), ("opwek", ("opwek", "invoeding", "status_opwek"))):
        column = _find(df.columns, keys)
        if column is None:
            continue
        codes, unknown = congestie_code(df[column])
        df[f"status_{direction}"] = codes.to_numpy()
        if unknown and report is not None:
            report.add("sentinels", unknown)
            report.warning(Translatable("{n} onbekende waarden in '{column}' als −1 (geen info) gelezen", n=unknown, column=column))


def voedingsgebied_netcongestie(
    voedingsgebieden: pd.DataFrame,
    pc6_table: pd.DataFrame,
    postcodes: gpd.GeoDataFrame,
    report: LoadReport | None = None,
    *,
    jaar: int | None = None,
    postcode_column: str | None = None,
) -> gpd.GeoDataFrame:
    """Voedingsgebied polygons (PC6 polygons dissolved per voedingsgebied) with their status.

    The status per direction comes from the voedingsgebied's colour-code column for
    ``jaar`` (default: the earliest year in the file); where the file has none, it is the
    worst PC6 code inside the voedingsgebied.
    """
    pc6 = pc6_netcongestie(pc6_table, postcodes, report, postcode_column=postcode_column)
    vg_pc6 = _find(pc6.columns, ("voedingsgebied_id",))
    vg_col = _find(voedingsgebieden.columns, ("voedingsgebied_id",))
    if vg_pc6 is None or vg_col is None:
        raise ValueError(Translatable("kolom 'voedingsgebied_id' ontbreekt; nodig om voedingsgebieden te vormen"))
    pc6 = pc6.assign(_vg=pc6[vg_pc6].astype(str).str.strip())
    agg = {c: "max" for c in ("status_afname", "status_opwek") if c in pc6.columns}
    areas = pc6[["_vg", "geometry", *agg]].dissolve(by="_vg", aggfunc=agg)
    table = voedingsgebieden.copy()
    table["_vg"] = table[vg_col].astype(str).str.strip()
    year_col = _find(table.columns, ("jaar",))
    if year_col is not None:
        years = pd.to_numeric(table[year_col], errors="coerce")
        chosen = int(years.min()) if jaar is None else int(jaar)
        if not (years == chosen).any():
            raise ValueError(Translatable("jaar {jaar} komt niet voor in voedingsgebieden; beschikbaar: {years}", jaar=chosen,
                                          years=str(sorted(set(years.dropna().astype(int))))))
        table = table[years == chosen]
    table = table.drop_duplicates("_vg")
    for direction, words in (("afname", ("afname",)), ("opwek", ("invoeding", "opwek"))):
        colour = next((c for c in table.columns if "kleurcode" in column_key(c) and any(w in column_key(c) for w in words)), None)
        if colour is not None:
            codes, _ = congestie_code(table[colour])
            table[f"status_{direction}"] = codes.to_numpy()
    joined = areas.merge(table.set_index("_vg"), how="left", left_index=True, right_index=True, suffixes=("", "_vg"))
    for direction in ("afname", "opwek"):
        own = f"status_{direction}_vg"
        if own in joined.columns:
            joined[f"status_{direction}"] = joined[own].where(joined[own].notna(), joined[f"status_{direction}"]).astype("int64")
            joined = joined.drop(columns=own)
    joined = joined.reset_index(names="voedingsgebied")
    return gpd.GeoDataFrame(joined, geometry="geometry", crs=postcodes.crs)


def read_capaciteitskaart(path: str | Path, options: dict | None = None, report: LoadReport | None = None) -> gpd.GeoDataFrame:
    """Read a capaciteitskaart CSV as a netcongestie polygon layer.

    Options
    -------
    postcodevlakken : path of the PC6 polygon layer (required).
    postcodevlakken_laag : its layer name (GeoPackage).
    postcode_kolom : postcode column in the polygons.
    congestie_pc6 : for ``voedingsgebieden.csv``: the ``congestie_pc6.csv`` that says
        which postcodes belong to which voedingsgebied.
    jaar : for ``voedingsgebieden.csv``: the year (default the earliest).
    """
    path = Path(path)
    options = dict(options or {})
    report = report if report is not None else LoadReport(source=path.name)
    table = read_capaciteit_csv(path)
    kind = csv_kind(table.columns)
    if kind is None:
        raise DataError(Translatable("is geen capaciteitskaart-CSV (verwacht postcode/afname/opwek of voedingsgebied_id)"), path=path)
    polygons_path = options.get("postcodevlakken")
    if not polygons_path:
        raise DataError(
            Translatable("de capaciteitskaart heeft geen geometrie; geef een laag met PC6-postcodevlakken op (optie postcodevlakken)"),
            path=path,
        )
    polygons = read_postcode_polygons(polygons_path, options.get("postcodevlakken_laag"), report)
    column = options.get("postcode_kolom")
    if kind == "pc6":
        return pc6_netcongestie(table, polygons, report, postcode_column=column)
    pc6_path = options.get("congestie_pc6")
    if not pc6_path:
        raise DataError(Translatable("voor voedingsgebieden is ook congestie_pc6.csv nodig (optie congestie_pc6)"), path=path)
    jaar = options.get("jaar")
    return voedingsgebied_netcongestie(
        table, read_capaciteit_csv(pc6_path), polygons, report, jaar=None if jaar is None else int(jaar), postcode_column=column
    )
