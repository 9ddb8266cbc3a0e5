"""``gisapp screenshot`` and ``gisapp open`` argument handling, and the i18n table."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

pytestmark = pytest.mark.gui


def test_screenshot_command_writes_png(qapp, gui_project_path, tmp_path):
    from gisapp.cli import main

    out = tmp_path / "kaart.png"
    assert main(["screenshot", str(gui_project_path), "--out", str(out), "--size", "900x600"]) == 0
    image = QImage(str(out))
    assert (image.width(), image.height()) == (900, 600)


@pytest.mark.slow
def test_screenshot_after_scan(qapp, gui_project_path, tmp_path):
    from gisapp.cli import main

    out = tmp_path / "na_scan.png"
    assert main(["screenshot", str(gui_project_path), "--out", str(out), "--scan", "--size", "1000x700"]) == 0
    assert QImage(str(out)).width() == 1000


def test_screenshot_user_errors_exit_2(qapp, tmp_path, capsys):
    from gisapp.cli import main

    assert main(["screenshot", str(tmp_path / "nee.toml"), "--out", str(tmp_path / "x.png")]) == 2
    assert "bestaat niet" in capsys.readouterr().err
    bad = tmp_path / "kapot.toml"
    bad.write_text("[project]\nname = 3\n[layers.gebouwen]\npath = 'nergens.gpkg'\n", encoding="utf-8")
    assert main(["screenshot", str(bad), "--out", str(tmp_path / "x.png")]) == 2
    assert main(["screenshot", str(bad), "--out", str(tmp_path / "x.png"), "--size", "groot"]) == 2


def test_parse_size():
    from gisapp.gui_commands import parse_size

    assert parse_size("1600x1000") == (1600, 1000)
    with pytest.raises(ValueError, match="venstergrootte"):
        parse_size("1600")


def test_every_tr_literal_has_an_english_entry():
    from gisapp.i18n import EN

    missing = []
    for path in sorted((Path(__file__).resolve().parents[2] / "gisapp").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "tr" and node.args:
                arg = node.args[0]
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and arg.value not in EN:
                    missing.append(f"{path.name}: {arg.value!r}")
    assert not missing, missing


def test_english_interface(qtbot, gui_project_path):
    from gisapp import i18n
    from gisapp.app import main_window

    window = main_window(gui_project_path, lang="en")
    qtbot.addWidget(window, before_close_func=lambda w: w.set_modified(False))
    try:
        titles = [action.text() for action in window.menuBar().actions()]
        assert titles == ["&Project", "&Edit", "&Map", "&Selection", "&Layers", "&Scans", "&View", "&Help"]
        assert window.actions["run_scan"].text() == "Run potential scan…"
    finally:
        window.set_modified(False)
        window.close()
        i18n.set_language("nl")
