"""GUI responsiveness benchmark: how long is the event loop blocked while scans run?

    python -m bench.gui_responsiveness [--project sample_data/voorbeeldstad.toml] [--scans 5] [--export] [--json out.json]

Opens the real main window offscreen, starts the potentiescan through the scan dialog (worker
thread) ``--scans`` times and records a 10 ms GUI-thread timer. It prints, per scan and overall,
the largest gap between two timer ticks (the longest time the window could not react) and the
share of gaps above 200 ms, the issue's bound. Also after the scan: adding the result layers and
the choropleth happen in the GUI thread, so the gap around ``result_ready`` is reported too.
With ``--export`` the last result is then exported as a styled GeoPackage from the window
(its worker thread), measured the same way.

A benchmark, not a test: the figures depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BOUND_SECONDS = 0.200


def _measure_export(window) -> dict:
    """Export the last result as a styled GeoPackage from the window (Project → Exporteren),
    recording the same 10 ms timer while the export's worker thread writes."""
    import tempfile

    from PySide6.QtCore import QEventLoop, QTimer

    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    with tempfile.TemporaryDirectory(prefix="bb-export-") as folder:
        target = Path(folder) / "resultaat.gpkg"
        loop = QEventLoop()
        finished = lambda running: None if running else loop.quit()  # noqa: E731
        window.background.running_changed.connect(finished)
        timer.start()
        started = time.perf_counter()
        if not window.exports.export("geopackage", target):
            raise SystemExit("de export kon niet starten")
        loop.exec()
        seconds = time.perf_counter() - started
        timer.stop()
        window.background.running_changed.disconnect(finished)
        size = target.stat().st_size if target.exists() else 0
    gaps = [b - a for a, b in zip(ticks, ticks[1:])] or [0.0]
    return {"seconds": round(seconds, 3), "max_gap_ms": round(1000 * max(gaps), 1),
            "gaps_over_200ms": sum(g > BOUND_SECONDS for g in gaps), "megabytes": round(size / 2**20, 1)}


def measure(project: Path, scans: int, export: bool = False) -> dict:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from gisapp.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    window = MainWindow()
    window.resize(1600, 1000)
    window.show()
    if not window.open_project(project):
        raise SystemExit(f"{project}: kan het project niet openen")
    dialog = window.open_scan_dialog()
    # the window paints its map first (as it has long done when a user starts a scan): the
    # first paint of a large project is not part of the scan
    painted = QEventLoop()
    QTimer.singleShot(1500, painted.quit)
    painted.exec()
    runs = []
    for _ in range(scans):
        ticks: list[float] = []
        timer = QTimer()
        timer.setInterval(10)
        timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
        loop = QEventLoop()
        # The runner's finished signal is handled (result layers added) before done is emitted:
        # the last progress report marks the end of the work in the worker thread.
        progress_at: list[float] = []
        on_progress = lambda *args: progress_at.append(time.perf_counter())  # noqa: E731
        dialog.runner.progressed.connect(on_progress)
        dialog.runner.done.connect(loop.quit)
        timer.start()
        started = time.perf_counter()
        dialog.start()
        loop.exec()
        # let the GUI thread add the result layers and draw them, still measuring
        settle = QEventLoop()
        QTimer.singleShot(500, settle.quit)
        settle.exec()
        timer.stop()
        dialog.runner.done.disconnect(loop.quit)
        dialog.runner.progressed.disconnect(on_progress)
        gaps = [b - a for a, b in zip(ticks, ticks[1:])]
        during = [b - a for a, b in zip(ticks, ticks[1:]) if b <= progress_at[-1]] or [0.0]
        runs.append(
            {
                "seconds": round(time.perf_counter() - started, 3),
                "max_gap_during_scan_ms": round(1000 * max(during), 1),
                "max_gap_ms": round(1000 * max(gaps), 1),
                "median_gap_ms": round(1000 * statistics.median(gaps), 1),
                "gaps_over_200ms": sum(g > BOUND_SECONDS for g in gaps),
                "ticks": len(ticks),
            }
        )
    exported = _measure_export(window) if export else None
    window.set_modified(False)
    window.close()
    app.processEvents()
    return {
        "project": str(project),
        "export": exported,
        "runs": runs,
        "max_gap_ms": max(r["max_gap_ms"] for r in runs),
        "median_max_gap_ms": statistics.median(r["max_gap_ms"] for r in runs),
        "bound_ms": BOUND_SECONDS * 1000,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", type=Path, default=REPO / "sample_data" / "voorbeeldstad.toml")
    parser.add_argument("--scans", type=int, default=5)
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--export", action="store_true",
                        help="daarna ook de GeoPackage-export van de uitkomst vanuit het venster meten")
    args = parser.parse_args(argv)
    figures = measure(args.project, args.scans, args.export)
    print(f"{'scan':>4} {'duur (s)':>9} {'max gat tijdens scan (ms)':>26} {'max gat incl. tonen (ms)':>25} "
          f"{'mediaan (ms)':>13} {'gaten >200 ms':>14}")
    for i, run in enumerate(figures["runs"], 1):
        print(f"{i:>4} {run['seconds']:>9.2f} {run['max_gap_during_scan_ms']:>26.1f} {run['max_gap_ms']:>25.1f} "
              f"{run['median_gap_ms']:>13.1f} {run['gaps_over_200ms']:>14}")
    if figures["export"]:
        export = figures["export"]
        print(f"export GeoPackage ({export['megabytes']:.0f} MB): {export['seconds']:.2f} s, max gat "
              f"{export['max_gap_ms']:.1f} ms, gaten >200 ms: {export['gaps_over_200ms']}")
    verdict = "binnen" if figures["median_max_gap_ms"] <= figures["bound_ms"] else "BOVEN"
    print(f"mediaan van de grootste gaten: {figures['median_max_gap_ms']:.1f} ms ({verdict} de grens van 200 ms)")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
