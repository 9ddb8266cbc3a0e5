"""Raster values inside a gebied (vectorised cell-centre test)."""

from __future__ import annotations

import numpy as np
from affine import Affine
from shapely.geometry import box

from gisapp.reports.informatieproduct import raster_values_in
from layers.raster import RasterData


def test_raster_values_in_polygon():
    array = np.arange(16, dtype="float64").reshape(4, 4)
    array[0, 0] = np.nan
    raster = RasterData(array, Affine(10, 0, 0, 0, -10, 40), "EPSG:28992", "bodemdaling", "cm")
    # cells with centres (5, 35) .. (15, 25): rows 0-1, cols 0-1 → values nan, 1, 4, 5
    values = raster_values_in(raster, box(0, 20, 20, 40))
    assert sorted(values.tolist()) == [1.0, 4.0, 5.0]
    assert raster_values_in(raster, box(100, 100, 120, 120)).size == 0
