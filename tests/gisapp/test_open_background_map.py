"""Opening a project in the background: the map gets layers ready to draw, hidden ones lazily."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest
import shapely

pytestmark = pytest.mark.gui

_LAYERS = """
[layers.gebouwen]
path = "gebouwen.gpkg"
layer = "pand"

[layers.buurten]
role = "gebieden"
path = "gebieden.gpkg"
layer = "buurten"

[layers.netcongestie]
path = "netcongestie.gpkg"
layer = "voedingsgebieden"
"""


def _project(folder: Path, sample_folder: Path) -> Path:
    for name in ("gebouwen.gpkg", "gebieden.gpkg", "netcongestie.gpkg"):
        shutil.copy(sample_folder / name, folder / name)
    path = folder / "kaart.toml"
    path.write_text('[project]\nname = "Kaart"\nformat_version = 1\n' + _LAYERS, encoding="utf-8")
    return path


def test_layers_arrive_with_their_snapshot_built_in_the_loader(qtbot, monkeypatch, fresh_window, tmp_path, gui_project_path):
    from gisapp import canvas_snapshot

    built: list[tuple[str, int]] = []
    real = canvas_snapshot.build_vector_snapshot

    def recording(gdf, style, kind=None):
        built.append((threading.current_thread().name, len(gdf)))
        return real(gdf, style, kind)

    monkeypatch.setattr(canvas_snapshot, "build_vector_snapshot", recording)
    window = fresh_window
    path = _project(tmp_path, gui_project_path.parent)
    with qtbot.waitSignal(window.project_loaded, timeout=30000):
        assert window.open_project(path, background=True) is True
    project = window.project
    gebouwen, buurten, netcongestie = (project.layer(name) for name in ("gebouwen", "buurten", "netcongestie"))
    assert gebouwen.visible and buurten.visible and not netcongestie.visible  # the first view
    # the shown layers were converted in the loader's thread, none in the GUI thread
    assert len(built) == 2 and all(name != "MainThread" for name, _ in built)
    assert sorted(n for _, n in built) == sorted([len(gebouwen.data), len(buurten.data)])
    assert window.canvas.layer_item(gebouwen) is not None and window.canvas.layer_item(buurten) is not None
    # the hidden layer costs nothing until it is switched on
    assert window.canvas.layer_item(netcongestie) is None
    netcongestie.visible = True
    qtbot.waitUntil(lambda: window.canvas.layer_item(netcongestie) is not None, timeout=10000)
    assert window.canvas.layer_item(netcongestie).isVisible()
    assert len(built) == 3


def test_a_large_shown_layer_gets_its_spatial_index_in_the_loader(qtbot, monkeypatch, fresh_window, tmp_path, gui_project_path):
    """Identify and select query the layer's chunked index; for a large layer it is built in
    the loader's thread, so the first click does not build it in the GUI thread."""
    from layers import spatial_index

    builders: list[str] = []
    real = spatial_index.ChunkedIndex._build_next

    def recording(self):
        builders.append(threading.current_thread().name)
        return real(self)

    monkeypatch.setattr(spatial_index.ChunkedIndex, "_build_next", recording)
    monkeypatch.setattr(spatial_index, "BUILD_IN_BACKGROUND_FROM", 1_000)  # the sample's gebouwen, not the buurten
    window = fresh_window
    path = _project(tmp_path, gui_project_path.parent)
    with qtbot.waitSignal(window.project_loaded, timeout=30000):
        assert window.open_project(path, background=True) is True
    gebouwen = window.project.layer("gebouwen")
    assert len(gebouwen.data) >= 1_000 and gebouwen.spatial_index().complete
    assert builders and all(name != "MainThread" for name in builders)
    builders.clear()
    # identify uses that index as it is: nothing more is built on the click
    x, y = gebouwen.data.geometry.values[10].representative_point().coords[0]
    window.project.layer("buurten").visible = False  # drawn above the buildings
    window.set_tool("identify")
    found = window.identify_at(x, y)
    assert found is not None and found[0] is gebouwen and builders == []
    assert gebouwen.data.geometry.values[found[1]].contains(shapely.Point(x, y))
