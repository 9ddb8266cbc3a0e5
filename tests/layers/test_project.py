import tomllib

import pytest

from layers.errors import DataError
from layers.layer import VectorLayer
from layers.project import Project, load_project


@pytest.fixture
def project_dir(tmp_path, bag_frame):
    bag_frame.to_file(tmp_path / "gebouwen.gpkg", layer="pand")
    bag_frame.rename(columns={"identificatie": "buurtcode"}).to_file(tmp_path / "gebieden.gpkg", layer="buurten")
    (tmp_path / "voorbeeld.toml").write_text(
        """
[project]
name = "Voorbeeldstad"
format_version = 1

[layers.gebouwen]
path = "gebouwen.gpkg"
layer = "pand"
columns = { bouwjaar = "oorspronkelijkbouwjaar" }

[layers.buurten]
role = "gebieden"
path = "gebieden.gpkg"
opacity = 0.5

[scenarios.mijnscenario]
base = "standaard"
optoppen = { bouwjaar_min = 1960 }

[settings]
gebied = "buurten"

[styles.buurten]
kind = "single"
symbol = { fill = "#ff000080" }
""",
        encoding="utf-8",
    )
    return tmp_path


def test_load_project(project_dir):
    project = load_project(project_dir / "voorbeeld.toml")
    assert project.name == "Voorbeeldstad"
    assert project.layers.names() == ["gebouwen", "buurten"]
    gebouwen = project.layer("gebouwen")
    assert isinstance(gebouwen, VectorLayer) and gebouwen.data["bouwjaar"].iloc[0] == 1970
    assert gebouwen.source.path == "gebouwen.gpkg"
    assert project.layer("gebieden") is project.layers["buurten"]
    assert project.layers["buurten"].opacity == 0.5
    assert project.gebieden_layers() == ["buurten"]
    assert project.scenarios["mijnscenario"]["optoppen"]["bouwjaar_min"] == 1960


def test_parse_only_does_not_read_data(project_dir):
    (project_dir / "gebouwen.gpkg").unlink()
    project = load_project(project_dir / "voorbeeld.toml", load_data=False)
    assert len(project.layers) == 0 and set(project.sources) == {"gebouwen", "buurten"}


def test_missing_file_names_role_and_path(project_dir):
    (project_dir / "gebieden.gpkg").unlink()
    with pytest.raises(DataError) as info:
        load_project(project_dir / "voorbeeld.toml")
    assert "gebieden.gpkg" in str(info.value) and "gebieden" in str(info.value) and "buurten" in str(info.value)


def test_save_roundtrip_and_move(project_dir, tmp_path_factory):
    project = load_project(project_dir / "voorbeeld.toml")
    project.layers["gebouwen"].visible = False
    project.save()
    again = load_project(project_dir / "voorbeeld.toml")
    assert again.scenarios == project.scenarios and again.settings == project.settings
    assert again.styles == project.styles and again.layers["gebouwen"].visible is False
    assert again.sources["gebouwen"].columns == {"bouwjaar": "oorspronkelijkbouwjaar"}
    assert not list(project_dir.glob("*.tmp"))
    sub = project_dir / "sub"
    sub.mkdir()
    project.save(sub / "kopie.toml")
    data = tomllib.loads((sub / "kopie.toml").read_text())
    assert data["layers"]["gebouwen"]["path"] == str(project_dir / "gebouwen.gpkg")
    assert len(load_project(sub / "kopie.toml").layers) == 2


def test_new_project_save(tmp_path):
    project = Project(name="Leeg")
    path = project.save(tmp_path / "leeg.toml")
    assert load_project(path).name == "Leeg"


@pytest.mark.parametrize(
    "text, match",
    [
        ("[project]\nformat_version = 2\n", "werk de app bij"),
        ("[project]\nformat_version = 'een'\n", "format_version"),
        ("[layers.gebouwen]\npath = '../../etc/passwd'\n", "buiten de projectmap"),
        ("[layers.gebouwen]\npath = 12\n", "path"),
        ("[layers.gebouwen]\npath = 'a.gpkg'\nrole = 'hacker'\n", "onbekende rol"),
        ("[layers.gebouwen]\npath = 'a.gpkg'\nexec = 'rm -rf /'\n", "onbekende sleutels"),
        ("[layers.gebouwen]\npath = 'a.gpkg'\nopacity = 1e400\n", "opacity"),
        ("[scenarios.x]\nn = 99999999999999999999\n", "te groot"),
        ("[scenarios.x]\nn = nan\n", "eindig"),
        ("[scenarios]\nx = 3\n", "tabel"),
        ("layers = 3\n", "tabel"),
        ("[project\nname=", "geen geldige TOML"),
        ("[project]\nwhen = 1979-05-27\n", "niet toegestaan"),
    ],
)
def test_hostile_project_files(tmp_path, text, match):
    path = tmp_path / "p.toml"
    path.write_text(text)
    with pytest.raises(DataError, match=match):
        load_project(path, load_data=False)


def test_missing_format_version_is_one(tmp_path):
    path = tmp_path / "p.toml"
    path.write_text("[project]\nname = 'x'\n")
    assert load_project(path).format_version == 1
