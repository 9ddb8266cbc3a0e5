"""Select features by expression: ``bouwjaar < 1945 AND gebruiksdoel = 'woonfunctie'``.

The language and its evaluation are Qt-free (:mod:`layers.expression`): nothing typed here is run
as Python. The dialog offers the layer's columns (double-click inserts one), a preview of a
column's most frequent values (double-click inserts one as a literal), buttons for the operators,
and counts the matching objects while typing ("1.234 objecten"); a wrong expression shows the
position and what is expected there. "Selecteren" emits ``selected(layer, positions)`` with the
positional row numbers the map and the attribute table use.
"""

from __future__ import annotations

import re

import numpy as np
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
)

from gisapp.layer_names import layer_title
from gisapp.i18n import error_text, language, tr
from gisapp.numbers import display_number
from layers.expression import KEYWORDS, ExpressionError, evaluate
from styles.field_labels import field_label, format_field

#: How many distinct values the preview lists (most frequent first).
PREVIEW_VALUES = 50
#: The count is updated this long after the last key stroke (a large layer takes a moment).
COUNT_DELAY_MS = 150
_BARE_NAME = re.compile(r"^[^\W\d]\w*$")
_OPERATORS = ("=", "!=", "<", "<=", ">", ">=", "AND", "OR", "NOT", "IN ()", "LIKE '%'", "IS NULL", "(", ")")


def column_token(name: str) -> str:
    """``name`` as written in an expression: bare when it is a plain name, else in double quotes."""
    if _BARE_NAME.match(name) and name.upper() not in KEYWORDS:
        return name
    return '"' + name.replace('"', '""') + '"'


def value_token(value) -> str:
    """``value`` as a literal: numbers as they are (point decimals), text in single quotes."""
    if isinstance(value, (bool, np.bool_)):
        return "1" if value else "0"
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        return repr(float(value)) if not float(value).is_integer() else str(int(value))
    return "'" + str(value).replace("'", "''") + "'"


class SelectExpressionDialog(QDialog):
    """Build an expression on the columns of ``layer`` and select the rows it holds for."""

    selected = Signal(object, object)  # layer, positional row numbers

    def __init__(self, layer, parent=None, expression: str = "") -> None:
        super().__init__(parent)
        self.layer = layer
        self.setObjectName("select_expression_dialog")
        self.setWindowTitle(tr("Selecteren met expressie – {name}", name=layer_title(layer)))
        self.resize(640, 460)
        frame = layer.data
        geometry = getattr(frame, "_geometry_column_name", None)
        self.columns = [str(c) for c in frame.columns if c != geometry]
        self.positions = np.zeros(0, dtype="int64")

        self.editor = QPlainTextEdit(self)
        self.editor.setObjectName("expression_edit")
        self.editor.setPlaceholderText(tr("bijvoorbeeld: bouwjaar < 1945 AND gebruiksdoel = 'woonfunctie'"))
        self.editor.setMaximumHeight(90)
        self.column_list = QListWidget(self)
        for name in self.columns:
            label = field_label(name, language())
            item = QListWidgetItem(name if label == name else f"{name} – {label}")
            item.setData(Qt.ItemDataRole.UserRole, name)
            item.setToolTip(tr("Dubbelklik om {name} in te voegen", name=column_token(name)))
            self.column_list.addItem(item)
        self.value_list = QListWidget(self)
        self.value_list.setToolTip(tr("Dubbelklik om de waarde in te voegen"))
        operators = QGridLayout()
        for i, text in enumerate(_OPERATORS):
            button = QPushButton(text, self)
            button.setObjectName(f"operator_{i}")
            button.clicked.connect(lambda _checked=False, t=text: self.insert(t))
            operators.addWidget(button, i // 7, i % 7)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("expression_count")
        self.error_label = QLabel(self)
        self.error_label.setObjectName("expression_error")
        self.error_label.setStyleSheet("color: #b00020;")
        self.error_label.setWordWrap(True)

        lists = QHBoxLayout()
        left = QVBoxLayout()
        left.addWidget(QLabel(tr("Kolommen"), self))
        left.addWidget(self.column_list)
        right = QVBoxLayout()
        self.values_title = QLabel(tr("Waarden"), self)
        right.addWidget(self.values_title)
        right.addWidget(self.value_list)
        lists.addLayout(left, 1)
        lists.addLayout(right, 1)

        buttons = QDialogButtonBox(self)
        self.select_button = buttons.addButton(tr("Selecteren"), QDialogButtonBox.ButtonRole.AcceptRole)
        close = buttons.addButton(tr("Sluiten"), QDialogButtonBox.ButtonRole.RejectRole)
        self.select_button.clicked.connect(self.apply)
        close.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(tr("Expressie"), self))
        layout.addWidget(self.editor)
        layout.addLayout(operators)
        layout.addLayout(lists, 1)
        layout.addWidget(self.count_label)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)

        self._timer = QTimer(self, singleShot=True, interval=COUNT_DELAY_MS)
        self._timer.timeout.connect(self.update_count)
        self.editor.textChanged.connect(self._timer.start)
        self.column_list.currentItemChanged.connect(self._show_values)
        self.column_list.itemDoubleClicked.connect(
            lambda item: self.insert(column_token(item.data(Qt.ItemDataRole.UserRole))))
        self.value_list.itemDoubleClicked.connect(lambda item: self.insert(item.data(Qt.ItemDataRole.UserRole)))
        self.editor.setPlainText(expression)
        self.update_count()

    # -- building the expression ----------------------------------------------------------------
    def expression(self) -> str:
        return self.editor.toPlainText()

    def set_expression(self, text: str) -> None:
        self.editor.setPlainText(text)
        self.update_count()

    def insert(self, text: str) -> None:
        """Insert ``text`` at the cursor, with a space before it when needed."""
        cursor = self.editor.textCursor()
        before = self.expression()[: cursor.position()]
        prefix = " " if before and not before.endswith((" ", "(")) else ""
        cursor.insertText(prefix + text)
        if text.endswith("()"):
            cursor.movePosition(QTextCursor.MoveOperation.Left)  # into the parentheses of IN ()
        self.editor.setTextCursor(cursor)
        self.editor.setFocus()

    def _show_values(self, item, _previous=None) -> None:
        self.value_list.clear()
        if item is None:
            return
        name = item.data(Qt.ItemDataRole.UserRole)
        series = self.layer.data[name]
        counts = series.dropna().value_counts()
        self.values_title.setText(tr("Waarden van {name} ({n} verschillend)", name=name,
                                     n=display_number(len(counts), 0)))
        top = list(counts.index[:PREVIEW_VALUES])
        try:
            top = sorted(top)
        except TypeError:
            pass
        for value in top:
            shown = format_field(name, value, language(), unit=False)  # years without a thousands point
            entry = QListWidgetItem(f"{shown}  ({display_number(int(counts[value]), 0)})")
            entry.setData(Qt.ItemDataRole.UserRole, value_token(value))
            self.value_list.addItem(entry)

    # -- evaluating -----------------------------------------------------------------------------
    def update_count(self) -> bool:
        """Evaluate the expression and show how many objects it selects; False when it is wrong."""
        self._timer.stop()
        text = self.expression()
        if not text.strip():
            self.positions = np.zeros(0, dtype="int64")
            self.count_label.setText("")
            self.error_label.setText("")
            self.select_button.setEnabled(False)
            return False
        try:
            self.positions = np.flatnonzero(evaluate(text, self.layer.data))
        except ExpressionError as exc:
            self.positions = np.zeros(0, dtype="int64")
            self.count_label.setText("")
            self.error_label.setText(tr("Fout op {error}", error=error_text(exc)))
            self.select_button.setEnabled(False)
            return False
        self.error_label.setText("")
        self.count_label.setText(tr("{n} objecten", n=display_number(len(self.positions), 0)))
        self.select_button.setEnabled(True)
        return True

    def apply(self) -> bool:
        """Select the matching objects (emits ``selected``); False when the expression is wrong."""
        if not self.update_count():
            return False
        self.selected.emit(self.layer, self.positions.copy())
        return True
