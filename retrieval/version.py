"""The version of orgbot, read by the build manifest and `orgbot --version`."""

__version__ = "0.2.0"
