"""The gemeente wizard in English against the local replay of the public services: the progress
line, the state of each source, the notes of the fetch and the load messages of an added file say
nothing in Dutch (the texts come from layers/sources/gemeente and the readers)."""

from __future__ import annotations

import geopandas as gpd
import pytest
import shapely
from PySide6.QtWidgets import QLabel

from gisapp.gemeente_wizard import GemeenteWizard
from tests.gisapp.test_english_complete import DUTCH_MARKERS, marked
from tests.gisapp.test_gemeente_wizard import hold_bag, services  # noqa: F401 - the fixtures of the wizard tests
from tests.sources.test_ophalen import dataset, server  # noqa: F401 - the fixtures of the ophalen tests

pytestmark = pytest.mark.realdata


def _texts(dialog) -> set[str]:
    rows = [dialog.sources_tree.topLevelItem(i) for i in range(dialog.sources_tree.topLevelItemCount())]
    texts = {row.text(1) for row in rows} | {label.text() for label in dialog.findChildren(QLabel)}
    return {line for text in texts for line in text.splitlines() if line.strip()}


def test_fetch_progress_notes_and_an_added_file_in_english(services, hold_bag, qtbot, tmp_path):  # noqa: F811
    from gisapp import i18n

    i18n.set_language("en")  # the autouse settings fixture sets it back
    dialog = GemeenteWizard()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: not dialog.list_runner.is_running() and dialog.list_model.rowCount() > 0, timeout=60_000)
    dialog.gemeente_edit.setText("Delft")
    dialog.folder_edit.setText(str(tmp_path / "project"))
    dialog.fetch_button.click()
    qtbot.waitUntil(lambda: dialog.source_status("bag")[0] == "bezig", timeout=60_000)
    busy = _texts(dialog)
    with qtbot.waitSignal(dialog.fetched, timeout=120_000) as fetched:
        hold_bag.set()
    result = fetched.args[0]
    done = _texts(dialog)
    # a file for a source without a service, with a pand twice: the reader warns in the dialog
    bounds = gpd.read_file(result.gpkg_path, layer="gemeente").total_bounds
    x0, y0, x1, y1 = bounds
    zones = gpd.GeoDataFrame({"naam": ["west", "west"], "focusgebied": ["Focusgebied west"] * 2},
                             geometry=[shapely.box(x0, y0, (x0 + x1) / 2, y1), None], crs=28992)
    zones.to_file(tmp_path / "project" / "nplv.gpkg", driver="GPKG")
    dialog.ask_file = lambda source: str(tmp_path / "project" / "nplv.gpkg")
    with qtbot.waitSignal(dialog.file_added, timeout=60_000):
        dialog.needed()["nplv"]["button"].click()
    added = dialog.needed()["nplv"]["label"].text()
    assert "busy (buildings)" in busy and "BAG: buildings…" in busy  # the BAG is held at its first page
    assert "note: 3D BAG: 48 of 58 buildings without 3D BAG data (height, storeys unknown)" in done
    assert any(t.startswith("Where: the water board or the province") for t in done)
    assert "note: 1 feature without geometry left out" in added
    assert marked(busy | done | {added}, DUTCH_MARKERS) == []
