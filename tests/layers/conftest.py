"""Tiny data builders for the data-layer tests."""

from __future__ import annotations

import geopandas as gpd
import pytest
from shapely.geometry import Point, Polygon, box


def rd_square(x: float = 100000.0, y: float = 450000.0, size: float = 10.0) -> Polygon:
    return box(x, y, x + size, y + size)


@pytest.fixture
def bag_frame() -> gpd.GeoDataFrame:
    """Three BAG-like panden in RD New with real BAG column names."""
    return gpd.GeoDataFrame(
        {
            "identificatie": ["NL.IMBAG.Pand.0503100000000296", "503100000000297", "0503100000000298"],
            "oorspronkelijkbouwjaar": [1970, 9999, 1005],
            "status": ["Pand in gebruik"] * 3,
            "aantal_verblijfsobjecten": [12, 1, 4],
        },
        geometry=[rd_square(), rd_square(100020.0), rd_square(100040.0)],
        crs="EPSG:28992",
    )


@pytest.fixture
def wgs84_points() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"naam": ["Delft", "Alkmaar"]}, geometry=[Point(4.36, 52.01), Point(4.75, 52.63)], crs="EPSG:4326")
