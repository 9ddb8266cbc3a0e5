"""Map furniture that stays fixed on screen: a scale bar and a north arrow.

Both are children of the ViewBox itself (not of its transformed child group), so they are laid
out in screen pixels and are included when the scene is rendered to an image.
"""

from __future__ import annotations

import math

import pyqtgraph as pg
from PySide6 import QtCore, QtGui

from gisapp.numbers import display_number

MARGIN_PX = 12.0
BAR_TARGET_PX = 120.0
_TEXT_COLOR = QtGui.QColor(30, 30, 30)
_BOX_COLOR = QtGui.QColor(255, 255, 255, 200)


def nice_length(max_metres: float) -> float:
    """The largest 1, 2 or 5 × 10^k metres not above ``max_metres`` (at least 1 cm)."""
    if not math.isfinite(max_metres) or max_metres <= 0:
        return 0.0
    exponent = math.floor(math.log10(max_metres))
    for step in (5.0, 2.0, 1.0):
        length = step * 10.0**exponent
        if length <= max_metres * (1 + 1e-9):
            return max(length, 0.01)
    return max(10.0**exponent, 0.01)


def format_length(metres: float) -> str:
    """``250 m``, ``1 km``, ``2,5 km`` (decimal comma in Dutch, point in English)."""
    if metres >= 1000:
        km = metres / 1000
        return display_number(km, 0 if km == int(km) else 1, "km")
    if metres >= 1:
        return f"{metres:.0f} m"
    return f"{metres * 100:.0f} cm"


class ScaleBarItem(pg.GraphicsObject):
    """A bar of a round length (m/km) in the bottom-left corner of its parent ViewBox."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._length_m = 0.0
        self._length_px = 0.0
        self._font = QtGui.QFont()
        self._font.setPixelSize(11)
        self.setZValue(1e6)

    @property
    def length_m(self) -> float:
        return self._length_m

    @property
    def label(self) -> str:
        return format_length(self._length_m) if self._length_m > 0 else ""

    def update_scale(self, metres_per_pixel: float, view_height_px: float) -> None:
        """Choose the bar length for the current zoom and keep the bar in the bottom-left corner."""
        self.prepareGeometryChange()
        if metres_per_pixel > 0 and math.isfinite(metres_per_pixel):
            self._length_m = nice_length(BAR_TARGET_PX * metres_per_pixel)
            self._length_px = self._length_m / metres_per_pixel
        else:
            self._length_m = self._length_px = 0.0
        self.setPos(MARGIN_PX, view_height_px - MARGIN_PX - self.boundingRect().height())
        self.update()

    def boundingRect(self) -> QtCore.QRectF:
        return QtCore.QRectF(0, 0, self._length_px + 16, 30)

    def paint(self, painter: QtGui.QPainter, option=None, widget=None) -> None:
        if self._length_px <= 0:
            return
        painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
        painter.setPen(QtCore.Qt.PenStyle.NoPen)
        painter.setBrush(_BOX_COLOR)
        painter.drawRoundedRect(self.boundingRect(), 3, 3)
        left, right, base = 8.0, 8.0 + self._length_px, 24.0
        pen = QtGui.QPen(_TEXT_COLOR, 1.5)
        pen.setCosmetic(True)
        painter.setPen(pen)
        half = left + self._length_px / 2
        painter.drawLine(QtCore.QPointF(left, base), QtCore.QPointF(right, base))
        for x, tick in ((left, 6.0), (half, 3.0), (right, 6.0)):
            painter.drawLine(QtCore.QPointF(x, base), QtCore.QPointF(x, base - tick))
        painter.setFont(self._font)
        painter.drawText(QtCore.QRectF(left, 2, self._length_px, 14), QtCore.Qt.AlignmentFlag.AlignCenter, self.label)


class NorthArrowItem(pg.GraphicsObject):
    """A north arrow (the map is always north-up in RD) in the top-right corner of its ViewBox."""

    SIZE = 34.0

    def __init__(self, parent=None):
        super().__init__(parent)
        self._font = QtGui.QFont()
        self._font.setPixelSize(11)
        self._font.setBold(True)
        self.setZValue(1e6)

    def place(self, view_width_px: float) -> None:
        self.setPos(view_width_px - MARGIN_PX - self.SIZE * 0.7, MARGIN_PX)

    def boundingRect(self) -> QtCore.QRectF:
        return QtCore.QRectF(0, 0, self.SIZE * 0.7, self.SIZE + 4)

    def paint(self, painter: QtGui.QPainter, option=None, widget=None) -> None:
        painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
        w = self.SIZE * 0.7
        top, bottom = 14.0, self.SIZE + 2
        painter.setPen(QtCore.Qt.PenStyle.NoPen)
        painter.setBrush(_BOX_COLOR)
        painter.drawRoundedRect(self.boundingRect(), 3, 3)
        pen = QtGui.QPen(_TEXT_COLOR, 1.0)
        pen.setCosmetic(True)
        painter.setPen(pen)
        left_half = QtGui.QPolygonF([QtCore.QPointF(w / 2, top), QtCore.QPointF(w / 2 - 7, bottom), QtCore.QPointF(w / 2, bottom - 6)])
        right_half = QtGui.QPolygonF([QtCore.QPointF(w / 2, top), QtCore.QPointF(w / 2 + 7, bottom), QtCore.QPointF(w / 2, bottom - 6)])
        painter.setBrush(_TEXT_COLOR)
        painter.drawPolygon(left_half)
        painter.setBrush(QtGui.QColor(255, 255, 255))
        painter.drawPolygon(right_half)
        painter.setFont(self._font)
        painter.drawText(QtCore.QRectF(0, 0, w, 14), QtCore.Qt.AlignmentFlag.AlignCenter, "N")
