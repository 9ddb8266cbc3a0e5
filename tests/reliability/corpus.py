"""A corpus of bad input files, generated into a temporary folder (nothing is committed).

Every :class:`Case` says what reading it must do: ``"ok"`` (read, possibly with counted
warnings), ``"error"`` (a :class:`~layers.errors.DataError` naming the file and the
problem) or ``"either"`` (formats where GDAL may salvage part of a damaged file).
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import rasterio
from rasterio.transform import from_origin
from shapely.geometry import LineString, Point, Polygon, box

RD = "EPSG:28992"
X0, Y0 = 155000.0, 463000.0
VECTOR_EXTS = ("gpkg", "geojson", "shp", "fgb", "csv")
ALL_EXTS = (*VECTOR_EXTS, "tif")


@dataclass(frozen=True)
class Case:
    """One corpus file and what reading it must give.

    Attributes
    ----------
    name : test id.
    path : the file (or folder, or missing path).
    kind : ``"layer"``, ``"raster"`` or ``"project"``.
    expect : ``"ok"``, ``"error"`` or ``"either"``.
    problem : for errors, a fragment the message must contain (besides the file name).
    counts : for ok cases, LoadReport count keys that must be > 0.
    warns : for ok cases, a fragment one of the warnings must contain.
    role : role to read the layer with (None: guessed).
    """

    name: str
    path: Path
    kind: str = "layer"
    expect: str = "error"
    problem: str = ""
    counts: tuple[str, ...] = ()
    warns: str = ""
    role: str | None = "gebouwen"
    extra: dict = field(default_factory=dict)


def _square(i: int, side: float = 12.0) -> Polygon:
    x = X0 + (i % 10) * 40.0
    y = Y0 + (i // 10) * 40.0
    return box(x, y, x + side, y + side)


def bag_frame(n: int = 6) -> gpd.GeoDataFrame:
    """BAG/3D BAG-like panden with the real column names, in RD New."""
    i = np.arange(n)
    return gpd.GeoDataFrame(
        {
            "identificatie": [f"NL.IMBAG.Pand.0363100012{k:06d}" for k in i],
            "oorspronkelijkbouwjaar": (1950 + 7 * i).astype("int64"),
            "status": ["Pand in gebruik"] * n,
            "gebruiksdoel": ["woonfunctie", "kantoorfunctie", "woonfunctie,winkelfunctie"] * (n // 3) + ["woonfunctie"] * (n % 3),
            "aantal_verblijfsobjecten": (4 + i).astype("int64"),
            "oppervlakte_min": np.full(n, 60.0),
            "oppervlakte_max": np.full(n, 90.0),
            "b3_h_maaiveld": np.zeros(n),
            "b3_h_dak_70p": 9.0 + i,
            "b3_dak_type": ["single horizontal"] * n,
            "b3_bouwlagen": (3 + i % 3).astype("float64"),
            "b3_opp_dak_plat": np.full(n, 144.0),
        },
        geometry=[_square(k) for k in i],
        crs=RD,
    )


def gebieden_frame() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"buurtcode": ["BU03630001", "BU03630002"], "buurtnaam": ["West", "Oost"], "aantal_inwoners": [100, -99997]},
        geometry=[box(X0 - 100, Y0 - 100, X0 + 200, Y0 + 200), box(X0 + 200, Y0 - 100, X0 + 500, Y0 + 200)],
        crs=RD,
    )


def _write(gdf: gpd.GeoDataFrame, path: Path, **kw) -> Path:
    if path.suffix == ".csv":
        frame = pd.DataFrame(gdf.drop(columns=gdf.geometry.name))
        frame.insert(0, "wkt", gdf.geometry.to_wkt())
        frame.to_csv(path, sep=";", index=False)
        return path
    pyogrio.write_dataframe(gdf, path, **kw)
    return path


def _write_tif(path: Path, array: np.ndarray, crs: str | None, transform, nodata: float | None = -9999.0) -> Path:
    profile = dict(driver="GTiff", width=array.shape[1], height=array.shape[0], count=1, dtype="float32",
                   transform=transform, nodata=nodata)
    if crs is not None:
        profile["crs"] = crs
    with rasterio.open(path, "w", **profile) as ds:
        ds.write(array.astype("float32"), 1)
    return path


def _rd_grid() -> tuple[np.ndarray, object]:
    return np.arange(20 * 30, dtype="float64").reshape(20, 30) / 10.0, from_origin(X0 - 200, Y0 + 400, 25.0, 25.0)


def _truncate(src: Path, dst: Path) -> Path:
    data = src.read_bytes()
    dst.write_bytes(data[: max(1, len(data) // 2)])
    return dst


def _copy_shapefile(src: Path, dst: Path) -> Path:
    for side in src.parent.glob(src.stem + ".*"):
        shutil.copy(side, dst.with_suffix(side.suffix))
    return dst


def build(root: Path) -> dict[str, Case]:
    """Write every corpus file under ``root`` and return the cases by name."""
    root.mkdir(parents=True, exist_ok=True)
    good = root / "good"
    good.mkdir(exist_ok=True)
    rng = np.random.default_rng(28992)
    cases: list[Case] = []

    def add(case: Case) -> None:
        cases.append(case)

    # valid files, the base for truncated copies (and the other layers of the scan projects)
    base = bag_frame()
    valid = {ext: _write(base, good / f"gebouwen.{ext}") for ext in VECTOR_EXTS}
    array, transform = _rd_grid()
    valid["tif"] = _write_tif(good / "bodemdaling.tif", array, RD, transform)
    _write(gebieden_frame(), good / "gebieden.gpkg")

    for ext in ALL_EXTS:
        kind = "raster" if ext == "tif" else "layer"
        role = "bodemdaling" if ext == "tif" else "gebouwen"
        empty = root / f"empty.{ext}"
        empty.write_bytes(b"")
        add(Case(f"empty_{ext}", empty, kind, "error", "leeg", role=role))
        noise = root / f"random.{ext}"
        noise.write_bytes(rng.integers(0, 256, 4096, dtype=np.uint8).tobytes())
        add(Case(f"random_{ext}", noise, kind, "error", "", role=role))
        folder = root / f"truncated_{ext}"
        folder.mkdir(exist_ok=True)
        target = folder / f"truncated.{ext}"
        if ext == "shp":
            _copy_shapefile(valid["shp"], target)
        _truncate(valid[ext], target)
        # GDAL salvages the complete features of a cut shapefile/FlatGeobuf; a cut CSV loses its last row
        add(Case(f"truncated_{ext}", target, kind, "either", "", role=role))

    broken = root / "broken.geojson"
    broken.write_text('{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [1,')
    add(Case("broken_json", broken, problem="GeoJSON"))
    scalar = root / "scalar.geojson"
    scalar.write_text("[42, \"geen geometrie\"]")
    add(Case("json_array_not_geojson", scalar))
    folder_gpkg = root / "x.gpkg"
    folder_gpkg.mkdir(exist_ok=True)
    add(Case("folder_named_gpkg", folder_gpkg, problem="map"))
    add(Case("missing_file", root / "bestaat_niet.gpkg", problem="bestaat niet"))
    unknown_ext = root / "gebouwen.xyz"
    unknown_ext.write_text("dit is geen geodata\n")
    add(Case("unknown_extension", unknown_ext, problem="bestandsformaat"))

    # coordinates and CRS
    nocrs = root / "nocrs_rd" / "panden.shp"
    nocrs.parent.mkdir(exist_ok=True)
    pyogrio.write_dataframe(base.set_crs(None, allow_override=True), nocrs)
    add(Case("no_crs_rd_coordinates", nocrs, expect="ok", warns="geen coördinatenstelsel"))
    nocrs_far = root / "nocrs_far" / "panden.shp"
    nocrs_far.parent.mkdir(exist_ok=True)
    far = base.copy()
    far["geometry"] = base.geometry.translate(5_000_000, 5_000_000)
    pyogrio.write_dataframe(far.set_crs(None, allow_override=True), nocrs_far)
    add(Case("no_crs_far_away", nocrs_far, problem="niet binnen RD New"))
    wgs = base.to_crs("EPSG:4326")
    swapped = wgs.copy()
    swapped["geometry"] = wgs.geometry.map(lambda g: Polygon([(y, x) for x, y in g.exterior.coords]))
    add(Case("swapped_axes_latlon", _write(swapped, root / "verwisseld.geojson"), problem="verwisseld"))
    degrees = wgs.set_crs(RD, allow_override=True)
    add(Case("degrees_labelled_rd", _write(degrees, root / "graden_als_rd.gpkg"), problem="graden"))
    australia = base.copy()
    australia["geometry"] = [box(16_000_000 + k * 50, -3_000_000, 16_000_000 + k * 50 + 10, -2_999_990) for k in range(len(base))]
    add(Case("far_outside_nl", _write(australia.set_crs("EPSG:3857", allow_override=True), root / "australie.gpkg"),
             expect="ok", counts=("outside_nl",), warns="buiten Nederland"))
    csv_far = root / "punten_ver.csv"
    csv_far.write_text("naam;x;y\nA;5000000;5000000\nB;5000100;5000100\n")
    add(Case("csv_xy_far_away", csv_far, problem="niet binnen RD New", role=None))
    partly = base.copy()
    partly.loc[0, "geometry"] = box(9e6, 9e6, 9e6 + 10, 9e6 + 10)
    add(Case("partly_outside_nl", _write(partly, root / "deels_buiten.gpkg"), expect="ok",
             counts=("outside_nl",), warns="buiten Nederland"))

    # geometries
    bowtie = Polygon([(X0, Y0), (X0 + 10, Y0 + 10), (X0 + 10, Y0), (X0, Y0 + 10), (X0, Y0)])
    invalid = base.copy()
    invalid.loc[0, "geometry"] = bowtie
    add(Case("invalid_geometry", _write(invalid, root / "ongeldig.gpkg"), expect="ok", counts=("repaired",)))
    empties = base.copy()
    empties.loc[[0, 1], "geometry"] = Polygon()
    add(Case("empty_geometries", _write(empties, root / "leeg_geom.gpkg"), expect="ok", counts=("dropped_empty",)))
    nulls = base.copy()
    nulls.loc[[0, 2], "geometry"] = None
    add(Case("null_geometries", _write(nulls, root / "null_geom.geojson"), expect="ok", counts=("dropped_null",)))
    all_null = base.copy()
    all_null["geometry"] = None
    add(Case("all_null_geometries", _write(all_null, root / "alles_null.geojson"), problem="geen geometrie"))
    mixed = base.copy()
    mixed.loc[[1, 3], "geometry"] = [Point(X0, Y0), LineString([(X0, Y0), (X0 + 5, Y0 + 5)])]
    add(Case("mixed_points_polygons", _write(mixed, root / "gemengd.gpkg", geometry_type="Unknown"), expect="ok",
             counts=("dropped_wrong_type",)))
    z3d = base.copy()
    z3d["geometry"] = [Polygon([(x, y, 4.5) for x, y in g.exterior.coords]) for g in base.geometry]
    add(Case("geometry_3d", _write(z3d, root / "driedimensionaal.gpkg"), expect="ok", counts=("z_dropped",)))
    lines = gpd.GeoDataFrame(base.drop(columns="geometry"), geometry=[LineString([(X0, Y0 + k), (X0 + 9, Y0 + k)]) for k in range(len(base))], crs=RD)
    add(Case("lines_as_gebouwen", _write(lines, root / "lijnen.gpkg"), expect="ok", warns="verwacht vlakken"))
    nothing = root / "geen_objecten.geojson"
    nothing.write_text('{"type": "FeatureCollection", "features": []}')
    add(Case("no_features", nothing, expect="ok", warns="geen objecten"))

    # columns and values
    add(Case("missing_columns", _write(base[["status", "geometry"]], root / "zonder_kolommen.gpkg"), expect="ok",
             warns="verplichte kolommen ontbreken"))
    mistyped = root / "verkeerde_types.csv"
    text = base.drop(columns="geometry").astype(object)
    text.loc[0, "oorspronkelijkbouwjaar"] = "onbekend"
    text.loc[1, "aantal_verblijfsobjecten"] = "veel"
    text.loc[2, "b3_h_dak_70p"] = "hoog"
    text.loc[3, "oorspronkelijkbouwjaar"] = "9999"
    text.insert(0, "wkt", base.geometry.to_wkt())
    text.to_csv(mistyped, sep=";", index=False)
    add(Case("mistyped_columns_csv", mistyped, expect="ok", counts=("sentinels",), warns="onbekend"))
    nan_inf = base.copy()
    nan_inf["oorspronkelijkbouwjaar"] = nan_inf["oorspronkelijkbouwjaar"].astype("float64")
    nan_inf.loc[0, "oorspronkelijkbouwjaar"] = np.nan
    nan_inf.loc[1, "oorspronkelijkbouwjaar"] = np.inf
    nan_inf.loc[2, "b3_h_dak_70p"] = -np.inf
    nan_inf.loc[3, "b3_opp_dak_plat"] = np.nan
    add(Case("nan_and_infinite", _write(nan_inf, root / "nan_inf.gpkg"), expect="ok", counts=("sentinels",)))
    nan_csv = root / "nan_inf.csv"
    nan_csv.write_text("x;y;identificatie;oorspronkelijkbouwjaar;b3_h_dak_70p\n"
                       f"{X0};{Y0};1;inf;nan\n{X0 + 50};{Y0};2;1970;-inf\n{X0 + 100};{Y0};3;NaN;12,5\n")
    add(Case("nan_and_infinite_csv", nan_csv, expect="ok", counts=("sentinels",)))
    dup = base.copy()
    dup.loc[1, "identificatie"] = dup.loc[0, "identificatie"]
    dup.loc[3, "identificatie"] = dup.loc[2, "identificatie"].replace("NL.IMBAG.Pand.", "")
    add(Case("duplicate_pand_ids", _write(dup, root / "dubbele_ids.gpkg"), expect="ok", counts=("duplicates",),
             warns="dubbel"))

    # a shapefile whose .cpg says UTF-8 while the .dbf holds cp1252 bytes
    lying = root / "cpg_liegt" / "panden.shp"
    lying.parent.mkdir(exist_ok=True)
    named = base.copy()
    named["straat"] = ["Café Één", "Hoofdstraat", "Ètude", "Rüdesheimer", "Façade", "Öresund"]
    pyogrio.write_dataframe(named, lying, encoding="cp1252")
    lying.with_suffix(".cpg").write_text("UTF-8")
    add(Case("shapefile_cpg_lies", lying, expect="ok", warns="cp1252", extra={"straat": "Café Één"}))

    # rasters
    add(Case("raster_no_crs_rd", _write_tif(root / "zonder_crs_rd.tif", array, None, transform), "raster", "ok",
             warns="zonder coördinatenstelsel", role="bodemdaling"))
    add(Case("raster_no_crs_far", _write_tif(root / "zonder_crs_ver.tif", array, None, from_origin(1e7, 1e7, 25, 25)),
             "raster", "error", "niet binnen RD New", role="bodemdaling"))
    add(Case("raster_degrees_as_rd", _write_tif(root / "graden_als_rd.tif", array, RD, from_origin(5.0, 52.5, 0.01, 0.01)),
             "raster", "error", "buiten Nederland", role="bodemdaling"))
    add(Case("raster_all_nodata", _write_tif(root / "alles_nodata.tif", np.full((10, 10), -9999.0), RD, transform),
             "raster", "ok", warns="geen waarden", role="bodemdaling"))
    add(Case("raster_nan_inf", _write_tif(root / "nan_inf.tif", np.where(array > 40, np.inf, np.where(array < 5, np.nan, array)), RD, transform, nodata=None),
             "raster", "ok", warns="oneindig", role="bodemdaling"))
    multiband = root / "drie_banden.tif"
    with rasterio.open(multiband, "w", driver="GTiff", width=4, height=4, count=3, dtype="float32", crs=RD,
                       transform=transform) as ds:
        ds.write(np.ones((3, 4, 4), dtype="float32"))
    add(Case("raster_multiband", multiband, "raster", "ok", role="bodemdaling"))
    add(Case("raster_as_gebouwen", valid["tif"], "raster", "error", "raster", role="gebouwen"))

    # GeoPackages with several layers, none named as expected
    several = root / "meerdere_lagen.gpkg"
    pyogrio.write_dataframe(base, several, layer="alpha")
    pyogrio.write_dataframe(gebieden_frame(), several, layer="beta")
    pyogrio.write_dataframe(base.head(2), several, layer="gamma")
    add(Case("gpkg_several_layers_unnamed", several, expect="ok", warns="de eerste"))
    add(Case("gpkg_requested_layer_missing", several, expect="error", problem="beschikbare lagen",
             extra={"layer": "pand"}))
    tables_only = root / "alleen_tabel.gpkg"
    pyogrio.write_dataframe(pd.DataFrame({"a": [1, 2]}), tables_only, layer="tabel", driver="GPKG")
    add(Case("gpkg_table_only", tables_only, problem="geen geometrie"))

    cases.extend(project_cases(root / "projects", good))
    return {c.name: c for c in cases}


def project_cases(folder: Path, good: Path) -> list[Case]:
    """Project TOML files with hostile or odd content."""
    folder.mkdir(parents=True, exist_ok=True)
    gebouwen = (good / "gebouwen.gpkg").as_posix()
    texts: dict[str, tuple[str | bytes, str, str]] = {
        # name: (content, expect, problem)
        "huge_int": ("[project]\nname='x'\n[settings]\nn = 99999999999999999999999999\n", "error", "te groot"),
        "huge_int_version": ("[project]\nformat_version = 999999999999999999999999\n", "error", "format_version"),
        "huge_float_opacity": (f"[layers.gebouwen]\npath='{gebouwen}'\nopacity = 1e308\n", "error", "opacity"),
        "inf_setting": ("[settings]\nx = inf\n", "error", "eindig"),
        "deep_array": ("[settings]\nx = " + "[" * 20000 + "]" * 20000 + "\n", "error", "genest"),
        "deep_inline_table": ("[settings]\nx = " + "{a = " * 5000 + "1" + "}" * 5000 + "\n", "error", "genest"),
        "deep_tables": ("[settings." + ".".join(["a"] * 50) + "]\nx = 1\n", "error", "te diep genest"),
        "etc_passwd": ("[layers.gebouwen]\npath = '/etc/passwd'\n", "error", "passwd"),
        "climb_out": ("[layers.gebouwen]\npath = '../../../etc/passwd'\n", "error", "buiten de projectmap"),
        "unknown_table": ("[macro]\nrun = 'import os'\n", "error", "onbekende onderdelen"),
        "unknown_layer_key": (f"[layers.gebouwen]\npath='{gebouwen}'\neval = '1+1'\n", "error", "onbekende sleutels"),
        "binary_garbage": (bytes(range(256)) * 8, "error", "UTF-8"),
        "nul_in_path": ("[layers.gebouwen]\npath = \"a\\u0000.gpkg\"\n", "error", "geen geldig pad"),
        "wrong_type_name": ("[project]\nname = 42\n", "error", "name"),
        "wrong_type_layers": ("layers = 'gebouwen.gpkg'\n", "error", "tabel"),
        "wrong_type_layer_table": ("[layers]\ngebouwen = 'gebouwen.gpkg'\n", "error", "tabel"),
        "wrong_type_visible": (f"[layers.gebouwen]\npath='{gebouwen}'\nvisible = 'ja'\n", "error", "visible"),
        "wrong_type_columns": (f"[layers.gebouwen]\npath='{gebouwen}'\ncolumns = {{ bouwjaar = 1970 }}\n", "error", "columns"),
        "wrong_type_date": ("[project]\nname = 1979-05-27T07:32:00Z\n", "error", "name"),
        "empty_path": ("[layers.gebouwen]\npath = ''\n", "error", "path"),
        "unknown_role": (f"[layers.x]\npath='{gebouwen}'\n", "error", "onbekende rol"),
        "missing_data_file": ("[layers.gebouwen]\npath = 'weg.gpkg'\n", "error", "bestaat niet"),
        "invalid_toml": ("[project\nname = \n", "error", "geen geldige TOML"),
        "bom_utf8": ("\ufeff[project]\nname = 'Met BOM'\n", "ok", ""),
        "empty_project": ("", "ok", ""),
        "no_format_version": (f"[project]\nname = 'Oud'\n[layers.gebouwen]\npath='{gebouwen}'\n", "ok", ""),
        "format_version_0": (f"[project]\nname = 'Oud'\nformat_version = 0\n[layers.gebouwen]\npath='{gebouwen}'\n", "ok", ""),
        "format_version_99": ("[project]\nformat_version = 99\n", "error", "format_version 99"),
        "format_version_negative": ("[project]\nformat_version = -1\n", "error", "format_version"),
        "format_version_text": ("[project]\nformat_version = '1'\n", "error", "format_version"),
    }
    cases = []
    for name, (content, expect, problem) in texts.items():
        path = folder / f"{name}.toml"
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        cases.append(Case(f"project_{name}", path, "project", expect, problem, role=None))
    big = folder / "tien_mb.toml"
    with big.open("w", encoding="utf-8") as fh:
        fh.write("[settings]\n")
        line = "# " + "x" * 1000 + "\n"
        for _ in range(10_500):
            fh.write(line)
    cases.append(Case("project_10mb", big, "project", "error", "te groot", role=None))
    dir_toml = folder / "map.toml"
    dir_toml.mkdir(exist_ok=True)
    cases.append(Case("project_folder_named_toml", dir_toml, "project", "error", "map", role=None))
    cases.append(Case("project_missing", folder / "weg.toml", "project", "error", "bestaat niet", role=None))
    return cases


def write_project(path: Path, name: str, layers: dict[str, tuple[str, Path | str]], extra: str = "") -> Path:
    """A project TOML naming ``layers`` (key -> (role, path)); ``extra`` lines go in the last layer table."""
    quote = json.dumps  # TOML basic strings accept JSON string escapes
    lines = ["[project]", f"name = {quote(name)}"]
    for key, (role, data_path) in layers.items():
        lines += [f"[layers.{key}]", f"role = {quote(role)}", f"path = {quote(os.fspath(data_path))}"]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n" + extra, encoding="utf-8")
    return path


def _valid_layers(good: Path) -> dict[str, tuple[str, Path]]:
    return {"gebouwen": ("gebouwen", good / "gebouwen.gpkg"), "buurten": ("gebieden", good / "gebieden.gpkg")}


def scan_project(case: Case, folder: Path, good: Path) -> Path:
    """A tiny project TOML that uses ``case.path`` in a role fitting the case.

    Vector files become ``gebouwen`` (with a valid gebieden layer); rasters become
    ``bodemdaling`` beside valid gebouwen; project files are scanned as they are.
    """
    if case.kind == "project":
        return case.path
    layers = _valid_layers(good)
    if case.kind == "raster" and case.role != "gebouwen":
        layers["bodemdaling"] = ("bodemdaling", case.path)
        return write_project(folder / f"{case.name}.toml", case.name, layers)
    del layers["gebouwen"]
    layers = {"buurten": layers["buurten"], "gebouwen": ("gebouwen", case.path)}
    extra = f"layer = {json.dumps(case.extra['layer'])}\n" if "layer" in case.extra else ""
    return write_project(folder / f"{case.name}.toml", case.name, layers, extra)


def gebieden_project(case: Case, folder: Path, good: Path) -> Path:
    """A project using a vector corpus file as the gebieden layer beside valid gebouwen."""
    layers = {**_valid_layers(good), "buurten": ("gebieden", case.path)}
    return write_project(folder / f"{case.name}__gebieden.toml", case.name, layers)


def role_projects(root: Path, good: Path) -> dict[str, Path]:
    """Projects with odd data in the other roles a scan reads (beside valid gebouwen and gebieden)."""
    folder = root / "role_projects"
    folder.mkdir(parents=True, exist_ok=True)
    base = bag_frame()
    area = box(X0 - 100, Y0 - 100, X0 + 500, Y0 + 200)
    files: dict[str, tuple[str, Path]] = {}

    congestie_csv = folder / "congestie_pc6.csv"
    congestie_csv.write_text("postcode;status\n1234AB;rood\n1234AC;onbekend\n1234AD;7\n")
    files["netcongestie_table"] = ("netcongestie", congestie_csv)
    zones = gpd.GeoDataFrame({"kleur": ["paars", None, "rood"]}, geometry=[area, area.buffer(-50), Point(X0, Y0).buffer(5)], crs=RD)
    files["netcongestie_odd_codes"] = ("netcongestie", _write(zones, folder / "congestie.gpkg"))
    wb = gpd.GeoDataFrame({"klasse": ["X", "nee tenzij", None]}, geometry=[area, area, area.buffer(-100)], crs=RD)
    files["water_bodem_unknown_classes"] = ("water_bodem", _write(wb, folder / "water_bodem.gpkg"))
    pts = base.geometry.centroid
    vbo = gpd.GeoDataFrame(
        {
            "identificatie": ["0363010000000001"] * 3 + ["0363010000000002", "x", None],
            "pandidentificatie": [base.loc[0, "identificatie"], None, "onbekend", base.loc[1, "identificatie"],
                                  base.loc[1, "identificatie"], base.loc[5, "identificatie"]],
            "gebruiksdoel": ["woonfunctie", None, "onbekend", "kantoorfunctie", "", "woonfunctie"],
            "oppervlakte": [np.nan, np.inf, -99999.0, 1e12, 0.0, "veel"],
        },
        geometry=list(pts),
        crs=RD,
    )
    vbo_csv = folder / "vbo.csv"
    frame = pd.DataFrame(vbo.drop(columns="geometry"))
    frame.insert(0, "wkt", vbo.geometry.to_wkt())
    frame.to_csv(vbo_csv, sep=";", index=False)
    files["verblijfsobjecten_garbage"] = ("verblijfsobjecten", vbo_csv)
    nplv = gpd.GeoDataFrame({"naam": ["zonder focusgebied-kolom"]}, geometry=[area], crs=RD)
    files["nplv_missing_column"] = ("nplv", _write(nplv, folder / "nplv.gpkg"))
    erven = gpd.GeoDataFrame({"erf_id": [None, "1"]}, geometry=[area, Polygon()], crs=RD)
    files["erven_odd"] = ("erven", _write(erven, folder / "erven.gpkg"))
    raster_nan = folder / "kwel.tif"
    _write_tif(raster_nan, np.full((8, 8), np.nan), RD, from_origin(X0 - 200, Y0 + 400, 100, 100), nodata=None)
    files["kwel_all_nodata"] = ("kwel", raster_nan)

    return {
        name: write_project(folder / f"{name}.toml", name, {**_valid_layers(good), role: (role, path)})
        for name, (role, path) in files.items()
    }
