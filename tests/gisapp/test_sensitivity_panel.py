"""Scans → Gevoeligheid…: the tornado dock and the P10–P90 band on the results chart (issue 24)."""

from __future__ import annotations

import os

import pyqtgraph as pg


def _run(window, qtbot, draws: int = 20):
    window.run_sensitivity()  # creates the panel (and starts a run with the default draws, cancelled here)
    panel = window.sensitivity
    panel.runner.cancel()
    qtbot.waitUntil(lambda: not panel.runner.is_running(), timeout=120_000)
    panel.draws.setValue(draws)
    panel.run_button.click()
    qtbot.waitUntil(lambda: panel.result is not None and panel.result[1].draws == draws and not panel.runner.is_running(),
                    timeout=120_000)
    return panel


def test_menu_runs_both_analyses_and_shows_tornado_and_band(scanned, qtbot, tmp_path):
    window = scanned
    assert window.actions["sensitivity"].text() == "Gevoeligheid…"
    panel = _run(window, qtbot)
    table, band = panel.result
    # tornado: largest swing on top (pyqtgraph's y grows upwards: the last row is drawn highest)
    rows = panel.chart.rows
    assert len(rows) and list(rows["swing"]) == sorted(rows["swing"])
    assert "ligt tussen" in panel.sentences.text() and "(P10–P90)" in panel.sentences.text()
    # the band as error bars on the per-scan chart of the results
    chart = window.results_panel.bar_chart
    errors = [item for item in chart.items if isinstance(item, pg.ErrorBarItem)]
    assert len(errors) == 1
    p10 = [band.table.loc["TOTAAL", f"{name}_woningen_p10"] for name in ("optoppen", "splitsen", "transformatie", "boerenerf")]
    low, high = chart.band
    assert list(low) == [float(v) for v in p10]
    assert (low <= high).all()
    # another scenario on the per-scan combo redraws the tornado for that scan
    panel.scan_combo.setCurrentIndex(panel.scan_combo.findData("optoppen"))
    assert set(panel.chart.rows["parameter"]) <= set(table[table["scan"] == "optoppen"]["parameter"])
    if os.environ.get("BB_SCREENSHOT_DIR"):
        window.grab().save(os.path.join(os.environ["BB_SCREENSHOT_DIR"], "gevoeligheid_window.png"))
        panel.dock.grab().save(os.path.join(os.environ["BB_SCREENSHOT_DIR"], "gevoeligheid_dock.png"))
        window.results_dock.show()
        window.results_dock.raise_()
        qtbot.wait(200)
        window.results_panel.grab().save(os.path.join(os.environ["BB_SCREENSHOT_DIR"], "gevoeligheid_results.png"))


def test_cancel_stops_the_run(scanned, qtbot):
    window = scanned
    window.run_sensitivity()
    panel = window.sensitivity
    panel.cancel_button.click()
    qtbot.waitUntil(lambda: not panel.runner.is_running(), timeout=120_000)
    assert panel.run_button.isEnabled()
    assert panel.result is None or panel.status.text()


def test_run_button_has_its_own_label_beside_the_status(scanned, qtbot):
    """The button says what it does, the status what is going on (in English the two were one text)."""
    window = scanned
    for lang, button, status in (("en", "Compute sensitivity", "Computing sensitivity…"),
                                 ("nl", "Gevoeligheid berekenen", "Gevoeligheid wordt berekend…")):
        window.actions[f"lang_{lang}"].trigger()
        window.run_sensitivity()
        panel = window.sensitivity
        assert panel.status.text() == status  # (before the worker's first progress reaches the window)
        panel.runner.cancel()
        qtbot.waitUntil(lambda: not panel.runner.is_running(), timeout=120_000)
        assert panel.run_button.text() == button
