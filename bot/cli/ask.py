"""`orgbot ask`, `orgbot chat` and `orgbot eval`."""
