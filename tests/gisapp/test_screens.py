"""The screens of a working day fit 1366×768 and 1920×1080, in Dutch and English (issue 23).

One test per screen: the start page, the sample after a scan over a background map, identify,
the attribute table, measuring, the style dialog, the locaties dock and an export in progress.
Each checks that the window fits the screen, that the status bar and the main action
("Potentiescan uitvoeren") are visible inside it, and that the dialogs opened are inside it too.

A screen of each size is simulated as in ``test_layout_fits.py``: ``gisapp.window_layout``'s
``available_rect`` is patched (and the screen is told to be real). One window per size and
language is shared by its screens (opened, background map and scan done once). The background
map comes from the local fixture tile server of ``test_basemap.py``; no test uses the internet.

With ``BB_SCREENSHOTS=DIR`` every test also saves ``DIR/<screen>_<size>_<lang>.png``: the
screen as a user sees it, the window with its docks and any dialog on top, cut to the screen.
Run under ``xvfb-run -a -s "-screen 0 1920x1080x24"`` to see real X11 rendering.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import threading
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QRect, QSettings, Qt
from PySide6.QtGui import QColor, QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QWidget

from tests.gisapp.test_basemap import _TileServer

pytestmark = pytest.mark.gui

SIZES = [(1366, 768), (1920, 1080)]
LANGUAGES = ("nl", "en")
CASES = [(width, height, lang) for width, height in SIZES for lang in LANGUAGES]
SCREENSHOTS_ENV = "BB_SCREENSHOTS"
WAIT_MS = 30_000
#: A desktop colour around the window in the screenshots, so a window smaller than the screen shows.
DESKTOP = "#3a4350"


@dataclasses.dataclass
class Screen:
    """A simulated screen and the window shared by its screen tests."""

    rect: QRect
    lang: str
    window: object

    @property
    def tag(self) -> str:
        return f"{self.rect.width()}x{self.rect.height()}_{self.lang}"


def _settle(rounds: int = 5) -> None:
    for _ in range(rounds):
        QApplication.processEvents()


def _wait(condition, timeout_ms: int = WAIT_MS) -> None:
    """Run the event loop until ``condition()`` holds (pytest-qt's wait, usable in a module fixture)."""
    from PySide6.QtCore import QElapsedTimer
    from PySide6.QtTest import QTest

    timer = QElapsedTimer()
    timer.start()
    while not condition():
        if timer.elapsed() > timeout_ms:
            raise AssertionError(f"not reached within {timeout_ms} ms: {condition}")
        QTest.qWait(10)


@contextlib.contextmanager
def server_closed(server: _TileServer):
    """Close the fixture tile server however the block ends."""
    try:
        yield server
    finally:
        server.close()


def _local_tiles(window, server: _TileServer) -> None:
    """Point the shipped "BRT grijs" service at the local tile server (its labels kept)."""
    services = window.basemap_menu.services
    services["brt_grijs"] = dataclasses.replace(services["brt_grijs"], url=server.url)


@pytest.fixture(scope="module", params=CASES, ids=[f"{w}x{h}-{lang}" for w, h, lang in CASES])
def screen(request, qapp, gui_project_path, tmp_path_factory):
    """The sample project after a standard scan over the background map, on a simulated screen."""
    from gisapp import i18n, window_layout
    from gisapp.app import main_window
    from gisapp.gui_commands import run_default_scan
    from gisapp.main_window import MainWindow
    from gisapp.retranslate import install_qt_translations
    from layers import autosave

    width, height, lang = request.param
    rect = QRect(0, 0, width, height)
    folder = tmp_path_factory.mktemp(f"screens_{width}x{height}_{lang}")
    server = _TileServer()
    with server_closed(server), pytest.MonkeyPatch.context() as patch:
        patch.setattr(window_layout, "screen_is_virtual", lambda: False)
        patch.setattr(window_layout, "available_rect", lambda _window: QRect(rect))
        patch.setattr(MainWindow, "confirm_external_sources", lambda self, external: True)
        patch.setenv("BB_CACHE_DIR", str(folder / "tegels"))
        patch.setenv(autosave.STATE_DIR_ENV, str(folder / "state"))
        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder / "settings"))
        window = main_window(gui_project_path, lang=lang)
        assert window.last_error is None, window.last_error
        _local_tiles(window, server)
        window.resize(width + 300, height + 300)  # asked too large: the window must still fit
        window.move(0, 0)
        window.show()
        _wait(window.isVisible)
        _settle()
        window.basemap_menu.actions["brt_grijs"].trigger()
        run_default_scan(window)
        window.canvas.zoom_full()
        _wait(window.canvas.basemap_item().is_complete)
        yield Screen(rect, lang, window)
        if window.scan_dialog is not None:
            window.scan_dialog.cancel_and_wait()
        window.background.stop()
        window.set_modified(False)
        window.close()
        window.deleteLater()
        _settle()
        i18n.set_language("nl")
        install_qt_translations("nl")


@pytest.fixture
def shown(screen):
    """The shared window in its language (the suite's settings fixture sets Dutch before each test)."""
    from gisapp import i18n

    i18n.set_language(screen.lang)
    screen.window.set_tool("pan")
    _settle()
    return screen


# --------------------------------------------------------------------------- checks and screenshots


def _screen_rect_of(widget: QWidget) -> QRect:
    """``widget``'s rectangle in screen coordinates (the simulated screen starts at the window's origin)."""
    top = widget.window()
    return QRect(widget.mapTo(top, QPoint(0, 0)) + top.geometry().topLeft(), widget.size())


def _inside(screen: Screen, widget: QWidget) -> bool:
    """Visible, not cut off by its window and inside the screen."""
    top = widget.window()
    own = QRect(widget.mapTo(top, QPoint(0, 0)), widget.size())
    return widget.isVisible() and top.rect().contains(own) and screen.rect.contains(_screen_rect_of(widget))


def _assert_fits(screen: Screen, *dialogs: QWidget) -> None:
    """The window inside the screen with its status bar and main action in view; ``dialogs`` inside it too."""
    _settle()
    window = screen.window
    assert screen.rect.contains(window.frameGeometry()), (window.frameGeometry(), screen.rect)
    bar = window.statusBar()
    assert bar.isVisible() and _inside(screen, bar), (_screen_rect_of(bar), screen.rect)
    button = window.toolbar.widgetForAction(window.actions["run_scan"])
    assert button is not None and _inside(screen, button), "Potentiescan uitvoeren is not visible"
    for dialog in dialogs:
        assert dialog.isVisible(), dialog
        assert screen.rect.contains(dialog.frameGeometry()), (type(dialog).__name__, dialog.frameGeometry(), screen.rect)


def _assert_map_keeps_room(screen: Screen) -> None:
    window = screen.window
    assert window.canvas.isVisible() and window.canvas.width() >= 0.45 * window.width(), (
        window.canvas.width(), window.width())


def _save_screenshot(screen: Screen, name: str, *dialogs: QWidget) -> Path | None:
    """With ``BB_SCREENSHOTS``: the screen as the user sees it (window, then dialogs on top)."""
    folder = os.environ.get(SCREENSHOTS_ENV)
    if not folder:
        return None
    _settle()
    pixmap = QPixmap(screen.rect.size())
    pixmap.fill(QColor(DESKTOP))
    painter = QPainter(pixmap)
    painter.drawPixmap(screen.window.geometry().topLeft() - screen.rect.topLeft(), screen.window.grab())
    for dialog in dialogs:
        # Xvfb has no window manager: a drawn frame and title show where the dialog's own window is
        place = dialog.geometry().translated(-screen.rect.topLeft())
        title = QRect(place.x() - 1, place.y() - 22, place.width() + 2, 22)
        painter.fillRect(title, QColor("#2f3b4a"))
        painter.setPen(QColor("white"))
        painter.drawText(title.adjusted(8, 0, -8, 0), int(Qt.AlignmentFlag.AlignVCenter), dialog.windowTitle())
        painter.drawPixmap(place.topLeft(), dialog.grab())
        painter.setPen(QColor("#2f3b4a"))
        painter.drawRect(place.adjusted(-1, -1, 0, 0))
    painter.end()
    path = Path(folder) / f"{name}_{screen.tag}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    assert pixmap.save(str(path), "PNG"), path
    return path


def _building_with_homes(window):
    """A building of the result with extra homes: its layer and a point inside it."""
    layer = window.layer("gebouwen_potentie")
    homes = layer.data["totaal_woningen"].to_numpy()
    position = int(np.flatnonzero(homes > 0)[0])
    x, y = layer.data.geometry.values[position].representative_point().coords[0]
    return layer, position, x, y


# --------------------------------------------------------------------------- the screens


def test_start_page(screen, qtbot, gui_project_path, monkeypatch):
    from gisapp import i18n
    from gisapp.app import main_window
    from gisapp.main_window import remember_project

    i18n.set_language(screen.lang)
    monkeypatch.setattr("gisapp.paths.sample_project_path", lambda: gui_project_path)
    remember_project(gui_project_path)
    window = main_window(None, lang=screen.lang)
    qtbot.addWidget(window, before_close_func=lambda w: w.set_modified(False))
    width, height = screen.rect.width(), screen.rect.height()
    window.resize(width + 300, height + 300)
    window.move(0, 0)
    window.show()
    qtbot.waitExposed(window)
    start = dataclasses.replace(screen, window=window)
    page = window.start_page
    assert window.central.showing_start() and page.mode == "start"
    _assert_fits(start)
    for button in (page.sample_button, page.gemeente_button, page.open_button, page.help_button):
        assert button.text() and _inside(start, button), button.objectName()
        assert button.width() >= button.sizeHint().width(), (button.objectName(), button.width(), button.sizeHint())
    assert _inside(start, page.recent) and page.recent.count() >= 1
    # the empty legend and results docks are away while the page shows
    assert not window.layer_dock.isVisible() and not window.results_dock.isVisible()
    _save_screenshot(start, "startpagina")
    page.map_button.click()
    assert window.canvas.isVisible() and window.layer_dock.isVisible() and window.results_dock.isVisible()
    assert window.layer_dock.width() >= 150, window.layer_dock.width()


def test_sample_after_a_scan_over_the_background_map(shown):
    from gisapp.basemap import TileSource

    window = shown.window
    window.canvas.zoom_full()
    window.results_dock.raise_()
    _wait(window.canvas.basemap_item().is_complete)
    assert isinstance(window.canvas.basemap_source(), TileSource) and window.canvas.attribution_text()
    assert window.layer("gebieden_potentie") is not None and window.layer("gebouwen_potentie") is not None
    assert window.results_panel.table.model().rowCount() > 0
    _assert_fits(shown)
    _assert_map_keeps_room(shown)
    assert _inside(shown, window.results_panel.table) and _inside(shown, window.layer_panel)
    _save_screenshot(shown, "na_scan")


def test_identify_shows_a_building_and_its_homes(shown, qtbot):
    window = shown.window
    layer, position, x, y = _building_with_homes(window)
    window.project.layer("gebieden_potentie").visible = False  # the choropleth lies above the buildings
    try:
        window.canvas.zoom_to_extent((x - 150, y - 100, x + 150, y + 100))
        window.actions["identify"].trigger()
        qtbot.mouseClick(window.canvas.viewport(), Qt.MouseButton.LeftButton, pos=window.canvas.map_to_widget(x, y))
        panel = window.identify_panel
        assert panel.layer is layer and panel.position == position
        assert panel.attributes.topLevelItemCount() > 0 and panel.result_rows()
        _wait(window.canvas.basemap_item().is_complete)
        _assert_fits(shown)
        _assert_map_keeps_room(shown)
        assert _inside(shown, window.identify_dock) and _inside(shown, panel.results)
        # every scan's row in view, and the values keep room beside the long attribute names
        results = panel.results
        last = results.visualItemRect(results.topLevelItem(results.topLevelItemCount() - 1))
        assert results.viewport().rect().contains(last), (last, results.viewport().rect())
        attributes = panel.attributes
        assert attributes.columnWidth(1) >= 0.4 * attributes.viewport().width(), attributes.columnWidth(1)
        assert not attributes.horizontalScrollBar().isVisible()
        _save_screenshot(shown, "informatie")
    finally:
        window.project.layer("gebieden_potentie").visible = True
        window.canvas.zoom_full()


def test_attribute_table_opens_inside_the_screen(shown, qtbot):
    window = shown.window
    table = window.open_attribute_table(window.layer("gebouwen_potentie"))
    qtbot.waitExposed(table)
    try:
        assert table.model.rowCount() > 0
        _assert_fits(shown, table)
        # a window of its own over the map: the main action and the status bar stay uncovered
        button = window.toolbar.widgetForAction(window.actions["run_scan"])
        for widget in (button, window.statusBar()):
            assert not table.frameGeometry().intersects(_screen_rect_of(widget)), (widget, table.frameGeometry())
        _save_screenshot(shown, "attribuuttabel", table)
    finally:
        table.close()


def test_measuring_a_line(shown, qtbot):
    window = shown.window
    canvas = window.canvas
    xmin, ymin, xmax, ymax = canvas.current_extent()
    width, height = xmax - xmin, ymax - ymin
    points = [(xmin + 0.3 * width, ymin + 0.3 * height), (xmin + 0.55 * width, ymin + 0.6 * height),
              (xmin + 0.7 * width, ymin + 0.4 * height)]
    window.actions["measure_distance"].trigger()
    assert canvas.tool() == "measure_distance"
    for x, y in points:
        qtbot.mouseClick(canvas.viewport(), Qt.MouseButton.LeftButton, pos=canvas.map_to_widget(x, y))
    qtbot.mouseClick(canvas.viewport(), Qt.MouseButton.RightButton, pos=canvas.map_to_widget(*points[-1]))
    tool = window.map_tools.measure
    assert tool.finished and len(tool.vertices) == len(points)
    panel = tool.panel
    assert panel.isVisible() and tool.lines()[0] in panel.text(), panel.text()
    assert tool.lines()[0] in window.statusBar().currentMessage()
    _assert_fits(shown)
    _assert_map_keeps_room(shown)
    assert _inside(shown, panel)
    _save_screenshot(shown, "meten")
    window.set_tool("pan")


def test_style_dialog_of_the_result_map(shown, qtbot):
    window = shown.window
    dialog = window.open_style_dialog(window.layer("gebieden_potentie"), modal=False)
    dialog.show()
    qtbot.waitExposed(dialog)
    try:
        _assert_fits(shown, dialog)
        # the column by its readable name, the field name kept as the item's data
        assert dialog.column_combo.currentData() == "totaal_woningen"
        assert "_" not in dialog.column_combo.currentText(), dialog.column_combo.currentText()
        _save_screenshot(shown, "stijl", dialog)
    finally:
        dialog.reject()


def test_locaties_dock_after_a_locatiescan(shown):
    window = shown.window
    editor = window.show_locaties_editor()
    result = editor.run_scan()
    assert result is not None and len(result), editor.last_error
    try:
        assert editor.dock.table.model().rowCount() == len(result)
        _assert_fits(shown)
        _assert_map_keeps_room(shown)
        assert _inside(shown, editor.dock)
        # its buttons and form in full: the dock is as wide as its contents (no sideways scrolling)
        scroll = editor.dock.widget()
        assert not scroll.horizontalScrollBar().isVisible(), (editor.dock.width(), scroll.widget().minimumSizeHint())
        _save_screenshot(shown, "locaties")
    finally:
        editor.dock.hide()


def test_export_in_progress(shown, qtbot, monkeypatch, tmp_path):
    """The export's status-bar progress (its step, the fraction and "Annuleren") is inside the
    screen while the export runs.

    The export is held at its first progress report past 30 % until the screen is checked, so
    the running state is seen every time (no timing), then released to write its file.
    """
    from gisapp import worker
    from gisapp.export_actions import ExportActions
    from gisapp.i18n import tr
    from tests.gisapp.test_export_progress import HeldFeedback

    window = shown.window
    release, holding = threading.Event(), threading.Event()
    held_at: list[float] = []
    real_job = ExportActions._job
    monkeypatch.setattr(worker, "_PROGRESS_INTERVAL", 0.0)  # every report reaches the window

    def held_job(self, kind, result, project, target):
        write, cancellable = real_job(self, kind, result, project, target)
        return (lambda feedback: write(HeldFeedback(feedback, 0.3, holding, release, held_at))), cancellable

    monkeypatch.setattr(ExportActions, "_job", held_job)
    target = tmp_path / "uitvoer.gpkg"
    task = window.background
    try:
        assert window.exports.export("geopackage", target)
        qtbot.waitUntil(holding.is_set, timeout=WAIT_MS)
        qtbot.waitUntil(lambda: task.bar.value() == round(held_at[0] * 1000), timeout=WAIT_MS)
        assert task.is_running()
        assert task.label.text().startswith(tr("GeoPackage met stijlen (QGIS)…").rstrip("…") + ": ")
        assert task.bar.isTextVisible() and task.cancel_button.isVisible() and task.cancel_button.isEnabled()
        _settle()
        _assert_fits(shown)
        for widget in (task.label, task.bar, task.cancel_button):
            assert _inside(shown, widget), (widget, _screen_rect_of(widget), shown.rect)
        assert task.label.width() >= task.label.sizeHint().width(), "the export's label is cut off"
        assert not window.actions["export_pdf"].isEnabled()  # one task at a time
        _save_screenshot(shown, "export")
    finally:
        release.set()
    with qtbot.waitSignal(window.exports.exported, timeout=WAIT_MS):
        pass
    assert target.is_file() and not task.bar.isVisible()
