"""Locatiescan: woningbouwlocaties tested against the scan engine's constraints, scored and ranked.

Per location (role ``locaties``: ``naam``, ``geplande_woningen``, ``betaalbaar_aandeel``,
``start_bouw``, ``planstatus``) :func:`run` computes, with the engine's constraint code and
parameters (:mod:`scans.constraints`, ``settings.beperkingen``):

- area and density (homes/ha);
- water en bodem: the share of the area per class (worst class wins where zones overlap;
  ``water_bodem`` polygons by exact overlay, the rasters by the cell centres inside the
  location, classified with the engine's thresholds), the mitsen and nee-tenzij zones that
  apply, and raster statistics (mean/max bodemdaling, max overstromingsdiepte, max kwel);
- netcongestie: the codes of the zones the location overlaps, the worst code, the share per
  code, and the extra peak load of the planned homes (kW, netbewust factor);
- NPLV: overlap (flag, share, focusgebied);
- the realisatiestimulans: homes × betaalbaar aandeel × €7.000 plus €12.000 per home in an
  NPLV focusgebied (homes spread evenly over the area);
- the Woningbouwimpuls criteria of Woontop-afspraak 19.2 (≥ 200 homes, more than 50%
  betaalbaar, first homes within 3 years of award; 50% cofinanciering is noted, not tested):
  eligible or not, with every failing criterion in the reason;
- the beter-benutten potential of the existing buildings inside (sum of ``totaal_woningen``
  of the buildings of a building-scan result whose centroid lies in the location);
- a score in the spirit of Maasdriel's "Kansrijk Bouwen!": one sub-score 0–100 per criterion
  with its reason, a weighted total and a rank. Weights and points are
  :class:`LocatiescanParams`, configurable in the project file under ``[settings.locatiescan]``.

Nothing here loops over locations in Python: overlays are bulk shapely 2 operations on
(location, zone) pairs or on per-class unions, raster cells are gathered for all locations
at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely import STRtree

from scans import constraints
from scans._rules import fmt_num, fmt_scalar
from layers.feedback import Feedback, check, ensure
from layers.prepared import private_xy
from layers.texts import Translatable
from scans.inputs import RASTER_ROLES, ScanInputs
from scans.params import param, replace_from_dict

#: Criteria of the score: name -> Dutch label. Each has a weight ``gewicht_<name>``.
CRITERIA: dict[str, str] = {
    "woningbehoefte": "Woningbehoefte (omvang)",
    "betaalbaarheid": "Betaalbaarheid",
    "water_bodem": "Water en bodem",
    "netcongestie": "Netcongestie",
    "planstatus_timing": "Planstatus en start bouw",
}

PLANSTATUSSEN = ("hard", "zacht", "idee")

#: Name of the output layer (CLI GeoPackage, map layer in the app).
LAYER_NAME = "locaties_scan"

#: Project settings table holding :class:`LocatiescanParams` values (``[settings.locatiescan]``).
SETTINGS_KEY = "locatiescan"

_LOCATIE_COLUMNS = ("naam", "geplande_woningen", "betaalbaar_aandeel", "start_bouw", "planstatus")
#: Default award year of the Woningbouwimpuls test: a fixed year, so a project gives the same
#: answer on any day (set the project's own in ``[settings.locatiescan] toekenningsjaar``).
TOEKENNINGSJAAR_STANDAARD = 2026


@dataclass(frozen=True)
class LocatiescanParams:
    """Weights, points and the Woningbouwimpuls criteria of the locatiescan.

    kW per home, netbewust bouwen, the realisatiestimulans amounts, the betaalbaarheid
    target and the water/bodem thresholds come from the scenario's ``beperkingen``
    (:class:`scans.constraints.ConstraintParams`), so the locatiescan and the building scans
    always use the same numbers.
    """

    gewicht_woningbehoefte: float = param(
        1.0, label="Gewicht woningbehoefte (omvang)", minimum=0.0,
        source="Kansrijk Bouwen! (Maasdriel): woningbehoefte", help="0 laat het criterium weg.",
    )
    gewicht_betaalbaarheid: float = param(1.0, label="Gewicht betaalbaarheid", minimum=0.0, help="0 laat het criterium weg.")
    gewicht_water_bodem: float = param(
        1.0, label="Gewicht water en bodem", minimum=0.0,
        source="Kansrijk Bouwen! (Maasdriel): ruimtelijke kwaliteit; Woontop-afspraak 10.2", help="0 laat het criterium weg.",
    )
    gewicht_netcongestie: float = param(
        1.0, label="Gewicht netcongestie", minimum=0.0,
        source="Kansrijk Bouwen! (Maasdriel): haalbaarheid; Woontop-afspraak 10.1", help="0 laat het criterium weg.",
    )
    gewicht_planstatus_timing: float = param(
        1.0, label="Gewicht planstatus en start bouw", minimum=0.0,
        source="Kansrijk Bouwen! (Maasdriel): voortgang", help="0 laat het criterium weg.",
    )
    woningen_volle_score: int = param(
        500, label="Woningen voor de volle score woningbehoefte", unit="woningen", minimum=1,
        help="De score woningbehoefte loopt lineair van 0 (geen woningen) tot 100 bij dit aantal.",
    )
    punten_ja_mits: float = param(
        50.0, label="Punten voor oppervlak in water/bodem 'ja, mits'", unit="punten", minimum=0.0, maximum=100.0,
        help="'ja' telt 100 punten, 'nee, tenzij' 0; de score is het oppervlaktegewogen gemiddelde.",
    )
    punten_congestie_onbekend: float = param(
        50.0, label="Punten voor oppervlak zonder netcongestie-informatie", unit="punten", minimum=0.0, maximum=100.0,
        help="Code 0 telt 100 punten, 1: 67, 2: 33, 3: 0; de score is het oppervlaktegewogen gemiddelde.",
    )
    punten_hard: float = param(100.0, label="Punten planstatus hard", unit="punten", minimum=0.0, maximum=100.0)
    punten_zacht: float = param(60.0, label="Punten planstatus zacht", unit="punten", minimum=0.0, maximum=100.0)
    punten_idee: float = param(20.0, label="Punten planstatus idee", unit="punten", minimum=0.0, maximum=100.0)
    punten_minder_per_jaar: float = param(
        20.0, label="Puntenaftrek per jaar latere start bouw", unit="punten/jaar", minimum=0.0,
        help="Start bouw uiterlijk een jaar na het toekenningsjaar telt 100 punten; elk later jaar minder.",
    )
    toekenningsjaar: int = param(
        TOEKENNINGSJAAR_STANDAARD, label="Jaar van toekenning (peiljaar)", unit="jaar", minimum=2000, maximum=2100,
        help="De start bouw wordt hieraan getoetst. Een vast jaar (niet de datum van vandaag), zodat hetzelfde "
        "project elke dag dezelfde uitkomst geeft; zet het in het project onder [settings.locatiescan].",
    )
    wbi_min_woningen: int = param(
        200, label="Woningbouwimpuls: minimaal aantal woningen", unit="woningen", minimum=0,
        source="Woontop-afspraak 19.2",
    )
    wbi_min_betaalbaar_aandeel: float = param(
        0.5, label="Woningbouwimpuls: betaalbaar aandeel meer dan", unit="fractie", minimum=0.0, maximum=1.0,
        source="Woontop-afspraak 19.2", help="Het aandeel betaalbaar moet groter zijn dan deze waarde.",
    )
    wbi_start_binnen_jaren: int = param(
        3, label="Woningbouwimpuls: start bouw uiterlijk jaren na toekenning", unit="jaar", minimum=0,
        source="Woontop-afspraak 19.2",
    )
    wbi_cofinanciering_aandeel: float = param(
        0.5, label="Woningbouwimpuls: cofinanciering door medeoverheden minimaal", unit="fractie", minimum=0.0, maximum=1.0,
        source="Woontop-afspraak 19.2", help="Wordt vermeld, niet getoetst (geen gegevens in de locatielaag).",
    )

    def weights(self) -> dict[str, float]:
        """Weight per criterion (``CRITERIA`` order)."""
        return {name: float(getattr(self, f"gewicht_{name}")) for name in CRITERIA}


def params_from_project(project: Any) -> LocatiescanParams:
    """Parameters from the project's ``[settings.locatiescan]`` table (defaults when absent).

    ``ValueError`` names a wrong or unknown parameter.
    """
    values = (getattr(project, "settings", None) or {}).get(SETTINGS_KEY, {})
    return replace_from_dict(LocatiescanParams(), values, section=f"settings.{SETTINGS_KEY}")


def inputs_from_project(project: Any) -> ScanInputs:
    """Scan inputs of ``project``; a project without a gebouwen layer gets an empty one
    (the locatiescan reads only the constraint layers and rasters)."""
    if project.layer("gebouwen") is not None:
        return ScanInputs.from_project(project)
    def data(role: str):
        layer = project.layers.first(role)
        return None if layer is None else getattr(layer, "data", None)
    rasters = {role: project.layers.first(role).raster for role in RASTER_ROLES if project.layers.first(role) is not None}
    empty = gpd.GeoDataFrame({"pand_id": pd.Series([], dtype=object)}, geometry=gpd.GeoSeries([], crs="EPSG:28992"))
    return ScanInputs(gebouwen=empty, netcongestie=data("netcongestie"), water_bodem=data("water_bodem"),
                      nplv=data("nplv"), rasters=rasters)


def locaties_of(project: Any) -> gpd.GeoDataFrame:
    """The project's location polygons (the first layer with role ``locaties``)."""
    layer = project.layers.first("locaties")
    if layer is None:
        raise ValueError(Translatable("het project heeft geen laag met rol 'locaties' (woningbouwlocaties)"))
    return layer.data


# ---------------------------------------------------------------------------------- run


def run(
    locaties: gpd.GeoDataFrame,
    inputs: Any,
    settings: Any = None,
    building_result: Any = None,
    feedback: Feedback | None = None,
    *,
    params: LocatiescanParams | None = None,
) -> gpd.GeoDataFrame:
    """Test, score and rank woningbouwlocaties.

    Parameters
    ----------
    locaties : polygons with ``naam`` and optionally ``geplande_woningen``,
        ``betaalbaar_aandeel`` (0–1), ``start_bouw`` (year), ``planstatus`` (hard/zacht/idee),
        in EPSG:28992 (or without CRS). Not modified.
    inputs : :class:`~scans.inputs.ScanInputs` (or any object with ``water_bodem``,
        ``netcongestie``, ``nplv`` and ``rasters``); the ``gebouwen`` are not read.
    settings : :class:`~scans.scenarios.ScanSettings` (its ``beperkingen``); default standaard.
    building_result : a building-scan result (``ScanResult`` or its ``gebouwen``
        GeoDataFrame with ``totaal_woningen``), or None.
    feedback : progress and cancel.
    params : weights and criteria; default :class:`LocatiescanParams`.

    Returns
    -------
    GeoDataFrame indexed like ``locaties`` with the columns of :func:`output_columns`.
    """
    from scans.scenarios import PRESETS

    p = params or LocatiescanParams()
    if not isinstance(p, LocatiescanParams):
        raise ValueError(Translatable("params moet LocatiescanParams zijn"))
    settings = settings or PRESETS["standaard"]
    bp = settings.beperkingen if hasattr(settings, "beperkingen") else settings
    if not isinstance(bp, constraints.ConstraintParams):
        raise ValueError(Translatable("settings moet ScanSettings of ConstraintParams zijn"))
    if sum(p.weights().values()) <= 0:
        raise ValueError(Translatable("locatiescan: alle gewichten zijn 0; geef minstens één criterium een gewicht"))
    fb = ensure(feedback)

    loc = _check_locaties(locaties)
    geoms = loc.geometry.to_numpy()
    area = shapely.area(geoms)
    n = len(loc)
    homes = loc["geplande_woningen"].to_numpy(dtype="float64")
    homes0 = np.nan_to_num(homes, nan=0.0)
    share_betaalbaar = loc["betaalbaar_aandeel"].to_numpy(dtype="float64")
    start = loc["start_bouw"].to_numpy(dtype="float64")
    status = loc["planstatus"].to_numpy(dtype=object)
    out = pd.DataFrame(index=loc.index)
    for col in _LOCATIE_COLUMNS:
        out[col] = loc[col].to_numpy()
    out["oppervlakte_ha"] = np.round(area / 10_000.0, 3)
    out["dichtheid"] = np.round(homes0 / (area / 10_000.0), 1)

    fb.progress(0.1, "water en bodem")
    check(fb)
    water = _water_bodem(geoms, area, inputs, bp)
    for col, values in water.items():
        out[col] = values

    fb.progress(0.4, "netcongestie")
    check(fb)
    net = _netcongestie(geoms, area, getattr(inputs, "netcongestie", None))
    out["netcongestie_codes"] = net["netcongestie_codes"]
    out["netcongestie_max"] = net["netcongestie_max"]
    # share of the area in congestion: code ≥ the engine's congestie_vanaf_code
    out["aandeel_congestie"] = np.round(net["aandeel_per_code"][:, 1 + bp.congestie_vanaf_code:].sum(axis=1), 4)
    factor = bp.netbewust_factor if bp.netbewust else 1.0
    out["netimpact_kw"] = np.round(homes0 * bp.kw_per_woning * factor, 2)

    fb.progress(0.6, "NPLV en realisatiestimulans")
    check(fb)
    nplv_share, nplv_name = _nplv(geoms, area, getattr(inputs, "nplv", None))
    out["nplv"] = nplv_share > 0
    out["aandeel_nplv"] = np.round(nplv_share, 4)
    out["nplv_focusgebied"] = nplv_name
    betaalbaar_used = np.where(np.isnan(share_betaalbaar), bp.betaalbaar_aandeel, share_betaalbaar)
    out["realisatiestimulans_eur"] = np.round(
        homes0 * betaalbaar_used * bp.stimulans_per_betaalbare_woning_eur + homes0 * nplv_share * bp.nplv_bonus_per_woning_eur, 2
    )

    eligible, wbi_reason = _woningbouwimpuls(homes, share_betaalbaar, start, p)
    out["woningbouwimpuls"] = eligible
    out["woningbouwimpuls_reden"] = wbi_reason

    fb.progress(0.75, "bestaande bebouwing")
    check(fb)
    count, potential = _existing_potential(geoms, building_result)
    out["bestaande_panden"] = count
    out["beter_benutten_woningen"] = potential

    scores = {
        "woningbehoefte": _score_size(homes, p),
        "betaalbaarheid": _score_affordable(share_betaalbaar, bp),
        "water_bodem": _score_water(out, p),
        "netcongestie": _score_net(net, out["netimpact_kw"].to_numpy(), p),
        "planstatus_timing": _score_status_timing(status, start, p),
    }
    weights = p.weights()
    total = np.zeros(n)
    for name, (score, reason) in scores.items():
        out[f"score_{name}"] = np.round(score, 1)
        out[f"reden_{name}"] = reason
        total += weights[name] * score
    out["score"] = np.round(total / sum(weights.values()), 1)
    out["rang"] = _rank(out["score"].to_numpy(), homes0, out["naam"].astype(str).to_numpy())
    fb.progress(1.0, "klaar")
    return gpd.GeoDataFrame(out[output_columns()[:-1]], geometry=geoms, crs=loc.crs or "EPSG:28992")


def output_columns() -> list[str]:
    """Columns of the result of :func:`run`, in order (geometry last)."""
    cols = [
        *_LOCATIE_COLUMNS, "oppervlakte_ha", "dichtheid",
        "aandeel_ja", "aandeel_ja_mits", "aandeel_nee_tenzij", "water_bodem", "mitsen", "nee_tenzij_zones",
        "bodemdaling_gem_cm", "bodemdaling_max_cm", "overstromingsdiepte_max_m", "kwel_max",
        "netcongestie_codes", "netcongestie_max", "aandeel_congestie", "netimpact_kw",
        "nplv", "aandeel_nplv", "nplv_focusgebied", "realisatiestimulans_eur",
        "woningbouwimpuls", "woningbouwimpuls_reden", "bestaande_panden", "beter_benutten_woningen",
    ]
    for name in CRITERIA:
        cols += [f"score_{name}", f"reden_{name}"]
    return cols + ["score", "rang", "geometry"]


# ----------------------------------------------------------------------------- checks


def _check_locaties(locaties: Any) -> gpd.GeoDataFrame:
    if not isinstance(locaties, gpd.GeoDataFrame):
        raise ValueError(Translatable("locatiescan: 'locaties' moet een GeoDataFrame met polygonen zijn"))
    if locaties.crs is not None and locaties.crs.to_epsg() != 28992:
        raise ValueError(Translatable("laag 'locaties' staat in {crs}, verwacht EPSG:28992", crs=locaties.crs.to_string()))
    if "naam" not in locaties.columns:
        raise ValueError(Translatable("laag 'locaties' heeft geen kolom 'naam'"))
    loc = locaties.copy()
    for col in _LOCATIE_COLUMNS[1:]:
        if col not in loc.columns:
            loc[col] = np.nan if col != "planstatus" else None
        elif col != "planstatus":
            loc[col] = pd.to_numeric(loc[col], errors="coerce").astype("float64")
    loc["naam"] = loc["naam"].astype(object).where(loc["naam"].notna(), "").astype(str)
    loc["planstatus"] = loc["planstatus"].astype(object).where(loc["planstatus"].notna(), "").astype(str).str.strip().str.lower()
    geoms = loc.geometry.to_numpy()
    missing = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    fixed = shapely.make_valid(np.where(missing, shapely.Polygon(), geoms))
    area = shapely.area(fixed)
    bad = missing | (area <= 0) | ~np.isin(shapely.get_type_id(fixed), [3, 6, 7])
    if bad.any():
        name = loc["naam"].to_numpy()[np.flatnonzero(bad)[0]] or "(zonder naam)"
        raise ValueError(Translatable("locatie '{name}' heeft geen geldige polygoon met oppervlakte", name=name))
    share = loc["betaalbaar_aandeel"].to_numpy(dtype="float64")
    if np.any((share < 0) | (share > 1)):
        name = loc["naam"].to_numpy()[np.flatnonzero((share < 0) | (share > 1))[0]]
        raise ValueError(Translatable("locatie '{name}': betaalbaar_aandeel moet tussen 0 en 1 liggen", name=name))
    # collections from make_valid keep only their polygon parts
    loc = loc.set_geometry(gpd.GeoSeries(_polygon_parts(fixed), index=loc.index, crs=loc.crs))
    return loc


def _polygon_parts(geoms: np.ndarray) -> np.ndarray:
    collections = shapely.get_type_id(geoms) == 7
    if not collections.any():
        return geoms
    out = geoms.copy()
    parts, owner = shapely.get_parts(geoms[collections], return_index=True)
    keep = np.isin(shapely.get_type_id(parts), [3, 6])
    owner_pos = np.flatnonzero(collections)[owner[keep]]
    merged = pd.Series(list(parts[keep])).groupby(owner_pos).agg(lambda s: shapely.union_all(s.to_numpy()))
    out[merged.index.to_numpy()] = merged.to_numpy()
    return out


# ------------------------------------------------------------------------- overlays


def _pairs(geoms: np.ndarray, zones: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(location pos, zone pos, overlap area) of every pair that overlaps with area > 0."""
    li, zi = STRtree(zones).query(geoms, predicate="intersects")
    overlap = shapely.area(shapely.intersection(geoms[li], zones[zi]))
    keep = overlap > 0
    return li[keep], zi[keep], overlap[keep]


def _shares_at_least(geoms: np.ndarray, area: np.ndarray, zones: np.ndarray, levels: np.ndarray, thresholds) -> np.ndarray:
    """Share of each location's area covered by zones of level ≥ t, per threshold t.

    One union per threshold, then one bulk intersection with all locations: overlapping
    zones count once and the worst level wins.
    """
    out = np.zeros((len(geoms), len(thresholds)))
    for j, t in enumerate(thresholds):
        selected = zones[levels >= t]
        if selected.size:
            union = shapely.union_all(selected)
            out[:, j] = shapely.area(shapely.intersection(geoms, union)) / area
    return np.clip(out, 0.0, 1.0)


def _join(n: int, pos: np.ndarray, texts: np.ndarray, sep: str = "; ") -> np.ndarray:
    """Distinct texts per location, sorted and joined ('' when none)."""
    out = np.full(n, "", dtype=object)
    if not len(pos):
        return out
    df = pd.DataFrame({"pos": pos, "text": texts}).drop_duplicates()
    joined = df.sort_values(["pos", "text"]).groupby("pos")["text"].agg(sep.join)
    out[joined.index.to_numpy()] = joined.to_numpy(dtype=object)
    return out


def _concat_texts(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    a = np.asarray(a, dtype=object)
    b = np.asarray(b, dtype=object)
    both = (a != "") & (b != "")
    return np.where(both, a + "; " + b, np.where(a != "", a, b)).astype(object)


def water_bodem_zone_classes(wb: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Class code (0 ja / 1 ja_mits / 2 nee_tenzij), severity letter and Dutch text per zone.

    A thin adapter over the engine's zone classification (one implementation for buildings
    and locations).
    """
    return constraints.water_bodem_zone_classes(wb)


def _water_bodem(geoms: np.ndarray, area: np.ndarray, inputs: Any, bp: constraints.ConstraintParams) -> dict[str, np.ndarray]:
    n = len(geoms)
    poly = np.zeros((n, 2))
    zone_mits = np.full(n, "", dtype=object)
    zone_nee = np.full(n, "", dtype=object)
    wb = getattr(inputs, "water_bodem", None)
    if wb is not None and len(wb):
        codes, _letters, texts = water_bodem_zone_classes(wb)
        zones = wb.geometry.to_numpy()
        poly = _shares_at_least(geoms, area, zones, codes, (1, 2))
        li, zi, _ = _pairs(geoms, zones)
        mits = codes[zi] == 1
        zone_mits = _join(n, li[mits], texts[zi][mits])
        nee = codes[zi] == 2
        zone_nee = _join(n, li[nee], texts[zi][nee])

    rasters = dict(getattr(inputs, "rasters", None) or {})
    stats, cell_shares, worst_row = _raster_stats(geoms, rasters, bp)
    # The engine classifies the worst raster values of each location: its thresholds and texts.
    raster_classes = constraints.classify(worst_row, None, bp) if len(worst_row.columns) > 2 else None
    ge1 = np.maximum(poly[:, 0], cell_shares[:, 0])
    ge2 = np.maximum(poly[:, 1], cell_shares[:, 1])
    code = np.where(ge2 > 0, 2, np.where(ge1 > 0, 1, 0))
    mitsen, nee_text = zone_mits, zone_nee
    if raster_classes is not None:
        raster_code = (pd.Series(raster_classes["water_bodem"]).astype(object).map({k: i for i, k in enumerate(constraints.KLASSEN)})
                       .fillna(0).to_numpy(dtype="int64"))
        code = np.maximum(code, raster_code)
        mitsen = _concat_texts(zone_mits, raster_classes["mitsen"].to_numpy(dtype=object))
        nee_text = _concat_texts(zone_nee, raster_classes["nee_tenzij_zone"].to_numpy(dtype=object))
    return {
        "aandeel_ja": np.round(1.0 - ge1, 4),
        "aandeel_ja_mits": np.round(ge1 - ge2, 4),
        "aandeel_nee_tenzij": np.round(ge2, 4),
        "water_bodem": np.asarray(constraints.KLASSEN, dtype=object)[code],
        "mitsen": mitsen,
        "nee_tenzij_zones": nee_text,
        **stats,
    }


def _affine(t, u: np.ndarray, v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """An affine transform applied to coordinate arrays."""
    u = np.asarray(u, dtype="float64")
    v = np.asarray(v, dtype="float64")
    return t.a * u + t.b * v + t.c, t.d * u + t.e * v + t.f


def _raster_cells(geoms: np.ndarray, raster) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(location pos, x, y) of the raster cell centres inside each location; a location
    without any cell centre inside gets its representative point (one sample)."""
    n = len(geoms)
    inverse = ~raster.transform
    bounds = shapely.bounds(geoms)
    c0, r0 = _affine(inverse, bounds[:, 0], bounds[:, 3])
    c1, r1 = _affine(inverse, bounds[:, 2], bounds[:, 1])
    n_rows, n_cols = raster.array.shape
    col_lo = np.clip(np.floor(np.minimum(c0, c1)).astype("int64"), 0, n_cols)
    col_hi = np.clip(np.ceil(np.maximum(c0, c1)).astype("int64"), 0, n_cols)
    row_lo = np.clip(np.floor(np.minimum(r0, r1)).astype("int64"), 0, n_rows)
    row_hi = np.clip(np.ceil(np.maximum(r0, r1)).astype("int64"), 0, n_rows)
    width = col_hi - col_lo
    size = width * (row_hi - row_lo)
    owner = np.repeat(np.arange(n), size)
    offset = np.arange(size.sum()) - np.repeat(np.cumsum(size) - size, size)
    cols = col_lo[owner] + offset % np.maximum(width[owner], 1)
    rows = row_lo[owner] + offset // np.maximum(width[owner], 1)
    x, y = _affine(raster.transform, cols + 0.5, rows + 0.5)
    # private prepared copies: the locations are a layer's, which the map's editor may be testing meanwhile
    inside = private_xy(shapely.contains_xy, geoms, owner, x, y) if owner.size else np.zeros(0, dtype=bool)
    owner, x, y = owner[inside], x[inside], y[inside]
    lonely = np.setdiff1d(np.arange(n), owner)
    if lonely.size:
        points = shapely.point_on_surface(geoms[lonely])
        owner = np.concatenate([owner, lonely])
        x = np.concatenate([x, shapely.get_x(points)])
        y = np.concatenate([y, shapely.get_y(points)])
    return owner, x, y


def _raster_stats(geoms: np.ndarray, rasters: dict, bp: constraints.ConstraintParams) -> tuple[dict[str, np.ndarray], np.ndarray, pd.DataFrame]:
    """Raster statistics per location, the share of cells classified ≥ ja_mits / ≥ nee_tenzij
    (engine thresholds), and a one-row-per-location frame of worst values for the engine."""
    n = len(geoms)
    nan = np.full(n, np.nan)
    stats = {"bodemdaling_gem_cm": nan.copy(), "bodemdaling_max_cm": nan.copy(),
             "overstromingsdiepte_max_m": nan.copy(), "kwel_max": nan.copy()}
    points = shapely.point_on_surface(geoms)
    worst = pd.DataFrame({"cx": shapely.get_x(points), "cy": shapely.get_y(points)})
    shares = np.zeros((n, 2))
    for role in RASTER_ROLES:
        raster = rasters.get(role)
        if raster is None:
            continue
        owner, x, y = _raster_cells(geoms, raster)
        values = raster.sample(x, y)
        valid = ~np.isnan(values)
        count = np.bincount(owner[valid], minlength=n)
        total = np.bincount(owner[valid], weights=values[valid], minlength=n)
        high = np.full(n, -np.inf)
        np.maximum.at(high, owner[valid], values[valid])
        high[count == 0] = np.nan
        mean = np.divide(total, count, out=np.full(n, np.nan), where=count > 0)
        if role == "bodemdaling":
            stats["bodemdaling_gem_cm"] = np.round(mean, 1)
            stats["bodemdaling_max_cm"] = np.round(high, 1)
        elif role == "overstromingsdiepte":
            stats["overstromingsdiepte_max_m"] = np.round(high, 2)
        else:
            stats["kwel_max"] = np.round(high, 2)
        worst[role] = high
        cells = pd.DataFrame({"cx": x, "cy": y, role: values})
        # (a cell without a value has no class: it counts as "ja", as the area outside every zone)
        cell_class = constraints.classify(cells, None, bp)["water_bodem"].astype(object).fillna(constraints.JA).to_numpy()
        n_cells = np.maximum(np.bincount(owner, minlength=n), 1)
        for j, hit in enumerate((cell_class != constraints.JA, cell_class == constraints.NEE_TENZIJ)):
            shares[:, j] = np.maximum(shares[:, j], np.bincount(owner[hit], minlength=n) / n_cells)
    return stats, shares, worst


def _netcongestie(geoms: np.ndarray, area: np.ndarray, zones: Any) -> dict[str, np.ndarray]:
    n = len(geoms)
    out = {
        "netcongestie_codes": np.full(n, "", dtype=object),
        "netcongestie_max": np.full(n, -1, dtype="int64"),
        "aandeel_per_code": np.zeros((n, 5)),  # shares of code -1 (or no zone), 0, 1, 2, 3
    }
    if zones is None or not len(zones):
        out["aandeel_per_code"][:, 0] = 1.0
        return out
    if "status_afname" not in zones.columns:
        raise ValueError(Translatable("laag 'netcongestie' heeft geen kolom 'status_afname'"))
    codes = constraints.congestion_codes(zones["status_afname"])
    zone_geoms = zones.geometry.to_numpy()
    li, zi, _ = _pairs(geoms, zone_geoms)
    np.maximum.at(out["netcongestie_max"], li, codes[zi])
    out["netcongestie_codes"] = _join(n, li, np.char.mod("%d", codes[zi]).astype(object), sep=", ")
    ge = _shares_at_least(geoms, area, zone_geoms, codes, (0, 1, 2, 3))
    per_code = np.column_stack([1.0 - ge[:, 0], ge[:, 0] - ge[:, 1], ge[:, 1] - ge[:, 2], ge[:, 2] - ge[:, 3], ge[:, 3]])
    out["aandeel_per_code"] = np.clip(per_code, 0.0, 1.0)
    return out


def _nplv(geoms: np.ndarray, area: np.ndarray, areas: Any) -> tuple[np.ndarray, np.ndarray]:
    n = len(geoms)
    if areas is None or not len(areas):
        return np.zeros(n), np.full(n, "", dtype=object)
    zones = areas.geometry.to_numpy()
    share = _shares_at_least(geoms, area, zones, np.zeros(len(zones)), (0,))[:, 0]
    li, zi, _ = _pairs(geoms, zones)
    labels = constraints.text_column(areas, "focusgebied").to_numpy(dtype=object)
    keep = labels[zi] != ""
    return share, _join(n, li[keep], labels[zi][keep], sep=", ")


def _existing_potential(geoms: np.ndarray, building_result: Any) -> tuple[np.ndarray, np.ndarray]:
    """Buildings (centroid inside) and the sum of their ``totaal_woningen`` per location;
    NaN without a building-scan result."""
    n = len(geoms)
    gebouwen = getattr(building_result, "gebouwen", building_result)
    if gebouwen is None:
        return np.full(n, np.nan), np.full(n, np.nan)
    if "totaal_woningen" not in gebouwen.columns or "geometry" not in gebouwen.columns:
        raise ValueError(Translatable("gebouwenscan-resultaat mist de kolom 'totaal_woningen' of de geometrie"))
    centroids = shapely.centroid(gebouwen.geometry.to_numpy())
    bi, li = STRtree(geoms).query(centroids, predicate="within")
    homes = gebouwen["totaal_woningen"].to_numpy(dtype="float64")[bi]
    count = np.bincount(li, minlength=n).astype("float64")
    potential = np.bincount(li, weights=np.nan_to_num(homes), minlength=n)
    return count, potential


# -------------------------------------------------------------------------- criteria


def _pct(values: np.ndarray) -> np.ndarray:
    return fmt_num(np.asarray(values, dtype="float64") * 100.0, 0) + "%"


def _woningbouwimpuls(homes: np.ndarray, share: np.ndarray, start: np.ndarray, p: LocatiescanParams):
    """Eligibility by the published criteria; the reason lists every failing criterion."""
    latest = p.toekenningsjaar + p.wbi_start_binnen_jaren
    n = len(homes)
    failures: list[tuple[np.ndarray, np.ndarray]] = [
        (np.isnan(homes), np.full(n, "aantal woningen onbekend", dtype=object)),
        (homes < p.wbi_min_woningen,
         fmt_num(homes, 0) + f" woningen (minimaal {p.wbi_min_woningen})"),
        (np.isnan(share), np.full(n, "betaalbaar aandeel onbekend", dtype=object)),
        (share <= p.wbi_min_betaalbaar_aandeel,
         _pct(share) + f" betaalbaar (meer dan {fmt_scalar(p.wbi_min_betaalbaar_aandeel * 100, 0)}% nodig)"),
        (np.isnan(start), np.full(n, "start bouw onbekend", dtype=object)),
        (start > latest,
         "start bouw " + fmt_num(start, 0) + f" (uiterlijk {latest}: {p.wbi_start_binnen_jaren} jaar na toekenning in {p.toekenningsjaar})"),
    ]
    reason = np.full(n, "", dtype=object)
    for mask, text in failures:
        mask = np.asarray(mask, dtype=bool)
        reason = np.where(mask, np.where(reason != "", reason + "; " + text, text), reason).astype(object)
    eligible = reason == ""
    cofin = f"let op: medeoverheden cofinancieren minimaal {fmt_scalar(p.wbi_cofinanciering_aandeel * 100, 0)}%"
    reason = np.where(eligible, "voldoet aan de criteria van afspraak 19.2; " + cofin, "voldoet niet: " + reason).astype(object)
    return eligible, reason


def _score_size(homes: np.ndarray, p: LocatiescanParams):
    h = np.nan_to_num(homes, nan=0.0)
    score = np.clip(h / p.woningen_volle_score * 100.0, 0.0, 100.0)
    reason = fmt_num(h, 0) + f" geplande woningen (100 punten vanaf {p.woningen_volle_score})"
    reason = np.where(np.isnan(homes), "aantal woningen onbekend", reason).astype(object)
    return score, reason


def _score_affordable(share: np.ndarray, bp: constraints.ConstraintParams):
    target = bp.betaalbaar_aandeel
    score = np.clip(np.nan_to_num(share, nan=0.0) / target * 100.0, 0.0, 100.0) if target > 0 else np.full(len(share), 100.0)
    reason = _pct(share) + " betaalbaar (doel " + _pct(np.array([target]))[0] + ", Woontop)"
    reason = np.where(np.isnan(share), "betaalbaar aandeel onbekend (stimulans gerekend met " + _pct(np.array([target]))[0] + ")", reason)
    return score, reason.astype(object)


def _score_water(out: pd.DataFrame, p: LocatiescanParams):
    ja = out["aandeel_ja"].to_numpy(dtype="float64")
    mits = out["aandeel_ja_mits"].to_numpy(dtype="float64")
    nee = out["aandeel_nee_tenzij"].to_numpy(dtype="float64")
    score = 100.0 * ja + p.punten_ja_mits * mits
    reason = _pct(ja) + " ja, " + _pct(mits) + " ja-mits, " + _pct(nee) + " nee-tenzij"
    mitsen = out["mitsen"].to_numpy(dtype=object)
    zones = out["nee_tenzij_zones"].to_numpy(dtype=object)
    reason = np.where(mitsen != "", reason + "; mitsen: " + mitsen, reason)
    reason = np.where(zones != "", reason + "; nee-tenzij: " + zones, reason)
    return score, reason.astype(object)


_CODE_POINTS = np.array([100.0, 200.0 / 3.0, 100.0 / 3.0, 0.0])


def _score_net(net: dict, kw: np.ndarray, p: LocatiescanParams):
    per_code = net["aandeel_per_code"]
    score = per_code[:, 0] * p.punten_congestie_onbekend + per_code[:, 1:] @ _CODE_POINTS
    worst = net["netcongestie_max"]
    labels = pd.Series(worst).map(constraints.CONGESTIE_LABELS).to_numpy(dtype=object)
    reason = np.where(
        worst >= 0,
        "zwaarste code " + np.char.mod("%d", worst).astype(object) + " (" + labels + ")",
        "geen netcongestie-informatie",
    ).astype(object)
    worst_share = per_code[np.arange(len(worst)), np.clip(worst + 1, 0, 4)]
    reason = np.where(worst >= 0, reason + " op " + _pct(worst_share) + " van het oppervlak", reason)
    reason = reason + "; " + fmt_num(kw, 0) + " kW extra piekbelasting"
    return score, reason.astype(object)


def _score_status_timing(status: np.ndarray, start: np.ndarray, p: LocatiescanParams):
    status = np.asarray(status, dtype=object)
    points = pd.Series(status).map({"hard": p.punten_hard, "zacht": p.punten_zacht, "idee": p.punten_idee})
    status_points = points.fillna(0.0).to_numpy(dtype="float64")
    years = start - p.toekenningsjaar
    timing = np.clip(100.0 - p.punten_minder_per_jaar * np.maximum(years - 1, 0), 0.0, 100.0)
    timing = np.where(np.isnan(start), 0.0, timing)
    score = (status_points + timing) / 2.0
    status_text = np.where(points.notna().to_numpy(), "planstatus " + status, "planstatus onbekend").astype(object)
    start_text = np.where(np.isnan(start), "start bouw onbekend", "start bouw " + fmt_num(start, 0)).astype(object)
    reason = (status_text + " (" + fmt_num(status_points, 0) + " punten), " + start_text
              + " (" + fmt_num(timing, 0) + f" punten, peiljaar {p.toekenningsjaar})")
    return score, reason.astype(object)


def _rank(score: np.ndarray, homes: np.ndarray, names: np.ndarray) -> np.ndarray:
    """1 = best: highest score, then most homes, then name."""
    order = np.lexsort((names, -homes, -score))
    rank = np.empty(len(score), dtype="int64")
    rank[order] = np.arange(1, len(score) + 1)
    return rank


# ---------------------------------------------------------------------------- output


def ranked(result: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The result sorted by rank (best first)."""
    return result.sort_values("rang", kind="stable")


def to_records(result: gpd.GeoDataFrame) -> list[dict[str, Any]]:
    """The locations ranked, as JSON-ready dicts (no geometry; NaN becomes None)."""
    table = pd.DataFrame(ranked(result).drop(columns="geometry"))
    records = table.astype(object).where(table.notna(), None).to_dict(orient="records")
    return [{k: (v.item() if isinstance(v, np.generic) else v) for k, v in rec.items()} for rec in records]


#: Columns of :func:`report_table`: output column -> Dutch header.
REPORT_COLUMNS: dict[str, str] = {
    "rang": "Rang",
    "naam": "Locatie",
    "geplande_woningen": "Geplande woningen",
    "planstatus": "Planstatus",
    "start_bouw": "Start bouw",
    "score": "Score",
    **{f"score_{name}": f"Score {label.lower()}" for name, label in CRITERIA.items()},
    "water_bodem": "Water en bodem",
    "netcongestie_max": "Netcongestie (zwaarste code)",
    "netimpact_kw": "Extra piekbelasting (kW)",
    "nplv": "NPLV",
    "realisatiestimulans_eur": "Realisatiestimulans (€)",
    "woningbouwimpuls": "Woningbouwimpuls",
    "woningbouwimpuls_reden": "Toelichting Woningbouwimpuls",
    "beter_benutten_woningen": "Beter benutten bestaande panden (woningen)",
    **{f"reden_{name}": f"Toelichting {label.lower()}" for name, label in CRITERIA.items()},
}


def report_table(result: gpd.GeoDataFrame) -> pd.DataFrame:
    """A ranked, non-spatial table with Dutch headers for the PDF and Excel reports."""
    table = pd.DataFrame(ranked(result)[list(REPORT_COLUMNS)]).rename(columns=REPORT_COLUMNS)
    for col in ("NPLV", "Woningbouwimpuls"):
        table[col] = np.where(table[col].to_numpy(dtype=bool), "ja", "nee")
    return table.reset_index(drop=True)
