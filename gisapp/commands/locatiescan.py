"""``gisapp locatiescan PROJECT --out OUT.gpkg``: test, score and rank the woningbouwlocaties (no Qt).

Reads the project's ``locaties`` layer, runs the building scans for the beter-benutten
potential of the existing buildings inside each location (skip with ``--zonder-gebouwenscan``),
and writes the layer ``locaties_scan`` (ranked, best first) to a GeoPackage through a
temporary file, so a failed run never leaves a half-written output; its ``layer_styles`` table
holds the score map's QML, so the layer opens styled in QGIS.
"""

from __future__ import annotations

import argparse
import json


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "locatiescan",
        help="Toets, scoor en rangschik de woningbouwlocaties en schrijf een GeoPackage",
        description="Toets elke woningbouwlocatie (laag met rol 'locaties') aan water en bodem, netcongestie en NPLV, "
        "bereken de realisatiestimulans en de Woningbouwimpuls-criteria, scoor en rangschik de locaties en schrijf "
        "de laag locaties_scan naar een GeoPackage. Gewichten staan in het project onder [settings.locatiescan].",
    )
    p.add_argument("project", help="projectbestand (.toml)")
    p.add_argument("--out", required=True, help="uitvoer-GeoPackage (.gpkg)")
    p.add_argument("--scenario", default=None,
                   help="scenario: standaard, optimistisch, pessimistisch of een eigen scenario uit het project")
    p.add_argument("--zonder-gebouwenscan", dest="zonder_gebouwenscan", action="store_true",
                   help="sla de potentiescan van de bestaande panden binnen de locaties over")
    p.add_argument("--json", action="store_true", help="print één JSON-object met de gerangschikte locaties")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from gisapp.commands import load_project_for_gpkg_output
    from gisapp.reports.geopackage import write_locaties_with_style
    from scans import locatiescan
    from scans.pipeline import run_potentiescan
    from scans.scenarios import resolve_scenario

    project, out = load_project_for_gpkg_output(args.project, args.out)
    locaties = locatiescan.locaties_of(project)
    settings = resolve_scenario(project, args.scenario)
    params = locatiescan.params_from_project(project)
    inputs = locatiescan.inputs_from_project(project)
    building_result = None
    if not args.zonder_gebouwenscan and project.layer("gebouwen") is not None:
        building_result = run_potentiescan(inputs, settings)
    result = locatiescan.run(locaties, inputs, settings, building_result, params=params)
    write_locaties_with_style(result, out)  # the layer opens styled in QGIS (layer_styles)
    if args.json:
        summary = {
            "project": str(args.project),
            "out": str(out),
            "layer": locatiescan.LAYER_NAME,
            "scenario": settings.naam,
            "gewichten": params.weights(),
            "toekenningsjaar": params.toekenningsjaar,
            "locaties": locatiescan.to_records(result),
        }
        print(json.dumps(summary, ensure_ascii=False))
    else:
        print(f"{out}: {len(result)} locaties, scenario {settings.naam}, laag {locatiescan.LAYER_NAME}")
        for row in locatiescan.ranked(result).itertuples():
            wbi = "Woningbouwimpuls: ja" if row.woningbouwimpuls else "Woningbouwimpuls: nee"
            print(f"  {row.rang:>2}. {row.naam:<30} score {row.score:5.1f}  {wbi}")
    return 0
