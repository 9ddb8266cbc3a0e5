"""File paths from a project are resolved and shown before they are read (issue 8, item 5)."""

from __future__ import annotations

import shutil

import geopandas as gpd
import shapely

from gisapp.cli import main
from layers.project import load_project


def _project_with_external_gebouwen(tmp_path):
    elsewhere = tmp_path / "elders"
    elsewhere.mkdir()
    gdf = gpd.GeoDataFrame(
        {"identificatie": ["0503100000000001"], "bouwjaar": [1970]},
        geometry=[shapely.box(85000, 447000, 85020, 447020)],
        crs="EPSG:28992",
    )
    gdf.to_file(elsewhere / "panden.gpkg", layer="pand")
    folder = tmp_path / "project"
    folder.mkdir()
    toml = folder / "p.toml"
    toml.write_text(
        f'[project]\nname = "Extern"\n[layers.gebouwen]\npath = "{(elsewhere / "panden.gpkg").as_posix()}"\n'
        '[layers.bron]\nrole = "netcongestie"\npath = "https://gebruiker:geheim@example.org/ogc/collections/x"\n',
        encoding="utf-8",
    )
    return toml, elsewhere / "panden.gpkg"


def test_external_sources_are_listed_before_reading(tmp_path):
    toml, data = _project_with_external_gebouwen(tmp_path)
    lines: list[str] = []
    project = load_project(toml, load_data=False, announce=lines.append)
    external = dict(project.external_sources())
    assert external["gebouwen"] == str(data.resolve())
    assert "geheim" not in external["bron"] and "***" in external["bron"]
    assert len(lines) == 2 and all("buiten de projectmap" in line for line in lines)
    assert len(project.layers) == 0  # nothing read yet


def test_sources_inside_the_folder_are_not_announced(sample_project_path, tmp_path):
    copy = tmp_path / "sample"
    shutil.copytree(sample_project_path.parent, copy, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    project = load_project(copy / sample_project_path.name, load_data=False)
    assert project.external_sources() == []


def test_cli_scan_names_the_external_file_on_stderr(tmp_path, capsys):
    toml, data = _project_with_external_gebouwen(tmp_path)
    toml.write_text(toml.read_text(encoding="utf-8").split("[layers.bron]")[0], encoding="utf-8")
    assert main(["scan", str(toml), "--out", str(tmp_path / "uit.gpkg")]) == 0
    err = capsys.readouterr().err
    assert f"buiten de projectmap: {data.resolve()}" in err


def test_locatiescan_never_overwrites_an_input(sample_project_path, tmp_path, capsys):
    copy = tmp_path / "sample"
    shutil.copytree(sample_project_path.parent, copy, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    target = copy / "locaties.gpkg"
    before = target.read_bytes()
    assert main(["locatiescan", str(copy / sample_project_path.name), "--out", str(target)]) == 2
    assert "invoerbestand" in capsys.readouterr().err
    assert target.read_bytes() == before
