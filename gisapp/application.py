"""The Qt-free application object: the open project, its selection and the last scan result.

As glue's ``Application`` and napari's ``ViewerModel``, this is the state of a session without
any widget: :class:`gisapp.main_window.MainWindow` and its docks are views that subscribe to
:attr:`Application.events` and call the methods here on user actions; the application never calls
a view. Scripts and tests drive it without Qt.

It owns

- the :class:`layers.project.Project` (new, open, save, close) and whether it changed since it
  was opened or saved (``dirty``): every change of the layer collection or of a layer marks it,
  except layers of the project file arriving from a background read
  (:meth:`Application.insert_read_layer`);
- the selection, per layer name (positional indices into the layer's rows);
- the last potentiescan result, its scenario (``ScanSettings``), the fingerprint of what it was
  computed from and the inputs changed since (``gisapp.results_store``), and the map layers that
  show it;
- the pure run entry points of the scans (:meth:`run_scan`, :meth:`run_locatiescan`): the worker
  threads that call them stay in the Qt layer.

Events (psygnal, named by tense): ``project_opening``/``project_opened``/``project_closing``/
``project_closed`` carry the project, ``project_saved`` its path, ``dirty_changed`` the flag,
``selection_changed`` the layer name whose selection changed (None: all cleared),
``result_changed`` the result (None: cleared) and ``result_layer_adding`` each layer that is about
to show it.
"""

from __future__ import annotations

from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Callable

import numpy as np
from psygnal import Signal, SignalGroup

from gisapp.project_loading import RESULT_LAYER_NAMES, result_map_layers

_LAYER_EVENTS = ("name_changed", "visible_changed", "opacity_changed", "style_changed", "data_changed")


class ApplicationEvents(SignalGroup):
    """Signals of an :class:`Application`."""

    project_opening = Signal(object)
    project_opened = Signal(object)
    project_closing = Signal(object)
    project_closed = Signal(object)
    project_saved = Signal(object)
    dirty_changed = Signal(bool)
    selection_changed = Signal(object)
    result_changed = Signal(object)
    #: a layer showing the result is about to be added (a view may hand over what it prepared for it)
    result_layer_adding = Signal(object)


def empty_project(name: str = "Naamloos project"):
    """A project without file, layers or sources."""
    from layers.layer import LayerCollection
    from layers.project import Project

    return Project(name=name, path=None, layers=LayerCollection(), sources={}, scenarios={}, settings={})


class Application:
    """One session's model: project lifecycle, selection and results (see the module docstring)."""

    def __init__(self, project=None) -> None:
        self.events = ApplicationEvents()
        self._project = None
        self._dirty = False
        self._reading = False
        self._connections: list[tuple[object, Callable]] = []
        #: id(layer) -> (layer, [(signal, slot)]): layers are subscribed once, not on every change
        self._layer_slots: dict[int, tuple[object, list]] = {}
        #: layer name -> selected positions, in the order selected (the last one is the current selection)
        self._selection: dict[str, np.ndarray] = {}
        self._result = None
        self._scenario = None
        #: the fingerprint of the result (gisapp.results_store) and (result id, file) last written
        self._fingerprint = None
        self._stored: tuple[int, Path] | None = None
        #: inputs changed since the shown result was computed (empty: up to date)
        self.stale: list[str] = []
        if project is not None:
            self.set_project(project)

    # --- project lifecycle ------------------------------------------------------------------------
    @property
    def project(self):
        return self._project

    def new_project(self, name: str = "Naamloos project"):
        """Replace the open project by an empty one (without asking: the view asks first); returns it."""
        project = empty_project(name)
        self.set_project(project)
        return project

    def open_project(self, path: str | Path, *, load_layers: bool = True,
                     confirm_external: Callable[[list[tuple[str, str]]], bool] | None = None):
        """Read the project file at ``path`` and make it the open project; returns it, or None when
        ``confirm_external`` (shown the sources outside the project folder) declined.

        ``load_layers=False`` leaves the layers to be read later (the window reads them in a worker
        and adds each with :meth:`insert_read_layer`). Errors (``DataError``, ``OSError``, ``ValueError``)
        propagate, the open project unchanged.
        """
        from layers.project import load_project

        project = load_project(Path(path), load_data=False)
        external = project.external_sources()
        if external and confirm_external is not None and not confirm_external(external):
            return None
        if load_layers:
            project.load_layers()
        self.set_project(project)
        return project

    def set_project(self, project) -> None:
        """Close the open project (selection and result go with it) and open ``project`` unchanged."""
        self.close_project()
        self.events.project_opening.emit(project)
        self._project = project
        self._connect()
        self.set_dirty(False)
        self.events.project_opened.emit(project)

    def close_project(self) -> None:
        """Close the open project, if any: its selection and result are cleared first."""
        project = self._project
        if project is None:
            return
        self.events.project_closing.emit(project)
        self.clear_selection()
        self.clear_result()
        self._disconnect()
        self._project = None
        self.set_dirty(False)
        self.events.project_closed.emit(project)

    def save(self, path: str | Path | None = None) -> Path:
        """Write the project (to ``path``, else its own file) with the last result beside it; no
        longer dirty. Errors propagate with nothing marked saved."""
        project = self._project
        self._store_result(path if path is not None else project.path)
        saved = project.save(path)
        self.set_dirty(False)
        self.events.project_saved.emit(saved)
        return saved

    # --- dirty ------------------------------------------------------------------------------------
    @property
    def dirty(self) -> bool:
        """True when the project changed since it was opened or saved."""
        return self._dirty

    def set_dirty(self, dirty: bool = True) -> None:
        dirty = bool(dirty)
        if dirty != self._dirty:
            self._dirty = dirty
            self.events.dirty_changed.emit(dirty)

    @contextmanager
    def keeping_dirty(self):
        """Changes inside the block leave ``dirty`` as it was (showing what was saved is no change)."""
        before = self._dirty
        try:
            yield
        finally:
            self.set_dirty(before)

    def insert_read_layer(self, index: int, layer) -> None:
        """Insert a layer of the project file read in the background: the project is not changed by it."""
        self._reading = True
        try:
            self._project.layers.insert(index, layer)
        finally:
            self._reading = False

    def _connect(self) -> None:
        signal = self._project.layers.events.changed
        signal.connect(self._on_collection_changed)
        self._connections.append((signal, self._on_collection_changed))
        self._connect_layers()

    def _disconnect(self) -> None:
        for signal, slot in self._connections:
            signal.disconnect(slot)
        self._connections = []
        for _layer, connections in self._layer_slots.values():
            for signal, slot in connections:
                signal.disconnect(slot)
        self._layer_slots = {}

    def _connect_layers(self) -> None:
        """Subscribe to layers new in the collection and unsubscribe from removed ones."""
        live = {id(layer): layer for layer in self._project.layers}
        for key in [k for k in self._layer_slots if k not in live]:
            for signal, slot in self._layer_slots.pop(key)[1]:
                signal.disconnect(slot)
        for key, layer in live.items():
            if key in self._layer_slots:
                continue
            connections = []
            for name in _LAYER_EVENTS:
                signal = getattr(layer.events, name)
                slot = partial(self._on_layer_event, layer, name)
                signal.connect(slot, check_nargs=False)  # slots take *args; skip signature inspection
                connections.append((signal, slot))
            self._layer_slots[key] = (layer, connections)

    def _on_collection_changed(self, *args) -> None:
        self._connect_layers()
        names = set(self._project.layers.names())
        gone = [name for name in self._selection if name not in names]
        for name in gone:
            del self._selection[name]
        if gone:
            self.events.selection_changed.emit(gone[0] if len(gone) == 1 else None)
        if not self._reading:  # a layer of the project file arriving is no change by the user
            self.set_dirty(True)

    def _on_layer_event(self, layer, event: str, *args) -> None:
        project = self._project
        source = getattr(layer, "source", None)
        if event == "name_changed":
            old = next((name for name in self._selection if name not in project.layers.names()), None)
            if old is not None:  # the selection follows the layer it was made in
                self._selection = {(layer.name if k == old else k): v for k, v in self._selection.items()}
        if source is not None and project.sources.get(source.key) is source:
            if event == "name_changed" and layer.name != source.key:
                # The project file keys a layer by its name: re-key the source (and its style).
                project.sources = {(layer.name if k == source.key else k): v for k, v in project.sources.items()}
                if source.key in project.styles:
                    project.styles[layer.name] = project.styles.pop(source.key)
                source.key = layer.name
            elif event == "style_changed":
                from styles import style_to_dict

                if layer.style is None:
                    project.styles.pop(source.key, None)
                else:
                    project.styles[source.key] = style_to_dict(layer.style)
        self.set_dirty(True)

    # --- selection --------------------------------------------------------------------------------
    @property
    def selection(self) -> dict[str, np.ndarray]:
        """Layer name -> selected positions (a copy)."""
        return dict(self._selection)

    def current_selection(self) -> tuple[str, np.ndarray] | None:
        """``(layer name, positions)`` of the selection made last, or None."""
        if not self._selection:
            return None
        name = next(reversed(self._selection))
        return name, self._selection[name]

    def select(self, layer_name: str, ids, *, keep_others: bool = False) -> None:
        """Select the rows at positions ``ids`` of the layer ``layer_name`` (none: its selection is
        cleared); other layers' selections are cleared unless ``keep_others``."""
        if self._project is None or layer_name not in self._project.layers.names():
            raise ValueError(f"geen laag '{layer_name}' in het project")
        ids = np.unique(np.asarray(ids, dtype="int64"))
        before = self._selection
        self._selection = dict(before) if keep_others else {}
        self._selection.pop(layer_name, None)
        if len(ids):
            self._selection[layer_name] = ids
        if self._selection.keys() != before.keys() or any(
                not np.array_equal(ids_, before[name]) for name, ids_ in self._selection.items()):
            self.events.selection_changed.emit(layer_name)

    def clear_selection(self) -> None:
        if self._selection:
            self._selection = {}
            self.events.selection_changed.emit(None)

    # --- results ----------------------------------------------------------------------------------
    @property
    def result(self):
        """The last potentiescan result (``scans.pipeline.ScanResult``) or None."""
        return self._result

    @property
    def scenario(self):
        """The scenario (``ScanSettings``) the result was computed with, or None."""
        return self._scenario

    @property
    def result_layers(self) -> list:
        """The project's layers that show the result (``gebieden_potentie``, ``gebouwen_potentie``)."""
        if self._project is None:
            return []
        return [layer for layer in self._project.layers if layer.name in RESULT_LAYER_NAMES]

    def set_result(self, result, scenario=None, *, layers: list | None = None) -> None:
        """Make ``result`` the shown result: its map layers (``layers``, else made from it) replace
        the previous ones, the gebouwen layer is hidden under them, and what it was computed from
        is recorded to tell later whether it is out of date."""
        from gisapp.results_store import fingerprint

        scenario = scenario if scenario is not None else result.settings
        self._replace_result_layers(result_map_layers(result) if layers is None else layers)
        self._result, self._scenario = result, scenario
        self._fingerprint = fingerprint(self._project, scenario)
        self._stored = None
        self.stale = []
        self.events.result_changed.emit(result)

    def clear_result(self) -> None:
        """Forget the result (its layers stay on the map until the project closes)."""
        if self._result is None and self._fingerprint is None:
            return
        self._result = self._scenario = self._fingerprint = self._stored = None
        self.stale = []
        self.events.result_changed.emit(None)

    def restore_saved_result(self):
        """Show the result saved with the open project again, ``stale`` listing what changed since;
        the project stays as dirty as it was. Returns the result or None; errors propagate."""
        from gisapp.results_store import Fingerprint, changes, load_results, results_path, saved_record

        project = self._project
        result = load_results(project)
        if result is None:
            return None
        with self.keeping_dirty():
            self._replace_result_layers(result_map_layers(result))
        record = saved_record(project)
        self._result, self._scenario = result, result.settings
        self._fingerprint = Fingerprint(str(record.get("scenario", "")), str(record.get("parameters", "")),
                                        dict(record.get("invoer", {})))
        self._stored = (id(result), results_path(Path(project.path).resolve()))
        self.stale = changes(project)
        with self.keeping_dirty():
            self.events.result_changed.emit(result)
        return result

    def _replace_result_layers(self, layers: list) -> None:
        collection = self._project.layers
        for old in self.result_layers:
            collection.remove(old)
        for layer in layers:
            self.events.result_layer_adding.emit(layer)
            collection.append(layer)
        buildings = self._project.layer("gebouwen")
        if buildings is not None and any(layer.name == "gebouwen_potentie" for layer in layers):
            buildings.visible = False  # the result layer draws the same panden, coloured

    def _store_result(self, project_path) -> None:
        """Write the result beside the project file (``gisapp.results_store``) when it is not there yet."""
        from gisapp.results_store import results_path, save_results

        result = self._result
        if result is None or self._fingerprint is None or project_path is None:
            return
        target = results_path(Path(project_path).resolve())
        if self._stored == (id(result), target) and target.exists():
            return
        save_results(self._project, result, self._fingerprint, target.with_name(Path(project_path).name))
        self._stored = (id(result), target)

    # --- pure run entry points (a worker thread of the view calls them) -----------------------------
    def scan_inputs(self, gebieden: str | None = None):
        """The ``ScanInputs`` of the open project (``gebieden``: the key of the gebieden layer to sum by)."""
        from scans.inputs import ScanInputs

        return ScanInputs.from_project(self._project, gebieden=gebieden)

    def run_scan(self, settings=None, feedback=None, *, gebieden: str | None = None, inputs=None):
        """Run the potentiescan on the open project and return the ``ScanResult`` (not shown: the view
        calls :meth:`set_result` in the GUI thread). ``settings`` None: the project's default scenario."""
        from scans.pipeline import run_potentiescan
        from scans.scenarios import resolve_scenario

        if settings is None:
            settings = resolve_scenario(self._project, None, [])
        return run_potentiescan(inputs if inputs is not None else self.scan_inputs(gebieden), settings, feedback)

    def run_locatiescan(self, locations, scenario: str | None = None):
        """Score ``locations`` (a GeoDataFrame of candidate sites) with the locatiescan, using the
        last potentiescan result when there is one; returns the scored frame."""
        from scans import locatiescan
        from scans.scenarios import resolve_scenario

        project = self._project
        settings = resolve_scenario(project, scenario)
        return locatiescan.run(locations, locatiescan.inputs_from_project(project), settings, self._result,
                               params=locatiescan.params_from_project(project))
