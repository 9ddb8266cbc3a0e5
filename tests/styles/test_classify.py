"""Classification: known results, optimality of natural breaks, edge cases."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from styles import classify, graduated


def _ssd(parts):
    return sum(float(((p - p.mean()) ** 2).sum()) for p in parts)


@pytest.mark.parametrize(
    "values, method, k, expected",
    [
        ([0, 10, 20, 30, 40], "equal_interval", 4, [0, 10, 20, 30, 40]),
        ([1, 2, 3, 4, 5, 6, 7, 8, 9], "quantiles", 2, [1, 5, 9]),
        # Classic Jenks illustration: three obvious clusters.
        ([1, 2, 4, 5, 7, 9, 10, 20], "natural_breaks", 3, [1, 5, 10, 20]),
        ([1, 1, 1, 2, 2, 2, 10, 10, 10, 20, 20, 20], "natural_breaks", 4, [1, 1, 2, 10, 20]),
        ([5, 5, 5], "natural_breaks", 5, [5, 5]),
        ([], "quantiles", 3, []),
        ([np.nan, 1, 3, np.nan], "equal_interval", 2, [1, 2, 3]),
    ],
)
def test_known_breaks(values, method, k, expected):
    assert classify(values, method, k) == pytest.approx(expected)


def test_natural_breaks_is_the_optimal_partition():
    rng = np.random.default_rng(7)
    for _ in range(25):
        x = np.sort(rng.gamma(2.0, 3.0, size=11))
        best = min(
            itertools.combinations(range(1, 11), 2),
            key=lambda ab: _ssd([x[: ab[0]], x[ab[0] : ab[1]], x[ab[1] :]]),
        )
        a, b = best
        assert classify(x, "natural_breaks", 3) == pytest.approx([x[0], x[a - 1], x[b - 1], x[-1]])


def test_natural_breaks_on_50k_values_is_ordered():
    # Its speed is measured by the benchmarks, not asserted here (wall-clock limits flake on CI).
    values = np.random.default_rng(1).gamma(2.0, 3.0, size=50_000)
    edges = classify(values, "natural_breaks", 5)
    assert len(edges) == 6 and edges == sorted(edges)
    assert edges[0] == values.min() and edges[-1] == values.max()


def test_quantiles_many_zeros_keep_a_class_of_zero():
    values = np.r_[np.zeros(90), np.arange(1, 11)]
    edges = classify(values, "quantiles", 5)
    assert edges[:2] == [0.0, 0.0] and edges[-1] == 10


@pytest.mark.parametrize("method, k", [("kmeans", 3), ("quantiles", 0)])
def test_bad_arguments_name_the_value(method, k):
    with pytest.raises(ValueError, match=str(method if method == "kmeans" else k)):
        classify([1, 2, 3], method, k)


def test_graduated_labels_for_whole_numbers_do_not_overlap():
    style = graduated("totaal_woningen", [0, 1, 2, 10, 11, 50], "natural_breaks", 3, "Blues")
    assert [c.label for c in style.classes] == ["0 – 2", "3 – 11", "12 – 50"]
    assert style.classes[0].symbol.fill != style.classes[-1].symbol.fill


@pytest.mark.parametrize(
    "values, k, classes",
    [
        (np.r_[np.zeros(90), np.arange(1, 11)], 5, 5),  # np.quantile gave 2 classes here
        (np.r_[np.zeros(700), np.ones(200), np.arange(2, 102)], 5, 5),
        (np.r_[np.full(50, 3.0), np.full(50, 7.0)], 5, 2),  # only 2 distinct values: 2 classes
        (np.arange(100), 5, 5),
        ([4.0, 4.0, 9.0, 9.0, 12.0], 5, 3),
    ],
)
def test_quantiles_give_k_classes_when_the_data_allows(values, k, classes):
    from styles import distinct_count

    edges = classify(values, "quantiles", k)
    assert len(edges) - 1 == classes == min(k, distinct_count(values))
    assert edges[0] == np.min(values) and edges[-1] == np.max(values)
    assert all(b > a for a, b in zip(edges[1:], edges[2:]))  # no empty class after the first


def test_quantile_classes_share_the_rest_after_a_big_tie():
    values = np.r_[np.zeros(90), np.arange(1, 11)]
    edges = np.array(classify(values, "quantiles", 5))
    # class i holds edges[i] < v <= edges[i+1] (the first also the minimum)
    counts = [np.count_nonzero(values <= edges[1])] + [
        np.count_nonzero((values > lo) & (values <= hi)) for lo, hi in zip(edges[1:-1], edges[2:])
    ]
    assert counts[0] == 90 and sum(counts) == 100
    assert max(counts[1:]) - min(counts[1:]) <= 1  # the ten others spread over four classes


def test_quantiles_of_evenly_spread_values_match_numpy():
    values = np.arange(1000.0)
    edges = classify(values, "quantiles", 4)
    assert edges == pytest.approx(np.quantile(values, [0, 0.25, 0.5, 0.75, 1.0]), abs=1.0)
