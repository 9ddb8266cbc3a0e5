"""The legend stays readable at 1366 px and the docks re-balance when one shows or hides (issue 23).

The layers dock takes the width its open legend entries need ("onbekend (gegevens ontbreken) [4]"
whole), within the docks' share of the window; when the locaties dock squeezes it, long entries
are shortened in the middle (their count stays in view, the tooltip has them whole), and when
that dock closes the legend gets its width back without resizing the window.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.gisapp.test_layout_fits import SCREENS, screen_window  # noqa: F401 (a window on a simulated screen)

pytestmark = pytest.mark.gui


def _legend_rows(panel) -> list:
    """The open legend rows (children of expanded layers) of the layer panel."""
    model, view = panel.model, panel.view
    rows = []
    for row in range(model.rowCount()):
        layer = model.index(row, 0)
        if view.isExpanded(layer):
            rows += [model.index(child, 0, layer) for child in range(model.rowCount(layer))]
    return rows


def _cut_rows(panel) -> list[str]:
    """Labels of open legend rows wider than the tree shows: the delegate's size for the row and
    its indentation (branch of the layer and its own) against the tree's viewport."""
    view = panel.view
    room = view.viewport().width()
    return [index.data() for index in _legend_rows(panel)
            if view.sizeHintForIndex(index).width() + 2 * view.indentation() > room]


def _settle(qtbot, condition) -> None:
    """Run the event loop until ``condition`` holds: the legend's reset and the docks' balance are
    deferred to it (after the map's snapshots)."""
    qtbot.waitUntil(condition, timeout=3000)


@pytest.mark.parametrize("screen_window", SCREENS, indirect=True, ids=[f"{w}x{h}" for w, h in SCREENS])
def test_legend_whole_and_docks_rebalanced(screen_window, qtbot):
    from gisapp.gui_commands import run_default_scan

    window, _screen = screen_window
    panel = window.layer_panel
    run_default_scan(window)
    _settle(qtbot, lambda: any(str(i.data()).startswith("onbekend (gegevens ontbreken) [") for i in _legend_rows(panel)))
    _settle(qtbot, lambda: _cut_rows(panel) == [])
    assert window.canvas.width() >= 0.45 * window.width()
    before, window_width = window.layer_dock.width(), window.width()

    # the locaties dock widens the right side; a squeezed legend shortens in the middle, count in view
    editor = window.show_locaties_editor()
    scroll = editor.dock.widget()
    _settle(qtbot, lambda: scroll.isVisible() and scroll.horizontalScrollBar().maximum() == 0)  # its buttons whole
    assert window.canvas.width() >= 0.45 * window.width()
    assert panel.view.textElideMode() == Qt.TextElideMode.ElideMiddle
    for index in _legend_rows(panel):
        assert index.data(Qt.ItemDataRole.ToolTipRole) == index.data()

    # closing it gives the legend its width back, the window not resized
    editor.dock.close()
    _settle(qtbot, lambda: _cut_rows(panel) == [])
    assert window.layer_dock.width() >= min(before, panel.wanted_width()) and window.width() == window_width
    assert window.canvas.width() >= 0.45 * window.width()
