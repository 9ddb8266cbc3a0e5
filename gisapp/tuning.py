"""Process-wide tuning for a one-shot run, opt-in: ``gisapp scan --snel`` and ``python -m bench --snel``.

Library code (``layers``, ``scans``) changes no process-wide state; an entry point that owns its
process may, and only when asked. What ``--snel`` does, and why:

- **No cyclic garbage collection** (``gc.disable``) for the rest of the process. shapely
  geometries are tracked by the collector, so making a million of them (reading the panden,
  their centroids) sets off full collections that each walk every geometry already made;
  geometries hold no reference cycles, so nothing is lost by not collecting in a process that
  ends after one scan. Not for a long-lived process (the window).
- **Freed heap memory handed back** (:func:`give_back`, glibc's ``malloc_trim(0)``) after the
  layers are read and after the scan released what only its preparation reads: the reader
  threads' arenas otherwise keep what they freed, and later stages add their memory on top.
  Nothing elsewhere (macOS, Windows, musl).

numpy's large arrays on transparent huge pages (its default on Linux) is numpy's own switch,
read when numpy starts: set ``NUMPY_MADVISE_HUGEPAGE=0`` in the environment of the command.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import sys
from functools import cache


def tune_process() -> None:
    """Switch off the cyclic garbage collector for the rest of this (one-shot) process."""
    gc.disable()


@cache
def _malloc_trim():
    """glibc's ``malloc_trim`` from the system C library, or None where there is none."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        function = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):  # not glibc (musl has no malloc_trim)
        return None
    function.argtypes = [ctypes.c_size_t]
    function.restype = ctypes.c_int
    return function


def give_back() -> bool:
    """Return the free heap memory of every arena to the system; True when any was returned."""
    trim = _malloc_trim()
    return bool(trim(0)) if trim is not None else False
