"""Beter Benutten: the Qt desktop application and the command line interface."""

__version__ = "0.1.0"
