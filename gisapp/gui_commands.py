"""The GUI commands of the ``gisapp`` CLI: ``open`` and ``screenshot``.

Loaded by :mod:`gisapp.cli` through importlib, so the headless commands never import Qt.
User errors raise (``DataError``, ``ValueError``, ``OSError``) and the CLI turns them into
one stderr line and exit code 2.
"""

from __future__ import annotations

import argparse
from pathlib import Path


def run(name: str, args: argparse.Namespace) -> int:
    """Run GUI command ``name`` (``"open"`` or ``"screenshot"``); returns the exit code."""
    commands = {"open": _open, "screenshot": _screenshot}
    if name not in commands:
        raise ValueError(f"onbekend GUI-commando {name!r}: kies uit {', '.join(commands)}")
    return commands[name](args)


def _open(args: argparse.Namespace) -> int:
    from gisapp.app import application, main_window

    app = application()
    path = getattr(args, "path", None)
    if path and not Path(path).exists():
        raise OSError(f"{path}: bestand bestaat niet")
    # The window and the map come first; the layers are read in the background (issue 7).
    window = main_window(path, lang=getattr(args, "lang", None), background=True)
    window.show()
    return int(app.exec())


def parse_size(text: str) -> tuple[int, int]:
    """``"1600x1000"`` → ``(1600, 1000)``; ``ValueError`` naming the text otherwise."""
    try:
        width, height = (int(part) for part in str(text).lower().split("x"))
    except ValueError:
        raise ValueError(f"ongeldige venstergrootte {text!r}: verwacht BREEDTExHOOGTE, bijvoorbeeld 1600x1000") from None
    if not (200 <= width <= 10000 and 200 <= height <= 10000):
        raise ValueError(f"venstergrootte {text!r} moet tussen 200x200 en 10000x10000 liggen")
    return width, height


def run_default_scan(window) -> object:
    """Run the standard scenario synchronously on the window's project and add the results."""
    from scans.inputs import ScanInputs
    from scans.pipeline import run_potentiescan
    from scans.scenarios import resolve_scenario

    project = window.project
    keys = list(project.gebieden_layers())
    inputs = ScanInputs.from_project(project, gebieden=keys[0] if keys else None)
    result = run_potentiescan(inputs, resolve_scenario(project, "standaard", []))
    window.add_scan_result(result)
    return result


def _screenshot(args: argparse.Namespace) -> int:
    from gisapp.app import application, main_window, use_offscreen_when_headless

    use_offscreen_when_headless()
    width, height = parse_size(args.size)
    out = Path(args.out)
    if not Path(args.path).exists():
        raise OSError(f"{args.path}: projectbestand bestaat niet")
    app = application()
    window = main_window(args.path, lang=getattr(args, "lang", None), show_errors=False)
    window.resize(width, height)
    window.show()
    app.processEvents()
    window.canvas.zoom_full()
    if args.scan:
        run_default_scan(window)
    grab(window, out)
    window.set_modified(False)
    window.close()
    return 0


def grab(window, out: Path) -> Path:
    """Render ``window`` into the PNG ``out`` once all pending paints have run."""
    from PySide6.QtWidgets import QApplication

    canvas = getattr(window, "canvas", None)
    if canvas is not None and hasattr(canvas, "wait_for_layers"):
        canvas.wait_for_layers()  # large layers are prepared in the background
    for _ in range(5):
        QApplication.processEvents()
    out.parent.mkdir(parents=True, exist_ok=True)
    image = window.grab()
    if not image.save(str(out), "PNG"):
        raise OSError(f"{out}: kan de schermafbeelding niet schrijven")
    return out
