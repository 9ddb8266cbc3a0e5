"""Opening a project that reads outside its folder shows those paths first and may be declined."""

from __future__ import annotations

from tests.reliability.test_external_paths import _project_with_external_gebouwen


def test_declining_external_sources_keeps_the_current_project(window, tmp_path, monkeypatch):
    toml, data = _project_with_external_gebouwen(tmp_path)
    shown: list = []
    monkeypatch.setattr(window, "confirm_external_sources", lambda external: shown.append(external) or False)
    before = window.project
    assert window.open_project(toml) is False
    assert window.project is before
    assert dict(shown[0])["gebouwen"] == str(data.resolve())


def test_accepting_external_sources_opens_the_project(window, tmp_path, monkeypatch):
    toml, _ = _project_with_external_gebouwen(tmp_path)
    toml.write_text(toml.read_text(encoding="utf-8").split("[layers.bron]")[0], encoding="utf-8")
    monkeypatch.setattr(window, "confirm_external_sources", lambda external: True)
    assert window.open_project(toml) is True
    assert window.project.name == "Extern"
    assert len(window.project.layers) == 1
