"""The shipped sample project "Voorbeeldstad": files, schemas, counts, determinism, candidates.

The generator lives in ``sample_data/generate.py`` (not a package), so it is loaded by path.
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import rasterio
import shapely

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"
RD = "EPSG:28992"
BAG_FUNCTIONS = {
    "woonfunctie", "bijeenkomstfunctie", "celfunctie", "gezondheidszorgfunctie", "industriefunctie",
    "kantoorfunctie", "logiesfunctie", "onderwijsfunctie", "sportfunctie", "winkelfunctie",
    "overige gebruiksfunctie",
}

# file, layer, min features, max features
VECTOR_LAYERS = [
    ("gebouwen.gpkg", "pand", 15_000, 30_000),
    ("verblijfsobjecten.gpkg", "verblijfsobject", 15_000, 60_000),
    ("gebieden.gpkg", "buurten", 30, 80),
    ("gebieden.gpkg", "wijken", 3, 10),
    ("gebieden.gpkg", "gemeente", 1, 1),
    ("netcongestie.gpkg", "voedingsgebieden", 5, 50),
    ("water_bodem.gpkg", "zones", 3, 50),
    ("water_bodem.gpkg", "afwegingskader", 5, 50),
    ("nplv.gpkg", "focusgebied", 1, 1),
    ("erven.gpkg", "erven", 20, 300),
    ("locaties.gpkg", "locaties", 5, 8),
]
RASTERS = ["bodemdaling.tif", "overstromingsdiepte.tif", "kwel.tif"]


def _load_generator():
    spec = importlib.util.spec_from_file_location("voorbeeldstad_generate", SAMPLE / "generate.py")
    module = importlib.util.module_from_spec(spec)
    # dataclasses resolve their module through sys.modules while the class is created.
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


gen = _load_generator()


@pytest.fixture(scope="module")
def pand():
    return gpd.read_file(SAMPLE / "gebouwen.gpkg", layer="pand", engine="pyogrio")


@pytest.fixture(scope="module")
def vbo():
    return gpd.read_file(SAMPLE / "verblijfsobjecten.gpkg", layer="verblijfsobject", engine="pyogrio")


@pytest.fixture(scope="module")
def buurten():
    return gpd.read_file(SAMPLE / "gebieden.gpkg", layer="buurten", engine="pyogrio")


@pytest.fixture(scope="module")
def check():
    return gen.self_check(SAMPLE)


def test_project_file_binds_every_layer_to_an_existing_file():
    project = tomllib.loads((SAMPLE / "voorbeeldstad.toml").read_text(encoding="utf-8"))
    assert project["project"] == {"name": "Voorbeeldstad", "format_version": 1}
    layers = project["layers"]
    expected = {"gebouwen", "verblijfsobjecten", "buurten", "wijken", "gemeente", "netcongestie", "water_bodem",
                "bodemdaling", "overstromingsdiepte", "nplv", "erven", "portefeuille", "locaties"}
    assert expected <= set(layers)
    for key in ("buurten", "wijken", "gemeente"):
        assert layers[key]["role"] == "gebieden"
        assert layers[key]["layer"] == key
    assert layers["gebouwen"]["layer"] == "pand"
    for key, spec in layers.items():
        path = SAMPLE / spec["path"]
        assert path.exists(), f"{key}: {path} missing"
        if "layer" in spec:
            assert spec["layer"] in [name for name, _ in pyogrio.list_layers(path)], key


@pytest.mark.parametrize(("filename", "layer", "low", "high"), VECTOR_LAYERS)
def test_vector_layers_are_readable_in_rd_new(filename, layer, low, high):
    info = pyogrio.read_info(SAMPLE / filename, layer=layer)
    assert info["crs"] == RD
    assert low <= info["features"] <= high
    gdf = gpd.read_file(SAMPLE / filename, layer=layer, engine="pyogrio")
    assert gdf.geometry.notna().all() and not gdf.geometry.is_empty.any()
    assert gdf.geometry.is_valid.all()
    xmin, ymin, xmax, ymax = gdf.total_bounds
    assert 140_000 < xmin < xmax < 170_000 and 450_000 < ymin < ymax < 475_000


@pytest.mark.parametrize("filename", RASTERS)
def test_rasters_are_float32_25m_rd_new_with_nodata(filename):
    with rasterio.open(SAMPLE / filename) as src:
        assert src.crs.to_string() == RD
        assert src.res == (25.0, 25.0)
        assert src.nodata == -9999
        assert src.dtypes == ("float32",)
        data = src.read(1, masked=True)
        assert data.count() > 0.5 * data.size


def test_total_size_stays_small():
    size = sum(p.stat().st_size for p in SAMPLE.iterdir() if p.is_file())
    assert size < 12 * 1024 * 1024


def test_panden_carry_real_bag_and_3dbag_columns(pand):
    columns = {"identificatie", "oorspronkelijkbouwjaar", "status", "gebruiksdoel", "aantal_verblijfsobjecten",
               "oppervlakte_min", "oppervlakte_max", "b3_h_maaiveld", "b3_h_dak_70p", "b3_h_dak_max", "b3_dak_type",
               "b3_bouwlagen", "b3_opp_dak_plat", "b3_kas_warenhuis"}
    assert columns <= set(pand.columns)
    assert pand["identificatie"].str.fullmatch(r"0999\d{12}").all()
    assert pand["identificatie"].is_unique
    assert (pand["oorspronkelijkbouwjaar"] == 9999).any()
    assert {"Pand in gebruik", "Bouw gestart", "Pand gesloopt"} <= set(pand["status"])
    assert set(pand["b3_dak_type"].dropna()) <= {"horizontal", "multiple horizontal", "single horizontal",
                                                  "slanted", "LOD1"}
    assert pand["b3_kas_warenhuis"].any() and not pand["b3_kas_warenhuis"].all()
    assert pand["b3_bouwlagen"].isna().any() and (pand["b3_bouwlagen"].dropna() <= 5).all()
    tokens = set(",".join(pand["gebruiksdoel"].dropna()).split(","))
    assert tokens <= BAG_FUNCTIONS
    assert (pand["gebruiksdoel"] == "woonfunctie,winkelfunctie").any()
    assert (pand.loc[pand["b3_h_dak_70p"].notna(), "b3_h_dak_70p"]
            > pand.loc[pand["b3_h_dak_70p"].notna(), "b3_h_maaiveld"]).all()


def test_panden_do_not_overlap(pand):
    geoms = pand.geometry.to_numpy()
    left, right = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    pair = left < right
    overlap = shapely.area(shapely.intersection(geoms[left[pair]], geoms[right[pair]]))
    assert (overlap < 0.01).all()


def test_verblijfsobjecten_are_consistent_with_their_pand(pand, vbo):
    assert vbo["identificatie"].is_unique
    assert vbo["identificatie"].str.fullmatch(r"0999\d{12}").all()
    assert vbo["pandidentificatie"].isin(pand["identificatie"]).all()
    counts = vbo.groupby("pandidentificatie").size().reindex(pand["identificatie"]).fillna(0).to_numpy()
    np.testing.assert_array_equal(counts, pand["aantal_verblijfsobjecten"].to_numpy())
    functions = vbo.groupby("pandidentificatie")["gebruiksdoel"].agg(lambda s: frozenset(s))
    declared = pand.set_index("identificatie")["gebruiksdoel"].dropna().str.split(",").map(frozenset)
    assert (functions.reindex(declared.index) == declared).all()
    gbo = vbo.groupby("pandidentificatie")["oppervlakte"].agg(["min", "max"])
    p = pand.set_index("identificatie").loc[gbo.index]
    assert (p["oppervlakte_min"] == gbo["min"]).all() and (p["oppervlakte_max"] == gbo["max"]).all()
    merged = vbo.merge(pand[["identificatie", "geometry"]].rename(
        columns={"identificatie": "pandidentificatie", "geometry": "pand_geometry"}), on="pandidentificatie")
    assert shapely.within(merged.geometry.to_numpy(), merged["pand_geometry"].to_numpy()).all()
    assert {"Verblijfsobject in gebruik", "Verblijfsobject buiten gebruik"} <= set(vbo["status"])
    vacant = vbo["status"] == "Verblijfsobject buiten gebruik"
    assert (vacant & (vbo["gebruiksdoel"] == "kantoorfunctie")).sum() > 10


def test_buurten_tile_the_gemeente_and_follow_cbs(buurten, vbo):
    gemeente = gpd.read_file(SAMPLE / "gebieden.gpkg", layer="gemeente", engine="pyogrio").geometry.iloc[0]
    union = shapely.union_all(buurten.geometry.to_numpy())
    assert union.symmetric_difference(gemeente).area < 1.0
    assert abs(buurten.area.sum() - union.area) < 1.0  # no overlaps
    assert buurten["buurtcode"].str.fullmatch(r"BU0999\d{4}").all() and buurten["buurtcode"].is_unique
    assert (buurten["buurtcode"].str[2:8] == buurten["wijkcode"].str[2:]).all()
    assert (buurten["gemeentecode"] == "GM0999").all()
    assert 1 <= (buurten["water"] == "JA").sum() <= 2
    assert set(buurten["water"]) == {"JA", "NEE"}
    assert (buurten["aantal_inwoners"] == -99997).sum() >= 1
    homes = vbo[vbo["gebruiksdoel"].str.contains("woonfunctie") & vbo["status"].isin(gen.EXISTING_VBO)]
    joined = gpd.sjoin(homes[["geometry"]], buurten[["buurtcode", "geometry"]], predicate="within")
    counted = joined.groupby("buurtcode").size().reindex(buurten["buurtcode"]).fillna(0).astype(int)
    np.testing.assert_array_equal(counted.to_numpy(), buurten["woningvoorraad"].to_numpy())
    wijken = gpd.read_file(SAMPLE / "gebieden.gpkg", layer="wijken", engine="pyogrio")
    assert set(wijken["wijkcode"]) == set(buurten["wijkcode"])


def test_constraint_and_extra_layers_cover_every_class():
    net = gpd.read_file(SAMPLE / "netcongestie.gpkg", engine="pyogrio")
    assert set(net["status_afname"]) == {-1, 0, 1, 2, 3}
    assert net["netbeheerder"].notna().all()
    zones = gpd.read_file(SAMPLE / "water_bodem.gpkg", layer="zones", engine="pyogrio")
    assert set(zones["klasse"]) == {"ja", "ja_mits", "nee_tenzij"}
    assert zones.loc[zones["klasse"] == "ja_mits", "mits_toelichting"].str.len().gt(10).all()
    assert (zones["zichtjaar"] == 2050).all() and (zones["bron"] == "Waterschap Voorbeeld").all()
    kader = gpd.read_file(SAMPLE / "water_bodem.gpkg", layer="afwegingskader", engine="pyogrio")
    assert set(kader["klasse"]) == {"0", "A", "B", "C", "D"}
    nplv = gpd.read_file(SAMPLE / "nplv.gpkg", engine="pyogrio")
    assert nplv["focusgebied"].tolist() == ["Voorbeeldstad-Noord"] and nplv["gemeente"].tolist() == ["Voorbeeldstad"]
    loc = gpd.read_file(SAMPLE / "locaties.gpkg", engine="pyogrio")
    assert (loc["geplande_woningen"] >= 200).any() and (loc["betaalbaar_aandeel"] > 0.5).any()
    assert loc["betaalbaar_aandeel"].between(0, 1).all()
    assert set(loc["planstatus"]) == {"hard", "zacht", "idee"}


def test_portefeuille_lists_existing_post_war_panden(pand):
    port = pd.read_csv(SAMPLE / "portefeuille.csv", dtype=str)
    assert {"pand_id", "complex"} <= set(port.columns)
    assert 300 <= len(port) <= 800
    assert port["pand_id"].str.fullmatch(r"\d{16}").all()
    assert port["pand_id"].isin(pand["identificatie"]).all()
    assert port["complex"].str.match(r"Complex \d+ ").all()
    years = pand.set_index("identificatie").loc[port["pand_id"], "oorspronkelijkbouwjaar"]
    assert (years.between(1945, 2020)).mean() > 0.9


def test_every_scan_finds_candidates_and_every_constraint_bites(check):
    scans = check["scans"]
    for scan, counts in scans.items():
        assert counts["kandidaten"] > 0, scan
    for constraint in scans["optoppen"]:
        assert sum(counts[constraint] for counts in scans.values()) > 0, constraint
    # The main scan meets every hard constraint itself.
    for constraint in ("nee_tenzij (zone)", "ja_mits (zone)", "congestie 2", "congestie 3", "nplv"):
        assert scans["optoppen"][constraint] > 0, constraint


def test_candidate_numbers_are_plausible(check):
    share = check["optoppen_woningen"] / check["woningvoorraad"]
    assert 0.02 <= share <= 0.04  # Zuid-Holland found about 2.4% of the stock
    scans = check["scans"]
    assert 100 <= scans["optoppen"]["kandidaten"] <= 600
    assert 100 <= scans["splitsen"]["kandidaten"] <= 900
    assert 24 <= scans["transformatie"]["kandidaten"] <= 250
    assert 24 <= scans["boerenerf"]["kandidaten"] <= 250


@pytest.mark.slow
def test_regeneration_reproduces_the_committed_files(tmp_path):
    """Running the script again gives the committed content (so the outputs are up to date)."""
    done = subprocess.run([sys.executable, str(SAMPLE / "generate.py"), "--out", str(tmp_path), "--no-check"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    for filename, layer in [("gebouwen.gpkg", "pand"), ("gebieden.gpkg", "buurten"), ("bodemdaling.tif", None)]:
        assert gen.layer_checksum(tmp_path / filename, layer) == gen.layer_checksum(SAMPLE / filename, layer), (
            f"{filename} differs from a fresh run: regenerate with python sample_data/generate.py")
    assert (tmp_path / "portefeuille.csv").read_bytes() == (SAMPLE / "portefeuille.csv").read_bytes()
    assert (tmp_path / "voorbeeldstad.toml").read_text() == (SAMPLE / "voorbeeldstad.toml").read_text()


def test_small_town_is_deterministic(tmp_path):
    gen.generate(tmp_path / "a", small=True)
    gen.generate(tmp_path / "b", small=True)
    for filename, layer in [("gebouwen.gpkg", "pand"), ("verblijfsobjecten.gpkg", "verblijfsobject"),
                            ("gebieden.gpkg", "buurten"), ("overstromingsdiepte.tif", None)]:
        assert gen.layer_checksum(tmp_path / "a" / filename, layer) == gen.layer_checksum(tmp_path / "b" / filename,
                                                                                          layer)
    n = pyogrio.read_info(tmp_path / "a" / "gebouwen.gpkg", layer="pand")["features"]
    assert 0 < n < 5_000


def test_checksum_sees_a_changed_value(tmp_path):
    gen.generate(tmp_path, small=True)
    before = gen.layer_checksum(tmp_path / "gebouwen.gpkg", "pand")
    gdf = gpd.read_file(tmp_path / "gebouwen.gpkg", layer="pand", engine="pyogrio")
    gdf.loc[0, "b3_h_dak_70p"] += 0.01
    gdf.to_file(tmp_path / "changed.gpkg", layer="pand", engine="pyogrio")
    assert gen.layer_checksum(tmp_path / "changed.gpkg", "pand") != before
    assert re.fullmatch(r"[0-9a-f]{64}", before)
