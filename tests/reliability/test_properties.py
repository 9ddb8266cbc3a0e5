"""Property-based tests (hypothesis): column mapping, CRS round trips, scan invariants."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from layers.crs import RD_BOUNDS, to_project_crs
from layers.messages import LoadReport
from layers.roles import CBS_SENTINELS, ROLES, column_key, map_columns
from scans.inputs import ScanInputs
from scans.pipeline import run_potentiescan
from scans.registry import SCANS

FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SCAN_SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ROLES_WITH_COLUMNS = sorted(name for name, schema in ROLES.items() if schema.columns)


# --------------------------------------------------------------------------- column mapping


def _camel(name: str) -> str:
    parts = name.split("_")
    return parts[0] + "".join(p[:1].upper() + p[1:] for p in parts[1:])


_VARIANTS = {
    "as_is": lambda n: n,
    "lower": str.lower,
    "upper": str.upper,
    "title": str.title,
    "camel": _camel,
    "spaced": lambda n: n.replace("_", " "),
}


@st.composite
def real_columns(draw):
    """A role, a random subset of its canonical columns, each named by a random alias in a random case."""
    role = draw(st.sampled_from(ROLES_WITH_COLUMNS))
    specs = list(ROLES[role].columns.values())
    chosen = draw(st.lists(st.sampled_from(specs), unique_by=lambda s: s.canonical, min_size=1, max_size=len(specs)))
    names = {}
    for spec in chosen:
        alias = draw(st.sampled_from(spec.aliases))
        names[spec.canonical] = _VARIANTS[draw(st.sampled_from(sorted(_VARIANTS)))](alias)
    order = draw(st.permutations(list(names)))
    extra = draw(st.lists(st.from_regex(r"x_[a-z]{1,6}", fullmatch=True), unique=True, max_size=3))
    return role, {canonical: names[canonical] for canonical in order}, extra


def test_aliases_never_collide_within_a_role():
    for role, schema in ROLES.items():
        owner: dict[str, str] = {}
        for canonical, spec in schema.columns.items():
            for alias in spec.aliases:
                assert owner.setdefault(column_key(alias), canonical) == canonical, (role, alias)


@FAST
@given(real_columns())
def test_real_names_map_to_canonical_names(case):
    role, names, extra = case
    columns = [*names.values(), *extra]
    frame = pd.DataFrame({col: ["1"] * 3 for col in columns})
    out, report = map_columns(frame, role)
    for canonical, source in names.items():
        assert report.found[canonical] == source
    assert set(ROLES[role].columns) <= set(out.columns)
    assert set(extra) <= set(out.columns)  # other columns are kept
    assert list(out.columns[: len(ROLES[role].columns)]) == list(ROLES[role].columns)
    missing = set(report.missing_required) | set(report.missing_optional)
    assert not missing & set(names)


_SENTINEL_NUMBERS = [*CBS_SENTINELS, 9999.0, 1005.0, 0.0, -5.0, math.inf, -math.inf, math.nan]
_SENTINEL_TEXT = ["onbekend", "Onbekend", " ONBEKEND ", "veel", "", "n.b."]


@FAST
@given(
    st.lists(
        st.one_of(
            st.tuples(st.just("valid"), st.integers(1006, 2030)),
            st.tuples(st.just("sentinel"), st.sampled_from(_SENTINEL_NUMBERS)),
            st.tuples(st.just("sentinel_text"), st.sampled_from(_SENTINEL_TEXT)),
        ),
        min_size=1,
        max_size=30,
    ),
    st.booleans(),
)
def test_bouwjaar_sentinels_always_become_missing(values, as_text):
    raw = [v for _, v in values]
    has_text = any(kind == "sentinel_text" for kind, _ in values)
    series = [str(v) for v in raw] if as_text or has_text else raw
    frame = pd.DataFrame({"oorspronkelijkBouwjaar": pd.Series(series, dtype=object if (as_text or has_text) else "float64")})
    report = LoadReport()
    out, col_report = map_columns(frame, "gebouwen", report=report)
    bouwjaar = out["bouwjaar"].to_numpy(dtype="float64")
    for (kind, value), got in zip(values, bouwjaar):
        if kind == "valid":
            assert got == value
        else:
            assert math.isnan(got), (value, got)
    text_input = as_text or has_text

    def counted(kind, value) -> bool:
        # an absent value is missing, not a sentinel: a float NaN, or an empty text
        if kind == "valid":
            return False
        if not text_input and isinstance(value, float) and math.isnan(value):
            return False
        return str(value).strip() != ""

    n_bad = sum(counted(kind, v) for kind, v in values)
    assert col_report.sentinel_counts.get("bouwjaar", 0) == n_bad
    assert report.counts["sentinels"] == col_report.total_sentinels


@FAST
@given(st.lists(st.one_of(st.integers(0, 10**6).map(float), st.sampled_from([*CBS_SENTINELS, math.inf])), min_size=1, max_size=30))
def test_cbs_sentinels_become_missing(values):
    frame = pd.DataFrame({"aantalInwoners": values, "buurtcode": [f"BU{i:08d}" for i in range(len(values))]})
    out, _ = map_columns(frame, "gebieden")
    for value, got in zip(values, out["aantal_inwoners"].to_numpy(dtype="float64")):
        if value in CBS_SENTINELS or not math.isfinite(value):
            assert math.isnan(got)
        else:
            assert got == value


@FAST
@given(st.lists(st.sampled_from(["woonfunctie", "onbekend", "ONBEKEND", "unknown", None, " kantoorfunctie "]), min_size=1, max_size=20))
def test_text_sentinels_become_missing(values):
    frame = pd.DataFrame({"identificatie": [str(i) for i in range(len(values))], "gebruiksdoel": values})
    out, _ = map_columns(frame, "gebouwen")
    for value, got in zip(values, out["gebruiksdoel"]):
        if value is None or value.strip().lower() in ("onbekend", "unknown"):
            assert got is None or (isinstance(got, float) and math.isnan(got))
        else:
            assert got == value.strip()


# --------------------------------------------------------------------------- CRS


rd_x = st.floats(min_value=10_000, max_value=280_000, allow_nan=False)
rd_y = st.floats(min_value=300_000, max_value=620_000, allow_nan=False)


@FAST
@given(st.lists(st.tuples(rd_x, rd_y), min_size=1, max_size=50))
def test_rd_points_round_trip_through_wgs84_within_a_millimetre(points):
    xy = np.array(points)
    rd = gpd.GeoDataFrame(geometry=shapely.points(xy), crs="EPSG:28992")
    wgs = rd.to_crs("EPSG:4326")
    report = LoadReport()
    back = to_project_crs(wgs, "punten.geojson", report)
    assert back.crs.to_epsg() == 28992 and report.counts["reprojected"] == 1
    distance = shapely.distance(back.geometry.to_numpy(), rd.geometry.to_numpy())
    assert float(distance.max()) < 0.001


@FAST
@given(st.lists(st.tuples(rd_x, rd_y), min_size=1, max_size=20))
def test_rd_without_crs_is_accepted_with_a_warning(points):
    gdf = gpd.GeoDataFrame(geometry=shapely.points(np.array(points)))
    report = LoadReport()
    out = to_project_crs(gdf, "punten.csv", report)
    assert out.crs.to_epsg() == 28992 and report.warnings
    x0, y0, x1, y1 = RD_BOUNDS
    assert x0 <= out.total_bounds[0] and out.total_bounds[2] <= x1 and y0 <= out.total_bounds[1] and out.total_bounds[3] <= y1


# --------------------------------------------------------------------------- scan invariants

X0, Y0 = 120_000.0, 480_000.0
_STATUS = ["Pand in gebruik", "Pand in gebruik", "Pand gesloopt", None, "Verbouwing pand"]
_DOEL = ["woonfunctie", "kantoorfunctie", "winkelfunctie", "woonfunctie,winkelfunctie", "industriefunctie",
         "kantoorfunctie,woonfunctie", None]
_DAK = ["single horizontal", "multiple horizontal", "slanted", None]


def _maybe(strategy):
    return st.one_of(st.none(), strategy)


building = st.fixed_dictionaries(
    {
        "slot": st.integers(0, 35),
        "size": st.floats(6, 38),
        "bouwjaar": _maybe(st.integers(1850, 2024)),
        "status": st.sampled_from(_STATUS),
        "gebruiksdoel": st.sampled_from(_DOEL),
        "aantal_vbo": _maybe(st.integers(1, 40)),
        "oppervlakte_min": _maybe(st.floats(20, 3000)),
        "oppervlakte_max": _maybe(st.floats(20, 3000)),
        "h_dak_70p": _maybe(st.floats(2.5, 60)),
        "dak_type": st.sampled_from(_DAK),
        "bouwlagen": _maybe(st.integers(1, 15)),
        "opp_dak_plat": _maybe(st.floats(0, 2500)),
    }
)


def _town(records: list[dict], n_gebieden: int) -> ScanInputs:
    seen, rows, geoms = set(), [], []
    for i, rec in enumerate(records):
        if rec["slot"] in seen:
            continue
        seen.add(rec["slot"])
        x = X0 + (rec["slot"] % 6) * 50.0
        y = Y0 + (rec["slot"] // 6) * 50.0
        geoms.append(shapely.box(x, y, x + rec["size"], y + rec["size"]))
        row = {k: (np.nan if v is None and k not in ("status", "gebruiksdoel", "dak_type") else v)
               for k, v in rec.items() if k not in ("slot", "size")}
        rows.append({"pand_id": f"{i + 1:016d}", "h_maaiveld": 0.0, "kas_warenhuis": False, **row})
    gebouwen = gpd.GeoDataFrame(pd.DataFrame(rows), geometry=geoms, crs="EPSG:28992")
    for col in ("bouwjaar", "aantal_vbo", "oppervlakte_min", "oppervlakte_max", "h_dak_70p", "bouwlagen", "opp_dak_plat"):
        gebouwen[col] = gebouwen[col].astype("float64")
    # vertical strips over the west part of the town; the east part stays BUITEN
    width = 240.0 / n_gebieden
    strips = [shapely.box(X0 - 10 + k * width, Y0 - 10, X0 - 10 + (k + 1) * width, Y0 + 320) for k in range(n_gebieden)]
    gebieden = gpd.GeoDataFrame(
        {"gebied_code": [f"BU{k:08d}" for k in range(n_gebieden)], "gebied_naam": [f"buurt {k}" for k in range(n_gebieden)],
         "woningvoorraad": [100.0 * (k + 1) for k in range(n_gebieden)]},
        geometry=strips,
        crs="EPSG:28992",
    )
    return ScanInputs(gebouwen=gebouwen, gebieden=gebieden)


WONINGEN = [f"{name}_woningen" for name in SCANS] + ["totaal_woningen"]


@SCAN_SETTINGS
@given(st.lists(building, min_size=1, max_size=14), st.integers(1, 3), st.randoms(use_true_random=False))
def test_scan_invariants_on_random_towns(records, n_gebieden, rnd):
    inputs = _town(records, n_gebieden)
    result = run_potentiescan(inputs)
    gebouwen, gebieden = result.gebouwen, result.gebieden
    assert len(gebouwen) == len(inputs.gebouwen)
    # all woningen are integers >= 0
    for col in WONINGEN:
        assert pd.api.types.is_integer_dtype(gebouwen[col]), col
        assert (gebouwen[col] >= 0).all(), col
    # per-gebied sums equal the building sums, per gebied and in total
    per_building = gebouwen.groupby("gebied_code")[WONINGEN].sum()
    table = gebieden.set_index("gebied_code")
    for col in WONINGEN:
        assert int(table[col].sum()) == int(gebouwen[col].sum()), col
        for code, value in per_building[col].items():
            assert int(table.loc[code, col]) == int(value), (col, code)
    assert result.totals["totaal"] == int(gebouwen["totaal_woningen"].sum())

    # shuffling the rows gives the same result per building
    order = list(range(len(inputs.gebouwen)))
    rnd.shuffle(order)
    shuffled = ScanInputs(gebouwen=inputs.gebouwen.iloc[order].reset_index(drop=True), gebieden=inputs.gebieden)
    again = run_potentiescan(shuffled).gebouwen
    columns = ["pand_id", "gebied_code", *WONINGEN, *[f"{name}_reden" for name in SCANS]]
    a = pd.DataFrame(gebouwen[columns]).sort_values("pand_id").reset_index(drop=True)
    b = pd.DataFrame(again[columns]).sort_values("pand_id").reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b)


def test_scan_on_an_empty_town():
    empty = gpd.GeoDataFrame({"pand_id": pd.Series([], dtype=object)}, geometry=[], crs="EPSG:28992")
    result = run_potentiescan(ScanInputs(gebouwen=empty))
    assert len(result.gebouwen) == 0 and result.totals["totaal"] == 0
