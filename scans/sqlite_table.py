"""SQLite database files written page by page with numpy: rowid tables of many rows at once.

SQLite itself, like GDAL's GeoPackage driver on top of it, inserts row by row: binding every
value, building the record, finding its place in the B-tree. For a table written once, in rowid
order, all of that can be computed for many rows at once. This module writes the file format
(https://www.sqlite.org/fileformat2.html) directly:

- **records** (:func:`encode_cells`): per column the serial type (NULL, the smallest integer
  width, 0 and 1 as the constants of schema format 4, 8-byte big-endian REAL, TEXT, BLOB) and its
  body bytes, computed with numpy; the header and the numeric columns go through a padded byte
  matrix that is compacted with a mask, text and blobs stay the Arrow buffers they are; Arrow's
  ``binary_join_element_wise`` puts each row's pieces one after the other (the one per-row step,
  in C, without the GIL);
- **leaf pages** (:class:`DatabaseFile`): cells packed greedily in rowid order, each page's cells
  copied as one block to the end of the page with the cell pointer array in front; payloads too
  large for a page get overflow pages as SQLite lays them out;
- **interior pages** over each table's leaves up to its root, and page 1 with the database header
  and the schema table (the ``CREATE`` texts as given).

Values are stored as SQLite stores them, so ``SELECT`` gives back the same values and types as
after an ``INSERT``: a REAL that is a whole number is stored as an integer (SQLite reads it back
as REAL), a NaN as NULL. The file passes ``PRAGMA integrity_check``, and SQLite can read it,
change it and extend it like any other database (tested against SQLite's own INSERT, and in
:mod:`scans.gpkg_bulk` against GDAL's write of the same rows).
"""

from __future__ import annotations

import os
import queue
import struct
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

#: The SQLite library version written in the header (3.40.1: informational only, SQLite
#: rewrites it when it changes the file).
_WRITER_VERSION = 3_040_001

_LEAF_TABLE = 0x0D
_INTERIOR_TABLE = 0x05
_LEAF_HEADER = 8
_INTERIOR_HEADER = 12
_FILE_HEADER = 100

#: Serial types (schema format 4).
_NULL, _REAL, _ZERO, _ONE = 0, 7, 8, 9


class UnsupportedTable(ValueError):
    """This writer does not encode the table (a column type, a row over 2 GiB, a schema larger than
    a page): the caller writes it another way."""


# --- column kinds -------------------------------------------------------------------------------

def column_kind(data_type: pa.DataType) -> str:
    """How a column of this Arrow type is stored: text, blob, bool, int, real or null (all empty).
    A dictionary-encoded column is stored as its values (text, a slice at a time)."""
    if pa.types.is_dictionary(data_type):
        if column_kind(data_type.value_type) != "text":
            raise UnsupportedTable(f"kolomtype {data_type} wordt niet rechtstreeks geschreven")
        return "text"
    if pa.types.is_string(data_type) or pa.types.is_large_string(data_type):
        return "text"
    if pa.types.is_binary(data_type) or pa.types.is_large_binary(data_type):
        return "blob"
    if pa.types.is_boolean(data_type):
        return "bool"
    if pa.types.is_integer(data_type) and not pa.types.is_uint64(data_type):
        return "int"
    if pa.types.is_floating(data_type) and not pa.types.is_float16(data_type):
        return "real"
    if pa.types.is_null(data_type):
        return "null"
    raise UnsupportedTable(f"kolomtype {data_type} wordt niet rechtstreeks geschreven")


def supported(schema: pa.Schema) -> bool:
    """Whether every column of ``schema`` is one this writer encodes."""
    try:
        for field in schema:
            column_kind(field.type)
    except UnsupportedTable:
        return False
    return True


# --- varints ------------------------------------------------------------------------------------

def _varint_lengths(values: np.ndarray) -> np.ndarray:
    """Bytes of SQLite's varint per value (0 ≤ value < 2**56: one to eight bytes)."""
    lengths = np.ones(values.shape, dtype=np.int64)
    top = int(values.max()) if values.size else 0
    for k in range(1, 8):
        if top < 1 << (7 * k):
            break
        lengths += values >= (1 << (7 * k))
    return lengths


#: A block of bytes per row: (rows, w) bytes, which of them are used (None: all), and how many
#: are used per row (an int when the same for every row).
Block = tuple[np.ndarray, "np.ndarray | None", "np.ndarray | int"]


def _varint_block(values: np.ndarray) -> Block:
    """The varints of ``values`` left-aligned in a (rows, widest) byte block."""
    if not len(values) or int(values.max()) < 0x80:
        return values.astype(np.uint8)[:, None], None, 1
    lengths = _varint_lengths(values)
    width = int(lengths.max())
    block = np.empty((len(values), width), dtype=np.uint8)
    for k in range(width):
        shift = 7 * np.maximum(lengths - 1 - k, 0)
        byte = (values >> shift) & 0x7F
        byte |= (k < lengths - 1) * 0x80
        block[:, k] = byte
    return block, np.arange(width)[None, :] < lengths[:, None], lengths


def _right_aligned(block: np.ndarray, widths: np.ndarray) -> Block:
    """The last ``widths`` bytes of each row of an (rows, 8) block, in a block as narrow as the widest."""
    widest = int(widths.max()) if len(widths) else 0
    block = block[:, 8 - widest:]
    if (widths == widest).all():
        return block, None, widest
    return block, np.arange(widest)[None, :] >= (widest - widths)[:, None], widths


def _piece(blocks: list[Block], rows: int) -> pa.Array:
    """The used bytes of the blocks, row by row, as one Arrow large_binary array."""
    blocks = [block for block in blocks if block[0].shape[1]]
    offsets = np.zeros(rows + 1, dtype=np.int64)
    if not blocks:
        return pa.Array.from_buffers(pa.large_binary(), rows, [None, pa.py_buffer(offsets), pa.py_buffer(b"")])
    matrix = np.concatenate([block for block, _used, _widths in blocks], axis=1) if len(blocks) > 1 else blocks[0][0]
    widths = sum(widths for _block, _used, widths in blocks)
    if all(used is None for _block, used, _widths in blocks):
        data = np.ascontiguousarray(matrix).reshape(-1)
        offsets = np.arange(rows + 1, dtype=np.int64) * widths
    else:
        mask = np.concatenate([np.broadcast_to(True, block.shape) if used is None else used
                               for block, used, _widths in blocks], axis=1)
        data = matrix[mask]
        np.cumsum(widths, out=offsets[1:])
    return pa.Array.from_buffers(pa.large_binary(), rows, [None, pa.py_buffer(offsets), pa.py_buffer(data)])


# --- records ------------------------------------------------------------------------------------

@dataclass
class Cells:
    """Table leaf cells of consecutive rows: ``data[offsets[i]:offsets[i+1]]`` is row i's cell."""

    data: np.ndarray
    offsets: np.ndarray
    rowids: np.ndarray
    #: bytes before the payload (the payload-size and rowid varints) and the payload size
    prefix: np.ndarray
    payload: np.ndarray


def _text_piece(array: pa.Array) -> tuple[pa.Array, np.ndarray, np.ndarray | None]:
    """A text/blob column: its bytes as large_binary (nulls empty), lengths, null mask (None: none)."""
    array = array.cast(pa.large_binary()) if not pa.types.is_large_binary(array.type) else array
    offsets = np.frombuffer(array.buffers()[1], dtype=np.int64, count=len(array) + 1, offset=array.offset * 8)
    lengths = np.diff(offsets)
    if not array.null_count:
        return array, lengths, None
    nulls = np.asarray(array.is_null())
    return pc.fill_null(array, b""), np.where(nulls, 0, lengths), nulls


#: Upper bounds (exclusive) of the magnitude for integer serial types 1-5; beyond: 6.
_INT_LIMITS = np.array([1 << 7, 1 << 15, 1 << 23, 1 << 31, 1 << 47], dtype=np.int64)
#: Body width per serial type 0-9.
_BODY_WIDTH = np.array([0, 1, 2, 3, 4, 6, 8, 8, 0, 0], dtype=np.int64)
#: SQLite stores a REAL that is a whole number below 2**51 in magnitude as an integer (and reads it
#: back as REAL); the same here, so the file holds what an INSERT writes.
_REAL_AS_INT = 1 << 51


def _one_byte(numbers: np.ndarray) -> bool:
    return not len(numbers) or (-0x80 <= int(numbers.min()) and int(numbers.max()) < 0x80)


def _int_serials(numbers: np.ndarray, small: bool = False) -> np.ndarray:
    if small:
        # one byte each (the common case): 1, or the constants 0 and 1
        return 1 + (numbers == 0) * (_ZERO - 1) + (numbers == 1) * (_ONE - 1)
    magnitude = np.where(numbers < 0, ~numbers, numbers)
    serial = np.searchsorted(_INT_LIMITS, magnitude, side="right") + 1
    serial[numbers == 0] = _ZERO
    serial[numbers == 1] = _ONE
    return serial


def _numeric(array: pa.Array, kind: str) -> tuple[np.ndarray, Block, np.ndarray]:
    """Serial types, the right-aligned big-endian body block, and the body widths."""
    if kind == "int":
        numbers = array.cast(pa.int64())
        if numbers.null_count:
            numbers = numbers.fill_null(0)
        numbers = numbers.to_numpy(zero_copy_only=False)
        small = _one_byte(numbers)
        serial = _int_serials(numbers, small)
        if array.null_count:
            serial[np.asarray(array.is_null())] = _NULL
        if small:
            # no body wider than one byte: the low byte is the two's complement byte
            used = serial == 1
            widths = used.astype(np.int64)
            return serial, (numbers.astype(np.uint8)[:, None], used[:, None], widths), widths
        block = numbers.astype(">i8").view(np.uint8).reshape(-1, 8)
    else:
        values = array.cast(pa.float64())
        if values.null_count:
            values = values.fill_null(np.nan)
        values = values.to_numpy(zero_copy_only=False)
        with np.errstate(invalid="ignore"):
            whole = (np.abs(values) < _REAL_AS_INT) & (np.floor(values) == values) & ~((values == 0) & np.signbit(values))
        numbers = np.where(whole, values, 0).astype(np.int64)
        serial = np.where(whole, _int_serials(numbers), _REAL)
        serial[np.isnan(values)] = _NULL  # as SQLite stores a NaN
        block = np.where(whole[:, None], numbers.astype(">i8").view(np.uint8).reshape(-1, 8),
                         values.astype(">f8").view(np.uint8).reshape(-1, 8))
    widths = _BODY_WIDTH[serial]
    return serial, _right_aligned(block, widths), widths


def encode_cells(columns: list[pa.Array], rowids: int | np.ndarray, blob_prefix: np.ndarray | None = None) -> Cells:
    """The table leaf cells of ``len(columns[0])`` rows with ``rowids`` (ascending; an int: the
    first of consecutive ones).

    ``columns`` are the record's columns in table order; an ``INTEGER PRIMARY KEY`` column is the
    rowid and is stored as NULL: pass ``pa.nulls(n)`` in its place. ``blob_prefix`` (rows, w)
    bytes are put in front of the first blob column's bytes (the GeoPackage geometry header
    before the WKB); that column may hold no nulls.
    """
    rows = len(columns[0])
    pieces: list[pa.Array] = []
    numeric: list[Block] = []  # the current run of numeric bodies
    serials: list[np.ndarray] = []
    body_bytes = np.zeros(rows, dtype=np.int64)
    prefix_used = blob_prefix is None
    for array in columns:
        if isinstance(array, pa.ChunkedArray):
            array = array.combine_chunks()
        kind = column_kind(array.type)
        if pa.types.is_dictionary(array.type):
            array = array.dictionary_decode()
        if kind == "null":
            serial = np.zeros(rows, dtype=np.int64)
        elif kind in ("text", "blob"):
            if numeric:
                pieces.append(_piece(numeric, rows))
                numeric = []
            data, lengths, nulls = _text_piece(array)
            if not prefix_used and kind == "blob":
                if nulls is not None:
                    raise ValueError("een blob met voorvoegsel mag niet leeg zijn")
                prefix_used = True
                pieces.append(_piece([(np.ascontiguousarray(blob_prefix), None, blob_prefix.shape[1])], rows))
                lengths = lengths + blob_prefix.shape[1]
            pieces.append(data)
            serial = lengths * 2 + (13 if kind == "text" else 12)
            if nulls is not None:
                serial[nulls] = _NULL
            body_bytes += lengths
        elif kind == "bool":
            values = array.fill_null(False).to_numpy(zero_copy_only=False)
            serial = np.where(values, _ONE, _ZERO)
            if array.null_count:
                serial[np.asarray(array.is_null())] = _NULL
        else:
            serial, block, widths = _numeric(array, kind)
            numeric.append(block)
            body_bytes += widths
        serials.append(serial)
    if numeric:
        pieces.append(_piece(numeric, rows))
    if not prefix_used:
        raise ValueError("blob_prefix zonder blobkolom")

    # the record header: its size, then one varint per column (runs of one-byte varints as one block)
    head: list[Block] = []
    header_bytes = np.zeros(rows, dtype=np.int64)
    small: list[np.ndarray] = []
    for serial in serials:
        block, used, lengths = _varint_block(serial)
        header_bytes += lengths
        if used is None:
            small.append(block)
            continue
        if small:
            head.append((np.concatenate(small, axis=1), None, len(small)))
            small = []
        head.append((block, used, lengths))
    if small:
        head.append((np.concatenate(small, axis=1), None, len(small)))
    header_size = header_bytes + 1
    header_size = header_bytes + _varint_lengths(header_size)
    header_size = header_bytes + _varint_lengths(header_size)  # stable after two rounds
    payload = header_size + body_bytes
    if np.ndim(rowids) == 0:
        rowids = np.arange(int(rowids), int(rowids) + rows, dtype=np.int64)
    rowids = np.asarray(rowids, dtype=np.int64)
    if len(rowids) != rows:
        raise ValueError("zoveel rowids als rijen nodig")
    if rows and (payload.max() >= 1 << 31 or rowids[0] < 0 or rowids[-1] >= 1 << 56):
        raise UnsupportedTable("een rij is te groot voor een SQLite-record")
    lead = [_varint_block(payload), _varint_block(rowids), _varint_block(header_size)]
    prefix = np.broadcast_to(lead[0][2] + lead[1][2], (rows,))
    joined = pc.binary_join_element_wise(_piece(lead + head, rows), *pieces, pa.scalar(b"", pa.large_binary()))
    _validity, offsets, data = joined.buffers()
    offsets = np.frombuffer(offsets, dtype=np.int64, count=rows + 1, offset=joined.offset * 8)
    data = np.frombuffer(data, dtype=np.uint8, count=int(offsets[-1]) if rows else 0)
    if rows and offsets[0]:
        data = data[offsets[0]:]
        offsets = offsets - offsets[0]
    return Cells(data, offsets, rowids, prefix, payload)


# --- pages --------------------------------------------------------------------------------------

#: One row of the schema table: type, name, tbl_name, rootpage, sql.
SchemaRow = tuple[str, str, str, int, str]


def leaf_bounds(sizes: np.ndarray, capacity: int) -> np.ndarray:
    """Where the leaf pages start when cells of ``sizes`` bytes are laid out in order, each
    leaf taking as many as fit in ``capacity`` bytes (at least one); then ``len(sizes)``.

    The greedy layout without a loop per page: ``following[i]`` is where a leaf starting at
    cell i ends; the leaf starts are the cells reached from 0 by following it, found by pointer
    doubling (after k rounds the first 2**k starts are known, and ``jump`` skips 2**k leaves).
    """
    rows = len(sizes)
    ends = np.cumsum(sizes, dtype=np.int64)
    before = np.zeros(rows, dtype=np.int64)
    before[1:] = ends[:-1]
    following = np.searchsorted(ends, before + capacity, side="right")
    np.maximum(following, np.arange(1, rows + 1), out=following)
    jump = np.append(following, rows)  # the end stays the end
    starts = np.zeros(1 if rows else 0, dtype=np.int64)
    while len(starts):
        ahead = jump[starts]
        ahead = ahead[ahead < rows]
        if not len(ahead):
            break
        starts = np.concatenate([starts, ahead])
        jump = jump[jump]
    return np.append(starts, rows)


class DatabaseFile:
    """Writes a new database file table by table: :meth:`add` the cells of a table in rowid
    order, :meth:`end_table` for its root page, then the next table; :meth:`close` writes page 1
    with the schema. The pages go to the file on a thread of their own (a write releases the
    GIL), so the caller encodes the next rows meanwhile."""

    def __init__(self, path: str | os.PathLike, page_size: int):
        if page_size < 512 or page_size > 65536 or page_size & (page_size - 1):
            raise ValueError(f"ongeldige paginagrootte {page_size}")
        self.path = Path(path)
        self.page_size = page_size
        usable = page_size  # (no reserved bytes per page)
        self._max_local = usable - 35
        self._min_local = (usable - 12) * 32 // 255 - 23
        self._file = open(self.path, "wb")
        self._queue: queue.Queue = queue.Queue(maxsize=2)
        self._spare: queue.SimpleQueue = queue.SimpleQueue()  # written page blocks, for reuse
        self._failure: list[BaseException] = []
        self._writer = threading.Thread(target=self._write_pages, name="sqlite-paginas", daemon=True)
        self._writer.start()
        self._pages = 0
        self._emit(bytes(page_size))  # page 1, written again by close()
        # of the current table, per add(): the leaves' page numbers and their last rowids
        self._leaves: list[tuple[np.ndarray, np.ndarray]] = []
        self._last_rowid: int | None = None

    # -- leaves

    def add(self, cells: Cells) -> None:
        """Append rows to the current table (rowids above those added before)."""
        rows = len(cells.rowids)
        if not rows:
            return
        if self._last_rowid is not None and cells.rowids[0] <= self._last_rowid:
            raise ValueError("rijen niet in oplopende rowid-volgorde")
        data, offsets = cells.data, cells.offsets
        local_sizes = np.diff(offsets)
        overflow_rows = np.flatnonzero(cells.payload > self._max_local)
        local = np.zeros(0, dtype=np.int64)
        if len(overflow_rows):
            local = self._local_sizes(cells.payload[overflow_rows])
            local_sizes[overflow_rows] = cells.prefix[overflow_rows] + local + 4
        # greedy: as many cells (and their 2-byte pointers) on a leaf as fit
        bounds = leaf_bounds(local_sizes + 2, self.page_size - _LEAF_HEADER)
        first_page = self._pages + 1
        n_leaves = len(bounds) - 1
        overflow_pages: list[bytes] = []
        if len(overflow_rows):
            data, offsets, overflow_pages = self._spill(cells, overflow_rows, local, first_page + n_leaves)
        pages, block = self._blank_pages(n_leaves)
        flat = pages.reshape(-1)
        starts, stops = bounds[:-1], bounds[1:]
        content_start = self.page_size - (offsets[stops] - offsets[starts])
        # each page's cells as one block at its end, their pointers (in rowid order) in front
        page_of = np.repeat(np.arange(n_leaves, dtype=np.int64), stops - starts)
        slot = np.arange(rows, dtype=np.int64) - starts[page_of]
        pointer = content_start[page_of] + offsets[:-1] - offsets[starts][page_of]
        at = page_of * self.page_size + _LEAF_HEADER + 2 * slot
        flat[at] = pointer >> 8
        flat[at + 1] = pointer & 0xFF
        counts = stops - starts
        pages[:, 0] = _LEAF_TABLE
        pages[:, 3] = counts >> 8
        pages[:, 4] = counts & 0xFF
        pages[:, 5] = (content_start >> 8) & 0xFF
        pages[:, 6] = content_start & 0xFF
        base = np.arange(n_leaves, dtype=np.int64) * self.page_size
        for page in range(n_leaves):
            flat[base[page] + content_start[page]: base[page] + self.page_size] = \
                data[offsets[starts[page]]:offsets[stops[page]]]
        self._emit(pages, n_leaves, spare=block)
        for page_bytes in overflow_pages:
            self._emit(page_bytes)
        self._leaves.append((np.arange(first_page, first_page + n_leaves, dtype=np.int64), cells.rowids[stops - 1]))
        self._last_rowid = int(cells.rowids[-1])

    def add_rows(self, rows: list[tuple[int, list]]) -> None:
        """Append a few rows given as (rowid, values) to the current table (small tables)."""
        self.add(_small_cells(rows))

    def end_table(self) -> int:
        """Write the interior pages over the current table's leaves; its root page number.

        Each interior page takes as many children as fit (the greedy rule of the leaves,
        :func:`leaf_bounds`; the last page at least two): a cell (page number, last rowid) per
        child but the last, which is the page's right child."""
        leaves = self._leaves
        self._leaves, self._last_rowid = [], None
        if not leaves:
            return self._emit(self._leaf_page(None))
        pages = np.concatenate([numbers for numbers, _keys in leaves])
        keys = np.concatenate([keys for _numbers, keys in leaves])
        while len(pages) > 1:
            sizes = 2 + 4 + _varint_lengths(keys)  # pointer, child page number, key varint
            bounds = leaf_bounds(sizes, self.page_size - _INTERIOR_HEADER)
            if len(bounds) > 2 and bounds[-1] - bounds[-2] == 1:
                # a last page with one child would hold no cell, only its right child: SQLite reads
                # such a page as corrupt. It takes the child before it too (a page holds 30+ children)
                bounds[-2] -= 1
            parents = [self._emit(self._interior_page(pages[a:b], keys[a:b])) for a, b in zip(bounds[:-1], bounds[1:])]
            pages, keys = np.asarray(parents, dtype=np.int64), keys[bounds[1:] - 1]
        return int(pages[0])

    def _local_sizes(self, payload: np.ndarray) -> np.ndarray:
        """Bytes of an overflowing payload kept on the leaf page (SQLite's rule)."""
        usable = self.page_size
        kept = self._min_local + (payload - self._min_local) % (usable - 4)
        return np.where(kept <= self._max_local, kept, self._min_local)

    def _spill(self, cells: Cells, rows: np.ndarray, local: np.ndarray, first_overflow: int):
        """Cells with their payload's tail moved to overflow pages (numbered from ``first_overflow``)."""
        data, offsets = cells.data, cells.offsets
        pieces, new_sizes, overflow_pages = [], np.diff(offsets), []
        position = 0
        page_number = first_overflow
        chunk = self.page_size - 4
        for row, kept in zip(rows.tolist(), local.tolist()):
            start, stop = int(offsets[row]), int(offsets[row + 1])
            cut = start + int(cells.prefix[row]) + kept
            pieces.append(data[position:cut])
            tail = data[cut:stop]
            count = -(-len(tail) // chunk)
            pieces.append(np.frombuffer(struct.pack(">I", page_number), dtype=np.uint8))
            for k in range(count):
                following = page_number + k + 1 if k < count - 1 else 0
                block = bytes(tail[k * chunk:(k + 1) * chunk])
                overflow_pages.append(struct.pack(">I", following) + block + bytes(chunk - len(block)))
            page_number += count
            new_sizes[row] = cut - start + 4
            position = stop
        pieces.append(data[position:])
        new_offsets = np.zeros(len(offsets), dtype=np.int64)
        np.cumsum(new_sizes, out=new_offsets[1:])
        return np.concatenate(pieces), new_offsets, overflow_pages

    # -- writing

    def _blank_pages(self, count: int) -> tuple[np.ndarray, np.ndarray]:
        """``count`` zeroed pages, and the block they are the start of (handed back to
        :meth:`_emit` so the writer thread returns it for reuse once written).

        Blocks come back from the writer thread: their memory is mapped already, where a new
        block's pages would each fault on first write (~0.5 s per GB written on some machines).
        A new block gets a quarter more pages than asked, which cost nothing until used.
        """
        while True:
            try:
                block = self._spare.get_nowait()
            except queue.Empty:
                break
            if len(block) >= count:
                pages = block[:count]
                pages.fill(0)
                return pages, block
        block = np.zeros((count + count // 4 + 1, self.page_size), dtype=np.uint8)
        return block[:count], block

    def _emit(self, block, pages: int = 1, spare: np.ndarray | None = None) -> int:
        """Queue ``pages`` pages for the file; the number of the last one. ``spare``: a block
        the writer thread hands back to :meth:`_blank_pages` once ``block`` is written."""
        if self._failure:
            raise self._failure[0]
        self._queue.put((block, spare))
        self._pages += pages
        return self._pages

    def _write_pages(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            block, spare = item
            if self._failure:
                continue
            try:
                self._file.write(memoryview(block).cast("B") if isinstance(block, np.ndarray) else block)
            except BaseException as error:  # noqa: BLE001  (raised in the calling thread)
                self._failure.append(error)
            if spare is not None:
                self._spare.put(spare)

    def _drain(self) -> None:
        """Wait until every queued page is in the file."""
        if self._writer.is_alive():
            self._queue.put(None)
            self._writer.join()
        if self._failure:
            raise self._failure[0]

    def close(self, schema: list[SchemaRow], application_id: int = 0, user_version: int = 0) -> int:
        """Write page 1 (database header and schema table); the number of pages."""
        try:
            if self._leaves:
                raise ValueError("end_table() ontbreekt")
            self._drain()
            cells = _small_cells(list(enumerate(schema, start=1)))
            page_one = bytearray(self._leaf_page(cells, offset=_FILE_HEADER))
            page_one[:_FILE_HEADER] = self._file_header(application_id, user_version)
            self._file.seek(0)
            self._file.write(page_one)
            self._file.flush()
            return self._pages
        finally:
            self._file.close()

    def abort(self) -> None:
        """Stop writing (the caller removes the file)."""
        try:
            self._drain()
        except BaseException:  # noqa: BLE001  (the file is given up anyway)
            pass
        finally:
            self._file.close()

    def _interior_page(self, pages: np.ndarray, keys: np.ndarray) -> bytes:
        """An interior table page over the child ``pages`` with their last rowids ``keys``."""
        count = len(pages) - 1
        cells = _piece([(pages[:-1].astype(">u4").view(np.uint8).reshape(-1, 4), None, 4), _varint_block(keys[:-1])], count)
        offsets = np.frombuffer(cells.buffers()[1], dtype=np.int64, count=count + 1)
        size = int(offsets[-1])
        page = np.zeros(self.page_size, dtype=np.uint8)
        start = self.page_size - size
        if size:
            page[start:] = np.frombuffer(cells.buffers()[2], dtype=np.uint8, count=size)
        page[_INTERIOR_HEADER:_INTERIOR_HEADER + 2 * count] = (start + offsets[:-1]).astype(">u2").view(np.uint8)
        header = struct.pack(">BHHHBI", _INTERIOR_TABLE, 0, count, start % 65536, 0, int(pages[-1]))
        page[:_INTERIOR_HEADER] = np.frombuffer(header, dtype=np.uint8)
        return page.tobytes()

    def _leaf_page(self, cells: Cells | None, offset: int = 0) -> bytes:
        """One leaf page holding ``cells`` (all of them, or raise), its header at ``offset``."""
        page = bytearray(self.page_size)
        count = 0 if cells is None else len(cells.rowids)
        size = 0 if cells is None else int(cells.offsets[-1])
        start = self.page_size - size
        if start < offset + _LEAF_HEADER + 2 * count or (count and cells.payload.max() > self._max_local):
            raise UnsupportedTable("het schema past niet op de eerste pagina")
        if count:
            page[start:] = cells.data[:size].tobytes()
            struct.pack_into(f">{count}H", page, offset + _LEAF_HEADER, *(start + cells.offsets[:-1]).tolist())
        page[offset] = _LEAF_TABLE
        struct.pack_into(">HHHB", page, offset + 1, 0, count, start % 65536, 0)
        return bytes(page)

    def _file_header(self, application_id: int, user_version: int) -> bytes:
        header = bytearray(_FILE_HEADER)
        header[:16] = b"SQLite format 3\x00"
        struct.pack_into(">H", header, 16, self.page_size if self.page_size < 65536 else 1)
        header[18:24] = bytes([1, 1, 0, 64, 32, 32])  # rollback journal, no reserved bytes, payload fractions
        struct.pack_into(">13I", header, 24,
                         1,            # file change counter
                         self._pages,  # database size in pages
                         0, 0,         # no freelist
                         1,            # schema cookie
                         4,            # schema format
                         0, 0,         # default cache size, no auto-vacuum
                         1,            # UTF-8
                         user_version, 0, application_id, 0)
        struct.pack_into(">II", header, 92, 1, _WRITER_VERSION)  # version-valid-for = change counter
        return bytes(header)


def _small_cells(rows: list[tuple[int, list]]) -> Cells:
    """The cells of a few rows given as (rowid, values), every column of one Python type."""
    rowids = np.array([rowid for rowid, _values in rows], dtype=np.int64)
    columns = [pa.array(list(column)) for column in zip(*(values for _rowid, values in rows))]
    return encode_cells(columns, rowids)
