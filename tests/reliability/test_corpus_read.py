"""Every corpus file read through the data layer: success with counted warnings, or a DataError
whose one-line message names the file and the problem; never another exception."""

from __future__ import annotations

import pytest

from layers.errors import DataError
from layers.project import load_project
from layers.readers import describe_source, read_layer
from tests.reliability.conftest import case_names

#: Project cases whose error names the data file they point at rather than the project file.
_NAMES_DATA_FILE = {"project_etc_passwd": "passwd", "project_missing_data_file": "weg.gpkg"}


def _read(case):
    if case.kind == "project":
        return load_project(case.path)
    return read_layer(case.path, role=case.role, layer=case.extra.get("layer"))


@pytest.mark.parametrize("name", case_names())
def test_read_corpus_file(corpus, name):
    case = corpus[name]
    try:
        result = _read(case)
    except DataError as exc:
        message = str(exc)
        assert case.expect in ("error", "either"), f"{name}: unexpected DataError: {message}"
        assert "\n" not in message and "Traceback" not in message
        assert _NAMES_DATA_FILE.get(name, case.path.name) in message, message
        assert case.problem in message, message
        return
    assert case.expect in ("ok", "either"), f"{name}: read without the expected DataError ({case.problem})"
    if case.kind == "project" or case.expect == "either":
        return
    report = result.report
    for key in case.counts:
        assert report.counts.get(key, 0) > 0, (key, report.counts)
    if case.warns:
        assert any(case.warns in m.text for m in report.warnings), [m.text for m in report.messages]
    for column, value in {k: v for k, v in case.extra.items() if k != "layer"}.items():
        assert value in set(result.data[column]), result.data[column].tolist()


@pytest.mark.parametrize("name", [n for n in case_names() if not n.startswith("project_")])
def test_describe_corpus_file(corpus, name):
    """``describe_source`` (behind ``gisapp info``) fails the same way or reports the same counts."""
    case = corpus[name]
    try:
        described = describe_source(case.path, layer=case.extra.get("layer"))
    except DataError as exc:
        assert case.path.name in str(exc) and "\n" not in str(exc)
        return
    assert {"path", "driver", "count", "problems", "messages"} <= set(described)


def test_corpus_counts_match_the_issue(corpus):
    """The corpus covers every kind of bad input issue 8 lists."""
    names = set(corpus)
    for ext in ("gpkg", "geojson", "shp", "fgb", "csv", "tif"):
        assert {f"empty_{ext}", f"truncated_{ext}", f"random_{ext}"} <= names
    assert {
        "broken_json", "folder_named_gpkg", "missing_file", "no_crs_rd_coordinates", "swapped_axes_latlon",
        "degrees_labelled_rd", "invalid_geometry", "empty_geometries", "null_geometries", "mixed_points_polygons",
        "geometry_3d", "missing_columns", "mistyped_columns_csv", "nan_and_infinite", "duplicate_pand_ids",
        "shapefile_cpg_lies", "raster_no_crs_rd", "raster_all_nodata", "gpkg_several_layers_unnamed",
        "project_huge_int", "project_deep_array", "project_etc_passwd", "project_climb_out", "project_unknown_table",
        "project_binary_garbage", "project_10mb", "project_wrong_type_name", "project_format_version_0",
        "project_format_version_99", "project_no_format_version",
    } <= names
    assert corpus["project_10mb"].path.stat().st_size > 10_000_000
