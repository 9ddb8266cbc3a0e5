"""Legend entries and the vectorised feature → symbol assignment used by every renderer."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .graduated import format_number
from .ramps import ramp_colors
from .symbols import Categorized, Graduated, RasterStyle, SingleSymbol, SymbolStyle

#: Legend label of the symbol for values not in a categorized style.
OTHER_LABEL = "overige waarden"


def legend_entries(style) -> list[tuple[str, SymbolStyle]]:
    """``[(label, symbol), ...]`` in legend order.

    A single symbol has one entry with an empty label (the layer name stands beside it); a raster
    style gives five steps from ``vmin`` to ``vmax``.
    """
    if isinstance(style, SingleSymbol):
        return [("", style.symbol)]
    if isinstance(style, Categorized):
        entries = [(c.label, c.symbol) for c in style.categories]
        if style.default is not None:
            entries.append((OTHER_LABEL, style.default))
        return entries
    if isinstance(style, Graduated):
        return [(c.label, c.symbol) for c in style.classes]
    if isinstance(style, RasterStyle):
        steps = np.linspace(style.vmin, style.vmax, 5)
        colors = ramp_colors(style.ramp, 5)
        return [(format_number(v), SymbolStyle(fill=c, stroke=c, stroke_width=0.0)) for v, c in zip(steps, colors)]
    raise ValueError(f"geen legenda voor stijl van type {type(style).__name__}")


def symbol_for_features(style, gdf) -> tuple[np.ndarray, list[SymbolStyle]]:
    """Which symbol each row of ``gdf`` is drawn with.

    Returns
    -------
    codes : int ndarray, one per row: an index into ``symbols``, or ``-1`` for rows that are not
        drawn (no category and no default, value outside every class, missing value).
    symbols : the symbols; for a categorized style the categories in order, then the default.
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
        if not symbols:
            return np.full(n, -1, dtype=np.int64), symbols
        values = pd.to_numeric(pd.Series(_column(gdf, style.column)), errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
        uppers = np.array([c.upper for c in style.classes], dtype="float64")
        codes = np.searchsorted(uppers, values, side="left").astype(np.int64)
        valid = np.isfinite(values) & (values >= style.classes[0].lower) & (values <= uppers[-1])
        codes[~valid] = -1
        return codes, symbols
    raise ValueError(f"stijl van type {type(style).__name__} is geen vectorstijl")


def _column(gdf, name: str):
    if name not in gdf.columns:
        raise ValueError(f"kolom '{name}' voor de stijl ontbreekt in de laag (kolommen: {', '.join(map(str, gdf.columns))})")
    return gdf[name]
