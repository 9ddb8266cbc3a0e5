"""``gisapp report`` shows how far it is while it writes the PDF, the Excel workbook and the GeoPackage."""

from __future__ import annotations

import io
import re
import sys

from gisapp.cli import main


class _Terminal(io.StringIO):
    """stderr as a terminal: the progress bar draws on it."""

    def isatty(self) -> bool:
        return True


def test_report_shows_the_progress_of_each_file_on_stderr(sample_project_path, tmp_path, monkeypatch, capsys):
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main(["report", str(sample_project_path), "--out", str(tmp_path)]) == 0
    lines = re.split(r"[\r\n]", terminal.getvalue())
    shown = [line for line in lines if line.startswith("[")]
    steps = [re.sub(r"^\[[#-]+\]\s+\d+% ", "", line).strip() for line in shown]
    # every file names its steps, in the order they are written
    first = {name: next((i for i, step in enumerate(steps) if step.startswith(f"{name}: ")), None)
             for name in ("PDF", "Excel", "GeoPackage")}
    assert None not in first.values() and first["PDF"] < first["Excel"] < first["GeoPackage"], (first, steps)
    assert any(step.startswith("PDF: kaart: laag") for step in steps)
    assert any(step.startswith("Excel: blad") for step in steps)
    assert any(step.startswith("GeoPackage: gebouwen_potentie") for step in steps)  # (its "wegschrijven" cut at 40)
    percents = [int(re.search(r"(\d+)%", line).group(1)) for line in shown[first["PDF"]:]]
    assert percents == sorted(percents) and percents[-1] == 100  # the writing runs from 0 to 100 % once
    assert {p.suffix for p in tmp_path.iterdir()} == {".pdf", ".xlsx", ".gpkg"}
