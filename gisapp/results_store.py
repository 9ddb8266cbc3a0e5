"""The last scan's results, saved with the project and checked when it is opened again (no Qt).

Saving a project that shows a scan result writes the result beside the project file as
``<project>.resultaat.gpkg`` (layers ``gebouwen_potentie``, ``gebieden_potentie`` and, for a
portfolio scan, the table ``complexen``) and a table ``[settings.laatste_scan]`` in the TOML:

.. code-block:: toml

    [settings.laatste_scan]
    bestand = "voorbeeldstad.resultaat.gpkg"
    scenario = "standaard"
    parameters = "<sha256 of every parameter>"
    instellingen = { base = "standaard", optoppen = { … }, … }
    totalen = { totaal = 1234.0, … }

    [settings.laatste_scan.invoer.gebouwen]
    grootte = 12345678
    gewijzigd_ns = "1733450000000000000"

The fingerprint (:func:`fingerprint`) is taken when the scan finishes: the size and
modification time of every local input file of a scan role, and a hash of all parameters.
:func:`load_results` reads the result back and :func:`changes` lists, in Dutch, what changed
since (an input file, a missing file, the scenario's parameters): a non-empty list means the
result is *verouderd*.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pyogrio
import pyogrio.errors

from layers.io.geopackage import replacing, write_frame
from layers.texts import Translatable

RESULTS_KEY = "laatste_scan"
SUFFIX = ".resultaat.gpkg"
#: Roles no potentiescan reads: their files may change without making the result out of date.
NOT_SCAN_INPUTS = ("locaties", "referentie")
#: Layer names in the results GeoPackage.
BUILDINGS_LAYER = "gebouwen_potentie"
AREAS_LAYER = "gebieden_potentie"
COMPLEXES_LAYER = "complexen"


def results_path(project_path: str | Path) -> Path:
    """``<folder>/<stem>.resultaat.gpkg`` beside the project file."""
    path = Path(project_path)
    return path.with_name(path.stem + SUFFIX)


def parameter_hash(settings) -> str:
    """A sha256 of every parameter of ``settings`` (a ``ScanSettings``), independent of its name."""
    from scans.scenarios import settings_to_dict

    text = json.dumps(settings_to_dict(settings), sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def input_state(project) -> dict[str, dict[str, int | str]]:
    """``{layer key: {"grootte": bytes, "gewijzigd_ns": mtime}}`` of the local scan input files."""
    state: dict[str, dict[str, int]] = {}
    for key, source in project.sources.items():
        if source.role in NOT_SCAN_INPUTS:
            continue
        resolved = project.resolve(source.path)
        if not isinstance(resolved, Path):
            continue  # a service: its state cannot be told from here
        try:
            stat = resolved.stat()
        except OSError:
            state[key] = {"grootte": -1, "gewijzigd_ns": ""}  # missing now; changes() says so later
            continue
        # nanoseconds as text: a project file holds no integer that large
        state[key] = {"grootte": int(stat.st_size), "gewijzigd_ns": str(stat.st_mtime_ns)}
    return state


@dataclass(frozen=True)
class Fingerprint:
    """What a result was computed from: the scenario, a hash of its parameters, the input files."""

    scenario: str
    parameters: str
    inputs: dict[str, dict[str, int | str]]


def fingerprint(project, settings) -> Fingerprint:
    """The fingerprint of a scan of ``project`` with ``settings``, taken now."""
    return Fingerprint(getattr(settings, "naam", "") or "", parameter_hash(settings), input_state(project))


def _plain(value: Any) -> Any:
    """Totals as TOML-ready plain data (numpy numbers to Python, NaN left out)."""
    if isinstance(value, dict):
        out = {str(k): _plain(v) for k, v in value.items()}
        return {k: v for k, v in out.items() if v is not None}
    if isinstance(value, (list, tuple)):
        return [v for v in (_plain(v) for v in value) if v is not None]
    if isinstance(value, bool) or isinstance(value, str):
        return value
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    if math.isnan(number):
        return None
    return int(number) if float(number).is_integer() and not isinstance(value, float) else number


def save_results(project, result, taken: Fingerprint, project_path: str | Path) -> Path:
    """Write ``result`` beside ``project_path`` and record it in ``project.settings`` (saved with
    the project file by the caller). Returns the GeoPackage's path."""
    from scans.scenarios import settings_to_dict

    target = results_path(project_path)
    with replacing(target) as tmp:
        write_frame(result.gebouwen, tmp, BUILDINGS_LAYER)
        if result.gebieden is not None and len(result.gebieden):
            write_frame(result.gebieden, tmp, AREAS_LAYER)
        if getattr(result, "complexen", None) is not None and len(result.complexen):
            write_frame(pd.DataFrame(result.complexen), tmp, COMPLEXES_LAYER)
    project.settings[RESULTS_KEY] = {
        "bestand": target.name,
        "scenario": taken.scenario,
        "parameters": taken.parameters,
        "instellingen": settings_to_dict(result.settings),
        "totalen": _plain(getattr(result, "totals", {}) or {}),
        "seconden": float(getattr(result, "seconds", 0.0) or 0.0),
        "invoer": {key: dict(value) for key, value in taken.inputs.items()},
    }
    return target


def saved_record(project) -> dict | None:
    """The ``[settings.laatste_scan]`` table of ``project``, or None."""
    record = getattr(project, "settings", {}).get(RESULTS_KEY)
    return record if isinstance(record, dict) and record.get("bestand") else None


def load_results(project):
    """The saved result of ``project`` as a ``ScanResult``, or None when there is none.

    ``DataError``/``OSError``/``ValueError`` when the record or the GeoPackage cannot be read.
    """
    from scans.pipeline import ScanResult
    from scans.scenarios import settings_from_dict

    record = saved_record(project)
    if record is None or project.path is None:
        return None
    path = Path(project.path).parent / str(record["bestand"])
    if not path.exists():
        return None
    try:
        names = {name for name, _kind in pyogrio.list_layers(path)}
        if BUILDINGS_LAYER not in names:
            raise ValueError(Translatable("{path}: laag {layer} ontbreekt; voer de scan opnieuw uit", path=str(path), layer=BUILDINGS_LAYER))
        gebouwen = pyogrio.read_dataframe(path, layer=BUILDINGS_LAYER, use_arrow=True)
        gebieden = pyogrio.read_dataframe(path, layer=AREAS_LAYER, use_arrow=True) if AREAS_LAYER in names else None
        complexen = (pd.DataFrame(pyogrio.read_dataframe(path, layer=COMPLEXES_LAYER, read_geometry=False, use_arrow=True))
                     if COMPLEXES_LAYER in names else None)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
        raise ValueError(Translatable("{path}: het opgeslagen resultaat is niet te lezen ({reason}); voer de scan opnieuw uit",
                                      path=str(path), reason=str(exc))) from None
    scenario = str(record.get("scenario") or "standaard")
    settings = settings_from_dict(record.get("instellingen", {}), naam=scenario, _scenarios=project.scenarios)
    return ScanResult(gebouwen=gebouwen, gebieden=gebieden, complexen=complexen, settings=settings,
                      totals=dict(record.get("totalen", {})), seconds=float(record.get("seconden", 0.0)))


def changes(project) -> list[str]:
    """What changed since the saved result was computed (Dutch, one line each); empty: up to date."""
    from scans.scenarios import resolve_scenario

    record = saved_record(project)
    if record is None:
        return []
    found: list[str] = []
    then = record.get("invoer", {}) or {}
    now = input_state(project)
    for key in sorted(set(then) | set(now)):
        before, after = then.get(key), now.get(key)
        if before is None:
            found.append(f"laag {key} is toegevoegd")
        elif after is None:
            found.append(f"laag {key} is uit het project gehaald")
        elif after.get("grootte") == -1:
            found.append(f"het bestand van laag {key} ontbreekt")
        elif (before.get("grootte"), before.get("gewijzigd_ns")) != (after.get("grootte"), after.get("gewijzigd_ns")):
            found.append(f"het bestand van laag {key} is gewijzigd")
    scenario = str(record.get("scenario") or "standaard")
    try:
        current = parameter_hash(resolve_scenario(project, scenario))
    except ValueError:
        found.append(f"scenario {scenario} bestaat niet meer")
    else:
        if current != record.get("parameters"):
            found.append(f"de parameters van scenario {scenario} zijn gewijzigd")
    return found
