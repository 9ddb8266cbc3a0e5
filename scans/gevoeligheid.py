"""Which assumption decides the answer: one-at-a-time sensitivity and an uncertainty band.

Every number of the scans and constraints has a documented range (``low``/``high`` of
:func:`scans.params.param`). Two analyses use them, both on data prepared once
(:func:`prepare`: the layers read, the buildings prepared by
:func:`scans.inputs.prepare_buildings`, the zone overlays of the constraints done); each
parameter set then runs only the scan rules, the exclusions and a sum per gebied.

- :func:`one_at_a_time`: each parameter at its low and at its high, all others at the
  scenario's value; a bool (a scenario choice, not an uncertainty) at its other state. The
  swing (``|hoog − laag|``) in homes per scan and per gebied orders the tornado chart.
- :func:`band`: ``N`` draws of every ranged number at once; per gebied and in total the P10,
  P50 and P90 of the homes per scan.

How a draw is made (documented for the user in ``gisapp scans help``): per parameter a signed
deviation ``s`` in [−1, 1] from a seeded stream of its own (so adding a parameter does not
change the draws of the others); the value is ``default + s·(high − default)`` for ``s > 0`` and
``default + s·(default − low)`` for ``s < 0`` (rounded for whole numbers). ``|s|`` is
triangular (most likely at the default, density ``2(1 − |s|)``) or uniform. Draws come in
antithetic pairs: draw ``2k + 1`` takes ``−s`` of draw ``2k``, so exactly half of the draws lie
below and half above the default for each parameter. Consequences, by construction:

- with every range collapsed to its default every draw is the plain scan: the band is a point;
- the same seed gives the same band;
- widening a parameter's range moves each draw's value further from the default on the same
  side (the same ``s``); for a parameter whose effect on the homes is monotone, with the other
  parameters fixed, each draw's homes move outwards, so P10 does not rise and P90 does not fall:
  a wider range never narrows the band. (With all parameters varied at once this holds
  draw by draw, not necessarily for every quantile.)

A scenario value outside a parameter's documented range shifts the range with it (the same
distances below and above); a bool is never drawn in the band (kept at the scenario's choice).
A portfolio is not taken into account: the analyses count every building of the project.

Unknown is not zero: a building a scan could not judge (its ``<scan>_onbekend``: an input its rules
need is missing) adds no homes to any draw, so it is left out of the band, not estimated.
:meth:`Prepared.unknown` counts those buildings per gebied at the scenario's values
(:attr:`Band.onbekend`) and :func:`sentence` says how many there are, and in how many gebieden.

The sentences are :class:`layers.texts.Translatable` (Dutch, with their templates for the app's
English), as are the progress texts.
"""

from __future__ import annotations

import dataclasses
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from layers.feedback import Feedback, check, ensure
from layers.texts import Translatable
from scans import boerenerf, constraints, optoppen, splitsen, transformatie
from scans import inputs as scan_inputs
from scans._fast import text_equals
from scans.inputs import BUITEN_GEBIED_CODE, ScanInputs
from scans.params import ParamInfo, describe
from scans.registry import SCANS
from scans.scenarios import PRESETS, ScanSettings

#: Row/label of the whole project in the per-gebied tables.
TOTAAL = "TOTAAL"

#: The scans giving their homes without text columns (the built-in ones).
_CODED: dict[str, Callable] = {m.NAME: m.run_coded for m in (optoppen, splitsen, transformatie, boerenerf)}

#: Sections whose parameters are varied: the scans and the constraints.
SECTIONS: tuple[str, ...] = (*SCANS, "beperkingen")

#: Default number of draws of the band and its quantiles.
DEFAULT_DRAWS = 200
QUANTILES = (10, 50, 90)


@dataclass(frozen=True)
class Varied:
    """One varied parameter: where it lives, its scenario value and the range used."""

    section: str
    info: ParamInfo
    value: Any
    low: Any
    high: Any

    @property
    def key(self) -> str:
        return f"{self.section}.{self.info.name}"

    def at(self, s: np.ndarray) -> np.ndarray:
        """Values for signed deviations ``s`` in [−1, 1] (see the module docstring)."""
        v = float(self.value)
        out = np.where(s >= 0, v + s * (float(self.high) - v), v + s * (v - float(self.low)))
        return np.floor(out + 0.5) if self.info.type == "int" else out

    def cast(self, value: Any) -> Any:
        return int(value) if self.info.type == "int" else (bool(value) if self.info.type == "bool" else float(value))


def varied_parameters(settings: ScanSettings, ranges: dict[str, tuple[float, float]] | None = None) -> list[Varied]:
    """The parameters the analyses vary, in section and declaration order.

    ``ranges`` overrides the documented range of ``"section.name"`` (for a what-if and the
    tests); a scenario value outside a range shifts the range with it."""
    ranges = ranges or {}
    out = []
    for section in SECTIONS:
        params = settings.section(section)
        for info in describe(type(params)):
            value = getattr(params, info.name)
            key = f"{section}.{info.name}"
            if info.toggled:
                out.append(Varied(section, info, value, False, True))
            elif info.has_range or (key in ranges and info.type in ("int", "float")):
                low, high = ranges.get(key, (info.low, info.high))
                if not low <= value <= high and key not in ranges:
                    low, high = value - (info.default - low), value + (high - info.default)
                    if info.minimum is not None:
                        low = max(low, info.minimum)
                    if info.maximum is not None:
                        high = min(high, info.maximum)
                if not low <= value <= high:
                    raise ValueError(Translatable("bereik {low}–{high} van {key} bevat de waarde {value} niet", low=low, high=high, key=key,
                                                  value=value))
                out.append(Varied(section, info, value, low, high))
    return out


def with_values(settings: ScanSettings, values: dict[str, Any]) -> ScanSettings:
    """``settings`` with ``{"section.name": value}`` applied (values already of the right type)."""
    per_section: dict[str, dict[str, Any]] = {}
    for key, value in values.items():
        section, name = key.split(".", 1)
        per_section.setdefault(section, {})[name] = value
    for section, changes in per_section.items():
        settings = settings.with_section(section, dataclasses.replace(settings.section(section), **changes))
    return settings


@dataclass(eq=False)
class Prepared:
    """The data of one project prepared once: buildings, the zone overlays, the gebied of each."""

    inputs: ScanInputs
    buildings: pd.DataFrame
    settings: ScanSettings
    layer_nee: np.ndarray  # nee-tenzij from the water_bodem layer (independent of the thresholds)
    code3: np.ndarray  # netcongestie code 3
    rasters: dict[str, np.ndarray]  # bodemdaling, overstromingsdiepte per building (NaN: none)
    gebied_of: np.ndarray  # position of each building's gebied in ``gebied_codes``
    gebied_codes: list[str]
    _cache: dict = field(default_factory=dict, repr=False)

    def unknown(self, settings: ScanSettings | None = None) -> pd.DataFrame:
        """Buildings a scan could not judge at ``settings`` (the scenario's values by default), per
        gebied (rows ``gebied_codes`` and :data:`TOTAAL`) and scan (columns :data:`SCANS` and
        ``totaal``: unknown for at least one scan). The same flags as the scan's ``<scan>_onbekend``
        column (the reasons of the rules whose input is missing); each scan's rules run once."""
        settings = settings or self.settings
        masks = {}
        for name, spec in SCANS.items():
            run = _CODED.get(name)
            if run is not None and spec.run is getattr(_module_of(name), "run", None):
                masks[name] = np.asarray(run(self.buildings, self.inputs, settings.section(name), None).reasons.unknown(),
                                         dtype=bool)
            else:
                frame = spec.run(self.buildings, self.inputs, settings.section(name), None)
                column = frame.get(f"{name}_onbekend")
                masks[name] = (np.zeros(len(self.buildings), dtype=bool) if column is None
                               else column.fillna(False).to_numpy(dtype=bool))
        masks["totaal"] = np.logical_or.reduce(list(masks.values())) if masks else np.zeros(len(self.buildings), bool)
        counts = {name: np.bincount(self.gebied_of, weights=mask, minlength=len(self.gebied_codes)).astype("int64")
                  for name, mask in masks.items()}
        frame = pd.DataFrame(counts, index=pd.Index(self.gebied_codes, name="gebied_code"))
        frame.loc[TOTAAL] = [int(mask.sum()) for mask in masks.values()]
        return frame

    def excluded(self, p: constraints.ConstraintParams) -> np.ndarray:
        """Where :func:`scans.constraints.apply` excludes new homes under ``p`` (the rule of
        :func:`scans.constraints.classify` for the raster thresholds, on the overlays done once)."""
        out = np.zeros(len(self.buildings), dtype=bool)
        if p.uitsluiten_nee_tenzij:
            nee = self.layer_nee.copy()
            for role, above in (("bodemdaling", p.bodemdaling_nee_tenzij_boven_cm),
                                ("overstromingsdiepte", p.overstroming_nee_tenzij_boven_m)):
                if role in self.rasters:
                    with np.errstate(invalid="ignore"):
                        nee |= self.rasters[role] > above
            out |= nee
        if p.uitsluiten_congestie_code_3:
            out |= self.code3
        return out

    def homes(self, settings: ScanSettings) -> np.ndarray:
        """Homes per gebied (rows, in ``gebied_codes`` order) and scan (columns, :data:`SCANS`
        order) after the exclusions. A scan's homes are remembered per (its parameters, the
        exclusion parameters): the one-at-a-time analysis runs only the scan that changes."""
        p = settings.beperkingen
        key_excl = (p.uitsluiten_nee_tenzij, p.bodemdaling_nee_tenzij_boven_cm, p.overstroming_nee_tenzij_boven_m,
                    p.uitsluiten_congestie_code_3)
        excluded = None
        columns = []
        for name, spec in SCANS.items():
            key = (name, settings.section(name), key_excl)
            sums = self._cache.get(key)
            if sums is None:
                if excluded is None:
                    excluded = self.excluded(p)
                    # a scan placing homes on one of several panden prefers one outside these zones
                    current = self.buildings.get(constraints.EXCLUDED_LOCATION)
                    if current is None or not np.array_equal(current.to_numpy(), excluded):
                        self.buildings[constraints.EXCLUDED_LOCATION] = excluded
                run = _CODED.get(name)
                if run is not None and spec.run is getattr(_module_of(name), "run", None):
                    homes = np.asarray(run(self.buildings, self.inputs, settings.section(name), None).homes, dtype="int64")
                else:
                    homes = spec.run(self.buildings, self.inputs, settings.section(name), None)[f"{name}_woningen"].to_numpy(dtype="int64")
                homes = np.where(excluded, 0, homes)
                sums = np.bincount(self.gebied_of, weights=homes, minlength=len(self.gebied_codes))
                sums = np.rint(sums).astype("int64")
                if len(self._cache) > 256:  # the band never hits twice: keep the memory flat
                    self._cache.clear()
                self._cache[key] = sums
            columns.append(sums)
        return np.stack(columns, axis=1)


def _module_of(name: str):
    return {m.NAME: m for m in (optoppen, splitsen, transformatie, boerenerf)}.get(name)


def prepare(inputs: ScanInputs, settings: ScanSettings | None = None, feedback: Feedback | None = None) -> Prepared:
    """Prepare the buildings and overlays once (the seam of :func:`scans.pipeline.run_potentiescan`
    before its scans): :func:`scans.inputs.prepare_buildings` and the zone overlays of
    :func:`scans.constraints.classify`."""
    settings = settings or PRESETS["standaard"]
    fb = ensure(feedback)
    check(fb)
    fb.progress(0.0, Translatable("panden voorbereiden"))
    buildings = scan_inputs.prepare_buildings(inputs, settings.algemeen)
    check(fb)
    fb.progress(0.5, Translatable("water en bodem, netcongestie en NPLV"))
    # the overlays once, without the raster thresholds (those are varied: see Prepared.excluded)
    no_raster_nee = dataclasses.replace(settings.beperkingen, bodemdaling_nee_tenzij_boven_cm=np.inf,
                                        overstroming_nee_tenzij_boven_m=np.inf)
    classes = constraints.classify(buildings, inputs, no_raster_nee)
    layer_nee = np.asarray(text_equals(classes["water_bodem"], constraints.NEE_TENZIJ), dtype=bool)
    code3 = np.asarray(constraints.congestion_values(classes["netcongestie"]) == 3, dtype=bool)
    rasters = {role: buildings[role].to_numpy(dtype="float64") for role in ("bodemdaling", "overstromingsdiepte")
               if role in buildings.columns}
    codes = buildings["gebied_code"].astype(object).where(buildings["gebied_code"].notna(), BUITEN_GEBIED_CODE)
    gebied_of, keys = pd.factorize(codes.astype(str), sort=True)
    fb.progress(1.0, Translatable("voorbereid"))
    return Prepared(inputs, buildings, settings, layer_nee, code3, rasters, gebied_of.astype("int64"),
                    [str(k) for k in keys])


def _frame(prep: Prepared, per_gebied: np.ndarray) -> pd.DataFrame:
    """Homes per gebied and scan as a frame, with ``totaal`` and a :data:`TOTAAL` row."""
    frame = pd.DataFrame(per_gebied, index=pd.Index(prep.gebied_codes, name="gebied_code"), columns=list(SCANS))
    frame.loc[TOTAAL] = frame.sum(axis=0)
    frame["totaal"] = frame[list(SCANS)].sum(axis=1)
    return frame


def plain(prep: Prepared, settings: ScanSettings | None = None) -> pd.DataFrame:
    """Homes per gebied (and :data:`TOTAAL`) and scan with every parameter at its scenario value."""
    return _frame(prep, prep.homes(settings or prep.settings))


def one_at_a_time(prep: Prepared, settings: ScanSettings | None = None, feedback: Feedback | None = None, *,
                  ranges: dict[str, tuple[float, float]] | None = None) -> pd.DataFrame:
    """Each parameter at its low and its high, all others at the scenario's value.

    One row per (parameter, gebied incl. :data:`TOTAAL`, scan incl. ``totaal``): ``sectie``,
    ``parameter`` (``section.name``), ``label``, ``eenheid``, ``waarde`` (the scenario's),
    ``laag``, ``hoog``, ``gebied_code``, ``scan``, ``woningen`` (at the scenario's value),
    ``woningen_laag``, ``woningen_hoog`` and ``swing`` = ``|woningen_hoog − woningen_laag|``;
    ordered by the swing of the total homes of the project, then per gebied and scan by swing.
    """
    settings = settings or prep.settings
    fb = ensure(feedback)
    varied = varied_parameters(settings, ranges)
    base = _frame(prep, prep.homes(settings))
    parts = []
    for k, v in enumerate(varied):
        check(fb)
        fb.progress(k / max(len(varied), 1), Translatable("een voor een: {parameter}", parameter=v.key))
        low = _frame(prep, prep.homes(with_values(settings, {v.key: v.cast(v.low)})))
        high = _frame(prep, prep.homes(with_values(settings, {v.key: v.cast(v.high)})))
        long = pd.DataFrame({
            "woningen": base.stack(), "woningen_laag": low.stack(), "woningen_hoog": high.stack(),
        }).rename_axis(["gebied_code", "scan"]).reset_index()
        long.insert(0, "sectie", v.section)
        long.insert(1, "parameter", v.key)
        long.insert(2, "label", v.info.label)
        long.insert(3, "eenheid", v.info.unit)
        long.insert(4, "waarde", _plain_value(v.value))
        long.insert(5, "laag", _plain_value(v.cast(v.low)))
        long.insert(6, "hoog", _plain_value(v.cast(v.high)))
        parts.append(long)
    fb.progress(1.0, Translatable("een voor een klaar"))
    table = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    if table.empty:
        return table
    table["swing"] = (table["woningen_hoog"] - table["woningen_laag"]).abs()
    overall = table[(table["gebied_code"] == TOTAAL) & (table["scan"] == "totaal")].set_index("parameter")["swing"]
    table["_order"] = table["parameter"].map(overall)
    table = table.sort_values(["_order", "parameter", "gebied_code", "swing"], ascending=[False, True, True, False],
                              kind="stable").drop(columns="_order")
    return table.reset_index(drop=True)


def _plain_value(value: Any) -> Any:
    if isinstance(value, (bool, np.bool_)):
        return "ja" if value else "nee"
    return value


def tornado(table: pd.DataFrame, scan: str = "totaal", gebied: str = TOTAAL) -> pd.DataFrame:
    """The rows of one scan (or ``totaal``) and one gebied (or :data:`TOTAAL`), largest swing first."""
    rows = table[(table["scan"] == scan) & (table["gebied_code"] == gebied)]
    return rows.sort_values(["swing", "parameter"], ascending=[False, True], kind="stable").reset_index(drop=True)


def deviations(varied: list[Varied], draws: int, seed: int) -> np.ndarray:
    """Signed deviations ``s`` (draws × parameters) in [−1, 1]: per parameter a stream of its own
    (seed and the parameter's name), antithetic pairs (see the module docstring)."""
    out = np.zeros((draws, len(varied)))
    half = (draws + 1) // 2
    for j, v in enumerate(varied):
        stream = np.random.default_rng([int(seed), zlib.crc32(v.key.encode())])
        u = stream.uniform(-1.0, 1.0, half)
        mag = np.abs(u)
        if v.info.distribution == "triangular":
            mag = 1.0 - np.sqrt(1.0 - mag)  # inverse CDF of the density 2(1 − x) on [0, 1]
        s = np.sign(u) * mag
        out[0::2, j] = s[: len(out[0::2])]
        out[1::2, j] = -s[: len(out[1::2])]
    return out


def draw_values(settings: ScanSettings, draws: int = DEFAULT_DRAWS, seed: int = 0,
                ranges: dict[str, tuple[float, float]] | None = None) -> pd.DataFrame:
    """The parameter values of every draw (draws × ``section.name``): only the ranged numbers
    (bools are never drawn)."""
    varied = [v for v in varied_parameters(settings, ranges) if v.info.type != "bool"]
    s = deviations(varied, draws, seed)
    return pd.DataFrame({v.key: v.at(s[:, j]) for j, v in enumerate(varied)})


@dataclass(frozen=True, eq=False)
class Band:
    """Outcome of :func:`band`: per gebied (and :data:`TOTAAL`) the quantiles of the homes per scan."""

    table: pd.DataFrame  # index gebied_code (TOTAAL last); columns <scan>_woningen_p10/_p50/_p90, totaal_woningen_…
    plain: pd.DataFrame  # homes at the scenario's values (as plain())
    draws: int
    seed: int
    values: pd.DataFrame  # the drawn parameter values
    #: buildings left out of the band because a scan could not judge them (:meth:`Prepared.unknown`)
    onbekend: pd.DataFrame | None = None

    def total(self, scan: str = "totaal", gebied: str = TOTAAL) -> tuple[int, int, int]:
        """(P10, P50, P90) of a scan (or ``totaal``) for the whole project (or one gebied)."""
        row = self.table.loc[gebied]
        return tuple(int(row[f"{scan}_woningen_p{q}"]) for q in QUANTILES)

    def columns_for(self, codes) -> pd.DataFrame:
        """The band columns for gebieden with these codes (missing codes: empty)."""
        return self.table.reindex(pd.Index([str(c) for c in codes]))


def band(prep: Prepared, settings: ScanSettings | None = None, draws: int = DEFAULT_DRAWS, seed: int = 0,
         feedback: Feedback | None = None, *, ranges: dict[str, tuple[float, float]] | None = None,
         client=None) -> Band:
    """P10, P50 and P90 of the homes per scan and gebied over ``draws`` draws of all ranged
    numbers at once (seeded: the same seed gives the same band). ``client``: a Dask client; the
    draws are split over its workers with the prepared data scattered once."""
    if draws < 1:
        raise ValueError(Translatable("aantal trekkingen moet minstens 1 zijn"))
    settings = settings or prep.settings
    fb = ensure(feedback)
    values = draw_values(settings, draws, seed, ranges)
    whole = {f"{sec}.{i.name}" for sec in SECTIONS for i in describe(type(settings.section(sec))) if i.type == "int"}
    records = values.to_dict("records")
    sets = [with_values(settings, {key: int(value) if key in whole else float(value) for key, value in record.items()})
            for record in records]
    if client is not None:
        results = _dask_homes(client, prep, sets, fb)
    else:
        results = []
        for i, draw_settings in enumerate(sets):
            check(fb)
            if i % 5 == 0:
                fb.progress(i / draws, Translatable("trekking {i} van {n}", i=i + 1, n=draws))
            results.append(prep.homes(draw_settings))
    fb.progress(1.0, Translatable("band klaar"))
    cube = np.stack(results)  # draws × gebieden × scans
    cube = np.concatenate([cube, cube.sum(axis=1, keepdims=True)], axis=1)  # + TOTAAL
    cube = np.concatenate([cube, cube.sum(axis=2, keepdims=True)], axis=2)  # + totaal
    q = np.percentile(cube, QUANTILES, axis=0, method="inverted_cdf")  # quantiles × gebieden × scans
    names = [*SCANS, "totaal"]
    table = pd.DataFrame(
        {f"{name}_woningen_p{p}": q[k, :, j].astype("int64") for j, name in enumerate(names) for k, p in enumerate(QUANTILES)},
        index=pd.Index([*prep.gebied_codes, TOTAAL], name="gebied_code"),
    )
    return Band(table, plain(prep, settings), draws, int(seed), values, prep.unknown(settings))


def _dask_homes(client, prep: Prepared, sets: list[ScanSettings], fb: Feedback) -> list[np.ndarray]:
    """The draws on a Dask cluster: the prepared data scattered once, a batch of draws per task."""
    from dask.distributed import as_completed

    shared = client.scatter(prep, broadcast=True)
    workers = max(1, len(client.scheduler_info().get("workers", {})))
    size = max(1, -(-len(sets) // (workers * 4)))
    batches = [sets[i:i + size] for i in range(0, len(sets), size)]
    futures = [client.submit(_homes_batch, shared, batch, pure=False) for batch in batches]
    order = {f.key: k for k, f in enumerate(futures)}
    done: dict[int, list[np.ndarray]] = {}
    try:
        for n, future in enumerate(as_completed(futures), start=1):
            check(fb)
            done[order[future.key]] = future.result()
            fb.progress(n / len(futures), Translatable("trekkingen: {i} van {n} delen", i=n, n=len(futures)))
    except BaseException:
        client.cancel(futures)
        raise
    return [homes for k in range(len(batches)) for homes in done[k]]


def _homes_batch(prep: Prepared, sets: list[ScanSettings]) -> list[np.ndarray]:
    # a worker with several threads runs several batches on the one scattered object: each batch
    # sets the exclusion column on a shallow copy of its own (the columns themselves are shared)
    own = dataclasses.replace(prep, buildings=prep.buildings.copy(deep=False), _cache={})
    return [own.homes(s) for s in sets]


#: The subject of a sentence per scan ("De optop-potentie ligt tussen ...").
_POTENTIE = {"optoppen": Translatable("De optop-potentie"), "splitsen": Translatable("De splitspotentie"),
             "transformatie": Translatable("De transformatiepotentie"), "boerenerf": Translatable("De boerenerfpotentie"),
             "totaal": Translatable("De totale potentie")}


def sentence(band_: Band, table: pd.DataFrame, scan: str, gebied: str = TOTAAL) -> Translatable:
    """"De optop-potentie ligt tussen X en Y woningen (P10–P90); de aanname die het meest
    bepaalt is …" for one scan (or ``totaal``), ending with the buildings left out of the band
    because they are onbekend (:func:`unknown_text`) when there are any."""
    from scans.params import format_value

    p10, _, p90 = band_.total(scan, gebied)
    what = _POTENTIE.get(scan) or Translatable("De potentie van {scan}", scan=scan)
    parts = [Translatable("{what} ligt tussen {p10:,} en {p90:,} woningen (P10–P90)", what=what, p10=p10, p90=p90)]
    rows = tornado(table, scan, gebied)
    rows = rows[rows["swing"] > 0]
    ranged = rows[~rows["laag"].isin(["ja", "nee"])]
    if ranged.empty:
        parts.append(Translatable("geen van de onzekere aannames verandert het aantal woningen"))
    else:
        top = ranged.iloc[0]
        values = dict(label=_parameter_term(top), low=format_value(top["laag"]), high=format_value(top["hoog"]),
                      homes_low=int(top["woningen_laag"]), homes_high=int(top["woningen_hoog"]))
        if top["eenheid"] not in ("", "fractie", "jaar"):
            parts.append(Translatable("de aanname die het meest bepaalt is {label} ({low}–{high} {unit}: {homes_low:,} tot "
                                      "{homes_high:,} woningen)", unit=Translatable.term(top["eenheid"], "unit", top["eenheid"]),
                                      **values))
        else:
            parts.append(Translatable("de aanname die het meest bepaalt is {label} ({low}–{high}: {homes_low:,} tot "
                                      "{homes_high:,} woningen)", **values))
    choices = rows[rows["laag"].isin(["ja", "nee"])]
    if len(choices) and (ranged.empty or choices.iloc[0]["swing"] > ranged.iloc[0]["swing"]):
        top = choices.iloc[0]
        parts.append(Translatable('de scenariokeuze "{label}" verandert het met {swing:,} woningen (nee: {no:,}, ja: {yes:,})',
                                  label=_parameter_term(top), swing=int(top["swing"]), no=int(top["woningen_laag"]),
                                  yes=int(top["woningen_hoog"])))
    unknown = unknown_text(band_, scan, gebied)
    if unknown is not None:
        parts.append(unknown)
    return Translatable("{sentence}.", sentence=Translatable.joined(parts))


def unknown_text(band_: Band, scan: str, gebied: str = TOTAAL) -> Translatable | None:
    """How many buildings a scan (or ``totaal``: at least one scan) could not judge, in how many
    gebieden, and that the band leaves them out; None when there are none (or the band does not say)."""
    counts = band_.onbekend
    if counts is None or gebied not in counts.index or scan not in counts.columns:
        return None
    n = int(counts.loc[gebied, scan])
    if n == 0:
        return None
    where = counts[scan].drop(index=[TOTAAL, BUITEN_GEBIED_CODE], errors="ignore")
    m = int((where > 0).sum()) if gebied == TOTAAL else 0
    if m == 0:
        panden = Translatable("{n:,} pand", n=n) if n == 1 else Translatable("{n:,} panden", n=n)
    elif n == 1:
        panden = Translatable("{n:,} pand in {m:,} gebied", n=n, m=m)
    elif m == 1:
        panden = Translatable("{n:,} panden in {m:,} gebied", n=n, m=m)
    else:
        panden = Translatable("{n:,} panden in {m:,} gebieden", n=n, m=m)
    if scan == "totaal":
        if n == 1:
            return Translatable("{panden} is voor minstens één scan onbekend (een gegeven ontbreekt); die scan telt het "
                                "niet mee in de band", panden=panden)
        return Translatable("{panden} zijn voor minstens één scan onbekend (een gegeven ontbreekt); die scans tellen ze "
                            "niet mee in de band", panden=panden)
    if n == 1:
        return Translatable("{panden} is onbekend (een gegeven ontbreekt) en telt niet mee in de band", panden=panden)
    return Translatable("{panden} zijn onbekend (een gegeven ontbreekt) en tellen niet mee in de band", panden=panden)


def _parameter_term(row) -> Translatable:
    """A parameter's label inside a sentence (first letter lower case unless it starts an abbreviation: GBO)."""
    return Translatable.term(_lower_first(row["label"]), "parameter", row["parameter"])


def _lower_first(label: str) -> str:
    """A label inside a sentence: first letter lower case unless it starts an abbreviation (GBO)."""
    return label[:1].lower() + label[1:] if label[1:2].islower() else label


def with_band_columns(result, inputs: ScanInputs, settings: ScanSettings, draws: int = DEFAULT_DRAWS, seed: int = 0,
                      feedback: Feedback | None = None) -> tuple[pd.DataFrame, Band]:
    """Both analyses for a scan ``result`` (``gisapp report --gevoeligheid``); the band's columns
    (``<scan>_woningen_p10``/``_p50``/``_p90``, ``totaal_woningen_…``) are added to
    ``result.gebieden`` (written to the Excel and the GeoPackage). Returns (one-at-a-time table, band)."""
    prep = prepare(inputs, settings, feedback)
    table = one_at_a_time(prep, settings, feedback)
    band_ = band(prep, settings, draws, seed, feedback)
    gebieden = getattr(result, "gebieden", None)
    if gebieden is not None:
        columns = band_.columns_for(gebieden["gebied_code"].astype(str))
        for name in columns.columns:
            gebieden[name] = pd.array(columns[name].to_numpy(), dtype="Int64")
    return table, band_
