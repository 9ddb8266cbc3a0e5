"""Legend entries and the vectorised feature → symbol assignment used by every renderer."""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import numbers
from .field_labels import field_unit
from .graduated import format_number
from .numbers import localise_numbers, with_unit
from .ramps import ramp_colors
from .symbols import Categorized, Graduated, RasterStyle, SingleSymbol, SymbolStyle
from .unknown import unknown_label, unknown_rows

#: Legend label of the symbol for values not in a categorized style.
OTHER_LABEL = "overige waarden"
_OTHER_LABEL = {"nl": OTHER_LABEL, "en": "other values"}


def legend_entries(style, language: str = "nl", unit: str | None = None) -> list[tuple[str, SymbolStyle]]:
    """``[(label, symbol), ...]`` in legend order.

    A single symbol has one entry with an empty label (the layer name stands beside it); a graduated
    style's onbekend class (:mod:`styles.unknown`) comes after its classes; a raster style gives
    five steps from ``vmin`` to ``vmax``. Numbers are written for ``language``
    (nl 1.234,5; en 1,234.5) and class labels get ``unit`` (default: the unit of a graduated
    style's column, e.g. "woningen"; a raster's unit is passed by the caller).
    """
    if isinstance(style, SingleSymbol):
        return [("", style.symbol)]
    if isinstance(style, Categorized):
        entries = [(c.label, c.symbol) for c in style.categories]
        if style.default is not None:
            entries.append((_OTHER_LABEL.get(language, OTHER_LABEL), style.default))
        return entries
    if isinstance(style, Graduated):
        unit = field_unit(style.column) if unit is None else unit
        entries = [(_class_text(c.label, language, unit), c.symbol) for c in style.classes]
        if style.unknown is not None:  # last, as QGIS lists "no data"; after the classes it overrides
            entries.append((unknown_label(style.unknown.label, language), style.unknown.symbol))
        return entries
    if isinstance(style, RasterStyle):
        steps = np.linspace(style.vmin, style.vmax, 5)
        colors = ramp_colors(style.ramp, 5)
        return [(with_unit(format_number(v, language), unit, language), SymbolStyle(fill=c, stroke=c, stroke_width=0.0))
                for v, c in zip(steps, colors)]
    raise ValueError(f"geen legenda voor stijl van type {type(style).__name__}")


def _class_text(label: str, language: str, unit: str | None) -> str:
    """A stored (Dutch) class label in ``language``, a numeric one with its unit ("5 – 12 woningen")."""
    text = localise_numbers(label, language)
    numeric = bool(label) and all(ch.isdigit() or ch in " .,–-" for ch in label)
    return with_unit(text, unit, language) if numeric and unit else text


def symbol_for_features(style, gdf) -> tuple[np.ndarray, list[SymbolStyle]]:
    """Which symbol each row of ``gdf`` is drawn with.

    Returns
    -------
    codes : int ndarray, one per row: an index into ``symbols``, or ``-1`` for rows that are not
        drawn (no category and no default, value outside every class, missing value).
    symbols : the symbols, in the order of :func:`legend_entries`: for a categorized style the
        categories, then the default; for a graduated style the classes, then its onbekend class
        (its rows are taken out of the class their value falls in).
    """
    n = len(gdf)
    if isinstance(style, SingleSymbol):
        return np.zeros(n, dtype=np.int64), [style.symbol]
    if isinstance(style, Categorized):
        symbols = [c.symbol for c in style.categories]
        column = _column(gdf, style.column)
        index = pd.Index([c.value for c in style.categories], dtype=object)
        codes = index.get_indexer(pd.Series(column, dtype=object)).astype(np.int64)
        if style.default is not None:
            codes[codes < 0] = len(symbols)
            symbols.append(style.default)
        return codes, symbols
    if isinstance(style, Graduated):
        symbols = [c.symbol for c in style.classes]
        if not symbols and style.unknown is None:
            return np.full(n, -1, dtype=np.int64), symbols
        values = pd.to_numeric(pd.Series(_column(gdf, style.column)), errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
        uppers = np.array([c.upper for c in style.classes], dtype="float64")
        codes = np.searchsorted(uppers, values, side="left").astype(np.int64)
        lowest = style.classes[0].lower if style.classes else np.inf
        valid = np.isfinite(values) & (values >= lowest) & (values <= (uppers[-1] if uppers.size else -np.inf))
        codes[~valid] = -1
        if style.unknown is not None:
            codes[unknown_rows(style.unknown, values, gdf)] = len(symbols)
            symbols.append(style.unknown.symbol)
        return codes, symbols
    raise ValueError(f"stijl van type {type(style).__name__} is geen vectorstijl")


def legend_counts(style, gdf) -> list[int]:
    """How many rows of ``gdf`` each entry of :func:`legend_entries` draws (same order).

    Rows that are not drawn are in no count; a single symbol has one count (the drawn rows).
    """
    if isinstance(style, RasterStyle):
        raise ValueError("een rasterstijl telt geen objecten")
    codes, symbols = symbol_for_features(style, gdf)
    return np.bincount(codes[codes >= 0], minlength=len(symbols)).tolist()


def with_count(label: str, count: int, language: str = "nl") -> str:
    """A legend label with its number of features, as QGIS shows it: ``"0 woningen [1.234]"``."""
    return f"{label} [{numbers.format_number(int(count), 0, language)}]"


def _column(gdf, name: str):
    if name not in gdf.columns:
        raise ValueError(f"kolom '{name}' voor de stijl ontbreekt in de laag (kolommen: {', '.join(map(str, gdf.columns))})")
    return gdf[name]
