"""Remote sources through the project file and ``gisapp info``: OGC API and PostGIS, real servers."""

from __future__ import annotations

import json

import geopandas as gpd
import shapely

from gisapp.cli import main
from layers.project import load_project


def test_project_layer_from_ogc_api(ogc_server, tmp_path):
    toml = tmp_path / "p.toml"
    toml.write_text(
        f'[project]\nname = "Remote"\n[layers.buurten]\nrole = "gebieden"\npath = "{ogc_server}"\nlayer = "buurten"\n',
        encoding="utf-8",
    )
    project = load_project(toml)
    layer = project.layer("buurten")
    assert len(layer.data) > 0
    assert layer.data.crs.to_epsg() == 28992
    assert layer.data["gebied_code"].str.startswith("BU0361").all()
    assert project.external_sources()[0][0] == "buurten"


def test_info_on_an_ogc_api_collection_url(ogc_server, capsys):
    assert main(["info", f"{ogc_server}/collections/panden_wgs84", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["count"] >= 2
    assert data["role"] == "gebouwen"


def test_project_layer_from_postgis(postgis_dsn, tmp_path):
    import psycopg

    gdf = gpd.GeoDataFrame(
        {"pand_id": ["0361100000000001", "0361100000000002"], "complex": ["Complex A", "Complex B"]},
        geometry=[shapely.box(110000, 515000, 110010, 515010), shapely.box(110020, 515000, 110030, 515010)],
        crs=28992,
    )
    with psycopg.connect(postgis_dsn) as conn:
        conn.execute("DROP TABLE IF EXISTS public.bb_remote_panden")
        conn.execute("CREATE TABLE public.bb_remote_panden (pand_id text, complex text, geom geometry(Polygon, 28992))")
        with conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO public.bb_remote_panden VALUES (%s, %s, ST_GeomFromText(%s, 28992))",
                [(p, c, g.wkt) for p, c, g in zip(gdf.pand_id, gdf.complex, gdf.geometry)],
            )
    toml = tmp_path / "p.toml"
    toml.write_text(
        f'[project]\nname = "PG"\n[layers.gebouwen]\npath = "{postgis_dsn}"\nlayer = "public.bb_remote_panden"\n',
        encoding="utf-8",
    )
    project = load_project(toml)
    data = project.layer("gebouwen").data
    assert sorted(data["pand_id"]) == ["0361100000000001", "0361100000000002"]
