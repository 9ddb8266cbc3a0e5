"""Finding 4 of issue 25: a ``PG:`` connection string crashed the tiled scan
(``AttributeError: 'str' object has no attribute 'suffix'``) where the in-memory scan worked.
Every source kind now runs through ``--tegels ja`` as through ``--tegels nee``: in tiles where
the format allows reading by bbox (GeoPackage, GeoJSON, Shapefile, FlatGeobuf), else in memory
with a notice (CSV, a server); the totals are the same either way."""

from __future__ import annotations

import json
import uuid

import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely

from gisapp.cli import main
from tests.faults.conftest import SMALL_TILES

#: The two big layers of the sample project: project key → (file, layer).
BIG = {"gebouwen": ("gebouwen.gpkg", "pand"), "verblijfsobjecten": ("verblijfsobjecten.gpkg", "verblijfsobject")}
KINDS = ["gpkg", "geojson", "shp", "fgb", "csv", "postgis"]


#: GeoJSON has no spatial index: GDAL parses the whole file for every tile, so it gets fewer (still several).
_TILE_PANDEN = {"geojson": 6_000}


@pytest.fixture
def small_tiles(monkeypatch, request):
    """Several tiles on the sample project (as tests.faults.runner does in a child process)."""
    from scans.batch import tiled

    plan = tiled.plan_tiles
    size = _TILE_PANDEN.get(request.node.callspec.params.get("kind"), int(SMALL_TILES))
    assert len(plan((0, 0, 10_000, 10_000), 19_000, size)) >= 3
    monkeypatch.setattr(tiled, "plan_tiles", lambda extent, count, tile_panden=0, halo_m=tiled.HALO_M:
                        plan(extent, count, size, halo_m))


def _convert(project, kind: str, request) -> None:
    """Rewrite the project's gebouwen and verblijfsobjecten as ``kind`` (files beside it, or PostGIS)."""
    folder = project.parent
    text = project.read_text(encoding="utf-8")
    for key, (name, layer) in BIG.items():
        frame = pyogrio.read_dataframe(folder / name, layer=layer)
        if kind == "gpkg":
            continue
        if kind == "postgis":
            dsn = request.getfixturevalue("postgis_dsn")
            path, layer_name = _to_postgis(frame, dsn, key, request)
        elif kind == "csv":
            path, layer_name = f"{key}.csv", None
            table = pd.DataFrame(frame.drop(columns="geometry"))
            table["wkt"] = shapely.to_wkt(frame.geometry.to_numpy(), rounding_precision=-1)
            table.to_csv(folder / path, sep=";", index=False)
        else:
            path, layer_name = f"{key}.{kind}", None
            pyogrio.write_dataframe(frame, folder / path, driver={"geojson": "GeoJSON", "fgb": "FlatGeobuf",
                                                                   "shp": "ESRI Shapefile"}[kind])
        block = f'[layers.{key}]\npath = "{name}"\nlayer = "{layer}"\n'
        assert block in text, block
        new = f"[layers.{key}]\npath = {json.dumps(path)}\n" + (f'layer = "{layer_name}"\n' if layer_name else "")
        text = text.replace(block, new)
    project.write_text(text, encoding="utf-8")


def _to_postgis(frame, dsn: str, key: str, request) -> tuple[str, str]:
    """The frame as a table of a fresh schema (dropped after the test); the path as ``PG:key=value``."""
    import psycopg
    from psycopg import sql
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    schema = f"faults_{uuid.uuid4().hex[:8]}"
    columns = [c for c in frame.columns if c != "geometry"]
    types = {c: "bigint" if pd.api.types.is_integer_dtype(frame[c]) else
             "double precision" if pd.api.types.is_float_dtype(frame[c]) else "text" for c in columns}
    rows = [tuple(None if pd.isna(v) else (v.item() if isinstance(v, np.generic) else v) for v in row) + (wkb,)
            for row, wkb in zip(frame[columns].itertuples(index=False, name=None),
                                shapely.to_wkb(frame.geometry.to_numpy()))]
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
        conn.execute(sql.SQL("CREATE TABLE {}.{} ({}, geom geometry(Geometry, 28992))").format(
            sql.Identifier(schema), sql.Identifier(key),
            sql.SQL(", ").join(sql.SQL("{} {}").format(sql.Identifier(c), sql.SQL(types[c])) for c in columns)))
        with conn.cursor() as cur:
            cur.executemany(sql.SQL("INSERT INTO {}.{} VALUES ({}, ST_GeomFromWKB(%s, 28992))").format(
                sql.Identifier(schema), sql.Identifier(key), sql.SQL(", ").join(sql.Placeholder() * len(columns))), rows)

    def drop():
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))

    request.addfinalizer(drop)
    return "PG:" + make_conninfo(**conninfo_to_dict(dsn)), f"{schema}.{key}"


def _totals(project, out, tegels: str, capsys) -> dict:
    code = main(["scan", str(project), "--out", str(out), "--tegels", tegels, "--processen", "1", "--json"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "interne fout" not in captured.err
    summary = json.loads(captured.out)
    return summary["totals"], summary["tegels"]


@pytest.fixture(scope="module")
def reference():
    """The totals of the first lossless kind, for the others to equal."""
    return {}


@pytest.mark.parametrize("kind", KINDS)
def test_every_source_kind_gives_the_same_totals_in_tiles_and_in_memory(project, tmp_path, kind, small_tiles,
                                                                        request, capsys, reference):
    _convert(project, kind, request)
    in_memory, tiled_flag = _totals(project, tmp_path / "nee.gpkg", "nee", capsys)
    assert not tiled_flag
    in_tiles, tiled_flag = _totals(project, tmp_path / "ja.gpkg", "ja", capsys)
    assert tiled_flag == (kind in ("gpkg", "geojson", "shp", "fgb"))  # CSV and a server: in memory, with a notice
    assert in_tiles == in_memory
    assert in_memory["gebouwen"] > 19_000
    # lossless copies of the GeoPackage give its result (a Shapefile cuts column names to 10 characters,
    # a CSV holds text: their figures may differ from the GeoPackage's, not between ja and nee)
    if kind in ("gpkg", "geojson", "fgb", "postgis"):
        # every reader leaves out the same demolished panden (BAG rules for GeoPackage, GeoJSON,
        # FlatGeobuf and a BAG table in PostGIS alike)
        reference.setdefault("totals", in_memory)
        assert in_memory == reference["totals"]
