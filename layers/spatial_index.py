"""A spatial index over a layer's geometries that is built in chunks.

One shapely ``STRtree`` over a million geometries takes about half a second to build, and it
keeps the GIL the whole time: built in a worker thread it still freezes the window. This index
is a list of trees over consecutive chunks of :data:`CHUNK` geometries. Building one chunk
takes a few tens of milliseconds, and between two chunks other threads run, so the map's
loader thread can build it while the window keeps turning. A query asks every chunk's tree
(a fraction of a millisecond each) and returns the same positions as one tree over all
geometries would, sorted.
"""

from __future__ import annotations

import threading

import numpy as np
import shapely

#: Geometries per chunk: building one chunk's tree holds the GIL for ~30-50 ms.
CHUNK = 100_000

#: Layers with this many features get their index built in a worker thread when they are shown
#: (by the project loader, the scan worker or the map's snapshot thread); a smaller one is built
#: by its first query in well under 0.05 s.
BUILD_IN_BACKGROUND_FROM = 50_000


class ChunkedIndex:
    """Spatial index over ``geometries`` (an object array of shapely geometries or None).

    :meth:`build` builds every chunk (call it from a worker thread for a large layer);
    :meth:`query` builds what is still missing first, so it is always complete.
    """

    def __init__(self, geometries) -> None:
        self.source = geometries  # what it was made from (the owner checks it is still current)
        self.geometries = np.asarray(geometries, dtype=object)
        self._trees: list[shapely.STRtree] = []
        self._lock = threading.Lock()  # the loader thread builds while the GUI thread may query

    def __len__(self) -> int:
        return len(self.geometries)

    @property
    def complete(self) -> bool:
        return len(self._trees) * CHUNK >= len(self.geometries)

    def build(self, cancelled=lambda: False) -> bool:
        """Build the trees of the chunks not built yet, one chunk at a time.

        Stops early when ``cancelled()`` returns True; returns whether the index is complete.
        """
        while not self.complete:
            if cancelled():
                return False
            self._build_next()
        return True

    def _build_next(self) -> None:
        with self._lock:
            start = len(self._trees) * CHUNK
            if start < len(self.geometries):
                self._trees.append(shapely.STRtree(self.geometries[start:start + CHUNK]))

    def query(self, geometry, predicate: str | None = None, distance: float | None = None) -> np.ndarray:
        """Positions of the geometries that satisfy ``predicate`` with ``geometry``, ascending
        (as ``STRtree.query`` with one geometry; ``distance`` for ``"dwithin"``)."""
        self.build()
        found = []
        for number, tree in enumerate(self._trees):
            hits = tree.query(geometry, predicate=predicate, distance=distance)
            if len(hits):
                found.append(np.asarray(hits, dtype="int64") + number * CHUNK)
        if not found:
            return np.zeros(0, dtype="int64")
        return np.sort(np.concatenate(found))
