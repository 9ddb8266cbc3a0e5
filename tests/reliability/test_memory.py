"""Memory stays bounded over 20 consecutive scans of the sample project (issue 8, item 4).

Resident memory is read from /proc after a few warm-up runs (imports, caches and allocator
pools settle first); growth over the following scans must stay within 10 %.
"""

from __future__ import annotations

import gc
import os
from pathlib import Path

import pytest

from layers.project import load_project
from scans.inputs import ScanInputs
from scans.pipeline import run_potentiescan, write_result
from scans.scenarios import resolve_scenario

STATM = Path("/proc/self/statm")


def _rss_bytes() -> int:
    return int(STATM.read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")


@pytest.mark.slow
@pytest.mark.skipif(not STATM.exists(), reason="needs /proc (Linux)")
def test_twenty_consecutive_scans_do_not_grow_memory(sample_project_path, tmp_path):
    project = load_project(sample_project_path)
    settings = resolve_scenario(project, None, [])
    inputs = ScanInputs.from_project(project)
    samples = []
    for run in range(20):
        result = run_potentiescan(inputs, settings)
        write_result(result, tmp_path / "uit.gpkg")
        del result
        gc.collect()
        samples.append(_rss_bytes())
    baseline = samples[4]  # after warm-up
    peak_after = max(samples[5:])
    assert peak_after <= baseline * 1.10, (
        f"memory grew from {baseline / 2**20:.0f} MiB to {peak_after / 2**20:.0f} MiB over 15 scans"
    )
