"""``gisapp locatiescan`` on the sample project."""

from __future__ import annotations

import json

import pyogrio
import pytest

from gisapp.cli import main
from layers.project import load_project
from scans import locatiescan


def test_cli_writes_ranked_layer_and_json(sample_project_path, tmp_path, capsys):
    out = tmp_path / "locaties.gpkg"
    assert main(["locatiescan", str(sample_project_path), "--out", str(out), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    n = len(load_project(sample_project_path).layer("locaties").data)
    assert [name for name, _ in pyogrio.list_layers(out)] == [locatiescan.LAYER_NAME, "layer_styles"]
    written = pyogrio.read_dataframe(out, layer=locatiescan.LAYER_NAME)
    assert len(written) == n and len(summary["locaties"]) == n
    assert written["rang"].tolist() == list(range(1, n + 1))
    assert [r["rang"] for r in summary["locaties"]] == list(range(1, n + 1))
    assert set(locatiescan.output_columns()) - {"geometry"} <= set(written.columns)
    assert summary["layer"] == "locaties_scan" and summary["scenario"] == "standaard"
    # the building scan ran: potential of existing panden is filled in
    assert written["beter_benutten_woningen"].notna().all()
    assert written["beter_benutten_woningen"].sum() > 0
    assert not list(tmp_path.glob(".*.gpkg")), "temporary file left behind"


def test_cli_text_output_and_weights_from_project(sample_copy, tmp_path, capsys):
    text = sample_copy.read_text(encoding="utf-8")
    sample_copy.write_text(text + "\n[settings.locatiescan]\ngewicht_woningbehoefte = 5.0\n", encoding="utf-8")
    out = tmp_path / "uit.gpkg"
    assert main(["locatiescan", str(sample_copy), "--out", str(out), "--zonder-gebouwenscan"]) == 0
    printed = capsys.readouterr().out
    assert "locaties" in printed and " 1. " in printed
    written = pyogrio.read_dataframe(out)
    best = written.sort_values("rang").iloc[0]
    assert best["geplande_woningen"] == written["geplande_woningen"].max()
    assert written["beter_benutten_woningen"].isna().all()


@pytest.mark.parametrize(
    "args, message",
    [
        (["--out", "uit.txt"], "GeoPackage"),
        (["--out", "geen_map/uit.gpkg"], "map bestaat niet"),
        (["--out", "uit.gpkg", "--scenario", "bestaatniet"], "onbekend scenario"),
    ],
)
def test_cli_user_errors_exit_2_with_one_line(sample_project_path, tmp_path, capsys, args, message):
    args = [a if not a.endswith((".txt", ".gpkg")) else str(tmp_path / a) for a in args]
    assert main(["locatiescan", str(sample_project_path), *args]) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and "\n" not in err


def test_cli_project_without_locations(tmp_path, capsys):
    project = tmp_path / "leeg.toml"
    project.write_text('[project]\nname = "Leeg"\n', encoding="utf-8")
    assert main(["locatiescan", str(project), "--out", str(tmp_path / "uit.gpkg")]) == 2
    assert "rol 'locaties'" in capsys.readouterr().err
