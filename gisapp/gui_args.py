"""Argument definitions of the GUI commands (no Qt import: used by the CLI parser)."""

from __future__ import annotations

import argparse


def add_arguments(name: str, parser: argparse.ArgumentParser) -> None:
    if name == "open":
        parser.add_argument("path", nargs="?", help="project (.toml) of databestand; standaard het voorbeeldproject")
        parser.add_argument("--lang", choices=["nl", "en"], default=None, help="taal van de interface")
    elif name == "screenshot":
        parser.add_argument("path", help="project (.toml)")
        parser.add_argument("--out", required=True, help="PNG-bestand om te schrijven")
        parser.add_argument("--scan", action="store_true", help="voer eerst de standaardscan uit")
        parser.add_argument("--size", default="1600x1000", help="venstergrootte BxH in pixels")
        parser.add_argument("--lang", choices=["nl", "en"], default=None)
