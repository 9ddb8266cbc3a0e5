"""``load_project`` reads its sources on :data:`layers.project.READ_THREADS` threads: same layers,
same order, progress per source, and a broken source still named (the others not waited for)."""

from __future__ import annotations

import shutil
import threading

import pandas as pd
import pytest
import shapely

import layers.project as project_module
from layers.errors import DataError
from layers.project import load_project


def _frames(project):
    out = {}
    for layer in project.layers:
        data = getattr(layer, "data", None)
        if data is None:  # a raster
            out[layer.name] = layer.raster.array.copy()
            continue
        frame = pd.DataFrame(data).copy()
        if "geometry" in frame:
            frame["geometry"] = shapely.to_wkb(frame["geometry"].to_numpy())
        out[layer.name] = frame
    return out


def test_threads_give_the_same_layers_in_project_order(sample_project_path, monkeypatch):
    monkeypatch.setattr(project_module, "READ_THREADS", 1)
    one = load_project(sample_project_path)
    monkeypatch.setattr(project_module, "READ_THREADS", 2)
    two = load_project(sample_project_path)
    assert two.layers.names() == one.layers.names() == list(two.sources)
    first, second = _frames(one), _frames(two)
    for name, frame in first.items():
        if isinstance(frame, pd.DataFrame):
            pd.testing.assert_frame_equal(second[name], frame)
        else:
            assert (second[name] == frame).sum() == (frame == frame).sum(), name
    for a, b in zip(one.layers, two.layers):
        assert a.source is one.sources[a.name] and b.source is two.sources[b.name]
        assert a.report.counts == b.report.counts and a.report.messages == b.report.messages


def test_two_sources_are_read_at_the_same_time(sample_project_path, monkeypatch):
    """The largest files start first and overlap: two reads are under way at once."""
    monkeypatch.setattr(project_module, "READ_THREADS", 2)
    original = project_module.read_source
    lock, running, most = threading.Lock(), [0], [0]
    both = threading.Barrier(2, timeout=10)

    def counting(project, source, **kwargs):
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        try:
            if source.key in ("gebouwen", "verblijfsobjecten"):  # the two largest files of the sample town
                both.wait()  # fails (BrokenBarrierError) unless both are read at the same time
            return original(project, source, **kwargs)
        finally:
            with lock:
                running[0] -= 1

    monkeypatch.setattr(project_module, "read_source", counting)
    project = load_project(sample_project_path)
    assert most[0] == 2 and len(project.layers) == len(project.sources)


def test_progress_reaches_one_and_names_every_source(sample_project_path):
    project = load_project(sample_project_path, load_data=False)
    calls = []
    project.load_layers(progress=lambda fraction, keys: calls.append((fraction, keys)))
    fractions = [fraction for fraction, _ in calls]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    named = [key for _, keys in calls for key in keys.split(", ")]
    assert sorted(named) == sorted(project.sources)


@pytest.mark.parametrize("threads", [1, 2])
def test_a_broken_source_is_named(sample_project_path, tmp_path, monkeypatch, threads):
    monkeypatch.setattr(project_module, "READ_THREADS", threads)
    folder = tmp_path / "stad"
    shutil.copytree(sample_project_path.parent, folder)
    (folder / "nplv.gpkg").write_bytes(b"dit is geen GeoPackage" * 10)
    with pytest.raises(DataError) as info:
        load_project(folder / sample_project_path.name)
    assert "nplv.gpkg" in str(info.value)


def test_an_interrupt_stops_reading_the_sources_not_started(sample_project_path, monkeypatch):
    monkeypatch.setattr(project_module, "READ_THREADS", 2)
    original = project_module.read_source
    started = []

    def interrupted(project, source, **kwargs):
        started.append(source.key)
        if len(started) == 1:
            raise KeyboardInterrupt
        return original(project, source, **kwargs)

    monkeypatch.setattr(project_module, "read_source", interrupted)
    project = load_project(sample_project_path, load_data=False)
    with pytest.raises(KeyboardInterrupt):
        project.load_layers()
    assert len(started) < len(project.sources) and len(project.layers) == 0
