"""Style dialog: single symbol, categorized or graduated, for one vector layer.

The dialog builds a ``styles`` object (plain data) and assigns it to ``layer.style``; the
canvas and the legend follow through the layer's ``style_changed`` event.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QColorDialog,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from gisapp.i18n import tr
from gisapp.legend import color_hex, legend_icons, qcolor, ramp_pixmap
from styles import (
    Categorized,
    Category,
    Graduated,
    SingleSymbol,
    SymbolStyle,
    default_style,
    graduated,
    ramp_colors,
    ramp_names,
)

KINDS = ("single", "categorized", "graduated")
METHOD_LABELS = {
    "equal_interval": "Gelijke intervallen",
    "quantiles": "Kwantielen",
    "natural_breaks": "Natuurlijke grenzen",
}
#: More distinct values than this make a categorized style unreadable; the rest go to "overig".
MAX_CATEGORIES = 24


def numeric_columns(frame: pd.DataFrame) -> list[str]:
    geometry = getattr(frame, "_geometry_column_name", None)
    return [
        str(c)
        for c in frame.columns
        if c != geometry and pd.api.types.is_numeric_dtype(frame[c].dtype) and not pd.api.types.is_bool_dtype(frame[c].dtype)
    ]


def attribute_columns(frame: pd.DataFrame) -> list[str]:
    geometry = getattr(frame, "_geometry_column_name", None)
    return [str(c) for c in frame.columns if c != geometry]


def categorized(column: str, values: pd.Series, ramp: str, base: SymbolStyle | None = None) -> Categorized:
    """One category per distinct value of ``values`` (most frequent first, at most MAX_CATEGORIES)."""
    base = base or SymbolStyle()
    counts = values.dropna().value_counts()
    top = list(counts.index[:MAX_CATEGORIES])
    try:
        top = sorted(top)
    except TypeError:
        pass
    colors = ramp_colors(ramp, len(top))
    categories = [
        Category(_plain(value), str(_plain(value)), SymbolStyle(fill=color, stroke=base.stroke, stroke_width=base.stroke_width, marker_size=base.marker_size))
        for value, color in zip(top, colors)
    ]
    default = None
    if len(counts) > len(top) or values.isna().any():
        default = SymbolStyle(fill="#bdbdbdff", stroke=base.stroke, stroke_width=base.stroke_width, marker_size=base.marker_size)
    return Categorized(column, tuple(categories), default)


def _plain(value):
    """numpy scalars → Python scalars, so categories serialise to TOML."""
    return value.item() if isinstance(value, np.generic) else value


class StyleDialog(QDialog):
    """Edit the style of ``layer``; Apply/OK set ``layer.style``."""

    def __init__(self, layer, parent=None) -> None:
        super().__init__(parent)
        self.layer = layer
        self.setWindowTitle(tr("Stijl van '{name}'", name=layer.name))
        self.resize(520, 520)
        frame = layer.data
        self._kind_combo = QComboBox(self)
        for kind, text in zip(KINDS, ("Enkel symbool", "Categorieën", "Klassen")):
            self._kind_combo.addItem(tr(text), kind)
        self.kind_combo = self._kind_combo

        # Single symbol page
        single = QWidget(self)
        form = QFormLayout(single)
        self._fill = "#d9d9d9ff"
        self._stroke = "#636363ff"
        self.fill_button = QPushButton(tr("Kies…"), single)
        self.fill_button.clicked.connect(lambda: self._pick_color("fill"))
        self.stroke_button = QPushButton(tr("Kies…"), single)
        self.stroke_button.clicked.connect(lambda: self._pick_color("stroke"))
        self.stroke_width = QDoubleSpinBox(single)
        self.stroke_width.setRange(0.0, 5.0)
        self.stroke_width.setSingleStep(0.1)
        self.stroke_width.setSuffix(" mm")
        self.stroke_width.setValue(0.3)
        form.addRow(tr("Vulkleur"), self.fill_button)
        form.addRow(tr("Lijnkleur"), self.stroke_button)
        form.addRow("", self.stroke_width)

        # Categorized and graduated pages share column + ramp; graduated adds method + classes.
        self.column_combo = QComboBox(self)
        self.method_combo = QComboBox(self)
        for method, text in METHOD_LABELS.items():
            self.method_combo.addItem(tr(text), method)
        self.method_combo.setCurrentIndex(list(METHOD_LABELS).index("natural_breaks"))
        self.classes_spin = QSpinBox(self)
        self.classes_spin.setRange(1, 12)
        self.classes_spin.setValue(5)
        self.ramp_combo = QComboBox(self)
        for name in ramp_names():
            self.ramp_combo.addItem(QIcon(ramp_pixmap(ramp_colors(name, 7))), name, name)
        self.ramp_combo.setCurrentIndex(ramp_names().index("YlOrRd") if "YlOrRd" in ramp_names() else 0)

        classed = QWidget(self)
        classed_form = QFormLayout(classed)
        classed_form.addRow(tr("Kolom"), self.column_combo)
        self.method_label = QLabel(tr("Methode"), classed)
        self.classes_label = QLabel(tr("Aantal klassen"), classed)
        classed_form.addRow(self.method_label, self.method_combo)
        classed_form.addRow(self.classes_label, self.classes_spin)
        classed_form.addRow(tr("Kleurverloop"), self.ramp_combo)
        self.message = QLabel("", classed)
        self.message.setWordWrap(True)
        classed_form.addRow(self.message)

        self.pages = QStackedWidget(self)
        self.pages.addWidget(single)
        self.pages.addWidget(classed)

        self.preview = QListWidget(self)
        self.default_button = QPushButton(tr("Standaardstijl"), self)
        self.default_button.clicked.connect(self._use_default)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Apply | QDialogButtonBox.StandardButton.Cancel,
            self,
        )
        buttons.button(QDialogButtonBox.StandardButton.Apply).setText(tr("Toepassen"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Annuleren"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Apply).clicked.connect(self.apply)

        top = QFormLayout()
        top.addRow(tr("Soort"), self._kind_combo)
        bottom = QHBoxLayout()
        bottom.addWidget(self.default_button)
        bottom.addStretch(1)
        bottom.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.pages)
        layout.addWidget(QLabel(tr("Voorbeeld"), self))
        layout.addWidget(self.preview, 1)
        layout.addLayout(bottom)

        self._frame = frame
        self._load_style(layer.style)
        for widget in (self._kind_combo, self.column_combo, self.method_combo, self.ramp_combo):
            widget.currentIndexChanged.connect(self._update)
        self.classes_spin.valueChanged.connect(self._update)
        self.stroke_width.valueChanged.connect(self._update)
        self._update()

    # --- state -------------------------------------------------------------------------------
    def _load_style(self, style) -> None:
        if isinstance(style, SingleSymbol):
            self._fill, self._stroke = style.symbol.fill, style.symbol.stroke
            self.stroke_width.setValue(style.symbol.stroke_width)
            self._set_kind("single")
        elif isinstance(style, Categorized):
            self._set_kind("categorized")
            self._fill_columns()
            self._select(self.column_combo, style.column)
        elif isinstance(style, Graduated):
            self._set_kind("graduated")
            self._fill_columns()
            self._select(self.column_combo, style.column)
            self._select(self.method_combo, style.method)
            self._select(self.ramp_combo, style.ramp)
            self.classes_spin.setValue(max(1, len(style.classes)))
        else:
            self._set_kind("single")
        self._fill_columns()
        self._paint_buttons()

    def _set_kind(self, kind: str) -> None:
        self._kind_combo.blockSignals(True)
        self._kind_combo.setCurrentIndex(KINDS.index(kind))
        self._kind_combo.blockSignals(False)

    @staticmethod
    def _select(combo: QComboBox, value) -> None:
        index = combo.findData(value)
        if index >= 0:
            combo.setCurrentIndex(index)

    def set_kind(self, kind: str) -> None:
        self._kind_combo.setCurrentIndex(KINDS.index(kind))

    def set_column(self, column: str) -> None:
        self._select(self.column_combo, column)

    def set_method(self, method: str) -> None:
        self._select(self.method_combo, method)

    def kind(self) -> str:
        return self._kind_combo.currentData()

    def _fill_columns(self) -> None:
        columns = numeric_columns(self._frame) if self.kind() == "graduated" else attribute_columns(self._frame)
        current = self.column_combo.currentData()
        self.column_combo.blockSignals(True)
        self.column_combo.clear()
        for name in columns:
            self.column_combo.addItem(name, name)
        if current in columns:
            self.column_combo.setCurrentIndex(columns.index(current))
        self.column_combo.blockSignals(False)

    def _pick_color(self, which: str) -> None:
        initial = qcolor(self._fill if which == "fill" else self._stroke)
        color = QColorDialog.getColor(initial, self, options=QColorDialog.ColorDialogOption.ShowAlphaChannel)
        if color.isValid():
            if which == "fill":
                self._fill = color_hex(color)
            else:
                self._stroke = color_hex(color)
            self._paint_buttons()
            self._update()

    def set_colors(self, fill: str | None = None, stroke: str | None = None) -> None:
        self._fill = fill or self._fill
        self._stroke = stroke or self._stroke
        self._paint_buttons()
        self._update()

    def _paint_buttons(self) -> None:
        for button, value in ((self.fill_button, self._fill), (self.stroke_button, self._stroke)):
            button.setIcon(QIcon(ramp_pixmap([value], 32, 14)))

    def _use_default(self) -> None:
        style = default_style(self.layer.role or "", self._frame)
        if style is not None:
            self._load_style(style)
            self._update()

    # --- building the style ----------------------------------------------------------------
    def build_style(self):
        """The style the current choices describe, or None when the column does not allow it."""
        kind = self.kind()
        base = SymbolStyle(fill=self._fill, stroke=self._stroke, stroke_width=self.stroke_width.value())
        if kind == "single":
            return SingleSymbol(base)
        column = self.column_combo.currentData()
        if column is None:
            return None
        ramp = self.ramp_combo.currentData()
        if kind == "categorized":
            return categorized(column, self._frame[column], ramp, base)
        values = pd.to_numeric(self._frame[column], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
        if not np.isfinite(values).any():
            return None
        return graduated(column, values, self.method_combo.currentData(), self.classes_spin.value(), ramp)

    def _update(self, *_args) -> None:
        kind = self.kind()
        if (kind != "single" and self.column_combo.count() == 0) or self.sender() is self._kind_combo:
            self._fill_columns()
        self.pages.setCurrentIndex(0 if kind == "single" else 1)
        graduated_kind = kind == "graduated"
        for widget in (self.method_label, self.method_combo, self.classes_label, self.classes_spin):
            widget.setVisible(graduated_kind)
        self.message.setText(tr("Deze laag heeft geen numerieke kolommen.") if graduated_kind and self.column_combo.count() == 0 else "")
        self.preview.clear()
        style = self.build_style()
        kind_of_geometry = getattr(self.layer, "geometry_kind", "polygon")
        for label, icon in legend_icons(style, kind_of_geometry) if style is not None else []:
            self.preview.addItem(QListWidgetItem(icon, label or self.layer.name))
        self.preview.setEnabled(style is not None)

    def apply(self) -> bool:
        style = self.build_style()
        if style is None:
            return False
        self.layer.style = style
        return True

    def accept(self) -> None:
        if self.apply():
            super().accept()

