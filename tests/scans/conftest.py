"""Helpers for scan tests: run one scan on a few records."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from scans.inputs import ScanInputs, prepare_buildings
from scans.registry import get
from tests.scans import factory


def run_scan(name: str, records: list[dict], params=None, geoms=None, **layers) -> pd.DataFrame:
    """Run scan ``name`` on building records; returns the scan frame joined with pand_id."""
    gebouwen = factory.buildings(records, geoms=geoms)
    inputs = ScanInputs(gebouwen=gebouwen, **layers)
    prepared = prepare_buildings(inputs)
    spec = get(name)
    out = spec.run(prepared, inputs, params or spec.params_cls(), None)
    out.insert(0, "pand_id", prepared["pand_id"].to_numpy())
    return out


@pytest.fixture
def scan():
    return run_scan


@pytest.fixture(scope="session")
def town():
    inputs, portfolio = factory.random_town(7, 400)
    return inputs, portfolio


def assert_case(out: pd.DataFrame, name: str, homes: int, reason: str) -> None:
    got_homes = int(out[f"{name}_woningen"].iloc[0])
    got_reason = str(out[f"{name}_reden"].iloc[0])
    assert (got_homes, got_reason) == (homes, reason) if reason == "kandidaat" else (
        got_homes == homes and got_reason.startswith(reason)
    ), (got_homes, got_reason)


NAN = np.nan
