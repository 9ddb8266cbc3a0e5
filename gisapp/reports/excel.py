"""One Excel workbook per scan run (openpyxl): results per gebied level, candidates, parameters.

Every sheet has a frozen, bold header row, an autofilter and number formats per column; the
numbers are values (no formulas), so another program reads the same figures as the GeoPackage.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from gisapp.i18n import tr
from layers.feedback import Feedback, Part, ensure, spans
from layers.feedback import check as stop_if_cancelled

from .common import (
    COVERAGE_COLUMNS,
    SCAN_STATE_COLUMNS,
    SOURCE_COLUMNS,
    atomic_path,
    column_label,
    data_check,
    column_unit,
    parameter_rows,
    sanity_check,
    scenario_name,
    summary,
    to_plain,
)

HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")
HEADER_FONT = Font(bold=True)
INT_FORMAT = "#,##0"
FLOAT_FORMAT = "#,##0.0"
PCT_FORMAT = "0.00"
EUR_FORMAT = "€ #,##0"
MAX_SHEET_NAME = 31
#: The share of a workbook's progress for filling its sheets; the rest is openpyxl saving them
#: (one call of its public ``Workbook.save``, about as long as the filling).
FILL_SHARE = 0.5
#: Rows a sheet is filled with, or saved, between two progress reports (and cancel checks).
ROWS_PER_STEP = 250


def write_excel(
    result,
    path: str | Path,
    *,
    levels: dict[str, pd.DataFrame] | None = None,
    all_buildings: bool = False,
    locaties: pd.DataFrame | None = None,
    gegevens=None,
    feedback: Feedback | None = None,
) -> Path:
    """Write the workbook of one scan run.

    Sheets: ``samenvatting`` (totals, sanity check), one per gebied level (``levels``: sheet name →
    per-gebied table; default ``{"gebieden": result.gebieden}``), ``gebouwen`` (the candidates,
    ``totaal_woningen > 0``; all buildings with ``all_buildings``), ``portefeuille`` per complex when
    the result has one, ``locaties`` (the ranked locatiescan table) when given, ``parameters``
    with label, value, unit and source, ``Bronnen`` (every layer's source with its download or
    file date and peildatum) and ``Gegevens`` (coverage per role and column, which scans could run,
    the panden judged onbekend and the homes resting on estimates). ``gegevens`` is the data check
    (``scans.gegevens``) of the run; without it the sheets say what the result alone says.
    ``feedback`` gets progress 0 to 1, sheet by sheet while filling (every
    :data:`ROWS_PER_STEP` rows in a long one), then saving as one step; a cancel raises
    ``CancelledError`` at the next step, leaving no file (an existing one at ``path`` unchanged).
    """
    feedback = ensure(feedback)
    check = data_check(result, gegevens)
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise ValueError(f"{path}: een Excel-werkmap moet op .xlsx eindigen")
    if levels is None:
        levels = {} if getattr(result, "gebieden", None) is None else {"gebieden": result.gebieden}
    tables = [(_sheet_name(name), _gebied_table(frame), None) for name, frame in levels.items()]
    buildings = to_plain(result.gebouwen)
    if not all_buildings and "totaal_woningen" in buildings.columns:
        buildings = buildings[pd.to_numeric(buildings["totaal_woningen"], errors="coerce") > 0]
        buildings = buildings.sort_values("totaal_woningen", ascending=False, kind="stable")
    tables.append(("gebouwen", buildings, None))
    complexen = getattr(result, "complexen", None)
    if complexen is not None and len(complexen):
        frame = to_plain(complexen)
        if frame.index.name is not None:
            frame = frame.reset_index()
        tables.append(("portefeuille", frame, None))
    if locaties is not None and len(locaties):
        tables.append(("locaties", locaties, None))
    tables.append(("parameters", parameter_rows(result.settings), {"label": 44, "bron": 40}))
    # progress by cells: the summary first, a table sheet by its size, the two source sheets last
    filling = Part(feedback, 0.0, FILL_SHARE)
    steps = spans([100, *(_cells(frame) for _name, frame, _widths in tables), 200])
    count = len(tables) + 3
    wb = Workbook()
    filling.progress(0.0, tr("blad {i} van {n}: {name}", i=1, n=count, name="samenvatting"))
    _summary_sheet(wb.active, result)
    for i, ((name, frame, widths), (start, end)) in enumerate(zip(tables, steps[1:-1]), start=2):
        stop_if_cancelled(feedback)
        step = Part(filling, start, end, tr("blad {i} van {n}: {name}", i=i, n=count, name=name))
        _table_sheet(wb.create_sheet(name), frame, widths=widths, feedback=step)
    stop_if_cancelled(feedback)
    filling.progress(steps[-1][0], tr("blad {i} van {n}: {name}", i=count - 1, n=count, name="Bronnen"))
    _sources_sheets(wb, check)
    with atomic_path(path, ".xlsx") as tmp:
        _save(wb, tmp, Part(feedback, FILL_SHARE, 1.0))
    return path


def _cells(frame: pd.DataFrame) -> int:
    return (len(frame) + 2) * max(len(frame.columns), 1)


def _save(wb: Workbook, path: Path, feedback: Feedback) -> None:
    """``wb.save(path)``: openpyxl's public save writes the whole workbook in one call, so the bar
    shows the step and moves on when it is done; a cancel during it counts once it returns (the
    temporary file is then removed by the caller)."""
    stop_if_cancelled(feedback)
    feedback.progress(0.0, tr("werkmap opslaan"))
    wb.save(path)
    stop_if_cancelled(feedback)
    feedback.progress(1.0, tr("klaar"))


def _sources_sheets(wb, check) -> None:
    """The sheets ``Bronnen`` and ``Gegevens`` of the data check."""
    sources = pd.DataFrame(check.source_rows(), columns=list(SOURCE_COLUMNS))
    if not len(sources):
        sources = pd.DataFrame([("", "", "bronnen niet bekend bij het schrijven", "", "", "")], columns=list(SOURCE_COLUMNS))
    _table_sheet(wb.create_sheet("Bronnen"), sources, widths={"titel": 30, "bron": 60, "opgehaald": 28, "peildatum": 28})
    ws = wb.create_sheet("Gegevens")
    coverage = pd.DataFrame(check.coverage_rows(), columns=list(COVERAGE_COLUMNS))
    _table_sheet(ws, coverage, widths={"gegeven": 42, "bekend": 26, "bron": 22})  # (its filter: the coverage rows)
    ws.append([])
    for row in [("laag", "aanwezig", "zonder deze laag"), *check.layer_rows()]:
        ws.append(list(row))
    ws.append([])
    start = ws.max_row + 1
    ws.append(list(SCAN_STATE_COLUMNS))
    for row in check.scan_rows():
        ws.append(list(row))
    for j in range(1, len(SCAN_STATE_COLUMNS) + 1):
        cell = ws.cell(row=start, column=j)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
    if check.panden_vervallen:
        ws.append([])
        ws.append(["vervallen panden (geen kandidaat)", check.panden_vervallen])
    if check.advice:
        ws.append([])
        ws.append(["wat toe te voegen"])
        ws.cell(row=ws.max_row, column=1).font = HEADER_FONT
        for sentence in check.advice:
            ws.append([sentence])
    ws.column_dimensions["C"].width = 60
    ws.column_dimensions["D"].width = 26
    ws.column_dimensions["E"].width = 26


def _sheet_name(name: str) -> str:
    bad = '[]:*?/\\'
    clean = "".join("_" if c in bad else c for c in str(name))
    return clean[:MAX_SHEET_NAME] or "gebieden"


def _gebied_table(frame: pd.DataFrame) -> pd.DataFrame:
    plain = to_plain(frame)
    first = [c for c in ("gebied_code", "gebied_naam") if c in plain.columns]
    return plain[first + [c for c in plain.columns if c not in first]]


def _number_format(column: str, series: pd.Series) -> str | None:
    if column == "pct_van_voorraad":
        return PCT_FORMAT
    if column.endswith("_eur"):
        return EUR_FORMAT
    if pd.api.types.is_bool_dtype(series.dtype):
        return None
    if pd.api.types.is_integer_dtype(series.dtype):
        return INT_FORMAT
    if pd.api.types.is_float_dtype(series.dtype):
        finite = series.dropna()
        whole = bool(len(finite)) and bool(np.all(finite == np.round(finite)))
        return INT_FORMAT if whole and column.endswith("woningen") else FLOAT_FORMAT
    return None


def _cell_value(value):
    if value is None:
        return None
    if isinstance(value, float) and np.isnan(value):
        return None
    if hasattr(value, "item"):
        value = value.item()
        if isinstance(value, float) and np.isnan(value):
            return None
    if value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def _table_sheet(ws, frame: pd.DataFrame, widths: dict[str, int] | None = None, feedback: Feedback | None = None) -> None:
    """A table with a bold header; output columns get two header rows: the Dutch label with its
    unit above the field name (the name as in the GeoPackage and QGIS), the filter on the names.
    ``feedback`` gets the share of the rows filled in, every :data:`ROWS_PER_STEP` rows (where a
    cancel stops it)."""
    feedback = ensure(feedback)
    columns = [str(c) for c in frame.columns]
    labels = [_header_label(c) for c in columns]
    # field names (snake_case) get a label row; a sheet of Dutch words (Bronnen, parameters) needs none
    top = 2 if any("_" in column and label != column for label, column in zip(labels, columns)) else 1
    if top == 2:
        ws.append(labels)
    ws.append(columns)
    feedback.progress(0.0)
    for i, row in enumerate(frame.itertuples(index=False, name=None), start=1):
        ws.append([_cell_value(v) for v in row])
        if i % ROWS_PER_STEP == 0:
            stop_if_cancelled(feedback)
            feedback.progress(i / len(frame))
    n_rows = len(frame) + top
    for j, column in enumerate(columns, start=1):
        for header_row in range(1, top + 1):
            cell = ws.cell(row=header_row, column=j)
            cell.font, cell.fill = HEADER_FONT, HEADER_FILL
            cell.alignment = Alignment(vertical="top", wrap_text=True)
        fmt = _number_format(column, frame[frame.columns[j - 1]])
        if fmt and n_rows > top:
            for (c,) in ws.iter_rows(min_row=top + 1, max_row=n_rows, min_col=j, max_col=j):
                c.number_format = fmt
        width = (widths or {}).get(column) or min(max(len(column) + 2, len(labels[j - 1]) // 2 + 2, 10), 40)
        ws.column_dimensions[get_column_letter(j)].width = width
    ws.freeze_panes = f"A{top + 1}"
    if columns:
        ws.auto_filter.ref = f"A{top}:{get_column_letter(len(columns))}{max(n_rows, top)}"


def _header_label(column: str) -> str:
    """"Totaal extra woningen", "Extra piekbelasting (kW)": the label, a measuring unit in brackets."""
    label, unit = column_label(column), column_unit(column)
    return f"{label} ({unit})" if unit and unit != "woningen" and label != column else label


def _summary_sheet(ws, result) -> None:
    ws.title = "samenvatting"
    table = summary(result)
    check = sanity_check(result)
    ws.append(["onderdeel", "waarde", "eenheid"])
    for row in table.itertuples(index=False, name=None):
        ws.append([_cell_value(v) for v in row])
    ws.append([])
    ws.append(["Scenario", scenario_name(result), ""])
    if check["aandeel"] is not None:
        ws.append(["Optoppen als aandeel van de woningvoorraad", check["aandeel"], "%"])
        ws.cell(row=ws.max_row, column=2).number_format = "0.00%"
        ws.append([f"Referentie ({check['bron']})", check["referentie"], "%"])
        ws.cell(row=ws.max_row, column=2).number_format = "0.0%"
    ws.append(["Toets", check["oordeel"], ""])
    for j in (1, 2, 3):
        cell = ws.cell(row=1, column=j)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
    for i in range(2, len(table) + 2):
        ws.cell(row=i, column=2).number_format = EUR_FORMAT if table.iloc[i - 2]["eenheid"] == "€" else FLOAT_FORMAT if table.iloc[i - 2]["eenheid"] == "kW" else INT_FORMAT
    ws.column_dimensions["A"].width = 44
    ws.column_dimensions["B"].width = 18
    ws.column_dimensions["C"].width = 12
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:C{len(table) + 1}"
