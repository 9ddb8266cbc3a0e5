"""The HTTP layer of ``gisapp ophalen`` (layers.sources.http) against misbehaving local servers:
retries, limits (stall, trickle, endless body, looping ``next`` links, too many pages), the
disk cache, offline mode, an unreachable server and cancellation. Every failure is one line."""

from __future__ import annotations

import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from layers.errors import DataError
from layers.feedback import CancelledError
from layers.sources.http import DiskCache, HttpClient, HttpError, HttpSettings
from tests.sources.ophalen_replay import send_json as _json

FAST = dict(retries=2, backoff=0.01, max_backoff=0.02, connect_timeout=5.0, read_timeout=5.0)


class _Server:
    """A local server whose handler is ``behave(handler, path, count)``; counts requests per path."""

    def __init__(self, behave):
        self.counts: dict[str, int] = {}
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                return None

            def do_GET(self):  # noqa: N802
                server.counts[self.path] = server.counts.get(self.path, 0) + 1
                try:
                    behave(self, self.path, server.counts[self.path])
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@pytest.fixture
def serve():
    servers = []

    def start(behave):
        server = _Server(behave)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.close()


def _client(tmp_path, **settings) -> HttpClient:
    return HttpClient(HttpSettings(**{**FAST, **settings}), DiskCache(tmp_path / "cache"))


def _one_line(error: Exception) -> str:
    text = str(error)
    assert "\n" not in text
    return text


def test_retries_server_errors_and_429_then_succeeds(serve, tmp_path):
    def behave(handler, path, count):
        if count == 1:
            return _json(handler, 503, {"title": "busy"})
        if count == 2:
            return _json(handler, 429, {"title": "slow down"}, {"Retry-After": "0"})
        return _json(handler, 200, {"ok": True})

    server = serve(behave)
    waits = []
    client = HttpClient(HttpSettings(**FAST), DiskCache(tmp_path / "cache"), sleep=waits.append)
    document, page = client.get_json(server.url + "/a")
    assert document == {"ok": True} and not page.from_cache
    assert server.counts["/a"] == 3
    assert waits == [0.01, 0.02]  # exponential back-off, capped by max_backoff


def test_gives_up_after_the_retries_with_one_line(serve, tmp_path):
    server = serve(lambda h, p, c: _json(h, 502, {"title": "bad gateway"}))
    with pytest.raises(HttpError) as caught:
        _client(tmp_path).get(server.url + "/x")
    assert caught.value.status == 502
    assert server.counts["/x"] == 3  # one try and two retries
    assert server.url in _one_line(caught.value) and "HTTP 502" in str(caught.value)


def test_client_error_is_not_retried(serve, tmp_path):
    server = serve(lambda h, p, c: _json(h, 404, {"title": "not found"}))
    with pytest.raises(HttpError):
        _client(tmp_path).get(server.url + "/missing")
    assert server.counts["/missing"] == 1


def test_a_stalling_server_hits_the_read_timeout(serve, tmp_path):
    release = threading.Event()

    def behave(handler, path, count):
        release.wait(10)  # never answers while the client waits

    server = serve(behave)
    try:
        with pytest.raises(DataError) as caught:
            _client(tmp_path, read_timeout=0.3, retries=0).get(server.url + "/stall")
    finally:
        release.set()
    assert "read_timeout" in _one_line(caught.value) and server.url in str(caught.value)


def test_a_trickling_server_hits_the_layer_deadline(serve, tmp_path):
    stop = threading.Event()

    def behave(handler, path, count):
        handler.send_response(200)
        handler.send_header("Content-Length", "100000")
        handler.end_headers()
        while not stop.is_set():  # one byte every 50 ms: every read is quick, the whole is endless
            handler.wfile.write(b" ")
            handler.wfile.flush()
            time.sleep(0.05)

    server = serve(behave)
    client = _client(tmp_path, layer_deadline=0.5, retries=0)
    try:
        with pytest.raises(DataError) as caught:
            list(client.pages(server.url + "/trickle"))
    finally:
        stop.set()
    assert "layer_deadline" in _one_line(caught.value)


def test_an_endless_body_hits_the_size_limit(serve, tmp_path):
    def behave(handler, path, count):
        handler.send_response(200)
        handler.send_header("Transfer-Encoding", "chunked")
        handler.end_headers()
        chunk = b"x" * 4096
        for _ in range(10_000):  # 40 MB unless the client hangs up first
            handler.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))

    server = serve(behave)
    with pytest.raises(DataError) as caught:
        _client(tmp_path, max_response_bytes=100_000).get(server.url + "/endless")
    assert "max_response_bytes" in _one_line(caught.value)


def test_a_declared_size_above_the_limit_is_refused_before_reading(serve, tmp_path):
    server = serve(lambda h, p, c: _json(h, 200, {"data": "y" * 5000}))
    with pytest.raises(DataError, match="max_response_bytes"):
        _client(tmp_path, max_response_bytes=1000).get(server.url + "/big")


def test_next_links_in_a_loop_are_an_error(serve, tmp_path):
    def behave(handler, path, count):
        other = "/p2" if path.startswith("/p1") else "/p1"
        _json(handler, 200, {"features": [1], "links": [{"rel": "next", "href": handler.server_url + other}]})

    server = serve(behave)
    server.httpd.RequestHandlerClass.server_url = server.url
    with pytest.raises(DataError) as caught:
        list(_client(tmp_path).pages(server.url + "/p1"))
    assert "kring" in _one_line(caught.value)
    assert server.total == 2


def test_too_many_pages(serve, tmp_path):
    def behave(handler, path, count):
        number = int(path.rsplit("/", 1)[1])
        _json(handler, 200, {"links": [{"rel": "next", "href": f"{handler.server_url}/page/{number + 1}"}]})

    server = serve(behave)
    server.httpd.RequestHandlerClass.server_url = server.url
    with pytest.raises(DataError) as caught:
        list(_client(tmp_path, max_pages=4).pages(server.url + "/page/1"))
    assert "max_pages" in _one_line(caught.value)
    assert server.total == 4


def test_cache_serves_a_second_run_and_offline(serve, tmp_path):
    def behave(handler, path, count):
        number = int(path.rsplit("/", 1)[1])
        links = [{"rel": "next", "href": f"{handler.server_url}/page/{number + 1}"}] if number < 3 else []
        _json(handler, 200, {"number": number, "links": links})

    server = serve(behave)
    server.httpd.RequestHandlerClass.server_url = server.url
    first = [doc["number"] for doc, _ in _client(tmp_path).pages(server.url + "/page/1")]
    assert first == [1, 2, 3] and server.total == 3
    again = list(_client(tmp_path).pages(server.url + "/page/1"))
    assert [page.from_cache for _, page in again] == [True, True, True]
    offline = HttpClient(HttpSettings(**FAST), DiskCache(tmp_path / "cache"), offline=True)
    assert [doc["number"] for doc, _ in offline.pages(server.url + "/page/1")] == [1, 2, 3]
    assert server.total == 3  # nothing downloaded twice


def test_an_interrupted_paging_resumes_after_the_last_page(serve, tmp_path):
    state = {"broken": True}

    def behave(handler, path, count):
        number = int(path.rsplit("/", 1)[1])
        if number == 3 and state["broken"]:
            return _json(handler, 503, {"title": "down"})
        links = [{"rel": "next", "href": f"{handler.server_url}/page/{number + 1}"}] if number < 4 else []
        _json(handler, 200, {"number": number, "links": links})

    server = serve(behave)
    server.httpd.RequestHandlerClass.server_url = server.url
    with pytest.raises(HttpError):
        list(_client(tmp_path, retries=0).pages(server.url + "/page/1"))
    state["broken"] = False
    client = _client(tmp_path)
    assert [doc["number"] for doc, _ in client.pages(server.url + "/page/1")] == [1, 2, 3, 4]
    assert server.counts["/page/1"] == 1 and server.counts["/page/2"] == 1  # finished pages not fetched again
    assert client.stats.downloaded == 2 and client.stats.from_cache == 2


def test_offline_without_cache_is_one_line(tmp_path):
    client = HttpClient(HttpSettings(**FAST), DiskCache(tmp_path / "empty"), offline=True)
    with pytest.raises(DataError) as caught:
        client.get("http://127.0.0.1:9/items")
    assert "offline" in _one_line(caught.value)


def test_unreachable_server_is_one_line(tmp_path):
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(DataError) as caught:
        _client(tmp_path, retries=1).get(f"http://127.0.0.1:{port}/items")
    assert "niet bereikbaar" in _one_line(caught.value) and str(port) in str(caught.value)


def test_cancelling_stops_before_the_next_request(serve, tmp_path):
    server = serve(lambda h, p, c: _json(h, 200, {"links": [{"rel": "next", "href": f"{server.url}/n{c}"}]}))

    class Cancel:
        calls = 0

        def is_cancelled(self):
            Cancel.calls += 1
            return Cancel.calls > 3

        def progress(self, fraction, text=""):
            return None

    client = HttpClient(HttpSettings(**FAST), DiskCache(tmp_path / "cache"), feedback=Cancel())
    with pytest.raises(CancelledError):
        list(client.pages(server.url + "/start"))
    assert server.total < 4


def test_settings_are_checked():
    with pytest.raises(ValueError, match="max_pages"):
        HttpSettings(max_pages=0)
    with pytest.raises(ValueError, match="read_timeout"):
        HttpSettings(read_timeout=-1)


def test_fresh_since_downloads_older_cached_pages_again(serve, tmp_path):
    server = serve(lambda h, p, c: _json(h, 200, {"count": c}))
    cache = DiskCache(tmp_path / "cache")
    HttpClient(HttpSettings(**FAST), cache).get(server.url + "/a")
    page = cache.get(server.url + "/a")
    page.opgehaald = "2000-01-01"  # as if downloaded long ago
    cache.put(page)
    assert HttpClient(HttpSettings(**FAST), cache).get(server.url + "/a").from_cache
    fresh = HttpClient(HttpSettings(**FAST), cache, fresh_since="2001-01-01")
    assert fresh.get_json(server.url + "/a")[0] == {"count": 2}
    assert fresh.get(server.url + "/a").from_cache  # downloaded today: now fresh enough
    assert server.counts["/a"] == 2


def _gzip_answer(handler, payload: bytes) -> None:
    import gzip

    body = gzip.compress(payload)
    handler.send_response(200)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Encoding", "gzip")
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def test_gzip_answers_are_unpacked_and_a_gzip_bomb_hits_the_size_limit(serve, tmp_path):
    def behave(handler, path, count):
        assert "gzip" in handler.headers.get("Accept-Encoding", "")
        if path == "/small":
            return _gzip_answer(handler, b'{"features": [1, 2, 3]}')
        return _gzip_answer(handler, b"[" + b" " * 5_000_000 + b"]")  # 5 MB of spaces: a few kB compressed

    server = serve(behave)
    client = _client(tmp_path, max_response_bytes=1_000_000)
    document, page = client.get_json(server.url + "/small")
    assert document == {"features": [1, 2, 3]}
    assert client.cache.get(server.url + "/small").json() == document  # stored unpacked
    with pytest.raises(DataError) as caught:
        client.get(server.url + "/bomb")
    assert "max_response_bytes" in _one_line(caught.value)


def test_cancelling_during_a_back_off_wait(serve, tmp_path):
    server = serve(lambda h, p, c: _json(h, 503, {"title": "busy"}))

    class CancelSoon:
        def __init__(self):
            self.asked = 0

        def is_cancelled(self):
            self.asked += 1
            return self.asked > 2

        def message(self, text):
            return None

    client = HttpClient(HttpSettings(retries=3, backoff=30.0, max_backoff=30.0), DiskCache(tmp_path / "c"),
                        feedback=CancelSoon(), sleep=lambda seconds: None)
    with pytest.raises(CancelledError):
        client.get(server.url + "/busy")
    assert server.counts["/busy"] == 1  # cancelled while waiting 30 s, not after
