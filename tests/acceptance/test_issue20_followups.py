"""Acceptance follow-ups of issue 20 ("Real data in, honest numbers out") on the real samples
in ../shared/realdata: the scan summary names what it could not judge, the data check agrees
with the per-building ``<scan>_bron``, a raster without a value is "onbekend" (never "nan"),
``gisapp ophalen`` fixes the award year in the project, and a scan plus report leave only their
own files."""

from __future__ import annotations

import datetime as _dt
import json
import re
from pathlib import Path

import numpy as np
import pyogrio
import pytest

from gisapp.cli import main
from tests.conftest import REALDATA

pytestmark = pytest.mark.realdata

DELFT = REALDATA / "bag-delft-wippolder" / "wippolder_bag_pand.gpkg"


@pytest.fixture
def delft_project(tmp_path) -> Path:
    """BAG panden of Delft alone (no verblijfsobjecten, no 3D BAG), read from the real sample."""
    if not DELFT.exists():
        pytest.skip("../shared/realdata is not present beside this checkout")
    path = tmp_path / "delft.toml"
    path.write_text(f'[project]\nname = "Delft"\nformat_version = 1\n\n[layers.gebouwen]\npath = "{DELFT.as_posix()}"\n'
                    'layer = "bag_pand_kerk"\n', encoding="utf-8")
    return path


def test_scan_summary_names_unknown_estimated_and_dropped_panden(delft_project, tmp_path, capsys):
    frame = pyogrio.read_dataframe(DELFT, layer="bag_pand_kerk")
    gone = frame["identificatie"].isin(frame["identificatie"].iloc[[0, 1, 2]])
    assert frame.loc[gone, "status"].str.startswith("Pand in gebruik").all()
    frame.loc[gone, "status"] = "Pand gesloopt"
    pyogrio.write_dataframe(frame, tmp_path / "sloop.gpkg", layer="bag_pand_kerk")
    project = tmp_path / "sloop.toml"
    project.write_text(delft_project.read_text(encoding="utf-8").replace(DELFT.as_posix(), "sloop.gpkg"), encoding="utf-8")

    assert main(["scan", str(project), "--out", str(tmp_path / "uit.gpkg"), "--json"]) == 0
    totals = json.loads(capsys.readouterr().out)["totals"]
    assert main(["scan", str(project), "--out", str(tmp_path / "uit.gpkg")]) == 0
    lines = capsys.readouterr().out.splitlines()
    for name in ("splitsen", "transformatie"):
        line = next(text for text in lines if text.strip().startswith(name))
        assert f"{totals[name]} woningen" in line
        assert totals[f"{name}_onbekend"] >= 1 and f"onbekend: {totals[f'{name}_onbekend']} pand" in line
    assert totals["transformatie_woningen_geschat"] > 0
    assert f"op een schatting: {totals['transformatie_woningen_geschat']} woningen" in next(
        text for text in lines if text.strip().startswith("transformatie"))
    assert "schatting" not in next(text for text in lines if text.strip().startswith("splitsen"))
    assert "  Vervallen panden: 3 (Pand gesloopt: 3)" in lines


def test_data_check_estimates_agree_with_the_bron_of_the_homes(delft_project, tmp_path, capsys):
    """Splitsen's homes in Delft rest on panden with one woonfunctie vbo whose oppervlakte_min and
    _max are equal: their GBO is the vbo's own, so ``splitsen_bron`` says "gemeten" and the data
    check must not call those inputs estimated; it names as estimated only the panden whose GBO
    scans.inputs had to average or divide (``gbo_schatting``)."""
    from layers.project import load_project
    from scans.inputs import ScanInputs, prepare_buildings

    assert main(["scan", str(delft_project), "--out", str(tmp_path / "uit.gpkg"), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    out = pyogrio.read_dataframe(tmp_path / "uit.gpkg", layer="gebouwen_potentie")
    raw = pyogrio.read_dataframe(DELFT, layer="bag_pand_kerk")
    raw["pand_id"] = raw["identificatie"].astype(str).str.zfill(16)
    homes = out[out["splitsen_woningen"] > 0].merge(raw, on="pand_id")
    assert len(homes) == (out["splitsen_woningen"] > 0).sum() and homes["splitsen_woningen"].sum() == 11
    assert (homes["aantal_verblijfsobjecten"] == 1).all() and (homes["oppervlakte_min"] == homes["oppervlakte_max"]).all()
    assert set(homes["splitsen_bron"]) == {"gemeten"}
    assert summary["totals"]["splitsen_woningen_geschat"] == 0
    assert summary["totals"]["transformatie_woningen_geschat"] == 43  # the one pand of 5 vbo's, 163-2272 m²

    project = load_project(delft_project)
    prepared = prepare_buildings(ScanInputs.from_project(project))
    estimated = (prepared["gbo_schatting"].astype(str) != "").to_numpy()
    splitsen = next(s for s in summary["gegevens"]["scans"] if s["scan"] == "splitsen")
    gbo_text = next(t for t in splitsen["geschat"] if t.startswith("GBO"))
    assert gbo_text.endswith(f"voor {round(100 * estimated.mean())}%")
    assert 0 < estimated.mean() < 0.5


def test_informatieproduct_raster_without_value_is_onbekend(sample_project_path, tmp_path):
    import rasterio
    from pypdf import PdfReader

    from gisapp.reports.informatieproduct import (GEEN_WAARDE, build_informatieproduct, write_informatieproduct_gpkg,
                                                  write_informatieproduct_pdf)
    from layers.project import load_project

    with rasterio.open(sample_project_path.parent / "bodemdaling.tif") as raster:
        band = raster.read(1, masked=True)
        rows, cols = np.nonzero(np.ma.getmaskarray(band))
        assert rows.size
        xy = raster.xy(int(rows[0]), int(cols[0]))
    product = build_informatieproduct(load_project(sample_project_path), xy=(float(xy[0]), float(xy[1])))
    row = product.rasters.set_index("raster").loc["bodemdaling"]
    assert np.isnan(row["waarde"]) and row["klasse"] == "" and row["toelichting"] == GEEN_WAARDE
    pdf = write_informatieproduct_pdf(product, tmp_path / "ip.pdf", project_name="Voorbeeldstad")
    text = "\n".join(page.extract_text() for page in PdfReader(str(pdf)).pages)
    section = text[text.index("Rasterwaarden"):text.index("Drempels")]
    assert "Bodemdaling tot 2050" in section and "onbekend" in section
    assert not re.search(r"\bnan\b", section, flags=re.IGNORECASE)
    gpkg = write_informatieproduct_gpkg(product, tmp_path / "ip.gpkg")
    table = pyogrio.read_dataframe(gpkg, layer="rasterwaarden", read_geometry=False)
    texts = [v for c in ("klasse", "toelichting") for v in table[c].tolist() if isinstance(v, str)]
    assert texts and not any(v.strip().lower() == "nan" for v in texts)
    assert table.set_index("raster").loc["bodemdaling", "klasse"] in ("", None)


def test_ophalen_fixes_the_award_year_in_the_project(tmp_path, capsys):
    from layers.project import load_project
    from tests.sources.ophalen_replay import GEMEENTE_CODE, ReplayServer, build_dataset

    if not REALDATA.exists():
        pytest.skip("../shared/realdata is not present beside this checkout")
    with ReplayServer(build_dataset(REALDATA)) as server:
        args = ["ophalen", "--gemeente", GEMEENTE_CODE, "--out", str(tmp_path / "project"), "--cache", str(tmp_path / "cache"),
                "--bronnen", str(server.bronnen(tmp_path / "bronnen.toml"))]
        assert main(args) == 0
        path = tmp_path / "project" / "delft.toml"
        assert load_project(path, load_data=False).settings["locatiescan"]["toekenningsjaar"] == _dt.date.today().year
        path.write_text(path.read_text(encoding="utf-8").replace(
            f"toekenningsjaar = {_dt.date.today().year}", "toekenningsjaar = 2024"), encoding="utf-8")
        assert main(args) == 0  # a run again keeps the year the user set
    capsys.readouterr()
    assert load_project(path, load_data=False).settings["locatiescan"]["toekenningsjaar"] == 2024


def test_scan_and_report_leave_only_their_own_files(delft_project, tmp_path, capsys):
    out = tmp_path / "uit"
    out.mkdir()
    assert main(["scan", str(delft_project), "--out", str(out / "uit.gpkg")]) == 0
    assert main(["report", str(delft_project), "--out", str(out / "rapport")]) == 0
    capsys.readouterr()
    assert sorted(p.name for p in out.iterdir()) == ["rapport", "uit.gpkg"]
    assert sorted(p.suffix for p in (out / "rapport").iterdir()) == [".gpkg", ".pdf", ".xlsx"]


def test_informatieproduct_cli_says_onbekend_without_water_bodem_data(sample_project_path, tmp_path, capsys):
    """A project without a water/bodem layer or rasters: the class at a location is unknown,
    and the command says so instead of printing an empty class."""
    sample = sample_project_path.parent
    project = tmp_path / "zonder_water.toml"
    project.write_text(
        '[project]\nname = "Zonder water"\nformat_version = 1\n\n'
        f'[layers.gebouwen]\npath = "{sample / "gebouwen.gpkg"}"\nlayer = "pand"\n\n'
        f'[layers.buurten]\nrole = "gebieden"\npath = "{sample / "gebieden.gpkg"}"\nlayer = "buurten"\n',
        encoding="utf-8")
    x, y = pyogrio.read_info(sample / "gebouwen.gpkg", layer="pand")["total_bounds"][:2]
    code = main(["informatieproduct", str(project), "--xy", f"{x + 500:.1f},{y + 500:.1f}", "--out", str(tmp_path / "ip")])
    out = capsys.readouterr().out
    assert code == 0
    assert "water en bodem onbekend" in out and "''" not in out


@pytest.mark.gui
def test_a_scan_that_could_not_run_is_onbekend_in_the_chart_not_zero(delft_project, qtbot, monkeypatch):
    """Delft's panden have no 3D BAG: optoppen cannot run. Its bar says "onbekend" (it said 0)."""
    from gisapp.app import main_window
    from gisapp.gui_commands import run_default_scan
    from gisapp.main_window import MainWindow

    monkeypatch.setattr(MainWindow, "confirm_external_sources", lambda self, external: True)
    window = main_window(delft_project, lang="nl")
    qtbot.addWidget(window, before_close_func=lambda w: w.set_modified(False))
    window.show()
    run_default_scan(window)
    chart = window.results_panel.bar_chart
    shown = dict(zip(chart.labels, chart.unknown))
    assert shown["Optoppen"] and not shown["Splitsen"] and not shown["Transformatie"], shown
    texts = [item.textItem.toPlainText() for item in chart.items if hasattr(item, "textItem")]
    assert "onbekend" in texts
    # no gebieden layer in this project: the summary says so instead of "in 0 gebieden"
    assert window.results_panel.summary.text() == "Totaal: 62 extra woningen; zonder gebiedenlaag geen tabel per gebied."
    window.set_modified(False)
