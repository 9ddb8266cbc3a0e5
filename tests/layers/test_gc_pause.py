"""The cyclic garbage collector is paused while many geometries are made, and only then.

Reading a source and running the scan both make a shapely geometry per object; a full collection
walks all of them, so those steps run with the collector off (``layers.gc_pause``). Afterwards it
is on again, and a user who switched it off keeps it off.
"""

from __future__ import annotations

import gc
import threading

import pytest

from layers import gc_pause, readers
from layers.project import load_project
from scans import pipeline
from scans.inputs import ScanInputs


@pytest.fixture(autouse=True)
def collector_on():
    was = gc.isenabled()
    gc.enable()
    yield
    (gc.enable if was else gc.disable)()


def test_paused_inside_and_restored_after():
    with gc_pause.paused_gc():
        assert not gc.isenabled()
        with gc_pause.paused_gc():  # nested
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_restored_after_an_error():
    with pytest.raises(RuntimeError):
        with gc_pause.paused_gc():
            raise RuntimeError("kapot")
    assert gc.isenabled()


def test_a_collector_the_user_switched_off_stays_off():
    gc.disable()
    with gc_pause.paused_gc():
        pass
    assert not gc.isenabled()


def test_threads_overlapping_switch_it_on_only_when_the_last_is_done():
    first_in, second_in, first_out = threading.Event(), threading.Event(), threading.Event()
    seen = {}

    def first():
        with gc_pause.paused_gc():
            first_in.set()
            second_in.wait(10)
        first_out.set()

    def second():
        first_in.wait(10)
        with gc_pause.paused_gc():
            second_in.set()
            first_out.wait(10)
            seen["after_first_left"] = gc.isenabled()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert seen == {"after_first_left": False}  # the second thread was still making geometries
    assert gc.isenabled()


def test_reading_a_project_and_scanning_it_run_without_collections(sample_project_path, monkeypatch):
    during = []
    decode = readers._geometries_from_wkb
    monkeypatch.setattr(readers, "_geometries_from_wkb", lambda wkb: (during.append(gc.isenabled()), decode(wkb))[1])
    project = load_project(sample_project_path)
    assert during and not any(during)
    assert gc.isenabled()

    prepare = pipeline.prepare_buildings
    monkeypatch.setattr(pipeline, "prepare_buildings", lambda *a, **k: (during.append(("scan", gc.isenabled())), prepare(*a, **k))[1])
    result = pipeline.run_potentiescan(ScanInputs.from_project(project))
    assert ("scan", False) in during
    assert len(result.gebouwen) and gc.isenabled()


def _full_collections_during(func) -> int:
    seen = []

    def callback(phase, info):
        if phase == "stop" and info["generation"] == 2:
            seen.append(threading.current_thread().name)

    gc.callbacks.append(callback)
    try:
        func()
    finally:
        gc.callbacks.remove(callback)
    return len(seen)


def test_collect_after_catches_up_at_once_when_many_objects_were_made(monkeypatch):
    monkeypatch.setattr(gc_pause, "COLLECT_FROM", 5_000)
    gc.collect()

    def make(n, **options):
        def run():
            with gc_pause.paused_gc(**options):
                kept = [[] for _ in range(n)]  # tracked objects
                assert not gc.isenabled()
            assert gc.isenabled() and kept
        return run

    assert _full_collections_during(make(20_000, collect_after=True)) == 1
    assert _full_collections_during(make(100, collect_after=True)) == 0  # few objects: left to Python
    gc.collect()
    assert _full_collections_during(make(20_000)) == 0  # a plain pause leaves the catching up to Python
