"""The tiled scan (scans/batch/tiled.py) gives the in-memory scan's result, in bounded memory."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pyogrio
import pytest

from layers.errors import DataError
from layers.project import load_project
from layers.readers import read_layer
from layers.feedback import CancelledError
from scans.inputs import ScanInputs
from scans.pipeline import run_potentiescan, write_result
from scans.scenarios import PRESETS
from scans.batch.tiled import ProjectTiles, Tile, plan_tiles, scan_project_tiled

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "sample_data" / "voorbeeldstad.toml"
#: Small tiles so the 19k-pand sample town is cut into several tiles with borders through it.
SMALL_TILES = 2_500


@pytest.fixture(scope="module")
def in_memory(tmp_path_factory):
    out = tmp_path_factory.mktemp("inmem") / "scan.gpkg"
    result = run_potentiescan(ScanInputs.from_project(load_project(SAMPLE)), PRESETS["standaard"])
    write_result(result, out)
    return out, result


def _layer(path: Path, name: str, key: str) -> pd.DataFrame:
    frame = pyogrio.read_dataframe(path, layer=name)
    frame = pd.DataFrame(frame.assign(wkb=frame.geometry.to_wkb()).drop(columns="geometry"))
    return frame.sort_values(key).reset_index(drop=True)


def _assert_same_output(tiled: Path, reference: Path) -> None:
    a, b = _layer(tiled, "gebouwen_potentie", "pand_id"), _layer(reference, "gebouwen_potentie", "pand_id")
    assert list(a.columns) == list(b.columns)
    differing = [c for c in a.columns if not a[c].equals(b[c])]
    assert differing == [], {c: (a[c] != b[c]).sum() for c in differing}
    pd.testing.assert_frame_equal(a, b, check_dtype=True)
    ga, gb = _layer(tiled, "gebieden_potentie", "gebied_code"), _layer(reference, "gebieden_potentie", "gebied_code")
    pd.testing.assert_frame_equal(ga, gb, check_dtype=True, rtol=1e-12)
    pa_, pb = pyogrio.read_dataframe(tiled, layer="scenario_parameters"), pyogrio.read_dataframe(reference, layer="scenario_parameters")
    pd.testing.assert_frame_equal(pa_, pb)


def test_tiles_cut_the_town(in_memory):
    project = load_project(SAMPLE, load_data=False)
    source = ProjectTiles(project)
    assert source.why_not() is None
    extent, count = source.extent_and_count()
    assert count >= len(in_memory[1].gebouwen)  # the file also holds panden the BAG status filter drops
    assert len(plan_tiles(extent, count, SMALL_TILES)) >= 6


def test_tiled_equals_in_memory(in_memory, tmp_path):
    reference, result = in_memory
    out = tmp_path / "tiled.gpkg"
    messages = []

    class Feedback:
        fractions = []

        def progress(self, fraction, text=""):
            self.fractions.append(fraction)

        def is_cancelled(self):
            return False

        def message(self, text):
            messages.append(text)

    fb = Feedback()
    tiled = scan_project_tiled(load_project(SAMPLE, load_data=False), PRESETS["standaard"], out, fb,
                               tile_panden=SMALL_TILES)
    _assert_same_output(out, reference)
    assert tiled.totals == result.totals
    assert fb.fractions == sorted(fb.fractions) and fb.fractions[-1] == 1.0
    assert not list(tmp_path.glob(".*tmp*")), "no temporary file left behind"
    # halo panden at a tile's edge lose their verblijfsobjecten: no per-tile "onbekend gebruiksdoel" count
    assert not any("onbekend gebruiksdoel" in m for m in messages), messages


def test_tiled_with_worker_processes_equals_in_memory(in_memory, tmp_path):
    reference, result = in_memory
    out = tmp_path / "tiled2.gpkg"
    tiled = scan_project_tiled(load_project(SAMPLE, load_data=False), PRESETS["optimistisch"], out,
                               tile_panden=SMALL_TILES * 2, workers=2)
    expected = run_potentiescan(ScanInputs.from_project(load_project(SAMPLE)), PRESETS["optimistisch"])
    write_result(expected, tmp_path / "expected.gpkg")
    _assert_same_output(out, tmp_path / "expected.gpkg")
    assert tiled.totals == expected.totals


def test_tiled_on_dask_workers_that_read_their_own_tiles(in_memory, tmp_path):
    from scans.batch.distributed import connect

    reference, result = in_memory
    client = connect("local", n_workers=2)
    try:
        out = tmp_path / "dask.gpkg"
        tiled = scan_project_tiled(load_project(SAMPLE, load_data=False), PRESETS["standaard"], out,
                                   tile_panden=SMALL_TILES, client=client)
    finally:
        cluster = client.cluster
        client.close()
        cluster.close()
    _assert_same_output(out, reference)
    assert tiled.totals == result.totals


def test_cancelled_tiled_scan_leaves_nothing(tmp_path):
    out = tmp_path / "cancelled.gpkg"

    class CancelAfterSecondTile:
        calls = 0

        def progress(self, fraction, text=""):
            if text.startswith("tegel"):
                self.calls += 1

        def is_cancelled(self):
            return self.calls >= 2

        def message(self, text):
            pass

    with pytest.raises(CancelledError):
        scan_project_tiled(load_project(SAMPLE, load_data=False), None, out, CancelAfterSecondTile(),
                           tile_panden=SMALL_TILES)
    assert list(tmp_path.iterdir()) == []


def test_every_point_belongs_to_exactly_one_tile():
    rng = np.random.default_rng(7)
    extent = (1000.0, 2000.0, 31000.0, 12000.0)
    tiles = plan_tiles(extent, 100_000, 9_000, halo_m=500)
    x = np.concatenate([rng.uniform(0, 32000, 5000), [t.x0 for t in tiles if np.isfinite(t.x0)], [31000.0, -1e9]])
    y = np.concatenate([rng.uniform(1000, 13000, 5000), [t.y0 for t in tiles if np.isfinite(t.x0)], [12000.0, 1e9]])
    owners = np.sum([t.owns(x, y) for t in tiles], axis=0)
    assert (owners == 1).all()
    bbox = tiles[0].read_bbox(extent)
    assert bbox[0] == extent[0] - 500 and bbox[1] == extent[1] - 500
    assert Tile(0, -np.inf, -np.inf, np.inf, np.inf, 500).read_bbox(extent) is None


def test_bbox_read_option(tmp_path):
    path = REPO / "sample_data" / "gebouwen.gpkg"
    full = read_layer(path, layer="pand", role="gebouwen").data
    xmin, ymin, xmax, ymax = full.total_bounds
    box = [xmin, ymin, (xmin + xmax) / 2, (ymin + ymax) / 2]
    part = read_layer(path, layer="pand", role="gebouwen", options={"bbox": box}).data
    bounds = full.geometry.bounds
    hits = (bounds.minx <= box[2]) & (bounds.maxx >= box[0]) & (bounds.miny <= box[3]) & (bounds.maxy >= box[1])
    assert 0 < len(part) < len(full)
    assert sorted(part["pand_id"]) == sorted(full.loc[hits, "pand_id"])
    with pytest.raises(DataError, match="bbox"):
        read_layer(path, layer="pand", role="gebouwen", options={"bbox": [3, 2, 1]})
    with pytest.raises(DataError, match="geen geldige rechthoek"):
        read_layer(path, layer="pand", role="gebouwen", options={"bbox": [10, 10, 0, 0]})


def test_unsupported_sources_say_why(tmp_path):
    (tmp_path / "p.toml").write_text(
        '[project]\nname = "x"\nformat_version = 1\n[layers.gebouwen]\npath = "panden.csv"\n', encoding="utf-8")
    (tmp_path / "panden.csv").write_text("identificatie;x;y\n1;155000;463000\n", encoding="utf-8")
    reason = ProjectTiles(load_project(tmp_path / "p.toml", load_data=False)).why_not()
    assert "geen GeoPackage" in reason


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gisapp.cli", *args], capture_output=True, text=True, cwd=REPO,
                          timeout=300)


def test_cli_tegels_gives_the_same_totals(tmp_path):
    tiled = _cli("scan", str(SAMPLE), "--out", str(tmp_path / "a.gpkg"), "--tegels", "ja", "--json")
    memory = _cli("scan", str(SAMPLE), "--out", str(tmp_path / "b.gpkg"), "--tegels", "nee", "--json")
    assert tiled.returncode == 0, tiled.stderr
    assert memory.returncode == 0, memory.stderr
    a, b = json.loads(tiled.stdout), json.loads(memory.stdout)
    assert a["tegels"] is True and b["tegels"] is False
    assert a["totals"] == b["totals"] and a["buildings"] == b["buildings"]
    # a small project in auto mode is scanned in memory; a portfolio scan never in tiles
    auto = _cli("scan", str(SAMPLE), "--out", str(tmp_path / "c.gpkg"), "--json")
    assert json.loads(auto.stdout)["tegels"] is False


def test_a_failing_writer_stops_the_run_with_its_error(tmp_path, monkeypatch):
    import scans.batch.tiled as tiled

    def broken_writer(*args, **kwargs):
        raise OSError("schijf vol")

    monkeypatch.setattr(tiled.geopackage, "write_batches", broken_writer)
    out = tmp_path / "vol.gpkg"
    with pytest.raises(OSError, match="schijf vol"):
        scan_project_tiled(load_project(SAMPLE, load_data=False), None, out, tile_panden=SMALL_TILES)
    assert list(tmp_path.iterdir()) == []


def test_tiles_leave_out_their_unknown_gebruiksdoel_count():
    """A tile's count of panden with an unknown gebruiksdoel includes halo panden cut off from
    their verblijfsobjecten at the tile's edge (19 such lines on a 10M run): the tiled run drops
    it; other messages still pass, once each."""
    from layers.feedback import RecordingFeedback
    from layers.texts import Translatable
    from scans.batch.tiled import _TileFeedback
    from scans.pipeline import UNKNOWN_DOEL_MESSAGE

    outer = RecordingFeedback()
    tiles = _TileFeedback(outer, set())
    for n in (6, 1):
        tiles.message(Translatable(UNKNOWN_DOEL_MESSAGE, n=n, total=130_000, missing="buiten de laag"))
        tiles.message("de gebouwenlaag heeft geen 3D BAG-gegevens")
    assert outer.messages == ["de gebouwenlaag heeft geen 3D BAG-gegevens"]
