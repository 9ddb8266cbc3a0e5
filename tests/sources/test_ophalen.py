"""``gisapp ophalen`` end to end against a local replay of the public services
(tests/sources/ophalen_replay.py, built from the real samples in ../shared/realdata)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time

import pyogrio
import pytest

from gisapp.cli import main
from layers.project import load_project
from layers.sources.gemeente import fetch_gemeente, gemeente_code, load_bronnen
from layers.feedback import CancelledError
from tests.sources.ophalen_replay import GEMEENTE_CODE, ReplayServer, build_dataset

pytestmark = pytest.mark.realdata


@pytest.fixture(scope="module")
def dataset():
    from tests.conftest import REALDATA

    if not REALDATA.exists():
        pytest.skip("../shared/realdata is not present beside this checkout")
    return build_dataset(REALDATA)


@pytest.fixture
def server(dataset):
    with ReplayServer(dataset) as replay:
        yield replay


def _ophalen(server, tmp_path, *extra, gemeente=GEMEENTE_CODE) -> int:
    bronnen = server.bronnen(tmp_path / "bronnen.toml")
    return main(["ophalen", "--gemeente", gemeente, "--out", str(tmp_path / "project"), "--cache", str(tmp_path / "cache"),
                 "--bronnen", str(bronnen), *extra])


def _error_line(capsys) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert err[0].startswith("gisapp: fout: ")
    return err[0]


def test_fetch_writes_a_project_that_scans(server, dataset, tmp_path, capsys):
    assert _ophalen(server, tmp_path) == 0
    out = capsys.readouterr().out
    assert "Gemeente Delft (GM0503), CBS 2024" in out
    assert "Bestand nodig" in out and "Netcongestie" in out and "data.partnersinenergie.nl" in out
    project = load_project(tmp_path / "project" / "delft.toml", load_data=False)
    assert set(project.sources) >= {"gebouwen", "verblijfsobjecten", "buurten", "wijken", "gemeente"}
    assert {s.path for s in project.sources.values()} == {"delft.gpkg"}
    bron = project.sources["gebouwen"].bron
    assert bron["url"] == f"{server.url}/kadaster/bag/ogc/v2"
    assert bron["peildatum"] == "2026-04-20"  # the collection's own date (its self link's "updated")
    assert len(bron["opgehaald"]) == 10 and set(bron) == {"url", "opgehaald", "peildatum", "titel"}
    assert project.sources["buurten"].bron["peildatum"] == "2024"
    assert "3D BAG" in bron["titel"] and f"{server.url}/3dbag" in bron["titel"]  # the joined source named too
    assert set(project.settings["ophalen"]["bronnen"]) == {"cbs", "bag", "bag3d", "monumenten"}
    # the 3D BAG replay states no referenceDate: unknown, not the download year
    assert "peildatum onbekend" in bron["titel"] and "peildatum onbekend" in out
    assert project.settings["ophalen"]["gemeentecode"] == GEMEENTE_CODE

    gpkg = tmp_path / "project" / "delft.gpkg"
    assert pyogrio.read_info(gpkg, layer="pand")["layer_metadata"]["bron_url"] == bron["url"]
    assert pyogrio.read_info(gpkg, layer="pand")["layer_metadata"]["gemeentecode"] == GEMEENTE_CODE
    panden = pyogrio.read_dataframe(gpkg, layer="pand")
    buurten = pyogrio.read_dataframe(gpkg, layer="buurten")
    assert set(buurten["gemeentecode"]) == {GEMEENTE_CODE} and len(buurten) == 8  # the neighbour is left out
    # 3D BAG attributes joined by pand id onto exactly the panden they belong to
    with_3d = set(panden.loc[panden["dak_type"].notna(), "identificatie"])
    assert with_3d == set(dataset.bag3d_panden)
    assert panden.loc[panden["identificatie"] == dataset.monument_pand, "rijksmonument"].tolist() == [True]
    assert int(panden["rijksmonument"].sum()) == 1  # the other protected site is no rijksmonument
    monumenten = pyogrio.read_dataframe(gpkg, layer="monumenten")
    assert monumenten["rijksmonument_nummer"].tolist() == ["999999"]
    vbo = pyogrio.read_dataframe(gpkg, layer="verblijfsobject")
    # BAG v2 links a verblijfsobject to its pand's feature; the link became the pand identifier
    assert set(vbo["pand_koppeling"]) == {"bag"}
    assert set(vbo["pandidentificatie"]) <= set(panden["identificatie"])
    assert vbo.groupby("pandidentificatie").size().to_dict() == (
        panden.set_index("identificatie")["aantal_verblijfsobjecten"].dropna().astype(int).loc[lambda n: n > 0].to_dict())
    wijken = pyogrio.read_dataframe(gpkg, layer="wijken")
    assert json.loads(wijken["centroid"].iloc[0])  # a list property stored as JSON text

    result = tmp_path / "uit.gpkg"
    assert main(["scan", str(tmp_path / "project" / "delft.toml"), "--out", str(result), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["buildings"] == len(panden)
    totals = summary["totals"] if "totals" in summary else summary
    assert totals["splitsen"] > 0 and totals["transformatie"] > 0


def test_second_run_downloads_nothing(server, tmp_path, capsys):
    assert _ophalen(server, tmp_path) == 0
    first = len(server.requests)
    assert first > 10
    out = capsys.readouterr().out
    assert out.count("(gedownload;") == 4 and "uit cache;" not in out  # a fresh run: every source downloaded
    assert _ophalen(server, tmp_path) == 0
    assert len(server.requests) == first
    out = capsys.readouterr().out
    assert "0 pagina's gedownload" in out and "gedownload;" not in out


def test_interrupted_run_resumes_without_downloading_finished_pages(server, dataset, tmp_path, capsys):
    # a reference run in another cache: every page the fetch needs
    with ReplayServer(dataset) as reference:
        assert _ophalen(reference, tmp_path / "ref") == 0
        needed = len(reference.requests)
    capsys.readouterr()
    server.behaviour.fail_after = needed // 2  # the service goes down halfway
    assert _ophalen(server, tmp_path) == 2
    assert "HTTP 503" in _error_line(capsys)
    assert not (tmp_path / "project" / "delft.toml").exists()  # nothing half written
    done = len(server.requests)
    server.behaviour.fail_after = None
    assert _ophalen(server, tmp_path) == 0
    second = server.requests[done:]
    # the second run fetches exactly what the first did not finish
    assert len(second) == needed - done
    assert not set(second) & set(server.requests[:done])


def test_offline_without_cache_exits_2_with_one_line(server, tmp_path, capsys):
    assert _ophalen(server, tmp_path, "--offline") == 2
    assert "offline" in _error_line(capsys)
    assert server.requests == []


def test_offline_after_a_run_needs_no_server(dataset, tmp_path, capsys):
    with ReplayServer(dataset) as replay:
        assert _ophalen(replay, tmp_path) == 0
        bronnen = replay.bronnen(tmp_path / "bronnen.toml")
    capsys.readouterr()
    (tmp_path / "project" / "delft.toml").unlink()
    code = main(["ophalen", "--gemeente", "delft", "--out", str(tmp_path / "project"), "--cache", str(tmp_path / "cache"),
                 "--bronnen", str(bronnen), "--offline"])
    assert code == 0
    assert (tmp_path / "project" / "delft.toml").exists()


def test_no_network_exits_2_with_one_line(dataset, tmp_path, capsys):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with ReplayServer(dataset) as replay:
        bronnen = replay.bronnen(tmp_path / "bronnen.toml")
    text = bronnen.read_text().replace(replay.url, f"http://127.0.0.1:{port}")
    bronnen.write_text(text)
    code = main(["ophalen", "--gemeente", GEMEENTE_CODE, "--out", str(tmp_path / "p"), "--cache", str(tmp_path / "c"),
                 "--bronnen", str(bronnen)])
    assert code == 2
    assert "niet bereikbaar" in _error_line(capsys)


def test_unknown_gemeente_exits_2_and_suggests(server, tmp_path, capsys):
    assert _ophalen(server, tmp_path, gemeente="Delfd") == 2
    line = _error_line(capsys)
    assert "gemeente 'Delfd' bestaat niet" in line and "Delft" in line


def test_lookup_by_name_in_any_case(server, tmp_path, capsys):
    assert _ophalen(server, tmp_path, gemeente="dElFt") == 0
    assert "Delft (GM0503)" in capsys.readouterr().out


def test_bad_bronnen_file_is_one_line(server, tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text("[http]\nsnelheid = 3\n")
    assert main(["ophalen", "--gemeente", "x", "--out", str(tmp_path / "p"), "--bronnen", str(bad)]) == 2
    assert "snelheid" in _error_line(capsys)


def test_cancelling_writes_nothing(server, tmp_path):
    class Cancel:
        def __init__(self):
            self.steps = []

        def progress(self, fraction, text=""):
            self.steps.append((fraction, text))

        def is_cancelled(self):
            return any("BAG" in text for _, text in self.steps)

        def message(self, text):
            return None

    feedback = Cancel()
    with pytest.raises(CancelledError):
        fetch_gemeente(GEMEENTE_CODE, tmp_path / "p", feedback=feedback, cache_dir=tmp_path / "c",
                       bronnen=server.bronnen(tmp_path / "b.toml"))
    assert not (tmp_path / "p").exists() or not any((tmp_path / "p").iterdir())
    fractions = [f for f, _ in feedback.steps]
    assert fractions == sorted(fractions) and 0.0 < fractions[-1] < 1.0


def test_progress_runs_to_one(server, tmp_path):
    steps = []

    class Record:
        def progress(self, fraction, text=""):
            steps.append(fraction)

        def is_cancelled(self):
            return False

        def message(self, text):
            return None

    result = fetch_gemeente(GEMEENTE_CODE, tmp_path / "p", feedback=Record(), cache_dir=tmp_path / "c",
                            bronnen=server.bronnen(tmp_path / "b.toml"))
    assert steps == sorted(steps) and steps[-1] == 1.0
    assert {s.key for s in result.needs_file} >= {"netcongestie", "nplv", "bodemdaling", "overstromingsdiepte"}
    assert all(s.waar for s in result.needs_file)


def test_gemeente_codes():
    assert gemeente_code("GM0221") == "GM0221"
    assert gemeente_code("gm221") == "GM0221"
    assert gemeente_code("0221") == "GM0221"
    assert gemeente_code("Doesburg") is None


def test_bronnen_override_merges_over_the_shipped_file(tmp_path, monkeypatch):
    mirror = tmp_path / "mirror.toml"
    mirror.write_text('[bag]\nurl = "https://geo.example.nl/bag"\n')
    monkeypatch.setenv("BB_BRONNEN", str(mirror))
    bronnen = load_bronnen()
    assert bronnen["bag"]["url"] == "https://geo.example.nl/bag"
    assert bronnen["bag"]["panden"] == "pand"  # the rest of the table stays
    assert bronnen["cbs"]["url"].startswith("https://api.pdok.nl/cbs/")


def test_project_bron_round_trips_and_is_checked(tmp_path):
    from layers.errors import DataError
    from layers.project import LayerSource, Project

    project = Project(name="bron", path=tmp_path / "p.toml")
    bron = {"url": "https://api.pdok.nl/kadaster/bag/ogc/v2", "opgehaald": "2026-01-02", "peildatum": "2026-01-01", "titel": "BAG"}
    project.sources["gebouwen"] = LayerSource("gebouwen", "g.gpkg", "gebouwen", "pand", bron=bron)
    project.save()
    assert load_project(tmp_path / "p.toml", load_data=False).sources["gebouwen"].bron == bron
    text = (tmp_path / "p.toml").read_text().replace('titel = "BAG"', 'bron_van = "BAG"')
    (tmp_path / "p.toml").write_text(text)
    with pytest.raises(DataError, match="bron mag alleen"):
        load_project(tmp_path / "p.toml", load_data=False)


def test_cached_data_keeps_its_download_date_until_vernieuwen(server, tmp_path, capsys):
    assert _ophalen(server, tmp_path) == 0
    first = len(server.requests)
    for meta in (tmp_path / "cache").rglob("*.json"):  # as if everything was downloaded long ago
        data = json.loads(meta.read_text())
        meta.write_text(json.dumps({**data, "opgehaald": "2000-01-01"}))
    capsys.readouterr()
    assert _ophalen(server, tmp_path) == 0
    assert len(server.requests) == first
    assert "opgehaald 2000-01-01" in capsys.readouterr().out
    bron = load_project(tmp_path / "project" / "delft.toml", load_data=False).sources["gebouwen"].bron
    assert bron["opgehaald"] == "2000-01-01"
    assert _ophalen(server, tmp_path, "--vernieuwen") == 0
    assert len(server.requests) == 2 * first  # everything again
    assert "opgehaald 2000-01-01" not in capsys.readouterr().out


def test_pand_reference_from_links_and_from_location():
    import geopandas as gpd
    import shapely

    from layers.sources.gemeente.bag import pand_reference

    panden = gpd.GeoDataFrame({"id": ["u1", "u2"], "identificatie": ["0001100000000001", "0001100000000002"]},
                              geometry=[shapely.box(0, 0, 10, 10), shapely.box(20, 0, 30, 10)], crs=28992)
    vbo = gpd.GeoDataFrame(
        {"identificatie": ["a", "b", "c", "d"],
         "pand": [["https://x/collections/pand/items/u2"], [{"href": "https://x/collections/pand/items/u1?f=json"}],
                  ["https://x/collections/pand/items/elders"], None]},
        geometry=shapely.points([(25, 5), (5, 5), (5, 5), (50, 50)]), crs=28992)
    out = pand_reference(vbo, panden)
    assert out["pandidentificatie"].tolist()[:3] == ["0001100000000002", "0001100000000001", "0001100000000001"]
    assert pd_isna(out["pandidentificatie"].iloc[3])  # in no pand and no link that resolves: unknown
    assert out["pand_koppeling"].tolist()[:3] == ["bag", "bag", "ligging"] and pd_isna(out["pand_koppeling"].iloc[3])
    published = vbo.assign(pandidentificatie=["1", "2", "3", "4"])
    assert pand_reference(published, panden) is published  # a published identifier is kept as it is


def pd_isna(value) -> bool:
    import pandas as pd

    return bool(pd.isna(value))


def test_a_killed_run_resumes(server, tmp_path):
    """The command killed mid-download (SIGKILL: no clean-up at all); the next run completes and
    downloads again at most the one page that was in flight."""
    from tests.conftest import REPO

    bronnen = server.bronnen(tmp_path / "bronnen.toml")
    server.behaviour.delay = 0.1
    command = [sys.executable, "-m", "gisapp.cli", "ophalen", "--gemeente", GEMEENTE_CODE, "--out", str(tmp_path / "project"),
               "--cache", str(tmp_path / "cache"), "--bronnen", str(bronnen)]
    process = subprocess.Popen(command, cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)},
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        waited = 0.0
        while len(server.requests) < 12 and process.poll() is None and waited < 120:
            time.sleep(0.05)
            waited += 0.05
        process.kill()
    finally:
        process.wait()
    assert process.returncode != 0, "the run finished before it could be killed"
    assert not (tmp_path / "project" / "delft.toml").exists()
    before = server.requests
    server.behaviour.delay = 0.0
    assert main(command[3:]) == 0
    again = server.requests[len(before):]
    assert len(set(again) & set(before)) <= 1  # only the page that was being downloaded
    assert (tmp_path / "project" / "delft.toml").exists()


def test_a_year_without_woningvoorraad_says_so(server, dataset, tmp_path, capsys, monkeypatch):
    buurten = dataset.collections[("/cbs/wijken-en-buurten-2024/ogc/v1", "buurten")]
    monkeypatch.setitem(dataset.collections, ("/cbs/wijken-en-buurten-2024/ogc/v1", "buurten"),
                        buurten.assign(woningvoorraad=-99997))  # as CBS publishes a figure not yet known
    assert _ophalen(server, tmp_path) == 0
    assert "woningvoorraad per buurt is (nog) niet gepubliceerd" in capsys.readouterr().out


def test_a_year_that_does_not_exist(server, tmp_path, capsys):
    assert _ophalen(server, tmp_path, "--jaar", "1990") == 2
    assert "CBS Wijken en Buurten 1990 is er niet" in _error_line(capsys)


def test_running_again_keeps_what_the_user_added(server, tmp_path, capsys):
    assert _ophalen(server, tmp_path) == 0
    toml = tmp_path / "project" / "delft.toml"
    project = load_project(toml, load_data=False)
    from layers.project import LayerSource

    project.sources["netcongestie"] = LayerSource("netcongestie", "netcongestie.gpkg", "netcongestie", "voedingsgebieden")
    project.sources["gebouwen"].opacity = 0.5
    project.scenarios["mijn"] = {"base": "standaard"}
    project.save()
    assert _ophalen(server, tmp_path) == 0
    again = load_project(toml, load_data=False)
    assert "netcongestie" in again.sources and again.scenarios == {"mijn": {"base": "standaard"}}
    assert again.sources["gebouwen"].opacity == 0.5 and again.sources["gebouwen"].bron
