"""``python -m tests.faults.runner ARGS…``: ``gisapp ARGS…`` in a child process of a fault test.

``BB_FAULTS_TILE_PANDEN`` makes the tiled scan cut the small sample project into several tiles
(the CLI has no option for the tile size; a real project of 400 000 panden has them by itself).
``BB_FAULTS_FSIZE`` sets the file size limit of this process in bytes (``ulimit -f``).
"""

from __future__ import annotations

import os
import resource
import sys


def _small_tiles(size: int) -> None:
    from scans.batch import tiled

    plan = tiled.plan_tiles

    def plan_small(extent, count, tile_panden=tiled.TILE_PANDEN, halo_m=tiled.HALO_M):
        return plan(extent, count, size, halo_m)

    tiled.plan_tiles = plan_small


def main() -> int:
    if os.environ.get("BB_FAULTS_TILE_PANDEN"):
        _small_tiles(int(os.environ["BB_FAULTS_TILE_PANDEN"]))
    if os.environ.get("BB_FAULTS_FSIZE"):
        limit = int(os.environ["BB_FAULTS_FSIZE"])
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    from gisapp.cli import main as gisapp

    return gisapp(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
