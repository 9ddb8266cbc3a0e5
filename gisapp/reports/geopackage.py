"""GeoPackage results that open styled in QGIS.

QGIS keeps layer styles in a GeoPackage in the ``layer_styles`` attributes table (one row per
layer and style name, the QML text in ``styleQML``, ``useAsDefault`` = 1 for the style it applies on
opening). The table and the result layers are written by :mod:`layers.io.geopackage` (GDAL through
pyogrio, SQLite through ``sqlite3``); this module turns our styles into QML for it. The result
layers, ``scenario_parameters`` and ``complexen`` come from the scan engine's own writer
(``scans.pipeline.write_result``); we add the ``totalen`` table beside them.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

import styles
from gisapp.i18n import tr
from layers.feedback import Feedback, Part, ensure
from layers.feedback import check as stop_if_cancelled
from layers.io import geopackage
from layers.io.geopackage import read_layer_styles
from scans import locatiescan
from scans.pipeline import write_result
from styles import Graduated
from styles.graduated import classes_from_edges

from .common import data_check, record_sources, scenario_name, summary, to_plain

GEBOUWEN_LAYER = "gebouwen_potentie"
GEBIEDEN_LAYER = "gebieden_potentie"
PARAMETERS_TABLE = "scenario_parameters"
TOTALS_TABLE = "totalen"
COMPLEXEN_TABLE = "complexen"
STYLE_NAME = "Beter Benutten"

__all__ = ["add_layer_styles", "locaties_style", "read_layer_styles", "result_styles", "write_attributes_table",
           "write_locaties_with_style", "write_result_with_styles", "write_styled_result"]

#: The locatiescan's score (0-100) in five equal classes, as the window maps it.
SCORE_EDGES = (0, 20, 40, 60, 80, 100)
SCORE_RAMP = "YlGnBu"


def result_styles(result) -> dict:
    """Layer name → default style of a scan result's layers (``gebouwen_potentie``, and
    ``gebieden_potentie`` when aggregated); the classes come from the result's values.

    The tiled scan streams the panden to the file and keeps none (``result.gebouwen`` is empty):
    their classes then come from the run's sample of rows (``result.sample``), and the style has
    the class "onbekend (gegevens ontbreken)" when its totals count onbekend panden for any scan
    (``styles.unknown``)."""
    gebouwen = result.gebouwen
    sample = getattr(result, "sample", None)
    if len(gebouwen) == 0 and sample is not None and len(sample):
        gebouwen = sample
    style = styles.default_style(GEBOUWEN_LAYER, gebouwen)
    if len(result.gebouwen) == 0 and _counts_unknown(getattr(result, "totals", None) or {}):
        style = styles.with_unknown(style, gebouwen, present=True)
    layer_styles = {GEBOUWEN_LAYER: style}
    if getattr(result, "gebieden", None) is not None:
        layer_styles[GEBIEDEN_LAYER] = styles.default_style(GEBIEDEN_LAYER, result.gebieden)
    return layer_styles


def locaties_style() -> Graduated:
    """The style of ``locaties_scan``: a graduated map of the score in fixed classes (:data:`SCORE_EDGES`),
    so the maps of projects and scenarios compare; a class no location reaches stays in the legend,
    greyed in the app and the PDF (``gisapp.legend``, ``gisapp.reports.maps``)."""
    return Graduated("score", "equal_interval", classes_from_edges(SCORE_EDGES, SCORE_RAMP, integer=True), SCORE_RAMP)


def write_locaties_with_style(result, path: str | Path) -> Path:
    """The ranked locations (:func:`scans.locatiescan.ranked`) plus ``layer_styles``
    (:func:`locaties_style`), in one temporary file moved into place when complete
    (``gisapp locatiescan --out``)."""
    with geopackage.replacing(path) as tmp:
        geopackage.write_frame(locatiescan.ranked(result), tmp, locatiescan.LAYER_NAME)
        add_layer_styles(tmp, {locatiescan.LAYER_NAME: locaties_style()})
    return Path(path)


def write_result_with_styles(result, path: str | Path) -> Path:
    """``scans.pipeline.write_result`` plus ``layer_styles`` (the layers open styled in QGIS), in
    one temporary file moved into place when complete (``gisapp scan --out``)."""
    with geopackage.replacing(path) as tmp:
        write_result(result, tmp)
        add_layer_styles(tmp, result_styles(result))
    return Path(path)


def write_styled_result(result, path: str | Path, *, style_overrides: dict | None = None, gegevens=None,
                        feedback: Feedback | None = None) -> Path:
    """Write a scan result as a GeoPackage with our styles and totals.

    ``scans.pipeline.write_result`` writes the layers (``gebouwen_potentie``, ``gebieden_potentie``,
    ``complexen``, ``scenario_parameters``: one writer of the result columns); this adds
    ``layer_styles`` and ``totalen``. The whole file is built under a temporary name and renamed at
    the end, so a failure never leaves a half-written GeoPackage.

    Parameters
    ----------
    result : a ``ScanResult`` (or an object with the same attributes).
    path : the ``.gpkg`` to write (replaced when it exists).
    style_overrides : layer name → style, instead of :func:`styles.default_style`.
    gegevens : the run's data check (``scans.gegevens``): its sources with their dates (and the
        check) go into the GeoPackage's metadata (:func:`gisapp.reports.common.record_sources`).
    feedback : progress 0 to 1, layer by layer in batches of rows, then the totals, styles and
        sources; a cancel raises ``CancelledError`` at the next batch or step, leaving no file
        (an existing one at ``path`` unchanged).
    """
    path = Path(path)
    if path.suffix.lower() != ".gpkg":
        raise ValueError(f"{path}: een GeoPackage moet op .gpkg eindigen")
    feedback = ensure(feedback)
    path.parent.mkdir(parents=True, exist_ok=True)
    with geopackage.replacing(path) as tmp:
        write_result(result, tmp, Part(feedback, 0.0, 0.9))  # its texts name the layer it writes
        stop_if_cancelled(feedback)
        feedback.progress(0.9, tr("totalen en stijlen"))
        layer_styles = result_styles(result)
        layer_styles.update(style_overrides or {})
        with geopackage.transaction(tmp) as con:
            if TOTALS_TABLE not in geopackage.tables(con):
                geopackage.write_attributes(con, TOTALS_TABLE, to_plain(_totals_table(result)))
            _add_styles(con, layer_styles)
        stop_if_cancelled(feedback)
        feedback.progress(0.95, tr("bronnen vastleggen"))
        record_sources(tmp, data_check(result, gegevens))
    feedback.progress(1.0, tr("klaar"))
    return path


def add_layer_styles(path: str | Path, layer_styles: dict, *, style_name: str = STYLE_NAME) -> None:
    """Add or replace the default style of layers in an existing GeoPackage, in one transaction.

    ``layer_styles`` maps a layer (table) name to a style object; the geometry kind comes from
    ``gpkg_geometry_columns``.
    """
    with geopackage.transaction(path) as con:
        _add_styles(con, layer_styles, style_name)


def write_attributes_table(path: str | Path, name: str, frame: pd.DataFrame) -> None:
    """Write a non-spatial table into an existing GeoPackage (replacing one of the same name)."""
    with geopackage.transaction(path) as con:
        geopackage.drop_table(con, name)
        geopackage.write_attributes(con, name, to_plain(frame))


# --- internals -------------------------------------------------------------------------------


def _counts_unknown(totals: dict) -> bool:
    """Whether a scan's totals count panden it could not judge (``<scan>_onbekend`` > 0)."""
    return any(key.endswith("_onbekend") and float(value or 0) > 0 for key, value in totals.items()
               if isinstance(value, (int, float)))


def _totals_table(result) -> pd.DataFrame:
    table = summary(result)
    extra = pd.DataFrame(
        [
            ("Scenario", scenario_name(result), ""),
            ("Rekentijd", round(float(getattr(result, "seconds", 0.0) or 0.0), 2), "s"),
        ],
        columns=table.columns,
    )
    table = pd.concat([table, extra], ignore_index=True)
    table["waarde"] = table["waarde"].astype(str)
    return table


def _add_styles(con, layer_styles: dict, style_name: str = STYLE_NAME) -> None:
    """Our styles as QML in ``layer_styles`` (the geometry kind of each layer from the file)."""
    kinds = geopackage.geometry_columns(con)
    missing = [name for name in layer_styles if name not in kinds]
    if missing:
        raise ValueError(f"laag/lagen {', '.join(missing)} niet gevonden in de GeoPackage")
    qml = {table: styles.to_qml(style, kinds[table][1]) for table, style in layer_styles.items() if style is not None}
    descriptions = {table: f"Standaardstijl {table} (Beter Benutten)" for table in qml}
    geopackage.write_layer_styles(con, qml, style_name, descriptions)
