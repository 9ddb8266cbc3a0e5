"""Pause Python's cyclic garbage collector while many geometries are made.

shapely geometries are tracked by the cyclic collector, so making a million of them (decoding
a layer, the centroids of the panden) sets off a full collection every ~25% of growth, each one
walking every geometry already in memory. Measured at 1M panden: 13 full collections while
reading the project (0.9 s of 6.7 s, each stopping every thread, the window's included, for
60-150 ms) and 0.2 s in the scan. Geometries hold no reference cycles, so nothing is lost by
waiting: the collector is switched off while such work runs and on again when the last of it,
in any thread, is done.

It then has one collection to catch up on, walking everything once. Left to itself that would
come at some later, arbitrary moment (measured: in the window, while a scan result was shown,
0.2 s at 1M). Reading a source asks for it at once (``collect_after``) when many objects were
made, so it lands in the reader's thread at the end of loading.
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator

#: Tracked objects made during a pause from which ``collect_after`` collects at its end.
COLLECT_FROM = 100_000

_lock = threading.Lock()
_depth = 0
_restore = False
_collect = False


@contextlib.contextmanager
def paused_gc(*, collect_after: bool = False) -> Iterator[None]:
    """No cyclic garbage collection inside this block (nestable, from several threads at once).

    Also usable as a decorator. When the collector was off already (the user switched it off),
    it stays off. ``collect_after``: when the last pause ends and at least :data:`COLLECT_FROM`
    tracked objects were made meanwhile, collect right then (in the thread that ends it).
    """
    global _depth, _restore, _collect
    with _lock:
        if _depth == 0:
            _restore = gc.isenabled()
            _collect = False
            gc.disable()
        _depth += 1
        _collect = _collect or collect_after
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            catch_up = False
            if _depth == 0 and _restore:
                catch_up = _collect and gc.get_count()[0] >= COLLECT_FROM
                gc.enable()
        if catch_up:
            gc.collect()
