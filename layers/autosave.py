"""Autosave and recovery of projects (no Qt: the app drives it with a timer).

A saved project ``wijk.toml`` is autosaved beside it as ``.wijk.toml.autosave``, so the
relative data paths in it stay valid; when that folder cannot be written (a read-only
share), and for a project that was never saved, the autosave goes to the user's state
folder with absolute data paths. After a crash the app asks :func:`find_recovery` whether
an autosave newer than the project exists, offers it, and loads it with
:func:`load_recovery`; saving or closing normally calls :func:`discard_autosave`.

Every write is atomic (:func:`layers.project.atomic_write_text`): a crash during an
autosave leaves the previous autosave, never a half-written one.
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

import tomli_w

from layers.errors import DataError
from layers.project import Project, atomic_write_text, load_project
from layers.texts import Translatable

AUTOSAVE_SUFFIX = ".autosave"
#: Environment variable overriding the state folder (tests, portable installs).
STATE_DIR_ENV = "BETER_BENUTTEN_STATE_DIR"
_APP_DIR = "beter-benutten"
_UNSAVED_NAME = "naamloos.toml"


def state_dir() -> Path:
    """The per-user folder for autosaves of unsaved projects.

    ``$BETER_BENUTTEN_STATE_DIR``; else ``%LOCALAPPDATA%\\beter-benutten`` on Windows,
    ``~/Library/Application Support/beter-benutten`` on macOS and
    ``$XDG_STATE_HOME/beter-benutten`` (``~/.local/state/beter-benutten``) elsewhere.
    """
    override = os.environ.get(STATE_DIR_ENV)
    if override:
        return Path(override).expanduser()
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state")
    return base / _APP_DIR


def autosave_path(project_path: str | Path | None) -> Path:
    """Where the autosave of the project at ``project_path`` goes.

    Parameters
    ----------
    project_path : the project file, or None for a project that was never saved.

    Returns
    -------
    ``<folder>/.<name>.autosave`` beside a saved project (``.wijk.toml.autosave``);
    ``<state dir>/autosave/naamloos.toml.autosave`` for an unsaved one.
    """
    if project_path is None:
        return state_dir() / "autosave" / f"{_UNSAVED_NAME}{AUTOSAVE_SUFFIX}"
    path = Path(project_path).expanduser().resolve()
    return path.with_name(f".{path.name}{AUTOSAVE_SUFFIX}")


def _fallback_path(project_path: Path) -> Path:
    """Autosave in the state folder for a project whose own folder cannot be written."""
    digest = hashlib.sha256(str(project_path).encode("utf-8")).hexdigest()[:12]
    return state_dir() / "autosave" / f"{project_path.stem}-{digest}.toml{AUTOSAVE_SUFFIX}"


def _candidates(project_path: str | Path | None) -> list[Path]:
    if project_path is None:
        return [autosave_path(None)]
    resolved = Path(project_path).expanduser().resolve()
    return [autosave_path(resolved), _fallback_path(resolved)]


def write_autosave(project: Project) -> Path:
    """Write the project's current state to its autosave file, atomically.

    The project itself is not touched: its ``path``, its source paths and the project
    file on disk stay as they are.

    Returns
    -------
    Path of the autosave written.

    Raises
    ------
    OSError
        When neither the project folder nor the state folder can be written.
    """
    data = project.to_dict()
    project_path = None if project.path is None else Path(project.path).resolve()
    header = _header(project_path)
    if project_path is not None:
        target = autosave_path(project_path)
        try:
            atomic_write_text(target, header + tomli_w.dumps(data))
            return target
        except OSError:
            target = _fallback_path(project_path)
    else:
        target = autosave_path(None)
    atomic_write_text(target, header + tomli_w.dumps(_absolute_paths(data, project)))
    return target


def _header(project_path: Path | None) -> str:
    original = str(project_path) if project_path is not None else "(nog niet opgeslagen)"
    return f"# Automatisch opgeslagen kopie van {original}; wordt verwijderd na opslaan.\n"


def _absolute_paths(data: dict, project: Project) -> dict:
    """``data`` with every local source path absolute, for an autosave outside the project folder."""
    layers = {}
    for key, table in data.get("layers", {}).items():
        table = dict(table)
        resolved = project.resolve(table["path"])
        if isinstance(resolved, Path):
            table["path"] = str(resolved)
        layers[key] = table
    return {**data, "layers": layers}


def find_recovery(project_path: str | Path | None) -> Path | None:
    """An autosave worth offering after a crash, or None.

    An autosave qualifies when it is newer than the project file (or the project file
    is gone) and is a readable project file; of several candidates the newest wins.
    A damaged autosave is never offered.
    """
    project_mtime = _mtime(Path(project_path).expanduser()) if project_path is not None else None
    best: tuple[float, Path] | None = None
    for candidate in _candidates(project_path):
        mtime = _mtime(candidate)
        if mtime is None or (project_mtime is not None and mtime <= project_mtime):
            continue
        try:
            load_project(candidate, load_data=False)
        except DataError:
            continue
        if best is None or mtime > best[0]:
            best = (mtime, candidate)
    return None if best is None else best[1]


def load_recovery(project_path: str | Path | None, *, load_data: bool = True) -> Project:
    """Load the autosave found by :func:`find_recovery` as the project at ``project_path``.

    The returned project's ``path`` is the original project file (None for an unsaved
    project), so the next save goes where the user expects.

    Raises
    ------
    DataError
        When there is nothing to recover, or the data it names cannot be read.
    """
    found = find_recovery(project_path)
    if found is None:
        where = project_path if project_path is not None else autosave_path(None)
        raise DataError(Translatable("er is geen automatisch opgeslagen versie om te herstellen"), where)
    project = load_project(found, load_data=load_data)
    if project_path is None:
        project.path = None
    else:
        original = Path(project_path).expanduser().resolve()
        if found.parent != original.parent:  # a state-folder autosave has absolute paths
            for source in project.sources.values():
                source.path = _relative_if_inside(source.path, original.parent)
        project.path = original
    return project


def _relative_if_inside(path_str: str, folder: Path) -> str:
    path = Path(path_str)
    if path.is_absolute() and path.is_relative_to(folder):
        return path.relative_to(folder).as_posix()
    return path_str


def discard_autosave(project_path: str | Path | None) -> None:
    """Remove the autosave(s) of the project (after a normal save or close, or a declined recovery)."""
    for candidate in _candidates(project_path):
        try:
            candidate.unlink()
        except FileNotFoundError:
            pass


def _mtime(path: Path) -> float | None:
    try:
        return path.stat().st_mtime if path.is_file() else None
    except OSError:
        return None
