"""The main window: map canvas, layer panel, identify and results docks, menus and status bar.

The window is a *view* of a Qt-free :class:`gisapp.application.Application`, which owns the
project (open, save, close, modified), the selection and the last scan result. User actions call
the application; the window and its docks follow its events (``project_opened``,
``dirty_changed``, ``selection_changed``, ``result_changed``); the application never calls the
window. Errors the user can act on (``DataError``, ``ValueError``,
``OSError``) appear in a dialog, never as a traceback.

Around the map: autosave and crash recovery (``gisapp.recovery``), exports of the last scan
result (``gisapp.export_actions``, Project → Exporteren), the informatieproduct map tool
(``gisapp.informatieproduct_tool``), "Laag toevoegen" from a file, OGC API Features or PostGIS
(``gisapp.add_layer_dialog``) and the locatiescan editor (``gisapp.locaties_editor``, created on
first use). Closing the window cancels every running worker and waits for it.

Opening a project interactively (``gisapp open``, Project → Openen, recent projects, dropping a
``.toml``) shows the window and the (empty) map at once and reads the layers in a worker thread
(:class:`ProjectLoad`): visible layers before hidden ones, small files first, each layer added
to the map as soon as it is read, with progress in the status bar. The worker also prepares what
the map needs (:func:`prepare_for_map`: the drawing snapshot of a visible layer, the extent of a
hidden one), so adding even a million buildings costs the GUI thread only a few milliseconds. A
layer that cannot be read is
reported (status bar, then one dialog listing every failed layer) and the others still load; its
source stays in the project, so saving never drops it. ``open_project(path)`` without
``background`` still reads everything before it returns (scripts, tests, the screenshot command).
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

import numpy as np
from PySide6.QtCore import QEvent, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDockWidget,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QToolBar,
)

from gisapp import i18n
from gisapp.application import Application, empty_project
from gisapp.i18n import error_text, tr, translated
from gisapp.layer_names import layer_title
from gisapp.numbers import display_number
from gisapp.project_loading import (  # noqa: F401 - part of this module's interface (tests, scripts)
    FIRST_VIEW_HIDDEN_ROLES,
    RESULT_LAYER_NAMES,
    ProjectLoad,
    apply_initial_styles,
    first_view_hidden,
    initial_style,
    prepare_first_view,
    prepare_for_map,
    prepare_source,
    read_project_layers,
    result_map_layers,
)
from layers.errors import USER_ERRORS
from layers.texts import Translatable

MAX_RECENT = 8
#: Canvas tools whose action key differs from the tool name.
_TOOL_ACTIONS = {"point": "informatieproduct"}


def settings() -> QSettings:
    """The application's persistent settings (recent projects, language)."""
    return QSettings("BeterBenutten", "gisapp")


def recent_projects() -> list[str]:
    value = settings().value("recent_projects", [])
    if isinstance(value, str):
        value = [value]
    return [str(v) for v in (value or []) if v]


def remember_project(path: str | Path) -> list[str]:
    path = str(Path(path).resolve())
    recent = [path] + [p for p in recent_projects() if p != path]
    recent = recent[:MAX_RECENT]
    settings().setValue("recent_projects", recent)
    return recent


class MainWindow(QMainWindow):
    """The Beter Benutten map window.

    Signals
    -------
    project_changed(project): a project was opened or created.
    project_loaded(project): every layer of an opened project is read (or reported as failed).
    layer_loaded(layer): a layer read in the background was added to the project.
    layer_failed(key, reason): a layer of the project being opened could not be read.
    scan_finished(result): a scan run from the GUI finished and its layers were added.
    """

    project_changed = Signal(object)
    project_loaded = Signal(object)
    layer_loaded = Signal(object)
    layer_failed = Signal(str, str)
    scan_finished = Signal(object)

    def __init__(self, app: Application | None = None, parent=None) -> None:
        super().__init__(parent)
        from gisapp.canvas import MapCanvas
        from gisapp.identify import IdentifyPanel
        from gisapp.layer_panel import LayerPanel
        from gisapp.results_panel import ResultsPanel

        self.setAcceptDrops(True)
        self.resize(1400, 900)
        #: the model this window views: project, modified flag, selection and last result
        self.app = app if app is not None else Application()
        self.last_error: str | None = None
        self.tables: dict[int, object] = {}
        self.scan_dialog = None
        self.add_layer_dialog = None
        self.locaties_editor = None
        self.sensitivity = None  # the Gevoeligheid… panel (gisapp.sensitivity_panel), created on first use
        self._startup_checked = False
        self._collection_slot = None  # (signal, slot) of the shown project's layer collection
        self._quiet_selection = False  # a selection made in a table or by identify: map only
        self._result_extents: list | None = None  # extents of prepared result layers (worker-computed)
        self._result_prepared: dict[int, dict] = {}  # id(layer) -> its map snapshot, while it is added
        #: the project whose layers are being read in the background, or None
        self._loading: ProjectLoad | None = None
        #: runners of background opens, kept until their thread has ended (also cancelled ones)
        self._load_runners: list = []
        self._map_moved = False

        self.canvas = MapCanvas(self)
        from gisapp.start_page import install_central_area

        # the map below a message bar, stacked with the start page (gisapp.start_page)
        self.central = install_central_area(self, recent_projects)
        self.message_bar = self.central.message_bar
        self.start_page = self.central.start_page
        self.help_dialog = None
        # While a project loads, the map follows the arriving layers until the user moves it.
        self.canvas.viewport().installEventFilter(self)
        self.canvas.viewport().parentWidget().installEventFilter(self)

        self.layer_panel = LayerPanel(self)
        self.layer_dock = self._dock("layers", tr("Lagen en legenda"), self.layer_panel, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.identify_panel = IdentifyPanel(self)
        self.identify_dock = self._dock("identify", tr("Informatie"), self.identify_panel, Qt.DockWidgetArea.RightDockWidgetArea)
        self.results_panel = ResultsPanel(self)
        self.results_dock = self._dock("results", tr("Resultaten"), self.results_panel, Qt.DockWidgetArea.RightDockWidgetArea)
        self.tabifyDockWidget(self.identify_dock, self.results_dock)
        self.identify_dock.raise_()
        self._docks_sized = False

        self._build_actions()
        self._build_statusbar()
        self._build_tools()
        self._build_menus()
        self._build_toolbar()

        self.layer_panel.zoom_requested.connect(self.canvas.zoom_to_layer)
        self.layer_panel.zoom_requested.connect(self._on_user_navigated)
        for key in ("zoom_in", "zoom_out", "zoom_full", "zoom_selection"):
            self.actions[key].triggered.connect(self._on_user_navigated)
        self.layer_panel.style_requested.connect(self.open_style_dialog)
        self.layer_panel.table_requested.connect(self.open_attribute_table)
        self.layer_panel.remove_requested.connect(self.map_tools.ask_remove_layer)
        self.results_panel.gebied_activated.connect(self._zoom_to_gebied)

        self.canvas.mouse_moved.connect(self._on_mouse_moved)
        self.canvas.scale_changed.connect(self._on_scale_changed)
        self.canvas.feature_clicked.connect(self.identify_at)
        self.canvas.selection_requested.connect(self.select_in_area)
        self.canvas.tool_changed.connect(self._on_tool_changed)
        self.project_loaded.connect(self._restore_saved_result)
        self.results_panel.follow(self.app)
        for event in ("project_opening", "project_closing", "project_opened", "dirty_changed", "selection_changed",
                      "result_changed", "result_layer_adding"):  # the model never calls the window
            getattr(self.app.events, event).connect(getattr(self, f"_on_{event}"))
        if self.app.project is None:
            self.set_project(self._new_project())
        else:
            self._on_project_opening(self.app.project)
            self._on_project_opened(self.app.project)
        # After the constructor, so a project the app opens at start goes first (see offer_unsaved_recovery).
        QTimer.singleShot(0, self, self.offer_unsaved_recovery)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self._docks_sized:
            # Room for legends on the left and the results table with charts on the right.
            self._docks_sized = True
            from gisapp.window_layout import apply_dock_widths, fit_to_screen

            fit_to_screen(self)  # never larger than the screen (gisapp.window_layout)
            apply_dock_widths(self)
            # The map got its real size only now: fit the project once the layout has settled.
            QTimer.singleShot(0, self, self.canvas.zoom_full)

    # --- construction -------------------------------------------------------------------------
    def _dock(self, name: str, title: str, widget, area) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(f"dock_{name}")
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def _action(self, key: str, text: str, slot, shortcut=None, checkable: bool = False, tip: str = "") -> QAction:
        action = QAction(text, self)
        action.setObjectName(f"action_{key}")
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.setCheckable(checkable)
        action.setStatusTip(tip or text.replace("&", "").rstrip("…"))
        action.triggered.connect(slot)
        self.actions[key] = action
        return action

    def _build_actions(self) -> None:
        self.actions: dict[str, QAction] = {}
        a = self._action
        a("new", tr("Nieuw project"), self.new_project, QKeySequence.StandardKey.New)
        a("gemeente", tr("Nieuw project voor een gemeente…"), self.open_gemeente_wizard)
        a("open", tr("Project openen…"), self.choose_project, QKeySequence.StandardKey.Open)
        a("save", tr("Opslaan"), self.save_project, QKeySequence.StandardKey.Save)
        a("save_as", tr("Opslaan als…"), self.save_project_as, QKeySequence.StandardKey.SaveAs)
        a("quit", tr("Afsluiten"), self.close, QKeySequence.StandardKey.Quit)
        tools = QActionGroup(self)
        for key, text, tool, shortcut in (
            ("pan", tr("Verschuiven"), "pan", "P"),
            ("zoom_box", tr("Inzoomen met kader"), "zoom_box", "Z"),
            ("identify", tr("Informatie opvragen"), "identify", "I"),
            ("select", tr("Selecteren"), "select", "S"),
        ):
            action = a(key, text, partial(self.set_tool, tool), shortcut, checkable=True)
            tools.addAction(action)
        action = a("informatieproduct", tr("Informatieproduct (klik op de kaart)"), lambda: self.informatieproduct.activate(),
                   "W", checkable=True, tip=tr("Klik op de kaart voor het informatieproduct water en bodem op die plek"))
        tools.addAction(action)
        self.tool_group = tools
        self.actions["pan"].setChecked(True)
        a("zoom_in", tr("Inzoomen"), lambda: self.canvas.zoom_in(), QKeySequence.StandardKey.ZoomIn)
        a("zoom_out", tr("Uitzoomen"), lambda: self.canvas.zoom_out(), QKeySequence.StandardKey.ZoomOut)
        a("zoom_full", tr("Volledige kaart"), lambda: self.canvas.zoom_full(), "Ctrl+Shift+F")
        a("zoom_selection", tr("Zoom naar selectie"), lambda: self.canvas.zoom_to_selection(), "Ctrl+J")
        a("clear_selection", tr("Selectie wissen"), self.clear_selection)
        a("add_layer", tr("Laag toevoegen…"), self.open_add_layer_dialog, "Ctrl+L")
        a("attribute_table", tr("Attribuuttabel"), lambda: self.open_attribute_table(self.layer_panel.current_layer()), "F6")
        a("style", tr("Stijl…"), lambda: self.open_style_dialog(self.layer_panel.current_layer()))
        a("run_scan", tr("Potentiescan uitvoeren…"), self.open_scan_dialog, "Ctrl+R")
        a("compare", tr("Scenario's vergelijken…"), self.open_compare_dialog)
        a("sensitivity", tr("Gevoeligheid…"), self.run_sensitivity)
        a("locaties", tr("Locaties bewerken en scannen…"), self.show_locaties_editor)
        a("locaties_draw", tr("Nieuwe locatie tekenen"), lambda: self.show_locaties_editor().start_drawing())
        a("about", tr("Over Beter Benutten"), self._about)
        a("help", tr("Handleiding"), lambda: self.show_help(), QKeySequence.StandardKey.HelpContents)
        languages = QActionGroup(self)
        for code, text in (("nl", tr("Nederlands")), ("en", tr("Engels"))):
            action = a(f"lang_{code}", text, partial(self._set_language, code), checkable=True)
            action.setChecked(i18n.language() == code)
            languages.addAction(action)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        project = bar.addMenu(tr("&Project"))
        for key in ("new", "gemeente", "open"):
            project.addAction(self.actions[key])
        self.recent_menu = project.addMenu(tr("Recente projecten"))
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        project.addSeparator()
        project.addAction(self.actions["save"])
        project.addAction(self.actions["save_as"])
        project.addSeparator()
        project.addMenu(self.exports.menu)
        project.addSeparator()
        project.addAction(self.actions["quit"])
        bewerken = bar.addMenu(tr("&Bewerken"))
        bewerken.setObjectName("menu_bewerken")
        bewerken.addAction(self.actions["undo_remove"])
        kaart = bar.addMenu(tr("&Kaart"))
        for key in ("pan", "zoom_box", "zoom_in", "zoom_out", "zoom_full", "zoom_selection", "extent_back", "extent_forward",
                    None, "identify", "select", "select_polygon", "clear_selection", None, "measure_distance", "measure_area",
                    None, "informatieproduct", None, "save_image"):
            kaart.addSeparator() if key is None else kaart.addAction(self.actions[key])
        from gisapp.basemap import BasemapMenu

        kaart.addSeparator()
        self.basemap_menu = BasemapMenu(self)
        kaart.addMenu(self.basemap_menu.menu)
        selectie = bar.addMenu(tr("&Selectie"))
        selectie.setObjectName("menu_selectie")
        for key in ("select", "select_polygon", "select_expression", None, "zoom_selection", "clear_selection"):
            selectie.addSeparator() if key is None else selectie.addAction(self.actions[key])
        lagen = bar.addMenu(tr("&Lagen"))
        for key in ("add_layer", "attribute_table", "style"):
            lagen.addAction(self.actions[key])
        scans = bar.addMenu(tr("&Scans"))
        scans.addAction(self.actions["run_scan"])
        scans.addAction(self.actions["compare"])
        scans.addAction(self.actions["sensitivity"])
        scans.addSeparator()
        locaties = scans.addMenu(tr("Locaties"))
        locaties.setObjectName("menu_locaties")
        locaties.addAction(self.actions["locaties"])
        locaties.addAction(self.actions["locaties_draw"])
        beeld = bar.addMenu(tr("&Beeld"))
        for dock in (self.layer_dock, self.identify_dock, self.results_dock, self.data_check.dock, self.informatieproduct.dock):
            beeld.addAction(dock.toggleViewAction())
        beeld.addSeparator()
        taal = beeld.addMenu(tr("Taal"))
        taal.addAction(self.actions["lang_nl"])
        taal.addAction(self.actions["lang_en"])
        helpmenu = bar.addMenu(tr("&Help"))
        helpmenu.addAction(self.actions["help"])
        helpmenu.addAction(self.actions["about"])

    def _build_toolbar(self) -> None:
        toolbar = QToolBar(tr("Werkbalk"), self)
        toolbar.setObjectName("toolbar_main")
        # Icons with explaining tooltips (gisapp.icons); the main action first, with its text, so a
        # narrow window never hides it behind the toolbar's overflow.
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        from gisapp.icons import decorate_actions

        decorate_actions(self.actions, self)
        toolbar.addAction(self.actions["run_scan"])
        main_button = toolbar.widgetForAction(self.actions["run_scan"])
        main_button.setObjectName("main_action_button")
        main_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        main_button.setStyleSheet("QToolButton { font-weight: bold; }")
        toolbar.addSeparator()
        for key in ("open", "save", None, "pan", "zoom_box", "zoom_in", "zoom_out", "zoom_full", "extent_back", "extent_forward",
                    None, "identify", "measure_distance", "select", "zoom_selection", "informatieproduct", None, "add_layer", "attribute_table"):
            toolbar.addSeparator() if key is None else toolbar.addAction(self.actions[key])
        self.addToolBar(toolbar)
        self.toolbar = toolbar

    def _build_tools(self) -> None:
        """Background tasks, autosave, exports and the informatieproduct tool."""
        from gisapp.export_actions import BackgroundTask, ExportActions
        from gisapp.informatieproduct_tool import InformatieproductTool
        from gisapp.recovery import AutosaveController

        self.background = BackgroundTask(self)
        self.autosave = AutosaveController(self)
        self.autosave.failed.connect(
            lambda reason: self.statusBar().showMessage(tr("Automatisch opslaan mislukt: {reason}", reason=reason), 10000))
        self.exports = ExportActions(self, self.background)
        self.informatieproduct = InformatieproductTool(self, self.background, self.actions["informatieproduct"])
        self.tabifyDockWidget(self.results_dock, self.informatieproduct.dock)
        from gisapp.data_check_panel import install_data_check

        self.data_check = install_data_check(self)  # the "Gegevens" dock and the results' data warning
        from gisapp.map_tools import install_map_tools

        # measure, previous/next extent, select by polygon/expression, map as image, undoable removal
        self.map_tools = install_map_tools(self)

    def _build_statusbar(self) -> None:
        self.coordinate_label = QLabel("", self)
        self.coordinate_label.setMinimumWidth(220)
        from gisapp.map_tools import ScaleBox

        self.scale_label = QLabel(tr("Schaal"), self)
        self.scale_box = ScaleBox(self.canvas, self)  # shows the scale and zooms to a typed one
        self.load_label = QLabel("", self)
        self.load_progress = QProgressBar(self)
        self.load_progress.setMaximumWidth(160)
        self.load_progress.setTextVisible(True)
        self.load_progress.setFormat("%v/%m")
        self.statusBar().addPermanentWidget(self.load_label)
        self.statusBar().addPermanentWidget(self.load_progress)
        self.load_label.hide()
        self.load_progress.hide()
        self.statusBar().addPermanentWidget(self.coordinate_label)
        self.statusBar().addPermanentWidget(self.scale_label)
        self.statusBar().addPermanentWidget(self.scale_box)

    # --- project ------------------------------------------------------------------------------
    @property
    def project(self):
        """The open project (owned by :attr:`app`)."""
        return self.app.project

    @property
    def modified(self) -> bool:
        """True when the project changed since it was opened or saved (``app.dirty``)."""
        return self.app.dirty

    def set_modified(self, modified: bool) -> None:
        self.app.set_dirty(modified)

    def _mark_modified(self, *args) -> None:
        self.app.set_dirty(True)

    @property
    def last_result(self):
        """The last scan result shown (``app.result``) or None."""
        return self.app.result

    def _new_project(self):
        return empty_project(tr("Naamloos project"))

    def set_project(self, project) -> None:
        """Show ``project`` (replacing the current one without asking)."""
        self.app.set_project(project)

    def _on_project_opening(self, project) -> None:
        # before the application follows its layers: the first look is no change by the user
        apply_initial_styles(project)
        prepare_first_view(project)

    def _on_project_closing(self, project) -> None:
        self._cancel_loading()
        if self._collection_slot is not None:
            self._collection_slot[0].disconnect(self._collection_slot[1])
            self._collection_slot = None
        for table in list(self.tables.values()):
            table.close()
        self.tables.clear()

    def _on_project_opened(self, project) -> None:
        self.message_bar.clear()  # the messages were about the previous project
        self.identify_panel.clear()
        self.layer_panel.set_collection(project.layers)
        self.canvas.set_layers(project.layers)
        signal = project.layers.events.changed
        signal.connect(self._on_collection_changed)
        self._collection_slot = (signal, self._on_collection_changed)
        self._on_dirty_changed(self.app.dirty)
        if len(project.layers):
            self.canvas.zoom_full()
            top = next((layer for layer in list(project.layers)[::-1] if getattr(layer, "role", None) == "gebouwen"), None)
            self.layer_panel.set_current_layer(top or project.layers[len(project.layers) - 1])
        self._update_title()
        self.project_changed.emit(project)

    def _on_collection_changed(self, *args) -> None:
        live = {id(layer) for layer in self.project.layers}
        for key in [k for k in self.tables if k not in live]:
            self.tables.pop(key).close()
        if len(self.project.layers):
            self.central.show_map()  # the empty state has done its work

    def _on_dirty_changed(self, dirty: bool) -> None:
        self.setWindowModified(bool(dirty))

    def _update_title(self) -> None:
        name = getattr(self.project, "name", "") or tr("Naamloos project")
        self.setWindowTitle(f"{name}[*] – Beter Benutten")

    def open_project(self, path: str | Path, *, background: bool = False) -> bool:
        """Load the project at ``path``; errors go to a dialog. True on success.

        When an autosave newer than the project file exists (the app crashed), the user is
        asked whether to recover it; a recovered project opens marked modified.

        With ``background`` the project file is read and checked (and the sources outside its
        folder confirmed) here, the window shows the project at once, and its layers are read in
        a worker thread (see the module docstring); ``project_loaded`` is emitted when all are
        there. Without it every layer is read before this returns, and a layer that cannot be
        read stops the whole open.
        """
        # The open project is being replaced (the caller asked about its changes): its autosave goes.
        self.autosave.release(self.project.path if self.project is not None else None)
        project, recovered = None, False
        found = self.autosave.find(path)
        if found is not None:
            if self.ask_recover(path, found):
                try:
                    project, recovered = self.autosave.recover(path), True
                except USER_ERRORS as exc:
                    self.show_error(tr("Kan de automatisch opgeslagen versie niet laden"), exc)
            else:
                self.autosave.decline(path)
        if project is None:
            try:
                project = self.app.open_project(path, load_layers=not background,
                                                confirm_external=self.confirm_external_sources)
            except USER_ERRORS as exc:
                self.show_error(tr("Kan het project niet openen"), exc)
                return False
            if project is None:
                self.statusBar().showMessage(tr("Openen geannuleerd"), 5000)
                return False
        else:
            self.set_project(project)
        remember_project(path)
        if recovered:
            self.set_modified(True)
            self.statusBar().showMessage(tr("Automatisch opgeslagen versie hersteld: {name}", name=project.name), 8000)
        elif background and project.sources and not len(project.layers):
            self._start_loading(project)
            return True
        else:
            self.statusBar().showMessage(tr("Project geladen: {name}", name=project.name), 5000)
        self._show_load_messages(project)
        self.project_loaded.emit(project)
        return True

    # --- opening in the background -------------------------------------------------------------
    def is_loading(self) -> bool:
        """True while layers of the open project are still being read in the background."""
        return self._loading is not None

    def _start_loading(self, project) -> None:
        """Read the layers of ``project`` (shown, still empty) in a worker thread."""
        from gisapp.worker import TaskRunner
        from layers.project import source_size
        from layers.roles import ROLES

        sources = list(project.sources.values())
        # A file without display state gets the first view of prepare_first_view: some layers hidden,
        # rasters at the bottom (else file order); otherwise its own visibility is kept.
        first_view = all(s.visible and s.opacity == 1.0 for s in sources)
        hidden = first_view_hidden(sources) if first_view else {id(s) for s in sources if not s.visible}
        is_raster = [ROLES[s.role].geometry == "raster" if s.role in ROLES else Path(s.path).suffix.lower() in (".tif", ".tiff")
                     for s in sources]
        ordered = ([s for s, r in zip(sources, is_raster) if r] + [s for s, r in zip(sources, is_raster) if not r]
                   if first_view else sources)
        # Read what the planner sees first: visible layers before hidden ones, small files first.
        reading = sorted(sources, key=lambda s: (id(s) in hidden, source_size(project, s)))
        state = ProjectLoad(project, {id(s): i for i, s in enumerate(ordered)}, hidden, len(sources))
        runner = TaskRunner(self)
        state.runner = runner
        runner.delivered.connect(partial(self._on_layer_read, state))
        runner.progressed.connect(partial(self._on_load_progress, state))
        runner.failed.connect(partial(self._on_load_failed, state))
        runner.done.connect(partial(self._on_loading_done, state, runner))
        self._loading = state
        self._load_runners.append(runner)
        self._map_moved = False
        self.load_progress.setRange(0, state.total)
        self.load_progress.setValue(0)
        self.load_label.setText(tr("Project laden: {name}", name=project.name))
        self.load_label.show()
        self.load_progress.show()
        self.statusBar().showMessage(tr("Project laden: {name}", name=project.name))
        runner.start(partial(read_project_layers, project, reading, prepare=partial(prepare_source, hidden)))

    def _on_load_progress(self, state: ProjectLoad, _fraction: float, key: str) -> None:
        if state is self._loading and key:
            self.load_label.setText(tr("Laag lezen: {name} ({done} van {total})", name=key, done=state.done + 1,
                                       total=state.total))

    def _on_layer_read(self, state: ProjectLoad, part) -> None:
        """A layer arrived from the worker (GUI thread): add it where the file puts it."""
        if state is not self._loading:
            return  # the project was replaced or closed meanwhile
        source, layer, reason, prepared = part
        state.done += 1
        self.load_progress.setValue(state.done)
        if layer is None:
            state.failed.append((source.key, reason))
            self.statusBar().showMessage(tr("Laag {name} niet geladen: {reason}", name=source.key, reason=reason), 10000)
            self.layer_failed.emit(source.key, reason)
            return
        project = state.project
        if id(source) in state.hidden:
            layer.visible = False
        rank = state.rank.get(id(source), len(state.rank))
        index = 0
        for position, other in enumerate(project.layers):
            other_rank = state.rank.get(id(getattr(other, "source", None)))
            if other_rank is not None and other_rank < rank:
                index = position + 1
        if prepared:
            self.canvas.offer_prepared(layer, **prepared)  # the map draws it without building anything
        self.app.insert_read_layer(index, layer)  # a layer of the project file: no change by the user
        if not self._map_moved:
            self.canvas.zoom_full()
        current = self.layer_panel.current_layer()
        if current is None or (layer.role == "gebouwen" and current.role != "gebouwen"):
            self.layer_panel.set_current_layer(layer)
        self.layer_loaded.emit(layer)

    def _on_load_failed(self, state: ProjectLoad, message: str, _details: str) -> None:
        # read_project_layers reports every layer itself; this is a failure outside any layer
        if state is self._loading:
            state.failed.append((tr("project"), message))

    def _on_loading_done(self, state: ProjectLoad, runner) -> None:
        if runner in self._load_runners:
            self._load_runners.remove(runner)
        runner.deleteLater()
        if state is not self._loading:
            return
        self._loading = None
        self.load_label.hide()
        self.load_progress.hide()
        project = state.project
        self.statusBar().showMessage(tr("Project geladen: {name}", name=project.name), 5000)
        self._show_load_messages(project)
        if state.failed:
            listing = "\n".join(f"• {key}: {reason}" for key, reason in state.failed)
            self.show_error(
                tr("Niet alle lagen zijn geladen"),
                tr("Deze lagen konden niet worden gelezen; ze blijven in het projectbestand staan en de andere lagen "
                   "zijn geladen:\n\n{listing}", listing=listing),
            )
        self.project_loaded.emit(project)

    def _cancel_loading(self) -> None:
        """Stop reading the layers of the previous project (its thread ends after the current layer)."""
        state, self._loading = self._loading, None
        if state is not None and state.runner is not None:
            state.runner.cancel()
        self.load_label.hide()
        self.load_progress.hide()

    def _on_user_navigated(self, *args) -> None:
        if self._loading is not None:
            self._map_moved = True

    def eventFilter(self, watched, event) -> bool:
        if self._loading is not None and event.type() in (QEvent.Type.MouseButtonPress, QEvent.Type.Wheel,
                                                           QEvent.Type.KeyPress):
            self._map_moved = True
        return super().eventFilter(watched, event)

    def confirm_external_sources(self, external: list[tuple[str, str]]) -> bool:
        """Show the files and servers outside the project folder before they are read; True to go on."""
        listing = "\n".join(f"• {key}: {where}" for key, where in external)
        answer = QMessageBox.question(
            self,
            tr("Bestanden buiten de projectmap"),
            tr("Dit project leest gegevens van buiten de projectmap:\n\n{listing}\n\nDoorgaan?", listing=listing),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.Yes,
        )
        return answer == QMessageBox.StandardButton.Yes

    def ask_recover(self, path, autosave_file: Path) -> bool:
        """Ask whether to recover an autosave (a method so tests can answer it)."""
        from datetime import datetime

        when = datetime.fromtimestamp(Path(autosave_file).stat().st_mtime).strftime("%d-%m-%Y %H:%M")
        name = Path(path).name if path is not None else tr("het naamloze project")
        answer = QMessageBox.question(
            self,
            tr("Automatisch opgeslagen versie gevonden"),
            tr("Van {name} is een automatisch opgeslagen versie van {when} gevonden die nieuwer is dan het "
               "opgeslagen project (het programma is waarschijnlijk onverwacht gestopt). Deze versie herstellen?",
               name=name, when=when),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.Yes,
        )
        return answer == QMessageBox.StandardButton.Yes

    def offer_unsaved_recovery(self) -> bool:
        """At start: offer the autosave of a never-saved project left by a crash. True when recovered.

        Runs once, from the first turn of the event loop, and only while the window still shows
        the empty start project: a project opened at start (``gisapp open``, the screenshot
        command) is never replaced by a question.
        """
        if self._startup_checked:
            return False
        self._startup_checked = True
        if self.modified or self.project is None or self.project.path is not None or len(self.project.layers):
            return False
        found = self.autosave.find(None)
        if found is None:
            return False
        if not self.ask_recover(None, found):
            self.autosave.decline(None)
            return False
        try:
            project = self.autosave.recover(None)
        except USER_ERRORS as exc:
            self.show_error(tr("Kan de automatisch opgeslagen versie niet laden"), exc)
            return False
        self.set_project(project)
        self.set_modified(True)
        self.statusBar().showMessage(tr("Automatisch opgeslagen versie hersteld: {name}", name=project.name), 8000)
        return True

    def open_path(self, path: str | Path, *, background: bool = False) -> bool:
        """A project (``.toml``) is opened (see :meth:`open_project`); any other file is added as a layer."""
        if Path(path).suffix.lower() == ".toml":
            return self.open_project(path, background=background)
        return self.add_data_file(path) is not None

    def _show_load_messages(self, project) -> None:
        self._show_load_messages_of(*project.layers)

    def _show_load_messages_of(self, *layers) -> None:
        lines = []
        for layer in layers:
            report = getattr(layer, "report", None)
            for message in getattr(report, "warnings", []) or []:
                lines.append(Translatable("{layer}: {message}", layer=layer.name, message=message.text))
        if lines:
            self.statusBar().showMessage(f"{tr('Meldingen bij het laden')}: {len(lines)}", 8000)
            self.layer_panel.setToolTip("\n".join(translated(line) for line in lines[:40]))
            # visible above the map, with Details and a close button (gisapp.message_bar)
            self.message_bar.show_messages(tr("Meldingen bij het laden"), list(dict.fromkeys(self.message_bar.lines + lines)))

    def new_project(self) -> None:
        if self.maybe_save():
            self.autosave.release(self.project.path)
            self.set_project(self._new_project())
            self.central.show_start("empty")  # says what to add

    def show_start_page(self) -> None:
        """The start page (recent projects, the sample, a gemeente, open) while no project is open."""
        self.central.show_start("start" if not len(self.project.layers) and self.project.path is None else "empty")

    def show_help(self, page: str = "index"):
        """The manual (F1, ``gisapp.help_dialog``), non-modal; returns the dialog."""
        from gisapp.help_dialog import show_help

        return show_help(self, page)

    def open_gemeente_wizard(self):
        """Fetch a gemeente from the public services into a new project (``gisapp.gemeente_wizard``); returns the dialog."""
        from gisapp.gemeente_wizard import open_gemeente_wizard

        return open_gemeente_wizard(self)

    def choose_project(self) -> None:
        if not self.maybe_save():
            return
        path, _ = QFileDialog.getOpenFileName(self, tr("Project openen…"), "", tr("Projectbestanden (*.toml)"))
        if path:
            self.open_project(path, background=True)

    def save_project(self) -> bool:
        if self.project.path is None:
            return self.save_project_as()
        return self._save(None)

    def save_project_as(self, path: str | Path | None = None) -> bool:
        if path is None or isinstance(path, bool):
            path, _ = QFileDialog.getSaveFileName(self, tr("Opslaan als…"), "", tr("Projectbestanden (*.toml)"))
            if not path:
                return False
        return self._save(Path(path))

    def _save(self, path: Path | None) -> bool:
        previous = self.project.path
        try:
            self.app.save(path)  # the last scan's result is written beside it (gisapp.results_store)
        except USER_ERRORS as exc:
            self.show_error(tr("Kan het project niet opslaan"), exc)
            return False
        try:
            self.autosave.saved(previous, self.project.path)
        except OSError as exc:  # a stale autosave is harmless: find_recovery ignores older ones
            self.statusBar().showMessage(error_text(exc), 5000)
        if self.locaties_editor is not None:
            try:  # locations drawn before the project had a file are written beside it now
                self.locaties_editor.save()
            except USER_ERRORS as exc:
                self.show_error(tr("Kan de locaties niet opslaan"), exc)
        self.app.set_dirty(False)
        remember_project(self.project.path)
        self._update_title()
        self.statusBar().showMessage(tr("Project opgeslagen: {path}", path=self.project.path), 5000)
        return True

    def ask_save_changes(self) -> QMessageBox.StandardButton:
        """Ask whether to save; a method so tests can answer without a modal dialog."""
        return QMessageBox.question(
            self,
            tr("Niet-opgeslagen wijzigingen"),
            tr("Het project '{name}' heeft wijzigingen die nog niet zijn opgeslagen. Opslaan?", name=self.project.name),
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )

    def maybe_save(self) -> bool:
        """True when the current project may be closed (saved, discarded or unchanged)."""
        if not self.modified:
            return True
        answer = self.ask_save_changes()
        if answer == QMessageBox.StandardButton.Save:
            return self.save_project()
        return answer == QMessageBox.StandardButton.Discard

    def closeEvent(self, event) -> None:
        if not self.maybe_save():
            event.ignore()
            return
        self._cancel_loading()
        self.stop_background_work()
        self.autosave.stop()
        self.autosave.release(self.project.path)
        for table in list(self.tables.values()):
            table.close()
        event.accept()

    def running_runners(self) -> list:
        """The worker-thread runners that are busy (scan, exports, informatieproduct, layer loading)."""
        runners = [self.background.runner, *self._load_runners]
        if self.scan_dialog is not None:
            runners.append(self.scan_dialog.runner)
        if self.add_layer_dialog is not None:
            runners.append(self.add_layer_dialog.runner)
        return [runner for runner in runners if runner.is_running()]

    def stop_background_work(self) -> bool:
        """Cancel every running computation and wait until its thread ended; True when all did."""
        from gisapp.export_actions import stop_runner

        return all([stop_runner(runner) for runner in self.running_runners()])

    def show_error(self, title: str, error: object) -> None:
        """One sentence in a dialog (``error``, an exception or a text, in the interface language);
        ``last_error`` keeps it for the status bar and tests."""
        text = error_text(error)
        self.last_error = text
        self.statusBar().showMessage(f"{title}: {text}", 10000)
        box = QMessageBox(QMessageBox.Icon.Critical, title, text, QMessageBox.StandardButton.Ok, self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        paths = recent_projects()
        if not paths:
            action = self.recent_menu.addAction(tr("Geen recente projecten"))
            action.setEnabled(False)
        for path in paths:
            action = self.recent_menu.addAction(path)
            action.triggered.connect(partial(self._open_recent, path))

    def _open_recent(self, path: str) -> None:
        if self.maybe_save():
            self.open_project(path, background=True)

    # --- layers ---------------------------------------------------------------------------------
    def open_add_layer_dialog(self):
        """Show the (non-modal) "Laag toevoegen" dialog: file, OGC API Features or PostGIS; returns it."""
        from gisapp.add_layer_dialog import AddLayerDialog

        names, extent = list(self.project.layers.names()), self.canvas.current_extent() if len(self.project.layers) else None
        if self.add_layer_dialog is None:
            dialog = AddLayerDialog(None, self, existing_names=names, extent=extent)
            dialog.file_chosen.connect(lambda choices: self.add_data_file(choices["path"], choices))
            dialog.layer_loaded.connect(self.add_loaded_layer)
            self.add_layer_dialog = dialog
        else:
            self.add_layer_dialog.update_context(names, extent)
        self.add_layer_dialog.open()
        self.add_layer_dialog.raise_()
        return self.add_layer_dialog

    def ask_layer_choices(self, path: Path) -> dict | None:
        """Ask layer, role and name for a file (a method so tests can answer it)."""
        from gisapp.add_layer_dialog import AddLayerDialog

        dialog = AddLayerDialog(path, self, existing_names=list(self.project.layers.names()))
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.choices()

    def add_data_file(self, path: str | Path, choices: dict | None = None):
        """Read a data file as a new layer (asking layer, role and name unless given)."""
        from layers.project import LayerSource
        from layers.readers import read_layer
        from layers.roles import REFERENCE_ROLE
        path = Path(path)
        choices = choices if choices is not None else self.ask_layer_choices(path)
        if choices is None:
            return None
        try:
            layer = read_layer(path, layer=choices.get("layer"), role=choices.get("role"), name=choices.get("name"))
            if layer.style is None:
                layer.style = initial_style(layer)
        except USER_ERRORS as exc:
            self.show_error(tr("Kan de laag niet laden"), exc)
            return None
        # A layer without a role is a reference layer: shown and saved, read by no scan.
        source = LayerSource(key=layer.name, path=str(path), role=layer.role or REFERENCE_ROLE, layer=choices.get("layer"))
        return self.add_loaded_layer(layer, source)

    def add_loaded_layer(self, layer, source):
        """Add a layer read elsewhere (a file, an OGC API collection, a PostGIS table) with its source."""
        if layer.style is None:
            layer.style = initial_style(layer)
        self.project.add_layer(layer, source)
        if len(self.project.layers) == 1:
            self.canvas.zoom_full()
        self.layer_panel.set_current_layer(layer)
        self._show_load_messages_of(layer)
        self.statusBar().showMessage(tr("Laag toegevoegd: {name}", name=layer_title(layer)), 5000)
        return layer

    def remove_layer(self, layer) -> None:
        """Remove ``layer`` (and its source) without asking; "Laag terugzetten" (Ctrl+Z) undoes it."""
        self.map_tools.remove_layer(layer)

    def layer(self, name: str):
        """The layer called ``name`` or None."""
        return next((layer for layer in self.project.layers if layer.name == name), None)

    def open_style_dialog(self, layer, modal: bool = True):
        from gisapp.raster_style_dialog import RasterStyleDialog
        from gisapp.style_dialog import StyleDialog

        if layer is None or not (hasattr(layer, "data") or hasattr(layer, "raster")):
            return None
        dialog = StyleDialog(layer, self) if hasattr(layer, "data") else RasterStyleDialog(layer, self)
        if modal:
            dialog.exec()
        return dialog

    def open_attribute_table(self, layer):
        from gisapp.attribute_table import AttributeTable

        if layer is None or not hasattr(layer, "data"):
            return None
        table = self.tables.get(id(layer))
        if table is None:
            table = AttributeTable(layer, self)
            table.selection_changed.connect(self._on_table_selection)
            table.zoom_requested.connect(lambda _layer: self.canvas.zoom_to_selection())
            table.destroyed.connect(partial(self.tables.pop, id(layer), None))
            table.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self.tables[id(layer)] = table
            selection = self.selection()
            if selection is not None and selection[0] is layer:
                table.select_positions(selection[1])
        table.show()
        table.raise_()
        return table

    # --- selection and identify --------------------------------------------------------------
    def set_selection(self, layer, indices) -> None:
        """Select features of ``layer`` (positional indices) on the map and in its table."""
        indices = np.unique(np.asarray(indices, dtype="int64"))
        if layer is None or len(indices) == 0:
            self.clear_selection()
            return
        self.app.select(layer.name, indices)

    def selection(self):
        """``(layer, positions)`` of the current selection (``app.current_selection``) or None."""
        current = self.app.current_selection()
        if current is None:
            return None
        layer = self.layer(current[0])
        return None if layer is None else (layer, current[1])

    def clear_selection(self) -> None:
        if self.app.current_selection() is not None:
            self.app.clear_selection()
        else:
            self._on_selection_changed(None)  # the map and tables may still show a highlight

    def _select_quietly(self, layer, indices) -> None:
        """Select from a table or by identify: the map follows, the tables and status bar stay."""
        self._quiet_selection = True
        try:
            if len(indices):
                self.app.select(layer.name, indices)
            else:
                self.app.clear_selection()
        finally:
            self._quiet_selection = False

    def _on_selection_changed(self, _name=None) -> None:
        current = self.selection()
        if current is None:
            self.statusBar().clearMessage()  # "N objecten geselecteerd" is no longer true
            self.canvas.clear_selection()
            if not self._quiet_selection:
                for table in self.tables.values():
                    table.select_positions([])
            return
        layer, indices = current
        self.canvas.set_selection(layer, indices)
        if self._quiet_selection:
            return
        for key, table in self.tables.items():
            table.select_positions(indices if key == id(layer) else [])
        self.statusBar().showMessage(tr("{n} objecten geselecteerd", n=len(indices)), 5000)

    def _on_table_selection(self, layer, indices) -> None:
        self._select_quietly(layer, np.asarray(indices, dtype="int64"))

    def _selectable_layer(self):
        def selectable(layer) -> bool:
            return layer is not None and getattr(layer, "geometry_kind", "raster") in ("polygon", "point", "line") and layer.visible

        current = self.layer_panel.current_layer()
        if selectable(current):
            return current
        return next((layer for layer in list(self.project.layers)[::-1] if selectable(layer)), None)

    def select_in_area(self, area) -> None:
        """Select features of the current layer: at a clicked point ``(x, y)``, in a box
        ``(xmin, ymin, xmax, ymax)`` or intersecting a shapely geometry."""
        import shapely

        from gisapp.identify import features_at

        layer = self._selectable_layer()
        if layer is None:
            return
        if isinstance(area, (tuple, list)) and len(area) == 2:
            hits = features_at(layer, area[0], area[1], self.pixel_tolerance())
            hits = hits[-1:] if layer.geometry_kind == "polygon" else hits[:1]
        else:
            geometry = shapely.box(*area) if isinstance(area, (tuple, list)) else area
            hits = layer.spatial_index().query(geometry, predicate="intersects")
        self.set_selection(layer, hits)

    def pixel_tolerance(self, pixels: float = 4.0) -> float:
        """``pixels`` screen pixels in map units at the current zoom."""
        return pixels * self.canvas.map_units_per_pixel()

    def identify_at(self, x: float, y: float):
        """Identify the top feature at (x, y), show it in the identify panel and return it."""
        from gisapp.identify import identify

        found = identify(self.project.layers, x, y, self.pixel_tolerance())
        self.identify_dock.show()
        self.identify_dock.raise_()
        if found is None:
            self.identify_panel.clear(tr("Geen object op deze plek."))
            return None
        layer, position = found
        self.identify_panel.show_feature(layer, position)
        self._select_quietly(layer, np.array([position], dtype="int64"))
        return found

    def set_tool(self, tool: str) -> None:
        self.canvas.set_tool(tool)

    def _on_tool_changed(self, tool: str) -> None:
        # Tools may also be set on the canvas directly (editors): the toolbar follows.
        action = self.actions.get(_TOOL_ACTIONS.get(tool, tool))
        if action is not None and not action.isChecked():
            action.setChecked(True)

    # --- status bar ------------------------------------------------------------------------------
    def _on_mouse_moved(self, x: float, y: float) -> None:
        self.coordinate_label.setText(tr("RD x {x} y {y}", x=display_number(x, 0), y=display_number(y, 0)))

    def _on_scale_changed(self, scale: float) -> None:
        self.scale_box.show_scale(scale)

    # --- scans -----------------------------------------------------------------------------------
    def open_scan_dialog(self):
        """Show the (non-modal) scan dialog; returns it."""
        from gisapp.scan_dialog import ScanDialog

        if self._still_loading(tr("Potentiescan")):
            return None
        if self.project.layer("gebouwen") is None:
            self.show_error(tr("Potentiescan"), tr("Dit project heeft geen gebouwenlaag."))
            return None
        if self.scan_dialog is None:
            self.scan_dialog = ScanDialog(self.project, self)
            self.scan_dialog.result_ready.connect(self._add_prepared_scan_result)
            self.scan_dialog.scenario_saved.connect(self._mark_modified)
        else:
            self.scan_dialog.refresh()
        self.scan_dialog.show()
        self.scan_dialog.raise_()
        return self.scan_dialog

    def run_sensitivity(self):
        """Scans → Gevoeligheid…: one-at-a-time and the P10–P90 band of the open project in a worker
        (``gisapp.sensitivity_panel``), with the scan dialog's settings when it is open."""
        from scans.inputs import ScanInputs
        from scans.scenarios import resolve_scenario

        if self._still_loading(tr("Gevoeligheid…").rstrip("…")):
            return None
        if self.project is None or self.project.layer("gebouwen") is None:
            self.show_error(tr("Gevoeligheid en onzekerheid"), tr("Dit project heeft geen gebouwenlaag."))
            return None
        try:
            settings = self.scan_dialog.settings() if self.scan_dialog is not None else resolve_scenario(self.project, None, [])
        except ValueError as exc:
            self.show_error(tr("Gevoeligheid en onzekerheid"), exc)
            return None
        if self.sensitivity is None:
            from gisapp.sensitivity_panel import install_sensitivity_panel

            self.sensitivity = install_sensitivity_panel(self)
            self.sensitivity.run_button.clicked.connect(self.run_sensitivity)
        project = self.project
        self.sensitivity.start(lambda: ScanInputs.from_project(project), settings)
        self.sensitivity.dock.show()
        self.sensitivity.dock.raise_()
        return self.sensitivity

    def _still_loading(self, title: str) -> bool:
        """True (with a message) while the project's layers are still being read."""
        if self._loading is None:
            return False
        self.statusBar().showMessage(
            f"{title}: " + tr("het project wordt nog geladen; probeer het opnieuw als alle lagen er zijn."), 8000)
        return True

    def show_locaties_editor(self):
        """The locatiescan editor and its dock (``gisapp.locaties_editor``), created on first use."""
        if self.locaties_editor is None:
            from gisapp.locaties_editor import install_locaties_editor

            self.locaties_editor = install_locaties_editor(self)
            self.locaties_editor.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
            from gisapp.window_layout import make_scrollable

            # a tab beside the results, scrolling on a low screen instead of growing the window
            make_scrollable(self.locaties_editor.dock)
            self.tabifyDockWidget(self.results_dock, self.locaties_editor.dock)
        dock = self.locaties_editor.dock
        dock.show()
        dock.raise_()
        return self.locaties_editor

    def _add_prepared_scan_result(self, result) -> None:
        prepared = getattr(self.scan_dialog, "prepared", None)
        self.add_scan_result(result, prepared.layers_for(result) if prepared is not None else None)

    def add_scan_result(self, result, prepared: list | None = None) -> None:
        """Show ``result``: ``gebieden_potentie`` (choropleth) and ``gebouwen_potentie`` as styled layers
        (through :meth:`Application.set_result`), the results dock and its table.

        ``prepared``: the layers with their map snapshots built in the scan's worker thread
        (:func:`gisapp.project_loading.result_layers`); built here when None.
        """
        if prepared is None:
            prepared = [(layer, None) for layer in result_map_layers(result)]
        extents = []
        for layer, ready in prepared:
            extent = ready.get("extent") if ready else layer.extent  # computed in the worker when prepared
            if extent is not None:
                extents.append(extent)
        self._result_extents = extents
        self._result_prepared = {id(layer): ready for layer, ready in prepared if ready}
        try:
            self.app.set_result(result, layers=[layer for layer, _ready in prepared])
        finally:
            self._result_prepared = {}

    def _on_result_layer_adding(self, layer) -> None:
        ready = self._result_prepared.pop(id(layer), None)
        if ready:
            self.canvas.offer_prepared(layer, **ready)  # an offer is for the very next add

    def _on_result_changed(self, result) -> None:
        extents, self._result_extents = self._result_extents, None
        if result is None:
            return
        added = self.app.result_layers
        if extents is None:
            extents = [layer.extent for layer in added if layer.extent is not None]
        if extents:
            extents = np.array(extents)
            self.canvas.zoom_to_extent((extents[:, 0].min(), extents[:, 1].min(), extents[:, 2].max(), extents[:, 3].max()))
        self.results_dock.show()
        self.results_dock.raise_()
        if added:
            self.layer_panel.set_current_layer(added[-1])
        self.scan_finished.emit(result)

    def _restore_saved_result(self, project) -> None:
        """Show the result saved with ``project`` again, marked verouderd when an input or a
        parameter changed since."""
        if project is not self.project or self.app.result is not None:
            return
        try:
            result = self.app.restore_saved_result()
        except USER_ERRORS as exc:
            self.statusBar().showMessage(error_text(exc), 10000)
            return
        if result is None:
            return
        self.statusBar().showMessage(tr("Resultaat van de laatste scan geladen ({scenario})", scenario=result.settings.naam)
                                     + (" – " + tr("verouderd") if self.app.stale else ""), 8000)

    def _zoom_to_gebied(self, code: str) -> None:
        layer = self.layer("gebieden_potentie")
        if layer is None or "gebied_code" not in layer.data.columns:
            return
        positions = np.flatnonzero(layer.data["gebied_code"].astype(str).to_numpy() == str(code))
        if len(positions):
            self.set_selection(layer, positions)
            self.canvas.zoom_to_selection()

    def open_compare_dialog(self):
        from gisapp.scan_dialog import CompareDialog

        if self._still_loading(tr("Scenario's vergelijken")):
            return None
        if self.project.layer("gebouwen") is None:
            self.show_error(tr("Scenario's vergelijken"), tr("Dit project heeft geen gebouwenlaag."))
            return None
        dialog = CompareDialog(self.project, self)
        dialog.comparison_ready.connect(self._show_comparison)
        dialog.show()
        return dialog

    def _show_comparison(self, name_a: str, name_b: str, table) -> None:
        self.results_panel.set_comparison(name_a, name_b, table)
        self.results_dock.show()
        self.results_dock.raise_()

    # --- drag and drop ------------------------------------------------------------------------
    def dragEnterEvent(self, event) -> None:
        if _dropped_paths(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event) -> None:
        paths = _dropped_paths(event.mimeData())
        if not paths:
            event.ignore()
            return
        event.acceptProposedAction()
        projects = [p for p in paths if p.suffix.lower() == ".toml"]
        if projects:
            if self.maybe_save():
                self.open_project(projects[0], background=True)
            return
        for path in paths:
            self.add_data_file(path)

    # --- misc -------------------------------------------------------------------------------------
    def _set_language(self, code: str) -> None:
        """Switch the interface language now (``gisapp.retranslate``) and remember it."""
        from gisapp.retranslate import install_qt_translations, retranslate_window

        settings().setValue("language", code)
        old = i18n.language()
        install_qt_translations(code)
        retranslate_window(self, old, code)
        self.actions[f"lang_{code}"].setChecked(True)

    def _about(self) -> None:
        from gisapp import __version__

        QMessageBox.about(
            self,
            tr("Over Beter Benutten"),
            f"Beter Benutten {__version__}\n\n"
            + tr("Beter Benutten: potentiescans van de bestaande woningvoorraad (optoppen, splitsen, transformatie, wonen op het boerenerf)."),
        )


def _dropped_paths(mime) -> list[Path]:
    from gisapp.add_layer_dialog import DATA_SUFFIXES

    if not mime.hasUrls():
        return []
    paths = [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]
    return [p for p in paths if p.suffix.lower() in DATA_SUFFIXES + (".toml",)]
