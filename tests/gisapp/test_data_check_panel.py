"""The "Gegevens" dock and the warning on the results for a project of BAG panden alone."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.scans import factory

#: Where the screenshot of the window with the warning goes (looked at by a person; see the report).
SHOT_DIR = Path(os.environ.get("BB_SCREENSHOT_DIR", "")) if os.environ.get("BB_SCREENSHOT_DIR") else None


@pytest.fixture
def panden_project(tmp_path):
    """BAG panden as an LVBAG extract gives them (id, bouwjaar, status): no vbo's, no 3D BAG, no gebieden."""
    records = [dict(bouwjaar=year, status="Pand in gebruik") for year in (1975, 1930, 1968, 2001)]
    factory.buildings(records).to_file(tmp_path / "panden.gpkg", layer="pand")
    toml = tmp_path / "panden.toml"
    toml.write_text('[project]\nname = "Alleen panden"\n[layers.gebouwen]\npath = "panden.gpkg"\nlayer = "pand"\n',
                    encoding="utf-8")
    return toml


def _scan(window, qtbot):
    dialog = window.open_scan_dialog()
    with qtbot.waitSignal(window.scan_finished, timeout=120_000):
        dialog.run_button.click()
    dialog.close()


def test_panel_and_warning_banner_for_a_panden_only_project(fresh_window, qtbot, panden_project):
    window = fresh_window
    assert window.open_project(panden_project)
    controller = window.data_check
    assert window.findChild(type(controller.dock), "dock_gegevens") is controller.dock
    assert not window.results_panel.data_warning.isVisible()

    # before a scan: the dock shows the check of the project's data when it is looked at
    controller.show()
    qtbot.waitUntil(lambda: controller.check is not None)
    assert controller.check.state("splitsen") == "niet"
    text = controller.panel.browser.toPlainText()
    assert "Voeg de BAG-verblijfsobjecten toe" in text and "panden.gpkg" in text
    # no scan ran yet: the dock shows the coverage and says nothing about a scan
    assert "Dekking: aandeel met een bekende waarde" in text and "scan liep" not in text

    _scan(window, qtbot)
    banner = window.results_panel.data_warning
    window.results_dock.raise_()
    qtbot.waitUntil(banner.isVisible)
    assert "Deze scan liep op onvolledige gegevens" in banner.text()
    assert "4 panden onbekend voor splitsen" in banner.text() and "Details in Gegevens" in banner.text()
    outcome = {o.scan: o.onbekend for o in controller.check.outcomes}
    assert outcome["splitsen"] == outcome["transformatie"] == 4
    after = controller.panel.browser.toPlainText()
    assert "Onbekend na de scan" in after and "Deze scan liep op onvolledige gegevens" in after

    if SHOT_DIR is not None:
        SHOT_DIR.mkdir(parents=True, exist_ok=True)
        window.grab().save(str(SHOT_DIR / "venster_waarschuwing.png"))

    # the link in the banner brings the Gegevens dock to the front
    banner.linkActivated.emit("gegevens")
    qtbot.waitUntil(lambda: not controller.dock.visibleRegion().isEmpty())
    if SHOT_DIR is not None:
        window.grab().save(str(SHOT_DIR / "venster_gegevens.png"))

    # a new project clears the warning and the check of the old scan
    window.set_project(window._new_project())
    assert not banner.isVisible() and (controller.check is None or not controller.check.outcomes)


def test_no_banner_on_complete_data(fresh_window, qtbot, tmp_path):
    records = [dict(r, h_maaiveld=0.0, h_dak_70p=12.0, dak_type="single horizontal", bouwlagen=4.0, opp_dak_plat=300.0,
                    kas_warenhuis=False) for r in (dict(bouwjaar=1975.0, status="Pand in gebruik"),)]
    gebouwen = factory.buildings(records)
    gebouwen.to_file(tmp_path / "panden.gpkg", layer="pand")
    vbo = factory.vbo([("0000000000000001", gebouwen["pand_id"][0], "woonfunctie", 180.0, "Verblijfsobject in gebruik",
                        gebouwen.geometry[0].centroid)])
    vbo.to_file(tmp_path / "vbo.gpkg", layer="vbo")
    toml = tmp_path / "p.toml"
    toml.write_text('[project]\nname = "Compleet"\n[layers.gebouwen]\npath = "panden.gpkg"\nlayer = "pand"\n'
                    '[layers.verblijfsobjecten]\npath = "vbo.gpkg"\nlayer = "vbo"\n', encoding="utf-8")
    window = fresh_window
    assert window.open_project(toml)
    _scan(window, qtbot)
    assert window.data_check.check.outcomes and not window.data_check.check.incomplete
    assert not window.results_panel.data_warning.isVisible()


def test_english_interface_texts(qtbot):
    from gisapp import i18n
    from gisapp.data_check_panel import check_html
    from scans.gegevens import check_data
    from scans.inputs import ScanInputs

    check = check_data(ScanInputs(gebouwen=factory.buildings([dict(bouwjaar=1975.0)])))
    i18n.set_language("en")
    html = check_html(check)
    assert "Scans on these data" in html and "What to add" in html
    # before a scan: the coverage, but no warning about a scan on incomplete data
    assert check.incomplete and "Coverage" in html and "This scan ran" not in html


def test_a_layer_added_after_the_check_is_seen_by_the_scan(fresh_window, qtbot, panden_project, tmp_path):
    """The check made when the dock was looked at is not reused once the project has other data."""
    window = fresh_window
    assert window.open_project(panden_project)
    window.data_check.show()
    qtbot.waitUntil(lambda: window.data_check.check is not None)
    assert window.data_check.check.state("splitsen") == "niet"
    gebouwen = window.project.layer("gebouwen").data
    vbo = factory.vbo([(f"{i + 1:016d}", pid, "woonfunctie", 180.0, "Verblijfsobject in gebruik", geom.centroid)
                       for i, (pid, geom) in enumerate(zip(gebouwen["pand_id"], gebouwen.geometry))])
    vbo.to_file(tmp_path / "vbo.gpkg", layer="vbo")
    window.add_data_file(tmp_path / "vbo.gpkg", {"layer": "vbo", "role": "verblijfsobjecten", "name": "verblijfsobjecten"})
    assert window.project.layer("verblijfsobjecten") is not None
    _scan(window, qtbot)
    assert window.data_check.check.state("splitsen") == "volledig"
