"""Arrow text columns become the same object columns whether they have few distinct texts or many."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from layers import roles


def _generic(arrow) -> np.ndarray:
    """What ``_object_values`` gives without the few-texts path."""
    values = np.asarray(arrow.to_numpy(zero_copy_only=False), dtype=object)
    if arrow.null_count:
        values[np.asarray(arrow.is_null().to_numpy(zero_copy_only=False), dtype=bool)] = np.nan
    return values


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    if not pd.Series(a, dtype=object).equals(pd.Series(b, dtype=object)):
        return False
    return [type(v) for v in a] == [type(v) for v in b]


@pytest.mark.parametrize("chunked", [False, True])
@pytest.mark.parametrize("with_nulls", [False, True])
def test_few_distinct_texts_give_the_generic_values(chunked, with_nulls):
    rng = np.random.default_rng(7)
    n = roles._FEW_MIN_ROWS + 1234
    texts = np.array(["Pand in gebruik", "Verbouwing pand", "  spaties  ", "één", "", "onbekend"], dtype=object)
    values = texts[rng.integers(0, len(texts), n)]
    if with_nulls:
        values[rng.integers(0, n, 500)] = None
    arrow = pa.array(values, type=pa.large_string())
    if chunked:
        arrow = pa.chunked_array([arrow.slice(0, n // 3), arrow.slice(n // 3)])
    few = roles._few_texts(arrow)
    assert few is not None
    assert _same(few, _generic(arrow))
    assert _same(roles._object_values(arrow), _generic(arrow))


def test_many_distinct_texts_keep_the_generic_path():
    n = roles._FEW_MIN_ROWS
    ids = pa.array([f"{i:016d}" for i in range(n)])
    assert roles._few_texts(ids) is None
    # few distinct texts at the start, many later: declined after encoding
    mixed = pa.array(["a"] * roles._FEW_SAMPLE + [str(i) for i in range(n)])
    assert roles._few_texts(mixed) is None
    assert _same(roles._object_values(mixed), _generic(mixed))


def test_map_columns_status_column_is_identical_to_python_strings():
    n = roles._FEW_MIN_ROWS + 10
    status = pd.Series(pd.array(["Pand in gebruik", None, "Pand in gebruik (niet ingemeten)"] * (n // 3 + 1),
                                dtype="str")[:n])
    frame = pd.DataFrame({"status": status})
    out, _ = roles.map_columns(frame, "gebouwen")
    expected = status.astype(object).where(status.notna(), np.nan)
    assert out["status"].dtype == object
    assert out["status"].equals(expected)


@pytest.mark.parametrize("chunked", [False, True])
def test_many_texts_converted_in_slices_give_the_generic_values(monkeypatch, chunked):
    """Python strings are made a slice at a time (other threads run in between): same values."""
    monkeypatch.setattr(roles, "_OBJECT_SLICE", 7)
    values = np.array([f"{i:016d}" if i % 5 else None for i in range(100)], dtype=object)
    arrow = pa.array(values, type=pa.large_string())
    if chunked:
        arrow = pa.chunked_array([arrow.slice(0, 33), arrow.slice(33)])
    assert _same(roles._object_values(arrow), _generic(arrow))


def test_identifiers_checked_in_slices_are_kept_or_declined_as_a_whole(monkeypatch):
    monkeypatch.setattr(roles, "_OBJECT_SLICE", 4)
    ids = [f"05031000000{i:05d}" for i in range(10)]
    kept = roles.normalise_pand_id(pd.Series([*ids[:6], np.nan, *ids[6:]], dtype=object))
    assert kept.tolist()[:6] == ids[:6] and kept.isna().tolist() == [False] * 6 + [True] + [False] * 4
    # one value in a later slice needs work: the whole column goes the normalising way
    messy = pd.Series([*ids[:9], "NL.IMBAG.Pand.0503100000000099"], dtype=object)
    assert roles._ids_already(messy) is None
    assert roles.normalise_pand_id(messy).tolist() == [*ids[:9], "0503100000000099"]


def test_arrow_from_objects_in_slices_equals_one_call(monkeypatch):
    monkeypatch.setattr(roles, "_OBJECT_SLICE", 3)
    values = np.array(["a", None, "ccc", np.nan, "é", "", "x", "y"], dtype=object)
    for type_ in (pa.large_string(), pa.string()):
        sliced = roles.arrow_from_objects(values, type_)
        assert sliced.num_chunks == 3
        assert sliced.combine_chunks().equals(pa.array(values, type=type_, from_pandas=True))
    with pytest.raises((pa.ArrowInvalid, pa.ArrowTypeError)):
        roles.arrow_from_objects(np.array(["a", "b", "c", 4], dtype=object))
