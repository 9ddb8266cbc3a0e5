"""Colour ramps as lists of hex colours, and sampling n colours from them.

The anchor colours are ColorBrewer's 9-class sequential schemes (Cynthia Brewer, Penn State,
Apache-2.0 licence) and matplotlib's viridis sampled at 9 points (CC0), so the canvas, the PDF and
QGIS show the same colours.
"""

from __future__ import annotations

import numpy as np

from .symbols import color_to_rgba, rgba_to_color

RAMPS: dict[str, tuple[str, ...]] = {
    "YlOrRd": ("#ffffcc", "#ffeda0", "#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c", "#bd0026", "#800026"),
    "Blues": ("#f7fbff", "#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#08519c", "#08306b"),
    "Greens": ("#f7fcf5", "#e5f5e0", "#c7e9c0", "#a1d99b", "#74c476", "#41ab5d", "#238b45", "#006d2c", "#00441b"),
    "Reds": ("#fff5f0", "#fee0d2", "#fcbba1", "#fc9272", "#fb6a4a", "#ef3b2c", "#cb181d", "#a50f15", "#67000d"),
    "Purples": ("#fcfbfd", "#efedf5", "#dadaeb", "#bcbddc", "#9e9ac8", "#807dba", "#6a51a3", "#54278f", "#3f007d"),
    "YlGnBu": ("#ffffd9", "#edf8b1", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#253494", "#081d58"),
    "Viridis": ("#440154", "#472d7b", "#3b528b", "#2c728e", "#21918c", "#28ae80", "#5ec962", "#addc30", "#fde725"),
}


def ramp_names() -> list[str]:
    """The names of the available ramps, for a choice in the GUI."""
    return list(RAMPS)


def ramp_anchors(name: str) -> tuple[str, ...]:
    """The anchor colours of ramp ``name`` (``ValueError`` naming the choices when unknown)."""
    try:
        return RAMPS[name]
    except KeyError:
        raise ValueError(f"onbekende kleurverloop {name!r}: kies uit {', '.join(RAMPS)}") from None


def ramp_colors(name: str, n: int, alpha: int = 255) -> list[str]:
    """``n`` colours ``#rrggbbaa`` evenly spread over ramp ``name`` (linear in RGB).

    One colour gives the middle of the ramp; two give its ends.
    """
    if int(n) < 0:
        raise ValueError(f"aantal kleuren {n!r} moet 0 of meer zijn")
    anchors = np.array([color_to_rgba(c)[:3] for c in ramp_anchors(name)], dtype="float64")
    if n == 0:
        return []
    positions = np.array([0.5]) if n == 1 else np.linspace(0.0, 1.0, int(n))
    return [rgba_to_color(*rgb, alpha) for rgb in _interpolate(anchors, positions)]


def ramp_values(name: str, values: np.ndarray, vmin: float, vmax: float) -> np.ndarray:
    """RGBA float array (n, 4) in 0–1 for ``values`` stretched from ``vmin`` to ``vmax``; NaN → transparent."""
    values = np.asarray(values, dtype="float64")
    anchors = np.array([color_to_rgba(c)[:3] for c in ramp_anchors(name)], dtype="float64")
    span = vmax - vmin
    pos = np.zeros_like(values) if span <= 0 else np.clip((values - vmin) / span, 0.0, 1.0)
    nan = np.isnan(values)
    rgb = _interpolate(anchors, np.where(nan, 0.0, pos).ravel()) / 255.0
    out = np.concatenate([rgb, np.where(nan.ravel(), 0.0, 1.0)[:, None]], axis=1)
    return out.reshape(values.shape + (4,))


def _interpolate(anchors: np.ndarray, positions: np.ndarray) -> np.ndarray:
    grid = np.linspace(0.0, 1.0, len(anchors))
    rgb = np.stack([np.interp(positions, grid, anchors[:, i]) for i in range(3)], axis=1)
    return np.rint(rgb).astype(int)
