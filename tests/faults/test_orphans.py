"""Finding 1 of issue 25: killing a tiled scan with worker processes left the workers (and
multiprocessing's resource tracker) running under PID 1. Now every worker watches its parent and
ends when it is gone, and SIGTERM/SIGHUP end the workers before the parent unwinds."""

from __future__ import annotations

import signal
import time

import psutil
import pytest

from tests.faults.conftest import start

#: Tiles of a few hundred panden: the sample project takes long enough in tiles to be killed
#: while its workers compute, also on a quiet machine (2 000 let it finish within the wait).
TINY_TILES = "300"


def _descendants_when_workers_run(process, timeout: float = 120.0) -> list[psutil.Process]:
    """The child processes of ``process`` once two workers compute (and one tile had time to start)."""
    parent = psutil.Process(process.pid)
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        assert process.poll() is None, process.communicate()
        children = parent.children(recursive=True)
        workers = [c for c in children if _is_worker(c)]
        if len(workers) >= 2:
            time.sleep(1.0)  # the workers import, read the small layers and start their first tile
            # those seen then and any started since (a pool may replace a worker in between)
            return list({c.pid: c for c in children + parent.children(recursive=True)}.values())
        time.sleep(0.1)
    pytest.fail("de workers van de tegelscan zijn niet gestart")


def _is_worker(child: psutil.Process) -> bool:
    """A worker process (multiprocessing's resource tracker has the word in its command line too)."""
    try:
        command = " ".join(child.cmdline())
    except psutil.Error:
        return False
    return "multiprocessing" in command and "resource_tracker" not in command


def _survivors(processes: list[psutil.Process], timeout: float = 10.0) -> list[psutil.Process]:
    gone, alive = psutil.wait_procs(processes, timeout=timeout)
    return [p for p in alive if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]


@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGTERM, signal.SIGHUP], ids=["SIGKILL", "SIGTERM", "SIGHUP"])
def test_killed_parent_leaves_no_worker(project, tmp_path, signum):
    out = tmp_path / "uit.gpkg"
    process = start(["scan", str(project), "--out", str(out), "--tegels", "ja", "--processen", "2"],
                    BB_FAULTS_TILE_PANDEN=TINY_TILES)
    try:
        children = _descendants_when_workers_run(process)
        assert sum(_is_worker(c) for c in children) >= 2
        assert any("resource_tracker" in " ".join(c.cmdline()) for c in children)  # the tracker is there too
        process.send_signal(signum)
        process.wait(timeout=60)
        left = _survivors(children)
        for survivor in left:  # a failing run must not leave them behind either
            survivor.kill()
        assert not left, [" ".join(p.cmdline())[:120] for p in left]
        if signum != signal.SIGKILL:  # the parent unwound: one line, its temporary file removed
            err = process.stderr.read().strip()
            assert process.returncode == 128 + signum, err
            assert err.splitlines()[-1].startswith("gisapp: afgebroken"), err
            assert sorted(p.name for p in tmp_path.iterdir()) == ["project"]
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate()


def test_the_window_keeps_the_default_sigterm(monkeypatch):
    """The SIGTERM handler that unwinds a headless command is not installed for the window: raised
    from a signal handler inside Qt's event loop the exception cannot unwind, and the app lived on."""
    from gisapp import cli

    seen = {}

    def fake_gui(args):
        seen["gui"] = signal.getsignal(signal.SIGTERM)
        return 0

    monkeypatch.setattr(cli, "_run_gui", fake_gui)
    before = signal.getsignal(signal.SIGTERM)
    assert cli.main(["open"]) == 0
    assert seen["gui"] is before and signal.getsignal(signal.SIGTERM) is before
