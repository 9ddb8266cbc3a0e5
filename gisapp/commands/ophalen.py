"""``gisapp ophalen --gemeente GM0221 --out DIR``: fetch a gemeente from the public services.

Writes ``DIR/<naam>.gpkg`` (every layer, each with its source, download date and peildatum in
the GeoPackage metadata) and ``DIR/<naam>.toml`` (a project that ``gisapp scan`` opens at
once), and prints per source the number of objects, whether it was downloaded or came from
the cache, and the sources that need a file. Headless (no Qt); errors are one line, exit 2.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from gisapp.commands.scan import ProgressBar

EXIT_USER_ERROR = 2


class _Feedback(ProgressBar):
    """The progress bar; notes (retries) only on a terminal, so a failing run ends in one line."""

    def message(self, text: str) -> None:
        if self.enabled:
            super().message(text)


def register(subparsers) -> None:
    """Add the ``ophalen`` command to the CLI."""
    p = subparsers.add_parser(
        "ophalen",
        help="Haal een gemeente op bij de openbare diensten (CBS, BAG, 3D BAG, rijksmonumenten) en maak een project",
        description="Haal de gegevens van één gemeente op bij PDOK, de 3D BAG en de RCE en schrijf één GeoPackage "
        "plus een projectbestand dat direct gescand kan worden. Een tweede keer komt alles uit de cache.",
    )
    p.add_argument("--gemeente", required=True, metavar="CODE_OF_NAAM", help="CBS-code (GM0221) of naam (Doesburg)")
    p.add_argument("--out", required=True, metavar="MAP", help="map voor het project (wordt aangemaakt)")
    p.add_argument("--jaar", type=int, metavar="JAAR", help="jaar van CBS Wijken en Buurten (standaard uit het bronnenbestand)")
    p.add_argument("--offline", action="store_true", help="gebruik alleen de cache (geen netwerk)")
    p.add_argument("--vernieuwen", action="store_true", help="haal opnieuw op wat de cache van vóór vandaag heeft")
    p.add_argument("--bronnen", metavar="BESTAND", help="bronnenbestand (TOML) met eigen adressen van de diensten; ook $BB_BRONNEN")
    p.add_argument("--cache", metavar="MAP", help="map van de downloadcache (standaard $BB_CACHE_DIR of de cachemap van de gebruiker)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from layers.io.tempfiles import check_output_folder
    from layers.sources.gemeente import fetch_gemeente

    check_output_folder(args.out)  # before any download: a file, no rights, a name too long
    bar = _Feedback()
    try:
        result = fetch_gemeente(
            args.gemeente,
            Path(args.out),
            jaar=args.jaar,
            offline=args.offline,
            feedback=bar,
            cache_dir=args.cache,
            bronnen=args.bronnen,
            vernieuwen=args.vernieuwen,
        )
    finally:
        bar.finish()
    print(format_summary(result))
    return 0


def format_summary(result) -> str:
    """The Dutch summary: the project, a line per source, the notes, and the files still needed."""
    lines = [
        f"Gemeente {result.gemeente_naam} ({result.gemeente_code}), CBS {result.jaar}",
        f"Project:     {result.project_path}",
        f"GeoPackage:  {result.gpkg_path}",
        "",
        "Bronnen:",
    ]
    for source in result.sources:
        if source.status == "bestand nodig":
            continue
        pages = f"{source.pages_downloaded} pagina's gedownload, {source.pages_cached} uit cache"
        dates = f", opgehaald {source.bron['opgehaald']}" if source.bron.get("opgehaald") else ""
        dates += f", peildatum {source.bron.get('peildatum') or 'onbekend'}"
        lines.append(f"  {source.titel}: {source.features} objecten ({source.status}; {pages}{dates})")
    for note in result.notes:
        lines.append(f"  let op: {note}")
    if result.needs_file:
        lines.append("")
        lines.append("Bestand nodig (geen bruikbare openbare dienst; voeg het toe met 'Laag toevoegen'):")
        for source in result.needs_file:
            lines.append(f"  {source.titel}: {source.waar}")
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover
    from gisapp.cli import main

    sys.exit(main(["ophalen", *sys.argv[1:]]))
