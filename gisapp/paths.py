"""Where the application finds what it ships (no Qt): the CLI and the window both use it."""

from __future__ import annotations

from pathlib import Path


def sample_project_path() -> Path:
    """The shipped sample project (``sample_data/voorbeeldstad.toml``)."""
    return Path(__file__).resolve().parent.parent / "sample_data" / "voorbeeldstad.toml"
