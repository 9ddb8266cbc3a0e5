"""Default styles per layer role and for the scan result layers."""

from __future__ import annotations

import numpy as np

from .classify import classify
from .graduated import class_label, classes_from_edges
from .symbols import Categorized, Category, ClassBreak, Graduated, RasterStyle, SingleSymbol, SymbolStyle
from .unknown import with_unknown

#: Colours of the netcongestie codes (capaciteitskaart convention: yellow/orange/red).
NETCONGESTIE_CATEGORIES = (
    (-1, "geen info", "#bdbdbdb3"),
    (0, "beschikbaar", "#1a9641b3"),
    (1, "beperkt", "#ffd92fb3"),
    (2, "congestiemanagement", "#fd8d3cb3"),
    (3, "tekort", "#d7191cb3"),
)
#: Colours of the water/bodem classes (green / amber / red).
WATER_BODEM_CATEGORIES = (
    ("ja", "ja", "#1a9641b3"),
    ("ja_mits", "ja, mits", "#ffbf00b3"),
    ("nee_tenzij", "nee, tenzij", "#d7191cb3"),
)
#: Raster defaults: ramp and the range used when no data is given (DOMAIN.md thresholds inside it).
RASTER_DEFAULTS = {
    "bodemdaling": ("YlOrRd", 0.0, 50.0),
    "overstromingsdiepte": ("Blues", 0.0, 3.0),
    "kwel": ("YlGnBu", 0.0, 1.0),
}
RESULT_RAMP = "YlOrRd"
NO_POTENTIAL = SymbolStyle(fill="#e0e0e0ff", stroke="#a0a0a0ff", stroke_width=0.1)

_SINGLE = {
    "gebouwen": SymbolStyle(fill="#d9d9d9ff", stroke="#8c8c8cff", stroke_width=0.1),
    "verblijfsobjecten": SymbolStyle(fill="#3182bdff", stroke="#ffffffff", stroke_width=0.1, marker_size=1.2),
    "gebieden": SymbolStyle(fill="#00000000", stroke="#252525ff", stroke_width=0.5),
    "nplv": SymbolStyle(fill="#7b3294ff", stroke="#7b3294ff", stroke_width=0.6, hatch="diagonal"),
    "erven": SymbolStyle(fill="#e6c88c99", stroke="#a0784bff", stroke_width=0.3),
    "locaties": SymbolStyle(fill="#2b83ba4d", stroke="#2b83baff", stroke_width=0.6),
}

#: Roles without geometry get no style.
TABLE_ROLES = ("portefeuille",)


def default_style(role: str, gdf=None):
    """The style a layer of ``role`` gets when it is added.

    Parameters
    ----------
    role : a layer role (DOMAIN.md), or ``"gebieden_potentie"`` / ``"gebouwen_potentie"`` for the
        scan results.
    gdf : the layer's data when known: a GeoDataFrame for result layers (the classes come from the
        data), or a ``RasterData`` / array for rasters (the stretch comes from the data).

    Returns
    -------
    A style object, or ``None`` for roles without geometry (``portefeuille``).
    """
    if role in _SINGLE:
        return SingleSymbol(_SINGLE[role])
    if role == "netcongestie":
        cats = [Category(v, label, SymbolStyle(fill=c, stroke="#636363ff", stroke_width=0.1)) for v, label, c in NETCONGESTIE_CATEGORIES]
        return Categorized("status_afname", cats, default=None)
    if role == "water_bodem":
        cats = [Category(v, label, SymbolStyle(fill=c, stroke="#636363ff", stroke_width=0.1)) for v, label, c in WATER_BODEM_CATEGORIES]
        return Categorized("klasse", cats, default=None)
    if role in RASTER_DEFAULTS:
        return _raster_style(role, gdf)
    if role == "gebieden_potentie":
        return _gebieden_result_style(gdf)
    if role == "gebouwen_potentie":
        return _buildings_result_style(gdf)
    if role in TABLE_ROLES:
        return None
    raise ValueError(f"onbekende laagrol {role!r} voor een standaardstijl")


def _values(gdf, column: str) -> np.ndarray:
    if gdf is None or column not in getattr(gdf, "columns", ()):
        return np.array([], dtype="float64")
    values = np.asarray(gdf[column], dtype="float64")
    return values[np.isfinite(values)]


def _gebieden_result_style(gdf) -> Graduated:
    """Gebieden by their extra homes as the panden are drawn: 0 in the grey class "geen extra
    woningen", the gebieden with homes in 4 natural-breaks classes from the lightest yellow (a
    candidate's colour, never 0), and the class "onbekend (gegevens ontbreken)" for a gebied of 0
    homes with panden a scan could not judge (:mod:`styles.unknown`): it is not drawn as 0."""
    values = _values(gdf, "totaal_woningen")
    return with_unknown(Graduated("totaal_woningen", "natural_breaks", _zero_and_candidates(values), RESULT_RAMP), gdf)


def _buildings_result_style(gdf) -> Graduated:
    """Buildings without potential in light grey; candidates by their number of homes; a pand
    whose potential is unknown in the hatched class "onbekend (gegevens ontbreken)".

    A graduated style rather than a categorized one: the outputs have no single "scan" column, and
    a class of exactly 0 plus natural breaks over the candidates shows both *whether* and *how much*.

    Onbekend (:mod:`styles.unknown`): ``totaal_woningen`` is 0 and at least one scan marked the pand
    ``<scan>_onbekend``: it is not drawn as "geen extra woningen". A pand with homes (> 0) that
    some other scan could not judge is drawn by its homes, unmarked: they are known, the figure is
    a lower bound, and identify shows which scan could not judge it. The class is there only when
    some pand is onbekend.
    """
    values = _values(gdf, "totaal_woningen")
    classes = _zero_and_candidates(values, stroke="#8c8c8cff", stroke_width=0.1)
    if len(classes) == 1:  # no candidate in the data (or no data): one class for any homes
        classes.append(ClassBreak(0.0, 1e9, "kandidaat", SymbolStyle(fill="#fd8d3cff", stroke="#8c8c8cff", stroke_width=0.1)))
    return with_unknown(Graduated("totaal_woningen", "natural_breaks", classes, RESULT_RAMP), gdf)


def _zero_and_candidates(values: np.ndarray, candidate_classes: int = 4, **stroke) -> list[ClassBreak]:
    """The class "geen extra woningen" (exactly 0, grey) and natural breaks over the values above
    0 (the first class (0, b], labelled from 1 for whole homes); only the grey class without any.
    ``stroke``: ``stroke``/``stroke_width`` of the coloured classes (``classes_from_edges``)."""
    classes = [ClassBreak(0.0, 0.0, "geen extra woningen", NO_POTENTIAL)]
    positive = values[values > 0]
    if not positive.size:
        return classes
    edges = classify(positive, "natural_breaks", candidate_classes)
    edges[0] = 0.0  # (0, first break]: every candidate falls in a coloured class
    integer = bool(np.all(positive == np.round(positive)))
    classes.extend(classes_from_edges(edges, RESULT_RAMP, integer=integer, **stroke))
    if integer:  # the first coloured class is (0, b]: its smallest member is 1
        first = classes[1]
        classes[1] = ClassBreak(first.lower, first.upper, class_label(min(1.0, first.upper), first.upper), first.symbol)
    return classes


def _raster_style(role: str, data) -> RasterStyle:
    ramp, vmin, vmax = RASTER_DEFAULTS[role]
    array = getattr(data, "array", data)
    if isinstance(array, np.ndarray):  # RasterData or a plain grid; other data (a table) has no stretch
        array = array.astype("float64", copy=False)
        finite = array[np.isfinite(array)]
        if finite.size:
            lo, hi = (float(v) for v in np.percentile(finite, [2, 98]))
            if hi > lo:
                vmin, vmax = lo, hi
    return RasterStyle(ramp, vmin, vmax)
