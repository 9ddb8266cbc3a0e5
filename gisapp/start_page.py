"""The start page and the empty state of a new project, in the window's central area.

The central area is a container: the :class:`~gisapp.message_bar.MessageBar` on top, below it a
stack of the map and this page. The page has two modes:

* ``"start"``: the app opened without a project: recent projects (from QSettings), "Voorbeeld-
  project openen", "Nieuw project voor een gemeente…" (the wizard), "Project openen…";
* ``"empty"``: a new, empty project: what to add (BAG panden, gebieden, …) and the buttons to
  add it.

The map comes back as soon as the project has a layer or a source, when the user picks a map
tool (drawing a location on an empty project) or clicks "Naar de kaart". The docks (legend,
results, ...) have nothing to show beside the page: they are put away while it shows and come
back as they were with the map.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDockWidget,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QStackedLayout,
    QVBoxLayout,
    QWidget,
)

from gisapp.i18n import tr

MODES = ("start", "empty")
PAGE_STYLE = ("QWidget#start_page { background: #f4f6f8; }"
              " QFrame#start_card { background: white; border: 1px solid #d5dbe1; border-radius: 6px; }"
              " QLabel#start_title { font-size: 22pt; font-weight: bold; color: #1f3a5a; }")

#: What a new project needs, in the order a planner adds it: (Dutch text, role or None).
WHAT_TO_ADD = (
    ("BAG panden (rol gebouwen): nodig voor elke scan; met 3D BAG-hoogtes en daktypes voor optoppen.", "gebouwen"),
    ("Gebieden (rol gebieden): buurten of wijken van het CBS, voor de resultaten per gebied.", "gebieden"),
    ("Verblijfsobjecten (rol verblijfsobjecten): gebruiksdoel en oppervlakte, voor splitsen en transformatie.",
     "verblijfsobjecten"),
    ("Randvoorwaarden: water en bodem, netcongestie, NPLV-focusgebieden en monumenten.", None),
    ("Een achtergrondkaart: Kaart → Achtergrondkaart.", None),
)


class StartPage(QWidget):
    """The page; its buttons emit signals the window connects to its own slots.

    Signals
    -------
    open_sample(), new_gemeente(), open_project(), open_recent(path), add_layer(), show_map(),
    help_requested()
    """

    open_sample = Signal()
    new_gemeente = Signal()
    open_project = Signal()
    open_recent = Signal(str)
    add_layer = Signal()
    show_map = Signal()
    help_requested = Signal()

    def __init__(self, parent=None, recent: Callable[[], list[str]] = lambda: []) -> None:
        super().__init__(parent)
        self.setObjectName("start_page")
        self.recent_source = recent  # the recent projects, newest first (QSettings, in the window)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(PAGE_STYLE)
        self.mode = "start"
        card = QFrame(self)
        card.setObjectName("start_card")
        card.setMaximumWidth(720)
        self.title = QLabel("Beter Benutten", card)
        self.title.setObjectName("start_title")
        self.subtitle = QLabel("", card)
        self.subtitle.setWordWrap(True)
        self.sample_button = QPushButton(card)
        self.sample_button.setObjectName("start_sample")
        self.gemeente_button = QPushButton(card)
        self.gemeente_button.setObjectName("start_gemeente")
        self.open_button = QPushButton(card)
        self.open_button.setObjectName("start_open")
        self.add_button = QPushButton(card)
        self.add_button.setObjectName("start_add_layer")
        self.map_button = QPushButton(card)
        self.map_button.setObjectName("start_show_map")
        self.help_button = QPushButton(card)
        self.help_button.setObjectName("start_help")
        self.recent_label = QLabel("", card)
        self.recent = QListWidget(card)
        self.recent.setObjectName("start_recent")
        self.recent.setMaximumHeight(180)
        self.todo = QLabel("", card)
        self.todo.setObjectName("start_todo")
        self.todo.setWordWrap(True)
        self.todo.setTextFormat(Qt.TextFormat.RichText)

        buttons = QHBoxLayout()
        for button in (self.sample_button, self.gemeente_button, self.open_button, self.add_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        footer = QHBoxLayout()
        footer.addWidget(self.help_button)
        footer.addStretch(1)
        footer.addWidget(self.map_button)
        inner = QVBoxLayout(card)
        inner.setContentsMargins(24, 20, 24, 20)
        inner.addWidget(self.title)
        inner.addWidget(self.subtitle)
        inner.addSpacing(8)
        inner.addWidget(self.todo)
        inner.addLayout(buttons)
        inner.addSpacing(8)
        inner.addWidget(self.recent_label)
        inner.addWidget(self.recent)
        inner.addLayout(footer)
        holder = QWidget(self)
        column = QVBoxLayout(holder)  # the card at its natural height, centred at the top
        centred = QHBoxLayout()
        centred.addStretch(1)
        centred.addWidget(card, 4)
        centred.addStretch(1)
        column.addLayout(centred)
        column.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(holder)
        scroll.setStyleSheet("QScrollArea, QScrollArea > QWidget > QWidget { background: transparent; }")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 24, 0, 0)
        outer.addWidget(scroll)

        self.sample_button.clicked.connect(self.open_sample)
        self.gemeente_button.clicked.connect(self.new_gemeente)
        self.open_button.clicked.connect(self.open_project)
        self.add_button.clicked.connect(self.add_layer)
        self.map_button.clicked.connect(self.show_map)
        self.help_button.clicked.connect(self.help_requested)
        self.recent.itemActivated.connect(lambda item: self.open_recent.emit(item.data(Qt.ItemDataRole.UserRole)))
        self.retranslate()

    def set_mode(self, mode: str) -> None:
        """``"start"`` (no project) or ``"empty"`` (a new project without layers)."""
        if mode not in MODES:
            raise ValueError(f"onbekende modus {mode!r}: kies uit {', '.join(MODES)}")
        self.mode = mode
        self.retranslate()

    def retranslate(self) -> None:
        """All texts in the interface language (again after a language switch)."""
        start = self.mode == "start"
        self.subtitle.setText(tr("Potentiescans van de bestaande woningvoorraad: optoppen, splitsen, transformatie en "
                                 "wonen op het boerenerf.") if start else tr("Dit project is nog leeg."))
        self.sample_button.setText(tr("Voorbeeldproject openen"))
        self.gemeente_button.setText(tr("Nieuw project voor een gemeente…"))
        self.open_button.setText(tr("Project openen…"))
        self.add_button.setText(tr("Laag toevoegen…"))
        self.map_button.setText(tr("Naar de kaart"))
        self.help_button.setText(tr("Handleiding (F1)"))
        self.recent_label.setText(tr("Recente projecten"))
        self.sample_button.setVisible(start)
        self.add_button.setVisible(not start)
        self.recent_label.setVisible(start)
        self.recent.setVisible(start)
        if start:
            self.todo.setText(tr("Begin met het voorbeeldproject, haal de gegevens van een gemeente op of open een "
                                 "project."))
        else:
            items = "".join(f"<li>{tr(text)}</li>" for text, _role in WHAT_TO_ADD)
            self.todo.setText(f"<p>{tr('Voeg toe:')}</p><ul>{items}</ul>"
                              f"<p>{tr('Sleep bestanden op het venster, of haal alles op met een gemeente.')}</p>")
        self.fill_recent()

    def fill_recent(self) -> None:
        """The recent projects (newest first); missing files are left out."""
        self.recent.clear()
        paths = [p for p in self.recent_source() if Path(p).exists()]
        for path in paths:
            item = QListWidgetItem(f"{Path(path).stem}  —  {path}")
            item.setData(Qt.ItemDataRole.UserRole, path)
            item.setToolTip(path)
            self.recent.addItem(item)
        if not paths:
            item = QListWidgetItem(tr("Geen recente projecten"))
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.recent.addItem(item)


class CentralArea(QWidget):
    """The message bar above a stack of the map and the start page."""

    def __init__(self, canvas, parent=None, recent: Callable[[], list[str]] = lambda: []) -> None:
        from gisapp.message_bar import MessageBar

        super().__init__(parent)
        self.setObjectName("central_area")
        self.message_bar = MessageBar(self)
        self.start_page = StartPage(self, recent)
        self.canvas = canvas
        self.stack = QStackedLayout()
        self.stack.addWidget(canvas)
        self.stack.addWidget(self.start_page)
        #: the docks put away while the page shows: (dock, it was the shown tab), None while the map shows
        self.parked_docks: list[tuple[QDockWidget, bool]] | None = None
        #: the docks were put away before the window first showed, so they never got their widths
        self.parked_unsized = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.message_bar)
        layout.addLayout(self.stack, 1)

    def show_start(self, mode: str) -> None:
        self.start_page.set_mode(mode)
        self.stack.setCurrentWidget(self.start_page)

    def show_map(self) -> None:
        self.stack.setCurrentWidget(self.canvas)

    def showing_start(self) -> bool:
        return self.stack.currentWidget() is self.start_page


def install_central_area(window, recent: Callable[[], list[str]]) -> CentralArea:
    """Make the central area of ``window`` (a MainWindow with ``canvas``); wires the page's buttons.
    ``recent()``: the recent projects, newest first."""
    area = CentralArea(window.canvas, window, recent)
    window.setCentralWidget(area)
    page = area.start_page
    page.open_sample.connect(partial(_open_sample, window))
    page.new_gemeente.connect(window.open_gemeente_wizard)
    page.open_project.connect(window.choose_project)
    page.open_recent.connect(window._open_recent)
    page.add_layer.connect(window.open_add_layer_dialog)
    page.show_map.connect(area.show_map)
    page.help_requested.connect(window.show_help)
    window.project_changed.connect(lambda project: _follow_project(area, project))
    window.canvas.tool_changed.connect(lambda _tool: area.show_map())
    area.stack.currentChanged.connect(lambda _index: _docks_follow_page(window, area))
    return area


def _docks_follow_page(window, area: CentralArea) -> None:
    """Put the window's docks away while the page shows; bring them back, as they were, with the map."""
    if area.showing_start():
        if area.parked_docks is None:
            docks = [d for d in window.findChildren(QDockWidget) if not d.isHidden() and not d.isFloating()]
            area.parked_docks = [(dock, dock.isVisible()) for dock in docks]
            area.parked_unsized = not window.isVisible()
            for dock in docks:
                dock.hide()
        return
    parked, area.parked_docks = area.parked_docks, None
    if not parked:
        return
    for dock, _shown in parked:
        dock.show()
    for dock, shown in parked:
        if shown:
            dock.raise_()  # the tab that was in front is in front again
    if area.parked_unsized and window.isVisible():
        from gisapp.window_layout import apply_dock_widths

        area.parked_unsized = False
        apply_dock_widths(window)  # hidden when the window first showed: their default widths now


def has_content(project) -> bool:
    """A project with a layer, or with sources still being read, shows the map."""
    return bool(project is not None and (len(project.layers) or project.sources))


def _follow_project(area: CentralArea, project) -> None:
    if has_content(project):
        area.show_map()


def _open_sample(window) -> None:
    from gisapp.paths import sample_project_path

    path = sample_project_path()
    if not path.exists():
        window.show_error(tr("Voorbeeldproject openen"), tr("{path}: het voorbeeldproject is niet gegenereerd", path=path))
        return
    if window.maybe_save():
        window.open_project(path, background=True)
