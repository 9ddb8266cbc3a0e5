"""``gisapp scan PROJECT --out OUT.gpkg``: run the potentiescan headless (no Qt).

Modelled on ``qgis_process run``: the same registry and pipeline as the GUI. Progress is a
one-line bar on stderr when stderr is a terminal; Ctrl-C cancels cleanly (the output is
written to a temporary file and renamed only when complete).
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from gisapp.commands import cancelled
from layers.feedback import CancelledError


class ProgressBar:
    """:class:`layers.feedback.Feedback` printing one updating line on a terminal."""

    def __init__(self, stream=None, width: int = 30):
        self.stream = stream or sys.stderr
        self.width = width
        self.enabled = bool(getattr(self.stream, "isatty", lambda: False)())
        self.messages: list[str] = []
        self._shown = False

    def progress(self, fraction: float, text: str = "") -> None:
        if not self.enabled:
            return
        fraction = min(max(float(fraction), 0.0), 1.0)
        filled = int(round(fraction * self.width))
        bar = "#" * filled + "-" * (self.width - filled)
        self.stream.write(f"\r[{bar}] {fraction * 100:3.0f}% {text[:40]:<40}")
        self.stream.flush()
        self._shown = True

    def is_cancelled(self) -> bool:
        return False

    def message(self, text: str) -> None:
        self.messages.append(text)
        self.finish()
        print(f"gisapp: let op: {text}", file=self.stream)

    def finish(self) -> None:
        if self._shown:
            self.stream.write("\n")
            self.stream.flush()
            self._shown = False


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "scan",
        help="Voer de potentiescan uit en schrijf een GeoPackage",
        description="Voer alle scans (optoppen, splitsen, transformatie, boerenerf) met hun beperkingen uit "
        "en schrijf gebouwen_potentie, gebieden_potentie en scenario_parameters naar een GeoPackage.",
    )
    p.add_argument("project", help="projectbestand (.toml)")
    p.add_argument("--out", required=True, help="uitvoer-GeoPackage (.gpkg)")
    p.add_argument("--scenario", default=None, help="scenario: standaard, optimistisch, pessimistisch of een eigen scenario uit het project")
    p.add_argument("--set", dest="overrides", action="append", default=[], metavar="SCAN.PARAM=WAARDE",
                   help="parameter aanpassen, bv. optoppen.bouwjaar_min=1960 (herhaalbaar)")
    p.add_argument("--gebieden", default=None, metavar="LAAG", help="naam van de gebiedenlaag (standaard de eerste)")
    p.add_argument("--portefeuille", action="store_true", help="alleen de panden uit de laag 'portefeuille', ook per complex")
    p.add_argument("--dask", default=None, metavar="ADRES",
                   help="reken verdeeld op Dask: 'local' (alle kernen van deze machine) of het adres van een "
                   "scheduler (tcp://host:8786); in tegels lezen de workers hun eigen tegels (zelfde paden nodig), "
                   "anders per gemeente; de uitkomst is gelijk")
    p.add_argument("--tegels", choices=("auto", "ja", "nee"), default="auto",
                   help="reken in tegels van ~150 000 panden: het geheugen groeit niet met het aantal panden en de "
                   "GeoPackage wordt geschreven terwijl de volgende tegel rekent (auto: vanaf "
                   f"{TILED_FROM:,} panden; de uitkomst is gelijk, de volgorde van de panden per tegel)".replace(",", "."))
    p.add_argument("--processen", type=int, default=None, metavar="N",
                   help="in tegels: lees en reken met N processen naast het schrijven "
                   "(standaard het aantal kernen, hoogstens 4; elk proces houdt één tegel in het geheugen)")
    p.add_argument("--snel", action="store_true",
                   help="stem dit proces af op één grote scan: geen garbage collection, vrijgekomen geheugen "
                   "teruggeven aan het systeem (zie gisapp/tuning.py; numpy zonder huge pages: "
                   "NUMPY_MADVISE_HUGEPAGE=0)")
    p.add_argument("--json", action="store_true", help="print één JSON-object met de uitkomsten")
    p.set_defaults(func=run)


def _processes(asked: int | None) -> int:
    import os

    if asked is not None:
        if asked < 1:
            raise ValueError("--processen moet minstens 1 zijn")
        return asked
    return max(1, min(os.cpu_count() or 1, 4))


#: ``--tegels auto`` scans in tiles from this many buildings on.
TILED_FROM = 400_000


def _tiled_reason(project, args):
    """``(reason, tiles)``: reason is None when this run goes in tiles, else why not (shown for
    ``--tegels ja``); tiles is the checked :class:`scans.batch.tiled.ProjectTiles` (or None)."""
    from scans.batch.tiled import ProjectTiles

    if args.tegels == "nee":
        return "uitgezet", None
    if args.portefeuille:
        return "een portefeuillescan rekent in het geheugen", None
    source = ProjectTiles(project, args.gebieden)
    reason = source.why_not()
    if reason is None and args.tegels == "auto":
        from pyogrio.errors import DataLayerError, DataSourceError

        try:
            count = source.extent_and_count()[1]
        except (DataSourceError, DataLayerError, ValueError, OSError):
            # the in-memory run reports an unreadable layer properly
            return "omvang onbekend", None
        if count < TILED_FROM:
            return "klein project", None
    return reason, source


def run(args: argparse.Namespace) -> int:
    started = time.perf_counter()  # "lezen" includes loading the GIS libraries: the user waits for it too
    if args.snel:  # opt-in process-wide tuning: this process runs one scan and ends
        from gisapp import tuning

        tuning.tune_process()
    from gisapp.commands import load_project_for_gpkg_output
    from gisapp.reports.geopackage import add_layer_styles, result_styles, write_result_with_styles
    from scans.gegevens import check_data
    from scans.inputs import ScanInputs
    from scans.pipeline import run_potentiescan
    from scans.scenarios import resolve_scenario

    project, out = load_project_for_gpkg_output(args.project, args.out, load_data=False)
    settings = resolve_scenario(project, args.scenario, args.overrides)
    reason, tiles = _tiled_reason(project, args)
    if reason is not None and args.tegels == "ja":
        print(f"gisapp: let op: niet in tegels gerekend: {reason}", file=sys.stderr)
    bar = ProgressBar()
    if reason is None:
        from scans.batch.tiled import scan_project_tiled

        client = None
        try:
            if args.dask:
                from scans.batch.distributed import connect

                client = connect(args.dask)
            result = scan_project_tiled(project, settings, out, bar, gebieden=args.gebieden, tiles=tiles,
                                        workers=_processes(args.processen), client=client)
            add_layer_styles(out, result_styles(result))  # (the tiled writer streamed the layers)
        except CancelledError:
            return cancelled(bar)
        finally:
            if client is not None:
                cluster = getattr(client, "cluster", None)
                client.close()
                if cluster is not None:
                    cluster.close()
        bar.finish()
        return _summary(args, out, settings, result, bar, {"totaal": time.perf_counter() - started}, tiled=True,
                        check=check_data(project))
    project.load_layers(progress=lambda fraction, keys: bar.progress(fraction, f"lezen: {keys}"))
    if args.snel:
        tuning.give_back()  # what the reader threads freed stays in their arenas otherwise
    stages = {"lezen": time.perf_counter() - started}
    inputs = ScanInputs.from_project(project, gebieden=args.gebieden, portefeuille=args.portefeuille)
    check = check_data(inputs, sources=project, locate=False)  # before the scan releases the vbo's
    del project  # the inputs are the only holder of the layers now: the scan can release them (consume)
    try:
        if args.dask:
            from scans.batch.distributed import run_potentiescan_dask

            result = run_potentiescan_dask(inputs, settings, args.dask, bar)
        else:
            # nothing else holds the layers, so what only the preparation reads goes
            result = run_potentiescan(inputs, settings, bar, consume=True)
            if args.snel:
                tuning.give_back()  # the verblijfsobjecten and the prepared frame are gone
        stages["rekenen"] = result.seconds
        written = time.perf_counter()
        bar.progress(1.0, "schrijven")
        write_result_with_styles(result, out)  # the layers open styled in QGIS (layer_styles)
        stages["schrijven"] = time.perf_counter() - written
    except CancelledError:
        return cancelled(bar)
    except KeyboardInterrupt:
        bar.finish()
        raise
    bar.finish()
    stages["totaal"] = time.perf_counter() - started
    return _summary(args, out, settings, result, bar, stages, tiled=False, check=check)


def _unknown_and_estimated(totals: dict, name: str) -> str:
    """``" (onbekend: N panden, op een schatting: M woningen)"`` for a scan whose totals hold
    panden it could not judge or homes resting on estimated inputs; ``""`` when neither."""
    parts = []
    onbekend = int(totals.get(f"{name}_onbekend") or 0)
    geschat = int(totals.get(f"{name}_woningen_geschat") or 0)
    if onbekend:
        parts.append(f"onbekend: {onbekend} {'pand' if onbekend == 1 else 'panden'}")
    if geschat:
        parts.append(f"op een schatting: {geschat} {'woning' if geschat == 1 else 'woningen'}")
    return f" ({', '.join(parts)})" if parts else ""


def _summary(args, out, settings, result, bar, stages: dict[str, float], *, tiled: bool, check=None) -> int:
    """Print the outcome; ``stages`` are the seconds per step (``lezen``, ``rekenen``,
    ``schrijven``) and ``totaal`` (a tiled run reads, computes and writes at once: only ``totaal``).
    The data check (``check`` completed with the result) goes into the GeoPackage's metadata with
    the sources, into the JSON as ``gegevens``, and as a warning on stderr when data were missing."""
    from gisapp.reports.common import record_sources
    from scans.gegevens import check_result

    gegevens = check_result(result, check)
    record_sources(out, gegevens)
    summary = {
        "project": str(args.project),
        "out": str(out),
        "scenario": settings.naam,
        "buildings": int(result.totals.get("gebouwen", len(result.gebouwen))),
        "gebieden": 0 if result.gebieden is None else int(len(result.gebieden)),
        "complexen": None if result.complexen is None else int(len(result.complexen)),
        "totals": result.totals,
        "seconds": round(result.seconds, 3),
        "stages": {name: round(value, 3) for name, value in stages.items()},
        "dask": args.dask,
        "tegels": tiled,
        "messages": bar.messages,
        "gegevens": gegevens.to_dict(),
    }
    if args.json:
        print(json.dumps(summary, ensure_ascii=False))
    else:
        t = result.totals
        print(f"{out}: {summary['buildings']} panden, {summary['gebieden']} gebieden, scenario {settings.naam}")
        for name in ("optoppen", "splitsen", "transformatie", "boerenerf"):
            print(f"  {name:<14} {t[name]:>8} woningen{_unknown_and_estimated(t, name)}")
        print(f"  {'totaal':<14} {t['totaal']:>8} woningen "
              f"(uitgesloten nee-tenzij: {t['woningen_uitgesloten_nee_tenzij']}, ja-mits: {t['woningen_ja_mits']}, "
              f"in congestie: {t['woningen_in_congestie']})")
        if t.get("panden_vervallen"):
            per_status = ", ".join(f"{status}: {n}" for status, n in dict(t.get("panden_vervallen_per_status") or {}).items() if n)
            print(f"  Vervallen panden: {t['panden_vervallen']}" + (f" ({per_status})" if per_status else ""))
        steps = ", ".join(f"{name} {value:.2f} s" for name, value in stages.items() if name != "totaal")
        total = f"{stages['totaal']:.2f} s" + (" in tegels: lezen, rekenen en schrijven tegelijk" if tiled else "")
        print(f"  {steps} (totaal {total})" if steps else f"  totaal {total}")
    if gegevens.warning_text():
        print(gegevens.warning_text(), file=sys.stderr)
    return 0
