"""Writers of small files in the published formats (LVBAG XML, CityJSON, CSV) for the tests."""

from __future__ import annotations

import json
from pathlib import Path

_NS = (
    'xmlns:Objecten="www.kadaster.nl/schemas/lvbag/imbag/objecten/v20200601" '
    'xmlns:gml="http://www.opengis.net/gml/3.2" '
    'xmlns:Historie="www.kadaster.nl/schemas/lvbag/imbag/historie/v20200601" '
    'xmlns:Objecten-ref="www.kadaster.nl/schemas/lvbag/imbag/objecten-ref/v20200601" '
    'xmlns:sl-bag-extract="http://www.kadaster.nl/schemas/lvbag/extract-deelbestand-lvc/v20200601" '
    'xmlns:sl="http://www.kadaster.nl/schemas/standlevering-generiek/1.0" '
    'xmlns:selecties-extract="http://www.kadaster.nl/schemas/lvbag/extract-selecties/v20200601"'
)


def _voorkomen(version: int, begin: str, end: str | None, inactive: str | None) -> str:
    end_xml = f"<Historie:eindGeldigheid>{end}</Historie:eindGeldigheid>" if end else ""
    inactive_xml = f"<Historie:tijdstipInactief>{inactive}</Historie:tijdstipInactief>" if inactive else ""
    return (
        "<Objecten:voorkomen><Historie:Voorkomen>"
        f"<Historie:voorkomenidentificatie>{version}</Historie:voorkomenidentificatie>"
        f"<Historie:beginGeldigheid>{begin}</Historie:beginGeldigheid>{end_xml}"
        f"<Historie:tijdstipRegistratie>{begin}T10:00:00.000</Historie:tijdstipRegistratie>{inactive_xml}"
        f"<Historie:BeschikbaarLV><Historie:tijdstipRegistratieLV>{begin}T10:00:00.000</Historie:tijdstipRegistratieLV>"
        "</Historie:BeschikbaarLV></Historie:Voorkomen></Objecten:voorkomen>"
    )


def lvbag_pand(ident: str, version: int, status: str, bouwjaar: int, x: float, *, begin: str = "2010-01-01",
               end: str | None = None, inactive: str | None = None) -> str:
    """One Pand voorkomen (a 10 x 10 m square at x, 447000) as in the Kadaster extract."""
    ring = f"{x} 447000 0.0 {x + 10} 447000 0.0 {x + 10} 447010 0.0 {x} 447010 0.0 {x} 447000 0.0"
    return (
        "<sl:stand><sl-bag-extract:bagObject><Objecten:Pand>"
        f'<Objecten:identificatie domein="NL.IMBAG.Pand">{ident}</Objecten:identificatie>'
        '<Objecten:geometrie><gml:Polygon srsName="urn:ogc:def:crs:EPSG::28992" srsDimension="3"><gml:exterior>'
        f'<gml:LinearRing><gml:posList count="5">{ring}</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon>'
        "</Objecten:geometrie>"
        f"<Objecten:oorspronkelijkBouwjaar>{bouwjaar}</Objecten:oorspronkelijkBouwjaar>"
        f"<Objecten:status>{status}</Objecten:status><Objecten:geconstateerd>N</Objecten:geconstateerd>"
        f"<Objecten:documentdatum>{begin}</Objecten:documentdatum><Objecten:documentnummer>D-{version}</Objecten:documentnummer>"
        f"{_voorkomen(version, begin, end, inactive)}"
        "</Objecten:Pand></sl-bag-extract:bagObject></sl:stand>"
    )


def lvbag_vbo(ident: str, panden: list[str], doelen: list[str], oppervlakte: int, status: str, x: float) -> str:
    """One Verblijfsobject voorkomen with repeated gebruiksdoel and PandRef elements."""
    doel_xml = "".join(f"<Objecten:gebruiksdoel>{d}</Objecten:gebruiksdoel>" for d in doelen)
    pand_xml = "".join(f'<Objecten-ref:PandRef domein="NL.IMBAG.Pand">{p}</Objecten-ref:PandRef>' for p in panden)
    return (
        "<sl:stand><sl-bag-extract:bagObject><Objecten:Verblijfsobject>"
        '<Objecten:heeftAlsHoofdadres><Objecten-ref:NummeraanduidingRef domein="NL.IMBAG.Nummeraanduiding">'
        f"0503200000{ident[-6:]}</Objecten-ref:NummeraanduidingRef></Objecten:heeftAlsHoofdadres>"
        f"{_voorkomen(1, '2010-01-01', None, None)}"
        f'<Objecten:identificatie domein="NL.IMBAG.Verblijfsobject">{ident}</Objecten:identificatie>'
        '<Objecten:geometrie><Objecten:punt><gml:Point srsName="urn:ogc:def:crs:EPSG::28992" srsDimension="3">'
        f"<gml:pos>{x + 5} 447005.0 0.0</gml:pos></gml:Point></Objecten:punt></Objecten:geometrie>"
        f"{doel_xml}<Objecten:oppervlakte>{oppervlakte}</Objecten:oppervlakte>"
        f"<Objecten:status>{status}</Objecten:status><Objecten:geconstateerd>N</Objecten:geconstateerd>"
        "<Objecten:documentdatum>2010-01-01</Objecten:documentdatum><Objecten:documentnummer>D</Objecten:documentnummer>"
        f"<Objecten:maaktDeelUitVan>{pand_xml}</Objecten:maaktDeelUitVan>"
        "</Objecten:Verblijfsobject></sl-bag-extract:bagObject></sl:stand>"
    )


def write_lvbag(path: Path, object_type: str, objects: list[str]) -> Path:
    """An LVBAG extract file (``object_type`` PND or VBO) holding ``objects``."""
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<sl-bag-extract:bagStand {_NS}><sl:standBestand><sl:dataset>LVBAG</sl:dataset><sl:inhoud>"
        "<sl:gebied>Nederland</sl:gebied><sl:leveringsId>0000000001</sl:leveringsId>"
        f"<sl:objectTypen><sl:objectType>{object_type}</sl:objectType></sl:objectTypen></sl:inhoud>"
        + "".join(objects)
        + "</sl:standBestand></sl-bag-extract:bagStand>\n",
        encoding="utf-8",
    )
    return path


def box_solid(x0: float, y0: float, size: float, z0: float, z1: float, offset: int) -> tuple[list, list]:
    """Vertices and a Solid shell (ground, roof, 4 walls) of a box; indices start at ``offset``."""
    xs, ys = (x0, x0 + size), (y0, y0 + size)
    vertices = [[xs[0], ys[0], z0], [xs[1], ys[0], z0], [xs[1], ys[1], z0], [xs[0], ys[1], z0]]
    vertices += [[x, y, z1] for x, y, _ in vertices]
    o = offset
    shell = [
        [[o + 0, o + 3, o + 2, o + 1]],
        [[o + 4, o + 5, o + 6, o + 7]],
        [[o + 0, o + 1, o + 5, o + 4]],
        [[o + 1, o + 2, o + 6, o + 5]],
        [[o + 2, o + 3, o + 7, o + 6]],
        [[o + 3, o + 0, o + 4, o + 7]],
    ]
    return vertices, shell


def write_json(path: Path, document: dict) -> Path:
    path.write_text(json.dumps(document), encoding="utf-8")
    return path
