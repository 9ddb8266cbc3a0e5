"""``gisapp info PATH``: describe a data source or a project file (headless, no Qt).

Prints the driver, layers, CRS (and whether it would be reprojected to EPSG:28992),
feature count, geometry types, the role it looks like, the canonical columns found and
missing, and the problems found; for a project also the data check (``scans.gegevens``:
coverage per role and column, which scans can run, what to add, the sources with their
dates). ``--json`` prints one JSON object (the data check under ``gegevens``).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

from layers.crs import RD_NEW
from layers.errors import DataError
from layers.project import load_project
from layers.readers import describe_source
from layers.roles import ROLES

EXIT_USER_ERROR = 2
_PROBLEM_LABELS = {
    "invalid": "ongeldige geometrieën",
    "repaired": "hersteld",
    "empty": "lege geometrieën weggelaten",
    "null": "zonder geometrie weggelaten",
    "wrong_type": "verkeerd geometrietype weggelaten",
    "z": "met Z (hoogte) weggelaten",
    "sentinels": "waarden als 'onbekend' gelezen",
}


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``info`` command to the CLI."""
    parser = subparsers.add_parser(
        "info",
        help="Beschrijf een databestand of project (formaat, CRS, objecten, rol, kolommen, problemen)",
        description="Beschrijf een databestand of project.",
    )
    parser.add_argument("path", metavar="PATH", help="databestand (.gpkg, .geojson, .shp, .fgb, .csv, .tif) of project (.toml)")
    parser.add_argument("--layer", metavar="NAAM", help="laag binnen een bestand met meerdere lagen")
    parser.add_argument("--role", metavar="ROL", choices=sorted(ROLES), help="rol om de kolommen tegen te controleren")
    parser.add_argument("--json", action="store_true", help="print één JSON-object")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Describe ``args.path``; exit code 0, or 2 when a project layer could not be read."""
    if args.path.lower().endswith(".toml"):
        described = describe_project(Path(args.path))
    else:
        described = describe_source(args.path, layer=args.layer, role=args.role)
    if args.json:
        print(json.dumps(described, ensure_ascii=False, default=_json_default))
    else:
        print(format_description(described))
    errors = described.get("errors") or []
    if errors:
        print(f"gisapp: fout: {errors[0]}", file=sys.stderr)
        return EXIT_USER_ERROR
    return 0


def describe_project(path: Path) -> dict[str, Any]:
    """Describe every layer of a project file; unreadable layers are listed under ``errors``."""
    project = load_project(path, load_data=False)
    layers: list[dict[str, Any]] = []
    errors: list[str] = []
    for key, source in project.sources.items():
        resolved = project.resolve(source.path)
        try:
            if isinstance(resolved, Path) and not resolved.exists():
                raise DataError(f"bestand '{source.path}' voor rol '{source.role}' bestaat niet", role=key)
            item = describe_source(
                resolved,
                layer=source.layer,
                role=source.role,
                columns=source.columns or None,
                options=source.options or None,
            )
        except (DataError, ValueError, OSError) as exc:
            errors.append(str(exc))
            layers.append({"key": key, "role": source.role, "path": source.path, "error": str(exc)})
            continue
        layers.append({"key": key, **item})
    summary = _project_summary(project.name, path, layers, errors)
    if not errors:
        summary["gegevens"] = _data_check(path).to_dict()
    return summary


def _data_check(path: Path):
    """The data check of the project's layers (``scans.gegevens``): what the scans can tell from them."""
    from scans.gegevens import check_data

    return check_data(load_project(path))


def _project_summary(name: str, path: Path, layers: list[dict], errors: list[str]) -> dict[str, Any]:
    read = [item for item in layers if "error" not in item]
    geometry_types: dict[str, int] = {}
    problems: dict[str, int] = {}
    for item in read:
        for kind, n in item["geometry_types"].items():
            geometry_types[kind] = geometry_types.get(kind, 0) + n
        for key, n in item["problems"].items():
            if isinstance(n, int):
                problems[key] = problems.get(key, 0) + n
    return {
        "path": str(path),
        "driver": "project",
        "project": name,
        "crs": RD_NEW,
        "count": sum(item["count"] for item in read if item.get("geometry_kind") != "raster"),
        "geometry_types": geometry_types,
        "role": None,
        "columns": {item["key"]: item["columns"] for item in read},
        "problems": problems,
        "layers": layers,
        "errors": errors,
    }


def format_description(described: dict[str, Any]) -> str:
    """Human-readable Dutch text for a description from :func:`describe_source` or a project."""
    if described.get("driver") == "project":
        lines = [f"Project: {described['project']} ({described['path']})"]
        for item in described["layers"]:
            lines.append("")
            if "error" in item:
                lines.append(f"[{item['key']}] rol {item['role']}: FOUT: {item['error']}")
            else:
                lines.append(f"[{item['key']}]")
                lines.extend("  " + line for line in _source_lines(item))
        if described.get("gegevens"):
            from scans.gegevens import DataCheck

            lines += ["", DataCheck.from_dict(described["gegevens"]).to_text()]
        return "\n".join(lines)
    return "\n".join(_source_lines(described))


def _source_lines(d: dict[str, Any]) -> list[str]:
    lines = [f"Bestand:     {d['path']}", f"Formaat:     {d['driver']}"]
    if len(d["layers"]) > 1:
        lines.append(f"Lagen:       {', '.join(d['layers'])} (gelezen: {d['layer']})")
    lines.append(f"CRS:         {_crs_text(d)}")
    if "raster" in d:
        r = d["raster"]
        lines.append(f"Raster:      {r['width']}×{r['height']} cellen van {r['cell_size'][0]:g} m, eenheid {r['units'] or '-'}")
        lines.append(f"Waarden:     {r['min']} – {r['max']}, {r['nodata_cells']} cellen zonder waarde")
    else:
        lines.append(f"Objecten:    {d['count']}")
        types = ", ".join(f"{k} {v}" for k, v in d["geometry_types"].items()) or "geen (tabel)"
        lines.append(f"Geometrie:   {types}")
    lines.append(f"Rol:         {d['role'] or 'onbekend (geef --role op)'}")
    lines.extend(_column_lines(d["columns"]))
    problems = [f"{n} {_PROBLEM_LABELS[k]}" for k, n in d["problems"].items() if k in _PROBLEM_LABELS and n]
    lines.append(f"Problemen:   {'; '.join(problems) if problems else 'geen'}")
    for message in d["messages"]:
        prefix = "let op: " if message["level"] != "info" else ""
        lines.append(f"  - {prefix}{message['text']}")
    return lines


def _crs_text(d: dict[str, Any]) -> str:
    if d["crs"] is None:
        return "geen (gelezen als RD New)" if not d["reprojected"] else "geen"
    if d["reprojected"]:
        return f"{d['crs']} (wordt omgezet naar {d['target_crs']})"
    return d["crs"]


def _column_lines(columns: dict[str, Any]) -> list[str]:
    lines = []
    if columns.get("found"):
        found = ", ".join(c if c == s else f"{c} ← {s}" for c, s in columns["found"].items())
        lines.append(f"Kolommen:    {found}")
    if columns.get("missing_required"):
        lines.append(f"Ontbreekt:   {', '.join(columns['missing_required'])} (verplicht)")
    if columns.get("missing_optional"):
        lines.append(f"Niet aanwezig (optioneel): {', '.join(columns['missing_optional'])}")
    if columns.get("other"):
        lines.append(f"Overige kolommen: {', '.join(columns['other'])}")
    return lines


def _json_default(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, Path):
        return str(value)
    return str(value)
