"""Unknown is not zero in the sensitivity analysis: the panden a scan could not judge add no homes
to any draw, and the sentences say how many there are, in how many gebieden, and that the band
leaves them out."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from shapely.geometry import box

from layers.project import load_project
from scans import gevoeligheid as g
from scans.inputs import ScanInputs
from scans.pipeline import run_potentiescan
from scans.registry import SCANS
from scans.scenarios import PRESETS
from tests.scans import factory
from tests.scans.factory import flat

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "voorbeeldstad.toml"


def _two_gebieden(records: list[dict]) -> ScanInputs:
    """Flats at grid slots 0, 1, … (100 m apart): slots 0–1 in gebied A, the others in B."""
    gebouwen = factory.buildings(records)
    x0, y0 = factory.X0, factory.Y0
    gebieden = factory.polygons([{"gebied_code": "A", "gebied_naam": "Aa"}, {"gebied_code": "B", "gebied_naam": "Bee"}],
                                [box(x0 - 10, y0 - 10, x0 + 150, y0 + 50), box(x0 + 150, y0 - 10, x0 + 1000, y0 + 50)])
    return ScanInputs(gebouwen=gebouwen, gebieden=gebieden)


def _analysis(inputs: ScanInputs, draws: int = 4):
    settings = PRESETS["standaard"]
    prep = g.prepare(inputs, settings)
    return prep, g.one_at_a_time(prep, settings), g.band(prep, settings, draws=draws, seed=1)


def test_unknown_panden_are_counted_per_gebied_and_named_in_the_sentence():
    # four optop candidates of 5 homes each; two have no bouwjaar (one in A, one in B): optoppen
    # cannot judge them, so they count 0 homes in every draw and the sentence says so
    inputs = _two_gebieden([flat(), flat(bouwjaar=np.nan), flat(), flat(bouwjaar=np.nan)])
    prep, table, band = _analysis(inputs)
    assert band.onbekend.loc[g.TOTAAL, "optoppen"] == 2
    assert band.onbekend.loc["A", "optoppen"] == band.onbekend.loc["B", "optoppen"] == 1
    assert band.onbekend.loc[g.TOTAAL, "totaal"] == 2  # the same two panden, whatever scan
    assert band.plain.loc[g.TOTAAL, "optoppen"] == 10  # only the two judged flats give homes

    text = g.sentence(band, table, "optoppen")
    assert text.endswith("; 2 panden in 2 gebieden zijn onbekend (een gegeven ontbreekt) en tellen niet mee in de band.")
    assert g.sentence(band, table, "optoppen", "A").endswith(
        "; 1 pand is onbekend (een gegeven ontbreekt) en telt niet mee in de band.")
    assert "voor minstens één scan onbekend" in g.sentence(band, table, "totaal")
    # a scan that judged every pand says nothing about unknown panden
    assert band.onbekend.loc[g.TOTAAL, "boerenerf"] == 0
    assert "onbekend" not in g.sentence(band, table, "boerenerf")


def test_without_unknown_panden_the_sentence_says_nothing_of_them():
    prep, table, band = _analysis(_two_gebieden([flat(), flat(), flat()]))
    assert (band.onbekend.loc[g.TOTAAL] == 0).all()
    assert g.unknown_text(band, "optoppen") is None
    assert all("onbekend" not in g.sentence(band, table, scan) for scan in (*SCANS, "totaal"))


@pytest.fixture(scope="module")
def sample():
    inputs = ScanInputs.from_project(load_project(SAMPLE))
    return inputs, g.prepare(inputs, PRESETS["standaard"])


def test_unknown_counts_are_the_scans_own_onbekend_columns(sample):
    """The counts are the scan result's ``<scan>_onbekend`` per gebied, not a count of their own."""
    inputs, prep = sample
    result = run_potentiescan(inputs, PRESETS["standaard"])
    unknown = prep.unknown()
    gebieden = result.gebieden.set_index("gebied_code")
    assert sum(result.totals[f"{name}_onbekend"] for name in SCANS) > 0  # the sample has some
    for name in SCANS:
        assert unknown.loc[g.TOTAAL, name] == result.totals[f"{name}_onbekend"], name
        per_gebied = gebieden[f"{name}_onbekend"].reindex(unknown.index.drop(g.TOTAAL)).fillna(0).astype(int)
        assert (per_gebied == unknown[name].drop(g.TOTAAL)).all(), name
    flags = np.column_stack([result.gebouwen[f"{name}_onbekend"].to_numpy(dtype=bool) for name in SCANS])
    assert unknown.loc[g.TOTAAL, "totaal"] == int(flags.any(axis=1).sum())


def test_the_sentences_are_translatable_and_keep_their_dutch(sample):
    _, prep = sample
    settings = PRESETS["standaard"]
    band = g.band(prep, settings, draws=4, seed=0)
    table = g.one_at_a_time(prep, settings)
    scan = next(name for name in SCANS if band.onbekend.loc[g.TOTAAL, name])
    text = g.sentence(band, table, scan)
    assert text.template == "{sentence}." and str(text).startswith("De ")
    n = int(band.onbekend.loc[g.TOTAAL, scan])
    assert f"{n:,}".replace(",", ".") + (" pand" if n == 1 else " panden") in text
