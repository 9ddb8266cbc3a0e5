"""Open-project benchmark: how long until the window, the map and the buildings are there?

    python -m bench.open_bench --size 1m [--runs 3] [--json out.json] [--root /tmp/bb-bench] [--sync]

Every run starts a fresh Python process that opens the real main window on the project the way
``gisapp open PROJECT.toml`` does (``gisapp.app.main_window``, ``show``, the event loop), offscreen,
and records wall time since the process was started until:

(a) ``window``      the window is shown and the event loop turns (first zero-timer fires);
(b) ``interactive`` the map is interactive: a pan frame of the canvas was rendered (a forced
                    repaint of the viewport after ``translateBy``);
(c) ``gebouwen``    the ``gebouwen`` layer is on the map and a full-extent frame with it was rendered;
(d) ``loaded``      every layer of the project is read and on the map;
(e) ``points``      after (d), the hidden ``verblijfsobjecten`` layer (1.5 points per building) is
                    switched on, as a user would: the layer is drawn (its item is there and a frame
                    with it was rendered). Seconds since (d).

It also records the longest gap between two ticks of a 10 ms GUI timer from (a) to (d): the longest
time the window could not react while the project loaded (``max_gap_ms``), and from (d) to (e)
(``points_gap_ms``). The parent prints medians over
``--runs``; ``--json`` writes them and every run. Projects are made by :mod:`bench.generate` when
missing. ``--sync`` opens the project as ``gisapp open`` did before issue 7 (every layer read before
the window is shown: ``main_window(path)`` without ``background``), for before/after figures.
A benchmark, not a test: the figures depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MARKS = ("window", "interactive", "gebouwen", "loaded", "points")
#: A run that has not loaded the project after this many seconds is stopped.
TIMEOUT_S = 600.0


# --------------------------------------------------------------------------- child process


def _child(project: Path, started: float, out: Path, sync: bool = False) -> int:
    """Open ``project`` in the main window and write the marks (seconds since ``started``) to ``out``."""
    from PySide6.QtCore import QSettings, QTimer

    from gisapp.app import application, main_window

    marks: dict[str, float] = {}
    ticks: list[float] = []
    phase = {"points_from": None, "points_layer": None}

    def mark(name: str) -> None:
        marks.setdefault(name, round(time.time() - started, 3))

    app = application()
    # Recent projects and settings go to a throw-away folder, not the user's configuration.
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(out.parent / "settings"))
    mark("imported")
    # What `gisapp open PROJECT` does (gisapp.gui_commands._open); `background` where the app has it.
    import inspect

    background = not sync and "background" in inspect.signature(main_window).parameters
    extra = {"background": True} if background else {}
    window = main_window(project, lang="nl", **extra)
    window.resize(1600, 1000)
    window.show()
    canvas = window.canvas

    def loading() -> bool:
        return bool(getattr(window, "is_loading", lambda: False)())

    def frame() -> None:
        canvas.viewport().repaint()

    def first_turn() -> None:
        mark("window")
        app.processEvents()  # let the layout settle so the canvas has its size
        canvas.view_box().translateBy(x=10.0)
        frame()
        mark("interactive")

    def poll() -> None:
        ticks.append(time.perf_counter())
        if "interactive" not in marks:
            return
        if "gebouwen" not in marks:
            layer = window.project.layer("gebouwen") if window.project is not None else None
            if layer is not None and canvas.layer_item(layer) is not None:
                canvas.zoom_full()
                frame()
                mark("gebouwen")
        if "gebouwen" in marks and "loaded" not in marks and not loading():
            mark("loaded")
            layer = window.project.layer("verblijfsobjecten")
            if layer is None or layer.visible:
                app.quit()
                return
            phase["points_from"] = (len(ticks), time.time())
            phase["points_layer"] = layer
            layer.visible = True
            window.set_modified(False)  # no autosave of the benchmark project
            return
        layer = phase["points_layer"]
        if layer is not None and "points" not in marks and canvas.layer_item(layer) is not None:
            frame()
            marks["points"] = round(time.time() - phase["points_from"][1], 3)
            app.quit()

    def give_up() -> None:
        marks["timeout"] = True
        app.quit()

    QTimer.singleShot(0, first_turn)
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(poll)
    timer.start()
    QTimer.singleShot(int(TIMEOUT_S * 1000), give_up)
    app.exec()
    timer.stop()
    split = phase["points_from"][0] if phase["points_from"] else len(ticks)
    gaps = [b - a for a, b in zip(ticks[:split], ticks[1:split])]
    marks["max_gap_ms"] = round(1000 * max(gaps), 1) if gaps else None
    later = [b - a for a, b in zip(ticks[split - 1:], ticks[split:])] if split else []
    marks["points_gap_ms"] = round(1000 * max(later), 1) if later else None
    marks["layers"] = len(window.project.layers)
    marks["errors"] = [window.last_error] if window.last_error else []
    window.set_modified(False)
    window.close()
    out.write_text(json.dumps(marks), encoding="utf-8")
    return 0


# --------------------------------------------------------------------------- parent


def project_for(size: str, root: Path) -> Path:
    """The benchmark project of ``size`` (``100k``, ``1m``), generated when missing."""
    from bench.generate import generate, parse_size

    path = root / size / "bench.toml"
    if path.exists():
        return path
    return generate(parse_size(size), root)


def run_once(project: Path, sync: bool = False) -> dict:
    """One fresh process opening ``project``; its marks."""
    with tempfile.TemporaryDirectory(prefix="open_bench_") as tmp:
        out = Path(tmp) / "marks.json"
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", BETER_BENUTTEN_STATE_DIR=str(Path(tmp) / "state"))
        started = time.time()
        proc = subprocess.run(
            [sys.executable, "-m", "bench.open_bench", "--child", str(project), "--started", repr(started),
             "--out", str(out), *(["--sync"] if sync else [])],
            cwd=REPO, env=env, timeout=TIMEOUT_S + 60,
        )
        if proc.returncode != 0 or not out.exists():
            raise RuntimeError(f"open benchmark run failed (exit {proc.returncode})")
        return json.loads(out.read_text(encoding="utf-8"))


def benchmark(sizes: list[str], runs: int, root: Path, sync: bool = False) -> dict:
    results: dict = {"machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                                 "load": os.getloadavg()[0] if hasattr(os, "getloadavg") else None},
               "mode": "sync" if sync else "background",
                     "sizes": {}}
    for size in sizes:
        project = project_for(size, root)
        done = []
        for i in range(runs):
            marks = run_once(project, sync)
            done.append(marks)
            print(f"  {size} run {i + 1}: " + ", ".join(f"{k} {marks.get(k)}" for k in (*MARKS, "max_gap_ms", "points_gap_ms")),
                  file=sys.stderr)
        medians = {}
        for key in (*MARKS, "max_gap_ms", "points_gap_ms"):
            values = [m[key] for m in done if isinstance(m.get(key), (int, float))]
            medians[key] = round(statistics.median(values), 3) if values else None
        results["sizes"][size] = {"project": str(project), "median": medians, "runs": done}
    return results


def print_table(results: dict) -> None:
    print(f"Open project, {results.get('mode', 'background')} (seconds since process start; medians)")
    print(f"{'size':>6} {'(a) window':>11} {'(b) map':>9} {'(c) gebouwen':>13} {'(d) all layers':>15} {'max GUI gap':>12}"
          f" {'(e) vbo on':>11} {'max gap (e)':>12}")
    for size, entry in results["sizes"].items():
        m = entry["median"]

        def cell(key: str, width: int, unit: str = "") -> str:
            value = m.get(key)
            return f"{'-' if value is None else f'{value:.2f}{unit}':>{width}}"

        print(f"{size:>6} {cell('window', 11)} {cell('interactive', 9)} {cell('gebouwen', 13)} {cell('loaded', 15)}"
              f" {cell('max_gap_ms', 10)} ms {cell('points', 11)} {cell('points_gap_ms', 9)} ms")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Meet het openen van een project in het hoofdvenster.")
    ap.add_argument("--size", "--sizes", dest="sizes", default="1m", help="komma-gescheiden: 100k, 1m")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument("--root", type=Path, default=Path("/tmp/bb-bench"))
    ap.add_argument("--sync", action="store_true", help="lees alle lagen voordat het venster verschijnt (oude gedrag)")
    ap.add_argument("--child", type=Path, default=None, help=argparse.SUPPRESS)
    ap.add_argument("--started", type=float, default=None, help=argparse.SUPPRESS)
    ap.add_argument("--out", type=Path, default=None, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child is not None:
        return _child(args.child, args.started or time.time(), args.out, args.sync)
    results = benchmark([s.strip() for s in args.sizes.split(",") if s.strip()], max(1, args.runs), args.root, args.sync)
    print_table(results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
