"""``gisapp info`` and ``gisapp scan`` over every corpus file: exit 0 or 2, never a traceback.

In-process through :func:`gisapp.cli.main` for every case, and as a real ``gisapp``
subprocess for a subset, to prove stderr carries one clear line and no traceback.
"""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from gisapp.cli import main
from tests.reliability import corpus as corpus_module
from tests.reliability.conftest import case_names, role_project_names

GISAPP = Path(sys.executable).with_name("gisapp")
SUBPROCESS_CASES = (
    "empty_gpkg", "random_tif", "truncated_gpkg", "broken_json", "folder_named_gpkg", "swapped_axes_latlon",
    "shapefile_cpg_lies", "duplicate_pand_ids", "mixed_points_polygons", "raster_all_nodata",
    "project_deep_array", "project_binary_garbage", "project_10mb", "project_format_version_99",
)


def _check_outcome(code: int, err: str, case_name: str) -> None:
    assert code in (0, 2), (case_name, code, err)
    assert "Traceback" not in err, err
    if code == 2:
        lines = [line for line in err.splitlines() if line.startswith("gisapp: fout:")]
        assert len(lines) == 1, err
        assert len(lines[0]) < 1000


def _run(capsys, argv: list[str]) -> tuple[int, str]:
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.err


@pytest.mark.parametrize("name", case_names())
def test_info_over_corpus(corpus, capsys, name):
    case = corpus[name]
    code, err = _run(capsys, ["info", str(case.path)])
    _check_outcome(code, err, name)
    if case.kind != "project" and case.expect == "error" and case.role != "gebouwen":
        assert code == 2


@pytest.mark.parametrize("name", case_names())
def test_scan_over_corpus(corpus, good, corpus_root, tmp_path, capsys, name):
    case = corpus[name]
    project = corpus_module.scan_project(case, corpus_root / "scan_projects", good)
    out = tmp_path / "uit.gpkg"
    code, err = _run(capsys, ["scan", str(project), "--out", str(out)])
    _check_outcome(code, err, name)
    if case.expect == "error":
        assert code == 2
    if code == 2:
        assert not out.exists()
    assert [p.name for p in tmp_path.iterdir()] in ([], ["uit.gpkg"])  # never a temp file left


@pytest.mark.parametrize("name", [n for n in case_names() if not n.startswith("project_")])
def test_scan_with_corpus_file_as_gebieden(corpus, good, corpus_root, tmp_path, capsys, name):
    case = corpus[name]
    project = corpus_module.gebieden_project(case, corpus_root / "scan_projects", good)
    code, err = _run(capsys, ["scan", str(project), "--out", str(tmp_path / "uit.gpkg")])
    _check_outcome(code, err, name)


@pytest.mark.parametrize("name", role_project_names())
def test_scan_with_odd_data_in_other_roles(role_projects, tmp_path, capsys, name):
    code, err = _run(capsys, ["scan", str(role_projects[name]), "--out", str(tmp_path / "uit.gpkg"), "--json"])
    _check_outcome(code, err, name)


@pytest.fixture(scope="session")
def subprocess_runs(corpus, good, corpus_root, tmp_path_factory) -> dict[tuple[str, str], subprocess.CompletedProcess]:
    """``gisapp info`` and ``gisapp scan`` as subprocesses for SUBPROCESS_CASES, run in parallel."""
    out_dir = tmp_path_factory.mktemp("subprocess_out")
    env = {**os.environ, "PYTHONWARNINGS": "ignore", "QT_QPA_PLATFORM": "offscreen"}
    jobs: dict[tuple[str, str], list[str]] = {}
    for name in SUBPROCESS_CASES:
        case = corpus[name]
        project = corpus_module.scan_project(case, corpus_root / "scan_projects", good)
        jobs[(name, "info")] = [str(GISAPP), "info", str(case.path)]
        jobs[(name, "scan")] = [str(GISAPP), "scan", str(project), "--out", str(out_dir / f"{name}.gpkg")]

    def run(argv):
        return subprocess.run(argv, capture_output=True, text=True, timeout=120, env=env)

    with ThreadPoolExecutor(max_workers=min(8, os.cpu_count() or 2)) as pool:
        results = dict(zip(jobs, pool.map(run, jobs.values())))
    return results


@pytest.mark.parametrize("command", ["info", "scan"])
@pytest.mark.parametrize("name", SUBPROCESS_CASES)
def test_gisapp_subprocess_never_prints_a_traceback(subprocess_runs, corpus, name, command):
    result = subprocess_runs[(name, command)]
    _check_outcome(result.returncode, result.stderr, name)
    if result.returncode == 2:
        assert result.stderr.strip().splitlines()[-1].startswith("gisapp: fout:")


def test_gisapp_executable_exists():
    assert GISAPP.exists(), GISAPP
