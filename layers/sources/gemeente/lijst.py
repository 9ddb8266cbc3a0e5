"""All gemeenten of one CBS Wijken en Buurten year as (code, naam), for a search box.

The list is read with exactly the request :func:`~layers.sources.gemeente.cbs_gebieden.find_gemeente`
falls back on (every gemeente of the year, through the same disk cache), so once the app has
listed the gemeenten, fetching one of them finds it in the cache without asking the server
again; and a list read once is there offline too. Qt-free.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from layers.sources.gemeente.bronnen import http_settings, load_bronnen, service_url
from layers.sources.gemeente.cbs_gebieden import _CODE_KEYS, _NAME_KEYS, column
from layers.sources.gemeente.ogc import read_items
from layers.sources.http import DiskCache, HttpClient


def list_gemeenten(
    jaar: int | None = None,
    *,
    offline: bool = False,
    feedback: Any = None,
    cache_dir: str | Path | None = None,
    bronnen: str | Path | dict | None = None,
) -> list[tuple[str, str]]:
    """``[(code, naam), …]`` of every gemeente in CBS Wijken en Buurten ``jaar``, sorted by name.

    Parameters
    ----------
    jaar : the year (default ``[cbs] jaar`` of the settings file).
    offline : use only the disk cache (a list never read before is then a ``DataError``).
    feedback : ``is_cancelled()`` (and ``progress``/``message``), or None.
    cache_dir, bronnen : as for :func:`layers.sources.gemeente.fetch_gemeente`.

    Raises
    ------
    DataError : no network, offline without the list in the cache, a service error (one line).
    CancelledError : ``feedback.is_cancelled()`` turned true.
    """
    config = bronnen if isinstance(bronnen, dict) else load_bronnen(bronnen)
    cbs = config["cbs"]
    jaar = int(jaar if jaar is not None else cbs["jaar"])
    settings = http_settings(config, bronnen if not isinstance(bronnen, dict) else None)
    client = HttpClient(settings, DiskCache(cache_dir), offline=offline, feedback=feedback)
    frame, _, _ = read_items(client, service_url(cbs, jaar), str(cbs.get("gemeenten", "gemeenten")),
                             limit=int(cbs.get("limiet", 1000)))
    code_col, name_col = column(frame, _CODE_KEYS), column(frame, _NAME_KEYS)
    if frame.empty or code_col is None or name_col is None:
        return []
    codes = frame[code_col].astype(str).str.strip()
    names = frame[name_col].astype(str).str.strip()
    return sorted(set(zip(codes, names)), key=lambda item: (item[1].casefold(), item[0]))
