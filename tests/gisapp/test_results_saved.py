"""The last scan's results are saved with the project and shown again, marked verouderd when
an input or a parameter changed since (issue 23, item 5)."""

from __future__ import annotations

import os
import shutil

import numpy as np
import pytest

WAIT_MS = 60_000


@pytest.fixture
def sample_copy(tmp_path, gui_project_path):
    """A copy of the sample project folder (its files may be touched)."""
    folder = tmp_path / "voorbeeld"
    shutil.copytree(gui_project_path.parent, folder)
    for stale in folder.glob("*.resultaat.gpkg"):
        stale.unlink()
    return folder / gui_project_path.name


def _open(qtbot, path):
    from gisapp.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window, before_close_func=lambda w: w.set_modified(False))
    window.resize(1400, 900)
    window.show()
    assert window.open_project(path), window.last_error
    return window


def test_scan_result_round_trip_and_out_of_date_marks(qtbot, sample_copy):
    from gisapp.gui_commands import run_default_scan
    from gisapp.results_store import RESULTS_KEY, results_path
    from layers.project import load_project

    window = _open(qtbot, sample_copy)
    assert window.last_result is None
    result = run_default_scan(window)
    assert window.save_project()
    stored = results_path(sample_copy)
    assert stored.exists()
    record = load_project(sample_copy).settings[RESULTS_KEY]
    assert record["bestand"] == stored.name and record["scenario"] == "standaard" and "gebouwen" in record["invoer"]
    window.close()

    # reopened: the same result is shown, up to date
    window = _open(qtbot, sample_copy)
    again = window.last_result
    assert again is not None and not window.modified
    assert len(again.gebouwen) == len(result.gebouwen)
    assert np.array_equal(np.sort(again.gebouwen["totaal_woningen"].to_numpy()), np.sort(result.gebouwen["totaal_woningen"].to_numpy()))
    assert set(again.gebieden["gebied_code"]) == set(result.gebieden["gebied_code"])
    assert window.layer("gebouwen_potentie") is not None and window.layer("gebieden_potentie") is not None
    assert window.results_panel.stale == [] and not window.results_panel.stale_warning.isVisible()
    assert window.results_panel.model.rowCount() == len(result.gebieden)
    window.close()

    # an input file changes: verouderd, naming the layer
    project = load_project(sample_copy, load_data=False)
    gebouwen = project.resolve(project.sources["gebouwen"].path)
    stat = gebouwen.stat()
    os.utime(gebouwen, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    window = _open(qtbot, sample_copy)
    assert window.last_result is not None
    assert window.results_panel.stale == ["het bestand van laag gebouwen is gewijzigd"]
    assert window.results_panel.stale_warning.isVisible()
    assert "Verouderd" in window.results_panel.stale_warning.text()
    window.close()


def test_a_changed_parameter_makes_the_result_out_of_date(qtbot, sample_copy):
    from gisapp.results_store import changes
    from layers.project import load_project
    from scans.scenarios import resolve_scenario, settings_to_dict

    window = _open(qtbot, sample_copy)
    from gisapp.gui_commands import run_default_scan

    run_default_scan(window)
    assert window.save_project()
    window.close()
    project = load_project(sample_copy, load_data=False)
    assert changes(project) == []
    # the standaard preset cannot change; an own scenario's parameter can
    table = settings_to_dict(resolve_scenario(project, "standaard"))
    project.settings["laatste_scan"]["scenario"] = "mijn"
    project.scenarios["mijn"] = {"base": "standaard", "optoppen": {"bouwjaar_min": 1965}}
    assert changes(project) == []
    project.scenarios["mijn"] = {"base": "standaard", "optoppen": {"bouwjaar_min": 1950}}
    assert changes(project) == ["de parameters van scenario mijn zijn gewijzigd"]
    del project.scenarios["mijn"]
    assert changes(project) == ["scenario mijn bestaat niet meer"]
    assert table["base"] == "standaard"


def test_stale_reasons_in_english(qtbot):
    from gisapp import i18n

    i18n.set_language("en")
    assert i18n.translate_reason("het bestand van laag gebouwen is gewijzigd") == "the file of layer gebouwen changed"
    assert i18n.translate_reason("bouwjaar 1998 buiten 1965–1992") == "construction year 1998 outside 1965–1992"
    i18n.set_language("nl")
    assert i18n.translate_reason("bouwjaar 1998 buiten 1965–1992") == "bouwjaar 1998 buiten 1965–1992"
