"""Every writer behind an export reports its progress from 0 to 1, never backwards, with a step
text that changes; and a cancel half-way raises ``CancelledError``, leaving no file (and no
temporary file) beside the target and an existing file at the target with the bytes it had.

Headless: the writers get a ``layers.feedback.RecordingFeedback``; one that cancels after N
progress reports stops them half-way (no threads, no timing).
"""

from __future__ import annotations

import os

import geopandas as gpd
import numpy as np
import pytest
import shapely

from layers.feedback import CancelledError, RecordingFeedback

OLD_BYTES = b"de vorige uitvoer, die moet blijven staan"


@pytest.fixture(scope="module")
def product():
    """The sample's informatieproduct at the middle of its panden."""
    from gisapp.reports.informatieproduct import build_informatieproduct
    from layers.project import load_project
    from tests.conftest import SAMPLE_PROJECT

    project = load_project(SAMPLE_PROJECT)
    xmin, ymin, xmax, ymax = project.layer("gebouwen").data.total_bounds
    return build_informatieproduct(project, xy=((xmin + xmax) / 2, (ymin + ymax) / 2))


def _frame(rows: int) -> gpd.GeoDataFrame:
    x = np.arange(rows, dtype="float64") % 500 * 20.0 + 100_000
    y = np.arange(rows, dtype="float64") // 500 * 20.0 + 400_000
    return gpd.GeoDataFrame({"nummer": np.arange(rows), "tekst": ["pand"] * rows}, geometry=shapely.box(x, y, x + 10, y + 10),
                            crs="EPSG:28992")


def _writers(result, product):
    """Name -> (suffix, write(path, feedback)) of every writer an export in the app uses."""
    from gisapp.export_actions import write_portfolio
    from gisapp.reports.excel import write_excel
    from gisapp.reports.geopackage import write_styled_result
    from gisapp.reports.informatieproduct import write_informatieproduct_gpkg, write_informatieproduct_pdf
    from gisapp.reports.maps import render_map
    from gisapp.reports.pdf import write_pdf
    from layers.io import geopackage
    from scans.pipeline import write_result

    import styles

    return {
        "pdf": (".pdf", lambda path, feedback: write_pdf(result, path, project_name="Testdorp", feedback=feedback)),
        "excel": (".xlsx", lambda path, feedback: write_excel(result, path, feedback=feedback)),
        "geopackage": (".gpkg", lambda path, feedback: write_styled_result(result, path, feedback=feedback)),
        "portefeuille": (".xlsx", lambda path, feedback: write_portfolio(result, path, feedback=feedback)),
        "scan_geopackage": (".gpkg", lambda path, feedback: write_result(result, path, feedback)),
        "informatieproduct_pdf": (".pdf", lambda path, feedback: write_informatieproduct_pdf(product, path, feedback=feedback)),
        "informatieproduct_gpkg": (".gpkg", lambda path, feedback: write_informatieproduct_gpkg(product, path, feedback=feedback)),
        "kaart": (".png", lambda path, feedback: render_map(
            [(result.gebieden, styles.default_style("gebieden_potentie", result.gebieden)),
             (result.gebouwen, styles.default_style("gebouwen_potentie", result.gebouwen))],
            path, legend=[("Gebieden", styles.default_style("gebieden_potentie", result.gebieden))], feedback=feedback)),
        "laag_in_batches": (".gpkg", lambda path, feedback: _layer_in_batches(geopackage, path, feedback)),
    }


def _layer_in_batches(geopackage, path, feedback):
    with geopackage.replacing(path) as tmp:
        geopackage.write_frame(_frame(20_000), tmp, "panden", feedback)


WRITERS = ["pdf", "excel", "geopackage", "portefeuille", "scan_geopackage", "informatieproduct_pdf",
           "informatieproduct_gpkg", "kaart", "laag_in_batches"]


def _steps(name, fake_result, product, tmp_path) -> list[tuple[float, str]]:
    suffix, write = _writers(fake_result, product)[name]
    feedback = RecordingFeedback()
    write(tmp_path / f"uit{suffix}", feedback)
    return feedback.steps


@pytest.mark.parametrize("name", WRITERS)
def test_progress_goes_from_0_to_1_without_going_back(name, fake_result, product, tmp_path):
    steps = _steps(name, fake_result, product, tmp_path)
    fractions = [fraction for fraction, _text in steps]
    assert fractions[0] == 0.0 and fractions[-1] == 1.0, fractions
    assert all(a <= b for a, b in zip(fractions, fractions[1:])), fractions
    assert len(set(fractions)) >= 3, fractions  # steps in between, not only the ends
    if name != "laag_in_batches":  # a layer's text is given by its caller (write_result: the layer name)
        texts = [str(text) for _fraction, text in steps]
        assert all(texts), steps
        assert len(set(texts)) >= 2, texts


def test_a_layer_reports_every_batch(tmp_path):
    """20 000 rows go to GDAL in batches of ``progress_batch_rows`` rows, each reported when written."""
    from layers.io import geopackage

    feedback = RecordingFeedback()
    _layer_in_batches(geopackage, tmp_path / "uit.gpkg", feedback)
    rows = geopackage.progress_batch_rows(20_000)
    batches = -(-20_000 // rows)
    assert batches >= 5
    assert len(feedback.steps) == batches + 2  # 0 before the first batch, one per batch, 1 once the layer is closed
    assert [round(f, 3) for f, _ in feedback.steps[1:-1]] == [round(0.9 * min(1.0, (i + 1) * rows / 20_000), 3)
                                                              for i in range(batches)]


def test_the_scan_result_names_the_layer_it_writes(fake_result, tmp_path):
    from scans.pipeline import write_result

    feedback = RecordingFeedback()
    write_result(fake_result, tmp_path / "uit.gpkg", feedback)
    texts = list(dict.fromkeys(str(text) for _fraction, text in feedback.steps))
    assert texts == ["gebouwen_potentie wegschrijven", "gebieden_potentie wegschrijven", "complexen wegschrijven",
                     "scenario_parameters wegschrijven"]


@pytest.mark.parametrize("name", WRITERS)
def test_a_cancel_half_way_leaves_no_file_and_the_old_one_as_it_was(name, fake_result, product, tmp_path):
    first = tmp_path / "eerst"
    first.mkdir()
    steps = _steps(name, fake_result, product, first)
    suffix, write = _writers(fake_result, product)[name]
    folder = tmp_path / "uit"
    folder.mkdir()
    target = folder / f"uit{suffix}"
    target.write_bytes(OLD_BYTES)
    feedback = RecordingFeedback(cancel_after=len(steps) // 2)
    with pytest.raises(CancelledError):
        write(target, feedback)
    assert 0.0 < feedback.steps[-1][0] < 1.0  # it was half-way
    assert target.read_bytes() == OLD_BYTES
    assert os.listdir(folder) == [target.name]  # no temporary file, no GeoPackage beside a portfolio workbook
