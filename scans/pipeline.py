"""The whole potentiescan: prepare buildings, run the scans, apply constraints, aggregate, write.

Progress goes through a :class:`~layers.feedback.Feedback`; the run can be cancelled between
stages (:class:`~layers.feedback.CancelledError`). :func:`write_result` writes to a temporary
file in the target folder and renames it into place, so a cancelled or crashed run never
leaves a half-written GeoPackage.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from collections.abc import Iterable, Iterator

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyogrio
import shapely

from layers.gc_pause import paused_gc
from layers.memory import give_back
from scans import boerenerf, constraints, gpkg_bulk, optoppen, per_gebied, splitsen, transformatie
from scans._fast import text_equals
from layers.feedback import Feedback, check, ensure
from scans.inputs import ScanInputs, link_vbo, prepare_buildings
from scans.registry import SCANS
from scans.wkb import geometry_wkb
from scans.scenarios import PRESETS, ScanSettings, parameter_table

#: Write with Arrow batches when pyarrow is installed (it is a dependency; kept optional like layers.readers).
_USE_ARROW = importlib.util.find_spec("pyarrow") is not None

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
    #: the buildings layer's spatial index computed during the scan, for :func:`write_result`
    #: (``run_potentiescan(..., write_ahead=True)``; see ``gpkg_bulk.IndexAhead``)
    index_ahead: Any = field(default=None, repr=False, compare=False)


@paused_gc()  # the engine makes a geometry per pand (centroids): see layers.gc_pause
def run_potentiescan(inputs: ScanInputs, settings: ScanSettings | None = None, feedback: Feedback | None = None,
                     *, aggregate: bool = True, write_ahead: bool = False, consume: bool = False) -> ScanResult:
    """Run all scans with their constraints and aggregate per gebied (and per complex).

    ``aggregate=False`` leaves ``gebieden`` empty (None): the tiled scan sums its tiles itself.

    ``write_ahead=True`` (for a caller that writes the result with :func:`write_result` next, as
    the CLI does) computes the GeoPackage's spatial index of the buildings on a thread of its own
    while the scans run, on the core they leave idle; the write then only checks and takes it.

    ``consume=True`` (for a one-shot caller that keeps no other reference to the layers, as the
    CLI): a layer only the preparation reads (``verblijfsobjecten``: at 1M panden ~0.5 GB with
    its points) is released from ``inputs`` right after it (after the portfolio stage when a
    portfolio lists verblijfsobjecten), the prepared frame once the output is assembled, and
    each time the freed memory is handed back to the system
    (:mod:`layers.memory`), so the stages after it do not add their memory on top of it.

    With ``inputs.portefeuille`` the output is restricted to the portfolio's panden (the
    scans still see every building, so a farm yard or a neighbour is judged in context)
    and a ``complexen`` table is added.
    """
    if not isinstance(inputs, ScanInputs):
        raise ValueError("run_potentiescan verwacht ScanInputs")
    settings = settings or PRESETS["standaard"]
    fb = ensure(feedback)
    start = time.perf_counter()
    n_stages = len(SCANS) + 4
    step = iter(range(n_stages + 1))

    def stage(text: str) -> None:
        check(fb)
        fb.progress(next(step) / n_stages, text)

    stage("panden voorbereiden")
    buildings = prepare_buildings(inputs, settings.algemeen)
    # (a portfolio of verblijfsobjecten is linked to its panden after the scans: the layer stays till then)
    vbo_portfolio = inputs.portefeuille is not None and "vbo_id" in inputs.portefeuille.columns
    if consume and inputs.verblijfsobjecten is not None and not vbo_portfolio:
        inputs.release("verblijfsobjecten")
        give_back()
    if len(buildings) and buildings[["h_dak_70p", "bouwlagen"]].isna().all().all() and buildings["dak_type"].isna().all():
        fb.message("de gebouwenlaag heeft geen 3D BAG-gegevens (hoogte, bouwlagen, daktype): optoppen vindt geen kandidaten")
    # after the preparation, which keeps both cores busy in places; the stages below mostly one
    index_ahead = _index_ahead(inputs) if write_ahead else None
    stage("water en bodem, netcongestie en NPLV")
    classes = constraints.classify(buildings, inputs, settings.beperkingen)
    # Where new homes would be excluded: a scan that may place its homes on one of several panden
    # (boerenerf) prefers a pand outside these zones.
    buildings[constraints.EXCLUDED_LOCATION] = constraints.excluded_location(classes, settings.beperkingen)
    results = {}
    for name, spec in SCANS.items():
        stage(f"scan {spec.label.lower()}")
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

    stage("portefeuille")
    if inputs.portefeuille is not None:
        complex_of = _portfolio_complex(buildings, inputs, fb)
        gebouwen["complex"] = complex_of
        gebouwen = gebouwen[pd.notna(complex_of)].reset_index(drop=True)
    if consume:
        # the output holds what it needs of the prepared frame (the vbo block, ~0.3 GB at 1M, not)
        del buildings, classes, applied, results
        if inputs.verblijfsobjecten is not None:
            inputs.release("verblijfsobjecten")
        give_back()

    stage("optellen per gebied")
    code_from = settings.beperkingen.congestie_vanaf_code
    gebieden = None
    if inputs.gebieden is not None and aggregate:
        gebieden = per_gebied.aggregate(gebouwen, inputs.gebieden, list(SCANS), congestie_vanaf_code=code_from)
    complexen = None
    if inputs.portefeuille is not None:
        complexen = per_gebied.per_complex(gebouwen, list(SCANS), congestie_vanaf_code=code_from)
    check(fb)
    totals = _totals(gebouwen, gebieden, code_from)
    fb.progress(1.0, "klaar")
    return ScanResult(gebouwen, gebieden, complexen, settings, totals, time.perf_counter() - start, index_ahead)


#: From this many panden on the spatial index and the WKB are computed during the scan
#: (``write_ahead``). Measured on the 100k benchmark town (four rounds of alternating runs, with
#: :data:`scans._fast.THREADS_FROM` at 20 000): scan 0.94 -> 0.76 s median against 250 000.
INDEX_AHEAD_FROM = 20_000


def _index_ahead(inputs: ScanInputs) -> "gpkg_bulk.IndexAhead | None":
    """The spatial index of the output buildings, started now, where the records write will use it:
    every pand is an output row in input order (no portfolio) and the page size is ours."""
    if inputs.portefeuille is not None or os.environ.get("OGR_SQLITE_PRAGMA"):
        return None
    if len(inputs.gebouwen) < max(1, INDEX_AHEAD_FROM) or not (gpkg_bulk.RECORDS and gpkg_bulk.available()):
        return None
    return gpkg_bulk.IndexAhead(inputs.gebouwen.geometry.to_numpy(), GPKG_PAGE_SIZE)


#: The built-in scans: (their ``run``, the same scan returning its reasons as codes).
_CODED_RUNS = {module.NAME: (module.run, module.run_coded) for module in (optoppen, splitsen, transformatie, boerenerf)}


def _scan_frame(name: str, result: tuple, index: pd.Index) -> pd.DataFrame:
    """A coded scan result (homes, reasons) as the frame its ``run`` returns."""
    homes, reasons = result
    return pd.DataFrame({f"{name}_woningen": homes, f"{name}_reden": reasons.array()}, index=index)


def _assemble(buildings: gpd.GeoDataFrame, applied: pd.DataFrame, classes: pd.DataFrame) -> gpd.GeoDataFrame:
    # every output column picked from its source and the frame built once (no concat of
    # the sources, no copy per column set)
    source: dict[str, Any] = {"pand_id": buildings["pand_id"], "gebied_code": buildings["gebied_code"]}
    source.update({col: applied[col] for col in applied.columns})
    source.update({col: classes[col] for col in classes.columns})
    missing = []
    for col in ("bouwjaar", "status", "gebruiksdoel", "bodemdaling", "overstromingsdiepte", "kwel"):
        if col in buildings.columns:
            source[col] = buildings[col]
        else:
            missing.append(col)
    for col in ("netimpact_kw", "realisatiestimulans_eur", "transformatie_realistisch"):
        source[col] = pd.Series(np.round(source[col].to_numpy(dtype="float64"), 2), index=buildings.index)
    source["netcongestie"] = source["netcongestie"].astype("int64")
    source["nplv"] = source["nplv"].astype(bool)
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
                raise ValueError("portefeuille met vbo_id's heeft een laag 'verblijfsobjecten' met 'vbo_id' nodig")
            pos = link_vbo(buildings, vbo)
            pand_of_vbo = pd.Series(
                np.where(pos >= 0, buildings["pand_id"].to_numpy(dtype=object)[np.maximum(pos, 0)], None),
                index=vbo["vbo_id"].astype(str).to_numpy(),
            )
            pand_of_vbo = pand_of_vbo[~pand_of_vbo.index.duplicated()]
            mapped = rows["vbo_id"].astype(str).map(pand_of_vbo)
            missing = int(mapped.isna().sum())
            if missing:
                fb.message(f"{missing} verblijfsobjecten uit de portefeuille hebben geen pand in de gebouwenlaag")
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
    out["woningen_in_congestie"] = int(total[gebouwen["netcongestie"].to_numpy() >= code_from].sum())
    out["netimpact_kw"] = round(float(gebouwen["netimpact_kw"].sum()), 2)
    out["woningen_nplv"] = int(total[gebouwen["nplv"].to_numpy(dtype=bool)].sum())
    out["realisatiestimulans_eur"] = round(float(gebouwen["realisatiestimulans_eur"].sum()), 2)
    out["gebouwen"] = int(len(gebouwen))
    out["kandidaat_gebouwen"] = int((total > 0).sum())
    out["gebieden"] = 0 if gebieden is None else int(len(gebieden))
    return out


#: Removes a temporary GeoPackage and its journal files (also used by ``scans.tiled``).
_cleanup = gpkg_bulk.remove_database


#: Rows per Arrow batch handed to GDAL when writing a large layer. pyogrio keeps the GIL while
#: GDAL writes (measured: a thread beside it stalls for the whole write); between two batches
#: Python code runs, so other threads (the GUI's event loop) get their turn every few ms.
WRITE_BATCH_ROWS = 4_096

#: GeoPackage geometry type per set of shapely type ids (3 polygon, 6 multipolygon).
_GEOMETRY_TYPES = {frozenset({3}): "Polygon", frozenset({6}): "MultiPolygon"}


def arrow_rows(frame: gpd.GeoDataFrame) -> pa.Table:
    """The rows as Arrow, geometry as 2D WKB in the last column ``geometry`` (as pyogrio writes them)."""
    return attribute_rows(frame).append_column("geometry", geometry_wkb(frame.geometry.to_numpy(), 16 * WRITE_BATCH_ROWS))


def attribute_rows(frame: gpd.GeoDataFrame, *, dictionaries: bool = False) -> pa.Table:
    """The columns but the geometry as Arrow (all-empty columns as text, as pyogrio writes them).

    Categorical columns become text, or, with ``dictionaries``, stay dictionary-encoded (for a
    writer that turns them into text a slice at a time)."""
    # drop the column from a plain DataFrame view: GeoDataFrame.drop costs 0.5-0.9 s at 1M rows
    table = pa.Table.from_pandas(pd.DataFrame(frame).drop(columns=frame.geometry.name), preserve_index=False)
    for index, field in enumerate(table.schema):
        if pa.types.is_null(field.type):  # an all-empty column: GDAL has no null type, pyogrio writes text
            table = table.set_column(index, field.with_type(pa.string()), table.column(index).cast(pa.string()))
    return table if dictionaries else gpkg_bulk.plain_text(table)


def streamable_geometry_type(geometries) -> str | None:
    """The layer type when every geometry is a Polygon or every one a MultiPolygon, else None."""
    kinds = frozenset(np.unique(shapely.get_type_id(np.asarray(geometries))).tolist())
    return _GEOMETRY_TYPES.get(kinds)


#: SQLite page size of the GeoPackages the scan creates (GDAL's default is 4096). Measured with
#: the 1M and 100k benchmark rows: writing is 11-14% faster and the file 4% smaller, and reading
#: it back (whole, or by bounding box through the R-tree) is as fast.
GPKG_PAGE_SIZE = 16_384


@contextlib.contextmanager
def large_pages() -> Iterator[None]:
    """GeoPackages created inside this block get :data:`GPKG_PAGE_SIZE` pages.

    GDAL runs the pragmas of its ``OGR_SQLITE_PRAGMA`` setting on every SQLite database it opens;
    the page size only changes a database that has no tables yet, so files that already exist
    are not affected. A value the user set in the environment is left as it is.
    """
    if os.environ.get("OGR_SQLITE_PRAGMA"):
        yield
        return
    global _large_pages_users, _large_pages_before
    # the option is process-wide: blocks on several threads (the tiled writer, an export) overlap,
    # so the first to enter sets it and the last to leave restores it
    with _large_pages_lock:
        if _large_pages_users == 0:
            _large_pages_before = pyogrio.get_gdal_config_option("OGR_SQLITE_PRAGMA")
            pyogrio.set_gdal_config_options({"OGR_SQLITE_PRAGMA": f"page_size={GPKG_PAGE_SIZE}"})
        _large_pages_users += 1
    try:
        yield
    finally:
        with _large_pages_lock:
            _large_pages_users -= 1
            if _large_pages_users == 0:
                pyogrio.set_gdal_config_options({"OGR_SQLITE_PRAGMA": _large_pages_before})


_large_pages_lock = threading.Lock()
_large_pages_users = 0
_large_pages_before: str | None = None


def _epsg_code(crs: str) -> int | None:
    authority, _, code = crs.partition(":")
    return int(code) if authority.upper() == "EPSG" and code.isdigit() else None


def write_arrow_layer(batches: Iterable[pa.RecordBatch], schema: pa.Schema, path: Path, layer: str,
                      geometry_type: str, crs: str) -> None:
    """Write Arrow batches as one GeoPackage layer in one transaction (R-tree built at the end).

    Through GDAL's C API without the GIL when it can be loaded (:mod:`scans.gpkg_bulk`), so
    Python threads beside the write (the scan's, the window's) keep running; else through
    pyogrio, which keeps the GIL, in slices of :data:`WRITE_BATCH_ROWS` rows.
    """
    epsg = _epsg_code(crs)
    with large_pages():
        if epsg is not None and gpkg_bulk.available():
            gpkg_bulk.write_gdal(batches, schema, path, layer, geometry_type, epsg, spatial_index=True)
            return
        reader = pa.RecordBatchReader.from_batches(schema, _slices(batches))
        pyogrio.write_arrow(reader, path, layer=layer, driver="GPKG", geometry_name="geometry",
                            geometry_type=geometry_type, crs=crs)


def _slices(batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    for batch in batches:
        for offset in range(0, batch.num_rows, WRITE_BATCH_ROWS):
            yield batch.slice(offset, WRITE_BATCH_ROWS)


def _write_buildings(gebouwen: gpd.GeoDataFrame, path: Path, others: list[tuple[str, pd.DataFrame]],
                     index_ahead: "gpkg_bulk.IndexAhead | None" = None) -> bool:
    """Write ``gebouwen_potentie``; True when the ``others`` (layer name, frame) were written with it."""
    geometry_type = streamable_geometry_type(gebouwen.geometry.to_numpy()) if len(gebouwen) else None
    epsg = gebouwen.crs.to_epsg() if gebouwen.crs is not None else None
    if geometry_type is None or epsg is None:
        # empty, mixed or unusual layers: pyogrio infers (and promotes) the type itself
        with large_pages():
            pyogrio.write_dataframe(gebouwen, path, layer="gebouwen_potentie", driver="GPKG", use_arrow=_USE_ARROW)
        return False
    if gpkg_bulk.available():
        # SQLite records (or GDAL without the GIL), the WKB made per slice beside it (see gpkg_bulk)
        with large_pages():
            return gpkg_bulk.write_polygon_layer(attribute_rows(gebouwen, dictionaries=True), gebouwen.geometry.to_numpy(), path,
                                                 "gebouwen_potentie", geometry_type, epsg, others=others,
                                                 ahead=index_ahead)
    table = arrow_rows(gebouwen)
    write_arrow_layer(table.to_batches(), table.schema, path, "gebouwen_potentie", geometry_type, f"EPSG:{epsg}")
    return False


def write_result(result: ScanResult, path: str | os.PathLike) -> Path:
    """Write ``gebouwen_potentie``, ``gebieden_potentie`` (when aggregated), ``complexen``
    (with a portfolio) and the non-spatial ``scenario_parameters`` to a GeoPackage.

    Written to a temporary file beside ``path`` and renamed into place: an existing file
    is replaced only by a complete one; on any error or interrupt nothing is left behind.
    """
    path = Path(path)
    if path.suffix.lower() != ".gpkg":
        raise ValueError(f"{path}: de uitvoer moet een GeoPackage (.gpkg) zijn")
    if not path.parent.exists():
        raise OSError(f"{path.parent}: map bestaat niet")
    tmp = path.with_name(f".{path.stem}.{os.getpid()}.tmp.gpkg")
    _cleanup(tmp)
    try:
        others = []  # the small layers after the buildings
        if result.gebieden is not None:
            others.append(("gebieden_potentie", result.gebieden))
        if result.complexen is not None:
            others.append(("complexen", pd.DataFrame(result.complexen)))
        others.append(("scenario_parameters", parameter_table(result.settings)))
        if not _write_buildings(result.gebouwen, tmp, others, getattr(result, "index_ahead", None)):
            for layer, frame in others:
                pyogrio.write_dataframe(frame, tmp, layer=layer, driver="GPKG")
        gpkg_bulk.replace_database(tmp, path)
    except BaseException:
        _cleanup(tmp)
        raise
    return path
