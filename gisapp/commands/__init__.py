"""Headless CLI commands. Each module has ``register(subparsers)`` that sets ``func``.

No module here imports Qt (import-linter contract in pyproject.toml).
"""
