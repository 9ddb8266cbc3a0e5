"""``gisapp informatieproduct PROJECT (--xy X,Y | --gebied CODE) --out DIR``.

The waterschap informatieproduct: the water/bodem picture at an RD location or in a gebied,
written as PDF and GeoPackage (headless, no Qt).
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path


def parse_xy(text: str) -> tuple[float, float]:
    """``"85000,445000"`` → (85000.0, 445000.0); ``ValueError`` in Dutch otherwise."""
    parts = [p.strip() for p in str(text).split(",")]
    try:
        if len(parts) != 2:
            raise ValueError
        return float(parts[0]), float(parts[1])
    except ValueError:
        raise ValueError(f"--xy '{text}': verwacht X,Y in RD-meters, bv. 85000,445000") from None


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "informatieproduct",
        help="Water- en bodeminformatie voor een locatie of gebied als PDF en GeoPackage",
        description="Het informatieproduct water en bodem: klasse per bron, voorwaarden (mitsen) en "
        "rasterwaarden (bodemdaling, overstromingsdiepte, kwel) op een RD-locatie of in een gebied.",
    )
    p.add_argument("project", help="projectbestand (.toml)")
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--xy", metavar="X,Y", help="locatie in RD-meters (EPSG:28992)")
    where.add_argument("--gebied", metavar="CODE", help="gebied_code uit een gebiedenlaag")
    p.add_argument("--gebieden", default=None, metavar="LAAG", help="gebiedenlaag om het gebied in te zoeken")
    p.add_argument("--scenario", default=None, help="scenario waarvan de drempels gelden (standaard: standaard)")
    p.add_argument("--out", required=True, metavar="MAP", help="uitvoermap (wordt aangemaakt)")
    p.add_argument("--json", action="store_true", help="print één JSON-object met klasse en bestanden")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from gisapp.reports.informatieproduct import (
        build_informatieproduct,
        write_informatieproduct_gpkg,
        write_informatieproduct_pdf,
    )
    from layers.project import load_project
    from gisapp.commands import announce

    xy = parse_xy(args.xy) if args.xy is not None else None
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise OSError(f"{out}: is geen map")
    project = load_project(args.project, announce=announce)
    product = build_informatieproduct(project, xy=xy, gebied=args.gebied, gebieden=args.gebieden, scenario=args.scenario)
    out.mkdir(parents=True, exist_ok=True)
    where = args.gebied if args.gebied else f"{xy[0]:.0f}_{xy[1]:.0f}"
    stem = "informatieproduct_" + re.sub(r"[^0-9A-Za-z_-]+", "-", where)
    for suffix in (".pdf", ".gpkg"):
        project.check_output_path(out / f"{stem}{suffix}")  # results never overwrite inputs
    pdf = write_informatieproduct_pdf(product, out / f"{stem}.pdf", project_name=project.name)
    gpkg = write_informatieproduct_gpkg(product, out / f"{stem}.gpkg")
    if args.json:
        print(json.dumps({"klasse": product.klasse, "mitsen": list(product.mitsen), "nee_tenzij": list(product.nee_tenzij),
                          "files": {"pdf": str(pdf), "geopackage": str(gpkg)}}, ensure_ascii=False))
    else:
        # no class (no water/bodem layer, no raster value here) is unknown, not an empty class
        klasse = f"'{product.klasse}'" if product.klasse else "onbekend (geen water/bodem-gegevens op deze plek)"
        print(f"{product.titel}: water en bodem {klasse}")
        for text in product.mitsen:
            print(f"  mits: {text}")
        for text in product.nee_tenzij:
            print(f"  nee, tenzij: {text}")
        print(f"  PDF         {pdf}\n  GeoPackage  {gpkg}")
    return 0
