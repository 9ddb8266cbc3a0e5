"""A small generated benchmark project (two synthetic gemeenten), shared by the bench tests."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def bench_project(tmp_path_factory):
    from bench.generate import generate

    root = tmp_path_factory.mktemp("bb-bench")
    return generate(25_000, root, quiet=True)


@pytest.fixture(scope="session")
def bench_inputs(bench_project):
    from layers.project import load_project
    from scans.inputs import ScanInputs

    return ScanInputs.from_project(load_project(bench_project))
