"""Readers registered by file pattern and priority, and the one way to load a layer.

A reader is a class decorated with :func:`register_reader`; it has ``can_read(path)``
(cheap, may decline a file), ``list_layers(path)`` and
``read(path, layer=None, options=None) -> RawData``. :func:`read_layer` picks the
reader, reads, normalises the CRS, cleans geometries and maps columns onto the role.
Readers for further sources register themselves from ``layers/sources/*.py``.

``options`` passed to ``read`` may hold ``role`` (used to choose a layer in a
multi-layer file) besides the reader's own options (``encoding``, ``crs``, ``sep``,
``wkt``, ``x``, ``y``, ``band``, ``units``).
"""

from __future__ import annotations

import dataclasses
import fnmatch
import importlib
import importlib.util
import json
import math
import pkgutil
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from layers.crs import RD_NEW, check_extent, crs_label, is_rd, needs_reprojection, raster_to_project_crs, to_project_crs
from layers.errors import DataError
from layers.geometry import clean_geometries, geometry_kind, in_threads
from layers.layer import Layer, RasterLayer, VectorLayer
from layers.messages import LoadReport
from layers.raster import RasterData, rgba_from_bands
from layers.roles import LAYER_NAME_ALIASES, REFERENCE_ROLE, ROLES, ColumnReport, column_key, guess_role, map_columns
from layers.roles import _geometry_fits  # the one place that knows which roles take two kinds
from layers.texts import Translatable

_USE_ARROW = importlib.util.find_spec("pyarrow") is not None
#: Units per raster role, used when the GeoTIFF does not say.
RASTER_UNITS = {"bodemdaling": "cm", "overstromingsdiepte": "m", "kwel": ""}


@dataclass
class RawData:
    """What a reader returns, before CRS normalisation, cleaning and column mapping.

    ``frame`` is a GeoDataFrame, or a DataFrame for tables; ``raster`` is set instead for
    grids (already in EPSG:28992: readers of grids warp them themselves).
    """

    frame: pd.DataFrame | None = None
    raster: RasterData | None = None
    driver: str = ""
    layer: str | None = None
    layers: list[str] = field(default_factory=list)
    crs: str | None = None
    report: LoadReport = field(default_factory=LoadReport)
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class _Registration:
    patterns: tuple[str, ...]
    priority: int
    order: int
    reader: Any

    @property
    def is_fallback(self) -> bool:
        return self.patterns == ("*",)

    def matches(self, name: str) -> bool:
        return any(fnmatch.fnmatch(name, p.lower()) for p in self.patterns)


_REGISTRY: list[_Registration] = []
_SOURCES_LOADED = False
_SOURCES_LOCK = threading.RLock()  # layers are read from several threads at once


def register_reader(patterns: tuple[str, ...] = ("*.gpkg",), priority: int = 0) -> Callable[[type], type]:
    """Class decorator registering a reader for file name ``patterns`` (case-insensitive).

    Readers with a higher ``priority`` are asked first; a reader may decline a file in
    ``can_read``. The pattern ``"*"`` marks a fallback, asked only when no other pattern
    matches the file name.
    """
    if isinstance(patterns, str):
        patterns = (patterns,)

    def decorate(cls: type) -> type:
        _REGISTRY.append(_Registration(tuple(patterns), int(priority), len(_REGISTRY), cls()))
        return cls

    return decorate


def registered_readers() -> list[Any]:
    """All reader instances, highest priority first."""
    _load_sources()
    return [r.reader for r in sorted(_REGISTRY, key=lambda r: (-r.priority, r.order))]


_URL = re.compile(r"^([a-z][a-z0-9+.\-]*://|pg:)", re.I)


def is_url(source: str | Path) -> bool:
    """Whether ``source`` is a URL or connection string (``https://…``, ``postgresql://…``, ``PG:…``)."""
    return isinstance(source, str) and bool(_URL.match(source))


def _source(path: str | Path) -> str | Path:
    """URLs stay strings (``Path`` would mangle ``//``); everything else becomes a Path."""
    return path if is_url(path) else Path(path)


def _name(source: str | Path) -> str:
    return source if isinstance(source, str) else source.name


def _stem(source: str | Path) -> str:
    if isinstance(source, str):
        return source.rstrip("/").rsplit("/", 1)[-1].split("?", 1)[0] or source
    return source.stem


def find_reader(path: str | Path) -> Any:
    """The reader for ``path`` (a file or a URL); ``DataError`` naming it when none accepts it."""
    path = path if is_url(path) else _check_path(path)
    _load_sources()
    name = _name(path).lower()
    ranked = sorted(_REGISTRY, key=lambda r: (-r.priority, r.order))
    specific = [r for r in ranked if not r.is_fallback and r.matches(name)]
    candidates = specific or [r for r in ranked if r.is_fallback]
    for registration in candidates:
        if registration.reader.can_read(path):
            return registration.reader
    for registration in specific:
        reason = getattr(registration.reader, "why_not", lambda p: None)(path)
        if reason:
            raise DataError(reason, path)
    if specific:
        # name the format of the generic reader (GeoPackage), not a specialised one (capaciteitskaart)
        generic = min(specific, key=lambda r: (r.priority, -r.order))
        label = getattr(generic.reader, "label", "") or path.suffix
        raise DataError(Translatable("geen geldig {label}-bestand (beschadigd, leeg of een ander formaat)", label=label), path)
    raise DataError(Translatable("onbekend bestandsformaat; lees GeoPackage, GeoJSON, Shapefile, FlatGeobuf, CSV of GeoTIFF"),
                    path)


def _load_sources() -> None:
    """Import ``layers.sources.*`` once so their readers register themselves."""
    global _SOURCES_LOADED
    if _SOURCES_LOADED:
        return
    with _SOURCES_LOCK:  # a second thread waits until every reader is registered
        if _SOURCES_LOADED:
            return
        if importlib.util.find_spec("layers.sources") is not None:
            package = importlib.import_module("layers.sources")
            for info in pkgutil.iter_modules(package.__path__):
                importlib.import_module(f"layers.sources.{info.name}")
        _SOURCES_LOADED = True


def _check_path(path: str | Path) -> Path:
    path = Path(path)
    if not path.exists():
        raise DataError(Translatable("bestand bestaat niet"), path)
    if path.is_dir():
        if path.suffix.lower() == ".gdb":
            return path
        raise DataError(Translatable("dit is een map, geen bestand"), path)
    if path.stat().st_size == 0:
        raise DataError(Translatable("bestand is leeg"), path)
    return path


def _head(path: Path, n: int = 4096) -> bytes:
    with path.open("rb") as fh:
        return fh.read(n)


# --------------------------------------------------------------------------- layer choice


def choose_layer(
    layers: list[str], requested: str | None, role: str | None, path: Path, report: LoadReport
) -> str:
    """The layer to read from a multi-layer source.

    ``requested`` wins (``DataError`` listing the layers when absent); one layer is
    taken as is; otherwise the layer named like the role or a known alias (``pand`` for
    ``gebouwen``), else the first, with a message listing the others.
    """
    if not layers:
        raise DataError(Translatable("bevat geen lagen"), path)
    if requested is not None:
        for name in layers:
            if name == requested or name.lower() == str(requested).lower():
                return name
        raise DataError(Translatable("laag '{layer}' bestaat niet; beschikbare lagen: {layers}", layer=requested,
                                     layers=", ".join(layers)), path)
    if len(layers) == 1:
        return layers[0]
    chosen = _layer_for_role(layers, role) if role else None
    others = ", ".join(name for name in layers if name != (chosen or layers[0]))
    if chosen is not None:
        report.info(Translatable("laag '{layer}' gekozen voor rol '{role}'; overige lagen: {others}", layer=chosen, role=role,
                                 others=others))
        return chosen
    report.warning(Translatable("bestand heeft {n} lagen; de eerste, '{layer}', is gekozen; overige lagen: {others}",
                                n=len(layers), layer=layers[0], others=others))
    return layers[0]


def _layer_for_role(layers: list[str], role: str) -> str | None:
    wanted = [column_key(a) for a in (role, *LAYER_NAME_ALIASES.get(role, ()))]
    keys = {column_key(name): name for name in reversed(layers)}
    for key in wanted:
        if key in keys:
            return keys[key]
    for key in wanted:
        for name in layers:
            if key and key in column_key(name):
                return name
    return None


def role_from_name(name: str, geometry_kind: str) -> str | None:
    """A role suggested by a file or layer name (``bodemdaling.tif``), if its geometry fits."""
    key = column_key(name)
    for role, aliases in LAYER_NAME_ALIASES.items():
        fits = ROLES[role].geometry == geometry_kind
        if fits and any(column_key(a) in key for a in aliases if len(a) > 2):
            return role
    return None


# --------------------------------------------------------------------------- OGR readers


class _OgrReader:
    """Vector formats read through pyogrio (GDAL/OGR)."""

    label = "vector"
    magic: tuple[bytes, ...] = ()

    def can_read(self, path: Path) -> bool:
        path = Path(path)
        if not path.is_file():
            return False
        return not self.magic or _head(path, 16).startswith(self.magic)

    def list_layers(self, path: Path) -> list[str]:
        try:
            return [str(name) for name, _ in pyogrio.list_layers(path)]
        except Exception as exc:  # GDAL raises various errors for broken files
            raise DataError(Translatable("kan {label}-bestand niet openen ({reason})", label=self.label,
                                         reason=_gdal_reason(exc)), path) from exc

    def read(self, path: Path, layer: str | None = None, options: dict | None = None) -> RawData:
        path = Path(path)
        options = dict(options or {})
        report = LoadReport(source=path.name)
        layers = self.list_layers(path)
        chosen = choose_layer(layers, layer, options.get("role"), path, report)
        encoding = options.get("encoding") or None
        bbox = _bbox_option(options.get("bbox"), path)

        def keep(table):
            return self._keep_rows(path, chosen, table, report, options)

        try:
            info, frame = self._read_ogr(path, chosen, encoding, bbox, keep)
        except UnicodeError:
            if encoding is not None:
                raise DataError(Translatable("tekst in het bestand is geen geldige {encoding}; geef de juiste codering op "
                                             "(optie encoding, bijvoorbeeld \"cp1252\")", encoding=encoding), path) from None
            info, frame = self._read_fallback_encoding(path, chosen, report, bbox, keep)
        frame = _assign_crs(frame, options.get("crs"), report, path)
        return RawData(
            frame=frame,
            driver=str(info.get("driver", "")),
            layer=chosen,
            layers=layers,
            crs=crs_label(info.get("crs")),
            report=report,
            extra={"encoding": info.get("encoding")},
        )


    def _keep_rows(self, path: Path, layer: str, table: pa.Table, report: LoadReport, options: dict) -> np.ndarray | None:
        """Which rows of the layer, read as an Arrow table, to keep (a boolean mask; None: all),
        decided before any geometry or frame is made of them. Every row, here; the readers of
        published layers drop the rows their rules drop later anyway (BAG: see
        :mod:`layers.sources.registered`), so those are never copied."""
        return None

    def _read_ogr(self, path: Path, layer: str, encoding: str | None,
                  bbox: tuple[float, float, float, float] | None = None,
                  keep: Callable[[pa.Table], np.ndarray | None] | None = None) -> tuple[dict, pd.DataFrame]:
        """pyogrio read; ``UnicodeError`` when text is not in the declared encoding, else DataError."""
        kwargs = {"encoding": encoding} if encoding else {}
        try:
            info = pyogrio.read_info(path, layer=layer, **kwargs)
            frame = _read_dataframe(path, layer, {**kwargs, "bbox": bbox} if bbox else kwargs, keep)
            _check_text(frame)
        except UnicodeError:
            raise
        except Exception as exc:
            raise DataError(Translatable("kan {label}-bestand niet lezen ({reason})", label=self.label,
                                         reason=_gdal_reason(exc)), path) from exc
        return info, frame

    def _read_fallback_encoding(self, path: Path, layer: str, report: LoadReport,
                                bbox: tuple[float, float, float, float] | None = None,
                                keep: Callable[[pa.Table], np.ndarray | None] | None = None) -> tuple[dict, pd.DataFrame]:
        """Read again as cp1252 (Windows-1252), the usual encoding of Dutch files that lie about theirs."""
        try:
            declared = pyogrio.read_info(path, layer=layer).get("encoding") or "UTF-8"
        except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, OSError):  # only used in the message
            declared = "UTF-8"
        try:
            info, frame = self._read_ogr(path, layer, _FALLBACK_ENCODING, bbox, keep)
        except UnicodeError:
            raise DataError(Translatable("tekst in het bestand is geen geldige {declared} en ook geen {fallback}; "
                                         "geef de juiste codering op (optie encoding)", declared=declared,
                                         fallback=_FALLBACK_ENCODING), path) from None
        cpg = path.suffix.lower() == ".shp" and path.with_suffix(".cpg").exists()
        where = Translatable("het .cpg-bestand") if cpg else Translatable("het bestand")
        report.warning(Translatable("tekst is geen geldige {declared} zoals {where} aangeeft; gelezen als {fallback} "
                                    "(Windows-1252); controleer namen met accenten", declared=declared, where=where,
                                    fallback=_FALLBACK_ENCODING))
        report.add("encoding_fallback", 1)
        return info, frame


_FALLBACK_ENCODING = "cp1252"


def _bbox_option(value: Any, path: Path) -> tuple[float, float, float, float] | None:
    """The ``bbox`` read option: ``[xmin, ymin, xmax, ymax]`` in the file's own CRS, or None.

    Only features whose bounding box intersects it are read (through the file's spatial
    index where it has one); the tiled scan reads large building layers tile by tile this way.
    """
    if value is None:
        return None
    try:
        xmin, ymin, xmax, ymax = (float(v) for v in value)
    except (TypeError, ValueError):
        raise DataError(Translatable("optie bbox moet vier getallen zijn [xmin, ymin, xmax, ymax], niet {value}",
                                     value=repr(value)), path) from None
    if not all(np.isfinite([xmin, ymin, xmax, ymax])) or xmin > xmax or ymin > ymax:
        raise DataError(Translatable("optie bbox {value} is geen geldige rechthoek (xmin ≤ xmax, ymin ≤ ymax)",
                                     value=repr(value)), path)
    return xmin, ymin, xmax, ymax


#: What the fast conversion of :func:`_read_dataframe` may run into on data pyogrio's own conversion
#: handles (Arrow's errors derive from these, GDAL's from RuntimeError); a DataError of ``keep``, a
#: cancel, an OSError or MemoryError propagate.
_FAST_PATH_ERRORS = (ValueError, TypeError, NotImplementedError, KeyError, IndexError, RuntimeError,
                     shapely.errors.ShapelyError)


def _read_dataframe(path: Path, layer: str, kwargs: dict,
                    keep: Callable[[pa.Table], np.ndarray | None] | None = None) -> pd.DataFrame:
    """``pyogrio.read_dataframe(use_arrow=True)``, without a Python ``bytes`` object per geometry.

    Reads the Arrow table and builds the same GeoDataFrame itself: attributes through
    ``Table.to_pandas`` as pyogrio does, geometries straight from the WKB buffer (points
    without GEOS's WKB reader). Layers with date/time or JSON fields, without geometry,
    or anything unexpected go to pyogrio's own conversion. ``keep(table)``: the rows to keep
    (see ``_OgrReader._keep_rows``), applied to the Arrow table on the first path only (the
    rules behind it drop the same rows from a frame too).
    """
    if not _USE_ARROW:
        return pyogrio.read_dataframe(path, layer=layer, use_arrow=False, **kwargs)
    meta, table = pyogrio.read_arrow(path, layer=layer, datetime_as_string=True, **kwargs)
    geometry_name = meta["geometry_name"] or "wkb_geometry"
    plain = (
        geometry_name in table.column_names
        and table.num_columns > 1
        and not any(str(d).startswith("datetime") for d in meta["dtypes"] if d is not None)
        and not any(s == "OFSTJSON" for s in meta.get("ogr_subtypes", ()))
    )
    kept = None
    if plain:
        try:
            kept = keep(table) if keep is not None else None
            if kept is not None and not kept.all():
                import pyarrow as pa

                table = table.filter(pa.array(kept))  # before the frame and geometries are made of the rows
            wkb = table.column(geometry_name)
            frame = table.drop_columns([geometry_name]).to_pandas()
            table = None  # the attributes' Arrow buffers go before the geometries are made (peak memory)
            _release_arrow_memory()
            frame["geometry"] = _geometries_from_wkb(wkb)
            return gpd.GeoDataFrame(frame, geometry="geometry", crs=meta["crs"], copy=False)  # a frame of our own
        except _FAST_PATH_ERRORS:
            pass  # what this conversion does not handle: pyogrio's own conversion below (or its error)
    table = None
    frame = pyogrio.read_dataframe(path, layer=layer, use_arrow=True, **kwargs)
    if kept is not None and len(kept) == len(frame) and not kept.all():
        # chosen (and reported) already: the same rows, in the same order, go here too
        frame = frame.loc[kept].reset_index(drop=True)
    return frame


def _release_arrow_memory() -> None:
    """Return what Arrow's allocator holds freed to the system (it keeps freed blocks for reuse
    by the same thread; the geometries made next are GEOS's, which cannot reuse them)."""
    import pyarrow as pa

    pa.default_memory_pool().release_unused()


#: A little-endian 2D WKB point: byte order 1, type 1, x, y.
_WKB_POINT_SIZE = 21


def _geometries_from_wkb(wkb) -> np.ndarray:
    """Shapely geometries from an Arrow binary (WKB) column, as ``shapely.from_wkb`` gives them."""
    import pyarrow as pa

    array = wkb.combine_chunks() if isinstance(wkb, pa.ChunkedArray) else wkb
    if isinstance(array, pa.ExtensionArray):
        array = array.storage
    n = len(array)
    if n and array.null_count == 0 and pa.types.is_binary(array.type):
        offsets = np.frombuffer(array.buffers()[1], dtype=np.int32)[array.offset:array.offset + n + 1]
        start = int(offsets[0])
        if int(offsets[-1]) - start == _WKB_POINT_SIZE * n and (np.diff(offsets) == _WKB_POINT_SIZE).all():
            records = np.frombuffer(array.buffers()[2], dtype=np.uint8)[start:start + _WKB_POINT_SIZE * n]
            records = records.reshape(n, _WKB_POINT_SIZE)
            kinds = records[:, 1:5].copy().view("<u4").ravel()
            if (records[:, 0] == 1).all() and (kinds == 1).all():
                xy = records[:, 5:].copy().view("<f8")
                if np.isfinite(xy).all():  # NaN coordinates are POINT EMPTY: leave those to GEOS
                    return _in_slices(lambda i, j: shapely.points(xy[i:j]), n)
    return _in_slices(lambda i, j: shapely.from_wkb(array.slice(i, j - i).to_numpy(zero_copy_only=False),
                                                    on_invalid="raise"), n)


#: Geometries decoded per call. GEOS decoding keeps the GIL (~1 s per million polygons); in
#: slices (~15 ms each), other threads (the GUI while layers load in the background, the other
#: reader thread) run in between.
_DECODE_SLICE = 16_384


def _in_slices(decode: Callable[[int, int], np.ndarray], n: int) -> np.ndarray:
    """``decode(0, n)`` as the concatenation of ``decode(i, j)`` over slices of :data:`_DECODE_SLICE`."""
    if n <= _DECODE_SLICE:
        return decode(0, n)
    return np.concatenate([decode(i, min(i + _DECODE_SLICE, n)) for i in range(0, n, _DECODE_SLICE)])


def _check_text(frame: pd.DataFrame) -> None:
    """Raise ``UnicodeError`` when a text column holds bytes that are not UTF-8.

    With pyarrow, GDAL's undecodable bytes end up in Arrow string arrays that fail only
    later, wherever the values are first touched; check them here, once.
    """
    if not _USE_ARROW:
        return
    import pyarrow as pa

    for col in frame.columns:
        if col == getattr(frame, "_geometry_column_name", None) or not pd.api.types.is_string_dtype(frame[col].dtype):
            continue
        if frame[col].dtype == object:
            continue  # Python strings are valid text by construction
        try:
            pa.array(frame[col]).validate(full=True)
        except (pa.ArrowInvalid, pa.ArrowException) as exc:
            raise UnicodeError(f"kolom '{col}': {exc}") from None


_GDAL_NOISE = re.compile(r"sqlite3_\w+\(.*?\)\s*failed:?\s*|It might help to specify the correct driver explicitly.*$", re.I)


def _gdal_reason(exc: BaseException) -> str:
    """GDAL's message without SQL statements and driver hints: what a planner can act on."""
    text = _GDAL_NOISE.sub("", " ".join(str(exc).split())).strip(" ;.")
    text = "; ".join(dict.fromkeys(part.strip() for part in text.split(";") if part.strip()))  # GDAL repeats itself
    lowered = text.lower()
    if any(word in lowered for word in ("malformed", "not a database", "file is not", "unterminated", "truncated",
                                        "unexpected end", "corrupt", "short read", "read failed")):
        return Translatable("het bestand is beschadigd of onvolledig: {reason}", reason=text[:120])
    if "not recognized" in lowered:
        return Translatable("het bestand heeft niet de inhoud die de extensie belooft")
    return _short(exc) if not text else text[:200]


@register_reader(patterns=("*.gpkg",), priority=0)
class GeoPackageReader(_OgrReader):
    """GeoPackage (OGC): one of its layers; see :func:`choose_layer`."""

    label = "GeoPackage"
    magic = (b"SQLite format 3\x00",)


@register_reader(patterns=("*.geojson", "*.json"), priority=0)
class GeoJSONReader(_OgrReader):
    """GeoJSON (RFC 7946 or with a legacy ``crs`` member). Declines CityJSON."""

    label = "GeoJSON"

    def can_read(self, path: Path) -> bool:
        path = Path(path)
        if not path.is_file():
            return False
        head = _head(path).lstrip(b"\xef\xbb\xbf \t\r\n")
        return head[:1] in (b"{", b"[") and b'"CityJSON"' not in head

    def why_not(self, path: Path) -> str | None:
        """A specific reason for declining, used in the error message."""
        if b'"CityJSON"' in _head(Path(path)):
            return Translatable("CityJSON-bestand; hiervoor is in deze installatie geen lezer beschikbaar")
        return None


@register_reader(patterns=("*.shp", "*.shz", "*.shp.zip"), priority=0)
class ShapefileReader(_OgrReader):
    """ESRI Shapefile; the encoding comes from the ``.cpg`` file or the ``encoding`` option."""

    label = "Shapefile"
    magic = (b"\x00\x00\x27\x0a", b"PK\x03\x04")


@register_reader(patterns=("*.fgb",), priority=0)
class FlatGeobufReader(_OgrReader):
    """FlatGeobuf."""

    label = "FlatGeobuf"
    magic = (b"fgb\x03",)


@register_reader(patterns=("*",), priority=-100)
class OgrFallbackReader(_OgrReader):
    """Any other vector format GDAL can open (GML, KML, FileGDB, …)."""

    label = "vector"

    def can_read(self, path: Path) -> bool:
        path = Path(path)
        try:
            return len(pyogrio.list_layers(path)) > 0
        except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, OSError):  # not a vector file GDAL opens
            return False


def _assign_crs(frame: pd.DataFrame, crs: str | None, report: LoadReport, path: Path) -> pd.DataFrame:
    if crs is None or not isinstance(frame, gpd.GeoDataFrame):
        return frame
    if frame.crs is not None and crs_label(frame.crs) != crs_label(crs):
        report.warning(Translatable("opgegeven coördinatenstelsel {crs} vervangt {file_crs} uit het bestand", crs=crs,
                                    file_crs=crs_label(frame.crs)))
    try:
        return frame.set_crs(crs, allow_override=True)
    except Exception as exc:
        raise DataError(Translatable("onbekend coördinatenstelsel '{crs}' in de opties", crs=crs), path) from exc


def _short(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text[:200] or type(exc).__name__


# --------------------------------------------------------------------------- CSV

_WKT_NAMES = ("wkt", "geometry", "geom", "the_geom", "wkt_geom", "geometrie", "shape")
_WKT_VALUE = re.compile(r"^\s*(SRID=\d+;\s*)?(MULTI)?(POINT|LINESTRING|POLYGON|GEOMETRYCOLLECTION)\b", re.I)
_XY_NAMES = (
    ("x", "y", None),
    ("rd_x", "rd_y", None),
    ("x_rd", "y_rd", None),
    ("xcoord", "ycoord", None),
    ("x_coordinaat", "y_coordinaat", None),
    ("lon", "lat", "EPSG:4326"),
    ("lng", "lat", "EPSG:4326"),
    ("longitude", "latitude", "EPSG:4326"),
)
_NUMBER = re.compile(r"^\s*-?(\d+([.,]\d*)?|[.,]\d+)([eE][-+]?\d+)?\s*$")


@register_reader(patterns=("*.csv", "*.tsv", "*.txt"), priority=0)
class CSVReader:
    """CSV with a WKT column or x/y columns, or without geometry (a table).

    The separator (``;``, ``,`` or tab) is sniffed from the header line; with ``;`` a
    decimal comma is understood. Columns that are numbers throughout become numbers,
    except those with leading zeros (codes keep them). Options: ``sep``, ``encoding``,
    ``wkt``, ``x``, ``y``, ``crs`` (default: RD New when the coordinates lie within it;
    ``EPSG:4326`` for lon/lat columns).
    """

    label = "CSV"

    def can_read(self, path: Path) -> bool:
        path = Path(path)
        return path.is_file() and b"\x00" not in _head(path)

    def list_layers(self, path: Path) -> list[str]:
        return [Path(path).stem]

    def read(self, path: Path, layer: str | None = None, options: dict | None = None) -> RawData:
        path = Path(path)
        options = dict(options or {})
        report = LoadReport(source=path.name)
        frame = _read_csv_text(path, options)
        frame = _numeric_columns(frame)
        frame, crs = _csv_geometry(frame, options, report, path)
        return RawData(frame=frame, driver="CSV", layer=path.stem, layers=[path.stem], crs=crs, report=report)


def _read_csv_text(path: Path, options: dict) -> pd.DataFrame:
    encoding = options.get("encoding") or _sniff_encoding(path)
    sep = options.get("sep") or _sniff_separator(_head(path).decode(encoding, errors="replace"))
    try:
        frame = pd.read_csv(path, sep=sep, encoding=encoding, dtype=str, keep_default_na=True, skipinitialspace=True)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise DataError(Translatable("kan CSV-bestand niet lezen ({reason})", reason=_short(exc)), path) from exc
    if frame.shape[1] < 1:
        raise DataError(Translatable("CSV-bestand heeft geen kolommen"), path)
    frame.columns = [str(c).strip() for c in frame.columns]
    frame.attrs["sep"] = sep
    return frame


def _sniff_encoding(path: Path) -> str:
    try:
        path.read_bytes().decode("utf-8")
        return "utf-8-sig"
    except UnicodeDecodeError:
        return "cp1252"


def _sniff_separator(text: str) -> str:
    header = text.lstrip("\ufeff").splitlines()[0] if text.strip() else ""
    counts = {sep: header.count(sep) for sep in (";", "\t", ",")}
    best = max(counts, key=lambda s: counts[s])
    return best if counts[best] else ","


def _numeric_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """Turn columns that hold numbers throughout into float/int (decimal comma allowed)."""
    out = frame.copy()
    decimal_comma = frame.attrs.get("sep") == ";"
    for col in frame.columns:
        text = frame[col].dropna().astype(str).str.strip()
        if text.empty or not text.str.match(_NUMBER).all():
            continue
        if text.str.match(r"^-?0\d").any():
            continue  # codes such as "0363" or BAG ids keep their leading zeros
        if not decimal_comma and text.str.contains(",", regex=False).any():
            continue
        values = pd.to_numeric(frame[col].str.strip().str.replace(",", ".", regex=False), errors="coerce")
        is_int = not text.str.contains(r"[.,eE]").any()
        out[col] = values.astype("Int64") if is_int else values.astype("float64")
    return out


def _csv_geometry(frame: pd.DataFrame, options: dict, report: LoadReport, path: Path) -> tuple[pd.DataFrame, str | None]:
    crs = options.get("crs")
    wkt = options.get("wkt") or _find_wkt_column(frame)
    if wkt is not None:
        if wkt not in frame.columns:
            raise DataError(Translatable("WKT-kolom '{column}' bestaat niet", column=wkt), path)
        geoms = shapely.from_wkt(frame[wkt].astype(object).where(frame[wkt].notna(), None).to_numpy(), on_invalid="ignore")
        n_bad = int((frame[wkt].notna().to_numpy() & shapely.is_missing(geoms)).sum())
        if n_bad:
            report.warning(Translatable("{n} rijen met onleesbare WKT in kolom '{column}'", n=n_bad, column=wkt))
        gdf = gpd.GeoDataFrame(frame.drop(columns=[wkt]), geometry=geoms, crs=crs)
        return gdf, crs_label(crs) if crs else None
    xy = _find_xy_columns(frame, options)
    if xy is None:
        report.info(Translatable("geen geometrie gevonden (WKT of x/y-kolommen); gelezen als tabel"))
        return frame, None
    x_col, y_col, default_crs = xy
    x = pd.to_numeric(frame[x_col], errors="coerce").astype("float64").to_numpy()
    y = pd.to_numeric(frame[y_col], errors="coerce").astype("float64").to_numpy()
    ok = np.isfinite(x) & np.isfinite(y)
    geoms = np.full(len(frame), None, dtype=object)
    geoms[ok] = shapely.points(x[ok], y[ok])
    if crs is None and default_crs is not None:
        crs = default_crs
        report.info(Translatable("kolommen '{x}'/'{y}' gelezen als lengte- en breedtegraad ({crs})", x=x_col, y=y_col,
                                 crs=default_crs))
    return gpd.GeoDataFrame(frame, geometry=geoms, crs=crs), crs_label(crs) if crs else None


def _find_wkt_column(frame: pd.DataFrame) -> str | None:
    text_columns = [c for c in frame.columns if frame[c].dtype == object or pd.api.types.is_string_dtype(frame[c])]
    by_key = {column_key(c): c for c in text_columns}
    for name in _WKT_NAMES:
        if column_key(name) in by_key:
            return by_key[column_key(name)]
    for col in text_columns:
        present = frame[col].dropna()
        if len(present) and _WKT_VALUE.match(str(present.iloc[0])):
            return col
    return None


def _find_xy_columns(frame: pd.DataFrame, options: dict) -> tuple[str, str, str | None] | None:
    if options.get("x") and options.get("y"):
        return str(options["x"]), str(options["y"]), None
    by_key = {column_key(c): c for c in frame.columns}
    for x_name, y_name, crs in _XY_NAMES:
        x_col, y_col = by_key.get(column_key(x_name)), by_key.get(column_key(y_name))
        if x_col is not None and y_col is not None:
            return x_col, y_col, crs
    return None


# --------------------------------------------------------------------------- GeoTIFF


@register_reader(patterns=("*.tif", "*.tiff"), priority=0)
class GeoTIFFReader:
    """Single-band GeoTIFF via rasterio: nodata becomes NaN, the grid is warped to RD New.

    Options: ``band`` (1-based, default 1), ``units`` (default from the file or the role).
    """

    label = "GeoTIFF"
    magic = (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+")

    def can_read(self, path: Path) -> bool:
        path = Path(path)
        return path.is_file() and _head(path, 4).startswith(self.magic)

    def list_layers(self, path: Path) -> list[str]:
        return [Path(path).stem]

    def read(self, path: Path, layer: str | None = None, options: dict | None = None) -> RawData:
        import rasterio

        path = Path(path)
        options = dict(options or {})
        report = LoadReport(source=path.name)
        colours = None
        try:
            with rasterio.open(path) as ds:
                band = _band(options.get("band", 1), ds.count, path)
                window = _rd_window(ds, options.get("bbox"))
                array = ds.read(band, masked=True, window=window).astype("float64").filled(np.nan)
                transform = ds.transform if window is None else _window_transform(ds.transform, window)
                crs = ds.crs
                units = options.get("units") or ds.units[band - 1] or RASTER_UNITS.get(options.get("role") or "", "")
                driver = ds.driver
                if "band" not in options and _is_colour_image(ds):
                    # a photo (luchtfoto): all colour bands, drawn in their own colours
                    colours = ds.read(list(range(1, min(ds.count, 4) + 1)))
                    valid = ds.dataset_mask() > 0
        except DataError:
            raise
        except Exception as exc:  # rasterio.errors.RasterioIOError and friends
            raise DataError(Translatable("kan GeoTIFF-bestand niet lezen ({reason})", reason=_gdal_reason(exc)), path) from exc
        source_crs = crs.to_wkt() if crs else None
        if options.get("crs"):
            source_crs = options["crs"]
        rgba = None
        if colours is not None:
            rgba = _colours_to_project_crs(colours, valid, transform, source_crs, path.name)
        array, transform = raster_to_project_crs(array, transform, source_crs, path.name, report)
        name = options.get("role") or path.stem
        raster = RasterData(array, transform, RD_NEW, name=name, units=str(units or ""), rgba=rgba)
        return RawData(raster=raster, driver=driver, layer=path.stem, layers=[path.stem],
                       crs=crs_label(source_crs), report=report)


def _rd_window(ds, bbox):
    """The window of ``ds`` covering ``bbox`` (xmin, ymin, xmax, ymax in RD New), whole pixels
    rounded outward and clipped to the grid; None to read everything: no ``bbox``, or a grid
    that is not in RD New (it is warped whole), or a rotated one."""
    if bbox is None or ds.crs is None or not is_rd(ds.crs) or not ds.transform.is_rectilinear:
        return None
    from rasterio.windows import Window, from_bounds

    xmin, ymin, xmax, ymax = (float(v) for v in bbox)
    wanted = from_bounds(xmin, ymin, xmax, ymax, transform=ds.transform)
    col0 = max(0, math.floor(wanted.col_off) - 1)
    row0 = max(0, math.floor(wanted.row_off) - 1)
    col1 = min(ds.width, math.ceil(wanted.col_off + wanted.width) + 1)
    row1 = min(ds.height, math.ceil(wanted.row_off + wanted.height) + 1)
    if col1 <= col0 or row1 <= row0:  # no overlap: one pixel, so the grid keeps its transform
        col0, row0, col1, row1 = 0, 0, 1, 1
    return Window(col0, row0, col1 - col0, row1 - row0)


def _window_transform(transform, window):
    """The transform of ``window``'s first pixel (rasterio's own uses affine's deprecated ``*``)."""
    from affine import Affine

    t, col, row = transform, window.col_off, window.row_off
    return Affine(t.a, t.b, t.c + col * t.a + row * t.b, t.d, t.e, t.f + col * t.d + row * t.e)


def _is_colour_image(ds) -> bool:
    """An RGB(A) image: 3 or 4 bands whose first three say red, green, blue."""
    from rasterio.enums import ColorInterp

    interp = tuple(ds.colorinterp)
    return ds.count in (3, 4) and interp[:3] == (ColorInterp.red, ColorInterp.green, ColorInterp.blue)


def _colours_to_project_crs(colours: np.ndarray, valid: np.ndarray, transform, source_crs, source: str) -> np.ndarray:
    """RGBA of the colour bands on the same RD New grid as band 1 (each band warped as band 1 is)."""
    quiet = LoadReport(source=source)  # band 1's warp reports; the colour bands follow it
    warped = []
    for index in range(colours.shape[0]):
        band = np.where(valid, colours[index].astype("float64"), np.nan)
        warped.append(raster_to_project_crs(band, transform, source_crs, source, quiet)[0])
    stack = np.stack(warped)
    present = np.isfinite(stack[:3]).all(axis=0)
    if colours.dtype == np.uint8:
        stack = np.nan_to_num(stack).round().clip(0, 255).astype(np.uint8)
    return rgba_from_bands(stack, present)


def _band(value: Any, count: int, path: Path) -> int:
    try:
        band = int(value)
    except (TypeError, ValueError):
        raise DataError(Translatable("band moet een geheel getal zijn, niet {value}", value=repr(value)), path) from None
    if not 1 <= band <= count:
        raise DataError(Translatable("band {band} bestaat niet; het raster heeft {count} band(en)", band=band, count=count),
                        path)
    return band


# --------------------------------------------------------------------------- loading


@dataclass
class _Loaded:
    layer: Layer
    raw: RawData
    stats: dict[str, Any]


def read_layer(
    path: str | Path,
    *,
    layer: str | None = None,
    role: str | None = None,
    columns: dict[str, str] | None = None,
    options: dict | None = None,
    name: str | None = None,
) -> Layer:
    """Read one layer from ``path`` into the project model.

    Parameters
    ----------
    path : file to read.
    layer : layer name inside a multi-layer file (GeoPackage).
    role : a key of :data:`layers.roles.ROLES`; guessed from the columns when None.
    columns : user mapping canonical -> source column.
    options : reader options (``encoding``, ``crs``, ``sep``, ``wkt``, ``x``, ``y``, ``band``, ``units``).
    name : layer name; defaults to the role, else the layer or file name.

    Returns
    -------
    VectorLayer or RasterLayer
        In EPSG:28992, cleaned and mapped, with ``.report`` telling what happened.

    Raises
    ------
    DataError
        Naming the file, for anything wrong with the data.
    """
    return _load(_source(path), layer=layer, role=role, columns=columns, options=options, name=name).layer


def _load(path: Path, *, layer, role, columns, options, name) -> _Loaded:
    if role is not None and role not in ROLES and role != REFERENCE_ROLE:
        raise DataError(Translatable("onbekende rol '{role}'; kies uit: {roles} of {reference}", role=role,
                                     roles=", ".join(ROLES), reference=REFERENCE_ROLE), path)
    reader = find_reader(path)
    raw = reader.read(path, layer=layer, options={**(options or {}), "role": role})
    if raw.raster is not None:
        return _load_raster(path, raw, role, name)
    if raw.frame is None:
        raise DataError(Translatable("bevat geen gegevens"), path)
    return _load_vector(path, raw, role, columns, name)


def _load_raster(path: Path, raw: RawData, role: str | None, name: str | None) -> _Loaded:
    report = raw.report
    if role in ROLES and ROLES[role].geometry != "raster":
        raise DataError(Translatable("rol '{role}' verwacht {expected}, maar dit is een raster", role=role,
                                     expected=_KIND_NL[ROLES[role].geometry]), path, role)
    role = role or role_from_name(_stem(path), "raster")
    if not raw.raster.units and role in RASTER_UNITS:
        raw.raster = dataclasses.replace(raw.raster, units=RASTER_UNITS[role])
    raw.raster = _check_raster_values(raw.raster, report)
    array = raw.raster.array
    stats = {
        "count": int(array.size),
        "geometry_types": {"raster": 1},
        "nodata": int(np.isnan(array).sum()),
    }
    layer_name = name or role or _stem(path)
    out = RasterLayer(layer_name, raw.raster, role=role, report=report)
    return _Loaded(out, raw, stats)


def _check_raster_values(raster: RasterData, report: LoadReport) -> RasterData:
    """Infinite cells become nodata (counted); a grid without any value is reported."""
    array = raster.array
    infinite = np.isinf(array)
    n_inf = int(infinite.sum())
    if n_inf:
        array = np.where(infinite, np.nan, array)
        raster = dataclasses.replace(raster, array=array)
        report.add("nodata_infinite", n_inf)
        report.warning(Translatable("{n} rastercellen met een oneindige waarde als 'geen waarde' gelezen", n=n_inf))
    if array.size == 0 or np.isnan(array).all():
        report.add("nodata_only", 1)
        report.warning(Translatable("het raster bevat geen waarden (alle cellen zijn 'geen waarde')"))
    return raster


def _load_vector(path: Path, raw: RawData, role: str | None, columns: dict | None, name: str | None) -> _Loaded:
    report = raw.report
    frame = _flatten_lists(raw.frame, report)
    stats = _geometry_stats(frame)
    if stats["count"] == 0:
        report.warning(Translatable("de laag bevat geen objecten"))
    valid, types = stats.pop("_valid", None), stats.pop("_types", None)
    if stats["kind"] != "table":
        projected = check_extent(frame, to_project_crs(frame, _name(path), report), str(path), report)
        # validity and types were computed for the statistics; they still hold unless the coordinates were
        # transformed (to_project_crs only sets a CRS, or reprojects and counts it)
        reprojected = bool(report.counts.get("reprojected")) or len(projected) != len(frame)
        frame = clean_geometries(projected, report, valid=None if reprojected else valid,
                                 types=None if reprojected else types)
        kind = geometry_kind(frame) if len(frame) else stats["kind"]
    else:
        geometry_name = getattr(frame, "_geometry_column_name", None)
        frame = pd.DataFrame(frame.drop(columns=[c for c in frame.columns if c == geometry_name]))
        kind = "table"
    role = _resolve_role(role, frame, kind, raw, path, report)
    column_report = None
    if role is not None and role != REFERENCE_ROLE:
        try:
            frame, column_report = map_columns(frame, role, columns, report)
        except ValueError as exc:
            raise DataError(exc.args[0] if len(exc.args) == 1 else str(exc), path, role) from exc  # (a Translatable kept)
    elif columns:
        frame = frame.rename(columns={src: dst for dst, src in columns.items()})
    layer_name = name or role or (raw.layer if len(raw.layers) > 1 else _stem(path))
    out = VectorLayer(layer_name, frame, geometry_kind=kind, role=role, report=report, column_report=column_report)
    return _Loaded(out, raw, stats)


def _resolve_role(role: str | None, frame: pd.DataFrame, kind: str, raw: RawData, path: Path,
                  report: LoadReport) -> str | None:
    if role == REFERENCE_ROLE:
        return role  # shown only: any geometry, no role guessed
    if role is not None:
        expected = ROLES[role].geometry
        if expected == "raster":
            raise DataError(Translatable("rol '{role}' verwacht een raster (GeoTIFF), geen vectordata", role=role), path, role)
        if kind == "table" and expected != "table" and role not in ("portefeuille", "netcongestie"):
            raise DataError(Translatable("rol '{role}' verwacht {expected}, maar de laag heeft geen geometrie "
                                         "(een tabel, of alle objecten zonder geometrie)", role=role,
                                         expected=_KIND_NL[expected]), path, role)
        if expected != kind and not (kind == "table" and role in ("portefeuille", "netcongestie")):
            report.warning(Translatable("rol '{role}' verwacht {expected}, maar de laag bevat {kind}", role=role,
                                        expected=_KIND_NL[expected], kind=_KIND_NL.get(kind, kind)))
        return role
    guessed = guess_role(frame.columns, kind) or role_from_name(raw.layer or _stem(path), kind)
    if guessed is not None:
        report.info(Translatable("lijkt op rol '{role}'", role=guessed))
    return guessed


_KIND_NL = {"polygon": Translatable("vlakken"), "point": Translatable("punten"), "line": Translatable("lijnen"),
            "table": Translatable("een tabel"), "raster": Translatable("een raster")}


def check_role_geometry(layer: Layer, path: str | Path) -> None:
    """Refuse a layer whose geometry cannot serve its role: points where the role needs polygons
    (a point layer as gebouwen: the scans would find no area and report 0 woningen without a
    word) or polygons where it needs points. ``read_layer`` only warns (a file opened to look
    at); a project's layer, which the scans compute on, is checked with this
    (:func:`layers.project.read_source`). ``DataError`` naming the file and the role."""
    if not isinstance(layer, VectorLayer) or layer.role not in ROLES or not len(layer.data):
        return
    kind, role = layer.geometry_kind, layer.role
    expected = ROLES[role].geometry
    if {expected, kind} == {"point", "polygon"} and not _geometry_fits(role, expected, kind):
        raise DataError(Translatable("rol '{role}' verwacht {expected}, maar de laag bevat {kind}; "
                                     "kies de juiste laag of een andere rol", role=role, expected=_KIND_NL[expected],
                                     kind=_KIND_NL[kind]), path, role)


def _flatten_lists(frame: pd.DataFrame, report: LoadReport) -> pd.DataFrame:
    """Store list/dict-valued properties (CBS ``centroid``: [lon, lat]) as JSON text."""
    geometry_name = getattr(frame, "_geometry_column_name", None)
    odd = []
    for col in frame.columns:
        if col == geometry_name or frame[col].dtype != object:
            continue
        if isinstance(_first_present(frame[col]), (list, tuple, dict, np.ndarray)):
            odd.append(col)
    if not odd:
        return frame
    frame = frame.copy()
    for col in odd:
        frame[col] = frame[col].map(_json_text, na_action="ignore").astype(object)
    report.info(Translatable("kolommen met lijsten als tekst bewaard: {columns}", columns=", ".join(odd)))
    return frame


#: Values per step when looking for a column's first present value.
_SCAN_CHUNK = 4096


def _first_present(values: pd.Series) -> Any:
    """The first value of ``values`` that is not missing (None when all are).

    The same as ``values.dropna().iloc[0]``, looking at the column a chunk at a time: a column
    that starts with a value costs nothing, where ``dropna`` would test a million rows.
    """
    array = values.to_numpy()
    for start in range(0, len(array), _SCAN_CHUNK):
        chunk = array[start:start + _SCAN_CHUNK]
        present = np.flatnonzero(pd.notna(chunk))
        if len(present):
            return chunk[present[0]]
    return None


def _json_text(value: Any) -> str:
    if isinstance(value, np.ndarray):
        value = value.tolist()
    return json.dumps(value, default=str)


def _geometry_stats(frame: pd.DataFrame) -> dict[str, Any]:
    has_geometry = isinstance(frame, gpd.GeoDataFrame) and getattr(frame, "_geometry_column_name", None) in frame.columns
    geoms = np.asarray(frame.geometry.array, dtype=object) if has_geometry else None
    types = shapely.get_type_id(geoms) if has_geometry else None
    kind = geometry_kind(frame, types=types)
    stats: dict[str, Any] = {"count": int(len(frame)), "kind": kind, "geometry_types": {}, "invalid": 0}
    if kind == "table":
        return stats
    missing = shapely.is_missing(geoms)
    counts = np.bincount(types + 1)  # per type id, from -1 (no geometry) up
    names = {-1: "geen", **dict(enumerate(_TYPE_NAMES))}
    stats["geometry_types"] = {names.get(i, str(i)): int(n) for i, n in enumerate(counts.tolist(), start=-1) if n}
    valid = in_threads(shapely.is_valid, geoms)
    stats["invalid"] = int((~missing & ~valid).sum())
    # reused by clean_geometries; removed before the stats are kept
    stats["_valid"], stats["_types"] = valid, types
    return stats


_TYPE_NAMES = ("Point", "LineString", "LinearRing", "Polygon", "MultiPoint", "MultiLineString", "MultiPolygon",
               "GeometryCollection")


# --------------------------------------------------------------------------- describe


def describe_source(
    path: str | Path,
    *,
    layer: str | None = None,
    role: str | None = None,
    columns: dict[str, str] | None = None,
    options: dict | None = None,
) -> dict[str, Any]:
    """Describe a data source for ``gisapp info`` (plain JSON-able dict).

    Keys: ``path``, ``driver``, ``layers``, ``layer``, ``crs`` (as in the source),
    ``target_crs``, ``reprojected`` (whether loading reprojects it), ``count``,
    ``geometry_types``, ``role``, ``columns`` (``found``, ``missing_required``,
    ``missing_optional``, ``other``), ``problems`` (``invalid``, ``empty``, ``null``,
    ``z``, ``sentinels``, ``sentinel_counts``, …), ``messages``, ``extent``; for rasters
    also ``raster`` (size, cell size, units, value range).
    """
    path = _source(path)
    loaded = _load(path, layer=layer, role=role, columns=columns, options=options, name=None)
    out, raw, stats = loaded.layer, loaded.raw, loaded.stats
    counts = out.report.counts
    column_report: ColumnReport | None = getattr(out, "column_report", None)
    described = {
        "path": str(path),
        "driver": raw.driver,
        "layers": list(raw.layers),
        "layer": raw.layer,
        "crs": raw.crs,
        "target_crs": RD_NEW,
        "reprojected": bool(counts.get("reprojected", 0)) or needs_reprojection(raw.crs),
        "count": stats["count"],
        "geometry_types": stats["geometry_types"],
        "geometry_kind": getattr(out, "geometry_kind", "raster"),
        "role": out.role,
        "columns": _describe_columns(out, column_report),
        "problems": {
            "invalid": stats.get("invalid", 0),
            "repaired": counts.get("repaired", 0),
            "empty": counts.get("dropped_empty", 0),
            "null": counts.get("dropped_null", 0),
            "wrong_type": counts.get("dropped_wrong_type", 0),
            "z": counts.get("z_dropped", 0),
            "sentinels": counts.get("sentinels", 0),
            "sentinel_counts": dict(column_report.sentinel_counts) if column_report else {},
            "missing_required": list(column_report.missing_required) if column_report else [],
        },
        "messages": [{"level": m.level, "text": m.text} for m in out.report.messages],
        "extent": list(out.extent) if out.extent is not None else None,
    }
    if isinstance(out, RasterLayer):
        described["raster"] = _describe_raster(out.raster, stats)
    return described


def _describe_columns(out: Layer, column_report: ColumnReport | None) -> dict[str, Any]:
    data = getattr(out, "data", None)
    names = [str(c) for c in data.columns if c != getattr(data, "_geometry_column_name", None)] if data is not None else []
    if column_report is None:
        return {"found": {}, "missing_required": [], "missing_optional": [], "other": names}
    canonical = set(ROLES[out.role].columns) if out.role in ROLES else set()
    return {
        **column_report.to_dict(),
        "other": [c for c in names if c not in canonical],
    }


def _describe_raster(raster: RasterData, stats: dict[str, Any]) -> dict[str, Any]:
    values = raster.array[np.isfinite(raster.array)]
    return {
        "width": int(raster.shape[1]),
        "height": int(raster.shape[0]),
        "cell_size": [float(abs(raster.transform.a)), float(abs(raster.transform.e))],
        "units": raster.units,
        "nodata_cells": stats.get("nodata", 0),
        "min": float(values.min()) if values.size else None,
        "max": float(values.max()) if values.size else None,
    }
