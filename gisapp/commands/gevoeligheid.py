"""``gisapp gevoeligheid PROJECT --out DIR``: which assumption decides the answer, and how sure it is.

Runs the one-at-a-time sensitivity analysis and the uncertainty band of
:mod:`scans.gevoeligheid` on the project's data, prepared once, and writes in DIR:

- ``gevoeligheid_een_voor_een.csv``: every parameter at its low and high, per gebied and scan;
- ``gevoeligheid_band.csv``: P10, P50, P90 of the homes per scan and gebied;
- ``gevoeligheid.xlsx``: both tables and the drawn parameter values;
- ``gevoeligheid_gebieden.gpkg``: the gebieden with the band columns
  (``<scan>_woningen_p10``/``_p50``/``_p90``, ``totaal_woningen_p10``/``_p90``);
- ``tornado.png``: the tornado chart (the one in the PDF).
"""

from __future__ import annotations

import argparse
import contextlib
import json
from pathlib import Path

from gisapp.commands import cancelled
from layers.feedback import CancelledError


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "gevoeligheid",
        help="Gevoeligheid en onzekerheid: welke aanname bepaalt de uitkomst, P10–P90 per scan",
        description="Zet elke parameter op zijn laag en hoog (de rest standaard) en trek N keer alle parameters "
        "binnen hun bereik (gisapp scans help NAAM); schrijft in MAP het tornadodiagram, de tabellen (CSV, Excel) "
        "en de gebieden met P10, P50 en P90 van de woningen per scan (GeoPackage).",
    )
    p.add_argument("project", help="projectbestand (.toml)")
    p.add_argument("--out", required=True, metavar="MAP", help="uitvoermap (wordt aangemaakt)")
    p.add_argument("--gebied", default=None, metavar="CODE", help="tornadodiagram en zinnen voor één gebied (gebied_code)")
    p.add_argument("--gebieden", default=None, metavar="LAAG", help="gebiedenlaag (standaard de eerste)")
    p.add_argument("--scenario", default=None, help="scenario: standaard, optimistisch, pessimistisch of een eigen scenario")
    p.add_argument("--set", dest="overrides", action="append", default=[], metavar="SCAN.PARAM=WAARDE",
                   help="parameter aanpassen, bv. optoppen.bouwjaar_min=1960 (herhaalbaar)")
    p.add_argument("--trekkingen", type=int, default=None, metavar="N", help="aantal trekkingen voor de band (standaard 200)")
    p.add_argument("--seed", type=int, default=0, metavar="S", help="startwaarde van de trekkingen (zelfde S: zelfde band)")
    p.add_argument("--dask", default=None, metavar="ADRES",
                   help="trekkingen verdeeld op Dask: 'local' of het adres van een scheduler (tcp://host:8786)")
    p.add_argument("--json", action="store_true", help="print één JSON-object met de bestanden en de band")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from gisapp.commands import announce
    from gisapp.commands.scan import ProgressBar
    from layers.io.tempfiles import check_output_folder
    from layers.project import load_project
    from scans import gevoeligheid as g
    from scans.inputs import ScanInputs
    from scans.scenarios import resolve_scenario

    draws = g.DEFAULT_DRAWS if args.trekkingen is None else args.trekkingen
    if draws < 1:
        raise ValueError("--trekkingen moet minstens 1 zijn")
    out = check_output_folder(args.out)
    project = load_project(args.project, announce=announce)
    settings = resolve_scenario(project, args.scenario, args.overrides)
    inputs = ScanInputs.from_project(project, gebieden=args.gebieden)
    gebied = args.gebied or g.TOTAAL
    bar = ProgressBar()
    try:
        with contextlib.ExitStack() as stack:
            prep = g.prepare(inputs, settings, bar)
            if args.gebied and args.gebied not in prep.gebied_codes:
                raise ValueError(f"gebied '{args.gebied}' niet gevonden (bijvoorbeeld: {', '.join(prep.gebied_codes[:5])})")
            table = g.one_at_a_time(prep, settings, bar)
            band = g.band(prep, settings, draws, args.seed, bar, client=_dask_client(args.dask, stack))
    except CancelledError:
        return cancelled(bar, "gevoeligheid")
    bar.finish()
    out.mkdir(parents=True, exist_ok=True)
    files = write_outputs(out, project, inputs, table, band, gebied)
    sentences = {scan: g.sentence(band, table, scan, gebied) for scan in (*g.SCANS, "totaal")}
    if args.json:
        print(json.dumps({"project": str(args.project), "scenario": settings.naam, "gebied": gebied, "trekkingen": draws,
                          "seed": args.seed, "files": files, "band": band.table.loc[gebied].to_dict(),
                          "zinnen": sentences}, ensure_ascii=False, default=int))
    else:
        print(f"Gevoeligheid voor {project.name}, scenario {settings.naam}, {draws} trekkingen (seed {args.seed}):")
        for text in sentences.values():
            print(f"  {text}")
        for label, path in files.items():
            print(f"  {label:<11} {path}")
    return 0


def _dask_client(address: str | None, stack: contextlib.ExitStack):
    """A Dask client for ``--dask`` (None without), closed with its own cluster when ``stack`` ends."""
    if not address:
        return None
    from scans.batch.distributed import connect

    client = connect(address)
    cluster = getattr(client, "cluster", None)
    if cluster is not None:
        stack.callback(cluster.close)
    stack.callback(client.close)
    return client


def write_outputs(out: Path, project, inputs, table, band, gebied: str) -> dict[str, str]:
    """Write the tables, the chart and the gebieden with band columns in ``out``; returns the paths."""
    import pandas as pd

    from gisapp.reports.pdf import tornado_chart
    from layers.io import geopackage
    from scans import gevoeligheid as g

    paths = {"csv": out / "gevoeligheid_een_voor_een.csv", "band": out / "gevoeligheid_band.csv",
             "excel": out / "gevoeligheid.xlsx", "geopackage": out / "gevoeligheid_gebieden.gpkg",
             "tornado": out / "tornado.png"}
    for path in paths.values():
        project.check_output_path(path)  # results never overwrite inputs
    table.to_csv(paths["csv"], index=False)
    band.table.reset_index().to_csv(paths["band"], index=False)
    with pd.ExcelWriter(paths["excel"], engine="openpyxl") as xl:
        g.tornado(table, "totaal", gebied).to_excel(xl, sheet_name="Tornado", index=False)
        table.to_excel(xl, sheet_name="Een voor een", index=False)
        band.table.reset_index().to_excel(xl, sheet_name="Band", index=False)
        band.values.rename_axis("trekking").reset_index().to_excel(xl, sheet_name="Trekkingen", index=False)
    if inputs.gebieden is not None:
        gebieden = inputs.gebieden.copy()
        gebieden["gebied_code"] = gebieden["gebied_code"].astype(str)
        layer = gebieden.join(band.columns_for(gebieden["gebied_code"]).reset_index(drop=True).set_axis(gebieden.index))
        with geopackage.replacing(paths["geopackage"]) as tmp:
            geopackage.write_frame(layer, tmp, "gebieden_gevoeligheid")
    else:
        del paths["geopackage"]
    title = "Hele project" if gebied == g.TOTAAL else f"Gebied {gebied}"
    tornado_chart(g.tornado(table, "totaal", gebied), paths["tornado"], title=f"{title}: totaal aantal woningen")
    return {name: str(path) for name, path in paths.items()}
