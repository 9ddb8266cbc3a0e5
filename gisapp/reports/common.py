"""What the report writers share: scan names, Dutch labels, parameter rows, totals, sanity check."""

from __future__ import annotations

import os
import sqlite3
import xml.etree.ElementTree as ET
from contextlib import closing, contextmanager
from pathlib import Path

import numpy as np
import pandas as pd

from layers.io import tempfiles
from scans.registry import SCANS, section_label
from styles.field_labels import field_info, field_label, field_unit
from scans.scenarios import parameter_table

#: Stec Groep for Provincie Zuid-Holland (Dec 2023): optop potential ≈ 2.4% of the housing stock.
OPTOP_REFERENCE_SHARE = 0.024
OPTOP_REFERENCE_SOURCE = "Stec Groep / Provincie Zuid-Holland 2023"

#: The per-gebied constraint columns (their labels and units: ``styles.field_labels``).
CONSTRAINT_COLUMNS = (
    "woningen_ja_mits",
    "woningen_uitgesloten_nee_tenzij",
    "woningen_in_congestie",
    "netimpact_kw",
    "woningen_nplv",
    "realisatiestimulans_eur",
)


def scan_labels() -> dict[str, str]:
    """Scan name → Dutch label, from the scan registry (the single source for CLI and GUI)."""
    return {name: spec.label for name, spec in SCANS.items()}


def scan_names(frame: pd.DataFrame) -> list[str]:
    """The registered scans whose ``<name>_woningen`` column is in ``frame``, in registry order."""
    return [name for name in SCANS if f"{name}_woningen" in frame.columns]


def column_label(column: str) -> str:
    """Dutch label of an output column (``styles.field_labels``; other scans' columns get the scan label)."""
    if field_info(column) is not None:
        return field_label(column)
    if column.endswith("_woningen"):
        return scan_labels().get(column[: -len("_woningen")], column)
    if column.endswith("_reden"):
        return f"Reden {scan_labels().get(column[: -len('_reden')], column).lower()}"
    return column


def column_unit(column: str) -> str:
    """The unit of an output column ("woningen", "kW", "€"), empty when it has none."""
    if field_info(column) is not None:
        return field_unit(column)
    return "woningen" if column.endswith("_woningen") else ""


def scenario_name(result) -> str:
    """The scenario name carried by the settings (``ScanSettings.naam``)."""
    return str(getattr(result.settings, "naam", "") or "standaard")


def parameter_rows(settings) -> pd.DataFrame:
    """All scenario parameters: groep, parameter, label, waarde, eenheid, bron.

    The rows are ``scans.scenarios.parameter_table`` (the same table the GeoPackage holds as
    ``scenario_parameters``), with the section shown by its Dutch label.
    """
    table = parameter_table(settings)
    return pd.DataFrame(
        {
            "groep": table["sectie"].map(section_label),
            "parameter": table["parameter"],
            "label": table["label"],
            "waarde": table["waarde"],
            "eenheid": table["eenheid"],
            "bron": table["bron"],
        }
    )


def summary(result) -> pd.DataFrame:
    """Per scan and in total: extra homes; then the constraint indicators, from the building and gebied rows.

    Columns ``onderdeel``, ``waarde``, ``eenheid``. Homes come from the building rows, so the
    numbers equal the sums a planner makes in the GeoPackage.
    """
    gebouwen = result.gebouwen
    rows = []
    for name in scan_names(gebouwen):
        rows.append((scan_labels().get(name, name), _sum(gebouwen, f"{name}_woningen"), "woningen"))
    rows.append(("Totaal extra woningen", _sum(gebouwen, "totaal_woningen"), "woningen"))
    gebieden = getattr(result, "gebieden", None)
    if gebieden is not None:
        for column in ("transformatie_realistisch", *CONSTRAINT_COLUMNS):
            if column in gebieden.columns:
                rows.append((column_label(column), _sum(gebieden, column), column_unit(column)))
    # object dtype keeps whole numbers whole next to the euro and kW amounts
    return pd.DataFrame(rows, columns=["onderdeel", "waarde", "eenheid"], dtype=object)


def sanity_check(result) -> dict:
    """Optop homes as a share of the housing stock, against Zuid-Holland's ≈2.4% (Stec 2023).

    Returns ``{"optoppen": int, "woningvoorraad": float | None, "aandeel": float | None,
    "referentie": 0.024, "bron": str, "oordeel": Dutch sentence}``.
    """
    optoppen = _sum(result.gebouwen, "optoppen_woningen")
    gebieden = getattr(result, "gebieden", None)
    stock = None
    if gebieden is not None and "woningvoorraad" in gebieden.columns:
        values = pd.to_numeric(gebieden["woningvoorraad"], errors="coerce")
        stock = float(values.sum()) if values.notna().any() else None
    share = optoppen / stock if stock else None
    if share is None:
        verdict = "Geen woningvoorraad bekend in de gebiedenlaag: het aandeel optoppen is niet te toetsen."
    else:
        ratio = share / OPTOP_REFERENCE_SHARE
        pct = f"{share * 100:.1f}".replace(".", ",")
        if 0.5 <= ratio <= 2.0:
            verdict = f"Optoppen levert {pct}% van de woningvoorraad: in lijn met de ≈2,4% die Zuid-Holland vond."
        elif ratio < 0.5:
            verdict = (
                f"Optoppen levert {pct}% van de woningvoorraad, minder dan de helft van de ≈2,4% in Zuid-Holland: "
                "controleer bouwjaren, daktype en hoogtes, of de voorraad heeft weinig naoorlogse flats."
            )
        else:
            verdict = (
                f"Optoppen levert {pct}% van de woningvoorraad, meer dan het dubbele van de ≈2,4% in Zuid-Holland: "
                "controleer de parameters (extra lagen, dakoppervlak per woning)."
            )
    return {
        "optoppen": int(optoppen),
        "woningvoorraad": stock,
        "aandeel": share,
        "referentie": OPTOP_REFERENCE_SHARE,
        "bron": OPTOP_REFERENCE_SOURCE,
        "oordeel": verdict,
    }


def _sum(frame: pd.DataFrame, column: str) -> float:
    if frame is None or column not in frame.columns:
        return 0
    total = pd.to_numeric(frame[column], errors="coerce").sum()
    return int(total) if float(total).is_integer() else float(total)


def data_check(result, gegevens=None, project=None):
    """The data check a report shows (``scans.gegevens``): ``gegevens`` completed with the result
    when it has no outcomes yet; else the check of ``project`` (its sources with their dates)
    completed with the result; else what the result alone says."""
    from scans.gegevens import check_data, check_result

    if gegevens is not None and gegevens.outcomes:
        return gegevens
    if gegevens is None and project is not None:
        gegevens = check_data(project)
    return check_result(result, gegevens)


SOURCE_COLUMNS = ("laag", "rol", "titel", "bron", "opgehaald", "peildatum")
COVERAGE_COLUMNS = ("rol", "gegeven", "bekend", "bron")
SCAN_STATE_COLUMNS = ("scan", "kan draaien", "ontbreekt of geschat", "onbekend na de scan", "woningen op een schatting")


def to_plain(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy without geometry, with numpy scalars that writers accept."""
    geometry = getattr(frame, "_geometry_column_name", None)
    out = pd.DataFrame(frame.drop(columns=[geometry]) if geometry in frame.columns else frame).copy()
    return out


@contextmanager
def atomic_path(path: str | Path, suffix: str):
    """Yield a temporary path beside ``path``; on success rename it onto ``path``, else remove it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # named so a later run removes it when this process is killed (layers.io.tempfiles); not
    # created here: writers create the file themselves (GDAL refuses an existing empty file)
    tmp = tempfiles.temp_path(path.parent, "rapport", suffix)
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tempfiles.remove_with_companions(tmp)


def finite_or_nan(values) -> np.ndarray:
    return pd.to_numeric(pd.Series(values), errors="coerce").to_numpy(dtype="float64", na_value=np.nan)


def gebied_levels(result, project, primary: str | None = None) -> dict[str, pd.DataFrame]:
    """The result per gebied level: ``{layer key: gebieden_potentie}`` for every ``gebieden`` layer.

    The level the scan ran on (``primary``, else the first) is ``result.gebieden``; the others
    are aggregated from the same building rows with the scan engine's own assignment and
    aggregation, so their sums equal the building sums too.
    """
    from scans.inputs import assign_gebied
    from scans.per_gebied import aggregate

    keys = list(project.gebieden_layers()) if project is not None else []
    primary = primary or (keys[0] if keys else "gebieden")
    levels: dict[str, pd.DataFrame] = {}
    if getattr(result, "gebieden", None) is not None:
        levels[primary] = result.gebieden
    code_from = result.settings.beperkingen.congestie_vanaf_code
    for key in keys:
        if key in levels:
            continue
        layer = project.layer(key)
        data = getattr(layer, "data", None)
        if data is None or "gebied_code" not in data.columns:
            continue
        buildings = result.gebouwen.copy()
        buildings["gebied_code"] = assign_gebied(buildings, data)
        levels[key] = aggregate(buildings, data, list(SCANS), congestie_vanaf_code=code_from)
    return levels


def context_layers(project) -> list[tuple]:
    """Layers drawn under the result on the report map: the NPLV focus areas, hatched."""
    import styles

    nplv = project.layer("nplv")
    data = getattr(nplv, "data", None)
    if data is None or not len(data):
        return []
    return [("NPLV-focusgebied", data, styles.default_style("nplv"))]


def locatiescan_table(project, inputs, settings, result) -> pd.DataFrame | None:
    """The ranked locatiescan table for the reports, or None when the project has no locaties."""
    from scans import locatiescan

    if project.layers.first("locaties") is None:
        return None
    scored = locatiescan.run(
        locatiescan.locaties_of(project), inputs, settings, result, params=locatiescan.params_from_project(project)
    )
    return locatiescan.report_table(scored)


# --- sources in a GeoPackage's metadata ------------------------------------------------------

#: GDAL reads a ``gpkg_metadata`` row of this standard and type, referenced with scope
#: ``geopackage``, as the dataset's metadata (``pyogrio.read_info(path)["dataset_metadata"]``).
GDAL_METADATA_URI = "http://gdal.org"
METADATA_EXTENSION = "http://www.geopackage.org/spec120/#extension_metadata"
#: Keys we write (and replace on a second write); other keys in the row are kept.
SOURCE_KEY_PREFIXES = ("BRON", "GEGEVENSCHECK")

_CREATE_METADATA = (
    "CREATE TABLE IF NOT EXISTS gpkg_metadata (id INTEGER CONSTRAINT m_pk PRIMARY KEY ASC NOT NULL, "
    "md_scope TEXT NOT NULL DEFAULT 'dataset', md_standard_uri TEXT NOT NULL, "
    "mime_type TEXT NOT NULL DEFAULT 'text/xml', metadata TEXT NOT NULL DEFAULT '')",
    "CREATE TABLE IF NOT EXISTS gpkg_metadata_reference (reference_scope TEXT NOT NULL, table_name TEXT, "
    "column_name TEXT, row_id_value INTEGER, "
    "timestamp DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')), md_file_id INTEGER NOT NULL, "
    "md_parent_id INTEGER, CONSTRAINT crmr_mfi_fk FOREIGN KEY (md_file_id) REFERENCES gpkg_metadata(id), "
    "CONSTRAINT crmr_mpi_fk FOREIGN KEY (md_parent_id) REFERENCES gpkg_metadata(id))",
    "CREATE TABLE IF NOT EXISTS gpkg_extensions (table_name TEXT, column_name TEXT, extension_name TEXT NOT NULL, "
    "definition TEXT NOT NULL, scope TEXT NOT NULL, "
    "CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name))",
)


def source_items(gegevens) -> dict[str, str]:
    """The metadata items naming the sources of a run: ``BRON_<laag>`` one line per source
    (title, file or URL, download or file date, peildatum), ``BRONNEN`` all of them as JSON and
    ``GEGEVENSCHECK`` the whole data check as JSON (``scans.gegevens.DataCheck.to_dict``)."""
    import json

    items = {}
    for key, role, titel, url, opgehaald, peildatum in gegevens.source_rows():
        items[f"BRON_{key}"] = f"{titel} ({role}): {url}; opgehaald: {opgehaald}; peildatum: {peildatum}"
    items["BRONNEN"] = json.dumps(gegevens.to_dict()["bronnen"], ensure_ascii=False)
    items["GEGEVENSCHECK"] = gegevens.to_json()
    return items


def record_sources(path: str | Path, gegevens) -> None:
    """Name the sources with their dates (and the data check) in the metadata of a written GeoPackage.

    Independent of the writer: the rows go into the GeoPackage metadata extension's standard
    tables (``gpkg_metadata``, ``gpkg_metadata_reference``, registered in ``gpkg_extensions``)
    with ``sqlite3``, as GDAL's own metadata of the main layer (GDAL XML, scope ``table``:
    ``gebouwen_potentie``, else the first layer), so GDAL, pyogrio and QGIS read them as that
    layer's metadata. Not the file's: GDAL 3.12 copies file-level metadata into a ``.aux.xml``
    sidecar whenever the file is read later, which would leave a stray file beside every output.
    Keys written before are replaced; other metadata of the file is kept.
    """
    items = source_items(gegevens)
    with closing(sqlite3.connect(path, isolation_level=None)) as con:
        con.execute("BEGIN")
        try:
            for sql in _CREATE_METADATA:
                con.execute(sql)
            for table in ("gpkg_metadata", "gpkg_metadata_reference"):
                if not con.execute("SELECT 1 FROM gpkg_extensions WHERE table_name = ? AND extension_name = 'gpkg_metadata'",
                                   (table,)).fetchone():
                    con.execute("INSERT INTO gpkg_extensions VALUES (?, NULL, 'gpkg_metadata', ?, 'read-write')",
                                (table, METADATA_EXTENSION))
            table = _main_table(con)
            row = con.execute(
                "SELECT m.id, m.metadata FROM gpkg_metadata m JOIN gpkg_metadata_reference r ON r.md_file_id = m.id "
                "WHERE r.reference_scope = 'table' AND r.table_name = ? AND m.md_standard_uri = ? "
                "AND m.mime_type = 'text/xml' ORDER BY m.id LIMIT 1", (table, GDAL_METADATA_URI)).fetchone()
            xml = _gdal_metadata_xml(row[1] if row else None, items)
            if row:
                con.execute("UPDATE gpkg_metadata SET metadata = ? WHERE id = ?", (xml, row[0]))
            else:
                cursor = con.execute("INSERT INTO gpkg_metadata (md_scope, md_standard_uri, mime_type, metadata) "
                                     "VALUES ('dataset', ?, 'text/xml', ?)", (GDAL_METADATA_URI, xml))
                con.execute("INSERT INTO gpkg_metadata_reference (reference_scope, table_name, md_file_id) "
                            "VALUES ('table', ?, ?)", (table, cursor.lastrowid))
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise


MAIN_TABLE = "gebouwen_potentie"


def _main_table(con: sqlite3.Connection) -> str:
    """The layer the sources are recorded on: ``gebouwen_potentie``, else the first layer of the file."""
    names = [r[0] for r in con.execute(
        "SELECT table_name FROM gpkg_contents ORDER BY data_type != 'features', rowid")]
    if not names:
        raise ValueError("GeoPackage zonder lagen: geen plek voor de bronnen")
    return MAIN_TABLE if MAIN_TABLE in names else names[0]


def _gdal_metadata_xml(existing: str | None, items: dict[str, str]) -> str:
    """GDAL's ``GDALMultiDomainMetadata`` document: ``existing`` with ``items`` set in the default domain."""
    root = ET.fromstring(existing) if existing else ET.Element("GDALMultiDomainMetadata")
    domain = next((m for m in root.findall("Metadata") if not m.get("domain")), None)
    if domain is None:
        domain = ET.SubElement(root, "Metadata")
    for item in list(domain.findall("MDI")):
        if str(item.get("key", "")).startswith(SOURCE_KEY_PREFIXES):
            domain.remove(item)
    for key, value in items.items():
        ET.SubElement(domain, "MDI", key=key).text = value
    return ET.tostring(root, encoding="unicode")
