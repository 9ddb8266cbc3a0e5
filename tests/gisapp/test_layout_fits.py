"""The window fits 1366×768, 1600×1000 and 1920×1080 with its docks open (issue 23, item 3).

The offscreen platform has one 800×800 screen; the screen of each size is simulated by
patching ``gisapp.window_layout.available_rect`` (and telling it the screen is real), then
showing the window at that size.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect

SCREENS = [(1366, 768), (1600, 1000), (1920, 1080)]


@pytest.fixture
def screen_window(qtbot, gui_project_path, monkeypatch, request):
    from gisapp import window_layout
    from gisapp.app import main_window
    from gisapp.main_window import MainWindow

    width, height = request.param
    screen = QRect(0, 0, width, height)
    monkeypatch.setattr(window_layout, "screen_is_virtual", lambda: False)
    monkeypatch.setattr(window_layout, "available_rect", lambda _window: screen)
    monkeypatch.setattr(MainWindow, "confirm_external_sources", lambda self, external: True)
    win = main_window(gui_project_path, lang="nl")
    qtbot.addWidget(win, before_close_func=lambda w: w.set_modified(False))
    win.resize(width + 300, height + 300)  # asked too large: the window must still fit
    win.move(0, 0)
    win.show()
    qtbot.waitExposed(win)
    yield win, screen
    win.set_modified(False)
    win.close()


def _inside(win, screen: QRect, widget) -> bool:
    top_left = widget.mapTo(win, QPoint(0, 0)) + win.geometry().topLeft()
    rect = QRect(top_left, widget.size())
    return widget.isVisible() and screen.contains(rect)


def _assert_fits(win, screen: QRect) -> None:
    from PySide6.QtWidgets import QApplication

    for _ in range(3):
        QApplication.processEvents()
    assert win.width() <= screen.width() and win.height() <= screen.height(), (win.size(), screen)
    assert screen.contains(win.geometry()), (win.geometry(), screen)
    assert _inside(win, screen, win.statusBar()), win.statusBar().geometry()
    button = win.toolbar.widgetForAction(win.actions["run_scan"])
    assert button is not None and _inside(win, screen, button), "Potentiescan uitvoeren is not visible"
    assert win.canvas.width() >= 0.45 * win.width(), (win.canvas.width(), win.width())


@pytest.mark.parametrize("screen_window", SCREENS, indirect=True, ids=[f"{w}x{h}" for w, h in SCREENS])
def test_window_docks_and_main_action_fit_the_screen(screen_window):
    from gisapp.gui_commands import run_default_scan

    win, screen = screen_window
    _assert_fits(win, screen)
    editor = win.show_locaties_editor()
    _assert_fits(win, screen)
    run_default_scan(win)
    win.results_dock.raise_()
    _assert_fits(win, screen)
    # the gebied's name and its total homes are in view in the results table (the total was cut off)
    view = win.results_panel.table
    header = view.horizontalHeader()
    labels = [str(view.model().headerData(c, header.orientation())) for c in range(header.count())]
    total = next(c for c, label in enumerate(labels) if "totaal" in label.lower())
    assert header.sectionViewportPosition(total) + header.sectionSize(total) <= view.viewport().width(), labels
    editor.dock.raise_()
    result = editor.run_scan()
    assert result is not None and len(result), editor.last_error
    _assert_fits(win, screen)
    # the locatiescan table sized to its contents, no column wider than the maximum
    from gisapp.window_layout import MAX_COLUMN_WIDTH

    header = editor.dock.table.horizontalHeader()
    assert all(header.sectionSize(c) <= MAX_COLUMN_WIDTH for c in range(header.count()))


def test_toolbar_has_icons_and_tooltips_that_explain(window):
    for key in ("pan", "zoom_box", "identify", "select", "add_layer", "attribute_table", "run_scan", "open", "save"):
        action = window.actions[key]
        assert not action.icon().isNull(), key
        text = action.text().replace("&", "").rstrip("…").strip()
        assert action.toolTip() and not action.toolTip().startswith(text), (key, action.toolTip())


def test_dock_widths_leave_the_map_half_the_window():
    from gisapp.window_layout import dock_widths

    for width, _height in SCREENS:
        left, right = dock_widths(width, 1, 1)
        assert left + right <= width // 2 and left >= 100 and right >= 140
    assert dock_widths(1366, 0, 1)[0] == 0


def test_results_columns_fit_their_contents(scanned):
    from gisapp.window_layout import MAX_COLUMN_WIDTH

    view = scanned.results_panel.table
    header = view.horizontalHeader()
    model = view.model()
    widths = [header.sectionSize(c) for c in range(header.count())]
    assert max(widths) <= MAX_COLUMN_WIDTH
    # the total homes column shows its header in full (it was cut off at 100 px)
    labels = [str(model.headerData(c, header.orientation())) for c in range(header.count())]
    column = next(c for c, label in enumerate(labels) if "woningen" in label.lower())
    metrics = header.fontMetrics()
    assert header.sectionSize(column) >= metrics.horizontalAdvance(labels[column])
