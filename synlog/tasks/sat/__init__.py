"""sat tasks."""
