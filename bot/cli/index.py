"""Index commands."""
