"""Static maps for reports: our styles drawn with matplotlib (Agg canvas, no pyplot, no Qt).

Features are grouped by symbol (``styles.symbol_for_features``) and each group is one
``PolyCollection`` or one scatter call, as the app's canvas batches its drawing.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

import numpy as np
import shapely
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.patches import Patch

import styles
from gisapp.i18n import tr
from layers.feedback import Feedback, ensure
from layers.feedback import check as stop_if_cancelled
from layers.sources.basemap import BasemapSetting, basemap_pieces

_HATCH = {None: None, "diagonal": "////", "cross": "xxxx"}
MM_TO_PT = 72 / 25.4


def exterior_rings(geometries) -> list[np.ndarray]:
    """The outer ring of every polygon part as an (n, 2) array (holes are drawn by later layers)."""
    parts = shapely.get_parts(np.asarray(geometries, dtype=object))
    parts = parts[shapely.get_type_id(parts) == 3]
    if parts.size == 0:
        return []
    coords, index = shapely.get_coordinates(shapely.get_exterior_ring(parts), return_index=True)
    return np.split(coords, np.flatnonzero(np.diff(index)) + 1)


def draw_layer(ax, gdf, style, zorder: int = 1) -> None:
    """Draw ``gdf`` with ``style`` on a matplotlib axes."""
    if gdf is None or len(gdf) == 0 or style is None:
        return
    codes, symbols = styles.symbol_for_features(style, gdf)
    geoms = np.asarray(gdf.geometry.values, dtype=object)
    kinds = shapely.get_type_id(geoms)
    for code, symbol in enumerate(symbols):
        mask = codes == code
        if not mask.any():
            continue
        fill = styles.color_to_float_rgba(symbol.fill)
        stroke = styles.color_to_float_rgba(symbol.stroke)
        polys = mask & np.isin(kinds, (3, 6))
        if polys.any():
            hatch = _HATCH[symbol.hatch]
            collection = PolyCollection(
                exterior_rings(geoms[polys]),
                facecolors="none" if hatch else [fill],
                edgecolors=[fill if hatch else stroke],
                linewidths=max(symbol.stroke_width * MM_TO_PT, 0.1),
                hatch=hatch,
                zorder=zorder,
            )
            ax.add_collection(collection)
            if hatch and symbol.stroke != symbol.fill:
                ax.add_collection(
                    PolyCollection(exterior_rings(geoms[polys]), facecolors="none", edgecolors=[stroke], linewidths=symbol.stroke_width * MM_TO_PT, zorder=zorder)
                )
        points = mask & np.isin(kinds, (0, 4))
        if points.any():
            xy = shapely.get_coordinates(geoms[points])
            size = (symbol.marker_size * MM_TO_PT) ** 2
            ax.scatter(xy[:, 0], xy[:, 1], s=size, c=[fill], edgecolors=[stroke], linewidths=symbol.stroke_width * MM_TO_PT, zorder=zorder + 1)


#: A class that draws none of the features stays in the legend (fixed classes keep maps
#: comparable) greyed, as the app's layer panel shows it: its swatch faded, its label grey.
EMPTY_CLASS_ALPHA = 0.3
EMPTY_CLASS_LABEL_COLOR = "0.55"


def legend_handles(style, title_single: str = "", data=None) -> list[Patch]:
    """Matplotlib legend patches for the entries of ``style``; with ``data`` (the features drawn)
    each label carries its number of features (``"onbekend (gegevens ontbreken) [12]"``) and an
    entry that draws none is faded (:data:`EMPTY_CLASS_ALPHA`)."""
    handles = []
    entries = [(label, symbol, False) for label, symbol in styles.legend_entries(style)]
    if data is not None:
        counts = styles.legend_counts(style, data)
        entries = [(styles.with_count(label or title_single, n), symbol, n == 0) for (label, symbol, _), n in zip(entries, counts)]
    for label, symbol, empty in entries:
        hatch = _HATCH[symbol.hatch]
        handles.append(
            Patch(
                facecolor="none" if hatch else styles.color_to_float_rgba(symbol.fill),
                edgecolor=styles.color_to_float_rgba(symbol.fill if hatch else symbol.stroke),
                hatch=hatch,
                linewidth=0.6,
                label=label or title_single,
                alpha=EMPTY_CLASS_ALPHA if empty else None,
            )
        )
    return handles


def legend_label_colors(handles) -> list[str]:
    """The colour of each handle's label: grey for an empty class (a faded handle), else black."""
    return [EMPTY_CLASS_LABEL_COLOR if handle.get_alpha() == EMPTY_CLASS_ALPHA else "black" for handle in handles]


def render_map(
    layers: list[tuple],
    path: str | Path,
    *,
    extent: tuple[float, float, float, float] | None = None,
    legend: list[tuple[str, object]] | None = None,
    labels=None,
    size_mm: tuple[float, float] = (170, 120),
    dpi: int = 200,
    marker: tuple[float, float] | None = None,
    basemap: Callable | None = None,
    feedback: Feedback | None = None,
) -> Path:
    """Draw ``layers`` (bottom first: ``(gdf, style)``) into a PNG with legend, scale bar and north arrow.

    Parameters
    ----------
    legend : ``[(title, style), ...]``: which styles get a legend block; ``(title, style, gdf)``
        adds to each entry the number of features of ``gdf`` it draws.
    labels : optional GeoDataFrame with a ``label`` column, written at representative points.
    marker : an (x, y) location drawn as a cross (informatieproduct).
    basemap : the project's background map (:func:`project_basemap`): drawn beneath the layers
        from the tile cache or an offline file, with its attribution; never the network.
    feedback : progress 0 to 1 per layer, background, legend and the final drawing; a cancel
        raises ``CancelledError`` before the next of these.
    """
    feedback = ensure(feedback)
    fig = Figure(figsize=(size_mm[0] / 25.4, size_mm[1] / 25.4), dpi=dpi)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0.01, 0.01, 0.68, 0.98))
    for z, (gdf, style) in enumerate(layers, start=1):
        stop_if_cancelled(feedback)
        feedback.progress(0.3 * (z - 1) / len(layers), tr("kaart: laag {i} van {n}", i=z, n=len(layers)))
        draw_layer(ax, gdf, style, zorder=z)
    if labels is not None and len(labels):
        points = shapely.point_on_surface(np.asarray(labels.geometry.values, dtype=object))
        xy = shapely.get_coordinates(points)
        for (x, y), text in zip(xy, labels["label"].astype(str)):
            ax.annotate(text, (x, y), ha="center", va="center", fontsize=5.5, zorder=50,
                        bbox={"boxstyle": "round,pad=0.15", "fc": (1, 1, 1, 0.7), "ec": "none"})
    if marker is not None:
        ax.plot([marker[0]], [marker[1]], marker="X", markersize=9, color="black", markeredgecolor="white", zorder=60)
    xmin, ymin, xmax, ymax = extent or _extent(layers)
    _set_extent(ax, xmin, ymin, xmax, ymax, size_mm)
    if basemap is not None:
        stop_if_cancelled(feedback)
        feedback.progress(0.3, tr("kaart: achtergrondkaart"))
        _draw_basemap(ax, basemap, fig, dpi)
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_linewidth(0.5)
    _scale_bar(ax)
    _north_arrow(ax)
    if legend:
        y = 0.98
        for i, (title, style, *data) in enumerate(legend):
            stop_if_cancelled(feedback)
            feedback.progress(0.4 + 0.3 * i / len(legend), tr("kaart: legenda"))
            handles = legend_handles(style, title, data[0] if data else None)
            if not handles:
                continue
            leg = fig.legend(handles=handles, title=title, loc="upper left", bbox_to_anchor=(0.7, y), fontsize=6.5,
                             title_fontsize=7, frameon=False, alignment="left", labelcolor=legend_label_colors(handles))
            fig.canvas.draw()
            bbox = leg.get_window_extent().transformed(fig.transFigure.inverted())
            y = bbox.y0 - 0.02
    stop_if_cancelled(feedback)
    feedback.progress(0.7, tr("kaart afmaken"))
    path = Path(path)
    fig.savefig(path, dpi=dpi)
    feedback.progress(1.0, tr("kaart afmaken"))
    return path


def project_basemap(project) -> Callable | None:
    """The background map of ``project`` for report maps, None when it has none.

    A function ``(bounds, width_px, height_px) -> ([(bounds, RGBA), ...], attribution)`` reading the
    tile cache or the offline file only (``layers.sources.basemap.basemap_pieces``).
    """
    setting = BasemapSetting.from_settings(getattr(project, "settings", None))
    if setting is None:
        return None
    return partial(basemap_pieces, setting, Path(project.folder))


def _draw_basemap(ax, basemap: Callable, fig, dpi: int) -> None:
    """The background images under everything (zorder 0) and the attribution in the corner."""
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    box = ax.get_position()
    width = max(1, int(fig.get_figwidth() * box.width * dpi))
    height = max(1, int(fig.get_figheight() * box.height * dpi))
    pieces, attribution = basemap((x0, y0, x1, y1), width, height)
    for (bx0, by0, bx1, by1), rgba in pieces:
        ax.imshow(rgba, extent=(bx0, bx1, by0, by1), origin="upper", zorder=0, interpolation="bilinear")
    ax.set_xlim(x0, x1)  # imshow widens the limits to its images
    ax.set_ylim(y0, y1)
    if attribution:
        ax.text(0.995, 0.005, attribution, transform=ax.transAxes, ha="right", va="bottom", fontsize=4.5, zorder=70,
                bbox={"boxstyle": "square,pad=0.2", "fc": (1, 1, 1, 0.75), "ec": "none"})


def _extent(layers) -> tuple[float, float, float, float]:
    bounds = np.array([gdf.total_bounds for gdf, _ in layers if gdf is not None and len(gdf)])
    if bounds.size == 0:
        return (0.0, 0.0, 1.0, 1.0)
    return float(bounds[:, 0].min()), float(bounds[:, 1].min()), float(bounds[:, 2].max()), float(bounds[:, 3].max())


def _set_extent(ax, xmin, ymin, xmax, ymax, size_mm) -> None:
    # Equal scale in x and y (RD metres), padded by 4%, centred in the axes.
    width, height = max(xmax - xmin, 1.0), max(ymax - ymin, 1.0)
    aspect = (size_mm[0] * 0.68) / (size_mm[1] * 0.98)
    if width / height > aspect:
        height = width / aspect
    else:
        width = height * aspect
    cx, cy = (xmin + xmax) / 2, (ymin + ymax) / 2
    pad = 1.04
    ax.set_xlim(cx - width * pad / 2, cx + width * pad / 2)
    ax.set_ylim(cy - height * pad / 2, cy + height * pad / 2)
    ax.set_aspect("equal", adjustable="box")


def _scale_bar(ax) -> None:
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    target = (x1 - x0) / 5
    magnitude = 10 ** np.floor(np.log10(target))
    length = max(m * magnitude for m in (1, 2, 5) if m * magnitude <= target)
    bx, by = x0 + (x1 - x0) * 0.04, y0 + (y1 - y0) * 0.04
    ax.plot([bx, bx + length], [by, by], color="black", linewidth=2, solid_capstyle="butt", zorder=70)
    text = f"{length / 1000:g} km" if length >= 1000 else f"{length:g} m"
    ax.text(bx + length / 2, by + (y1 - y0) * 0.015, text, ha="center", va="bottom", fontsize=6, zorder=70)


def _north_arrow(ax) -> None:
    ax.annotate("N", xy=(0.95, 0.95), xytext=(0.95, 0.86), xycoords="axes fraction", ha="center", va="center", fontsize=8,
                fontweight="bold", arrowprops={"arrowstyle": "-|>", "color": "black", "lw": 1.0}, zorder=70)
