"""Add a layer from a file, an OGC API Features service or a PostGIS database.

One dialog, three tabs (as QGIS's data source manager): **Bestand** (the layer inside the
file), **OGC API Features** (URL → list of collections → one collection, optionally only
the current map extent) and **PostGIS** (host, port, database, user, password → list of
tables → one table). The role is guessed from the columns and the geometry
(``layers.roles.guess_role``; for a file also from its name) and preselected; the user can
change it, and the name follows the role.

Everything that talks to a server (listing, peeking at the columns, loading) runs in the
worker thread (:class:`gisapp.worker.TaskRunner`) with a progress bar; loading can be
cancelled through the ``layers.feedback`` protocol. A file is read by the main window
(``file_chosen``); a remote layer is read here and handed over with ``layer_loaded``.

Passwords are never written to the project: the layer's source is the connection URI
without it (libpq then finds it in ``~/.pgpass`` or ``PGPASSWORD`` next time).
"""

from __future__ import annotations

import urllib.parse
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from gisapp.i18n import error_text, tr
from gisapp.worker import TaskRunner

RASTER_SUFFIXES = (".tif", ".tiff")
DATA_SUFFIXES = (".gpkg", ".geojson", ".json", ".shp", ".fgb", ".csv", ".tif", ".tiff", ".zip", ".xml", ".gml")
FILE, OGC, POSTGIS = "file", "ogcapi", "postgis"
DEFAULT_PG_PORT = 5432

_GEOMETRY_KINDS = {
    "Polygon": "polygon",
    "MultiPolygon": "polygon",
    "Point": "point",
    "MultiPoint": "point",
    "LineString": "line",
    "MultiLineString": "line",
}


def list_file_layers(path: str | Path) -> list[str]:
    """Layer names inside a vector file (one entry or none for single-layer formats)."""
    path = Path(path)
    if path.suffix.lower() in RASTER_SUFFIXES:
        return []
    try:
        import pyogrio

        names = [str(row[0]) for row in pyogrio.list_layers(path)]
    except Exception:  # noqa: BLE001 - an unreadable file is reported when it is really read
        return []
    return names if len(names) > 1 else []


def peek(path: str | Path, layer: str | None = None) -> tuple[list[str], str]:
    """Column names and geometry kind (``polygon``/``point``/``line``/``table``/``raster``) of a file."""
    path = Path(path)
    if path.suffix.lower() in RASTER_SUFFIXES:
        return [], "raster"
    try:
        import pyogrio

        info = pyogrio.read_info(path, layer=layer)
    except Exception:  # noqa: BLE001 - see list_file_layers
        return [], "table"
    return [str(f) for f in info.get("fields", [])], geometry_kind(info.get("geometry_type"))


def geometry_kind(geometry_type) -> str:
    """``polygon``/``point``/``line`` from a geometry type name (GDAL, PostGIS or shapely), else ``table``."""
    name = str(geometry_type or "").replace(" Z", "").replace(" M", "").replace("25D", "")
    by_upper = {key.upper(): kind for key, kind in _GEOMETRY_KINDS.items()}
    return _GEOMETRY_KINDS.get(name) or by_upper.get(name.upper().rstrip("ZM"), "table")


def guess_source_role(columns, kind: str, name: str) -> str | None:
    """The role of a layer: from its columns and geometry, else from its name."""
    from layers.readers import role_from_name
    from layers.roles import guess_role

    guessed = guess_role(list(columns), kind) if kind != "raster" else None
    return guessed or role_from_name(name, kind)


def guess_file_role(path: str | Path, layer: str | None = None) -> str | None:
    """The role a file most likely has: from its columns and geometry, else from its name."""
    columns, kind = peek(path, layer)
    return guess_source_role(columns, kind, layer or Path(path).stem)


def postgres_uri(host: str, port: int, dbname: str, user: str = "", password: str = "") -> str:
    """A ``postgresql://`` URI from connection fields (values percent-encoded)."""
    host = host.strip() or "localhost"
    if not dbname.strip():
        raise ValueError(tr("geef de naam van de database op"))
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"  # an IPv6 address
    auth = urllib.parse.quote(user.strip(), safe="")
    if password:
        auth += ":" + urllib.parse.quote(password, safe="")
    return f"postgresql://{auth + '@' if auth else ''}{host}:{int(port)}/{urllib.parse.quote(dbname.strip(), safe='')}"


# --- worker functions (no Qt; run in the worker thread) --------------------------------------
def _peek_collection(url: str, collection: str) -> tuple[list[str], str]:
    from layers.sources import ogcapi

    frame = ogcapi.read_collection(url, collection, limit=1, max_features=1, timeout=30)
    columns = [c for c in frame.columns if c != "geometry"]
    kind = geometry_kind(frame.geom_type.iloc[0]) if len(frame) else "table"
    return columns, kind


def _peek_table(dsn: str, name: str, geometry_column: str | None, geometry_type: str | None) -> tuple[list[str], str]:
    from layers.sources import postgis

    schema, table = postgis.split_name(name)
    frame = postgis.read_table(dsn, schema, table, geometry_column=geometry_column, limit=0)
    columns = [c for c in frame.columns if c != "geometry"]
    return columns, geometry_kind(geometry_type) if geometry_column else "table"


class AddLayerDialog(QDialog):
    """Choose a source, a layer in it, its role and name; remote layers are loaded here.

    Parameters
    ----------
    path : a data file (files dropped on the window): only the file tab is shown.
    existing_names : names already in the project (the suggested name avoids them).
    extent : the current map extent (xmin, ymin, xmax, ymax) in RD, for "only this extent".

    Signals
    -------
    file_chosen(dict): the file tab was confirmed; ``choices()`` (with ``path``).
    layer_loaded(layer, source): a remote layer was read (``layers.project.LayerSource``).
    collections_listed(list), tables_listed(list): the lists arrived from the server.
    role_guessed(object): the role guessed for the chosen source (None: no guess).
    load_failed(str), load_cancelled(): a server task ended without a result.
    """

    file_chosen = Signal(dict)
    layer_loaded = Signal(object, object)
    collections_listed = Signal(list)
    tables_listed = Signal(list)
    role_guessed = Signal(object)
    load_failed = Signal(str)
    load_cancelled = Signal()

    def __init__(self, path: str | Path | None = None, parent=None, existing_names: list[str] | None = None,
                 extent: tuple[float, float, float, float] | None = None) -> None:
        super().__init__(parent)
        from layers.roles import ROLES

        self.setWindowTitle(tr("Laag toevoegen"))
        self.setMinimumWidth(560)
        self.path = Path(path) if path is not None else None
        self._existing = set(existing_names or [])
        self.extent = extent
        self.runner = TaskRunner(self)
        self._pending = None
        self._on_success = None
        self._guesses: dict[str, str | None] = {}
        self.collections: dict[str, object] = {}
        self.tables: dict[str, object] = {}
        self.last_error: str | None = None
        self.loaded = None

        self.tabs = QTabWidget(self)
        self.tabs.addTab(self._file_tab(), tr("Bestand"))
        self.tabs.addTab(self._ogc_tab(), tr("OGC API Features"))
        self.tabs.addTab(self._postgis_tab(), tr("PostGIS"))
        self.role_combo = QComboBox(self)
        self.role_combo.addItem(tr("(geen rol)"), None)
        for name, schema in ROLES.items():
            label = getattr(schema, "label", "") or name
            self.role_combo.addItem(f"{name} – {label}" if label != name else name, name)
        self.name_edit = QLineEdit(self)
        self.guess_label = QLabel("", self)
        self.extent_check = QCheckBox(tr("Alleen de huidige kaartuitsnede laden"), self)
        self.extent_check.setEnabled(extent is not None)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 1000)
        self.progress.setValue(0)
        self.progress.setTextVisible(False)
        self.status = QLabel("", self)
        self.status.setWordWrap(True)
        self.stop_button = QPushButton(tr("Laden afbreken"), self)
        self.stop_button.setEnabled(False)
        self.stop_button.clicked.connect(self.cancel_task)

        common = QFormLayout()
        common.addRow("", self.extent_check)
        common.addRow(tr("Rol"), self.role_combo)
        common.addRow("", self.guess_label)
        common.addRow(tr("Naam"), self.name_edit)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.add_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.add_button.setText(tr("Toevoegen"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Annuleren"))
        self.buttons.accepted.connect(self.add)
        self.buttons.rejected.connect(self.reject)
        progress_row = QHBoxLayout()
        progress_row.addWidget(self.progress, 1)
        progress_row.addWidget(self.stop_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addLayout(common)
        layout.addLayout(progress_row)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)

        self.runner.progressed.connect(self._on_progress)
        self.runner.finished.connect(self._on_finished)
        self.runner.failed.connect(self._on_failed)
        self.runner.cancelled.connect(self._on_cancelled)
        self.runner.done.connect(self._on_done)
        self.tabs.currentChanged.connect(self._on_tab_changed)
        self.role_combo.currentIndexChanged.connect(self._suggest_name)
        if self.path is not None:
            self.path_edit.setText(str(self.path))
            self.tabs.setTabVisible(1, False)
            self.tabs.setTabVisible(2, False)
            self._file_changed()
        self._on_tab_changed()

    # --- tabs -------------------------------------------------------------------------------
    def _file_tab(self) -> QWidget:
        tab = QWidget(self)
        self.path_edit = QLineEdit(tab)
        self.browse_button = QPushButton(tr("Bladeren…"), tab)
        self.browse_button.clicked.connect(self._browse)
        self.path_edit.editingFinished.connect(self._file_changed)
        self.layer_combo = QComboBox(tab)
        self.layer_combo.currentIndexChanged.connect(self._guess_file)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.browse_button)
        form = QFormLayout(tab)
        form.addRow(tr("Bestand"), row)
        form.addRow(tr("Laag in bestand"), self.layer_combo)
        return tab

    def _ogc_tab(self) -> QWidget:
        tab = QWidget(self)
        self.url_edit = QLineEdit(tab)
        self.url_edit.setPlaceholderText("https://api.pdok.nl/cbs/wijken-en-buurten-2023/ogc/v1")
        self.list_collections_button = QPushButton(tr("Collecties ophalen"), tab)
        self.list_collections_button.clicked.connect(self.list_collections)
        self.collection_combo = QComboBox(tab)
        self.collection_combo.currentIndexChanged.connect(self._peek_collection)
        self.collection_info = QLabel("", tab)
        self.collection_info.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.url_edit, 1)
        row.addWidget(self.list_collections_button)
        form = QFormLayout(tab)
        form.addRow(tr("Adres (URL)"), row)
        form.addRow(tr("Collectie"), self.collection_combo)
        form.addRow("", self.collection_info)
        return tab

    def _postgis_tab(self) -> QWidget:
        tab = QWidget(self)
        self.host_edit = QLineEdit("localhost", tab)
        self.port_spin = QSpinBox(tab)
        self.port_spin.setRange(1, 65535)
        self.port_spin.setValue(DEFAULT_PG_PORT)
        self.db_edit = QLineEdit(tab)
        self.user_edit = QLineEdit(tab)
        self.password_edit = QLineEdit(tab)
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.list_tables_button = QPushButton(tr("Tabellen ophalen"), tab)
        self.list_tables_button.clicked.connect(self.list_tables)
        self.table_combo = QComboBox(tab)
        self.table_combo.currentIndexChanged.connect(self._peek_table)
        note = QLabel(tr("Het wachtwoord wordt niet in het project opgeslagen\n(gebruik ~/.pgpass of PGPASSWORD)."), tab)
        form = QFormLayout(tab)
        form.addRow(tr("Server"), self.host_edit)
        form.addRow(tr("Poort"), self.port_spin)
        form.addRow(tr("Database"), self.db_edit)
        form.addRow(tr("Gebruiker"), self.user_edit)
        form.addRow(tr("Wachtwoord"), self.password_edit)
        form.addRow("", note)
        form.addRow("", self.list_tables_button)
        form.addRow(tr("Tabel"), self.table_combo)
        return tab

    def source_kind(self) -> str:
        """The chosen source: ``"file"``, ``"ogcapi"`` or ``"postgis"``."""
        return (FILE, OGC, POSTGIS)[self.tabs.currentIndex()]

    def set_source_kind(self, kind: str) -> None:
        self.tabs.setCurrentIndex((FILE, OGC, POSTGIS).index(kind))

    def update_context(self, existing_names: list[str], extent) -> None:
        """New project names and map extent when the dialog is shown again."""
        self._existing = set(existing_names)
        self.extent = extent
        self.extent_check.setEnabled(extent is not None)
        self._suggest_name()

    def _on_tab_changed(self, *_args) -> None:
        self.extent_check.setVisible(self.source_kind() != FILE)
        self._set_role(self._guesses.get(self.source_kind()), self._guesses.get(self.source_kind()) is not None)

    # --- file -------------------------------------------------------------------------------
    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, tr("Laag toevoegen…"), str(self.path.parent) if self.path else "",
            tr("Databestanden (*.gpkg *.geojson *.json *.shp *.fgb *.csv *.tif *.tiff);;Alle bestanden (*)"),
        )
        if path:
            self.path_edit.setText(path)
            self._file_changed()

    def _file_changed(self) -> None:
        text = self.path_edit.text().strip()
        self.path = Path(text) if text else None
        self.layer_combo.blockSignals(True)
        self.layer_combo.clear()
        for name in list_file_layers(self.path) if self.path else []:
            self.layer_combo.addItem(name, name)
        self.layer_combo.blockSignals(False)
        self.layer_combo.setEnabled(self.layer_combo.count() > 0)
        self._guess_file()

    def _guess_file(self, *_args) -> None:
        role = guess_file_role(self.path, self.layer_combo.currentData()) if self.path else None
        self._guesses[FILE] = role
        if self.source_kind() == FILE:
            self._set_role(role, self.path is not None)

    # --- OGC API ------------------------------------------------------------------------------
    def list_collections(self) -> bool:
        """Ask the server at the URL for its collections (worker thread)."""
        from layers.sources import ogcapi

        url = self.url_edit.text().strip()
        try:
            ogcapi.split_url(url)
        except ValueError as exc:
            self._show_error(error_text(exc))
            return False
        return self._run(tr("Collecties ophalen"), lambda feedback: ogcapi.list_collections(url), self._fill_collections)

    def _fill_collections(self, collections: list) -> None:
        from layers.sources import ogcapi

        _base, wanted = ogcapi.split_url(self.url_edit.text())
        self.collections = {c.id: c for c in collections}
        self.collection_combo.blockSignals(True)
        self.collection_combo.clear()
        for collection in collections:
            self.collection_combo.addItem(f"{collection.title} ({collection.id})", collection.id)
        index = self.collection_combo.findData(wanted) if wanted else 0
        self.collection_combo.setCurrentIndex(max(index, 0))
        self.collection_combo.blockSignals(False)
        self.status.setText(tr("{n} collecties gevonden.", n=len(collections)))
        self.collections_listed.emit(list(collections))
        self._peek_collection()

    def _peek_collection(self, *_args) -> None:
        collection = self.collection_combo.currentData()
        if collection is None:
            return
        info = self.collections.get(collection)
        self.collection_info.setText(getattr(info, "description", "") or "")
        url = self.url_edit.text().strip()
        self._run(tr("Kolommen bekijken"), lambda feedback: _peek_collection(url, collection),
                  lambda peeked: self._guessed(OGC, peeked, collection), queue=True)

    # --- PostGIS ------------------------------------------------------------------------------
    def dsn(self, *, with_password: bool = True) -> str:
        """The connection URI of the PostGIS fields (without the password for the project file)."""
        return postgres_uri(self.host_edit.text(), self.port_spin.value(), self.db_edit.text(), self.user_edit.text(),
                            self.password_edit.text() if with_password else "")

    def list_tables(self) -> bool:
        """Ask the database for its tables (worker thread)."""
        from layers.sources import postgis

        try:
            dsn = self.dsn()
        except ValueError as exc:
            self._show_error(error_text(exc))
            return False
        return self._run(tr("Tabellen ophalen"), lambda feedback: postgis.list_tables(dsn), self._fill_tables)

    def _fill_tables(self, tables: list) -> None:
        names = [t.name for t in tables]
        self.tables = {}
        self.table_combo.blockSignals(True)
        self.table_combo.clear()
        for table in tables:
            several = names.count(table.name) > 1
            label = f"{table.name} ({table.geometry_column})" if several else table.name
            if table.geometry_column is None:
                label += f" – {tr('tabel zonder geometrie')}"
            key = f"{table.name}|{table.geometry_column or ''}"
            self.tables[key] = table
            self.table_combo.addItem(label, key)
        self.table_combo.blockSignals(False)
        self.status.setText(tr("{n} tabellen gevonden.", n=len(tables)))
        self.tables_listed.emit(list(tables))
        self._peek_table()

    def _table(self):
        return self.tables.get(self.table_combo.currentData())

    def _peek_table(self, *_args) -> None:
        table = self._table()
        if table is None:
            return
        try:
            dsn = self.dsn()
        except ValueError as exc:
            self._show_error(error_text(exc))
            return
        self._run(tr("Kolommen bekijken"),
                  lambda feedback: _peek_table(dsn, table.name, table.geometry_column, table.geometry_type),
                  lambda peeked: self._guessed(POSTGIS, peeked, table.table), queue=True)

    # --- role and name ------------------------------------------------------------------------
    def _guessed(self, kind: str, peeked: tuple[list[str], str], name: str) -> None:
        columns, geometry = peeked
        role = guess_source_role(columns, geometry, name)
        self._guesses[kind] = role
        if self.source_kind() == kind:
            self._set_role(role, True)
        self.role_guessed.emit(role)

    def _set_role(self, role: str | None, known: bool) -> None:
        index = self.role_combo.findData(role)
        self.role_combo.setCurrentIndex(max(index, 0))
        self.guess_label.setText(f"({tr('geraden')}: {role})" if role else (f"({tr('geen rol geraden')})" if known else ""))
        self._suggest_name()

    def _source_name(self) -> str:
        kind = self.source_kind()
        if kind == OGC:
            return self.collection_combo.currentData() or "ogcapi"
        if kind == POSTGIS:
            table = self._table()
            return table.table if table is not None else "postgis"
        return self.layer_combo.currentData() or (self.path.stem if self.path else "laag")

    def _suggest_name(self, *_args) -> None:
        base = self.role_combo.currentData() or self._source_name()
        name, n = base, 2
        while name in self._existing:
            name, n = f"{base}_{n}", n + 1
        self.name_edit.setText(name)

    def choices(self) -> dict:
        """File tab: ``{"path": Path, "layer": str | None, "role": str | None, "name": str}``."""
        stem = self.path.stem if self.path else "laag"
        return {
            "path": self.path,
            "layer": self.layer_combo.currentData(),
            "role": self.role_combo.currentData(),
            "name": self.name_edit.text().strip() or stem,
        }

    # --- adding -------------------------------------------------------------------------------
    def add(self) -> bool:
        """The "Toevoegen" button: a file is handed to the window; a remote layer is loaded first."""
        kind = self.source_kind()
        if kind == FILE:
            if self.path is None or not self.path.exists():
                self._show_error(tr("Kies een bestand dat bestaat."))
                return False
            self.file_chosen.emit(self.choices())
            self.accept()
            return True
        return self.load_ogcapi() if kind == OGC else self.load_postgis()

    def _bbox(self) -> list[float] | None:
        if not self.extent_check.isChecked() or self.extent is None:
            return None
        return [round(float(v), 3) for v in self.extent]

    def load_ogcapi(self) -> bool:
        """Download the chosen collection in the worker thread (cancellable between pages)."""
        from layers.project import LayerSource
        from layers.readers import read_layer
        from layers.sources import ogcapi

        collection = self.collection_combo.currentData()
        if collection is None:
            self._show_error(tr("Haal eerst de collecties op en kies er een."))
            return False
        base, _ = ogcapi.split_url(self.url_edit.text())
        role, name, bbox = self.role_combo.currentData(), self.name_edit.text().strip() or collection, self._bbox()
        options = {"bbox": bbox} if bbox else {}
        source = LayerSource(key=name, path=base, role=role or name, layer=collection, options=dict(options))

        def load(feedback):
            return read_layer(base, layer=collection, role=role, name=name, options={**options, "feedback": feedback})

        return self._run(tr("Laag laden"), load, lambda layer: self._loaded(layer, source), cancellable=True)

    def load_postgis(self) -> bool:
        """Read the chosen table in the worker thread."""
        from layers.project import LayerSource
        from layers.readers import read_layer

        table = self._table()
        if table is None:
            self._show_error(tr("Haal eerst de tabellen op en kies er een."))
            return False
        dsn, stored = self.dsn(), self.dsn(with_password=False)
        role, name, bbox = self.role_combo.currentData(), self.name_edit.text().strip() or table.table, self._bbox()
        several = sum(t.name == table.name for t in self.tables.values()) > 1
        options = {}
        if several:
            options["geometry_column"] = table.geometry_column
        if bbox and table.geometry_column:
            options["bbox"] = bbox
        source = LayerSource(key=name, path=stored, role=role or name, layer=table.name, options=dict(options))

        def load(feedback):
            return read_layer(dsn, layer=table.name, role=role, name=name, options=options)

        return self._run(tr("Laag laden"), load, lambda layer: self._loaded(layer, source), cancellable=True)

    def _loaded(self, layer, source) -> None:
        from layers.roles import REFERENCE_ROLE

        source.role = layer.role or REFERENCE_ROLE  # no role: a reference layer, read by no scan
        self.loaded = (layer, source)
        data = getattr(layer, "data", None)
        n = 0 if data is None else len(data)
        self.status.setText(tr("{n} objecten geladen.", n=n))
        self.layer_loaded.emit(layer, source)
        self.accept()

    # --- the worker ---------------------------------------------------------------------------
    def is_running(self) -> bool:
        return self.runner.is_running()

    def _run(self, title: str, function, on_success, *, cancellable: bool = False, queue: bool = False) -> bool:
        if self.runner.is_running():
            if queue:  # a newer peek replaces an older waiting one
                self._pending = (title, function, on_success)
                return True
            self.status.setText(tr("Even geduld: er loopt nog een taak."))
            return False
        self._on_success = on_success
        self.last_error = None
        self.status.setStyleSheet("")
        self.status.setText(f"{title}…")
        self.progress.setRange(0, 0)
        self.stop_button.setEnabled(cancellable)
        for widget in (self.add_button, self.list_collections_button, self.list_tables_button):
            widget.setEnabled(False)
        self.runner.start(function)
        return True

    def cancel_task(self) -> None:
        """Stop loading (between pages for OGC API; the result of a running query is dropped)."""
        self.runner.cancel()
        self.stop_button.setEnabled(False)

    def _on_progress(self, fraction: float, text: str) -> None:
        self.progress.setRange(0, 1000)
        self.progress.setValue(int(round(fraction * 1000)))
        if text:
            self.status.setText(text)

    def _on_finished(self, value) -> None:
        callback, self._on_success = self._on_success, None
        self.progress.setRange(0, 1000)
        self.progress.setValue(1000)
        if callback is not None:
            callback(value)

    def _on_failed(self, message: str, _details: str) -> None:
        self._pending = None
        self._show_error(message)
        self.load_failed.emit(message)

    def _on_cancelled(self) -> None:
        self._pending = None
        self.progress.setRange(0, 1000)
        self.progress.setValue(0)
        self.status.setText(tr("Laden afgebroken."))
        self.load_cancelled.emit()

    def _on_done(self) -> None:
        self.stop_button.setEnabled(False)
        for widget in (self.add_button, self.list_collections_button, self.list_tables_button):
            widget.setEnabled(True)
        pending, self._pending = self._pending, None
        if pending is not None:
            title, function, on_success = pending
            self._run(title, function, on_success)

    def _show_error(self, text: str) -> None:
        self.last_error = str(text)
        self.progress.setRange(0, 1000)
        self.progress.setValue(0)
        self.status.setStyleSheet("color: #b00020;")
        self.status.setText(str(text))

    def reject(self) -> None:
        # Closing the dialog never leaves a download running in the background.
        if self.runner.is_running():
            self._pending = None
            self.runner.cancel()
        super().reject()
