"""User-facing errors of the data layer."""

from __future__ import annotations

import errno
import os
from pathlib import Path

from layers.texts import Translatable


class DataError(Exception):
    """A problem with a data source the user can act on.

    ``str(error)`` is one sentence naming the file and what to do, fit for a
    dialog or a CLI error line; never a traceback. ``message`` may be a
    :class:`layers.texts.Translatable`; :attr:`text` (also ``args[0]``) is the whole sentence as
    one, so the interface can word it in its language (the CLI prints the Dutch).
    """

    def __init__(self, message: str, path: str | Path | None = None, role: str | None = None):
        self.message = message
        self.path = None if path is None else str(path)
        self.role = role
        super().__init__(self.text)

    @property
    def text(self) -> Translatable:
        """The whole sentence: ``laag 'ROLE' PATH: MESSAGE`` (prefix parts only when known)."""
        if self.role and self.path:
            return Translatable("laag '{role}' {path}: {message}", role=self.role, path=self.path, message=self.message)
        if self.role:
            return Translatable("laag '{role}': {message}", role=self.role, message=self.message)
        if self.path:
            return Translatable("{path}: {message}", path=self.path, message=self.message)
        return Translatable("{message}", message=self.message)

    def __str__(self) -> str:
        return str(self.text)


#: Errors a user can act on (a file, a value, a missing column or key): the application shows
#: them in a dialog, never as a traceback. Defined once here (no Qt) for every window, dialog
#: and worker of ``gisapp``.
USER_ERRORS = (DataError, ValueError, OSError, KeyError)


# --------------------------------------------------------------------------- the user's environment

#: errno → (what happened, what to do), in Dutch, for failures the user's machine causes.
_ENVIRONMENT = {
    errno.ENOSPC: (Translatable("de schijf is vol"), Translatable("maak ruimte vrij of kies een andere map")),
    errno.EDQUOT: (Translatable("het schijfquotum is op"), Translatable("ruim bestanden op of kies een andere map")),
    errno.EFBIG: (Translatable("het bestand wordt groter dan het systeem toestaat (bestandsgroottelimiet, ulimit -f)"),
                  Translatable("hef de limiet op of kies een bestandssysteem zonder die limiet")),
    errno.ENAMETOOLONG: (Translatable("de naam is te lang voor het bestandssysteem"), Translatable("kies een kortere naam")),
    errno.EACCES: (Translatable("geen toegang (rechten)"),
                   Translatable("kies een map waarin u mag schrijven of pas de rechten aan")),
    errno.EPERM: (Translatable("niet toegestaan (rechten)"),
                  Translatable("kies een map waarin u mag schrijven of pas de rechten aan")),
    errno.EROFS: (Translatable("het bestandssysteem is alleen-lezen"), Translatable("kies een andere map")),
    errno.ENOENT: (Translatable("bestand of map bestaat niet"), Translatable("controleer het pad")),
    errno.EISDIR: (Translatable("dit is een map, geen bestand"), Translatable("geef een bestandsnaam op")),
    errno.EIO: (Translatable("lees- of schrijffout van de schijf"),
                Translatable("controleer de schijf of kies een andere map")),
    errno.ECONNREFUSED: (Translatable("de server weigert de verbinding"),
                         Translatable("controleer het adres en of de server draait")),
    errno.ECONNRESET: (Translatable("de verbinding werd verbroken"), Translatable("probeer het later opnieuw")),
    errno.ETIMEDOUT: (Translatable("de verbinding duurde te lang"), Translatable("controleer de netwerkverbinding")),
    errno.EHOSTUNREACH: (Translatable("de server is onbereikbaar"), Translatable("controleer de netwerkverbinding")),
    errno.ENETUNREACH: (Translatable("het netwerk is onbereikbaar"), Translatable("controleer de netwerkverbinding")),
}
#: The same failures as the C libraries (GDAL, SQLite) word them in their own exceptions.
_ENVIRONMENT_TEXTS = (
    ("no space left on device", errno.ENOSPC),
    ("database or disk is full", errno.ENOSPC),
    ("disk quota exceeded", errno.EDQUOT),
    ("file too large", errno.EFBIG),
    ("file name too long", errno.ENAMETOOLONG),
    ("read-only file system", errno.EROFS),
    ("attempt to write a readonly database", errno.EROFS),
    ("permission denied", errno.EACCES),
)


def environment_message(exc: BaseException, path: str | Path | None = None) -> str | None:
    """One Dutch line (a :class:`~layers.texts.Translatable`) for a failure the user's environment causes (a full disk, a quota, a file
    size limit, a name too long, permissions, a read-only file system, the network, too little
    memory), naming the path and what to do; None for anything else (a real bug).

    The exception and its causes (``__cause__``/``__context__``) are searched for an ``OSError``
    with such an ``errno``, else for the wording GDAL and SQLite use in their own exceptions.
    ``path`` names the file when the exception does not (GDAL's exceptions seldom do).
    """
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in chain and len(chain) < 10:
        chain.append(current)
        current = current.__cause__ or current.__context__
    for error in chain:
        if isinstance(error, OSError) and error.errno in _ENVIRONMENT:
            return _environment_line(error.errno, error.filename or path)
    for error in chain:
        text = str(error).lower()
        for words, code in _ENVIRONMENT_TEXTS:
            if words in text:
                return _environment_line(code, getattr(error, "filename", None) or path)
    for error in chain:
        if isinstance(error, MemoryError):
            memory = Translatable("te weinig werkgeheugen; sluit andere programma's, of reken in tegels "
                                  "(gisapp scan --tegels ja)")
            return Translatable("{path}: {message}", path=path, message=memory) if path else memory
        if isinstance(error, (ConnectionError, TimeoutError)):
            return _environment_line(errno.ECONNRESET if isinstance(error, ConnectionError) else errno.ETIMEDOUT, path)
    return None


def _environment_line(code: int, path: str | Path | None) -> Translatable:
    what, todo = _ENVIRONMENT[code]
    if path:
        return Translatable("{path}: {what}; {todo}", path=str(path), what=what, todo=todo)
    return Translatable("{what}; {todo}", what=what, todo=todo)


def write_failure_message(exc: BaseException, path: str | Path | None) -> str | None:
    """One Dutch line for a write to ``path`` that a library (GDAL through pyogrio, SQLite) gave up
    on without saying why, when the cause lies in the machine: GDAL reports the first error (the
    file size limit, the full disk) on its error stack and pyogrio raises only the last one
    ("cannot rollback"). So the surroundings of ``path`` are looked at instead: a file size limit
    of this process, a folder on a read-only file system, almost no free space. None when the
    exception is not such a library error or nothing in the surroundings explains it.
    """
    if path is None or type(exc).__module__.split(".")[0] not in ("pyogrio", "sqlite3"):
        return None
    folder = Path(path).expanduser().parent
    try:
        import resource

        soft, _ = resource.getrlimit(resource.RLIMIT_FSIZE)
        if soft != resource.RLIM_INFINITY:
            return _environment_line(errno.EFBIG, path)
    except (ImportError, AttributeError, OSError, ValueError):  # no such limit on this platform
        pass
    try:
        stat = os.statvfs(folder)
        if stat.f_flag & getattr(os, "ST_RDONLY", 1):
            return _environment_line(errno.EROFS, path)
        if stat.f_bavail * stat.f_frsize < _NEARLY_FULL_BYTES:
            return _environment_line(errno.ENOSPC, path)
    except (AttributeError, OSError):  # no statvfs (Windows), or the folder is gone
        pass
    if folder.is_dir() and not os.access(folder, os.W_OK):
        return _environment_line(errno.EACCES, path)
    return None


#: Less free space than this after a failed write: the disk ran full (the temporary file is gone again).
_NEARLY_FULL_BYTES = 64 * 1024 * 1024
