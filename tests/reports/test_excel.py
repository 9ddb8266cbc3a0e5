"""The Excel workbook opens with openpyxl and its sums equal the GeoPackage's."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pyogrio
import pytest

from gisapp.reports.excel import write_excel
from gisapp.reports.geopackage import write_styled_result
from scans.scenarios import parameter_table


def _sheet_frame(ws) -> pd.DataFrame:
    """The table of a sheet by field name (a sheet of output columns has the labels above the names)."""
    names = int(ws.freeze_panes[1:]) - 1
    rows = list(ws.values)
    return pd.DataFrame(rows[names:], columns=rows[names - 1])


def test_workbook_layout_and_sums(fake_result, tmp_path):
    xlsx = write_excel(fake_result, tmp_path / "uit.xlsx")
    gpkg = write_styled_result(fake_result, tmp_path / "uit.gpkg")
    wb = openpyxl.load_workbook(xlsx)
    assert wb.sheetnames == ["samenvatting", "gebieden", "gebouwen", "portefeuille", "parameters", "Bronnen", "Gegevens"]
    for name in wb.sheetnames[1:]:
        ws = wb[name]
        labelled = name in ("gebieden", "gebouwen", "portefeuille")  # labels above the field names
        assert ws.freeze_panes == ("A3" if labelled else "A2")
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A2:" if labelled else "A1:")
        assert ws.cell(row=1, column=1).font.bold

    gebieden_gpkg = pyogrio.read_dataframe(gpkg, layer="gebieden_potentie")
    gebouwen_gpkg = pyogrio.read_dataframe(gpkg, layer="gebouwen_potentie")
    gebieden_xlsx = _sheet_frame(wb["gebieden"])
    gebouwen_xlsx = _sheet_frame(wb["gebouwen"])
    for column in ("optoppen_woningen", "splitsen_woningen", "transformatie_woningen", "boerenerf_woningen", "totaal_woningen",
                   "woningen_ja_mits", "woningen_in_congestie", "woningen_nplv"):
        assert gebieden_xlsx[column].sum() == gebieden_gpkg[column].sum()
        if column in gebouwen_gpkg.columns:
            assert gebouwen_xlsx[column].sum() == gebouwen_gpkg[column].sum()
    assert gebieden_xlsx["totaal_woningen"].sum() == gebouwen_gpkg["totaal_woningen"].sum()
    assert gebieden_xlsx["realisatiestimulans_eur"].sum() == pytest.approx(gebieden_gpkg["realisatiestimulans_eur"].sum())
    assert (gebouwen_xlsx["totaal_woningen"] > 0).all()  # candidates only

    ws = wb["gebieden"]
    header = [c.value for c in ws[2]]
    labels = [c.value for c in ws[1]]
    assert labels[header.index("totaal_woningen")] == "Totaal extra woningen"
    assert labels[header.index("netimpact_kw")] == "Extra piekbelasting (kW)"
    assert ws.cell(row=3, column=header.index("totaal_woningen") + 1).number_format == "#,##0"
    assert ws.cell(row=3, column=header.index("realisatiestimulans_eur") + 1).number_format.startswith("€")


def test_parameters_sheet_has_labels_units_and_sources(fake_result, tmp_path):
    wb = openpyxl.load_workbook(write_excel(fake_result, tmp_path / "uit.xlsx"))
    params = _sheet_frame(wb["parameters"])
    assert list(params.columns) == ["groep", "parameter", "label", "waarde", "eenheid", "bron"]
    assert len(params) == len(parameter_table(fake_result.settings))
    assert params["bron"].str.contains("Stec").any()


def test_all_buildings_and_extra_levels(fake_result, tmp_path):
    levels = {"buurten": fake_result.gebieden, "wijken/oud": fake_result.gebieden.head(1)}
    wb = openpyxl.load_workbook(write_excel(fake_result, tmp_path / "uit.xlsx", levels=levels, all_buildings=True))
    assert "buurten" in wb.sheetnames and "wijken_oud" in wb.sheetnames
    assert wb["gebouwen"].max_row == len(fake_result.gebouwen) + 2  # labels and field names
