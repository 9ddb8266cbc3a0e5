"""In-memory raster grids sampled at building locations."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from affine import Affine


@dataclass(frozen=True, eq=False)
class RasterData:
    """A grid in the project CRS: one band of values, and for a colour image its colours.

    Parameters
    ----------
    array : 2-D float64 array, NaN where the source had nodata (band 1 of a colour image).
    transform : affine transform from (col, row) to (x, y) of the pixel corner.
    crs : CRS string, EPSG:28992 after loading.
    name : layer or band name, e.g. ``"bodemdaling"``.
    units : unit of the values (``"cm"``, ``"m"``), shown in the app and reports.
    rgba : for a colour image (an RGB or RGBA GeoTIFF, e.g. a luchtfoto): (rows, cols, 4) uint8
        colours on the same grid as ``array``, alpha 0 where the source had nodata; None for a
        grid of values. A colour image is drawn in its own colours.
    """

    array: np.ndarray
    transform: Affine
    crs: str
    name: str = ""
    units: str = ""
    rgba: np.ndarray | None = None

    def __post_init__(self) -> None:
        if self.rgba is not None and (self.rgba.ndim != 3 or self.rgba.shape[:2] != self.array.shape
                                      or self.rgba.shape[2] != 4 or self.rgba.dtype != np.uint8):
            raise ValueError(f"rgba moet (rijen, kolommen, 4) uint8 zijn zoals array {self.array.shape}, "
                             f"niet {self.rgba.shape} {self.rgba.dtype}")

    @property
    def shape(self) -> tuple[int, int]:
        return self.array.shape  # type: ignore[return-value]

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """(xmin, ymin, xmax, ymax) of the grid."""
        rows, cols = self.array.shape
        t = self.transform
        corners = np.array([[t.c, t.f], [t.a * cols + t.b * rows + t.c, t.d * cols + t.e * rows + t.f]])
        return (
            float(corners[:, 0].min()),
            float(corners[:, 1].min()),
            float(corners[:, 0].max()),
            float(corners[:, 1].max()),
        )

    def sample(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Values at points (vectorised); NaN outside the grid or on nodata."""
        x = np.asarray(x, dtype="float64")
        y = np.asarray(y, dtype="float64")
        inv = ~self.transform
        # Explicit coefficients: vectorised and free of affine's tuple-multiplication deprecation.
        cols = np.floor(inv.a * x + inv.b * y + inv.c).astype("int64")
        rows = np.floor(inv.d * x + inv.e * y + inv.f).astype("int64")
        n_rows, n_cols = self.array.shape
        inside = (rows >= 0) & (rows < n_rows) & (cols >= 0) & (cols < n_cols)
        out = np.full(x.shape, np.nan, dtype="float64")
        out[inside] = self.array[rows[inside], cols[inside]]
        return out


def rgba_from_bands(bands: np.ndarray, valid: np.ndarray | None = None) -> np.ndarray:
    """An RGBA uint8 image (rows, cols, 4) from 3 or 4 colour bands (bands, rows, cols).

    Bytes are taken as they are; other types (16-bit, float) are stretched over their 2–98 %
    range per band. The 4th band is the alpha; ``valid`` (rows, cols) bool clears the alpha
    where the source had nodata (NaN in float bands clears it too).
    """
    bands = np.asarray(bands)
    if bands.ndim != 3 or bands.shape[0] not in (3, 4):
        raise ValueError(f"een kleurenbeeld heeft 3 of 4 banden, niet {bands.shape}")
    rows, cols = bands.shape[1:]
    out = np.empty((rows, cols, 4), dtype=np.uint8)
    for index in range(bands.shape[0]):
        out[..., index] = stretch_to_bytes(bands[index])
    if bands.shape[0] == 3:
        out[..., 3] = 255
    present = np.ones((rows, cols), dtype=bool) if valid is None else np.asarray(valid, dtype=bool)
    if bands.dtype.kind == "f":
        present &= np.isfinite(bands[:3]).all(axis=0)
    out[~present, 3] = 0
    return out


def stretch_to_bytes(band: np.ndarray) -> np.ndarray:
    """A band as 0–255: bytes as they are, other types stretched over their 2–98 % range."""
    if band.dtype == np.uint8:
        return band
    values = band.astype("float64")
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return np.zeros(band.shape, dtype=np.uint8)
    low, high = np.percentile(finite, [2, 98])
    span = high - low if high > low else 1.0
    return np.clip(np.nan_to_num((values - low) * (255.0 / span)), 0, 255).astype(np.uint8)
