"""Scans from the GUI: the generated dialog, the worker thread, progress, cancel, results."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QCheckBox, QComboBox, QDoubleSpinBox, QSpinBox

from styles import Graduated

pytestmark = pytest.mark.gui


def test_dialog_is_generated_from_the_parameter_dataclasses(window):
    from scans.params import describe
    from scans.registry import SCANS

    dialog = window.open_scan_dialog()
    assert set(SCANS) <= set(dialog.forms)
    form = dialog.forms["optoppen"]
    infos = {info.name: info for info in describe(SCANS["optoppen"].params_cls)}
    assert set(form.widgets) == set(infos)
    assert isinstance(form.widgets["bouwjaar_min"], QSpinBox)
    assert form.widgets["bouwjaar_min"].value() == 1965
    assert "Stec" in form.widgets["bouwjaar_min"].toolTip()  # the source
    assert isinstance(form.widgets["verdiepingshoogte_m"], QDoubleSpinBox)
    assert form.widgets["verdiepingshoogte_m"].suffix() == " m"
    kinds = {type(w) for f in dialog.forms.values() for w in f.widgets.values()}
    assert QCheckBox in kinds and QComboBox in kinds
    # scenario choice fills the forms
    dialog.set_scenario("pessimistisch")
    assert dialog.forms["optoppen"].widgets["min_bouwlagen"].value() == 4
    assert dialog.gebieden_combo.currentData() == "buurten"


def test_save_as_new_scenario(window):
    dialog = window.open_scan_dialog()
    dialog.forms["optoppen"].set_value("bouwjaar_min", 1960)
    assert dialog.save_scenario("mijnscenario") == "mijnscenario"
    assert window.project.scenarios["mijnscenario"] == {"base": "standaard", "optoppen": {"bouwjaar_min": 1960}}
    assert dialog.scenario() == "mijnscenario"
    assert dialog.forms["optoppen"].widgets["bouwjaar_min"].value() == 1960
    assert window.modified


def test_untouched_fractions_keep_full_precision(window):
    from scans.scenarios import resolve_scenario

    dialog = window.open_scan_dialog()
    assert dialog.settings() == resolve_scenario(window.project, "standaard", [])


def test_run_scan_through_dialog_with_progress(window, qtbot):
    dialog = window.open_scan_dialog()
    steps = []
    dialog.runner.progressed.connect(lambda fraction, text: steps.append((fraction, text)))
    with qtbot.waitSignal(window.scan_finished, timeout=120_000):
        dialog.run_button.click()
        assert not dialog.run_button.isEnabled() and dialog.cancel_button.isEnabled()
    assert steps and steps[-1][0] == pytest.approx(1.0)
    assert all(b >= a for (a, _), (b, _) in zip(steps, steps[1:]))
    assert dialog.progress.value() == 1000
    assert "extra woningen" in dialog.status.text()
    gebieden = window.layer("gebieden_potentie")
    gebouwen = window.layer("gebouwen_potentie")
    assert gebieden is not None and gebouwen is not None
    assert isinstance(gebieden.style, Graduated) and gebieden.style.column == "totaal_woningen"
    assert window.results_panel.model.rowCount() == len(gebieden.data)
    assert window.results_panel.bar_chart.labels[:3] == ["Optoppen", "Splitsen", "Transformatie"]
    assert sum(window.results_panel.bar_chart.values) == gebouwen.data["totaal_woningen"].sum()
    assert window.results_panel.histogram.counts.sum() > 0
    # a second run replaces the result layers instead of piling them up
    with qtbot.waitSignal(window.scan_finished, timeout=120_000):
        dialog.run_button.click()
    assert window.project.layers.names().count("gebieden_potentie") == 1


def test_cancel_a_scan(window, qtbot):
    dialog = window.open_scan_dialog()
    finished = []
    window.scan_finished.connect(finished.append)
    with qtbot.waitSignal(dialog.runner.cancelled, timeout=60_000):
        dialog.run_button.click()
        dialog.cancel_button.click()
    assert dialog.status.text() == "Scan geannuleerd."
    assert dialog.run_button.isEnabled() and not dialog.cancel_button.isEnabled()
    assert finished == [] and window.layer("gebieden_potentie") is None


def test_event_loop_stays_responsive_during_a_scan(window, qtbot, monkeypatch):
    """The scan runs in the worker thread and the GUI thread keeps handling events meanwhile.

    Deterministic, without a wall-clock bound (speed is for the benchmarks): the real scan only
    goes on once a GUI-thread timer has fired while the worker is already inside the scan, which
    cannot happen when the scan blocks the event loop.
    """
    import scans.pipeline

    real_scan = scans.pipeline.run_potentiescan
    gui_thread = threading.get_ident()
    inside_scan, ticked_inside_scan = threading.Event(), threading.Event()
    scan_threads: list[int] = []
    gate: list[bool] = []

    def scan(*args, **kwargs):
        scan_threads.append(threading.get_ident())
        inside_scan.set()
        gate.append(ticked_inside_scan.wait(60))
        return real_scan(*args, **kwargs)

    monkeypatch.setattr(scans.pipeline, "run_potentiescan", scan)
    dialog = window.open_scan_dialog()
    results: list[object] = []
    dialog.runner.finished.connect(results.append)
    ticks: list[bool] = []  # per tick of a GUI-thread timer: was the worker inside the scan?

    def tick():
        ticks.append(inside_scan.is_set())
        if ticks[-1]:
            ticked_inside_scan.set()

    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(tick)
    timer.start()
    try:
        with qtbot.waitSignal(dialog.runner.done, timeout=120_000):
            assert dialog.start()
    finally:
        timer.stop()
    assert scan_threads and gui_thread not in scan_threads
    assert gate == [True], "the GUI event loop handled no event while the scan ran"
    assert len(results) == 1 and window.last_result is results[0].result
    assert any(ticks)


def test_result_layers_are_prepared_in_the_worker(window, qtbot):
    """The scan's worker builds the result layers' drawing snapshots; the map uses them as they are."""
    dialog = window.open_scan_dialog()
    with qtbot.waitSignal(dialog.runner.done, timeout=120_000):
        assert dialog.start()
    prepared = {layer.name: ready for layer, ready in dialog.prepared.layers}
    assert set(prepared) == {"gebieden_potentie", "gebouwen_potentie"}
    for name, ready in prepared.items():
        layer = window.layer(name)
        assert layer is not None and ready is not None
        assert window.canvas.layer_item(layer).snapshot is ready["snapshot"]
    assert window.layer("gebieden_potentie").opacity == 0.8


def test_compare_scenarios_shows_bars(window, qtbot):
    dialog = window.open_compare_dialog()
    dialog.combo_a.setCurrentIndex(dialog.combo_a.findData("pessimistisch"))
    dialog.combo_b.setCurrentIndex(dialog.combo_b.findData("optimistisch"))
    with qtbot.waitSignal(dialog.comparison_ready, timeout=180_000):
        dialog.run_button.click()
    chart = window.results_panel.scenario_chart
    assert chart.categories[-1] == "Totaal"
    assert chart.values_b[-1] > chart.values_a[-1]  # optimistic finds more homes


def test_candidate_years_from_the_result_or_from_the_buildings():
    """The histogram's bouwjaren: of the buildings with extra homes, from the result's own
    column, else looked up in the gebouwen layer by pand_id."""
    import numpy as np
    import pandas as pd

    from gisapp.results_panel import candidate_years

    result = pd.DataFrame({"pand_id": ["a", "b", "c", "d"], "totaal_woningen": [2, 0, 1, None], "bouwjaar": [1960.0, 1970.0, np.nan, 1990.0]})
    assert np.array_equal(candidate_years(result), [1960.0, np.nan], equal_nan=True)
    source = pd.DataFrame({"pand_id": ["c", "a", "a"], "bouwjaar": [1931, 1925, 1999]})
    assert np.array_equal(candidate_years(result.drop(columns="bouwjaar"), source), [1925.0, 1931.0])
    assert len(candidate_years(result.drop(columns="bouwjaar"))) == 0
    assert len(candidate_years(result.drop(columns="totaal_woningen"))) == 0
