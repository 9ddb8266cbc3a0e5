"""No prepared GEOS geometry is shared between threads (issue 21, item 2).

GEOS builds a prepared polygon's point index lazily, on its first tests, without a lock; shapely
prepares in place, and ``contains_xy``/``intersects_xy`` prepare their polygon themselves. When two
callers tested the same new polygons at once (two scans, a scan and the informatieproduct on a
gebied, a Dask cluster of threads) the process died of heap corruption. The engine and the
informatieproduct now test private prepared copies (``layers.prepared``).

Each case runs in a subprocess, so a crash fails the test instead of killing pytest. Every round
reads the project again, so the polygons are new (never prepared) each time. With the warm-up
that came before (``_fast.prepared_in_halves`` preparing the layer's polygons in place) the
threads case died (SIGABRT/SIGSEGV) in its first rounds in 3 of 3 runs.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

#: Shared by both scripts: the sample project read anew (new polygons) and made dense.
_PREAMBLE = r"""
import sys

import shapely

from layers.project import load_project
from scans import _fast
from scans.inputs import ScanInputs
from scans.scenarios import resolve_scenario

_fast.THREADS_FROM = 50  # the sample town's 19 000 panden: every GEOS step on two threads
path, rounds = sys.argv[1], int(sys.argv[2])


def dense_project():
    # the polygon layers with a vertex every metre: GEOS takes longer to index each polygon,
    # so threads that shared one would collide in nearly every round
    project = load_project(path)
    for layer in project.layers:
        if layer.role in ("gebieden", "netcongestie", "water_bodem", "nplv"):
            geoms = shapely.segmentize(layer.data.geometry.to_numpy(), 1.0)
            layer.data = layer.data.set_geometry(geoms, crs=layer.data.crs)
    return project
"""

_THREADS = _PREAMBLE + r"""
import threading

import numpy as np

from gisapp.reports.informatieproduct import build_informatieproduct, raster_values_in
from scans.pipeline import run_potentiescan


def scan(project, settings, out, key):
    result = run_potentiescan(ScanInputs.from_project(project), settings)
    out[key] = result.gebouwen.drop(columns="geometry").to_json()


def product(project, out):
    gebieden = project.layer(project.gebieden_layers()[0])
    codes = gebieden.data["gebied_code"].astype(str)
    klassen = [build_informatieproduct(project, gebied=codes.iloc[i]).klasse for i in range(min(4, len(codes)))]
    # the layer's own polygons, as the map tool's point test gets them: never prepared in place
    raster = next(layer.raster for layer in project.layers if getattr(layer, "raster", None) is not None)
    values = [raster_values_in(raster, polygon).sum() for polygon in gebieden.data.geometry.to_numpy()[:8]]
    prepared = shapely.is_prepared(gebieden.data.geometry.to_numpy()).any()
    out["product"] = (klassen, np.round(values, 6).tolist(), bool(prepared))


first = None
for _ in range(rounds):
    project = dense_project()
    settings = resolve_scenario(project, None)
    out = {}
    threads = [threading.Thread(target=scan, args=(project, settings, out, "a")),
               threading.Thread(target=scan, args=(project, settings, out, "b")),
               threading.Thread(target=product, args=(project, out))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert set(out) == {"a", "b", "product"}, sorted(out)  # a thread that raised left its key out
    assert out["a"] == out["b"]
    assert out["product"][2] is False, "a layer's polygons were prepared in place"
    first = first or out
    assert out == first, "a round gave other results"
print("ok")
"""

_DASK = _PREAMBLE + r"""
from dask.distributed import Client, LocalCluster

from scans.batch.distributed import run_potentiescan_dask

with LocalCluster(n_workers=1, threads_per_worker=4, processes=False, dashboard_address=None) as cluster, \
        Client(cluster) as client:
    first = None
    for _ in range(rounds):
        project = dense_project()
        inputs = ScanInputs.from_project(project)
        # small partitions: several run at once on the worker's threads, all with the same gebieden
        result = run_potentiescan_dask(inputs, resolve_scenario(project, None), client,
                                       partition_size=max(200, len(inputs.gebouwen) // 6))
        values = result.gebouwen.drop(columns="geometry").sort_index().to_json()
        first = first or values
        assert values == first, "a round gave other results"
print("ok")
"""


def _run(script: str, *args: str) -> None:
    done = subprocess.run([sys.executable, "-c", script, *args], cwd=REPO, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0 and done.stdout.strip().endswith("ok"), (
        f"exit {done.returncode}\n{done.stdout[-1000:]}\n{done.stderr[-3000:]}")


def test_two_scans_and_an_informatieproduct_at_once_never_crash(sample_project_path):
    _run(_THREADS, str(sample_project_path), "12")


@pytest.mark.skipif(importlib.util.find_spec("distributed") is None, reason="dask.distributed is not installed")
def test_a_dask_cluster_of_threads_never_crashes(sample_project_path):
    _run(_DASK, str(sample_project_path), "4")


_PREPARING = {"prepare", "contains_xy", "intersects_xy"}  # shapely functions that prepare their argument in place


def test_no_code_prepares_a_geometry_it_does_not_own():
    """``shapely.prepare``, ``contains_xy`` and ``intersects_xy`` prepare their (first) geometry in
    place; outside ``layers/prepared.py`` they are only called on ``private_prepared(...)`` copies."""
    import ast

    offenders = []
    for package in ("layers", "scans", "styles", "gisapp"):
        for path in sorted((REPO / package).rglob("*.py")):
            if path == REPO / "layers" / "prepared.py":
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                        and isinstance(node.func.value, ast.Name) and node.func.value.id == "shapely"
                        and node.func.attr in _PREPARING):
                    continue
                first = node.args[0] if node.args else None
                private = (isinstance(first, ast.Call) and isinstance(first.func, ast.Name)
                           and first.func.id == "private_prepared")
                if not private:
                    offenders.append(f"{path.relative_to(REPO)}:{node.lineno} shapely.{node.func.attr}")
    assert not offenders, offenders
