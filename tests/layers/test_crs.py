import geopandas as gpd
import pytest
from shapely.geometry import Point

from layers.crs import RD_NEW, looks_like_rd, to_project_crs
from layers.errors import DataError
from layers.messages import LoadReport


def test_looks_like_rd():
    assert looks_like_rd((100000, 450000, 120000, 460000))
    assert not looks_like_rd((4.3, 52.0, 4.8, 52.7))
    assert not looks_like_rd((float("nan"),) * 4)


def test_wgs84_is_reprojected_with_message(wgs84_points):
    report = LoadReport("punten.geojson")
    out = to_project_crs(wgs84_points, "punten.geojson", report)
    assert out.crs.to_epsg() == 28992
    assert report.counts["reprojected"] == 1
    assert any("van EPSG:4326 naar RD New (EPSG:28992) omgezet" in m.text for m in report.messages)
    assert looks_like_rd(out.total_bounds)
    assert wgs84_points.crs.to_epsg() == 4326  # input untouched


def test_rd_stays_without_message():
    gdf = gpd.GeoDataFrame(geometry=[Point(100000, 450000)], crs=RD_NEW)
    report = LoadReport()
    assert to_project_crs(gdf, "x", report) is gdf
    assert report.counts["reprojected"] == 0 and not report.messages


def test_no_crs_with_rd_coordinates_gives_warning():
    gdf = gpd.GeoDataFrame(geometry=[Point(100000, 450000)])
    report = LoadReport()
    out = to_project_crs(gdf, "x", report)
    assert out.crs.to_epsg() == 28992
    assert len(report.warnings) == 1


def test_no_crs_with_degrees_is_refused():
    gdf = gpd.GeoDataFrame(geometry=[Point(4.36, 52.01)])
    with pytest.raises(DataError, match="punten.shp"):
        to_project_crs(gdf, "punten.shp", LoadReport())


def test_compound_rd_nap_is_read_as_rd():
    gdf = gpd.GeoDataFrame(geometry=[Point(100000, 450000, 3)], crs="EPSG:7415")
    report = LoadReport()
    out = to_project_crs(gdf, "x", report)
    assert out.crs.to_epsg() == 28992
    assert report.counts["reprojected"] == 0
