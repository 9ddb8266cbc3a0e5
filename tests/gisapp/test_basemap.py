"""The background map: RD tile math, the tile cache, the canvas item, offline files, reference layers.

A local HTTP server in a thread serves fixture tiles made in the test; no test uses the internet.
"""

from __future__ import annotations

import dataclasses
import io
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import pytest

from layers.sources.basemap import BasemapSetting, basemap_pieces, read_basemap_window
from layers.sources.wmts import RD_TILE_MATRIX, TileError, TileFetcher, TileService, load_services

TILE_COLOUR = (30, 140, 60)


def _png(colour=TILE_COLOUR, size=256) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (size, size), colour).save(buffer, format="PNG")
    return buffer.getvalue()


class _TileServer:
    """Serves ``/tiles/{z}/{x}/{y}.png`` (one colour) and counts the requests."""

    def __init__(self):
        self.requests: list[str] = []
        tile = _png()
        server_self = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server's name
                server_self.requests.append(self.path)
                if not self.path.startswith("/tiles/"):
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", str(len(tile)))
                self.end_headers()
                self.wfile.write(tile)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/tiles/{{z}}/{{x}}/{{y}}.png"

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def tile_server():
    server = _TileServer()
    yield server
    server.close()


@pytest.fixture
def service(tile_server) -> TileService:
    return TileService(key="test", label="Test", url=tile_server.url, attribution="Kaartgegevens © Test", max_zoom=14)


# --------------------------------------------------------------------------- tile math


@pytest.mark.parametrize(
    ("x", "y", "z", "expected"),
    [
        (155000.0, 463000.0, 0, (0, 0)),  # Amersfoort: the whole country is tile 0 of matrix 0
        (-285401.92, 903401.92, 5, (0, 0)),  # the origin is the top-left corner of tile (0, 0)
        (155000.0, 463000.0, 10, (512, 512)),  # 860.16 m per tile: (155000 + 285401.92) / 860.16 = 512.0
        (155000.0, 462999.0, 10, (512, 512)),
        (154999.0, 463001.0, 10, (511, 511)),
        (0.0, 300000.0, 3, (2, 5)),
    ],
)
def test_tile_for_point_in_the_rd_matrix(x, y, z, expected):
    assert RD_TILE_MATRIX.tile_for_point(x, y, z) == expected


def test_tile_bounds_contain_the_point_and_resolutions_halve():
    z = 12
    col, row = RD_TILE_MATRIX.tile_for_point(121234.5, 487654.3, z)
    xmin, ymin, xmax, ymax = RD_TILE_MATRIX.tile_bounds(z, col, row)
    assert xmin <= 121234.5 < xmax and ymin < 487654.3 <= ymax
    assert xmax - xmin == pytest.approx(0.84 * 256)
    assert RD_TILE_MATRIX.resolution(14) == pytest.approx(0.21)
    assert RD_TILE_MATRIX.zoom_for(3.36) == 10
    assert RD_TILE_MATRIX.zoom_for(3.0) == 11  # sharper than asked, never blurrier
    assert RD_TILE_MATRIX.zoom_for(0.01, max_zoom=14) == 14


def test_tiles_covering_a_view():
    bounds = (120000.0, 480000.0, 121000.0, 481000.0)
    tiles = RD_TILE_MATRIX.tiles_covering(bounds, 11)  # 430.08 m per tile
    cols = {c for _, c, _ in tiles}
    rows = {r for _, _, r in tiles}
    assert len(tiles) == len(cols) * len(rows) and 9 <= len(tiles) <= 16
    with pytest.raises(ValueError, match="tegels"):
        RD_TILE_MATRIX.tiles_covering((0.0, 300000.0, 280000.0, 620000.0), 14)


def test_shipped_services_are_pdok_wmts_in_rd(tmp_path):
    services = load_services(user_file=tmp_path / "none.toml")
    assert {"brt_standaard", "brt_grijs", "luchtfoto"} <= set(services)
    assert "EPSG:28992/{z}/{x}/{y}" in services["brt_grijs"].url
    assert "Kadaster" in services["brt_standaard"].attribution
    assert "Beeldmateriaal" in services["luchtfoto"].attribution
    user = tmp_path / "basemaps.toml"
    user.write_text('[services.brt_grijs]\nlabel = "Eigen"\nurl = "http://localhost/{z}/{x}/{y}.png"\n', encoding="utf-8")
    overridden = load_services(user_file=user)
    assert overridden["brt_grijs"].url == "http://localhost/{z}/{x}/{y}.png"
    assert overridden["luchtfoto"].url == services["luchtfoto"].url


# --------------------------------------------------------------------------- fetch and cache


def test_fetch_stores_tiles_and_the_second_fetch_is_a_cache_hit(tile_server, service, tmp_path):
    fetcher = TileFetcher(service, tmp_path / "cache", timeout=5)
    first = fetcher.fetch(10, 512, 511)
    assert first.startswith(b"\x89PNG")
    assert len(tile_server.requests) == 1
    assert fetcher.cache_path(10, 512, 511).is_file()
    again = TileFetcher(service, tmp_path / "cache").fetch(10, 512, 511)
    assert again == first
    assert len(tile_server.requests) == 1  # served from the disk cache


def test_cache_dir_from_environment(monkeypatch, tmp_path, service):
    monkeypatch.setenv("BB_CACHE_DIR", str(tmp_path / "elders"))
    assert TileFetcher(service).cache_path(3, 1, 2).is_relative_to(tmp_path / "elders")


def test_unreachable_service_is_a_tile_error(tmp_path, tile_server):
    broken = TileService(key="x", label="x", url=tile_server.url.replace("/tiles/", "/missing/"), attribution="")
    with pytest.raises(TileError, match="HTTP 404"):
        TileFetcher(broken, tmp_path).fetch(0, 0, 0)


def test_report_pieces_come_from_the_cache_only(tile_server, service, tmp_path):
    bounds = (120000.0, 480000.0, 121000.0, 481000.0)
    services = {"test": service}
    pieces, attribution = basemap_pieces(BasemapSetting(service="test"), tmp_path, bounds, 400, 400,
                                         services=services, cache_dir=tmp_path / "c")
    assert pieces == [] and attribution == "" and tile_server.requests == []  # nothing cached: no network
    fetcher = TileFetcher(service, tmp_path / "c")
    z = RD_TILE_MATRIX.zoom_for(1000.0 / 400, service.max_zoom)
    for tile in RD_TILE_MATRIX.tiles_covering(bounds, z):
        fetcher.fetch(*tile)
    pieces, attribution = basemap_pieces(BasemapSetting(service="test"), tmp_path, bounds, 400, 400,
                                         services=services, cache_dir=tmp_path / "c")
    assert pieces and attribution == "Kaartgegevens © Test"
    assert tuple(pieces[0][1][0, 0, :3]) == TILE_COLOUR


# --------------------------------------------------------------------------- offline files


def _rgb_geotiff(path: Path, bounds=(120000.0, 480000.0, 121000.0, 481000.0), colour=(200, 30, 30)) -> Path:
    import rasterio
    from rasterio.transform import from_bounds

    data = np.empty((3, 100, 100), dtype=np.uint8)
    for band, value in enumerate(colour):
        data[band] = value
    data[:, :10, :10] = 0  # a dark corner: the image is read in its own orientation
    with rasterio.open(path, "w", driver="GTiff", width=100, height=100, count=3, dtype="uint8", crs="EPSG:28992",
                       transform=from_bounds(*bounds, 100, 100)) as ds:
        ds.write(data)
    return path


def _mbtiles(path: Path, tmp_path: Path) -> Path:
    """An MBTiles file (Web Mercator, as MBTiles are) made by GDAL from an RGB GeoTIFF."""
    import rasterio
    import rasterio.shutil
    from rasterio.warp import calculate_default_transform, reproject

    source = _rgb_geotiff(tmp_path / "bron.tif")
    mercator = tmp_path / "mercator.tif"
    with rasterio.open(source) as src:
        transform, width, height = calculate_default_transform(src.crs, "EPSG:3857", src.width, src.height, *src.bounds)
        profile = src.profile | {"crs": "EPSG:3857", "transform": transform, "width": width, "height": height}
        with rasterio.open(mercator, "w", **profile) as dst:
            for band in (1, 2, 3):
                reproject(rasterio.band(src, band), rasterio.band(dst, band))
    rasterio.shutil.copy(mercator, path, driver="MBTiles")
    return path


def _gpkg_tiles(path: Path, tmp_path: Path) -> Path:
    """A GeoPackage with a tile table (GDAL's GPKG raster driver) next to a vector table."""
    import geopandas as gpd
    import rasterio.shutil
    from shapely.geometry import Point

    gpd.GeoDataFrame({"a": [1]}, geometry=[Point(120500, 480500)], crs="EPSG:28992").to_file(path, layer="punten")
    rasterio.shutil.copy(_rgb_geotiff(tmp_path / "voor_gpkg.tif"), path, driver="GPKG",
                         RASTER_TABLE="luchtfoto", APPEND_SUBDATASET="YES")
    return path


def test_offline_geotiff_mbtiles_and_geopackage_tiles_read_as_colour(tmp_path):
    view = (119500.0, 479500.0, 121500.0, 481500.0)
    for path in (_rgb_geotiff(tmp_path / "kaart.tif"), _mbtiles(tmp_path / "kaart.mbtiles", tmp_path),
                 _gpkg_tiles(tmp_path / "kaart.gpkg", tmp_path)):
        rgba = read_basemap_window(path, view, 200, 200)
        assert rgba.shape == (200, 200, 4)
        assert tuple(rgba[100, 100]) == (200, 30, 30, 255), path.suffix
        assert rgba[2, 2, 3] == 0  # outside the file: transparent


# --------------------------------------------------------------------------- the canvas


def _non_white(image) -> np.ndarray:
    from PySide6.QtGui import QImage

    image = image.convertToFormat(QImage.Format.Format_RGBA8888)
    array = np.frombuffer(image.constBits(), dtype=np.uint8).reshape(image.height(), image.bytesPerLine() // 4, 4)
    return array[:, : image.width(), :3].copy()  # the QImage owns the bytes and goes away


@pytest.mark.gui
def test_canvas_shows_tiles_from_the_server_with_attribution(qtbot, canvas, tile_server, service, tmp_path):
    from gisapp.basemap import TileSource

    canvas.zoom_to_extent((120000.0, 480000.0, 121000.0, 481000.0))
    before = _non_white(canvas.grab().toImage())
    assert (before == 255).all(axis=-1).mean() > 0.9  # an empty map is white
    canvas.set_basemap(TileSource(service, tmp_path / "cache"))
    qtbot.waitUntil(canvas.basemap_item().is_complete, timeout=10000)
    assert canvas.attribution_text() == "Kaartgegevens © Test"
    pixels = _non_white(canvas.grab().toImage())
    green = (pixels == TILE_COLOUR).all(axis=-1)
    assert green.mean() > 0.8, "the basemap tiles cover the map"
    requests = len(tile_server.requests)
    assert requests >= 1
    canvas.set_basemap(None)
    assert canvas.attribution_text() == ""
    canvas.set_basemap(TileSource(service, tmp_path / "cache"))
    qtbot.waitUntil(canvas.basemap_item().is_complete, timeout=10000)
    assert len(tile_server.requests) == requests  # the second time from the disk cache


@pytest.mark.gui
def test_canvas_shows_an_offline_mbtiles_basemap(qtbot, canvas, tmp_path):
    from gisapp.basemap import FileSource

    path = _mbtiles(tmp_path / "kaart.mbtiles", tmp_path)
    canvas.zoom_to_extent((120000.0, 480000.0, 121000.0, 481000.0))
    canvas.set_basemap(FileSource(path))
    qtbot.waitUntil(canvas.basemap_item().is_complete, timeout=10000)
    pixels = _non_white(canvas.grab().toImage())
    red = (np.abs(pixels.astype(int) - (200, 30, 30)).sum(axis=-1) < 30)
    assert red.mean() > 0.5


# --------------------------------------------------------------------------- reference layers and RGB rasters


def _reference_project(tmp_path: Path) -> Path:
    import geopandas as gpd
    from shapely.geometry import box

    frame = gpd.GeoDataFrame({"identificatie": ["0503100000000001"], "bouwjaar": [1970], "opmerking": ["plan"]},
                             geometry=[box(120100, 480100, 120400, 480400)], crs="EPSG:28992")
    frame.to_file(tmp_path / "plankaart.gpkg", layer="plan", driver="GPKG")
    _rgb_geotiff(tmp_path / "luchtfoto.tif")
    (tmp_path / "p.toml").write_text(
        '[project]\nname = "Referentie"\nformat_version = 1\n'
        '[layers.luchtfoto]\nrole = "referentie"\npath = "luchtfoto.tif"\n'
        '[layers.plankaart]\nrole = "referentie"\npath = "plankaart.gpkg"\n'
        '[settings.basemap]\nservice = "brt_grijs"\n',
        encoding="utf-8",
    )
    return tmp_path / "p.toml"


def test_reference_layers_load_unmapped_and_round_trip(tmp_path):
    from layers.project import load_project
    from layers.roles import REFERENCE_ROLE

    project = load_project(_reference_project(tmp_path))
    photo, plan = project.layer("luchtfoto"), project.layer("plankaart")
    assert photo.role == plan.role == REFERENCE_ROLE
    # an RGB GeoTIFF keeps its three bands as colours (not band 1 alone)
    assert photo.raster.rgba is not None and photo.raster.rgba.shape == (100, 100, 4)
    assert tuple(photo.raster.rgba[50, 50]) == (200, 30, 30, 255)
    assert tuple(photo.raster.rgba[0, 0, :3]) == (0, 0, 0)
    # no role guessed, no column renamed ("identificatie" would become pand_id for gebouwen)
    assert "identificatie" in plan.data.columns and "pand_id" not in plan.data.columns
    assert BasemapSetting.from_settings(project.settings) == BasemapSetting(service="brt_grijs")
    project.save(tmp_path / "kopie.toml")
    again = load_project(tmp_path / "kopie.toml")
    assert again.sources["luchtfoto"].role == again.sources["plankaart"].role == REFERENCE_ROLE
    assert again.layer("plankaart").role == REFERENCE_ROLE
    assert BasemapSetting.from_settings(again.settings) == BasemapSetting(service="brt_grijs")


def test_unknown_role_is_still_an_error(tmp_path):
    from layers.errors import DataError
    from layers.project import load_project

    _rgb_geotiff(tmp_path / "luchtfoto.tif")
    (tmp_path / "p.toml").write_text('[project]\nname = "x"\n[layers.luchtfoto]\npath = "luchtfoto.tif"\n', encoding="utf-8")
    with pytest.raises(DataError, match="onbekende rol 'luchtfoto'.*referentie"):
        load_project(tmp_path / "p.toml")


@pytest.mark.gui
def test_window_draws_an_rgb_reference_layer_and_keeps_the_basemap_choice(qtbot, fresh_window, tmp_path, tile_server,
                                                                          service, monkeypatch):
    from gisapp.basemap import TileSource

    monkeypatch.setenv("BB_CACHE_DIR", str(tmp_path / "cache"))
    path = _reference_project(tmp_path)
    window = fresh_window
    # the local server stands in for PDOK
    window.basemap_menu.services["brt_grijs"] = dataclasses.replace(service, key="brt_grijs")
    assert window.open_project(path)
    qtbot.waitUntil(lambda: window.project.layer("luchtfoto") is not None and len(window.project.layers) == 2, timeout=20000)
    qtbot.waitUntil(lambda: isinstance(window.canvas.basemap_source(), TileSource), timeout=10000)
    assert window.basemap_menu.actions["brt_grijs"].isChecked()
    window.canvas.zoom_to_extent((120000.0, 480000.0, 121000.0, 481000.0))
    qtbot.waitUntil(window.canvas.basemap_item().is_complete, timeout=10000)
    pixels = _non_white(window.canvas.grab().toImage())
    red = (np.abs(pixels.astype(int) - (200, 30, 30)).sum(axis=-1) < 30).mean()
    green = (pixels == TILE_COLOUR).all(axis=-1).mean()
    assert red > 0.2, "the RGB GeoTIFF is drawn in its colours"
    assert green > 0.02, "the basemap shows around it"
    window.basemap_menu.actions["geen"].trigger()
    assert window.canvas.basemap_source() is None and "basemap" not in window.project.settings
    window.basemap_menu.actions["luchtfoto"].trigger()
    assert window.project.settings["basemap"] == {"service": "luchtfoto"}
    window.canvas.set_basemap(None)  # no request to the real PDOK from a test


# --------------------------------------------------------------------------- report maps


def test_report_map_draws_the_basemap_from_file_and_cache_only(tmp_path, tile_server, monkeypatch):
    import geopandas as gpd
    from matplotlib.image import imread
    from shapely.geometry import box

    import styles
    from gisapp.reports.maps import project_basemap, render_map
    from layers.project import Project

    frame = gpd.GeoDataFrame({"a": [1]}, geometry=[box(120400, 480400, 120600, 480600)], crs="EPSG:28992")
    layers = [(frame, styles.SingleSymbol(styles.SymbolStyle(fill="#00000000", stroke="#000000ff")))]
    extent = (120000.0, 480000.0, 121000.0, 481000.0)
    project = Project(name="p", path=tmp_path / "p.toml")
    plain = imread(render_map(layers, tmp_path / "leeg.png", extent=extent, basemap=project_basemap(project), dpi=60))
    _rgb_geotiff(tmp_path / "achtergrond.tif")
    BasemapSetting(path="achtergrond.tif").store(project.settings)
    png = imread(render_map(layers, tmp_path / "kaart.png", extent=extent, basemap=project_basemap(project), dpi=60))
    red = (np.abs(png[..., :3] - np.array([200, 30, 30]) / 255).sum(axis=-1) < 0.1).mean()
    assert red > 0.2 and (np.abs(plain[..., :3] - np.array([200, 30, 30]) / 255).sum(axis=-1) < 0.1).mean() == 0

    # a tile service: only what is cached, never the network (an empty cache draws no background)
    monkeypatch.setenv("BB_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("BB_BASEMAPS", str(tmp_path / "basemaps.toml"))
    (tmp_path / "basemaps.toml").write_text(
        f'[services.brt_grijs]\nlabel = "x"\nurl = "{tile_server.url}"\nattribution = "Kaartgegevens © Test"\n', encoding="utf-8")
    BasemapSetting(service="brt_grijs").store(project.settings)
    render_map(layers, tmp_path / "tegels.png", extent=extent, basemap=project_basemap(project), dpi=60)
    assert tile_server.requests == []


@pytest.mark.gui
def test_exported_map_image_has_the_cached_basemap(qtbot, canvas, tile_server, service, tmp_path):
    from gisapp.basemap import TileSource

    extent = (120000.0, 480000.0, 121000.0, 481000.0)
    fetcher = TileFetcher(service, tmp_path / "cache")
    for z in range(9, 14):  # the export's tile level lies in here, all on disk beforehand
        for tile in RD_TILE_MATRIX.tiles_covering((119500.0, 479500.0, 121500.0, 481500.0), z):
            fetcher.fetch(*tile)
    requests = len(tile_server.requests)
    canvas.zoom_to_extent(extent)
    canvas.set_basemap(TileSource(service, tmp_path / "cache"))
    # straight away, before the worker threads' tiles reach the map: the export reads the disk cache
    pixels = _non_white(canvas.render_to_image(1200, 900))
    assert (pixels == TILE_COLOUR).all(axis=-1).mean() > 0.8, "the exported image shows the background map"
    assert len(tile_server.requests) == requests  # the export did not go to the network


@pytest.mark.gui
def test_an_unreachable_service_says_so_once_and_keeps_the_window_working(qtbot, fresh_window, tmp_path, tile_server):
    from gisapp.basemap import TileSource

    broken = TileService(key="brt_grijs", label="x", url=tile_server.url.replace("/tiles/", "/weg/"), attribution="a")
    window = fresh_window
    window.basemap_menu.services["brt_grijs"] = broken
    window.canvas.zoom_to_extent((120000.0, 480000.0, 121000.0, 481000.0))
    window.basemap_menu.actions["brt_grijs"].trigger()
    assert isinstance(window.canvas.basemap_source(), TileSource)
    qtbot.waitUntil(lambda: "tegels niet op te halen" in window.statusBar().currentMessage(), timeout=10000)
    assert "HTTP 404" in window.statusBar().currentMessage()
    item = window.canvas.basemap_item()
    qtbot.waitUntil(lambda: not item.is_loading(), timeout=10000)
    asked = len(tile_server.requests)
    view = (window.canvas.current_extent(), window.canvas.map_units_per_pixel(), (400, 300))
    item.request(*view)  # the same view again
    qtbot.waitUntil(lambda: not item.is_loading(), timeout=10000)
    assert len(tile_server.requests) == asked  # failed tiles are not asked again for this map
    window.basemap_menu.actions["geen"].trigger()
