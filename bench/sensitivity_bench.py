"""Sensitivity benchmark (issue 24): the band's draws, the one-at-a-time analysis, and memory.

``python -m bench.sensitivity_bench [--project /tmp/bb-bench/100k/bench.toml] [--trekkingen 200]``

Two fresh subprocesses on the same project (generate it with ``python -m bench.generate --sizes
100k``): one runs a single potentiescan (``run_potentiescan``), the other the sensitivity
analysis (:func:`scans.gevoeligheid.prepare`, :func:`~scans.gevoeligheid.one_at_a_time`,
:func:`~scans.gevoeligheid.band`). Each reports its peak RSS (``resource.getrusage``), so
the memory ratio compares whole processes that read the same layers. Targets: 200 draws ≤ 20 s,
one-at-a-time ≤ 10 s, peak memory ≤ 1.5× a single scan. Not a test: it prints the figures.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

DEFAULT_PROJECT = Path("/tmp/bb-bench/100k/bench.toml")
TARGETS = {"band_s": 20.0, "oat_s": 10.0, "memory_ratio": 1.5}


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _load(project_path: str):
    from layers.project import load_project
    from scans.inputs import ScanInputs

    project = load_project(project_path)
    return ScanInputs.from_project(project)


def worker(mode: str, project_path: str, draws: int) -> dict:
    from scans.scenarios import PRESETS

    settings = PRESETS["standaard"]
    started = time.perf_counter()
    inputs = _load(project_path)
    out: dict = {"read_s": time.perf_counter() - started, "buildings": int(len(inputs.gebouwen))}
    if mode == "scan":
        from scans.pipeline import run_potentiescan

        t = time.perf_counter()
        result = run_potentiescan(inputs, settings)
        out["scan_s"] = time.perf_counter() - t
        out["totaal"] = int(result.totals["totaal"])
    else:
        from scans import gevoeligheid as g

        t = time.perf_counter()
        prep = g.prepare(inputs, settings)
        out["prepare_s"] = time.perf_counter() - t
        t = time.perf_counter()
        table = g.one_at_a_time(prep, settings)
        out["oat_s"] = time.perf_counter() - t
        out["oat_parameters"] = int(table["parameter"].nunique())
        t = time.perf_counter()
        band = g.band(prep, settings, draws, 0)
        out["band_s"] = time.perf_counter() - t
        out["draws"] = draws
        out["totaal_p10_p50_p90"] = list(band.total("totaal"))
    out["peak_mb"] = _peak_mb()
    return out


def _run(mode: str, project: Path, draws: int) -> dict:
    cmd = [sys.executable, "-m", "bench.sensitivity_bench", "--worker", mode, "--project", str(project),
           "--trekkingen", str(draws)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=True, cwd=Path(__file__).resolve().parent.parent)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--project", type=Path, default=DEFAULT_PROJECT)
    parser.add_argument("--trekkingen", type=int, default=200)
    parser.add_argument("--worker", choices=("scan", "gevoeligheid"), default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(worker(args.worker, str(args.project), args.trekkingen)))
        return 0
    if not args.project.exists():
        print(f"{args.project} bestaat niet: maak het met python -m bench.generate --sizes 100k", file=sys.stderr)
        return 2
    scan = _run("scan", args.project, args.trekkingen)
    sens = _run("gevoeligheid", args.project, args.trekkingen)
    ratio = sens["peak_mb"] / scan["peak_mb"]
    print(f"project {args.project} ({scan['buildings']:,} panden)".replace(",", "."))
    print(f"  enkele scan:        {scan['scan_s']:.2f} s, piekgeheugen {scan['peak_mb']:.0f} MB (lezen {scan['read_s']:.1f} s)")
    print(f"  voorbereiden:       {sens['prepare_s']:.2f} s (eenmaal)")
    print(f"  een voor een:       {sens['oat_s']:.2f} s ({sens['oat_parameters']} parameters × 2) "
          f"[doel ≤ {TARGETS['oat_s']:.0f} s]")
    print(f"  band:               {sens['band_s']:.2f} s ({sens['draws']} trekkingen, "
          f"{sens['band_s'] / sens['draws'] * 1000:.0f} ms per trekking) [doel ≤ {TARGETS['band_s']:.0f} s]")
    print(f"  piekgeheugen:       {sens['peak_mb']:.0f} MB = {ratio:.2f}× de enkele scan [doel ≤ {TARGETS['memory_ratio']}×]")
    print(f"  totaal P10/P50/P90: {sens['totaal_p10_p50_p90']} (standaard {scan['totaal']})")
    print(json.dumps({"scan": scan, "gevoeligheid": sens, "memory_ratio": round(ratio, 3)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
