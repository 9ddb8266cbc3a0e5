"""The QGIS tools a planner reaches for, wired into the main window.

:func:`install_map_tools` gives the window (a ``MainWindow``; this module never imports it):

* measuring distance and area (:mod:`gisapp.measure_tool`), the result in the status bar too;
* a scale box in the status bar: it shows "1:5.000" and zooms around the centre to a typed scale
  ("1:2500", "2500", "1:2.500");
* previous/next extent (:mod:`gisapp.extent_history`);
* select by polygon (the canvas's "select_polygon" tool) and by expression
  (:mod:`gisapp.select_expression_dialog`);
* "Kaart opslaan als afbeelding…": the current view as PNG at the map's size or a chosen DPI,
  with the scale bar, north arrow and attribution as shown, drawn and written in the window's
  worker with progress and "Annuleren" (:mod:`gisapp.map_image`);
* removing a layer asks first and can be undone ("Laag terugzetten", Ctrl+Z);
* a fresh start for every new project: measurement, extent history, undo stack, charts, the
  selection message in the status bar.

The window keeps the actions in ``window.actions`` under the keys below, so its menus and
toolbar list them like its own.
"""

from __future__ import annotations

import re
from pathlib import Path

from PySide6 import QtCore, QtGui, QtWidgets

from gisapp.extent_history import ExtentHistoryController
from gisapp.i18n import tr
from gisapp.layer_names import layer_title
from gisapp.map_image import map_picture, write_map_image
from gisapp.measure_tool import MeasureTool
from gisapp.numbers import display_number
from layers.errors import USER_ERRORS

#: Scales offered in the scale box's list.
COMMON_SCALES = (500, 1000, 2500, 5000, 10000, 25000, 50000, 100000, 250000)
#: Resolutions offered when saving the map as an image (None: the map's size on screen).
IMAGE_DPIS = (None, 150, 300)
_SCALE_TEXT = re.compile(r"^\s*(?:1\s*:\s*)?([0-9][0-9.,\s]*)\s*$")


def parse_scale(text: str) -> float:
    """The denominator N of a typed scale: "1:2500", "2500", "1:2.500" (nl) or "1:2,500" (en).

    Scales are whole numbers, so thousands separators of either language are ignored.
    Raises ``ValueError`` with a Dutch line when ``text`` is no scale.
    """
    match = _SCALE_TEXT.match(text or "")
    digits = re.sub(r"[.,\s]", "", match.group(1)) if match else ""
    if not digits or int(digits) <= 0:
        raise ValueError(tr("Ongeldige schaal '{value}': typ bijvoorbeeld 1:2500", value=text))
    return float(int(digits))


def scale_text(denominator: float) -> str:
    """``"1:5.000"`` in the interface language."""
    return f"1:{display_number(round(denominator), 0)}"


class ScaleBox(QtWidgets.QComboBox):
    """An editable scale in the status bar: follows the map and zooms it to a typed scale."""

    def __init__(self, canvas, parent=None):
        super().__init__(parent)
        self.setObjectName("scale_box")
        self.canvas = canvas
        self.setEditable(True)
        self.setInsertPolicy(QtWidgets.QComboBox.InsertPolicy.NoInsert)
        self.setMinimumContentsLength(9)
        self.setToolTip(tr("Schaal van de kaart; typ een schaal (bijvoorbeeld 1:2500) en druk op Enter"))
        for scale in COMMON_SCALES:
            self.addItem(scale_text(scale), scale)
        self.lineEdit().returnPressed.connect(self.apply_text)
        self.activated.connect(self._on_activated)
        canvas.scale_changed.connect(self.show_scale)
        self.show_scale(canvas.scale())

    def text(self) -> str:
        return self.currentText()

    def retranslate(self) -> None:
        """The scales in the interface language's digit grouping (1:2.500 / 1:2,500), after a switch."""
        for index in range(self.count()):
            self.setItemText(index, scale_text(self.itemData(index)))
        self.setToolTip(tr("Schaal van de kaart; typ een schaal (bijvoorbeeld 1:2500) en druk op Enter"))
        if not self.lineEdit().hasFocus():
            self.setEditText(scale_text(self.canvas.scale()))

    def show_scale(self, denominator: float) -> None:
        """Show the map's scale (not while the user is typing one)."""
        if denominator > 0 and not self.lineEdit().hasFocus():
            self.setEditText(scale_text(denominator))

    def apply_text(self, text: str | None = None) -> bool:
        """Zoom to the typed scale; an invalid one is reported in the tool tip and status bar."""
        text = self.currentText() if text is None else text
        try:
            denominator = parse_scale(text)
        except ValueError as exc:
            self.setStyleSheet("QComboBox { color: #b00020; }")
            self.setToolTip(str(exc))
            window = self.window()
            if hasattr(window, "statusBar"):
                window.statusBar().showMessage(str(exc), 5000)
            return False
        self.setStyleSheet("")
        self.canvas.zoom_to_scale(denominator)
        self.lineEdit().clearFocus()
        self.setEditText(scale_text(self.canvas.scale()))
        return True

    def _on_activated(self, index: int) -> None:
        self.apply_text(self.itemText(index))


def save_map_image(canvas, path: str | Path, dpi: float | None = None) -> QtGui.QImage:
    """Write the map's current view to ``path`` (PNG) and return the image (in the calling thread;
    the app saves in its worker: :meth:`MapTools.save_image`).

    ``dpi`` None: the map's size on screen; else the same view at ``dpi`` (a 300 dpi image of a
    map shown at 96 dpi has ~3× the pixels, its symbols and text ~3× as many). The scale bar,
    north arrow and attribution are drawn as on screen. Raises ``OSError`` naming the file when
    it cannot be written.
    """
    write_map_image(map_picture(canvas, dpi), path)
    return QtGui.QImage(str(path))


class _RemoveLayer(QtGui.QUndoCommand):
    """Removing one layer (and its data source) from a project; undo puts both back."""

    def __init__(self, project, layer, text: str):
        super().__init__(text)
        self.project = project
        self.layer = layer
        self.index = list(project.layers).index(layer)
        source = getattr(layer, "source", None)
        key = getattr(source, "key", None)
        self.source = (key, project.sources.get(key)) if key is not None and key in project.sources else None

    def redo(self) -> None:
        if self.source is not None:
            self.project.sources.pop(self.source[0], None)
        self.project.layers.remove(self.layer)

    def undo(self) -> None:
        self.project.layers.insert(min(self.index, len(self.project.layers)), self.layer)
        if self.source is not None:
            self.project.sources[self.source[0]] = self.source[1]


class MapTools(QtCore.QObject):
    """What :func:`install_map_tools` adds to a main window (see the module docstring).

    Signals
    -------
    image_saved(path): "Kaart opslaan als afbeelding" wrote ``path``.
    """

    image_saved = QtCore.Signal(object)

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        canvas = window.canvas
        self.canvas = canvas
        self.measure = MeasureTool(canvas, self)
        self.measure.measured.connect(self._show_measurement)
        self.extents = ExtentHistoryController(canvas, self)
        self.undo_stack = QtGui.QUndoStack(self)
        self._add_actions()
        self.extents.changed.connect(self._sync_extent_actions)
        self._sync_extent_actions()
        window.project_changed.connect(self.reset)

    def _show_measurement(self, text: str) -> None:
        if text:
            self.window.statusBar().showMessage(text)
        elif self.window.statusBar().currentMessage().startswith((tr("Afstand: {value}", value=""),
                                                                  tr("Oppervlakte: {value}", value=""))):
            self.window.statusBar().clearMessage()  # the measurement it showed is gone

    # -- actions --------------------------------------------------------------------------------
    def _add_actions(self) -> None:
        window = self.window
        a = window._action
        for key, text, tip in (
            ("measure_distance", tr("Afstand meten"), tr("Meet een afstand: klik punten, rechtsklik of Esc rondt af")),
            ("measure_area", tr("Oppervlakte meten"), tr("Meet een oppervlakte: klik hoekpunten, rechtsklik of Esc rondt af")),
            ("select_polygon", tr("Selecteren met veelhoek"),
             tr("Teken een veelhoek; dubbelklik of rechtsklik selecteert de objecten van de actieve laag die hem raken")),
        ):
            action = a(key, text, lambda _checked=False, k=key: window.set_tool(k), checkable=True, tip=tip)
            action.setToolTip(tip)
            window.tool_group.addAction(action)
        a("select_expression", tr("Selecteren met expressie…"), self.open_expression_dialog, "Ctrl+E",
          tip=tr("Selecteer objecten van de actieve laag met een voorwaarde op kolommen"))
        a("extent_back", tr("Vorige uitsnede"), self.extents.back, "Alt+Left",
          tip=tr("Terug naar de vorige kaartuitsnede"))
        a("extent_forward", tr("Volgende uitsnede"), self.extents.forward, "Alt+Right",
          tip=tr("Vooruit naar de volgende kaartuitsnede"))
        a("save_image", tr("Kaart opslaan als afbeelding…"), self.choose_and_save_image,
          tip=tr("Sla de kaart zoals getoond op als PNG (met schaalbalk en bronvermelding)"))
        undo = a("undo_remove", tr("Laag terugzetten"), self.undo_stack.undo, QtGui.QKeySequence.StandardKey.Undo,
                 tip=tr("Zet de laatst verwijderde laag terug"))
        undo.setEnabled(False)
        self.undo_stack.canUndoChanged.connect(undo.setEnabled)

    def _sync_extent_actions(self) -> None:
        self.window.actions["extent_back"].setEnabled(self.extents.history.can_back())
        self.window.actions["extent_forward"].setEnabled(self.extents.history.can_forward())

    # -- selection ------------------------------------------------------------------------------
    def open_expression_dialog(self, layer=None):
        """The expression dialog on ``layer`` (default: the active selectable layer)."""
        from gisapp.select_expression_dialog import SelectExpressionDialog

        window = self.window
        layer = layer or window._selectable_layer()
        if layer is None or not hasattr(layer, "data"):
            window.statusBar().showMessage(tr("Kies eerst een vectorlaag in de lagenlijst."), 5000)
            return None
        dialog = SelectExpressionDialog(layer, window)
        dialog.selected.connect(window.set_selection)
        dialog.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    # -- image ----------------------------------------------------------------------------------
    def choose_and_save_image(self) -> Path | None:
        """Ask for a file and a resolution, then save the map in the worker (:meth:`save_image`);
        the chosen path when the save started."""
        window = self.window
        start = str(Path(window.project.path).with_suffix(".png")) if getattr(window.project, "path", None) else "kaart.png"
        path, _filter = QtWidgets.QFileDialog.getSaveFileName(window, tr("Kaart opslaan als afbeelding"), start,
                                                              tr("PNG-afbeelding (*.png)"))
        if not path:
            return None
        view = self.canvas.viewport()
        choices = [tr("Schermgrootte ({w} × {h} pixels)", w=view.width(), h=view.height())]
        choices += [tr("{dpi} dpi", dpi=dpi) for dpi in IMAGE_DPIS[1:]]
        choice, ok = QtWidgets.QInputDialog.getItem(window, tr("Kaart opslaan als afbeelding"), tr("Resolutie"), choices, 0, False)
        if not ok:
            return None
        path = Path(path) if Path(path).suffix.lower() == ".png" else Path(path).with_suffix(".png")
        return path if self.save_image(path, IMAGE_DPIS[choices.index(choice)]) else None

    def save_image(self, path: str | Path, dpi: float | None = None) -> bool:
        """Save the map as shown now to ``path`` (PNG) at ``dpi`` in the window's worker, with its
        progress and "Annuleren" in the status bar (:class:`gisapp.export_actions.BackgroundTask`);
        ``image_saved(path)`` when written. A cancel leaves no file (and an existing one as it
        was). False when it did not start (an error is shown, or another task runs)."""
        from gisapp.export_actions import cancelled_export_message

        window = self.window
        title = tr("Kaart opslaan als afbeelding")
        path = Path(path)
        try:
            window.project.check_output_path(path)  # never over one of the project's inputs
            picture = map_picture(self.canvas, dpi)  # what the map shows now (GUI thread)
        except USER_ERRORS as exc:
            window.show_error(title, exc)
            return False
        return window.background.start(title, lambda feedback: write_map_image(picture, path, feedback), self._image_saved,
                                       cancellable=True, progress=True, cancelled_message=cancelled_export_message(title))

    def _image_saved(self, path: Path) -> None:
        self.window.statusBar().showMessage(tr("Kaart opgeslagen: {path}", path=path), 5000)
        self.image_saved.emit(Path(path))

    # -- removing layers ------------------------------------------------------------------------
    def confirm_remove(self, layer) -> bool:
        answer = QtWidgets.QMessageBox.question(
            self.window, tr("Laag verwijderen"),
            tr("Laag '{name}' verwijderen uit het project? Met Bewerken → Laag terugzetten (Ctrl+Z) zet u hem terug.",
               name=layer_title(layer)))
        return answer == QtWidgets.QMessageBox.StandardButton.Yes

    def ask_remove_layer(self, layer) -> bool:
        """Ask, then remove ``layer`` (undoable); True when removed."""
        if layer is None or not self.confirm_remove(layer):
            return False
        self.remove_layer(layer)
        return True

    def remove_layer(self, layer) -> None:
        """Remove ``layer`` and its data source from the project, undoable with "Laag terugzetten"."""
        project = self.window.project
        if layer is None or layer not in project.layers:
            return
        self.undo_stack.push(_RemoveLayer(project, layer, tr("Laag '{name}' verwijderen", name=layer_title(layer))))
        self.window.statusBar().showMessage(tr("Laag '{name}' verwijderd; Ctrl+Z zet hem terug.", name=layer_title(layer)), 8000)

    # -- a new project --------------------------------------------------------------------------
    def reset(self, _project=None) -> None:
        """Forget everything of the previous project (another project is shown)."""
        if self.canvas.tool() in ("measure_distance", "measure_area", "select_polygon"):
            self.window.set_tool("pan")
        self.measure.clear()
        self.canvas.cancel_drawing()
        self.extents.clear()
        self.undo_stack.clear()
        self.window.statusBar().clearMessage()
        from gisapp.select_expression_dialog import SelectExpressionDialog

        for dialog in self.window.findChildren(SelectExpressionDialog):
            dialog.close()  # it would select in a layer of the old project
        results = self.window.results_panel
        for name in ("bar_chart", "histogram", "scenario_chart"):
            chart = getattr(results, name, None)
            if chart is not None and hasattr(chart, "clear_chart"):
                chart.clear_chart()


def install_map_tools(window) -> MapTools:
    """Add the map tools to ``window`` (with ``canvas``, ``actions``, ``_action``, ``tool_group``,
    ``project`` and ``project_changed``)."""
    return MapTools(window)


__all__ = ["MapTools", "ScaleBox", "install_map_tools", "parse_scale", "save_map_image", "scale_text"]
