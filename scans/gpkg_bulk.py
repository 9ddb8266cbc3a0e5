"""Writing the scan's large polygon layer to a GeoPackage fast, and without stopping other threads.

GDAL's GeoPackage driver costs ~5 µs per row and pyogrio keeps Python's lock (the GIL) while it
writes, so one write uses one core and stops every other Python thread. :func:`write_polygon_layer`
writes the layer one of two ways.

**As SQLite records** (:func:`_write_records`, the usual way):

1. a helper thread lets GDAL write a small template GeoPackage: the rows with the extreme
   coordinates, with a spatial index, so it holds GDAL's table definition, metadata rows,
   triggers, extension rows and the layer extent as GDAL stores it, and pyogrio adds the small
   result layers beside it; then it packs the R-tree of all rows from their bounding boxes
   (sort-tile-recursive, with the node layout and float32 rounding of SQLite's R*Tree module);
2. meanwhile two threads encode the rows as SQLite table records (:mod:`scans.sqlite_table`)
   and the calling thread packs them into pages that a writer thread appends to the target;
   the R-tree's three tables follow, then page 1 with the schema;
3. SQLite adds the template's other tables and their rows, its triggers and the feature count.

The bounding boxes and the packed R-tree depend only on the geometries: :class:`IndexAhead`
computes them beforehand on a thread of its own (``run_potentiescan(..., write_ahead=True)``
starts it while the scans run), and the write takes them when the geometries are the same
objects in the same order and the node size is the template's.

This applies when every geometry is present and not empty, the columns are of the kinds
:mod:`scans.sqlite_table` encodes, the table brings no fids of its own, and GDAL's template has
the layout expected; otherwise:

**By GDAL in two parts** (GDAL's C API called through :mod:`ctypes`, which releases the GIL for
the length of each call): two threads each let GDAL write half of the rows without a spatial
index, the first into the target, the second into a part file with its fids continuing; the
R-tree is packed meanwhile into a template; SQLite copies the second part and the R-tree into
the target, replays the template's triggers and extension row, and sets the extent (the union
of GDAL's own part extents) and count. Below :data:`PARALLEL_FROM` rows, or for a table that
brings its own fids, it is one GDAL write (GDAL builds the index).

Either way the file holds the same rows, values, geometry blobs, fids, metadata, triggers and
R-tree boxes as one GDAL write; only the R-tree's grouping of boxes into nodes, and the order of
pages, differ (SQLite's ``integrity_check``, ``rtreecheck``, bounding-box reads with GDAL and
fiona, and later inserts and deletes are tested). Where GDAL's C library or SQLite's R*Tree /
JSON functions are missing, or with ``BB_GPKG_BULK=0``, :func:`available` is False and the caller
writes with pyogrio.
"""

from __future__ import annotations

import contextlib
import ctypes
import glob
import math
import operator
import os
import sqlite3
import sys
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyogrio
import shapely

from scans import sqlite_table
from scans.wkb import geometry_wkb

#: Rows per Arrow batch handed to GDAL in one call (the GIL is released during the call, so
#: the batch size only trades call overhead against memory).
BATCH_ROWS = 65_536

#: From this many rows on the layer is written in two parts on two threads; below it one GDAL
#: write (with its own R-tree) is as fast, as the part file and the copy cost ~1 µs per row.
PARALLEL_FROM = 20_000

#: Write the rows as SQLite records (:mod:`scans.sqlite_table`) instead of through GDAL's
#: driver where the table allows it (:func:`write_polygon_layer`).
RECORDS = True

_VOID = ctypes.c_void_p
_OGR_GEOMETRY_TYPES = {"Polygon": 3, "MultiPolygon": 6}
#: Offsets in the Arrow C data interface's ArrowSchema struct (64-bit): name, n_children, children.
_SCHEMA_NAME, _SCHEMA_N_CHILDREN, _SCHEMA_CHILDREN = 8, 32, 40

#: The struct inside an Arrow PyCapsule (``__arrow_c_schema__`` / ``__arrow_c_array__``); the
#: capsule releases it when it is collected, unless GDAL took it over (release set to NULL).
_capsule_pointer = ctypes.pythonapi.PyCapsule_GetPointer
_capsule_pointer.restype = ctypes.c_void_p
_capsule_pointer.argtypes = [ctypes.py_object, ctypes.c_char_p]


class BulkWriteError(OSError):
    """GDAL refused a step of the bulk write (its message included)."""


def _gdal_library_path() -> str | None:
    """The GDAL library pyogrio itself uses (its configuration options must reach the write).

    Wheels bundle their own copy (rasterio's wheel another one, loaded beside it), so pyogrio's
    bundled copy comes first; otherwise the one libgdal mapped into this process (a shared
    system GDAL); with several and none of them pyogrio's, none.
    """
    import pyogrio
    from pyogrio import _ogr  # noqa: F401  (loads pyogrio's GDAL into the process)

    package = os.path.dirname(pyogrio.__file__)
    for folder, pattern in ((package + ".libs", "*gdal*"), (os.path.join(package, ".dylibs"), "libgdal*")):
        found = sorted(glob.glob(os.path.join(folder, pattern)))
        if len(found) == 1:
            return found[0]
    if sys.platform.startswith("linux"):
        mapped = set()
        try:
            with open("/proc/self/maps", encoding="utf-8", errors="replace") as maps:
                for line in maps:
                    path = line.rsplit(None, 1)[-1]
                    if os.path.basename(path).startswith("libgdal") and ".so" in path:
                        mapped.add(path)
        except OSError:
            return None
        if len(mapped) == 1:
            return mapped.pop()
    return None


class _Gdal:
    """The few GDAL C functions the bulk write needs, with their ctypes signatures."""

    def __init__(self, path: str) -> None:
        lib = ctypes.CDLL(path)
        signatures = {
            "GDALAllRegister": (None, []),
            "GDALGetDriverByName": (_VOID, [ctypes.c_char_p]),
            "GDALCreate": (_VOID, [_VOID, ctypes.c_char_p, ctypes.c_int, ctypes.c_int, ctypes.c_int,
                                   ctypes.c_int, _VOID]),
            "GDALClose": (ctypes.c_int, [_VOID]),
            "GDALDatasetCreateLayer": (_VOID, [_VOID, ctypes.c_char_p, _VOID, ctypes.c_int, _VOID]),
            "GDALDatasetStartTransaction": (ctypes.c_int, [_VOID, ctypes.c_int]),
            "GDALDatasetCommitTransaction": (ctypes.c_int, [_VOID]),
            "OSRNewSpatialReference": (_VOID, [ctypes.c_char_p]),
            "OSRImportFromEPSG": (ctypes.c_int, [_VOID, ctypes.c_int]),
            "OSRRelease": (None, [_VOID]),
            "OGR_L_GetFIDColumn": (ctypes.c_char_p, [_VOID]),
            "OGR_L_CreateFieldFromArrowSchema": (ctypes.c_bool, [_VOID, _VOID, _VOID]),
            "OGR_L_WriteArrowBatch": (ctypes.c_bool, [_VOID, _VOID, _VOID, _VOID]),
            "CPLGetLastErrorMsg": (ctypes.c_char_p, []),
            "CPLErrorReset": (None, []),
        }
        for name, (restype, argtypes) in signatures.items():
            function = getattr(lib, name)  # AttributeError: not this GDAL (caught by available())
            function.restype = restype
            function.argtypes = argtypes
            setattr(self, name, function)
        self.GDALAllRegister()

    def error(self, what: str) -> BulkWriteError:
        message = (self.CPLGetLastErrorMsg() or b"").decode("utf-8", "replace")
        return BulkWriteError(f"{what}: {message}" if message else what)


_gdal: _Gdal | None = None
_gdal_failed = False
_gdal_lock = threading.Lock()


def _library() -> _Gdal | None:
    global _gdal, _gdal_failed
    with _gdal_lock:
        if _gdal is None and not _gdal_failed:
            try:
                path = _gdal_library_path()
                _gdal = _Gdal(path) if path else None
            except (OSError, AttributeError, ImportError):
                _gdal = None
            _gdal_failed = _gdal is None
        return _gdal


#: Environment variable that switches the bulk write off (``0``/``nee``/``no``/``off``/``false``):
#: every GeoPackage is then written through pyogrio, as before it existed.
SWITCH = "BB_GPKG_BULK"


def available() -> bool:
    """True when GDAL's C library could be loaded for the bulk write (64-bit only) and it is not
    switched off with :data:`SWITCH`."""
    if os.environ.get(SWITCH, "").strip().lower() in ("0", "nee", "no", "off", "false"):
        return False
    return ctypes.sizeof(ctypes.c_void_p) == 8 and _sqlite_has_what_we_use() and _library() is not None


_sqlite_checked: bool | None = None


def _sqlite_has_what_we_use() -> bool:
    """Python's SQLite has the R*Tree module and ``json_each`` (both compiled in almost everywhere)."""
    global _sqlite_checked
    if _sqlite_checked is None:
        try:
            with contextlib.closing(sqlite3.connect(":memory:")) as con:
                con.execute("CREATE VIRTUAL TABLE probe USING rtree(id, minx, maxx, miny, maxy)")
                con.execute("SELECT rtreecheck('probe')").fetchone()
                _sqlite_checked = con.execute("SELECT sum(value) FROM json_each('[1, 2]')").fetchone() == (3,)
        except sqlite3.Error:
            _sqlite_checked = False
    return _sqlite_checked


def _options(values: dict[str, str]) -> ctypes.Array:
    """A NULL-terminated C string list (GDAL's ``char **papszOptions``)."""
    return (ctypes.c_char_p * (len(values) + 1))(*[f"{k}={v}".encode() for k, v in values.items()], None)


def write_gdal(batches: Iterable[pa.RecordBatch], schema: pa.Schema, path: Path, layer: str,
               geometry_type: str, epsg: int, spatial_index: bool) -> None:
    """Create ``path`` with one layer and write the batches into it in one transaction, GIL released.

    The geometry is the binary column ``geometry`` (WKB); a column ``fid`` sets the fids.
    """
    gdal = _library()
    if gdal is None:
        raise BulkWriteError("GDAL's C library is not available")
    gdal.CPLErrorReset()
    driver = gdal.GDALGetDriverByName(b"GPKG")
    dataset = gdal.GDALCreate(driver, os.fsencode(path), 0, 0, 0, 0, None)
    if not dataset:
        raise gdal.error(f"{path}: GeoPackage kon niet worden gemaakt")
    srs = gdal.OSRNewSpatialReference(None)
    try:
        if gdal.OSRImportFromEPSG(srs, int(epsg)) != 0:
            raise gdal.error(f"EPSG:{epsg} is onbekend")
        # the layer's geometry column keeps GDAL's name ``geom``, as pyogrio's write gives it
        creation = _options({"FID": "fid", "SPATIAL_INDEX": "YES" if spatial_index else "NO"})
        handle = gdal.GDALDatasetCreateLayer(dataset, layer.encode(), srs, _OGR_GEOMETRY_TYPES[geometry_type],
                                             ctypes.cast(creation, _VOID))
        if not handle:
            raise gdal.error(f"{path}: laag {layer} kon niet worden gemaakt")
        schema_capsule = schema.__arrow_c_schema__()
        base = _capsule_pointer(schema_capsule, b"arrow_schema")
        count = ctypes.c_int64.from_address(base + _SCHEMA_N_CHILDREN).value
        children = ctypes.cast(ctypes.c_void_p.from_address(base + _SCHEMA_CHILDREN).value, ctypes.POINTER(_VOID))
        for index in range(count):
            child = children[index]
            name = ctypes.c_char_p.from_address(child + _SCHEMA_NAME).value
            if name in (b"geometry", b"fid"):
                continue
            if not gdal.OGR_L_CreateFieldFromArrowSchema(handle, child, None):
                raise gdal.error(f"{path}: kolom {name.decode()} kon niet worden gemaakt")
        writing = _options({"GEOMETRY_NAME": "geometry", "FID": "fid"} if "fid" in schema.names
                           else {"GEOMETRY_NAME": "geometry"})
        if gdal.GDALDatasetStartTransaction(dataset, 0) != 0:
            raise gdal.error(f"{path}: transactie kon niet starten")
        for batch in batches:
            if not batch.schema.equals(schema, check_metadata=False):
                raise BulkWriteError(f"{path}: een blok rijen heeft andere kolommen dan de laag")
            gdal.CPLErrorReset()
            _batch_schema, array_capsule = batch.__arrow_c_array__()
            ok = gdal.OGR_L_WriteArrowBatch(handle, base, _capsule_pointer(array_capsule, b"arrow_array"),
                                            ctypes.cast(writing, _VOID))
            del _batch_schema, array_capsule  # the batch's C struct is released here
            if not ok:
                raise gdal.error(f"{path}: rijen konden niet worden geschreven")
        if gdal.GDALDatasetCommitTransaction(dataset) != 0:
            raise gdal.error(f"{path}: transactie kon niet worden afgerond")
    finally:
        gdal.OSRRelease(srs)
        closed = gdal.GDALClose(dataset)
    if closed != 0:
        raise gdal.error(f"{path}: GeoPackage kon niet worden afgesloten")


def _batches(table: pa.Table) -> Iterator[pa.RecordBatch]:
    yield from table.to_batches(max_chunksize=BATCH_ROWS)


# --- the packed R-tree -------------------------------------------------------------------------

#: One R-tree cell as SQLite's rtree module stores it (big-endian id, then min/max per axis as
#: 32-bit floats): x min, x max, y min, y max.
_CELL = np.dtype([("id", ">i8"), ("minx", ">f4"), ("maxx", ">f4"), ("miny", ">f4"), ("maxy", ">f4")])


#: SQLite's rtree module rounds a double that float32 cannot hold outward by scaling it by
#: 1 ± 2^-23 (its RNDAWAY / RNDTOWARDS); the same here, so the stored boxes equal what an
#: INSERT into the R-tree (or GDAL's own bulk load) stores.
_AWAY = 1.0 + 1.0 / 8388608.0
_TOWARDS = 1.0 - 1.0 / 8388608.0


def _float32_down(values: np.ndarray) -> np.ndarray:
    low = values.astype(np.float32)
    scaled = (values * np.where(values < 0, _AWAY, _TOWARDS)).astype(np.float32)
    return np.where(low.astype(np.float64) > values, scaled, low)


def _float32_up(values: np.ndarray) -> np.ndarray:
    high = values.astype(np.float32)
    scaled = (values * np.where(values < 0, _TOWARDS, _AWAY)).astype(np.float32)
    return np.where(high.astype(np.float64) < values, scaled, high)


def _str_groups(boxes: np.ndarray, capacity: int) -> tuple[np.ndarray, np.ndarray]:
    """Sort-tile-recursive: the order of the boxes and where each node's run starts.

    ``boxes`` is (n, 4) float: minx, miny, maxx, maxy. Returns the permutation and the start
    index of every group of at most ``capacity`` boxes.
    """
    n = len(boxes)
    nodes = math.ceil(n / capacity)
    slices = math.ceil(math.sqrt(nodes))
    per_slice = slices * capacity
    cx = (boxes[:, 0] + boxes[:, 2]) * 0.5
    cy = (boxes[:, 1] + boxes[:, 3]) * 0.5
    by_x = np.argsort(cx, kind="stable")
    # each slice of per_slice boxes by x, sorted by y (ties in input order): one small sort per
    # slice (~sqrt(n / capacity) of them) instead of a lexsort of all boxes on (slice, y)
    order = np.empty(n, dtype=np.int64)
    starts = []
    for first in range(0, n, per_slice):
        members = np.sort(by_x[first:first + per_slice])
        order[first:first + len(members)] = members[np.argsort(cy[members], kind="stable")]
        starts.append(np.arange(first, first + len(members), capacity))  # groups never straddle two slices
    return order, np.concatenate(starts)


def packed_rtree(ids: np.ndarray, boxes: np.ndarray, node_bytes: int) -> tuple[list[tuple[int, bytes]], np.ndarray,
                                                                             list[tuple[int, int]], int]:
    """The nodes of an R-tree over ``boxes`` (n, 4: minx, miny, maxx, maxy) keyed by ``ids``.

    ``node_bytes`` is the node size of the R-tree table (the length of its root node as SQLite
    created it). Returns ``(nodes, leaf_of, parents, depth)``: ``(nodeno, blob)`` per node (root
    = 1), the leaf node number of every id (in the order given), the ``(nodeno, parentnode)`` of
    every node but the root, and the tree depth.
    """
    capacity = _capacity(node_bytes)
    padding = node_bytes - 4 - _CELL.itemsize * capacity
    leaf_of = np.zeros(len(ids), dtype=np.int64)
    if len(ids) == 0:
        return [(1, bytes(node_bytes))], leaf_of, [], 0
    nodes: list[tuple[int, bytes]] = []
    parents: list[tuple[int, int]] = []
    level_ids = np.asarray(ids, dtype=np.int64)
    level_boxes = np.asarray(boxes, dtype=np.float64)
    depth = 0
    next_number = 2
    leaf_level = True
    while True:
        order, starts = _str_groups(level_boxes, capacity)
        count = len(starts)
        is_root = count == 1
        numbers = np.array([1]) if is_root else np.arange(next_number, next_number + count, dtype=np.int64)
        next_number += 0 if is_root else count
        sorted_ids = level_ids[order]
        sorted_boxes = level_boxes[order]
        group = np.repeat(np.arange(count), np.diff(np.append(starts, len(order))))
        slot = np.arange(len(order)) - starts[group]
        cells = np.zeros((count, capacity), dtype=_CELL)
        cells["id"][group, slot] = sorted_ids
        if leaf_level:
            # rounded outward once; the levels above take unions of these float32 values, which
            # need no rounding (SQLite's rounding is not monotone, so rounding unions could cut a child)
            sorted_boxes = np.column_stack([_float32_down(sorted_boxes[:, 0]), _float32_down(sorted_boxes[:, 1]),
                                            _float32_up(sorted_boxes[:, 2]), _float32_up(sorted_boxes[:, 3])])
        cells["minx"][group, slot] = sorted_boxes[:, 0]
        cells["miny"][group, slot] = sorted_boxes[:, 1]
        cells["maxx"][group, slot] = sorted_boxes[:, 2]
        cells["maxy"][group, slot] = sorted_boxes[:, 3]
        header = np.zeros((count, 2), dtype=">i2")
        header[:, 1] = np.bincount(group, minlength=count)
        if is_root:
            header[0, 0] = depth
        blobs = np.concatenate([header.view(np.uint8).reshape(count, 4),
                                cells.view(np.uint8).reshape(count, node_bytes - 4 - padding),
                                np.zeros((count, padding), dtype=np.uint8)], axis=1)
        nodes.extend(zip(numbers.tolist(), (row.tobytes() for row in blobs)))
        if leaf_level:
            leaf_of[order] = numbers[group]
            leaf_level = False
        else:
            parents.extend(zip(sorted_ids.tolist(), numbers[group].tolist()))
        if is_root:
            return nodes, leaf_of, parents, depth
        # the next level up: one box per node, the union of its cells
        level_ids = numbers
        level_boxes = np.column_stack([
            np.minimum.reduceat(sorted_boxes[:, 0], starts), np.minimum.reduceat(sorted_boxes[:, 1], starts),
            np.maximum.reduceat(sorted_boxes[:, 2], starts), np.maximum.reduceat(sorted_boxes[:, 3], starts),
        ])
        depth += 1


# --- the whole write ----------------------------------------------------------------------------

def _capacity(node_bytes: int) -> int:
    """Cells per R-tree node of ``node_bytes`` bytes (SQLite sizes nodes when it creates the table)."""
    return (node_bytes - 4) // _CELL.itemsize


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class IndexAhead:
    """The bounding boxes and packed R-tree of a layer's geometries, and then their WKB, computed
    on a thread of its own before the rows are written (while the scan runs, on the core it leaves idle).

    :func:`write_polygon_layer` takes them when it writes the same geometries (the same objects,
    in the same order, with fid = row + 1), the R-tree only when the template's nodes have the
    size guessed here; otherwise it computes them itself, as without.
    """

    def __init__(self, geometries: np.ndarray, page_size: int):
        self._geometries = np.asarray(geometries)
        self.node_bytes = rtree_node_bytes(page_size)
        self._result: tuple[np.ndarray, dict] | None = None
        #: the geometries' 2D WKB (:func:`~scans.wkb.geometry_wkb`), once computed; read after :meth:`take`
        self.wkb: pa.ChunkedArray | None = None
        self._thread = threading.Thread(target=self._compute, name="gpkg-index-vooraf", daemon=True)
        self._thread.start()

    def _compute(self) -> None:
        try:
            boxes = shapely.bounds(self._geometries)
            if not np.isfinite(boxes).all():
                return  # a missing or empty geometry: the records write does not apply
            self._result = (boxes, _packed_rtree_cells(boxes, self.node_bytes))
            # then the rows' WKB (the write's encoding threads take slices of it instead of
            # making it beside the encoding): ~0.35 s of CPU at 1M rows, here on the core the
            # scan rules leave idle; ~140 MB held till the write, below the reading's peak
            self.wkb = geometry_wkb(self._geometries)
        except Exception:  # noqa: BLE001 - the write computes what is missing itself (and reports what fails)
            pass

    def take(self, geometries: np.ndarray) -> tuple[np.ndarray, dict] | None:
        """(boxes, R-tree cells) when ``geometries`` are the ones given (same objects, same order), else None."""
        self._thread.join()
        mine = self._geometries
        if self._result is None or len(mine) != len(geometries):
            return None
        if geometries is not mine and not all(map(operator.is_, geometries, mine)):
            return None
        return self._result


def rtree_node_bytes(page_size: int) -> int:
    """The node size SQLite's R*Tree module gives a 2D index in a database of ``page_size`` pages."""
    con = sqlite3.connect(":memory:")
    try:
        con.execute(f"PRAGMA page_size = {int(page_size)}")
        con.execute("CREATE VIRTUAL TABLE t USING rtree(id, minx, maxx, miny, maxy)")
        (node_bytes,) = con.execute("SELECT length(data) FROM t_node WHERE nodeno = 1").fetchone()
        return int(node_bytes)
    finally:
        con.close()


def plain_text(table: pa.Table) -> pa.Table:
    """``table`` with its dictionary-encoded (categorical) columns as plain values, for GDAL."""
    for index, field in enumerate(table.schema):
        if pa.types.is_dictionary(field.type):
            table = table.set_column(index, field.with_type(field.type.value_type),
                                     table.column(index).cast(field.type.value_type))
    return table


def write_polygon_layer(table: pa.Table, geometries: np.ndarray, path: Path, layer: str, geometry_type: str,
                        epsg: int, parallel_from: int | None = None, others: Sequence[tuple[str, object]] = (),
                        ahead: IndexAhead | None = None) -> bool:
    """Write ``table`` with ``geometries`` as a new GeoPackage ``path`` with one layer and its
    spatial index; see the module text. ``table``'s last column ``geometry`` may be their WKB;
    without it the WKB is made where needed (per slice, on the threads that encode the rows).
    GDAL writes in two parts on two threads from ``parallel_from`` (default :data:`PARALLEL_FROM`)
    rows on. ``others`` are small layers (name, GeoDataFrame or DataFrame) for the same file: written
    by pyogrio into the template, on the helper thread, and copied with it; the return value says
    whether they were (False: the caller writes them). ``ahead``: the boxes and R-tree computed
    beforehand (:class:`IndexAhead`), used when they fit."""
    path = Path(path)
    geometries = np.asarray(geometries)
    rows = len(geometries)
    if RECORDS and rows and "fid" not in table.column_names and sqlite_table.supported(table.schema):
        try:
            _write_records(table, geometries, path, layer, geometry_type, epsg, others, ahead)
            return True
        except (_NotForRecords, sqlite_table.UnsupportedTable):
            pass  # written by GDAL below (nothing was left behind)
    table = plain_text(table)
    if "geometry" not in table.column_names:
        table = table.append_column("geometry", geometry_wkb(geometries))
    if rows < (PARALLEL_FROM if parallel_from is None else parallel_from) or "fid" in table.column_names:
        # (a table with its own fids: the packed R-tree assumes fid = row + 1, so GDAL indexes it)
        write_gdal(_batches(table), table.schema, path, layer, geometry_type, epsg, spatial_index=True)
        return False
    split = rows // 2
    first = table.slice(0, split)
    second = table.slice(split)
    second = second.add_column(0, "fid", pa.array(np.arange(split + 1, rows + 1, dtype=np.int64)))
    scratch = _scratch_folder(path.parent, table.nbytes)
    _remove_stale(scratch)
    stem = f"{_SCRATCH_PREFIX}{os.getpid()}-{threading.get_ident()}-{path.stem}"
    part_path = scratch / f"{stem}.deel2.gpkg"
    template_path = scratch / f"{stem}.sjabloon.gpkg"
    failures: list[BaseException] = []

    def run(*steps) -> None:
        try:
            for step in steps:
                step()
        except BaseException as error:  # noqa: BLE001  (raised again in the calling thread)
            if error not in failures:
                failures.append(error)

    empty = table.schema.empty_table()
    template_ready = threading.Event()

    def make_template() -> None:
        try:
            write_gdal(iter(()), empty.schema, template_path, layer, geometry_type, epsg, True)
        except BaseException as error:  # noqa: BLE001  (recorded before the caller is woken)
            failures.append(error)
            raise
        finally:
            template_ready.set()

    threads = [
        threading.Thread(target=run, name="gpkg-deel-1", args=(
            lambda: write_gdal(_batches(first), table.schema, path, layer, geometry_type, epsg, False),)),
        threading.Thread(target=run, name="gpkg-deel-2", args=(
            make_template,
            lambda: write_gdal(_batches(second), second.schema, part_path, layer, geometry_type, epsg, False))),
    ]
    started: list[threading.Thread] = []
    try:
        for thread in threads:
            thread.start()
            started.append(thread)
        try:
            # while GDAL writes the rows (without the GIL): the R-tree, stored in the template
            boxes = shapely.bounds(np.asarray(geometries))
            present = np.isfinite(boxes).all(axis=1)
            ids = np.flatnonzero(present) + 1
            template_ready.wait()
            if not failures:
                _store_rtree(template_path, layer, ids, boxes[present])
        finally:
            for thread in started:
                thread.join()
        if failures:
            raise failures[0]
        _finish(path, part_path, template_path, layer, rows)
    except BaseException:
        remove_database(path)  # half the rows and no index: not a file to leave behind
        raise
    finally:
        remove_database(part_path)
        remove_database(template_path)
    return False


class _NotForRecords(Exception):
    """The rows cannot be written as SQLite records here (the caller lets GDAL write them)."""


#: Declared SQLite column types GDAL gives each kind of Arrow column (sqlite_table.column_kind).
_DECLARED_TYPES = {
    "text": {"TEXT"},
    "int": {"INTEGER", "MEDIUMINT", "SMALLINT", "TINYINT"},
    "bool": {"BOOLEAN"},
    "real": {"REAL", "FLOAT", "DOUBLE"},
}

def _blob_headers(boxes: np.ndarray, srs_id: int) -> np.ndarray:
    """The GeoPackage geometry blob header GDAL writes before a Polygon's WKB, one row of 40
    bytes per box (minx, miny, maxx, maxy): magic ``GP``, version 0, flags 3 (little endian,
    envelope minx maxx miny maxy), the srs id, the envelope. GDAL gives an EPSG coordinate
    system that code as srs id (checked against its template)."""
    headers = np.empty((len(boxes), 40), dtype=np.uint8)
    headers[:, :8] = np.frombuffer(b"GP\x00\x03" + int(srs_id).to_bytes(4, "little", signed=True), dtype=np.uint8)
    envelope = np.ascontiguousarray(boxes[:, [0, 2, 1, 3]], dtype="<f8")
    headers[:, 8:] = envelope.view(np.uint8).reshape(len(boxes), 32)
    return headers


def _write_records(table: pa.Table, geometries: np.ndarray, path: Path, layer: str, geometry_type: str,
                   epsg: int, others: Sequence[tuple[str, object]] = (), ahead: IndexAhead | None = None) -> None:
    """Write the layer and its R-tree as SQLite records straight into ``path`` (see
    :mod:`scans.sqlite_table`), then add GDAL's GeoPackage tables from a template.

    GDAL makes the template: the rows with the extreme coordinates (so the layer extent is the
    one GDAL stores) with a spatial index; its table definitions, metadata rows, triggers and
    extension rows are copied, the R-tree is packed over all rows. Raises :class:`_NotForRecords`
    before anything is written when a geometry is missing or empty, or GDAL lays the table out
    otherwise than expected.
    """
    rows = table.num_rows
    computed = ahead.take(geometries) if ahead is not None else None
    boxes = computed[0] if computed is not None else shapely.bounds(geometries)
    if not np.isfinite(boxes).all():
        raise _NotForRecords
    extremes = np.unique([boxes[:, 0].argmin(), boxes[:, 1].argmin(), boxes[:, 2].argmax(), boxes[:, 3].argmax()])
    scratch = _scratch_folder(path.parent, 0)
    _remove_stale(scratch)
    template_path = scratch / f"{_SCRATCH_PREFIX}{os.getpid()}-{threading.get_ident()}-{path.stem}.sjabloon.gpkg"
    sample = plain_text(table.take(pa.array(extremes))).add_column(0, "fid", pa.array(extremes + 1, type=pa.int64()))
    if "geometry" not in sample.column_names:
        sample = sample.append_column("geometry", geometry_wkb(geometries[extremes]))
    failures: list[BaseException] = []
    layout: list[_Layout | None] = []
    rtree: list[dict] = []  # the R-tree tables as record cells (see _rtree_cells)
    layout_ready = threading.Event()

    def template_and_rtree() -> None:
        # GDAL's template, then the R-tree over all rows (numpy releases the GIL for most of it)
        # while the calling thread encodes the records
        try:
            try:
                write_gdal(_batches(sample), sample.schema, template_path, layer, geometry_type, epsg, True)
                layout.append(_template_layout(template_path, layer, table.schema))
                for name, frame in others if layout[0] is not None else ():
                    pyogrio.write_dataframe(frame, template_path, layer=name, driver="GPKG")
            finally:
                layout_ready.set()
            if layout[0] is not None and computed is not None and ahead.node_bytes == layout[0].node_bytes:
                rtree.append(computed[1])  # packed beforehand (IndexAhead)
            elif layout[0] is not None:
                rtree.append(_packed_rtree_cells(boxes, layout[0].node_bytes))
        except BaseException as error:  # noqa: BLE001  (raised again in the calling thread)
            failures.append(error)

    helper = threading.Thread(target=template_and_rtree, name="gpkg-sjabloon")
    helper.start()
    out = None
    encoded = None
    try:
        geometry = table.column("geometry") if "geometry" in table.column_names else None
        attributes = [table.column(i) for i, name in enumerate(table.column_names) if name != "geometry"]
        # slices of at most BATCH_ROWS, at least four of them (two threads share the work)
        step = max(4_096, min(BATCH_ROWS, -(-rows // 4)))

        def encode(start: int) -> sqlite_table.Cells:
            count = min(step, rows - start)
            if geometry is not None:
                wkb = geometry.slice(start, count)
            elif computed is not None and ahead.wkb is not None:  # made during the scan (IndexAhead)
                wkb = ahead.wkb.slice(start, count)
            else:
                wkb = geometry_wkb(geometries[start:start + count])
            columns = [pa.nulls(count), wkb] + [c.slice(start, count) for c in attributes]
            return sqlite_table.encode_cells(columns, start + 1, _blob_headers(boxes[start:start + count], epsg))

        # two threads encode slices side by side (numpy and Arrow release the GIL), in order,
        # starting while GDAL makes the template
        encoded = _InOrder(encode, range(0, rows, step))
        layout_ready.wait()
        if failures:
            raise failures[0]
        plan = layout[0]
        if plan is None or plan.srs_id != epsg:
            raise _NotForRecords
        out = sqlite_table.DatabaseFile(path, plan.page_size)
        for cells in encoded:
            out.add(cells)
        encoded.close()
        schema = [("table", layer, layer, out.end_table(), plan.create_sql)]
        if "AUTOINCREMENT" in plan.create_sql.upper():
            out.add_rows([(1, [layer, rows])])
            schema.append(("table", "sqlite_sequence", "sqlite_sequence", out.end_table(),
                           "CREATE TABLE sqlite_sequence(name,seq)"))
        helper.join()
        if failures:
            raise failures[0]
        schema += _write_rtree(out, plan, rtree[0])
        out.close(schema, plan.application_id, plan.user_version)
        out = None
        _complete_from_template(path, template_path, layer, rows, {name for _t, name, *_rest in schema})
    except BaseException:
        if encoded is not None:
            encoded.close()
        if out is not None:
            out.abort()
        helper.join()
        remove_database(path)
        raise
    finally:
        remove_database(template_path)


class _InOrder:
    """``map(function, items)`` on ``workers`` threads, started at once; the results in order,
    a few ahead at most. :meth:`close` waits for the slices under way and drops the rest."""

    def __init__(self, function, items, workers: int = 2):
        from concurrent.futures import ThreadPoolExecutor

        self._function = function
        self._items = list(items)
        self._workers = workers
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="gpkg-rijen")
        self._pending = [self._pool.submit(function, item) for item in self._items[:workers]]

    def __iter__(self) -> Iterator:
        for index in range(len(self._items)):
            result = self._pending[index].result()
            self._pending[index] = None
            if index + self._workers < len(self._items):
                self._pending.append(self._pool.submit(self._function, self._items[index + self._workers]))
            yield result

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


@dataclass(frozen=True)
class _Layout:
    """What the records file takes from GDAL's template."""

    page_size: int
    create_sql: str
    srs_id: int
    application_id: int
    user_version: int
    rtree: str           # the R-tree's (virtual) table name
    rtree_sql: str       # its CREATE VIRTUAL TABLE text
    shadow_sql: dict     # "_node" / "_parent" / "_rowid" → CREATE TABLE text
    node_bytes: int


#: The R-tree module's shadow tables and their columns (a newer SQLite that lays them out
#: otherwise makes the layout unusable, and GDAL writes the rows).
_RTREE_SHADOWS = {"_node": ["nodeno", "data"], "_parent": ["nodeno", "parentnode"], "_rowid": ["rowid", "nodeno"]}


def _template_layout(template_path: Path, layer: str, schema: pa.Schema) -> _Layout | None:
    """What the records file needs from GDAL's template, or None when its columns are not the
    table's in order with the declared types expected, or its R-tree is laid out otherwise."""
    con = sqlite3.connect(template_path)
    try:
        columns = con.execute(f"PRAGMA table_info({_quote(layer)})").fetchall()
        expected = ["fid", "geom"] + [name for name in schema.names if name != "geometry"]
        if [column[1] for column in columns] != expected:
            return None
        kinds = {field.name: sqlite_table.column_kind(field.type) for field in schema}
        for _cid, name, declared, *_rest in columns[2:]:
            if declared.upper() not in _DECLARED_TYPES.get(kinds[name], ()):
                return None
        sql = dict(con.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'").fetchall())
        geometry_columns = con.execute("SELECT column_name, srs_id FROM gpkg_geometry_columns WHERE table_name = ?",
                                       (layer,)).fetchone()
        if geometry_columns is None or geometry_columns[0] != "geom":
            return None
        _extension, rtree = _rtree_extension(con, "main", layer)
        for suffix, names in _RTREE_SHADOWS.items():
            if [c[1] for c in con.execute(f"PRAGMA table_info({_quote(rtree + suffix)})")] != names:
                return None
        (node_bytes,) = con.execute(f"SELECT length(data) FROM {_quote(rtree + '_node')} WHERE nodeno = 1").fetchone()
        (page_size,) = con.execute("PRAGMA page_size").fetchone()
        (application_id,) = con.execute("PRAGMA application_id").fetchone()
        (user_version,) = con.execute("PRAGMA user_version").fetchone()
        return _Layout(page_size, sql[layer], geometry_columns[1], application_id, user_version, rtree, sql[rtree],
                       {suffix: sql[rtree + suffix] for suffix in _RTREE_SHADOWS}, node_bytes)
    finally:
        con.close()


def _packed_rtree_cells(boxes: np.ndarray, node_bytes: int) -> dict[str, list[sqlite_table.Cells]]:
    """The R-tree over ``boxes`` of the rows with fids 1…n, packed, as the cells of its three tables."""
    nodes, leaf_of, parents, _depth = packed_rtree(np.arange(1, len(boxes) + 1, dtype=np.int64), boxes, node_bytes)
    return _rtree_cells(nodes, leaf_of, parents)


def _rtree_cells(nodes: list, leaf_of: np.ndarray, parents: list) -> dict[str, list[sqlite_table.Cells]]:
    """The packed R-tree as the leaf cells of its three tables (``_node``, ``_parent``, ``_rowid``)."""
    nodes = sorted(nodes)
    numbers = np.array([number for number, _blob in nodes], dtype=np.int64)
    blobs = pa.array([blob for _number, blob in nodes], pa.binary())
    parents = np.array(sorted(parents), dtype=np.int64).reshape(-1, 2)
    cells = {
        "_node": [sqlite_table.encode_cells([pa.nulls(len(nodes)), blobs], numbers)],
        "_parent": [sqlite_table.encode_cells([pa.nulls(len(parents)), pa.array(parents[:, 1])], parents[:, 0])],
        "_rowid": [],
    }
    for start in range(0, len(leaf_of), BATCH_ROWS):  # the rowids are the fids 1…n
        count = min(BATCH_ROWS, len(leaf_of) - start)
        cells["_rowid"].append(sqlite_table.encode_cells([pa.nulls(count), pa.array(leaf_of[start:start + count])],
                                                         start + 1))
    return cells


def _write_rtree(out: sqlite_table.DatabaseFile, plan: _Layout, cells: dict[str, list[sqlite_table.Cells]]) -> list[tuple]:
    """The R-tree's three tables written into ``out``; their schema rows and the virtual table's."""
    name = plan.rtree
    schema = [("table", name, name, 0, plan.rtree_sql)]
    for suffix, parts in cells.items():
        for part in parts:
            out.add(part)
        schema.append(("table", name + suffix, name + suffix, out.end_table(), plan.shadow_sql[suffix]))
    return schema


def _complete_from_template(path: Path, template_path: Path, layer: str, rows: int, present: set[str]) -> None:
    """Give the records file the template's other tables, their rows, the triggers and the feature count."""
    with _writing(path, sjabloon=template_path) as con:
        objects = con.execute("SELECT type, name, sql FROM sjabloon.sqlite_master ORDER BY rowid").fetchall()
        virtual = {name for kind, name, sql in objects if kind == "table" and sql.upper().startswith("CREATE VIRTUAL")}
        # the tables a virtual table (another layer's R-tree) makes itself when it is created
        shadows = {name for kind, name, _sql in objects if kind == "table" and name not in virtual
                   and any(name.startswith(table + "_") for table in virtual)}
        for kind, name, sql in objects:
            if kind in ("table", "index", "view") and sql and name not in present and name not in shadows:
                con.execute(sql)
        for kind, name, sql in objects:
            if kind == "table" and name not in present and name not in virtual:
                if name in shadows:
                    con.execute(f"DELETE FROM main.{_quote(name)}")
                con.execute(f"INSERT INTO main.{_quote(name)} SELECT * FROM sjabloon.{_quote(name)}")
        if "sqlite_sequence" in {name for _kind, name, _sql in objects}:
            # as the template has them (the copies above counted their own rows in)
            con.execute("DELETE FROM main.sqlite_sequence WHERE name <> ?", (layer,))
            con.execute("INSERT INTO main.sqlite_sequence SELECT * FROM sjabloon.sqlite_sequence WHERE name <> ?",
                        (layer,))
        for kind, _name, sql in objects:
            if kind == "trigger":
                con.execute(sql)
        con.execute("UPDATE main.gpkg_ogr_contents SET feature_count = ? WHERE lower(table_name) = lower(?)",
                    (rows, layer))


#: The files of one SQLite database: the file itself and its journal / WAL files.
SQLITE_FILE_SUFFIXES = ("", "-journal", "-wal", "-shm")


def remove_database(path: Path) -> None:
    """Delete an SQLite database (a GeoPackage) with its journal and WAL files, where present."""
    for suffix in SQLITE_FILE_SUFFIXES:
        try:
            os.unlink(str(path) + suffix)
        except FileNotFoundError:
            pass


def replace_database(new: Path, path: Path) -> None:
    """``os.replace(new, path)``, the file it replaces deleted on a thread of its own.

    Deleting a large file makes the system free its blocks and cached pages before the call
    returns (0.3 s for a 0.5 GB GeoPackage here), time in which the user waits for nothing.
    So the old file first gets a second name (a hard link: ``path`` is never missing and the
    replace stays atomic), and that name is removed beside. The thread is not a daemon: a
    process ends only after it. A killed process's second name is removed by the next write
    in that folder. Without hard links (Windows, FAT, some network shares) it is the plain replace.
    """
    second = None
    if os.name == "posix" and os.path.isfile(path):
        _remove_stale(path.parent)
        second = path.with_name(f"{_SCRATCH_PREFIX}{os.getpid()}-{threading.get_ident()}-{path.stem}.vorige.gpkg")
        try:
            remove_database(second)
            os.link(path, second)
        except OSError:
            second = None
    try:
        os.replace(new, path)
    finally:
        if second is not None:
            threading.Thread(target=remove_database, args=(second,), name="gpkg-vorige").start()


#: A folder in memory for the part file and the template (they are read once and deleted).
_MEMORY_FOLDER = Path("/dev/shm")


#: Part files and templates are named ``beterbenutten-<pid>-<thread>-<target>.deel2.gpkg`` /
#: ``.sjabloon.gpkg``; those of a process that no longer runs (killed mid-write) are removed.
_SCRATCH_PREFIX = "beterbenutten-"
#: (``.vorige.gpkg``: a second name of a replaced file, see :func:`replace_database`)
_SCRATCH_SUFFIXES = (".deel2.gpkg", ".sjabloon.gpkg", ".vorige.gpkg")


def _remove_stale(folder: Path) -> None:
    """Delete the part files and templates that processes killed while writing left in ``folder``."""
    try:
        names = [entry.name for entry in os.scandir(folder) if entry.name.startswith(_SCRATCH_PREFIX)]
    except OSError:
        return
    for name in names:
        if not any(name.removesuffix(extra).endswith(suffix) for suffix in _SCRATCH_SUFFIXES
                   for extra in SQLITE_FILE_SUFFIXES):
            continue
        pid = name[len(_SCRATCH_PREFIX):].split("-", 1)[0]
        if not pid.isdigit() or _process_runs(int(pid)):
            continue
        try:
            os.unlink(folder / name)
        except OSError:
            pass


def _process_runs(pid: int) -> bool:
    if pid == os.getpid() or os.name != "posix":
        return True  # (on Windows signal 0 would be a Ctrl+C to that process: never ask there)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # another user's process, or a platform without signals: leave it
    return True


def _scratch_folder(beside: Path, table_bytes: int) -> Path:
    """Where the part file goes: memory (``/dev/shm``) when it has room to spare, else beside the target."""
    try:
        if _MEMORY_FOLDER.is_dir() and os.access(_MEMORY_FOLDER, os.W_OK):
            free = os.statvfs(_MEMORY_FOLDER)
            if free.f_bavail * free.f_frsize > 4 * table_bytes + (256 << 20):
                return _MEMORY_FOLDER
    except OSError:
        pass
    return beside


def _rtree_extension(con: sqlite3.Connection, schema: str, layer: str) -> tuple:
    """The ``gpkg_extensions`` row of the layer's R-tree in ``schema`` and the R-tree's table name."""
    extension = con.execute(
        f"SELECT table_name, column_name, extension_name, definition, scope FROM {schema}.gpkg_extensions "
        "WHERE table_name = ? AND extension_name = 'gpkg_rtree_index'", (layer,)).fetchone()
    if extension is None:
        raise BulkWriteError(f"GDAL maakte geen ruimtelijke index voor laag {layer}")
    return extension, f"rtree_{layer}_{extension[1]}"


def _store_rtree(template_path: Path, layer: str, ids: np.ndarray, boxes: np.ndarray) -> None:
    """Pack the R-tree and store its nodes in the template's (empty) R-tree tables."""
    with _writing(template_path) as con:
        _extension, rtree = _rtree_extension(con, "main", layer)
        (node_bytes,) = con.execute(f"SELECT length(data) FROM {_quote(rtree + '_node')} WHERE nodeno = 1").fetchone()
        nodes, leaf_of, parents, _depth = packed_rtree(ids, boxes, node_bytes)
        con.execute(f"DELETE FROM {_quote(rtree + '_node')}")  # (the empty root SQLite made)
        con.executemany(f"INSERT INTO {_quote(rtree + '_node')} (nodeno, data) VALUES (?, ?)", nodes)
        con.executemany(f"INSERT INTO {_quote(rtree + '_parent')} (nodeno, parentnode) VALUES (?, ?)", parents)
        _insert_rowids(con, rtree, ids, leaf_of)


#: Leaf numbers turned into text per slice (~10 ms each).
_TEXT_SLICE = 65_536


def _insert_rowids(con: sqlite3.Connection, rtree: str, ids: np.ndarray, leaf_of: np.ndarray) -> None:
    """Fill the R-tree's rowid → leaf table.

    The ids are fids 1…n with gaps (rows without a geometry); the leaf numbers go to SQLite as
    one JSON array indexed by fid - 1 (0 in the gaps) and are inserted by SQLite itself: 4×
    faster than a Python tuple per row, and without the GIL for most of it.
    """
    if not len(ids):
        return
    by_fid = np.zeros(int(ids[-1]), dtype=np.int64)
    by_fid[ids - 1] = leaf_of
    # in slices, so other threads (the window's) get the GIL between them
    numbers = "[" + ",".join(",".join(map(str, by_fid[start:start + _TEXT_SLICE].tolist()))
                             for start in range(0, len(by_fid), _TEXT_SLICE)) + "]"
    con.execute(f"INSERT INTO {_quote(rtree + '_rowid')} (rowid, nodeno) "
                "SELECT key + 1, value FROM json_each(?) WHERE value > 0", (numbers,))


def _finish(path: Path, part_path: Path, template_path: Path, layer: str, rows: int) -> None:
    """Copy the second part into the target and the template's filled spatial index beside it."""
    with _writing(path, part=part_path, sjabloon=template_path) as con:
        quoted = _quote(layer)
        columns = [tuple(row[1:3]) for row in con.execute(f"PRAGMA main.table_info({quoted})")]
        if columns != [tuple(row[1:3]) for row in con.execute(f"PRAGMA part.table_info({quoted})")]:
            raise BulkWriteError(f"{path}: de twee delen van laag {layer} hebben niet dezelfde kolommen")
        extension, rtree = _rtree_extension(con, "sjabloon", layer)
        own = con.execute("SELECT name, sql FROM main.sqlite_master WHERE type = 'trigger' AND tbl_name = ?",
                          (layer,)).fetchall()
        for name, _sql in own:
            con.execute(f"DROP TRIGGER main.{_quote(name)}")
        # no triggers, no index, a plain SELECT *: SQLite copies the records as they are
        con.execute(f"INSERT INTO main.{quoted} SELECT * FROM part.{quoted}")
        (create_rtree,) = con.execute("SELECT sql FROM sjabloon.sqlite_master WHERE name = ?", (rtree,)).fetchone()
        con.execute(create_rtree)
        for shadow in ("_node", "_parent", "_rowid"):
            table_name = _quote(rtree + shadow)
            con.execute(f"DELETE FROM main.{table_name}")
            con.execute(f"INSERT INTO main.{table_name} SELECT * FROM sjabloon.{table_name}")
        if con.execute("SELECT 1 FROM main.sqlite_master WHERE name = 'gpkg_extensions'").fetchone() is None:
            (create_extensions,) = con.execute(
                "SELECT sql FROM sjabloon.sqlite_master WHERE name = 'gpkg_extensions'").fetchone()
            con.execute(create_extensions)
        con.execute("INSERT INTO main.gpkg_extensions (table_name, column_name, extension_name, definition, scope) "
                    "VALUES (?, ?, ?, ?, ?)", extension)
        rtree_triggers = con.execute(
            "SELECT sql FROM sjabloon.sqlite_master WHERE type = 'trigger' AND tbl_name = ? AND name LIKE 'rtree%'",
            (layer,)).fetchall()
        for (sql,) in [(sql,) for _name, sql in own] + rtree_triggers:
            con.execute(sql)
        con.execute("UPDATE main.gpkg_ogr_contents SET feature_count = ? WHERE lower(table_name) = lower(?)",
                    (rows, layer))
        # the union of the extents GDAL stored for the two parts (as it stores them)
        extents = [con.execute(f"SELECT min_x, min_y, max_x, max_y FROM {schema}.gpkg_contents WHERE table_name = ?",
                               (layer,)).fetchone() for schema in ("main", "part")]
        corners = [[extent[i] for extent in extents if extent and extent[i] is not None] for i in range(4)]
        if all(corners):
            con.execute("UPDATE main.gpkg_contents SET min_x = ?, min_y = ?, max_x = ?, max_y = ? WHERE table_name = ?",
                        (min(corners[0]), min(corners[1]), max(corners[2]), max(corners[3]), layer))


@contextlib.contextmanager
def _writing(path: Path, **attached: Path) -> Iterator[sqlite3.Connection]:
    """A connection to ``path`` with ``attached`` databases (schema name → file) in one write
    transaction: committed at the end of the block, rolled back on any error. Without fsync, as
    GDAL writes a GeoPackage (``synchronous = OFF``)."""
    con = sqlite3.connect(path, isolation_level=None)
    try:
        con.execute("PRAGMA synchronous = OFF")
        for schema, file in attached.items():
            con.execute(f"ATTACH DATABASE ? AS {schema}", (str(file),))
        con.execute("BEGIN IMMEDIATE")
        yield con
        con.execute("COMMIT")
        for schema in attached:
            con.execute(f"DETACH DATABASE {schema}")
    except BaseException:
        if con.in_transaction:
            con.execute("ROLLBACK")
        raise
    finally:
        con.close()
