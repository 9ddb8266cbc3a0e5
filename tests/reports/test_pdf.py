"""The PDF report: pages, Dutch content, and PNG pages for a human look."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from pypdf import PdfReader

from gisapp.reports.pdf import write_pdf


def _text(path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def test_project_report(fake_result, tmp_path):
    path = write_pdf(fake_result, tmp_path / "rapport.pdf", project_name="Testdorp")
    reader = PdfReader(path)
    assert len(reader.pages) >= 3
    text = _text(path)
    for expected in ("Potentiescan beter benutten: Testdorp", "Samenvatting", "Kaart: extra woningen",
                     "Extra woningen per scan per gebied", "Randvoorwaarden per gebied", "Toets aan gepubliceerde kengetallen",
                     "2,4%", "Scenario en parameters", "Stec/Zuid-Holland 2023", "Centrum (BU00010001)"):
        assert expected in text, expected
    assert str(int(fake_result.gebouwen["totaal_woningen"].sum())) in text


def test_gebied_report(fake_result, tmp_path):
    path = write_pdf(fake_result, tmp_path / "oost.pdf", project_name="Testdorp", gebied="BU00010002")
    text = _text(path)
    assert "Oost (BU00010002)" in text and "Centrum (BU00010001)" not in text
    with pytest.raises(ValueError, match="BU99"):
        write_pdf(fake_result, tmp_path / "x.pdf", gebied="BU99")


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) not installed")
def test_pages_render_to_png(fake_result, tmp_path):
    path = write_pdf(fake_result, tmp_path / "rapport.pdf", project_name="Testdorp")
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(path), str(tmp_path / "pagina")], check=True)
    pngs = sorted(tmp_path.glob("pagina-*.png"))
    assert len(pngs) == len(PdfReader(path).pages)
    assert all(p.stat().st_size > 5000 for p in pngs)
