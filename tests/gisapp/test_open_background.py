"""Opening a project in the background: the window first, then every layer as it is read."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest

#: Layers of the test project: file order, with a raster and layers the first view hides.
_LAYERS = """
[layers.gebouwen]
path = "gebouwen.gpkg"
layer = "pand"

[layers.buurten]
role = "gebieden"
path = "gebieden.gpkg"
layer = "buurten"

[layers.wijken]
role = "gebieden"
path = "gebieden.gpkg"
layer = "wijken"

[layers.netcongestie]
path = "netcongestie.gpkg"
layer = "voedingsgebieden"

[layers.bodemdaling]
path = "bodemdaling.tif"

[layers.nplv]
path = "nplv.gpkg"
layer = "focusgebied"
"""


def _project(folder: Path, sample_folder: Path, extra: str = "") -> Path:
    for name in ("gebouwen.gpkg", "gebieden.gpkg", "netcongestie.gpkg", "bodemdaling.tif", "nplv.gpkg"):
        shutil.copy(sample_folder / name, folder / name)
    path = folder / "achtergrond.toml"
    path.write_text('[project]\nname = "Achtergrond"\nformat_version = 1\n' + _LAYERS + extra, encoding="utf-8")
    return path


@pytest.fixture
def held_gebouwen(monkeypatch):
    """Reading the ``gebouwen`` source of the test project waits until the test sets the returned event."""
    import layers.project

    release = threading.Event()
    real = layers.project.read_source

    def read_source(project, source):
        if source.key == "gebouwen" and project.name == "Achtergrond":
            assert release.wait(30), "the test never released the gebouwen layer"
        return real(project, source)

    monkeypatch.setattr(layers.project, "read_source", read_source)
    yield release
    release.set()


def _synchronous_view(path: Path):
    """Names and visibility the synchronous open gives (what the background open must end with)."""
    from gisapp.main_window import apply_initial_styles, prepare_first_view
    from layers.project import load_project

    project = load_project(path)
    apply_initial_styles(project)
    prepare_first_view(project)
    return [(layer.name, layer.visible) for layer in project.layers]


def test_window_is_usable_before_the_layers_are_read_and_every_layer_arrives(
        qtbot, fresh_window, tmp_path, gui_project_path, held_gebouwen):
    window = fresh_window
    path = _project(tmp_path, gui_project_path.parent)
    arrived = []
    window.layer_loaded.connect(lambda layer: arrived.append(layer.name))

    assert window.open_project(path, background=True) is True
    assert window.is_loading()
    assert window.project.name == "Achtergrond"
    assert len(window.project.layers) == 0  # nothing read yet: open_project returned at once
    assert window.load_progress.isVisible() and window.load_progress.maximum() == 6

    # visible layers come first, small ones before large ones: buurten and nplv are on the map
    # while the gebouwen layer is still being read (hidden layers follow it); the map stays usable
    qtbot.waitUntil(lambda: len(window.project.layers) == 2, timeout=20000)
    assert sorted(window.project.layers.names()) == ["buurten", "nplv"]
    assert window.is_loading()
    window.canvas.zoom_in()
    window.canvas.viewport().repaint()
    assert not window.modified  # arriving layers are no change by the user

    with qtbot.waitSignal(window.project_loaded, timeout=30000):
        held_gebouwen.set()
    assert not window.is_loading()
    assert not window.load_progress.isVisible()
    assert arrived[:3] == ["nplv", "buurten", "gebouwen"] and sorted(arrived) == sorted(window.project.sources)
    # the same layers, order and first view as the synchronous open
    assert [(layer.name, layer.visible) for layer in window.project.layers] == _synchronous_view(path)
    assert all(layer.style is not None for layer in window.project.layers)
    assert window.canvas.layer_item(window.project.layer("gebouwen")) is not None
    assert window.layer_panel.current_layer() is window.project.layer("gebouwen")
    assert window.layer_panel.model.rowCount() == 6
    assert not window.modified
    assert window.last_error is None


def test_a_broken_layer_is_reported_and_the_others_still_load(qtbot, fresh_window, tmp_path, gui_project_path):
    window = fresh_window
    path = _project(tmp_path, gui_project_path.parent, extra=(
        '\n[layers.kapot]\nrole = "erven"\npath = "kapot.gpkg"\n'
        '\n[layers.weg]\nrole = "water_bodem"\npath = "bestaat_niet.gpkg"\n'
    ))
    (tmp_path / "kapot.gpkg").write_bytes(b"SQLite format 3\x00" + b"\x13" * 4000)
    failed = []
    window.layer_failed.connect(lambda key, reason: failed.append((key, reason)))

    with qtbot.waitSignal(window.project_loaded, timeout=30000):
        assert window.open_project(path, background=True) is True
    assert sorted(key for key, _ in failed) == ["kapot", "weg"]
    assert "kapot.gpkg" in dict(failed)["kapot"]
    assert "bestaat_niet.gpkg" in dict(failed)["weg"]
    assert sorted(window.project.layers.names()) == sorted(
        ["gebouwen", "buurten", "wijken", "netcongestie", "bodemdaling", "nplv"])
    # one dialog names every failed layer
    assert window.last_error is not None
    assert "kapot" in window.last_error and "weg" in window.last_error
    # nothing the user made is lost: the failed sources stay in the project and in a saved copy
    assert {"kapot", "weg"} <= set(window.project.sources)
    from layers.project import load_project

    copy = tmp_path / "kopie.toml"
    assert window.save_project_as(copy)
    assert list(load_project(copy, load_data=False).sources) == list(load_project(path, load_data=False).sources)


def test_opening_another_project_while_loading_drops_the_first(
        qtbot, fresh_window, tmp_path, gui_project_path, held_gebouwen):
    window = fresh_window
    first = tmp_path / "eerste"
    first.mkdir()
    path = _project(first, gui_project_path.parent)
    assert window.open_project(path, background=True)
    qtbot.waitUntil(lambda: len(window.project.layers) == 2, timeout=20000)
    runner = window._loading.runner

    assert window.open_project(gui_project_path)  # synchronous: replaces the loading project
    assert not window.is_loading()
    names = window.project.layers.names()
    held_gebouwen.set()
    qtbot.waitUntil(lambda: not runner.is_running(), timeout=30000)
    qtbot.wait(50)
    assert window.project.layers.names() == names  # nothing of the first project arrived
    assert window.project.name != "Achtergrond"


def test_scan_waits_for_the_layers(qtbot, fresh_window, tmp_path, gui_project_path, held_gebouwen):
    window = fresh_window
    assert window.open_project(_project(tmp_path, gui_project_path.parent), background=True)
    assert window.open_scan_dialog() is None
    assert window.scan_dialog is None
    assert "geladen" in window.statusBar().currentMessage()
    with qtbot.waitSignal(window.project_loaded, timeout=30000):
        held_gebouwen.set()


def test_closing_while_loading_stops_the_worker(qtbot, tmp_path, gui_project_path, held_gebouwen):
    from gisapp.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    assert window.open_project(_project(tmp_path, gui_project_path.parent), background=True)
    runner = window._loading.runner
    threading.Timer(0.3, held_gebouwen.set).start()  # the read in progress ends; the rest is skipped
    assert window.close()
    assert not runner.is_running()


def test_gisapp_open_reads_in_the_background(qtbot, tmp_path, gui_project_path, held_gebouwen):
    from gisapp.app import main_window

    window = main_window(_project(tmp_path, gui_project_path.parent), lang="nl", background=True)
    qtbot.addWidget(window, before_close_func=lambda w: w.set_modified(False))
    window.show()
    assert window.is_loading() and "gebouwen" not in window.project.layers.names()
    with qtbot.waitSignal(window.project_loaded, timeout=30000):
        held_gebouwen.set()
    assert len(window.project.layers) == 6
    window.close()
