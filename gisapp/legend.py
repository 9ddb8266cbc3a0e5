"""Legend swatches: turn ``styles`` symbols (plain data) into small Qt pictures.

The layer panel shows one row per legend entry under each layer; the entries come from
:func:`styles.legend_entries`, this module only paints them. A class that draws no feature of
the layer (a fixed score class no location reaches: "0 – 20 [0]") stays in the legend, so maps
with the same classes compare, and is marked empty: the panel shows it greyed, as the PDF legend
does (``gisapp.reports.maps``).
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QIcon, QPainter, QPen, QPixmap

from styles.symbols import SymbolStyle, color_to_rgba

SWATCH_SIZE = 16
_HATCH_PATTERNS = {"diagonal": Qt.BrushStyle.BDiagPattern, "cross": Qt.BrushStyle.DiagCrossPattern}


def qcolor(value: str) -> QColor:
    """``"#rrggbbaa"`` (the styles format) → QColor; Qt's own ``#aarrggbb`` order differs."""
    r, g, b, a = color_to_rgba(value)
    return QColor(r, g, b, a)


def color_hex(color: QColor) -> str:
    """QColor → ``"#rrggbbaa"``."""
    return "#{:02x}{:02x}{:02x}{:02x}".format(color.red(), color.green(), color.blue(), color.alpha())


def symbol_pixmap(symbol: SymbolStyle, geometry_kind: str = "polygon", size: int = SWATCH_SIZE) -> QPixmap:
    """A ``size``×``size`` swatch of ``symbol`` as a polygon, line or point."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        fill = qcolor(symbol.fill)
        stroke = QPen(qcolor(symbol.stroke))
        stroke.setWidthF(max(1.0, min(3.0, symbol.stroke_width * 3.0)))
        if geometry_kind == "point":
            painter.setPen(stroke)
            painter.setBrush(QBrush(fill))
            radius = size * 0.32
            painter.drawEllipse(QPointF(size / 2, size / 2), radius, radius)
        elif geometry_kind == "line":
            pen = QPen(fill if fill.alpha() else qcolor(symbol.stroke))
            pen.setWidthF(2.0)
            painter.setPen(pen)
            painter.drawLine(QPointF(1, size - 3), QPointF(size - 1, 3))
        else:
            pattern = _HATCH_PATTERNS.get(symbol.hatch, Qt.BrushStyle.SolidPattern)
            painter.setPen(stroke)
            painter.setBrush(QBrush(fill, pattern))
            painter.drawRect(QRectF(1.5, 1.5, size - 3, size - 3))
    finally:
        painter.end()
    return pixmap


def ramp_pixmap(colors: list[str], width: int = 48, height: int = SWATCH_SIZE) -> QPixmap:
    """A horizontal strip of ``colors`` (``#rrggbbaa``), e.g. to show a colour ramp."""
    pixmap = QPixmap(width, height)
    pixmap.fill(Qt.GlobalColor.transparent)
    if not colors:
        return pixmap
    painter = QPainter(pixmap)
    try:
        step = width / len(colors)
        for i, value in enumerate(colors):
            painter.fillRect(QRectF(i * step, 2, step + 1, height - 4), qcolor(value))
    finally:
        painter.end()
    return pixmap


def legend_icons(style: object, geometry_kind: str = "polygon", unit: str | None = None,
                 data=None) -> list[tuple[str, QIcon]]:
    """(label, icon) per legend entry of ``style``, numbers in the interface language; empty for no style.

    ``unit``: written beside the class values (default: the unit of a graduated style's column).
    ``data``: the layer's features: each entry of a categorized or graduated style then shows how
    many it draws (``"onbekend (gegevens ontbreken) [12]"``, :func:`styles.legend.with_count`).
    """
    return [(label, icon) for label, icon, _empty in legend_rows(style, geometry_kind, unit, data)]


def legend_rows(style: object, geometry_kind: str = "polygon", unit: str | None = None,
                data=None) -> list[tuple[str, QIcon, bool]]:
    """(label, icon, empty) per legend entry, as :func:`legend_icons`; ``empty``: with ``data``, the
    entry draws none of its features (shown greyed)."""
    if style is None:
        return []
    from gisapp.i18n import language, translate_reason
    from styles import Categorized, Graduated, legend_entries
    from styles.legend import legend_counts, with_count

    # labels a style carries as text (a result map's "geen extra woningen") are Dutch: translated here
    entries = [(translate_reason(label), symbol, False) for label, symbol in legend_entries(style, language(), unit)]
    if data is not None and isinstance(style, (Categorized, Graduated)) and hasattr(data, "columns"):
        try:
            counts = legend_counts(style, data)
        except ValueError:  # the style's column is not in the data: the entries without counts
            counts = None
        if counts is not None:
            entries = [(with_count(label, count, language()), symbol, count == 0)
                       for (label, symbol, _), count in zip(entries, counts)]
    return [(label, QIcon(symbol_pixmap(symbol, geometry_kind)), empty) for label, symbol, empty in entries]


def legend_unit(layer) -> str | None:
    """The unit a layer's legend shows: a raster's own unit ("cm"), else None (the style decides)."""
    raster = getattr(layer, "raster", None)
    return (raster.units or None) if raster is not None else None
