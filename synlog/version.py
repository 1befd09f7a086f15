"""The package version, recorded in every dataset row."""

__version__ = "0.3.0"
