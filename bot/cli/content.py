"""Content commands."""
