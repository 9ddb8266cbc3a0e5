"""SQLite files written page by page: the same values as SQLite's own INSERT, a valid file."""

from __future__ import annotations

import math
import sqlite3
import struct

import numpy as np
import pyarrow as pa
import pytest

from scans import sqlite_table
from scans.sqlite_table import DatabaseFile, encode_cells

CREATE = ('CREATE TABLE "t" ( "fid" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, "geheel" INTEGER, '
          '"tekst" TEXT, "getal" REAL, "vlag" BOOLEAN, "klein" MEDIUMINT, "blob" BLOB, "leeg" TEXT)')
COLUMNS = ["geheel", "tekst", "getal", "vlag", "klein", "blob", "leeg"]

#: Integers on both sides of every serial type's range, and the constants 0 and 1.
EDGES = [0, 1, -1, 2, 127, 128, -128, -129, 32767, 32768, -32768, -32769, 2**23 - 1, 2**23, -2**23, -2**23 - 1,
         2**31 - 1, 2**31, -2**31, -2**31 - 1, 2**47 - 1, 2**47, -2**47, -2**47 - 1, 2**63 - 1, -2**63]
#: REALs: whole numbers (stored as integers by SQLite), -0.0, NaN (NULL), infinities, 2**51 edges.
REALS = [0.0, -0.0, 1.0, -1.0, 0.5, 1e300, -1e-300, math.inf, -math.inf, math.nan, 2.0**51, 2.0**51 - 1,
         -(2.0**51), 123456.789, 3.0, 12.0, 300.0, 1e15]


def _rows(count: int, seed: int) -> dict[str, pa.Array]:
    rng = np.random.default_rng(seed)
    integers = rng.choice(np.array(EDGES, dtype=np.int64), count)
    small = rng.random(count) < 0.5
    integers[small] = rng.integers(-300, 300, int(small.sum()))
    texts = rng.choice(np.array(["", "a", "Bouwlaag", "ja, mits", "Ünïcødé ✓", "x" * 200, "y" * 70_000], dtype=object),
                       count)
    reals = rng.choice(np.array(REALS), count)
    blob_sizes = rng.choice([0, 1, 100, 16_300, 16_400, 40_000, 200_000], count, p=[.1, .2, .5, .05, .05, .05, .05])
    nulls = rng.random((count, 6)) < 0.15
    return {
        "geheel": pa.array([None if n else int(v) for v, n in zip(integers, nulls[:, 0])], pa.int64()),
        "tekst": pa.array([None if n else v for v, n in zip(texts, nulls[:, 1])], pa.large_string()),
        "getal": pa.array([None if n else float(v) for v, n in zip(reals, nulls[:, 2])], pa.float64()),
        "vlag": pa.array([None if n else bool(v) for v, n in zip(rng.random(count) < 0.5, nulls[:, 3])]),
        "klein": pa.array([None if n else int(v) for v, n in zip(rng.integers(-5, 5, count), nulls[:, 4])], pa.int32()),
        "blob": pa.array([None if n else rng.integers(0, 256, s, dtype=np.uint8).tobytes()
                          for s, n in zip(blob_sizes, nulls[:, 5])], pa.binary()),
        "leeg": pa.nulls(count, pa.string()),
    }


def _write(path, columns: dict[str, pa.Array], page_size: int, step: int) -> None:
    count = len(columns["geheel"])
    out = DatabaseFile(path, page_size)
    for start in range(0, count, step):
        n = min(step, count - start)
        out.add(encode_cells([pa.nulls(n)] + [columns[c].slice(start, n) for c in COLUMNS], start + 1))
    root = out.end_table()
    out.add_rows([(1, ["t", count])])
    sequence = out.end_table()
    out.close([("table", "t", "t", root, CREATE),
               ("table", "sqlite_sequence", "sqlite_sequence", sequence, "CREATE TABLE sqlite_sequence(name,seq)")],
              application_id=0x47504B47, user_version=10400)


def _reference(columns: dict[str, pa.Array]) -> sqlite3.Connection:
    con = sqlite3.connect(":memory:")
    con.execute(CREATE)
    values = [columns[c].to_pylist() for c in COLUMNS]
    con.executemany(f"INSERT INTO t VALUES ({', '.join('?' * (len(COLUMNS) + 1))})",
                    [(i + 1, *row) for i, row in enumerate(zip(*values))])
    return con


def _content(con: sqlite3.Connection) -> list:
    typed = ", ".join(f"{c}, typeof({c})" for c in ["fid"] + COLUMNS)
    return con.execute(f"SELECT {typed} FROM t ORDER BY fid").fetchall()


@pytest.mark.parametrize("page_size", [512, 4096, 16384, 65536])
def test_rows_read_back_as_sqlite_stores_them(tmp_path, page_size):
    columns = _rows(3_000, page_size)
    path = tmp_path / "t.sqlite"
    _write(path, columns, page_size, step=700)
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert _content(con) == _content(_reference(columns))
    assert con.execute("SELECT * FROM sqlite_sequence").fetchall() == [("t", 3_000)]
    assert con.execute("PRAGMA page_size").fetchone() == (page_size,)
    assert con.execute("PRAGMA application_id").fetchone() == (0x47504B47,)
    assert con.execute("PRAGMA user_version").fetchone() == (10400,)
    # a rowid lookup goes through the interior pages
    assert con.execute("SELECT fid FROM t WHERE fid = 2345").fetchone() == (2345,)


def test_the_file_stays_a_normal_database(tmp_path):
    columns = _rows(2_000, 3)
    path = tmp_path / "t.sqlite"
    _write(path, columns, 1024, step=2_000)
    con = sqlite3.connect(path)
    con.execute("INSERT INTO t (geheel, tekst) VALUES (5, 'nieuw')")
    con.execute("DELETE FROM t WHERE fid % 3 = 0 AND fid < 2000")
    con.execute("UPDATE t SET tekst = 'anders' WHERE fid % 5 = 0")
    con.execute("CREATE INDEX t_geheel ON t (geheel)")
    con.commit()
    assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert con.execute("SELECT max(fid) FROM t").fetchone() == (2_001,)
    assert con.execute("SELECT seq FROM sqlite_sequence").fetchone() == (2_001,)
    con.execute("VACUUM")
    assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]


def test_overflow_pages_are_laid_out_as_sqlite_reads_them(tmp_path):
    sizes = [16_349 - 40, 16_349, 16_350, 20_000, 16_380 * 3, 1_000_000, 10]
    blobs = [bytes(np.random.default_rng(s).integers(0, 256, s, dtype=np.uint8)) for s in sizes]
    path = tmp_path / "groot.sqlite"
    out = DatabaseFile(path, 16384)
    out.add(encode_cells([pa.nulls(len(blobs)), pa.array(blobs, pa.binary())], 1))
    root = out.end_table()
    out.close([("table", "g", "g", root, "CREATE TABLE g (id INTEGER PRIMARY KEY, data BLOB)")])
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert [row[0] for row in con.execute("SELECT data FROM g ORDER BY id")] == blobs


def test_explicit_rowids_several_tables_and_an_empty_one(tmp_path):
    path = tmp_path / "tabellen.sqlite"
    out = DatabaseFile(path, 1024)
    rowids = np.array([2, 3, 10, 1_000, 2**40, 2**55], dtype=np.int64)
    out.add(encode_cells([pa.nulls(6), pa.array([7, 8, 9, 10, 11, 12])], rowids))
    first = out.end_table()
    empty = out.end_table()
    out.add(encode_cells([pa.nulls(20_000), pa.array(np.arange(20_000) % 7)], 1))
    third = out.end_table()
    out.close([("table", "a", "a", first, "CREATE TABLE a (id INTEGER PRIMARY KEY, v)"),
               ("table", "b", "b", empty, "CREATE TABLE b (id INTEGER PRIMARY KEY, v)"),
               ("table", "c", "c", third, "CREATE TABLE c (id INTEGER PRIMARY KEY, v)")])
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert con.execute("SELECT id, v FROM a").fetchall() == list(zip(rowids.tolist(), range(7, 13)))
    assert con.execute("SELECT count(*) FROM b").fetchone() == (0,)
    assert con.execute("SELECT count(*), sum(v), max(id) FROM c").fetchone() == (20_000, int((np.arange(20_000) % 7).sum()), 20_000)


def test_rows_out_of_order_and_unsupported_types_are_refused(tmp_path):
    out = DatabaseFile(tmp_path / "x.sqlite", 4096)
    out.add(encode_cells([pa.nulls(2), pa.array([1, 2])], 5))
    with pytest.raises(ValueError, match="oplopende"):
        out.add(encode_cells([pa.nulls(2), pa.array([1, 2])], 6))
    out.abort()
    assert not sqlite_table.supported(pa.schema([("d", pa.date32())]))
    assert not sqlite_table.supported(pa.schema([("u", pa.uint64())]))
    assert sqlite_table.supported(pa.schema([("s", pa.string()), ("i", pa.int8()), ("f", pa.float32())]))


def _varint(value: int) -> bytes:
    """One SQLite varint, a value at a time: big-endian groups of 7 bits, the high bit set on all but the last."""
    assert 0 <= value < 1 << 56
    groups = [value & 0x7F]
    value >>= 7
    while value:
        groups.append((value & 0x7F) | 0x80)
        value >>= 7
    return bytes(reversed(groups))


def test_varints_match_sqlites_encoding():
    for value in [0, 1, 127, 128, 16383, 16384, 2**21 - 1, 2**21, 2**28, 2**35, 2**49, 2**56 - 1]:
        encoded = _varint(value)
        decoded = 0
        for byte in encoded:
            decoded = (decoded << 7) | (byte & 0x7F)
        assert decoded == value
        assert all(byte & 0x80 for byte in encoded[:-1]) and not encoded[-1] & 0x80
        block, used, _lengths = sqlite_table._varint_block(np.array([value, 5], dtype=np.int64))
        row = bytes(block[0] if used is None else block[0][used[0]])
        assert row == encoded
    assert struct.unpack(">H", _varint(200))[0] == 0x8148


def _greedy_leaves(sizes: np.ndarray, capacity: int) -> list[int]:
    """The greedy layout one leaf at a time: the rule leaf_bounds computes without a loop."""
    bounds, used = [0], 0
    for i, size in enumerate(sizes.tolist()):
        if i > bounds[-1] and used + size > capacity:
            bounds.append(i)
            used = 0
        used += size
    if len(sizes):
        bounds.append(len(sizes))
    return bounds


@pytest.mark.parametrize("seed", range(6))
def test_leaf_bounds_are_the_greedy_layout(seed):
    rng = np.random.default_rng(seed)
    capacity = int(rng.choice([500, 4088, 16376]))
    count = int(rng.integers(0, 5_000))
    # mostly small cells, some near the capacity and a few above it (then alone on their leaf)
    sizes = np.where(rng.random(count) < 0.05, rng.integers(capacity // 2, capacity + 40, count),
                     rng.integers(3, 120, count)).astype(np.int64)
    bounds = sqlite_table.leaf_bounds(sizes, capacity)
    assert bounds.tolist() == _greedy_leaves(sizes, capacity)
    ends = np.concatenate([[0], np.cumsum(sizes)])
    fill = ends[bounds[1:]] - ends[bounds[:-1]]
    single = np.diff(bounds) == 1
    assert (fill[~single] <= capacity).all()


def test_leaf_bounds_of_nothing_and_of_one_cell():
    assert sqlite_table.leaf_bounds(np.zeros(0, dtype=np.int64), 100).tolist() == [0]
    assert sqlite_table.leaf_bounds(np.array([500]), 100).tolist() == [0, 1]


def test_reused_page_blocks_give_the_same_file(tmp_path, monkeypatch):
    """Leaf blocks handed back by the writer thread are reused (zeroed): the file is the same
    byte for byte as one written with a new block per batch, and reads back as SQLite wrote it."""
    import time

    columns = _rows(3_000, 11)
    # short texts only, so the leaves of a later batch land where longer cells stood before
    columns["tekst"] = pa.array([None if v is None else v[:40] for v in columns["tekst"].to_pylist()], pa.large_string())
    blocks, reused = [], []  # (the blocks are kept, so no new one can have an old one's id)
    original = DatabaseFile._blank_pages

    def wait_then_blank(self, count):
        deadline = time.monotonic() + 10
        while self._pages > 1 and self._spare.empty() and time.monotonic() < deadline:
            time.sleep(0.001)  # let the writer thread hand the last block back
        pages, block = original(self, count)
        reused.append(any(block is seen for seen in blocks))
        blocks.append(block)
        return pages, block

    monkeypatch.setattr(DatabaseFile, "_blank_pages", wait_then_blank)
    _write(tmp_path / "hergebruik.sqlite", columns, 4096, 700)
    assert any(reused[1:])
    monkeypatch.setattr(DatabaseFile, "_blank_pages",
                        lambda self, count: (np.zeros((count, self.page_size), np.uint8),) * 2)
    _write(tmp_path / "nieuw.sqlite", columns, 4096, 700)
    assert (tmp_path / "hergebruik.sqlite").read_bytes() == (tmp_path / "nieuw.sqlite").read_bytes()
    con = sqlite3.connect(tmp_path / "hergebruik.sqlite")
    assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert _content(con) == _content(_reference(columns))


def test_deep_trees_with_wide_keys_are_found_by_rowid(tmp_path):
    """512-byte pages and rowids up to 2**55 (eight-byte varint keys): several interior levels,
    each page as full as the greedy rule allows; SQLite checks the tree and seeks through it."""
    path = tmp_path / "diep.sqlite"
    rng = np.random.default_rng(3)
    rowids = np.unique(rng.integers(1, 2**55, 60_000))
    values = rng.integers(-1000, 1000, len(rowids))
    out = DatabaseFile(path, 512)
    for start in range(0, len(rowids), 7_000):
        part = slice(start, start + 7_000)
        out.add(encode_cells([pa.nulls(len(rowids[part])), pa.array(values[part])], rowids[part]))
    root = out.end_table()
    out.close([("table", "t", "t", root, "CREATE TABLE t (id INTEGER PRIMARY KEY, v)")])
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert con.execute("SELECT count(*), sum(v) FROM t").fetchone() == (len(rowids), int(values.sum()))
    for k in rng.integers(0, len(rowids), 200).tolist() + [0, len(rowids) - 1]:
        assert con.execute("SELECT v FROM t WHERE id = ?", (int(rowids[k]),)).fetchone() == (int(values[k]),)
    # ~1,700 leaves of ~36 rows, ~45 interior pages over them, then 2, then the root
    assert path.read_bytes()[(root - 1) * 512] == 0x05


@pytest.mark.parametrize("rows", [3_619, 3_620, 7_208, 17_684])
def test_no_interior_page_is_left_with_a_single_child(tmp_path, rows):
    """Row counts whose leaves would leave the last interior page one child (no cell, only a
    right child: SQLite calls that file malformed); that page takes the child before it too."""
    path = tmp_path / "een_kind.sqlite"
    out = DatabaseFile(path, 512)
    out.add(encode_cells([pa.nulls(rows), pa.array(np.arange(rows) % 5)], 1))
    root = out.end_table()
    out.close([("table", "t", "t", root, "CREATE TABLE t (id INTEGER PRIMARY KEY, v)")])
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert con.execute("SELECT count(*), sum(v), max(id) FROM t").fetchone() == (rows, int((np.arange(rows) % 5).sum()), rows)
