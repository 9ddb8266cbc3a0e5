"""Project → "Nieuw project voor een gemeente…": fetch a gemeente from the public services.

The dialog drives :func:`layers.sources.gemeente.fetch_gemeente` (the same fetch as
``gisapp ophalen``) in a worker thread (:class:`gisapp.worker.TaskRunner`), so the window never
freezes:

* a search box over every gemeente of the chosen CBS year (a completer over the list read by
  :func:`layers.sources.gemeente.lijst.list_gemeenten` in another worker; from the cache once
  read), matching name or code anywhere ("Doesb", "GM0221"); a name or code typed without the
  list (offline, no network) is passed on as typed;
* the CBS Wijken en Buurten year (default ``[cbs] jaar`` of the settings file), the output folder
  (default ``~/BeterBenutten/<naam>``) and "alleen cache (offline)";
* a line per source with an icon and its state: wachten, bezig (n objecten), gedownload / uit
  cache / deels uit cache, bestand nodig; Annuleren stops at the next request or chunk
  (``feedback.is_cancelled()``), and nothing is written then; an error is its one line, never a
  traceback;
* when done, the sources without a public service, each with where to get a file and a
  "Bestand kiezen…" button: the file is read once (in the worker, to report a bad file at once)
  and added to the project file with that source's role; "Openen" opens the project in the main
  window, ready to scan.

The service settings come from ``$BB_BRONNEN`` (else the shipped file) and the download cache
from ``$BB_CACHE_DIR`` (else the user's cache folder), as for the CLI.
"""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QStringListModel, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QCompleter,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QStyle,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gisapp.i18n import error_text, tr, translated
from gisapp.worker import TaskRunner

#: Earliest CBS Wijken en Buurten year offered (PDOK publishes an OGC API per year).
FIRST_CBS_YEAR = 2015
#: "Delft (GM0503)", the form of an entry of the search list.
_LISTED = re.compile(r"^(?P<naam>.+?)\s*\((?P<code>GM\d{4})\)\s*$", re.IGNORECASE)
#: The progress lines of fetch_gemeente start with the source's label (longest first).
_PREFIXES = (("3D BAG", "bag3d"), ("BAG", "bag"), ("CBS", "cbs"), ("Rijksmonumenten", "monumenten"))
_COUNT = re.compile(r"(\d+) objecten")


def default_folder(naam: str) -> Path:
    """``~/BeterBenutten/<naam>`` (characters a folder name cannot hold replaced)."""
    clean = re.sub(r'[<>:"/\\|?*\x00-\x1f]+', "_", naam).strip(" ._") or "gemeente"
    return Path.home() / "BeterBenutten" / clean


def source_of(text: str) -> tuple[str, str, int | None] | None:
    """``(source key, stage, objects so far)`` of a progress line of ``fetch_gemeente``, or None.

    ``"BAG: panden: 120 objecten"`` → ``("bag", "panden", 120)``; ``"3D BAG…"`` → ``("bag3d", "", None)``.
    """
    text = text.strip().rstrip("…").strip()
    for prefix, key in _PREFIXES:
        if text == prefix or text.startswith(prefix + ":"):
            parts = [p.strip() for p in text[len(prefix):].lstrip(":").split(":") if p.strip()]
            count = None
            if parts and (match := _COUNT.fullmatch(parts[-1])):
                count = int(match.group(1))
                parts = parts[:-1]
            return key, ": ".join(parts), count
    return None


class _SourceFeedback:
    """The worker's feedback plus a (never throttled) ``deliver`` whenever a source's state changes."""

    def __init__(self, feedback) -> None:
        self._feedback = feedback
        self._last: tuple | None = None

    def progress(self, fraction: float, text: str = "") -> None:
        self._feedback.progress(fraction, text)
        state = source_of(text)
        if state is not None and state != self._last:
            self._last = state
            self._feedback.deliver((*state, text))

    def is_cancelled(self) -> bool:
        return self._feedback.is_cancelled()

    def message(self, text: str) -> None:
        self._feedback.message(text)


class GemeenteWizard(QDialog):
    """Search a gemeente, fetch it into a new project, add the missing files, open it.

    Signals
    -------
    open_requested(Path): "Openen" was pressed; the main window opens this project file.
    fetched(object): the fetch finished (its ``FetchResult``).
    file_added(str): a file was added to the project for this source key.
    """

    open_requested = Signal(object)
    fetched = Signal(object)
    file_added = Signal(str)

    def __init__(self, parent=None, *, bronnen=None, cache_dir=None) -> None:
        super().__init__(parent)
        from datetime import date

        from layers.sources.gemeente import load_bronnen

        self.setObjectName("gemeente_wizard")
        self.setWindowTitle(tr("Nieuw project voor een gemeente"))
        self.bronnen = bronnen
        self.cache_dir = cache_dir
        self.result = None  # FetchResult of the last fetch
        self._config: dict = {}
        self._list: list[tuple[str, str]] = []
        self._by_code: dict[str, str] = {}
        self._by_name: dict[str, str] = {}
        self._listed_for: tuple | None = None  # (jaar, offline) of the list in the search box
        self._listing: tuple | None = None  # (jaar, offline) of the last list read started
        self._folder_edited = False
        self._rows: dict[str, QTreeWidgetItem] = {}
        self._needs: dict[str, dict] = {}
        config_error = ""
        try:
            self._config = load_bronnen(bronnen)
        except Exception as exc:  # noqa: BLE001 - a DataError (one line) shown in the dialog
            config_error = error_text(exc)

        self.runner = TaskRunner(self)
        self.list_runner = TaskRunner(self)
        self.file_runner = TaskRunner(self)

        self.gemeente_edit = QLineEdit(self)
        self.gemeente_edit.setObjectName("gemeente_edit")
        self.gemeente_edit.setPlaceholderText(tr("naam of CBS-code, bijvoorbeeld Doesburg of GM0221"))
        self.list_model = QStringListModel(self)
        self.completer = QCompleter(self.list_model, self)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.completer.setMaxVisibleItems(12)
        self.gemeente_edit.setCompleter(self.completer)
        self.list_status = QLabel(self)
        self.list_status.setObjectName("list_status")
        self.list_status.setWordWrap(True)
        self.jaar_spin = QSpinBox(self)
        self.jaar_spin.setObjectName("jaar_spin")
        self.jaar_spin.setRange(FIRST_CBS_YEAR, date.today().year)
        self.jaar_spin.setValue(int((self._config.get("cbs") or {}).get("jaar", date.today().year - 1)))
        self.folder_edit = QLineEdit(self)
        self.folder_edit.setObjectName("folder_edit")
        self.folder_button = QPushButton(tr("Kiezen…"), self)
        self.offline_check = QCheckBox(tr("alleen cache (offline)"), self)
        self.offline_check.setObjectName("offline_check")
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_edit, 1)
        folder_row.addWidget(self.folder_button)
        form = QFormLayout()
        form.addRow(tr("Gemeente"), self.gemeente_edit)
        form.addRow("", self.list_status)
        form.addRow(tr("Jaar (CBS Wijken en Buurten)"), self.jaar_spin)
        form.addRow(tr("Map voor het project"), folder_row)
        form.addRow("", self.offline_check)

        self.sources_tree = QTreeWidget(self)
        self.sources_tree.setObjectName("sources_tree")
        self.sources_tree.setHeaderLabels([tr("Bron"), tr("Status")])
        self.sources_tree.setRootIsDecorated(False)
        self.sources_tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.sources_tree.header().setStretchLastSection(True)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 1000)
        self.progress.setValue(0)
        self.status = QLabel(self)
        self.status.setObjectName("status")
        self.status.setWordWrap(True)
        self.error_label = QLabel(self)
        self.error_label.setObjectName("error_label")
        self.error_label.setStyleSheet("color: #b00020;")
        self.error_label.setWordWrap(True)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.hide()
        self.notes_label = QLabel(self)
        self.notes_label.setObjectName("notes_label")
        self.notes_label.setWordWrap(True)
        self.notes_label.hide()

        self.needs_box = QGroupBox(tr("Bestand nodig: geen bruikbare openbare dienst"), self)
        self.needs_box.setObjectName("needs_box")
        self.needs_grid = QGridLayout()
        inner = QWidget()
        inner.setLayout(self.needs_grid)
        scroll = QScrollArea(self.needs_box)
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        box_layout = QVBoxLayout(self.needs_box)
        box_layout.addWidget(scroll)
        self.needs_box.hide()

        self.fetch_button = QPushButton(tr("Ophalen"), self)
        self.fetch_button.setObjectName("fetch_button")
        self.fetch_button.setDefault(True)
        self.cancel_button = QPushButton(tr("Annuleren"), self)
        self.cancel_button.setObjectName("cancel_button")
        self.cancel_button.setEnabled(False)
        self.open_button = QPushButton(tr("Openen"), self)
        self.open_button.setObjectName("open_button")
        self.open_button.setEnabled(False)
        self.close_button = QPushButton(tr("Sluiten"), self)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.fetch_button, self.cancel_button, self.open_button, self.close_button):
            button.setAutoDefault(False)
            buttons.addWidget(button)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.sources_tree, 3)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.error_label)
        layout.addWidget(self.notes_label)
        layout.addWidget(self.needs_box, 2)
        layout.addLayout(buttons)
        self.resize(860, 760)

        self._list_timer = QTimer(self)
        self._list_timer.setSingleShot(True)
        self._list_timer.setInterval(300)
        self._list_timer.timeout.connect(self.load_gemeenten)
        self.gemeente_edit.textEdited.connect(self._suggest_folder)
        self.completer.activated.connect(self._on_completed)
        self.folder_edit.textEdited.connect(self._on_folder_edited)
        self.folder_button.clicked.connect(self._browse_folder)
        self.jaar_spin.valueChanged.connect(lambda *_: self._list_timer.start())
        self.offline_check.toggled.connect(lambda *_: self._list_timer.start())
        self.fetch_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        self.open_button.clicked.connect(self.open_project)
        self.close_button.clicked.connect(self.close)
        self.runner.progressed.connect(self._on_progress)
        self.runner.messaged.connect(self._on_message)
        self.runner.delivered.connect(self._on_source_state)
        self.runner.finished.connect(self._on_finished)
        self.runner.failed.connect(self._on_failed)
        self.runner.cancelled.connect(self._on_cancelled)
        self.runner.done.connect(self._set_running_state)
        self.list_runner.finished.connect(self._on_list)
        self.list_runner.failed.connect(self._on_list_failed)
        self.list_runner.done.connect(self._on_list_done)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.stop)

        self._reset_rows()
        if config_error:
            self._show_error(config_error)
            self.fetch_button.setEnabled(False)
        else:
            self.load_gemeenten()

    # --- the gemeenten list ------------------------------------------------------------------
    def load_gemeenten(self) -> None:
        """Read the gemeenten of the chosen year for the search box (worker; from the cache once read)."""
        from layers.sources.gemeente.lijst import list_gemeenten

        wanted = (self.jaar_spin.value(), self.offline_check.isChecked())
        if not self._config or wanted == self._listed_for:
            return
        if self.list_runner.is_running():
            if wanted != self._listing:
                self.list_runner.cancel()  # _on_list_done starts again for the wanted year
            return
        jaar, offline = wanted
        bronnen, cache_dir = self._config, self.cache_dir
        self._listing = wanted
        self.list_status.setText(tr("Gemeenten van {jaar} laden…", jaar=jaar))
        self.list_runner.start(lambda feedback: list_gemeenten(jaar, offline=offline, feedback=feedback,
                                                               cache_dir=cache_dir, bronnen=bronnen))

    def _on_list(self, gemeenten: list) -> None:
        self._listed_for = self._listing
        self._list = list(gemeenten)
        self._by_code = {code.upper(): naam for code, naam in self._list}
        self._by_name = {naam.casefold(): code for code, naam in self._list}
        self.list_model.setStringList([f"{naam} ({code})" for code, naam in self._list])
        self.list_status.setText(tr("{n} gemeenten in CBS Wijken en Buurten {jaar}", n=len(self._list), jaar=self._listing[0]))

    def _on_list_failed(self, message: str, _details: str) -> None:
        self._listed_for = None  # tried again when the year or the offline choice changes
        self.list_model.setStringList([])
        self.list_status.setText(tr("Gemeentelijst niet beschikbaar ({error}); typ een naam of CBS-code.",
                                    error=_one_line(message)))

    def _on_list_done(self) -> None:
        if (self.jaar_spin.value(), self.offline_check.isChecked()) != self._listing:  # changed meanwhile
            QTimer.singleShot(0, self.load_gemeenten)

    def chosen(self) -> tuple[str, str]:
        """``(query for fetch_gemeente, naam for the folder)`` of what is in the search box."""
        from layers.sources.gemeente import gemeente_code

        text = self.gemeente_edit.text().strip()
        listed = _LISTED.match(text)
        if listed:
            return listed["code"].upper(), listed["naam"].strip()
        code = gemeente_code(text) if text else None
        if code is not None:
            return code, self._by_code.get(code, code)
        if text.casefold() in self._by_name:
            return self._by_name[text.casefold()], text
        return text, text

    def _on_completed(self, text: str) -> None:
        self.gemeente_edit.setText(text)
        self._suggest_folder()

    def _suggest_folder(self, *_args) -> None:
        if self._folder_edited:
            return
        _, naam = self.chosen()
        self.folder_edit.setText(str(default_folder(naam)) if naam else "")

    def _on_folder_edited(self, *_args) -> None:
        self._folder_edited = bool(self.folder_edit.text().strip())

    def _browse_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, tr("Map voor het project"), self.folder_edit.text())
        if folder:
            self.folder_edit.setText(folder)
            self._folder_edited = True

    # --- the fetch -----------------------------------------------------------------------------
    def start(self) -> bool:
        """Fetch the chosen gemeente in the worker; False (with the reason shown) when it cannot start."""
        from layers.sources.gemeente import fetch_gemeente

        if self.runner.is_running() or self.file_runner.is_running():
            return False
        query, _ = self.chosen()
        folder = self.folder_edit.text().strip()
        if not query:
            self._show_error(tr("Geef een gemeente op (naam of CBS-code)."))
            return False
        if not folder:
            self._show_error(tr("Kies een map voor het project."))
            return False
        existing = sorted(Path(folder).expanduser().glob("*.toml"))
        if existing and not self.confirm_overwrite(Path(folder), existing):
            return False
        jaar, offline = self.jaar_spin.value(), self.offline_check.isChecked()
        bronnen, cache_dir = self._config, self.cache_dir
        self.result = None
        self._reset_rows()
        self._clear_needs()
        self._show_error("")
        self.notes_label.clear()
        self.notes_label.hide()
        self.progress.setValue(0)
        self.status.setText(tr("Ophalen van {gemeente}…", gemeente=query))
        self.runner.start(lambda feedback: fetch_gemeente(
            query, Path(folder), jaar=jaar, offline=offline, feedback=_SourceFeedback(feedback),
            cache_dir=cache_dir, bronnen=bronnen,
        ))
        self._set_running_state()
        return True

    def confirm_overwrite(self, folder: Path, projects: list[Path]) -> bool:
        """Whether to fetch into a folder that already holds a project (a method so tests can answer it)."""
        answer = QMessageBox.question(
            self, tr("Nieuw project voor een gemeente"),
            tr("De map {folder} bevat al een project ({names}). Opnieuw ophalen overschrijft het project van deze "
               "gemeente, met de bestanden die u eraan toevoegde. Doorgaan?",
               folder=str(folder), names=", ".join(p.name for p in projects)),
        )
        return answer == QMessageBox.StandardButton.Yes

    def _show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.setVisible(bool(text))

    def cancel(self) -> None:
        """Stop the fetch at its next request or chunk; nothing is written."""
        if self.runner.is_running():
            self.runner.cancel()
            self.cancel_button.setEnabled(False)
            self.status.setText(tr("Afbreken…"))

    def stop(self) -> None:
        """Cancel every worker of the dialog and wait until its thread ended (closing, quitting)."""
        for runner in (self.runner, self.list_runner, self.file_runner):
            if runner.is_running():
                runner.cancel()
                runner.wait()

    def _set_running_state(self) -> None:
        running = self.runner.is_running()
        for widget in (self.gemeente_edit, self.jaar_spin, self.folder_edit, self.folder_button, self.offline_check,
                       self.fetch_button):
            widget.setEnabled(not running)
        self.cancel_button.setEnabled(running)
        self.open_button.setEnabled(not running and self.result is not None and not self.file_runner.is_running())

    def _on_progress(self, fraction: float, text: str) -> None:
        self.progress.setValue(int(round(fraction * 1000)))
        if text:
            self.status.setText(text)

    def _on_message(self, text: str) -> None:
        self.status.setText(text)

    def _on_source_state(self, state) -> None:
        key, stage, count, line = state
        self.status.setText(translated(line))  # the throttled progress line may have skipped it
        for other, item in self._rows.items():
            if other != key and item.data(0, Qt.ItemDataRole.UserRole) == "bezig":
                self._set_row(other, "klaar", tr("klaar"))
        if key not in self._rows:
            return
        detail = f"{tr(stage)}: " if stage else ""  # the stage of a progress line: "panden", "gemeente zoeken"
        text = tr("bezig ({detail}{n} objecten)", detail=detail, n=count) if count is not None else (
            f"{tr('bezig')} ({tr(stage)})" if stage else tr("bezig"))
        self._set_row(key, "bezig", text)

    def _on_finished(self, result) -> None:
        self.result = result
        for source in result.sources:
            if source.status == "bestand nodig":
                self._set_row(source.key, "bestand nodig", tr("bestand nodig"), source.titel)
            else:
                pages = tr("{d} pagina's gedownload, {c} uit cache", d=source.pages_downloaded, c=source.pages_cached)
                self._set_row(source.key, source.status,
                              f"{tr(source.status)} – {tr('{n} objecten', n=source.features)} ({pages})", source.titel)
        self.progress.setValue(1000)
        self.status.setText(tr("Klaar: {path}", path=str(result.project_path)))
        self.notes_label.setText("\n".join(f"{tr('let op')}: {translated(note)}" for note in result.notes))
        self.notes_label.setVisible(bool(result.notes))
        self._fill_needs(result.needs_file)
        self.fetched.emit(result)

    def _on_failed(self, message: str, _details: str) -> None:
        self._end_rows("fout", tr("fout"))
        self.status.setText(tr("Ophalen mislukt; er is niets geschreven."))
        self._show_error(_one_line(message))

    def _on_cancelled(self) -> None:
        self._end_rows("afgebroken", tr("afgebroken"))
        self.status.setText(tr("Afgebroken; er is niets geschreven."))

    # --- the source rows -------------------------------------------------------------------------
    def _reset_rows(self) -> None:
        from layers.sources.gemeente.bronnen import SERVICES

        self.sources_tree.clear()
        self._rows = {}
        for key in SERVICES:
            table = self._config.get(key) or {}
            self._add_row(key, str(table.get("titel", key)))
        for key, table in (self._config.get("bestanden") or {}).items():
            if isinstance(table, dict):
                self._add_row(key, str(table.get("titel", key)))

    def _add_row(self, key: str, titel: str) -> None:
        item = QTreeWidgetItem([titel, ""])
        item.setData(0, Qt.ItemDataRole.UserRole + 1, key)
        self.sources_tree.addTopLevelItem(item)
        self._rows[key] = item
        self._set_row(key, "wachten", tr("wachten"))

    def _set_row(self, key: str, state: str, text: str, titel: str | None = None) -> None:
        item = self._rows.get(key)
        if item is None:
            self._add_row(key, titel or key)
            item = self._rows[key]
        item.setData(0, Qt.ItemDataRole.UserRole, state)
        item.setText(1, text)
        item.setToolTip(1, text)
        item.setIcon(1, self.style().standardIcon(_ICONS.get(state, QStyle.StandardPixmap.SP_MediaPause)))

    def _end_rows(self, state: str, text: str) -> None:
        for key, item in self._rows.items():
            if item.data(0, Qt.ItemDataRole.UserRole) in ("bezig", "klaar"):
                self._set_row(key, state, text)

    def source_status(self, key: str) -> tuple[str, str]:
        """``(state, text)`` of a source's row (``wachten``, ``bezig``, ``gedownload``, …)."""
        item = self._rows[key]
        return item.data(0, Qt.ItemDataRole.UserRole), item.text(1)

    # --- files for the sources without a service ---------------------------------------------
    def _clear_needs(self) -> None:
        while self.needs_grid.count():
            widget = self.needs_grid.takeAt(0).widget()
            if widget is not None:
                widget.deleteLater()
        self._needs = {}
        self.needs_box.hide()

    def _fill_needs(self, sources: list) -> None:
        self._clear_needs()
        for row, source in enumerate(sources):
            title = QLabel(f"<b>{_escape(source.titel)}</b>")
            where = QLabel(f"{tr('Waar')}: {tr(source.waar)}")  # the shipped bronnen.toml's text has an English entry
            where.setWordWrap(True)
            where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            button = QPushButton(tr("Bestand kiezen…"))
            button.setObjectName(f"choose_{source.key}")
            button.setAutoDefault(False)
            button.clicked.connect(lambda _checked=False, key=source.key: self.choose_file(key))
            state = QLabel("")
            state.setWordWrap(True)
            self.needs_grid.addWidget(title, 3 * row, 0)
            self.needs_grid.addWidget(button, 3 * row, 1, Qt.AlignmentFlag.AlignRight)
            self.needs_grid.addWidget(where, 3 * row + 1, 0, 1, 2)
            self.needs_grid.addWidget(state, 3 * row + 2, 0, 1, 2)
            self._needs[source.key] = {"source": source, "button": button, "label": state, "where": where}
        self.needs_grid.setColumnStretch(0, 1)
        self.needs_box.setVisible(bool(sources))

    def needed(self) -> dict[str, dict]:
        """Per source key without a service: ``source`` (SourceResult), ``button``, ``label``, ``where``."""
        return dict(self._needs)

    def ask_file(self, source) -> str:
        """The file for ``source`` (a method so tests can answer it); "" when none was chosen."""
        from gisapp.add_layer_dialog import DATA_SUFFIXES

        patterns = " ".join(f"*{suffix}" for suffix in DATA_SUFFIXES)
        folder = str(self.result.project_path.parent) if self.result is not None else ""
        path, _ = QFileDialog.getOpenFileName(self, f"{tr('Bestand kiezen…')} {source.titel}", folder,
                                              f"{tr('Gegevensbestanden')} ({patterns})")
        return path

    def ask_layer(self, path: Path, names: list[str]) -> str | None:
        """Which layer of a file with several (a method so tests can answer it); None: cancelled."""
        name, ok = QInputDialog.getItem(self, tr("Laag kiezen"), tr("Laag in {file}", file=path.name), names, 0, False)
        return name if ok else None

    def choose_file(self, key: str) -> bool:
        """Ask a file (and its layer) for the source ``key`` and add it; False when none was chosen."""
        from gisapp.add_layer_dialog import list_file_layers

        entry = self._needs.get(key)
        if entry is None or self.file_runner.is_running():
            return False
        path = self.ask_file(entry["source"])
        if not path:
            return False
        path = Path(path)
        layer = None
        try:
            names = list_file_layers(path)
        except Exception:  # noqa: BLE001 - an unreadable file is reported by add_file's read
            names = []
        if len(names) > 1:
            layer = self.ask_layer(path, names)
            if layer is None:
                return False
        return self.add_file(key, path, layer)

    def add_file(self, key: str, path: str | Path, layer: str | None = None) -> bool:
        """Read ``path`` with the source's role (worker) and add it to the project file."""
        from layers.errors import DataError
        from layers.readers import read_layer
        from layers.roles import REFERENCE_ROLE, ROLES

        entry = self._needs.get(key)
        if entry is None or self.result is None or self.file_runner.is_running():
            return False
        source = entry["source"]
        role = source.rol if source.rol in ROLES else REFERENCE_ROLE
        path = Path(path)
        entry["label"].setStyleSheet("")
        entry["label"].setText(tr("{file} lezen…", file=path.name))
        entry["button"].setEnabled(False)
        project_path = self.result.project_path

        def work(_feedback):
            from layers.project import LayerSource, load_project

            read = read_layer(path, layer=layer, role=None if role == REFERENCE_ROLE else role, name=key)
            missing = list(getattr(getattr(read, "column_report", None), "missing_required", None) or [])
            if missing:  # no scan could use it: say so now rather than when the scan stops
                raise DataError(tr("de kolom {columns} ontbreekt voor de rol '{role}'; kies een bestand met die kolom",
                                   columns=", ".join(missing), role=role), path=path)
            project = load_project(project_path, load_data=False)
            stored = _project_relative(path, project_path.parent)
            project.sources[key] = LayerSource(key, stored, role, layer)
            project.save()
            return [message.text for message in getattr(read.report, "warnings", []) or []]

        def finished(warnings: list) -> None:
            lines = [tr("Toegevoegd aan het project: {file}", file=str(path))]
            lines += [f"{tr('let op')}: {translated(text)}" for text in warnings]
            entry["label"].setText("\n".join(lines))
            self._set_row(key, "toegevoegd", tr("toegevoegd: {file}", file=path.name))
            self.file_added.emit(key)

        def failed(message: str, _details: str) -> None:
            entry["label"].setStyleSheet("color: #b00020;")
            entry["label"].setText(_one_line(message))

        def done() -> None:
            entry["button"].setEnabled(True)
            for signal, slot in ((self.file_runner.finished, finished), (self.file_runner.failed, failed),
                                 (self.file_runner.done, done)):
                signal.disconnect(slot)
            self._set_running_state()

        self.file_runner.finished.connect(finished)
        self.file_runner.failed.connect(failed)
        self.file_runner.done.connect(done)
        self.file_runner.start(work)
        self._set_running_state()
        return True

    # --- open, close ----------------------------------------------------------------------------
    def open_project(self) -> None:
        """Hand the fetched project to the main window and close."""
        if self.result is None or self.runner.is_running() or self.file_runner.is_running():
            return
        self.open_requested.emit(Path(self.result.project_path))
        self.accept()

    def closeEvent(self, event) -> None:
        self.stop()
        super().closeEvent(event)

    def reject(self) -> None:
        self.stop()
        super().reject()


_ICONS = {
    "wachten": QStyle.StandardPixmap.SP_MediaPause,
    "bezig": QStyle.StandardPixmap.SP_BrowserReload,
    "klaar": QStyle.StandardPixmap.SP_DialogApplyButton,
    "gedownload": QStyle.StandardPixmap.SP_DialogApplyButton,
    "uit cache": QStyle.StandardPixmap.SP_DialogApplyButton,
    "deels uit cache": QStyle.StandardPixmap.SP_DialogApplyButton,
    "toegevoegd": QStyle.StandardPixmap.SP_DialogApplyButton,
    "bestand nodig": QStyle.StandardPixmap.SP_MessageBoxWarning,
    "afgebroken": QStyle.StandardPixmap.SP_DialogCancelButton,
    "fout": QStyle.StandardPixmap.SP_MessageBoxCritical,
}


def _one_line(message: str) -> str:
    lines = [line.strip() for line in str(message).splitlines() if line.strip()]
    return lines[0] if lines else str(message)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _project_relative(path: Path, folder: Path) -> str:
    """``path`` relative to the project folder when inside it (the project stays movable), else absolute."""
    resolved, base = path.resolve(), folder.resolve()
    return resolved.relative_to(base).as_posix() if resolved.is_relative_to(base) else str(resolved)


def open_gemeente_wizard(window) -> GemeenteWizard:
    """Show the wizard for ``window`` (one per window); "Openen" opens the project there."""
    dialog = window.findChild(GemeenteWizard)
    if dialog is None:
        dialog = GemeenteWizard(window)
        dialog.open_requested.connect(lambda path: window.maybe_save() and window.open_project(path, background=True))
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    return dialog
