"""Fetch a gemeente from the public services: one small client per source, one orchestrator.

Public API (for ``gisapp ophalen`` and the app's wizard)::

    from layers.sources.gemeente import fetch_gemeente, FetchResult
    result = fetch_gemeente("Doesburg", "projecten/doesburg", jaar=2024, feedback=feedback)
    result.project_path        # the project file; opens and scans at once
    result.sources             # SourceResult per source: status, features, pages, bron
    result.needs_file          # sources without a public service (where to get a file)

Modules: :mod:`.bronnen` (the service settings file), :mod:`.ogc` (OGC API Features through
the shared HTTP layer :mod:`layers.sources.http`), :mod:`.cbs_gebieden`, :mod:`.bag`,
:mod:`.bag3d`, :mod:`.monumenten`, :mod:`.fetch` (the orchestrator).
"""

from layers.sources.gemeente.bronnen import load_bronnen
from layers.sources.gemeente.cbs_gebieden import Gemeente, find_gemeente, gemeente_code
from layers.sources.gemeente.fetch import FetchResult, SourceResult, fetch_gemeente

__all__ = ["FetchResult", "Gemeente", "SourceResult", "fetch_gemeente", "find_gemeente", "gemeente_code", "load_bronnen"]
