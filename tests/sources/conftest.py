"""Real local servers for the source tests: pygeoapi (OGC API Features) and PostgreSQL/PostGIS.

Both listen on 127.0.0.1 only. Without the server software the tests are skipped, except on
CI (``CI=true``), where they must run.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import geopandas as gpd
import pytest
import shapely

REPO = Path(__file__).resolve().parents[2]
ON_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _unavailable(reason: str):
    if ON_CI:
        pytest.fail(f"{reason} (op CI moeten de servertests draaien)")
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


_CONFIG = """\
server:
  bind: {{host: 127.0.0.1, port: {port}}}
  url: http://127.0.0.1:{port}
  mimetype: application/json; charset=UTF-8
  encoding: utf-8
  language: nl-NL
  limits: {{default_items: 10, max_items: 1000}}
  map:
    url: "http://127.0.0.1/{{z}}/{{x}}/{{y}}.png"
    attribution: test
logging: {{level: ERROR}}
metadata:
  identification: {{title: test, description: test, keywords: [test], keywords_type: theme, terms_of_service: none, url: "http://127.0.0.1"}}
  license: {{name: CC0, url: "http://127.0.0.1"}}
  provider: {{name: test, url: "http://127.0.0.1"}}
  contact: {{name: test}}
resources:
  buurten:
    type: collection
    title: Buurten
    description: buurten in RD New, zoals PDOK ze aanbiedt
    keywords: [buurten]
    extents:
      spatial: {{bbox: [4.5, 52.5, 5.0, 52.8], crs: "http://www.opengis.net/def/crs/OGC/1.3/CRS84"}}
    providers:
      - type: feature
        name: GeoJSON
        data: {rd}
        id_field: id
        crs: ["http://www.opengis.net/def/crs/OGC/1.3/CRS84", "http://www.opengis.net/def/crs/EPSG/0/28992"]
        storage_crs: "http://www.opengis.net/def/crs/EPSG/0/28992"
  panden_wgs84:
    type: collection
    title: Panden (alleen CRS84)
    description: een server zonder RD New
    keywords: [panden]
    extents:
      spatial: {{bbox: [4.5, 52.5, 5.0, 52.8], crs: "http://www.opengis.net/def/crs/OGC/1.3/CRS84"}}
    providers:
      - type: feature
        name: GeoJSON
        data: {wgs84}
        id_field: id
"""

N_BUURTEN = 25


@pytest.fixture(scope="session")
def ogc_server(tmp_path_factory):
    """A pygeoapi server on 127.0.0.1 serving 'buurten' (RD New offered) and 'panden_wgs84'."""
    try:
        import pygeoapi  # noqa: F401
    except ImportError:
        _unavailable("pygeoapi is niet geïnstalleerd")
    folder = tmp_path_factory.mktemp("pygeoapi")
    buurten = gpd.GeoDataFrame(
        {"id": [str(i) for i in range(N_BUURTEN)], "buurtcode": [f"BU0361{i:04d}" for i in range(N_BUURTEN)],
         "buurtnaam": [f"Buurt {i}" for i in range(N_BUURTEN)], "water": ["NEE"] * N_BUURTEN,
         "aantal_inwoners": [-99997 if i == 3 else 100 * i for i in range(N_BUURTEN)]},
        geometry=[shapely.box(110000 + i * 100, 515000, 110090 + i * 100, 515090) for i in range(N_BUURTEN)],
        crs=28992,
    )
    rd = folder / "buurten_rd.geojson"
    rd.write_text(buurten.to_json(), encoding="utf-8")
    panden = gpd.GeoDataFrame(
        {"id": ["1", "2", "3"], "identificatie": ["0361100000000001", "0361100000000002", "0361100000000003"],
         "bouwjaar": [1970, 9999, 1980], "status": ["Pand in gebruik", "Pand in gebruik", "Pand gesloopt"]},
        geometry=[shapely.box(110000 + i * 20, 515000, 110010 + i * 20, 515010) for i in range(3)],
        crs=28992,
    ).to_crs(4326)
    wgs84 = folder / "panden.geojson"
    wgs84.write_text(panden.to_json(), encoding="utf-8")
    port = _free_port()
    config = folder / "config.yml"
    config.write_text(_CONFIG.format(port=port, rd=rd, wgs84=wgs84), encoding="utf-8")
    openapi = folder / "openapi.yml"
    env = {**os.environ, "PYGEOAPI_CONFIG": str(config), "PYGEOAPI_OPENAPI": str(openapi)}
    subprocess.run([sys.executable, "-c", "import sys; from pygeoapi import cli; sys.exit(cli())",
                    "openapi", "generate", str(config), "--output-file", str(openapi)],
                   env=env, check=True, capture_output=True)
    log = open(folder / "server.log", "wb")
    process = subprocess.Popen(
        [sys.executable, "-c", f"from pygeoapi.flask_app import APP; APP.run('127.0.0.1', {port}, threaded=True)"],
        env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"{url}/collections?f=json", timeout=2):
                break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                _unavailable(f"pygeoapi start niet: {(folder / 'server.log').read_text(errors='replace')[-500:]}")
            time.sleep(0.2)
    yield url
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()


def _services(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", str(REPO / ".ci" / "services"), *args], capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="session")
def postgis_dsn():
    """DSN of a PostGIS test database (``BB_TEST_PG_DSN``, else the cluster of ``.ci/services``).

    Started here when not running; stopped again at the end only when this fixture started it.
    """
    try:
        import psycopg
    except ImportError:
        _unavailable("psycopg is niet geïnstalleerd")
    dsn = os.environ.get("BB_TEST_PG_DSN")
    started = False
    if not dsn:
        if _services("status").returncode != 0:
            result = _services("start")
            if result.returncode != 0:
                _unavailable(f"PostgreSQL/PostGIS start niet: {result.stderr.strip()[-500:]}")
            started = True
        dsn = _services("dsn").stdout.strip()
    try:
        with psycopg.connect(dsn, connect_timeout=5) as conn:
            conn.execute("SELECT postgis_version()")
    except psycopg.Error as exc:
        _unavailable(f"geen PostGIS-database op {dsn}: {exc}")
    yield dsn
    if started:
        _services("stop")
