"""The project's background map: which one (a setting), an offline file, and images for reports.

Qt-free. A project keeps its choice in ``[settings.basemap]``: ``service = "brt_grijs"`` (a key of
``basemaps.toml``, see :mod:`layers.sources.wmts`) or ``path = "luchtfoto.tif"`` (relative to the
project folder). An offline file is a GeoTIFF, MBTiles or GeoPackage-tiles file: GDAL (through
rasterio) reads all three; a warped VRT onto the requested RD New grid reprojects (MBTiles are in
Web Mercator) and picks the overview fitting the resolution, so a view costs about one screen of
pixels whatever the size of the file.

Reports take the background from :func:`basemap_pieces`: the tile cache and offline files only,
never the network, so a report never waits for a server.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from layers.crs import RD_NEW
from layers.errors import DataError
from layers.raster import stretch_to_bytes
from layers.texts import Translatable

#: The key of the project setting.
SETTING_KEY = "basemap"


@dataclass(frozen=True)
class BasemapSetting:
    """A project's background map: a tile ``service`` key, or an offline file ``path`` (as written)."""

    service: str | None = None
    path: str | None = None

    @classmethod
    def from_settings(cls, settings: dict[str, Any] | None) -> BasemapSetting | None:
        """The choice stored in a project's settings; None for no background map."""
        table = (settings or {}).get(SETTING_KEY)
        if not isinstance(table, dict):
            return None
        service, path = table.get("service"), table.get("path")
        if isinstance(path, str) and path.strip():
            return cls(path=path)
        if isinstance(service, str) and service.strip():
            return cls(service=service)
        return None

    def store(self, settings: dict[str, Any]) -> None:
        """Write this choice into a project's ``settings``."""
        settings[SETTING_KEY] = {"path": self.path} if self.path else {"service": self.service}

    @staticmethod
    def clear(settings: dict[str, Any]) -> None:
        """Remove the background map from a project's ``settings``."""
        settings.pop(SETTING_KEY, None)


#: Attribution shown for an offline file (its own source is not known).
FILE_ATTRIBUTION = "Achtergrond: eigen bestand"


def basemap_pieces(setting: BasemapSetting | None, folder: Path, bounds: tuple[float, float, float, float],
                   width: int, height: int, *, services: dict | None = None, cache_dir: Path | None = None,
                   ) -> tuple[list[tuple[tuple[float, float, float, float], np.ndarray]], str]:
    """Images under ``bounds`` for a report: ([(bounds, RGBA array), ...], attribution).

    Only the tile cache and offline files are read; an empty list when nothing is available
    (no choice, nothing cached, an unreadable file). Never raises for a missing background.
    """
    from layers.sources.wmts import TileFetcher, load_services

    if setting is None:
        return [], ""
    if setting.path:
        path = Path(setting.path).expanduser()
        path = path if path.is_absolute() else Path(folder) / path
        try:
            return [(tuple(bounds), read_basemap_window(path, bounds, width, height))], FILE_ATTRIBUTION
        except (DataError, OSError, ValueError):
            return [], ""
    try:
        service = (services if services is not None else load_services()).get(setting.service or "")
    except DataError:
        return [], ""
    if service is None:
        return [], ""
    fetcher = TileFetcher(service, cache_dir)
    metres_per_pixel = (bounds[2] - bounds[0]) / max(width, 1)
    pieces = []
    for tile_bounds, data in fetcher.cached_tiles(bounds, metres_per_pixel):
        image = decode_image(data)
        if image is not None:
            pieces.append((tile_bounds, image))
    return pieces, service.attribution if pieces else ""


def decode_image(data: bytes) -> np.ndarray | None:
    """PNG or JPEG bytes as an RGBA uint8 array (Pillow); None when they are not an image."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            return np.asarray(image.convert("RGBA"))
    except (UnidentifiedImageError, OSError, ValueError):
        return None

#: File name patterns offered in the "Bestand…" dialog.
BASEMAP_FILE_PATTERNS = ("*.tif", "*.tiff", "*.mbtiles", "*.gpkg")


def _open(path: Path):
    import rasterio

    try:
        ds = rasterio.open(path)
    except Exception as exc:  # rasterio.errors.RasterioIOError: not a raster, or several tables
        try:
            import fiona  # noqa: F401 - only to tell "vector only" apart in the message

            subsets = _raster_tables(path)
        except Exception:  # noqa: BLE001 - any failure means: no raster table found
            subsets = []
        if subsets:
            return rasterio.open(subsets[0])
        raise DataError(Translatable("geen achtergrondkaart: het bestand heeft geen rasterbeeld ({reason})", reason=str(exc)),
                        path) from exc
    if ds.count == 0 and ds.subdatasets:
        first = ds.subdatasets[0]
        ds.close()
        return rasterio.open(first)
    return ds


def _raster_tables(path: Path) -> list[str]:
    """``GPKG:path:table`` names of the tile tables of a GeoPackage (sqlite3, read-only)."""
    import sqlite3

    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        rows = db.execute("SELECT table_name FROM gpkg_contents WHERE data_type = 'tiles'").fetchall()
    return [f"GPKG:{path}:{name}" for (name,) in rows]


def basemap_file_bounds(path: str | Path) -> tuple[float, float, float, float]:
    """(xmin, ymin, xmax, ymax) of the file in RD New; ``DataError`` naming the file when unreadable."""
    from rasterio.warp import transform_bounds

    path = Path(path)
    with _open(path) as ds:
        if ds.crs is None:
            return tuple(ds.bounds)  # type: ignore[return-value]
        return tuple(transform_bounds(ds.crs, RD_NEW, *ds.bounds))  # type: ignore[return-value]


def read_basemap_window(path: str | Path, bounds: tuple[float, float, float, float], width: int, height: int) -> np.ndarray:
    """An RGBA image (height, width, 4) uint8 of the file over RD ``bounds``; transparent outside it.

    Parameters
    ----------
    path : GeoTIFF (1, 3 or 4 bands), MBTiles or GeoPackage with a tile table.
    bounds : (xmin, ymin, xmax, ymax) in RD New metres.
    width, height : pixels of the result.

    Raises
    ------
    DataError
        Naming the file, when it cannot be read as an image.
    """
    from affine import Affine
    from rasterio.enums import ColorInterp, Resampling
    from rasterio.vrt import WarpedVRT

    path = Path(path)
    if width <= 0 or height <= 0:
        raise ValueError(Translatable("beeldgrootte {width}×{height} moet positief zijn", width=width, height=height))
    xmin, ymin, xmax, ymax = bounds
    transform = Affine((xmax - xmin) / width, 0.0, xmin, 0.0, -(ymax - ymin) / height, ymax)
    try:
        with _open(path) as ds:
            interp = list(ds.colorinterp)
            has_alpha = ColorInterp.alpha in interp
            colormap = _colormap(ds) if ds.count == 1 else None
            options = {"crs": RD_NEW, "transform": transform, "width": width, "height": height,
                       "resampling": Resampling.nearest if colormap is not None else Resampling.bilinear}
            if ds.crs is None:
                options["src_crs"] = RD_NEW
            if not has_alpha:
                options["add_alpha"] = True
            with WarpedVRT(ds, **options) as vrt:
                data = vrt.read()
                alpha_index = list(vrt.colorinterp).index(ColorInterp.alpha) if ColorInterp.alpha in vrt.colorinterp else vrt.count - 1
                colour = [i for i in range(vrt.count) if i != alpha_index]
                alpha = data[alpha_index]
    except DataError:
        raise
    except Exception as exc:  # rasterio/GDAL errors
        raise DataError(Translatable("kan de achtergrondkaart niet lezen ({reason})", reason=str(exc)), path) from exc
    rgba = np.zeros((height, width, 4), dtype=np.uint8)
    if colormap is not None:
        rgba[...] = colormap[data[colour[0]].astype(np.int64).clip(0, 255)]
    else:
        bands = [stretch_to_bytes(data[i]) for i in colour[:3]]
        while len(bands) < 3:  # one grey band
            bands.append(bands[0])
        rgba[..., :3] = np.stack(bands, axis=-1)
    rgba[..., 3] = np.where(alpha > 0, 255 if colormap is None else rgba[..., 3], 0)
    return rgba


def _colormap(ds) -> np.ndarray | None:
    try:
        table = ds.colormap(1)
    except ValueError:  # no colour table
        return None
    lut = np.zeros((256, 4), dtype=np.uint8)
    for index, colour in table.items():
        if 0 <= index < 256:
            lut[index] = colour
    return lut
