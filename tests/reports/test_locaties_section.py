"""The locatiescan appears in the report: a PDF section and an Excel sheet (issue 9, item 5)."""

from __future__ import annotations

import openpyxl
from pypdf import PdfReader

from gisapp.cli import main


def test_report_has_the_ranked_locations(sample_project_path, tmp_path):
    assert main(["report", str(sample_project_path), "--out", str(tmp_path)]) == 0
    xlsx = next(tmp_path.glob("*.xlsx"))
    wb = openpyxl.load_workbook(xlsx)
    assert "locaties" in wb.sheetnames
    sheet = wb["locaties"]
    header = [c.value for c in sheet[1]]
    assert header[:2] == ["Rang", "Locatie"] and "Score" in header
    ranks = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert ranks == sorted(ranks) and len(ranks) >= 5
    scores = [row[header.index("Score")] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert scores == sorted(scores, reverse=True)
    text = "".join(page.extract_text() for page in PdfReader(next(tmp_path.glob("*.pdf"))).pages)
    assert "Woningbouwlocaties (locatiescan)" in text
    assert "Toelichting Woningbouwimpuls" in text
