"""``gisapp report PROJECT [--scenario NAME] [--gebieden KEY] [--gebied CODE] --out DIR``.

Runs the potentiescan headless (same pipeline as ``gisapp scan`` and the GUI) and writes, in DIR,
the PDF report, the Excel workbook and the styled GeoPackage of the run; on a terminal one progress
line shows the scan and then each file's steps.
"""

from __future__ import annotations

import argparse
import json
import re
import sys

from gisapp.commands import cancelled
from layers.feedback import CancelledError, Part, spans

#: The share of the writing each file takes on the progress bar (PDF, Excel, GeoPackage; as measured
#: on the sample: the PDF's maps and pages weigh most).
WRITE_WEIGHTS = (4, 3, 2)


class _Writing(Part):
    """The progress of writing one file on the report's bar, its steps named after the file
    ("PDF: pagina 3 opmaken", "Excel: blad 4 van 9: gebouwen")."""

    def progress(self, fraction: float, text: str = "") -> None:
        super().progress(fraction, f"{self.text}: {text}" if text else self.text)


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "report",
        help="Voer de potentiescan uit en schrijf PDF-rapport, Excel en GeoPackage met stijlen",
        description="Voer de potentiescan uit en schrijf in MAP een PDF-rapport (kaart, tabellen, grafiek, "
        "toets, parameters), een Excel-werkmap en een GeoPackage die in QGIS met stijlen opent.",
    )
    p.add_argument("project", help="projectbestand (.toml)")
    p.add_argument("--out", required=True, metavar="MAP", help="uitvoermap (wordt aangemaakt)")
    p.add_argument("--scenario", default=None, help="scenario: standaard, optimistisch, pessimistisch of een eigen scenario")
    p.add_argument("--set", dest="overrides", action="append", default=[], metavar="SCAN.PARAM=WAARDE",
                   help="parameter aanpassen, bv. optoppen.bouwjaar_min=1960 (herhaalbaar)")
    p.add_argument("--gebieden", default=None, metavar="LAAG", help="gebiedenlaag voor de scan (standaard de eerste)")
    p.add_argument("--gebied", default=None, metavar="CODE", help="rapport over één gebied (gebied_code)")
    p.add_argument("--gevoeligheid", action="store_true",
                   help="ook gevoeligheid en onzekerheid: P10/P50/P90 per scan in de gebieden (Excel, GeoPackage) en "
                   "een pagina met tornadodiagram in de PDF (zie gisapp gevoeligheid)")
    p.add_argument("--trekkingen", type=int, default=None, metavar="N", help="met --gevoeligheid: aantal trekkingen (200)")
    p.add_argument("--seed", type=int, default=0, metavar="S", help="met --gevoeligheid: startwaarde van de trekkingen")
    p.add_argument("--json", action="store_true", help="print één JSON-object met de geschreven bestanden")
    p.set_defaults(func=run)


def output_stem(project_name: str, scenario: str, gebied: str | None) -> str:
    """A safe file name stem: ``potentiescan_<project>_<scenario>[_<gebied>]``."""
    parts = ["potentiescan", project_name, scenario] + ([gebied] if gebied else [])
    return "_".join(re.sub(r"[^0-9A-Za-z_-]+", "-", p).strip("-") or "x" for p in parts)


def run(args: argparse.Namespace) -> int:
    from gisapp.commands.scan import ProgressBar
    from gisapp.reports.common import context_layers, data_check, gebied_levels, locatiescan_table
    from gisapp.reports.excel import write_excel
    from gisapp.reports.geopackage import write_styled_result
    from gisapp.reports.maps import project_basemap
    from gisapp.reports.pdf import write_pdf
    from layers.project import load_project
    from gisapp.commands import announce
    from scans.inputs import ScanInputs
    from scans.pipeline import run_potentiescan
    from scans.scenarios import resolve_scenario

    from layers.io.tempfiles import check_output_folder

    out = check_output_folder(args.out)  # before the scan: a file, no rights, a name too long
    project = load_project(args.project, announce=announce)
    settings = resolve_scenario(project, args.scenario, args.overrides)
    inputs = ScanInputs.from_project(project, gebieden=args.gebieden)
    if args.gebied and inputs.gebieden is not None:
        codes = inputs.gebieden["gebied_code"].astype(str)
        if not (codes == args.gebied).any():
            raise ValueError(f"gebied '{args.gebied}' niet gevonden in de gebiedenlaag (bijvoorbeeld: {', '.join(codes.head(5))})")
    bar = ProgressBar()
    try:
        result = run_potentiescan(inputs, settings, bar)
    except CancelledError:
        return cancelled(bar)
    bar.finish()
    sensitivity = None
    if args.gevoeligheid:
        from scans import gevoeligheid as g

        draws = g.DEFAULT_DRAWS if args.trekkingen is None else args.trekkingen
        try:
            sensitivity = g.with_band_columns(result, inputs, settings, draws, args.seed, bar)
        except CancelledError:
            return cancelled(bar, "gevoeligheid")
        bar.finish()
    out.mkdir(parents=True, exist_ok=True)
    stem = output_stem(project.name, settings.naam, args.gebied)
    for suffix in (".pdf", ".xlsx", ".gpkg"):
        project.check_output_path(out / f"{stem}{suffix}")  # results never overwrite inputs
    context = context_layers(project)
    locaties = locatiescan_table(project, inputs, settings, result)
    gegevens = data_check(result, project=project)  # the sources with their dates, in every file
    pdf_span, excel_span, gpkg_span = spans(WRITE_WEIGHTS)
    pdf = write_pdf(result, out / f"{stem}.pdf", project_name=project.name, gebied=args.gebied, context_layers=context,
                    locaties=locaties, gegevens=gegevens, basemap=project_basemap(project), gevoeligheid=sensitivity,
                    feedback=_Writing(bar, *pdf_span, "PDF"))
    xlsx = write_excel(result, out / f"{stem}.xlsx", levels=gebied_levels(result, project, args.gebieden), locaties=locaties,
                       gegevens=gegevens, feedback=_Writing(bar, *excel_span, "Excel"))
    gpkg = write_styled_result(result, out / f"{stem}.gpkg", gegevens=gegevens, feedback=_Writing(bar, *gpkg_span, "GeoPackage"))
    bar.finish()
    files = {"pdf": str(pdf), "excel": str(xlsx), "geopackage": str(gpkg)}
    if args.json:
        print(json.dumps({"project": str(args.project), "scenario": settings.naam, "files": files, "totals": result.totals}, ensure_ascii=False))
    else:
        print(f"Rapport voor {project.name}, scenario {settings.naam}:")
        for label, path in (("PDF", pdf), ("Excel", xlsx), ("GeoPackage", gpkg)):
            print(f"  {label:<11} {path}")
    if gegevens.warning_text():
        print(gegevens.warning_text(), file=sys.stderr)
    return 0

