"""Constraints and indicators applied after the scans (DOMAIN.md "Constraints and indicators").

Every building is tested at its centroid (the same point the rasters are sampled at):

- **water en bodem**: the worst class of all sources wins: ``water_bodem`` polygons
  (``klasse`` ja / ja_mits / nee_tenzij, or the national classes 0 / A–C / D) and the
  rasters (bodemdaling cm, overstromingsdiepte m, kwel indicator) against thresholds.
  ``nee_tenzij`` excludes the building's homes by default (the reason names the zone);
  ``ja_mits`` is counted and its conditions are carried in ``mitsen``.
- **netcongestie**: the highest ``status_afname`` code of the zones at the building
  (−1 when none). Counted but flagged; optionally code 3 is excluded.
- **NPLV**: a priority flag (and the realisatiestimulans bonus), never a multiplier.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from layers.texts import Translatable
from scans._fast import replace_texts, text_equals, texts_at
from scans._rules import Reasons, distinct, fmt_num, fmt_scalar, text_array
from scans.inputs import centroid_query_geometries, points_in_polygons
from scans.params import param

JA, JA_MITS, NEE_TENZIJ = "ja", "ja_mits", "nee_tenzij"
KLASSEN = (JA, JA_MITS, NEE_TENZIJ)

_KLASSE_CODES = {
    "ja": 0, "0": 0,
    "ja_mits": 1, "a": 1, "b": 1, "c": 1,
    "nee_tenzij": 2, "nee": 2, "d": 2,
}
_KLEUR_CODES = {
    "geen informatie": -1, "onbekend": -1, "transparant": 0, "groen": 0, "beschikbaar": 0,
    "geel": 1, "beperkt": 1, "oranje": 2, "congestiemanagement": 2, "onderzoek": 2,
    "rood": 3, "tekort": 3, "wachtrij": 3,
}
CONGESTIE_LABELS = {-1: "geen informatie", 0: "beschikbaar", 1: "beperkt", 2: "congestiemanagement/onderzoek", 3: "tekort"}


@dataclass(frozen=True)
class ConstraintParams:
    """Parameters of the constraints and indicators."""

    uitsluiten_nee_tenzij: bool = param(
        True, range_source="beleidskeuze: per toets aan en uit, niet getrokken", label="Panden in water/bodem 'nee, tenzij' uitsluiten",
        source="Kamerbrief Water en Bodem Sturend 2022; afwegingskader 2024",
    )
    bodemdaling_ja_mits_vanaf_cm: float = param(
        10.0, low=5.0, high=15.0, range_source="standaardwaarde ± 5 cm (telt geen woningen, alleen ja-mits)", label="Bodemdaling tot 2050 vanaf (ja, mits)", unit="cm", minimum=0.0,
        source="standaardwaarde (10 cm: restzetting-eis drinkwaterbedrijven, bouwadaptief.nl)",
    )
    bodemdaling_nee_tenzij_boven_cm: float = param(
        40.0, low=30.0, high=50.0, range_source="standaardwaarde ± 10 cm", label="Bodemdaling tot 2050 boven (nee, tenzij)", unit="cm", minimum=0.0,
    )
    overstroming_ja_mits_vanaf_m: float = param(
        0.5, low=0.2, high=0.8, range_source="standaardwaarde ± 0,3 m (telt geen woningen, alleen ja-mits)", label="Overstromingsdiepte vanaf (ja, mits)", unit="m", minimum=0.0,
    )
    overstroming_nee_tenzij_boven_m: float = param(
        2.0, low=1.5, high=2.5, range_source="standaardwaarde ± 0,5 m", label="Overstromingsdiepte boven (nee, tenzij)", unit="m", minimum=0.0,
    )
    kwel_ja_mits_vanaf: float = param(
        1.0, low=0.5, high=2.0, range_source="geen landelijke drempel (telt geen woningen, alleen ja-mits)", label="Kwel vanaf (ja, mits)", unit="mm/d", minimum=0.0,
        help="Sterke kwel telt als 'ja, mits' (geen landelijke drempel bekend); wegzijging (negatief) telt niet.",
    )
    congestie_vanaf_code: int = param(
        2, low=2, high=3, range_source="code 2 of 3 (telt geen woningen, alleen in congestie)", label="Netcongestie vanaf code", unit="code", minimum=0, maximum=3,
        help="Woningen in congestie: code ≥ deze waarde (2 = congestiemanagement/onderzoek, 3 = tekort).",
    )
    uitsluiten_congestie_code_3: bool = param(
        False, range_source="beleidskeuze: per toets aan en uit, niet getrokken", label="Panden met netcongestiecode 3 (tekort) uitsluiten",
    )
    kw_per_woning: float = param(
        2.0, low=1.2, high=2.0, range_source="Merwede 1,2 kW tot all-electric 2,0 kW per woning", label="Piekbelasting per extra woning", unit="kW", minimum=0.0,
        source="standaardwaarde (all-electric na gelijktijdigheid; Merwede: 1,2 kW)",
    )
    netbewust: bool = param(False, range_source="beleidskeuze: per toets aan en uit, niet getrokken", label="Netbewust bouwen")
    netbewust_factor: float = param(
        0.8, low=0.6, high=0.9, range_source="standaardwaarde (geen landelijk getal)", label="Factor piekbelasting bij netbewust bouwen", unit="fractie", minimum=0.0, maximum=1.0,
    )
    betaalbaar_aandeel: float = param(
        2 / 3, low=0.5, high=0.75, range_source="Woontop 2022 (twee derde); lokaal 50–75%", label="Aandeel betaalbare woningen", unit="fractie", minimum=0.0, maximum=1.0,
        source="Woontop 2022 (twee derde betaalbaar)",
    )
    stimulans_per_betaalbare_woning_eur: float = param(
        7000.0, vary=False, range_source="vast bedrag uit de Woontop-afspraak: niet gevarieerd", label="Realisatiestimulans per betaalbare woning", unit="€", minimum=0.0,
        source="Woontop-afspraak 19.1",
    )
    nplv_bonus_per_woning_eur: float = param(
        12000.0, vary=False, range_source="vast bedrag (€ 600 mln / 50.000 woningen): niet gevarieerd", label="Extra stimulans per woning in een NPLV-focusgebied", unit="€", minimum=0.0,
        source="seeds: € 600 mln voor 50.000 woningen",
    )


def classify(buildings: pd.DataFrame, inputs, params: ConstraintParams | None = None) -> pd.DataFrame:
    """Per building: ``water_bodem``, ``water_bodem_ernst``, ``mitsen``, ``nee_tenzij_zone``,
    ``netcongestie``, ``nplv``, ``nplv_focusgebied`` (index of ``buildings``).

    Unknown is not zero: without a water/bodem source at the building ``water_bodem`` is empty
    (not "ja"); without a netcongestie layer ``netcongestie`` is empty (nullable Int64, not −1),
    without an NPLV layer ``nplv`` is empty (nullable boolean, not False)."""
    p = params or ConstraintParams()
    n = len(buildings)
    zone_layers = {role: getattr(inputs, role, None) for role in ("water_bodem", "netcongestie", "nplv")}
    points = _Points(buildings, zone_layers)
    code = np.zeros(n, dtype="int64")
    worst = np.zeros(n, dtype="int64")  # severity letter of the ja_mits zones: 0 none, 1 A, 2 B, 3 C
    # (building pos, klasse code, table of texts, position in the table) per source
    texts: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []

    wb = getattr(inputs, "water_bodem", None)
    if wb is not None and len(wb):
        zone_code, zone_ernst, zone_text = water_bodem_zone_classes(wb)
        bi, zi = points.within("water_bodem")
        np.maximum.at(code, bi, zone_code[zi])
        mits = zone_code[zi] == 1
        # the most severe letter (C > B > A) of the ja_mits zones at the building
        severity = np.searchsorted(np.array(["", "A", "B", "C"]), zone_ernst.astype(str))
        np.maximum.at(worst, bi[mits], severity[zi[mits]])
        texts.append((bi, zone_code[zi], zone_text, zi))

    for role, unit, mits_from, nee_above, decimals in (
        ("bodemdaling", "cm", p.bodemdaling_ja_mits_vanaf_cm, p.bodemdaling_nee_tenzij_boven_cm, 0),
        ("overstromingsdiepte", "m", p.overstroming_ja_mits_vanaf_m, p.overstroming_nee_tenzij_boven_m, 1),
        ("kwel", "mm/d", p.kwel_ja_mits_vanaf, np.inf, 1),
    ):
        if role not in buildings.columns:
            continue
        value = buildings[role].to_numpy(dtype="float64")
        raster_code = np.where(value > nee_above, 2, np.where(value >= mits_from, 1, 0))
        raster_code[np.isnan(value)] = 0
        np.maximum(code, raster_code, out=code)
        hit = np.flatnonzero(raster_code > 0)
        if hit.size:
            # the text depends only on (value as formatted, class): build it once per
            # distinct pair, from one representative row of each
            hit_value, hit_code = value[hit], raster_code[hit]
            _, value_group = distinct(np.round(hit_value, decimals) + 0.0)  # what fmt_num formats
            _, pair = distinct(value_group * 3 + hit_code)
            rep = np.empty(pair.max() + 1, dtype="int64")
            rep[pair] = np.arange(pair.size)
            limit = np.where(hit_code[rep] == 2, "> " + fmt_scalar(nee_above, decimals), "≥ " + fmt_scalar(mits_from, decimals))
            suffix = f" {unit}" if unit else ""
            table = role + " " + fmt_num(hit_value[rep], decimals) + suffix + " (" + limit + suffix + ")"
            texts.append((hit, hit_code, table.astype(object), pair))

    mitsen = _join_per_building(n, texts, want=1)
    zones = _join_per_building(n, texts, want=2)
    # Without any water/bodem source at a building its class is unknown: empty, not "ja". A
    # water_bodem layer maps the restricted zones of its area (outside them: ja); a raster
    # says only where it has a value.
    known = np.full(n, wb is not None)
    for role in ("bodemdaling", "overstromingsdiepte", "kwel"):
        if role in buildings.columns and not known.all():
            known |= ~np.isnan(buildings[role].to_numpy(dtype="float64"))
    # text columns built by a take from their few distinct texts (no per-row conversion)
    out = pd.DataFrame(
        {
            "water_bodem": _missing_where(text_array(KLASSEN, code), ~known),
            "water_bodem_ernst": text_array(["", "A", "B", "C"], np.where(code == 1, worst, 0)),
            "mitsen": text_array(*mitsen),
            "nee_tenzij_zone": text_array(*zones),
        },
        index=buildings.index,
    )
    out["netcongestie"] = _congestion(points, zone_layers["netcongestie"])
    nplv, focus = _nplv(points, zone_layers["nplv"])
    out["nplv"] = nplv
    out["nplv_focusgebied"] = focus
    return out


def _missing_where(column: pd.Categorical, missing: np.ndarray) -> pd.Categorical:
    """A categorical with the rows of ``missing`` missing (shown empty)."""
    if not missing.any():
        return column
    codes = np.where(missing, -1, column.codes)
    return pd.Categorical.from_codes(codes, dtype=column.dtype)


def congestion_values(column: pd.Series) -> np.ndarray:
    """The ``netcongestie`` codes as float64, NaN where unknown (no netcongestie layer)."""
    return pd.to_numeric(column, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)


def nplv_flags(column: pd.Series) -> np.ndarray:
    """The ``nplv`` flags as bool, False where unknown (no NPLV layer: no bonus is counted)."""
    return column.to_numpy(dtype=bool, na_value=False)


class _Points:
    """The buildings' centroids, tested against zone layers (point on the border counts).

    All layers are tested together, on first use: one tree over every layer's polygons
    and one query for all points (each query walks the tree once per point, so one query
    instead of one per layer), then the pairs are split by layer.
    """

    def __init__(self, buildings: pd.DataFrame, layers: dict):
        self.n = len(buildings)
        self.x = buildings["cx"].to_numpy(dtype="float64")
        self.y = buildings["cy"].to_numpy(dtype="float64")
        self.around = centroid_query_geometries(buildings)
        self._layers = {role: zones for role, zones in layers.items() if zones is not None and len(zones)}
        self._pairs: dict[str, tuple[np.ndarray, np.ndarray]] | None = None

    def within(self, role: str) -> tuple[np.ndarray, np.ndarray]:
        """(building position, zone position) pairs of layer ``role``: the pairs of
        ``STRtree(zones).query(points, "intersects")``, grouped by building (the order of
        the zones of one building may differ)."""
        if self._pairs is None:
            polygons = [np.asarray(zones.geometry.to_numpy(), dtype=object) for zones in self._layers.values()]
            starts = np.cumsum([0] + [len(p) for p in polygons])
            bi, pi = (
                points_in_polygons(self.around, self.x, self.y, np.concatenate(polygons))
                if polygons
                else (np.zeros(0, dtype="int64"), np.zeros(0, dtype="int64"))
            )
            layer = np.searchsorted(starts, pi, side="right") - 1
            self._pairs = {}
            for k, name in enumerate(self._layers):
                mine = layer == k
                self._pairs[name] = (bi[mine], pi[mine] - starts[k])
        return self._pairs[role]


def water_bodem_zone_classes(wb: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Class code (0/1/2), severity letter and a Dutch description per water/bodem polygon."""
    if "klasse" not in wb.columns:
        raise ValueError(Translatable("laag 'water_bodem' heeft geen kolom 'klasse'"))
    raw = wb["klasse"].astype(object).fillna("").astype(str).str.strip()
    key = raw.str.lower().str.replace("-", "_", regex=False).str.replace(" ", "_", regex=False).str.replace(",", "", regex=False)
    codes = key.map(_KLASSE_CODES)
    bad = codes.isna()
    if bad.any():
        empty = int((raw[bad] == "").sum())
        if empty:
            raise ValueError(Translatable(
                "laag 'water_bodem': {empty} zone(s) zonder klasse; vul de kolom 'klasse' in "
                "(ja, ja_mits, nee_tenzij of 0, A, B, C, D)", empty=empty))
        raise ValueError(Translatable(
            "laag 'water_bodem': onbekende klasse '{klasse}' (verwacht ja, ja_mits, nee_tenzij of 0, A, B, C, D)",
            klasse=raw[bad].iloc[0]))
    letter = raw.str.upper().where(key.isin(["a", "b", "c"]), "")
    if "klasse_ernst" in wb.columns:
        given = wb["klasse_ernst"].astype(object).fillna("").astype(str).str.strip().str.upper()
        letter = given.where(given != "", letter)
    bad_letter = ~letter.isin(["", "A", "B", "C"])
    if bad_letter.any():
        raise ValueError(Translatable("laag 'water_bodem': onbekende klasse_ernst '{ernst}' (verwacht A, B of C)",
                                      ernst=letter[bad_letter].iloc[0]))
    thema = text_column(wb, "thema")
    bron = text_column(wb, "bron")
    toelichting = text_column(wb, "mits_toelichting")
    scenario = text_column(wb, "scenario")
    label = thema.where(thema != "", "water en bodem")
    detail = toelichting.where(codes.to_numpy() == 1, "")
    text = label + np.where(detail != "", ": " + detail, "")
    text = text + np.where(letter != "", " (klasse " + letter + ")", "")
    extra = np.where(bron != "", "bron " + bron, "")
    extra = np.where(scenario != "", np.where(extra != "", extra + ", ", "") + "scenario " + scenario, extra)
    text = text + np.where(extra != "", " [" + extra + "]", "")
    return codes.to_numpy(dtype="int64"), letter.to_numpy(dtype=object), text.to_numpy(dtype=object)


def text_column(df: pd.DataFrame, column: str) -> pd.Series:
    """``column`` as stripped text, ``""`` for missing values (or when the column is absent)."""
    if column not in df.columns:
        return pd.Series("", index=df.index, dtype=object)
    return df[column].astype(object).fillna("").astype(str).str.strip()


def _join_per_building(n: int, texts: list, want: int) -> tuple[list, np.ndarray]:
    """'; '-joined distinct texts of class ``want`` per building ('' when none), as
    (distinct texts, index per building) for :func:`text_array`."""
    out = np.zeros(n, dtype="int64")  # 0: ""
    offsets = np.cumsum([0] + [len(table) for _, _, table, _ in texts])
    parts = [(pos[code == want], idx[code == want] + off) for (pos, code, _, idx), off in zip(texts, offsets)]
    pos = np.concatenate([p for p, _ in parts]) if parts else np.zeros(0, dtype="int64")
    if not pos.size:
        return [""], out
    # every source's texts in one small table, deduplicated; rows refer to it by position
    table_codes, uniques = pd.factorize(np.concatenate([np.asarray(t, dtype=object) for _, _, t, _ in texts]))
    codes = table_codes[np.concatenate([i for _, i in parts])]
    # distinct (building, text) pairs sorted by building, then text; done on integer keys
    # (the rank of each distinct text) instead of sorting strings row by row
    by_text = np.argsort(np.asarray(uniques, dtype=object), kind="stable")
    ordered = np.asarray(uniques, dtype=object)[by_text]
    rank = np.empty(len(by_text), dtype="int64")
    rank[by_text] = np.arange(len(by_text))
    key = np.sort(pos.astype("int64") * len(by_text) + rank[codes])
    key = key[np.r_[True, key[1:] != key[:-1]]]
    pos_sorted, rank_sorted = key // len(by_text), key % len(by_text)
    # each building's texts are a set of ranks; the joined text depends only on that set:
    # join the texts once per distinct set (a handful), not once per building
    starts = np.flatnonzero(np.r_[True, pos_sorted[1:] != pos_sorted[:-1]])
    which = _set_ids(rank_sorted, starts, len(by_text))
    first = np.empty(int(which.max()) + 1, dtype="int64")  # one building per distinct set
    first[which] = np.arange(which.size)
    ends = np.r_[starts[1:], rank_sorted.size]
    table = [""] + ["; ".join(ordered[rank_sorted[starts[b]:ends[b]]]) for b in first]
    out[pos_sorted[starts]] = 1 + which
    return table, out


def _set_ids(ranks: np.ndarray, starts: np.ndarray, n_ranks: int) -> np.ndarray:
    """Id of each group's set of ranks (groups are the runs ``ranks[starts[i]:starts[i+1]]``,
    each sorted and without repeats): equal sets get equal ids, different sets different ids.

    A 64-bit sum of random weights per rank identifies a set; the result is checked
    (every group has exactly the ranks of one representative group with the same id) and
    recomputed exactly, one rank position at a time, in the (astronomically unlikely) case
    of a collision.
    """
    lengths = np.diff(np.r_[starts, ranks.size])
    weights = np.random.default_rng(20240607).integers(1, 2**63, size=n_ranks, dtype="int64").view("uint64")
    which = distinct(np.add.reduceat(weights[ranks], starts))[1]  # wraps around modulo 2**64
    first = np.empty(int(which.max()) + 1, dtype="int64")
    first[which] = np.arange(which.size)
    rep = first[which]
    if (lengths[rep] == lengths).all():
        offset = np.arange(ranks.size) - np.repeat(starts, lengths)
        if (ranks[np.repeat(starts[rep], lengths) + offset] == ranks).all():
            return which
    which = np.zeros(starts.size, dtype="int64")
    for j in range(int(lengths.max())):
        rank_j = np.where(lengths > j, ranks[np.minimum(starts + j, ranks.size - 1)], n_ranks)
        which = distinct(which * (n_ranks + 1) + rank_j)[1]
    return which


def congestion_codes(values: pd.Series) -> np.ndarray:
    """``status_afname`` as integer code −1..3 (numbers, or colour names geel/oranje/rood)."""
    numeric = pd.to_numeric(values, errors="coerce")
    names = values.astype(object).fillna("").astype(str).str.strip().str.lower().map(_KLEUR_CODES)
    codes = numeric.where(numeric.notna(), names).fillna(-1).to_numpy(dtype="float64")
    return np.clip(codes, -1, 3).astype("int64")


def _congestion(points: np.ndarray, zones) -> "np.ndarray | pd.arrays.IntegerArray":
    """Highest code at each building, −1 (geen informatie) outside every zone; missing (empty)
    for every building without a netcongestie layer."""
    out = np.full(points.n, -1, dtype="int64")
    if zones is None:
        return pd.array(np.full(points.n, None), dtype="Int64")
    if not len(zones):
        return out
    if "status_afname" not in zones.columns:
        raise ValueError(Translatable("laag 'netcongestie' heeft geen kolom 'status_afname'"))
    codes = congestion_codes(zones["status_afname"])
    bi, zi = points.within("netcongestie")
    np.maximum.at(out, bi, codes[zi])
    return out


def _nplv(points: np.ndarray, areas) -> tuple[np.ndarray, np.ndarray]:
    flag = np.zeros(points.n, dtype=bool)
    if areas is None:  # no NPLV layer: unknown (empty), not "outside every focusgebied"
        return pd.array(np.full(points.n, None), dtype="boolean"), text_array([""], np.zeros(points.n, dtype="int64"))
    if not len(areas):
        return flag, text_array([""], np.zeros(points.n, dtype="int64"))
    labels = text_column(areas, "focusgebied").to_numpy(dtype=object)
    bi, ai = points.within("nplv")
    flag[bi] = True
    order = np.lexsort((ai, bi))
    uq, first = np.unique(bi[order], return_index=True)
    name = np.zeros(points.n, dtype="int64")  # 0: "", i + 1: labels[i]
    name[uq] = ai[order][first] + 1
    return flag, text_array(["", *labels], name)


#: Building column set by the pipeline before the scans: True where new homes would be excluded.
EXCLUDED_LOCATION = "uitgesloten_locatie"


def excluded_location(classes: pd.DataFrame, params: ConstraintParams | None = None) -> np.ndarray:
    """True per building where :func:`apply` would exclude new homes (nee-tenzij, code 3 when set)."""
    p = params or ConstraintParams()
    out = np.zeros(len(classes), dtype=bool)
    if p.uitsluiten_nee_tenzij:
        out |= text_equals(classes["water_bodem"], NEE_TENZIJ)
    if p.uitsluiten_congestie_code_3:
        out |= congestion_values(classes["netcongestie"]) == 3
    return out


def apply(scan_results: pd.DataFrame, classes: pd.DataFrame, scan_names, params: ConstraintParams | None = None) -> pd.DataFrame:
    """Exclusions and per-building indicators on top of the scan results.

    Returns a new frame with, per scan, ``…_woningen`` and ``…_reden`` after exclusions (and the
    scan's ``…_onbekend`` and ``…_bron`` when it gives them, the source emptied where the homes
    were excluded), and
    ``totaal_woningen``, ``uitgesloten_nee_tenzij`` (homes excluded by water/bodem),
    ``uitgesloten_congestie`` (homes excluded by netcongestie code 3), ``uitgesloten_woningen``,
    ``netimpact_kw`` and ``realisatiestimulans_eur``.
    """
    p = params or ConstraintParams()
    # copy-on-write: the columns replaced below never touch ``scan_results``
    out = scan_results.copy(deep=False)
    homes = {name: out[f"{name}_woningen"].to_numpy(dtype="int64") for name in scan_names}
    excluded = _Exclusions(homes, classes, p)
    for name in scan_names:
        pos, texts = excluded.reasons[name]
        out[f"{name}_woningen"] = excluded.homes[name]
        out[f"{name}_reden"] = replace_texts(out[f"{name}_reden"], pos, texts)
        if f"{name}_bron" in out.columns and pos.size:
            out[f"{name}_bron"] = replace_texts(out[f"{name}_bron"], pos, "")
    return excluded.add_indicators(out, classes, p)


def apply_coded(results: dict[str, "ScanOutcome"], classes: pd.DataFrame, params: ConstraintParams | None = None) -> pd.DataFrame:
    """:func:`apply` on scan results given as :class:`~scans._rules.ScanOutcome` (homes,
    reasons, sources) per scan name (in column order): the same frame, each text column built
    once, with ``<scan>_onbekend`` and ``<scan>_bron`` beside each scan's homes and reason."""
    p = params or ConstraintParams()
    excluded = _Exclusions({name: np.asarray(outcome[0], dtype="int64") for name, outcome in results.items()}, classes, p)
    columns: dict[str, object] = {}
    for name, outcome in results.items():
        reasons = outcome[1]
        pos, new_texts = excluded.reasons[name]
        # the new reasons go at the end of the table; only the excluded rows point to them
        codes = reasons.codes.copy()
        codes[pos] = len(reasons.texts) + np.arange(pos.size)
        columns[f"{name}_woningen"] = pd.Series(excluded.homes[name], index=classes.index, copy=False)
        columns[f"{name}_reden"] = pd.Series(text_array([*reasons.texts, *new_texts], codes), index=classes.index, copy=False)
        columns[f"{name}_onbekend"] = pd.Series(reasons.unknown(), index=classes.index, copy=False)
        if len(outcome) > 2:
            columns[f"{name}_bron"] = pd.Series(_without_homes(outcome[2], pos).array(), index=classes.index, copy=False)
    # copy=False and Series: the frame takes the columns as they are (no stacking into blocks)
    return excluded.add_indicators(pd.DataFrame(columns, index=classes.index, copy=False), classes, p)


def _without_homes(bron: Reasons, pos: np.ndarray) -> Reasons:
    """Sources with ``""`` at the rows whose homes were excluded (no homes, no source)."""
    if not pos.size:
        return bron
    codes = bron.codes.copy()
    codes[pos] = len(bron.texts)
    return Reasons([*bron.texts, ""], codes)


class _Exclusions:
    """Homes per scan after the exclusions (water/bodem nee-tenzij, netcongestie code 3)."""

    def __init__(self, homes: dict[str, np.ndarray], classes: pd.DataFrame, p: ConstraintParams):
        n = len(classes)
        nee = text_equals(classes["water_bodem"], NEE_TENZIJ)
        code3 = congestion_values(classes["netcongestie"]) == 3
        self.water = np.zeros(n, dtype="int64")  # homes excluded by water/bodem
        self.net = np.zeros(n, dtype="int64")  # homes excluded by netcongestie
        self.homes: dict[str, np.ndarray] = {}  # per scan: homes after the exclusions
        self.reasons: dict[str, tuple[np.ndarray, np.ndarray]] = {}  # per scan: excluded rows, their new reasons
        for name, scan_homes in homes.items():
            kept = scan_homes.copy()
            pos_parts, text_parts = [np.zeros(0, dtype="int64")], [np.zeros(0, dtype=object)]
            if p.uitsluiten_nee_tenzij:
                hit = nee & (kept > 0)
                self.water += np.where(hit, kept, 0)
                pos = np.flatnonzero(hit)
                pos_parts.append(pos)
                text_parts.append("uitgesloten: water en bodem nee-tenzij (" + texts_at(classes["nee_tenzij_zone"], pos) + ")")
                kept[hit] = 0
            if p.uitsluiten_congestie_code_3:
                hit = code3 & (kept > 0)
                self.net += np.where(hit, kept, 0)
                pos = np.flatnonzero(hit)
                pos_parts.append(pos)
                text_parts.append(np.full(pos.size, "uitgesloten: netcongestie code 3 (tekort)", dtype=object))
                kept[hit] = 0
            self.homes[name] = kept
            self.reasons[name] = (np.concatenate(pos_parts), np.concatenate(text_parts))

    def add_indicators(self, out: pd.DataFrame, classes: pd.DataFrame, p: ConstraintParams) -> pd.DataFrame:
        """``out`` with the totals and indicators of the homes after the exclusions."""
        total = np.zeros(len(out), dtype="int64")
        for kept in self.homes.values():
            total += kept
        out["totaal_woningen"] = total
        out["uitgesloten_nee_tenzij"] = self.water
        out["uitgesloten_congestie"] = self.net
        out["uitgesloten_woningen"] = self.water + self.net
        factor = p.netbewust_factor if p.netbewust else 1.0
        out["netimpact_kw"] = total * p.kw_per_woning * factor
        nplv = nplv_flags(classes["nplv"])
        out["realisatiestimulans_eur"] = total * p.betaalbaar_aandeel * p.stimulans_per_betaalbare_woning_eur + np.where(
            nplv, total * p.nplv_bonus_per_woning_eur, 0.0
        )
        return out
