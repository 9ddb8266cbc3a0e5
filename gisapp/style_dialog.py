"""Style dialog: single symbol, categorized or graduated, for one vector layer.

The dialog builds a ``styles`` object (plain data) and assigns it to ``layer.style``; the
canvas and the legend follow through the layer's ``style_changed`` event. Graduated classes can
be computed (equal intervals, quantiles, natural breaks) or edited by hand ("Handmatig"): a table
of lower and upper bound, label and colour, pre-filled with the classes computed last. When the
data has fewer distinct values than the classes asked, the dialog says so.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QIcon
from PySide6.QtWidgets import (
    QAbstractItemView,
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
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gisapp.layer_names import layer_title
from gisapp.i18n import language, tr
from gisapp.legend import color_hex, legend_icons, qcolor, ramp_pixmap
from styles import (
    Categorized,
    Category,
    ClassBreak,
    Graduated,
    SingleSymbol,
    SymbolStyle,
    default_style,
    distinct_count,
    graduated,
    ramp_colors,
    ramp_names,
)
from styles.field_labels import field_label
from styles.graduated import CLASS_STROKE, CLASS_STROKE_WIDTH, range_label
from styles.numbers import format_number, parse_number
from styles.unknown import with_unknown

KINDS = ("single", "categorized", "graduated")
METHOD_LABELS = {
    "equal_interval": "Gelijke intervallen",
    "quantiles": "Kwantielen",
    "natural_breaks": "Natuurlijke grenzen",
    "manual": "Handmatig",
}
#: Columns of the table of hand-edited classes.
BREAK_COLUMNS = ("Van", "Tot en met", "Label", "Kleur")
_COLOR_ROLE = Qt.ItemDataRole.UserRole
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
        self.setWindowTitle(tr("Stijl van '{name}'", name=layer_title(layer)))
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
        self.breaks_table = QTableWidget(0, len(BREAK_COLUMNS), classed)
        self.breaks_table.setObjectName("breaks_table")
        self.breaks_table.setHorizontalHeaderLabels([tr(text) for text in BREAK_COLUMNS])
        self.breaks_table.verticalHeader().setVisible(False)
        self.breaks_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.breaks_table.horizontalHeader().setStretchLastSection(True)
        self.breaks_table.setToolTip(tr("Klasse i bevat de waarden boven 'Van' tot en met 'Tot en met'; "
                                        "dubbelklik op een kleur om hem te kiezen"))
        self.breaks_table.cellDoubleClicked.connect(self._on_break_double_clicked)
        self.breaks_table.itemChanged.connect(self._update)
        self.add_break_button = QPushButton(tr("Klasse toevoegen"), classed)
        self.add_break_button.clicked.connect(self.add_break)
        self.remove_break_button = QPushButton(tr("Klasse verwijderen"), classed)
        self.remove_break_button.clicked.connect(self.remove_break)
        self.breaks_buttons = QWidget(classed)
        breaks_row = QHBoxLayout(self.breaks_buttons)
        breaks_row.setContentsMargins(0, 0, 0, 0)
        breaks_row.addWidget(self.add_break_button)
        breaks_row.addWidget(self.remove_break_button)
        breaks_row.addStretch(1)
        classed_form.addRow(self.breaks_table)
        classed_form.addRow(self.breaks_buttons)
        self.message = QLabel("", classed)
        self.message.setObjectName("style_message")
        self.message.setWordWrap(True)
        classed_form.addRow(self.message)
        #: the graduated style computed last (the start of hand editing)
        self._computed: Graduated | None = None
        self._manual_error = ""

        self.pages = QStackedWidget(self)
        self.pages.addWidget(single)
        self.pages.addWidget(classed)

        self.preview = QListWidget(self)
        self.default_button = QPushButton(tr("Standaardstijl"), self)
        self.default_button.clicked.connect(self._use_default)
        buttons = apply_buttons(self)

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
            if style.method == "manual":
                self.set_breaks(style.classes)
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
        lang = language()
        for name in columns:
            # the readable name with its unit ("Totaal extra woningen"), the field name as tooltip
            self.column_combo.addItem(field_label(name, lang, with_unit=True), name)
            self.column_combo.setItemData(self.column_combo.count() - 1, name, Qt.ItemDataRole.ToolTipRole)
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
        """The style the current choices describe, or None when the column does not allow it; a
        graduated map of homes keeps its class "onbekend (gegevens ontbreken)" (``styles.unknown``)."""
        return with_unknown(self._chosen_style(), self._frame)

    def _chosen_style(self):
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
        if self.method_combo.currentData() == "manual":
            return self.manual_style(column, ramp)
        values = self._values(column)
        if not np.isfinite(values).any():
            return None
        return graduated(column, values, self.method_combo.currentData(), self.classes_spin.value(), ramp)

    def _values(self, column: str) -> np.ndarray:
        return pd.to_numeric(self._frame[column], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)

    # --- hand-edited classes -----------------------------------------------------------------
    def set_breaks(self, classes) -> None:
        """Fill the table of hand-edited classes with ``classes`` (``ClassBreak``)."""
        table = self.breaks_table
        table.blockSignals(True)
        table.setRowCount(0)
        for cb in classes:
            self._append_break_row(cb.lower, cb.upper, cb.label, cb.symbol.fill)
        table.blockSignals(False)
        table.resizeColumnsToContents()

    def _append_break_row(self, lower: float, upper: float, label: str, fill: str) -> None:
        table = self.breaks_table
        row = table.rowCount()
        table.insertRow(row)
        table.setItem(row, 0, QTableWidgetItem(_edit_number(lower)))
        table.setItem(row, 1, QTableWidgetItem(_edit_number(upper)))
        label_item = QTableWidgetItem(label)
        column = self.column_combo.currentData()
        if column is not None and label == range_label(lower, upper, row == 0, self._integer_column(column)):
            # a label made from the bounds follows them while the user leaves it as it is
            label_item.setData(_COLOR_ROLE, label)
        table.setItem(row, 2, label_item)
        swatch = QTableWidgetItem("")
        swatch.setFlags(swatch.flags() & ~Qt.ItemFlag.ItemIsEditable)
        table.setItem(row, 3, swatch)
        self.set_break_color(row, fill)

    def set_break_color(self, row: int, fill: str) -> None:
        item = self.breaks_table.item(row, 3)
        item.setData(_COLOR_ROLE, fill)
        item.setBackground(QBrush(qcolor(fill)))
        item.setToolTip(fill)

    def add_break(self) -> None:
        """A class above the last one (as wide as the last), coloured from the ramp's end."""
        rows = self.breaks_table.rowCount()
        if rows:
            upper = _parse_or_nan(self.breaks_table.item(rows - 1, 1).text())
            lower = _parse_or_nan(self.breaks_table.item(rows - 1, 0).text())
            width = upper - lower if np.isfinite(upper - lower) and upper > lower else 1.0
            lo, hi = (upper, upper + width) if np.isfinite(upper) else (0.0, 1.0)
        else:
            values = self._values(self.column_combo.currentData()) if self.column_combo.currentData() else np.zeros(0)
            finite = values[np.isfinite(values)]
            lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
        colors = ramp_colors(self.ramp_combo.currentData() or "YlOrRd", rows + 1)
        self.breaks_table.blockSignals(True)
        self._append_break_row(lo, hi, "", colors[-1])
        self.breaks_table.blockSignals(False)
        self._update()

    def remove_break(self) -> None:
        rows = sorted({index.row() for index in self.breaks_table.selectedIndexes()}) or [self.breaks_table.rowCount() - 1]
        for row in reversed(rows):
            if row >= 0:
                self.breaks_table.removeRow(row)
        self._update()

    def _on_break_double_clicked(self, row: int, column: int) -> None:
        if column != 3:
            return
        initial = qcolor(self.breaks_table.item(row, 3).data(_COLOR_ROLE))
        color = QColorDialog.getColor(initial, self, options=QColorDialog.ColorDialogOption.ShowAlphaChannel)
        if color.isValid():
            self.set_break_color(row, color_hex(color))
            self._update()

    def manual_style(self, column: str, ramp: str):
        """The graduated style of the table's classes; None (with the reason in the message) when
        a bound is no number or the classes do not ascend."""
        self._manual_error = ""
        classes = []
        table = self.breaks_table
        for row in range(table.rowCount()):
            texts = [table.item(row, c).text() if table.item(row, c) else "" for c in range(3)]
            try:
                lower, upper = parse_number(texts[0], language()), parse_number(texts[1], language())
            except ValueError:
                self._manual_error = tr("Klasse {n}: 'Van' en 'Tot en met' moeten getallen zijn.", n=row + 1)
                return None
            if upper < lower:
                self._manual_error = tr("Klasse {n}: 'Tot en met' ligt onder 'Van'.", n=row + 1)
                return None
            if classes and lower < classes[-1].upper:
                self._manual_error = tr("Klasse {n} begint onder het einde van klasse {m}.", n=row + 1, m=row)
                return None
            filled = table.item(row, 2).data(_COLOR_ROLE) if table.item(row, 2) else None
            label = texts[2].strip()
            if not label or label == filled:
                label = range_label(lower, upper, row == 0, self._integer_column(column))
            fill = table.item(row, 3).data(_COLOR_ROLE) or "#bdbdbdff"
            classes.append(ClassBreak(lower, upper, label, SymbolStyle(fill=fill, stroke=CLASS_STROKE, stroke_width=CLASS_STROKE_WIDTH)))
        if not classes:
            self._manual_error = tr("Voeg minstens één klasse toe.")
            return None
        return Graduated(column, "manual", tuple(classes), ramp)

    def _integer_column(self, column: str) -> bool:
        values = self._values(column)
        finite = values[np.isfinite(values)]
        return bool(finite.size) and bool(np.all(finite == np.round(finite)))

    def class_note(self, style) -> str:
        """Why there are fewer classes than asked, or ""."""
        if not isinstance(style, Graduated) or style.method == "manual":
            return ""
        asked = self.classes_spin.value()
        if len(style.classes) >= asked:
            return ""
        distinct = distinct_count(self._values(style.column))
        if distinct < asked:
            return tr("Kolom {column} heeft maar {n} verschillende waarden: {n} klassen.", column=style.column, n=distinct)
        return tr("Deze gegevens geven {n} klassen.", n=len(style.classes))

    def _update(self, *_args) -> None:
        kind = self.kind()
        if (kind != "single" and self.column_combo.count() == 0) or self.sender() is self._kind_combo:
            self._fill_columns()
        self.pages.setCurrentIndex(0 if kind == "single" else 1)
        graduated_kind = kind == "graduated"
        manual = graduated_kind and self.method_combo.currentData() == "manual"
        if manual and self.sender() is self.method_combo and self.breaks_table.rowCount() == 0 and self._computed is not None:
            self.set_breaks(self._computed.classes)  # start from the classes computed last
        for widget in (self.method_label, self.method_combo):
            widget.setVisible(graduated_kind)
        for widget in (self.classes_label, self.classes_spin):
            widget.setVisible(graduated_kind and not manual)
        for widget in (self.breaks_table, self.breaks_buttons):
            widget.setVisible(manual)
        self.preview.clear()
        self._manual_error = ""
        style = self.build_style()
        if isinstance(style, Graduated) and style.method != "manual":
            self._computed = style
        if graduated_kind and self.column_combo.count() == 0:
            message = tr("Deze laag heeft geen numerieke kolommen.")
        elif manual:
            message = self._manual_error
        else:
            message = self.class_note(style) if graduated_kind else ""
        self.message.setText(message)
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


def apply_buttons(dialog) -> QDialogButtonBox:
    """OK, Toepassen and Annuleren for a style dialog with ``apply()`` (OK = apply and close)."""
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Apply | QDialogButtonBox.StandardButton.Cancel,
        dialog,
    )
    buttons.button(QDialogButtonBox.StandardButton.Apply).setText(tr("Toepassen"))
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Annuleren"))
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    buttons.button(QDialogButtonBox.StandardButton.Apply).clicked.connect(dialog.apply)
    return buttons


def _edit_number(value: float) -> str:
    """``value`` for editing in the interface language, without grouping (1234,5; 0,125)."""
    value = float(value)
    decimals = 0 if value == round(value) else 6
    text = format_number(value, decimals, language(), grouping=False)
    if decimals:
        text = text.rstrip("0").rstrip(",.")
    return text


def _parse_or_nan(text: str) -> float:
    try:
        return parse_number(text, language())
    except ValueError:
        return float("nan")

