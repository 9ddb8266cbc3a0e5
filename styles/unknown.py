"""Unknown is not zero on the result maps: the class "onbekend (gegevens ontbreken)".

Every scan marks per pand ``<scan>_onbekend`` (True: an input was missing, its reason says
"… onbekend (…)"), and ``gebieden_potentie`` counts those panden per gebied in a column of the same
name. Without a class of its own such a pand would be drawn as "geen extra woningen" and read as
zero. The rule, for a map of extra homes (:func:`unknown_flags` names the columns it reads):

- a **pand** is *onbekend* when its homes in the mapped column are 0 (or missing) and at least one
  scan behind that column marked it onbekend: for ``totaal_woningen`` (and ``pct_van_voorraad``)
  any scan, for ``<scan>_woningen`` (and ``<scan>_realistisch``) that scan;
- a **gebied** likewise: 0 homes and at least one pand in it that a scan behind the column could
  not judge. A gebied whose panden are all onbekend is onbekend, and so is one where only a few
  are: a 0 resting on panden nobody could judge is not a figure a planner can defend;
- a pand or gebied **with** homes (> 0) is drawn by its homes, also when another scan could not
  judge it: those homes are known, the figure is a lower bound. The map does not mark it (one
  symbol per feature; a second mark would cover the class colour); identify and the attribute
  table give each scan's reason.

The class is drawn hatched in slate blue with an outline of the same colour (:data:`UNKNOWN_SYMBOL`):
no colour of the YlOrRd classes (candidates) nor the light grey of 0, and another colour than the
purple hatch of NPLV areas. A style gets the class only when the data has onbekend features.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from .symbols import Graduated, SymbolStyle, UnknownClass

#: The class label as stored in a style (Dutch, like every class label) and per language.
UNKNOWN_LABEL = "onbekend (gegevens ontbreken)"
UNKNOWN_LABELS = {"nl": UNKNOWN_LABEL, "en": "unknown (data missing)"}
#: Hatched slate blue with a firm outline: readable on a small pand, apart from 0 and the candidates.
UNKNOWN_SYMBOL = SymbolStyle(fill="#3b5b92ff", stroke="#3b5b92ff", stroke_width=0.3, hatch="diagonal")

#: Columns that are 0 whenever the total is 0: unknown when any scan could not judge.
_FROM_TOTAL = ("totaal_woningen", "pct_van_voorraad")
#: Suffixes of a scan's own figures: unknown when that scan could not judge.
_FROM_SCAN = ("_woningen", "_realistisch")
_FLAG = "_onbekend"


def unknown_flags(column: str, columns) -> tuple[str, ...]:
    """The ``<scan>_onbekend`` columns behind ``column`` among ``columns`` (empty: none)."""
    columns = [str(c) for c in columns]
    present = set(columns)
    if column in _FROM_TOTAL:
        scans = [c[: -len("_woningen")] for c in columns if c.endswith("_woningen")]
        return tuple(f"{s}{_FLAG}" for s in scans if f"{s}{_FLAG}" in present)
    for suffix in _FROM_SCAN:
        if column.endswith(suffix) and f"{column[: -len(suffix)]}{_FLAG}" in present:
            return (f"{column[: -len(suffix)]}{_FLAG}",)
    return ()


def unknown_label(label: str, language: str = "nl") -> str:
    """The stored label of the class in ``language`` (a label of the user's own stays as it is)."""
    return UNKNOWN_LABELS.get(language, label) if label == UNKNOWN_LABEL else label


def flagged(gdf, flags) -> np.ndarray:
    """True per row where any of ``flags`` is set (a true bool or a count > 0); missing is not set."""
    out = np.zeros(len(gdf), dtype=bool)
    for flag in flags:
        if flag in gdf.columns:
            values = pd.to_numeric(pd.Series(gdf[flag], copy=False), errors="coerce")
            out |= values.to_numpy(dtype="float64", na_value=0.0) > 0
    return out


def unknown_rows(unknown: UnknownClass | None, values: np.ndarray, gdf) -> np.ndarray:
    """True per row that belongs to ``unknown``: ``values`` (the mapped column) not above 0 and flagged."""
    if unknown is None:
        return np.zeros(len(gdf), dtype=bool)
    with np.errstate(invalid="ignore"):
        return flagged(gdf, unknown.flags) & ~(np.asarray(values, dtype="float64") > 0)


def unknown_class(column: str, gdf, *, present: bool | None = None) -> UnknownClass | None:
    """The onbekend class of a map of ``column`` over ``gdf``, or None.

    Parameters
    ----------
    present : None: only when ``gdf`` has onbekend features; True: whenever ``gdf`` has the flag
        columns (a layer written elsewhere whose rows are not in memory, as the tiled scan's);
        False: None.
    """
    if gdf is None or present is False:
        return None
    columns = getattr(gdf, "columns", ())
    flags = unknown_flags(column, columns)
    if not flags or column not in columns:
        return None
    unknown = UnknownClass(flags, UNKNOWN_LABEL, UNKNOWN_SYMBOL)
    if present is None:
        values = pd.to_numeric(pd.Series(gdf[column], copy=False), errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
        if not unknown_rows(unknown, values, gdf).any():
            return None
    return unknown


def with_unknown(style, gdf, *, present: bool | None = None):
    """``style`` with the onbekend class of its column over ``gdf`` added (a graduated style that
    has none yet); any other style as it is. For styles built from the data (the style dialog)."""
    if not isinstance(style, Graduated) or style.unknown is not None:
        return style
    unknown = unknown_class(style.column, gdf, present=present)
    return style if unknown is None else replace(style, unknown=unknown)
