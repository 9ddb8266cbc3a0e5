"""PostGIS tables as layers (a corporation's portfolio, or any layer kept in a database).

Qt-free and synchronous, with psycopg 3. SQL is composed with :mod:`psycopg.sql`
(identifiers via ``sql.Identifier``) and values are always bound parameters, never
formatted into the statement. Connection strings are libpq DSNs or URIs
(``postgresql://user@host:5432/db``); passwords belong in ``~/.pgpass`` or
``PGPASSWORD``, not in project files.

Every connection has a connect timeout and a statement timeout (:class:`PostgisSettings`,
:data:`DEFAULT_SETTINGS`): a server that does not answer, or a query that runs on, ends with
one line naming the database (without password) and the limit.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely

from layers.crs import RD_NEW
from layers.errors import DataError
from layers.texts import Translatable

_INSTALL_HINT = "installeer psycopg (pip install 'psycopg[binary]') om PostGIS te lezen"


@dataclass(frozen=True)
class PostgisSettings:
    """Limits of a database read.

    Parameters
    ----------
    connect_timeout : seconds to open the connection (libpq rounds to whole seconds, at least 1;
        0 would mean no limit and is refused).
    statement_timeout : seconds one query may run on the server (``statement_timeout``).
    """

    connect_timeout: float = 10.0
    statement_timeout: float = 600.0

    def __post_init__(self):
        for name in ("connect_timeout", "statement_timeout"):
            if not getattr(self, name) > 0:
                raise ValueError(Translatable("{name} moet groter dan 0 zijn, niet {value}", name=name, value=getattr(self, name)))


DEFAULT_SETTINGS = PostgisSettings()


@dataclass(frozen=True)
class TableInfo:
    """A table or view; ``geometry_column`` is None for plain tables (e.g. a portfolio list)."""

    schema: str
    table: str
    geometry_column: str | None
    srid: int | None
    geometry_type: str | None

    @property
    def name(self) -> str:
        """``schema.table`` as used for the ``layer`` of a project entry."""
        return f"{self.schema}.{self.table}"


def _psycopg():
    try:
        import psycopg
        from psycopg import sql
    except ImportError as exc:  # an optional dependency: tell the user what to install
        raise DataError(Translatable(_INSTALL_HINT)) from exc
    return psycopg, sql


def connect(dsn: str, *, timeout: float | None = None, settings: PostgisSettings | None = None):
    """Open a connection with the limits of ``settings`` (default :data:`DEFAULT_SETTINGS`;
    ``timeout`` replaces its connect timeout); ``DataError`` (naming host and database, not the
    password, and the limit that ran out) on failure."""
    psycopg, _ = _psycopg()
    settings = settings or DEFAULT_SETTINGS
    connect_timeout = float(timeout) if timeout is not None else settings.connect_timeout
    try:
        conn = psycopg.connect(dsn, connect_timeout=max(1, math.ceil(connect_timeout)), autocommit=True)
    except psycopg.Error as exc:
        text = _first_line(exc)
        if "timeout" in text.lower():
            raise DataError(Translatable("de database antwoordde niet binnen {seconds:g} s (limiet connect_timeout)",
                                         seconds=connect_timeout), path=redact(dsn)) from exc
        raise DataError(Translatable("geen verbinding met de database ({reason})", reason=text), path=redact(dsn)) from exc
    try:  # a bound parameter (SET takes none): the value never becomes SQL text
        conn.execute("SELECT set_config('statement_timeout', %s, false)",
                     (f"{max(1, round(settings.statement_timeout * 1000))}ms",))
    except psycopg.Error as exc:
        conn.close()
        raise _database_error(exc, dsn) from exc
    return conn


def redact(dsn: str) -> str:
    """The DSN without its password, for messages."""
    dsn = re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", dsn)
    return re.sub(r"(password\s*=\s*)\S+", r"\1***", dsn, flags=re.IGNORECASE)


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def list_tables(dsn: str, *, settings: PostgisSettings | None = None) -> list[TableInfo]:
    """User tables and views with their geometry column (if any), ``schema.table`` sorted.

    A table with two geometry columns is listed twice.
    """
    _, sql = _psycopg()
    query = sql.SQL(
        """
        SELECT t.table_schema, t.table_name, g.f_geometry_column, g.srid, g.type
        FROM information_schema.tables t
        LEFT JOIN geometry_columns g
          ON g.f_table_schema = t.table_schema AND g.f_table_name = t.table_name
        WHERE t.table_schema NOT IN ('pg_catalog', 'information_schema', 'topology', 'tiger')
          AND t.table_name NOT IN ('spatial_ref_sys', 'geometry_columns', 'geography_columns')
        ORDER BY t.table_schema, t.table_name, g.f_geometry_column
        """
    )
    with connect(dsn, settings=settings) as conn:
        rows = _execute(conn, query, (), dsn, settings).fetchall()
    return [TableInfo(r[0], r[1], r[2], int(r[3]) if r[3] is not None else None, r[4]) for r in rows]


def split_name(name: str) -> tuple[str, str]:
    """(schema, table) from ``schema.table`` or ``table`` (schema ``public``)."""
    schema, _, table = name.rpartition(".")
    return (schema or "public"), table


def read_table(
    dsn: str,
    schema: str,
    table: str,
    *,
    geometry_column: str | None = None,
    columns: list[str] | None = None,
    bbox: tuple[float, float, float, float] | None = None,
    where: dict[str, Any] | None = None,
    limit: int | None = None,
    settings: PostgisSettings | None = None,
) -> gpd.GeoDataFrame | pd.DataFrame:
    """Read a PostGIS table into a GeoDataFrame (or a DataFrame for a table without geometry).

    Parameters
    ----------
    dsn : libpq connection string or URI.
    schema, table : the table (or view).
    geometry_column : default: the table's first geometry column.
    columns : attribute columns to read (default all).
    bbox : (xmin, ymin, xmax, ymax) in RD New; only rows whose geometry intersects it.
    where : equality filters ``{column: value}`` (values bound as parameters).
    limit : at most this many rows.
    settings : connect and statement timeout (default :data:`DEFAULT_SETTINGS`).

    Returns
    -------
    GeoDataFrame in the table's SRID (``read_layer`` then normalises to RD New).
    """
    _, sql = _psycopg()
    if limit is not None and int(limit) < 0:
        raise ValueError(Translatable("limit moet 0 of groter zijn, niet {limit}", limit=limit))
    infos = [t for t in list_tables(dsn, settings=settings) if t.schema == schema and t.table == table]
    if not infos:
        raise DataError(Translatable("tabel {schema}.{table} bestaat niet", schema=schema, table=table), path=redact(dsn))
    info = next((t for t in infos if geometry_column in (None, t.geometry_column)), None)
    if info is None:
        raise DataError(Translatable("geometriekolom '{column}' bestaat niet in {schema}.{table}", column=geometry_column,
                                     schema=schema, table=table), path=redact(dsn))
    with connect(dsn, settings=settings) as conn:
        available = _columns(conn, schema, table, dsn)
        geom = info.geometry_column
        wanted = [c for c in (columns or available) if c != geom]
        unknown = [c for c in wanted + list((where or {}).keys()) if c not in available]
        if unknown:
            raise DataError(Translatable("kolom(men) {columns} bestaan niet in {schema}.{table}", columns=", ".join(unknown),
                                         schema=schema, table=table), path=redact(dsn))
        select = [sql.Identifier(c) for c in wanted]
        if geom is not None:
            select.append(sql.SQL("ST_AsBinary({})").format(sql.Identifier(geom)))
        conditions, params = [], []
        if bbox is not None:
            if geom is None:
                raise ValueError(Translatable("{schema}.{table} heeft geen geometrie; bbox kan niet worden toegepast",
                                              schema=schema, table=table))
            conditions.append(
                sql.SQL("{} && ST_Transform(ST_MakeEnvelope(%s, %s, %s, %s, 28992), %s)").format(sql.Identifier(geom))
            )
            params.extend([*(float(v) for v in bbox), int(info.srid or 28992)])
        for column, value in (where or {}).items():
            conditions.append(sql.SQL("{} = %s").format(sql.Identifier(column)))
            params.append(value)
        query = sql.SQL("SELECT {} FROM {}.{}").format(
            sql.SQL(", ").join(select) if select else sql.SQL("1"), sql.Identifier(schema), sql.Identifier(table)
        )
        if conditions:
            query += sql.SQL(" WHERE ") + sql.SQL(" AND ").join(conditions)
        if limit is not None:
            query += sql.SQL(" LIMIT %s")
            params.append(int(limit))
        rows = _execute(conn, query, params, dsn, settings).fetchall()
    frame = pd.DataFrame.from_records(rows, columns=wanted + (["geometry"] if geom is not None else []))
    if geom is None:
        return frame
    wkb = [bytes(v) if v is not None else None for v in frame.pop("geometry")]
    crs = f"EPSG:{info.srid}" if info.srid else None
    return gpd.GeoDataFrame(frame, geometry=shapely.from_wkb(wkb), crs=crs)


def _columns(conn, schema: str, table: str, dsn: str) -> list[str]:
    _, sql = _psycopg()
    query = sql.SQL(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = %s AND table_name = %s "
        "ORDER BY ordinal_position"
    )
    return [r[0] for r in _execute(conn, query, (schema, table), dsn).fetchall()]


def _execute(conn, query, params, dsn: str, settings: PostgisSettings | None = None):
    psycopg, _ = _psycopg()
    try:
        return conn.execute(query, params)
    except psycopg.errors.QueryCanceled as exc:
        limit = (settings or DEFAULT_SETTINGS).statement_timeout
        raise DataError(Translatable("de database gaf binnen {seconds:g} s geen antwoord op de vraag (limiet "
                                     "statement_timeout); lees minder (bbox, kolommen) of verhoog de limiet", seconds=limit),
                        path=redact(dsn)) from exc
    except psycopg.Error as exc:
        raise _database_error(exc, dsn) from exc


def _database_error(exc: BaseException, dsn: str) -> DataError:
    return DataError(Translatable("databasefout ({reason})", reason=_first_line(exc)), path=redact(dsn))


def is_postgres_dsn(path: Any) -> bool:
    """Whether ``path`` is a PostgreSQL URI (``postgresql://…`` / ``postgres://…``) or ``PG:`` string."""
    return isinstance(path, str) and re.match(r"^(postgres(ql)?://|PG:)", path.strip(), re.IGNORECASE) is not None


def normalise_dsn(path: str) -> str:
    """A libpq DSN from a URI or a GDAL-style ``PG:dbname=…`` string."""
    path = path.strip()
    return path[3:] if path.upper().startswith("PG:") else path
