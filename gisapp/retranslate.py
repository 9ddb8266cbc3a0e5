"""Switch the language of a running window (Beeld → Taal) without a restart.

The texts on screen were made by :func:`gisapp.i18n.tr`, so each static text is a key or a value
of the translation table: :func:`retranslate_window` walks every action, menu, dock, label,
button, group box, tab and window title of the window (and its dialogs) and replaces a text
shown in the old language by the same text in the new one. Panels that build their texts from
templates (the start page, the message bar, the manual, the toolbar tooltips) are asked to
rebuild them; the scan dialog, whose forms come from the parameter tables, is made again on its
next use. Qt's own dialogs follow through the translator of :func:`install_qt_translations`.
"""

from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, QTranslator
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractButton, QApplication, QDockWidget, QGroupBox, QLabel, QTabWidget, QToolBar, QWidget

from gisapp import i18n


def _swap(text: str, mapping: dict[str, str]) -> str | None:
    """The text in the new language, or None when it is not a static text of the table."""
    if text in mapping:
        return mapping[text]
    stripped = text.rstrip(":")  # form labels ("Naam:")
    if stripped != text and stripped in mapping:
        return mapping[stripped] + text[len(stripped):]
    return None


def retranslate_widgets(root: QWidget, mapping: dict[str, str]) -> int:
    """Replace the static texts under ``root`` (itself included); returns how many changed."""
    changed = 0

    def put(getter, setter) -> None:
        nonlocal changed
        new = _swap(getter(), mapping)
        if new is not None:
            setter(new)
            changed += 1

    for action in root.findChildren(QAction):
        old_text = action.text()
        put(action.text, action.setText)
        put(action.toolTip, action.setToolTip)
        if action.statusTip() == old_text.replace("&", "").rstrip("…"):
            action.setStatusTip(action.text().replace("&", "").rstrip("…"))
        else:
            put(action.statusTip, action.setStatusTip)
    widgets = [root, *root.findChildren(QWidget)]
    for widget in widgets:
        if widget.isWindow() or isinstance(widget, (QDockWidget, QToolBar)):
            put(widget.windowTitle, widget.setWindowTitle)
        if isinstance(widget, QLabel):
            put(widget.text, widget.setText)
        elif isinstance(widget, QAbstractButton):
            put(widget.text, widget.setText)
        elif isinstance(widget, QGroupBox):
            put(widget.title, widget.setTitle)
        elif isinstance(widget, QTabWidget):
            for index in range(widget.count()):
                put(lambda i=index: widget.tabText(i), lambda text, i=index: widget.setTabText(i, text))
        put(widget.toolTip, widget.setToolTip)
    return changed


def retranslate_window(window, old: str, new: str) -> None:
    """Show ``window`` (a MainWindow) in language ``new`` (it was in ``old``)."""
    from gisapp.icons import decorate_actions

    i18n.set_language(new)
    retranslate_widgets(window, i18n.text_map(old, new))
    decorate_actions(window.actions, window)
    for part in (window.start_page, window.message_bar, getattr(window, "help_dialog", None)):
        if part is not None:
            part.retranslate()
    window._update_title()
    # legends and the results table are made from the data in the language of the moment: again
    panel = window.layer_panel
    current = panel.current_layer()
    panel.set_collection(window.project.layers)
    if current is not None:
        panel.set_current_layer(current)
    # what names a layer (a result layer's readable name) and labels its fields
    window.identify_panel.retranslate()
    for table in list(getattr(window, "tables", {}).values()):
        table.retranslate()
    results = window.results_panel
    for chart in (results.bar_chart, results.histogram, results.scenario_chart):
        chart.retranslate()
    window.scale_box.retranslate()
    if results.result is not None:
        stale = list(results.stale)
        buildings = window.project.layer("gebouwen")
        results.set_result(results.result, getattr(buildings, "data", None))
        results.set_stale(stale)
    # the docks made from texts of scans/ (after the results: the data check's warning goes on them)
    for part in (window.data_check, window.sensitivity):
        if part is not None:
            part.retranslate()
    dialog = window.scan_dialog
    if dialog is not None and not dialog.runner.is_running():
        # its forms come from the parameter tables: made again, in the new language, on next use
        dialog.close()
        dialog.deleteLater()
        window.scan_dialog = None


#: Qt's own translations in use (its dialogs' buttons and texts), replaced on a language switch.
_qt_translators: list[QTranslator] = []


def install_qt_translations(language: str) -> bool:
    """Load Qt's own translations (``qtbase_<language>`` from Qt's translations folder) so Qt's
    dialogs (file dialogs, message box buttons) speak the interface language; English needs none.
    True when a translation was loaded."""
    app = QApplication.instance()
    if app is None:
        return False
    for old in _qt_translators:
        app.removeTranslator(old)
    _qt_translators.clear()
    if language == "en":
        return False
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    translator = QTranslator(app)
    if not translator.load(f"qtbase_{language}", folder):
        return False
    app.installTranslator(translator)
    _qt_translators.append(translator)
    return True
