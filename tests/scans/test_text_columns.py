"""The engine's categorical text columns (``_rules.text_array``): the values of ``texts[codes]``,
one canonical form (sorted categories that occur), the text helpers on their codes, joining
parts, and writing them to a GeoPackage as the same text as plain strings."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
import shapely

from layers.io import geopackage
from scans._fast import replace_texts, text_equals, texts_at
from scans._rules import concat_frames, text_array

TEXTS = ["kandidaat", "bouwjaar 1990 na 1965", "", "kandidaat", "monument", "ongebruikt"]


def _codes(n: int, seed: int = 1) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 5, n)  # "ongebruikt" (5) never occurs


def test_values_are_the_texts_at_the_codes():
    codes = _codes(500)
    column = text_array(TEXTS, codes)
    assert isinstance(column, pd.Categorical)
    assert list(column) == [TEXTS[c] for c in codes]
    # the texts that occur, once, sorted (a repeated entry of the table is one category)
    assert list(column.categories) == sorted({TEXTS[c] for c in codes})
    assert "ongebruikt" not in column.categories
    assert str(column.categories.dtype) == "str"


def test_negative_codes_count_from_the_end_as_a_take():
    column = text_array(["a", "b", "c"], np.array([-1, 0, -3, 2]))
    assert list(column) == ["c", "a", "a", "c"]


def test_empty():
    assert len(text_array(["x"], np.zeros(0, dtype="int64"))) == 0
    assert len(text_array([], np.zeros(0, dtype="int64"))) == 0


def test_equal_values_give_equal_columns_whatever_the_table_or_order():
    codes = _codes(300)
    values = [TEXTS[c] for c in codes]
    # the same values from another table (other order, other extra entries), rows shuffled
    other_table = ["zzz", *sorted(set(TEXTS))]
    order = np.random.default_rng(5).permutation(len(codes))
    other = text_array(other_table, np.array([other_table.index(values[i]) for i in order]))
    same = text_array(TEXTS, codes)
    assert other.dtype == same.dtype
    pd.testing.assert_series_equal(pd.Series(other[np.argsort(order)]), pd.Series(same))


def test_text_helpers_on_codes_equal_the_object_round_trip():
    codes = _codes(400, seed=2)
    column = pd.Series(text_array(TEXTS, codes))
    plain = pd.Series([TEXTS[c] for c in codes], dtype=object)
    for text in ("kandidaat", "", "monument", "not there"):
        np.testing.assert_array_equal(text_equals(column, text), text_equals(plain, text))
    pos = np.array([3, 17, 250, 399])
    np.testing.assert_array_equal(texts_at(column, pos), plain.to_numpy()[pos])
    for new in (["uitgesloten: a", "uitgesloten: b", "kandidaat", "uitgesloten: a"], "uitgesloten"):
        replaced = replace_texts(column, pos, new)
        expected = replace_texts(plain, pos, new)
        assert list(replaced) == list(expected)
        assert isinstance(replaced, pd.Categorical)
        assert list(replaced.categories) == sorted(set(expected))
    assert list(replace_texts(column, np.zeros(0, dtype="int64"), [])) == list(plain)


def test_concat_frames_gives_the_whole_frame():
    codes = _codes(600, seed=3)
    whole = pd.DataFrame({"reden": text_array(TEXTS, codes), "n": np.arange(600)})
    # parts cut from larger frames still list texts they do not use
    parts = [whole.iloc[:200], whole.iloc[200:201], whole.iloc[201:]]
    parts = [pd.DataFrame({"reden": text_array(TEXTS, np.r_[codes[p.index], 0, 4])[:-2], "n": p["n"].to_numpy()})
             for p in parts]
    joined = concat_frames(parts)
    pd.testing.assert_frame_equal(joined, whole)


def test_concat_frames_leaves_other_columns_to_pandas():
    a = pd.DataFrame({"t": pd.array(["x", "y"], dtype="str"), "c": text_array(["p"], [0, 0])})
    b = pd.DataFrame({"t": pd.array(["z"], dtype="str"), "c": text_array(["q"], [0])})
    joined = concat_frames([a, b])
    assert str(joined["t"].dtype) == "str"
    assert list(joined["c"]) == ["p", "p", "q"] and list(joined["c"].cat.categories) == ["p", "q"]


@pytest.mark.parametrize("index_type", [pa.int8(), pa.int16(), pa.int32()])
def test_a_dictionary_column_is_written_as_its_text(index_type, tmp_path):
    import sqlite3

    codes = _codes(3000, seed=4)
    values = [TEXTS[c] if i % 7 else None for i, c in enumerate(codes)]  # with nulls
    plain = pa.array(values, pa.string())
    coded = plain.dictionary_encode().cast(pa.dictionary(index_type, pa.string()))
    boxes = pa.array(shapely.to_wkb(shapely.box(np.arange(3000), 0, np.arange(3000) + 1, 1)), pa.binary())
    table = geopackage.plain_text(pa.table({"reden": coded, "geometry": boxes}))
    assert table.column("reden").combine_chunks().equals(plain)
    path = tmp_path / "tekst.gpkg"
    geopackage.write_batches(table.to_batches(), table.schema, path, "t", geometry_type="Polygon", crs="EPSG:28992")
    with sqlite3.connect(path) as con:
        stored = con.execute("SELECT reden, typeof(reden) FROM t ORDER BY fid").fetchall()
    assert [v for v, _ in stored] == values
    assert {kind for v, kind in stored if v is not None} == {"text"}


@pytest.mark.parametrize("dtype", [object, "str"])
def test_input_text_as_categories_holds_the_same_values(dtype):
    """``as_text_categories`` (the daktype and status of the prepared panden): the same values,
    missing where missing, categories sorted and used (as text_array gives them), and the rules
    that test the texts answer as on the plain column."""
    from scans._rules import as_text, as_text_categories, distinct_values, isin_lower

    values = ["Pand in gebruik", None, "Bouw gestart", "pand in gebruik ", "Pand in gebruik", None, "Sloop"]
    frame = pd.DataFrame({"status": pd.Series(values, dtype=dtype)})
    column = as_text_categories(frame, "status")
    assert isinstance(column.dtype, pd.CategoricalDtype)
    assert [None if pd.isna(v) else v for v in column] == values
    assert list(column.cat.categories) == sorted({v for v in values if v is not None})
    plain = as_text(frame, "status")
    for allowed in (["pand in gebruik"], ["Sloop", "bouw gestart"], [""]):
        assert np.array_equal(isin_lower(column, allowed), isin_lower(plain, allowed))
    codes, uniques = distinct_values(column)
    assert [None if c < 0 else uniques[c] for c in codes] == values
    assert as_text_categories(frame, "ontbreekt").isna().all()  # no such column: all missing, as as_text
    empty = as_text_categories(pd.DataFrame({"status": pd.Series([None, None], dtype=dtype)}), "status")
    assert empty.isna().all() and len(empty.cat.categories) == 0


def test_input_values_that_are_not_all_text_stay_objects():
    from scans._rules import as_text_categories

    frame = pd.DataFrame({"dak_type": pd.Series(["slanted", 3, None], dtype=object)})
    column = as_text_categories(frame, "dak_type")
    assert column.dtype == object and list(column) == ["slanted", 3, None]
