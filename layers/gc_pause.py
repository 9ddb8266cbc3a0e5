"""Pause Python's cyclic garbage collector while many geometries are made.

shapely geometries are tracked by the cyclic collector, so making a million of them (decoding
a layer, the centroids of the panden) sets off a full collection every ~25% of growth, each one
walking every geometry already in memory. Measured at 1M panden: 13 full collections while
reading the project (0.9 s of 6.7 s, each stopping every thread, the window's included, for
60-150 ms) and 0.2 s in the scan. Geometries hold no reference cycles, so nothing is lost by
waiting: the collector is switched off while such work runs and on again when the last of it,
in any thread, is done; it then catches up with one collection.
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator

_lock = threading.Lock()
_depth = 0
_restore = False


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic garbage collection inside this block (nestable, from several threads at once).

    Also usable as a decorator. When the collector was off already (the user switched it off),
    it stays off.
    """
    global _depth, _restore
    with _lock:
        if _depth == 0:
            _restore = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _restore:
                gc.enable()
