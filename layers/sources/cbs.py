"""CBS Wijk- en buurtkaart (gemeenten, wijken, buurten) as CBS and PDOK publish it.

Forms: the yearly GeoPackage (layers ``gemeenten`` / ``wijken`` / ``buurten``, snake_case
columns since 2022), the PDOK OGC API GeoJSON (camelCase: ``wijkCode``,
``aantalInwoners``) and older Shapefiles (``BU_CODE``, ``AANT_INW``). Whatever the form:

* numeric CBS sentinels (−99997, −99998, −99999, −99999999) become missing in every
  numeric column (counted in ``report.counts["sentinels"]``);
* ``gebied_niveau`` (``gemeente`` / ``wijk`` / ``buurt``) and ``gebied_code`` /
  ``gebied_naam`` of that level are added;
* ``water`` is upper-cased and ``water_ja`` flags the water-only areas (``JA``) that the
  scan engine leaves out of aggregation;
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio

from layers.errors import DataError
from layers.messages import LoadReport
from layers.roles import CBS_SENTINELS, column_key
from layers.texts import Translatable

LEVELS = ("gemeente", "wijk", "buurt")
#: Layer names of the CBS GeoPackage / PDOK OGC API collections per level.
LEVEL_LAYERS = {"gemeente": "gemeenten", "wijk": "wijken", "buurt": "buurten"}
#: Code prefixes (``BU03630000``, ``WK036301``, ``GM0363``) per level.
CODE_PREFIX = {"BU": "buurt", "WK": "wijk", "GM": "gemeente"}
_LEVEL_KEYS = {
    "buurt": (("buurtcode", "bucode"), ("buurtnaam", "bunaam")),
    "wijk": (("wijkcode", "wkcode"), ("wijknaam", "wknaam")),
    "gemeente": (("gemeentecode", "gmcode"), ("gemeentenaam", "gmnaam")),
}
_STAT_KEYS = (("statcode",), ("statnaam",))


def _find(columns, keys: tuple[str, ...]) -> str | None:
    by_key = {column_key(c): c for c in columns}
    return next((by_key[k] for k in keys if k in by_key), None)


def detect_level(gdf: pd.DataFrame) -> str | None:
    """``"buurt"``, ``"wijk"`` or ``"gemeente"``: the finest level whose code column is present.

    A combined layer with only ``statcode`` is judged by its most common code prefix.
    """
    for level in ("buurt", "wijk", "gemeente"):
        if _find(gdf.columns, _LEVEL_KEYS[level][0]) is not None:
            return level
    stat = _find(gdf.columns, _STAT_KEYS[0])
    if stat is not None and len(gdf):
        prefixes = gdf[stat].astype(str).str[:2].str.upper().map(CODE_PREFIX).dropna()
        if len(prefixes):
            return str(prefixes.mode().iloc[0])
    return None


def layer_for_level(layers: list[str], level: str) -> str:
    """The layer (or OGC API collection) of ``level`` among ``layers``.

    Raises
    ------
    ValueError naming the level and the available layers.
    """
    _check_level(level)
    wanted = LEVEL_LAYERS[level]
    for name in layers:
        if name.lower() == wanted or name.lower() == level or name.lower().endswith(f"_{wanted}"):
            return name
    raise ValueError(Translatable("geen laag voor niveau '{level}' ({wanted}); beschikbaar: {layers}", level=level, wanted=wanted,
                                  layers=", ".join(layers)))


def _check_level(level: str) -> None:
    if level not in LEVELS:
        raise ValueError(Translatable("onbekend niveau '{level}'; kies uit: {levels}", level=level, levels=", ".join(LEVELS)))


def select_level(gdf: gpd.GeoDataFrame, level: str) -> gpd.GeoDataFrame:
    """Rows of ``level`` from a combined layer (``statcode`` with BU/WK/GM prefixes)."""
    _check_level(level)
    stat = _find(gdf.columns, _STAT_KEYS[0])
    if stat is None:
        return gdf
    prefix = {v: k for k, v in CODE_PREFIX.items()}[level]
    keep = gdf[stat].astype(str).str.upper().str.startswith(prefix).to_numpy()
    return gdf.loc[keep].reset_index(drop=True)


def prepare_cbs(gdf: gpd.GeoDataFrame, report: LoadReport | None = None, level: str | None = None) -> gpd.GeoDataFrame:
    """Apply the CBS rules (see module docstring) to a gemeenten/wijken/buurten table.

    Parameters
    ----------
    gdf : as read from any CBS form.
    report : receives sentinel counts and the water message.
    level : force a level; default :func:`detect_level`.
    """
    out = gdf.copy()
    if level is not None:
        out = select_level(out, level)
    level = level or detect_level(out)
    n_sentinels = _sentinels_to_missing(out)
    if report is not None and n_sentinels:
        report.add("sentinels", n_sentinels)
        report.info(Translatable("{n} CBS-waarden 'geheim of onbekend' (−99997/−99999…) als ontbrekend gelezen", n=n_sentinels))
    if level is not None:
        code_keys, name_keys = _LEVEL_KEYS[level]
        code = _find(out.columns, code_keys) or _find(out.columns, _STAT_KEYS[0])
        name = _find(out.columns, name_keys) or _find(out.columns, _STAT_KEYS[1])
        out["gebied_niveau"] = level
        if code is not None and "gebied_code" not in out.columns:
            out["gebied_code"] = out[code].astype(object).where(out[code].isna(), out[code].astype(str).str.strip())
        if name is not None and "gebied_naam" not in out.columns:
            out["gebied_naam"] = out[name]
    water = _find(out.columns, ("water",))
    if water is not None:
        text = out[water].astype(object).where(out[water].isna(), out[water].astype(str).str.strip().str.upper())
        out[water] = text
        out["water_ja"] = (text == "JA").fillna(False).astype(bool).to_numpy()
        n_water = int(out["water_ja"].sum())
        if report is not None and n_water:
            report.info(Translatable("{n} gebieden met alleen water (water = JA) tellen niet mee in de aggregatie", n=n_water))
    else:
        out["water_ja"] = False
    return out


def _sentinels_to_missing(df: pd.DataFrame) -> int:
    """Replace CBS sentinels by NaN in all numeric columns (ints become float64); return the count."""
    total = 0
    sentinels = np.asarray(CBS_SENTINELS)
    for column in df.columns:
        series = df[column]
        if not pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series):
            continue
        hit = np.isin(series.to_numpy(dtype="float64", na_value=np.nan), sentinels)
        if hit.any():
            df[column] = series.astype("float64").where(~hit, np.nan)
            total += int(hit.sum())
    return total


def is_cbs_columns(columns) -> bool:
    """Whether the columns look like a CBS wijk- en buurtkaart layer."""
    keys = {column_key(c) for c in columns}
    codes = {"buurtcode", "wijkcode", "gemeentecode", "bucode", "wkcode", "gmcode", "statcode"}
    return bool(keys & codes) and bool(keys & {"water", "aantalinwoners", "aantinw", "woningvoorraad", "buurtnaam",
                                               "wijknaam", "gemeentenaam", "statnaam", "bunaam", "wknaam", "gmnaam"})


def cbs_layers(path: str | Path) -> list[str]:
    """Layers of a file that look like CBS gebieden, finest level first."""
    names = [str(n) for n, _ in pyogrio.list_layers(path)]
    found = [n for n in names if is_cbs_columns(pyogrio.read_info(path, layer=n)["fields"])]
    order = {"buurten": 0, "wijken": 1, "gemeenten": 2}
    return sorted(found, key=lambda n: (order.get(n.lower().rsplit("_", 1)[-1], 3), names.index(n)))


def read_cbs(path: str | Path, layer: str | None = None, report: LoadReport | None = None, *, level: str | None = None) -> gpd.GeoDataFrame:
    """Read a CBS wijk- en buurtkaart layer (GeoPackage, GeoJSON, Shapefile).

    Parameters
    ----------
    path : the file.
    layer : layer name; default the layer of ``level``, else the finest level present.
    level : ``"gemeente"``, ``"wijk"`` or ``"buurt"``.
    """
    path = Path(path)
    report = report if report is not None else LoadReport(source=path.name)
    layers = cbs_layers(path)
    if not layers:
        raise DataError(Translatable("bevat geen CBS-gebieden (buurtcode, wijkcode of gemeentecode)"), path=path)
    if layer is None:
        layer = layer_for_level(layers, level) if level is not None and len(layers) > 1 else layers[0]
    gdf = pyogrio.read_dataframe(path, layer=layer)
    return prepare_cbs(gdf, report, level=level)
