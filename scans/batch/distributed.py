"""The potentiescan on a Dask cluster, partitioned by gemeente, with the single-machine result.

:func:`run_potentiescan_dask` runs the same :func:`scans.pipeline.run_potentiescan` on
partitions of the buildings and stitches the building rows back into the input order, then
aggregates per gebied (and per complex) and totals exactly as the pipeline does. The result
is identical to ``run_potentiescan(inputs, settings)``.

Layout
------
- **Core rows.** Every building belongs to exactly one partition: the one of its gebied
  (assigned on the client with the pipeline's own :func:`scans.inputs.assign_gebied`), so a
  building on a gemeente border is never counted twice. Gebieden are grouped by gemeente
  (the ``gemeentecode`` column of the CBS layers, else the ``GM`` digits of a CBS
  buurt/wijk code); without gemeenten they are grouped spatially (grid cells of
  ``cell_m``). A gemeente larger than a partition (a single-gemeente project) is split
  along its gebieden, in code order. Buildings outside every gebied are grouped by grid
  cell. Whole groups are packed into partitions of about ``partition_size`` buildings.
- **Halo rows.** Boerenerf looks at neighbours (panden within 250 m for the bebouwde-kom
  test, chains of bedrijfsgebouwen within 50 m, yards). Each partition therefore also
  receives the buildings in the grid cells (``halo_m``) around its own, as context; their
  rows are computed but dropped. The result is exact as long as no erf or chain of
  bedrijfsgebouwen crosses a partition border over more than ``halo_m`` (1 km by default).
- **Verblijfsobjecten** go with their pand (linked on the client with
  :func:`scans.inputs.link_vbo`, the same rule the pipeline uses).
- **Broadcast.** Gebieden, zones (water/bodem, netcongestie, NPLV, erven), the
  portefeuille table and the rasters are scattered once to every worker (``broadcast``):
  every lookup inside a partition then sees exactly what the single-machine run sees.

``address`` is ``"local"`` (a :class:`distributed.LocalCluster` on this machine, one
worker per core) or a scheduler address (``tcp://host:8786``). No Qt, no GUI imports.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from scans import per_gebied
from scans._rules import concat_frames
from layers.feedback import CancelledError, Feedback, NullFeedback, check, ensure
from layers.texts import Translatable
from scans.inputs import BUITEN_GEBIED_CODE, ScanInputs, assign_gebied, link_vbo
from scans.pipeline import ScanResult, _portfolio_complex, _totals, add_dropped, run_potentiescan
from scans.registry import SCANS
from scans.scenarios import PRESETS, ScanSettings

#: Buildings per partition (whole gemeenten are packed up to about this many).
PARTITION_SIZE = 250_000
#: Context around a partition for neighbourhood rules (boerenerf), in metres.
HALO_M = 1_000.0
#: Grid cell for spatial grouping when gebieden carry no gemeente (metres).
CELL_M = 10_000.0


@dataclass
class Partition:
    """One unit of work: positions (in the input order) of its own and its context buildings."""

    number: int
    groups: list[str]
    core: np.ndarray  # sorted positions of the buildings this partition answers for
    rows: np.ndarray  # sorted positions of core + halo buildings sent to the worker

    @property
    def size(self) -> int:
        return int(self.core.size)


# --------------------------------------------------------------------------- partitioning


def _pand_ids(gebouwen: pd.DataFrame) -> pd.Series:
    """pand_id as prepare_buildings writes it (missing → "None"), for linking vbo's."""
    ids = gebouwen["pand_id"]
    return ids.astype(object).where(ids.notna(), None).astype(str)


def gemeente_of(gebieden: gpd.GeoDataFrame) -> np.ndarray | None:
    """Gemeente key per gebied: ``gemeentecode``, or the GM digits of a CBS BU/WK code; None when unknown."""
    if "gemeentecode" in gebieden.columns and gebieden["gemeentecode"].notna().all():
        return gebieden["gemeentecode"].astype(str).to_numpy(dtype=object)
    codes = gebieden["gebied_code"].astype(str)
    cbs = codes.str.match(r"^(BU|WK|GM)\d{4}")
    if len(codes) and cbs.all():
        return ("GM" + codes.str.slice(2, 6)).to_numpy(dtype=object)
    return None


def _cells(x: np.ndarray, y: np.ndarray, size: float) -> np.ndarray:
    """Integer key of the ``size`` grid cell of each point."""
    cx = np.floor(x / size).astype("int64")
    cy = np.floor(y / size).astype("int64")
    return cx * 1_000_003 + cy


def plan_partitions(
    inputs: ScanInputs,
    settings: ScanSettings,
    *,
    partition_size: int = PARTITION_SIZE,
    halo_m: float = HALO_M,
    cell_m: float = CELL_M,
) -> tuple[list[Partition], np.ndarray]:
    """Partitions of the buildings; also returns each vbo's building position (−1 when none)."""
    src = inputs.gebouwen
    n = len(src)
    geoms = src.geometry.to_numpy()
    centroids = shapely.centroid(geoms)
    x, y = shapely.get_x(centroids), shapely.get_y(centroids)
    light = gpd.GeoDataFrame({"pand_id": _pand_ids(src).to_numpy(), "cx": x, "cy": y}, geometry=geoms, crs=src.crs)
    code = assign_gebied(light, inputs.gebieden, settings.algemeen.gebied_toewijzing)

    # group key per building: gemeente of its gebied, else a grid cell
    group = np.empty(n, dtype=object)
    cell_key = np.char.add("cel:", _cells(x, y, cell_m).astype(str)).astype(object)
    outside = code == BUITEN_GEBIED_CODE
    group[outside] = cell_key[outside]
    if inputs.gebieden is not None and len(inputs.gebieden) and (~outside).any():
        gemeente = gemeente_of(inputs.gebieden)
        if gemeente is not None:
            lookup = pd.Series(gemeente, index=inputs.gebieden["gebied_code"].astype(str).to_numpy())
            lookup = lookup[~lookup.index.duplicated()]
            group[~outside] = lookup.reindex(code[~outside]).to_numpy(dtype=object)
        else:
            group[~outside] = cell_key[~outside]

    # a gemeente larger than a partition (or the only one) is split along its gebieden
    keys, inverse, counts = np.unique(group.astype(str), return_inverse=True, return_counts=True)
    big = np.flatnonzero(counts > partition_size)
    if big.size:
        split = np.isin(inverse, big) & ~outside
        group[split] = group[split].astype(str) + "/" + code[split].astype(str)
        keys, inverse, counts = np.unique(group.astype(str), return_inverse=True, return_counts=True)
    # pack whole groups (in key order) into partitions of about partition_size buildings
    bins, current, filled = [], [], 0
    for k, count in enumerate(counts):
        if current and filled + count > partition_size:
            bins.append(current)
            current, filled = [], 0
        current.append(k)
        filled += int(count)
    if current:
        bins.append(current)
    part_of_group = np.empty(len(keys), dtype="int64")
    for p, members in enumerate(bins):
        part_of_group[members] = p
    part = part_of_group[inverse]

    halo_cells = _cells(x, y, halo_m)
    cx_h, cy_h = np.floor(x / halo_m).astype("int64"), np.floor(y / halo_m).astype("int64")
    partitions = []
    for p, members in enumerate(bins):
        core = np.flatnonzero(part == p)
        if len(bins) == 1:
            rows = core
        else:
            near = set()
            ux = np.unique(np.stack([cx_h[core], cy_h[core]], axis=1), axis=0)
            for dx in (-1, 0, 1):
                for dy in (-1, 0, 1):
                    near.update(((ux[:, 0] + dx) * 1_000_003 + (ux[:, 1] + dy)).tolist())
            in_near = np.isin(halo_cells, np.fromiter(near, dtype="int64"))
            rows = np.flatnonzero(in_near | (part == p))
        partitions.append(Partition(p, [str(keys[k]) for k in members], core, rows))

    vbo_pos = np.full(0, -1, dtype="int64")
    if inputs.verblijfsobjecten is not None and len(inputs.verblijfsobjecten):
        vbo_pos = link_vbo(light, inputs.verblijfsobjecten)
    return partitions, vbo_pos


# --------------------------------------------------------------------------- worker side


def _run_partition(gebouwen: gpd.GeoDataFrame, vbo, core_mask: np.ndarray, shared: dict, settings: ScanSettings):
    """Run the pipeline on one partition; returns its core building rows (and complexes)."""
    inputs = ScanInputs(
        gebouwen=gebouwen,
        verblijfsobjecten=vbo,
        gebieden=shared["gebieden"],
        netcongestie=shared["netcongestie"],
        water_bodem=shared["water_bodem"],
        nplv=shared["nplv"],
        erven=shared["erven"],
        monumenten=shared["monumenten"],
        portefeuille=None,
        rasters=shared["rasters"],
    )
    result = run_potentiescan(inputs, settings)
    complex_of = None
    if shared["portefeuille"] is not None:
        with_pf = replace(inputs, portefeuille=shared["portefeuille"])
        complex_of = _portfolio_complex(result.gebouwen, with_pf, NullFeedback())[core_mask]  # its messages are repeated on the client
    return result.gebouwen[core_mask], complex_of


# --------------------------------------------------------------------------- client side


def connect(address: str = "local", *, n_workers: int | None = None, processes: bool = True):
    """A :class:`distributed.Client` for ``address`` (``"local"``: a LocalCluster on this machine).

    ``ValueError`` when dask.distributed is not installed; ``OSError`` when the scheduler
    cannot be reached (both are user errors for the CLI).
    """
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise ValueError(Translatable('rekenen met Dask vereist het pakket distributed (pip install "dask[distributed]")')) from None

    if address == "local":
        import os

        workers = n_workers or max(1, min(os.cpu_count() or 1, 8))
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=processes, dashboard_address=None)
        return Client(cluster)
    return Client(address, timeout=10)


def run_potentiescan_dask(
    inputs: ScanInputs,
    settings: ScanSettings | None = None,
    address: Any = "local",
    feedback: Feedback | None = None,
    *,
    partition_size: int = PARTITION_SIZE,
    halo_m: float = HALO_M,
    n_workers: int | None = None,
    processes: bool = True,
) -> ScanResult:
    """:func:`scans.pipeline.run_potentiescan` on Dask, partitioned by gemeente; same result.

    Parameters
    ----------
    inputs, settings, feedback : as for :func:`scans.pipeline.run_potentiescan`.
    address : ``"local"``, a scheduler address (``"tcp://host:8786"``) or a
        :class:`distributed.Client` to reuse (not closed afterwards).
    partition_size : about this many buildings per partition (whole gemeenten).
    halo_m : context distance for neighbourhood rules (boerenerf); see the module docstring.
    n_workers, processes : for ``address="local"`` only.
    """
    if not isinstance(inputs, ScanInputs):
        raise ValueError(Translatable("run_potentiescan_dask verwacht ScanInputs"))
    settings = settings or PRESETS["standaard"]
    fb = ensure(feedback)
    start = time.perf_counter()
    fb.progress(0.0, "partities indelen")
    partitions, vbo_pos = plan_partitions(inputs, settings, partition_size=partition_size, halo_m=halo_m)
    check(fb)

    own_client = isinstance(address, str)
    client = connect(address, n_workers=n_workers, processes=processes) if own_client else address
    try:
        fb.progress(0.05, f"{len(partitions)} partities naar {len(client.scheduler_info()['workers'])} workers")
        shared = {
            "gebieden": inputs.gebieden,
            "netcongestie": inputs.netcongestie,
            "water_bodem": inputs.water_bodem,
            "nplv": inputs.nplv,
            "erven": inputs.erven,
            "monumenten": inputs.monumenten,
            "portefeuille": inputs.portefeuille,
            "rasters": dict(inputs.rasters),
        }
        [shared_future] = client.scatter([shared], broadcast=True, hash=False)
        [settings_future] = client.scatter([settings], broadcast=True, hash=False)
        src = inputs.gebouwen
        vbo = inputs.verblijfsobjecten
        futures = {}
        for part in partitions:
            rows = part.rows
            core_mask = np.isin(rows, part.core)
            part_vbo = None
            if vbo is not None:
                wanted = np.zeros(len(src), dtype=bool)
                wanted[rows] = True
                take = np.flatnonzero((vbo_pos >= 0) & wanted[np.maximum(vbo_pos, 0)])
                part_vbo = vbo.iloc[take]
            data = client.scatter([src.iloc[rows], part_vbo, core_mask], hash=False)
            future = client.submit(
                _run_partition, *data, shared_future, settings_future,
                key=f"potentiescan-partitie-{part.number}-{time.time_ns()}", pure=False,
            )
            futures[future] = part
        from distributed import as_completed  # connect() checked that distributed is installed

        done: dict[int, tuple] = {}
        try:
            for i, future in enumerate(as_completed(list(futures)), start=1):
                if fb.is_cancelled():
                    raise CancelledError()
                done[futures[future].number] = future.result()
                future.release()  # the worker may drop the partition's result now
                fb.progress(0.05 + 0.85 * i / len(partitions), f"partitie {i}/{len(partitions)} klaar")
        except BaseException:
            client.cancel(list(futures))
            raise
    finally:
        if own_client:
            cluster = getattr(client, "cluster", None)
            client.close()
            if cluster is not None:
                cluster.close()

    fb.progress(0.9, "samenvoegen en optellen per gebied")
    order = np.concatenate([partitions[p].core for p in sorted(done)]) if done else np.zeros(0, dtype="int64")
    frames = [done[p][0] for p in sorted(done)]
    gebouwen = concat_frames(frames) if frames else None
    if gebouwen is None:
        return run_potentiescan(inputs, settings, feedback)
    gebouwen = gpd.GeoDataFrame(gebouwen, geometry="geometry", crs=inputs.gebouwen.crs)
    gebouwen = gebouwen.iloc[np.argsort(order, kind="stable")].reset_index(drop=True)

    if inputs.portefeuille is not None:
        complex_of = np.concatenate([np.asarray(done[p][1], dtype=object) for p in sorted(done)])
        complex_of = complex_of[np.argsort(order, kind="stable")]
        gebouwen["complex"] = complex_of
        gebouwen = gebouwen[pd.notna(complex_of)].reset_index(drop=True)
    code_from = settings.beperkingen.congestie_vanaf_code
    gebieden = None
    if inputs.gebieden is not None:
        gebieden = per_gebied.aggregate(gebouwen, inputs.gebieden, list(SCANS), congestie_vanaf_code=code_from)
    complexen = None
    if inputs.portefeuille is not None:
        complexen = per_gebied.per_complex(gebouwen, list(SCANS), congestie_vanaf_code=code_from)
    totals = _totals(gebouwen, gebieden, code_from)
    add_dropped(totals, inputs.vervallen)  # the panden the reader left out, as run_potentiescan counts them
    fb.progress(1.0, "klaar")
    return ScanResult(gebouwen, gebieden, complexen, settings, totals, time.perf_counter() - start)
