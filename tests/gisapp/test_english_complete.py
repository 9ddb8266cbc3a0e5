"""English complete (issue 23, item 6): every visible string of the main window and its main
dialogs is English in the English UI (and the Dutch UI shows no English marker words); the
language switches without a restart; Qt's own translations are loaded for the Dutch UI.

What may stay Dutch in the English UI (the allow-list, also in the report):

* proper names: Beter Benutten, BAG, 3D BAG, CBS, PDOK, NPLV, KNMI, Woningbouwimpuls, Woontop,
  the names of publications and organisations cited as a parameter's source, of the data sets a
  source is fetched from and of programmes (:data:`PROPER_NAMES`); web addresses;
* data: layer, field and role names of the project (``gebouwen``, ``buurten``, ``gebied_code``),
  the project's name (Voorbeeldstad), values in the data (BAG statuses, gemeente names), scenario
  names (``standaard`` is the key of a preset, shown with its English label beside it);
* the domain words in parentheses after their English term ("Adding storeys (optoppen)").

So the Dutch marker words below are chosen from the interface's own vocabulary, not from data.
Besides the widgets' own texts, the texts the app shows from ``layers/`` and ``scans/`` are
walked too: the load messages in the message bar, the "Gegevens" dock, the warning on the
results, the sensitivity dock's sentences and chart, and the status bar; also on a project of
real BAG panden (Delft) with faults that make the readers warn.
"""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from tests.acceptance.test_issue20_followups import DELFT, delft_project  # noqa: F401 (a fixture)
from tests.gisapp.test_sensitivity_panel import _run as run_sensitivity

#: Words that only occur in Dutch interface text.
DUTCH_MARKERS = (
    "het", "een", "niet", "geen", "voor", "met", "kaart", "bestand", "openen", "opslaan", "toevoegen",
    "bewerken", "selectie", "uitvoeren", "wissen", "locatie", "kenmerken", "ongedaan", "opnieuw", "verwijderen",
    "kies", "tekenen", "klik", "woningen", "gebieden", "laag", "lagen", "naam", "aantal", "jaar", "sluiten",
    "annuleren", "toepassen", "bouwjaar", "vanaf", "tot", "uitsluiten", "gewicht", "punten", "handleiding",
    "resultaten", "gegevens", "achtergrondkaart", "meldingen", "afbeelding", "meten", "afstand", "oppervlakte",
    # the words of the readers' messages, the data check and the sensitivity sentences
    "panden", "onbekend", "ontbreekt", "geschat", "ligt", "tussen", "weggelaten", "gelezen", "waarden", "aanname",
    "bepaalt", "zonder", "liggen", "gebied", "bekend", "dekking", "rusten", "schatting", "trekkingen", "zaad",
)
#: Words that only occur in English interface text ("open" and "map" are Dutch words too).
ENGLISH_MARKERS = ("the", "save", "layer", "layers", "run", "homes", "areas", "select", "close",
                   "cancel", "results", "settings", "file", "manual")


def visible_texts(root) -> set[str]:
    """Action texts, labels, button texts, window, dock and group titles, tab texts and header
    labels under ``root``."""
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QAbstractButton, QDockWidget, QGroupBox, QHeaderView, QLabel, QTabWidget, QWidget

    texts: set[str] = set()
    for action in root.findChildren(QAction):
        texts.add(action.text())
    for widget in [root, *root.findChildren(QWidget)]:
        if widget.isWindow() or isinstance(widget, QDockWidget):
            texts.add(widget.windowTitle())
        if isinstance(widget, QLabel) and widget.textFormat() != Qt.TextFormat.RichText:
            texts.add(widget.text())
        elif isinstance(widget, QLabel):
            texts.add(re.sub(r"<[^>]+>", " ", widget.text()))
        if isinstance(widget, QAbstractButton):
            texts.add(widget.text())
        if isinstance(widget, QGroupBox):
            texts.add(widget.title())
        if isinstance(widget, QTabWidget):
            texts.update(widget.tabText(i) for i in range(widget.count()))
        if isinstance(widget, QHeaderView) and widget.orientation() == Qt.Orientation.Horizontal and widget.model():
            model = widget.model()
            texts.update(str(model.headerData(c, Qt.Orientation.Horizontal) or "") for c in range(widget.count()))
    return {t for t in texts if t and t.strip()}


#: Proper names with a marker word in them (programmes and data sets cited by name).
PROPER_NAMES = ("Nationaal Programma Landelijk Gebied", "Nationaal Programma Leefbaarheid en Veiligheid",
                "Rijksbeschermde stads- en dorpsgezichten", "Water en bodem sturend", "water en bodem sturend")
#: An address on the web (data, whatever words its path holds).
_URL = re.compile(r"https?://\S+")


def marked(texts: set[str], markers: tuple[str, ...]) -> list[str]:
    """The texts holding one of ``markers`` as a word (web addresses and :data:`PROPER_NAMES` left out)."""
    pattern = re.compile(r"\b(" + "|".join(markers) + r")\b", re.IGNORECASE)

    def words(text: str) -> str:
        for name in PROPER_NAMES:
            text = text.replace(name, "")
        return _URL.sub("", text.replace("&", ""))

    return sorted(t for t in texts if pattern.search(words(t)))


def dock_texts(win) -> set[str]:
    """The texts ``layers/`` and ``scans/`` made that ``win`` shows: the message bar (summary and
    list), the "Gegevens" dock, the warning on the results, the sensitivity dock (sentences, the
    note on unknown panden, status, the chart's parameters) and the status bar."""
    bar = win.message_bar
    texts = {bar.summary.text(), *bar.details.toPlainText().splitlines(), *win.data_check.panel.browser.toPlainText().splitlines(),
             re.sub(r"<[^>]+>", " ", win.results_panel.data_warning.text()), win.statusBar().currentMessage()}
    panel = win.sensitivity
    if panel is not None:
        texts |= {*panel.sentences.text().splitlines(), panel.unknown_note.text(), panel.status.text(), *panel.chart.labels}
    # a file or address of the project's sources (gebieden.gpkg) is data, not interface text
    return {t for t in texts if t and t.strip() and not _FILE.fullmatch(t.strip())}


#: One file name, path or URL.
_FILE = re.compile(r"\S+\.[A-Za-z]{2,7}|\S*/\S*")


def _dialogs(win):
    """The main dialogs, opened non-modally: scan, style, add layer, gemeente wizard."""
    dialogs = [win.open_scan_dialog(), win.open_style_dialog(win.layer("gebouwen"), modal=False),
               win.open_add_layer_dialog(), win.open_gemeente_wizard()]
    return [d for d in dialogs if d is not None]


def _close(dialogs) -> None:
    for dialog in dialogs:
        cancel = getattr(dialog, "cancel_and_wait", None)
        if cancel is not None:
            cancel()
        dialog.close()


@pytest.fixture
def english(qtbot, gui_project_path, monkeypatch):
    from gisapp import i18n
    from gisapp.app import main_window
    from gisapp.main_window import MainWindow

    monkeypatch.setattr(MainWindow, "confirm_external_sources", lambda self, external: True)
    win = main_window(gui_project_path, lang="en")
    qtbot.addWidget(win, before_close_func=lambda w: w.set_modified(False))
    win.resize(1400, 900)
    win.show()
    yield win
    win.set_modified(False)
    win.close()
    i18n.set_language("nl")


def all_texts(win, qtbot) -> set[str]:
    """The texts of ``win`` after a scan and a sensitivity run, with the "Gegevens" dock, the manual
    and the main dialogs open."""
    from gisapp.gui_commands import run_default_scan

    run_default_scan(win)
    win.data_check.show()
    run_sensitivity(win, qtbot, draws=10)
    win.show_locaties_editor()
    win.show_help()
    dialogs = _dialogs(win)
    try:
        texts = visible_texts(win) | dock_texts(win)
        for dialog in dialogs:
            texts |= visible_texts(dialog)
    finally:
        _close(dialogs)
    return texts


def test_english_ui_has_no_dutch_text(english, qtbot):
    texts = all_texts(english, qtbot)
    assert len(texts) > 150
    # the sample's load message, the data check and the sentences (with the panden left out) are there
    assert any(t.startswith("Messages while loading: gebouwen: ") for t in texts)
    assert "Scans on these data" in texts and any("lies between" in t for t in texts)
    assert any("unknown (an input is missing) and are left out of the band" in t for t in texts)
    assert marked(texts, DUTCH_MARKERS) == []


def test_dutch_ui_has_no_english_text(window, qtbot):
    texts = all_texts(window, qtbot)
    assert any("tellen niet mee in de band" in t for t in texts) and "Scans op deze gegevens" in texts
    assert marked(texts, ENGLISH_MARKERS) == []


@pytest.fixture
def faulty_delft(delft_project, tmp_path) -> Path:  # noqa: F811 (the imported fixture)
    """The real Delft panden with what real files have: a pand twice, a bowtie polygon and a pand
    without geometry (the readers warn about each) and a bouwjaar 9999 (the BAG's 'onbekend')."""
    import pandas as pd
    import pyogrio
    import shapely

    frame = pyogrio.read_dataframe(DELFT, layer="bag_pand_kerk")
    frame.loc[1, "bouwjaar"] = 9999
    x0, y0, x1, y1 = frame.geometry.iloc[2].bounds
    frame.loc[2, "geometry"] = shapely.Polygon([(x0, y0), (x1, y1), (x1, y0), (x0, y1)])
    frame.loc[3, "geometry"] = None
    frame = pd.concat([frame, frame.iloc[[4]]], ignore_index=True)
    pyogrio.write_dataframe(frame, tmp_path / "delft_fouten.gpkg", layer="bag_pand_kerk")
    project = tmp_path / "delft_fouten.toml"
    project.write_text(delft_project.read_text(encoding="utf-8").replace(DELFT.as_posix(), "delft_fouten.gpkg"),
                       encoding="utf-8")
    return project


@pytest.mark.realdata
def test_real_delft_panden_in_english_warnings_data_check_and_sensitivity(qtbot, faulty_delft, monkeypatch):
    from gisapp import i18n
    from gisapp.app import main_window
    from gisapp.main_window import MainWindow

    monkeypatch.setattr(MainWindow, "confirm_external_sources", lambda self, external: True)
    win = main_window(faulty_delft, lang="en")
    qtbot.addWidget(win, before_close_func=lambda w: w.set_modified(False))
    try:
        qtbot.waitUntil(lambda: not win.is_loading(), timeout=30_000)
        details = win.message_bar.details.toPlainText().splitlines()
        assert len(details) == 3, details  # duplicate, repaired, without geometry
        assert any("1 invalid geometry repaired" in line for line in details)
        win.data_check.show()
        qtbot.waitUntil(lambda: win.data_check.check is not None)
        before = dock_texts(win)
        assert any(t.startswith("Add the BAG dwelling units") for t in before)
        # the scan from its dialog: its progress steps and the scan's messages (no 3D BAG, gebruiksdoel onbekend)
        dialog = win.open_scan_dialog()
        said = []
        dialog.runner.progressed.connect(lambda _fraction, text: said.append(text))
        dialog.runner.messaged.connect(said.append)
        with qtbot.waitSignal(win.scan_finished, timeout=60_000):
            dialog.run_button.click()
        said.append(dialog.status.text())
        dialog.close()
        assert "scan: adding storeys" in said and any(t.startswith("the buildings layer has no 3D BAG data") for t in said)
        panel = run_sensitivity(win, qtbot, draws=10)
        texts = before | dock_texts(win) | visible_texts(win) | reason_texts(win) | set(said)
        assert "use unknown (no dwelling units)" in texts
        assert any("1 building is unknown (an input is missing)" in t for t in panel.sentences.text().splitlines())
        assert "This scan ran on incomplete data" in win.results_panel.data_warning.text()
        assert marked(texts, DUTCH_MARKERS) == []
        # the same texts in Dutch after a language switch, without reading or computing anything again
        win.actions["lang_nl"].trigger()
        assert win.message_bar.summary.text().startswith("Meldingen bij het laden: gebouwen: ")
        assert any("1 ongeldige geometrie hersteld" in line for line in win.message_bar.details.toPlainText().splitlines())
        assert "Voeg de BAG-verblijfsobjecten toe" in win.data_check.panel.browser.toPlainText()
        assert "Deze scan liep op onvolledige gegevens" in win.results_panel.data_warning.text()
        assert "1 pand is onbekend (een gegeven ontbreekt)" in panel.sentences.text()
        assert panel.scan_combo.itemText(1) == "Optoppen" and panel.status.text() == "10 trekkingen, zaad 0"
        assert marked(dock_texts(win), ENGLISH_MARKERS) == []
        win.actions["lang_en"].trigger()
        assert marked(dock_texts(win), DUTCH_MARKERS) == [] and "1 building is unknown" in panel.sentences.text()
    finally:
        win.set_modified(False)
        win.close()
        i18n.set_language("nl")


def reason_texts(win) -> set[str]:
    """Every scan reason and source (``<scan>_reden``, ``<scan>_bron``) of the buildings' result as
    the attribute table and identify show it."""
    import pandas as pd

    from gisapp.attribute_table import format_value

    data = win.layer("gebouwen_potentie").data
    columns = [c for c in data.columns if str(c).endswith(("_reden", "_bron"))]
    return {format_value(value, column) for column in columns for value in pd.unique(data[column].astype(object).dropna())}


def test_scan_reasons_and_sources_in_english(english):
    from gisapp.gui_commands import run_default_scan

    run_default_scan(english)
    texts = reason_texts(english)
    assert "measured" in texts and any(t.startswith("estimated: ") for t in texts)
    assert marked(texts, DUTCH_MARKERS + ("gemeten", "geschat", "aangenomen", "uitgesloten")) == []


def test_informatieproduct_in_english(english, qtbot):
    """The title, the class, the conditions made from the rasters and the rasters' explanations are
    English; a water board's own condition text and the layers' themes are data."""
    from tests.gisapp.test_integration import _ja_mits_point

    tool = english.informatieproduct
    x, y = _ja_mits_point(english.project)
    english.actions["informatieproduct"].trigger()
    with qtbot.waitSignal(tool.product_ready, timeout=60_000):
        english.canvas.map_clicked.emit(x, y)
    panel = tool.panel
    assert panel.title_label.text().startswith("<b>Location x = ")
    assert panel.klasse_label.text() == "Water and soil: yes, provided that"
    made = [line for line in panel.mitsen_text().splitlines() if "[bron " not in line and "[source " not in line]
    assert made and all(line.startswith("provided that: ") for line in made)
    table = panel.rasters_table
    columns = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    cells = {table.item(r, columns.index(name)).text() for r in range(table.rowCount()) for name in ("Class", "Explanation")}
    assert "yes, provided that" in cells
    # the raster values with the English decimal point (nl 0,57), through the one number formatter
    values = [table.item(r, columns.index("Value")).text() for r in range(table.rowCount())]
    assert values and all(re.fullmatch(r"-?\d{1,3}(,\d{3})*\.\d\d", v) for v in values if v), values
    assert marked(set(made) | cells | {panel.title_label.text()}, DUTCH_MARKERS + ("overstromingsdiepte", "mits")) == []


def test_every_text_template_of_layers_and_scans_has_an_english_entry():
    """Each ``Translatable("…")`` written in ``layers/`` and ``scans/`` is a key of the English table
    (a template of placeholders and punctuation only is the same in every language)."""
    from gisapp.i18n import EN, _NO_WORDS

    root = Path(__file__).resolve().parents[2]
    found, missing = 0, []
    for package in ("layers", "scans"):
        for path in sorted((root / package).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Translatable" and node.args:
                    template = node.args[0]
                    if isinstance(template, ast.Constant) and isinstance(template.value, str):
                        found += 1
                        if template.value not in EN and not _NO_WORDS.match(template.value):
                            missing.append(f"{path.relative_to(root)}: {template.value!r}")
                    elif isinstance(template, ast.Name) and template.id.isupper():  # a module constant
                        found += 1
                        module = importlib.import_module(".".join(path.relative_to(root).with_suffix("").parts))
                        if getattr(module, template.id) not in EN:
                            missing.append(f"{path.relative_to(root)}: {template.id}")
                    elif path.name != "texts.py":  # (layers/texts.py builds the class itself)
                        missing.append(f"{path.relative_to(root)}:{node.lineno}: not a literal template")
    assert found > 100 and missing == [], missing


#: The modules whose errors a user meets loading a file or running with bad input: each of their
#: messages is a Translatable (so it has an English entry, see the test above).
ERROR_MODULES = ("layers/readers.py", "layers/crs.py", "layers/project.py", "layers/roles.py", "layers/geometry.py",
                 "layers/errors.py", "scans/inputs.py", "scans/params.py", "scans/scenarios.py",
                 # the data services and file formats of layers/sources, autosave, the locatiescan; the GUI
                 # modules that raise errors of their own for the status bar (in the interface language)
                 "layers/sources/*.py", "layers/sources/gemeente/*.py", "layers/autosave.py", "scans/locatiescan.py",
                 "gisapp/results_store.py", "gisapp/locaties_editor.py", "gisapp/basemap.py",
                 # the scans' rules and runs, the output files, the layer list and the expression language
                 "scans/constraints.py", "scans/pipeline.py", "scans/per_gebied.py", "scans/gegevens.py",
                 "scans/gevoeligheid.py", "scans/batch/*.py", "layers/io/*.py", "layers/layer.py", "layers/expression.py")
#: The errors of those modules (HttpError and TileError of the downloads included).
_ERROR_CLASSES = ("DataError", "ValueError", "HttpError", "TileError")


def test_errors_a_user_meets_are_translatable_texts():
    """No error raised or made in :data:`ERROR_MODULES` words its message as a plain string (an
    f-string or a literal): the English interface could only show it in Dutch."""
    root = Path(__file__).resolve().parents[2]
    modules = sorted({path for pattern in ERROR_MODULES for path in root.glob(pattern)})
    assert len(modules) > 30
    plain = []
    for module in modules:
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and node.args and getattr(node.func, "id", None) in _ERROR_CLASSES:
                message = node.args[0]
                if isinstance(message, ast.JoinedStr) or (isinstance(message, ast.Constant) and isinstance(message.value, str)):
                    plain.append(f"{module.relative_to(root)}:{node.lineno}")
    assert plain == [], plain


def test_language_switch_without_restart(scanned):
    from gisapp import i18n

    window = scanned
    assert window.actions["run_scan"].text() == "Potentiescan uitvoeren…"
    assert "Totaal" in window.results_panel.summary.text()
    window.actions["lang_en"].trigger()
    assert window.results_panel.summary.text().startswith("Total")
    model = window.layer_panel.model
    legend = [model.data(model.index(r, 0, model.index(0, 0))) for r in range(model.rowCount(model.index(0, 0)))]
    assert legend and marked(set(map(str, legend)), DUTCH_MARKERS) == [], legend
    assert i18n.language() == "en"
    assert window.actions["run_scan"].text() == "Run potential scan…"
    titles = [a.text() for a in window.menuBar().actions()]
    assert "&Map" in titles and "&Kaart" not in titles
    assert window.results_dock.windowTitle() == "Results" and window.layer_dock.windowTitle() == "Layers and legend"
    assert window.actions["pan"].toolTip().startswith("Drag the map")
    assert marked(visible_texts(window), ("kaart", "bestand", "openen", "opslaan", "toevoegen", "uitvoeren")) == []
    window.actions["lang_nl"].trigger()
    assert i18n.language() == "nl"
    assert window.actions["run_scan"].text() == "Potentiescan uitvoeren…"
    assert window.results_dock.windowTitle() == "Resultaten"


def test_qt_translations_are_loaded_for_dutch(qtbot):
    from PySide6.QtCore import QCoreApplication

    from gisapp.app import choose_language

    choose_language("nl")
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Annuleren"
    choose_language("en")
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"
    choose_language("nl")


def test_scan_parameters_have_english_labels():
    from gisapp.i18n import PARAM_EN
    from scans import locatiescan
    from scans.params import describe
    from scans.scenarios import PRESETS, SECTION_NAMES

    settings = PRESETS["standaard"]
    keys = {f"{name}.{info.name}" for name in SECTION_NAMES for info in describe(type(settings.section(name)))}
    keys |= {f"locatiescan.{info.name}" for info in describe(locatiescan.LocatiescanParams)}
    assert sorted(keys - set(PARAM_EN)) == []


def test_legends_and_chart_labels_in_english(english):
    from gisapp.gui_commands import run_default_scan
    from gisapp.legend import legend_icons, legend_unit
    from gisapp.results_panel import scan_columns

    result = run_default_scan(english)
    labels = []
    for name in ("gebouwen_potentie", "gebieden_potentie"):
        layer = english.layer(name)
        labels += [label for label, _icon in legend_icons(layer.style, layer.geometry_kind, legend_unit(layer))]
    assert labels and marked(set(labels), DUTCH_MARKERS) == [], labels
    axis = [label for _column, label in scan_columns(result.gebieden)]
    assert axis == ["Storeys", "Splitting", "Conversion", "Farmyards"]


def test_locatiescan_reasons_and_messages_in_english(english):
    editor = english.show_locaties_editor()
    result = editor.run_scan()
    assert result is not None and len(result)
    details = editor.dock.reasons_text()
    # the reason templates of scans/locatiescan.py; a water board's own condition text is data
    template_words = ("geplande", "betaalbaar", "voldoet", "zwaarste", "planstatus", "peiljaar", "punten", "rang")
    assert details and marked({details}, template_words) == [], details
    assert "Location scan:" in english.statusBar().currentMessage()
    tips = {editor.dock.table.item(r, c).toolTip() for r in range(editor.dock.table.rowCount())
            for c in range(editor.dock.table.columnCount()) if editor.dock.table.item(r, c) is not None}
    assert marked(tips - {""}, template_words) == []


def test_language_switch_rewords_chart_titles_axis_labels_and_the_scale_box(scanned):
    """After nl → en the charts' titles and axis labels and the scale box's digit grouping follow
    (they were made once, in the language of the moment: "Extra woningen per scan – All areas",
    "1:51.583" in the English window)."""
    from PySide6.QtWidgets import QApplication

    window = scanned
    window.canvas.zoom_to_scale(51_583)
    QApplication.processEvents()
    assert window.scale_box.currentText() == "1:51.583"
    window.actions["lang_en"].trigger()
    QApplication.processEvents()
    charts = window.results_panel
    assert charts.bar_chart.getPlotItem().titleLabel.text.startswith("Extra homes per scan")
    assert charts.bar_chart.getAxis("left").labelText == "extra homes"
    assert charts.histogram.getAxis("bottom").labelText == "construction year"
    assert charts.scenario_chart.getPlotItem().titleLabel.text == "Scenario comparison"
    # (the docks' widths follow the new texts, so the map and its scale may change a little)
    assert re.fullmatch(r"1:\d{1,3}(,\d{3})+", window.scale_box.currentText()), window.scale_box.currentText()
    assert not any("." in window.scale_box.itemText(i) for i in range(window.scale_box.count()))
    window.actions["lang_nl"].trigger()
    QApplication.processEvents()
    assert charts.bar_chart.getAxis("left").labelText == "extra woningen"
    assert re.fullmatch(r"1:\d{1,3}(\.\d{3})+", window.scale_box.currentText()), window.scale_box.currentText()


def test_the_text_tables_have_no_duplicate_keys():
    """A key written twice in a dict literal of gisapp/i18n.py silently keeps only the last English text."""
    import collections

    source = Path(__file__).resolve().parents[2] / "gisapp" / "i18n.py"
    duplicates = []
    for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Dict):
            keys = [key.value for key in node.keys if isinstance(key, ast.Constant)]
            duplicates += [(node.lineno, key) for key, count in collections.Counter(keys).items() if count > 1]
    assert duplicates == []
