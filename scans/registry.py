"""The scan registry: the single source of scans and parameter sections for CLI and GUI."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from scans import boerenerf, optoppen, splitsen, transformatie
from scans.constraints import ConstraintParams
from scans.inputs import AlgemeenParams


@dataclass(frozen=True)
class ScanSpec:
    """One scan: ``run(buildings, inputs, params, feedback) -> DataFrame`` with
    ``<name>_woningen`` and ``<name>_reden`` (and, for the built-in scans, ``<name>_onbekend``
    and ``<name>_bron``: see :func:`scans._rules.scan_frame`)."""

    name: str
    label: str
    params_cls: type
    run: Callable
    description: str = ""


SCANS: dict[str, ScanSpec] = {
    module.NAME: ScanSpec(module.NAME, module.LABEL, module.Params, module.run, module.DESCRIPTION)
    for module in (optoppen, splitsen, transformatie, boerenerf)
}

#: Parameter sections that are not scans: name -> (Dutch label, parameter class).
SECTIONS: dict[str, tuple[str, type]] = {
    "beperkingen": ("Beperkingen en indicatoren (water/bodem, netcongestie, NPLV, stimulans)", ConstraintParams),
    "algemeen": ("Algemeen (pandstatus, toewijzing aan gebieden)", AlgemeenParams),
}


def get(name: str) -> ScanSpec:
    """The scan called ``name``; ``ValueError`` listing the known scans otherwise."""
    try:
        return SCANS[name]
    except KeyError:
        raise ValueError(f"onbekende scan '{name}' (bekend: {', '.join(SCANS)})") from None


def params_class(section: str) -> type:
    """Parameter class of a scan or of a section (``beperkingen``, ``algemeen``)."""
    if section in SCANS:
        return SCANS[section].params_cls
    if section in SECTIONS:
        return SECTIONS[section][1]
    known = ", ".join([*SCANS, *SECTIONS])
    raise ValueError(f"onbekende scan of sectie '{section}' (bekend: {known})")


def section_label(section: str) -> str:
    if section in SCANS:
        return SCANS[section].label
    params_class(section)
    return SECTIONS[section][0]
