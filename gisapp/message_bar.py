"""A non-modal message bar above the map for load warnings (instead of a tooltip).

It shows how many messages there are and the first one; **Details** unfolds the full list and
× closes the bar. Nothing here blocks: the user reads it when it suits them.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QTextBrowser, QToolButton, QVBoxLayout

from gisapp.i18n import dutch_of, tr, translated

BAR_STYLE = ("QFrame#message_bar { background: #fff3cd; border-bottom: 1px solid #d4a017; }"
             " QFrame#message_bar QLabel { color: #3d2f00; }")
#: Lines shown in the details list at most (a project with thousands of warnings stays readable).
MAX_LINES = 200


class MessageBar(QFrame):
    """``show_messages(title, lines)`` fills and shows the bar; ``clear()`` hides it."""

    closed = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("message_bar")
        self.setStyleSheet(BAR_STYLE)
        self.title = ""
        self.lines: list[str] = []
        self.summary = QLabel("", self)
        self.summary.setObjectName("message_summary")
        self.summary.setWordWrap(True)
        self.details_button = QToolButton(self)
        self.details_button.setObjectName("message_details")
        self.details_button.setCheckable(True)
        self.details_button.toggled.connect(self._toggle_details)
        self.close_button = QToolButton(self)
        self.close_button.setObjectName("message_close")
        self.close_button.setText("×")
        self.close_button.setAutoRaise(True)
        self.close_button.clicked.connect(self.dismiss)
        self.details = QTextBrowser(self)
        self.details.setObjectName("message_list")
        self.details.setMaximumHeight(160)
        self.details.hide()
        row = QHBoxLayout()
        row.setContentsMargins(8, 4, 4, 4)
        row.addWidget(QLabel("⚠", self))
        row.addWidget(self.summary, 1)
        row.addWidget(self.details_button)
        row.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(row)
        layout.addWidget(self.details)
        self.retranslate()
        self.hide()

    def retranslate(self) -> None:
        self.details_button.setText(tr("Details"))
        self.close_button.setToolTip(tr("Melding sluiten"))
        self._fill()

    def show_messages(self, title: str, lines: list[str]) -> None:
        """Show ``lines`` under ``title`` (a translated heading such as "Meldingen bij het laden").

        The lines are the texts the readers made (``layers.texts.Translatable``: shown, and shown
        again after a language switch, in the interface language)."""
        if not lines:
            self.clear()
            return
        self.title, self.lines = dutch_of(title), list(lines)  # the title kept in Dutch: translated when shown
        self.details_button.setChecked(False)
        self._fill()
        self.show()

    def _fill(self) -> None:
        if not self.lines:
            return
        lines = [translated(line) for line in self.lines]
        first = lines[0]
        more = len(self.lines) - 1
        text = f"{tr(self.title)}: {first}"
        if more:
            text += " " + tr("(en nog {n})", n=more)
        self.summary.setText(text)
        shown = lines[:MAX_LINES]
        extra = [tr("… en nog {n}", n=len(self.lines) - MAX_LINES)] if len(self.lines) > MAX_LINES else []
        self.details.setHtml("<ul>" + "".join(f"<li>{escape(line)}</li>" for line in shown + extra) + "</ul>")

    def _toggle_details(self, on: bool) -> None:
        self.details.setVisible(on)

    def dismiss(self) -> None:
        """The user closed the bar."""
        self.clear()
        self.closed.emit()

    def clear(self) -> None:
        self.title, self.lines = "", []
        self.summary.clear()
        self.details.clear()
        self.details_button.setChecked(False)
        self.hide()
