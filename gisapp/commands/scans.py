"""``gisapp scans list`` and ``gisapp scans help NAME``: the scans and their parameters."""

from __future__ import annotations

import argparse
import json


def register(subparsers) -> None:
    p = subparsers.add_parser("scans", help="Toon de scans, scenario's en hun parameters")
    sub = p.add_subparsers(dest="scans_command", metavar="SUBCOMMAND")
    lst = sub.add_parser("list", help="alle scans, parametersecties en scenario's")
    lst.add_argument("--json", action="store_true", help="als JSON")
    lst.set_defaults(func=run_list)
    hlp = sub.add_parser("help", help="parameters van een scan of sectie (type, standaard, eenheid, bron)")
    hlp.add_argument("name", help="scan (optoppen, splitsen, transformatie, boerenerf) of sectie (beperkingen, algemeen)")
    hlp.add_argument("--json", action="store_true", help="als JSON")
    hlp.set_defaults(func=run_help)
    p.set_defaults(func=lambda args: (p.print_help(), 2)[1])


def run_list(args: argparse.Namespace) -> int:
    from scans.registry import SCANS, SECTIONS
    from scans.scenarios import PRESET_LABELS

    if args.json:
        data = {
            "scans": [{"name": s.name, "label": s.label, "description": s.description} for s in SCANS.values()],
            "sections": [{"name": k, "label": label} for k, (label, _) in SECTIONS.items()],
            "scenarios": PRESET_LABELS,
        }
        print(json.dumps(data, ensure_ascii=False))
        return 0
    print("Scans:")
    for spec in SCANS.values():
        print(f"  {spec.name:<14} {spec.label}: {spec.description}")
    print("Parametersecties:")
    for name, (label, _) in SECTIONS.items():
        print(f"  {name:<14} {label}")
    print("Scenario's:")
    for name, label in PRESET_LABELS.items():
        print(f"  {name:<14} {label}")
    print("Meer: gisapp scans help NAAM (parameters met bron en bereik voor de gevoeligheidsanalyse)")
    return 0


def run_help(args: argparse.Namespace) -> int:
    from scans.params import describe, format_value
    from scans.registry import params_class, section_label

    infos = describe(params_class(args.name))
    if args.json:
        rows = [
            {"name": i.name, "type": i.type, "default": list(i.default) if isinstance(i.default, tuple) else i.default,
             "label": i.label, "unit": i.unit, "source": i.source, "help": i.help,
             "low": i.low, "high": i.high, "distribution": i.distribution if i.has_range else None,
             "varied": "band en een-voor-een" if i.has_range else ("een-voor-een" if i.toggled else "nee"),
             "range_source": i.range_source}
            for i in infos
        ]
        print(json.dumps({"name": args.name, "label": section_label(args.name), "parameters": rows}, ensure_ascii=False))
        return 0
    print(f"{args.name}: {section_label(args.name)}")
    for i in infos:
        unit = f" {i.unit}" if i.unit else ""
        print(f"  {args.name}.{i.name} ({i.type}) = {format_value(i.default)}{unit}")
        print(f"      {i.label}; bron: {i.source}")
        if i.help:
            print(f"      {i.help}")
        print(f"      {range_line(i)}")
    print("Bereik: de gevoeligheidsanalyse (gisapp gevoeligheid) zet elk getal op zijn laag en hoog, de band trekt ze "
          "ertussen (driehoeksverdeling rond de standaardwaarde); ja/nee-keuzes alleen een voor een.")
    return 0


def range_line(info) -> str:
    """One Dutch line on a parameter's range for the sensitivity analysis."""
    why = f"; {info.range_source}" if info.range_source else ""
    if info.has_range:
        kind = "driehoeksverdeling" if info.distribution == "triangular" else "uniform"
        return f"bereik {info.range_text()} ({kind}){why}"
    if info.toggled:
        return f"gevoeligheid: ja/nee een voor een{why}"
    return f"niet gevarieerd{why}"
