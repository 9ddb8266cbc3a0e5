"""Immutable drawing snapshots of layers, built with vectorised shapely 2 (no Qt here).

The canvas never draws from a layer that may change under it (CONVENTIONS.md, rule 6): when a
layer's data or style changes, the canvas builds a new snapshot and swaps it in. A snapshot holds
flat numpy arrays only, so a paint call can cull, classify and batch a million features with a
handful of vectorised operations:

``xy``
    all vertices of all rings (polygons: exterior, then holes; lines: each part; points: each part)
    concatenated, float64 (m, 2); ``x`` and ``y`` are views of its columns.
``ring_offsets``
    ring ``r`` is ``x[ring_offsets[r]:ring_offsets[r + 1]]``.
``feature_rings``
    feature ``i`` owns rings ``feature_rings[i]:feature_rings[i + 1]`` (none for empty geometries).
``feature_coords``, ``connect``
    feature ``i`` owns vertices ``feature_coords[i]:feature_coords[i + 1]`` (its rings are
    contiguous); ``connect`` is 0 on the last vertex of every ring, else 1 (``arrayToQPath``).
``bx0, by0, bx1, by1``, ``span``
    per-feature bounding box and its larger side, for culling and level of detail.
``codes``, ``symbols``
    the symbol class of each feature (``-1``: not drawn), from ``styles.symbol_for_features``.

Derived arrays the canvas needs on every frame (``span``, ``drawn``, the point positions of a point
layer) are computed once per snapshot and cached on it; :func:`prepared_snapshot` computes them
all, so a worker thread can hand the GUI a snapshot that is ready to draw.
:func:`layer_snapshot` / :func:`snapshot_for` are the one way a layer becomes a snapshot, in the GUI
thread or in a worker: they read only the data and style passed in.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property

import numpy as np
import shapely

from styles import SingleSymbol, SymbolStyle, default_style, symbol_for_features

GEOMETRY_KINDS = ("polygon", "line", "point")

# shapely type ids of the single-part geometries each kind keeps.
_SINGLE_TYPES = {"point": (0,), "line": (1, 2), "polygon": (3,)}
_KIND_OF_TYPE = {0: "point", 4: "point", 1: "line", 2: "line", 5: "line", 3: "polygon", 6: "polygon"}


def _readonly(array: np.ndarray) -> np.ndarray:
    array = np.ascontiguousarray(array)
    array.flags.writeable = False
    return array


def ranges(starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Concatenation of ``arange(s, e)`` for every pair, without a Python loop."""
    lengths = ends - starts
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    first = np.cumsum(lengths) - lengths
    return np.repeat(starts - first, lengths) + np.arange(total, dtype=np.int64)


@dataclass(frozen=True, eq=False)
class VectorSnapshot:
    """Flat, read-only arrays describing what a vector layer draws (see the module docstring)."""

    kind: str
    xy: np.ndarray
    ring_offsets: np.ndarray
    feature_rings: np.ndarray
    feature_coords: np.ndarray
    connect: np.ndarray
    bx0: np.ndarray
    by0: np.ndarray
    bx1: np.ndarray
    by1: np.ndarray
    codes: np.ndarray
    symbols: tuple[SymbolStyle, ...]

    @property
    def x(self) -> np.ndarray:
        return self.xy[:, 0]

    @property
    def y(self) -> np.ndarray:
        return self.xy[:, 1]

    @property
    def n(self) -> int:
        """Number of features (rows of the layer), drawn or not."""
        return len(self.codes)

    @cached_property
    def span(self) -> np.ndarray:
        """Larger side of each feature's bounding box in map units (NaN for empty features)."""
        return _readonly(np.maximum(self.bx1 - self.bx0, self.by1 - self.by0))

    @cached_property
    def drawn_mask(self) -> np.ndarray:
        """True for the features that have a geometry and a symbol."""
        return _readonly((self.codes >= 0) & np.isfinite(self.bx0))

    @cached_property
    def drawn(self) -> np.ndarray:
        """Indices of the features that have a geometry and a symbol."""
        return _readonly(np.flatnonzero(self.drawn_mask))

    @cached_property
    def drawn_extent(self) -> tuple[float, float, float, float] | None:
        """(xmin, ymin, xmax, ymax) of the drawn features, or None when none is drawn."""
        return self.bounds_of(self.drawn)

    @cached_property
    def centres(self) -> tuple[np.ndarray, np.ndarray]:
        """Centre (x, y) of each feature's bounding box."""
        return _readonly((self.bx0 + self.bx1) * 0.5), _readonly((self.by0 + self.by1) * 0.5)

    @cached_property
    def points(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(x, y, feature, code) of every drawn point of a point layer, in feature order.

        A multipoint feature has one entry per part; features without a symbol are left out.
        """
        counts = np.diff(self.feature_rings)
        starts = self.ring_offsets[:-1]
        if len(counts) == len(starts) and np.all(counts == 1):
            feature = np.arange(self.n, dtype=np.int64)  # one point per feature: no repeat needed
        else:
            feature = np.repeat(np.arange(self.n, dtype=np.int64), counts)
        codes = self.codes[feature]
        keep = codes >= 0
        if not keep.all():
            feature, codes, starts = feature[keep], codes[keep], starts[keep]
        return (_readonly(self.x[starts]), _readonly(self.y[starts]), _readonly(feature), _readonly(codes))

    @property
    def extent(self) -> tuple[float, float, float, float] | None:
        """(xmin, ymin, xmax, ymax) of all non-empty features, or None when there are none."""
        return self.bounds_of(np.arange(self.n))

    def gather(self, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Vertices of features ``ids`` and their connect flags (0 on the last vertex of each ring).

        The connect array follows ``pyqtgraph.functions.arrayToQPath``: ``connect[i] == 1`` joins
        vertex ``i`` to vertex ``i + 1``.
        """
        ids = np.asarray(ids, dtype=np.int64)
        index = ranges(self.feature_coords[ids], self.feature_coords[ids + 1])
        xy = self.xy[index]
        return xy[:, 0], xy[:, 1], self.connect[index]

    def subset(self, ids: np.ndarray) -> VectorSnapshot:
        """A snapshot of features ``ids`` only (in that order), e.g. for the selection overlay."""
        ids = np.asarray(ids, dtype=np.int64)
        rings = ranges(self.feature_rings[ids], self.feature_rings[ids + 1])
        ring_lengths = self.ring_offsets[rings + 1] - self.ring_offsets[rings]
        rings_per_feature = self.feature_rings[ids + 1] - self.feature_rings[ids]
        index = ranges(self.feature_coords[ids], self.feature_coords[ids + 1])
        return _snapshot(
            self.kind,
            self.xy[index],
            ring_lengths,
            rings_per_feature,
            np.column_stack([self.bx0[ids], self.by0[ids], self.bx1[ids], self.by1[ids]]),
            self.codes[ids],
            self.symbols,
        )

    def restyled(self, codes: np.ndarray, symbols) -> VectorSnapshot:
        """The same geometry with other symbol classes (a style change keeps the vertex arrays)."""
        codes = np.asarray(codes, dtype=np.int64)
        if codes.shape != self.codes.shape:
            raise ValueError(f"{codes.shape[0]} stijlcodes voor {self.n} objecten")
        return replace(self, codes=_readonly(codes), symbols=tuple(symbols))

    def bounds_of(self, ids: np.ndarray) -> tuple[float, float, float, float] | None:
        """Bounding box of features ``ids`` (None when none of them has a geometry)."""
        ids = np.asarray(ids, dtype=np.int64)
        ids = ids[np.isfinite(self.bx0[ids])]
        if len(ids) == 0:
            return None
        return (
            float(self.bx0[ids].min()),
            float(self.by0[ids].min()),
            float(self.bx1[ids].max()),
            float(self.by1[ids].max()),
        )


def geometry_kind(geoms: np.ndarray) -> str:
    """The kind ("polygon", "line" or "point") of most non-empty geometries; "polygon" when none."""
    type_ids = shapely.get_type_id(geoms)
    counts = {kind: 0 for kind in GEOMETRY_KINDS}
    for type_id, count in zip(*np.unique(type_ids[type_ids >= 0], return_counts=True)):
        kind = _KIND_OF_TYPE.get(int(type_id))
        if kind:
            counts[kind] += int(count)
    return max(counts, key=lambda k: counts[k]) if any(counts.values()) else "polygon"


def resolve_style(style, role, gdf):
    """The style to draw with: the layer's own, else the role default, else a plain grey symbol."""
    if style is not None:
        return style
    if role:
        try:
            found = default_style(role, gdf)
        except ValueError:
            found = None
        if found is not None:
            return found
    return SingleSymbol(SymbolStyle())


def vector_kind(layer) -> str:
    """"raster", "table", or the vector layer's geometry kind ("polygon", "line", "point")."""
    if getattr(layer, "raster", None) is not None:
        return "raster"
    return getattr(layer, "geometry_kind", None) or "polygon"


def feature_count(layer) -> int:
    """Number of rows of a vector layer (0 for rasters and layers without data)."""
    data = getattr(layer, "data", None)
    return len(data) if data is not None and getattr(layer, "raster", None) is None else 0


def snapshot_for(data, style, role=None, kind: str | None = None, previous: VectorSnapshot | None = None) -> VectorSnapshot:
    """Snapshot of ``data`` drawn with ``style`` (None: the role's default), ready to draw.

    With ``previous`` of the same length only the symbol classes are recomputed (a style change).
    Safe to call in a worker thread: it reads ``data`` and never changes it.
    """
    style = resolve_style(style, role, data)
    if previous is not None and previous.n == len(data):
        codes, symbols = symbol_for_features(style, data)
        return prepared_snapshot(previous.restyled(codes, symbols))
    return prepared_snapshot(build_vector_snapshot(data, style, kind=kind))


def layer_snapshot(layer, previous: VectorSnapshot | None = None) -> VectorSnapshot:
    """Snapshot of a vector layer with its current data and style (see :func:`snapshot_for`)."""
    return snapshot_for(layer.data, layer.style, getattr(layer, "role", None), vector_kind(layer), previous)


def prepared_snapshot(snapshot: VectorSnapshot) -> VectorSnapshot:
    """``snapshot`` with every derived array the canvas draws from computed (and cached)."""
    if snapshot.kind == "point":
        snapshot.points  # noqa: B018 - computes and caches
    else:
        snapshot.span, snapshot.centres  # noqa: B018
    snapshot.drawn_extent  # noqa: B018
    return snapshot


def build_vector_snapshot(gdf, style, kind: str | None = None) -> VectorSnapshot:
    """Snapshot of a GeoDataFrame (EPSG:28992) drawn with ``style``.

    Parameters
    ----------
    gdf : GeoDataFrame; rows keep their position (feature ``i`` is row ``i``).
    style : a ``styles`` vector style (SingleSymbol, Categorized, Graduated).
    kind : "polygon", "line" or "point"; guessed from the geometries when None. Geometries of
        another family (e.g. a point in a polygon layer) are not drawn.
    """
    geoms = np.asarray(gdf.geometry.array, dtype=object)
    if kind is None:
        kind = geometry_kind(geoms)
    if kind not in GEOMETRY_KINDS:
        raise ValueError(f"onbekend geometrietype {kind!r}: kies uit {', '.join(GEOMETRY_KINDS)}")
    codes, symbols = symbol_for_features(style, gdf)
    xy, ring_lengths, rings_per_feature = _flatten(geoms, kind)
    return _snapshot(kind, xy, ring_lengths, rings_per_feature, None, codes, symbols)


def _snapshot(kind, xy, ring_lengths, rings_per_feature, bounds, codes, symbols) -> VectorSnapshot:
    """Assemble a snapshot, deriving offsets, connect flags and (when None) bounds from the counts."""
    ring_offsets = np.zeros(len(ring_lengths) + 1, dtype=np.int64)
    np.cumsum(ring_lengths, out=ring_offsets[1:])
    feature_rings = np.zeros(len(rings_per_feature) + 1, dtype=np.int64)
    np.cumsum(rings_per_feature, out=feature_rings[1:])
    connect = np.ones(len(xy), dtype=np.int8)
    if kind == "point":
        connect[:] = 0
    else:
        connect[ring_offsets[1:][ring_lengths > 0] - 1] = 0
    feature_coords = ring_offsets[feature_rings]
    bounds = _feature_bounds(xy, feature_coords) if bounds is None else np.asarray(bounds, dtype="float64")
    return VectorSnapshot(
        kind=kind,
        xy=_readonly(xy),
        ring_offsets=_readonly(ring_offsets),
        feature_rings=_readonly(feature_rings),
        feature_coords=_readonly(feature_coords),
        connect=_readonly(connect),
        bx0=_readonly(bounds[:, 0]),
        by0=_readonly(bounds[:, 1]),
        bx1=_readonly(bounds[:, 2]),
        by1=_readonly(bounds[:, 3]),
        codes=_readonly(np.asarray(codes, dtype=np.int64)),
        symbols=tuple(symbols),
    )


def _feature_bounds(xy: np.ndarray, feature_coords: np.ndarray) -> np.ndarray:
    """(n, 4) bounding boxes from the vertices (NaN for empty features); cheaper than GEOS."""
    n = len(feature_coords) - 1
    bounds = np.full((n, 4), np.nan)
    filled = np.flatnonzero(np.diff(feature_coords) > 0)
    if len(filled):
        starts = feature_coords[filled]
        for column, (reduce, axis) in enumerate(
            ((np.minimum, 0), (np.minimum, 1), (np.maximum, 0), (np.maximum, 1))
        ):
            bounds[filled, column] = reduce.reduceat(xy[:, axis], starts)
    return bounds


def _flatten(geoms: np.ndarray, kind: str):
    """Vertices (m, 2), vertex count per ring and ring count per feature of ``geoms`` (vectorised)."""
    n = len(geoms)
    type_ids = shapely.get_type_id(geoms)
    single = np.isin(type_ids, _SINGLE_TYPES[kind])
    if np.all(single | (type_ids < 0)):
        part_feature = np.flatnonzero(single)
        parts = geoms[part_feature]
    else:
        parts, part_feature = shapely.get_parts(geoms, return_index=True)
        keep = np.isin(shapely.get_type_id(parts), _SINGLE_TYPES[kind])
        parts, part_feature = parts[keep], part_feature[keep]
    part_lengths = shapely.get_num_coordinates(parts)
    if not part_lengths.all():  # drop empty parts
        keep = part_lengths > 0
        parts, part_feature, part_lengths = parts[keep], part_feature[keep], part_lengths[keep]

    coords = _coordinates(parts)
    rings_per_part = np.ones(len(parts), dtype=np.int64)
    ring_lengths = part_lengths
    if kind == "polygon":
        holes = shapely.get_num_interior_rings(parts)
        if holes.any():
            rings_per_part = holes + 1
            ring_lengths = _polygon_ring_lengths(parts, holes, rings_per_part)

    if kind == "polygon" and len(coords):
        ring_offsets = np.zeros(len(ring_lengths) + 1, dtype=np.int64)
        np.cumsum(ring_lengths, out=ring_offsets[1:])
        exterior = np.zeros(len(ring_lengths), dtype=bool)
        exterior[np.cumsum(rings_per_part) - rings_per_part] = True
        coords = _orient_rings(coords, ring_offsets, exterior)
    rings_per_feature = np.bincount(part_feature, weights=rings_per_part, minlength=n).astype(np.int64)
    return coords, ring_lengths, rings_per_feature


#: GEOS calls that hold the GIL (creating arrays per geometry) work on this many geometries at a
#: time, so a snapshot built in a worker thread never stalls the GUI thread for long.
_GIL_CHUNK = 100_000


def _coordinates(parts: np.ndarray) -> np.ndarray:
    """``shapely.get_coordinates(parts)``, in chunks (it holds the GIL: ~150 ms per million parts)."""
    if len(parts) <= _GIL_CHUNK:
        return shapely.get_coordinates(parts)
    return np.concatenate([shapely.get_coordinates(parts[i : i + _GIL_CHUNK]) for i in range(0, len(parts), _GIL_CHUNK)])


def _orient_rings(xy, ring_offsets, exterior):
    """Give every exterior one orientation and every hole the other, so paths can use the
    non-zero winding rule.

    With that rule overlapping features of one symbol class stay filled (odd-even would punch a
    hole where two buildings overlap) while holes stay empty. Winding counts of either sign fill,
    so the majority convention of the source is kept and only rings that disagree are reversed:
    for consistent data (shapefiles, GeoPackages from one tool) nothing is copied.
    """
    x, y = xy[:, 0], xy[:, 1]
    cross = np.empty(len(xy), dtype=np.float64)
    np.multiply(x[:-1], y[1:], out=cross[:-1])
    cross[:-1] -= x[1:] * y[:-1]
    cross[-1] = 0.0
    cross[ring_offsets[1:] - 1] = 0.0  # the pair (last vertex of a ring, first of the next) is no edge
    positive = np.add.reduceat(cross, ring_offsets[:-1]) > 0
    ccw_exteriors = np.count_nonzero(positive & exterior) * 2 >= np.count_nonzero(exterior)
    flip = np.where(exterior, positive != ccw_exteriors, positive == ccw_exteriors)
    flip &= np.diff(ring_offsets) > 0
    if not flip.any():
        return xy
    starts, stops = ring_offsets[:-1][flip], ring_offsets[1:][flip]
    index = np.arange(len(xy), dtype=np.int64)
    forward = ranges(starts, stops)
    index[forward] = np.repeat(starts + stops - 1, stops - starts) - forward
    return xy[index]


def _polygon_ring_lengths(parts: np.ndarray, holes: np.ndarray, rings_per_part: np.ndarray) -> np.ndarray:
    """Vertex count of every ring, in ``get_coordinates`` order, asking GEOS only for holed parts."""
    first_ring = np.cumsum(rings_per_part) - rings_per_part
    lengths = np.zeros(int(rings_per_part.sum()), dtype=np.int64)
    plain = holes == 0
    lengths[first_ring[plain]] = shapely.get_num_coordinates(parts[plain])
    holed = np.flatnonzero(~plain)
    rings = shapely.get_rings(parts[holed])
    slots = ranges(first_ring[holed], first_ring[holed] + rings_per_part[holed])
    lengths[slots] = shapely.get_num_coordinates(rings)
    return lengths


def raster_rgba(array: np.ndarray, style) -> np.ndarray:
    """RGBA uint8 image (rows, cols, 4) of ``array`` coloured by a ``RasterStyle``; NaN transparent.

    The ramp is sampled once into a 256-entry lookup table, so a large grid costs one index pass.
    """
    from styles import ramp_values

    array = np.asarray(array, dtype="float64")
    if array.ndim != 2:
        raise ValueError(f"raster moet 2-dimensionaal zijn, niet {array.ndim}-dimensionaal")
    vmin, vmax = float(style.vmin), float(style.vmax)
    lut = np.rint(ramp_values(style.ramp, np.linspace(vmin, vmax, 256), vmin, vmax) * 255).astype(np.uint8)
    span = vmax - vmin
    nan = ~np.isfinite(array)
    if span > 0:
        index = np.clip(np.rint((np.where(nan, vmin, array) - vmin) * (255.0 / span)), 0, 255).astype(np.uint8)
    else:
        index = np.zeros(array.shape, dtype=np.uint8)
    rgba = lut[index]
    rgba[nan, 3] = 0
    return rgba
