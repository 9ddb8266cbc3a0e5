"""Temporary files every later run recognises, and the output path checked before the work.

Every temporary file the writers make is named ``.beterbenutten-<pid>-<purpose>-<token><suffix>``
(:func:`temp_path`): one prefix, the owning process id inside, a name of at most
:data:`MAX_NAME` characters whatever the output is called (an output name of 250 characters
must not make a temporary name that is too long). Files that SQLite and GDAL put beside it
(``-journal``, ``-wal``, ``-shm``, GDAL's ``.tmp_rtree_<layer>.db``) start with that name too.

A run that is killed cannot remove its files; :func:`sweep_stale` (called before a write, in
the output's folder) removes those whose owner process no longer exists. A file of a process
that still runs is left alone (it may be another run writing in the same folder).

:func:`check_output` refuses, before any work, an output that cannot be written: a folder, a
missing parent folder, a folder without write permission, a name longer than the file system
takes.
"""

from __future__ import annotations

import os
import re
import secrets
from pathlib import Path

from layers.errors import DataError
from layers.texts import Translatable

#: Every temporary file of the application starts with this.
PREFIX = ".beterbenutten-"
#: Longest temporary name (the usual limit of a file name is 255 bytes).
MAX_NAME = 80
_STALE = re.compile(r"^\.beterbenutten-(\d+)-")
#: Outputs that are SQLite databases: their journal gets the name plus this.
_SQLITE_SUFFIXES = (".gpkg", ".sqlite", ".db")
_JOURNAL = "-journal"


def temp_path(folder: str | os.PathLike, purpose: str, suffix: str = ".tmp") -> Path:
    """A fresh, not yet existing path in ``folder`` named for this process and ``purpose``.

    ``purpose`` is a short word (``scan``, ``rapport``); characters other than letters, digits,
    ``_`` and ``-`` are dropped and the whole name is cut to :data:`MAX_NAME` characters.
    """
    word = re.sub(r"[^A-Za-z0-9_-]", "", purpose)[:24] or "tmp"
    suffix = re.sub(r"[^A-Za-z0-9_.-]", "", suffix)[:16]
    name = f"{PREFIX}{os.getpid()}-{word}-{secrets.token_hex(4)}{suffix}"
    return Path(folder) / name[:MAX_NAME]


def owner_alive(pid: int) -> bool:
    """Whether process ``pid`` exists (a process of another user counts as existing)."""
    if pid <= 0:
        return False
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:  # e.g. Windows: no signal 0; assume it runs rather than remove its files
        return True
    return True


def sweep_stale(folder: str | os.PathLike) -> list[Path]:
    """Remove this application's temporary files in ``folder`` whose owner process is gone.

    Returns the removed paths. Files that cannot be removed (permissions, a file in use on
    Windows) are left for a later run; a missing folder sweeps nothing.
    """
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        match = _STALE.match(entry.name)
        if match is None or owner_alive(int(match.group(1))):
            continue
        try:
            if entry.is_file(follow_symlinks=False) or entry.is_symlink():
                os.unlink(entry.path)
                removed.append(Path(entry.path))
        except OSError:
            continue
    return removed


def check_output(path: str | os.PathLike, *, suffixes: tuple[str, ...] = (), kind: str = "bestand") -> Path:
    """``path`` as a Path when a file can be written there; else a one-line ``DataError`` naming it.

    Checked: the suffix (when ``suffixes`` are given), not a folder, the parent folder exists
    and is writable, the name fits the file system (``NAME_MAX``). Then the stale temporary files
    of killed runs in that folder are removed (:func:`sweep_stale`).
    """
    path = Path(path).expanduser()
    if suffixes and path.suffix.lower() not in suffixes:
        wanted = ", ".join(suffixes)
        raise ValueError(Translatable("{path}: de uitvoer moet een {kind} ({wanted}) zijn; kies een andere naam",
                                      path=path, kind=kind, wanted=wanted))
    parent = path.parent
    limit = _name_max(parent)
    if path.suffix.lower() in _SQLITE_SUFFIXES:  # SQLite needs room for its "<name>-journal" beside it
        limit -= len(_JOURNAL)
    if len(os.fsencode(path.name)) > limit:  # first: a name too long makes every other check fail
        raise DataError(Translatable("de bestandsnaam is langer dan {limit} tekens (de grens van het bestandssysteem, "
                                     "met ruimte voor '{journal}'); kies een kortere naam", limit=limit, journal=_JOURNAL),
                        path=_short(path))
    if path.is_dir():
        raise DataError(Translatable("dit is een map; geef een bestandsnaam op voor de uitvoer"), path=path)
    if not parent.is_dir():
        raise DataError(Translatable("map bestaat niet; maak haar eerst aan of kies een andere map voor de uitvoer"), path=path)
    if not os.access(parent, os.W_OK | os.X_OK):
        raise DataError(Translatable("geen schrijfrechten in deze map; kies een andere map voor de uitvoer"), path=parent)
    if path.exists() and not os.access(path, os.W_OK):
        raise DataError(Translatable("het bestand is alleen-lezen; kies een andere naam of maak het schrijfbaar"), path=path)
    sweep_stale(parent)
    return path


def check_output_folder(path: str | os.PathLike) -> Path:
    """``path`` as a Path when it is, or can become, a folder for output files; else a one-line
    ``DataError``: an existing file, a name too long, no write permission in the nearest existing
    folder. Stale temporary files in an existing folder are removed (:func:`sweep_stale`)."""
    path = Path(path).expanduser()
    if path.exists() and not path.is_dir():
        raise DataError(Translatable("dit is een bestand, geen map; geef een map op voor de uitvoer"), path=path)
    existing = path
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    limit = _name_max(existing if existing.is_dir() else existing.parent)
    if any(len(os.fsencode(part)) > limit for part in path.parts):
        raise DataError(Translatable("een mapnaam is langer dan {limit} tekens; kies een kortere naam", limit=limit), path=_short(path))
    if existing.is_file():
        raise DataError(Translatable("hier staat een bestand waar een map moet komen; kies een andere map"), path=existing)
    if not os.access(existing, os.W_OK | os.X_OK):
        raise DataError(Translatable("geen schrijfrechten in deze map; kies een andere map voor de uitvoer"), path=existing)
    if path.is_dir():
        sweep_stale(path)
    return path


def _name_max(folder: Path) -> int:
    try:
        return int(os.pathconf(folder, "PC_NAME_MAX"))
    except (OSError, ValueError, AttributeError):  # Windows has no pathconf
        return 255


def _short(path: Path) -> str:
    """A long path for a message: its folder and the start and end of its name."""
    name = path.name
    return str(path.parent / (name if len(name) <= 60 else f"{name[:30]}…{name[-20:]}"))


def remove_with_companions(path: str | os.PathLike) -> None:
    """Remove ``path`` and every file beside it whose name starts with its name (SQLite's
    ``-journal``/``-wal``/``-shm``, GDAL's ``.tmp_rtree_<layer>.db``)."""
    path = Path(path)
    try:
        entries = list(os.scandir(path.parent))
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith(path.name):
            try:
                os.unlink(entry.path)
            except OSError:
                continue
