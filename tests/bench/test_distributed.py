"""scans.batch.distributed on a LocalCluster of 2 workers: the same result as the single-machine run."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("distributed")

from scans.batch.distributed import plan_partitions, run_potentiescan_dask  # noqa: E402
from layers.feedback import RecordingFeedback  # noqa: E402
from scans.pipeline import run_potentiescan  # noqa: E402
from scans.scenarios import PRESETS  # noqa: E402


@pytest.fixture(scope="module")
def client():
    from distributed import Client, LocalCluster

    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None)
    c = Client(cluster)
    yield c
    c.close()
    cluster.close()


def assert_same(a, b):
    pd.testing.assert_frame_equal(pd.DataFrame(a.gebouwen), pd.DataFrame(b.gebouwen), check_exact=True)
    assert a.gebouwen.crs == b.gebouwen.crs
    pd.testing.assert_frame_equal(pd.DataFrame(a.gebieden), pd.DataFrame(b.gebieden), check_exact=True)
    if a.complexen is not None or b.complexen is not None:
        pd.testing.assert_frame_equal(a.complexen, b.complexen, check_exact=True)
    assert a.totals == b.totals


def test_partitions_cover_every_building_once(bench_inputs):
    parts, vbo_pos = plan_partitions(bench_inputs, PRESETS["standaard"], partition_size=5_000)
    assert len(parts) > 2
    core = np.concatenate([p.core for p in parts])
    assert np.array_equal(np.sort(core), np.arange(len(bench_inputs.gebouwen)))
    assert all(np.isin(p.core, p.rows).all() for p in parts)
    assert len(vbo_pos) == len(bench_inputs.verblijfsobjecten)


@pytest.mark.parametrize("preset", ["standaard", "optimistisch"])
def test_identical_by_gemeente(bench_inputs, client, preset):
    settings = PRESETS[preset]
    fb = RecordingFeedback()
    got = run_potentiescan_dask(bench_inputs, settings, client, fb, partition_size=15_000)
    assert_same(run_potentiescan(bench_inputs, settings), got)
    assert fb.steps[-1] == (1.0, "klaar")


def test_identical_split_gemeente_derived_yards(bench_inputs, client):
    """Gemeenten split along buurten, yards derived from neighbours (no erven layer): the halo matters."""
    inputs = dataclasses.replace(bench_inputs, erven=None)
    settings = PRESETS["standaard"]
    expected = run_potentiescan(inputs, settings)
    assert expected.totals["boerenerf"] > 0
    got = run_potentiescan_dask(inputs, settings, client, partition_size=4_000)
    assert_same(expected, got)


def test_identical_with_portfolio(bench_inputs, client):
    pand_ids = bench_inputs.gebouwen["pand_id"].iloc[::9].to_numpy()
    portfolio = pd.DataFrame({"pand_id": pand_ids, "complex": [f"C{i % 4}" for i in range(len(pand_ids))]})
    inputs = dataclasses.replace(bench_inputs, portefeuille=portfolio)
    assert_same(run_potentiescan(inputs), run_potentiescan_dask(inputs, None, client, partition_size=8_000))


def test_matches_reference_totals(bench_project, bench_inputs, client, tmp_path):
    from bench.reference import compare, figures, run

    _, ref = run(bench_project, tmp_path / "ref.gpkg")
    got = run_potentiescan_dask(bench_inputs, None, client, partition_size=8_000)
    assert compare(figures(got.gebouwen), ref) == []
