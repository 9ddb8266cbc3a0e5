import geopandas as gpd
import shapely
from shapely.geometry import LineString, MultiPolygon, Point, Polygon

from layers.geometry import clean_geometries, geometry_kind
from layers.messages import LoadReport

from .conftest import rd_square

BOWTIE = Polygon([(0, 0), (10, 10), (10, 0), (0, 10), (0, 0)])


def _clean(geoms):
    gdf = gpd.GeoDataFrame({"id": range(len(geoms))}, geometry=geoms, crs="EPSG:28992")
    report = LoadReport()
    return clean_geometries(gdf, report), report


def test_repair_and_drop_counts():
    z_square = Polygon([(0, 0, 1), (5, 0, 1), (5, 5, 1), (0, 5, 1)])
    multi = MultiPolygon([rd_square(0, 0), rd_square(50, 0)])
    out, report = _clean([BOWTIE, Polygon(), None, z_square, multi])
    assert report.counts == {"repaired": 1, "dropped_empty": 1, "dropped_null": 1, "z_dropped": 1}
    assert list(out["id"]) == [0, 3, 4]
    assert shapely.is_valid(out.geometry.array).all()
    assert not shapely.has_z(out.geometry.array).any()
    assert out.geometry.iloc[0].area == 50  # both triangles of the bowtie
    assert out.geometry.iloc[2].geom_type == "MultiPolygon"  # multi-part kept
    assert out.crs.to_epsg() == 28992


def test_collections_from_make_valid_keep_only_polygons():
    # a polygon with a dangling spike: make_valid gives a polygon plus a line
    spike = Polygon([(0, 0), (10, 0), (10, 10), (0, 10), (0, 0), (-5, -5), (0, 0)])
    out, report = _clean([spike, rd_square(0, 0)])
    assert report.counts["repaired"] == 1
    assert set(out.geom_type) <= {"Polygon", "MultiPolygon"}
    assert out.geometry.iloc[0].area == 100


def test_lines_in_polygon_layer_are_dropped():
    out, report = _clean([rd_square(0, 0), LineString([(0, 0), (1, 1)])])
    assert len(out) == 1
    assert report.counts["dropped_wrong_type"] == 1


def test_geometry_kind():
    assert geometry_kind(gpd.GeoDataFrame(geometry=[Point(0, 0)])) == "point"
    assert geometry_kind(gpd.GeoDataFrame(geometry=[Point(0, 0), rd_square()])) == "polygon"
    assert geometry_kind(gpd.GeoDataFrame(geometry=[LineString([(0, 0), (1, 1)])])) == "line"
    assert geometry_kind(None) == "table"
