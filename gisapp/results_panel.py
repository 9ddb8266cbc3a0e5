"""Results panel (dock): the per-gebied table of the last scan and its charts.

Selecting a gebied in the table shows its bars per scan and zooms the map to it
(``gebied_activated``); the histogram shows the bouwjaar of all candidate buildings;
the scenario tab shows the last comparison. A yellow banner above the table warns when the scan
ran on incomplete data (:meth:`ResultsPanel.set_data_warning`); its link asks for the details
(``details_requested``: the "Gegevens" dock).
"""

from __future__ import annotations

from html import escape

import numpy as np
import pandas as pd
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QLabel, QSplitter, QTableView, QTabWidget, QVBoxLayout, QWidget

from gisapp.attribute_table import DataFrameModel
from gisapp.charts import HistogramChart, ScanBarChart, ScenarioChart
from gisapp.i18n import tr
from gisapp.window_layout import size_columns

#: Columns of gebieden_potentie shown first in the table (others follow).
#: Rows measured when the table fits its columns to their contents.
RESIZE_ROWS = 40
# name and total first: in a narrow dock (1366 px) they stay in view, the code follows
LEADING_COLUMNS = ("gebied_naam", "totaal_woningen", "gebied_code", "woningvoorraad", "pct_van_voorraad")
#: The widest a results column becomes (pixels).
RESULTS_COLUMN_WIDTH = 220
STALE_STYLE = "QLabel { background: #f8d7da; border: 1px solid #b02a37; padding: 6px; color: #58151c; }"
DATA_WARNING_STYLE = "QLabel { background: #fff3cd; border: 1px solid #d4a017; padding: 6px; color: #3d2f00; }"


def scan_columns(frame: pd.DataFrame) -> list[tuple[str, str]]:
    """``[(column, label), ...]`` of the per-scan homes columns, in registry order."""
    from scans.registry import SCANS

    return [(f"{name}_woningen", short_label(name, spec.label)) for name, spec in SCANS.items() if f"{name}_woningen" in frame.columns]


def short_label(name: str, label: str, limit: int = 14) -> str:
    """A label short enough for a chart axis ("Wonen op het boerenerf" → "Boerenerf"), in the
    interface language."""
    from gisapp.i18n import SHORT_SECTION_EN, language

    if language() == "en" and name in SHORT_SECTION_EN:
        return SHORT_SECTION_EN[name]
    return label if len(label) <= limit else name.replace("_", " ").capitalize()


def candidate_years(buildings: pd.DataFrame, source: pd.DataFrame | None = None) -> np.ndarray:
    """Bouwjaar of buildings with ``totaal_woningen > 0``; taken from ``source`` by ``pand_id`` when absent."""
    if buildings is None or "totaal_woningen" not in buildings.columns:
        return np.zeros(0)
    # only the one column needed is taken: a million result rows have ~30 columns
    candidate = (pd.to_numeric(buildings["totaal_woningen"], errors="coerce").fillna(0) > 0).to_numpy()
    if "bouwjaar" in buildings.columns:
        years = buildings["bouwjaar"][candidate]
    elif source is not None and "bouwjaar" in source.columns and "pand_id" in source.columns and "pand_id" in buildings.columns:
        lookup = source.drop_duplicates("pand_id").set_index("pand_id")["bouwjaar"]
        years = buildings["pand_id"][candidate].map(lookup)
    else:
        return np.zeros(0)
    return pd.to_numeric(years, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)


class ResultsPanel(QWidget):
    """Table per gebied plus charts; ``set_result(result, buildings)`` fills it.

    Signals
    -------
    gebied_activated(code): the user selected a gebied row.
    details_requested(): the user asked for the details of the data warning.
    """

    gebied_activated = Signal(str)
    details_requested = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.summary = QLabel(tr("Nog geen scan uitgevoerd."), self)
        self.summary.setWordWrap(True)
        self.data_warning = QLabel("", self)
        self.data_warning.setObjectName("data_warning")
        self.data_warning.setWordWrap(True)
        self.data_warning.setTextFormat(Qt.TextFormat.RichText)
        self.data_warning.setStyleSheet(DATA_WARNING_STYLE)
        self.data_warning.linkActivated.connect(lambda _link: self.details_requested.emit())
        self.data_warning.hide()
        self.stale_warning = QLabel("", self)
        self.stale_warning.setObjectName("stale_warning")
        self.stale_warning.setWordWrap(True)
        self.stale_warning.setStyleSheet(STALE_STYLE)
        self.stale_warning.hide()
        self.model = DataFrameModel(None, self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setDefaultSectionSize(20)
        # fit the columns to the first rows only: measuring every cell of a few thousand gebieden
        # costs the GUI thread a noticeable pause when a scan result arrives
        self.table.horizontalHeader().setResizeContentsPrecision(RESIZE_ROWS)
        self.table.selectionModel().currentRowChanged.connect(self._on_row)

        self.bar_chart = ScanBarChart(self)
        self.histogram = HistogramChart(self)
        self.scenario_chart = ScenarioChart(self)
        # The table above, the charts below: both visible at once, as the planner compares them.
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.bar_chart, tr("Extra woningen per scan"))
        self.tabs.addTab(self.histogram, tr("Bouwjaar van kandidaten"))
        self.tabs.addTab(self.scenario_chart, tr("Scenariovergelijking"))
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.tabs)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.stale_warning)
        layout.addWidget(self.data_warning)
        layout.addWidget(self.summary)
        layout.addWidget(self.splitter, 1)
        self.result = None
        self.stale: list[str] = []
        self._gebieden: pd.DataFrame | None = None

    def clear(self) -> None:
        self.result = None
        self._gebieden = None
        self.summary.setText(tr("Nog geen scan uitgevoerd."))
        self.set_data_warning("")
        self.set_stale([])

    def follow(self, app) -> None:
        """Show the result of ``app`` (a ``gisapp.application.Application``) whenever it changes,
        marked verouderd when the application says so; cleared with each new project."""
        self._app = app
        app.events.result_changed.connect(self._on_result_changed)
        app.events.project_opened.connect(self._on_project_opened)

    def _on_project_opened(self, _project) -> None:
        self.clear()

    def _on_result_changed(self, result) -> None:
        if result is None:
            self.clear()
            return
        buildings = self._app.project.layer("gebouwen")
        self.set_result(result, getattr(buildings, "data", None))
        self.set_stale(self._app.stale)

    def set_stale(self, changes: list[str]) -> None:
        """Mark the shown result *verouderd* with what changed since (``gisapp.results_store.changes``);
        an empty list clears the mark."""
        self.stale = list(changes)
        if not changes:
            self.stale_warning.clear()
            self.stale_warning.hide()
            return
        from gisapp.i18n import translate_reason

        listing = "; ".join(translate_reason(text) for text in changes)
        self.stale_warning.setText(tr("Verouderd: {changes}. Voer de scan opnieuw uit.", changes=listing))
        self.stale_warning.show()
        self.model.set_frame(pd.DataFrame())

    def set_data_warning(self, text: str) -> None:
        """Show ``text`` in the yellow banner with a link to the details; hide it when empty."""
        if not text:
            self.data_warning.clear()
            self.data_warning.hide()
            return
        from gisapp.i18n import translate_reason

        link = tr("Details in Gegevens")
        # the scans' names in the text are Dutch labels from the registry: translated at display
        self.data_warning.setText(f"⚠ {escape(translate_reason(text))} <a href='gegevens'>{escape(link)}</a>")
        self.data_warning.show()

    def set_not_run(self, scans: set[str]) -> None:
        """The scans that could not run for want of input (the data check): their bars say "onbekend"."""
        self.not_run = set(scans)
        if self.result is not None:
            self._show_bars(None)

    def set_result(self, result, buildings: pd.DataFrame | None = None) -> None:
        """Show a ``scans.pipeline.ScanResult``; ``buildings`` supplies bouwjaar when needed."""
        self.result = result
        self.set_data_warning("")  # until the data check of this result says otherwise
        self.not_run = set()
        self.set_stale([])  # a restored result is marked again by the window when out of date
        gebieden = getattr(result, "gebieden", None)
        if gebieden is not None and len(gebieden):
            frame = pd.DataFrame(gebieden.drop(columns=[gebieden.geometry.name]) if hasattr(gebieden, "geometry") else gebieden)
            order = [c for c in LEADING_COLUMNS if c in frame.columns] + [c for c in frame.columns if c not in LEADING_COLUMNS]
            frame = frame[order].reset_index(drop=True)
        else:
            frame = pd.DataFrame()
        self._gebieden = frame
        self.band = None  # a new result: the band of an earlier sensitivity run no longer applies
        self.model.set_frame(frame)
        # As wide as header and figures; long names capped so they cannot push the figures out of
        # a narrow dock (the cell's tooltip shows the whole text).
        size_columns(self.table, RESULTS_COLUMN_WIDTH)
        total = total_homes(result)
        if len(frame):
            self.summary.setText(tr("Totaal: {homes} extra woningen in {areas} gebieden.", homes=_fmt(total), areas=len(frame)))
        else:  # no gebieden layer (or none of its gebieden holds a pand): say so, not "in 0 gebieden"
            self.summary.setText(tr("Totaal: {homes} extra woningen; zonder gebiedenlaag geen tabel per gebied.",
                                    homes=_fmt(total)))
        self._show_bars(None)
        self.histogram.set_values(candidate_years(result.gebouwen, buildings))

    def _on_row(self, current, _previous) -> None:
        if self._gebieden is None or not current.isValid():
            return
        position = int(self.model.row_positions([current.row()])[0])
        self._show_bars(position)
        if "gebied_code" in self._gebieden.columns:
            self.gebied_activated.emit(str(self._gebieden["gebied_code"].iloc[position]))

    def _show_bars(self, position: int | None) -> None:
        """Bars per scan for gebied ``position`` (iloc), or summed over all gebieden."""
        source = self._gebieden if self._gebieden is not None and len(self._gebieden) else getattr(self.result, "gebouwen", None)
        if source is None:
            return
        columns = scan_columns(source)
        if position is None:
            values = [float(pd.to_numeric(source[c], errors="coerce").sum()) for c, _label in columns]
            subtitle = tr("Alle gebieden")
        else:
            row = source.iloc[position]
            values = [float(pd.to_numeric(pd.Series([row[c]]), errors="coerce").fillna(0).iloc[0]) for c, _label in columns]
            subtitle = str(row.get("gebied_naam", row.get("gebied_code", "")))
        not_run = getattr(self, "not_run", set())
        self.bar_chart.set_values([label for _c, label in columns], values, subtitle,
                                  [column.removesuffix("_woningen") in not_run for column, _label in columns])
        band = getattr(self, "band", None)  # the P10–P90 of a sensitivity run (scans.gevoeligheid)
        key = "TOTAAL" if position is None else str(source.iloc[position].get("gebied_code", ""))
        if band is not None and key in band.index and all(f"{c}_p10" in band.columns for c, _label in columns):
            row = band.loc[key]
            self.bar_chart.set_band([row[f"{c}_p10"] for c, _l in columns], [row[f"{c}_p90"] for c, _l in columns])

    def set_band(self, band: pd.DataFrame | None) -> None:
        """Show a P10–P90 band (``scans.gevoeligheid.Band.table``: per gebied_code and ``TOTAAL``,
        ``<scan>_woningen_p10``/``_p90``) as error bars on the bars per scan."""
        self.band = band
        rows = self.table.selectionModel().selectedRows() if self._gebieden is not None else []
        self._show_bars(int(self.model.row_positions([rows[0].row()])[0]) if rows else None)
        self.tabs.setCurrentWidget(self.bar_chart)

    def set_comparison(self, name_a: str, name_b: str, table: pd.DataFrame) -> None:
        """Show a ``scans.scenarios.compare`` table as bars per scan (A beside B)."""
        categories, values_a, values_b = comparison_bars(table)
        self.scenario_chart.set_values(categories, values_a, values_b, name_a, name_b)
        self.tabs.setCurrentWidget(self.scenario_chart)


def comparison_bars(table: pd.DataFrame) -> tuple[list[str], list[float], list[float]]:
    """Categories and the two value series of a comparison table.

    ``scans.scenarios.compare`` gives one row per gebied with ``<column>_a`` / ``<column>_b``
    pairs; the chart sums them per scan (``<scan>_woningen``) plus the total.
    """
    from scans.registry import SCANS

    categories, values_a, values_b = [], [], []
    names = [(f"{name}_woningen", short_label(name, spec.label)) for name, spec in SCANS.items()] + [("totaal_woningen", tr("Totaal"))]
    for column, label in names:
        a, b = f"{column}_a", f"{column}_b"
        if a in table.columns and b in table.columns:
            categories.append(label)
            values_a.append(float(pd.to_numeric(table[a], errors="coerce").sum()))
            values_b.append(float(pd.to_numeric(table[b], errors="coerce").sum()))
    return categories, values_a, values_b


def total_homes(result) -> float:
    """Total extra homes of a scan result (``totals`` when given, else the building sum)."""
    totals = getattr(result, "totals", None) or {}
    for key in ("totaal", "totaal_woningen"):
        if key in totals:
            return float(totals[key])
    gebouwen = getattr(result, "gebouwen", None)
    if gebouwen is not None and "totaal_woningen" in gebouwen.columns:
        return float(pd.to_numeric(gebouwen["totaal_woningen"], errors="coerce").sum())
    return 0.0


def _fmt(value: float) -> str:
    from gisapp.numbers import display_number

    return display_number(value, 0)
