"""Point-in-polygon tests on prepared polygons that belong to the caller alone.

A prepared GEOS geometry builds its point index lazily, on its first tests, and GEOS does not
lock that (libgeos/geos#825): two threads testing the same newly prepared polygon at once can
corrupt the heap. shapely prepares in place, and ``shapely.contains_xy`` / ``intersects_xy``
prepare their polygon argument themselves when it is not prepared yet. So a polygon stored in a
layer (read by the window, a scan, a report at the same time) must never be handed to them:
:func:`private_prepared` gives copies that no other thread can see, and :func:`private_xy` tests
points against such copies. The copies are a WKB round trip through shapely's public API
(exactly the same coordinates); the polygon layers tested this way are small.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import shapely


def private_prepared(geometries):
    """Prepared copies of ``geometries`` (one geometry or an array) that only the caller holds.

    Missing geometries stay missing. Never prepares ``geometries`` themselves."""
    copies = shapely.from_wkb(shapely.to_wkb(geometries))
    shapely.prepare(copies)
    return copies


def private_for(polygons: np.ndarray, which: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(prepared private copies of the polygons that ``which`` names, ``which`` numbered into
    those copies): ``copies[local]`` tests like ``polygons[which]``, each polygon copied once
    however often it is named."""
    polygons = np.asarray(polygons, dtype=object)
    which = np.asarray(which, dtype="int64")
    # (a count and a lookup table, linear: np.unique would sort a million positions)
    used = np.flatnonzero(np.bincount(which, minlength=len(polygons)))
    lookup = np.zeros(len(polygons), dtype="int64")
    lookup[used] = np.arange(used.size)
    return private_prepared(polygons[used]), lookup[which]


def private_xy(func: Callable[..., np.ndarray], polygons: np.ndarray, which: np.ndarray,
               x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """``func(polygons[which], x, y)`` for a point predicate such as ``shapely.intersects_xy``,
    on private prepared copies of the polygons (:func:`private_for`)."""
    copies, local = private_for(polygons, which)
    return np.asarray(func(copies[local], x, y), dtype=bool)
