"""``python -m bench``: scan benchmark (ours vs. plain geopandas), optionally the canvas benchmark.

    python -m bench [--sizes 100k,1m] [--runs 3] [--json out.json] [--root /tmp/bb-bench]
                    [--no-reference] [--dask local|tcp://host:8786] [--canvas]
                    [--tiled N] [--no-in-memory] [--snel]
                    [--shapes voorbeeldstad,stad,platteland,bedrijven]

Synthetic projects are generated on first use into ``--root`` (see :mod:`bench.generate`)
and reused. Prints a table (medians of ``--runs`` runs, each in a fresh process) and, with
``--json``, writes the same figures as JSON. ``--canvas`` also runs
``bench/canvas_bench.py`` (the map benchmark) for the same sizes when it is present.
``--tiled N`` also times the tiled scan (``gisapp scan --tegels ja``) with N worker processes;
``--no-in-memory`` skips the in-memory scan (10m does not fit in memory in one process).
``--snel`` runs ours as ``gisapp scan --snel`` (opt-in process tuning, :mod:`gisapp.tuning`;
the reference stays untuned):

    python -m bench --sizes 10m --runs 1 --tiled 2 --no-in-memory --no-reference
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
from pathlib import Path

from bench.generate import DEFAULT_ROOT, parse_size
from bench.scan_bench import REPO, benchmark, print_table
from bench.shapes import SHAPES


def _canvas(sizes: list[int], json_path: Path | None) -> dict | None:
    script = REPO / "bench" / "canvas_bench.py"
    if not script.exists():
        print("bench/canvas_bench.py ontbreekt: kaartbenchmark overgeslagen", file=sys.stderr)
        return None
    cmd = [sys.executable, str(script), "--sizes", *map(str, sizes)]
    out = json_path.with_name(json_path.stem + ".canvas.json") if json_path else None
    if out:
        cmd += ["--json", str(out)]
    proc = subprocess.run(cmd, cwd=REPO)
    if proc.returncode != 0:
        print(f"kaartbenchmark faalde (exit {proc.returncode})", file=sys.stderr)
        return None
    return json.loads(out.read_text()) if out and out.exists() else {}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="100k,1m", help="komma-gescheiden: 100k, 1m, 10m of aantallen (standaard 100k,1m)")
    ap.add_argument("--runs", type=int, default=3, help="runs per pijplijn en grootte (mediaan; standaard 3)")
    ap.add_argument("--json", type=Path, default=None, help="schrijf de cijfers ook als JSON naar dit bestand")
    ap.add_argument("--root", type=Path, default=DEFAULT_ROOT, help=f"map voor de synthetische projecten ({DEFAULT_ROOT})")
    ap.add_argument("--no-reference", action="store_true", help="de geopandas-referentie niet draaien")
    ap.add_argument("--dask", default=None, metavar="ADRES", help="ook de Dask-run meten (local of tcp://…)")
    ap.add_argument("--canvas", action="store_true", help="ook bench/canvas_bench.py draaien (als die er is)")
    ap.add_argument("--tiled", type=int, default=0, metavar="N", help="ook de scan in tegels meten, met N processen")
    ap.add_argument("--no-in-memory", action="store_true", help="de scan in het geheugen niet draaien (bv. bij 10m)")
    ap.add_argument("--snel", action="store_true", help="onze runs als gisapp scan --snel (procesafstemming, opt-in)")
    ap.add_argument("--shapes", default="voorbeeldstad",
                    help="komma-gescheiden vormen (bench/shapes.py): voorbeeldstad, stad, platteland, bedrijven")
    args = ap.parse_args(argv)
    if args.runs < 1:
        ap.error("--runs moet minstens 1 zijn")
    sizes = [parse_size(s) for s in args.sizes.split(",") if s.strip()]
    shapes = tuple(s.strip() for s in args.shapes.split(",") if s.strip())
    unknown = [s for s in shapes if s not in SHAPES]
    if unknown:
        ap.error(f"onbekende vorm {', '.join(unknown)} (kies uit {', '.join(SHAPES)})")
    results = benchmark(sizes, args.runs, args.root, reference=not args.no_reference, dask=args.dask,
                        in_memory=not args.no_in_memory, tiled_workers=args.tiled, tuned=args.snel, shapes=shapes)
    print_table(results)
    report = {
        "machine": {"python": platform.python_version(), "cpus": __import__("os").cpu_count(), "platform": platform.platform()},
        "scan": results,
    }
    if args.canvas:
        report["canvas"] = _canvas(sizes, args.json)
    if args.json:
        args.json.write_text(json.dumps(report, indent=1, ensure_ascii=False))
        print(f"JSON: {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
