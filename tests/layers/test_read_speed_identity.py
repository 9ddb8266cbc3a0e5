"""The fast paths of reading BAG layers give exactly what the generic paths give.

Covers the threaded GEOS helper, the first-present scan, the identifiers that are already
normalised, text columns converted per distinct text, the pandidentificatie split on Arrow
text, row selection without copies, and a whole GeoPackage read with every fast path on
against the same read with them off.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyogrio
import pytest
import shapely
import shapely.affinity
from shapely.geometry import Point, Polygon

from layers import geometry, readers, roles
from layers.messages import LoadReport
from layers.sources import bag

from .conftest import rd_square

BOWTIE = Polygon([(0, 0), (10, 10), (10, 0), (0, 10), (0, 0)])
RD_BOWTIE = shapely.affinity.translate(BOWTIE, 100000, 450000)
TEXT = pd.StringDtype("pyarrow", na_value=np.nan)  # what pandas 3 reads text as


def _same_values(a, b) -> bool:
    """Equal values and equal Python types (``None`` is not ``NaN``, ``np.str_`` is not ``str``)."""
    a, b = list(a), list(b)
    return len(a) == len(b) and all(
        type(x) is type(y) and (x == y or (x != x and y != y)) for x, y in zip(a, b)
    )


# --------------------------------------------------------------------------- in_threads


@pytest.mark.parametrize("n", [0, 1, 6, 7, 8, 23])
@pytest.mark.parametrize("func", [shapely.is_valid, shapely.is_empty, shapely.has_z])
def test_in_threads_equals_one_call_in_order(monkeypatch, n, func):
    monkeypatch.setattr(geometry, "THREAD_SLICE", 7)
    shapes = [BOWTIE, rd_square(), Polygon(), Polygon([(0, 0, 1), (1, 0, 1), (1, 1, 1)])]
    geoms = np.array([shapes[i % len(shapes)] for i in range(n)], dtype=object)
    out = geometry.in_threads(func, geoms)
    expected = func(geoms)
    assert out.dtype == expected.dtype and out.shape == expected.shape
    assert np.array_equal(out, expected)


def test_in_threads_from_its_own_pool_runs_directly(monkeypatch):
    monkeypatch.setattr(geometry, "THREAD_SLICE", 3)
    geoms = np.array([BOWTIE, rd_square()] * 5, dtype=object)
    # a call from one of the pool's threads must not wait for the pool (no deadlock)
    nested = geometry.geos_executor().submit(geometry.in_threads, shapely.is_valid, geoms).result(timeout=30)
    assert np.array_equal(nested, shapely.is_valid(geoms))


def test_in_threads_passes_errors_on(monkeypatch):
    monkeypatch.setattr(geometry, "THREAD_SLICE", 2)
    with pytest.raises(TypeError):
        geometry.in_threads(shapely.is_valid, np.array([rd_square(), rd_square(), "geen geometrie"], dtype=object))


# --------------------------------------------------------------------------- readers


@pytest.mark.parametrize("values", [
    [np.nan] * 10,
    [None] * 9 + [[1.0, 2.0]],
    [np.nan, None, "tekst"],
    [[4.7, 52.6], None],
    [],
])
def test_first_present_equals_dropna(monkeypatch, values):
    monkeypatch.setattr(readers, "_SCAN_CHUNK", 4)
    series = pd.Series(values, dtype=object)
    present = series.dropna()
    expected = present.iloc[0] if len(present) else None
    assert readers._first_present(series) is expected


def test_geometry_stats_count_types_as_before():
    frame = gpd.GeoDataFrame(geometry=[rd_square(), None, Point(0, 0), BOWTIE, rd_square()], crs="EPSG:28992")
    stats = readers._geometry_stats(frame)
    assert stats["geometry_types"] == {"geen": 1, "Point": 1, "Polygon": 3}
    assert list(stats["geometry_types"]) == ["geen", "Point", "Polygon"]  # by type id, as np.unique gave them
    assert stats["invalid"] == 1
    assert np.array_equal(stats["_types"], shapely.get_type_id(np.asarray(frame.geometry.array, dtype=object)))


# --------------------------------------------------------------------------- geometry


def test_clean_geometries_with_known_types_equals_without():
    geoms = [BOWTIE, rd_square(), None, Polygon(), Point(1, 1), shapely.GeometryCollection([rd_square(), Point(0, 0)])]
    gdf = gpd.GeoDataFrame({"id": range(len(geoms))}, geometry=geoms, crs="EPSG:28992")
    plain_report, typed_report = LoadReport(), LoadReport()
    plain = geometry.clean_geometries(gdf, plain_report)
    types = shapely.get_type_id(np.asarray(gdf.geometry.array, dtype=object))
    typed = geometry.clean_geometries(gdf, typed_report, valid=shapely.is_valid(gdf.geometry.array), types=types)
    pd.testing.assert_frame_equal(plain.to_wkb(), typed.to_wkb())
    assert plain_report == typed_report
    assert np.array_equal(types, shapely.get_type_id(np.asarray(gdf.geometry.array, dtype=object)))  # not changed


def test_clean_geometries_keeping_every_row_leaves_the_input_alone():
    gdf = gpd.GeoDataFrame({"id": [3, 1]}, geometry=[BOWTIE, rd_square()], crs="EPSG:28992", index=[10, 20])
    before = gdf.to_wkb()
    out = geometry.clean_geometries(gdf, LoadReport())
    assert list(out.index) == [10, 20] and out.crs == gdf.crs
    assert out.geometry.iloc[0].geom_type == "MultiPolygon"  # repaired
    out.loc[10, "id"] = 99
    pd.testing.assert_frame_equal(gdf.to_wkb(), before)


# --------------------------------------------------------------------------- identifiers

ID_CASES = {
    "normalised with NaN": ["0503100000000296", np.nan, "0503100000000297"],
    "None": ["0503100000000296", None],
    "np.str_": [np.str_("0503100000000296"), "0503100000000297"],
    "prefix and short": ["NL.IMBAG.Pand.0503100000000296", "503100000000297", " 0503100000000298 "],
    "rubbish": ["abc", "", "12345678901234567", "503100000000298.0", "٠١٢"],
    "numbers": ["0503100000000296", 503100000000297.0],
    "nothing": [np.nan, None],
    "empty": [],
}


@pytest.mark.parametrize("values", ID_CASES.values(), ids=ID_CASES.keys())
def test_normalise_pand_id_equals_the_python_rules(values):
    series = pd.Series(values, dtype=object, name="identificatie")
    ids = roles.normalise_pand_id(series)
    expected = roles._normalise_pand_id_python(series)
    assert str(ids.dtype) == "str" and ids.name == "identificatie"
    assert _same_values(ids, expected)
    # normalising again (when the column is mapped onto its role) gives the same again, nothing counted
    again, n_bad, _ = roles._to_bag_id(ids)
    assert _same_values(again, ids) and n_bad == 0


@pytest.mark.parametrize("values", ID_CASES.values(), ids=ID_CASES.keys())
def test_bag_id_count_equals_present_but_missing(values):
    series = pd.Series(values, dtype=object)
    ids, n_bad, text = roles._to_bag_id(series)
    assert n_bad == int((series.notna() & ids.isna()).sum())
    if text is not None:  # the Arrow text handed to the duplicate check holds the same ids
        assert _same_values(roles._object_values(text), ids)


def test_ids_already_declines_what_needs_work():
    assert roles._ids_already(pd.Series(["0503100000000296", None], dtype=object)) is None  # None must become NaN
    assert roles._ids_already(pd.Series([np.str_("0503100000000296")], dtype=object)) is None
    assert roles._ids_already(pd.Series(["503100000000296"], dtype=object)) is None
    assert roles._ids_already(pd.Series([np.nan, np.nan], dtype=object)) is None
    found = roles._ids_already(pd.Series(["0503100000000296", np.nan], dtype=object))
    assert found is not None and found.kept and _same_values(found.values, ["0503100000000296", np.nan])


def test_duplicate_check_with_and_without_arrow_text():
    ids = pd.Series(["0503100000000296", np.nan, "0503100000000296", "0503100000000297", np.nan], dtype=object)
    expected = (ids.notna() & ids.duplicated(keep=False)).to_numpy()
    assert np.array_equal(roles._duplicated_present(ids), expected)
    assert np.array_equal(roles._duplicated_present(ids, roles._to_bag_id(ids)[2]), expected)


def test_equals_any_is_isin():
    values = pd.Series([1.0, -99997.0, np.nan, 9999.0, -0.0, np.inf, -99999999.0])
    targets = roles.CBS_SENTINELS + (9999.0,)
    assert np.array_equal(roles._equals_any(values, targets), values.isin(targets).to_numpy())


# --------------------------------------------------------------------------- text columns


def test_text_per_distinct_value_equals_per_row(monkeypatch):
    rng = np.random.default_rng(3)
    words = np.array([" Pand in gebruik ", "ONBEKEND", "Unknown", "onbekend ", "", "   ", None, "Ónbekend", "ÉÉN", "gesloopt"],
                     dtype=object)
    values = words[rng.integers(0, len(words), roles._FEW_MIN_ROWS + 17)]
    spec = roles.ROLES["gebouwen"].columns["status"]
    for series in (pd.Series(values, dtype=object), pd.Series(values, dtype=TEXT)):
        assert roles._few_distinct(roles._arrow_strings(series)) is not None
        few, n_few = roles._to_str(series, spec)
        with monkeypatch.context() as patch:
            patch.setattr(roles, "_few_distinct", lambda arrow: None)
            rows, n_rows = roles._to_str(series, spec)
        assert n_few == n_rows > 0
        assert few.dtype == rows.dtype == object and few.index.equals(rows.index)
        assert _same_values(few, rows)


# --------------------------------------------------------------------------- prepare_bag


def _vbo_frame(dtype, lists: bool = False) -> gpd.GeoDataFrame:
    """Eight verblijfsobjecten; ``lists``: one pandidentificatie is a list (LVBAG), which keeps the column objects."""
    pand = ["NL.IMBAG.Pand.0503100000000296,NL.IMBAG.Pand.0503100000000297", None, "503100000000298",
            np.nan, ",0503100000000299", "0503100000000300, 0503100000000301", "abc", "0503100000000302"]
    if lists:
        pand[6] = ["NL.IMBAG.Pand.0503100000000303", "NL.IMBAG.Pand.0503100000000304"]
    return gpd.GeoDataFrame(
        {
            "identificatie": pd.Series(["0503010000000001", "NL.IMBAG.Verblijfsobject.0503010000000002", None,
                                        "503010000000004", " 0503010000000005", "x", "0503010000000007", np.nan],
                                       dtype=dtype),
            "pandidentificatie": pd.Series(pand, dtype=dtype),
            "gebruiksdoel": pd.Series(["woonfunctie", None, "kantoorfunctie,woonfunctie", "", "woonfunctie",
                                       "onbekend", "woonfunctie", "winkelfunctie"], dtype=dtype),
            "status": pd.Series(["Verblijfsobject in gebruik", "Verblijfsobject ingetrokken", None,
                                 "Niet gerealiseerd verblijfsobject", "Verblijfsobject in gebruik", "Verblijfsobject gevormd",
                                 "Verblijfsobject ten onrechte opgevoerd", "Verblijfsobject in gebruik"], dtype=dtype),
            "bouwjaar": [1970, 9999, 2001, 9999, 1005, 1890, 1930, 9999],
        },
        geometry=[Point(100000 + i, 450000) for i in range(8)],
        crs="EPSG:28992",
    )


def _expected_prepared(gdf: gpd.GeoDataFrame, keep_all: bool) -> tuple[pd.DataFrame, LoadReport]:
    """prepare_bag by the generic pandas rules, step by step."""
    report = LoadReport()
    out = gdf.copy()
    out["gebruiksdoel"] = bag.join_values(out["gebruiksdoel"])
    out["pandidentificatie"] = bag.join_values(out["pandidentificatie"])
    all_ids = out["pandidentificatie"].astype(object)
    first = all_ids.where(all_ids.isna(), all_ids.astype(str).str.split(",").str[0])
    # (all ids, as text: pandas' default text dtype, like the identifiers)
    out["pandidentificaties"] = all_ids.where(
        all_ids.isna(), all_ids.astype(str).str.replace("NL.IMBAG.Pand.", "", regex=False)).astype("str")
    # BAG identifiers in pandas' default text dtype (normalise_pand_id), the values of the Python rules
    out["pandidentificatie"] = roles._normalise_pand_id_python(first).astype("str")
    out["identificatie"] = roles._normalise_pand_id_python(out["identificatie"]).astype("str")
    if not keep_all:
        out = bag.exclude_not_real(out, report)
    return bag.bouwjaar_unknown_to_missing(out, report), report


@pytest.mark.parametrize("keep_all", [False, True])
@pytest.mark.parametrize("dtype, lists", [(TEXT, False), (object, False), (object, True)], ids=["str", "object", "lists"])
def test_prepare_bag_equals_the_generic_rules(dtype, lists, keep_all):
    gdf = _vbo_frame(dtype, lists)
    before = gdf.to_wkb()
    report = LoadReport()
    out = bag.prepare_bag(gdf, report, keep_all=keep_all)
    expected, expected_report = _expected_prepared(gdf, keep_all)
    pd.testing.assert_frame_equal(out.to_wkb(), expected.to_wkb())
    for column in ("identificatie", "pandidentificatie", "pandidentificaties"):
        assert _same_values(out[column], expected[column]), column
    assert report == expected_report
    assert len(out) == (8 if keep_all else 5) and int(out["bouwjaar"].isna().sum()) == (3 if keep_all else 1)
    pd.testing.assert_frame_equal(gdf.to_wkb(), before)  # the input is left alone


def test_exclude_not_real_without_drops_resets_the_index():
    gdf = _vbo_frame(TEXT).iloc[[0, 4]].set_axis([5, 9])
    out = bag.exclude_not_real(gdf, LoadReport())
    assert isinstance(out.index, pd.RangeIndex) and list(out.index) == [0, 1]
    pd.testing.assert_frame_equal(out.to_wkb(), gdf.loc[[True, True]].reset_index(drop=True).to_wkb())


def test_map_columns_leaves_its_input_alone():
    gdf = bag.prepare_bag(_vbo_frame(TEXT), LoadReport())
    before = gdf.to_wkb()
    out, _ = roles.map_columns(gdf, "verblijfsobjecten")
    out.loc[0, "pandidentificaties"] = "veranderd"
    pd.testing.assert_frame_equal(gdf.to_wkb(), before)


# --------------------------------------------------------------------------- a whole read


def _write_bag(tmp_path, n: int = 3000):
    rng = np.random.default_rng(11)
    pick = lambda options: np.array(options, dtype=object)[rng.integers(0, len(options), n)]  # noqa: E731
    ids = np.array([f"{503100000000000 + i:016d}" for i in rng.integers(0, n, n)], dtype=object)
    ids[rng.integers(0, n, 40)] = pick(["NL.IMBAG.Pand.0503100000000296", None, "abc", " 503100000000297 "])[:40]
    panden = gpd.GeoDataFrame(
        {
            "identificatie": ids,
            "bouwjaar": np.where(rng.random(n) < 0.05, 9999, rng.integers(1700, 2024, n)),
            "status": pick(["Pand in gebruik", "Pand gesloopt", "Niet gerealiseerd pand", None, "Verbouwing pand"]),
            "gebruiksdoel": pick(["woonfunctie", "woonfunctie,kantoorfunctie", None, "", " onbekend "]),
        },
        geometry=[RD_BOWTIE if i % 97 == 0 else rd_square(100000 + 20 * (i % 50), 450000 + 20 * (i // 50)) for i in range(n)],
        crs="EPSG:28992",
    )
    pand_ids = np.array([f"{503100000000000 + i:016d}" for i in rng.integers(0, n, n)], dtype=object)
    pand_ids[rng.integers(0, n, 60)] = pick(["NL.IMBAG.Pand.0503100000000296,NL.IMBAG.Pand.0503100000000297",
                                             None, "0503100000000298, 0503100000000299"])[:60]
    vbos = gpd.GeoDataFrame(
        {
            "identificatie": np.array([f"{503010000000000 + i:016d}" for i in range(n)], dtype=object),
            "pandidentificatie": pand_ids,
            "gebruiksdoel": pick(["woonfunctie", "winkelfunctie", None, "Onbekend"]),
            "oppervlakte": rng.integers(10, 300, n),
            "status": pick(["Verblijfsobject in gebruik", "Verblijfsobject ingetrokken", None]),
        },
        geometry=[Point(100000 + i, 450000) for i in range(n)],
        crs="EPSG:28992",
    )
    pyogrio.write_dataframe(panden, tmp_path / "panden.gpkg", layer="pand")
    pyogrio.write_dataframe(vbos, tmp_path / "vbos.gpkg", layer="verblijfsobject")
    return tmp_path / "panden.gpkg", tmp_path / "vbos.gpkg"


def _generic_present_text(series: pd.Series):
    """``bag._present_text`` through Python objects, as before."""
    values = series.astype(object)
    return pa.array(values.to_numpy(), type=pa.large_string(), from_pandas=True) if bag._plain_text(values) else None


def _layer_snapshot(layer):
    return layer.data.to_wkb(), layer.report, layer.column_report, layer.geometry_kind, layer.role


@pytest.mark.parametrize("role", ["gebouwen", "verblijfsobjecten"])
def test_read_with_fast_paths_equals_read_without(tmp_path, monkeypatch, role):
    panden, vbos = _write_bag(tmp_path)
    path = panden if role == "gebouwen" else vbos
    # small thresholds so that every fast path runs on this small file
    monkeypatch.setattr(roles, "_FEW_MIN_ROWS", 100)
    monkeypatch.setattr(geometry, "THREAD_SLICE", 500)
    monkeypatch.setattr(readers, "_SCAN_CHUNK", 16)
    fast = _layer_snapshot(readers.read_layer(path, role=role))
    with monkeypatch.context() as generic:
        generic.setattr(roles, "_ids_already", lambda series: None)
        generic.setattr(roles, "_few_distinct", lambda arrow: None)
        generic.setattr(bag, "_present_text", _generic_present_text)
        generic.setattr(geometry, "in_threads", lambda func, geoms: func(geoms))
        generic.setattr(readers, "in_threads", lambda func, geoms: func(geoms))
        slow = _layer_snapshot(readers.read_layer(path, role=role))
    pd.testing.assert_frame_equal(fast[0], slow[0], check_dtype=True, check_exact=True)
    for column in fast[0].columns:
        if fast[0][column].dtype == object:
            assert _same_values(fast[0][column], slow[0][column]), column
    assert fast[1:] == slow[1:]
    assert fast[1].counts.get("bag_niet_bestaand", 0) > 0
