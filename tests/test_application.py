"""The Qt-free application object (gisapp.application): project lifecycle, dirty flag, selection
and the last scan result, driven without any widget."""

from __future__ import annotations

import shutil
import subprocess
import sys

import geopandas as gpd
import pytest
import shapely

from gisapp.application import Application, empty_project
from layers.layer import VectorLayer
from layers.project import LayerSource


def _squares(name: str = "vlakken", n: int = 4) -> VectorLayer:
    frame = gpd.GeoDataFrame({"nr": list(range(n))},
                             geometry=[shapely.box(i * 10, 0, i * 10 + 5, 5) for i in range(n)], crs="EPSG:28992")
    return VectorLayer(name, frame)


def _recorder(app: Application) -> list:
    events = []
    for name in ("project_opening", "project_opened", "project_closing", "project_closed", "project_saved",
                 "dirty_changed", "selection_changed", "result_changed", "result_layer_adding"):
        getattr(app.events, name).connect(lambda *args, _name=name: events.append((_name, *args)), check_nargs=False)
    return events


@pytest.fixture
def sample_copy(tmp_path, sample_project_path):
    folder = shutil.copytree(sample_project_path.parent, tmp_path / "voorbeeld",
                             ignore=shutil.ignore_patterns("*.resultaat.gpkg"))  # no result saved before
    return folder / sample_project_path.name


def test_the_application_never_imports_qt():
    code = ("import sys, gisapp.application as a; a.Application(a.empty_project()); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'pyqtgraph')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_lifecycle_events_come_in_order():
    app = Application()
    events = _recorder(app)
    first = app.new_project("Eerste")
    assert app.project is first and events == [("project_opening", first), ("project_opened", first)]
    events.clear()
    second = empty_project("Tweede")
    app.set_project(second)
    assert [e[0] for e in events] == ["project_closing", "project_closed", "project_opening", "project_opened"]
    assert events[0][1] is first and events[1][1] is first and events[2][1] is second and events[3][1] is second
    events.clear()
    app.close_project()
    assert events == [("project_closing", second), ("project_closed", second)] and app.project is None
    events.clear()
    app.close_project()  # nothing open: nothing happens
    assert events == []


def test_dirty_after_a_layer_is_added_changed_removed_and_clean_after_save(tmp_path):
    app = Application(empty_project("Proef"))
    events = _recorder(app)
    assert not app.dirty
    layer = _squares()
    app.project.add_layer(layer, LayerSource(key=layer.name, path="vlakken.gpkg", role="referentie"))
    assert app.dirty and events == [("dirty_changed", True)]
    saved = app.save(tmp_path / "proef.toml")
    assert not app.dirty and saved.exists()
    assert events[-2:] == [("dirty_changed", False), ("project_saved", saved)]
    layer.visible = False
    assert app.dirty
    app.save()
    layer.name = "hernoemd"  # the project file keys the layer by its name: the source follows
    assert app.dirty and list(app.project.sources) == ["hernoemd"]
    app.save()
    app.project.layers.remove(layer)
    assert app.dirty
    app.save()
    assert not app.dirty


def test_layers_of_the_project_file_read_later_are_no_change():
    app = Application(empty_project())
    app.insert_read_layer(0, _squares())
    assert not app.dirty and app.project.layers.names() == ["vlakken"]
    app.project.layers.append(_squares("tweede"))
    assert app.dirty


def test_selection_per_layer_follows_the_layers_and_goes_with_the_project():
    app = Application(empty_project())
    a, b = _squares("a"), _squares("b")
    app.project.layers.append(a)
    app.project.layers.append(b)
    events = _recorder(app)
    app.select("a", [2, 0, 2])
    assert app.current_selection()[0] == "a" and app.current_selection()[1].tolist() == [0, 2]
    app.select("b", [1], keep_others=True)
    assert set(app.selection) == {"a", "b"} and app.current_selection()[0] == "b"
    app.select("a", [3])  # replaces every other selection
    assert list(app.selection) == ["a"]
    assert [e for e in events if e[0] == "selection_changed"] == [("selection_changed", "a"), ("selection_changed", "b"),
                                                                  ("selection_changed", "a")]
    app.select("a", [3])  # the same again: no event
    assert len([e for e in events if e[0] == "selection_changed"]) == 3
    with pytest.raises(ValueError, match="geen laag 'c'"):
        app.select("c", [0])
    a.name = "a2"  # renamed: the selection goes with it
    assert list(app.selection) == ["a2"]
    app.project.layers.remove(a)  # removed: its selection is gone
    assert app.current_selection() is None
    app.select("b", [0])
    events.clear()
    app.set_project(empty_project())
    assert app.current_selection() is None
    assert [e[0] for e in events if e[0] != "dirty_changed"][:3] == ["project_closing", "selection_changed", "project_closed"]


def test_result_is_shown_saved_restored_and_cleared_with_the_project(sample_copy):
    from gisapp.results_store import results_path

    app = Application()
    app.open_project(sample_copy)
    assert app.result is None and not app.dirty
    events = _recorder(app)
    result = app.run_scan()
    assert app.result is None  # running is pure: showing is set_result
    app.set_result(result)
    assert app.result is result and app.scenario is result.settings and app.stale == []
    assert {layer.name for layer in app.result_layers} == {"gebieden_potentie", "gebouwen_potentie"}
    assert not app.project.layer("gebouwen").visible and app.dirty
    shown = [e for e in events if e[0] in ("result_layer_adding", "result_changed")]
    assert [e[0] for e in shown] == ["result_layer_adding", "result_layer_adding", "result_changed"]
    assert [e[1] for e in shown[:2]] == app.result_layers and shown[2][1] is result
    app.save()
    assert results_path(sample_copy).exists()

    events.clear()
    app.close_project()
    assert app.result is None and app.scenario is None
    assert [e[0] for e in events if e[0] != "dirty_changed"] == ["project_closing", "result_changed", "project_closed"]
    assert events[1] == ("result_changed", None)

    # reopened: the saved result is shown again, up to date, and showing it is no change
    app.open_project(sample_copy)
    again = app.restore_saved_result()
    assert again is not None and app.result is again and app.stale == [] and not app.dirty
    assert len(again.gebouwen) == len(result.gebouwen)
    assert len(app.result_layers) == 2  # replaced, not added beside the saved layers
    app.clear_result()
    assert app.result is None


def test_locatiescan_uses_the_last_result(sample_copy):
    app = Application()
    app.open_project(sample_copy)
    gebieden = app.project.layer("gebieden")
    locations = gpd.GeoDataFrame({"naam": ["hier"]}, geometry=[gebieden.data.geometry.iloc[0].representative_point().buffer(50)],
                                 crs=gebieden.data.crs)
    without = app.run_locatiescan(locations)
    assert len(without) == 1
    app.set_result(app.run_scan())
    scored = app.run_locatiescan(locations)
    assert len(scored) == 1 and list(scored.columns) == list(without.columns)
