"""A main window layout that fits 1366×768 up to 1920×1080.

Docks hold a lot (the locaties editor alone asks 672 px of height): without care their minimum
sizes add up past the screen, and the window grows beyond it (the status bar and the export
progress go off-screen) or the map shrinks to a strip. Here:

* :func:`make_scrollable` puts a dock's contents in a scroll area, so its minimum size is small
  and a low screen scrolls the dock instead of growing the window; when the dock shows, its side
  is widened to its contents as far as the docks' share of the window allows
  (:func:`widen_to_contents`), so a narrow screen does not cut its buttons and form;
* :func:`fit_to_screen` keeps the window inside the available screen and gives the docks their
  default widths (a fraction of the window, so the map keeps at least half of it);
* :func:`size_columns` sizes table columns to their contents, up to a maximum width;
* :func:`place_over_lower_part` puts a separate window (the attribute table) over the lower part
  of the main window, inside the screen, leaving the toolbar with the main action and the status
  bar in view.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDockWidget, QFrame, QMainWindow, QScrollArea, QTableView, QWidget

#: Default dock widths as a fraction of the window width (left: layers, right: panels).
LEFT_FRACTION = 0.16
RIGHT_FRACTION = 0.25
#: The narrowest default of the left dock: a legend line with its count ("geen extra woningen
#: [18.452]") in full at 1366 px.
MIN_LEFT_WIDTH = 250
#: The narrowest the other side becomes when a dock is widened to its contents (pixels).
SQUEEZED_WIDTH = 200
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
    """Widen the dock area of ``dock`` so its contents need no horizontal scrolling.

    The docks stay within :data:`MAX_DOCKS_FRACTION` of the window together; when both sides do
    not fit, the other side gives up width down to :data:`SQUEEZED_WIDTH`.
    """
    window = dock.parentWidget()
    scroll = dock.widget()
    if not isinstance(window, QMainWindow) or dock.isFloating() or not isinstance(scroll, QScrollArea):
        return
    content = scroll.widget()
    if content is None:
        return
    margins = dock.width() - scroll.viewport().width() + (
        0 if scroll.verticalScrollBar().isVisible() else scroll.verticalScrollBar().sizeHint().width())
    wanted = content.minimumSizeHint().width() + margins
    if wanted <= dock.width():
        return
    side = window.dockWidgetArea(dock)
    others = [d for d in window.findChildren(QDockWidget)
              if d.isVisible() and not d.isFloating() and window.dockWidgetArea(d) != side]
    other = max(others, key=lambda d: d.width(), default=None)
    other_width = other.width() if other is not None else 0
    room = int(window.width() * MAX_DOCKS_FRACTION)
    give = min(max(0, other_width - SQUEEZED_WIDTH), max(0, wanted + other_width - room))
    docks, widths = [dock], [min(wanted, room - other_width + give)]
    if give:
        docks.append(other)
        widths.append(other_width - give)
    window.resizeDocks(docks, widths, Qt.Orientation.Horizontal)


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
    """Give the visible docks of each side their default width (see :func:`dock_widths`)."""
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
