"""User-facing errors of the data layer."""

from __future__ import annotations

from pathlib import Path


class DataError(Exception):
    """A problem with a data source the user can act on.

    ``str(error)`` is one sentence naming the file and what to do, fit for a
    dialog or a CLI error line; never a traceback.
    """

    def __init__(self, message: str, path: str | Path | None = None, role: str | None = None):
        self.message = message
        self.path = None if path is None else str(path)
        self.role = role
        super().__init__(self.__str__())

    def __str__(self) -> str:
        parts = []
        if self.role:
            parts.append(f"laag '{self.role}'")
        if self.path:
            parts.append(self.path)
        prefix = " ".join(parts)
        return f"{prefix}: {self.message}" if prefix else self.message


#: Errors a user can act on (a file, a value, a missing column or key): the application shows
#: them in a dialog, never as a traceback. Defined once here (no Qt) for every window, dialog
#: and worker of ``gisapp``.
USER_ERRORS = (DataError, ValueError, OSError, KeyError)
