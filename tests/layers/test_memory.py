"""layers.memory: freed heap memory handed back to the system after large, short-lived work."""

from __future__ import annotations

import platform
import sys
import threading

import numpy as np
import pytest

from layers import memory


def _rss_kb() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4


@pytest.mark.skipif(not sys.platform.startswith("linux") or platform.libc_ver()[0] != "glibc",
                    reason="malloc_trim is glibc's")
def test_memory_a_thread_freed_goes_back_to_the_system():
    assert memory._malloc_trim() is not None
    held = []

    def work():
        # many 8 kB blocks (malloc's, in this thread's arena), then all freed but the last
        blocks = [np.ones(1024) for _ in range(20_000)]
        held.append(blocks.pop())
        del blocks

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    before = _rss_kb()
    assert memory.give_back() is True
    assert _rss_kb() < before - 80_000  # most of the ~160 MB the thread freed is returned


def test_give_back_is_harmless_without_glibc(monkeypatch):
    monkeypatch.setattr(memory, "_looked", True)
    monkeypatch.setattr(memory, "_trim", None)
    assert memory.give_back() is False


def test_numpy_is_asked_for_small_pages_unless_the_user_chose(monkeypatch):
    try:
        from numpy._core import multiarray
    except ImportError:
        from numpy.core import multiarray
    before = multiarray._get_madvise_hugepage()
    try:
        multiarray._set_madvise_hugepage(True)
        monkeypatch.setenv("NUMPY_MADVISE_HUGEPAGE", "1")
        assert memory.prefer_small_pages() is False and multiarray._get_madvise_hugepage() is True
        monkeypatch.delenv("NUMPY_MADVISE_HUGEPAGE")
        assert memory.prefer_small_pages() is True and multiarray._get_madvise_hugepage() is False
    finally:
        multiarray._set_madvise_hugepage(before)


def test_the_cli_asks_for_small_pages_at_its_start(monkeypatch):
    import gisapp.cli

    asked = []
    monkeypatch.setattr(gisapp.cli, "prefer_small_pages", lambda: asked.append(True))
    with pytest.raises(SystemExit):  # argparse ends --help with an exit
        gisapp.cli.main(["--help"])
    assert asked == [True]
