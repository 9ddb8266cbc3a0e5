"""Fault tests run ``gisapp`` in a child process (tests.faults.runner) on a copy of the sample
project, so a kill, a signal or a resource limit hits that process and never the test run."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.sources.conftest import postgis_dsn  # noqa: F401 - the PostGIS test server (skipped without it, off CI)

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "sample_data"
#: Tiles of this many panden cut the sample project (19 376 panden) into about ten tiles.
SMALL_TILES = "2000"


@pytest.fixture
def project(tmp_path) -> Path:
    """A copy of the sample project (its data files and project file) in ``tmp_path / "project"``."""
    folder = tmp_path / "project"
    shutil.copytree(SAMPLE, folder, ignore=shutil.ignore_patterns("generate.py", "__pycache__"))
    return folder / "voorbeeldstad.toml"


def child_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("GISAPP_DEBUG", "CPL_LOG")}
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    env.update(extra)
    return env


def start(args: list[str], **env: str) -> subprocess.Popen:
    """``gisapp args`` in a child process in a session of its own (stdout/stderr as text pipes)."""
    return subprocess.Popen([sys.executable, "-m", "tests.faults.runner", *args], cwd=REPO, env=child_env(**env),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)


def run(args: list[str], timeout: float = 300, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tests.faults.runner", *args], cwd=REPO, env=child_env(**env),
                          capture_output=True, text=True, timeout=timeout)


def assert_user_error(result: subprocess.CompletedProcess, *words: str) -> str:
    """Exit 2, one line on stderr, no internal error, no GDAL line; the line contains ``words``."""
    err = result.stderr.strip()
    assert result.returncode == 2, (result.returncode, err)
    lines = [line for line in err.splitlines() if not line.startswith("gisapp: let op:")]
    assert len(lines) == 1, err
    assert "interne fout" not in err and "ERROR " not in err and "Traceback" not in err, err
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]
