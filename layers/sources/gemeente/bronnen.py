"""The settings file of the services (``bronnen.toml``) and the user's override of it.

The shipped file lists every service's base URL, collection names, page size and licence,
and the sources that need a file (with where to get one). A user's file (``--bronnen FILE``
or ``$BB_BRONNEN``) holds only what it changes; it is merged over the shipped one table by
table, so an air-gapped gemeente points ``[bag] url`` at its own mirror and keeps the rest.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

from layers.errors import DataError
from layers.texts import Translatable
from layers.sources.http import HttpSettings

SHIPPED = Path(__file__).with_name("bronnen.toml")
#: Services the fetch needs; an override may change them but not remove them.
SERVICES = ("cbs", "bag", "bag3d", "monumenten")


def load_bronnen(path: str | Path | None = None) -> dict[str, Any]:
    """The shipped settings with ``path`` (else ``$BB_BRONNEN``, if set) merged over them.

    Raises
    ------
    DataError
        When the override does not exist, is no valid TOML, or gives a service without a URL.
    """
    bronnen = _read(SHIPPED)
    override = path if path is not None else os.environ.get("BB_BRONNEN") or None
    if override is not None:
        bronnen = merge(bronnen, _read(Path(override).expanduser()))
    for name in SERVICES:
        table = bronnen.get(name)
        if not isinstance(table, dict) or not isinstance(table.get("url"), str) or not table["url"].strip():
            raise DataError(Translatable("[{name}] heeft geen url; geef het adres van de dienst op", name=name),
                            path=override or SHIPPED)
    return bronnen


def merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """``override`` over ``base``, tables merged key by key (recursively)."""
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = value
    return out


def http_settings(bronnen: dict[str, Any], source: str | Path | None = None) -> HttpSettings:
    """The ``[http]`` limits of the settings as :class:`HttpSettings` (unknown keys are an error)."""
    table = bronnen.get("http") or {}
    known = set(HttpSettings.__dataclass_fields__)
    unknown = set(table) - known
    if unknown:
        raise DataError(Translatable("[http] kent {unknown} niet; wel: {known}", unknown=", ".join(sorted(unknown)),
                                     known=", ".join(sorted(known))), path=source or SHIPPED)
    try:
        return HttpSettings(**table)
    except (TypeError, ValueError) as exc:
        reason = exc.args[0] if len(exc.args) == 1 else str(exc)  # (a Translatable kept)
        raise DataError(Translatable("[http]: {reason}", reason=reason), path=source or SHIPPED) from exc


def service_url(table: dict[str, Any], jaar: int | None = None) -> str:
    """The service's base URL with ``{jaar}`` filled in and no trailing slash."""
    url = str(table["url"]).strip()
    if "{jaar}" in url:
        if jaar is None:
            raise ValueError(Translatable("deze dienst heeft een jaar nodig (--jaar)"))
        url = url.replace("{jaar}", str(int(jaar)))
    return url.rstrip("/")


def _read(path: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise DataError(Translatable("bronnenbestand bestaat niet"), path=path) from None
    except OSError as exc:
        raise DataError(Translatable("kan het bronnenbestand niet lezen ({reason})", reason=exc.strerror), path=path) from exc
    except tomllib.TOMLDecodeError as exc:
        raise DataError(Translatable("is geen geldig TOML-bestand ({reason})", reason=str(exc)), path=path) from exc
