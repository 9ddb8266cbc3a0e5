"""No module of the project imports itself through others (docs/import_graph.py, issue 21).

import-linter's contracts (``pyproject.toml``) hold the layering and the circles within each
package; this checks every module pair across packages too, with the script that draws the graph
in docs/ARCHITECTURE.md.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import grimp

REPO = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("import_graph", REPO / "docs" / "import_graph.py")
import_graph = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(import_graph)


def test_no_module_imports_itself_through_others():
    assert import_graph.circles(import_graph.build()) == []


def test_a_circle_is_found(tmp_path, monkeypatch):
    package = tmp_path / "kringpakket"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from kringpakket import b\n")
    (package / "b.py").write_text("def f():\n    from kringpakket import c\n")  # inside a function counts too
    (package / "c.py").write_text("import kringpakket.a\n")
    (package / "d.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from kringpakket import a\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    graph = grimp.build_graph("kringpakket", exclude_type_checking_imports=True, cache_dir=None)
    assert import_graph.circles(graph) == [["kringpakket.a", "kringpakket.b", "kringpakket.c"]]
    sys.modules.pop("kringpakket", None)


def test_the_graph_draws_the_layering():
    graph = import_graph.build()
    text = import_graph.section(graph)
    assert text.startswith(import_graph.BEGIN) and text.endswith(import_graph.END)
    for package in import_graph.PACKAGES:
        assert f'["{package}"]' in text
    edges = import_graph.unit_edges(graph)
    assert ("scans", "layers") in edges and ("gisapp", "scans") in edges
    # layers at the bottom: none of its parts imports the packages above it
    assert not [(a, b) for a, b in edges if a.split(".")[0] == "layers" and b.split(".")[0] != "layers"]
