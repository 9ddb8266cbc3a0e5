"""A main window layout that fits 1366×768 up to 1920×1080.

Docks hold a lot (the locaties editor alone asks 672 px of height): without care their minimum
sizes add up past the screen, and the window grows beyond it (the status bar and the export
progress go off-screen) or the map shrinks to a strip. Here:

* :func:`make_scrollable` puts a dock's contents in a scroll area, so its minimum size is small
  and a low screen scrolls the dock instead of growing the window;
* :func:`balance_docks` gives each side the width its docks want (a scrolling dock its buttons
  and form, the legend every entry whole) as far as the docks' share of the window allows; it
  runs whenever a dock shows or hides and when the legend changes (:func:`follow_docks`), so a
  side squeezed for one dock gets its width back when that dock closes;
* :func:`fit_to_screen` keeps the window inside the available screen and :func:`apply_dock_widths`
  gives the docks their default widths (a fraction of the window, so the map keeps at least half
  of it);
* :func:`size_columns` sizes table columns to their contents, up to a maximum width;
* :func:`place_over_lower_part` puts a separate window (the attribute table) over the lower part
  of the main window, inside the screen, leaving the toolbar with the main action and the status
  bar in view.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, QRect, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDockWidget, QFrame, QMainWindow, QScrollArea, QTableView, QWidget

#: Default dock widths as a fraction of the window width (left: layers, right: panels).
LEFT_FRACTION = 0.16
RIGHT_FRACTION = 0.25
#: The narrowest default of the left dock: a legend line with its count ("geen extra woningen
#: [18.452]") in full at 1366 px.
MIN_LEFT_WIDTH = 250
#: The narrowest the legend becomes when the other side needs the room (pixels; it then shortens
#: long entries in the middle, their tooltip whole).
SQUEEZED_WIDTH = 200
#: The widest the left dock becomes to show every legend entry whole, as a share of the window.
MAX_LEGEND_FRACTION = 0.25
#: The docks never take more than this share of the window's width together.
MAX_DOCKS_FRACTION = 0.5
#: The widest a table column becomes when sized to its contents (pixels).
MAX_COLUMN_WIDTH = 320
#: Room kept between a window placed over the main window and its status bar, enough for the
#: title bar a window manager adds (pixels).
TITLE_BAR_ROOM = 40


def make_scrollable(dock: QDockWidget) -> QScrollArea:
    """Put the contents of ``dock`` in a frameless scroll area (once); returns the scroll area."""
    current = dock.widget()
    if isinstance(current, QScrollArea) and current.objectName() == "dock_scroll":
        return current
    scroll = QScrollArea(dock)
    scroll.setObjectName("dock_scroll")
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setWidgetResizable(True)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
    if current is not None:
        scroll.setWidget(current)
    dock.setWidget(scroll)
    dock.visibilityChanged.connect(lambda visible: widen_to_contents(dock) if visible else None)
    return scroll


def widen_to_contents(dock: QDockWidget) -> None:
    """Widen the dock area of ``dock`` so its contents need no horizontal scrolling (within the
    docks' share of the window: :func:`balance_docks`)."""
    window = dock.parentWidget()
    if isinstance(window, QMainWindow) and not dock.isFloating():
        balance_docks(window)


def _scroll_and_contents(dock: QDockWidget) -> tuple[QScrollArea | None, QWidget | None]:
    widget = dock.widget()
    if isinstance(widget, QScrollArea) and widget.objectName() == "dock_scroll":
        return widget, widget.widget()
    return None, widget


def wanted_width(dock: QDockWidget) -> int:
    """The width (pixels) at which the contents of the shown ``dock`` are not cut: a scrolling
    dock's contents without horizontal scrolling, a panel's own ``wanted_width()`` (the legend,
    at most :data:`MAX_LEGEND_FRACTION` of the window); 0 for a dock that takes what it gets."""
    scroll, content = _scroll_and_contents(dock)
    if content is None:
        return 0
    if scroll is not None:
        bar = scroll.verticalScrollBar()
        margins = dock.width() - scroll.viewport().width() + (0 if bar.isVisible() else bar.sizeHint().width())
        return content.minimumSizeHint().width() + margins
    if hasattr(content, "wanted_width"):
        window = dock.parentWidget()
        cap = int(window.width() * MAX_LEGEND_FRACTION) if window is not None else content.wanted_width()
        return min(content.wanted_width() + dock.width() - content.width(), cap)
    return 0


@dataclass
class _Side:
    """The shown docks of one side of the window: the dock resized, the side's width now, the
    width its docks want and the width it keeps when the other side needs room."""

    dock: QDockWidget
    width: int
    wanted: int
    kept: int


def _sides(window: QMainWindow) -> dict:
    docks = [d for d in window.findChildren(QDockWidget) if d.isVisible() and not d.isFloating()]
    areas = (Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea)
    by_area = {area: [d for d in docks if window.dockWidgetArea(d) == area] for area in areas}
    defaults = dict(zip(areas, dock_widths(window.width(), *(len(by_area[a]) for a in areas))))
    sides = {}
    for area, shown in by_area.items():
        if not shown:
            continue
        wanted = {d: wanted_width(d) for d in shown}
        kept = []
        for dock in shown:
            scroll, content = _scroll_and_contents(dock)
            if scroll is not None:
                kept.append(wanted[dock])  # its buttons and form stay whole
            elif hasattr(content, "wanted_width"):
                kept.append(SQUEEZED_WIDTH)  # the legend shortens long entries
            else:
                kept.append(defaults[area])
        dock = max(shown, key=lambda d: wanted[d])
        sides[area] = _Side(dock, max(d.width() for d in shown), max(wanted.values()), max(kept))
    return sides


def balance_docks(window: QMainWindow) -> None:
    """Give each side of ``window`` the width its shown docks want (:func:`wanted_width`).

    A side narrower than that grows as far as :data:`MAX_DOCKS_FRACTION` of the window allows
    both sides together, the other side giving up what it does not keep (a scrolling dock keeps
    its contents, the legend :data:`SQUEEZED_WIDTH`, other docks their default width). The right
    side's docks (buttons, forms) go first; the legend can shorten its entries. A side that has
    what it wants keeps its width, so the map moves only when a dock would cut its contents.
    """
    sides = _sides(window)
    budget = int(window.width() * MAX_DOCKS_FRACTION)
    widths = {area: side.width for area, side in sides.items()}
    opposite = {Qt.DockWidgetArea.LeftDockWidgetArea: Qt.DockWidgetArea.RightDockWidgetArea,
                Qt.DockWidgetArea.RightDockWidgetArea: Qt.DockWidgetArea.LeftDockWidgetArea}
    for area in (Qt.DockWidgetArea.RightDockWidgetArea, Qt.DockWidgetArea.LeftDockWidgetArea):
        side = sides.get(area)
        if side is None or widths[area] >= side.wanted:
            continue
        other = opposite[area]
        other_width = widths.get(other, 0)
        overflow = side.wanted + other_width - budget
        if other in sides and overflow > 0:
            give = max(0, min(other_width - sides[other].kept, overflow))
            other_width = widths[other] = other_width - give
        widths[area] = max(widths[area], min(side.wanted, budget - other_width))
    changed = [area for area, width in widths.items() if width != sides[area].width]
    if changed:
        window.resizeDocks([sides[a].dock for a in changed], [widths[a] for a in changed], Qt.Orientation.Horizontal)


class _DockFollower(QObject):
    """Balances the docks of a window (once per event-loop turn) when a dock shows or hides, when
    a dock is added, and when a panel signals that it wants another width."""

    #: Set on a dock and on a panel once the follower listens to it.
    FOLLOWED = "bb_dock_followed"

    def __init__(self, main_window: QMainWindow) -> None:
        super().__init__(main_window)
        self.main_window = main_window
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(0)
        self.timer.timeout.connect(self._balance)
        main_window.installEventFilter(self)
        for dock in main_window.findChildren(QDockWidget):
            self.follow(dock)

    def follow(self, dock: QDockWidget) -> None:
        if not dock.property(self.FOLLOWED):
            dock.setProperty(self.FOLLOWED, True)
            dock.visibilityChanged.connect(lambda _visible: self.timer.start())
            dock.topLevelChanged.connect(lambda _floating: self.timer.start())
        _scroll, content = _scroll_and_contents(dock)
        signal = getattr(content, "wanted_width_changed", None)
        if signal is not None and not content.property(self.FOLLOWED):
            content.setProperty(self.FOLLOWED, True)
            signal.connect(lambda: self.timer.start())

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.ChildAdded and isinstance(event.child(), QDockWidget):
            self.follow(event.child())
        return False

    def _balance(self) -> None:
        for dock in self.main_window.findChildren(QDockWidget):
            self.follow(dock)  # (a panel set into a dock after it was added)
        if self.main_window.isVisible():
            balance_docks(self.main_window)


def follow_docks(window: QMainWindow) -> None:
    """Balance the docks of ``window`` (:func:`balance_docks`) from now on whenever one shows or
    hides or its panel wants another width (once per window)."""
    follower = getattr(window, "_dock_follower", None)
    if follower is None:
        follower = window._dock_follower = _DockFollower(window)
    follower.timer.start()


def screen_is_virtual() -> bool:
    """True on the offscreen platform (tests, ``gisapp screenshot``): its 800×800 screen is no
    real limit, and the size asked for (``--size 1920x1080``) wins."""
    return QGuiApplication.platformName() == "offscreen"


def available_rect(window: QWidget) -> QRect:
    """The screen area the window may take (its screen's available geometry)."""
    screen = window.screen()
    return screen.availableGeometry() if screen is not None else QRect(0, 0, 1920, 1080)


def dock_widths(window_width: int, left: int, right: int) -> tuple[int, int]:
    """Default widths of the left and right dock areas for a window ``window_width`` wide.

    ``left``/``right``: how many docks show in that area (0: none). Together they stay within
    :data:`MAX_DOCKS_FRACTION` of the window, so the map keeps the rest.
    """
    lw = max(MIN_LEFT_WIDTH, int(window_width * LEFT_FRACTION)) if left else 0
    rw = max(280, int(window_width * RIGHT_FRACTION)) if right else 0
    budget = int(window_width * MAX_DOCKS_FRACTION)
    if lw + rw > budget:
        scale = budget / (lw + rw)
        lw, rw = int(lw * scale), int(rw * scale)
    return lw, rw


def apply_dock_widths(window: QMainWindow) -> None:
    """Give the visible docks of each side their default width (see :func:`dock_widths`), then
    what their contents want (:func:`follow_docks`)."""
    docks = [d for d in window.findChildren(QDockWidget) if d.isVisible() and not d.isFloating()]
    left = [d for d in docks if window.dockWidgetArea(d) == Qt.DockWidgetArea.LeftDockWidgetArea]
    right = [d for d in docks if window.dockWidgetArea(d) == Qt.DockWidgetArea.RightDockWidgetArea]
    lw, rw = dock_widths(window.width(), len(left), len(right))
    sized, widths = [], []
    if left:
        sized.append(left[0])
        widths.append(lw)
    if right:
        sized.append(right[0])
        widths.append(rw)
    if sized:
        window.resizeDocks(sized, widths, Qt.Orientation.Horizontal)
    follow_docks(window)


def fit_to_screen(window: QMainWindow) -> None:
    """Keep ``window`` inside its screen's available area (size and position)."""
    if screen_is_virtual():
        return
    area = available_rect(window)
    frame = window.frameGeometry()
    extra_w, extra_h = frame.width() - window.width(), frame.height() - window.height()
    width = min(window.width(), area.width() - extra_w)
    height = min(window.height(), area.height() - extra_h)
    if (width, height) != (window.width(), window.height()):
        window.resize(width, height)
    frame = window.frameGeometry()
    x = min(max(frame.x(), area.x()), area.right() - frame.width() + 1)
    y = min(max(frame.y(), area.y()), area.bottom() - frame.height() + 1)
    if (x, y) != (frame.x(), frame.y()):
        window.move(x, y)


def place_over_lower_part(widget: QWidget, owner: QWidget, width: int, height: int) -> None:
    """Size and place the separate window ``widget`` over the lower part of ``owner``'s window.

    At most ``width`` × ``height`` and never more than the lower half of the window: centred,
    just above the status bar, so the toolbar (with the main action) and the status bar stay in
    view; kept inside the screen as :func:`fit_to_screen` keeps the window.
    """
    top = owner.window()
    area = top.geometry()
    bar = top.statusBar().height() if isinstance(top, QMainWindow) and top.statusBar().isVisible() else 0
    width = max(200, min(width, area.width() - 2 * TITLE_BAR_ROOM))
    height = max(150, min(height, area.height() // 2 - TITLE_BAR_ROOM))
    x = area.x() + (area.width() - width) // 2
    y = area.bottom() + 1 - bar - height - TITLE_BAR_ROOM
    if not screen_is_virtual():
        screen = available_rect(top)
        width, height = min(width, screen.width()), min(height, screen.height() - TITLE_BAR_ROOM)
        x = min(max(x, screen.x()), screen.right() + 1 - width)
        y = min(max(y, screen.y() + TITLE_BAR_ROOM), screen.bottom() + 1 - height)
    widget.resize(width, height)
    widget.move(x, y)


def size_columns(view: QTableView, max_width: int = MAX_COLUMN_WIDTH) -> None:
    """Columns as wide as their contents (and header), none wider than ``max_width``."""
    view.resizeColumnsToContents()
    header = view.horizontalHeader()
    for column in range(header.count()):
        if header.sectionSize(column) > max_width:
            header.resizeSection(column, max_width)
