"""Classification of numeric values into classes for a choropleth.

``classify`` returns the class *edges*: ``k + 1`` ascending numbers from the minimum to the
maximum of the data (fewer when the data has fewer distinct values than classes). Class ``i``
holds ``edges[i] < v <= edges[i + 1]``; the first class also holds the minimum (QGIS' rule), so
``edges[0] == edges[1]`` is a class of exactly the minimum (e.g. the buildings with 0 homes).
"""

from __future__ import annotations

import numpy as np

from .symbols import CLASSIFY_METHODS

#: Natural breaks runs on at most this many values; larger inputs are reduced to evenly spaced
#: order statistics (deterministic, so the same data always gets the same breaks).
JENKS_SAMPLE = 1000


def classify(values, method: str, k: int) -> list[float]:
    """Class edges for ``values`` (NaN ignored).

    Parameters
    ----------
    values : array-like of numbers.
    method : ``"equal_interval"``, ``"quantiles"`` or ``"natural_breaks"`` (Jenks, by Fisher's
        exact dynamic programme: the partition with the least within-class squared deviation).
    k : number of classes, at least 1.

    Returns
    -------
    list of float: ascending edges, ``edges[0]`` the minimum and ``edges[-1]`` the maximum;
    empty when there are no finite values.
    """
    if method not in CLASSIFY_METHODS:
        raise ValueError(f"onbekende classificatiemethode {method!r}: kies uit {', '.join(CLASSIFY_METHODS)}")
    if int(k) < 1:
        raise ValueError(f"aantal klassen {k!r} moet minstens 1 zijn")
    data = np.asarray(values, dtype="float64").ravel()
    data = np.sort(data[np.isfinite(data)])
    if data.size == 0:
        return []
    lo, hi = float(data[0]), float(data[-1])
    if lo == hi:
        return [lo, hi]
    if method == "equal_interval":
        edges = np.linspace(lo, hi, int(k) + 1)
    elif method == "quantiles":
        edges = quantile_breaks(data, int(k))
    else:
        edges = natural_breaks(data, int(k))
    return _unique_edges(edges, lo, hi)


def distinct_count(values) -> int:
    """How many different finite values ``values`` holds: the most classes any method can make."""
    data = np.asarray(values, dtype="float64").ravel()
    return int(np.unique(data[np.isfinite(data)]).size)


def quantile_breaks(sorted_values: np.ndarray, k: int) -> np.ndarray:
    """Edges of ascending finite ``sorted_values`` into ``min(k, distinct values)`` classes of
    counts as equal as the ties allow.

    ``np.quantile`` puts several edges on a value that many features share (90 % zeros), and
    those classes vanish: 5 asked, 2 drawn. Here every class ends on a different distinct value,
    and after each edge the remaining features are shared again over the remaining classes, so a
    big tie takes one class and the rest of the data still gets the others.
    """
    x, counts = np.unique(np.asarray(sorted_values, dtype="float64"), return_counts=True)
    n = x.size
    k = min(int(k), n)
    cumulative = np.cumsum(counts)  # cumulative[j]: features up to and including x[j]
    total = cumulative[-1]
    edges = [x[0]]
    last = -1  # index of the distinct value that ends the previous class (-1: none yet)
    for m in range(1, k):
        done = cumulative[last] if last >= 0 else 0
        target = done + (total - done) / (k - m + 1)
        j = int(np.searchsorted(cumulative, target))  # first index reaching the target
        if j > 0 and target - cumulative[j - 1] < cumulative[min(j, n - 1)] - target:
            j -= 1  # the index before is closer (a tie goes up, as the median of 1…9 is 5)
        # at least one distinct value per class: after the previous edge, and room for the rest
        j = min(max(j, last + 1), n - 1 - (k - m))
        edges.append(x[j])
        last = j
    edges.append(x[-1])
    return np.array(edges)


def natural_breaks(sorted_values: np.ndarray, k: int) -> np.ndarray:
    """Fisher–Jenks optimal edges of ascending ``sorted_values`` (finite) into ``k`` classes.

    Works on the distinct values weighted by their counts (exact, and small for integer data such
    as numbers of homes); above :data:`JENKS_SAMPLE` distinct values it first takes evenly spaced
    order statistics. Each class step is one vectorised pass over an (n × n) cost slice.
    """
    data = np.asarray(sorted_values, dtype="float64")
    if data.size > JENKS_SAMPLE and np.unique(data).size > JENKS_SAMPLE:
        data = data[np.linspace(0, data.size - 1, JENKS_SAMPLE).round().astype(int)]
    x, w = np.unique(data, return_counts=True)
    n = x.size
    if k >= n:
        return np.concatenate([[x[0]], x])
    w = w.astype("float64")
    # Prefix sums give the weighted sum of squared deviations of any run x[i..j] in O(1).
    cw = np.concatenate([[0.0], np.cumsum(w)])
    cx = np.concatenate([[0.0], np.cumsum(w * x)])
    cxx = np.concatenate([[0.0], np.cumsum(w * x * x)])
    i = np.arange(n)[:, None]  # first element of the last class
    j = np.arange(n)[None, :]  # last element of the last class
    with np.errstate(invalid="ignore", divide="ignore"):
        sw = cw[j + 1] - cw[i]
        sx = cx[j + 1] - cx[i]
        ssd = (cxx[j + 1] - cxx[i]) - sx * sx / sw
    ssd = np.where(i <= j, np.maximum(ssd, 0.0), np.inf)
    cost = ssd[0].copy()  # cost[j]: best cost of x[0..j] in the classes placed so far
    starts = np.zeros((k, n), dtype=int)
    for m in range(1, k):
        # last class runs x[i..j]; the earlier m classes cover x[0..i-1].
        previous = np.concatenate([[np.inf], cost[:-1]])[:, None]
        total = previous + ssd
        starts[m] = np.argmin(total, axis=0)
        cost = total[starts[m], np.arange(n)]
    edges = [x[-1]]
    end = n - 1
    for m in range(k - 1, 0, -1):
        start = starts[m, end]
        edges.append(x[start - 1])
        end = start - 1
    edges.append(x[0])
    return np.array(edges[::-1])


def _unique_edges(edges, lo: float, hi: float) -> list[float]:
    edges = np.asarray(edges, dtype="float64")
    edges[0], edges[-1] = lo, hi
    # A first class holding only the minimum is real (e.g. all buildings with 0 homes), so the
    # second edge may equal the first; later duplicates would be empty classes and are dropped.
    out = [float(edges[0]), float(edges[1])]
    for edge in edges[2:]:
        if edge > out[-1]:
            out.append(float(edge))
    return out
