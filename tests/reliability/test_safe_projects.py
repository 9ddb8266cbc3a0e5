"""Nothing lost: atomic saves (also under SIGKILL), autosave and recovery, results never
overwrite inputs, a cancelled scan leaves nothing behind, older format versions open."""

from __future__ import annotations

import hashlib
import os
import random
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

import layers.project as project_module
from gisapp.cli import main
from layers import autosave
from layers.errors import DataError
from layers.project import FORMAT_VERSION, LayerSource, Project, load_project
from tests.reliability import _save_loop

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def sample_copy(sample_project_path, tmp_path) -> Path:
    """A private copy of the sample project: these tests try to overwrite its inputs."""
    import shutil

    folder = tmp_path / "voorbeeld"
    shutil.copytree(sample_project_path.parent, folder, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return folder / sample_project_path.name


@pytest.fixture
def state_dir(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "state"
    monkeypatch.setenv(autosave.STATE_DIR_ENV, str(folder))
    return folder


def _project(folder: Path, name: str = "Wijk") -> Project:
    project = Project(name=name, path=folder / "wijk.toml")
    project.sources["gebouwen"] = LayerSource("gebouwen", "data/gebouwen.gpkg", "gebouwen", layer="pand")
    project.settings = {"versie": 1}
    return project


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --------------------------------------------------------------------------- atomic save


def test_save_writes_temp_fsyncs_and_replaces(tmp_path, monkeypatch):
    calls = []
    real_replace, real_fsync = os.replace, os.fsync
    monkeypatch.setattr(project_module.os, "replace", lambda a, b: (calls.append(("replace", Path(a), Path(b))), real_replace(a, b))[1])
    monkeypatch.setattr(project_module.os, "fsync", lambda fd: (calls.append(("fsync",)), real_fsync(fd))[1])
    target = _project(tmp_path).save()
    replaces = [c for c in calls if c[0] == "replace"]
    assert len(replaces) == 1 and replaces[0][2] == target and replaces[0][1].parent == target.parent
    # a temporary name any later run recognises (prefix, owner pid) and sweeps when its owner is dead
    assert replaces[0][1].name.startswith(f".beterbenutten-{os.getpid()}-project-") and replaces[0][1].name.endswith(".tmp")
    assert calls.index(("fsync",)) < calls.index(replaces[0])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["wijk.toml"]


def test_failed_save_keeps_previous_project_and_no_temp_file(tmp_path, monkeypatch):
    project = _project(tmp_path)
    target = project.save()
    before = _digest(target)
    project.settings["versie"] = 2

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(project_module.os, "replace", broken_replace)
    with pytest.raises(OSError):
        project.save()
    assert _digest(target) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["wijk.toml"]


def test_save_keeps_file_permissions(tmp_path):
    project = _project(tmp_path)
    target = project.save()
    os.chmod(target, 0o640)
    project.save()
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    fresh = _project(tmp_path, "Ander").save(tmp_path / "ander.toml")
    assert stat.S_IMODE(fresh.stat().st_mode) & 0o044 == 0o044 & ~_umask()  # not the 0600 of a temp file


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def test_sigkill_during_save_leaves_previous_project_intact(tmp_path):
    """Processes saving a large project (and its autosave) in a loop are SIGKILLed at random moments.

    Three processes run side by side (one project file each) so the test stays short.
    """
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    rng = random.Random(28992)
    paths = [tmp_path / f"groot_{k}.toml" for k in range(3)]
    for path in paths:
        _save_loop.big_project(path, 0).save()
    assert paths[0].stat().st_size > 200_000
    procs = [subprocess.Popen([sys.executable, "-m", "tests.reliability._save_loop", str(path)],
                              stdout=subprocess.PIPE, env=env, cwd=REPO) for path in paths]
    try:
        for proc in procs:
            assert proc.stdout.readline().strip().isdigit()  # at least one complete save before the kill
        for proc in procs:
            time.sleep(rng.uniform(0.0, 0.3))
            proc.send_signal(signal.SIGKILL)
    finally:
        for proc in procs:
            proc.kill()
            proc.wait(timeout=30)
            proc.stdout.close()
    assert all(proc.returncode == -signal.SIGKILL for proc in procs)
    for path in paths:
        for saved in (path, autosave.autosave_path(path)):
            project = load_project(saved, load_data=False)
            iteration = project.settings["iteratie"]
            assert iteration >= 1
            assert project.settings["controle"] == 7 * iteration
            assert len(project.scenarios) == _save_loop.N_SCENARIOS
            assert project.scenarios["scenario_399"]["optoppen"]["p59"] == iteration * 1000 + 59
            assert project.name == f"Groot project {iteration}"


# --------------------------------------------------------------------------- autosave and recovery


def test_autosave_path_beside_project_and_in_state_dir(tmp_path, state_dir):
    assert autosave.autosave_path(tmp_path / "wijk.toml") == tmp_path / ".wijk.toml.autosave"
    assert autosave.autosave_path(None) == state_dir / "autosave" / "naamloos.toml.autosave"


def test_write_autosave_leaves_project_untouched(tmp_path, state_dir):
    project = _project(tmp_path)
    target = project.save()
    before = _digest(target)
    project.settings["versie"] = 2
    written = autosave.write_autosave(project)
    assert written == tmp_path / ".wijk.toml.autosave"
    assert _digest(target) == before and project.path == target
    assert project.sources["gebouwen"].path == "data/gebouwen.gpkg"
    assert load_project(written, load_data=False).settings["versie"] == 2


def test_find_recovery_only_when_newer_and_readable(tmp_path, state_dir):
    project = _project(tmp_path)
    target = project.save()
    assert autosave.find_recovery(target) is None
    written = autosave.write_autosave(project)
    now = time.time()
    os.utime(target, (now - 60, now - 60))
    assert autosave.find_recovery(target) == written
    os.utime(written, (now - 120, now - 120))  # the project was saved after the autosave
    assert autosave.find_recovery(target) is None
    written.write_bytes(b"[project\x00 half geschreven")
    os.utime(written, (now, now))
    assert autosave.find_recovery(target) is None  # a damaged autosave is never offered


def test_recovery_after_crash_restores_unsaved_changes(tmp_path, state_dir):
    project = _project(tmp_path)
    target = project.save()
    os.utime(target, (time.time() - 60,) * 2)
    project.settings["versie"] = 3
    project.scenarios["nieuw"] = {"base": "optimistisch"}
    autosave.write_autosave(project)
    # ... the app crashes here; on the next start:
    recovered = autosave.load_recovery(target, load_data=False)
    assert recovered.path == target.resolve()
    assert recovered.settings["versie"] == 3 and "nieuw" in recovered.scenarios
    assert recovered.sources["gebouwen"].path == "data/gebouwen.gpkg"
    recovered.save()
    autosave.discard_autosave(target)
    assert autosave.find_recovery(target) is None
    assert load_project(target, load_data=False).settings["versie"] == 3
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "state") == ["wijk.toml"]


def test_unsaved_project_autosaves_to_state_dir_with_absolute_paths(tmp_path, state_dir, monkeypatch):
    monkeypatch.chdir(tmp_path)
    project = Project(name="Nieuw")
    project.sources["gebouwen"] = LayerSource("gebouwen", "gebouwen.gpkg", "gebouwen")
    written = autosave.write_autosave(project)
    assert written.parent == state_dir / "autosave"
    assert autosave.find_recovery(None) == written
    recovered = autosave.load_recovery(None, load_data=False)
    assert recovered.path is None
    assert recovered.sources["gebouwen"].path == str(tmp_path / "gebouwen.gpkg")
    autosave.discard_autosave(None)
    assert autosave.find_recovery(None) is None and not written.exists()


def test_autosave_falls_back_to_state_dir_when_folder_is_read_only(tmp_path, state_dir, monkeypatch):
    project = _project(tmp_path)
    target = project.save()
    os.utime(target, (time.time() - 60,) * 2)
    real = autosave.atomic_write_text

    def refuse_project_folder(path, text):
        if Path(path).parent == tmp_path:
            raise PermissionError(13, "Permission denied", str(path))
        return real(path, text)

    monkeypatch.setattr(autosave, "atomic_write_text", refuse_project_folder)
    written = autosave.write_autosave(project)
    assert written.parent == state_dir / "autosave"
    assert autosave.find_recovery(target) == written
    recovered = autosave.load_recovery(target, load_data=False)
    assert recovered.path == target.resolve()
    assert recovered.sources["gebouwen"].path == "data/gebouwen.gpkg"  # relative again
    autosave.discard_autosave(target)
    assert not written.exists()


def test_load_recovery_without_autosave_is_a_clear_error(tmp_path, state_dir):
    target = _project(tmp_path).save()
    with pytest.raises(DataError, match="geen automatisch opgeslagen versie"):
        autosave.load_recovery(target)


def test_autosave_module_has_no_qt():
    source = Path(autosave.__file__).read_text(encoding="utf-8")
    assert "PySide6" not in source and "pyqtgraph" not in source


# --------------------------------------------------------------------------- outputs never overwrite inputs


def test_check_output_path_refuses_inputs(sample_copy, tmp_path):
    project = load_project(sample_copy, load_data=False)
    for name in ("gebouwen.gpkg", "gebieden.gpkg", "voorbeeldstad.toml", "portefeuille.csv"):
        with pytest.raises(DataError, match="invoerbestand"):
            project.check_output_path(sample_copy.parent / name)
    link = tmp_path / "link.gpkg"
    link.symlink_to(sample_copy.parent / "gebouwen.gpkg")
    with pytest.raises(DataError, match="invoerbestand"):
        project.check_output_path(link)
    assert project.check_output_path(tmp_path / "uit.gpkg") == (tmp_path / "uit.gpkg").resolve()


def test_scan_out_on_an_input_file_is_refused(sample_copy, capsys):
    gebouwen = sample_copy.parent / "gebouwen.gpkg"
    before = _digest(gebouwen)
    code = main(["scan", str(sample_copy), "--out", str(gebouwen)])
    err = capsys.readouterr().err
    assert _digest(gebouwen) == before, "gisapp scan overwrote an input file"
    assert code == 2 and "gebouwen.gpkg" in err and "invoerbestand" in err


# --------------------------------------------------------------------------- cancelled scans


def test_keyboard_interrupt_during_scan_leaves_no_output(sample_copy, tmp_path, monkeypatch, capsys):
    from gisapp.commands import scan as scan_command

    calls = {"n": 0}

    def interrupt(self, fraction, text=""):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt

    monkeypatch.setattr(scan_command.ProgressBar, "progress", interrupt)
    out_dir = tmp_path / "uit"
    out_dir.mkdir()
    assert main(["scan", str(sample_copy), "--out", str(out_dir / "uit.gpkg")]) == 130
    assert "afgebroken" in capsys.readouterr().err
    assert list(out_dir.iterdir()) == []


def test_keyboard_interrupt_while_writing_keeps_old_output_and_no_temp(sample_copy, tmp_path, monkeypatch, capsys):
    from layers.io import geopackage

    out_dir = tmp_path / "uit"
    out_dir.mkdir()
    out = out_dir / "uit.gpkg"
    out.write_bytes(b"vorige uitvoer")
    real_write = geopackage.write_frame
    calls = {"n": 0}

    def write_then_interrupt(*args, **kwargs):
        calls["n"] += 1
        real_write(*args, **kwargs)
        if calls["n"] == 2:  # the buildings and the gebieden written, the file not yet complete
            raise KeyboardInterrupt

    monkeypatch.setattr(geopackage, "write_frame", write_then_interrupt)
    assert main(["scan", str(sample_copy), "--out", str(out)]) == 130
    capsys.readouterr()
    assert calls["n"] == 2
    assert [p.name for p in out_dir.iterdir()] == ["uit.gpkg"] and out.read_bytes() == b"vorige uitvoer"


def test_cancel_through_feedback_leaves_no_output(sample_copy, tmp_path, monkeypatch, capsys):
    from gisapp.commands import scan as scan_command

    monkeypatch.setattr(scan_command.ProgressBar, "is_cancelled", lambda self: True)
    out_dir = tmp_path / "uit"
    out_dir.mkdir()
    assert main(["scan", str(sample_copy), "--out", str(out_dir / "uit.gpkg")]) == 130
    assert "geen uitvoer" in capsys.readouterr().err
    assert list(out_dir.iterdir()) == []


# --------------------------------------------------------------------------- format versions


def test_project_without_format_version_opens(tmp_path):
    path = tmp_path / "oud.toml"
    path.write_text("[project]\nname = 'Oud'\n[settings]\nx = 1\n", encoding="utf-8")
    assert load_project(path).format_version == FORMAT_VERSION


def test_project_with_format_version_0_opens_and_saves_as_current(tmp_path):
    path = tmp_path / "oud.toml"
    path.write_text("[project]\nname = 'Oud'\nformat_version = 0\n[settings]\nx = 1\n", encoding="utf-8")
    project = load_project(path)
    assert project.format_version == 0 and project.settings == {"x": 1}
    project.save()
    assert load_project(path).format_version == FORMAT_VERSION


def test_project_from_the_future_says_why_not(tmp_path):
    path = tmp_path / "nieuw.toml"
    path.write_text("[project]\nname = 'Nieuw'\nformat_version = 99\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        load_project(path)
    message = str(info.value)
    assert "nieuw.toml" in message and "format_version 99" in message and "werk de app bij" in message
