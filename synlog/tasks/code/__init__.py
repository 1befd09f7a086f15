"""code tasks."""
