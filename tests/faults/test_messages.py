"""Finding 5 of issue 25 (item 4 of its plan): failures the user's machine causes said "interne fout
… meld dit", GDAL printed its own ERROR lines first, an output path that is a folder was refused
only after the whole scan, and a point layer was taken as the buildings. Every case here: exit 2,
one line naming the file and what to do, no "interne fout", no GDAL line."""

from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path

import pytest

from gisapp.cli import main
from layers.errors import environment_message
from tests.faults.conftest import SMALL_TILES, assert_user_error, run


@pytest.mark.parametrize("tegels", ["nee", "ja"])
def test_file_size_limit_is_one_line_without_gdal_noise(project, tmp_path, tegels):
    out = tmp_path / "uit.gpkg"
    args = ["scan", str(project), "--out", str(out), "--tegels", tegels, "--processen", "2"]
    result = run(args, BB_FAULTS_FSIZE=str(1024 * 1024), BB_FAULTS_TILE_PANDEN=SMALL_TILES)
    line = assert_user_error(result, "bestandsgroottelimiet", str(out))
    assert "ulimit" in line
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project"]  # nothing half-written left


@pytest.mark.parametrize("command", ["scan", "locatiescan"])
def test_output_that_is_a_folder_is_refused_before_the_project_is_read(project, tmp_path, command):
    folder = tmp_path / "uit.gpkg"
    folder.mkdir()
    # the project's data are not even looked at: a project whose files are missing gives the same line
    (project.parent / "gebouwen.gpkg").unlink()
    result = run([command, str(project), "--out", str(folder)], timeout=60)
    assert_user_error(result, "dit is een map", str(folder))


def test_report_and_ophalen_refuse_a_file_as_their_folder(project, tmp_path):
    plain = tmp_path / "bestand.txt"
    plain.write_text("x")
    assert_user_error(run(["report", str(project), "--out", str(plain)], timeout=60), "geen map", str(plain))
    result = run(["ophalen", "--gemeente", "GM0221", "--out", str(plain), "--offline",
                  "--cache", str(tmp_path / "cache")], timeout=60)
    assert_user_error(result, "geen map", str(plain))
    long_name = tmp_path / ("m" * 300)
    assert_user_error(run(["report", str(project), "--out", str(long_name)], timeout=60), "kortere naam")


def test_missing_parent_folder_is_refused(project, tmp_path):
    result = run(["scan", str(project), "--out", str(tmp_path / "bestaat_niet" / "uit.gpkg")], timeout=60)
    assert_user_error(result, "map bestaat niet")


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root may write in a read-only folder")
def test_folder_without_write_permission_is_refused(project, tmp_path):
    folder = tmp_path / "alleen_lezen"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        result = run(["scan", str(project), "--out", str(folder / "uit.gpkg")], timeout=60)
    finally:
        folder.chmod(0o755)
    assert_user_error(result, "geen schrijfrechten", str(folder))


def test_point_layer_as_gebouwen_is_refused(project, tmp_path):
    text = project.read_text(encoding="utf-8")
    text = text.replace('path = "gebouwen.gpkg"\nlayer = "pand"', 'path = "verblijfsobjecten.gpkg"\nlayer = "verblijfsobject"')
    assert 'path = "verblijfsobjecten.gpkg"\nlayer = "verblijfsobject"\n\n[layers.verblijfsobjecten]' in text
    project.write_text(text, encoding="utf-8")
    for tegels in ("nee", "ja"):
        result = run(["scan", str(project), "--out", str(tmp_path / "uit.gpkg"), "--tegels", tegels], timeout=120)
        assert_user_error(result, "gebouwen", "verblijfsobjecten.gpkg", "verwacht vlakken", "punten")


@pytest.mark.parametrize(
    "code, words",
    [
        (errno.ENOSPC, "de schijf is vol"),
        (errno.EDQUOT, "schijfquotum"),
        (errno.EFBIG, "bestandsgroottelimiet"),
        (errno.ENAMETOOLONG, "te lang"),
        (errno.EACCES, "rechten"),
        (errno.EPERM, "rechten"),
        (errno.EROFS, "alleen-lezen"),
        (errno.ECONNREFUSED, "weigert de verbinding"),
    ],
)
def test_every_environment_failure_late_in_the_write_is_one_dutch_line(project, tmp_path, monkeypatch, capsys,
                                                                        code, words):
    """The error comes from deep in the write (as a full disk late in a write does); the CLI maps it."""
    import gisapp.reports.geopackage as writer

    out = tmp_path / "uit.gpkg"

    def fail(result, path, *args, **kwargs):
        raise RuntimeError("GDAL failed") from OSError(code, os.strerror(code))

    monkeypatch.setattr(writer, "write_result_with_styles", fail)
    assert main(["scan", str(project), "--out", str(out), "--tegels", "nee"]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "interne fout" not in err, err
    assert words in err and str(out) in err, err


@pytest.mark.parametrize(
    "error, words",
    [
        (RuntimeError("Failed to write: No space left on device"), "de schijf is vol"),
        (sqlite3.OperationalError("database or disk is full"), "de schijf is vol"),
        (RuntimeError("sqlite3_exec(COMMIT) failed: disk I/O error: File too large"), "bestandsgroottelimiet"),
        (RuntimeError("attempt to write a readonly database"), "alleen-lezen"),
        (MemoryError(), "te weinig werkgeheugen"),
    ],
)
def test_library_wordings_map_to_the_same_lines(error, words):
    line = environment_message(error, Path("/data/uit.gpkg"))
    assert line is not None and words in line and line.startswith("/data/uit.gpkg: ")


def test_real_bugs_still_say_interne_fout(project, tmp_path, monkeypatch, capsys):
    import gisapp.reports.geopackage as writer

    def bug(*args, **kwargs):
        raise AttributeError("'str' object has no attribute 'suffix'")

    monkeypatch.setattr(writer, "write_result_with_styles", bug)
    assert main(["scan", str(project), "--out", str(tmp_path / "uit.gpkg"), "--tegels", "nee"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("gisapp: interne fout (AttributeError") and "\n" not in err
    assert environment_message(KeyError("x")) is None
