"""Map canvas benchmark: synthetic towns of building rectangles, drawn by ``gisapp.canvas``.

Run on demand (not a test)::

    QT_QPA_PLATFORM=offscreen python bench/canvas_bench.py --sizes 100000 1000000 [--points 1500000] [--json out.json]

For every size it measures: building the drawing snapshot, adding the layer to a canvas, the first
draw at full extent (a forced repaint of a 1600×1000 viewport, and ``render_to_image``), and the
median / 95th-percentile frame time of pans and zooms at full extent, at a middle scale (buildings
2–4 px, the hardest case for level of detail) and zoomed in (1:2 000). Targets (issue 7) for 1M
buildings: first draw ≤ 1 s, every pan/zoom frame ≤ 100 ms.

``--points`` adds the same for a point layer (verblijfsobjecten-like markers of 1.2 mm in four
classes; 1.5 million by default, 0 to skip). For every layer it also measures *showing it when
hidden*: the canvas gets the layer hidden (no item, nothing built), then the layer is switched on;
its snapshot is built in the background, so the figures are the time the GUI thread spends on the
switch, the time until the layer is drawn, and the longest gap between two ticks of a 10 ms GUI
timer meanwhile (the longest freeze). Prints a table and JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import geopandas as gpd  # noqa: E402
import numpy as np  # noqa: E402
import shapely  # noqa: E402

VIEW_W, VIEW_H = 1600, 1000
FRAMES = 15
TARGET_FIRST_DRAW_S = 1.0
TARGET_FRAME_MS = 100.0


def synthetic_town(n: int, seed: int = 1) -> gpd.GeoDataFrame:
    """``n`` building rectangles in clustered towns around RD (155000, 463000), vectorised.

    About 40 m² of land per building: 100k buildings cover ~13 km, 1M ~40 km square. Each building
    has a netcongestie-like class (0–3) for a categorized style.
    """
    rng = np.random.default_rng(seed)
    x, y = _clustered_xy(n, rng)
    w = rng.uniform(6, 20, n)
    h = rng.uniform(6, 16, n)
    klasse = rng.choice(4, n, p=[0.4, 0.3, 0.2, 0.1])
    return gpd.GeoDataFrame({"klasse": klasse}, geometry=shapely.box(x, y, x + w, y + h), crs="EPSG:28992")


def synthetic_points(n: int, seed: int = 2) -> gpd.GeoDataFrame:
    """``n`` points (addresses) clustered like :func:`synthetic_town`, with a class 0–3."""
    rng = np.random.default_rng(seed)
    x, y = _clustered_xy(n, rng)
    klasse = rng.choice(4, n, p=[0.4, 0.3, 0.2, 0.1])
    return gpd.GeoDataFrame({"klasse": klasse}, geometry=shapely.points(x, y), crs="EPSG:28992")


def _clustered_xy(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """``n`` positions in clustered towns around RD (155000, 463000), ~40 m² of land each."""
    side = np.sqrt(n) * 40.0
    centres = rng.uniform(0, side, size=(max(8, n // 5_000), 2))
    which = rng.integers(0, len(centres), n)
    spread = rng.uniform(0.01, 0.05, len(centres))[which] * side
    x = 155_000.0 - side / 2 + centres[which, 0] + rng.normal(0, 1, n) * spread
    y = 463_000.0 - side / 2 + centres[which, 1] + rng.normal(0, 1, n) * spread
    return x, y


COLOURS = ("#1a9641ff", "#ffd92fff", "#fd8d3cff", "#d7191cff")


def _style(kind: str = "polygon"):
    from styles import Categorized, Category, SymbolStyle

    if kind == "point":  # as the verblijfsobjecten default: 1.2 mm markers with a white hairline
        symbols = [SymbolStyle(fill=c, stroke="#ffffffff", stroke_width=0.1, marker_size=1.2) for c in COLOURS]
    else:
        symbols = [SymbolStyle(fill=c, stroke="#636363ff", stroke_width=0.1) for c in COLOURS]
    return Categorized("klasse", tuple(Category(i, str(i), symbol) for i, symbol in enumerate(symbols)))


def show_hidden(gdf, style, kind: str, app) -> dict:
    """Add the layer hidden, then switch it on: GUI time, time until drawn, longest GUI gap."""
    from PySide6.QtCore import QTimer

    from gisapp.canvas import MapCanvas
    from layers.layer import LayerCollection, VectorLayer

    canvas = MapCanvas()
    canvas.resize(VIEW_W, VIEW_H)
    canvas.show()
    app.processEvents()
    layer = VectorLayer("laag", gdf, role="verblijfsobjecten" if kind == "point" else "gebouwen", style=style)
    layer.visible = False
    t0 = time.perf_counter()
    canvas.set_layers(LayerCollection([layer]))
    add_hidden_s = time.perf_counter() - t0
    built_while_hidden = canvas.layer_item(layer) is not None
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start()
    for _ in range(5):
        app.processEvents()
        time.sleep(0.01)
    t0 = time.perf_counter()
    layer.visible = True
    app.processEvents()  # the visibility event reaches the canvas through a queued signal
    switch_s = time.perf_counter() - t0
    while canvas.layer_item(layer) is None and time.perf_counter() - t0 < 120:
        app.processEvents()
        time.sleep(0.002)
    ready_s = time.perf_counter() - t0
    canvas.viewport().repaint()
    drawn_s = time.perf_counter() - t0
    for _ in range(5):
        app.processEvents()
        time.sleep(0.01)
    timer.stop()
    gaps = [b - a for a, b in zip(ticks, ticks[1:])]
    canvas.close()
    canvas.deleteLater()
    app.processEvents()
    return {
        "add_hidden_s": add_hidden_s,
        "built_while_hidden": built_while_hidden,
        "switch_on_gui_s": switch_s,
        "ready_s": ready_s,
        "drawn_s": drawn_s,
        "max_gap_ms": 1000 * max(gaps) if gaps else None,
    }


def _frames(canvas, app, step) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds of FRAMES steps, each forced to paint at once."""
    viewport = canvas.viewport()
    wall, cpu = [], []
    for i in range(FRAMES):
        t0, c0 = time.perf_counter(), time.process_time()
        step(i)
        viewport.repaint()
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    app.processEvents()
    return wall, cpu


def _pan_zoom(canvas, app, label: str) -> dict:
    vb = canvas.view_box()
    x0, y0, x1, y1 = canvas.current_extent()
    dx = (x1 - x0) * 0.05

    def pan(i):
        vb.translateBy(t=(dx if (i // 4) % 2 == 0 else -dx, 0.0))

    def zoom(i):
        factor = 0.8 if i % 2 == 0 else 1.25
        vb.scaleBy((factor, factor))

    pans, pans_cpu = _frames(canvas, app, pan)
    canvas.zoom_to_extent((x0, y0, x1, y1))
    zooms, zooms_cpu = _frames(canvas, app, zoom)
    canvas.zoom_to_extent((x0, y0, x1, y1))
    return {
        "view": label,
        "scale": round(canvas.scale()),
        "pan_median_ms": statistics.median(pans),
        "pan_p95_ms": float(np.percentile(pans, 95)),
        "pan_cpu_median_ms": statistics.median(pans_cpu),
        "zoom_median_ms": statistics.median(zooms),
        "zoom_p95_ms": float(np.percentile(zooms, 95)),
        "zoom_cpu_median_ms": statistics.median(zooms_cpu),
    }


def run(n: int, app, kind: str = "polygon") -> dict:
    from gisapp.canvas import MapCanvas
    from gisapp.canvas_snapshot import build_vector_snapshot
    from layers.layer import LayerCollection, VectorLayer

    t0 = time.perf_counter()
    gdf = synthetic_points(n) if kind == "point" else synthetic_town(n)
    generate_s = time.perf_counter() - t0
    style = _style(kind)

    t0, c0 = time.perf_counter(), time.process_time()
    build_vector_snapshot(gdf, style, kind=kind)
    snapshot_s, snapshot_cpu_s = time.perf_counter() - t0, time.process_time() - c0

    canvas = MapCanvas()
    canvas.resize(VIEW_W, VIEW_H)
    canvas.show()
    app.processEvents()
    layer = VectorLayer("gebouwen" if kind == "polygon" else "verblijfsobjecten", gdf,
                        role="gebouwen" if kind == "polygon" else "verblijfsobjecten", style=style)
    t0, c0 = time.perf_counter(), time.process_time()
    canvas.set_layers(LayerCollection([layer]))  # snapshot + item + zoom to full extent
    add_layer_s = time.perf_counter() - t0
    t1 = time.perf_counter()
    canvas.viewport().repaint()
    first_paint_s = time.perf_counter() - t1
    first_draw_cpu_s = time.process_time() - c0
    t0 = time.perf_counter()
    image = canvas.render_to_image(VIEW_W, VIEW_H)
    render_image_s = time.perf_counter() - t0
    item = canvas.layer_item(layer)

    views = [_pan_zoom(canvas, app, "full extent")]
    full = canvas.current_extent()
    cx, cy = (full[0] + full[2]) / 2, (full[1] + full[3]) / 2
    # Middle scale: buildings (6-20 m) 2-4 px wide → 5 m per pixel.
    half_w, half_h = VIEW_W * 2.5, VIEW_H * 2.5
    canvas.zoom_to_extent((cx - half_w, cy - half_h, cx + half_w, cy + half_h))
    canvas.viewport().repaint()
    views.append(_pan_zoom(canvas, app, "middle (5 m/px)"))
    canvas.zoom_to_scale(2000)
    canvas.viewport().repaint()
    views.append(_pan_zoom(canvas, app, "zoomed in"))

    out = Path(os.environ.get("CANVAS_BENCH_PNG_DIR", "/tmp"))
    image.save(str(out / f"canvas_bench_{'points_' if kind == 'point' else ''}{n}.png"))
    canvas.close()
    canvas.deleteLater()
    app.processEvents()
    first_draw_s = add_layer_s + first_paint_s
    worst_frame = max(max(v["pan_p95_ms"], v["zoom_p95_ms"]) for v in views)
    shown = show_hidden(gdf, style, kind, app)
    return {
        "kind": kind,
        "buildings": n,
        "generate_s": generate_s,
        "snapshot_s": snapshot_s,
        "snapshot_cpu_s": snapshot_cpu_s,
        "add_layer_s": add_layer_s,
        "first_paint_s": first_paint_s,
        "first_draw_s": first_draw_s,
        "first_draw_cpu_s": first_draw_cpu_s,
        "render_to_image_s": render_image_s,
        "views": views,
        "show_hidden": shown,
        "last_frame": dict(item.last_frame),
        "meets_first_draw_target": first_draw_s <= TARGET_FIRST_DRAW_S,
        "meets_frame_target": worst_frame <= TARGET_FRAME_MS,
    }


def _label(r: dict) -> str:
    return f"{r['buildings']:,}{' pt' if r.get('kind') == 'point' else ''}"


def print_table(results: list[dict]) -> None:
    print(f"\nMap canvas benchmark ({VIEW_W}x{VIEW_H} viewport, {FRAMES} frames per measurement; 'pt': point layer)")
    print(
        f"{'features':>12} {'snapshot s':>10} {'add layer s':>11} {'1st paint s':>11} {'1st draw s':>10}"
        f" {'(cpu s)':>8} {'to image s':>10}"
    )
    for r in results:
        print(
            f"{_label(r):>12} {r['snapshot_s']:>10.3f} {r['add_layer_s']:>11.3f} {r['first_paint_s']:>11.3f}"
            f" {r['first_draw_s']:>10.3f} {r['first_draw_cpu_s']:>8.3f} {r['render_to_image_s']:>10.3f}"
        )
    print(
        f"\n{'features':>12} {'view':<18} {'scale 1:':>9} {'pan med':>8} {'pan p95':>8} {'(cpu)':>6}"
        f" {'zoom med':>9} {'zoom p95':>9} {'(cpu)':>6}  (ms)"
    )
    for r in results:
        for v in r["views"]:
            print(
                f"{_label(r):>12} {v['view']:<18} {v['scale']:>9,} {v['pan_median_ms']:>8.1f} {v['pan_p95_ms']:>8.1f}"
                f" {v['pan_cpu_median_ms']:>6.1f} {v['zoom_median_ms']:>9.1f} {v['zoom_p95_ms']:>9.1f} {v['zoom_cpu_median_ms']:>6.1f}"
            )
    print(f"\n{'features':>12} {'add hidden s':>12} {'built?':>7} {'switch on s':>11} {'ready s':>8} {'drawn s':>8} {'max gap ms':>10}")
    for r in results:
        h = r.get("show_hidden")
        if h:
            print(
                f"{_label(r):>12} {h['add_hidden_s']:>12.3f} {'yes' if h['built_while_hidden'] else 'no':>7} {h['switch_on_gui_s']:>11.3f}"
                f" {h['ready_s']:>8.3f} {h['drawn_s']:>8.3f} {h['max_gap_ms']:>10.1f}"
            )
    for r in results:
        print(
            f"{_label(r):>12}: first draw ≤ {TARGET_FIRST_DRAW_S:g} s: {'yes' if r['meets_first_draw_target'] else 'NO'}; "
            f"frames ≤ {TARGET_FRAME_MS:g} ms: {'yes' if r['meets_frame_target'] else 'NO'}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--points", type=int, nargs="*", default=[1_500_000], help="point layer sizes (none: skip)")
    parser.add_argument("--json", type=Path, help="also write the JSON to this file")
    args = parser.parse_args(argv)

    from PySide6 import QtWidgets

    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication([])
    results = [run(n, app) for n in args.sizes] + [run(n, app, kind="point") for n in args.points if n > 0]
    print_table(results)
    payload = {
        "benchmark": "canvas",
        "machine": {
            "cpus": os.cpu_count(),
            "load_average": os.getloadavg(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "results": results,
    }
    text = json.dumps(payload, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
