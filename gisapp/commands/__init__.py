"""Headless CLI commands. Each module has ``register(subparsers)`` that sets ``func``.

No module here imports Qt (import-linter contract in pyproject.toml).
"""

import sys


def announce(line: str) -> None:
    """Tell the user on stderr what is about to happen (e.g. files read from outside the project)."""
    print(f"gisapp: {line}", file=sys.stderr)


def cancelled(bar, what: str = "scan") -> int:
    """End the progress bar after a cancel, say so in one line and give the exit code (130)."""
    bar.finish()
    print(f"gisapp: {what} afgebroken, geen uitvoer geschreven", file=sys.stderr)
    return 130


def load_project_for_gpkg_output(project_path, out_path, *, load_data: bool = True):
    """``(project, out)`` for a command writing one GeoPackage: the output is checked first
    (``.gpkg``, its folder exists), the project is loaded (sources outside its folder announced;
    with ``load_data=False`` only checked, the layers are read later), and ``out`` may not be
    one of the project's inputs (results never overwrite inputs)."""
    from layers.io.tempfiles import check_output
    from layers.project import load_project

    # before any work: a folder, a missing or read-only folder, a name too long
    out = check_output(out_path, suffixes=(".gpkg",), kind="GeoPackage")
    project = load_project(project_path, announce=announce, load_data=load_data)
    return project, project.check_output_path(out)
