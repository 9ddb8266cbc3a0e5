"""The potentiescan in tiles: bounded memory, and the GeoPackage written while other tiles compute.

:func:`run_potentiescan_tiled` reads the two big layers (``gebouwen`` and
``verblijfsobjecten``) tile by tile from their files (the OGR ``bbox`` read option, through
the file's spatial index), runs the unchanged :func:`scans.pipeline.run_potentiescan` on
each tile and hands the tile's building rows to a writer thread that streams them into
the GeoPackage with GDAL. Only the small layers (gebieden, zones, erven, rasters), the
per-gebied sums and the totals stay in memory, so memory does not grow with the number of
buildings: a national run (10M panden) fits on one machine.

With ``workers`` > 1 (the CLI's default on a multi-core machine) worker processes read and
compute the tiles and this process only writes, so writing overlaps computing. In one
process it does not: pyogrio keeps the GIL while GDAL writes (measured), so the writer
thread and the scan take turns; the tiled run then only bounds the memory. The rows reach
GDAL as one stream of Arrow batches (``pyogrio.write_arrow``, :mod:`layers.io.geopackage`):
one layer, one transaction, the spatial index built by GDAL at the end.

Layout
------
- **Tiles.** A square grid over the buildings' extent, sized so that a tile holds about
  ``tile_panden`` buildings at the layer's average density. A building belongs to the one
  tile that holds the centre of its bounding box (tiles are half-open, the outer ones
  unbounded; any one point per building would do, this one needs no GEOS call), so every
  building is counted exactly once.
- **Halo.** Each tile is read with ``halo_m`` around it: boerenerf looks at neighbours
  (panden within 250 m, chains of bedrijfsgebouwen within 50 m, yards). The halo buildings
  are computed as context and dropped. The result equals the single run as long as no erf
  or chain of bedrijfsgebouwen reaches further than ``halo_m`` beyond a tile border (the
  same assumption as :mod:`scans.batch.distributed`).
- **Per gebied.** Every figure of ``gebieden_potentie`` is a sum of building columns
  (:mod:`scans.per_gebied`), so each tile contributes its sums per gebied_code and the
  table is built once at the end. Totals are added the same way.
- **Output order.** ``gebouwen_potentie`` rows come tile by tile (input order within a
  tile) instead of in input order; every row and value is the single run's.

Not tiled (:func:`tiled_support` says why): a portfolio scan, buildings or
verblijfsobjecten that are not a local OGR file in RD New (LVBAG XML, CityJSON, a server),
and a 3D BAG join option (it would read the whole 3D BAG file per tile). The CLI then runs
the scan in memory.
"""

from __future__ import annotations

import math
import os
import queue
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Collection, Iterator

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyogrio
import shapely

from layers.io import geopackage
from layers.sources.registered import not_real_report
from layers.texts import Translatable
from scans import per_gebied
from layers.feedback import CancelledError, Feedback, NullFeedback, RecordingFeedback, check, ensure
from scans.inputs import RASTER_ROLES, ScanInputs, dropped_per_status
from scans.pipeline import UNKNOWN_DOEL_MESSAGE, ScanResult, _totals, add_dropped, run_potentiescan
from scans.registry import SCANS
from scans.scenarios import PRESETS, ScanSettings, parameter_table

#: About this many buildings per tile (at the layer's average density).
TILE_PANDEN = 150_000
#: Context read around a tile for neighbourhood rules (boerenerf), in metres.
HALO_M = 1_000.0
#: Layers read tile by tile; every other layer is read once.
BIG_ROLES = ("gebouwen", "verblijfsobjecten")
#: Suffixes of files GDAL reads with a bbox filter (through a spatial index for GeoPackage/FlatGeobuf/Shapefile).
_TILED_SUFFIXES = (".gpkg", ".fgb", ".shp", ".geojson", ".json")
#: Rows of a tile kept (evenly spread) in the run's sample for the map's classes (ScanResult.sample).
SAMPLE_ROWS_PER_TILE = 5_000
#: Tiles computed ahead of the writer (bounds the memory held in the queue).
_QUEUE_TILES = 2


@dataclass(frozen=True)
class Tile:
    """One grid cell: its own buildings have their bounding-box centre in [x0, x1) × [y0, y1)."""

    number: int
    x0: float
    y0: float
    x1: float
    y1: float
    halo_m: float

    def read_bbox(self, extent: tuple[float, float, float, float]) -> tuple[float, float, float, float] | None:
        """Tile plus halo, clipped to ``extent``; None for the only tile (read everything)."""
        xmin, ymin, xmax, ymax = extent
        if math.isinf(self.x0) and math.isinf(self.x1) and math.isinf(self.y0) and math.isinf(self.y1):
            return None
        return (
            max(self.x0, xmin) - self.halo_m,
            max(self.y0, ymin) - self.halo_m,
            min(self.x1, xmax) + self.halo_m,
            min(self.y1, ymax) + self.halo_m,
        )

    def owns(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Which points (bounding-box centres) belong to this tile."""
        return (x >= self.x0) & (x < self.x1) & (y >= self.y0) & (y < self.y1)


def plan_tiles(
    extent: tuple[float, float, float, float], count: int, tile_panden: int = TILE_PANDEN, halo_m: float = HALO_M
) -> list[Tile]:
    """A square grid over ``extent`` with about ``tile_panden`` of ``count`` buildings per tile."""
    xmin, ymin, xmax, ymax = (float(v) for v in extent)
    width, height = max(xmax - xmin, 1.0), max(ymax - ymin, 1.0)
    n_tiles = max(1, math.ceil(max(count, 1) / max(tile_panden, 1)))
    size = math.sqrt(width * height / n_tiles)
    nx = max(1, round(width / size))
    ny = max(1, math.ceil(n_tiles / nx))
    xs = [xmin + i * width / nx for i in range(nx + 1)]
    ys = [ymin + j * height / ny for j in range(ny + 1)]
    xs[0], xs[-1], ys[0], ys[-1] = -math.inf, math.inf, -math.inf, math.inf
    tiles = []
    for j in range(ny):
        # serpentine order keeps consecutive tiles adjacent (their reads share file pages)
        columns = range(nx) if j % 2 == 0 else range(nx - 1, -1, -1)
        for i in columns:
            tiles.append(Tile(len(tiles), xs[i], ys[j], xs[i + 1], ys[j + 1], float(halo_m)))
    return tiles


# --------------------------------------------------------------------------- project sources


class ProjectTiles:
    """Reads a project's layers for a tiled scan: the small ones once, the big ones per bbox."""

    def __init__(self, project: Any, gebieden: str | None = None):
        self.project = project
        self.gebieden_key = gebieden
        self._big = {}
        for key, source in project.sources.items():
            if source.role in BIG_ROLES and source.role not in self._big:
                self._big[source.role] = (key, source)

    def why_not(self) -> str | None:
        """None when the project can be scanned in tiles, else the reason (Dutch). Asked once per instance."""
        if not hasattr(self, "_why_not"):
            self._why_not = self._check()
        return self._why_not

    def _check(self) -> str | None:
        if "gebouwen" not in self._big:
            return Translatable("het project heeft geen laag met rol 'gebouwen'")
        for role, (key, source) in self._big.items():
            path = self.project.resolve(source.path)
            if not isinstance(path, Path):  # a URL or connection string (https://, postgresql://, PG:)
                return Translatable("laag '{key}' komt van een server", key=key)
            if path.suffix.lower() not in _TILED_SUFFIXES or not path.is_file():
                return Translatable("laag '{key}' is geen GeoPackage, FlatGeobuf, Shapefile of GeoJSON", key=key)
            if (source.options or {}).get("bag3d"):
                return Translatable("laag '{key}' koppelt een 3D BAG-bestand (optie bag3d)", key=key)
            try:
                info = pyogrio.read_info(path, layer=source.layer) if source.layer else pyogrio.read_info(path)
            except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, OSError) as exc:
                # the in-memory run reports the broken file properly
                return Translatable("laag '{key}' is niet te openen ({kind})", key=key, kind=exc.__class__.__name__)
            crs = str(info.get("crs") or "")
            if crs.upper() != "EPSG:28992" and (source.options or {}).get("crs", "").upper() != "EPSG:28992":
                return Translatable("laag '{key}' staat niet in RD New (EPSG:28992)", key=key)
        return None

    def extent_and_count(self) -> tuple[tuple[float, float, float, float], int]:
        """Extent and feature count of the gebouwen file (from its metadata). Read once per instance."""
        if not hasattr(self, "_extent_and_count"):
            self._extent_and_count = self._read_extent_and_count()
        return self._extent_and_count

    def _read_extent_and_count(self) -> tuple[tuple[float, float, float, float], int]:
        key, source = self._big["gebouwen"]
        path = self.project.resolve(source.path)
        info = pyogrio.read_info(path, layer=source.layer, force_total_bounds=True, force_feature_count=True) \
            if source.layer else pyogrio.read_info(path, force_total_bounds=True, force_feature_count=True)
        bounds = info.get("total_bounds")
        if bounds is None or not np.all(np.isfinite(bounds)):
            raise ValueError(Translatable("laag '{key}': kan de omvang niet bepalen", key=key))
        return tuple(float(v) for v in bounds), int(info.get("features") or 0)

    def read_small(self, feedback: Feedback, roles: Collection[str] | None = None) -> dict[str, Any]:
        """Every vector layer except the big ones, as ScanInputs keyword arguments (first layer
        per role), or only those of ``roles``. Rasters are read per tile (:meth:`read_rasters`):
        a national grid at 5 m does not fit in a process, a tile's window does."""
        found: dict[str, Any] = {}
        for key, source in self.project.sources.items():
            role = source.role
            if role in BIG_ROLES or role == "portefeuille" or role in RASTER_ROLES:
                continue
            if roles is not None and role not in roles:
                continue
            if role == "gebieden":
                wanted = self.gebieden_key or next(
                    (k for k, s in self.project.sources.items() if s.role == "gebieden"), None)
                if key != wanted:
                    continue
            elif role in found:
                continue
            if role not in ("netcongestie", "water_bodem", "nplv", "erven", "gebieden", "monumenten"):
                continue
            check(feedback)
            found[role] = self._read(source, None).data
        if self.gebieden_key is not None and "gebieden" not in found:
            names = [k for k, s in self.project.sources.items() if s.role == "gebieden"]
            raise ValueError(Translatable("gebiedenlaag '{key}' bestaat niet in het project (gebiedenlagen: {names})",
                                          key=self.gebieden_key, names=", ".join(names) or Translatable("geen")))
        return found

    def read_rasters(self, bbox: tuple[float, float, float, float] | None) -> dict[str, Any]:
        """The rasters (first per role) for ``bbox`` (a tile with its halo; None: whole), as the
        ``rasters`` argument of ScanInputs."""
        rasters: dict[str, Any] = {}
        for source in self.project.sources.values():
            if source.role in RASTER_ROLES and source.role not in rasters:
                rasters[source.role] = self._read(source, bbox).raster
        return rasters

    def dropped_per_status(self) -> dict[str, int]:
        """The panden the reader leaves out (gesloopt, niet gerealiseerd …) per status, counted once
        over the whole gebouwen layer: a tile drops them before their position is known, and the
        halos read some twice, so the tiles' own counts cannot be added up."""
        _key, source = self._big["gebouwen"]
        report = not_real_report(self.project.resolve(source.path), source.layer, source.options)
        return dropped_per_status(report)

    def read_big(self, role: str, bbox: tuple[float, float, float, float]) -> gpd.GeoDataFrame | None:
        if role not in self._big:
            return None
        return self._read(self._big[role][1], bbox).data

    def _read(self, source: Any, bbox):
        from layers.project import read_source

        return read_source(self.project, source, bbox=bbox)


# --------------------------------------------------------------------------- streaming writer


class _StreamWriter:
    """Writes Arrow tables to one GeoPackage layer on a background thread, as they arrive."""

    def __init__(self, path: Path, layer: str, geometry_type: str, crs: str):
        self._queue: queue.Queue = queue.Queue(maxsize=_QUEUE_TILES)
        self._schema: pa.Schema | None = None
        self._error: BaseException | None = None
        self._thread: threading.Thread | None = None
        self._path, self._layer, self._geometry_type, self._crs = path, layer, geometry_type, crs
        self.rows = 0

    def put(self, table: pa.Table) -> None:
        self._raise_if_failed()
        if self._schema is None:
            # columns that are empty in the first tile get a type later tiles can be cast to
            fields = [pa.field(f.name, pa.string()) if pa.types.is_null(f.type) else f for f in table.schema]
            self._schema = pa.schema(fields, metadata=table.schema.metadata)
            self._thread = threading.Thread(target=self._write, name="gpkg-writer", daemon=True)
            self._thread.start()
        table = _conform(table, self._schema)
        self.rows += table.num_rows
        self._hand_over(table)

    def close(self) -> None:
        """Wait until everything is written (GDAL builds the spatial index at the end)."""
        if self._thread is None:
            return
        self._hand_over(None)
        self._thread.join()
        self._raise_if_failed()

    def _hand_over(self, item) -> None:
        """A bounded put that notices a writer that failed (and will never take it)."""
        while True:
            self._raise_if_failed()
            try:
                self._queue.put(item, timeout=0.5)
                return
            except queue.Full:
                continue

    def abort(self) -> None:
        if self._thread is None:
            return
        self._error = self._error or CancelledError()
        self._drain()
        self._queue.put(_ABORT)
        self._thread.join()

    def _batches(self) -> Iterator[pa.RecordBatch]:
        while True:
            item = self._queue.get()
            if item is None:
                return
            if item is _ABORT:
                raise CancelledError()
            yield from item.to_batches()

    def _write(self) -> None:
        try:
            geopackage.write_batches(self._batches(), self._schema, self._path, self._layer,
                                     geometry_type=self._geometry_type, crs=self._crs)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the computing thread
            self._error = exc
            self._drain()  # unblock a producer waiting on a full queue

    def _drain(self) -> None:
        """Take whatever waits in the queue (the writer is gone or going)."""
        while True:
            try:
                self._queue.get_nowait()
            except queue.Empty:
                return

    def _raise_if_failed(self) -> None:
        if self._error is not None:
            raise self._error


_ABORT = object()


def _conform(table: pa.Table, schema: pa.Schema) -> pa.Table:
    if table.schema.equals(schema, check_metadata=False):
        return table.replace_schema_metadata(schema.metadata)
    columns = [table.column(f.name).cast(f.type) for f in schema]
    return pa.Table.from_arrays(columns, schema=schema)


# --------------------------------------------------------------------------- the tiled run


class _TileFeedback:
    """Maps a tile's progress into the whole run's, passes messages once, forwards cancel."""

    def __init__(self, outer: Feedback, seen: set[str]):
        self.outer, self.seen = outer, seen
        self.start, self.span = 0.0, 1.0
        self._last = 0.0

    def progress(self, fraction: float, text: str = "") -> None:
        self.advance(self.start + self.span * float(fraction))

    def advance(self, value: float) -> None:
        """Report ``value`` of the whole run; progress never goes back."""
        self._last = max(self._last, value)
        self.outer.progress(self._last, self.label)

    def is_cancelled(self) -> bool:
        return self.outer.is_cancelled()

    def message(self, text: str) -> None:
        if getattr(text, "template", None) == UNKNOWN_DOEL_MESSAGE:
            return  # counted over the tile's halo too; the run's onbekend counts say it for its own panden
        if text not in self.seen:
            self.seen.add(text)
            self.outer.message(text)

    label = ""


def run_potentiescan_tiled(
    tiles_source: ProjectTiles,
    settings: ScanSettings | None,
    out: str | os.PathLike,
    feedback: Feedback | None = None,
    *,
    tile_panden: int = TILE_PANDEN,
    halo_m: float = HALO_M,
    keep_buildings: bool = False,
    workers: int = 1,
    client: Any = None,
) -> ScanResult:
    """Run the whole potentiescan tile by tile and write the GeoPackage ``out`` (as :func:`write_result`).

    With ``workers`` > 1 the tiles are read and computed in that many worker processes
    (each reads its tiles from the files itself); this process only writes. With a Dask
    ``client`` (:func:`scans.batch.distributed.connect`) the tiles go to its workers, which must
    see the project's files at the same path. Both need a project saved to a file.

    Returns a :class:`ScanResult` with ``gebieden`` and ``totals``; ``gebouwen`` holds the
    building rows only with ``keep_buildings`` (tests), else an empty frame with the columns.
    Written to a temporary file beside ``out`` and renamed into place when complete.
    """
    settings = settings or PRESETS["standaard"]
    fb = ensure(feedback)
    out = geopackage.check_target(out)
    start = time.perf_counter()
    fb.progress(0.0, "lagen lezen")
    extent, count = tiles_source.extent_and_count()
    tiles = plan_tiles(extent, count, tile_panden, halo_m)
    workers = max(1, min(int(workers), len(tiles)))
    # computing here needs every small layer; when workers compute, this process only sums per gebied
    here = client is None and (workers <= 1 or len(tiles) == 1)
    shared = tiles_source.read_small(fb, None if here else ("gebieden",))
    check(fb)

    writer: _StreamWriter | None = None
    sums: list[pd.DataFrame] = []
    totals: dict[str, float] = {}
    kept: list[gpd.GeoDataFrame] = []
    samples: list[pd.DataFrame] = []
    template: gpd.GeoDataFrame | None = None
    seen: set[str] = set()
    tile_fb = _TileFeedback(fb, seen)
    outcomes = None
    with geopackage.replacing(out) as tmp:  # moved into place when complete, removed on any error
        try:
            outcomes = _tile_outcomes(tiles, extent, tiles_source, shared, settings, tile_fb, workers, client)
            for number, outcome in enumerate(outcomes):
                tile_fb.label = f"tegel {number + 1}/{len(tiles)}"
                tile_fb.advance(0.02 + 0.93 * (number + 1) / len(tiles))
                check(fb)
                if outcome is None:
                    continue
                table, tile_sums, tile_totals, empty, geometry_type = outcome
                if template is None:
                    template = empty
                if table.num_rows == 0:
                    continue
                if writer is None:
                    writer = _StreamWriter(tmp, "gebouwen_potentie", geometry_type, "EPSG:28992")
                writer.put(table)
                samples.append(_sample(table))
                sums.append(tile_sums)
                for key, value in tile_totals.items():
                    totals[key] = totals.get(key, 0) + value
                if keep_buildings:
                    kept.append(_from_arrow(table))
            tile_fb.label = "gebouwen wegschrijven"
            tile_fb.advance(0.95)
            if writer is None:  # no building at all: the in-memory run writes the empty layer
                raise _EmptyTiles()
            writer.close()
        except BaseException:
            if outcomes is not None:
                outcomes.close()  # cancels the tiles still queued in worker processes
            if writer is not None:
                writer.abort()
            raise
        tile_fb.label = "optellen per gebied"
        tile_fb.advance(0.98)
        gebieden = None
        if shared.get("gebieden") is not None:
            summed = pd.concat(sums).groupby(level=0, sort=True).sum()
            gebieden = per_gebied.aggregate_sums(summed, shared["gebieden"], list(SCANS))
            geopackage.write_frame(gebieden, tmp, "gebieden_potentie")
        geopackage.write_frame(parameter_table(settings), tmp, "scenario_parameters")
    add_dropped(totals, tiles_source.dropped_per_status())
    for key in ("transformatie_realistisch", "netimpact_kw", "realisatiestimulans_eur"):
        totals[key] = round(float(totals.get(key, 0.0)), 2)
    totals["gebieden"] = 0 if gebieden is None else int(len(gebieden))
    totals = {k: (int(v) if isinstance(v, (int, np.integer)) else v) for k, v in totals.items()}
    gebouwen = pd.concat(kept, ignore_index=True) if kept else template
    gebouwen = gpd.GeoDataFrame(gebouwen, geometry="geometry", crs="EPSG:28992")
    fb.progress(1.0, "klaar")
    sample = pd.concat(samples, ignore_index=True) if samples else None
    return ScanResult(gebouwen, gebieden, None, settings, totals, time.perf_counter() - start, sample=sample)


def _sample(table: pa.Table) -> pd.DataFrame:
    """Every k-th row of a tile's rows (at most :data:`SAMPLE_ROWS_PER_TILE`), its homes and onbekend
    columns: enough for class breaks, a few MB at 10M panden."""
    step = max(1, math.ceil(table.num_rows / SAMPLE_ROWS_PER_TILE))
    columns = [c for c in table.column_names if c.endswith("_woningen") or c.endswith("_onbekend")]
    return table.select(columns).take(np.arange(0, table.num_rows, step)).to_pandas()


class _EmptyTiles(Exception):
    """No tile held a building (the caller falls back to the in-memory run)."""


def _run_tile(tile: Tile, extent, source: ProjectTiles, shared: dict, settings: ScanSettings,
              fb: Feedback) -> tuple[pa.Table, pd.DataFrame, dict, gpd.GeoDataFrame, str] | None:
    """Read and scan one tile: its rows as Arrow, their per-gebied sums and totals, an empty frame with
    the columns, and the GeoPackage geometry type of its rows."""
    bbox = tile.read_bbox(extent)
    gebouwen = source.read_big("gebouwen", bbox)
    if gebouwen is None or not len(gebouwen):
        return None
    bounds = shapely.bounds(gebouwen.geometry.to_numpy())
    own = tile.owns((bounds[:, 0] + bounds[:, 2]) / 2, (bounds[:, 1] + bounds[:, 3]) / 2)
    if not own.any():
        return None
    vbo = source.read_big("verblijfsobjecten", bbox)
    inputs = ScanInputs(gebouwen=gebouwen, verblijfsobjecten=vbo, rasters=source.read_rasters(bbox), **shared)
    result = run_potentiescan(inputs, settings, fb, aggregate=False)  # the tiles' sums are added up at the end
    rows = result.gebouwen[own].reset_index(drop=True)
    code_from = settings.beperkingen.congestie_vanaf_code
    sums = per_gebied._sums(rows, "gebied_code", list(SCANS), code_from)
    geometry_type = geopackage.polygon_type(rows.geometry.to_numpy()) or "MultiPolygon"
    return geopackage.arrow_table(rows), sums, _totals(rows, None, code_from), rows.iloc[:0], geometry_type


def _tile_outcomes(tiles, extent, source: ProjectTiles, shared, settings, fb: _TileFeedback, workers: int,
                   client: Any = None):
    """Outcomes of :func:`_run_tile` in tile order: here, in ``workers`` processes, or on a Dask ``client``.

    Processes and Dask workers open the project file themselves and read their own tiles;
    only the finished rows (Arrow), sums and totals come back. A few tiles are kept in
    flight, which bounds the memory of finished tiles waiting to be written.
    """
    if client is None and (workers <= 1 or len(tiles) == 1):
        for number, tile in enumerate(tiles):
            fb.start, fb.span = 0.02 + 0.93 * number / len(tiles), 0.93 / len(tiles)
            fb.label = f"tegel {number + 1}/{len(tiles)}"
            yield _run_tile(tile, extent, source, shared, settings, fb)
        return
    path = getattr(source.project, "path", None)
    if path is None:
        raise ValueError(Translatable("rekenen met meerdere processen vereist een opgeslagen projectbestand"))
    job = (str(Path(path).resolve()), source.gebieden_key)
    if client is not None:
        ahead = 2 * max(1, len(client.scheduler_info().get("workers", {}))) + 1
        yield from _in_flight(lambda tile: client.submit(_worker_tile, tile, extent, settings, job, pure=False),
                              tiles, ahead, fb)
        return
    import concurrent.futures
    import multiprocessing

    context = multiprocessing.get_context("spawn")  # no fork: the writer thread and GDAL state stay in this process
    with concurrent.futures.ProcessPoolExecutor(max_workers=workers, mp_context=context,
                                                initializer=_watch_parent, initargs=(os.getpid(),)) as pool:
        yield from _in_flight(lambda tile: pool.submit(_worker_tile, tile, extent, settings, job), tiles, workers + 1, fb)


def _in_flight(submit, tiles, ahead: int, fb: _TileFeedback):
    pending = {}
    try:
        for number in range(min(ahead, len(tiles))):
            pending[number] = submit(tiles[number])
        for number in range(len(tiles)):
            outcome, messages = pending.pop(number).result()
            for text in messages:
                fb.message(text)
            following = number + ahead
            if following < len(tiles):
                pending[following] = submit(tiles[following])
            yield outcome
    finally:
        for future in pending.values():
            future.cancel()


#: How often a worker process looks whether the process that started it still lives, in seconds.
_PARENT_POLL_S = 0.5


def _watch_parent(parent: int) -> None:
    """In each worker process: a thread that ends the process when its parent is gone.

    A parent killed by any signal (SIGKILL included) cannot end its workers, and the pool's
    own machinery notices only when a worker takes its next task, after the tile it computes
    (minutes, gigabytes). The worker is then reparented, so ``os.getppid()`` changes; no
    ctypes call into libc (``prctl(PR_SET_PDEATHSIG)``) is needed for that.
    """

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(_PARENT_POLL_S)
        os._exit(1)  # nothing of this process is worth keeping: the parent removes the output

    threading.Thread(target=watch, name="parent-watchdog", daemon=True).start()


#: Per worker process: the project opened and its small layers read, for the last (project, gebieden) asked.
_WORKER: dict[str, Any] = {}
_WORKER_LOCK = threading.Lock()  # a Dask worker may run tasks in several threads


def _worker_source(job: tuple[str, str | None]) -> tuple[ProjectTiles, dict]:
    with _WORKER_LOCK:
        if _WORKER.get("job") != job:
            from layers.project import load_project

            source = ProjectTiles(load_project(job[0], load_data=False), job[1])
            shared = source.read_small(NullFeedback())
            _WORKER.clear()
            _WORKER.update(job=job, source=source, shared=shared)
        return _WORKER["source"], _WORKER["shared"]


def _worker_tile(tile: Tile, extent, settings: ScanSettings, job: tuple[str, str | None]):
    source, shared = _worker_source(job)
    fb = RecordingFeedback()
    outcome = _run_tile(tile, extent, source, shared, settings, fb)
    return outcome, list(dict.fromkeys(fb.messages))  # each message once


def _from_arrow(table: pa.Table) -> gpd.GeoDataFrame:
    frame = table.drop_columns(["geometry"]).to_pandas()
    geometry = shapely.from_wkb(table.column("geometry").to_numpy(zero_copy_only=False))
    return gpd.GeoDataFrame(frame, geometry=geometry, crs="EPSG:28992")


def scan_project_tiled(
    project: Any,
    settings: ScanSettings | None,
    out: str | os.PathLike,
    feedback: Feedback | None = None,
    *,
    gebieden: str | None = None,
    tiles: ProjectTiles | None = None,
    **options: Any,
) -> ScanResult:
    """:func:`run_potentiescan_tiled` on a project file's sources (``project`` loaded without data).

    ``gebieden`` names the gebieden layer to aggregate on (default the first); ``tiles`` is the
    :class:`ProjectTiles` of ``project`` when the caller already checked it; ``options`` are
    :func:`run_potentiescan_tiled`'s keywords (``tile_panden``, ``halo_m``, ``workers``,
    ``client``, ``keep_buildings``).
    """
    source = tiles if tiles is not None else ProjectTiles(project, gebieden)
    reason = source.why_not()
    if reason is not None:
        raise ValueError(Translatable("niet in tegels te rekenen: {reason}", reason=reason))
    try:
        return run_potentiescan_tiled(source, settings, out, feedback, **options)
    except _EmptyTiles:
        # no building in any tile: the in-memory run writes the (empty) layers as usual
        from layers.project import load_project
        from scans.pipeline import write_result

        loaded = load_project(project.path)
        result = run_potentiescan(ScanInputs.from_project(loaded, gebieden=gebieden), settings, feedback)
        write_result(result, out)
        return result


