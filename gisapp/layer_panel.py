"""The layer panel: a Qt view on the Qt-free ``layers.LayerCollection``.

:class:`LayerTreeModel` adapts the evented collection to ``QAbstractItemModel`` (as
napari's ``_BaseEventedItemModel`` does): it subscribes to the collection's psygnal
events and to each layer's events and never changes a layer except on a user edit
(checkbox, rename, drag). Layers are listed top to bottom in drawing order reversed
(the top row is drawn last, on top), as in QGIS. Under each layer its legend entries
(``styles.legend_entries``) appear as child rows with colour swatches, a classified style's
entries with the number of features each draws; a class that draws none stays listed (fixed
classes keep maps comparable) but greyed.

:class:`LayerPanel` tells how wide it wants to be (:meth:`LayerPanel.wanted_width`: every open
legend row whole) and signals when that changes, so ``gisapp.window_layout`` can give its dock
that width; in a narrower dock a long entry is shortened in the middle, keeping its count
("onbekend (gegev…reken) [4]"), and its tooltip gives it whole.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QAbstractItemModel, QByteArray, QMimeData, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QIcon
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QMenu,
    QSlider,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from gisapp.i18n import tr
from gisapp.layer_names import layer_title
from gisapp.legend import legend_rows, legend_unit

_MIME = "application/x-beterbenutten-layer-row"
_LAYER_EVENTS = ("name_changed", "visible_changed", "style_changed", "opacity_changed", "data_changed")
#: Sent before a change of membership or order, then ``changed`` after it (one pair per change).
_BEFORE_EVENTS = ("inserting", "removing", "moving")


def geometry_kind(layer) -> str:
    """``"polygon"``, ``"point"``, ``"line"`` or ``"raster"``."""
    return getattr(layer, "geometry_kind", None) or "raster"


class LayerTreeModel(QAbstractItemModel):
    """Layers (top level, reversed drawing order) with their legend entries as children.

    Internal ids: 0 for a layer row, ``display_row + 1`` of the parent layer for a legend row.
    """

    def __init__(self, collection=None, parent=None) -> None:
        super().__init__(parent)
        self._collection = None
        self._connected: list = []
        self._legend_cache: dict[int, list[tuple[str, QIcon, bool]]] = {}
        self.set_collection(collection)

    # --- model <-> collection ---------------------------------------------------------
    def set_collection(self, collection) -> None:
        self.beginResetModel()
        self._subscribe(self._collection, False)
        self._disconnect_layers()
        self._collection = collection
        self._subscribe(collection, True)
        self._connect_layers()
        self._legend_cache.clear()
        self.endResetModel()

    def _subscribe(self, collection, connect: bool) -> None:
        if collection is None:
            return
        pairs = [(getattr(collection.events, name), self._before_change) for name in _BEFORE_EVENTS]
        pairs.append((collection.events.changed, self._after_change))
        for signal, slot in pairs:
            signal.connect(slot) if connect else signal.disconnect(slot)

    def collection(self):
        return self._collection

    def _layers_top_first(self) -> list:
        return [] if self._collection is None else list(self._collection)[::-1]

    def _connect_layers(self) -> None:
        for layer in self._layers_top_first():
            for name in _LAYER_EVENTS:
                signal = getattr(layer.events, name, None)
                if signal is None:
                    continue
                slot = partial(self._on_layer_changed, layer, name)
                signal.connect(slot, check_nargs=False)  # slots take *args; skip signature inspection
                self._connected.append((signal, slot))

    def _disconnect_layers(self) -> None:
        for signal, slot in self._connected:
            signal.disconnect(slot)
        self._connected = []

    def _before_change(self, *args) -> None:
        # Qt needs begin/end around a structural change; a reset is cheap for tens of layers.
        self.beginResetModel()
        self._disconnect_layers()

    def _after_change(self, *args) -> None:
        self._connect_layers()
        self._legend_cache.clear()
        self.endResetModel()

    def _on_layer_changed(self, layer, event: str, *args) -> None:
        if event == "opacity_changed":
            return
        if event in ("style_changed", "data_changed"):
            # The number of legend rows may change: rebuild the rows (cheap for tens of layers);
            # only this layer's legend is counted again (counting a 1M-row layer is not cheap)
            self.beginResetModel()
            self._legend_cache.pop(id(layer), None)
            self.endResetModel()
            return
        index = self.index_of_layer(layer)
        if index.isValid():
            self.dataChanged.emit(index, index)

    # --- helpers ---------------------------------------------------------------------
    def layer_at(self, index: QModelIndex):
        """The layer of a layer row or of one of its legend rows."""
        if not index.isValid():
            return None
        layers = self._layers_top_first()
        row = index.row() if index.internalId() == 0 else index.internalId() - 1
        return layers[row] if 0 <= row < len(layers) else None

    def index_of_layer(self, layer) -> QModelIndex:
        for row, candidate in enumerate(self._layers_top_first()):
            if candidate is layer:
                return self.index(row, 0)
        return QModelIndex()

    def _legend(self, row: int) -> list[tuple[str, QIcon, bool]]:
        """(label, icon, empty) of the legend entries of the layer at display row ``row``."""
        layer = self._layers_top_first()[row]
        if id(layer) not in self._legend_cache:  # by layer: a change of one layer keeps the others' counts
            try:
                entries = legend_rows(layer.style, geometry_kind(layer), legend_unit(layer), getattr(layer, "data", None))
            except ValueError:
                entries = []
            self._legend_cache[id(layer)] = entries
        return self._legend_cache[id(layer)]

    def _legend_children(self, row: int) -> list[tuple[str, QIcon, bool]]:
        entries = self._legend(row)
        # A single symbol has one unlabeled entry: it becomes the layer's own icon instead.
        return [] if len(entries) == 1 and not entries[0][0] else entries

    # --- QAbstractItemModel ----------------------------------------------------------------
    def index(self, row: int, column: int, parent: QModelIndex = QModelIndex()) -> QModelIndex:
        if column != 0 or row < 0:
            return QModelIndex()
        if not parent.isValid():
            if row < len(self._layers_top_first()):
                return self.createIndex(row, 0, 0)
            return QModelIndex()
        if parent.internalId() == 0 and row < len(self._legend_children(parent.row())):
            return self.createIndex(row, 0, parent.row() + 1)
        return QModelIndex()

    def parent(self, index: QModelIndex = QModelIndex()) -> QModelIndex:
        if not index.isValid() or index.internalId() == 0:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, 0)

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:
        if not parent.isValid():
            return len(self._layers_top_first())
        if parent.internalId() == 0:
            return len(self._legend_children(parent.row()))
        return 0

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 1

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        if index.internalId() != 0:
            label, icon, _empty = self._legend_children(index.internalId() - 1)[index.row()]
            if role == Qt.ItemDataRole.DisplayRole:
                return label
            if role == Qt.ItemDataRole.DecorationRole:
                return icon
            if role == Qt.ItemDataRole.ToolTipRole:
                return label  # the whole label with its count, when a narrow dock elides it
            return None
        layer = self._layers_top_first()[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return layer_title(layer)  # a result layer by its readable name ("Potentie per pand")
        if role == Qt.ItemDataRole.CheckStateRole:
            return Qt.CheckState.Checked if layer.visible else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.DecorationRole:
            entries = self._legend(index.row())
            if len(entries) == 1 and not entries[0][0]:
                return entries[0][1]
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            role_name = getattr(layer, "role", None) or tr("(geen rol)")
            count = len(layer.data) if hasattr(layer, "data") else None
            suffix = f" · {count} objecten" if count is not None else ""
            return f"{layer.name} ({role_name}){suffix}"
        return None

    def setData(self, index: QModelIndex, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or index.internalId() != 0:
            return False
        layer = self._layers_top_first()[index.row()]
        if role == Qt.ItemDataRole.CheckStateRole:
            checked = value == Qt.CheckState.Checked or value == Qt.CheckState.Checked.value
            layer.visible = bool(checked)
            return True
        if role == Qt.ItemDataRole.EditRole:
            name = str(value).strip()
            if not name or name in (layer.name, layer_title(layer)):
                return False
            layer.name = name
            return True
        return False

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        if index.internalId() != 0:
            _label, _icon, empty = self._legend_children(index.internalId() - 1)[index.row()]
            # a class that draws nothing is listed disabled: the view greys its text and swatch
            return Qt.ItemFlag.NoItemFlags if empty else Qt.ItemFlag.ItemIsEnabled
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsUserCheckable
            | Qt.ItemFlag.ItemIsEditable
            | Qt.ItemFlag.ItemIsDragEnabled
            | Qt.ItemFlag.ItemIsDropEnabled
        )

    # --- drag and drop: the view asks the collection to move; the reset redraws -----------
    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [_MIME]

    def mimeData(self, indexes) -> QMimeData:
        rows = [i.row() for i in indexes if i.isValid() and i.internalId() == 0]
        mime = QMimeData()
        if rows:
            mime.setData(_MIME, QByteArray(str(rows[0]).encode()))
        return mime

    def canDropMimeData(self, data, action, row, column, parent) -> bool:
        return data.hasFormat(_MIME)

    def dropMimeData(self, data: QMimeData, action, row: int, column: int, parent: QModelIndex) -> bool:
        if not data.hasFormat(_MIME) or self._collection is None:
            return False
        source = int(bytes(data.data(_MIME).data()).decode())
        if parent.isValid():
            # Dropped onto a layer (or its legend): place the dragged layer above it.
            target = parent.row() if parent.internalId() == 0 else parent.internalId() - 1
        else:
            target = self.rowCount() if row < 0 else row
        self.move_display_row(source, target)
        return True

    def move_display_row(self, source: int, target: int) -> None:
        """Move the layer shown at row ``source`` so it is shown before row ``target``."""
        n = self.rowCount()
        if not 0 <= source < n:
            return
        target = max(0, min(n, target))
        new_row = target - 1 if target > source else target
        if new_row == source:
            return
        # Display rows are reversed collection indices.
        move_layer(self._collection, n - 1 - source, n - 1 - new_row)


def move_layer(collection, src: int, dst: int) -> None:
    """Move the layer at collection index ``src`` so it ends up at index ``dst``."""
    collection.move(src, dst)


class LayerPanel(QWidget):
    """Layer tree with legends, an opacity slider for the current layer and a context menu.

    Signals
    -------
    current_layer_changed(layer or None), zoom_requested(layer), style_requested(layer),
    table_requested(layer), remove_requested(layer), wanted_width_changed() (the legend's rows
    changed: :meth:`wanted_width` may differ).
    """

    current_layer_changed = Signal(object)
    wanted_width_changed = Signal()
    zoom_requested = Signal(object)
    style_requested = Signal(object)
    table_requested = Signal(object)
    remove_requested = Signal(object)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.model = LayerTreeModel(None, self)
        self.view = QTreeView(self)
        self.view.setModel(self.model)
        self.view.setHeaderHidden(True)
        self.view.setIndentation(14)
        # a legend entry too long for the dock keeps its start and its count; the tooltip has it whole
        self.view.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.view.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.view.setDragEnabled(True)
        self.view.setAcceptDrops(True)
        self.view.setDropIndicatorShown(True)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed | QAbstractItemView.EditTrigger.SelectedClicked)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._show_menu)
        self.view.doubleClicked.connect(self._on_double_clicked)
        self.view.selectionModel().currentChanged.connect(self._on_current_changed)

        self.opacity_label = QLabel(tr("Dekking"), self)
        self.opacity_slider = QSlider(Qt.Orientation.Horizontal, self)
        self.opacity_slider.setRange(0, 100)
        self.opacity_slider.setEnabled(False)
        self.opacity_slider.valueChanged.connect(self._on_opacity_slider)
        self.opacity_value = QLabel("", self)
        self.opacity_value.setMinimumWidth(36)

        row = QHBoxLayout()
        row.addWidget(self.opacity_label)
        row.addWidget(self.opacity_slider, 1)
        row.addWidget(self.opacity_value)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.view, 1)
        layout.addLayout(row)

        self._current = None
        self.model.modelAboutToBeReset.connect(self._remember_current)
        self.model.modelReset.connect(self._after_reset)
        self.model.dataChanged.connect(self._sync_expansion)
        # once per change of the rows (a reset is often followed by expanding/collapsing legends)
        self._width_timer = QTimer(self)
        self._width_timer.setSingleShot(True)
        self._width_timer.setInterval(0)
        self._width_timer.timeout.connect(self.wanted_width_changed)
        for signal in (self.model.modelReset, self.model.dataChanged, self.view.expanded, self.view.collapsed):
            signal.connect(lambda *_args: self._width_timer.start())

    def wanted_width(self) -> int:
        """The width (pixels) at which every open row of the tree shows whole: the widest row
        with its indentation, the tree's frame and room for its vertical scroll bar."""
        view = self.view
        margins = self.layout().contentsMargins()
        return (view.sizeHintForColumn(0) + 2 * view.frameWidth() + view.verticalScrollBar().sizeHint().width()
                + margins.left() + margins.right())

    def set_collection(self, collection) -> None:
        self._current = None
        self.model.set_collection(collection)

    def current_layer(self):
        return self._current

    def set_current_layer(self, layer) -> None:
        index = self.model.index_of_layer(layer)
        if index.isValid():
            self.view.setCurrentIndex(index)

    def _remember_current(self) -> None:
        self._remembered = self._current

    def _sync_expansion(self, *_args) -> None:
        # Legends of visible layers are open, those of hidden layers closed.
        for row in range(self.model.rowCount()):
            index = self.model.index(row, 0)
            layer = self.model.layer_at(index)
            self.view.setExpanded(index, bool(layer is not None and layer.visible))

    def _after_reset(self) -> None:
        self._sync_expansion()
        remembered = getattr(self, "_remembered", None)
        index = self.model.index_of_layer(remembered) if remembered is not None else QModelIndex()
        if index.isValid():
            self.view.selectionModel().setCurrentIndex(index, self.view.selectionModel().SelectionFlag.ClearAndSelect)
        elif remembered is not None:
            self._set_current(None)

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._set_current(self.model.layer_at(current))

    def _set_current(self, layer) -> None:
        if layer is self._current:
            self._sync_slider()
            return
        self._current = layer
        self._sync_slider()
        self.current_layer_changed.emit(layer)

    def _sync_slider(self) -> None:
        layer = self._current
        self.opacity_slider.blockSignals(True)
        self.opacity_slider.setEnabled(layer is not None)
        value = int(round((layer.opacity if layer is not None else 1.0) * 100))
        self.opacity_slider.setValue(value)
        self.opacity_value.setText(f"{value}%" if layer is not None else "")
        self.opacity_slider.blockSignals(False)

    def _on_opacity_slider(self, value: int) -> None:
        self.opacity_value.setText(f"{value}%")
        if self._current is not None:
            self._current.opacity = value / 100.0

    def _on_double_clicked(self, index: QModelIndex) -> None:
        layer = self.model.layer_at(index)
        if layer is not None and index.internalId() != 0:
            self.style_requested.emit(layer)

    def rename_current(self) -> None:
        index = self.model.index_of_layer(self._current)
        if index.isValid():
            self.view.edit(index)

    def move_current(self, step: int) -> None:
        """Move the current layer ``step`` rows down in the panel (negative: up)."""
        index = self.model.index_of_layer(self._current)
        if not index.isValid():
            return
        target = index.row() + step
        if 0 <= target < self.model.rowCount():
            self.model.move_display_row(index.row(), target + 1 if step > 0 else target)

    def _show_menu(self, pos) -> None:
        index = self.view.indexAt(pos)
        layer = self.model.layer_at(index)
        if layer is None:
            return
        self.set_current_layer(layer)
        menu = QMenu(self)
        actions = [
            (tr("Zoom naar laag"), lambda: self.zoom_requested.emit(layer)),
            (tr("Stijl…"), lambda: self.style_requested.emit(layer)),
        ]
        if hasattr(layer, "data"):
            actions.append((tr("Attribuuttabel"), lambda: self.table_requested.emit(layer)))
        actions += [
            None,
            (tr("Hernoemen"), self.rename_current),
            (tr("Omhoog"), lambda: self.move_current(-1)),
            (tr("Omlaag"), lambda: self.move_current(1)),
            None,
            (tr("Verwijderen"), lambda: self.remove_requested.emit(layer)),
        ]
        for entry in actions:
            if entry is None:
                menu.addSeparator()
                continue
            text, slot = entry
            action = QAction(text, menu)
            action.triggered.connect(slot)
            menu.addAction(action)
        menu.exec(self.view.viewport().mapToGlobal(pos))
