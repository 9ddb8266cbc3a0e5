"""GeoPackage results that open styled in QGIS.

QGIS keeps layer styles in a GeoPackage in the ``layer_styles`` attributes table (one row per
layer and style name, the QML text in ``styleQML``, ``useAsDefault`` = 1 for the style it applies on
opening). We write that table with the same columns and types QGIS creates and register it in
``gpkg_contents`` as an ``attributes`` table. The result layers, ``scenario_parameters`` and
``complexen`` come from the scan engine's own writer (``scans.pipeline.write_result``); we add
the ``totalen`` table beside them.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pandas as pd

import styles
from scans.pipeline import write_result

from .common import data_check, record_sources

from .common import atomic_path, scenario_name, summary, to_plain

GEBOUWEN_LAYER = "gebouwen_potentie"
GEBIEDEN_LAYER = "gebieden_potentie"
PARAMETERS_TABLE = "scenario_parameters"
TOTALS_TABLE = "totalen"
COMPLEXEN_TABLE = "complexen"
STYLE_NAME = "Beter Benutten"

CREATE_LAYER_STYLES = """
CREATE TABLE IF NOT EXISTS "layer_styles" (
  "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
  "f_table_catalog" TEXT(256),
  "f_table_schema" TEXT(256),
  "f_table_name" TEXT(256),
  "f_geometry_column" TEXT(256),
  "styleName" TEXT(30),
  "styleQML" TEXT,
  "styleSLD" TEXT,
  "useAsDefault" BOOLEAN,
  "description" TEXT,
  "owner" TEXT(30),
  "ui" TEXT(30),
  "update_time" DATETIME DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
)"""
_NOW = "strftime('%Y-%m-%dT%H:%M:%fZ','now')"
_KIND_BY_GPKG_TYPE = {
    "POINT": "point",
    "MULTIPOINT": "point",
    "LINESTRING": "line",
    "MULTILINESTRING": "line",
    "POLYGON": "polygon",
    "MULTIPOLYGON": "polygon",
    "GEOMETRY": "polygon",
}


def write_styled_result(result, path: str | Path, *, style_overrides: dict | None = None, gegevens=None) -> Path:
    """Write a scan result as a GeoPackage with our styles and totals.

    ``scans.pipeline.write_result`` writes the layers (``gebouwen_potentie``, ``gebieden_potentie``,
    ``complexen``, ``scenario_parameters``: one writer of the result columns); this adds
    ``layer_styles`` and ``totalen``. The whole file is built under a temporary name and renamed at
    the end, so a failure never leaves a half-written GeoPackage.

    Parameters
    ----------
    result : a ``ScanResult`` (or an object with the same attributes).
    path : the ``.gpkg`` to write (replaced when it exists).
    style_overrides : layer name → style, instead of :func:`styles.default_style`.
    gegevens : the run's data check (``scans.gegevens``): its sources with their dates (and the
        check) go into the GeoPackage's metadata (:func:`gisapp.reports.common.record_sources`).
    """
    path = Path(path)
    if path.suffix.lower() != ".gpkg":
        raise ValueError(f"{path}: een GeoPackage moet op .gpkg eindigen")
    with atomic_path(path, ".gpkg") as tmp:
        write_result(result, tmp)
        tables = {TOTALS_TABLE: _totals_table(result)}
        layer_styles = {GEBOUWEN_LAYER: styles.default_style(GEBOUWEN_LAYER, result.gebouwen)}
        if getattr(result, "gebieden", None) is not None:
            layer_styles[GEBIEDEN_LAYER] = styles.default_style(GEBIEDEN_LAYER, result.gebieden)
        layer_styles.update(style_overrides or {})
        with _transaction(tmp) as con:
            existing = _tables(con)
            for name, frame in tables.items():
                if name not in existing:
                    _write_attributes(con, name, frame)
            _add_styles(con, layer_styles)
        record_sources(tmp, data_check(result, gegevens))
    return path


def add_layer_styles(path: str | Path, layer_styles: dict, *, style_name: str = STYLE_NAME) -> None:
    """Add or replace the default style of layers in an existing GeoPackage, in one transaction.

    ``layer_styles`` maps a layer (table) name to a style object; the geometry kind comes from
    ``gpkg_geometry_columns``.
    """
    path = Path(path)
    if not path.exists():
        raise ValueError(f"{path}: GeoPackage bestaat niet")
    with _transaction(path) as con:
        _add_styles(con, layer_styles, style_name)


def read_layer_styles(path: str | Path) -> pd.DataFrame:
    """The ``layer_styles`` rows of a GeoPackage (empty when it has none)."""
    with sqlite3.connect(path) as con:
        if "layer_styles" not in _tables(con):
            return pd.DataFrame(columns=["f_table_name", "f_geometry_column", "styleName", "styleQML", "useAsDefault"])
        return pd.read_sql_query("SELECT * FROM layer_styles ORDER BY id", con)


def write_attributes_table(path: str | Path, name: str, frame: pd.DataFrame) -> None:
    """Write a non-spatial table into an existing GeoPackage (replacing one of the same name)."""
    with _transaction(Path(path)) as con:
        _drop_table(con, name)
        _write_attributes(con, name, frame)


# --- internals -------------------------------------------------------------------------------


def _totals_table(result) -> pd.DataFrame:
    table = summary(result)
    extra = pd.DataFrame(
        [
            ("Scenario", scenario_name(result), ""),
            ("Rekentijd", round(float(getattr(result, "seconds", 0.0) or 0.0), 2), "s"),
        ],
        columns=table.columns,
    )
    table = pd.concat([table, extra], ignore_index=True)
    table["waarde"] = table["waarde"].astype(str)
    return table


class _transaction:
    """sqlite3 connection in autocommit mode with one explicit BEGIN … COMMIT (DDL included)."""

    def __init__(self, path: Path):
        self.path = path

    def __enter__(self) -> sqlite3.Connection:
        self.con = sqlite3.connect(self.path, isolation_level=None)
        self.con.execute("BEGIN")
        return self.con

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            self.con.execute("ROLLBACK" if exc_type else "COMMIT")
        finally:
            self.con.close()


def _tables(con: sqlite3.Connection) -> set[str]:
    return {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def _register_attributes(con: sqlite3.Connection, name: str, description: str = "") -> None:
    con.execute("DELETE FROM gpkg_contents WHERE table_name = ?", (name,))
    con.execute(
        f"INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change) "
        f"VALUES (?, 'attributes', ?, ?, {_NOW})",
        (name, name, description),
    )


def _drop_table(con: sqlite3.Connection, name: str) -> None:
    con.execute(f'DROP TABLE IF EXISTS "{name}"')
    con.execute("DELETE FROM gpkg_contents WHERE table_name = ?", (name,))
    if "gpkg_ogr_contents" in _tables(con):
        con.execute("DELETE FROM gpkg_ogr_contents WHERE table_name = ?", (name,))


def _sql_type(series: pd.Series) -> str:
    if pd.api.types.is_bool_dtype(series.dtype):
        return "BOOLEAN"
    if pd.api.types.is_integer_dtype(series.dtype):
        return "INTEGER"
    if pd.api.types.is_float_dtype(series.dtype):
        return "REAL"
    return "TEXT"


def _write_attributes(con: sqlite3.Connection, name: str, frame: pd.DataFrame) -> None:
    frame = to_plain(frame)
    columns = [str(c) for c in frame.columns]
    types = [_sql_type(frame[c]) for c in frame.columns]
    defs = ", ".join(f'"{c}" {t}' for c, t in zip(columns, types))
    con.execute(f'CREATE TABLE "{name}" ("fid" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, {defs})')
    rows = [
        tuple(None if pd.isna(v) else (v.item() if hasattr(v, "item") else (v if t != "TEXT" else str(v))) for v, t in zip(row, types))
        for row in frame.itertuples(index=False, name=None)
    ]
    marks = ", ".join("?" for _ in columns)
    quoted = ", ".join(f'"{c}"' for c in columns)
    con.executemany(f'INSERT INTO "{name}" ({quoted}) VALUES ({marks})', rows)
    _register_attributes(con, name)
    if "gpkg_ogr_contents" in _tables(con):
        con.execute("INSERT OR REPLACE INTO gpkg_ogr_contents (table_name, feature_count) VALUES (?, ?)", (name, len(rows)))


def _geometry_columns(con: sqlite3.Connection) -> dict[str, tuple[str, str]]:
    rows = con.execute("SELECT table_name, column_name, geometry_type_name FROM gpkg_geometry_columns")
    return {t: (c, _KIND_BY_GPKG_TYPE.get(str(g).upper(), "polygon")) for t, c, g in rows}


def _add_styles(con: sqlite3.Connection, layer_styles: dict, style_name: str = STYLE_NAME) -> None:
    geometry = _geometry_columns(con)
    missing = [name for name in layer_styles if name not in geometry]
    if missing:
        raise ValueError(f"laag/lagen {', '.join(missing)} niet gevonden in de GeoPackage")
    if "layer_styles" not in _tables(con):
        con.execute(CREATE_LAYER_STYLES)
        _register_attributes(con, "layer_styles")
    for table, style in layer_styles.items():
        if style is None:
            continue
        column, kind = geometry[table]
        qml = styles.to_qml(style, kind)
        con.execute("UPDATE layer_styles SET useAsDefault = 0 WHERE f_table_name = ?", (table,))
        con.execute("DELETE FROM layer_styles WHERE f_table_name = ? AND styleName = ?", (table, style_name))
        con.execute(
            'INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, f_geometry_column, "styleName", '
            '"styleQML", "styleSLD", "useAsDefault", description, owner, ui, update_time) '
            f"VALUES ('', '', ?, ?, ?, ?, '', 1, ?, '', NULL, {_NOW})",
            (table, column, style_name, qml, f"Standaardstijl {table} (Beter Benutten)"),
        )
