"""Headless CLI commands. Each module has ``register(subparsers)`` that sets ``func``.

No module here imports Qt (import-linter contract in pyproject.toml).
"""

import sys


def announce(line: str) -> None:
    """Tell the user on stderr what is about to happen (e.g. files read from outside the project)."""
    print(f"gisapp: {line}", file=sys.stderr)
