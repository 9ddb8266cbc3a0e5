"""GeoPackages written through GDAL (pyogrio) and SQLite (``sqlite3``), nothing by hand.

Layers go through pyogrio's public writers: :func:`write_frame` (``pyogrio.write_dataframe``
with Arrow) and :func:`write_batches` (``pyogrio.write_arrow`` on a stream of Arrow record
batches: one layer in one GDAL transaction, however many batches arrive). GDAL builds the
spatial index (``SPATIAL_INDEX=YES``, its default) in bulk when the layer is closed.

Non-spatial tables and QGIS's ``layer_styles`` table are written with ``sqlite3`` in the same
layout GDAL and QGIS give them (registered in ``gpkg_contents`` as ``attributes``).

:func:`replacing` gives a temporary path beside the target and moves the finished file into
place with ``os.replace``, so a failed or cancelled write never leaves a half-written file.
The layer writers take a ``layers.feedback`` Feedback: the share of the rows written after each
batch, and a cancel that ends the stream at the next batch (:class:`~layers.feedback.CancelledError`).

Nothing here changes process-wide state: GDAL configuration options (``OGR_SQLITE_PRAGMA``,
``OGR_SQLITE_CACHE``, …) are the caller's business, set by an entry point if at all.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyogrio
import shapely

from layers.feedback import Feedback, check
from layers.io import tempfiles
from layers.texts import Translatable

#: The files of one SQLite database: the file itself and its journal / WAL files.
SQLITE_FILE_SUFFIXES = ("", "-journal", "-wal", "-shm")

#: GeoPackage geometry type per set of shapely type ids (3 polygon, 6 multipolygon).
_GEOMETRY_TYPES = {frozenset({3}): "Polygon", frozenset({6}): "MultiPolygon"}


# --------------------------------------------------------------------------- files


def remove_database(path: str | os.PathLike) -> None:
    """Delete an SQLite database (a GeoPackage) with its journal and WAL files, where present."""
    for suffix in SQLITE_FILE_SUFFIXES:
        Path(str(path) + suffix).unlink(missing_ok=True)


def check_target(path: str | os.PathLike) -> Path:
    """``path`` as a Path when it can be written as a GeoPackage, else a ``DataError`` naming it."""
    return tempfiles.check_output(path, suffixes=(".gpkg",), kind="GeoPackage")  # also sweeps stale temp files


@contextlib.contextmanager
def replacing(path: str | os.PathLike) -> Iterator[Path]:
    """A temporary GeoPackage path beside ``path`` (not yet created); moved onto ``path`` with
    ``os.replace`` when the block ends normally, removed (with its journal) when it raises."""
    path = check_target(path)
    # named so a later run removes it when this process is killed (layers.io.tempfiles); GDAL
    # creates the file itself (it refuses an existing empty one)
    tmp = tempfiles.temp_path(path.parent, "gpkg", ".tmp.gpkg")
    try:
        yield tmp
        os.replace(tmp, path)
    except BaseException:
        tempfiles.remove_with_companions(tmp)
        raise


# --------------------------------------------------------------------------- layers


def polygon_type(geometries) -> str | None:
    """``"Polygon"`` or ``"MultiPolygon"`` when every geometry is one, else None (let GDAL infer)."""
    geometries = np.asarray(geometries)
    if not len(geometries):
        return None
    kinds = frozenset(np.unique(shapely.get_type_id(geometries)).tolist())
    return _GEOMETRY_TYPES.get(kinds)


def plain_text(table: pa.Table) -> pa.Table:
    """``table`` with its dictionary-encoded (categorical) and all-null columns as plain values GDAL takes."""
    for index, field in enumerate(table.schema):
        if pa.types.is_dictionary(field.type):
            table = table.set_column(index, field.with_type(field.type.value_type),
                                     table.column(index).cast(field.type.value_type))
        elif pa.types.is_null(field.type):  # GDAL has no null type; pyogrio writes such a column as text
            table = table.set_column(index, field.with_type(pa.string()), table.column(index).cast(pa.string()))
    return table


#: Rows per Arrow batch :func:`write_frame` hands to GDAL: the WKB is made a batch at a time, so
#: only one batch's bytes are in memory beside the frame (at 1M panden the whole WKB column
#: and its Python bytes objects would be ~0.5 GB on top of the peak).
WRITE_BATCH_ROWS = 65_536
#: With a feedback, a layer goes in about this many batches (each at least
#: :data:`MIN_PROGRESS_BATCH_ROWS` rows), so its progress moves and a cancel is seen within one.
PROGRESS_STEPS = 32
MIN_PROGRESS_BATCH_ROWS = 2_048
#: The share of a layer's progress for its rows; the rest is GDAL closing it (the spatial index).
_ROWS_SHARE = 0.9


def _attributes(frame: gpd.GeoDataFrame) -> pa.Table:
    # drop the column from a plain DataFrame view: GeoDataFrame.drop copies the frame
    table = pa.Table.from_pandas(pd.DataFrame(frame).drop(columns=frame.geometry.name), preserve_index=False)
    return plain_text(table)


def _wkb(geometries: np.ndarray) -> pa.BinaryArray:
    return pa.array(shapely.to_wkb(geometries, hex=False, output_dimension=2), type=pa.binary())


def arrow_table(frame: gpd.GeoDataFrame) -> pa.Table:
    """The rows as Arrow for :func:`write_batches`: the attributes (categoricals as text), then
    the geometry as 2D WKB in the last column ``geometry`` (``shapely.to_wkb``)."""
    return _attributes(frame).append_column("geometry", _wkb(frame.geometry.to_numpy()))


def arrow_batches(frame: gpd.GeoDataFrame, rows: int = WRITE_BATCH_ROWS) -> tuple[pa.Schema, Iterator[pa.RecordBatch]]:
    """:func:`arrow_table`'s schema and its rows as batches of ``rows``, the WKB made per batch."""
    attributes = _attributes(frame)
    geometries = frame.geometry.to_numpy()
    schema = attributes.schema.append(pa.field("geometry", pa.binary()))

    def batches() -> Iterator[pa.RecordBatch]:
        for start in range(0, len(frame), rows):
            part = attributes.slice(start, rows).append_column("geometry", _wkb(geometries[start:start + rows]))
            yield from part.to_batches()

    return schema, batches()


def progress_batch_rows(count: int) -> int:
    """Rows per batch for a layer of ``count`` rows written with progress (:data:`PROGRESS_STEPS`)."""
    return min(WRITE_BATCH_ROWS, max(MIN_PROGRESS_BATCH_ROWS, -(-int(count) // PROGRESS_STEPS)))


def _reported(batches: Iterable[pa.RecordBatch], feedback: Feedback, rows: int | None) -> Iterator[pa.RecordBatch]:
    """``batches`` one by one until ``feedback`` is cancelled; with ``rows`` (the total) the share
    written is reported after each batch (GDAL asks for the next batch once it wrote the last)."""
    done = 0
    if rows is not None:
        feedback.progress(0.0)
    for batch in batches:
        if feedback.is_cancelled():
            return
        yield batch
        done += batch.num_rows
        if rows is not None:
            feedback.progress(_ROWS_SHARE * min(1.0, done / max(rows, 1)))


def write_batches(batches: Iterable[pa.RecordBatch], schema: pa.Schema, path: str | os.PathLike, layer: str, *,
                  geometry_type: str, crs: str, append: bool = False, feedback: Feedback | None = None,
                  rows: int | None = None) -> None:
    """Write Arrow record batches (WKB column ``geometry`` last) as one layer: ``pyogrio.write_arrow``
    on a stream, one GDAL transaction, the spatial index built by GDAL when the layer closes.

    ``batches`` may be a generator that yields while other work runs (the tiled scan's writer).
    ``append`` adds the rows to an existing layer of the same schema (a second transaction).
    ``feedback`` is asked before every batch: a cancel ends the stream there and, once GDAL has
    closed the layer, raises ``CancelledError`` (so write into a temporary file: :func:`replacing`).
    With ``rows``, the number of rows coming, it also gets the share written after each batch.
    """
    if feedback is not None:
        batches = _reported(batches, feedback, rows)
    reader = pa.RecordBatchReader.from_batches(schema, iter(batches))
    pyogrio.write_arrow(reader, path, layer=layer, driver="GPKG", geometry_name="geometry",
                        geometry_type=geometry_type, crs=crs, append=append, SPATIAL_INDEX="YES")
    check(feedback)
    if feedback is not None and rows is not None:
        feedback.progress(1.0)


def write_frame(frame: pd.DataFrame, path: str | os.PathLike, layer: str, feedback: Feedback | None = None) -> None:
    """Write a (Geo)DataFrame as a layer of ``path`` (created, or added to when it exists).

    A GeoDataFrame whose geometries are all Polygons (or all MultiPolygons) in an EPSG CRS goes
    through :func:`write_batches`; any other frame through ``pyogrio.write_dataframe`` (which
    infers, and promotes, the geometry type itself; a plain DataFrame becomes a table).
    ``feedback`` gets the share of the rows written, 0 to 1, batch by batch (the batches then
    smaller: :func:`progress_batch_rows`); a cancel raises ``CancelledError`` at the next batch,
    leaving the layer partly written (write into a temporary file: :func:`replacing`)."""
    if isinstance(frame, gpd.GeoDataFrame) and frame.crs is not None and frame.crs.to_epsg() is not None:
        kind = polygon_type(frame.geometry.to_numpy())
        if kind is not None:
            rows = WRITE_BATCH_ROWS if feedback is None else progress_batch_rows(len(frame))
            schema, batches = arrow_batches(frame, rows)
            write_batches(batches, schema, path, layer, geometry_type=kind, crs=f"EPSG:{frame.crs.to_epsg()}",
                          feedback=feedback, rows=len(frame))
            return
    check(feedback)
    if feedback is not None:
        feedback.progress(0.0)
    pyogrio.write_dataframe(frame, path, layer=layer, driver="GPKG", use_arrow=True)
    check(feedback)
    if feedback is not None:
        feedback.progress(1.0)


def replace_layer(frame: pd.DataFrame, path: str | os.PathLike, layer: str) -> Path:
    """Replace one layer of a GeoPackage atomically, keeping its other layers (a new file when
    ``path`` does not exist yet).

    The file is copied to a temporary file beside it (named for :mod:`layers.io.tempfiles`, so a
    later run removes it when this process is killed), the layer written there, and the copy
    moved into place with ``os.replace``: a crash never leaves a half-written file.
    """
    target = Path(path)
    tmp = tempfiles.temp_path(target.parent, "laag", ".tmp.gpkg")
    try:
        if target.exists():
            shutil.copyfile(target, tmp)
        pyogrio.write_dataframe(frame, tmp, layer=layer, driver="GPKG")
        os.replace(tmp, target)
    except BaseException:
        tempfiles.remove_with_companions(tmp)
        raise
    return target


# --------------------------------------------------------------------------- SQLite tables

_NOW = "strftime('%Y-%m-%dT%H:%M:%fZ','now')"

#: QGIS's own ``layer_styles`` table (as QGIS creates it in a GeoPackage).
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

#: Geometry kind (``styles``' vocabulary) per GeoPackage geometry type.
KIND_BY_GPKG_TYPE = {
    "POINT": "point",
    "MULTIPOINT": "point",
    "LINESTRING": "line",
    "MULTILINESTRING": "line",
    "POLYGON": "polygon",
    "MULTIPOLYGON": "polygon",
    "GEOMETRY": "polygon",
}


@contextlib.contextmanager
def transaction(path: str | os.PathLike) -> Iterator[sqlite3.Connection]:
    """An ``sqlite3`` connection to an existing GeoPackage with one explicit BEGIN … COMMIT
    (DDL included), rolled back when the block raises."""
    path = Path(path)
    if not path.is_file():
        raise ValueError(Translatable("{path}: GeoPackage bestaat niet", path=path))
    con = sqlite3.connect(path, isolation_level=None)
    try:
        con.execute("BEGIN")
        try:
            yield con
        except BaseException:
            con.execute("ROLLBACK")
            raise
        con.execute("COMMIT")
    finally:
        con.close()


def tables(con: sqlite3.Connection) -> set[str]:
    return {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def geometry_columns(con: sqlite3.Connection) -> dict[str, tuple[str, str]]:
    """Layer → (geometry column, kind ``point``/``line``/``polygon``) from ``gpkg_geometry_columns``."""
    rows = con.execute("SELECT table_name, column_name, geometry_type_name FROM gpkg_geometry_columns")
    return {t: (c, KIND_BY_GPKG_TYPE.get(str(g).upper(), "polygon")) for t, c, g in rows}


def _register_attributes(con: sqlite3.Connection, name: str, description: str = "") -> None:
    con.execute("DELETE FROM gpkg_contents WHERE table_name = ?", (name,))
    con.execute(
        f"INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change) "
        f"VALUES (?, 'attributes', ?, ?, {_NOW})",
        (name, name, description),
    )


def drop_table(con: sqlite3.Connection, name: str) -> None:
    con.execute(f'DROP TABLE IF EXISTS "{name}"')
    con.execute("DELETE FROM gpkg_contents WHERE table_name = ?", (name,))
    if "gpkg_ogr_contents" in tables(con):
        con.execute("DELETE FROM gpkg_ogr_contents WHERE table_name = ?", (name,))


def _sql_type(series: pd.Series) -> str:
    if pd.api.types.is_bool_dtype(series.dtype):
        return "BOOLEAN"
    if pd.api.types.is_integer_dtype(series.dtype):
        return "INTEGER"
    if pd.api.types.is_float_dtype(series.dtype):
        return "REAL"
    return "TEXT"


def write_attributes(con: sqlite3.Connection, name: str, frame: pd.DataFrame) -> None:
    """A new non-spatial table ``name`` with ``frame``'s rows (registered as GDAL registers one)."""
    columns = [str(c) for c in frame.columns]
    types = [_sql_type(frame[c]) for c in frame.columns]
    defs = ", ".join(f'"{c}" {t}' for c, t in zip(columns, types))
    con.execute(f'CREATE TABLE "{name}" ("fid" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, {defs})')
    rows = [
        tuple(None if pd.isna(v) else (v.item() if hasattr(v, "item") else (v if t != "TEXT" else str(v)))
              for v, t in zip(row, types))
        for row in frame.itertuples(index=False, name=None)
    ]
    marks = ", ".join("?" for _ in columns)
    quoted = ", ".join(f'"{c}"' for c in columns)
    con.executemany(f'INSERT INTO "{name}" ({quoted}) VALUES ({marks})', rows)
    _register_attributes(con, name)
    if "gpkg_ogr_contents" in tables(con):
        con.execute("INSERT OR REPLACE INTO gpkg_ogr_contents (table_name, feature_count) VALUES (?, ?)",
                    (name, len(rows)))


def write_layer_styles(con: sqlite3.Connection, qml: dict[str, str], style_name: str,
                       descriptions: dict[str, str] | None = None) -> None:
    """Store each layer's QML as its default style in ``layer_styles`` (QGIS applies it on opening).

    ``qml`` maps a layer (table) name with a geometry column to the QML text; an earlier style of
    the same name is replaced and the layer's other styles stop being the default."""
    geometry = geometry_columns(con)
    missing = [name for name in qml if name not in geometry]
    if missing:
        raise ValueError(Translatable("laag/lagen {names} niet gevonden in de GeoPackage", names=", ".join(missing)))
    if "layer_styles" not in tables(con):
        con.execute(CREATE_LAYER_STYLES)
        _register_attributes(con, "layer_styles")
    for table, text in qml.items():
        column = geometry[table][0]
        description = (descriptions or {}).get(table, "")
        con.execute("UPDATE layer_styles SET useAsDefault = 0 WHERE f_table_name = ?", (table,))
        con.execute("DELETE FROM layer_styles WHERE f_table_name = ? AND styleName = ?", (table, style_name))
        con.execute(
            'INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, f_geometry_column, "styleName", '
            '"styleQML", "styleSLD", "useAsDefault", description, owner, ui, update_time) '
            f"VALUES ('', '', ?, ?, ?, ?, '', 1, ?, '', NULL, {_NOW})",
            (table, column, style_name, text, description),
        )


def read_layer_styles(path: str | os.PathLike) -> pd.DataFrame:
    """The ``layer_styles`` rows of a GeoPackage (empty when it has none)."""
    with contextlib.closing(sqlite3.connect(path)) as con:
        if "layer_styles" not in tables(con):
            return pd.DataFrame(columns=["f_table_name", "f_geometry_column", "styleName", "styleQML", "useAsDefault"])
        return pd.read_sql_query("SELECT * FROM layer_styles ORDER BY id", con)
