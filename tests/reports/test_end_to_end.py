"""``gisapp report`` and ``gisapp informatieproduct`` on the (small) sample project."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pyogrio
import pytest
from pypdf import PdfReader

from gisapp.cli import main

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def small_project(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("voorbeeldstad")
    subprocess.run([sys.executable, str(REPO / "sample_data" / "generate.py"), "--out", str(folder), "--small", "--no-check"],
                   check=True, capture_output=True)
    return folder / "voorbeeldstad.toml"


@pytest.mark.slow
def test_report_command(small_project, tmp_path, capsys):
    assert main(["report", str(small_project), "--out", str(tmp_path)]) == 0
    pdf = next(tmp_path.glob("*.pdf"))
    xlsx = next(tmp_path.glob("*.xlsx"))
    gpkg = next(tmp_path.glob("*.gpkg"))
    assert len(PdfReader(pdf).pages) >= 3
    wb = openpyxl.load_workbook(xlsx)
    assert {"buurten", "wijken", "gemeente", "gebouwen", "parameters"} <= set(wb.sheetnames)
    gebouwen = pyogrio.read_dataframe(gpkg, layer="gebouwen_potentie")
    total = int(gebouwen["totaal_woningen"].sum())
    for level in ("buurten", "wijken", "gemeente"):
        rows = list(wb[level].values)
        frame = pd.DataFrame(rows[2:], columns=rows[1])  # row 1: Dutch labels, row 2: field names
        assert frame["totaal_woningen"].sum() == total, level
    layer_styles = pyogrio.read_dataframe(gpkg, layer="layer_styles")
    assert set(layer_styles["f_table_name"]) == {"gebouwen_potentie", "gebieden_potentie"}


@pytest.mark.slow
def test_report_for_one_gebied_and_errors(small_project, tmp_path, capsys):
    assert main(["report", str(small_project), "--gebieden", "buurten", "--gebied", "BU09990104", "--out", str(tmp_path)]) == 0
    assert "BU09990104" in next(tmp_path.glob("*.pdf")).name
    assert main(["report", str(small_project), "--gebied", "GEEN", "--out", str(tmp_path)]) == 2
    assert "GEEN" in capsys.readouterr().err


@pytest.mark.slow
def test_informatieproduct_command(small_project, tmp_path, capsys):
    assert main(["informatieproduct", str(small_project), "--xy", "155416,463347", "--out", str(tmp_path), "--json"]) == 0
    out = capsys.readouterr().out
    assert '"klasse": "ja_mits"' in out
    gpkg = next(tmp_path.glob("*.gpkg"))
    layers = dict(pyogrio.list_layers(gpkg))
    assert {"locatie", "water_bodem_bronnen", "rasterwaarden", "drempels", "layer_styles"} <= set(layers)
    rasters = pyogrio.read_dataframe(gpkg, layer="rasterwaarden")
    assert set(rasters["raster"]) == {"bodemdaling", "overstromingsdiepte", "kwel"}
    assert len(PdfReader(next(tmp_path.glob("*.pdf"))).pages) >= 1
    assert main(["informatieproduct", str(small_project), "--gebied", "BU09990104", "--out", str(tmp_path)]) == 0
    assert main(["informatieproduct", str(small_project), "--xy", "abc", "--out", str(tmp_path)]) == 2
