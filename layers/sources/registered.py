"""Readers for the published Dutch sources, registered with :mod:`layers.readers`.

:func:`layers.readers.find_reader` imports every module of ``layers.sources``, so these
classes register themselves; they outrank the generic readers (priority 10) and decline
files that are not theirs, which then go to the generic reader.

* GeoPackage / GeoJSON / Shapefile recognised as BAG (PDOK), 3D BAG or CBS: read by the
  generic reader, then the source's rules applied (status filter, bouwjaar 9999,
  sentinels, ``gebied_niveau``, roof heights per pand).
* LVBAG XML (``.xml``, a folder, ``.zip``), CityJSON, the capaciteitskaart CSVs.
* OGC API Features URLs and PostGIS connection strings (``postgresql://…``).

Options (project file ``options = {…}`` or ``read_layer(options=…)``):

* BAG: ``alle_statussen = true`` keeps gesloopte / niet gerealiseerde panden;
  ``bag3d = "tile.gpkg"`` (or a CityJSON file) joins 3D BAG attributes.
* CBS: ``niveau = "buurt" | "wijk" | "gemeente"``.
* CityJSON: ``lod = "2.2"``.
* Capaciteitskaart: ``postcodevlakken``, ``postcodevlakken_laag``, ``postcode_kolom``,
  ``congestie_pc6``, ``jaar`` (see :func:`layers.sources.capaciteitskaart.read_capaciteitskaart`).
* OGC API: ``bbox = [xmin, ymin, xmax, ymax]`` (RD New), ``limit``, ``max_features``.
* PostGIS: ``bbox``, ``limit``, ``geometry_column``.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

import pyogrio
import shapely

from layers.crs import crs_label
from layers.errors import DataError
from layers.messages import LoadReport
from layers.texts import Translatable
from layers.readers import FlatGeobufReader, GeoJSONReader, GeoPackageReader, RawData, ShapefileReader, register_reader
from layers.sources import bag, bag3d, capaciteitskaart, cbs, cityjson, ogcapi, postgis

PRIORITY = 10


def _truthy(value) -> bool:
    return str(value).strip().lower() in ("1", "true", "ja", "yes")


def _layer_kind(path: Path, layer: str) -> str | None:
    """``"bag"``, ``"cbs"``, ``"bag3d"`` (a 3D BAG ``pand`` layer) or None, from the layer's columns.

    Asked several times for one read (choosing the reader, the rows to keep, the rules after
    reading): the file is opened once per version of it (path, layer, modification time, size)."""
    try:
        stat = os.stat(path)
    except OSError:
        return _kind_from_file(str(path), layer)
    return _kind_of_version(str(path), layer, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=64)
def _kind_of_version(path: str, layer: str, _mtime_ns: int, _size: int) -> str | None:
    return _kind_from_file(path, layer)


def _kind_from_file(path: str, layer: str) -> str | None:
    fields = [str(f) for f in pyogrio.read_info(path, layer=layer)["fields"]]
    if layer == "pand" and bag3d.is_3dbag_gpkg(path):
        return "bag3d"
    if bag.is_bag_layer(fields):
        return "bag"
    if cbs.is_cbs_columns(fields):
        return "cbs"
    return None


class _PublishedVector:
    """Mixin: recognise a published Dutch layer and apply its rules after the generic read."""

    def can_read(self, path: Path) -> bool:
        if not super().can_read(path):  # type: ignore[misc]
            return False
        try:
            return any(_layer_kind(Path(path), name) for name in self.list_layers(path))  # type: ignore[attr-defined]
        except Exception:  # noqa: BLE001 - declining hands the file to the generic reader
            return False

    def _keep_rows(self, path: Path, layer: str, table, report, options: dict):
        """A BAG layer's real buildings (:func:`layers.sources.bag.real_rows`), chosen before the
        rows become a frame; ``prepare_bag`` then finds nothing more to drop."""
        if _truthy(options.get("alle_statussen", False)) or _layer_kind(path, layer) != "bag":
            return None
        return bag.real_rows(table, report)

    def read(self, path: Path, layer: str | None = None, options: dict | None = None) -> RawData:
        path = Path(path)
        options = dict(options or {})
        raw = super().read(path, layer=layer, options=options)  # type: ignore[misc]
        kind = _layer_kind(path, raw.layer)
        report = raw.report
        if kind == "bag3d":
            raw.frame = _within_bbox(bag3d.read_3dbag_gpkg(path, report), options.get("bbox"))
            raw.driver = "3D BAG GeoPackage"
        elif kind == "bag":
            raw.frame = bag.prepare_bag(raw.frame, report, keep_all=_truthy(options.get("alle_statussen", False)))
            raw.driver = f"BAG ({raw.driver})"
        elif kind == "cbs":
            raw.frame = cbs.prepare_cbs(raw.frame, report, level=options.get("niveau"))
            raw.driver = f"CBS wijk- en buurtkaart ({raw.driver})"
        if kind in ("bag", "bag3d") and options.get("bag3d"):
            raw.frame = _join_bag3d(raw.frame, options["bag3d"], path, report)
        return raw


def not_real_report(path: str | Path, layer: str | None = None, options: dict | None = None) -> LoadReport:
    """The count of a BAG layer's objects without a real building (gesloopt, niet gerealiseerd …), as
    reading the whole layer reports it (``counts["bag_niet_bestaand"]`` and the sentence per status),
    from its status column alone: for runs that read the layer in parts (tiles with a halo), which
    cannot add up what each part dropped. An empty report for other layers or with ``alle_statussen``."""
    path = Path(path)
    options = dict(options or {})
    layer = layer or pyogrio.list_layers(path)[0][0]
    report = LoadReport(str(path))
    if _truthy(options.get("alle_statussen", False)) or _layer_kind(path, layer) != "bag":
        return report
    _meta, table = pyogrio.read_arrow(path, layer=layer, columns=["status"], read_geometry=False)
    bag.real_rows(table, report)
    return report


def _within_bbox(frame, bbox):
    """Rows whose bounding box intersects ``bbox`` (the OGR ``bbox`` read rule), for readers that read whole files."""
    if bbox is None or frame is None or not len(frame):
        return frame
    xmin, ymin, xmax, ymax = (float(v) for v in bbox)
    bounds = shapely.bounds(frame.geometry.to_numpy())
    keep = (bounds[:, 0] <= xmax) & (bounds[:, 2] >= xmin) & (bounds[:, 1] <= ymax) & (bounds[:, 3] >= ymin)
    return frame[keep].reset_index(drop=True)


def _join_bag3d(frame, bag3d_path, path: Path, report: LoadReport):
    bag3d_path = Path(bag3d_path)
    if not bag3d_path.is_absolute():
        bag3d_path = path.parent / bag3d_path
    if not bag3d_path.exists():
        raise DataError(Translatable("3D BAG-bestand {file} (optie bag3d) bestaat niet", file=str(bag3d_path)), path=path)
    return bag3d.join_3dbag(frame, bag3d.read_bag3d_any(bag3d_path, report), report)


@register_reader(patterns=("*.gpkg",), priority=PRIORITY)
class PublishedGeoPackageReader(_PublishedVector, GeoPackageReader):
    """PDOK BAG, 3D BAG tiles and the CBS wijk- en buurtkaart as GeoPackage."""

    label = "GeoPackage"


@register_reader(patterns=("*.geojson", "*.json"), priority=PRIORITY)
class PublishedGeoJSONReader(_PublishedVector, GeoJSONReader):
    """BAG and CBS as GeoJSON (PDOK OGC API downloads, snake_case or camelCase)."""

    label = "GeoJSON"


@register_reader(patterns=("*.shp", "*.shz", "*.shp.zip"), priority=PRIORITY)
class PublishedShapefileReader(_PublishedVector, ShapefileReader):
    """The CBS wijk- en buurtkaart as Shapefile (``BU_CODE``, ``AANT_INW``)."""

    label = "Shapefile"


@register_reader(patterns=("*.fgb",), priority=PRIORITY)
class PublishedFlatGeobufReader(_PublishedVector, FlatGeobufReader):
    """BAG and CBS layers converted to FlatGeobuf (the same rules as their GeoPackage)."""

    label = "FlatGeobuf"


@register_reader(patterns=("*.xml", "*.zip"), priority=PRIORITY)
class LVBAGReader:
    """Kadaster LVBAG XML extract: ``.xml``, or a ``.zip`` of them (zips inside a zip too)."""

    label = "LVBAG"

    def can_read(self, path: Path) -> bool:
        return bag.is_lvbag(path)

    def list_layers(self, path: Path) -> list[str]:
        return bag.list_lvbag_layers(path)

    def read(self, path: Path, layer: str | None = None, options: dict | None = None) -> RawData:
        path = Path(path)
        options = dict(options or {})
        report = LoadReport(source=path.name)
        layers = self.list_layers(path)
        if layer is None and options.get("role") == "verblijfsobjecten" and "verblijfsobject" in layers:
            layer = "verblijfsobject"
        frame = bag.read_lvbag(path, layer, report, keep_all=_truthy(options.get("alle_statussen", False)))
        if options.get("bag3d"):
            frame = _join_bag3d(frame, options["bag3d"], path, report)
        return RawData(frame=frame, driver="LVBAG", layer=layer or layers[0], layers=layers,
                       crs=crs_label(frame.crs), report=report)


@register_reader(patterns=("*.city.json", "*.cityjson", "*.json", "*.city.jsonl", "*.jsonl"), priority=PRIORITY)
class CityJSONReader:
    """CityJSON / CityJSONSeq (3D BAG): footprints with heights, one row per building."""

    label = "CityJSON"

    def can_read(self, path: Path) -> bool:
        return cityjson.is_cityjson(path)

    def list_layers(self, path: Path) -> list[str]:
        return [Path(path).name.split(".")[0]]

    def read(self, path: Path, layer: str | None = None, options: dict | None = None) -> RawData:
        path = Path(path)
        options = dict(options or {})
        report = LoadReport(source=path.name)
        frame = cityjson.read_cityjson(path, lod=options.get("lod"), report=report)
        name = self.list_layers(path)[0]
        return RawData(frame=frame, driver="CityJSON", layer=name, layers=[name], crs=crs_label(frame.crs), report=report)


@register_reader(patterns=("*.csv", "*.txt"), priority=PRIORITY)
class CapaciteitskaartReader:
    """Capaciteitskaart CSVs (congestie_pc6, voedingsgebieden) joined to PC6 polygons."""

    label = "capaciteitskaart"

    def can_read(self, path: Path) -> bool:
        try:
            with open(path, encoding="utf-8-sig", errors="replace") as handle:
                header = handle.readline()
        except OSError:
            return False
        columns = [c.strip().strip('"') for c in header.replace(";", ",").split(",")]
        return capaciteitskaart.csv_kind(columns) is not None

    def list_layers(self, path: Path) -> list[str]:
        return [Path(path).stem]

    def read(self, path: Path, layer: str | None = None, options: dict | None = None) -> RawData:
        path = Path(path)
        report = LoadReport(source=path.name)
        options = dict(options or {})
        if options.get("postcodevlakken") and not Path(options["postcodevlakken"]).is_absolute():
            options["postcodevlakken"] = str(path.parent / options["postcodevlakken"])
        if options.get("congestie_pc6") and not Path(options["congestie_pc6"]).is_absolute():
            options["congestie_pc6"] = str(path.parent / options["congestie_pc6"])
        frame = capaciteitskaart.read_capaciteitskaart(path, options, report)
        return RawData(frame=frame, driver="capaciteitskaart (CSV)", layer=path.stem, layers=[path.stem],
                       crs=crs_label(frame.crs), report=report)


@register_reader(patterns=("http://*", "https://*"), priority=PRIORITY)
class OgcApiReader:
    """OGC API Features: ``path`` is the landing page or collection URL, ``layer`` the collection."""

    label = "OGC API Features"

    def can_read(self, path) -> bool:
        return ogcapi.is_ogcapi_url(str(path))

    def list_layers(self, path) -> list[str]:
        return [c.id for c in ogcapi.list_collections(str(path))]

    def read(self, path, layer: str | None = None, options: dict | None = None) -> RawData:
        options = dict(options or {})
        url = str(path)
        report = LoadReport(source=url)
        bbox = options.get("bbox")
        frame = ogcapi.read_collection(
            url, layer, bbox=tuple(bbox) if bbox else None, limit=int(options.get("limit", ogcapi.DEFAULT_LIMIT)),
            max_features=options.get("max_features"), feedback=options.get("feedback"), report=report,
        )
        _, collection = ogcapi.split_url(url)
        name = layer or collection or ""
        if name in ("buurten", "wijken", "gemeenten") or cbs.is_cbs_columns(frame.columns):
            frame = cbs.prepare_cbs(frame, report, level=options.get("niveau"))
        elif bag.is_bag_layer(frame.columns):
            frame = bag.prepare_bag(frame, report, keep_all=_truthy(options.get("alle_statussen", False)))
        return RawData(frame=frame, driver="OGC API Features", layer=name, layers=[name], crs=crs_label(frame.crs), report=report)


@register_reader(patterns=("postgresql://*", "postgres://*", "pg:*"), priority=PRIORITY)
class PostGISReader:
    """PostGIS: ``path`` is the connection URI, ``layer`` is ``schema.table``."""

    label = "PostGIS"

    def can_read(self, path) -> bool:
        return postgis.is_postgres_dsn(str(path))

    def list_layers(self, path) -> list[str]:
        return [t.name for t in postgis.list_tables(postgis.normalise_dsn(str(path)))]

    def read(self, path, layer: str | None = None, options: dict | None = None) -> RawData:
        options = dict(options or {})
        dsn = postgis.normalise_dsn(str(path))
        report = LoadReport(source=postgis.redact(dsn))
        layers = self.list_layers(path)
        if layer is None:
            if len(layers) != 1:
                raise DataError(Translatable("kies een tabel (layer = \"schema.tabel\"); beschikbaar: {tables}",
                                             tables=", ".join(layers)), path=postgis.redact(dsn))
            layer = layers[0]
        schema, table = postgis.split_name(layer)
        bbox = options.get("bbox")
        frame = postgis.read_table(
            dsn, schema, table, geometry_column=options.get("geometry_column"),
            bbox=tuple(bbox) if bbox else None, limit=options.get("limit"),
        )
        if bag.is_bag_layer(frame.columns):  # a BAG table loaded into PostGIS: the rules of its file
            frame = bag.prepare_bag(frame, report, keep_all=_truthy(options.get("alle_statussen", False)))
        crs = crs_label(frame.crs) if hasattr(frame, "crs") else None
        return RawData(frame=frame, driver="PostGIS", layer=layer, layers=layers, crs=crs, report=report)
