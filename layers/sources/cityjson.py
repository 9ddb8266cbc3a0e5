"""CityJSON (3D BAG tiles) to 2D building footprints with heights.

Reads CityJSON 1.x/2.0 files (``*.city.json``) and CityJSON Text Sequences
(``*.city.jsonl``, as the 3D BAG API serves them) with plain ``json`` and numpy.
One row per top-level city object (``Building``); its ``BuildingPart`` children
are merged into it. The footprint is the LoD0 surface when present, else the
union of the ground surfaces of the LoD1.2 / 1.3 / 2.2 solids projected to 2D
(without semantic surfaces: the faces lying at the lowest z of the object).

Heights come from the attributes (``b3_h_maaiveld`` / ``h_maaiveld``, …); where
they are missing they are computed from the z values of the geometry, which
CityJSON stores in m NAP for the 3D BAG: ``h_maaiveld`` = lowest z,
``h_dak_min`` / ``h_dak_50p`` / ``h_dak_70p`` / ``h_dak_max`` = minimum, median,
70th percentile and maximum z of the roof vertices (``RoofSurface`` faces of the
most detailed LoD with semantics, else the faces above the ground).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from layers.errors import DataError
from layers.messages import LoadReport
from layers.texts import Translatable

RD_NEW = "EPSG:28992"
#: Compound CRSs (horizontal + NAP height) whose horizontal part is RD New.
_RD_COMPOUND = {"7415", "28992"}
#: Height attributes, in their modern (``b3_``) form, filled from the geometry when missing.
HEIGHT_ATTRIBUTES = ("h_maaiveld", "h_dak_min", "h_dak_50p", "h_dak_70p", "h_dak_max")
_ROOF_QUANTILES = {"h_dak_min": 0.0, "h_dak_50p": 0.5, "h_dak_70p": 0.7, "h_dak_max": 1.0}
_GROUND_TOLERANCE_M = 0.05
_SURFACE_KINDS = {"GroundSurface": 1, "RoofSurface": 2}


@dataclass
class _Faces:
    """Flat arrays describing every face of the selected geometries.

    ``ring_vertex`` holds vertex indices of all rings, ``ring_of_vertex`` the ring
    each entry belongs to, ``face_of_ring`` the face of each ring (first ring of a
    face is its exterior), ``object_of_face`` the output row, ``kind_of_face`` 0
    (no semantics / other), 1 ground, 2 roof, and ``lod_of_face`` the LoD number.
    """

    ring_vertex: list[int] = field(default_factory=list)
    ring_of_vertex: list[int] = field(default_factory=list)
    face_of_ring: list[int] = field(default_factory=list)
    object_of_face: list[int] = field(default_factory=list)
    kind_of_face: list[int] = field(default_factory=list)
    lod_of_face: list[float] = field(default_factory=list)
    semantic_of_face: list[bool] = field(default_factory=list)

    def add_surface(self, rings, row: int, kind: int, lod: float, has_semantics: bool, offset: int) -> None:
        face = len(self.object_of_face)
        for ring in rings:
            ring_id = len(self.face_of_ring)
            self.face_of_ring.append(face)
            self.ring_vertex.extend(int(v) + offset for v in ring)
            self.ring_of_vertex.extend([ring_id] * len(ring))
        self.object_of_face.append(row)
        self.kind_of_face.append(kind)
        self.lod_of_face.append(lod)
        self.semantic_of_face.append(has_semantics)


def read_cityjson(path: str | Path, *, lod: str | None = None, report: LoadReport | None = None) -> gpd.GeoDataFrame:
    """Read a CityJSON file into one footprint row per building.

    Parameters
    ----------
    path
        ``.city.json`` / ``.json`` (CityJSON) or ``.city.jsonl`` (CityJSONSeq).
    lod
        Use only geometries of this LoD for the footprint and the roof heights
        (e.g. ``"2.2"``); default: LoD0 for the footprint when present, else the
        most detailed LoD with semantic surfaces.
    report
        Receives the CRS warning and counts.

    Returns
    -------
    GeoDataFrame in the file's horizontal CRS (RD New for the 3D BAG) with the
    column ``cityobject_id``, every attribute as published, the height columns
    (computed ones where the file has none), ``hoogte_bron`` and ``lod``.
    """
    path = Path(path)
    report = report if report is not None else LoadReport(source=path.name)
    document, features = _load(path)
    transform = document.get("transform") or {}
    scale = np.asarray(transform.get("scale", (1.0, 1.0, 1.0)), dtype=float)
    translate = np.asarray(transform.get("translate", (0.0, 0.0, 0.0)), dtype=float)

    vertex_blocks: list[np.ndarray] = []
    city_objects: dict[str, dict] = {}
    owners: dict[str, int] = {}
    faces = _Faces()
    offset = 0
    rows: list[dict] = []
    for feature in features:
        vertices = np.asarray(feature.get("vertices") or np.empty((0, 3)), dtype=float).reshape(-1, 3)
        objects = feature.get("CityObjects") or {}
        city_objects.update(objects)
        for object_id, obj in objects.items():
            if obj.get("parents"):
                continue
            row = len(rows)
            attributes = dict(obj.get("attributes") or {})
            attributes["cityobject_id"] = object_id
            rows.append(attributes)
            owners[object_id] = row
            for child_id in _descendants(object_id, objects):
                owners[child_id] = row
        for object_id, obj in objects.items():
            row = owners.get(object_id)
            if row is None:
                continue
            for geometry in obj.get("geometry") or []:
                _collect(geometry, row, faces, offset)
        vertex_blocks.append(vertices * scale + translate)
        offset += len(vertices)
    if not rows:
        raise DataError(Translatable("bevat geen gebouwen (CityObjects)"), path=path)
    coords = np.vstack(vertex_blocks) if vertex_blocks else np.empty((0, 3))
    table = pd.DataFrame(rows)
    footprints, lods, heights = _footprints_and_heights(coords, faces, len(rows), lod)
    table["lod"] = lods
    _fill_heights(table, heights)
    crs = _crs(document, report, path)
    gdf = gpd.GeoDataFrame(table, geometry=footprints, crs=crs)
    missing = int(gdf.geometry.isna().sum())
    if missing:
        report.warning(Translatable("{n} gebouwen zonder bruikbare grondvlakgeometrie overgeslagen", n=missing))
        report.add("dropped_empty", missing)
        gdf = gdf[gdf.geometry.notna()].reset_index(drop=True)
    return gdf


def _load(path: Path) -> tuple[dict, list[dict]]:
    """The CityJSON document (header) and its features (the document itself for plain CityJSON)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DataError(Translatable("kan het bestand niet lezen ({reason})", reason=exc.strerror), path=path) from exc
    try:
        stripped = text.lstrip()
        if stripped.startswith("{") and "\n{" in stripped.rstrip() and path.suffix == ".jsonl":
            lines = [json.loads(line) for line in stripped.splitlines() if line.strip()]
        else:
            lines = [json.loads(text)]
    except json.JSONDecodeError as exc:
        raise DataError(Translatable("is geen geldige JSON (regel {line})", line=exc.lineno), path=path) from exc
    header = lines[0]
    if header.get("type") != "CityJSON":
        raise DataError(Translatable("is geen CityJSON-bestand (type ontbreekt)"), path=path)
    features = [header] + [line for line in lines[1:] if line.get("type") == "CityJSONFeature"]
    return header, features


def _descendants(object_id: str, objects: dict[str, dict]) -> list[str]:
    out, stack = [], list(objects.get(object_id, {}).get("children") or [])
    while stack:
        child = stack.pop()
        out.append(child)
        stack.extend(objects.get(child, {}).get("children") or [])
    return out


def _collect(geometry: dict, row: int, faces: _Faces, offset: int) -> None:
    """Append every surface of one CityJSON geometry with its semantic kind."""
    gtype = geometry.get("type")
    try:
        lod = float(geometry.get("lod", 0))
    except (TypeError, ValueError):
        lod = 0.0
    boundaries = geometry.get("boundaries") or []
    semantics = geometry.get("semantics") or {}
    kinds = [_SURFACE_KINDS.get(s.get("type"), 0) for s in semantics.get("surfaces") or []]
    values = semantics.get("values")
    has_semantics = bool(kinds) and values is not None
    if gtype in ("MultiSurface", "CompositeSurface"):
        surfaces = [(boundaries, values)]
    elif gtype == "Solid":
        surfaces = [(shell, values[i] if has_semantics else None) for i, shell in enumerate(boundaries)]
    elif gtype in ("MultiSolid", "CompositeSolid"):
        surfaces = [
            (shell, values[i][j] if has_semantics else None)
            for i, solid in enumerate(boundaries)
            for j, shell in enumerate(solid)
        ]
    else:
        return
    for shell, shell_values in surfaces:
        for k, rings in enumerate(shell):
            index = shell_values[k] if shell_values is not None and k < len(shell_values) else None
            kind = kinds[index] if index is not None and index < len(kinds) else 0
            faces.add_surface(rings, row, kind, lod, has_semantics, offset)


def _footprints_and_heights(coords: np.ndarray, faces: _Faces, n_rows: int, lod: str | None):
    """Vectorised: footprint per row from the chosen faces, and roof / ground heights."""
    footprints = np.full(n_rows, None, dtype=object)
    lods = np.full(n_rows, None, dtype=object)
    heights = {name: np.full(n_rows, np.nan) for name in HEIGHT_ATTRIBUTES}
    if not faces.object_of_face:
        return footprints, lods, heights
    ring_vertex = np.asarray(faces.ring_vertex, dtype=np.int64)
    ring_of_vertex = np.asarray(faces.ring_of_vertex, dtype=np.int64)
    face_of_ring = np.asarray(faces.face_of_ring, dtype=np.int64)
    face_row = np.asarray(faces.object_of_face, dtype=np.int64)
    face_kind = np.asarray(faces.kind_of_face, dtype=np.int64)
    face_lod = np.asarray(faces.lod_of_face, dtype=float)
    face_sem = np.asarray(faces.semantic_of_face, dtype=bool)
    face_of_vertex = face_of_ring[ring_of_vertex]
    z = coords[ring_vertex, 2]

    # Per row the LoD to use: the requested one, else the highest LoD ≥ 1 (semantics preferred).
    solid_lod = np.where(face_lod >= 1.0, face_lod + np.where(face_sem, 10.0, 0.0), -np.inf)
    if lod is not None:
        solid_lod = np.where(face_lod == float(lod), solid_lod, -np.inf)
    best = np.full(n_rows, -np.inf)
    np.maximum.at(best, face_row, solid_lod)
    use_face = (solid_lod == best[face_row]) & np.isfinite(best[face_row])
    face_is_lod0 = face_lod < 1.0
    has_lod0 = np.zeros(n_rows, dtype=bool)
    has_lod0[face_row[face_is_lod0]] = True

    # Ground level: lowest z of the chosen geometry (or of everything).
    face_zmin = np.full(len(face_row), np.inf)
    face_zmax = np.full(len(face_row), -np.inf)
    np.minimum.at(face_zmin, face_of_vertex, z)
    np.maximum.at(face_zmax, face_of_vertex, z)
    row_zmin = np.full(n_rows, np.inf)
    np.minimum.at(row_zmin, face_row[use_face], face_zmin[use_face])
    heights["h_maaiveld"] = np.where(np.isfinite(row_zmin), row_zmin, np.nan)

    ground = use_face & np.where(
        face_sem, face_kind == 1, face_zmax <= row_zmin[face_row] + _GROUND_TOLERANCE_M
    )
    roof = use_face & np.where(face_sem, face_kind == 2, face_zmin > row_zmin[face_row] + _GROUND_TOLERANCE_M)
    footprint_face = np.where(has_lod0[face_row] & (lod is None), face_is_lod0, ground)

    # Roof heights: grouped quantiles over the unique roof vertices of each row.
    roof_vertex = roof[face_of_vertex]
    if roof_vertex.any():
        rv_row = face_row[face_of_vertex[roof_vertex]]
        rv_idx = ring_vertex[roof_vertex]
        pairs = np.unique(np.stack([rv_row, rv_idx], axis=1), axis=0)
        for name, q in _ROOF_QUANTILES.items():
            heights[name] = _grouped_quantile(pairs[:, 0], coords[pairs[:, 1], 2], q, n_rows)

    # Footprints: 2D polygons of the selected faces, dissolved per row.
    selected_vertex = footprint_face[face_of_vertex]
    if selected_vertex.any():
        xy = coords[ring_vertex[selected_vertex], :2]
        ring_ids = ring_of_vertex[selected_vertex]
        _, ring_index = np.unique(ring_ids, return_inverse=True)
        rings = shapely.linearrings(xy, indices=ring_index)
        ring_face = face_of_ring[np.unique(ring_ids)]
        _, poly_index = np.unique(ring_face, return_inverse=True)
        polygons = shapely.polygons(rings, indices=poly_index)
        poly_row = face_row[np.unique(ring_face)]
        polygons = shapely.make_valid(polygons)
        keep = shapely.area(polygons) > 1e-6
        parts = gpd.GeoDataFrame({"row": poly_row[keep]}, geometry=polygons[keep])
        if len(parts):
            dissolved = parts.dissolve(by="row", grid_size=0.001)
            footprints[dissolved.index.to_numpy()] = _polygonal(dissolved.geometry.to_numpy())
        lod_of_row = np.full(n_rows, -np.inf)
        np.maximum.at(lod_of_row, face_row[footprint_face], face_lod[footprint_face])
        lods = np.where(np.isfinite(lod_of_row), np.char.mod("%.1f", lod_of_row).astype(object), None)
    return footprints, lods, heights


def _polygonal(geoms: np.ndarray) -> np.ndarray:
    """Keep only the polygon parts (dissolve can leave slivers as lines)."""
    parts, index = shapely.get_parts(geoms, return_index=True)
    is_poly = shapely.get_type_id(parts) == 3
    out = np.full(len(geoms), None, dtype=object)
    if is_poly.any():
        frame = gpd.GeoDataFrame({"i": index[is_poly]}, geometry=parts[is_poly])
        merged = frame.dissolve(by="i")
        out[merged.index.to_numpy()] = merged.geometry.to_numpy()
    return out


def _grouped_quantile(groups: np.ndarray, values: np.ndarray, q: float, n_groups: int) -> np.ndarray:
    """Linear-interpolated quantile ``q`` of ``values`` per group (vectorised, like np.percentile)."""
    order = np.lexsort((values, groups))
    g, v = groups[order], values[order]
    counts = np.bincount(g, minlength=n_groups)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    out = np.full(n_groups, np.nan)
    present = counts > 0
    pos = q * (counts[present] - 1)
    lower = np.floor(pos).astype(np.int64)
    upper = np.ceil(pos).astype(np.int64)
    base = starts[present]
    frac = pos - lower
    out[present] = v[base + lower] * (1 - frac) + v[base + upper] * frac
    return out


def _fill_heights(table: pd.DataFrame, heights: dict[str, np.ndarray]) -> None:
    """Use published height attributes; compute only the missing ones from the geometry.

    A file with ``b3_`` attributes gets computed values under ``b3_`` names too, so
    each height lives in exactly one column.
    """
    prefix = "b3_" if any(str(c).startswith("b3_") for c in table.columns) else ""
    sources = np.full(len(table), "attribuut", dtype=object)
    for name, computed in heights.items():
        column = next((c for c in (f"b3_{name}", name) if c in table.columns), f"{prefix}{name}")
        published = pd.to_numeric(table[column], errors="coerce") if column in table.columns else None
        if published is None:
            table[column] = computed
            sources[~np.isnan(computed)] = "geometrie"
            continue
        fill = published.isna().to_numpy() & ~np.isnan(computed)
        table[column] = published.where(~fill, computed)
        sources[fill] = "geometrie"
    table["hoogte_bron"] = sources


def _crs(document: dict, report: LoadReport, path: Path) -> str:
    """Horizontal CRS from ``metadata.referenceSystem``; RD New assumed (with a warning) when absent."""
    reference = str((document.get("metadata") or {}).get("referenceSystem") or "")
    match = re.search(r"EPSG(?:/0/|::?)(\d+)", reference, flags=re.IGNORECASE)
    if not match:
        report.warning(Translatable("CityJSON zonder referentiesysteem: RD New (EPSG:28992) met NAP-hoogten aangenomen"))
        return RD_NEW
    code = match.group(1)
    if code in _RD_COMPOUND:
        return RD_NEW
    from pyproj import CRS

    crs = CRS.from_epsg(int(code))
    if crs.is_compound and crs.sub_crs_list:
        crs = crs.sub_crs_list[0]
    return crs.to_string()


def is_cityjson(path: str | Path) -> bool:
    """True when the file starts like a CityJSON document (reads at most 4 KiB)."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(4096).decode("utf-8", errors="ignore")
    except OSError:
        return False
    return re.search(r'"type"\s*:\s*"CityJSON"', head) is not None
