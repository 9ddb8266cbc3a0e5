"""Background map tiles from a WMTS service in the Dutch RD tile matrix set, with a disk cache.

Qt-free. PDOK serves its background maps (BRT-Achtergrondkaart, Luchtfoto) in the tile matrix set
``EPSG:28992`` of the *Nederlandse richtlijn tiling*: top-left origin (−285 401,92; 903 401,92),
256 × 256 px tiles, 3 440,64 m per pixel at matrix 0, halving per matrix. The services are listed in
``basemaps.toml`` next to this module (a user file overrides them, see :func:`load_services`).

Fetching is synchronous with a timeout (the app calls :meth:`TileFetcher.fetch` from worker
threads; a report calls :meth:`TileFetcher.cached` only, never the network). Tiles are kept on disk
under :func:`default_cache_dir` (``BB_CACHE_DIR`` overrides it), one file per tile.
"""

from __future__ import annotations

import math
import os
import sys
import tempfile
import tomllib
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from layers.errors import DataError
from layers.texts import Translatable

#: The shipped service list.
SHIPPED_SERVICES = Path(__file__).with_name("basemaps.toml")
_USER_AGENT = "beter-benutten (achtergrondkaart)"
#: Seconds to wait for a connection and for each read of a tile.
DEFAULT_TIMEOUT = 10.0
#: A view never asks for more tiles than this (a huge screen at a deep zoom).
MAX_TILES = 400


@dataclass(frozen=True)
class TileMatrixSet:
    """A quadtree of square tiles with a top-left origin.

    Parameters
    ----------
    origin_x, origin_y : top-left corner of tile (0, 0) of every matrix, in metres.
    resolution0 : metres per pixel of matrix 0; matrix ``z`` has ``resolution0 / 2**z``.
    tile_size : pixels per tile side.
    levels : number of matrices (0 … levels − 1).
    crs : the CRS of the coordinates.
    """

    origin_x: float
    origin_y: float
    resolution0: float
    tile_size: int = 256
    levels: int = 17
    crs: str = "EPSG:28992"

    def resolution(self, z: int) -> float:
        """Metres per pixel of matrix ``z``."""
        return self.resolution0 / (2**z)

    def tile_span(self, z: int) -> float:
        """Metres covered by one tile side at matrix ``z``."""
        return self.resolution(z) * self.tile_size

    def tile_for_point(self, x: float, y: float, z: int) -> tuple[int, int]:
        """(column, row) of the tile of matrix ``z`` holding point (x, y); rows count downwards."""
        span = self.tile_span(z)
        return int(math.floor((x - self.origin_x) / span)), int(math.floor((self.origin_y - y) / span))

    def tile_bounds(self, z: int, col: int, row: int) -> tuple[float, float, float, float]:
        """(xmin, ymin, xmax, ymax) of a tile in metres."""
        span = self.tile_span(z)
        xmin = self.origin_x + col * span
        ymax = self.origin_y - row * span
        return (xmin, ymax - span, xmin + span, ymax)

    def zoom_for(self, metres_per_pixel: float, max_zoom: int | None = None) -> int:
        """The coarsest matrix at least as sharp as ``metres_per_pixel``, within 0 … ``max_zoom``."""
        top = self.levels - 1 if max_zoom is None else min(int(max_zoom), self.levels - 1)
        if not metres_per_pixel > 0 or not math.isfinite(metres_per_pixel):
            return 0
        # a small tolerance: a view at exactly a matrix resolution uses that matrix
        z = math.ceil(math.log2(self.resolution0 / metres_per_pixel) - 1e-6)
        return max(0, min(top, z))

    def tiles_covering(self, bounds: tuple[float, float, float, float], z: int) -> list[tuple[int, int, int]]:
        """(z, col, row) of every tile of matrix ``z`` meeting ``bounds``, centre first.

        Raises ``ValueError`` when more than :data:`MAX_TILES` would be needed.
        """
        xmin, ymin, xmax, ymax = bounds
        n = 2**z
        c0, r0 = self.tile_for_point(xmin, ymax, z)
        c1, r1 = self.tile_for_point(xmax, ymin, z)
        c0, r0, c1, r1 = max(c0, 0), max(r0, 0), min(c1, n - 1), min(r1, n - 1)
        if c1 < c0 or r1 < r0:
            return []
        count = (c1 - c0 + 1) * (r1 - r0 + 1)
        if count > MAX_TILES:
            raise ValueError(Translatable("{count} tegels voor dit beeld, meer dan {most}", count=count, most=MAX_TILES))
        cc, rc = (c0 + c1) / 2, (r0 + r1) / 2
        tiles = [(z, c, r) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)]
        return sorted(tiles, key=lambda t: (t[1] - cc) ** 2 + (t[2] - rc) ** 2)


#: The RD tile matrix set PDOK serves (Nederlandse richtlijn tiling 1.1, "EPSG:28992").
RD_TILE_MATRIX = TileMatrixSet(origin_x=-285401.92, origin_y=903401.92, resolution0=3440.64)


@dataclass(frozen=True)
class TileService:
    """One background map service.

    Parameters
    ----------
    key : short name (``brt_grijs``), also the cache folder.
    label, label_en : name in the menu (Dutch, English).
    url : template with ``{z}``, ``{x}`` (column) and ``{y}`` (row from the top).
    attribution : text shown on the map and in reports.
    max_zoom : deepest matrix the service has.
    """

    key: str
    label: str
    url: str
    attribution: str
    max_zoom: int = 14
    label_en: str = ""
    matrix: TileMatrixSet = RD_TILE_MATRIX

    def tile_url(self, z: int, col: int, row: int) -> str:
        return self.url.format(z=z, x=col, y=row)

    @property
    def extension(self) -> str:
        tail = self.url.rsplit("/", 1)[-1]
        ext = tail.rsplit(".", 1)[-1].lower() if "." in tail else ""
        return ext if ext.isalnum() and len(ext) <= 5 else "img"


def user_services_file() -> Path:
    """The user's service file: ``$BB_BASEMAPS``, else ``<config folder>/beter-benutten/basemaps.toml``."""
    if os.environ.get("BB_BASEMAPS"):
        return Path(os.environ["BB_BASEMAPS"]).expanduser()
    return _user_folder("config") / "beter-benutten" / "basemaps.toml"


def _user_folder(kind: str) -> Path:
    """The user's ``"config"`` or ``"cache"`` folder on this platform (XDG on Linux)."""
    home = Path.home()
    if sys.platform == "win32":
        variable, fallback = ("APPDATA", home / "AppData" / "Roaming") if kind == "config" else ("LOCALAPPDATA", home / "AppData" / "Local")
    elif sys.platform == "darwin":
        return home / "Library" / ("Application Support" if kind == "config" else "Caches")
    else:
        variable, fallback = ("XDG_CONFIG_HOME", home / ".config") if kind == "config" else ("XDG_CACHE_HOME", home / ".cache")
    return Path(os.environ.get(variable) or fallback)


def load_services(path: str | Path | None = None, *, user_file: str | Path | None = None) -> dict[str, TileService]:
    """The background map services: the shipped list, overridden key by key by the user's file.

    Parameters
    ----------
    path : the base list (default: the shipped ``basemaps.toml``).
    user_file : overrides (default :func:`user_services_file`; ignored when it does not exist).

    Raises
    ------
    DataError
        Naming the file, when a service table is not valid.
    """
    services = _read_services(Path(path) if path is not None else SHIPPED_SERVICES)
    extra = Path(user_file) if user_file is not None else user_services_file()
    if extra.is_file():
        services.update(_read_services(extra))
    return services


def _read_services(path: Path) -> dict[str, TileService]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise DataError(Translatable("kan de lijst met achtergrondkaarten niet lezen ({reason})", reason=str(exc)), path) from exc
    out: dict[str, TileService] = {}
    for key, table in (data.get("services") or {}).items():
        if not isinstance(table, dict) or not isinstance(table.get("url"), str):
            raise DataError(Translatable("[services.{key}] heeft een url met {{z}}, {{x}} en {{y}} nodig", key=key), path)
        url = table["url"]
        if not url.startswith(("http://", "https://", "file://")) or not all(p in url for p in ("{z}", "{x}", "{y}")):
            raise DataError(Translatable("[services.{key}] url moet met http(s):// beginnen en {{z}}, {{x}} en {{y}} bevatten",
                                         key=key), path)
        max_zoom = table.get("max_zoom", 14)
        if isinstance(max_zoom, bool) or not isinstance(max_zoom, int) or not 0 <= max_zoom < RD_TILE_MATRIX.levels:
            raise DataError(Translatable("[services.{key}] max_zoom moet een geheel getal van 0 tot {levels} zijn", key=key,
                                         levels=RD_TILE_MATRIX.levels), path)
        out[str(key)] = TileService(
            key=str(key),
            label=str(table.get("label", key)),
            label_en=str(table.get("label_en", table.get("label", key))),
            url=url,
            attribution=str(table.get("attribution", "")),
            max_zoom=max_zoom,
        )
    return out


def default_cache_dir() -> Path:
    """Where tiles are kept: ``$BB_CACHE_DIR``, else the user's cache folder + ``beter-benutten/tegels``."""
    if os.environ.get("BB_CACHE_DIR"):
        return Path(os.environ["BB_CACHE_DIR"]).expanduser()
    return _user_folder("cache") / "beter-benutten" / "tegels"


class TileError(Exception):
    """A tile could not be fetched (server error, timeout, no network)."""


class TileFetcher:
    """Fetches tiles of one service, through a disk cache.

    Safe to use from several threads: each tile is written to a temporary file and renamed.
    """

    def __init__(self, service: TileService, cache_dir: str | Path | None = None, *, timeout: float = DEFAULT_TIMEOUT):
        self.service = service
        self.cache_dir = Path(cache_dir) if cache_dir is not None else default_cache_dir()
        self.timeout = float(timeout)

    def cache_path(self, z: int, col: int, row: int) -> Path:
        return self.cache_dir / self.service.key / str(z) / str(col) / f"{row}.{self.service.extension}"

    def cached(self, z: int, col: int, row: int) -> bytes | None:
        """The tile from the disk cache, None when it is not there (never the network)."""
        try:
            return self.cache_path(z, col, row).read_bytes()
        except OSError:
            return None

    def fetch(self, z: int, col: int, row: int) -> bytes:
        """The tile image bytes: from the cache, else from the service (then stored in the cache).

        Raises
        ------
        TileError
            When the service cannot be reached, answers with an error, or times out.
        """
        data = self.cached(z, col, row)
        if data is not None:
            return data
        url = self.service.tile_url(z, col, row)
        request = urllib.request.Request(url, headers={"User-Agent": _USER_AGENT})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 - URL from the service list
                data = response.read()
        except urllib.error.HTTPError as exc:
            raise TileError(Translatable("HTTP {code} voor {url}", code=exc.code, url=url)) from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise TileError(Translatable("{reason} voor {url}", reason=str(getattr(exc, "reason", exc)), url=url)) from exc
        if not data:
            raise TileError(Translatable("lege tegel van {url}", url=url))
        self._store(z, col, row, data)
        return data

    def _store(self, z: int, col: int, row: int, data: bytes) -> None:
        target = self.cache_path(z, col, row)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".part")
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, target)
        except OSError:
            pass  # a read-only or full cache only costs a fetch next time

    def cached_tiles(self, bounds: tuple[float, float, float, float], metres_per_pixel: float,
                     ) -> Iterator[tuple[tuple[float, float, float, float], bytes]]:
        """(tile bounds, image bytes) of the cached tiles covering ``bounds`` (no network).

        Uses the matrix fitting ``metres_per_pixel``; a missing tile is looked for in coarser
        matrices (up to four levels), so a report shows what the map showed before.
        """
        matrix = self.service.matrix
        z = matrix.zoom_for(metres_per_pixel, self.service.max_zoom)
        for level in range(z, max(-1, z - 5), -1):
            try:
                tiles = matrix.tiles_covering(bounds, level)
            except ValueError:
                continue
            found = [(matrix.tile_bounds(*t), self.cached(*t)) for t in tiles]
            if tiles and all(data is not None for _, data in found):
                yield from found  # type: ignore[misc]
                return
