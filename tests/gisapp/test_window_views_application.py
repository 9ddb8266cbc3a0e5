"""The main window is a view of gisapp.application.Application: changes made on the model,
without the window, show in the window."""

from __future__ import annotations


def test_window_follows_the_application(qtbot, gui_project_path):
    from gisapp.application import Application
    from gisapp.main_window import MainWindow

    app = Application()
    app.open_project(gui_project_path)
    window = MainWindow(app)
    qtbot.addWidget(window, before_close_func=lambda w: w.set_modified(False))
    assert window.app is app and window.project is app.project
    assert window.layer_panel.current_layer() is not None and app.project.name in window.windowTitle()

    layer = app.project.layer("gebouwen")
    app.select(layer.name, [3, 1])
    assert window.canvas.selection()[0] is layer and window.canvas.selection()[1].tolist() == [1, 3]
    assert window.selection()[1].tolist() == [1, 3]
    app.clear_selection()
    assert window.selection() is None and window.canvas.selection() is None

    layer.visible = not layer.visible
    assert window.isWindowModified() and window.modified
    app.set_dirty(False)
    assert not window.isWindowModified()

    result = app.run_scan()
    with qtbot.waitSignal(window.scan_finished, timeout=60_000):
        app.set_result(result)
    assert window.results_panel.result is result and window.layer("gebouwen_potentie") is not None
    assert window.actions["export_geopackage"].isEnabled()  # the exports follow result_changed
    app.set_project(window._new_project())
    assert window.results_panel.result is None and window.project is app.project and not len(window.project.layers)
