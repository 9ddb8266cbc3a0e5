"""In-memory raster grids sampled at building locations."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from affine import Affine


@dataclass(frozen=True, eq=False)
class RasterData:
    """A single-band grid in the project CRS.

    Parameters
    ----------
    array : 2-D float64 array, NaN where the source had nodata.
    transform : affine transform from (col, row) to (x, y) of the pixel corner.
    crs : CRS string, EPSG:28992 after loading.
    name : layer or band name, e.g. ``"bodemdaling"``.
    units : unit of the values (``"cm"``, ``"m"``), shown in the app and reports.
    """

    array: np.ndarray
    transform: Affine
    crs: str
    name: str = ""
    units: str = ""

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
