"""Helper process for the kill test: saves a large project (and its autosave) in a loop.

Usage: python _save_loop.py PROJECT.toml. Prints the iteration after each completed save.
"""

from __future__ import annotations

import sys
from pathlib import Path

from layers.autosave import write_autosave
from layers.project import LayerSource, Project

N_SCENARIOS = 400


def big_project(path: Path, iteration: int) -> Project:
    project = Project(name=f"Groot project {iteration}", path=path)
    for k in range(40):
        key = f"laag_{k}"
        project.sources[key] = LayerSource(key, f"data/laag_{k}.gpkg", "gebouwen", layer="pand",
                                           columns={"bouwjaar": "oorspronkelijkbouwjaar"})
    project.scenarios = {
        f"scenario_{s}": {"base": "standaard", "optoppen": {f"p{j}": iteration * 1000 + j for j in range(60)}}
        for s in range(N_SCENARIOS)
    }
    project.settings = {"iteratie": iteration, "controle": iteration * 7, "n_scenarios": N_SCENARIOS}
    return project


def main() -> None:
    path = Path(sys.argv[1])
    iteration = 0
    while True:
        iteration += 1
        project = big_project(path, iteration)
        project.save()
        write_autosave(project)
        print(iteration, flush=True)


if __name__ == "__main__":
    main()
