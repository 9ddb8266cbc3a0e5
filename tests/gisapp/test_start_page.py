"""First run and help (issue 23, item 6): start page, empty state, F1 manual, load warnings bar."""

from __future__ import annotations

import pytest

WAIT_MS = 60_000


@pytest.fixture
def started(qtbot, gui_project_path, monkeypatch):
    """The window as ``gisapp open`` without a project shows it, with the sample as a recent project."""
    from gisapp import app
    from gisapp.main_window import MainWindow, remember_project

    monkeypatch.setattr(MainWindow, "confirm_external_sources", lambda self, external: True)
    monkeypatch.setattr("gisapp.paths.sample_project_path", lambda: gui_project_path)
    remember_project(gui_project_path)
    window = app.main_window(None, lang="nl")
    qtbot.addWidget(window, before_close_func=lambda w: w.set_modified(False))
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.set_modified(False)
    window.close()


def test_start_page_lists_recent_projects_and_opens_the_sample(started, qtbot, gui_project_path):
    page = started.start_page
    assert started.central.showing_start() and page.isVisible() and not started.canvas.isVisible()
    assert page.mode == "start"
    paths = [page.recent.item(i).data(0x0100) for i in range(page.recent.count())]
    assert str(gui_project_path.resolve()) in paths
    for button in (page.sample_button, page.gemeente_button, page.open_button):
        assert button.isVisible() and button.text()
    with qtbot.waitSignal(started.project_loaded, timeout=WAIT_MS):
        page.sample_button.click()
    assert started.project.path is not None and len(started.project.layers)
    assert not started.central.showing_start() and started.canvas.isVisible()


def test_recent_project_opens_from_the_start_page(started, qtbot, gui_project_path):
    page = started.start_page
    row = next(i for i in range(page.recent.count()) if page.recent.item(i).data(0x0100) == str(gui_project_path.resolve()))
    with qtbot.waitSignal(started.project_loaded, timeout=WAIT_MS):
        page.recent.itemActivated.emit(page.recent.item(row))
    assert started.project.name and not started.central.showing_start()


def test_gemeente_button_opens_the_wizard(started, monkeypatch):
    opened = []
    monkeypatch.setattr("gisapp.gemeente_wizard.open_gemeente_wizard", lambda window: opened.append(window))
    started.start_page.gemeente_button.click()
    assert opened == [started]


def test_new_project_shows_what_to_add_until_a_layer_arrives(window, gui_project_path):
    window.new_project()
    page = window.start_page
    assert window.central.showing_start() and page.mode == "empty"
    text = page.todo.text()
    assert "BAG panden" in text and "Gebieden" in text
    assert page.add_button.isVisible() and not page.sample_button.isVisible()
    window.add_data_file(gui_project_path.parent / "nplv.gpkg", {"role": "nplv", "name": "nplv"})
    assert not window.central.showing_start() and window.canvas.isVisible()


def test_choosing_a_map_tool_on_an_empty_project_shows_the_map(window):
    window.new_project()
    assert window.central.showing_start()
    window.start_page.map_button.click()
    assert not window.central.showing_start()
    window.new_project()
    window.set_tool("zoom_box")
    assert not window.central.showing_start()


def test_start_page_shows_the_english_texts(qtbot, monkeypatch):
    from gisapp import app

    window = app.main_window(None, lang="en")
    qtbot.addWidget(window)
    assert window.start_page.sample_button.text() == "Open the sample project"
    assert window.start_page.recent_label.text() == "Recent projects"
    window.close()


def test_f1_opens_the_manual_with_a_page_per_task(window, qtbot):
    from gisapp.help_dialog import HELP_DIR, PAGES, page_path

    assert window.actions["help"].shortcut().toString() == "F1"
    window.actions["help"].trigger()
    dialog = window.help_dialog
    assert dialog is not None and dialog.isVisible() and not dialog.isModal()
    assert dialog.pages.count() == len(PAGES)
    for page in ("scan", "locatiescan", "informatieproduct", "portfolio", "export"):
        assert (HELP_DIR / "nl" / f"{page}.md").exists() and (HELP_DIR / "en" / f"{page}.md").exists()
        dialog.show_page(page)
        assert dialog.browser.source().toLocalFile() == str(page_path(page, "nl"))
        assert len(dialog.browser.toPlainText()) > 200
    dialog.show_page("scan")
    assert "Potentiescan uitvoeren" in dialog.browser.toPlainText()
    # a link to another page selects it in the list
    dialog.show_page("export")
    dialog.browser.setSource(dialog.browser.source().resolved(__import__("PySide6.QtCore").QtCore.QUrl("portfolio.md")))
    assert dialog.current_page() == "portfolio"


def test_manual_pages_link_only_to_existing_pages():
    import re

    from gisapp.help_dialog import HELP_DIR, PAGES

    for language in ("nl", "en"):
        for page in PAGES:
            text = (HELP_DIR / language / f"{page}.md").read_text(encoding="utf-8")
            for target in re.findall(r"\]\(([^)]+)\)", text):
                assert (HELP_DIR / language / target).exists(), (language, page, target)


def test_load_warnings_show_in_the_message_bar(window, qtbot):
    bar = window.message_bar
    # the sample's gebouwen reads 114 bouwjaren as onbekend: that warning is on screen, not in a tooltip
    assert bar.isVisible(), "no message bar after loading the sample"
    assert "Meldingen bij het laden" in bar.summary.text() and "bouwjaar" in bar.summary.text()
    assert not bar.details.isVisible()
    bar.details_button.click()
    assert bar.details.isVisible() and "gebouwen" in bar.details.toPlainText()
    bar.close_button.click()
    assert not bar.isVisible()


def test_message_bar_is_cleared_by_a_new_project(window):
    assert window.message_bar.isVisible()
    window.new_project()
    assert not window.message_bar.isVisible()
