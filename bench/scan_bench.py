"""Scan benchmark: our full potentiescan against the plain-geopandas reference, per size.

Every run is a fresh subprocess (``python -m bench.scan_bench --worker …``), so the peak
memory is that run's own RSS high-water mark (``resource.getrusage``) and no cache of an
earlier run helps a later one. The worker prints one JSON line with stage times.

Our stages: ``read`` (``load_project`` + ``ScanInputs.from_project``), then the stages of
``run_potentiescan`` timed through its :class:`~layers.feedback.Feedback` (``prepare``,
``scans``, ``constraints``, ``aggregate``) and ``write`` (``write_result``). ``scan`` is
prepare … write: the issue's "full scan"; ``total`` adds reading the project.

``--snel`` runs ours as ``gisapp scan --snel`` does (:mod:`gisapp.tuning`: no cyclic garbage
collection, freed heap handed back after reading and after the scan) with
``NUMPY_MADVISE_HUGEPAGE=0`` in the worker's environment; the reference always runs untuned.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
#: Targets (issue 7 at 100k: the full scan incl. write; issue 21 at 1M: ``wall_s`` the whole
#: process from its start to a closed file, ``compute_s`` prepare + scans + constraints +
#: aggregate, peak RSS in MB, and ``ratio`` the reference's total over ours in the same run).
TARGETS = {100_000: {"scan_s": 0.8},
           1_000_000: {"wall_s": 10.0, "compute_s": 4.0, "peak_mb": 2048, "ratio": 2.5}}
#: Issue 22: every generator at 300k and 1M, ``gisapp scan`` as a user runs it (``--tegels auto``:
#: in memory below :data:`gisapp.commands.scan.TILED_FROM` panden, in tiles from there on).
DEFAULT_RUN_TARGET = {"ratio": 2.5, "peak_mb": 2048}
COMPUTE_STAGES = ("prepare", "scans", "constraints", "aggregate")
STAGE_OF = {
    "panden voorbereiden": "prepare",
    "water en bodem, netcongestie en NPLV": "constraints",
    "portefeuille": "constraints",
    "optellen per gebied": "aggregate",
}


class StageTimer:
    """A :class:`layers.feedback.Feedback` that books the time between progress calls per stage."""

    def __init__(self) -> None:
        self.stages: dict[str, float] = {}
        self._current: str | None = None
        self._since = time.perf_counter()

    def progress(self, fraction: float, text: str = "") -> None:
        now = time.perf_counter()
        if self._current is not None:
            self.stages[self._current] = self.stages.get(self._current, 0.0) + now - self._since
        self._current = STAGE_OF.get(text, "scans" if text.startswith("scan ") else None)
        self._since = now

    def is_cancelled(self) -> bool:
        return False

    def message(self, text: str) -> None:
        return None


def _peak_mb() -> float:
    """This process's peak RSS in MB. VmHWM where there is /proc: ru_maxrss survives fork and
    exec on Linux, so a worker started by a parent that once grew large (generating a project)
    would report the parent's peak."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0  # kB
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # KiB on Linux


def worker_ours(project: Path, out: Path, dask: str | None = None, tuned: bool = False) -> dict:
    from bench.reference import figures
    from gisapp import tuning
    from layers.project import load_project
    from scans.inputs import ScanInputs
    from scans.pipeline import run_potentiescan, write_result
    from scans.scenarios import PRESETS

    t0 = time.perf_counter()
    if tuned:
        tuning.tune_process()
    inputs = ScanInputs.from_project(load_project(project))
    if tuned:
        tuning.give_back()
    t1 = time.perf_counter()
    timer = StageTimer()
    if dask:
        from scans.batch.distributed import run_potentiescan_dask

        result = run_potentiescan_dask(inputs, PRESETS["standaard"], address=dask, feedback=timer)
    else:
        # as the CLI runs it (gisapp scan … --tegels nee): nothing else holds the layers, so the scan
        # releases what only its preparation reads
        result = run_potentiescan(inputs, PRESETS["standaard"], timer, consume=True)
        if tuned:
            tuning.give_back()
    timer.progress(1.0, "")
    t2 = time.perf_counter()
    write_result(result, out)
    t3 = time.perf_counter()
    stages = {"read": t1 - t0, **timer.stages, "write": t3 - t2}
    stages["scan"] = t3 - t1
    stages["total"] = t3 - t0
    # with --dask local the workers are child processes: their largest RSS high-water mark
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024.0
    return {"stages": stages, "peak_mb": _peak_mb(), "worker_peak_mb": children,
            "figures": figures(result.gebouwen), "totals": result.totals}


def worker_tiled(project: Path, out: Path, workers: int) -> dict:
    """The tiled scan (``gisapp scan --tegels ja``): reading, scanning and writing interleaved per tile."""
    from layers.project import load_project
    from scans.scenarios import PRESETS
    from scans.batch.tiled import scan_project_tiled

    from scans.batch.tiled import ProjectTiles, plan_tiles

    t0 = time.perf_counter()
    loaded = load_project(project, load_data=False)
    result = scan_project_tiled(loaded, PRESETS["standaard"], out, workers=workers)
    total = time.perf_counter() - t0
    tiles = len(plan_tiles(*ProjectTiles(loaded).extent_and_count()))
    workers = 1 if tiles == 1 else min(workers, tiles)  # one tile is scanned in this process
    # worker processes: their largest RSS high-water mark (each holds one tile at a time)
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024.0
    return {"stages": {"total": total}, "peak_mb": _peak_mb(), "worker_peak_mb": children,
            "workers": workers, "tiles": tiles, "totals": result.totals}


def worker_reference(project: Path, out: Path) -> dict:
    from bench.reference import run

    t0 = time.perf_counter()
    stages, figs = run(project, out)
    stages["scan"] = sum(v for k, v in stages.items() if k != "read")
    stages["total"] = time.perf_counter() - t0
    return {"stages": stages, "peak_mb": _peak_mb(), "figures": figs}


def run_once(kind: str, project: Path, out: Path, dask: str | None = None, timeout: float = 3600,
             workers: int | None = None, tuned: bool = False) -> dict:
    """One run in a fresh interpreter; returns the worker's JSON. The output of an earlier run is
    removed first, so the write is timed without deleting a large old file."""
    from layers.io.geopackage import remove_database

    remove_database(out)
    cmd = [sys.executable, "-m", "bench.scan_bench", "--worker", kind, "--project", str(project), "--out", str(out)]
    env = dict(os.environ)
    if tuned and kind != "reference":
        cmd += ["--snel"]
        env["NUMPY_MADVISE_HUGEPAGE"] = "0"
    if dask:
        cmd += ["--dask", dask]
    if workers:
        cmd += ["--workers", str(workers)]
    started = time.perf_counter()
    proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=timeout, env=env)
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        raise RuntimeError(f"{kind} run failed:\n{proc.stderr[-3000:]}")
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    data["stages"]["wall"] = wall  # the whole process: interpreter, imports, read, scan, closed file
    if kind == "ours":
        data["stages"]["compute"] = sum(data["stages"].get(name, 0.0) for name in COMPUTE_STAGES)
    return data


def _median(runs: list[dict], key: str) -> float:
    return statistics.median(r["stages"].get(key, 0.0) for r in runs)


def summarise(n: int, ours: list[dict], ref: list[dict], dask_runs: list[dict] | None = None,
              tiled_runs: list[dict] | None = None) -> dict:
    from bench.reference import compare

    stage_names = ["read", "prepare", "scans", "constraints", "aggregate", "compute", "write", "scan", "total", "wall"]
    out: dict = {"panden": n, "runs": max(len(ours), len(tiled_runs or []))}
    if tiled_runs:
        out["tiled"] = {"total": round(_median(tiled_runs, "total"), 3), "wall": round(_median(tiled_runs, "wall"), 3)}
        out["tiled_all_total_s"] = [round(r["stages"]["total"], 3) for r in tiled_runs]
        out["tiled_peak_mb"] = round(statistics.median(r["peak_mb"] for r in tiled_runs), 1)
        out["tiled_worker_peak_mb"] = round(statistics.median(r["worker_peak_mb"] for r in tiled_runs), 1)
        out["tiled_workers"] = tiled_runs[0]["workers"]
        out["tiled_tiles"] = tiled_runs[0]["tiles"]
        out["totals"] = tiled_runs[0]["totals"]
        if ours:
            out["tiled_identical_totals"] = all(r["totals"] == ours[0]["totals"] for r in tiled_runs)
    if not ours:
        return out
    out.update({
        "ours": {k: round(_median(ours, k), 3) for k in stage_names},
        "ours_peak_mb": round(statistics.median(r["peak_mb"] for r in ours), 1),
        "ours_all_scan_s": [round(r["stages"]["scan"], 3) for r in ours],
        "totals": ours[0]["totals"],
    })
    target = TARGETS.get(n, {})
    if target:
        out["targets"] = target
        if "scan_s" in target:
            out["meets_scan_target"] = out["ours"]["scan"] <= target["scan_s"]
        if "wall_s" in target:
            out["meets_wall_target"] = out["ours"]["wall"] <= target["wall_s"]
            out["meets_compute_target"] = out["ours"]["compute"] <= target["compute_s"]
        if "peak_mb" in target:
            out["meets_peak_target"] = out["ours_peak_mb"] <= target["peak_mb"]
    if ref:
        ref_names = ["read", "gebied", "overlays", "rasters", "aggregate", "write", "scan", "total", "wall"]
        out["reference"] = {k: round(_median(ref, k), 3) for k in ref_names}
        out["reference_peak_mb"] = round(statistics.median(r["peak_mb"] for r in ref), 1)
        out["ratio_total"] = round(out["reference"]["total"] / out["ours"]["total"], 2)
        out["ratio_wall"] = round(out["reference"]["wall"] / out["ours"]["wall"], 2)
        out["ratio_scan"] = round(out["reference"]["scan"] / out["ours"]["scan"], 2)
        out["figures_agree"] = not compare(ours[0]["figures"], ref[0]["figures"])
        out["figure_differences"] = compare(ours[0]["figures"], ref[0]["figures"])
    default = default_run(n, out)
    if default is not None:
        out["default_run"] = default
    if dask_runs:
        out["dask"] = {k: round(_median(dask_runs, k), 3) for k in stage_names}
        out["dask_peak_mb"] = round(statistics.median(r["peak_mb"] for r in dask_runs), 1)
        out["dask_worker_peak_mb"] = round(statistics.median(r["worker_peak_mb"] for r in dask_runs), 1)
        out["dask_identical_totals"] = all(r["totals"] == ours[0]["totals"] for r in dask_runs)
    return out


def default_run(n: int, out: dict) -> dict | None:
    """``gisapp scan`` as run without options (``--tegels auto``): which run of this benchmark
    that is, its wall time and largest process against the reference (issue 22's targets); None
    when that run or the reference was not measured."""
    from gisapp.commands.scan import TILED_FROM

    tiled = n >= TILED_FROM
    if "reference" not in out or ("tiled" if tiled else "ours") not in out:
        return None
    wall = out["tiled"]["wall"] if tiled else out["ours"]["wall"]
    peak = max(out["tiled_peak_mb"], out["tiled_worker_peak_mb"]) if tiled else out["ours_peak_mb"]
    ratio = round(out["reference"]["wall"] / wall, 2)
    return {"mode": "tiled" if tiled else "in memory", "wall": wall, "peak_mb": peak, "ratio_wall": ratio,
            "meets_ratio": ratio >= DEFAULT_RUN_TARGET["ratio"], "meets_peak": peak <= DEFAULT_RUN_TARGET["peak_mb"]}


def print_table(results: list[dict], stream=sys.stdout) -> None:
    p = lambda *a: print(*a, file=stream)  # noqa: E731
    p("\nScan benchmark (medians; seconds, peak RSS in MB)")
    p(f"{'panden':>10} {'pipeline':<10} {'read':>7} {'prepare':>8} {'scans':>7} {'constr':>7} {'aggr':>7} "
      f"{'write':>7} {'scan':>7} {'total':>7} {'wall':>7} {'peak':>7}")
    shape = None
    for r in results:
        if r.get("shape", "voorbeeldstad") != shape:
            shape = r.get("shape", "voorbeeldstad")
            p(f"-- {shape}")
        if "tiled" in r:
            peak = max(r["tiled_peak_mb"], r["tiled_worker_peak_mb"])
            p(f"{r['panden']:>10,} {'tiled':<10} {'':>7} {'':>8} {'':>7} {'':>7} {'':>7} {'':>7} {'':>7} "
              f"{r['tiled']['total']:7.2f} {r['tiled']['wall']:7.2f} {peak:7.0f}   ({r['tiled_tiles']} tiles, {r['tiled_workers']} worker processes; peak = largest process, "
              f"main {r['tiled_peak_mb']:.0f} MB"
              + (f"; totals identical to ours: {'yes' if r['tiled_identical_totals'] else 'NO'})" if "tiled_identical_totals" in r else ")"))
        if "ours" not in r:
            continue
        o = r["ours"]
        p(f"{r['panden']:>10,} {'ours':<10} {o['read']:7.2f} {o['prepare']:8.2f} {o['scans']:7.2f} {o['constraints']:7.2f} "
          f"{o['aggregate']:7.2f} {o['write']:7.2f} {o['scan']:7.2f} {o['total']:7.2f} {o['wall']:7.2f} {r['ours_peak_mb']:7.0f}")
        if "dask" in r:
            d = r["dask"]
            p(f"{'':>10} {'dask':<10} {d['read']:7.2f} {'':>8} {'':>7} {'':>7} {'':>7} {d['write']:7.2f} "
              f"{d['scan']:7.2f} {d['total']:7.2f} {d['wall']:7.2f} {r['dask_peak_mb']:7.0f}")
        if "reference" in r:
            f = r["reference"]
            p(f"{'':>10} {'reference':<10} {f['read']:7.2f} {f['gebied']:8.2f} {f['overlays'] + f['rasters']:7.2f} "
              f"{'':>7} {f['aggregate']:7.2f} {f['write']:7.2f} {f['scan']:7.2f} {f['total']:7.2f} {f['wall']:7.2f} {r['reference_peak_mb']:7.0f}")
            agree = "yes" if r["figures_agree"] else "NO: " + "; ".join(r["figure_differences"])
            p(f"{'':>10} ratio reference/ours: wall {r['ratio_wall']:.2f}x, total {r['ratio_total']:.1f}x, "
              f"without reading {r['ratio_scan']:.1f}x; "
              f"shared figures agree: {agree}")
        if "targets" in r:
            t = r["targets"]
            met = lambda key: "met" if r[key] else "NOT met"  # noqa: E731
            parts = []
            if "scan_s" in t:
                parts.append(f"scan {r['ours']['scan']:.2f} s (target ≤ {t['scan_s']} s: {met('meets_scan_target')})")
            if "wall_s" in t:
                parts.append(f"wall {r['ours']['wall']:.2f} s (target ≤ {t['wall_s']} s: {met('meets_wall_target')}), "
                             f"compute {r['ours']['compute']:.2f} s (target ≤ {t['compute_s']} s: "
                             f"{met('meets_compute_target')})")
            if "ratio" in t and "ratio_wall" in r:
                parts.append(f"ratio {r['ratio_wall']:.2f}x (target ≥ {t['ratio']}x: "
                             f"{'met' if r['ratio_wall'] >= t['ratio'] else 'NOT met'})")
            verdict = ", ".join(parts)
            if "peak_mb" in t:
                verdict += f", peak {r['ours_peak_mb']:.0f} MB (target ≤ {t['peak_mb']} MB: {'met' if r['meets_peak_target'] else 'NOT met'})"
            p(f"{'':>10} {verdict}")
        if "default_run" in r:
            d = r["default_run"]
            met = lambda ok: "met" if ok else "NOT met"  # noqa: E731
            p(f"{'':>10} gisapp scan as run by default ({d['mode']}): wall {d['wall']:.2f} s, ratio {d['ratio_wall']:.2f}x "
              f"(target ≥ {DEFAULT_RUN_TARGET['ratio']}x: {met(d['meets_ratio'])}), largest process {d['peak_mb']:.0f} MB "
              f"(target ≤ {DEFAULT_RUN_TARGET['peak_mb']} MB: {met(d['meets_peak'])})")
    p("(scan = prepare … write, the issue's 'full scan'; total adds reading the project; "
      "reference stages: gebied = centroid-in-buurt, scans column = overlays + rasters; "
      "tiled = gisapp scan --tegels ja: reading, scanning and writing interleaved, so only its total is comparable)")


def benchmark(sizes: list[int], runs: int, root: Path, reference: bool = True, dask: str | None = None,
              log=sys.stderr, in_memory: bool = True, tiled_workers: int = 0, tuned: bool = False,
              shapes: tuple[str, ...] = ("voorbeeldstad",)) -> list[dict]:
    """Per shape (:mod:`bench.shapes`) and size: ours and the reference in the same run."""
    from bench.generate import size_label
    from bench.shapes import generate_shape

    results = []
    for shape, n in ((shape, n) for shape in shapes for n in sizes):
        project = generate_shape(shape, n, root)
        folder = project.parent
        ours, ref, dask_runs, tiled_runs = [], [], [], []
        for i in range(runs):
            if tiled_workers:
                tiled_runs.append(run_once("tiled", project, folder / "out_tiled.gpkg", workers=tiled_workers,
                                           tuned=tuned))
                t = tiled_runs[-1]
                print(f"  {size_label(n)} tiled run {i + 1}: total {t['stages']['total']:.2f} s, peak {t['peak_mb']:.0f} MB "
                      f"(workers {t['worker_peak_mb']:.0f} MB)", file=log)
            if not in_memory:
                continue
            ours.append(run_once("ours", project, folder / "out_ours.gpkg", tuned=tuned))
            print(f"  {size_label(n)} ours run {i + 1}: scan {ours[-1]['stages']['scan']:.2f} s, "
                  f"total {ours[-1]['stages']['total']:.2f} s, peak {ours[-1]['peak_mb']:.0f} MB", file=log)
            if reference:
                ref.append(run_once("reference", project, folder / "out_reference.gpkg"))
                print(f"  {size_label(n)} reference run {i + 1}: total {ref[-1]['stages']['total']:.2f} s, "
                      f"peak {ref[-1]['peak_mb']:.0f} MB", file=log)
            if dask:
                dask_runs.append(run_once("ours", project, folder / "out_dask.gpkg", dask=dask))
                print(f"  {size_label(n)} dask run {i + 1}: total {dask_runs[-1]['stages']['total']:.2f} s", file=log)
        results.append({"shape": shape, **summarise(n, ours, ref, dask_runs, tiled_runs)})
    return results


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Scan benchmark worker (use python -m bench to run the benchmark).")
    ap.add_argument("--worker", choices=("ours", "reference", "tiled"), required=True)
    ap.add_argument("--project", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--dask", default=None)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--snel", action="store_true", help="as gisapp scan --snel (gisapp.tuning)")
    args = ap.parse_args(argv)
    sys.path.insert(0, str(REPO))
    if args.worker == "tiled" and args.snel:
        from gisapp import tuning

        tuning.tune_process()
    if args.worker == "ours":
        data = worker_ours(args.project, args.out, args.dask, tuned=args.snel)
    elif args.worker == "tiled":
        data = worker_tiled(args.project, args.out, args.workers)
    else:
        data = worker_reference(args.project, args.out)
    print(json.dumps(data))
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
