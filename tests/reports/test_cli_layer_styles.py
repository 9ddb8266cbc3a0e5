"""``gisapp scan --out`` and ``gisapp locatiescan --out`` write QGIS's ``layer_styles``: every layer opens styled."""

from __future__ import annotations

import sqlite3

import pyogrio
import pytest

import styles
from gisapp.cli import main


def _default_styles(path) -> dict[str, object]:
    """Layer → the style parsed back from its default QML (read with sqlite3, as QGIS reads it)."""
    with sqlite3.connect(path) as con:
        rows = con.execute("SELECT f_table_name, f_geometry_column, styleQML FROM layer_styles WHERE useAsDefault = 1"
                           ).fetchall()
        registered = con.execute("SELECT data_type FROM gpkg_contents WHERE table_name = 'layer_styles'").fetchall()
        geometry = dict(con.execute("SELECT table_name, column_name FROM gpkg_geometry_columns").fetchall())
    assert registered == [("attributes",)]
    for table, column, _qml in rows:
        assert geometry[table] == column
    return {table: styles.from_qml(qml) for table, _column, qml in rows}


@pytest.mark.parametrize("tegels", ["nee", "ja"])
def test_scan_output_carries_a_style_per_layer(sample_project_path, tmp_path, capsys, tegels):
    out = tmp_path / "uit.gpkg"
    assert main(["scan", str(sample_project_path), "--out", str(out), "--tegels", tegels, "--json"]) == 0
    capsys.readouterr()
    spatial = {name for name, kind in pyogrio.list_layers(out) if kind is not None}
    assert spatial == {"gebouwen_potentie", "gebieden_potentie"}
    found = _default_styles(out)
    assert set(found) == spatial
    assert found["gebouwen_potentie"].column == "totaal_woningen"
    assert found["gebieden_potentie"].column == "totaal_woningen"
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary file left


def test_locatiescan_output_carries_its_score_style(sample_project_path, tmp_path, capsys):
    out = tmp_path / "locaties.gpkg"
    assert main(["locatiescan", str(sample_project_path), "--out", str(out), "--zonder-gebouwenscan"]) == 0
    capsys.readouterr()
    found = _default_styles(out)
    assert set(found) == {"locaties_scan"}
    assert found["locaties_scan"].column == "score"
    assert [c.lower for c in found["locaties_scan"].classes] == [0, 20, 40, 60, 80]
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_tiled_scan_output_has_classes_from_its_sample(sample_project_path, tmp_path, capsys):
    """The tiled scan keeps no panden in memory: its style's classes come from a sample of the rows
    of every tile, so QGIS opens it with the same kind of legend as an in-memory run's (it had one
    class "kandidaat")."""
    found = {}
    for tegels in ("nee", "ja"):
        out = tmp_path / f"uit_{tegels}.gpkg"
        assert main(["scan", str(sample_project_path), "--out", str(out), "--tegels", tegels, "--json"]) == 0
        found[tegels] = _default_styles(out)["gebouwen_potentie"]
    capsys.readouterr()
    in_memory, tiled = found["nee"].classes, found["ja"].classes
    assert len(tiled) == len(in_memory) >= 4, [c.label for c in tiled]
    assert tiled[0].label == in_memory[0].label == "geen extra woningen"
    assert "kandidaat" not in [c.label for c in tiled]
    assert tiled[-1].upper >= max(c.lower for c in tiled)
