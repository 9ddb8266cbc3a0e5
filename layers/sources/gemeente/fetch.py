"""Fetch a gemeente: every source into one GeoPackage plus a project file that scans at once.

:func:`fetch_gemeente` is the one entry point, for the CLI (``gisapp ophalen``) and the app's
"Nieuw project voor een gemeente…" alike. It is blocking; the app runs it in a worker thread
and passes a feedback object:

* ``progress(fraction, text)``: overall fraction 0..1 and a Dutch line naming the source;
* ``is_cancelled()``: asked between requests and between the chunks of an answer; cancelling
  raises ``CancelledError`` and writes nothing (pages already downloaded stay in the cache);
* ``message(text)``: retries and other notes worth showing.

Nothing is written until every source is in: the GeoPackage is written under a temporary name
and renamed, then the project file is saved (atomically), so an interrupted run leaves no half
project, and running again reuses the cached pages.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pyogrio

from layers.errors import DataError
from layers.io import tempfiles
from layers.project import LayerSource, Project, load_project
from layers.roles import ROLES, normalise_pand_id
from layers.sources.bag3d import join_3dbag
from layers.sources.gemeente.bag import fetch_bag, pand_reference
from layers.sources.gemeente.bag3d import fetch_bag3d
from layers.sources.gemeente.bronnen import http_settings, load_bronnen, service_url
from layers.sources.gemeente.cbs_gebieden import Gemeente, column, fetch_area, find_gemeente
from layers.sources.gemeente.monumenten import fetch_monumenten, flag_panden
from layers.sources.gemeente.ogc import CollectionInfo, Download
from layers.sources.http import DiskCache, HttpClient, HttpSettings
from layers.texts import Translatable

#: (key, role, GeoPackage layer) of the layers written, in project order.
LAYERS = (
    ("gebouwen", "gebouwen", "pand"),
    ("verblijfsobjecten", "verblijfsobjecten", "verblijfsobject"),
    ("buurten", "gebieden", "buurten"),
    ("wijken", "gebieden", "wijken"),
    ("gemeente", "gebieden", "gemeente"),
    ("monumenten", "monumenten", "monumenten"),
)


@dataclass
class SourceResult:
    """What happened to one source.

    ``status``: ``"gedownload"``, ``"uit cache"``, ``"deels uit cache"`` or ``"bestand nodig"``.
    ``bron``: ``url``, ``opgehaald`` (ISO date), ``peildatum``, ``titel`` (as stored per layer).
    ``waar``: for ``"bestand nodig"``, where a user gets the file; ``rol``: the role it fills.
    """

    key: str
    titel: str
    status: str
    features: int = 0
    pages_downloaded: int = 0
    pages_cached: int = 0
    bron: dict[str, str] = field(default_factory=dict)
    waar: str = ""
    rol: str = ""


@dataclass
class FetchResult:
    """The written project and a line per source."""

    gemeente_code: str
    gemeente_naam: str
    jaar: int
    project_path: Path
    gpkg_path: Path
    sources: list[SourceResult]
    notes: list[str] = field(default_factory=list)

    @property
    def needs_file(self) -> list[SourceResult]:
        """The sources without a usable public service: the user supplies a file."""
        return [s for s in self.sources if s.status == "bestand nodig"]

    @property
    def pages_downloaded(self) -> int:
        return sum(s.pages_downloaded for s in self.sources)


class _Progress:
    """Maps a source's own progress onto its share of the whole run."""

    def __init__(self, feedback: Any):
        self.feedback = feedback

    def stage(self, start: float, end: float, label: str) -> Callable[[int, int | None], None]:
        """``label`` names the source and what it fetches ("BAG: panden"): each progress line starts
        with it (the app finds the source by it)."""
        self.report(start, Translatable("{label}…", label=label))

        def step(done: int, total: int | None) -> None:
            share = min(1.0, done / total) if total else min(0.9, done / (done + 1000.0))
            self.report(min(end, start + (end - start) * share), Translatable("{label}: {n} objecten", label=label, n=done))

        return step

    def report(self, fraction: float, text: str) -> None:
        if self.feedback is not None:
            self.feedback.progress(min(1.0, fraction), text)


def fetch_gemeente(
    gemeente: str,
    out_dir: str | Path,
    jaar: int | None = None,
    offline: bool = False,
    feedback: Any = None,
    settings: HttpSettings | None = None,
    *,
    cache_dir: str | Path | None = None,
    bronnen: str | Path | dict | None = None,
    vernieuwen: bool = False,
) -> FetchResult:
    """Download a gemeente and write ``<out_dir>/<naam>.gpkg`` and ``<out_dir>/<naam>.toml``.

    Parameters
    ----------
    gemeente : CBS code (``GM0221``, ``0221``) or name (``Doesburg``, any case).
    out_dir : folder for the project (created when missing).
    jaar : year of CBS Wijken en Buurten (default: ``[cbs] jaar`` of the settings file).
    offline : use only the disk cache; a page not in it is a ``DataError``.
    feedback : ``progress(fraction, text)``, ``is_cancelled()``, ``message(text)``; or None.
    settings : HTTP limits (:class:`layers.sources.http.HttpSettings`); default the ``[http]`` table of
        the settings file.
    cache_dir : the disk cache (default ``$BB_CACHE_DIR`` or the user's cache folder).
    bronnen : settings file overriding the shipped ``bronnen.toml`` (or the merged dict of
        :func:`layers.sources.gemeente.bronnen.load_bronnen`); default ``$BB_BRONNEN``.
    vernieuwen : download again what the cache holds from before today (not with ``offline``).

    Returns
    -------
    FetchResult

    Raises
    ------
    DataError : unknown gemeente, no network, offline without cache, a limit reached (one line).
    CancelledError : ``feedback.is_cancelled()`` turned true; nothing written.
    """
    config = bronnen if isinstance(bronnen, dict) else load_bronnen(bronnen)
    if vernieuwen and offline:
        raise ValueError(Translatable("vernieuwen en offline gaan niet samen: vernieuwen haalt op bij de diensten"))
    jaar = int(jaar if jaar is not None else config["cbs"].get("jaar", date.today().year - 1))
    settings = settings if settings is not None else http_settings(config, bronnen if not isinstance(bronnen, dict) else None)
    fresh_since = date.today().isoformat() if vernieuwen else None
    client = HttpClient(settings, DiskCache(cache_dir), offline=offline, fresh_since=fresh_since, feedback=feedback)
    run = _Run(client, config, _Progress(feedback))
    found = _cbs(run, gemeente, jaar)
    panden = _bag(run, found)
    panden = _bag3d(run, found, panden)
    _monumenten(run, found, panden)
    run.sources.extend(_files_needed(config))
    run.progress.report(0.95, Translatable("GeoPackage en project schrijven…"))
    result = _write(Path(out_dir).expanduser(), found, jaar, run.layers, run.sources, run.notes)
    run.progress.report(1.0, Translatable("klaar: {path}", path=str(result.project_path)))
    return result


@dataclass
class _Run:
    """One fetch: the client and settings, and what the sources gave so far."""

    client: HttpClient
    config: dict[str, Any]
    progress: _Progress
    sources: list[SourceResult] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    layers: dict[str, tuple[gpd.GeoDataFrame, dict[str, str]]] = field(default_factory=dict)  # key -> (frame, bron)


def _cbs(run: _Run, gemeente: str, jaar: int) -> Gemeente:
    """The gemeente, its buurten and wijken (layers ``gemeente``, ``buurten``, ``wijken``)."""
    cbs = run.config["cbs"]
    found = find_gemeente(run.client, cbs, gemeente, jaar, run.progress.stage(0.0, 0.05, Translatable("CBS: gemeente zoeken")))
    buurten, _, d_buurten = fetch_area(run.client, cbs, found, "buurten", run.progress.stage(0.05, 0.1, Translatable("CBS: buurten")))
    wijken, _, d_wijken = fetch_area(run.client, cbs, found, "wijken", run.progress.stage(0.1, 0.15, Translatable("CBS: wijken")))
    download = Download().merge(found.download).merge(d_buurten).merge(d_wijken)
    bron = _bron(cbs, service_url(cbs, jaar), download, str(jaar))
    if not _known(buurten, "woningvoorraad"):
        run.notes.append(Translatable("CBS {jaar}: de woningvoorraad per buurt is (nog) niet gepubliceerd; kies een eerder "
                                      "jaar met --jaar voor percentages van de woningvoorraad", jaar=jaar))
    run.sources.append(_result("cbs", cbs, download, len(buurten), bron))
    run.layers.update({"buurten": (buurten, bron), "wijken": (wijken, bron), "gemeente": (found.frame, bron)})
    return found


def _bag(run: _Run, found: Gemeente) -> gpd.GeoDataFrame:
    """Panden and verblijfsobjecten (layer ``verblijfsobjecten``; the panden are returned for the 3D BAG)."""
    bag = run.config["bag"]
    panden, p_info, p_download = fetch_bag(run.client, bag, found, "panden", run.progress.stage(0.15, 0.45, Translatable("BAG: panden")))
    vbo, v_info, v_download = fetch_bag(run.client, bag, found, "verblijfsobjecten",
                                        run.progress.stage(0.45, 0.7, Translatable("BAG: verblijfsobjecten")))
    vbo = pand_reference(vbo, panden)
    located = int((vbo["pand_koppeling"] == "ligging").sum()) if "pand_koppeling" in vbo.columns else 0
    if located:
        run.notes.append(Translatable("BAG: {n} verblijfsobjecten aan een pand gekoppeld op ligging (hun pand is niet "
                                      "opgehaald); zie kolom pand_koppeling", n=located))
    if panden.empty:
        run.notes.append(Translatable("de BAG gaf geen panden in deze gemeente; controleer [bag] url in het bronnenbestand"))
    download = Download().merge(p_download).merge(v_download)
    bron = _bron(bag, service_url(bag), download, _peildatum(p_info))
    run.sources.append(_result("bag", bag, download, len(panden), bron))
    run.layers["gebouwen"] = (panden, bron)
    run.layers["verblijfsobjecten"] = (vbo, {**bron, "peildatum": _peildatum(v_info)})
    return panden


def _bag3d(run: _Run, found: Gemeente, panden: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The panden with the 3D BAG attributes joined by pand id (layer ``gebouwen`` updated)."""
    b3 = run.config["bag3d"]
    attributes, peildatum, download = fetch_bag3d(run.client, b3, found.bbox, run.progress.stage(0.7, 0.9, Translatable("3D BAG")))
    bron = _bron(b3, service_url(b3), download, peildatum or "")
    if len(attributes) and len(panden):
        panden = join_3dbag(panden, attributes, id_column="identificatie", bag3d_id_column="identificatie")
    matched = _matched(panden, attributes)
    run.sources.append(_result("bag3d", b3, download, matched, bron))
    if len(panden) and matched < len(panden):
        run.notes.append(Translatable("3D BAG: {n} van {total} panden zonder 3D BAG-gegevens (hoogte, bouwlagen onbekend)",
                                      n=len(panden) - matched, total=len(panden)))
    gebouwen_bron = dict(run.layers["gebouwen"][1])
    if matched:  # the panden carry 3D BAG attributes: name that source and its dates too
        gebouwen_bron["titel"] = (f"{gebouwen_bron['titel']}; met {bron['titel']} ({bron['url']}, opgehaald "
                                  f"{bron['opgehaald']}, peildatum {bron['peildatum'] or 'onbekend'})")
    run.layers["gebouwen"] = (panden, gebouwen_bron)
    return panden


def _monumenten(run: _Run, found: Gemeente, panden: gpd.GeoDataFrame) -> None:
    """Layer ``monumenten``, and ``rijksmonument`` per pand (in place on the ``gebouwen`` frame)."""
    mon = run.config["monumenten"]
    monumenten, info, download = fetch_monumenten(run.client, mon, found, run.progress.stage(0.9, 0.95, Translatable("Rijksmonumenten")))
    bron = _bron(mon, service_url(mon), download, _peildatum(info))
    run.sources.append(_result("monumenten", mon, download, len(monumenten), bron))
    if len(panden):
        panden["rijksmonument"] = flag_panden(panden, monumenten)
    run.layers["monumenten"] = (monumenten, bron)


def _files_needed(config: dict[str, Any]) -> list[SourceResult]:
    """The ``[bestanden.*]`` of the settings: sources without a usable service."""
    return [
        SourceResult(key, str(table.get("titel", key)), "bestand nodig", waar=str(table.get("waar", "")), rol=str(table.get("rol", "")))
        for key, table in (config.get("bestanden") or {}).items()
        if isinstance(table, dict)
    ]


def _write(out: Path, gemeente: Gemeente, jaar: int, frames: dict, sources: list[SourceResult], notes: list[str]) -> FetchResult:
    out.mkdir(parents=True, exist_ok=True)
    slug = re.sub(r"[^a-z0-9]+", "_", gemeente.naam.casefold()).strip("_") or gemeente.code.lower()
    gpkg = out / f"{slug}.gpkg"
    tmp = tempfiles.temp_path(out, "ophalen", ".tmp.gpkg")  # swept by a later run when this one is killed
    project = _project(out / f"{slug}.toml", f"{gemeente.naam} ({gemeente.code})")
    written: list[tuple[str, str, str, dict]] = []
    try:
        for key, role, layer in LAYERS:
            frame, bron = frames[key]
            if frame is None or frame.empty:
                notes.append(Translatable("laag '{layer}' is leeg en niet in het project opgenomen", layer=key))
                continue
            # per layer, not the file's: GDAL copies a GeoPackage's file-level metadata into an
            # .aux.xml sidecar whenever the file is read later
            pyogrio.write_dataframe(
                _writable(frame), tmp, layer=layer, driver="GPKG", append=bool(written),
                layer_metadata={
                    "gemeente": gemeente.naam, "gemeentecode": gemeente.code, "cbs_jaar": str(jaar),
                    "opgehaald_met": "gisapp ophalen (Beter Benutten)", "opgehaald": date.today().isoformat(),
                    **{f"bron_{k}": v for k, v in bron.items() if v},
                },
            )
            written.append((key, role, layer, bron))
        if not written:
            raise DataError(Translatable("niets opgehaald voor gemeente {naam} ({code})", naam=gemeente.naam, code=gemeente.code),
                            path=str(out))
        os.replace(tmp, gpkg)
    finally:
        tempfiles.remove_with_companions(tmp)
    for key, role, layer, bron in written:
        if role not in ROLES:
            notes.append(Translatable("laag '{layer}' staat in {file}, maar deze versie kent de rol '{role}' nog niet",
                                      layer=layer, file=gpkg.name, role=role))
            continue
        source = LayerSource(key, gpkg.name, role, layer, bron={k: v for k, v in bron.items() if v})
        old = project.sources.get(key)
        if old is not None:  # what the user set on the layer stays
            source.columns, source.options, source.visible, source.opacity = old.columns, old.options, old.visible, old.opacity
        project.sources[key] = source
    for key in {k for k, _, _ in LAYERS} - {k for k, _, _, _ in written}:
        if key in project.sources and project.sources[key].path == gpkg.name:
            del project.sources[key]  # empty this time: no layer in the file any more
    project.settings["ophalen"] = {
        "gemeentecode": gemeente.code,
        "gemeente": gemeente.naam,
        "cbs_jaar": jaar,
        "opgehaald": date.today().isoformat(),
        "bestand_nodig": [s.key for s in sources if s.status == "bestand nodig"],
        # every service with its own dates (the 3D BAG has no layer of its own: it is in gebouwen)
        "bronnen": {s.key: {k: v for k, v in s.bron.items() if v} for s in sources if s.bron},
    }
    # the Woningbouwimpuls award year of the locatiescan ([settings.locatiescan], see
    # scans.locatiescan.SETTINGS_KEY): the year of the first fetch, written once, so the project
    # gives the same answer on any later day; a year the user set stays
    locatiescan = project.settings.setdefault("locatiescan", {})
    locatiescan.setdefault("toekenningsjaar", date.today().year)
    path = project.save(project.path)
    return FetchResult(gemeente.code, gemeente.naam, jaar, path, gpkg, sources, notes)


def _project(path: Path, name: str) -> Project:
    """The project at ``path`` when one is there (a run again keeps the layers, scenarios and
    styles the user added; only the fetched layers are replaced), else a new one."""
    if not path.exists():
        return Project(name=name, path=path)
    try:
        return load_project(path, load_data=False)
    except DataError as exc:
        raise DataError(Translatable("er staat al een projectbestand dat niet te lezen is ({reason}); verwijder het of kies "
                                     "een andere map", reason=exc.message), path=path) from exc


def _writable(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Columns GDAL can store: lists and dicts (e.g. a CBS ``centroid``) as JSON text."""
    out = frame
    for name in frame.columns:
        if name == frame.geometry.name or frame[name].dtype != object:
            continue
        kind = pd.api.types.infer_dtype(frame[name], skipna=True)
        if kind in ("string", "empty", "boolean", "integer", "floating", "mixed-integer-float"):
            continue
        if out is frame:
            out = frame.copy()
        out[name] = frame[name].map(lambda v: json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v)
    return out


def _bron(table: dict, url: str, download: Download, peildatum: str) -> dict[str, str]:
    return {
        "url": url,
        "opgehaald": download.opgehaald or date.today().isoformat(),
        "peildatum": peildatum or "",
        "titel": str(table.get("titel", "")),
    }


def _peildatum(info: CollectionInfo) -> str:
    """The collection's own date (``updated``); empty when the service states none (unknown, not
    guessed from the download date)."""
    return info.updated or ""


def _result(key: str, table: dict, download: Download, features: int, bron: dict[str, str]) -> SourceResult:
    if download.downloaded and download.cached:
        status = "deels uit cache"
    elif download.downloaded:
        status = "gedownload"
    else:
        status = "uit cache"
    return SourceResult(key, str(table.get("titel", key)), status, features, download.downloaded, download.cached, bron)


def _matched(panden: gpd.GeoDataFrame, attributes: pd.DataFrame) -> int:
    if panden.empty or attributes.empty:
        return 0
    return int(normalise_pand_id(panden["identificatie"]).isin(set(normalise_pand_id(attributes["identificatie"]).dropna())).sum())


def _known(frame: gpd.GeoDataFrame, name: str) -> bool:
    """Whether ``frame`` has a column ``name`` (normalised) with at least one real value (CBS
    writes "not (yet) known" as negative sentinels such as -99997)."""
    col = column(frame, (name.replace("_", ""),)) if not frame.empty else None
    if col is None:
        return False
    values = pd.to_numeric(frame[col], errors="coerce")
    return bool((values >= 0).any())
