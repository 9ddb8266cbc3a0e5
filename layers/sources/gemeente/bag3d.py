"""3D BAG attributes per pand from the 3D BAG API (``/collections/pand/items?bbox=…``).

Each page is a JSON object with the CityJSON ``metadata`` (``transform``, ``referenceDate``…)
and ``features``: CityJSONFeatures whose ``Building`` carries the published attributes
(``b3_bouwlagen``, ``b3_dak_type``, ``b3_h_maaiveld``, ``b3_h_dak_min/50p/70p/max``, roof
areas …) and whose ``BuildingPart`` children carry the LoD 1.2/1.3/2.2 geometry. A page is
turned into a CityJSONSeq (the header holds the page's ``transform``) and read by
:func:`layers.sources.cityjson.read_cityjson`, which computes the heights a page lacks from the
geometry (``hoogte_bron``). Only the attributes are kept; the BAG footprints stay the
geometry of the panden (:func:`layers.sources.bag3d.join_3dbag`).
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from layers.errors import DataError
from layers.messages import LoadReport
from layers.sources.cityjson import read_cityjson
from layers.sources.gemeente.bronnen import service_url
from layers.sources.gemeente.ogc import Download, items_url
from layers.sources.http import HttpClient
from layers.texts import Translatable

#: The version of CityJSON the API speaks (CityJSONFeature needs 2.0 or 1.1).
_CITYJSON_VERSION = "2.0"


def fetch_bag3d(
    client: HttpClient,
    bron: dict[str, Any],
    bbox: tuple[float, float, float, float],
    progress: Callable[[int, int | None], None] | None = None,
) -> tuple[pd.DataFrame, str | None, Download]:
    """3D BAG per pand in ``bbox`` (RD New): attributes with ``identificatie``; the data's
    reference date (``metadata.referenceDate``, else its version) or None; the pages."""
    url = items_url(service_url(bron), str(bron.get("collectie", "pand")))
    params = {"bbox": ",".join(f"{float(v):.3f}" for v in bbox), "limit": int(bron.get("limiet", 100))}
    frames: list[pd.DataFrame] = []
    download = Download()
    peildatum: str | None = None
    total = 0
    report = LoadReport(source=url)
    with tempfile.TemporaryDirectory(prefix="bb-3dbag-") as folder:
        for number, (document, page) in enumerate(client.pages(url, params)):
            download.add(page)
            if not isinstance(document, dict) or not isinstance(document.get("features"), list):
                raise DataError(Translatable("antwoord zonder 'features'; is dit de 3D BAG API?"), path=page.url)
            features = [f for f in document["features"] if isinstance(f, dict) and f.get("CityObjects")]
            metadata = document.get("metadata") or {}
            peildatum = peildatum or _reference_date(metadata)
            if features:
                frames.append(_page_attributes(Path(folder) / f"page{number}.city.jsonl", metadata, features, report, page.url))
                total += len(features)
            if progress is not None:
                matched = document.get("numberMatched")
                progress(total, matched if isinstance(matched, int) else None)
            if not document["features"]:
                break
    if not frames:
        return pd.DataFrame({"identificatie": pd.Series([], dtype=object)}), peildatum, download
    table = pd.concat(frames, ignore_index=True)
    return table.drop_duplicates("identificatie", keep="first").reset_index(drop=True), peildatum, download


def _page_attributes(path: Path, metadata: dict, features: list[dict], report: LoadReport, url: str) -> pd.DataFrame:
    header = {
        "type": "CityJSON",
        "version": _CITYJSON_VERSION,
        "transform": metadata.get("transform") or {"scale": [1, 1, 1], "translate": [0, 0, 0]},
        "metadata": {"referenceSystem": "https://www.opengis.net/def/crs/EPSG/0/7415"},
        "CityObjects": {},
        "vertices": [],
    }
    with open(path, "w", encoding="utf-8") as handle:
        for item in [header, *features]:
            handle.write(json.dumps(item, separators=(",", ":")) + "\n")
    try:
        frame = read_cityjson(path, report=report)
    except DataError as exc:
        raise DataError(Translatable("3D BAG-pagina onleesbaar ({reason})", reason=exc.message), path=url) from exc
    table = pd.DataFrame(frame.drop(columns=frame.geometry.name))
    if "identificatie" not in table.columns:
        table["identificatie"] = table["cityobject_id"]
    table["identificatie"] = table["identificatie"].where(table["identificatie"].notna(), table["cityobject_id"])
    return table


def _reference_date(metadata: dict) -> str | None:
    for key in ("referenceDate", "reference_date"):
        if metadata.get(key):
            return str(metadata[key])[:10]
    version = metadata.get("version") or (metadata.get("identifier") if isinstance(metadata.get("identifier"), str) else None)
    return str(version) if version else None
