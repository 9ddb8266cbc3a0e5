"""Building graduated (choropleth) styles from data, with Dutch class labels."""

from __future__ import annotations

import math

import numpy as np

from . import numbers
from .classify import classify
from .ramps import ramp_colors
from .symbols import ClassBreak, Graduated, SymbolStyle

#: Outline of choropleth classes: thin dark grey, so small gebieden stay readable.
CLASS_STROKE = "#505050ff"
CLASS_STROKE_WIDTH = 0.2


def format_number(value: float, locale: str = "nl") -> str:
    """A class edge: ``1.234`` for whole numbers, ``2,5`` for fractions (``locale`` "en": 1,234 / 2.5)."""
    value = float(value)
    if not math.isfinite(value):
        return "–"
    digits = 0 if value == round(value) else (1 if abs(value) >= 10 else 2)
    return numbers.format_number(value, digits, locale)


def class_label(lower: float, upper: float) -> str:
    """``"4 – 12"``, or ``"0"`` for a class of a single value."""
    if lower == upper:
        return format_number(lower)
    return f"{format_number(lower)} – {format_number(upper)}"


def range_label(lower: float, upper: float, first: bool = True, integer: bool = False) -> str:
    """The label of the class ``lower < v <= upper``: with ``integer`` data a class after the first
    starts at the next whole number (``(4, 12]`` reads ``5 – 12``), so labels do not overlap."""
    shown_lo = lower + 1 if integer and not first and lower == round(lower) else lower
    return class_label(min(shown_lo, upper), upper)


def classes_from_edges(
    edges, ramp: str, stroke: str = CLASS_STROKE, stroke_width: float = CLASS_STROKE_WIDTH, integer: bool = False
) -> tuple[ClassBreak, ...]:
    """One :class:`ClassBreak` per consecutive pair of ``edges``, coloured along ``ramp``.

    With ``integer`` (whole-number data such as homes) a class ``(4, 12]`` is labelled ``5 – 12``,
    so the labels do not overlap.
    """
    edges = [float(e) for e in edges]
    n = max(len(edges) - 1, 0)
    colors = ramp_colors(ramp, n)
    classes = []
    for i, (lo, hi, color) in enumerate(zip(edges[:-1], edges[1:], colors)):
        label = range_label(lo, hi, i == 0, integer)
        classes.append(ClassBreak(lo, hi, label, SymbolStyle(fill=color, stroke=stroke, stroke_width=stroke_width)))
    return tuple(classes)


def graduated(column: str, values, method: str = "natural_breaks", k: int = 5, ramp: str = "YlOrRd") -> Graduated:
    """A choropleth of ``column``: classes of ``values`` by ``method`` into ``k`` classes on ``ramp``.

    >>> style = graduated("totaal_woningen", [0, 1, 2, 10, 11, 50], "natural_breaks", 3)
    >>> [c.label for c in style.classes]
    ['0 – 2', '3 – 11', '12 – 50']
    """
    values = np.asarray(values, dtype="float64")
    edges = classify(values, method, k)
    finite = values[np.isfinite(values)]
    integer = bool(finite.size) and bool(np.all(finite == np.round(finite)))
    return Graduated(column, method, classes_from_edges(edges, ramp, integer=integer), ramp)
