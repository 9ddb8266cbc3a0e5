"""A local replay of the public services ``gisapp ophalen`` reads, built from the real samples.

The server answers on the same paths, with the same JSON shapes, as the real services:

* ``/cbs/wijken-en-buurten-2024/ogc/v1``: OGC API Features (PDOK), collections ``gemeenten``,
  ``wijken``, ``buurten``, snake_case fields as PDOK publishes them since 2023; a property
  filter (``?gemeentecode=``) is refused with HTTP 400 as a strict server does;
* ``/kadaster/bag/ogc/v2``: collections ``pand`` and ``verblijfsobject``;
* ``/3dbag/collections/pand/items``: CityJSONFeatures with the page's ``metadata.transform``;
* ``/rce/beschermde-gebieden-cultuurhistorie/ogc/v1``: collection ``rce_inspire_points``.

Items are paged with ``limit``/``offset`` and ``next`` links, with ``numberMatched``; ``bbox``
(RD New) filters; ``crs`` gives RD New with a ``Content-Crs`` header, else CRS84.

The data comes from ``../shared/realdata``, converted at test time:

* panden: the Delft (Wippolder) BAG sample as it is (identifiers zero-padded to the 16 digits
  the service gives);
* verblijfsobjecten: derived from those panden, the sample having none: per pand
  ``aantal_verblijfsobjecten`` points, with its ``gebruiksdoel`` values in turn and areas spread
  evenly from ``oppervlakte_min`` to ``oppervlakte_max``; the pand reference as BAG v2 gives it,
  ``pand``: a list with the link to the pand feature (whose id is a UUID);
* wijken/buurten/gemeente: the 8 Alkmaar wijken of the CBS sample (names, inhabitants, the
  ``centroid`` list field), moved and scaled onto the Delft extent and recoded GM0503 (a CBS
  sample of Delft is not among the samples); one buurt per wijk; ``woningvoorraad`` counts the
  woonfunctie verblijfsobjecten inside; plus a neighbour gemeente without panden;
* 3D BAG: the 10 buildings of the Den Bosch CityJSON sample, each moved onto one of the 10 largest
  Delft panden and given its identifier (so the join by pand id has something to join);
* monumenten: two test points, a rijksmonument and another protected site, in the two largest
  panden (there is no monument sample).
"""

from __future__ import annotations

import copy
import json
import threading
import time
import urllib.parse
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from shapely import affinity

RD = "http://www.opengis.net/def/crs/EPSG/0/28992"
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
GEMEENTE_CODE = "GM0503"
GEMEENTE_NAAM = "Delft"
CBS_PATH = "/cbs/wijken-en-buurten-2024/ogc/v1"
BAG_PATH = "/kadaster/bag/ogc/v2"
BAG3D_PATH = "/3dbag"
RCE_PATH = "/rce/beschermde-gebieden-cultuurhistorie/ogc/v1"
_PAGING = {"f", "limit", "offset", "crs", "bbox", "bbox-crs"}


@dataclass
class Dataset:
    """The collections per service path: ``{(base path, collection id): GeoDataFrame in RD}``."""

    collections: dict[tuple[str, str], gpd.GeoDataFrame]
    bag3d: list[dict]  # CityJSONFeatures (vertices as integers of the transform)
    transform: dict
    monument_pand: str  # identifier of the pand holding the test monument
    bag3d_panden: list[str]


def build_dataset(realdata: Path) -> Dataset:
    panden = pyogrio.read_dataframe(realdata / "bag-delft-wippolder" / "wippolder_bag_pand.gpkg")
    panden = panden.set_crs(28992, allow_override=True)
    panden["identificatie"] = panden["identificatie"].astype(str).str.zfill(16)
    panden["bouwjaar"] = panden["bouwjaar"].astype("Int64")
    panden["aantal_verblijfsobjecten"] = panden["aantal_verblijfsobjecten"].astype("Int64")
    panden = panden.drop(columns=["kas_warenhuis"])  # a 3D BAG field, not in the BAG service
    # BAG v2 gives features a UUID as id; a verblijfsobject links to its pand's feature
    panden["_fid"] = [str(uuid.uuid5(uuid.NAMESPACE_URL, f"pand/{i}")) for i in panden["identificatie"]]
    vbo = _verblijfsobjecten(panden)
    wijken, buurten, gemeenten = _gebieden(realdata, panden, vbo)
    bag3d, transform, targets = _bag3d(realdata, panden)
    by_area = panden.area.sort_values(ascending=False).index
    inside = panden.loc[[by_area[0], by_area[1]]]
    monument_pand = str(inside["identificatie"].iloc[0])
    monumenten = gpd.GeoDataFrame(  # test points: a rijksmonument and another protected site
        {"localid": ["1.00", "2.00"], "namespace": ["nlps-rijksmonumenten", "nlps-historische-buitenplaatsen"],
         "ci_citation": ["https://monumentenregister.cultureelerfgoed.nl/monumenten/999999", None],
         "text": ["testpunt (geen echt monument)", "testpunt (geen echte buitenplaats)"]},
        geometry=shapely.point_on_surface(inside.geometry.to_numpy()), crs=28992,
    )
    collections = {
        (CBS_PATH, "gemeenten"): gemeenten,
        (CBS_PATH, "wijken"): wijken,
        (CBS_PATH, "buurten"): buurten,
        (BAG_PATH, "pand"): panden,
        (BAG_PATH, "verblijfsobject"): vbo,
        (RCE_PATH, "rce_inspire_points"): monumenten,
    }
    return Dataset(collections, bag3d, transform, monument_pand, targets)


def _verblijfsobjecten(panden: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    counts = panden["aantal_verblijfsobjecten"].fillna(0).astype(int).to_numpy()
    owner = np.repeat(np.arange(len(panden)), counts)
    rank = np.arange(len(owner)) - np.repeat(np.cumsum(counts) - counts, counts)
    purposes = panden["gebruiksdoel"].fillna("").str.split(",").map(lambda parts: [p.strip() for p in parts if p.strip()])
    doel = [purposes.iloc[o][r % len(purposes.iloc[o])] if purposes.iloc[o] else None for o, r in zip(owner, rank)]
    low = panden["oppervlakte_min"].to_numpy()[owner]
    high = panden["oppervlakte_max"].to_numpy()[owner]
    share = np.where(counts[owner] > 1, rank / np.maximum(counts[owner] - 1, 1), 0.0)
    points = shapely.point_on_surface(panden.geometry.to_numpy())[owner]
    return gpd.GeoDataFrame(
        {
            "identificatie": [f"0503010000{o:04d}{r:02d}" for o, r in zip(owner, rank)],
            "gebruiksdoel": doel,
            "oppervlakte": np.round(low + (high - low) * share),
            "status": "Verblijfsobject in gebruik",
            "pand": [[f"{{base}}{BAG_PATH}/collections/pand/items/{fid}"] for fid in panden["_fid"].to_numpy()[owner]],
        },
        geometry=points,
        crs=28992,
    )


def _gebieden(realdata: Path, panden: gpd.GeoDataFrame, vbo: gpd.GeoDataFrame):
    source = gpd.read_file(realdata / "cbs-wijken" / "alkmaar_wijken.geojson").to_crs(28992)
    sx0, sy0, sx1, sy1 = source.total_bounds
    tx0, ty0, tx1, ty1 = panden.total_bounds + np.array([-30.0, -30.0, 30.0, 30.0])
    scale = max((tx1 - tx0) / (sx1 - sx0), (ty1 - ty0) / (sy1 - sy0))
    moved = [
        affinity.translate(
            affinity.scale(g, scale, scale, origin=((sx0 + sx1) / 2, (sy0 + sy1) / 2)),
            (tx0 + tx1) / 2 - (sx0 + sx1) / 2, (ty0 + ty1) / 2 - (sy0 + sy1) / 2,
        )
        for g in source.geometry
    ]
    number = [f"{i + 1:02d}" for i in range(len(source))]
    wijken = gpd.GeoDataFrame(
        {
            "wijkcode": [f"WK0503{n}" for n in number],
            "wijknaam": source["wijkNaam"].to_numpy(),
            "gemeentecode": GEMEENTE_CODE,
            "gemeentenaam": GEMEENTE_NAAM,
            "centroid": [list(map(float, v)) if not isinstance(v, str) else json.loads(v) for v in source["centroid"]],
            "aantal_inwoners": source["aantalInwoners"].to_numpy(),
            "water": "NEE",
        },
        geometry=moved,
        crs=28992,
    )
    homes = vbo[vbo["gebruiksdoel"] == "woonfunctie"]
    inside = shapely.STRtree(homes.geometry.to_numpy())
    woningen = [len(inside.query(g, predicate="contains")) for g in wijken.geometry]
    buurten = gpd.GeoDataFrame(
        {
            "buurtcode": [f"BU0503{n}00" for n in number],
            "buurtnaam": [f"{name} (buurt)" for name in wijken["wijknaam"]],
            "wijkcode": wijken["wijkcode"].to_numpy(),
            "gemeentecode": GEMEENTE_CODE,
            "gemeentenaam": GEMEENTE_NAAM,
            "aantal_inwoners": wijken["aantal_inwoners"].to_numpy(),
            "woningvoorraad": woningen,
            "water": "NEE",
        },
        geometry=list(wijken.geometry),
        crs=28992,
    )
    delft = shapely.union_all(wijken.geometry.to_numpy())
    x0, y0, x1, y1 = delft.bounds
    neighbour = shapely.box(x1 + 10, y0, x1 + 10 + (x1 - x0), y1)
    gemeenten = gpd.GeoDataFrame(
        {
            "gemeentecode": [GEMEENTE_CODE, "GM0603"],
            "gemeentenaam": [GEMEENTE_NAAM, "Rijswijk"],
            "aantal_inwoners": [int(wijken["aantal_inwoners"].sum()), -99997],
            "woningvoorraad": [int(sum(woningen)), -99997],
            "water": "NEE",
        },
        geometry=[delft, neighbour],
        crs=28992,
    )
    return wijken, buurten, gemeenten


def _bag3d(realdata: Path, panden: gpd.GeoDataFrame) -> tuple[list[dict], dict, list[str]]:
    document = json.loads((realdata / "3dbag-cityjson" / "denbosch_multi_lod.city.json").read_text(encoding="utf-8"))
    transform = document["transform"]
    scale = np.asarray(transform["scale"], dtype=float)
    translate = np.asarray(transform["translate"], dtype=float)
    vertices = np.asarray(document["vertices"], dtype=np.int64)
    objects = document["CityObjects"]
    homes = panden[panden["gebruiksdoel"].fillna("").str.contains("woonfunctie")]
    targets = homes.assign(area=homes.area).sort_values("area", ascending=False).head(10)
    target_points = shapely.point_on_surface(targets.geometry.to_numpy())
    features: list[dict] = []
    tops = [key for key, obj in objects.items() if obj["type"] == "Building" and not obj.get("parents")]
    for (key, point, pand_id) in zip(tops, target_points, targets["identificatie"]):
        members = {key: copy.deepcopy(objects[key])}
        for child in objects[key].get("children") or []:
            members[child] = copy.deepcopy(objects[child])
        used = sorted({i for obj in members.values() for g in obj.get("geometry") or [] for i in _indices(g["boundaries"])})
        remap = {old: new for new, old in enumerate(used)}
        local = vertices[used].copy()
        real = local * scale + translate
        shift = np.array([point.x - real[:, 0].mean(), point.y - real[:, 1].mean(), 0.0])
        local[:, :2] += np.round(shift[:2] / scale[:2]).astype(np.int64)
        for obj in members.values():
            for g in obj.get("geometry") or []:
                g["boundaries"] = _remap(g["boundaries"], remap)
        attributes = members[key].setdefault("attributes", {})
        attributes["identificatie"] = f"NL.IMBAG.Pand.{pand_id}"
        renamed = {f"NL.IMBAG.Pand.{pand_id}" if k == key else k: v for k, v in members.items()}
        for obj in renamed.values():
            if obj.get("parents"):
                obj["parents"] = [f"NL.IMBAG.Pand.{pand_id}"]
        features.append({"type": "CityJSONFeature", "id": f"NL.IMBAG.Pand.{pand_id}", "CityObjects": renamed,
                         "vertices": local.tolist()})
    return features, transform, list(targets["identificatie"])


def _indices(boundaries) -> list[int]:
    if isinstance(boundaries, int):
        return [boundaries]
    return [i for b in boundaries for i in _indices(b)]


def _remap(boundaries, remap: dict[int, int]):
    if isinstance(boundaries, int):
        return remap[boundaries]
    return [_remap(b, remap) for b in boundaries]


# --------------------------------------------------------------------------- the server


@dataclass
class Behaviour:
    """What the server does besides answering: fail after N requests, count requests."""

    fail_after: int | None = None
    delay: float = 0.0  # seconds before each answer (a slow service)
    requests: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


class ReplayServer:
    """The services of :func:`build_dataset` on ``http://127.0.0.1:<port>`` (a thread)."""

    def __init__(self, dataset: Dataset):
        self.dataset = dataset
        self.behaviour = Behaviour()
        server = self

        class Handler(_Handler):
            replay = server

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> "ReplayServer":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def bronnen(self, path: Path, *, limit: int = 10, bag3d_limit: int = 3, http: dict | None = None) -> Path:
        """A ``--bronnen`` file pointing every service at this server, with small pages."""
        path.parent.mkdir(parents=True, exist_ok=True)
        settings = {"retries": 1, "backoff": 0.01, "max_backoff": 0.05, "connect_timeout": 5.0, "read_timeout": 10.0}
        settings.update(http or {})
        lines = ["[http]"] + [f"{k} = {json.dumps(v)}" for k, v in settings.items()]
        lines += [f'[cbs]\nurl = "{self.url}/cbs/wijken-en-buurten-{{jaar}}/ogc/v1"\nlimiet = {limit}',
                  f'[bag]\nurl = "{self.url}{BAG_PATH}"\nlimiet = {limit}',
                  f'[bag3d]\nurl = "{self.url}{BAG3D_PATH}"\nlimiet = {bag3d_limit}',
                  f'[monumenten]\nurl = "{self.url}{RCE_PATH}"\nlimiet = {limit}']
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path

    @property
    def requests(self) -> list[str]:
        return list(self.behaviour.requests)


class _Handler(BaseHTTPRequestHandler):
    replay: ReplayServer

    def log_message(self, *args) -> None:  # quiet
        return None

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        behaviour = self.replay.behaviour
        with behaviour.lock:
            if behaviour.fail_after is not None and len(behaviour.requests) >= behaviour.fail_after:
                failing = True
            else:
                failing = False
                behaviour.requests.append(self.path)
        if failing:
            return self._send(503, {"title": "Service Unavailable"})
        if behaviour.delay:
            pause(behaviour.delay)
        parsed = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(parsed.query))
        path = parsed.path.rstrip("/")
        if path == f"{BAG3D_PATH}/collections/pand/items":
            return self._bag3d(query)
        for base in (CBS_PATH, BAG_PATH, RCE_PATH):
            if path.startswith(f"{base}/collections/"):
                rest = path[len(base) + len("/collections/"):].split("/")
                key = (base, rest[0])
                if key not in self.replay.dataset.collections:
                    return self._send(404, {"title": "Not Found"})
                if len(rest) == 1:
                    return self._send(200, _collection_document(self.replay.url + base, rest[0]))
                if rest[1:] == ["items"]:
                    return self._items(base, rest[0], query)
        return self._send(404, {"title": "Not Found"})

    def _items(self, base: str, collection: str, query: dict[str, str]) -> None:
        unknown = set(query) - _PAGING
        if unknown:
            return self._send(400, {"title": "Bad Request", "detail": f"unknown query parameter(s): {', '.join(sorted(unknown))}"})
        frame = self.replay.dataset.collections[(base, collection)]
        if "bbox" in query:
            box = shapely.box(*[float(v) for v in query["bbox"].split(",")])
            frame = frame[frame.intersects(box)]
        limit, offset = int(query.get("limit", 10)), int(query.get("offset", 0))
        page = frame.iloc[offset: offset + limit]
        rd = query.get("crs") == RD
        if not rd:
            page = page.to_crs("OGC:CRS84")
        ids = page["_fid"].tolist() if "_fid" in page.columns else [str(i) for i in page.index]
        page = page.drop(columns=["_fid"], errors="ignore")
        text = page.to_json(na="null", drop_id=True).replace("{base}", self.replay.url)
        features = json.loads(text)["features"]
        for feature, feature_id in zip(features, ids):
            feature["id"] = feature_id
        document = {"type": "FeatureCollection", "numberMatched": int(len(frame)), "numberReturned": len(features),
                    "timeStamp": "2026-01-01T00:00:00Z", "features": features, "links": []}
        if offset + limit < len(frame):
            document["links"].append({"rel": "next", "type": "application/geo+json",
                                      "href": self.replay.url + _with(self.path, offset=offset + limit)})
        self._send(200, document, {"Content-Crs": f"<{RD if rd else CRS84}>"})

    def _bag3d(self, query: dict[str, str]) -> None:
        data = self.replay.dataset
        features = data.bag3d
        if "bbox" in query:
            x0, y0, x1, y1 = (float(v) for v in query["bbox"].split(","))
            scale, translate = np.asarray(data.transform["scale"]), np.asarray(data.transform["translate"])
            keep = []
            for feature in features:
                xyz = np.asarray(feature["vertices"]) * scale + translate
                if xyz[:, 0].max() >= x0 and xyz[:, 0].min() <= x1 and xyz[:, 1].max() >= y0 and xyz[:, 1].min() <= y1:
                    keep.append(feature)
            features = keep
        limit, offset = int(query.get("limit", 10)), int(query.get("offset", 0))
        document = {"type": "FeatureCollection", "metadata": {"transform": data.transform,
                    "referenceSystem": "https://www.opengis.net/def/crs/EPSG/0/7415"},
                    "features": features[offset: offset + limit], "numberMatched": len(features), "links": []}
        if offset + limit < len(features):
            document["links"].append({"rel": "next", "href": self.replay.url + _with(self.path, offset=offset + limit)})
        self._send(200, document)

    def _send(self, status: int, document: dict, headers: dict | None = None) -> None:
        send_json(self, status, document, headers)


def send_json(handler: BaseHTTPRequestHandler, status: int, document, headers: dict | None = None) -> None:
    """Answer ``document`` as JSON with ``status`` (and extra ``headers``)."""
    body = json.dumps(document).encode("utf-8")
    handler.send_response(status)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(body)))
    for key, value in (headers or {}).items():
        handler.send_header(key, value)
    handler.end_headers()
    handler.wfile.write(body)


def _with(path: str, **params) -> str:
    parsed = urllib.parse.urlsplit(path)
    query = dict(urllib.parse.parse_qsl(parsed.query))
    query.update({k: str(v) for k, v in params.items()})
    return parsed.path + "?" + urllib.parse.urlencode(query, safe=",:/")


def _collection_document(base: str, collection: str) -> dict:
    return {
        "id": collection,
        "title": collection.capitalize(),
        "itemType": "feature",
        "crs": [CRS84, RD],
        "storageCrs": RD,
        "links": [{"rel": "self", "type": "application/json", "updated": "2026-04-20T00:00:00Z",
                   "href": f"{base}/collections/{collection}?f=json"},
                  {"rel": "items", "type": "application/geo+json", "href": f"{base}/collections/{collection}/items?f=json"}],
    }


def pause(seconds: float) -> None:  # for the stalling servers of the limit tests
    time.sleep(seconds)


_ = pd  # pandas is imported for the nullable integer dtypes used above
