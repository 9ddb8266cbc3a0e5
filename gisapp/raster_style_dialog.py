"""Style dialog of a single-band raster: colour ramp, minimum and maximum, opacity.

It builds a :class:`styles.RasterStyle` (plain data, saved in the project file like a vector
style) and assigns it to ``layer.style``; the canvas redraws through ``style_changed``. "Uit
gegevens" sets minimum and maximum to the 2 % and 98 % percentiles of the raster's values (the
stretch QGIS uses by default), so a few outliers do not wash out the ramp.

A colour image (an RGB GeoTIFF such as a luchtfoto) is drawn in its own colours: the dialog then
only sets the layer's opacity.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QVBoxLayout,
)

from gisapp.layer_names import layer_title
from gisapp.i18n import tr
from gisapp.legend import ramp_pixmap
from gisapp.numbers import display_number, localise_spin_box
from gisapp.style_dialog import apply_buttons
from styles import RasterStyle, ramp_colors, ramp_names

#: The percentiles "Uit gegevens" stretches between.
STRETCH_PERCENTILES = (2.0, 98.0)


def stretch_range(array) -> tuple[float, float] | None:
    """The 2–98 % range of the finite values of ``array``; None when it has none."""
    values = np.asarray(array, dtype="float64")
    values = values[np.isfinite(values)]
    if values.size == 0:
        return None
    low, high = np.percentile(values, STRETCH_PERCENTILES)
    return float(low), float(max(high, low))


class RasterStyleDialog(QDialog):
    """Edit the :class:`RasterStyle` of a raster ``layer``; Apply/OK set ``layer.style``."""

    def __init__(self, layer, parent=None) -> None:
        super().__init__(parent)
        self.layer = layer
        self.setObjectName("raster_style_dialog")
        self.setWindowTitle(tr("Stijl van '{name}'", name=layer_title(layer)))
        raster = layer.raster
        self.colour_image = getattr(raster, "rgba", None) is not None
        units = getattr(raster, "units", "") or ""
        style = layer.style if isinstance(layer.style, RasterStyle) else None
        if style is None:
            low, high = stretch_range(raster.array) or (0.0, 1.0)
            style = RasterStyle("Viridis" if "Viridis" in ramp_names() else ramp_names()[0], low, high)

        self.ramp_combo = QComboBox(self)
        for name in ramp_names():
            self.ramp_combo.addItem(QIcon(ramp_pixmap(ramp_colors(name, 7))), name, name)
        self.ramp_combo.setCurrentIndex(max(self.ramp_combo.findData(style.ramp), 0))
        self.min_spin = self._spin(style.vmin, units)
        self.max_spin = self._spin(style.vmax, units)
        self.stretch_button = QPushButton(tr("Uit gegevens"), self)
        self.stretch_button.setToolTip(tr("Minimum en maximum op 2% en 98% van de waarden van het raster"))
        self.stretch_button.clicked.connect(self.stretch_from_data)
        self.opacity_slider = QSlider(Qt.Orientation.Horizontal, self)
        self.opacity_slider.setRange(0, 100)
        opacity = float(getattr(layer, "opacity", 1.0)) if self.colour_image else style.opacity
        self.opacity_slider.setValue(round(opacity * 100))
        self.opacity_label = QLabel(self)
        self.preview = QLabel(self)
        self.preview.setObjectName("raster_ramp_preview")
        self.range_label = QLabel(self)
        self.message = QLabel(self)
        self.message.setWordWrap(True)

        form = QFormLayout()
        form.addRow(tr("Kleurverloop"), self.ramp_combo)
        range_row = QHBoxLayout()
        range_row.addWidget(self.min_spin)
        range_row.addWidget(QLabel("–", self))
        range_row.addWidget(self.max_spin)
        range_row.addWidget(self.stretch_button)
        form.addRow(tr("Minimum – maximum"), range_row)
        opacity_row = QHBoxLayout()
        opacity_row.addWidget(self.opacity_slider, 1)
        opacity_row.addWidget(self.opacity_label)
        form.addRow(tr("Dekking"), opacity_row)
        form.addRow(tr("Voorbeeld"), self.preview)
        form.addRow("", self.range_label)

        buttons = apply_buttons(self)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

        if self.colour_image:
            for widget in (self.ramp_combo, self.min_spin, self.max_spin, self.stretch_button):
                widget.setEnabled(False)
            self.message.setText(tr("Een kleurenbeeld wordt in zijn eigen kleuren getekend; alleen de dekking is in te stellen."))
        self.ramp_combo.currentIndexChanged.connect(self._update)
        self.min_spin.valueChanged.connect(self._update)
        self.max_spin.valueChanged.connect(self._update)
        self.opacity_slider.valueChanged.connect(self._update)
        self._update()

    def _spin(self, value: float, units: str) -> QDoubleSpinBox:
        spin = QDoubleSpinBox(self)
        spin.setRange(-1e12, 1e12)
        spin.setDecimals(3)
        localise_spin_box(spin)
        if units:
            spin.setSuffix(f" {units}")
        spin.setValue(value)
        return spin

    def stretch_from_data(self) -> None:
        """Minimum and maximum from the raster's 2–98 % range."""
        found = stretch_range(self.layer.raster.array)
        if found is None:
            self.message.setText(tr("Dit raster heeft geen waarden."))
            return
        self.min_spin.setValue(found[0])
        self.max_spin.setValue(found[1])

    def build_style(self) -> RasterStyle | None:
        """The style the choices describe; None when the maximum lies below the minimum."""
        vmin, vmax = self.min_spin.value(), self.max_spin.value()
        if vmax < vmin:
            return None
        return RasterStyle(self.ramp_combo.currentData(), vmin, vmax, self.opacity_slider.value() / 100.0)

    def _update(self, *_args) -> None:
        self.opacity_label.setText(display_number(self.opacity_slider.value(), 0, "%"))
        style = self.build_style()
        if style is None:
            self.message.setText(tr("Het maximum ligt onder het minimum."))
            self.preview.setPixmap(QPixmap())
            return
        if not self.colour_image:
            self.message.setText("")
        colors = ramp_colors(style.ramp, 32, alpha=round(255 * style.opacity))
        self.preview.setPixmap(ramp_pixmap(colors, 240, 18))
        units = getattr(self.layer.raster, "units", "") or None
        self.range_label.setText(f"{display_number(style.vmin, None, units)}  …  {display_number(style.vmax, None, units)}")

    def apply(self) -> bool:
        style = self.build_style()
        if style is None:
            return False
        if self.colour_image:
            self.layer.opacity = style.opacity
            return True
        self.layer.style = style
        return True

    def accept(self) -> None:
        if self.apply():
            super().accept()
