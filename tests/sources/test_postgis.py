"""PostGIS against a real PostgreSQL + PostGIS on 127.0.0.1 (started by .ci/services)."""

from __future__ import annotations

import uuid

import pytest
import shapely

from layers.errors import DataError
from layers.sources import postgis
from layers.sources.registered import PostGISReader


@pytest.fixture
def schema(postgis_dsn):
    """A fresh schema with a pand table (SRID 28992), a 4326 table, an odd name and a portfolio."""
    import psycopg
    from psycopg import sql

    name = f"bb_{uuid.uuid4().hex[:8]}"
    squares = [shapely.box(85300 + 20 * i, 447000, 85310 + 20 * i, 447010) for i in range(5)]
    with psycopg.connect(postgis_dsn, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(name)))
        conn.execute(sql.SQL(
            "CREATE TABLE {}.panden (identificatie text, bouwjaar integer, status text, geom geometry(Polygon, 28992))"
        ).format(sql.Identifier(name)))
        with conn.cursor() as cur:
            cur.executemany(
                sql.SQL("INSERT INTO {}.panden VALUES (%s, %s, %s, ST_GeomFromWKB(%s, 28992))").format(sql.Identifier(name)),
                [(f"050310000000000{i}", 1960 + i, "Pand in gebruik", shapely.to_wkb(g)) for i, g in enumerate(squares)],
            )
        conn.execute(sql.SQL("CREATE TABLE {}.{} (naam text, geom geometry(Point, 4326))").format(
            sql.Identifier(name), sql.Identifier('rare "naam"; DROP TABLE x')))
        conn.execute(sql.SQL("INSERT INTO {}.{} VALUES (%s, ST_SetSRID(ST_MakePoint(%s, %s), 4326))").format(
            sql.Identifier(name), sql.Identifier('rare "naam"; DROP TABLE x')), ("punt", 4.36, 52.0))
        conn.execute(sql.SQL("CREATE TABLE {}.portefeuille (pand_id text, complex text)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("INSERT INTO {}.portefeuille VALUES (%s, %s), (%s, %s)").format(sql.Identifier(name)),
                     ("0503100000000001", "C-12", "0503100000000002", "C-12"))
    yield name
    with psycopg.connect(postgis_dsn, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(name)))


def test_list_tables(postgis_dsn, schema):
    tables = {t.table: t for t in postgis.list_tables(postgis_dsn) if t.schema == schema}
    assert set(tables) == {"panden", 'rare "naam"; DROP TABLE x', "portefeuille"}
    assert tables["panden"].geometry_column == "geom"
    assert tables["panden"].srid == 28992
    assert tables["panden"].geometry_type == "POLYGON"
    assert tables["portefeuille"].geometry_column is None
    assert tables["panden"].name == f"{schema}.panden"


def test_read_table(postgis_dsn, schema):
    gdf = postgis.read_table(postgis_dsn, schema, "panden")
    assert len(gdf) == 5
    assert gdf.crs.to_epsg() == 28992
    assert list(gdf.columns) == ["identificatie", "bouwjaar", "status", "geometry"]
    assert gdf.geometry.iloc[0].equals(shapely.box(85300, 447000, 85310, 447010))


def test_bbox_where_columns_limit(postgis_dsn, schema):
    gdf = postgis.read_table(postgis_dsn, schema, "panden", bbox=(85295, 446990, 85335, 447020))
    assert sorted(gdf["identificatie"]) == ["0503100000000000", "0503100000000001"]
    gdf = postgis.read_table(postgis_dsn, schema, "panden", where={"bouwjaar": 1963}, columns=["identificatie"])
    assert gdf["identificatie"].tolist() == ["0503100000000003"]
    assert list(gdf.columns) == ["identificatie", "geometry"]
    assert len(postgis.read_table(postgis_dsn, schema, "panden", limit=2)) == 2
    # a value that looks like SQL is just a value
    assert postgis.read_table(postgis_dsn, schema, "panden", where={"status": "x' OR '1'='1"}).empty


def test_odd_identifier_and_4326(postgis_dsn, schema):
    gdf = postgis.read_table(postgis_dsn, schema, 'rare "naam"; DROP TABLE x', bbox=(80000, 440000, 90000, 450000))
    assert gdf["naam"].tolist() == ["punt"]
    assert gdf.crs.to_epsg() == 4326


def test_portfolio_without_geometry(postgis_dsn, schema):
    frame = postgis.read_table(postgis_dsn, schema, "portefeuille")
    assert not hasattr(frame, "geometry")
    assert frame["complex"].tolist() == ["C-12", "C-12"]


def test_errors_name_the_problem(postgis_dsn, schema):
    with pytest.raises(DataError, match="bestaat niet"):
        postgis.read_table(postgis_dsn, schema, "geen_tabel")
    with pytest.raises(DataError, match="kolom"):
        postgis.read_table(postgis_dsn, schema, "panden", columns=["geen_kolom"])
    host = postgis_dsn.split("@")[-1].split("/")[0].split(":")[0]
    with pytest.raises(DataError, match="geen verbinding"):
        postgis.list_tables(f"postgresql://postgres:geheim@{host}:9/x")
    assert "geheim" not in postgis.redact("postgresql://postgres:geheim@127.0.0.1:9/x")


def test_reader(postgis_dsn, schema):
    reader = PostGISReader()
    assert reader.can_read(postgis_dsn)
    assert f"{schema}.panden" in reader.list_layers(postgis_dsn)
    raw = reader.read(postgis_dsn, f"{schema}.panden", {"bbox": [85295, 446990, 85315, 447020]})
    assert raw.frame["identificatie"].tolist() == ["0503100000000000"]
    assert raw.crs == "EPSG:28992"
