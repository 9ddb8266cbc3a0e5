"""Finding 3 of issue 25: an OGC API server that trickles hung the scan, an endless body and
endless ``next`` links grew to gigabytes and ended as "interne fout"; PostGIS had no statement
timeout. The OGC API client now goes through layers.sources.http (its limits), PostGIS has a
connect and a statement timeout; each limit ends in one line naming the URL and the limit.

The misbehaving servers are the ones of tests/sources/test_ophalen_http.py (imported)."""

from __future__ import annotations

import socket
import threading
import time
import uuid

import pytest

from gisapp.cli import main
from layers.errors import DataError
from layers.sources import ogcapi, postgis
from layers.sources.http import HttpSettings
from tests.sources.ophalen_replay import send_json
from tests.sources.test_ophalen_http import serve  # noqa: F401 - the fixture of the HTTP tests

LIMITS = HttpSettings(connect_timeout=2.0, read_timeout=0.5, layer_deadline=2.0, max_response_bytes=200_000,
                      max_pages=50, retries=0)
_RD = "http://www.opengis.net/def/crs/EPSG/0/28992"
_FEATURE = {"type": "Feature", "id": 1, "properties": {"identificatie": "0363100012345678", "bouwjaar": 1930},
            "geometry": {"type": "Polygon", "coordinates": [[[120000, 487000], [120010, 487000], [120010, 487010],
                                                             [120000, 487010], [120000, 487000]]]}}


def _ogc(mode: str, stop: threading.Event):
    """A server that describes one collection ``panden`` and misbehaves on its items as ``mode`` says."""

    def behave(handler, path, count):
        if "/items" not in path:
            send_json(handler, 200, {"collections": [{"id": "panden", "title": "Panden", "crs": [_RD]}]})
            return
        if mode == "stall":
            stop.wait(30)
        elif mode == "trickle":  # one byte every 100 ms: each read is quick, the whole never ends
            handler.send_response(200)
            handler.send_header("Content-Length", "100000")  # below max_response_bytes: the deadline ends it
            handler.end_headers()
            while not stop.is_set():
                handler.wfile.write(b" ")
                handler.wfile.flush()
                time.sleep(0.1)
        elif mode == "endless":  # a body without end (chunked)
            handler.send_response(200)
            handler.send_header("Transfer-Encoding", "chunked")
            handler.end_headers()
            chunk = b" " * 8192
            while not stop.is_set():
                handler.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        elif mode == "loop":  # page a → b → a …
            other = "b" if "page=a" in path else "a"
            send_json(handler, 200, {"type": "FeatureCollection", "features": [_FEATURE], "links": [
                {"rel": "next", "href": f"{handler.server_url}/{mode}/collections/panden/items?f=json&page={other}"}]})
        elif mode == "endless_pages":  # a new page every time, never the last
            send_json(handler, 200, {"type": "FeatureCollection", "features": [_FEATURE], "links": [
                {"rel": "next", "href": f"{handler.server_url}/{mode}/collections/panden/items?f=json&page={count}{path}"}]})

    return behave


CASES = {
    "stall": "read_timeout",
    "trickle": "layer_deadline",
    "endless": "max_response_bytes",
    "loop": "kring",
    "endless_pages": "max_pages",
}


@pytest.mark.parametrize("mode", list(CASES))
def test_ogcapi_limits_end_in_one_line_naming_url_and_limit(serve, mode):  # noqa: F811
    stop = threading.Event()
    server = serve(_ogc(mode, stop))
    server.httpd.RequestHandlerClass.server_url = server.url
    try:
        with pytest.raises(DataError) as caught:
            ogcapi.read_collection(f"{server.url}/{mode}", "panden", limit=1, settings=LIMITS)
    finally:
        stop.set()
    text = str(caught.value)
    assert "\n" not in text and CASES[mode] in text and server.url in text, text


def test_scan_of_a_trickling_ogcapi_layer_is_one_line(serve, tmp_path, monkeypatch, capsys):  # noqa: F811
    stop = threading.Event()
    server = serve(_ogc("trickle", stop))
    monkeypatch.setattr(ogcapi, "DEFAULT_SETTINGS", LIMITS)
    project = tmp_path / "p.toml"
    project.write_text(f'[project]\nname = "p"\n[layers.gebouwen]\npath = "{server.url}/trickle"\nlayer = "panden"\n',
                       encoding="utf-8")
    try:
        code = main(["scan", str(project), "--out", str(tmp_path / "uit.gpkg")])
    finally:
        stop.set()
    err = capsys.readouterr().err.strip()
    lines = [line for line in err.splitlines() if not line.startswith("gisapp: let op:")]  # notices, not errors
    assert code == 2 and len(lines) == 1 and "interne fout" not in err, err
    assert "layer_deadline" in lines[0] and server.url in lines[0]


def test_postgis_server_that_never_answers_hits_the_connect_timeout():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)  # accepts the connection in the kernel, never says a word
    port = listener.getsockname()[1]
    try:
        with pytest.raises(DataError) as caught:
            postgis.list_tables(f"postgresql://bb@127.0.0.1:{port}/db", settings=postgis.PostgisSettings(connect_timeout=1))
    finally:
        listener.close()
    text = str(caught.value)
    assert "\n" not in text and "connect_timeout" in text and f"127.0.0.1:{port}" in text, text


def test_postgis_query_that_runs_on_hits_the_statement_timeout(postgis_dsn):
    import psycopg

    schema = f"faults_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(postgis_dsn, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
        conn.execute(f'CREATE VIEW "{schema}".traag AS SELECT pg_sleep(5)::text AS x, '
                     "ST_SetSRID(ST_MakePoint(120000, 487000), 28992)::geometry(Point, 28992) AS geom")
    try:
        with pytest.raises(DataError) as caught:
            postgis.read_table(postgis_dsn, schema, "traag", settings=postgis.PostgisSettings(statement_timeout=0.5))
    finally:
        with psycopg.connect(postgis_dsn, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
    text = str(caught.value)
    assert "\n" not in text and "statement_timeout" in text and "0.5 s" in text, text
    assert "password" not in text.lower() or "***" in text
