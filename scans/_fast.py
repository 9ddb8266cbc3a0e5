"""Fast paths of the scan engine that need a little machinery, kept in one place.

- :func:`in_halves`: a vectorised GEOS call on a large array split over two threads
  (shapely releases the GIL inside GEOS, so the halves run side by side on two cores) and
  into slices (so other threads, the window's, are not stalled while shapely holds the
  GIL); results are concatenated in input order, so they are identical to one call.
- :func:`beside`: a step that holds the GIL most of its time (pandas, numpy on small
  pieces) started on a thread of its own, so it runs while the calling thread waits for
  GEOS (which does not hold the GIL) instead of before or after it.
- Text columns: pandas 3 keeps text as Arrow strings; converting a million of them to
  Python objects (``.to_numpy()``, ``astype(object)``) and back costs ~0.1 s per column
  each way. :func:`text_equals`, :func:`texts_at` and :func:`replace_texts` work on the
  Arrow data directly and give the same values and dtypes as the object round trip; on the
  engine's categorical columns (``_rules.text_array``) they work on the codes.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import shapely

from layers.geometry import geos_executor, in_geos_thread
from layers.prepared import private_for
from scans._rules import text_array

#: Below this many elements one call is faster than two threads (thread hand-off, copies). At
#: 100k panden two threads (and :func:`beside`) still gain: with 200 000 here the whole 100k scan
#: took ~12% longer (alternating runs of the benchmark town).
THREADS_FROM = 20_000

#: Elements per GEOS call. shapely keeps the GIL while it creates the result objects, so one
#: call over a million geometries (a centroid each: ~0.7 s) stalls every other thread, the
#: window's included; between two slices the other threads get their turn.
SLICE = 16_384


def _two_threads(n: int) -> bool:
    """Whether work on ``n`` elements is split over two threads (large enough, and not already
    on one of the GEOS threads, where waiting for the pool could deadlock)."""
    return n >= THREADS_FROM and not in_geos_thread()


def _sliced(func: Callable[..., np.ndarray], arrays: tuple[np.ndarray, ...]) -> np.ndarray:
    n = len(arrays[0])
    if n <= SLICE:
        return func(*arrays)
    return np.concatenate([func(*(a[i:i + SLICE] for a in arrays)) for i in range(0, n, SLICE)])


def in_halves(func: Callable[..., np.ndarray], *arrays: np.ndarray) -> np.ndarray:
    """``func(*arrays)`` for an element-wise function (same-length 1-D inputs, one output
    per element), computed on two halves in two threads when the input is large, each in
    slices of :data:`SLICE` elements."""
    n = len(arrays[0])
    if not _two_threads(n):
        return _sliced(func, arrays)
    half = n // 2
    first = geos_executor().submit(_sliced, func, tuple(a[:half] for a in arrays))
    second = _sliced(func, tuple(a[half:] for a in arrays))  # the calling thread does the other half
    return np.concatenate([first.result(), second])


def prepared_in_halves(func: Callable[..., np.ndarray], polygons: np.ndarray, which: np.ndarray,
                       x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """``func(polygons[which], x, y)`` with the polygons prepared, for a point predicate such as
    ``shapely.intersects_xy``, computed in two halves on two threads like :func:`in_halves`.

    Each half tests prepared copies of its own (:func:`layers.prepared.private_xy`): GEOS builds
    a prepared polygon's point index lazily and without a lock, so a prepared polygon is never
    shared between threads, and ``polygons`` (a layer's, which other threads may be testing) are
    never prepared themselves.
    """
    n = len(which)
    if not _two_threads(n):
        return _sliced_xy(func, polygons, which, x, y)
    half = n // 2
    first = geos_executor().submit(_sliced_xy, func, polygons, which[:half], x[:half], y[:half])
    second = _sliced_xy(func, polygons, which[half:], x[half:], y[half:])
    return np.concatenate([first.result(), second])


def _sliced_xy(func: Callable[..., np.ndarray], polygons: np.ndarray, which: np.ndarray,
               x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """:func:`~layers.prepared.private_xy` in slices of :data:`SLICE` points, on one set of
    private copies (made once for all slices of this thread)."""
    copies, local = private_for(polygons, which)
    return _sliced(lambda w, xs, ys: func(copies[w], xs, ys), (local, x, y))


def beside(func: Callable[..., object], *args: object) -> Future:
    """``func(*args)`` started on a new thread of its own; its :class:`~concurrent.futures.Future`
    (``result()`` waits for it and raises what it raised).

    Not on :func:`~layers.geometry.geos_executor`'s threads: the calling thread's
    :func:`in_halves` calls need those meanwhile."""
    future: Future = Future()

    def run() -> None:
        if not future.set_running_or_notify_cancel():
            return
        try:
            future.set_result(func(*args))
        except BaseException as error:  # noqa: BLE001  (raised again by future.result())
            future.set_exception(error)

    threading.Thread(target=run, name="bb-ernaast", daemon=True).start()
    return future


def _sliced_query(query: Callable[[np.ndarray], np.ndarray], geoms: np.ndarray) -> np.ndarray:
    if len(geoms) <= SLICE:
        return query(geoms)
    pairs = []
    for start in range(0, len(geoms), SLICE):
        found = query(geoms[start:start + SLICE]).copy()
        found[0] += start
        pairs.append(found)
    return np.concatenate(pairs, axis=1)


def query_in_halves(query: Callable[[np.ndarray], np.ndarray], geoms: np.ndarray) -> np.ndarray:
    """``query(geoms)`` for an ``STRtree.query``-like call returning a (2, k) array of
    (input position, tree position) pairs ordered by input position; large inputs are
    queried in two halves in two threads (in slices of :data:`SLICE`) and the pairs joined
    in the same order."""
    n = len(geoms)
    if not _two_threads(n):
        return _sliced_query(query, geoms)
    half = n // 2
    first = geos_executor().submit(_sliced_query, query, geoms[:half])
    second = _sliced_query(query, geoms[half:]) + np.array([[half], [0]])
    return np.concatenate([first.result(), second], axis=1)


# ---------------------------------------------------------------------------- text columns

_DEFAULT_STR = pd.StringDtype("pyarrow", na_value=np.nan)


def is_arrow_text(values: "pd.Series | pd.api.extensions.ExtensionArray") -> bool:
    """True for pandas' default ``str`` dtype backed by Arrow (what pandas 3 infers for text)."""
    return values.dtype == _DEFAULT_STR


def _arrow(values: "pd.Series | pd.api.extensions.ExtensionArray") -> pa.Array:
    """The Arrow data behind an Arrow text column (zero-copy unless it has several chunks)."""
    data = pa.array(values.array if isinstance(values, pd.Series) else values)
    if isinstance(data, pa.ChunkedArray):
        data = data.chunk(0) if data.num_chunks == 1 else data.combine_chunks()
    return data


def is_categorical(values: "pd.Series | pd.api.extensions.ExtensionArray") -> bool:
    """True for a categorical column (the engine's reason and zone columns, see ``_rules.text_array``)."""
    return isinstance(values.dtype, pd.CategoricalDtype)


def text_equals(values: pd.Series, text: str) -> np.ndarray:
    """``values.to_numpy() == text`` as a bool array (missing values are never equal)."""
    if is_categorical(values):
        codes = np.asarray(values.array.codes)
        position = values.array.categories.get_indexer([text])[0]
        return codes == position if position >= 0 else np.zeros(len(codes), dtype=bool)
    if is_arrow_text(values):
        return pc.fill_null(pc.equal(_arrow(values), text), False).to_numpy(zero_copy_only=False)
    return np.asarray(values.to_numpy() == text, dtype=bool)


def texts_at(values: pd.Series, pos: np.ndarray) -> np.ndarray:
    """``values.to_numpy(dtype=object)[pos]`` without converting the whole column."""
    return values.array.take(np.asarray(pos, dtype="int64")).to_numpy(dtype=object)


def replace_texts(values: pd.Series, pos: np.ndarray, texts) -> "pd.api.extensions.ExtensionArray | np.ndarray":
    """``values`` with ``texts`` at (distinct) positions ``pos``: the column that assigning
    ``values.to_numpy(dtype=object)`` with those texts set would give. For an Arrow text
    column: one Arrow take, no Python string per row."""
    pos = np.asarray(pos, dtype="int64")
    if is_categorical(values) and not values.isna().any():
        column = values.array
        new = np.asarray(texts, dtype=object) if np.ndim(texts) else np.full(pos.size, texts, dtype=object)
        codes = np.asarray(column.codes, dtype="int64").copy()
        codes[pos] = len(column.categories) + np.arange(pos.size)
        return text_array([*column.categories, *new], codes)
    if not is_arrow_text(values):
        out = values.to_numpy(dtype=object).copy()
        out[pos] = texts
        return out
    if not pos.size:
        return values.array
    data = _arrow(values)
    new = pa.array(np.asarray(texts, dtype=object) if np.ndim(texts) else [texts] * pos.size, type=data.type)
    # one take from the column followed by the new texts: row i keeps i, replaced rows
    # point past the end
    index = np.arange(len(data), dtype="int64")
    index[pos] = len(data) + np.arange(pos.size)
    return pd.array(pa.concat_arrays([data, new]).take(pa.array(index)), dtype="str")
