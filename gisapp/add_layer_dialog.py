"""Add a data file as a layer: choose the layer inside the file, the role and the name.

The role is guessed from the columns and the geometry (``layers.roles.guess_role``) and
preselected; the user confirms or picks another. Used for "Laag toevoegen…" and for
files dropped onto the main window.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout

from gisapp.i18n import tr

RASTER_SUFFIXES = (".tif", ".tiff")
DATA_SUFFIXES = (".gpkg", ".geojson", ".json", ".shp", ".fgb", ".csv", ".tif", ".tiff", ".zip", ".xml", ".gml")

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
    geometry = str(info.get("geometry_type") or "").replace(" Z", "").replace(" M", "")
    return [str(f) for f in info.get("fields", [])], _GEOMETRY_KINDS.get(geometry, "table")


def guess_file_role(path: str | Path, layer: str | None = None) -> str | None:
    """The role a file most likely has: from its columns and geometry, else from its name."""
    from layers.readers import role_from_name
    from layers.roles import guess_role

    columns, kind = peek(path, layer)
    guessed = guess_role(columns, kind) if kind != "raster" else None
    return guessed or role_from_name(layer or Path(path).stem, kind)


class AddLayerDialog(QDialog):
    """Ask layer, role and name for a data file; ``choices()`` gives them after ``exec()``."""

    def __init__(self, path: str | Path, parent=None, existing_names: list[str] | None = None) -> None:
        super().__init__(parent)
        from layers.roles import ROLES

        self.setWindowTitle(tr("Laag toevoegen"))
        self.path = Path(path)
        self._existing = set(existing_names or [])
        self.layer_combo = QComboBox(self)
        for name in list_file_layers(self.path):
            self.layer_combo.addItem(name, name)
        self.role_combo = QComboBox(self)
        self.role_combo.addItem(tr("(geen rol)"), None)
        for name, schema in ROLES.items():
            label = getattr(schema, "label", "") or name
            self.role_combo.addItem(f"{name} – {label}" if label != name else name, name)
        self.name_edit = QLineEdit(self)
        self.guess_label = QLabel("", self)
        form = QFormLayout()
        form.addRow(tr("Bestand"), QLabel(str(self.path), self))
        if self.layer_combo.count():
            form.addRow(tr("Laag in bestand"), self.layer_combo)
        form.addRow(tr("Rol"), self.role_combo)
        form.addRow("", self.guess_label)
        form.addRow(tr("Naam"), self.name_edit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Annuleren"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.layer_combo.currentIndexChanged.connect(self._guess)
        self.role_combo.currentIndexChanged.connect(self._suggest_name)
        self._guess()

    def _guess(self, *_args) -> None:
        role = guess_file_role(self.path, self.layer_combo.currentData())
        index = self.role_combo.findData(role)
        self.role_combo.setCurrentIndex(max(index, 0))
        self.guess_label.setText(f"({tr('geraden')}: {role})" if role else "")
        self._suggest_name()

    def _suggest_name(self, *_args) -> None:
        base = self.role_combo.currentData() or self.layer_combo.currentData() or self.path.stem
        name, n = base, 2
        while name in self._existing:
            name, n = f"{base}_{n}", n + 1
        self.name_edit.setText(name)

    def choices(self) -> dict:
        """``{"layer": str | None, "role": str | None, "name": str}``."""
        return {
            "layer": self.layer_combo.currentData(),
            "role": self.role_combo.currentData(),
            "name": self.name_edit.text().strip() or self.path.stem,
        }
