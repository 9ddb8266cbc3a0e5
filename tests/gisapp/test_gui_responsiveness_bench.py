"""The window benchmark runs end to end on the sample project (its figures are not judged here)."""

from __future__ import annotations


def test_scan_and_export_are_measured(gui_project_path, qtbot):
    from bench import gui_responsiveness

    figures = gui_responsiveness.measure(gui_project_path, scans=1, export=True)
    (run,) = figures["runs"]
    assert run["ticks"] > 10 and run["max_gap_ms"] >= run["median_gap_ms"] > 0
    export = figures["export"]
    assert export["megabytes"] > 1 and export["seconds"] > 0 and export["max_gap_ms"] > 0
