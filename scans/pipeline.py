"""The whole potentiescan: prepare buildings, run the scans, apply constraints, aggregate, write.

Progress goes through a :class:`~layers.feedback.Feedback`; the run can be cancelled between
stages (:class:`~layers.feedback.CancelledError`). :func:`write_result` writes to a temporary
file in the target folder and renames it into place, so a cancelled or crashed run never
leaves a half-written GeoPackage.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from layers.io import geopackage
from scans import boerenerf, constraints, optoppen, per_gebied, splitsen, transformatie
from scans._fast import text_equals
from layers.feedback import Feedback, Part, check, ensure, spans
from layers.texts import Translatable
from scans._rules import scan_frame
from scans.inputs import ScanInputs, StatusCounts, link_vbo, not_real_per_status, prepare_buildings
from scans.registry import SCANS
from scans.scenarios import PRESETS, ScanSettings, parameter_table

def building_columns(scan_names=tuple(SCANS)) -> list[str]:
    """Columns of ``gebouwen_potentie`` required by DOMAIN.md, in order (helpers and geometry follow)."""
    cols = ["pand_id", "gebied_code"]
    for name in scan_names:
        cols += [f"{name}_woningen", f"{name}_reden"]
    return cols + ["totaal_woningen", "water_bodem", "mitsen", "netcongestie", "nplv"]


#: Helper columns after the DOMAIN.md ones: what a planner needs to check a number.
HELPER_COLUMNS = [
    "water_bodem_ernst",
    "nee_tenzij_zone",
    "nplv_focusgebied",
    "bouwjaar",
    "status",
    "gebruiksdoel",
    "bodemdaling",
    "overstromingsdiepte",
    "kwel",
    "transformatie_realistisch",
    "uitgesloten_nee_tenzij",
    "uitgesloten_congestie",
    "uitgesloten_woningen",
    "netimpact_kw",
    "realisatiestimulans_eur",
    "monument",
    *(f"{name}_{what}" for name in SCANS for what in ("onbekend", "bron")),
]


@dataclass(frozen=True, eq=False)
class ScanResult:
    """Outcome of :func:`run_potentiescan`."""

    gebouwen: gpd.GeoDataFrame
    gebieden: gpd.GeoDataFrame | None
    complexen: pd.DataFrame | None
    settings: ScanSettings
    totals: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0
    #: A run that streams its panden to the file and keeps none (the tiled scan) keeps a sample of
    #: their rows instead (every k-th per tile, without geometry): the map's classes come from it.
    sample: pd.DataFrame | None = None


#: The message for panden whose gebruiksdoel is unknown. A tiled run leaves it out (a tile's halo
#: panden lose verblijfsobjecten at its edge, so per-tile counts are wrong); the per-scan onbekend
#: counts of the whole run (data check, totals) say it for the panden the run owns.
UNKNOWN_DOEL_MESSAGE = ("{n:,} van {total:,} panden met onbekend gebruiksdoel ({missing}): splitsen, transformatie en "
                        "boerenerf tellen ze als onbekend, niet als 'geen woonfunctie'")


def run_potentiescan(inputs: ScanInputs, settings: ScanSettings | None = None, feedback: Feedback | None = None,
                     *, aggregate: bool = True, consume: bool = False) -> ScanResult:
    """Run all scans with their constraints and aggregate per gebied (and per complex).

    ``aggregate=False`` leaves ``gebieden`` empty (None): the tiled scan sums its tiles itself.

    ``consume=True`` (for a one-shot caller that keeps no other reference to the layers, as the
    CLI): a layer only the preparation reads (``verblijfsobjecten``: at 1M panden ~0.5 GB with
    its points) is released from ``inputs`` right after it (after the portfolio stage when a
    portfolio lists verblijfsobjecten) and the prepared frame once the output is assembled, so
    the stages after it do not add their memory on top of it.

    With ``inputs.portefeuille`` the output is restricted to the portfolio's panden (the
    scans still see every building, so a farm yard or a neighbour is judged in context)
    and a ``complexen`` table is added.
    """
    if not isinstance(inputs, ScanInputs):
        raise ValueError(Translatable("run_potentiescan verwacht ScanInputs"))
    settings = settings or PRESETS["standaard"]
    fb = ensure(feedback)
    start = time.perf_counter()
    n_stages = len(SCANS) + 4
    step = iter(range(n_stages + 1))

    def stage(text: Translatable) -> None:
        check(fb)
        fb.progress(next(step) / n_stages, text)

    stage(Translatable("panden voorbereiden"))
    buildings = prepare_buildings(inputs, settings.algemeen)
    # (a portfolio of verblijfsobjecten is linked to its panden after the scans: the layer stays till then)
    vbo_portfolio = inputs.portefeuille is not None and "vbo_id" in inputs.portefeuille.columns
    if consume and inputs.verblijfsobjecten is not None and not vbo_portfolio:
        inputs.release("verblijfsobjecten")
    if len(buildings) and buildings[["h_dak_70p", "bouwlagen"]].isna().all().all() and buildings["dak_type"].isna().all():
        fb.message(Translatable("de gebouwenlaag heeft geen 3D BAG-gegevens (hoogte, bouwlagen, daktype): optoppen vindt geen "
                                "kandidaten"))
    unknown_doel = int(buildings["doel_onbekend"].sum()) if len(buildings) else 0
    if unknown_doel:
        missing = (Translatable("geen verblijfsobjecten en geen gebruiksdoel") if inputs.verblijfsobjecten is None
                   else Translatable("verblijfsobjecten zonder gebruiksdoel of buiten de laag"))
        fb.message(Translatable(UNKNOWN_DOEL_MESSAGE, n=unknown_doel, total=len(buildings), missing=missing))
    excluding = [Translatable.term(SCANS[name].label.lower(), "scan", name) for name in SCANS
                 if getattr(settings.section(name), "monumenten_uitsluiten", False)]
    if excluding and inputs.monumenten is None:
        fb.message(Translatable("rijksmonumenten uitsluiten staat aan ({scans}), maar het project heeft geen laag 'monumenten': "
                                "aangenomen dat geen pand een rijksmonument is (in de kolom …_bron als schatting)",
                                scans=Translatable.joined(excluding, ", ")))
    stage(Translatable("water en bodem, netcongestie en NPLV"))
    classes = constraints.classify(buildings, inputs, settings.beperkingen)
    # Where new homes would be excluded: a scan that may place its homes on one of several panden
    # (boerenerf) prefers a pand outside these zones.
    buildings[constraints.EXCLUDED_LOCATION] = constraints.excluded_location(classes, settings.beperkingen)
    results = {}
    for name, spec in SCANS.items():
        stage(Translatable("scan {scan}", scan=Translatable.term(spec.label.lower(), "scan", name)))
        plain_run, coded_run = _CODED_RUNS.get(name, (None, None))
        # the built-in scans give their reasons as codes; each reason column is then built
        # once, after the exclusions (the same frame as run + constraints.apply)
        run = coded_run if spec.run is plain_run else spec.run
        results[name] = run(buildings, inputs, settings.section(name), fb)
    if all(isinstance(result, tuple) for result in results.values()):
        applied = constraints.apply_coded(results, classes, settings.beperkingen)
    else:
        frames = [result if isinstance(result, pd.DataFrame) else _scan_frame(name, result, buildings.index)
                  for name, result in results.items()]
        applied = constraints.apply(pd.concat(frames, axis=1), classes, list(SCANS), settings.beperkingen)
    applied["transformatie_realistisch"] = applied["transformatie_woningen"] * settings.transformatie.realisatiekans
    gebouwen = _assemble(buildings, applied, classes)

    stage(Translatable("portefeuille"))
    if inputs.portefeuille is not None:
        complex_of = _portfolio_complex(buildings, inputs, fb)
        gebouwen["complex"] = complex_of
        gebouwen = gebouwen[pd.notna(complex_of)].reset_index(drop=True)
    if consume:
        # the output holds what it needs of the prepared frame (the vbo block, ~0.3 GB at 1M, not)
        del buildings, classes, applied, results
        if inputs.verblijfsobjecten is not None:
            inputs.release("verblijfsobjecten")

    stage(Translatable("optellen per gebied"))
    code_from = settings.beperkingen.congestie_vanaf_code
    gebieden = None
    if inputs.gebieden is not None and aggregate:
        gebieden = per_gebied.aggregate(gebouwen, inputs.gebieden, list(SCANS), congestie_vanaf_code=code_from)
    complexen = None
    if inputs.portefeuille is not None:
        complexen = per_gebied.per_complex(gebouwen, list(SCANS), congestie_vanaf_code=code_from)
    check(fb)
    totals = _totals(gebouwen, gebieden, code_from)
    add_dropped(totals, inputs.vervallen)
    fb.progress(1.0, Translatable("klaar"))
    return ScanResult(gebouwen, gebieden, complexen, settings, totals, time.perf_counter() - start)


#: The built-in scans: (their ``run``, the same scan returning its reasons as codes).
_CODED_RUNS = {module.NAME: (module.run, module.run_coded) for module in (optoppen, splitsen, transformatie, boerenerf)}


def _scan_frame(name: str, result: tuple, index: pd.Index) -> pd.DataFrame:
    """A coded scan result (:class:`~scans._rules.ScanOutcome`) as the frame its ``run`` returns."""
    return scan_frame(name, result, index)


def _assemble(buildings: gpd.GeoDataFrame, applied: pd.DataFrame, classes: pd.DataFrame) -> gpd.GeoDataFrame:
    # every output column picked from its source and the frame built once (no concat of
    # the sources, no copy per column set)
    source: dict[str, Any] = {"pand_id": buildings["pand_id"], "gebied_code": buildings["gebied_code"]}
    source.update({col: applied[col] for col in applied.columns})
    source.update({col: classes[col] for col in classes.columns})
    missing = []
    for col in ("bouwjaar", "status", "gebruiksdoel", "bodemdaling", "overstromingsdiepte", "kwel", "monument"):
        if col in buildings.columns:
            source[col] = buildings[col]
        else:
            missing.append(col)
    for col in ("netimpact_kw", "realisatiestimulans_eur", "transformatie_realistisch"):
        source[col] = pd.Series(np.round(source[col].to_numpy(dtype="float64"), 2), index=buildings.index)
    # (missing, shown empty, where the project has no netcongestie or NPLV layer)
    source["netcongestie"] = source["netcongestie"].astype("int64" if not source["netcongestie"].isna().any() else "Int64")
    source["nplv"] = source["nplv"].astype(bool if not source["nplv"].isna().any() else "boolean")
    columns = building_columns() + HELPER_COLUMNS
    # copy=False: the frame takes the columns as they are (copy-on-write keeps the sources intact)
    data = pd.DataFrame({col: source[col] for col in columns if col in source}, index=buildings.index, copy=False)
    if missing:  # as before: a column of None
        for col in missing:
            data[col] = None
        data = data[columns]
    return gpd.GeoDataFrame(data, geometry=buildings.geometry.to_numpy(), crs=buildings.crs, copy=False)


def _portfolio_complex(buildings: gpd.GeoDataFrame, inputs: ScanInputs, fb: Feedback) -> np.ndarray:
    """Complex name per building (None when not in the portfolio)."""
    pf = inputs.portefeuille
    parts = []
    if "pand_id" in pf.columns:
        rows = pf[pf["pand_id"].notna()]
        parts.append(pd.DataFrame({"pand_id": rows["pand_id"].astype(str).to_numpy(), "complex": rows["complex"].astype(str).to_numpy()}))
    if "vbo_id" in pf.columns:
        rows = pf[pf["vbo_id"].notna()]
        if len(rows):
            vbo = inputs.verblijfsobjecten
            if vbo is None or "vbo_id" not in vbo.columns:
                raise ValueError(Translatable("portefeuille met vbo_id's heeft een laag 'verblijfsobjecten' met 'vbo_id' nodig"))
            pos = link_vbo(buildings, vbo)
            pand_of_vbo = pd.Series(
                np.where(pos >= 0, buildings["pand_id"].to_numpy(dtype=object)[np.maximum(pos, 0)], None),
                index=vbo["vbo_id"].astype(str).to_numpy(),
            )
            pand_of_vbo = pand_of_vbo[~pand_of_vbo.index.duplicated()]
            mapped = rows["vbo_id"].astype(str).map(pand_of_vbo)
            missing = int(mapped.isna().sum())
            if missing:
                fb.message(Translatable("{n} verblijfsobjecten uit de portefeuille hebben geen pand in de gebouwenlaag",
                                        n=missing))
            parts.append(pd.DataFrame({"pand_id": mapped.to_numpy(dtype=object), "complex": rows["complex"].astype(str).to_numpy()}))
    table = pd.concat(parts, ignore_index=True).dropna(subset=["pand_id"])
    # a pand in several complexes is counted once, in the first complex name (sorted)
    first = table.sort_values(["pand_id", "complex"]).drop_duplicates("pand_id").set_index("pand_id")["complex"]
    return buildings["pand_id"].map(first).to_numpy(dtype=object)


def _totals(gebouwen: pd.DataFrame, gebieden: pd.DataFrame | None, code_from: int) -> dict[str, Any]:
    total = gebouwen["totaal_woningen"].to_numpy(dtype="int64")
    out: dict[str, Any] = {name: int(gebouwen[f"{name}_woningen"].sum()) for name in SCANS}
    out["totaal"] = int(total.sum())
    out["transformatie_realistisch"] = round(float(gebouwen["transformatie_realistisch"].sum()), 2)
    out["woningen_ja_mits"] = int(total[text_equals(gebouwen["water_bodem"], constraints.JA_MITS)].sum())
    out["woningen_uitgesloten_nee_tenzij"] = int(gebouwen["uitgesloten_nee_tenzij"].sum())
    out["woningen_uitgesloten"] = int(gebouwen["uitgesloten_woningen"].sum())
    out["woningen_in_congestie"] = int(total[constraints.congestion_values(gebouwen["netcongestie"]) >= code_from].sum())
    out["netimpact_kw"] = round(float(gebouwen["netimpact_kw"].sum()), 2)
    out["woningen_nplv"] = int(total[constraints.nplv_flags(gebouwen["nplv"])].sum())
    out["realisatiestimulans_eur"] = round(float(gebouwen["realisatiestimulans_eur"].sum()), 2)
    out["gebouwen"] = int(len(gebouwen))
    out["kandidaat_gebouwen"] = int((total > 0).sum())
    out["gebieden"] = 0 if gebieden is None else int(len(gebieden))
    for name in SCANS:  # buildings that could not be judged, homes resting on an estimate
        unknown = f"{name}_onbekend"
        out[unknown] = int(gebouwen[unknown].to_numpy(dtype=bool).sum()) if unknown in gebouwen else 0
        bron = f"{name}_bron"
        homes = gebouwen[f"{name}_woningen"].to_numpy(dtype="int64")
        out[f"{name}_woningen_geschat"] = int(homes[per_gebied.estimated(gebouwen[bron])].sum()) if bron in gebouwen else 0
    # panden in the result whose status says they are no (longer a) building
    dropped = not_real_per_status(gebouwen["status"]) if "status" in gebouwen else StatusCounts()
    out["panden_vervallen"] = int(sum(dropped.values()))
    out["panden_vervallen_per_status"] = dropped
    return out


def add_dropped(totals: dict[str, Any], per_status: dict[str, int]) -> None:
    """Add the panden the reader left out (``ScanInputs.vervallen``) to the totals' ``panden_vervallen``."""
    if per_status:
        merged = totals.get("panden_vervallen_per_status", StatusCounts()) + StatusCounts(per_status)
        totals["panden_vervallen_per_status"] = merged
        totals["panden_vervallen"] = int(sum(merged.values()))


def write_result(result: ScanResult, path: str | os.PathLike, feedback: Feedback | None = None) -> Path:
    """Write ``gebouwen_potentie``, ``gebieden_potentie`` (when aggregated), ``complexen``
    (with a portfolio) and the non-spatial ``scenario_parameters`` to a GeoPackage.

    Every layer is written by GDAL through pyogrio (:mod:`layers.io.geopackage`), the spatial
    index built by GDAL. Written to a temporary file beside ``path`` and renamed into place:
    an existing file is replaced only by a complete one; on any error, interrupt or cancel
    nothing is left behind. ``feedback`` gets 0 to 1 over the layers by their rows, with the
    text "<layer> wegschrijven"; a cancel is seen at the next batch of rows.
    """
    layers = [("gebouwen_potentie", result.gebouwen)]
    if result.gebieden is not None:
        layers.append(("gebieden_potentie", result.gebieden))
    if result.complexen is not None:
        layers.append(("complexen", pd.DataFrame(result.complexen)))
    layers.append(("scenario_parameters", parameter_table(result.settings)))
    with geopackage.replacing(path) as tmp:
        for (name, frame), (start, end) in zip(layers, spans(len(frame) + 1 for _name, frame in layers)):
            if feedback is None:
                geopackage.write_frame(frame, tmp, name)
            else:
                geopackage.write_frame(frame, tmp, name, Part(feedback, start, end, Translatable("{laag} wegschrijven", laag=name)))
    return Path(path)
