"""Previous and next extent, as QGIS' "Zoom Last" and "Zoom Next".

:class:`ExtentHistory` is a bounded list of extents with a current position (no Qt).
:class:`ExtentHistoryController` feeds it from a ``MapCanvas``: an extent is remembered once the
map has stood still for :data:`SETTLE_MS` (one pan is one step, not a step per mouse move), and
going back or forward zooms the canvas without adding a step.
"""

from __future__ import annotations

from PySide6 import QtCore

#: At most this many extents are remembered (the oldest is dropped).
MAX_EXTENTS = 50
#: An extent is remembered after the map stood still this long (milliseconds).
SETTLE_MS = 300
#: Two extents closer than this fraction of their width count as the same.
SAME_EXTENT = 1e-3


def same_extent(a, b) -> bool:
    """True when extents ``a`` and ``b`` (xmin, ymin, xmax, ymax) differ by less than a hair."""
    if a is None or b is None:
        return False
    width = max(abs(a[2] - a[0]), abs(b[2] - b[0]), 1e-9)
    return all(abs(p - q) <= SAME_EXTENT * width for p, q in zip(a, b))


class ExtentHistory:
    """Extents visited, oldest first, with the position of the one shown."""

    def __init__(self, limit: int = MAX_EXTENTS):
        if limit < 2:
            raise ValueError(f"een uitsnedegeschiedenis heeft minstens 2 plaatsen nodig, niet {limit}")
        self.limit = limit
        self.extents: list[tuple] = []
        self.index = -1

    def current(self):
        return self.extents[self.index] if self.index >= 0 else None

    def push(self, extent) -> bool:
        """Remember ``extent`` after the current one (dropping the "next" ones); False when it is
        the current one already."""
        extent = tuple(float(v) for v in extent)
        if same_extent(extent, self.current()):
            return False
        del self.extents[self.index + 1:]
        self.extents.append(extent)
        if len(self.extents) > self.limit:
            del self.extents[0]
        self.index = len(self.extents) - 1
        return True

    def can_back(self) -> bool:
        return self.index > 0

    def can_forward(self) -> bool:
        return 0 <= self.index < len(self.extents) - 1

    def back(self):
        """The previous extent (now current), or None at the start."""
        if not self.can_back():
            return None
        self.index -= 1
        return self.extents[self.index]

    def forward(self):
        """The next extent (now current), or None at the end."""
        if not self.can_forward():
            return None
        self.index += 1
        return self.extents[self.index]

    def clear(self) -> None:
        self.extents = []
        self.index = -1


class ExtentHistoryController(QtCore.QObject):
    """Keeps an :class:`ExtentHistory` of ``canvas`` and moves the canvas through it."""

    changed = QtCore.Signal()  # can_back/can_forward may have changed

    def __init__(self, canvas, parent: QtCore.QObject | None = None):
        super().__init__(parent if parent is not None else canvas)
        self.canvas = canvas
        self.history = ExtentHistory()
        self._timer = QtCore.QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SETTLE_MS)
        self._timer.timeout.connect(self.record)
        canvas.extent_changed.connect(lambda _extent: self._timer.start())

    def record(self) -> None:
        """Remember the canvas's extent now (normally done when the map stood still)."""
        self._timer.stop()
        if self.canvas.map_units_per_pixel() <= 0:
            return
        if self.history.push(self.canvas.current_extent()):
            self.changed.emit()

    def back(self) -> bool:
        return self._go(self.history.back)

    def forward(self) -> bool:
        return self._go(self.history.forward)

    def _go(self, step) -> bool:
        if self._timer.isActive():
            self.record()  # an extent reached just now is a step too
        extent = step()
        if extent is None:
            return False
        self.canvas.zoom_to_extent(extent)
        # the canvas shows this extent now; the settle timer then finds it current and adds nothing
        self.history.extents[self.history.index] = tuple(self.canvas.current_extent())
        self.changed.emit()
        return True

    def clear(self) -> None:
        """Forget every extent (another project); the next settled view is the first."""
        self._timer.stop()
        self.history.clear()
        self.changed.emit()
