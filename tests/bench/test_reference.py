"""The plain-geopandas reference computes the figures it shares with our engine identically."""

from __future__ import annotations

from bench.reference import compare, figures, run


def test_reference_agrees_with_engine(bench_project, bench_inputs, tmp_path):
    from scans.pipeline import run_potentiescan

    stages, ref = run(bench_project, tmp_path / "ref.gpkg")
    assert set(stages) == {"read", "gebied", "overlays", "rasters", "aggregate", "write"}
    ours = figures(run_potentiescan(bench_inputs).gebouwen)
    assert compare(ours, ref) == []
    assert ref["water_bodem"].get("nee_tenzij", 0) > 0 and ref["nplv"] > 0


def test_compare_reports_differences():
    a = {"panden": 2, "per_gebied": {"A": 1, "B": 1}}
    b = {"panden": 2, "per_gebied": {"A": 2}}
    problems = compare(a, b)
    assert len(problems) == 1 and problems[0].startswith("per_gebied")
