import json

import geopandas as gpd
import numpy as np
import pytest
import rasterio
from rasterio.transform import from_origin
from shapely.geometry import Point

from layers.errors import DataError
from layers.layer import RasterLayer, VectorLayer
from layers.readers import GeoPackageReader, describe_source, find_reader, read_layer, register_reader

from .conftest import rd_square


def test_geopackage_layer_choice_by_role(tmp_path, bag_frame):
    path = tmp_path / "data.gpkg"
    bag_frame.to_file(path, layer="buurten_oud", driver="GPKG")
    bag_frame.to_file(path, layer="pand", driver="GPKG")
    layer = read_layer(path, role="gebouwen")
    assert layer.name == "gebouwen" and len(layer.data) == 3
    assert any("'pand' gekozen" in m.text and "buurten_oud" in m.text for m in layer.report.messages)
    first = read_layer(path)
    assert any("buurten_oud" in m.text and "pand" in m.text for m in first.report.warnings)
    with pytest.raises(DataError, match="beschikbare lagen: buurten_oud, pand"):
        read_layer(path, layer="vbo")


def test_geojson_with_array_property_and_reprojection(tmp_path):
    path = tmp_path / "wijken.geojson"
    polygon = [[[4.74, 52.62], [4.75, 52.62], [4.75, 52.63], [4.74, 52.63], [4.74, 52.62]]]
    feature = {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": polygon},
               "properties": {"wijkCode": "WK036101", "centroid": [4.745, 52.625], "aantalInwoners": 100}}
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    layer = read_layer(path)
    assert isinstance(layer, VectorLayer) and layer.role == "gebieden"
    assert layer.data.crs.to_epsg() == 28992 and layer.report.counts["reprojected"] == 1
    assert json.loads(layer.data["centroid"].iloc[0]) == [4.745, 52.625]


def test_shapefile_encoding_from_cpg_and_option(tmp_path):
    gdf = gpd.GeoDataFrame({"naam": ["Één café"]}, geometry=[rd_square()], crs="EPSG:28992")
    path = tmp_path / "plannen.shp"
    gdf.to_file(path, encoding="cp1252")
    assert (tmp_path / "plannen.cpg").exists()
    assert read_layer(path).data["naam"].iloc[0] == "Één café"
    (tmp_path / "plannen.cpg").unlink()
    assert read_layer(path, options={"encoding": "cp1252"}).data["naam"].iloc[0] == "Één café"


def test_flatgeobuf(tmp_path, bag_frame):
    path = tmp_path / "panden.fgb"
    bag_frame.to_file(path, driver="FlatGeobuf")
    layer = read_layer(path, role="gebouwen")
    assert list(layer.data["pand_id"].str.len()) == [16, 16, 16]


def test_csv_wkt_semicolon_decimal_comma(tmp_path):
    path = tmp_path / "locaties.csv"
    path.write_text(
        "naam;geplande_woningen;betaalbaar_aandeel;wkt\n"
        'Noord;250;0,7;"POLYGON ((100000 450000, 100100 450000, 100100 450100, 100000 450000))"\n'
        "Zuid;40;0,5;\n",
        encoding="utf-8",
    )
    layer = read_layer(path, role="locaties")
    assert layer.geometry_kind == "polygon" and len(layer.data) == 1
    assert layer.report.counts["dropped_null"] == 1
    assert layer.data["betaalbaar_aandeel"].iloc[0] == 0.7
    assert any(m.level == "warning" and "coördinatenstelsel" in m.text for m in layer.report.messages)


def test_csv_xy_comma(tmp_path):
    path = tmp_path / "vbo.csv"
    path.write_text("identificatie,pandidentificatie,gebruiksdoel,oppervlakte,x,y\n"
                    "0503010000000001,0503100000000296,woonfunctie,160,85300.5,447050\n")
    layer = read_layer(path)
    assert layer.role == "verblijfsobjecten" and layer.geometry_kind == "point"
    assert layer.data["vbo_id"].iloc[0] == "0503010000000001"
    assert layer.data.geometry.iloc[0].equals(Point(85300.5, 447050))


def test_csv_lonlat_is_reprojected(tmp_path):
    path = tmp_path / "punten.csv"
    path.write_text("naam;lon;lat\nDelft;4,36;52,01\n")
    layer = read_layer(path)
    assert layer.report.counts["reprojected"] == 1
    assert 80000 < layer.data.geometry.iloc[0].x < 90000


def test_csv_without_geometry_is_a_table(tmp_path):
    path = tmp_path / "bezit.csv"
    path.write_text("pand_id;complex\n0503100000000296;C1\n503100000000297;C2\n")
    layer = read_layer(path)
    assert layer.role == "portefeuille" and layer.geometry_kind == "table"
    assert not isinstance(layer.data, gpd.GeoDataFrame) and layer.extent is None
    assert list(layer.data["pand_id"]) == ["0503100000000296", "0503100000000297"]


def _write_tif(path, crs, transform, nodata=-9999.0):
    data = np.array([[1.0, 2.0], [nodata, 4.0]], dtype="float32")
    with rasterio.open(path, "w", driver="GTiff", width=2, height=2, count=1, dtype="float32",
                       crs=crs, transform=transform, nodata=nodata) as ds:
        ds.write(data, 1)


def test_geotiff_rd(tmp_path):
    path = tmp_path / "bodemdaling.tif"
    _write_tif(path, "EPSG:28992", from_origin(100000, 450200, 100, 100))
    layer = read_layer(path)
    assert isinstance(layer, RasterLayer) and layer.role == "bodemdaling"
    assert layer.raster.units == "cm" and np.isnan(layer.raster.array[1, 0])
    assert layer.raster.sample(np.array([100050.0]), np.array([450150.0]))[0] == 1.0
    assert layer.extent == (100000.0, 450000.0, 100200.0, 450200.0)


def test_geotiff_bbox_reads_a_window_that_samples_as_the_whole_grid(tmp_path):
    """A tiled scan reads each raster for its tile only (a national 5 m grid does not fit in a
    process): the window holds fewer cells and gives the same value at every point inside it."""
    path = tmp_path / "bodemdaling.tif"
    rng = np.random.default_rng(3)
    data = rng.uniform(0, 50, size=(200, 300)).astype("float32")
    data[50:60, 70:80] = -9999.0
    with rasterio.open(path, "w", driver="GTiff", width=300, height=200, count=1, dtype="float32",
                       crs="EPSG:28992", transform=from_origin(100000, 460000, 5, 5), nodata=-9999.0) as ds:
        ds.write(data, 1)
    whole = read_layer(path).raster
    bbox = (100333.3, 459111.1, 100777.7, 459702.2)
    window = read_layer(path, options={"bbox": list(bbox)}).raster
    assert window.array.size < whole.array.size / 4
    x = rng.uniform(bbox[0], bbox[2], 5000)
    y = rng.uniform(bbox[1], bbox[3], 5000)
    assert np.array_equal(window.sample(x, y), whole.sample(x, y), equal_nan=True)
    # a bbox beside the grid: nothing inside, every sample NaN, no error
    beside = read_layer(path, options={"bbox": [200000, 300000, 201000, 301000]}).raster
    assert np.isnan(beside.sample(np.array([200500.0]), np.array([300500.0]))).all()


def test_geotiff_wgs84_is_warped(tmp_path):
    path = tmp_path / "diepte.tif"
    _write_tif(path, "EPSG:4326", from_origin(4.36, 52.02, 0.01, 0.01))
    layer = read_layer(path, role="overstromingsdiepte")
    assert layer.raster.crs == "EPSG:28992" and layer.report.counts["reprojected"] == 1
    assert any("naar RD New" in m.text for m in layer.report.messages)


def test_geotiff_without_crs_in_degrees_is_refused(tmp_path):
    path = tmp_path / "kwel.tif"
    _write_tif(path, None, from_origin(4.36, 52.02, 0.01, 0.01))
    with pytest.raises(DataError, match="kwel.tif"):
        read_layer(path)


def test_no_crs_rd_coordinates_warns_and_degrees_refused(tmp_path):
    rd = tmp_path / "rd.geojson"
    rd.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [100000, 450000]}}]}))
    # GeoJSON implies WGS84, so write a shapefile without .prj instead
    gpd.GeoDataFrame({"a": [1]}, geometry=[Point(100000, 450000)]).to_file(tmp_path / "rd.shp")
    assert read_layer(tmp_path / "rd.shp").report.warnings
    gpd.GeoDataFrame({"a": [1]}, geometry=[Point(4.3, 52.0)]).to_file(tmp_path / "deg.shp")
    with pytest.raises(DataError, match="deg.shp.*niet binnen RD New"):
        read_layer(tmp_path / "deg.shp")


@pytest.mark.parametrize("name", ["kapot.gpkg", "kapot.geojson", "kapot.shp", "kapot.fgb", "kapot.tif", "kapot.xyz"])
def test_random_bytes_give_dataerror_naming_file(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(np.random.default_rng(1).bytes(2000).replace(b"{", b"x"))
    with pytest.raises(DataError, match=name):
        read_layer(path)


def test_missing_empty_and_folder(tmp_path):
    with pytest.raises(DataError, match="bestaat niet"):
        read_layer(tmp_path / "weg.gpkg")
    (tmp_path / "leeg.gpkg").write_bytes(b"")
    with pytest.raises(DataError, match="leeg"):
        read_layer(tmp_path / "leeg.gpkg")
    with pytest.raises(DataError, match="map"):
        read_layer(tmp_path)


def test_vector_data_for_raster_role_is_refused(tmp_path, bag_frame):
    path = tmp_path / "b.gpkg"
    bag_frame.to_file(path)
    with pytest.raises(DataError, match="raster"):
        read_layer(path, role="bodemdaling")


def test_registered_reader_with_priority_wins_and_may_decline(tmp_path, bag_frame):
    path = tmp_path / "speciaal.gpkg"
    bag_frame.to_file(path)
    calls = []

    @register_reader(patterns=("speciaal*.gpkg",), priority=50)
    class Decliner:
        label = "test"

        def can_read(self, p):
            calls.append(p)
            return False

    try:
        assert isinstance(find_reader(path), GeoPackageReader)
        assert calls
    finally:
        from layers import readers

        readers._REGISTRY[:] = [r for r in readers._REGISTRY if not isinstance(r.reader, Decliner)]


def test_describe_source_counts_problems(tmp_path):
    bowtie = gpd.GeoSeries.from_wkt(["POLYGON ((0 0, 10 10, 10 0, 0 10, 0 0))"]).iloc[0]
    gdf = gpd.GeoDataFrame(
        {"identificatie": ["1", "2", "3"], "bouwjaar": [1970, 9999, 1980]},
        geometry=[bowtie, rd_square(), None], crs="EPSG:28992",
    )
    path = tmp_path / "p.gpkg"
    gdf.to_file(path)
    d = describe_source(path)
    assert d["count"] == 3 and d["role"] == "gebouwen"
    assert d["problems"]["invalid"] == 1 and d["problems"]["null"] == 1
    assert d["problems"]["sentinel_counts"] == {"bouwjaar": 1}
    assert d["columns"]["found"]["pand_id"] == "identificatie"
    json.dumps(d)
