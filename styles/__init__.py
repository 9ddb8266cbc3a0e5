"""Symbology as plain data (no Qt): symbols, renderers, classification, legends, QML.

The canvas, the PDF report and the GeoPackage export all read these objects; see
``docs/ARCHITECTURE.md`` (styles/) for the contract.
"""

from .classify import classify, distinct_count, natural_breaks, quantile_breaks
from .defaults import default_style
from .graduated import class_label, format_number, graduated
from .legend import legend_counts, legend_entries, symbol_for_features, with_count
from .qml import from_qml, to_qml
from .ramps import RAMPS, ramp_colors, ramp_names, ramp_values
from .serialize import style_from_dict, style_to_dict
from .symbols import (
    Categorized,
    Category,
    ClassBreak,
    Graduated,
    RasterStyle,
    SingleSymbol,
    SymbolStyle,
    UnknownClass,
    color_to_float_rgba,
    color_to_rgba,
    normalise_color,
    rgba_to_color,
)
from .unknown import UNKNOWN_LABEL, UNKNOWN_LABELS, UNKNOWN_SYMBOL, unknown_class, with_unknown

__all__ = [
    "RAMPS",
    "Categorized",
    "Category",
    "ClassBreak",
    "Graduated",
    "RasterStyle",
    "SingleSymbol",
    "SymbolStyle",
    "UNKNOWN_LABEL",
    "UNKNOWN_LABELS",
    "UNKNOWN_SYMBOL",
    "UnknownClass",
    "class_label",
    "classify",
    "distinct_count",
    "quantile_breaks",
    "color_to_float_rgba",
    "color_to_rgba",
    "default_style",
    "format_number",
    "from_qml",
    "graduated",
    "legend_counts",
    "legend_entries",
    "natural_breaks",
    "normalise_color",
    "ramp_colors",
    "ramp_names",
    "ramp_values",
    "rgba_to_color",
    "style_from_dict",
    "style_to_dict",
    "symbol_for_features",
    "to_qml",
    "unknown_class",
    "with_count",
    "with_unknown",
]
