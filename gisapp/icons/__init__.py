"""Toolbar icons and the tooltips that say what a tool does.

Map tools have small SVG icons shipped beside this module; file actions use Qt's standard
icons (``QStyle.StandardPixmap``). :func:`decorate_actions` gives every known action of the
window its icon and a tooltip that explains the tool instead of repeating its text; it is run
again after a language switch (the tooltips go through :func:`gisapp.i18n.tr`).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QStyle, QWidget

from gisapp.i18n import tr

ICON_DIR = Path(__file__).resolve().parent

#: action key -> SVG file name (without .svg) in this folder
SVG_ICONS = {
    "pan": "pan",
    "zoom_box": "zoom_box",
    "zoom_in": "zoom_in",
    "zoom_out": "zoom_out",
    "zoom_full": "zoom_full",
    "zoom_selection": "zoom_selection",
    "identify": "identify",
    "select": "select",
    "measure_distance": "measure",
    "informatieproduct": "informatieproduct",
    "add_layer": "add_layer",
    "attribute_table": "attribute_table",
    "run_scan": "run_scan",
    "help": "help",
}

#: action key -> Qt standard icon
STANDARD_ICONS = {
    "new": QStyle.StandardPixmap.SP_FileIcon,
    "open": QStyle.StandardPixmap.SP_DialogOpenButton,
    "save": QStyle.StandardPixmap.SP_DialogSaveButton,
    "extent_back": QStyle.StandardPixmap.SP_ArrowBack,
    "extent_forward": QStyle.StandardPixmap.SP_ArrowForward,
    "clear_selection": QStyle.StandardPixmap.SP_DialogResetButton,
}

#: action key -> what the tool does (Dutch source text; English in gisapp.i18n)
TOOLTIPS = {
    "open": "Een projectbestand (.toml) openen",
    "save": "Het project met lagen, stijlen en scenario's opslaan",
    "pan": "Sleep de kaart om het kaartbeeld te verplaatsen",
    "zoom_box": "Trek een rechthoek om daarop in te zoomen",
    "zoom_in": "Eén stap dichterbij, rond het midden van de kaart",
    "zoom_out": "Eén stap verder weg, rond het midden van de kaart",
    "zoom_full": "Het hele project in beeld",
    "zoom_selection": "In beeld brengen wat nu geselecteerd is",
    "extent_back": "Terug naar het vorige kaartbeeld",
    "extent_forward": "Weer naar het volgende kaartbeeld",
    "identify": "Klik op een object om alle gegevens en de uitkomst per scan te zien",
    "select": "Klik of trek een rechthoek om objecten van de huidige laag te selecteren",
    "measure_distance": "Klik punten op de kaart om afstanden te meten",
    "informatieproduct": "Klik op de kaart voor het informatieproduct water en bodem op die plek",
    "add_layer": "Gegevens toevoegen uit een bestand, een OGC API of PostGIS",
    "attribute_table": "De tabel met alle objecten en kolommen van de huidige laag",
    "run_scan": "Bereken per pand hoeveel woningen erbij kunnen, per scan en per gebied",
    "help": "De handleiding: hoe u een scan, locatiescan, informatieproduct of export maakt",
}


def icon(name: str) -> QIcon:
    """The shipped SVG icon ``name`` (a QIcon; empty when the file is missing)."""
    path = ICON_DIR / f"{name}.svg"
    return QIcon(str(path)) if path.exists() else QIcon()


def decorate_actions(actions: dict, style_source: QWidget) -> None:
    """Set the icon and the explaining tooltip of every known action in ``actions`` (key -> QAction)."""
    style = style_source.style()
    for key, action in actions.items():
        if key in SVG_ICONS and action.icon().isNull():
            action.setIcon(icon(SVG_ICONS[key]))
        elif key in STANDARD_ICONS and action.icon().isNull():
            action.setIcon(style.standardIcon(STANDARD_ICONS[key]))
        if key in TOOLTIPS:
            shortcut = action.shortcut().toString()
            tip = tr(TOOLTIPS[key])
            action.setToolTip(f"{tip} ({shortcut})" if shortcut else tip)
